/*
 * page.h - the paged renderer (PDF and PNG): the document model onto the
 * generic page layout (layout/page.h) with a template's theme.
 */
#ifndef QUIRE_RENDER_PAGE_H
#define QUIRE_RENDER_PAGE_H

#include "internal.h"
#include "layout/page.h"
#include "present/present.h"
#include "template/theme.h"

/* Page size in points for a paper. */
void quire__paper_size(quire_paper paper, double *width, double *height);

/*
 * Lays doc out as pres presents it, with theme on paper, measuring through be
 * (whose para_new must work; nothing is painted). *out is the caller's
 * (quire__layout_free, which needs the same backend alive to free its measured
 * paragraphs). Errors: QUIRE_ENOMEM, QUIRE_EFONT, QUIRE_EINVAL.
 */
int quire__page_layout(quire__layout **out, const quire_doc *doc,
                       const quire__present *pres, const quire__theme *theme,
                       quire_paper paper, const quire__backend *be,
                       quire_error *err);

/* The same with the document's language for its metadata (a BCP 47 tag,
 * the render option lang), or NULL: guessed from the report
 * (render/lang.h), as quire__page_layout does. */
int quire__page_layout_lang(quire__layout **out, const quire_doc *doc,
                            const quire__present *pres,
                            const quire__theme *theme, quire_paper paper,
                            const char *lang, const quire__backend *be,
                            quire_error *err);

#endif
