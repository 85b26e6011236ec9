#include "template/template.h"

#include "template/theme.h"

#include "core/embedded.h"

#include <dirent.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Enough for every partial of a template set; a template asking for more
 * distinct names than this is broken or hostile. */
#define S_MAX_ENTRIES 256

typedef struct S_entry {
  char *name;           /* as written in the tag */
  quire__mustache *tpl; /* NULL: looked for and not found */
} S_entry;

/* Plain files a renderer reads on every HTML render, kept by a complete
 * set so that no render touches the file system. */
static const char *const S_texts[] = {"style.css", "extra.css"};
#define S_NTEXTS (sizeof S_texts / sizeof S_texts[0])

struct quire__template {
  char *user_dir;   /* NULL: built-in files only */
  char tname[64];   /* template directory */
  S_entry *entries; /* compiled so far, in order of first use */
  size_t n, cap;
  /* Set by quire__template_complete(): every file is compiled, nothing is
   * added afterwards, so threads look names up without a lock. */
  int complete;
  /* Entries by name, for the lookups of a complete set: a render looks a
   * partial up for every block, and the set has about a hundred names. */
  const S_entry **sorted;
  char *text[S_NTEXTS]; /* NULL: the file does not exist */
  size_t text_len[S_NTEXTS];
};

int quire__template_new(quire__template **out, const char *user_dir,
                        const char *tname, quire_error *err) {
  *out = NULL;
  if (!tname || !*tname || strlen(tname) >= sizeof((quire__template *)0)->tname)
    return quire__error_set(err, QUIRE_EINVAL, "bad template name");
  quire__template *t = quire__calloc(1, sizeof *t);
  if (!t)
    return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  memcpy(t->tname, tname, strlen(tname) + 1);
  if (user_dir && *user_dir) {
    t->user_dir = quire__strdup(user_dir);
    if (!t->user_dir) {
      free(t);
      return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
    }
  }
  *out = t;
  return 0;
}

void quire__template_free(quire__template *t) {
  if (!t)
    return;
  for (size_t i = 0; i < S_NTEXTS; i++)
    free(t->text[i]);
  for (size_t i = 0; i < t->n; i++) {
    free(t->entries[i].name);
    quire__mustache_free(t->entries[i].tpl);
  }
  free(t->entries);
  free(t->sorted);
  free(t->user_dir);
  free(t);
}

const char *quire__template_name(const quire__template *t) { return t->tname; }

/* Names come from template files, so they are kept to a harmless
 * alphabet: no absolute paths, no "..", nothing a shell or URL would read
 * differently. */
static int S_name_ok(const char *name) {
  if (!*name || *name == '/' || strlen(name) > 200 || strstr(name, ".."))
    return 0;
  for (const char *p = name; *p; p++) {
    unsigned char c = (unsigned char)*p;
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
          (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' ||
          c == '/'))
      return 0;
  }
  return 1;
}

static int S_find_file(char **data, size_t *len, char *origin, size_t osz,
                       const quire__template *t, const char *file,
                       quire_error *err) {
  if (strncmp(file, "default/", 8) == 0)
    return quire__template_file(data, len, origin, osz, t->user_dir, "default",
                                file + 8, err);
  return quire__template_file(data, len, origin, osz, t->user_dir, t->tname,
                              file, err);
}

int quire__template_text(char **data, size_t *len, const quire__template *t,
                         const char *file, quire_error *err) {
  char origin[4200];
  *data = NULL;
  if (!S_name_ok(file))
    return quire__error_set(err, QUIRE_EINVAL, "bad template file name");
  int rc = QUIRE_ENOTFOUND;
  size_t i = 0;
  while (i < S_NTEXTS && strcmp(S_texts[i], file) != 0)
    i++;
  if (t->complete && i < S_NTEXTS) {
    if (t->text[i]) {
      *data = quire__strndup(t->text[i], t->text_len[i]);
      *len = t->text_len[i];
      rc = *data ? 0 : quire__error_set(err, QUIRE_ENOMEM, "out of memory");
    }
  } else {
    rc = S_find_file(data, len, origin, sizeof origin, t, file, err);
  }
  if (rc == QUIRE_ENOTFOUND)
    return quire__error_set(err, rc, "template %s has no file %s", t->tname,
                            file);
  return rc; /* on failure err names the file and why */
}

int quire__template_text_ref(const char **data, size_t *len,
                             const quire__template *t, const char *file) {
  *data = NULL;
  *len = 0;
  for (size_t i = 0; t->complete && i < S_NTEXTS; i++) {
    if (strcmp(S_texts[i], file) == 0) {
      if (!t->text[i])
        return QUIRE_ENOTFOUND;
      *data = t->text[i];
      *len = t->text_len[i];
      return 0;
    }
  }
  return QUIRE_EINVAL;
}

