#include "template/theme.h"

#include "core/embedded.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* No template or theme file is legitimately bigger. */
#define S_MAX_FILE ((size_t)8 << 20)

const char *quire__template_dir_name(const char *report_template,
                                     const char *override) {
  static const char *const known[] = {"sales_playbook", "general_report",
                                      "hiring_report", "profile_alignment"};
  const char *t = override ? override : report_template;
  if (!t)
    return "default";
  for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
    if (strcmp(t, known[i]) == 0)
      return known[i];
  /* An override may name a user's own template directory. */
  if (override && override[0] && !strchr(override, '/') &&
      strcmp(override, "..") && strcmp(override, "."))
    return override;
  return "default";
}

/*
 * A template directory is often a designer's working copy, and a symlink
 * in it (a file's, or a directory's on the way) may point anywhere: one to
 * /etc/shadow put that file into the HTML of a root render. So the file
 * actually opened must lie inside root, the user's template directory,
 * once every link in both is resolved; links within it (a partial shared
 * by two templates) keep working. The opened descriptor's own path
 * (/proc/self/fd) is checked, not the name, so a link swapped between the
 * check and the open cannot slip through.
 */
static int S_inside(int fd, const char *path, const char *root,
                    quire_error *err) {
  char rroot[PATH_MAX], real[PATH_MAX], link[64];
  if (!realpath(root, rroot)) {
    quire__error_source(err, root);
    return quire__error_set(err, QUIRE_EIO,
                            "cannot resolve the template directory: %s",
                            strerror(errno));
  }
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, real, sizeof real - 1);
  if (n >= 0)
    real[n] = '\0';
  else if (!realpath(path, real)) /* no /proc: the name, resolved now */
    real[0] = '\0';
  size_t k = strlen(rroot);
  if (k == 1)
    k = 0; /* root is "/": everything is inside */
  if (real[0] && strncmp(real, rroot, k) == 0 && real[k] == '/')
    return 0;
  quire__error_source(err, path);
  return quire__error_set(err, QUIRE_ETEMPLATE,
                          "a symlink that leads outside the template "
                          "directory %s; not followed",
                          root);
}

/* Reads a user's template file. Only regular files: a FIFO would block the
 * render forever and a device could be endless, so the file is opened
 * without blocking and checked before a byte is read. Not found is
 * QUIRE_ENOTFOUND with err untouched (the caller falls back); any other
 * failure fills err with path and reason. */
static int S_read(char **data, size_t *len, const char *path, const char *root,
                  quire_error *err) {
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR)
      return QUIRE_ENOTFOUND;
    quire__error_source(err, path);
    return quire__error_set(err, QUIRE_EIO, "cannot open template file: %s",
                            strerror(errno));
  }
  struct stat st;
  int rc = S_inside(fd, path, root, err);
  if (rc)
    ; /* err says why */
  else if (fstat(fd, &st) != 0)
    rc = quire__error_set(err, QUIRE_EIO, "cannot read template file: %s",
                          strerror(errno));
  else if (!S_ISREG(st.st_mode))
    rc = quire__error_set(err, QUIRE_ETEMPLATE,
                          "a template file must be a regular file, not %s",
                          S_ISDIR(st.st_mode)    ? "a directory"
                          : S_ISFIFO(st.st_mode) ? "a FIFO"
                                                 : "a device or socket");
  else if ((size_t)st.st_size > S_MAX_FILE)
    rc = quire__error_set(err, QUIRE_ETOOBIG,
                          "template file of %lld bytes is over the %zu-byte "
                          "limit",
                          (long long)st.st_size, S_MAX_FILE);
  quire_buf b = QUIRE_BUF_INIT;
  b.max = S_MAX_FILE;
  char chunk[16384];
  ssize_t n = 0;
  while (!rc && (n = read(fd, chunk, sizeof chunk)) != 0) {
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      rc = quire__error_set(err, QUIRE_EIO, "cannot read template file: %s",
                            strerror(errno));
    else if (quire_buf_put(&b, chunk, (size_t)n))
      rc = quire_buf_failed(&b) == QUIRE_ETOOBIG
               ? quire__error_set(err, QUIRE_ETOOBIG,
                                  "template file grew over the %zu-byte limit",
                                  S_MAX_FILE)
               : quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  }
  close(fd);
  if (rc) {
    quire__error_source(err, path);
    quire_buf_dispose(&b);
    return rc;
  }
  *data = quire_buf_detach(&b, len);
  if (!*data)
    return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  return 0;
}

