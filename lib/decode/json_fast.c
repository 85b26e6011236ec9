/* The common case of report JSON, loaded without jansson's lexer.
 *
 * jansson reads its input one character at a time through a stream with
 * UTF-8 checks and copies every string twice; on the benchmark corpus that
 * lexer was more than half of parsing and a quarter of an HTML parse +
 * render (issue 15). This builds the same json_t tree with jansson's own
 * constructors, in the same key order, from a scan of the bytes in place.
 *
 * It takes only what it is sure of: on anything else (a syntax error, a
 * duplicate key, invalid UTF-8, \u0000, a lone surrogate, an integer out
 * of range, nesting deeper than S_MAX_DEPTH, out of memory) it gives up and
 * the caller hands the text to json_loadb, whose answer and error message
 * stand. So every text either gets jansson's own result or a tree equal to
 * it; tests/unit/test_json_fast.c checks both ways. Reals are few in
 * reports and their parsing depends on the locale: jansson parses each
 * one's token itself. */
#include "decode/json_fast.h"

#include "decode/json_budget.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* jansson allows 2048; deeper texts go to jansson, which refuses them
 * past its limit with its own message. */
#define S_MAX_DEPTH 512

typedef struct S_parser {
  const unsigned char *p, *end;
  quire_buf scratch;     /* a string with escapes, decoded */
  uint64_t bytes, limit; /* quire__json_estimate's count so far, its cap */
} S_parser;

/* Byte classes inside a string: 0 plain ASCII, 1 ends or escapes, 2 a
 * control character (invalid), 3 the first byte of a UTF-8 sequence. */
static const unsigned char S_class[256] = {
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* 0x00 */
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* 0x10 */
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x20: '"' */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x30 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x40 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, /* 0x50: '\\' */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x60 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x70 */
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, /* 0x80 */
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3};

/* Skips plain ASCII (class 0) from p: eight bytes at a time while a word
 * has no '"', '\\', control or non-ASCII byte (strings are most of a
 * report), then byte by byte to the first byte that is not plain. */
static const unsigned char *S_skip_plain(const unsigned char *p,
                                         const unsigned char *end) {
  const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
  while (end - p >= 8) {
    uint64_t x, q, b;
    memcpy(&x, p, 8);
    q = x ^ (ones * '"');
    b = x ^ (ones * '\\');
    /* A byte's high bit is set in the first term when it is '"', in the
     * second when '\\', in the third when below 0x20 (none of these
     * misses the lowest such byte), in x when it is not ASCII. */
    if ((((q - ones) & ~q) | ((b - ones) & ~b) | (x - ones * 0x20) | x) & high)
      break;
    p += 8;
  }
  while (p < end && S_class[*p] == 0)
    p++;
  return p;
}

/* Length of the well-formed UTF-8 sequence at p (RFC 3629: no overlong
 * forms, no surrogates, nothing over U+10FFFF), or 0. */
static size_t S_utf8(const unsigned char *p, const unsigned char *end) {
  unsigned c = p[0];
  size_t n = end - p;
  if (c >= 0xC2 && c <= 0xDF)
    return n >= 2 && (p[1] & 0xC0) == 0x80 ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (n < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
      return 0;
    if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0))
      return 0; /* overlong, or a surrogate */
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (n < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
        (p[3] & 0xC0) != 0x80)
      return 0;
    if ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] >= 0x90))
      return 0; /* overlong, or over U+10FFFF */
    return 4;
  }
  return 0;
}

static void S_ws(S_parser *ps) {
  while (ps->p < ps->end &&
         (*ps->p == ' ' || *ps->p == '\n' || *ps->p == '\r' || *ps->p == '\t'))
    ps->p++;
}

static int S_hex4(const unsigned char *p, unsigned *out) {
  unsigned v = 0;
  for (int i = 0; i < 4; i++) {
    unsigned c = p[i], d;
    if (c >= '0' && c <= '9')
      d = c - '0';
    else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
      d = (c | 0x20) - 'a' + 10;
    else
      return -1;
    v = v << 4 | d;
  }
  *out = v;
  return 0;
}

static void S_put_cp(quire_buf *b, unsigned cp) {
  char u[4];
  size_t n;
  if (cp < 0x80) {
    u[0] = (char)cp;
    n = 1;
  } else if (cp < 0x800) {
    u[0] = (char)(0xC0 | cp >> 6);
    u[1] = (char)(0x80 | (cp & 0x3F));
    n = 2;
  } else if (cp < 0x10000) {
    u[0] = (char)(0xE0 | cp >> 12);
    u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[2] = (char)(0x80 | (cp & 0x3F));
    n = 3;
  } else {
    u[0] = (char)(0xF0 | cp >> 18);
    u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[3] = (char)(0x80 | (cp & 0x3F));
    n = 4;
  }
  quire_buf_put(b, u, n);
}

/* The rest of a string with escapes, from ps->p (just after the first
 * backslash's run start, at start) into the scratch buffer. */
