/* A host may dlclose() libquire while threads that rendered with it live
 * on (koffi, the Node FFI, does). libquire keeps per-thread caches with
 * thread-exit destructors, so the shared library is linked -z nodelete:
 * without it, the thread's exit below runs a destructor from unmapped
 * code and the process dies with SIGSEGV. */
#include "harness.h"

static void *S_lib;

#include "quire.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef int (*parse_fn)(quire_doc **, const char *, size_t,
                        const quire_parse_options *, quire_error *);
typedef int (*render_fn)(quire_buf *, const quire_doc *, quire_format,
                         const quire_render_options *, quire_error *);
typedef void (*free_fn)(quire_doc *);
typedef void (*dispose_fn)(quire_buf *);

/* POSIX's way to turn dlsym's object pointer into a function pointer. */
static void S_sym(void *out, const char *name) {
  void *p = dlsym(S_lib, name);
  memcpy(out, &p, sizeof p);
}

static pthread_mutex_t S_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t S_cv = PTHREAD_COND_INITIALIZER;
static int S_rendered, S_closed, S_result = -1;

static void *S_worker(void *arg) {
  static const char json[] =
      "{\"id\":\"r\",\"createdAt\":\"2026-01-02T03:04:05Z\",\"markdown\":"
      "\"# Unload\\n\\nA paragraph laid out with the engine's fonts."
      /* and one set by pango, in the engine's pango module (its thread
       * caches have destructors too) */
      "\\n\\n\\u0645\\u0631\\u062d\\u0628\\u0627 "
      "\\u0628\\u0627\\u0644\\u0639\\u0627\\u0644\\u0645\"}";
  parse_fn parse;
  render_fn render;
  free_fn doc_free;
  dispose_fn dispose;
  char *initbyte = dlsym(S_lib, "quire_buf__initbyte");
  quire_format fmt = *(const quire_format *)arg;
  S_sym(&parse, "quire_doc_parse");
  S_sym(&render, "quire_render_buf");
  S_sym(&doc_free, "quire_doc_free");
  S_sym(&dispose, "quire_buf_dispose");
  if (parse && render && doc_free && dispose && initbyte) {
    quire_doc *doc = NULL;
    quire_buf buf = {initbyte, 0, 0, 0, 0};
    if (parse(&doc, json, sizeof json - 1, NULL, NULL) == 0) {
      S_result = render(&buf, doc, fmt, NULL, NULL);
      dispose(&buf);
      doc_free(doc);
    }
  }
  pthread_mutex_lock(&S_mu);
  S_rendered = 1;
  pthread_cond_broadcast(&S_cv);
  while (!S_closed)
    pthread_cond_wait(&S_cv, &S_mu);
  pthread_mutex_unlock(&S_mu);
  return NULL; /* thread-exit destructors run now, after dlclose */
}

int main(void) {
  const char *build = getenv("BUILD");
  char path[1024];
  pthread_t t;
  quire_format fmt = QUIRE_FORMAT_PDF;
  snprintf(path, sizeof path, "%s/lib/libquire.so", build ? build : "build");
  S_lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  T_CHECK(S_lib != NULL, "dlopen %s: %s", path, dlerror());
  if (!S_lib)
    return T_done("test_unload");
  T_INT_EQ(pthread_create(&t, NULL, S_worker, &fmt), 0);
  pthread_mutex_lock(&S_mu);
  while (!S_rendered)
    pthread_cond_wait(&S_cv, &S_mu);
  pthread_mutex_unlock(&S_mu);
  T_INT_EQ(S_result, 0);
  T_INT_EQ(dlclose(S_lib), 0);
  pthread_mutex_lock(&S_mu);
  S_closed = 1;
  pthread_cond_broadcast(&S_cv);
  pthread_mutex_unlock(&S_mu);
  T_INT_EQ(pthread_join(t, NULL), 0);
  T_OK(1); /* reached: the thread exited without a crash */
  return T_done("test_unload");
}
