/*
 * module_open.h - finding and opening one of the cairo engine's modules:
 * cairo.so, which libquire.so loads (cairo_load.c), and cairo-pango.so,
 * which cairo.so loads (cairo_pango_load.c). Static functions in a header
 * because the two loaders live in different binaries and neither links
 * the other. The includer defines _GNU_SOURCE (dladdr) first.
 */
#ifndef QUIRE_PAINT_MODULE_OPEN_H
#define QUIRE_PAINT_MODULE_OPEN_H

#include "quire_moduledir.h" /* QUIRE__MODULE_DIR, from the Makefile */

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Where module `name` may be, first found first: DIR/REL/name for each of
 * rel, DIR the directory of the file holding `self` (a shared object, or
 * the program when the code is linked into it), then the module
 * directory this was built for. The first that exists is the one to load:
 * a broken or mismatched module is reported, never passed over for
 * another. 0 and path when found; -1 and the last path tried. */
static inline int quire__module_find(const void *self, const char *const *rel,
                                     size_t nrel, const char *name, char *path,
                                     size_t size) {
  Dl_info info;
  char exe[PATH_MAX];
  const char *file = NULL;
  if (dladdr(self, &info) && info.dli_fname && strchr(info.dli_fname, '/'))
    file = info.dli_fname;
  else {
    /* The main program's name is "" (or a bare argv[0]) to dladdr. */
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
      exe[n] = '\0';
      file = exe;
    }
  }
  if (file) {
    int len = (int)(strrchr(file, '/') - file); /* 0: "/quire" */
    for (size_t i = 0; i < nrel; i++)
      if (snprintf(path, size, "%.*s/%s%s", len, file, rel[i], name) <
              (int)size &&
          access(path, F_OK) == 0)
        return 0;
  }
  snprintf(path, size, "%s/%s", QUIRE__MODULE_DIR, name);
  return access(path, F_OK) == 0 ? 0 : -1;
}

/* Opens the module at path, RTLD_LOCAL (its symbols never meet the
 * host's) and RTLD_NOW (a library of its stack that lacks a symbol fails
 * here, with a message, rather than mid-render), never to be closed (its
 * threads' caches have destructors in it; -z nodelete too), and returns
 * its entry point `symbol`, for the caller to call through its own type.
 * NULL, with why written, when it cannot be opened or has no such entry. */
static inline void *quire__module_open(const char *path, const char *symbol,
                                       char *why, size_t why_size) {
  void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    const char *e = dlerror();
    snprintf(why, why_size, "%s", e ? e : path);
    return NULL;
  }
  void *sym = dlsym(lib, symbol);
  if (!sym)
    snprintf(why, why_size,
             "%s: not the module of this libquire (no entry point); reinstall "
             "quire",
             path);
  return sym;
}

#endif
