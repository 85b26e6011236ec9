#include "safety/escape_html.h"
#include "safety/url_policy.h"

#include <string.h>

/* Byte classes for text/attribute escaping: 0 = copy, 1..5 = the entity in
 * S_entities, 6 = replace with U+FFFD, 7 = the lead byte of U+2000-U+2FFF,
 * which may start a bidi control. */
enum { E_COPY = 0, E_AMP, E_LT, E_GT, E_QUOT, E_APOS, E_CTRL, E_E2 };

static const char *const S_entities[] = {
    "", "&amp;", "&lt;", "&gt;", "&quot;", "&#39;", "\xEF\xBF\xBD"};

#define C6 E_CTRL
static const unsigned char S_html_class[256] = {
    C6,
    C6,
    C6,
    C6,
    C6,
    C6,
    C6,
    C6,
    C6,
    0,
    0,
    C6,
    C6,
    0,
    C6,
    C6, /* 00 */
    C6,
    C6,
    C6,
    C6,
    C6,
    C6,
    C6,
    C6,
    C6,
    C6,
    C6,
    C6,
    C6,
    C6,
    C6,
    C6, /* 10 */
    0,
    0,
    E_QUOT,
    0,
    0,
    0,
    E_AMP,
    E_APOS,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0, /* 20 */
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    E_LT,
    0,
    E_GT,
    0, /* 30 */
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0, /* 40 */
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0, /* 50 */
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0, /* 60 */
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    C6, /* 70 */
    [0xE2] = E_E2,
};
#undef C6

/* Bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069)
 * reorder what a reader sees ("Trojan Source"): report text drops them, as
 * the terminal renderer does. Paragraphs carry dir="auto", which is what
 * direction needs. Marks (U+200E, U+200F) stay: they reorder nothing. */
static int S_bidi_control(const unsigned char *s, size_t left) {
  return left >= 3 && ((s[1] == 0x80 && s[2] >= 0xAA && s[2] <= 0xAE) ||
                       (s[1] == 0x81 && s[2] >= 0xA6 && s[2] <= 0xA9));
}

int quire__escape_html(quire_buf *out, const char *s, size_t len) {
  size_t start = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char cls = S_html_class[(unsigned char)s[i]];
    if (!cls)
      continue;
    if (cls == E_E2) {
      if (!S_bidi_control((const unsigned char *)s + i, len - i))
        continue;
      quire_buf_put(out, s + start, i - start);
      i += 2;
      start = i + 1;
      continue;
    }
    quire_buf_put(out, s + start, i - start);
    quire_buf_puts(out, S_entities[cls]);
    start = i + 1;
  }
  quire_buf_put(out, s + start, len - start);
  return quire_buf_failed(out);
}

/* 1 for bytes an href may carry as they are: RFC 3986 unreserved, reserved
 * and % (an existing escape is kept, not doubled). */
static int S_url_keep(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
      (c >= '0' && c <= '9'))
    return 1;
  return c && strchr("-._~:/?#[]@!$&'()*+,;=%", c) != NULL;
}

int quire__escape_href(quire_buf *out, const char *url, size_t len) {
  static const char hex[] = "0123456789ABCDEF";
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)url[i];
    if (S_url_keep(c)) {
      quire_buf_putc(out, c);
    } else {
      char pct[3] = {'%', hex[c >> 4], hex[c & 15]};
      quire_buf_put(out, pct, 3);
    }
  }
  return quire_buf_failed(out);
}

int quire__html_href_ok(const char *url) {
  return url && quire__url_is_safe(url, QUIRE__URL_ALLOW_MAILTO);
}
