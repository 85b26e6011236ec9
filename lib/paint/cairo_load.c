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
#include "quire_moduledir.h" /* QUIRE__MODULE_DIR, from the Makefile */

#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define S_MODULE "cairo.so"

static pthread_once_t S_once = PTHREAD_ONCE_INIT;
static const quire__cairo_module *S_mod; /* set once, by S_load */
static char S_why[PATH_MAX + 512];       /* why S_mod is NULL */

/* The directory of the file holding this code: libquire.so, or the
 * program when libquire.a is linked into it. */
static int S_self_dir(char *dir, size_t size) {
  Dl_info info;
  const char *file = NULL;
  char exe[PATH_MAX];
  if (dladdr(&S_once, &info) && info.dli_fname && strchr(info.dli_fname, '/'))
    file = info.dli_fname;
  else {
    /* The main program's name is "" (or a bare argv[0]) to dladdr. */
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
      return -1;
    exe[n] = '\0';
    file = exe;
  }
  const char *slash = strrchr(file, '/');
  int len = (int)(slash - file);
  if (len == 0)
    len = 1; /* "/quire" */
  return snprintf(dir, size, "%.*s", len, file) < (int)size ? 0 : -1;
}

/* Where the module may be, first found first: beside libquire.so
 * (LIBDIR/quire0/), beside a program in the build tree (build/quire and
 * build/lib/quire0/), and the LIBDIR this library was built for (an
 * installed program that links libquire.a). The first that exists is
 * the one loaded: a broken or mismatched module is reported, never
 * silently passed over for another. */
static int S_find(char *path, size_t size) {
  char dir[PATH_MAX];
  if (S_self_dir(dir, sizeof dir) == 0) {
    static const char *const rel[] = {"quire0/", "lib/quire0/"};
    for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
      if (snprintf(path, size, "%s/%s" S_MODULE, dir, rel[i]) < (int)size &&
          access(path, F_OK) == 0)
        return 0;
    }
  }
  snprintf(path, size, "%s/" S_MODULE, QUIRE__MODULE_DIR);
  return access(path, F_OK) == 0 ? 0 : -1;
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
  /* RTLD_LOCAL: its symbols never meet the host's. RTLD_NOW: a library
   * of the stack that lacks a symbol fails here, with a message, rather
   * than mid-render (RTLD_LAZY saved only 2.1 M of the 10.8 M instructions
   * this load takes). Never closed: its threads' font maps have
   * destructors in it (-z nodelete too). */
  void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    const char *e = dlerror();
    snprintf(S_why, sizeof S_why, "%s", e ? e : path);
    return;
  }
  const quire__cairo_module *(*entry)(void) = NULL;
  void *sym = dlsym(lib, "quire_paint_cairo_module");
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
