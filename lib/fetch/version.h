#ifndef QUIRE_FETCH_VERSION_H
#define QUIRE_FETCH_VERSION_H
#include "core/component.h"
#include <stddef.h>
/* The libraries the API client calls (libcurl and its TLS library); sets
 * *n, 0 in a build without the client. */
const quire__component *quire__fetch_components(size_t *n);
/* curl_dlopen.c: 1 once libcurl is loaded; never loads it. */
int quire__curl_loaded(void);
#endif
