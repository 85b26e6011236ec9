/*
 * The cairo engine's pango half, a module of its own. Most paragraphs
 * (Latin, Greek or Cyrillic text in the roles' own faces, links and
 * strike-through included) are painted by cairo.c from the line model's
 * glyphs, with no pango at all; only a paragraph that needs shaping
 * (right-to-left or mixed scripts, marks, fallback fonts, tabs) needs
 * pango, HarfBuzz, glib and gobject. Loading and relocating those (9.2 M
 * of the 11.2 M instructions the cairo module cost a CLI render with
 * them linked in) is paid only then: cairo_pango.c is built into
 * LIBDIR/quire0/cairo-pango.so, beside cairo.so, which loads it
 * (cairo_pango_load.c) the first time a render needs it, and for
 * `quire --version`'s running pango, HarfBuzz and glib. A program that
 * builds the engine in (-Wl,-u,quire__cairo_builtin) builds this half
 * in too (-Wl,-u,quire__cairo_pango_builtin); then nothing is loaded.
 *
 * Only the cairo engine's files include this header (it needs cairo).
 */
#ifndef QUIRE_PAINT_CAIRO_PANGO_H
#define QUIRE_PAINT_CAIRO_PANGO_H

#include "layout/backend.h"
#include "paint/fonts_cairo.h"

#include <cairo.h>

/* Raised whenever this table or anything it passes (quire__para_spec,
 * quire__run, quire__fontset, quire__cpango_host) changes shape; the loader
 * also compares the quire version and the sizes below. */
#define QUIRE__CAIRO_PANGO_ABI 1

/* One render's pango state: its font map and context (the thread's cached
 * ones, or its own after a fallback font changed its configuration). */
typedef struct quire__cpango quire__cpango;
/* One paragraph set by pango (a PangoLayout). */
typedef struct quire__cpango_para quire__cpango_para;

/* A line of a pango paragraph, pt. */
typedef struct quire__cpango_line {
  double lx;  /* logical left edge in the layout's coordinates */
  double asc; /* from the logical top to the baseline */
  double lh;  /* logical height */
  double pw;  /* logical width */
} quire__cpango_line;

/* What the pango half calls back: cairo.so's glyph lock (fonts_cairo.h),
 * the one lock of the process. */
typedef struct quire__cpango_host {
  void (*lock)(void);
  void (*unlock)(void);
  int (*serialized)(void);
} quire__cpango_host;

typedef struct quire__cairo_pango_module {
  unsigned abi;        /* QUIRE__CAIRO_PANGO_ABI */
  const char *version; /* QUIRE_VERSION_STRING it was built from */
  size_t spec_size;    /* sizeof(quire__para_spec) */
  size_t run_size;     /* sizeof(quire__run) */
  size_t fontset_size; /* sizeof(quire__fontset) */
  size_t host_size;    /* sizeof(quire__cpango_host) */
  /* Once, before anything else (the loader calls it). */
  void (*init)(const quire__cpango_host *host);
  /* A render's pango state on fonts (borrowed; outlives it). Errors:
   * QUIRE_EFONT, QUIRE_ENOMEM. */
  int (*render_new)(quire__cpango **out, const quire__fontset *fonts);
  void (*render_free)(quire__cpango *pg);
  /* fonts->config changed (quire__fontset_cover returned 1). */
  int (*fonts_changed)(quire__cpango *pg);
  /* Sets text (len bytes, valid UTF-8, its lines already cut by U+2028)
   * with spec's runs at the byte ranges range[2 i], range[2 i + 1] (equal:
   * the run adds nothing). Errors: QUIRE_ENOMEM. */
  int (*para_new)(quire__cpango *pg, quire__cpango_para **out, const char *text,
                  size_t len, const quire__para_spec *spec, const size_t *range,
                  size_t *nlines);
  void (*para_line)(const quire__cpango_para *pp, size_t i,
                    quire__cpango_line *out);
  void (*para_free)(quire__cpango_para *pp);
  /* Paints line i with its baseline's left end at (x, base). Errors:
   * QUIRE_ENOMEM. */
  int (*paint_line)(cairo_t *cr, const quire__cpango_para *pp, size_t i,
                    double x, double base);
  /* The x ranges of bytes [start, end) on line i, in the layout's
   * coordinates (pango units), each given to fn. */
  void (*x_ranges)(const quire__cpango_para *pp, size_t i, int start, int end,
                   void (*fn)(void *ctx, int x0, int x1), void *ctx);
  /* "pango", "harfbuzz", "glib": the running version; NULL otherwise. */
  const char *(*running)(const char *library);
  /* Font maps made so far (quire__cairo_fontmaps_made). */
  long (*fontmaps_made)(void);
  /* Sanitizer builds at exit: frees the font maps it keeps. */
  void (*release)(void);
} quire__cairo_pango_module;

/* The half built into this program (cairo_pango.c), or NULL. */
extern const quire__cairo_pango_module quire__cairo_pango_builtin
    __attribute__((weak, visibility("hidden")));

/*
 * The pango half: the built-in one, else the module beside cairo.so,
 * loaded on the first call with load set (once per process; a failure is
 * remembered). Without load, NULL when it is not loaded yet. A failure
 * fills err (may be NULL) with QUIRE_EUNSUPPORTED naming the file and why.
 */
const quire__cairo_pango_module *quire__cairo_pango_get(int load,
                                                        quire_error *err);

#endif
