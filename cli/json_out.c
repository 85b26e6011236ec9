#include "json_out.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s (n bytes left), or 0. */
static size_t S_utf8_len(const unsigned char *s, size_t n) {
  unsigned c = s[0];
  size_t k;
  unsigned cp;
  if (c < 0x80)
    return 1;
  if (c >= 0xc2 && c <= 0xdf)
    k = 2, cp = c & 0x1f;
  else if (c >= 0xe0 && c <= 0xef)
    k = 3, cp = c & 0x0f;
  else if (c >= 0xf0 && c <= 0xf4)
    k = 4, cp = c & 0x07;
  else
    return 0;
  if (n < k)
    return 0;
  for (size_t i = 1; i < k; i++) {
    if ((s[i] & 0xc0) != 0x80)
      return 0;
    cp = (cp << 6) | (s[i] & 0x3f);
  }
  if ((k == 3 && cp < 0x800) || (k == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
      (cp >= 0xd800 && cp <= 0xdfff))
    return 0;
  return k;
}

void cli_json_str(quire_buf *b, const char *s) {
  if (!s) {
    quire_buf_puts(b, "null");
    return;
  }
  const unsigned char *p = (const unsigned char *)s;
  size_t n = strlen(s);
  quire_buf_putc(b, '"');
  while (n) {
    unsigned c = *p;
    size_t k = S_utf8_len(p, n);
    if (c == '"' || c == '\\') {
      quire_buf_putc(b, '\\');
      quire_buf_putc(b, (char)c);
    } else if (c < 0x20 || c == 0x7f) {
      quire_buf_printf(b, "\\u%04x", c);
    } else if (k == 0) {
      quire_buf_puts(b, "\\ufffd");
      k = 1;
    } else {
      quire_buf_put(b, (const char *)p, k);
    }
    if (!k)
      k = 1;
    p += k;
    n -= k;
  }
  quire_buf_putc(b, '"');
}

void cli_json_key(quire_buf *b, int *first, const char *key) {
  if (!*first)
    quire_buf_putc(b, ',');
  *first = 0;
  cli_json_str(b, key);
  quire_buf_putc(b, ':');
}

/* ---- locating a path ---------------------------------------------------- */

typedef struct S_scan {
  const char *s;
  size_t len, pos;
  unsigned line, col; /* of pos */
} S_scan;

static void S_adv(S_scan *c) {
  if (c->pos >= c->len)
    return;
  unsigned char ch = (unsigned char)c->s[c->pos++];
  if (ch == '\n') {
    c->line++;
    c->col = 1;
  } else if ((ch & 0xc0) != 0x80) {
    c->col++; /* columns count characters, as jansson's do */
  }
}

static void S_ws(S_scan *c) {
  while (c->pos < c->len && strchr(" \t\r\n", c->s[c->pos]))
    S_adv(c);
}

/* Reads a string at pos into out (escapes decoded, capped; \u escapes
 * outside ASCII are kept as '?': keys in paths are matched byte for byte,
 * and one with such an escape is rare enough to be located at its
 * parent). Returns -1 when there is no string. */
static int S_string(S_scan *c, char *out, size_t size) {
  size_t n = 0;
  if (c->pos >= c->len || c->s[c->pos] != '"')
    return -1;
  S_adv(c);
  while (c->pos < c->len && c->s[c->pos] != '"') {
    char ch = c->s[c->pos];
    if (ch == '\\') {
      S_adv(c);
      if (c->pos >= c->len)
        return -1;
      ch = c->s[c->pos];
      switch (ch) {
      case 'n': ch = '\n'; break;
      case 't': ch = '\t'; break;
      case 'r': ch = '\r'; break;
      case 'b': ch = '\b'; break;
      case 'f': ch = '\f'; break;
      case 'u': {
        unsigned v = 0;
        for (int i = 0; i < 4; i++) {
          S_adv(c);
          if (c->pos >= c->len)
            return -1;
          char h = c->s[c->pos];
          v = v * 16 + (unsigned)(h >= 'a'   ? h - 'a' + 10
                                  : h >= 'A' ? h - 'A' + 10
                                             : h - '0');
        }
        ch = v < 0x80 ? (char)v : '?';
        break;
      }
      default: break; /* \" \\ \/ */
      }
    }
    if (n + 1 < size)
      out[n++] = ch;
    S_adv(c);
  }
  if (c->pos >= c->len)
    return -1;
  S_adv(c); /* closing quote */
  if (out)
    out[n < size ? n : size - 1] = '\0';
  return 0;
}

/* Skips one value at pos. */
static int S_skip(S_scan *c, int depth) {
  char tmp[8];
  S_ws(c);
  if (c->pos >= c->len || depth > 4096)
    return -1;
  char ch = c->s[c->pos];
  if (ch == '"')
    return S_string(c, tmp, sizeof tmp);
  if (ch == '{' || ch == '[') {
    char close = ch == '{' ? '}' : ']';
    S_adv(c);
    S_ws(c);
    if (c->pos < c->len && c->s[c->pos] == close) {
      S_adv(c);
      return 0;
    }
    for (;;) {
      if (ch == '{') {
        S_ws(c);
        if (S_string(c, tmp, sizeof tmp) != 0)
          return -1;
        S_ws(c);
        if (c->pos >= c->len || c->s[c->pos] != ':')
          return -1;
        S_adv(c);
      }
      if (S_skip(c, depth + 1) != 0)
        return -1;
      S_ws(c);
      if (c->pos >= c->len)
        return -1;
      if (c->s[c->pos] == close) {
        S_adv(c);
        return 0;
      }
      if (c->s[c->pos] != ',')
        return -1;
      S_adv(c);
    }
  }
  while (c->pos < c->len && !strchr(" \t\r\n,]}", c->s[c->pos]))
    S_adv(c);
  return 0;
}

/* The next segment of path at *p: a key (into key) or an index. Returns 1
 * for a key, 2 for an index, 0 at the end or on anything unexpected. */
static int S_segment(const char **p, char *key, size_t size, size_t *index) {
  const char *s = *p;
  if (*s == '.') {
    size_t n = 0;
    s++;
    while (*s && *s != '.' && *s != '[') {
      if (n + 1 < size)
        key[n++] = *s;
      s++;
    }
    key[n] = '\0';
    *p = s;
    return n ? 1 : 0;
  }
  if (s[0] == '[' && s[1] == '"') {
    const char *end = strstr(s + 2, "\"]");
    if (!end)
      return 0;
    size_t n = (size_t)(end - (s + 2));
    if (n >= size)
      n = size - 1;
    memcpy(key, s + 2, n);
    key[n] = '\0';
    *p = end + 2;
    return 1;
  }
  if (s[0] == '[') {
    char *end;
    *index = strtoul(s + 1, &end, 10);
    if (end == s + 1 || *end != ']')
      return 0;
    *p = end + 1;
    return 2;
  }
  return 0;
}

int cli_json_locate(const char *data, size_t len, const char *path,
                    unsigned *line, unsigned *column) {
  S_scan c = {data, len, 0, 1, 1};
  *line = *column = 0;
  S_ws(&c);
  if (c.pos >= c.len)
    return -1;
  const char *p = path && path[0] == '$' ? path + 1 : "";
  char want[512], key[512];
  size_t index = 0;
  for (;;) {
    *line = c.line;
    *column = c.col;
    int seg = S_segment(&p, want, sizeof want, &index);
    if (!seg)
      return 0;
    char open = c.s[c.pos];
    if ((seg == 1 && open != '{') || (seg == 2 && open != '['))
      return 0;
    S_scan at = c; /* the container: where a missing member is located */
    S_adv(&c);
    int found = 0;
    for (size_t i = 0;; i++) {
      S_ws(&c);
      if (c.pos >= c.len || c.s[c.pos] == '}' || c.s[c.pos] == ']')
        break;
      if (seg == 1) {
        if (S_string(&c, key, sizeof key) != 0)
          return -1;
        S_ws(&c);
        if (c.pos >= c.len || c.s[c.pos] != ':')
          return -1;
        S_adv(&c);
        S_ws(&c);
        if (strcmp(key, want) == 0) {
          found = 1;
          break;
        }
      } else if (i == index) {
        found = 1;
        break;
      }
      if (S_skip(&c, 0) != 0)
        return -1;
      S_ws(&c);
      if (c.pos < c.len && c.s[c.pos] == ',')
        S_adv(&c);
    }
    if (!found) {
      *line = at.line;
      *column = at.col;
      return 0;
    }
  }
}
