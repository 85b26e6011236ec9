/* URLs: ids escaped into path segments, the base URL policy (https, or
 * http to loopback only), and origins for the same-origin redirect rule. */
#include "fetch.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int quire__url_escape_segment(quire_buf *out, const char *s) {
  static const char hex[] = "0123456789ABCDEF";
  /* "." and ".." are dot-segments that a URL resolver would collapse
   * (/v1/reports/.. is /v1/), so their dots are escaped too. */
  size_t n = strlen(s);
  int all_dots = n > 0 && strspn(s, ".") == n;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    unsigned char c = *p;
    int keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
               (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '~' ||
               (c == '.' && !all_dots);
    if (keep)
      quire_buf_putc(out, c);
    else {
      char e[3] = {'%', hex[c >> 4], hex[c & 15]};
      quire_buf_put(out, e, 3);
    }
  }
  return quire_buf_failed(out);
}

int quire__host_is_loopback(const char *host) {
  char tmp[64];
  size_t n = strlen(host);
  if (n >= sizeof tmp)
    return 0;
  if (n && host[n - 1] == '.') /* "localhost." is the same name */
    n--;
  if (n == 9 && strncasecmp(host, "localhost", 9) == 0)
    return 1;
  if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
    host++;
    n -= 2;
  }
  memcpy(tmp, host, n);
  tmp[n] = '\0';
  unsigned char a[16];
  if (inet_pton(AF_INET, tmp, a) == 1)
    return a[0] == 127;
  if (inet_pton(AF_INET6, tmp, a) == 1) {
    static const unsigned char lo[16] = {0, 0, 0, 0, 0, 0, 0, 0,
                                         0, 0, 0, 0, 0, 0, 0, 1};
    static const unsigned char v4mapped[12] = {0, 0, 0, 0, 0,    0,
                                               0, 0, 0, 0, 0xff, 0xff};
    return memcmp(a, lo, 16) == 0 ||
           (memcmp(a, v4mapped, 12) == 0 && a[12] == 127);
  }
  return 0;
}

static char *S_get(CURLU *u, CURLUPart part, unsigned flags) {
  char *v = NULL;
  if (curl_url_get(u, part, &v, flags) != CURLUE_OK)
    return NULL;
  char *copy = quire__strdup(v);
  curl_free(v);
  return copy;
}

static int S_has(CURLU *u, CURLUPart part) {
  char *v = NULL;
  int has = curl_url_get(u, part, &v, 0) == CURLUE_OK && v && *v;
  curl_free(v);
  return has;
}

/* "scheme://host:port", the port always written out so that
 * https://a and https://a:443 compare equal. */
static char *S_origin(CURLU *u) {
  char *scheme = S_get(u, CURLUPART_SCHEME, 0);
  char *host = S_get(u, CURLUPART_HOST, 0);
  char *port = S_get(u, CURLUPART_PORT, CURLU_DEFAULT_PORT);
  char *out = NULL;
  if (scheme && host && port) {
    for (char *p = host; *p; p++)
      if (*p >= 'A' && *p <= 'Z')
        *p = (char)(*p - 'A' + 'a');
    quire_buf b = QUIRE_BUF_INIT;
    quire_buf_printf(&b, "%s://%s:%s", scheme, host, port);
    if (!quire_buf_failed(&b))
      out = quire_buf_detach(&b, NULL);
    quire_buf_dispose(&b);
  }
  free(scheme);
  free(host);
  free(port);
  return out;
}

int quire__base_url_check(char **base_out, char **origin_out, int *loopback_out,
                          const char *url, quire_error *err) {
  *base_out = *origin_out = NULL;
  *loopback_out = 0;
  CURLU *u = curl_url();
  if (!u)
    return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  int rc = 0;
  char *scheme = NULL, *host = NULL, *full = NULL;
  if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK) {
    rc = quire__error_set(err, QUIRE_EINVAL,
                          "base URL '%s' is not an absolute http(s) URL", url);
    goto done;
  }
  scheme = S_get(u, CURLUPART_SCHEME, 0);
  host = S_get(u, CURLUPART_HOST, 0);
  if (!scheme || !host) {
    rc = quire__error_set(err, QUIRE_EINVAL, "base URL '%s' has no host", url);
    goto done;
  }
  int loop = quire__host_is_loopback(host);
  if (strcmp(scheme, "https") != 0 && !(strcmp(scheme, "http") == 0 && loop)) {
    /* The API key travels in a header: plain http would show it to anyone
     * on the path. Loopback stays on this machine (tests, local proxies). */
    rc = quire__error_set(err, QUIRE_EINVAL,
                          "base URL must use https (plain http only to "
                          "127.0.0.1, ::1 or localhost), got '%s://%s'",
                          scheme, host);
    goto done;
  }
  if (S_has(u, CURLUPART_USER) || S_has(u, CURLUPART_PASSWORD)) {
    rc = quire__error_set(err, QUIRE_EINVAL,
                          "base URL must not contain credentials; give the "
                          "API key with CONDUIT_API_KEY or a key file");
    goto done;
  }
  if (S_has(u, CURLUPART_QUERY) || S_has(u, CURLUPART_FRAGMENT)) {
    rc = quire__error_set(err, QUIRE_EINVAL,
                          "base URL must not have a query or fragment");
    goto done;
  }
  full = S_get(u, CURLUPART_URL, 0);
  *origin_out = S_origin(u);
  if (!full || !*origin_out) {
    rc = quire__error_set(err, QUIRE_ENOMEM, "out of memory");
    goto done;
  }
  size_t n = strlen(full);
  while (n && full[n - 1] == '/') /* paths are appended as "/v1/..." */
    full[--n] = '\0';
  *base_out = full;
  full = NULL;
  *loopback_out = loop;
done:
  if (rc) {
    free(*origin_out);
    *origin_out = NULL;
  }
  free(full);
  free(scheme);
  free(host);
  curl_url_cleanup(u);
  return rc;
}

int quire__url_resolve(char **abs_out, char **origin_out, const char *url,
                       const char *location) {
  *abs_out = *origin_out = NULL;
  CURLU *u = curl_url();
  if (!u)
    return -1;
  int rc = -1;
  if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
      curl_url_set(u, CURLUPART_URL, location, 0) == CURLUE_OK &&
      !S_has(u, CURLUPART_USER) && !S_has(u, CURLUPART_PASSWORD)) {
    curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0);
    *abs_out = S_get(u, CURLUPART_URL, 0);
    *origin_out = S_origin(u);
    rc = *abs_out && *origin_out ? 0 : -1;
  }
  if (rc) {
    free(*abs_out);
    free(*origin_out);
    *abs_out = *origin_out = NULL;
  }
  curl_url_cleanup(u);
  return rc;
}
