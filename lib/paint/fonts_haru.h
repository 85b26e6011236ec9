/* Fonts for the libharu engine, found by path from the font map
 * (fonts/fontmap.json) without fontconfig. Their character coverage is the
 * line model's (paint/linemodel.h), read from the files' cmap tables:
 * libharu silently draws .notdef for a missing glyph, so the engine must
 * know coverage before it measures. */
#ifndef QUIRE_PAINT_FONTS_HARU_H
#define QUIRE_PAINT_FONTS_HARU_H

#include "core/fontmap.h"

#define QUIRE__HFONT_ROLES 3 /* body, heading, mono (backend.h order) */
#define QUIRE__HFONT_FACES 4 /* regular, bold, italic, boldItalic */
#define QUIRE__HFONT_FALLBACKS 4
#define QUIRE__HFONT_PATH 512
#define QUIRE__HFONT_BMP_BYTES 8192 /* one bit per BMP code point */

typedef struct quire__hfont_file {
  char path[QUIRE__HFONT_PATH]; /* "" when the face is not installed */
  int index;                    /* face index in a .ttc */
} quire__hfont_file;

typedef struct quire__hfont_paths {
  char family[QUIRE__HFONT_ROLES][64]; /* family each role resolved to */
  /* [role][face]; a missing bold/italic face holds the regular one */
  quire__hfont_file face[QUIRE__HFONT_ROLES][QUIRE__HFONT_FACES];
  int nfallback; /* installed TrueType-outline fallbacks, in fontmap order */
  quire__hfont_file fallback[QUIRE__HFONT_FALLBACKS];
  char fallback_family[QUIRE__HFONT_FALLBACKS][64];
} quire__hfont_paths;

/*
 * Resolves the three role families (theme names; NULL or unknown: the
 * first mapped family, reported through warn) to installed files using the
 * font map. Only TrueType-outline files are accepted (libharu cannot load
 * CFF). Errors: QUIRE_EFONT (a role has no installed regular face).
 */
int quire__hfont_find(quire__hfont_paths *out, const quire__fontmap *map,
                      const char *const families[3], quire_warn_fn warn,
                      void *warn_payload, quire_error *err);

/* The face's hhea ascender and descender as fractions of the em (both
 * positive), the metrics pango uses, so both engines give lines the same
 * height. Returns 0 or QUIRE_EFONT. */
int quire__hfont_vmetrics(double *ascent, double *descent, const char *path,
                          int index);

/* 1 when a TrueType-outline face exists at path/index ('glyf', not CFF). */
int quire__hfont_usable(const char *path, int index);

#endif
