#define _GNU_SOURCE /* dladdr */
/* Finding and loading the cairo engine's pango half (cairo_pango.h says
 * why it is a module of its own). This file is part of the cairo engine:
 * in cairo.so, or built into a program with it. */
#include "paint/cairo_pango.h"

#include "paint/module_open.h"

#include <pthread.h>
#include <stdatomic.h>

#define S_MODULE "cairo-pango.so"

static pthread_once_t S_once = PTHREAD_ONCE_INIT;
static const quire__cairo_pango_module *S_mod; /* set once, by S_load */
static char S_why[PATH_MAX + 512];             /* why S_mod is NULL */
/* S_mod once the module is loaded: what a caller that must not load it
 * reads (asking dlopen with RTLD_NOLOAD shows in LD_DEBUG as a load). */
static _Atomic(const quire__cairo_pango_module *) S_loaded;

/* Beside the file holding this code (cairo.so in LIBDIR/quire0/, or a
 * program that built the engine in, with its module directory beside it
 * as in the build tree), then the LIBDIR this was built for. */
static int S_find(char *path, size_t size) {
  static const char *const rel[] = {"", "quire0/", "lib/quire0/"};
  return quire__module_find(&S_once, rel, sizeof rel / sizeof rel[0], S_MODULE,
                            path, size);
}

static const quire__cpango_host S_host = {
    .lock = quire__cairo_glyphs_lock,
    .unlock = quire__cairo_glyphs_unlock,
    .serialized = quire__cairo_glyphs_serialized,
};

static void S_load(void) {
  if (&quire__cairo_pango_builtin) {
    S_mod = &quire__cairo_pango_builtin;
    S_mod->init(&S_host);
    return;
  }
  char path[PATH_MAX];
  if (S_find(path, sizeof path) != 0) {
    snprintf(S_why, sizeof S_why, "%s: not found", path);
    return;
  }
  void *sym = quire__module_open(path, "quire_paint_cairo_pango_module", S_why,
                                 sizeof S_why);
  if (!sym)
    return;
  const quire__cairo_pango_module *(*entry)(void) = NULL;
  memcpy(&entry, &sym, sizeof entry < sizeof sym ? sizeof entry : sizeof sym);
  const quire__cairo_pango_module *m = entry ? entry() : NULL;
  if (!m || m->abi != QUIRE__CAIRO_PANGO_ABI ||
      strcmp(m->version, QUIRE_VERSION_STRING) != 0 ||
      m->spec_size != sizeof(quire__para_spec) ||
      m->run_size != sizeof(quire__run) ||
      m->fontset_size != sizeof(quire__fontset) ||
      m->host_size != sizeof(quire__cpango_host)) {
    snprintf(S_why, sizeof S_why,
             "%s: not the module of this libquire (%s); reinstall quire", path,
             m ? m->version : "no entry point");
    return;
  }
  m->init(&S_host);
  S_mod = m;
  atomic_store(&S_loaded, m);
}

const quire__cairo_pango_module *quire__cairo_pango_get(int load,
                                                        quire_error *err) {
  if (!load && !&quire__cairo_pango_builtin)
    return atomic_load(&S_loaded); /* asking must not load it */
  pthread_once(&S_once, S_load);
  if (!S_mod)
    quire__error_set(err, QUIRE_EUNSUPPORTED,
                     "this text needs the cairo engine's pango module: %s",
                     S_why);
  return S_mod;
}
