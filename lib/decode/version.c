/* The versions of the libraries decode/ reads reports with, for
 * quire_build_component. */
#include "version.h"

#include <cmark-gfm.h>
#include <cmark-gfm_version.h>
#include <jansson.h>

static const char *S_jansson(int load) {
  (void)load;
  return jansson_version_str();
}

static const char *S_cmark(int load) {
  (void)load;
  return cmark_version_string();
}

static const quire__component S_components[] = {
    {"jansson", JANSSON_VERSION, S_jansson},
    {"cmark-gfm", CMARK_GFM_VERSION_STRING, S_cmark},
};

const quire__component *quire__decode_components(size_t *n) {
  *n = sizeof S_components / sizeof S_components[0];
  return S_components;
}
