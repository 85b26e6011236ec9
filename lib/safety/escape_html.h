/* HTML escaping for the three places report text lands: element text,
 * quoted attribute values, and URL attributes (href). Table driven, like
 * cmark's houdini: one 256-entry byte-class table, no per-renderer
 * hand-escaping. */
#ifndef QUIRE_ESCAPE_HTML_H
#define QUIRE_ESCAPE_HTML_H

#include "internal.h"

/*
 * Appends s (len bytes) to out escaped for HTML text and for double- or
 * single-quoted attribute values alike: & < > " ' become entities, NUL and
 * other C0 controls except tab/newline/CR become U+FFFD (the HTML parser
 * would reject or mangle them). Returns quire_buf_failed(out).
 */
int quire__escape_html(quire_buf *out, const char *s, size_t len);

/*
 * Appends url to out percent-escaped for an href: bytes outside RFC 3986's
 * unreserved and reserved sets (spaces, controls, quotes, <, >, backslash,
 * backtick, non-ASCII) become %XX. The result still needs HTML attribute
 * escaping (& and ' stay as they are), which the template engine does for
 * every {{value}}. It does not judge the scheme: check
 * quire__html_href_ok() first. Returns quire_buf_failed(out).
 */
int quire__escape_href(quire_buf *out, const char *url, size_t len);

/* 1 when url may become an href in HTML output: http, https or mailto,
 * per quire__url_is_safe(). NULL is not. */
int quire__html_href_ok(const char *url);

#endif
