#include "safety/text_policy.h"

#include <stdint.h>
#include <string.h>

quire__tp_class quire__tp_classify(int32_t cp) {
  if (cp >= 0x20 && cp < 0x7F)
    return QUIRE__TP_TEXT;
  if (cp == '\n')
    return QUIRE__TP_NEWLINE;
  if (cp == '\t')
    return QUIRE__TP_TAB;
  if (cp < 0xA0)
    return QUIRE__TP_CONTROL;
  if (cp == 0x061C || cp == 0x200E || cp == 0x200F ||
      (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
    return QUIRE__TP_BIDI;
  if (cp == 0x2028 || cp == 0x2029)
    return QUIRE__TP_LINESEP;
  if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE)
    return QUIRE__TP_NONCHAR;
  return QUIRE__TP_TEXT;
}

/* What a document does with one code point. */
enum { S_KEEP, S_DROP, S_SPACE, S_FFFD };

static int S_action(quire__tp_class c, int32_t cp, unsigned flags) {
  switch (c) {
  case QUIRE__TP_TEXT: return S_KEEP;
  case QUIRE__TP_NEWLINE: return (flags & QUIRE__TP_KEEP_NL) ? S_KEEP : S_SPACE;
  case QUIRE__TP_TAB: return (flags & QUIRE__TP_KEEP_TAB) ? S_KEEP : S_SPACE;
  case QUIRE__TP_LINESEP: return S_SPACE;
  case QUIRE__TP_BIDI:
    return (flags & QUIRE__TP_KEEP_ISOLATES) && cp >= 0x2066 ? S_KEEP : S_DROP;
  case QUIRE__TP_CONTROL:
  case QUIRE__TP_NONCHAR: return S_FFFD;
  }
  return S_FFFD;
}

/* Bytes from i that are printable ASCII (0x20-0x7E), which the policy
 * always keeps: eight at a time while a word holds nothing else (a byte
 * below 0x20 sets its high bit in x - 0x20.., DEL in x + 1.., anything
 * non-ASCII in x; none of these misses the lowest such byte). */
static size_t S_printable_run(const char *s, size_t i, size_t len) {
  const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
  while (len - i >= 8) {
    uint64_t x;
    memcpy(&x, s + i, 8);
    if (((x - ones * 0x20) | (x + ones) | x) & high)
      break;
    i += 8;
  }
  while (i < len && (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7F)
    i++;
  return i;
}

int quire__text_clean(quire_buf *out, const char *s, size_t len,
                      unsigned flags) {
  size_t i = 0, clean = 0; /* bytes [clean, i) are copied in one go */
  while (i < len) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c < 0x7F) {
      i = S_printable_run(s, i, len);
      continue;
    }
    int32_t cp;
    int n = quire__utf8_decode(s + i, len - i, &cp);
    int act = n < 0 ? S_FFFD : S_action(quire__tp_classify(cp), cp, flags);
    if (act == S_KEEP) {
      i += (size_t)n;
      continue;
    }
    quire_buf_put(out, s + clean, i - clean);
    if (act == S_SPACE)
      quire_buf_putc(out, ' ');
    else if (act == S_FFFD)
      quire_buf_puts(out, "\xEF\xBF\xBD");
    i += n < 0 ? 1 : (size_t)n;
    clean = i;
  }
  quire_buf_put(out, s + clean, i - clean);
  return quire_buf_failed(out);
}

int quire__text_is_clean(const char *s, size_t len, unsigned flags) {
  size_t i = 0;
  while (i < len) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c < 0x7F) {
      i++;
      continue;
    }
    int32_t cp;
    int n = quire__utf8_decode(s + i, len - i, &cp);
    if (n < 0 || S_action(quire__tp_classify(cp), cp, flags) != S_KEEP)
      return 0;
    i += (size_t)n;
  }
  return 1;
}

int quire__text_field(quire_buf *out, const char *s, size_t len,
                      unsigned flags) {
  if (!len)
    return quire_buf_failed(out);
  quire_buf_puts(out, "\xE2\x81\xA8"); /* FSI */
  quire__text_clean(out, s, len, flags & ~QUIRE__TP_KEEP_ISOLATES);
  quire_buf_puts(out, "\xE2\x81\xA9"); /* PDI */
  return quire_buf_failed(out);
}

int quire__text_visible(quire_buf *out, const char *s, size_t len,
                        unsigned flags) {
  static const char hex[] = "0123456789abcdef";
  size_t i = 0;
  while (i < len) {
    /* The longest run of plain ASCII in one append. */
    size_t run = i;
    while (run < len && (unsigned char)s[run] >= 0x20 &&
           (unsigned char)s[run] < 0x7F)
      run++;
    if (run > i) {
      quire_buf_put(out, s + i, run - i);
      i = run;
      continue;
    }
    int32_t cp;
    int n = quire__utf8_decode(s + i, len - i, &cp);
    if (n < 0) {
      unsigned char b = (unsigned char)s[i];
      char esc[4] = {'\\', 'x', hex[b >> 4], hex[b & 15]};
      quire_buf_put(out, esc, 4);
      i++;
      continue;
    }
    quire__tp_class c = quire__tp_classify(cp);
    if (c == QUIRE__TP_TEXT || c == QUIRE__TP_LINESEP ||
        (c == QUIRE__TP_NEWLINE && (flags & QUIRE__TP_KEEP_NL)) ||
        (c == QUIRE__TP_TAB && (flags & QUIRE__TP_KEEP_TAB))) {
      /* A line separator in a diagnostic is a space: one line stays one. */
      if (c == QUIRE__TP_LINESEP)
        quire_buf_putc(out, ' ');
      else
        quire_buf_put(out, s + i, (size_t)n);
    } else if (cp < 0x80) {
      char esc[4] = {'\\', 'x', hex[(cp >> 4) & 15], hex[cp & 15]};
      quire_buf_put(out, esc, 4);
    } else {
      quire_buf_printf(out, "\\u%04x", (unsigned)cp);
    }
    i += (size_t)n;
  }
  return quire_buf_failed(out);
}

void quire__text_clean_inplace(char *s) {
  if (!s)
    return;
  size_t len = strlen(s);
  for (size_t i = 0; i < len;) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c < 0x7F) {
      i++;
      continue;
    }
    int32_t cp;
    int n = quire__utf8_decode(s + i, len - i, &cp);
    if (n > 0 && quire__tp_classify(cp) == QUIRE__TP_TEXT) {
      i += (size_t)n;
      continue;
    }
    /* one '?' a byte: the length (and what callers cut to fit) stays */
    for (int k = 0; k < (n > 0 ? n : 1); k++)
      s[i++] = '?';
  }
}

int quire_text_sanitize(quire_buf *out, const char *s, size_t len,
                        unsigned flags) {
  if (!out)
    return QUIRE_EINVAL;
  if (!s)
    return quire_buf_failed(out);
  return quire__text_visible(
      out, s, len, (flags & QUIRE_TEXT_KEEP_NEWLINES) ? QUIRE__TP_KEEP_NL : 0);
}