int quire__template_file(char **data, size_t *len, char *origin,
                         size_t originsz, const char *user_dir,
                         const char *tname, const char *file,
                         quire_error *err) {
  const char *names[2] = {tname, "default"};
  int n = strcmp(tname, "default") == 0 ? 1 : 2;
  *data = NULL;
  *len = 0;
  if (user_dir && *user_dir) {
    for (int i = 0; i < n; i++) {
      char path[4096];
      snprintf(path, sizeof path, "%s/%s/%s", user_dir, names[i], file);
      int rc = S_read(data, len, path, user_dir, err);
      if (rc == 0) {
        if (origin)
          snprintf(origin, originsz, "%s", path);
        return 0;
      }
      if (rc != QUIRE_ENOTFOUND)
        return rc;
    }
  }
  for (int i = 0; i < n; i++) {
    char name[512];
    snprintf(name, sizeof name, "templates/%s/%s", names[i], file);
    const quire__embedded *e = quire__embedded_find(name);
    if (e) {
      *data = quire__strndup(e->data, e->len);
      if (!*data)
        return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
      *len = e->len;
      if (origin)
        snprintf(origin, originsz, "built-in:%s", name);
      return 0;
    }
  }
  return QUIRE_ENOTFOUND;
}

/* Deep merge: objects merge key by key, anything else replaces. */
static void S_merge(json_t *dst, const json_t *src, int depth) {
  const char *k;
  json_t *v;
  json_object_foreach((json_t *)src, k, v) {
    json_t *d = json_object_get(dst, k);
    if (depth < 8 && json_is_object(d) && json_is_object(v))
      S_merge(d, v, depth + 1);
    else
      json_object_set(dst, k, v);
  }
}

static int S_is_color(const json_t *v) {
  const char *s = json_string_value(v);
  size_t n = s ? strlen(s) : 0;
  if (!s || s[0] != '#' || (n != 4 && n != 5 && n != 7 && n != 9))
    return 0;
  return strspn(s + 1, "0123456789abcdefABCDEF") == n - 1;
}

static int S_is_font(const json_t *v) {
  const char *s = json_string_value(v);
  size_t n = s ? strlen(s) : 0;
  return n > 0 && n <= 60 &&
         strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                   "0123456789 -") == n;
}

/* What a user's theme.json may hold, key by key: a designer who writes
 * "fonts": 7 or an accent of "red" hears about it, with the JSON path,
 * rather than getting the default look without a word. Unknown keys are
 * the designer's own (for their templates) and pass. */
typedef enum {
  S_T_COLOR,
  S_T_COLORS,
  S_T_FONT,
  S_T_NUMBER,
  S_T_INT,
  S_T_INTS,
  S_T_STRING
} S_type;

static const struct {
  const char *group; /* NULL: top level */
  const char *key;   /* NULL: every key of the group */
  S_type type;
} S_schema[] = {
    {NULL, "name", S_T_STRING},
    {"palette", "chips", S_T_COLORS},
    {"palette", "illustration", S_T_COLORS},
    {"palette", NULL, S_T_COLOR},
    {"dark", NULL, S_T_COLOR},
    {"fonts", NULL, S_T_FONT},
    {"sizes", NULL, S_T_NUMBER},
    {"spacing", NULL, S_T_NUMBER},
    {"terminal", "chips16", S_T_INTS},
    {"terminal", NULL, S_T_INT},
};

static const char *S_expect(S_type t) {
  switch (t) {
  case S_T_COLOR: return "a colour like \"#2f5d8a\"";
  case S_T_COLORS: return "an array of colours like \"#2f5d8a\"";
  case S_T_FONT: return "a font family name (letters, digits, spaces, -)";
  case S_T_NUMBER: return "a number";
  case S_T_INT: return "an integer";
  case S_T_INTS: return "an array of integers";
  case S_T_STRING: return "a string";
  }
  return "another value";
}

static int S_type_ok(S_type t, const json_t *v) {
  size_t i;
  const json_t *x;
  switch (t) {
  case S_T_COLOR: return S_is_color(v);
  case S_T_FONT: return S_is_font(v);
  case S_T_NUMBER: return json_is_number(v);
  case S_T_INT: return json_is_integer(v);
  case S_T_STRING: return json_is_string(v);
  case S_T_COLORS:
  case S_T_INTS:
    if (!json_is_array(v))
      return 0;
    json_array_foreach(v, i, x) {
      if (t == S_T_COLORS ? !S_is_color(x) : !json_is_integer(x))
        return 0;
    }
    return 1;
  }
  return 0;
}

