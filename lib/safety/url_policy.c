#include "safety/url_policy.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

int quire__url_is_safe(const char *url, unsigned flags) {
  if (!url || !*url)
    return 0;
  /* Browsers strip tabs and newlines inside URLs ("java\tscript:"), and
   * controls or spaces have no place in a URL we hand on: refuse outright
   * rather than guess how each consumer would normalise them. */
  for (const unsigned char *p = (const unsigned char *)url; *p; p++)
    if (*p <= 0x20 || *p == 0x7f || *p == '\\' || *p == '"' || *p == '<' ||
        *p == '>' || *p == '`')
      return 0;
  size_t rest;
  if (strncasecmp(url, "https://", 8) == 0)
    rest = 8;
  else if (strncasecmp(url, "http://", 7) == 0)
    rest = 7;
  else if ((flags & QUIRE__URL_ALLOW_MAILTO) &&
           strncasecmp(url, "mailto:", 7) == 0)
    return url[7] != '\0' && strchr(url + 7, '@') != NULL;
  else
    return 0;
  /* A host must follow; "http:///x" or "http://@/" are not links. */
  const char *host = url + rest;
  size_t hl = strcspn(host, "/?#");
  const char *at = memchr(host, '@', hl);
  if (at) {
    hl -= (size_t)(at + 1 - host);
    host = at + 1;
  }
  return hl > 0 && host[0] != ':';
}
