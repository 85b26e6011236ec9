/* The cairo engine's side of cairo_module.h: its entry points and the
 * running versions of the libraries only it links (pango, HarfBuzz and
 * glib: its pango half's, cairo_pango.h). */
#include "paint/cairo_module.h"

#include "paint/cairo.h"
#include "paint/cairo_pango.h"
#include "paint/fonts_cairo.h"

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <png.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static int S_create(void **out, int png, const quire__engine_opts *o,
                    quire_error *err) {
  quire__cairo *c = NULL;
  int rc = quire__cairo_new(&c, png, o, err);
  *out = c;
  return rc;
}

static void S_destroy(void *engine) { quire__cairo_free(engine); }

static const quire__backend *S_backend(void *engine) {
  return quire__cairo_backend(engine);
}

/* fontconfig gives its version as a number: formatted once. */
static pthread_once_t S_once = PTHREAD_ONCE_INIT;
static char S_fc[32];

static void S_format(void) {
  int fc = FcGetVersion(); /* 21400 is 2.14.0 */
  snprintf(S_fc, sizeof S_fc, "%d.%d.%d", fc / 10000, fc / 100 % 100, fc % 100);
}

static const char *S_running(const char *library, int load) {
  if (!strcmp(library, "cairo"))
    return cairo_version_string();
  if (!strcmp(library, "libpng"))
    return png_get_libpng_ver(NULL);
  if (!strcmp(library, "fontconfig")) {
    pthread_once(&S_once, S_format);
    return S_fc;
  }
  if (!strcmp(library, "pango") || !strcmp(library, "harfbuzz") ||
      !strcmp(library, "glib")) {
    const quire__cairo_pango_module *m = quire__cairo_pango_get(load, NULL);
    return m ? m->running(library) : NULL;
  }
  return NULL;
}

const quire__cairo_module quire__cairo_builtin = {
    .abi = QUIRE__CAIRO_MODULE_ABI,
    .version = QUIRE_VERSION_STRING,
    .opts_size = sizeof(quire__engine_opts),
    .backend_size = sizeof(quire__backend),
    .error_size = sizeof(quire_error),
    .create = S_create,
    .destroy = S_destroy,
    .backend = S_backend,
    .running = S_running,
    .fontconfig_default = quire__fonts_make_default,
};
