#include "internal.h"

#include <stdio.h>
#include <string.h>

void quire_error_clear(quire_error *err) {
  if (err)
    memset(err, 0, sizeof *err);
}

static void S_copy(char *dst, size_t size, const char *src) {
  size_t n = src ? strlen(src) : 0;
  if (n >= size)
    n = size - 1;
  if (n)
    memcpy(dst, src, n);
  dst[n] = '\0';
}

int quire__error_setv(quire_error *err, int code, const char *fmt, va_list ap) {
  if (!err)
    return code;
  err->code = code;
  vsnprintf(err->message, sizeof err->message, fmt, ap);
  /* Messages are one line by contract; input text quoted into them must not
   * break that, nor smuggle control codes to a terminal: C0 and DEL, and the
   * C1 controls in UTF-8 (U+0080-U+009F, which jansson's "near '...'" quotes
   * raw; a terminal takes U+009B as CSI). */
  char *w = err->message;
  for (const char *p = err->message; *p; p++) {
    unsigned char c = (unsigned char)*p;
    if (c == 0xc2 && (unsigned char)p[1] >= 0x80 &&
        (unsigned char)p[1] < 0xa0) {
      *w++ = ' ';
      p++;
    } else {
      *w++ = c < 0x20 || c == 0x7f ? ' ' : (char)c;
    }
  }
  *w = '\0';
  return code;
}

int quire__error_set(quire_error *err, int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  quire__error_setv(err, code, fmt, ap);
  va_end(ap);
  return code;
}

void quire__error_source(quire_error *err, const char *source) {
  if (err)
    S_copy(err->source, sizeof err->source, source);
}

void quire__error_path(quire_error *err, const char *path) {
  if (err)
    S_copy(err->path, sizeof err->path, path);
}

const char *quire_strerror(int code) {
  switch (code) {
  case QUIRE_OK: return "success";
  case QUIRE_ENOMEM: return "out of memory";
  case QUIRE_EINVAL: return "invalid argument";
  case QUIRE_ESYNTAX: return "invalid JSON";
  case QUIRE_ESCHEMA: return "report does not match its contract";
  case QUIRE_ETOOBIG: return "size limit exceeded";
  case QUIRE_EIO: return "input/output error";
  case QUIRE_ENOTREADY: return "report not ready yet";
  case QUIRE_ETEMPLATE: return "template error";
  case QUIRE_ENET: return "network error";
  case QUIRE_EAUTH: return "authentication failed";
  case QUIRE_ECREDITS: return "insufficient credits";
  case QUIRE_ENOTFOUND: return "not found";
  case QUIRE_EVALIDATION: return "request rejected as invalid";
  case QUIRE_ERATELIMIT: return "rate limited";
  case QUIRE_ESERVER: return "server error";
  case QUIRE_ETIMEOUT: return "timed out";
  case QUIRE_EJOBFAILED: return "job failed";
  case QUIRE_EJOBCANCELED: return "job canceled";
  case QUIRE_EUNSUPPORTED: return "not supported by this build";
  case QUIRE_EFONT: return "no usable font";
  case QUIRE_ESIGNATURE: return "invalid webhook signature";
  case QUIRE_EREFUSED: return "request refused";
  case QUIRE_EABORTED: return "aborted by the caller";
  default: return "error";
  }
}

char *quire_error_format(const quire_error *err, char *out, size_t size) {
  if (!out || size == 0)
    return out;
  out[0] = '\0';
  if (!err)
    return out;
  const char *msg = err->message[0] ? err->message : quire_strerror(err->code);
  const char *src = err->source[0] ? err->source : NULL;
  if (src && err->line)
    snprintf(out, size, "%s:%u:%u: %s", src, err->line, err->column, msg);
  else if (src && err->path[0])
    snprintf(out, size, "%s: %s: %s", src, err->path, msg);
  else if (src)
    snprintf(out, size, "%s: %s", src, msg);
  else if (err->path[0])
    snprintf(out, size, "%s: %s", err->path, msg);
  else
    snprintf(out, size, "%s", msg);
  return out;
}
