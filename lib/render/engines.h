/* Entry points of the PDF/PNG engines, engine-neutral so pdf.c can
 * dispatch without including any engine's headers. Each exists only when
 * its engine is built (QUIRE_HAVE_CAIRO, QUIRE_HAVE_HARU). */
#ifndef QUIRE_ENGINES_H
#define QUIRE_ENGINES_H

#include "render/render.h"

struct quire__theme;

/* engine_cairo.c. which: QUIRE_FORMAT_PDF (all pages) or QUIRE_FORMAT_PNG
 * (page opts->page). page_count, when not NULL, only lays out and stores
 * the number of pages (sink unused). */
int quire__cairo_render(const quire_doc *doc, const quire_render_options *opts,
                        const struct quire__theme *theme, quire_format which,
                        quire_sink sink, int *page_count, quire_error *err);

/* engine_cairo.c: PNG images of pages first..last (last 0 = the last
 * page) from one layout, each handed to fn (quire_render_png_pages). */
int quire__cairo_png_pages(const quire_doc *doc,
                           const quire_render_options *opts,
                           const struct quire__theme *theme, int first,
                           int last, quire_page_fn fn, void *payload,
                           quire_error *err);

/* engine_haru.c: the lean libharu engine, PDF only (same arguments as
 * above without `which`). */
int quire__haru_render(const quire_doc *doc, const quire_render_options *opts,
                       const struct quire__theme *theme, quire_sink sink,
                       int *page_count, quire_error *err);

#endif
