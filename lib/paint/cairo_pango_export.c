/* The pango module's one exported symbol (LIBDIR/quire0/cairo-pango.so
 * only): cairo.so's loader (cairo_pango_load.c) looks it up with dlsym.
 * Everything else in the module is local (the Makefile's version script). */
#include "paint/cairo_pango.h"

__attribute__((visibility("default"))) const quire__cairo_pango_module *
quire_paint_cairo_pango_module(void);

const quire__cairo_pango_module *quire_paint_cairo_pango_module(void) {
  return &quire__cairo_pango_builtin;
}
