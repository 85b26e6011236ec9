/* Small helpers for text and time in the client. */
#include "fetch.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

void quire__sanitize(char *s) {
  unsigned char *p = (unsigned char *)s;
  while (*p) {
    if (*p < 0x20 || *p == 0x7f) {
      *p++ = '?';
    } else if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) {
      p[0] = '?'; /* C1 control: U+0080..U+009F, CSI among them */
      p[1] = '?';
      p += 2;
    } else if (p[0] == 0xE2 && p[1] &&
               ((p[1] == 0x80 && p[2] >= 0xAA && p[2] <= 0xAE) ||
                (p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9))) {
      /* Bidi embeddings, overrides and isolates reorder what a terminal
       * shows ("Trojan Source"). */
      p[0] = p[1] = p[2] = '?';
      p += 3;
    } else {
      p++;
    }
  }
}

/* memmem is a GNU extension; this is the portable one. */
static void *S_find(const void *hay, size_t hl, const void *needle, size_t nl) {
  const char *h = hay, *end = h + hl;
  if (!nl)
    return (void *)h;
  while (hl >= nl && (h = memchr(h, *(const char *)needle, hl - nl + 1))) {
    if (memcmp(h, needle, nl) == 0)
      return (void *)h;
    h++;
    hl = (size_t)(end - h);
  }
  return NULL;
}

/* Masks with '*' every run of at least QUIRE__REDACT_FRAGMENT bytes of s
 * that also occurs in secret: what is left of a key that someone else cut
 * short (a parser's error text, a server that sends half of it) still says
 * too much. Keys shorter than that are only ever matched whole. */
static void S_mask_fragments(char *s, const char *secret, size_t sl) {
  size_t len = strlen(s);
  const size_t f = QUIRE__REDACT_FRAGMENT;
  if (sl < f || len < f)
    return;
  for (size_t j = 0; j + f <= sl; j++) {
    char *from = s, *hit;
    while ((size_t)(from - s) + f <= len &&
           (hit = S_find(from, len - (size_t)(from - s), secret + j, f)) !=
               NULL) {
      /* The whole run that matches, not just the window. */
      size_t run = f;
      while (j + run < sl && (size_t)(hit - s) + run < len &&
             hit[run] == secret[j + run])
        run++;
      memset(hit, '*', run);
      from = hit + run;
    }
  }
}

void quire__redact(char *s, size_t size, const char *secret) {
  static const char mark[] = "[redacted]";
  size_t sl = secret ? strlen(secret) : 0;
  if (!s || !sl || !size)
    return;
  char *hit, *from = s;
  /* Search on after each replacement: the mark itself may contain the
   * secret (a key "red" would otherwise loop for ever). */
  while ((hit = strstr(from, secret)) != NULL) {
    size_t len = strlen(s);
    size_t ml = sizeof mark - 1;
    if (len - sl + ml < size) {
      memmove(hit + ml, hit + sl, len - (size_t)(hit - s) - sl + 1);
      memcpy(hit, mark, ml);
      from = hit + ml;
    } else {
      memset(hit, '*', sl);
      from = hit + sl;
    }
  }
  S_mask_fragments(s, secret, sl);
}

void quire__clean_copy(char *dst, size_t size, const char *src, size_t n,
                       const char *secret) {
  if (!size)
    return;
  dst[0] = '\0';
  if (!src)
    return;
  /* Redact the whole value first: cut first, and the piece of a key that
   * survives no longer matches it. */
  quire_buf b = QUIRE_BUF_INIT;
  if (quire_buf_put(&b, src, n) == 0 && quire__redact_buf(&b, secret) == 0) {
    src = b.ptr;
    n = b.size;
  } else {
    /* No memory for a copy: nothing at all is safer than an unredacted
     * piece. */
    quire_buf_dispose(&b);
    return;
  }
  if (n >= size) {
    n = size - 1;
    while (n && ((unsigned char)src[n] & 0xC0) == 0x80)
      n--;
  }
  memcpy(dst, src, n);
  dst[n] = '\0';
  quire_buf_dispose(&b);
  /* A NUL inside the value ends it, as it would for the caller. */
  quire__sanitize(dst);
  quire__redact(dst, size, secret);
}

