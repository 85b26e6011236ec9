/*
 * fontmap.h - font files by family, as fonts/fontmap.json lists them.
 *
 * Plain data, immutable once built: template/fontmap.c reads the file, the
 * engines in paint/ choose among the candidates (the first path that
 * exists and that their font library accepts). It lives in core because
 * both sides use it and neither may include the other.
 */
#ifndef QUIRE_CORE_FONTMAP_H
#define QUIRE_CORE_FONTMAP_H

#include "internal.h"

/* Faces, in this order: regular, bold, italic, boldItalic. */
#define QUIRE__FONT_FACES 4

/* Candidate paths for one face, tried in order. */
typedef struct quire__font_paths {
  char **v;
  size_t n;
} quire__font_paths;

typedef struct quire__font_family {
  char *name;                                 /* "DejaVu Sans"; never NULL */
  quire__font_paths faces[QUIRE__FONT_FACES]; /* fallbacks: faces[0] only */
} quire__font_family;

typedef struct quire__fontmap {
  quire__font_family *families; /* the role families, in file order */
  size_t nfamilies;
  quire__font_family *fallbacks; /* fonts for scripts the families lack */
  size_t nfallbacks;
} quire__fontmap;

/* The face keys of fonts/fontmap.json, by index. */
extern const char *const quire__font_face_keys[QUIRE__FONT_FACES];

/* Frees everything; NULL is allowed. */
void quire__fontmap_free(quire__fontmap *map);

#endif