static const S_entry *S_find(const quire__template *t, const char *name) {
  if (t->sorted) {
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      int c = strcmp(t->sorted[mid]->name, name);
      if (c == 0)
        return t->sorted[mid];
      if (c < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
    return NULL;
  }
  for (size_t i = 0; i < t->n; i++)
    if (strcmp(t->entries[i].name, name) == 0)
      return &t->entries[i];
  return NULL;
}

static int S_by_name(const void *a, const void *b) {
  return strcmp((*(const S_entry *const *)a)->name,
                (*(const S_entry *const *)b)->name);
}

/* Compiles the file a tag called name reads (or records that there is
 * none) and adds it to the set. Only while the set is being completed. */
static int S_add(quire__template *t, const char *name, quire_error *err) {
  if (S_find(t, name) || !S_name_ok(name) || strlen(name) > 200)
    return 0; /* a bad name is reported as a missing partial, by name */
  if (t->n >= S_MAX_ENTRIES)
    return quire__error_set(err, QUIRE_ETEMPLATE, "more than %d template files",
                            S_MAX_ENTRIES);
  if (t->n == t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 32;
    S_entry *e = quire__realloc(t->entries, cap * sizeof *e);
    if (!e)
      return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
    t->entries = e;
    t->cap = cap;
  }
  char file[256];
  size_t nl = strlen(name);
  memcpy(file, name, nl);
  memcpy(file + nl, ".mustache", sizeof ".mustache");
  char origin[4200];
  char *data = NULL;
  size_t len = 0;
  quire__mustache *tpl = NULL;
  int rc = S_find_file(&data, &len, origin, sizeof origin, t, file, err);
  if (rc == 0) {
    rc = quire__mustache_compile(&tpl, data, len, origin, err);
    free(data);
    if (rc)
      return rc;
  } else if (rc != QUIRE_ENOTFOUND) {
    return rc; /* err names the file and why */
  }
  char *copy = quire__strdup(name);
  if (!copy) {
    quire__mustache_free(tpl);
    return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  }
  t->entries[t->n].name = copy;
  t->entries[t->n].tpl = tpl;
  t->n++;
  return 0;
}

/* rel is a .mustache file's path inside the directory of template dir:
 * adds the names a tag may use for it ("partials/card", and for files of
 * the default template "default/partials/card"). */
static int S_add_file(quire__template *t, const char *dir, const char *rel,
                      quire_error *err) {
  static const char suffix[] = ".mustache";
  size_t n = strlen(rel), sn = sizeof suffix - 1;
  if (n <= sn || n - sn > 200 || strcmp(rel + n - sn, suffix) != 0)
    return 0;
  char name[216];
  snprintf(name, sizeof name, "%.*s", (int)(n - sn), rel);
  int rc = S_add(t, name, err);
  if (!rc && strcmp(dir, "default") == 0) {
    snprintf(name, sizeof name, "default/%.*s", (int)(n - sn), rel);
    rc = S_add(t, name, err);
  }
  return rc;
}

/* Every .mustache file below path (rel: its path inside the template's
 * directory), a few levels deep. Symlinked directories are not followed
 * (no loops); files are read, and judged, by quire__template_file(). */
static int S_walk(quire__template *t, const char *dir, const char *path,
                  const char *rel, int depth, quire_error *err) {
  DIR *d = opendir(path);
  if (!d)
    return 0; /* no such directory: nothing of the user's here */
  int rc = 0;
  struct dirent *de;
  while (!rc && (de = readdir(d)) != NULL) {
    if (de->d_name[0] == '.')
      continue;
    char sub[4200], subrel[300];
    if ((size_t)snprintf(sub, sizeof sub, "%s/%s", path, de->d_name) >=
            sizeof sub ||
        (size_t)snprintf(subrel, sizeof subrel, "%s%s%s", rel, *rel ? "/" : "",
                         de->d_name) >= sizeof subrel)
      continue;
    struct stat st;
    if (lstat(sub, &st) != 0)
      continue;
    if (S_ISDIR(st.st_mode)) {
      if (depth < 4)
        rc = S_walk(t, dir, sub, subrel, depth + 1, err);
    } else {
      rc = S_add_file(t, dir, subrel, err);
    }
  }
  closedir(d);
  return rc;
}

/* Sets completed in this process (quire__template_completed()). */
static atomic_ulong S_completed;

unsigned long quire__template_completed(void) {
  return atomic_load_explicit(&S_completed, memory_order_relaxed);
}

int quire__template_complete(quire__template *t, quire_error *err) {
  const char *dirs[2] = {t->tname, "default"};
  int ndirs = strcmp(t->tname, "default") == 0 ? 1 : 2;
  int rc = 0;
  for (int k = 0; k < ndirs && !rc; k++) {
    if (t->user_dir) {
      char path[4200];
      snprintf(path, sizeof path, "%s/%s", t->user_dir, dirs[k]);
      rc = S_walk(t, dirs[k], path, "", 0, err);
    }
    char prefix[96];
    size_t pn =
        (size_t)snprintf(prefix, sizeof prefix, "templates/%s/", dirs[k]);
    for (const quire__embedded *e = quire__embedded_files; !rc && e->name; e++)
      if (strncmp(e->name, prefix, pn) == 0)
        rc = S_add_file(t, dirs[k], e->name + pn, err);
  }
  for (size_t i = 0; i < S_NTEXTS && !rc; i++) {
    char origin[4200];
    rc = S_find_file(&t->text[i], &t->text_len[i], origin, sizeof origin, t,
                     S_texts[i], err);
    if (rc == QUIRE_ENOTFOUND)
      rc = 0;
  }
  if (!rc && t->n) {
    /* Names are unique (S_add looks each up first). */
    free(t->sorted); /* completed again: sorted anew */
    t->sorted = NULL;
    const S_entry **sorted = quire__malloc(t->n * sizeof *sorted);
    if (!sorted)
      return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
    for (size_t i = 0; i < t->n; i++)
      sorted[i] = &t->entries[i];
    qsort(sorted, t->n, sizeof *sorted, S_by_name);
    t->sorted = sorted;
  }
  if (!rc) {
    t->complete = 1;
    atomic_fetch_add_explicit(&S_completed, 1, memory_order_relaxed);
  }
  return rc;
}

void quire__template_each(const quire__template *t,
                          void (*fn)(const quire__mustache *tpl, void *payload),
                          void *payload) {
  for (size_t i = 0; i < t->n; i++)
    if (t->entries[i].tpl && strncmp(t->entries[i].name, "default/", 8) != 0)
      fn(t->entries[i].tpl, payload);
}

int quire__template_get(const quire__mustache **out, const quire__template *t,
                        const char *name, quire_error *err) {
  const S_entry *found = S_find(t, name);
  *out = found ? found->tpl : NULL;
  if (!*out)
    return quire__error_set(err, QUIRE_ENOTFOUND,
                            "template %s has no %s.mustache (looked in %s%s"
                            "templates/%s and templates/default)",
                            t->tname, name, t->user_dir ? t->user_dir : "",
                            t->user_dir ? ", then the built-in " : "built-in ",
                            t->tname);
  return 0;
}

int quire__template_load(const quire__mustache **out, const char *name,
                         void *payload, quire_error *err) {
  (void)err;
  const S_entry *found = S_find(payload, name);
  *out = found ? found->tpl : NULL;
  return 0;
}

/* ---- public listing for `quire templates` ---- */

const char *quire_template_name(size_t i) {
  /* The directories the build embeds (see the Makefile's EMBED_FILES);
   * listed only when their theme.json really is built in. */
  static const char *const dirs[] = {"default", "sales_playbook",
                                     "general_report", "hiring_report",
                                     "profile_alignment"};
  size_t seen = 0;
  for (size_t k = 0; k < sizeof dirs / sizeof dirs[0]; k++) {
    char name[96];
    snprintf(name, sizeof name, "templates/%s/theme.json", dirs[k]);
    if (quire__embedded_find(name) && seen++ == i)
      return dirs[k];
  }
  return NULL;
}

const char *quire_template_file(size_t i) {
  static const char prefix[] = "templates/default/";
  size_t seen = 0;
  for (const quire__embedded *e = quire__embedded_files; e->name; e++)
    if (strncmp(e->name, prefix, sizeof prefix - 1) == 0 && seen++ == i)
      return e->name + sizeof prefix - 1;
  return NULL;
}

/* Arguments of the public template lookups: a plain template name (no
 * '/') and a file name from the safe alphabet. */
static int S_public_args_ok(const quire_buf *out, const char *name,
                            const char *file) {
  return out && name && file && S_name_ok(name) && !strchr(name, '/') &&
         S_name_ok(file);
}

int quire_template_origin(quire_buf *out, const char *user_dir,
                          const char *name, const char *file) {
  if (!S_public_args_ok(out, name, file))
    return QUIRE_EINVAL;
  char *data = NULL;
  size_t len = 0;
  char origin[4200];
  int rc = quire__template_file(&data, &len, origin, sizeof origin, user_dir,
                                name, file, NULL);
  free(data);
  if (rc)
    return rc;
  return quire_buf_puts(out, origin);
}

int quire_template_read(quire_buf *out, const char *user_dir, const char *name,
                        const char *file) {
  if (!S_public_args_ok(out, name, file))
    return QUIRE_EINVAL;
  char *data = NULL;
  size_t len = 0;
  int rc =
      quire__template_file(&data, &len, NULL, 0, user_dir, name, file, NULL);
  if (rc)
    return rc;
  rc = quire_buf_put(out, data, len);
  free(data);
  return rc;
}
