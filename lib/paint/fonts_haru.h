/* Fonts for the libharu engine, found by path from the font map
 * (fonts/fontmap.json) without fontconfig. Their character coverage is the
 * line model's (paint/linemodel.h), read from the files' cmap tables:
 * libharu silently draws .notdef for a missing glyph, so the engine must
 * know coverage before it measures. */
#ifndef QUIRE_PAINT_FONTS_HARU_H
#define QUIRE_PAINT_FONTS_HARU_H

#include "core/fontmap.h"

#include <stddef.h>
#include <stdint.h>

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

/* 1 when a TrueType-outline face exists at path/index ('glyf', not CFF). */
int quire__hfont_usable(const char *path, int index);

/* ---- embedding: a face read once per process ----
 *
 * libharu 2.3.0 reads a TrueType file again for every document (it cannot
 * share a font between documents), re-reads its tables two bytes at a time
 * when saving, and embeds whole tables (hmtx and loca of every glyph, the
 * cmap, name and post tables) deflated at zlib's default level: most of a
 * haru render's time. The engine makes its font objects itself instead,
 * from this process-wide reading and a subset holding only the glyphs
 * drawn, renumbered. */

typedef struct quire__hfont_prog quire__hfont_prog; /* read-only, shared */

/* PDF font descriptor values, in 1/1000 em (as libharu computed them:
 * font units * 1000 / units per em, truncated). */
typedef struct quire__hfont_desc {
  char name[96]; /* PostScript name "," subfamily, as libharu named fonts */
  int ascent, descent, flags, italic_angle, missing_width;
  int bbox[4];
  unsigned nglyphs;
  double ascent_em, descent_em; /* hhea, fractions of the em, both > 0 */
} quire__hfont_desc;

/* The process's reading of file's face (made on first use, then shared by
 * every document and thread), or NULL when it cannot be embedded. */
const quire__hfont_prog *quire__hfont_prog_get(const quire__hfont_file *file);
const quire__hfont_desc *quire__hfont_prog_desc(const quire__hfont_prog *p);

/* The top of glyph gid's box in 1/1000 em (0: none). */
int quire__hfont_glyph_top(const quire__hfont_prog *p, unsigned gid);

/*
 * A TrueType program of p with only the glyphs keep marks (desc nglyphs
 * bytes, 1 = keep; glyph 0 and the components of kept composite glyphs
 * are added to keep here), renumbered in ascending order: newid[g] is
 * old glyph g's number in the subset. *out and *newid are malloc'd.
 * Returns 0 or QUIRE_ENOMEM.
 */
int quire__hfont_subset(const quire__hfont_prog *p, unsigned char *keep,
                        unsigned char **out, size_t *outlen, uint16_t **newid);

#endif
