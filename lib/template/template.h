/*
 * A template set: finds files through the search order of
 * quire__template_file() (user dir, then built-in; the template's own
 * directory, then default/) and compiles every Mustache file there once,
 * in quire__template_complete(). A complete set is immutable: any number
 * of threads look names up in it at once, without a lock. Partials are looked
 * up by the name written in the tag:
 *   {{> partials/card}}      partials/card.mustache of this template
 *   {{< default/layout}}     layout.mustache of the default template (so a
 *                            template's layout can extend the base one)
 * Names may use a-z, 0-9, '_', '-', '.' and '/', without "..".
 */
#ifndef QUIRE_TEMPLATE_H
#define QUIRE_TEMPLATE_H

#include "template/mustache.h"

typedef struct quire__template quire__template;

/*
 * A set for template directory tname ("sales_playbook", "default"), with
 * user_dir (may be NULL) overriding built-in files one by one.
 * Errors: QUIRE_ENOMEM, QUIRE_EINVAL (bad tname).
 */
int quire__template_new(quire__template **out, const char *user_dir,
                        const char *tname, quire_error *err);
void quire__template_free(quire__template *t);

/*
 * Compiles every .mustache file the set can reach (built-in, and below
 * user_dir/tname and user_dir/default) and reads its style.css and
 * extra.css; lookups answer from these only. Call once, before sharing.
 * Errors: QUIRE_ETEMPLATE (file:line:column of a syntax error, or more
 * than 256 files), QUIRE_EIO, QUIRE_ETOOBIG, QUIRE_ENOMEM.
 */
int quire__template_complete(quire__template *t, quire_error *err);

/* How many sets quire__template_complete() has completed in this process:
 * lets a test see that a render compiled no template. */
unsigned long quire__template_completed(void);

/* 1 when a tag's name is in the documented view (check.c). */
int quire__template_name_known(const char *name);

/* Calls fn for every file a complete set compiled (each once, by the name
 * a tag uses for it; default/ aliases are skipped). */
void quire__template_each(const quire__template *t,
                          void (*fn)(const quire__mustache *tpl, void *payload),
                          void *payload);

/*
 * The compiled template called name (without ".mustache"), borrowed from
 * the complete set. Errors: QUIRE_ENOTFOUND (no such file anywhere).
 */
int quire__template_get(const quire__mustache **out, const quire__template *t,
                        const char *name, quire_error *err);

/* A quire__mustache_load_fn over the set (payload = the set): a missing
 * partial gives *out = NULL, so strict rendering names it. */
int quire__template_load(const quire__mustache **out, const char *name,
                         void *payload, quire_error *err);

/*
 * A plain file of the set ("style.css"), malloc'ed into *data (caller
 * frees). Errors: QUIRE_ENOTFOUND, QUIRE_EIO, QUIRE_ENOMEM.
 */
int quire__template_text(char **data, size_t *len, const quire__template *t,
                         const char *file, quire_error *err);

/*
 * The complete set's own copy of style.css or extra.css, borrowed: lives
 * as long as the set, NUL-terminated at *len. Errors: QUIRE_ENOTFOUND (the
 * file does not exist), QUIRE_EINVAL (another file, or an incomplete set:
 * use quire__template_text).
 */
int quire__template_text_ref(const char **data, size_t *len,
                             const quire__template *t, const char *file);

/* The directory name the set was opened for (borrowed). */
const char *quire__template_name(const quire__template *t);

#endif
