/*
 * Illustrations and icons as data: a short list of vector primitives in a
 * fixed view box, drawn the same way by every painter (inline SVG for HTML,
 * cairo for PDF/PNG). Nothing here knows about a format.
 *
 * Coordinates are in view-box units (illustrations 240 x 160, icons 24 x 24,
 * origin top left, y down). Colours are palette indexes resolved by the
 * painter from the theme:
 *   0..3  the theme's "illustration" colours (icons: 0 = the icon colour,
 *         i.e. the accent / currentColor)
 *   4     paper (page background)
 *   5     accentSoft (tinted background)
 *   6     ink (body text)
 *   -1    none (no fill / no stroke)
 * Strokes use round caps and round joins. opacity applies to the whole
 * shape (fill and stroke), in percent.
 */
#ifndef QUIRE_PAINT_ILLUSTRATION_H
#define QUIRE_PAINT_ILLUSTRATION_H

#include "internal.h"

typedef enum quire__shape_kind {
  QUIRE__SHAPE_CIRCLE = 1, /* centre (x, y), radius r */
  QUIRE__SHAPE_RECT,       /* (x, y) top left, w x h, corner radius r */
  QUIRE__SHAPE_PATH        /* d: see below */
} quire__shape_kind;

/*
 * One primitive. A path's d is a string of absolute commands separated by
 * spaces, a subset of SVG's path syntax that any painter can follow:
 *   M x y            move to
 *   L x y            line to
 *   C x1 y1 x2 y2 x y  cubic Bezier to (x, y) with two control points
 *   Z                close the subpath
 * Use quire__path_step() to read one command at a time.
 */
typedef struct quire__shape {
  quire__shape_kind kind;
  signed char fill;      /* palette index, -1 = none */
  signed char stroke;    /* palette index, -1 = none */
  unsigned char opacity; /* 0..100 percent */
  float width;           /* stroke width in view-box units */
  float x, y, w, h, r;   /* geometry; unused fields are 0 */
  const char *d;         /* QUIRE__SHAPE_PATH only */
} quire__shape;

#define QUIRE__ILLUSTRATION_WIDTH 240
#define QUIRE__ILLUSTRATION_HEIGHT 160

/* The shapes of an illustration variant, in painting order (back to
 * front); static data, never NULL. UNKNOWN gives a neutral abstract motif. */
const quire__shape *quire__illustration_shapes(quire_illustration v, size_t *n);

/*
 * Reads the next command of a path string: *d advances past it, *cmd gets
 * 'M', 'L', 'C' or 'Z' and pts its 2, 2, 6 or 0 numbers. Returns 1 for a
 * command, 0 at the end of the string, -1 for malformed data.
 */
int quire__path_step(const char **d, char *cmd, float pts[6]);

/* Appends the shapes as SVG elements (no <svg> wrapper) to out. Colours
 * become classes f<i>/s<i> that the stylesheet maps to the theme, so one
 * drawing follows the light and dark palettes. */
void quire__shapes_svg(quire_buf *out, const quire__shape *shapes, size_t n);

/* A whole decorative <svg> for the variant (aria-hidden). */
void quire__illustration_svg(quire_buf *out, quire_illustration v);

#endif
