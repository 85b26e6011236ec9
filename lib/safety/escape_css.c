#include "safety/escape_css.h"

#include <string.h>

/* Inert in a CSS string and in HTML raw text: kept as they are. Anything
 * else ASCII is escaped, which is always correct in CSS, so the list only
 * needs to be short, not complete. */
static int S_plain(unsigned char ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
         (ch >= '0' && ch <= '9') || ch == ' ' || ch == '.' || ch == ',' ||
         ch == ':' || ch == ';' || ch == '-' || ch == '_' || ch == '!' ||
         ch == '?' || ch == '(' || ch == ')' || ch == '+' || ch == '=' ||
         ch == '#' || ch == '%' || ch == '@' || ch == '|';
}

int quire__escape_css_string(quire_buf *out, const char *s, size_t len,
                             size_t max_bytes) {
  static const char hex[] = "0123456789abcdef";
  int cut = 0;
  if (!s)
    len = 0;
  if (len > max_bytes) {
    len = max_bytes;
    /* Back up to a character boundary: never half a UTF-8 sequence. */
    while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
      len--;
    cut = 1;
  }
  for (size_t i = 0; i < len; i++) {
    unsigned char ch = (unsigned char)s[i];
    if (ch >= 0x80 || S_plain(ch)) {
      quire_buf_putc(out, (char)ch);
    } else if (ch < 0x20 || ch == 0x7F) {
      quire_buf_putc(out, ' ');
    } else {
      char esc[5] = {'\\', hex[ch >> 4], hex[ch & 15], ' ', 0};
      quire_buf_puts(out, esc);
    }
  }
  if (cut)
    quire_buf_puts(out, "\xE2\x80\xA6"); /* … */
  return quire_buf_failed(out);
}
