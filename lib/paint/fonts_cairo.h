/* Fonts for the pango/cairo engine: a private fontconfig configuration
 * holding only the files the font map (fonts/fontmap.json) names, so
 * output does not depend on whatever else is installed. Only the cairo
 * engine's files include this header (it needs fontconfig). */
#ifndef QUIRE_PAINT_FONTS_CAIRO_H
#define QUIRE_PAINT_FONTS_CAIRO_H

#include "core/fontmap.h"

#include <fontconfig/fontconfig.h>

#define QUIRE__FONTFIND_ROLES 3 /* body, heading, mono (backend.h order) */
#define QUIRE__FONTFIND_MAX_EXTRA                                              \
  8 /* system fonts added for lone characters                                  \
     */

/*
 * One render's fonts. Scanning the mapped font files (FreeType opens each
 * one and computes its character set; the CJK fallback alone is 5 MB) is
 * most of the setup cost, so the configuration holding them is built once
 * per process and shared, read-only, by every render on every thread
 * (fontconfig is thread-safe for reads; nothing mutates it after it is
 * built). A render that needs a system font for a script the mapped fonts
 * lack gets a private copy of that configuration plus the added files, so
 * what one render pulls in can never change another render's output.
 */
typedef struct quire__fontset {
  const quire__fontmap *map; /* borrowed; outlives the fontset */
  FcConfig *config;          /* a reference: the shared base, or this render's
                                private copy once a system font was added */
  FcCharSet *coverage;       /* a reference: union of config's characters */
  int own;                   /* config is this render's private copy */
  int extra;                 /* system fonts added so far */
  char family[QUIRE__FONTFIND_ROLES][64]; /* family each role resolved to */
  quire_warn_fn warn;                     /* may be NULL */
  void *warn_payload;
  int32_t warned[64]; /* characters already reported (bounded) */
  int nwarned;
} quire__fontset;

/*
 * Takes a reference to the shared configuration built from map (building
 * it on the first call in the process; a
 * failed build is retried by the next call) and checks that each of the
 * three role families (theme names) resolves to itself; a family that does
 * not is replaced by the first mapped family and reported through warn.
 * Errors: QUIRE_EFONT (no mapped font file exists), QUIRE_ENOMEM,
 * QUIRE_ETEMPLATE (fontmap.json broken).
 */
int quire__fontset_init(quire__fontset *fs, const quire__fontmap *map,
                        const char *const families[3], quire_warn_fn warn,
                        void *warn_payload, quire_error *err);
void quire__fontset_dispose(quire__fontset *fs);

/*
 * Makes sure some font covers cp. When no font of fs->config has it, looks
 * for an installed font that does and adds it to this render's private
 * configuration (at most QUIRE__FONTFIND_MAX_EXTRA per render); when none
 * has it, warns once. Returns 1 when fs->config changed: either it is now
 * a new private configuration (fs->own just became 1: the caller needs a
 * font map for it) or the private one gained a file (the caller tells
 * pango). Else 0.
 */
int quire__fontset_cover(quire__fontset *fs, int32_t cp);

/*
 * Frees the shared and system configurations. Only for sanitizer builds at
 * process exit (paint/cairo.c), when no render can be running: fontconfig
 * keeps its internal pointers as offsets, which LeakSanitizer cannot
 * follow, so anything of it still alive at exit is reported as a leak.
 */
void quire__fonts_release(void);

/* quire_global_fontconfig_default (quire.h): the shared configuration,
 * when it is built after this call, becomes fontconfig's current one. */
void quire__fonts_make_default(void);

/* cairo 1.16 deadlocks two threads doing glyph work at once when its
 * process-wide glyph cache evicts (fonts_cairo.c says how): every call
 * that measures, draws or subsets glyphs holds this lock. Recursive, so a
 * render nested in a warn callback on the same thread goes on; a no-op
 * with a cairo that has the fix (1.18 on). */
void quire__cairo_glyphs_lock(void);
void quire__cairo_glyphs_unlock(void);
/* Whether the lock above is taken (cairo before 1.18): then no two
 * threads ever do glyph work at once. */
int quire__cairo_glyphs_serialized(void);

#endif
