/* libcurl's version for quire_build_component. libcurl is loaded on first
 * use (curl_dlopen.c), so asking its running version without `load` must
 * not load it: that would put its two dozen libraries into every process
 * that only wanted to print the build information. */
#include "version.h"

#ifdef QUIRE_HAVE_CURL
#include <curl/curl.h>

static const curl_version_info_data *S_info(int load) {
  if (!load && !quire__curl_loaded())
    return NULL;
  return curl_version_info(CURLVERSION_NOW); /* NULL: cannot be loaded */
}

static const char *S_curl(int load) {
  const curl_version_info_data *d = S_info(load);
  return d ? d->version : NULL;
}

/* The TLS library libcurl was built with, as libcurl names it
 * ("OpenSSL/3.0.17"); its headers are not ours, so no build version. */
static const char *S_tls(int load) {
  const curl_version_info_data *d = S_info(load);
  if (!d)
    return NULL;
  return d->ssl_version ? d->ssl_version : "";
}

static const quire__component S_components[] = {
    {"libcurl", LIBCURL_VERSION, S_curl},
    {"libcurl-tls", "", S_tls},
};

const quire__component *quire__fetch_components(size_t *n) {
  *n = sizeof S_components / sizeof S_components[0];
  return S_components;
}
#else
const quire__component *quire__fetch_components(size_t *n) {
  *n = 0;
  return NULL;
}
#endif