static int S_string_escaped(S_parser *ps, const unsigned char *start,
                            const char **s, size_t *n) {
  quire_buf *b = &ps->scratch;
  quire_buf_clear(b);
  quire_buf_put(b, start, (size_t)(ps->p - start));
  const unsigned char *p = ps->p, *end = ps->end;
  for (;;) {
    const unsigned char *run = p;
    p = S_skip_plain(p, end);
    if (p >= end)
      return -1;
    if (S_class[*p] == 3) {
      size_t k = S_utf8(p, end);
      if (!k)
        return -1;
      p += k;
      quire_buf_put(b, run, (size_t)(p - run));
      continue;
    }
    quire_buf_put(b, run, (size_t)(p - run));
    if (*p == '"')
      break;
    if (*p != '\\' || end - p < 2)
      return -1; /* a control character */
    unsigned char e = p[1];
    p += 2;
    const char *simple = NULL;
    switch (e) {
    case '"': simple = "\""; break;
    case '\\': simple = "\\"; break;
    case '/': simple = "/"; break;
    case 'b': simple = "\b"; break;
    case 'f': simple = "\f"; break;
    case 'n': simple = "\n"; break;
    case 'r': simple = "\r"; break;
    case 't': simple = "\t"; break;
    case 'u': break;
    default: return -1;
    }
    if (simple) {
      quire_buf_putc(b, simple[0]);
      continue;
    }
    unsigned cp, lo;
    if (end - p < 4 || S_hex4(p, &cp))
      return -1;
    p += 4;
    if (cp == 0 || (cp >= 0xDC00 && cp <= 0xDFFF))
      return -1; /* \u0000, or a lone low surrogate */
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      if (end - p < 6 || p[0] != '\\' || p[1] != 'u' || S_hex4(p + 2, &lo) ||
          lo < 0xDC00 || lo > 0xDFFF)
        return -1;
      p += 6;
      cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
    }
    S_put_cp(b, cp);
  }
  if (quire_buf_failed(b))
    return -1;
  ps->p = p + 1;
  *s = b->ptr ? b->ptr : "";
  *n = b->size;
  return 0;
}

/* A string at ps->p (on its opening quote): *s and *n are the decoded
 * bytes, in the input when it has no escapes, else in the scratch
 * buffer. */
static int S_string(S_parser *ps, const char **s, size_t *n) {
  const unsigned char *p = ++ps->p, *end = ps->end, *start = p;
  for (;;) {
    p = S_skip_plain(p, end);
    if (p >= end)
      return -1;
    if (*p == '"')
      break;
    if (S_class[*p] == 3) {
      size_t k = S_utf8(p, end);
      if (!k)
        return -1;
      p += k;
      continue;
    }
    if (*p != '\\')
      return -1; /* a control character */
    ps->p = p;
    return S_string_escaped(ps, start, s, n);
  }
  *s = (const char *)start;
  *n = (size_t)(p - start);
  ps->p = p + 1;
  return 0;
}

static json_t *S_number(S_parser *ps) {
  const unsigned char *p = ps->p, *end = ps->end, *start = p;
  int neg = 0, real = 0;
  if (p < end && *p == '-') {
    neg = 1;
    p++;
  }
  if (p >= end || *p < '0' || *p > '9')
    return NULL;
  if (*p == '0') {
    p++;
    if (p < end && *p >= '0' && *p <= '9')
      return NULL; /* a leading zero */
  } else {
    while (p < end && *p >= '0' && *p <= '9')
      p++;
  }
  if (p < end && *p == '.') {
    real = 1;
    p++;
    if (p >= end || *p < '0' || *p > '9')
      return NULL;
    while (p < end && *p >= '0' && *p <= '9')
      p++;
  }
  if (p < end && (*p == 'e' || *p == 'E')) {
    real = 1;
    p++;
    if (p < end && (*p == '+' || *p == '-'))
      p++;
    if (p >= end || *p < '0' || *p > '9')
      return NULL;
    while (p < end && *p >= '0' && *p <= '9')
      p++;
  }
  ps->p = p;
  if (real) /* jansson's own conversion: locale, overflow and all */
    return json_loadb((const char *)start, (size_t)(p - start), JSON_DECODE_ANY,
                      NULL);
  /* An integer: json_int_t is long long; out of range goes to jansson. */
  uint64_t v = 0;
  for (const unsigned char *d = start + neg; d < p; d++) {
    if (v > (UINT64_MAX - 9) / 10)
      return NULL;
    v = v * 10 + (uint64_t)(*d - '0');
  }
  if (neg ? v > (uint64_t)INT64_MAX + 1 : v > (uint64_t)INT64_MAX)
    return NULL;
  json_int_t i = neg ? (json_int_t)(0 - v) : (json_int_t)v;
  return json_integer(i);
}

static int S_word(S_parser *ps, const char *w, size_t n) {
  if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, w, n) != 0)
    return -1;
  ps->p += n;
  return 0;
}

/* Adds a value's cost as quire__json_estimate counts it (on a text this
 * loader takes, the two counts agree); 1 when over the limit. */
static int S_cost(S_parser *ps, uint64_t n) {
  ps->bytes += n;
  return ps->bytes > ps->limit;
}

