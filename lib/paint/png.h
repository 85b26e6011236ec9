/* PNG encoding of a cairo image surface (paint/cairo.c's PNG pages). */
#ifndef QUIRE_PAINT_PNG_H
#define QUIRE_PAINT_PNG_H

#include "internal.h"

#include <cairo.h>

/* Encodes an RGB24 image surface as PNG with libpng (cairo's own writer
 * is 3-4x slower) and writes it to out. Returns 0 or QUIRE_ENOMEM /
 * QUIRE_EIO / the sink's error. */
int quire__png_encode(cairo_surface_t *image, quire__out *out);

#endif
