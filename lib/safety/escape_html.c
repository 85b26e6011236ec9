#include "safety/escape_html.h"
#include "safety/text_policy.h"
#include "safety/url_policy.h"

#include <string.h>

/* Byte classes for text/attribute escaping: 0 = copy, 1..5 = the entity in
 * S_entities, 6 = replace with U+FFFD, 7 = a lead byte that may start a
 * code point the text policy refuses (C1 controls, bidi controls,
 * noncharacters: safety/text_policy.h), decoded and judged there. */
enum { E_COPY = 0, E_AMP, E_LT, E_GT, E_QUOT, E_APOS, E_CTRL, E_MB };

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
    /* U+0080-U+009F; U+061C; U+200E-U+2069; U+FDD0-U+FFFF; planes 1-16 */
    [0xC2] = E_MB,
    [0xD8] = E_MB,
    [0xE2] = E_MB,
    [0xEF] = E_MB,
    [0xF0] = E_MB,
    [0xF1] = E_MB,
    [0xF2] = E_MB,
    [0xF3] = E_MB,
    [0xF4] = E_MB,
};
#undef C6

/* A multi-byte sequence at s: what the text policy makes of it. Bidi
 * controls go (report text must not reorder its neighbours, "Trojan
 * Source"; paragraphs carry dir="auto" for their own direction), C1
 * controls and noncharacters become U+FFFD like C0 ones. Returns the bytes
 * consumed, or 0 when the sequence is copied as it is. */
static size_t S_policy(quire_buf *out, const char *s, size_t left) {
  int32_t cp;
  int n = quire__utf8_decode(s, left, &cp);
  if (n < 0) {
    quire_buf_puts(out, "\xEF\xBF\xBD");
    return 1;
  }
  switch (quire__tp_classify(cp)) {
  case QUIRE__TP_BIDI: return (size_t)n;
  case QUIRE__TP_CONTROL:
  case QUIRE__TP_NONCHAR: quire_buf_puts(out, "\xEF\xBF\xBD"); return (size_t)n;
  default: return 0;
  }
}

int quire__escape_html(quire_buf *out, const char *s, size_t len) {
  size_t start = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char cls = S_html_class[(unsigned char)s[i]];
    if (!cls)
      continue;
    if (cls == E_MB) {
      quire_buf tmp = QUIRE_BUF_INIT;
      size_t used = S_policy(&tmp, s + i, len - i);
      if (used) {
        quire_buf_put(out, s + start, i - start);
        quire_buf_put(out, tmp.ptr, tmp.size);
        i += used - 1;
        start = i + 1;
      }
      quire_buf_dispose(&tmp);
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
