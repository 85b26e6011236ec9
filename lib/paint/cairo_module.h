/*
 * The cairo engine as a module (paint.h's cairo kinds go through it).
 * cairo, fontconfig, freetype and what they bring are shared libraries
 * whose loading and relocation cost every process time, text and HTML
 * renders and `quire help` included, although only PDF and PNG renders
 * call them. So libquire.so does not link them: the engine's files
 * (cairo.c, png.c, fonts_cairo.c, cairo_module.c, cairo_pango_load.c) are
 * built into a module of their own, LIBDIR/quire0/cairo.so, which the
 * first PDF or PNG render loads (cairo_load.c). pango, harfbuzz and glib
 * are in a second module beside it, loaded only when a paragraph needs
 * pango (cairo_pango.h). A program that links libquire.a may build the
 * engine in instead by linking with -Wl,-u,quire__cairo_builtin and
 * -Wl,-u,quire__cairo_pango_builtin (the tests and fuzz harnesses do);
 * then nothing is loaded.
 */
#ifndef QUIRE_PAINT_CAIRO_MODULE_H
#define QUIRE_PAINT_CAIRO_MODULE_H

#include "paint/paint.h"

/* Raised whenever this table or anything it passes (paint.h, backend.h,
 * quire_error) changes shape; the loader also compares the quire version
 * and the sizes below, so a module from another build is refused rather
 * than called. */
#define QUIRE__CAIRO_MODULE_ABI 2

typedef struct quire__cairo_module {
  unsigned abi;        /* QUIRE__CAIRO_MODULE_ABI */
  const char *version; /* QUIRE_VERSION_STRING it was built from */
  size_t opts_size;    /* sizeof(quire__engine_opts) */
  size_t backend_size; /* sizeof(quire__backend) */
  size_t error_size;   /* sizeof(quire_error) */
  /* quire__cairo_new, _free and _backend (cairo.h) */
  int (*create)(void **out, int png, const quire__engine_opts *o,
                quire_error *err);
  void (*destroy)(void *engine);
  const quire__backend *(*backend)(void *engine);
  /* The loaded library's version ("cairo", "pango", "harfbuzz", "glib",
   * "fontconfig", "libpng"), static storage; NULL for another name. pango,
   * HarfBuzz and glib are the pango half's (cairo_pango.h): NULL when it
   * is not loaded and load is 0. */
  const char *(*running)(const char *library, int load);
  /* quire__fonts_make_default (fonts_cairo.h) */
  void (*fontconfig_default)(void);
} quire__cairo_module;

/* The engine built into this program (cairo_module.c), or NULL: a weak
 * reference, so only a program that asks for it links it in. */
extern const quire__cairo_module quire__cairo_builtin
    __attribute__((weak, visibility("hidden")));

/*
 * The engine: the built-in one, else the module, loaded on the first call
 * with load set (once per process; a failure is remembered). Without load,
 * NULL when it is not loaded yet. A failure fills err (may be NULL) with
 * QUIRE_EUNSUPPORTED naming the file looked for and why it failed.
 */
const quire__cairo_module *quire__cairo_module_get(int load, quire_error *err);

/* Whether the program called quire_global_fontconfig_default (quire.h). */
int quire__cairo_fontconfig_default(void);

#endif
