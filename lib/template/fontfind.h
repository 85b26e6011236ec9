/* Fonts for the pango/cairo engine: a private fontconfig configuration
 * holding only the files fonts/fontmap.json names, so output does not
 * depend on whatever else is installed. Only *_cairo.c / *_pango.c files
 * include this header (it needs fontconfig). */
#ifndef QUIRE_FONTFIND_H
#define QUIRE_FONTFIND_H

#include "internal.h"

#include <fontconfig/fontconfig.h>

#define QUIRE__FONTFIND_ROLES 3 /* body, heading, mono (backend.h order) */
#define QUIRE__FONTFIND_MAX_EXTRA 8 /* system fonts added for lone characters */

typedef struct quire__fontset {
  FcConfig *config;     /* private; only the mapped files */
  FcCharSet *coverage;  /* union of every loaded font's characters */
  FcConfig *system;     /* the system configuration, loaded lazily the
                           first time a character is missing everywhere */
  int extra;            /* system fonts added so far */
  char family[QUIRE__FONTFIND_ROLES][64]; /* family each role resolved to */
  quire_warn_fn warn;   /* may be NULL */
  void *warn_payload;
  int32_t warned[64];   /* characters already reported (bounded) */
  int nwarned;
} quire__fontset;

/*
 * Builds the private configuration from the built-in fonts/fontmap.json and
 * checks that each of the three role families (theme names) resolves to
 * itself; a family that does not is replaced by the first mapped family
 * and reported through warn. Errors: QUIRE_EFONT (no mapped font file
 * exists), QUIRE_ENOMEM, QUIRE_ETEMPLATE (fontmap.json broken).
 */
int quire__fontset_init(quire__fontset *fs, const char *const families[3],
                        quire_warn_fn warn, void *warn_payload,
                        quire_error *err);
void quire__fontset_dispose(quire__fontset *fs);

/*
 * Makes sure some font covers cp. When no mapped font has it, looks for an
 * installed font that does and adds it (at most QUIRE__FONTFIND_MAX_EXTRA
 * per render); when none has it, warns once. Returns 1 when the private
 * configuration changed (the caller tells pango), else 0.
 */
int quire__fontset_cover(quire__fontset *fs, int32_t cp);

#endif
