/*
 * linemodel.h - the one line breaker of both PDF engines.
 *
 * The pango/cairo engine and the libharu engine used to break lines each
 * their own way (pango's breaker on HarfBuzz advances, haru's on libharu's
 * tables), and any sub-point difference between the two width models moved
 * a word to the next line at some box width: a word that fits in one
 * engine and not in the other, a long id cut one letter apart. Here a
 * paragraph is measured and broken once, by one model that needs no engine
 * library: the fonts' own advances (hmtx), pair kerning ('kern' format 0),
 * the ff/fi/fl/ffi/ffl ligatures, Arabic joining forms and bidi levels
 * (fribidi), and UAX #14 break opportunities (libunibreak), summed in the
 * same order with the same arithmetic whatever the engine. The haru engine
 * paints these characters with these advances; the cairo engine gives
 * pango the lines to set (never a width to wrap at), so both break every
 * line at the same place.
 *
 * The fonts are the font map's TrueType files as the haru engine finds
 * them (paint/fonts_haru.h), read once per process and only read after.
 */
#ifndef QUIRE_PAINT_LINEMODEL_H
#define QUIRE_PAINT_LINEMODEL_H

#include "layout/backend.h"
#include "paint/fonts_haru.h"

#include <fribidi.h>

#define QUIRE__LM_FACES                                                        \
  (QUIRE__HFONT_ROLES * QUIRE__HFONT_FACES + QUIRE__HFONT_FALLBACKS)
#define QUIRE__LM_FIRST_FALLBACK (QUIRE__HFONT_ROLES * QUIRE__HFONT_FACES)

/* Per-char flags. */
#define QUIRE__LM_SPACE 1u   /* hangs at a line end; not counted in its width */
#define QUIRE__LM_NEWLINE 2u /* forced break; not drawn */
#define QUIRE__LM_DROP                                                         \
  4u                         /* not drawn (ignorable, a ligature's tail, an    \
                                isolate mark, outside the BMP) */
#define QUIRE__LM_NOGLYPH 8u /* no face has it: drawn as the face's box */
#define QUIRE__LM_MARK 16u   /* an FSI or PDI the model added: no text */

typedef struct quire__lm_char {
  size_t off; /* byte offset in the paragraph's text (of the next char for
                 a PDI mark) */
  int32_t cp;
  int32_t draw; /* what is drawn: cp, its Arabic form, a ligature, ' ' */
  float adv;    /* pt, with kerning */
  float kern;   /* kerning with the next drawn char, 1/1000 em (TJ units) */
  unsigned run; /* index into the spec's runs */
  unsigned char len, face, flags, brk;
} quire__lm_char;

typedef struct quire__lm_line {
  size_t start, end; /* chars [start, end) set (trailing spaces trimmed) */
  size_t next;       /* the next line's first char */
  double width;      /* pt: the sum of the set chars' advances */
} quire__lm_line;

typedef struct quire__lm_para {
  char *text; /* the runs' text, one after another (NUL-terminated) */
  size_t len;
  quire__lm_char *chars;
  size_t nchars;
  quire__lm_line *lines;
  size_t nlines;
  int rtl;                /* base direction: the first strong letter's */
  FriBidiParType base;    /* the same, for fribidi_reorder_line */
  FriBidiCharType *types; /* per char */
  FriBidiLevel *levels;   /* per char: the paragraph's embedding levels */
} quire__lm_para;

typedef struct quire__lm_font quire__lm_font; /* process-wide, read-only */

/* One engine's faces: [role * QUIRE__HFONT_FACES + face], then fallbacks. */
typedef struct quire__lm_fonts {
  const quire__hfont_paths *paths; /* borrowed */
  const quire__lm_font *face[QUIRE__LM_FACES];
  signed char state[QUIRE__LM_FACES]; /* 0 not read, 1 read, -1 unusable */
} quire__lm_fonts;

/* Faces of paths (borrowed for fonts' life); read lazily. */
void quire__lm_fonts_init(quire__lm_fonts *fonts,
                          const quire__hfont_paths *paths);

/* 1 when face i can be measured (its file reads as a TrueType font). */
int quire__lm_face_ok(quire__lm_fonts *fonts, int i);

/* Measures spec's runs and breaks them into lines at spec->width (<= 0:
 * only at forced breaks). p is filled (dispose with quire__lm_para_dispose,
 * also after a failure). Errors: QUIRE_ENOMEM, QUIRE_EFONT (no face of a
 * run's role reads). */
int quire__lm_para_new(quire__lm_para *p, quire__lm_fonts *fonts,
                       const quire__para_spec *spec);
void quire__lm_para_dispose(quire__lm_para *p);

/* The glyph of cp in face i, from the cmap the model measures with (0:
 * none, or the face is unusable). */
unsigned quire__lm_glyph(quire__lm_fonts *fonts, int i, int32_t cp);

/* The advance of cp in face i, per em (0 when the face is unusable). */
double quire__lm_advance(quire__lm_fonts *fonts, int i, int32_t cp);

/* A drawn character's glyph in face i: its id (0: none), its advance in
 * font units (no kerning), the face's units per em and its hhea ascender
 * and descender (font units, the descender negative). For an engine that
 * paints the model's characters itself (paint/cairo.c). Errors:
 * QUIRE_EFONT (the face does not read). */
typedef struct quire__lm_glyph_info {
  unsigned gid;
  unsigned adv;
  unsigned upem;
  int ascender, descender;
} quire__lm_glyph_info;
int quire__lm_glyph_units(quire__lm_fonts *fonts, int i, int32_t cp,
                          quire__lm_glyph_info *out);

#endif
