/* Per-format entry points behind quire_render() and quire_renderer_render().
 * Each writes the whole output to sink; opts is never NULL here (defaults
 * filled in) and look is the renderer's look for doc. */
#ifndef QUIRE_RENDER_H
#define QUIRE_RENDER_H

#include "internal.h"

#include "core/fontmap.h"
#include "template/template.h"
#include "template/theme.h"

/* One template's look, built once by quire_renderer_new() and immutable
 * afterwards, so any number of renders read it at once without a lock. */
typedef struct quire__look {
  char tname[64];              /* template directory ("sales_playbook") */
  json_t *theme_json;          /* merged theme.json (HTML) */
  quire__theme theme;          /* the same, as plain values (text, pages) */
  quire__template *set;        /* every Mustache file compiled (HTML) */
  const quire__fontmap *fonts; /* the font files (pages) */
} quire__look;

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
