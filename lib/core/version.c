/* The library's version and the features this build has. */
#include "internal.h"

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
