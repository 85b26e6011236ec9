#include "template/template.h"

#include "template/theme.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Enough for every partial of a template set; a template asking for more
 * distinct names than this is broken or hostile. */
#define S_MAX_ENTRIES 256

typedef struct S_entry {
  char *name;           /* as written in the tag */
  quire__mustache *tpl; /* NULL: looked for and not found */
} S_entry;

struct quire__template {
  char *user_dir;   /* NULL: built-in files only */
  char tname[64];   /* template directory */
  S_entry *entries; /* compiled so far, in order of first use */
  size_t n, cap;
  int shared; /* a process-wide built-in set (see below) */
};

/* Built-in template sets are the same for every render in the process, so
 * each is compiled once and shared: compiling ~25 files cost more than
 * rendering a report. A shared set only ever grows (entries are appended,
 * compiled templates are immutable and never freed), and every lookup in it
 * holds S_lock, so threads may render from it at once. Sets with a user
 * directory are per call: a designer's edits show on the next render. */
static pthread_mutex_t S_lock = PTHREAD_MUTEX_INITIALIZER;
static quire__template *S_shared[8];

int quire__template_new(quire__template **out, const char *user_dir,
                        const char *tname, quire_error *err) {
  *out = NULL;
  if (!tname || !*tname || strlen(tname) >= sizeof((quire__template *)0)->tname)
    return quire__error_set(err, QUIRE_EINVAL, "bad template name");
  if (!user_dir || !*user_dir) {
    pthread_mutex_lock(&S_lock);
    size_t i = 0;
    for (; i < sizeof S_shared / sizeof S_shared[0] && S_shared[i]; i++)
      if (strcmp(S_shared[i]->tname, tname) == 0)
        break;
    if (i < sizeof S_shared / sizeof S_shared[0] && !S_shared[i]) {
      quire__template *t = quire__calloc(1, sizeof *t);
      if (t) {
        memcpy(t->tname, tname, strlen(tname) + 1);
        t->shared = 1;
        S_shared[i] = t;
      }
    }
    quire__template *found =
        i < sizeof S_shared / sizeof S_shared[0] ? S_shared[i] : NULL;
    pthread_mutex_unlock(&S_lock);
    if (found) {
      *out = found;
      return 0;
    }
    /* out of slots or memory: fall back to a private set */
  }
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
  if (!t || t->shared)
    return;
  for (size_t i = 0; i < t->n; i++) {
    free(t->entries[i].name);
    quire__mustache_free(t->entries[i].tpl);
  }
  free(t->entries);
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
                       quire__template *t, const char *file, quire_error *err) {
  if (strncmp(file, "default/", 8) == 0)
    return quire__template_file(data, len, origin, osz, t->user_dir, "default",
                                file + 8, err);
  return quire__template_file(data, len, origin, osz, t->user_dir, t->tname,
                              file, err);
}

int quire__template_text(char **data, size_t *len, quire__template *t,
                         const char *file, quire_error *err) {
  char origin[4200];
  *data = NULL;
  if (!S_name_ok(file))
    return quire__error_set(err, QUIRE_EINVAL, "bad template file name");
  int rc = S_find_file(data, len, origin, sizeof origin, t, file, err);
  if (rc == QUIRE_ENOTFOUND)
    return quire__error_set(err, rc, "template %s has no file %s", t->tname,
                            file);
  return rc; /* on failure err names the file and why */
}

/* Looks name up, compiling it on first use. *out NULL with 0 returned means
 * the file does not exist. */
static int S_lookup_locked(const quire__mustache **out, quire__template *t,
                           const char *name, quire_error *err) {
  *out = NULL;
  for (size_t i = 0; i < t->n; i++) {
    if (strcmp(t->entries[i].name, name) == 0) {
      *out = t->entries[i].tpl;
      return 0;
    }
  }
  if (!S_name_ok(name))
    return 0; /* reported as a missing partial, by name */
  if (t->n >= S_MAX_ENTRIES)
    return quire__error_set(err, QUIRE_ETEMPLATE,
                            "more than %d distinct partials", S_MAX_ENTRIES);
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
  *out = tpl;
  return 0;
}

static int S_lookup(const quire__mustache **out, quire__template *t,
                    const char *name, quire_error *err) {
  if (!t->shared)
    return S_lookup_locked(out, t, name, err);
  pthread_mutex_lock(&S_lock);
  int rc = S_lookup_locked(out, t, name, err);
  pthread_mutex_unlock(&S_lock);
  return rc;
}

int quire__template_get(const quire__mustache **out, quire__template *t,
                        const char *name, quire_error *err) {
  int rc = S_lookup(out, t, name, err);
  if (rc)
    return rc;
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
  return S_lookup(out, payload, name, err);
}

/* ---- public listing for `quire templates` ---- */

#include "core/embedded.h"

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
