#include "safety/term_sanitize.h"

/* What happens to one decoded code point. */
enum { S_KEEP, S_DROP, S_SPACE, S_HEX };

static int S_class(int32_t cp, unsigned flags) {
  if (cp == '\n')
    return (flags & QUIRE__TS_KEEP_NL) ? S_KEEP : S_SPACE;
  if (cp == '\t')
    return (flags & QUIRE__TS_KEEP_TAB) ? S_KEEP : S_SPACE;
  /* C0 (ESC, BEL, CR, BS...), DEL and C1: a terminal acts on all of them,
   * and U+009B/U+009D/U+0090 start CSI/OSC/DCS on 8-bit terminals. */
  if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
    return S_HEX;
  /* Trojan-source style reordering: overrides and isolates make the
   * terminal show text in an order other than the bytes'. LRM/RLM stay. */
  if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
    return S_DROP;
  /* Line and paragraph separators break lines in some terminals. */
  if (cp == 0x2028 || cp == 0x2029)
    return S_SPACE;
  return S_KEEP;
}

int quire__term_sanitize(quire_buf *out, const char *s, size_t len,
                         unsigned flags) {
  static const char hex[] = "0123456789abcdef";
  size_t i = 0, clean = 0; /* bytes [clean, i) are copied in one go */
  while (i < len) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c < 0x7F) {
      i++;
      continue;
    }
    int32_t cp;
    int n = quire__utf8_decode(s + i, len - i, &cp);
    int cls = n < 0 ? S_HEX : S_class(cp, flags);
    if (cls == S_KEEP) {
      i += (size_t)n;
      continue;
    }
    quire_buf_put(out, s + clean, i - clean);
    if (n < 0) {
      quire_buf_puts(out, "\xEF\xBF\xBD"); /* U+FFFD */
      n = 1;
    } else if (cls == S_SPACE) {
      quire_buf_putc(out, ' ');
    } else if (cls == S_HEX) {
      char esc[4] = {'\\', 'x', hex[(cp >> 4) & 15], hex[cp & 15]};
      quire_buf_put(out, esc, 4);
    }
    i += (size_t)n;
    clean = i;
  }
  quire_buf_put(out, s + clean, i - clean);
  return quire_buf_failed(out);
}

int quire__term_is_clean(const char *s, size_t len, unsigned flags) {
  size_t i = 0;
  while (i < len) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c < 0x7F) {
      i++;
      continue;
    }
    int32_t cp;
    int n = quire__utf8_decode(s + i, len - i, &cp);
    if (n < 0 || S_class(cp, flags) != S_KEEP)
      return 0;
    i += (size_t)n;
  }
  return 1;
}
