/* Which URLs from a report may become links: http(s), and mailto where a
 * person clicks it. Everything else (javascript:, data:, file:, relative
 * paths that would resolve against wherever the file is opened) is dropped. */
#ifndef QUIRE_URL_POLICY_H
#define QUIRE_URL_POLICY_H

#define QUIRE__URL_ALLOW_MAILTO 1u

/* 1 when url is absolute http(s) (or mailto with the flag), has a host, and
 * contains no whitespace or control characters. */
int quire__url_is_safe(const char *url, unsigned flags);

#endif
