/* Per-format entry points behind quire_render() and quire_renderer_render().
 * Each writes the whole output to sink; opts is never NULL here (defaults
 * filled in) and look is the renderer's look for doc. */
#ifndef QUIRE_RENDER_H
#define QUIRE_RENDER_H

#include "internal.h"

#include "core/fontmap.h"
#include "template/template.h"
#include "template/theme.h"

#include <pthread.h>
#include <stdatomic.h>

/* One template's look, built once by quire_renderer_new() and immutable
 * afterwards, so any number of renders read it at once without a lock,
 * except set: over built-in templates only it is compiled by the first
 * HTML render (quire__look_templates()), since a PDF, PNG or text render
 * never reads it and compiling costs more than a text render. */
typedef struct quire__look {
  char tname[64];     /* template directory ("sales_playbook") */
  json_t *theme_json; /* merged theme.json (HTML) */
  quire__theme theme; /* the same, as plain values (text, pages) */
  /* Every Mustache file compiled (HTML); NULL until first needed. */
  _Atomic(quire__template *) set;
  pthread_mutex_t set_lock;    /* held while set is compiled */
  const quire__fontmap *fonts; /* the font files (pages) */
} quire__look;

/* look's template set, compiled on first call (thread-safe: one thread
 * compiles, the others wait for it). Errors: QUIRE_ENOMEM, QUIRE_ETEMPLATE
 * (only if a built-in template were broken). */
int quire__look_templates(const quire__template **out, const quire__look *look,
                          quire_error *err);

int quire__render_text(const quire_doc *doc, const quire__look *look,
                       const quire_render_options *opts, quire_sink sink,
                       quire_error *err);
int quire__render_html(const quire_doc *doc, const quire__look *look,
                       const quire_render_options *opts, quire_sink sink,
                       quire_error *err);
/* PDF and PNG: the page layout with the engine opts->engine chooses. */
int quire__render_pdf(const quire_doc *doc, const quire__look *look,
                      const quire_render_options *opts, quire_sink sink,
                      quire_error *err);
int quire__render_png(const quire_doc *doc, const quire__look *look,
                      const quire_render_options *opts, quire_sink sink,
                      quire_error *err);
int quire__render_png_pages(const quire_doc *doc, const quire__look *look,
                            const quire_render_options *opts, int first,
                            int last, quire_page_fn fn, void *payload,
                            quire_error *err);
int quire__render_page_count(int *out, const quire_doc *doc,
                             const quire__look *look,
                             const quire_render_options *opts,
                             quire_error *err);

#endif
