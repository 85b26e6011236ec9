/* The pango + cairo engine (PDF and PNG); renderers reach it through
 * paint/paint.h. */
#ifndef QUIRE_PAINT_CAIRO_H
#define QUIRE_PAINT_CAIRO_H

#include "paint/paint.h"

typedef struct quire__cairo quire__cairo;

/* png: paint PNG images (one per page, written at end_page) instead of one
 * PDF. Errors: QUIRE_EFONT, QUIRE_ENOMEM, QUIRE_ETEMPLATE. */
int quire__cairo_new(quire__cairo **out, int png, const quire__engine_opts *o,
                     quire_error *err);
void quire__cairo_free(quire__cairo *c);
const quire__backend *quire__cairo_backend(quire__cairo *c);

/* Pango font maps this process has made (tests/unit/test_cairo_fontmaps). */
long quire__cairo_fontmaps_made(void);

#endif
