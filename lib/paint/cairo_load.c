#define _GNU_SOURCE /* dladdr */
/* Finding and loading the cairo engine's module (cairo_module.h says why
 * it is one). */
#include "paint/cairo_module.h"

#include <stdatomic.h>

/* quire_global_fontconfig_default (quire.h): a flag the engine reads when
 * it builds its fonts; nothing to do in a build without cairo. */
static atomic_int S_fc_default;

void quire_global_fontconfig_default(void) { atomic_store(&S_fc_default, 1); }

int quire__cairo_fontconfig_default(void) { return atomic_load(&S_fc_default); }

#ifdef QUIRE_HAVE_CAIRO
#include "paint/module_open.h"

#include <pthread.h>

#define S_MODULE "cairo.so"

static pthread_once_t S_once = PTHREAD_ONCE_INIT;
static const quire__cairo_module *S_mod; /* set once, by S_load */
static char S_why[PATH_MAX + 512];       /* why S_mod is NULL */

/* Beside libquire.so (LIBDIR/quire0/), beside a program in the build tree
 * (build/quire and build/lib/quire0/), then the LIBDIR this library was
 * built for (an installed program that links libquire.a). */
static int S_find(char *path, size_t size) {
  static const char *const rel[] = {"quire0/", "lib/quire0/"};
  return quire__module_find(&S_once, rel, sizeof rel / sizeof rel[0], S_MODULE,
                            path, size);
}

static void S_load(void) {
  if (&quire__cairo_builtin) {
    S_mod = &quire__cairo_builtin;
    return;
  }
  char path[PATH_MAX];
  if (S_find(path, sizeof path) != 0) {
    snprintf(S_why, sizeof S_why, "%s: not found", path);
    return;
  }
  void *sym =
      quire__module_open(path, "quire_paint_cairo_module", S_why, sizeof S_why);
  if (!sym)
    return;
  const quire__cairo_module *(*entry)(void) = NULL;
  memcpy(&entry, &sym, sizeof entry < sizeof sym ? sizeof entry : sizeof sym);
  const quire__cairo_module *m = entry ? entry() : NULL;
  if (!m || m->abi != QUIRE__CAIRO_MODULE_ABI ||
      strcmp(m->version, QUIRE_VERSION_STRING) != 0 ||
      m->opts_size != sizeof(quire__engine_opts) ||
      m->backend_size != sizeof(quire__backend) ||
      m->error_size != sizeof(quire_error)) {
    snprintf(S_why, sizeof S_why,
             "%s: not the module of this libquire (%s); reinstall quire", path,
             m ? m->version : "no entry point");
    return;
  }
  S_mod = m;
}

const quire__cairo_module *quire__cairo_module_get(int load, quire_error *err) {
  if (!load && !&quire__cairo_builtin) {
    /* Asking must not load it; pthread_once has no "done?" question, so
     * look through dlopen's own registry. */
    char path[PATH_MAX];
    if (S_find(path, sizeof path) != 0)
      return NULL;
    void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD);
    if (!lib)
      return NULL;
    dlclose(lib); /* drops only the reference RTLD_NOLOAD took */
  }
  pthread_once(&S_once, S_load);
  if (!S_mod)
    quire__error_set(err, QUIRE_EUNSUPPORTED,
                     "PDF and PNG output need the cairo engine module: %s",
                     S_why);
  return S_mod;
}
#endif
