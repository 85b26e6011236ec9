/* The versions of the libraries the PDF and PNG engines of this build call,
 * for quire_build_component. A lean build (PDF=haru) has no cairo, pango,
 * glib, harfbuzz, fontconfig or libpng, and lists none of them. Those six
 * are the cairo engine's module's (cairo_module.h): their headers give the
 * built versions here, the module the running ones once it is loaded. */
#include "version.h"

#include <hpdf.h>
#include <linebreak.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#ifdef QUIRE_HAVE_CAIRO
#include "paint/cairo_module.h"

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <glib.h>
#include <hb.h>
#include <pango/pango.h>
#include <png.h>
#endif
#ifdef QUIRE_HAVE_FRIBIDI
#include <fribidi.h>
#endif

/* Libraries that give their running version as a number are formatted
 * once, into static storage every caller then shares. */
static pthread_once_t S_once = PTHREAD_ONCE_INIT;
static char S_unibreak[16];

static void S_format(void) {
  /* linebreak_version is 0xMMmm (0x0202 is 2.2). */
  snprintf(S_unibreak, sizeof S_unibreak, "%d.%d",
           (linebreak_version >> 8) & 0xff, linebreak_version & 0xff);
}

static const char *S_haru(int load) {
  (void)load;
  return HPDF_GetVersion();
}

static const char *S_unibreak_running(int load) {
  (void)load;
  pthread_once(&S_once, S_format);
  return S_unibreak;
}

#ifdef QUIRE_HAVE_CAIRO
/* Without load, NULL until a render (or a caller with load) loaded the
 * module: asking must not load thirty libraries. */
static const char *S_module(int load, const char *library) {
  const quire__cairo_module *m = quire__cairo_module_get(load, NULL);
  return m ? m->running(library, load) : NULL;
}
static const char *S_cairo(int load) { return S_module(load, "cairo"); }
static const char *S_pango(int load) { return S_module(load, "pango"); }
static const char *S_hb(int load) { return S_module(load, "harfbuzz"); }
static const char *S_glib_running(int load) { return S_module(load, "glib"); }
static const char *S_fc_running(int load) {
  return S_module(load, "fontconfig");
}
static const char *S_png(int load) { return S_module(load, "libpng"); }
#endif

#ifdef QUIRE_HAVE_FRIBIDI
static char S_fribidi_v[32];
static pthread_once_t S_fribidi_once = PTHREAD_ONCE_INIT;
/* fribidi_version_info is "(GNU FriBidi) 1.0.8\ninterface version 4,...":
 * the version is the word after the parenthesis. */
static void S_fribidi_format(void) {
  const char *s = fribidi_version_info;
  const char *p = strchr(s, ')');
  p = p ? p + 1 : s;
  while (*p == ' ')
    p++;
  int n = (int)strcspn(p, " \n");
  snprintf(S_fribidi_v, sizeof S_fribidi_v, "%.*s", n, p);
}
static const char *S_fribidi(int load) {
  (void)load;
  pthread_once(&S_fribidi_once, S_fribidi_format);
  return S_fribidi_v;
}
#endif

static const quire__component S_components[] = {
#ifdef QUIRE_HAVE_CAIRO
    {"cairo", CAIRO_VERSION_STRING, S_cairo},
    {"pango", PANGO_VERSION_STRING, S_pango},
    {"harfbuzz", HB_VERSION_STRING, S_hb},
    {"glib",
     QUIRE__STR(GLIB_MAJOR_VERSION) "." QUIRE__STR(
         GLIB_MINOR_VERSION) "." QUIRE__STR(GLIB_MICRO_VERSION),
     S_glib_running},
    {"fontconfig",
     QUIRE__STR(FC_MAJOR) "." QUIRE__STR(FC_MINOR) "." QUIRE__STR(FC_REVISION),
     S_fc_running},
    {"libpng", PNG_LIBPNG_VER_STRING, S_png},
#endif
    {"libharu", HPDF_VERSION_TEXT, S_haru},
    /* linebreak.h has no version macro. */
    {"libunibreak", "", S_unibreak_running},
#ifdef QUIRE_HAVE_FRIBIDI
    {"fribidi", FRIBIDI_VERSION, S_fribidi},
#endif
};

const quire__component *quire__paint_components(size_t *n) {
  *n = sizeof S_components / sizeof S_components[0];
  return S_components;
}
