#include "sanitize.h"

/* Decodes one UTF-8 sequence at p (n bytes available) into *cp. Returns
 * its length, or 0 when it is not valid UTF-8: truncated, a stray
 * continuation byte, overlong, a surrogate or beyond U+10FFFF. */
static size_t S_decode(const unsigned char *p, size_t n, unsigned *cp) {
  unsigned c = p[0];
  size_t len;
  unsigned min;
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  if (c >= 0xc2 && c <= 0xdf) {
    len = 2, min = 0x80, c &= 0x1f;
  } else if (c >= 0xe0 && c <= 0xef) {
    len = 3, min = 0x800, c &= 0x0f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    len = 4, min = 0x10000, c &= 0x07;
  } else {
    return 0;
  }
  if (n < len)
    return 0;
  for (size_t i = 1; i < len; i++) {
    if ((p[i] & 0xc0) != 0x80)
      return 0;
    c = (c << 6) | (p[i] & 0x3f);
  }
  if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
    return 0;
  *cp = c;
  return len;
}

/* Code points that change how a terminal shows what follows them. */
static int S_is_control(unsigned cp) {
  return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) ||
         cp == 0x061c || cp == 0x200e || cp == 0x200f ||
         (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

int cli_sanitize(quire_buf *out, const char *s, size_t len, unsigned flags) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;
  while (i < len) {
    /* Copy the longest run of plain ASCII in one append. */
    size_t run = i;
    while (run < len && p[run] >= 0x20 && p[run] < 0x7f)
      run++;
    if (run > i) {
      quire_buf_put(out, p + i, run - i);
      i = run;
      continue;
    }
    unsigned cp;
    size_t n = S_decode(p + i, len - i, &cp);
    if (n == 0)
      quire_buf_printf(out, "\\x%02x", p[i]);
    else if (cp == '\n' && (flags & CLI_SANITIZE_KEEP_NEWLINES))
      quire_buf_putc(out, '\n');
    else if (cp < 0x80 && S_is_control(cp))
      quire_buf_printf(out, "\\x%02x", cp);
    else if (S_is_control(cp))
      quire_buf_printf(out, "\\u%04x", cp);
    else
      quire_buf_put(out, p + i, n);
    i += n ? n : 1;
  }
  return quire_buf_failed(out);
}
