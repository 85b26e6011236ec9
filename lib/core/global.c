#include "internal.h"

#include <pthread.h>

#include <cmark-gfm-core-extensions.h>

/* The only process-wide state: cmark-gfm's extension registry (its own
 * global) and libcurl's global init. pthread_once makes it idempotent and
 * thread-safe, so every entry point can call quire__ensure_init(). */
static pthread_once_t S_once = PTHREAD_ONCE_INIT;
static int S_init_rc;

static void S_init(void) {
  cmark_gfm_core_extensions_ensure_registered();
#ifdef QUIRE_HAVE_CURL
  S_init_rc = quire__fetch_global_init();
#endif
}

int quire__ensure_init(void) {
  pthread_once(&S_once, S_init);
  return S_init_rc;
}

int quire_global_init(void) { return quire__ensure_init(); }

const char *quire_version(void) { return QUIRE_VERSION_STRING; }

unsigned quire_features(void) {
  unsigned f = 0;
#ifdef QUIRE_HAVE_CAIRO
  f |= QUIRE_FEATURE_CAIRO;
#endif
#ifdef QUIRE_HAVE_HARU
  f |= QUIRE_FEATURE_HARU;
#endif
#ifdef QUIRE_HAVE_CURL
  f |= QUIRE_FEATURE_FETCH;
#endif
  return f;
}