static int S_bad_type(const char *origin, const char *group, const char *key,
                      S_type t, quire_error *err) {
  quire__error_source(err, origin);
  return quire__error_set(err, QUIRE_ETEMPLATE, "$%s%s.%s: expected %s",
                          group ? "." : "", group ? group : "", key,
                          S_expect(t));
}

static int S_check_types(const json_t *j, const char *origin,
                         quire_error *err) {
  const char *k;
  json_t *v;
  json_object_foreach((json_t *)j, k, v) {
    int group = 0;
    for (size_t i = 0; i < sizeof S_schema / sizeof S_schema[0]; i++) {
      if (S_schema[i].group && strcmp(S_schema[i].group, k) == 0)
        group = 1;
      if (!S_schema[i].group && strcmp(S_schema[i].key, k) == 0 &&
          !S_type_ok(S_schema[i].type, v))
        return S_bad_type(origin, NULL, k, S_schema[i].type, err);
    }
    if (!group)
      continue;
    if (!json_is_object(v)) {
      quire__error_source(err, origin);
      return quire__error_set(err, QUIRE_ETEMPLATE, "$.%s: expected an object",
                              k);
    }
    const char *k2;
    json_t *v2;
    json_object_foreach(v, k2, v2) {
      for (size_t i = 0; i < sizeof S_schema / sizeof S_schema[0]; i++) {
        if (!S_schema[i].group || strcmp(S_schema[i].group, k) != 0 ||
            (S_schema[i].key && strcmp(S_schema[i].key, k2) != 0))
          continue;
        if (!S_type_ok(S_schema[i].type, v2))
          return S_bad_type(origin, k, k2, S_schema[i].type, err);
        break; /* the first matching rule decides */
      }
    }
  }
  return 0;
}

static int S_layer(json_t *acc, const char *data, size_t len,
                   const char *origin, quire_error *err) {
  json_error_t je;
  json_t *j = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
  if (!j || !json_is_object(j)) {
    quire__error_source(err, origin);
    if (err && j == NULL) {
      err->line = (unsigned)(je.line > 0 ? je.line : 1);
      err->column = (unsigned)(je.column > 0 ? je.column : 1);
    }
    json_decref(j);
    return quire__error_set(err, QUIRE_ETEMPLATE, "%s",
                            j ? "theme must be a JSON object" : je.text);
  }
  int rc = S_check_types(j, origin, err);
  if (!rc)
    S_merge(acc, j, 0);
  json_decref(j);
  return rc;
}

int quire__template_check(const char *user_dir, const char *name,
                          quire_error *err) {
  struct stat st;
  if (user_dir && *user_dir) {
    const char *why = stat(user_dir, &st) != 0 ? strerror(errno)
                      : !S_ISDIR(st.st_mode)   ? "not a directory"
                                               : NULL;
    if (why) {
      quire__error_source(err, user_dir);
      return quire__error_set(err, QUIRE_EINVAL, "template directory: %s", why);
    }
  }
  if (!name)
    return 0;
  if (!*name || strchr(name, '/') || strcmp(name, ".") == 0 ||
      strcmp(name, "..") == 0 || strlen(name) > 200)
    return quire__error_set(err, QUIRE_EINVAL, "bad template name \"%.200s\"",
                            name);
  char built[300];
  snprintf(built, sizeof built, "templates/%s/theme.json", name);
  if (quire__embedded_find(built))
    return 0;
  if (user_dir && *user_dir) {
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", user_dir, name);
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
      return 0;
  }
  /* quire.h: a missing template is QUIRE_ENOTFOUND (a malformed name
   * above is the caller's mistake, QUIRE_EINVAL). */
  return quire__error_set(
      err, QUIRE_ENOTFOUND,
      "no template named \"%s\" (built in: default, general_report, "
      "hiring_report, profile_alignment, sales_playbook%s%s)",
      name, user_dir && *user_dir ? "; nor a directory of that name in " : "",
      user_dir && *user_dir ? user_dir : "");
}

/* Read afresh on every call: a renderer (render/renderer.c) loads each
 * look once and keeps it. */
