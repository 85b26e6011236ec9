/* Per-format entry points behind quire_render(). Each writes the whole
 * output to sink; opts is never NULL here (defaults filled in). */
#ifndef QUIRE_RENDER_H
#define QUIRE_RENDER_H

#include "internal.h"

int quire__render_text(const quire_doc *doc, const quire_render_options *opts,
                       quire_sink sink, quire_error *err);
int quire__render_html(const quire_doc *doc, const quire_render_options *opts,
                       quire_sink sink, quire_error *err);
/* PDF and PNG: the page layout with the engine opts->engine chooses. */
int quire__render_pdf(const quire_doc *doc, const quire_render_options *opts,
                      quire_sink sink, quire_error *err);
int quire__render_png(const quire_doc *doc, const quire_render_options *opts,
                      quire_sink sink, quire_error *err);
int quire__render_png_pages(const quire_doc *doc,
                            const quire_render_options *opts, int first,
                            int last, quire_page_fn fn, void *payload,
                            quire_error *err);
int quire__render_page_count(int *out, const quire_doc *doc,
                             const quire_render_options *opts,
                             quire_error *err);

#endif