/* The cost of a string or key whose opening quote was at q, ps->p now
 * just past its closing quote. */
static int S_string_cost(S_parser *ps, const unsigned char *q) {
  return S_cost(ps, QUIRE__JSON_COST_STRING + QUIRE__JSON_COST_SLOT +
                        (uint64_t)(ps->p - 1 - q));
}

static json_t *S_value(S_parser *ps, int depth);

static json_t *S_object(S_parser *ps, int depth) {
  json_t *obj = json_object();
  if (!obj)
    return NULL;
  ps->p++;
  S_ws(ps);
  if (ps->p < ps->end && *ps->p == '}') {
    ps->p++;
    return obj;
  }
  for (;;) {
    const char *k;
    size_t kn;
    const unsigned char *q = ps->p;
    if (ps->p >= ps->end || *ps->p != '"' || S_string(ps, &k, &kn) ||
        S_string_cost(ps, q))
      goto fail;
    /* A key with escapes leaves the scratch buffer before the value can
     * use it (rare); any other key is read where it is. */
    char *copy = NULL;
    if (kn && k == ps->scratch.ptr) {
      if (!(copy = malloc(kn)))
        goto fail;
      k = memcpy(copy, k, kn);
    }
    S_ws(ps);
    json_t *v = NULL;
    int bad = ps->p >= ps->end || *ps->p != ':';
    if (!bad) {
      ps->p++;
      S_ws(ps);
      v = S_value(ps, depth);
    }
    /* A duplicate key goes to jansson, which refuses it (it checks the
     * same way, before setting). */
    if (!v || json_object_getn(obj, k, kn) ||
        json_object_setn_new_nocheck(obj, k, kn, v)) {
      json_decref(v);
      bad = 1;
    }
    free(copy);
    if (bad)
      goto fail;
    S_ws(ps);
    if (ps->p >= ps->end)
      goto fail;
    if (*ps->p == '}') {
      ps->p++;
      return obj;
    }
    if (*ps->p != ',')
      goto fail;
    ps->p++;
    S_ws(ps);
  }
fail:
  json_decref(obj);
  return NULL;
}

static json_t *S_array(S_parser *ps, int depth) {
  json_t *arr = json_array();
  if (!arr)
    return NULL;
  ps->p++;
  S_ws(ps);
  if (ps->p < ps->end && *ps->p == ']') {
    ps->p++;
    return arr;
  }
  for (;;) {
    json_t *v = S_value(ps, depth);
    if (!v || json_array_append_new(arr, v))
      goto fail;
    S_ws(ps);
    if (ps->p >= ps->end)
      goto fail;
    if (*ps->p == ']') {
      ps->p++;
      return arr;
    }
    if (*ps->p != ',')
      goto fail;
    ps->p++;
    S_ws(ps);
  }
fail:
  json_decref(arr);
  return NULL;
}

static json_t *S_value(S_parser *ps, int depth) {
  if (ps->p >= ps->end)
    return NULL;
  const unsigned char *q = ps->p;
  switch (*ps->p) {
  case '{':
    return depth < S_MAX_DEPTH &&
                   !S_cost(ps, QUIRE__JSON_COST_OBJECT + QUIRE__JSON_COST_SLOT)
               ? S_object(ps, depth + 1)
               : NULL;
  case '[':
    return depth < S_MAX_DEPTH &&
                   !S_cost(ps, QUIRE__JSON_COST_ARRAY + QUIRE__JSON_COST_SLOT)
               ? S_array(ps, depth + 1)
               : NULL;
  case '"': {
    const char *s;
    size_t n;
    return S_string(ps, &s, &n) || S_string_cost(ps, q)
               ? NULL
               : json_stringn_nocheck(s, n);
  }
  case 't':
    return S_word(ps, "true", 4) || S_cost(ps, QUIRE__JSON_COST_SLOT)
               ? NULL
               : json_true();
  case 'f':
    return S_word(ps, "false", 5) || S_cost(ps, QUIRE__JSON_COST_SLOT)
               ? NULL
               : json_false();
  case 'n':
    return S_word(ps, "null", 4) || S_cost(ps, QUIRE__JSON_COST_SLOT)
               ? NULL
               : json_null();
  default:
    return S_cost(ps, QUIRE__JSON_COST_NUMBER + QUIRE__JSON_COST_SLOT)
               ? NULL
               : S_number(ps);
  }
}

json_t *quire__json_fast(const char *data, size_t len, uint64_t limit,
                         uint64_t *bytes) {
  S_parser ps;
  ps.bytes = 0;
  ps.limit = limit;
  ps.p = (const unsigned char *)data;
  ps.end = ps.p + len;
  quire_buf_init(&ps.scratch, 0);
  S_ws(&ps);
  json_t *root = S_value(&ps, 0);
  S_ws(&ps);
  if (root && ps.p != ps.end) {
    json_decref(root); /* something after the value */
    root = NULL;
  }
  quire_buf_dispose(&ps.scratch);
  if (bytes)
    *bytes = ps.bytes;
  return root;
}