int quire__theme_json(json_t **out, const char *user_dir, const char *tname,
                      quire_error *err) {
  *out = NULL;
  json_t *acc = json_object();
  if (!acc)
    return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  /* Layers, weakest first: built-in default, built-in template, user
   * default, user template. */
  struct {
    const char *dir;
    const char *name;
  } layers[4] = {{NULL, "default"},
                 {NULL, tname},
                 {user_dir, "default"},
                 {user_dir, tname}};
  for (int i = 0; i < 4; i++) {
    if (i % 2 == 1 && strcmp(tname, "default") == 0)
      continue;
    if (i >= 2 && !(user_dir && *user_dir))
      break;
    char *data = NULL;
    size_t len = 0;
    char origin[4200];
    int rc;
    if (layers[i].dir) {
      char path[4096];
      snprintf(path, sizeof path, "%s/%s/theme.json", layers[i].dir,
               layers[i].name);
      snprintf(origin, sizeof origin, "%s", path);
      rc = S_read(&data, &len, path, layers[i].dir, err);
    } else {
      char name[512];
      snprintf(name, sizeof name, "templates/%s/theme.json", layers[i].name);
      snprintf(origin, sizeof origin, "built-in:%s", name);
      const quire__embedded *e = quire__embedded_find(name);
      rc = e ? 0 : QUIRE_ENOTFOUND;
      if (e) {
        data = quire__strndup(e->data, e->len);
        len = e->len;
        rc = data ? 0 : QUIRE_ENOMEM;
      }
    }
    if (rc == QUIRE_ENOTFOUND)
      continue;
    if (rc) {
      json_decref(acc);
      return rc == QUIRE_ENOMEM ? quire__error_set(err, rc, "out of memory")
                                : rc; /* S_read said which file and why */
    }
    rc = S_layer(acc, data, len, origin, err);
    free(data);
    if (rc) {
      json_decref(acc);
      return rc;
    }
  }
  *out = acc;
  return 0;
}