/* Appends the JSON string for s (n bytes) to out, quotes included. */
static void S_json_quote(quire_buf *out, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  quire_buf_putc(out, '"');
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') {
      quire_buf_putc(out, '\\');
      quire_buf_putc(out, c);
    } else if (c < 0x20) {
      char e[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0};
      quire_buf_puts(out, e);
    } else {
      quire_buf_putc(out, c);
    }
  }
  quire_buf_putc(out, '"');
}

static int S_hex4(const char *p, const char *end, unsigned *out) {
  unsigned v = 0;
  if (end - p < 4)
    return -1;
  for (int i = 0; i < 4; i++) {
    char c = p[i];
    v <<= 4;
    if (c >= '0' && c <= '9')
      v |= (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f')
      v |= (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      v |= (unsigned)(c - 'A' + 10);
    else
      return -1;
  }
  *out = v;
  return 0;
}

/* Decodes the escapes of a JSON string body (between the quotes) into out.
 * Returns -1 for an escape that is not JSON's (the text is left alone). */
static int S_json_unescape(quire_buf *out, const char *p, const char *end) {
  while (p < end) {
    if (*p != '\\') {
      quire_buf_putc(out, *p++);
      continue;
    }
    if (++p >= end)
      return -1;
    char c = *p++;
    unsigned cp, lo;
    switch (c) {
    case '"':
    case '\\':
    case '/': quire_buf_putc(out, c); continue;
    case 'b': quire_buf_putc(out, '\b'); continue;
    case 'f': quire_buf_putc(out, '\f'); continue;
    case 'n': quire_buf_putc(out, '\n'); continue;
    case 'r': quire_buf_putc(out, '\r'); continue;
    case 't': quire_buf_putc(out, '\t'); continue;
    case 'u': break;
    default: return -1;
    }
    if (S_hex4(p, end, &cp))
      return -1;
    p += 4;
    if (cp >= 0xD800 && cp < 0xDC00 && end - p >= 6 && p[0] == '\\' &&
        p[1] == 'u' && S_hex4(p + 2, end, &lo) == 0 && lo >= 0xDC00 &&
        lo < 0xE000) {
      cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
      p += 6;
    }
    char u[4];
    size_t k;
    if (cp < 0x80) {
      u[0] = (char)cp, k = 1;
    } else if (cp < 0x800) {
      u[0] = (char)(0xC0 | cp >> 6), u[1] = (char)(0x80 | (cp & 63)), k = 2;
    } else if (cp < 0x10000) {
      u[0] = (char)(0xE0 | cp >> 12), u[1] = (char)(0x80 | (cp >> 6 & 63));
      u[2] = (char)(0x80 | (cp & 63)), k = 3;
    } else {
      u[0] = (char)(0xF0 | cp >> 18), u[1] = (char)(0x80 | (cp >> 12 & 63));
      u[2] = (char)(0x80 | (cp >> 6 & 63)), u[3] = (char)(0x80 | (cp & 63));
      k = 4;
    }
    quire_buf_put(out, u, k);
  }
  return 0;
}

/* Replaces every literal occurrence of secret in b with the mark. Returns
 * 1 when it replaced any, 0 when none, < 0 on failure (b is then left
 * as it was). */
static int S_redact_literal(quire_buf *b, const char *secret, size_t sl) {
  if (!S_find(b->ptr, b->size, secret, sl))
    return 0;
  quire_buf out = QUIRE_BUF_INIT;
  const char *p = b->ptr, *end = b->ptr + b->size, *hit;
  while ((hit = S_find(p, (size_t)(end - p), secret, sl)) != NULL) {
    quire_buf_put(&out, p, (size_t)(hit - p));
    quire_buf_puts(&out, "[redacted]");
    p = hit + sl;
  }
  quire_buf_put(&out, p, (size_t)(end - p));
  if (quire_buf_failed(&out)) {
    quire_buf_dispose(&out);
    return QUIRE_ENOMEM;
  }
  size_t max = b->max;
  quire_buf_dispose(b);
  *b = out;
  b->max = max;
  return 1;
}

/* The JSON strings of b that hold escapes: a server can spell the key
 * "\u0073k_..." and the decoder would hand it over whole. Each such string
 * that decodes to text with the key in it is written again, redacted. */
static int S_redact_escaped(quire_buf *b, const char *secret, size_t sl) {
  quire_buf out = QUIRE_BUF_INIT, tmp = QUIRE_BUF_INIT;
  const char *p = b->ptr, *end = b->ptr + b->size, *copied = b->ptr;
  int changed = 0, rc = 0;
  while (p < end) {
    if (*p != '"') {
      p++;
      continue;
    }
    const char *start = ++p;
    int escaped = 0;
    while (p < end && *p != '"') {
      if (*p == '\\') {
        escaped = 1;
        p++;
      }
      p++;
    }
    if (p >= end)
      break;
    const char *stop = p++; /* the closing quote */
    if (!escaped)
      continue;
    quire_buf_clear(&tmp);
    if (S_json_unescape(&tmp, start, stop) != 0 || quire_buf_failed(&tmp) ||
        !S_find(tmp.ptr, tmp.size, secret, sl))
      continue;
    if (S_redact_literal(&tmp, secret, sl) < 0) {
      rc = QUIRE_ENOMEM;
      break;
    }
    quire_buf_put(&out, copied, (size_t)(start - 1 - copied));
    S_json_quote(&out, tmp.ptr, tmp.size);
    copied = p;
    changed = 1;
  }
  if (!rc && changed) {
    quire_buf_put(&out, copied, (size_t)(end - copied));
    if (quire_buf_failed(&out)) {
      rc = QUIRE_ENOMEM;
    } else {
      size_t max = b->max;
      quire_buf_dispose(b);
      *b = out;
      b->max = max;
      out = (quire_buf)QUIRE_BUF_INIT;
    }
  }
  quire_buf_dispose(&out);
  quire_buf_dispose(&tmp);
  return rc;
}

int quire__redact_buf(quire_buf *b, const char *secret) {
  size_t sl = secret ? strlen(secret) : 0;
  if (!b || !sl || !b->size)
    return 0;
  int rc = S_redact_literal(b, secret, sl);
  if (rc < 0)
    return rc;
  if (memchr(b->ptr, '\\', b->size) && (rc = S_redact_escaped(b, secret, sl)))
    return rc;
  return 0;
}

void quire__random(void *out, size_t n) {
  unsigned char *p = out;
  size_t got = 0;
  while (got < n) {
    ssize_t r = getrandom(p + got, n - got, 0);
    if (r < 0) {
      if (errno == EINTR)
        continue;
      break;
    }
    got += (size_t)r;
  }
  if (got < n) {
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    while (fd >= 0 && got < n) {
      ssize_t r = read(fd, p + got, n - got);
      if (r <= 0)
        break;
      got += (size_t)r;
    }
    if (fd >= 0)
      close(fd);
  }
  if (got < n) { /* last resort: ids only need to be unlikely to repeat */
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t x = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^
                 ((uint64_t)getpid() << 40) ^ (uint64_t)(uintptr_t)out;
    for (; got < n; got++) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      p[got] = (unsigned char)x;
    }
  }
}

void quire__hex(char *out, const unsigned char *in, size_t n) {
  static const char hex[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    out[2 * i] = hex[in[i] >> 4];
    out[2 * i + 1] = hex[in[i] & 15];
  }
  out[2 * n] = '\0';
}

double quire__now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void quire__sleep_ms(long ms) {
  if (ms <= 0)
    return;
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L}, rem;
  while (nanosleep(&ts, &rem) != 0 && errno == EINTR)
    ts = rem;
}
