#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The init-byte trick (cmark_strbuf): an empty buffer points at this byte,
 * so ptr is never NULL and always a valid empty string. It is never written:
 * asize == 0 forces a real allocation before the first append. */
char quire_buf__initbyte[1];

void quire_buf_init(quire_buf *buf, size_t max) {
  buf->ptr = quire_buf__initbyte;
  buf->size = 0;
  buf->asize = 0;
  buf->max = max;
  buf->err = 0;
}

void quire_buf_dispose(quire_buf *buf) {
  if (!buf)
    return;
  if (buf->asize)
    free(buf->ptr);
  quire_buf_init(buf, buf->max);
}

static int S_fail(quire_buf *buf, int code) {
  if (!buf->err)
    buf->err = code;
  return code;
}

int quire_buf_grow(quire_buf *buf, size_t extra) {
  if (buf->err)
    return buf->err;
  if (extra > SIZE_MAX - buf->size - 1)
    return S_fail(buf, QUIRE_ETOOBIG);
  size_t need = buf->size + extra + 1;
  if (buf->max && need - 1 > buf->max)
    return S_fail(buf, QUIRE_ETOOBIG);
  if (need <= buf->asize)
    return 0;
  size_t nsize = buf->asize ? buf->asize : 64;
  while (nsize < need) {
    if (nsize > SIZE_MAX / 3 * 2) {
      nsize = need;
      break;
    }
    nsize += nsize / 2; /* 1.5x growth */
  }
  if (buf->max && nsize > buf->max + 1)
    nsize = buf->max + 1;
  char *p = quire__realloc(buf->asize ? buf->ptr : NULL, nsize);
  if (!p)
    return S_fail(buf, QUIRE_ENOMEM);
  if (!buf->asize)
    p[0] = '\0';
  buf->ptr = p;
  buf->asize = nsize;
  return 0;
}

int quire_buf_put(quire_buf *buf, const void *data, size_t len) {
  if (buf->err)
    return buf->err;
  if (len == 0)
    return 0;
  /* Room already (most appends): no growth check. The bound is the one
   * quire_buf_grow keeps: size + len + 1 <= asize, under max. */
  if (len < buf->asize - buf->size &&
      (!buf->max || buf->size + len <= buf->max)) {
    memmove(buf->ptr + buf->size, data, len);
    buf->size += len;
    buf->ptr[buf->size] = '\0';
    return 0;
  }
  int rc = quire_buf_grow(buf, len);
  if (rc)
    return rc;
  memmove(buf->ptr + buf->size, data, len);
  buf->size += len;
  buf->ptr[buf->size] = '\0';
  return 0;
}

int quire_buf_puts(quire_buf *buf, const char *s) {
  return quire_buf_put(buf, s, strlen(s));
}

int quire_buf_putc(quire_buf *buf, int c) {
  char ch = (char)c;
  return quire_buf_put(buf, &ch, 1);
}

int quire_buf_printf(quire_buf *buf, const char *fmt, ...) {
  if (buf->err)
    return buf->err;
  va_list ap;
  va_start(ap, fmt);
  char small[256];
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0)
    return S_fail(buf, QUIRE_ERROR);
  if ((size_t)n < sizeof small)
    return quire_buf_put(buf, small, (size_t)n);
  int rc = quire_buf_grow(buf, (size_t)n);
  if (rc)
    return rc;
  va_start(ap, fmt);
  vsnprintf(buf->ptr + buf->size, (size_t)n + 1, fmt, ap);
  va_end(ap);
  buf->size += (size_t)n;
  return 0;
}

void quire_buf_truncate(quire_buf *buf, size_t len) {
  if (len < buf->size) {
    buf->size = len;
    if (buf->asize)
      buf->ptr[len] = '\0';
  }
}

void quire_buf_clear(quire_buf *buf) {
  buf->size = 0;
  buf->err = 0;
  if (buf->asize)
    buf->ptr[0] = '\0';
}

int quire_buf_failed(const quire_buf *buf) { return buf->err; }

char *quire_buf_detach(quire_buf *buf, size_t *len) {
  char *p;
  if (len)
    *len = buf->size;
  if (buf->asize) {
    p = buf->ptr;
  } else {
    p = quire__malloc(1);
    if (p)
      p[0] = '\0';
  }
  buf->ptr = quire_buf__initbyte;
  buf->size = buf->asize = 0;
  buf->err = 0;
  return p;
}
