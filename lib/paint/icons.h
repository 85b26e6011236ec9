/* Card icons: common names mapped to 24 x 24 stroke drawings made of the
 * primitives in illustration.h (palette index 0 = the icon colour). */
#ifndef QUIRE_PAINT_ICONS_H
#define QUIRE_PAINT_ICONS_H

#include "paint/illustration.h"

#define QUIRE__ICON_SIZE 24

/*
 * The shapes for an icon name as a report gives it ("target", "bar_chart",
 * "Trending Up"): matched case-insensitively with '_' and ' ' read as '-',
 * through a table of aliases. Unknown and NULL names give a neutral glyph.
 * *canonical (may be NULL) gets the canonical name ("bar-chart") or
 * "default". Static data, never NULL.
 */
const quire__shape *quire__icon_shapes(const char *name, size_t *n,
                                       const char **canonical);

/* A whole decorative 24 x 24 <svg> for the icon (aria-hidden, stroke =
 * currentColor). */
void quire__icon_svg(quire_buf *out, const char *name);

#endif
