/* The module's one exported symbol (LIBDIR/quire0/cairo.so only, never in
 * libquire): the loader (cairo_load.c) looks it up with dlsym. Everything
 * else in the module is local (the Makefile's version script), so its own
 * copies of libquire's core helpers never meet the host's. */
#include "paint/cairo_module.h"

__attribute__((visibility("default"))) const quire__cairo_module *
quire_paint_cairo_module(void);

const quire__cairo_module *quire_paint_cairo_module(void) {
  return &quire__cairo_builtin;
}
