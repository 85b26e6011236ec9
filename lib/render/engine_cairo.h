/* The pango + cairo engine (PDF and PNG). Only *_cairo.c files include
 * this header; pdf.c reaches the engine through render/engines.h. */
#ifndef QUIRE_ENGINE_CAIRO_H
#define QUIRE_ENGINE_CAIRO_H

#include "render/render.h"

#include <cairo.h>

/* png_cairo.c: encodes an RGB24 image surface as PNG with libpng (cairo's
 * own writer is 3-4x slower) and writes it to out. Returns 0 or
 * QUIRE_ENOMEM / QUIRE_EIO / the sink's error. */
int quire__png_encode(cairo_surface_t *image, quire__out *out);

#endif
