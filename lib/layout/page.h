/*
 * page.h - the page layout shared by every PDF/PNG engine.
 *
 * quire__layout_new places a document on pages (paper, margins, title
 * block, every block kind, keep-together, widows and orphans) using only a
 * backend's measuring calls; the result is a list of pages of positioned
 * paint operations. quire__layout_paint then replays chosen pages through
 * the same backend. Laying out first and painting second is what lets the
 * footer say "3 / 7" and lets PNG paint page 5 alone with the exact line
 * breaks of the PDF.
 */
#ifndef QUIRE_LAYOUT_PAGE_H
#define QUIRE_LAYOUT_PAGE_H

#include "internal.h"
#include "layout/backend.h"

struct quire__theme;

typedef struct quire__layout quire__layout;

/* Page size in points for a paper. */
void quire__paper_size(quire_paper paper, double *width, double *height);

/*
 * Lays doc out with theme on paper, measuring through be (whose para_new
 * must work; nothing is painted). *out is the caller's
 * (quire__layout_free, which needs the same backend alive to free its
 * measured paragraphs). Errors: QUIRE_ENOMEM, QUIRE_EFONT, QUIRE_EINVAL.
 */
int quire__layout_new(quire__layout **out, const quire_doc *doc,
                      const struct quire__theme *theme, quire_paper paper,
                      const quire__backend *be, quire_error *err);
void quire__layout_free(quire__layout *layout);

int quire__layout_page_count(const quire__layout *layout);

/* The document information the layout derives from the report. */
void quire__layout_meta(const quire__layout *layout, quire__doc_meta *out);

/*
 * Paints pages [first, first + count) (0-based) through be: begin_document,
 * begin_page/paint/end_page for each, end_document. be must be the backend
 * (or one with identical measurements) that made the layout.
 * Errors: those of the backend's begin/end calls, QUIRE_EINVAL for a page
 * range outside the document.
 */
int quire__layout_paint(const quire__layout *layout, const quire__backend *be,
                        int first, int count, quire_error *err);

#endif