static int S_hex(int c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static void S_color(quire__rgb *out, const json_t *v) {
  const char *s = json_string_value(v);
  if (!s || s[0] != '#' || strlen(s) != 7)
    return;
  int d[6];
  for (int i = 0; i < 6; i++)
    if ((d[i] = S_hex(s[1 + i])) < 0)
      return;
  out->r = (unsigned char)(d[0] * 16 + d[1]);
  out->g = (unsigned char)(d[2] * 16 + d[3]);
  out->b = (unsigned char)(d[4] * 16 + d[5]);
}

static void S_num(double *out, const json_t *v, double lo, double hi) {
  if (json_is_number(v)) {
    double x = json_number_value(v);
    if (x >= lo && x <= hi)
      *out = x;
  }
}

static void S_int(int *out, const json_t *v, int lo, int hi) {
  if (json_is_integer(v)) {
    json_int_t x = json_integer_value(v);
    if (x >= lo && x <= hi)
      *out = (int)x;
  }
}

static void S_text(char *out, size_t size, const json_t *v) {
  const char *s = json_string_value(v);
  if (s && *s)
    snprintf(out, size, "%s", s);
}

static quire__rgb S_rgb(unsigned v) {
  quire__rgb c = {(unsigned char)(v >> 16), (unsigned char)(v >> 8),
                  (unsigned char)v};
  return c;
}

void quire__theme_defaults(quire__theme *t) {
  memset(t, 0, sizeof *t);
  snprintf(t->name, sizeof t->name, "default");
  snprintf(t->display_name, sizeof t->display_name, "Report");
  t->accent = S_rgb(0x2f5d8a);
  t->accent_soft = S_rgb(0xe9f0f7);
  t->ink = S_rgb(0x1d232a);
  t->muted = S_rgb(0x5b6570);
  t->paper = S_rgb(0xffffff);
  t->surface = S_rgb(0xf6f8fa);
  t->border = S_rgb(0xd5dbe1);
  t->heading = S_rgb(0x14202c);
  t->link = S_rgb(0x1d5fa6);
  t->code_bg = S_rgb(0xf1f3f5);
  t->chips[0] = S_rgb(0x2f5d8a);
  t->chips[1] = S_rgb(0x2e7d6b);
  t->chips[2] = S_rgb(0x8a5a2f);
  t->illus[0] = S_rgb(0x2f5d8a);
  t->illus[1] = S_rgb(0x7aa6d1);
  t->illus[2] = S_rgb(0x2e7d6b);
  t->illus[3] = S_rgb(0xe0b25c);
  snprintf(t->font_body, sizeof t->font_body, "DejaVu Sans");
  snprintf(t->font_heading, sizeof t->font_heading, "DejaVu Sans");
  snprintf(t->font_mono, sizeof t->font_mono, "DejaVu Sans Mono");
  t->size_body = 10;
  t->size_small = 8;
  t->size_h1 = 22;
  t->size_h2 = 14;
  t->size_h3 = 11.5;
  t->line_height = 1.45;
  t->margin_mm = 18;
  t->side_mm = 18;
  t->block_gap = 10;
  t->card_radius = 6;
  t->card_padding = 10;
  t->term_accent16 = 4;
  t->term_muted16 = 8;
  t->term_chip16[0] = 4;
  t->term_chip16[1] = 6;
  t->term_chip16[2] = 3;
}

int quire__theme_load(quire__theme *t, const char *user_dir, const char *tname,
                      quire_error *err) {
  json_t *j;
  quire__theme_defaults(t);
  int rc = quire__theme_json(&j, user_dir, tname, err);
  if (rc)
    return rc;
  quire__theme_fill(t, j, tname);
  json_decref(j);
  return 0;
}

void quire__theme_fill(quire__theme *t, const json_t *j, const char *tname) {
  quire__theme_defaults(t);
  snprintf(t->name, sizeof t->name, "%s", tname);
  S_text(t->display_name, sizeof t->display_name, json_object_get(j, "name"));
  const json_t *p = json_object_get(j, "palette");
  S_color(&t->accent, json_object_get(p, "accent"));
  S_color(&t->accent_soft, json_object_get(p, "accentSoft"));
  S_color(&t->ink, json_object_get(p, "ink"));
  S_color(&t->muted, json_object_get(p, "muted"));
  S_color(&t->paper, json_object_get(p, "paper"));
  S_color(&t->surface, json_object_get(p, "surface"));
  S_color(&t->border, json_object_get(p, "border"));
  S_color(&t->heading, json_object_get(p, "heading"));
  S_color(&t->link, json_object_get(p, "link"));
  S_color(&t->code_bg, json_object_get(p, "codeBackground"));
  for (size_t i = 0; i < 3; i++)
    S_color(&t->chips[i], json_array_get(json_object_get(p, "chips"), i));
  for (size_t i = 0; i < 4; i++)
    S_color(&t->illus[i],
            json_array_get(json_object_get(p, "illustration"), i));
  const json_t *f = json_object_get(j, "fonts");
  S_text(t->font_body, sizeof t->font_body, json_object_get(f, "body"));
  S_text(t->font_heading, sizeof t->font_heading,
         json_object_get(f, "heading"));
  S_text(t->font_mono, sizeof t->font_mono, json_object_get(f, "mono"));
  const json_t *s = json_object_get(j, "sizes");
  S_num(&t->size_body, json_object_get(s, "body"), 5, 30);
  S_num(&t->size_small, json_object_get(s, "small"), 4, 30);
  S_num(&t->size_h1, json_object_get(s, "h1"), 5, 72);
  S_num(&t->size_h2, json_object_get(s, "h2"), 5, 60);
  S_num(&t->size_h3, json_object_get(s, "h3"), 5, 48);
  S_num(&t->line_height, json_object_get(s, "lineHeight"), 1, 3);
  const json_t *sp = json_object_get(j, "spacing");
  S_num(&t->margin_mm, json_object_get(sp, "marginMm"), 5, 50);
  S_num(&t->side_mm, json_object_get(sp, "sideMarginMm"), 5, 60);
  S_num(&t->block_gap, json_object_get(sp, "blockGap"), 0, 72);
  S_num(&t->card_radius, json_object_get(sp, "cardRadius"), 0, 36);
  S_num(&t->card_padding, json_object_get(sp, "cardPadding"), 0, 48);
  const json_t *term = json_object_get(j, "terminal");
  S_int(&t->term_accent16, json_object_get(term, "accent16"), 0, 15);
  S_int(&t->term_muted16, json_object_get(term, "muted16"), 0, 15);
  for (size_t i = 0; i < 3; i++)
    S_int(&t->term_chip16[i],
          json_array_get(json_object_get(term, "chips16"), i), 0, 15);
}
