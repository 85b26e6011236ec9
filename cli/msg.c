#include "msg.h"

#include "exitcodes.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_quiet;

/* The reason of the first failed write to stdout. stdio forgets it: after
 * a failed flush the buffer is dropped, so the final fflush succeeds and
 * only ferror() remains. The CLI writes stdout from one thread. */
static int S_stdout_errno;

static void S_stdout_put(const void *data, size_t len) {
  errno = 0;
  if (fwrite(data, 1, len, stdout) != len && !S_stdout_errno)
    S_stdout_errno = errno ? errno : EIO;
}

/* The API key of this run, once a client command has read it: nothing the
 * CLI prints may carry it, whatever the library or the server made of it.
 * Pieces of 12 bytes or more are masked too, as the library does. */
static char *S_secret;
static size_t S_secret_len;
#define S_FRAGMENT 12

void cli_secret_set(const char *secret) {
  if (S_secret) {
    memset(S_secret, 0, S_secret_len);
    free(S_secret);
  }
  S_secret = secret && *secret ? strdup(secret) : NULL;
  S_secret_len = S_secret ? strlen(S_secret) : 0;
}

static const char *S_find(const char *h, size_t hl, const char *n, size_t nl) {
  for (; hl >= nl; h++, hl--)
    if (memcmp(h, n, nl) == 0)
      return h;
  return NULL;
}

/* Appends s with the secret replaced by "[redacted]" and any piece of it
 * masked with '*'. Without a secret, a plain copy. */
static void S_redact_into(quire_buf *out, const char *s, size_t len) {
  size_t start = out->size;
  const char *hit, *end = s + len;
  if (!S_secret_len) {
    quire_buf_put(out, s, len);
    return;
  }
  while ((hit = S_find(s, (size_t)(end - s), S_secret, S_secret_len))) {
    quire_buf_put(out, s, (size_t)(hit - s));
    quire_buf_puts(out, "[redacted]");
    s = hit + S_secret_len;
  }
  quire_buf_put(out, s, (size_t)(end - s));
  if (quire_buf_failed(out) || S_secret_len < S_FRAGMENT)
    return;
  char *t = out->ptr + start;
  size_t tl = out->size - start;
  for (size_t j = 0; j + S_FRAGMENT <= S_secret_len; j++) {
    char *from = t;
    while ((hit = S_find(from, tl - (size_t)(from - t), S_secret + j,
                         S_FRAGMENT))) {
      size_t run = S_FRAGMENT; /* the whole run that matches */
      while (j + run < S_secret_len && (size_t)(hit - t) + run < tl &&
             hit[run] == S_secret[j + run])
        run++;
      memset((char *)hit, '*', run);
      from = (char *)hit + run;
    }
  }
}

/* Formats, sanitizes and writes one line: prefix, message, newline. The
 * prefix is ours and trusted; the message may quote anything. */
CLI_PRINTF(3, 0)
static void S_vline(FILE *fp, const char *prefix, const char *fmt, va_list ap) {
  char small[1024];
  char *text = small;
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  if (n < 0) {
    n = 0;
    small[0] = '\0';
  } else if ((size_t)n >= sizeof small) {
    char *big = malloc((size_t)n + 1);
    if (big) {
      vsnprintf(big, (size_t)n + 1, fmt, ap2);
      text = big;
    } else {
      n = (int)sizeof small - 1; /* print what fits rather than nothing */
    }
  }
  va_end(ap2);
  quire_buf line = QUIRE_BUF_INIT, clean = QUIRE_BUF_INIT;
  quire_buf_puts(&line, prefix);
  S_redact_into(&clean, text, (size_t)n);
  quire_text_sanitize(&line, clean.ptr, clean.size, 0);
  quire_buf_dispose(&clean);
  quire_buf_putc(&line, '\n');
  if (fp == stderr)
    cli_progress_clear(); /* a message never lands on the progress line */
  if (fp == stdout)
    S_stdout_put(line.ptr, line.size);
  else
    fwrite(line.ptr, 1, line.size, fp);
  quire_buf_dispose(&line);
  if (text != small)
    free(text);
}

void cli_errorf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  S_vline(stderr, "quire: ", fmt, ap);
  va_end(ap);
}

void cli_warnf(const char *fmt, ...) {
  if (cli_quiet)
    return;
  va_list ap;
  va_start(ap, fmt);
  S_vline(stderr, "quire: warning: ", fmt, ap);
  va_end(ap);
}

void cli_notef(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  S_vline(stderr, "quire: ", fmt, ap);
  va_end(ap);
}

void cli_outf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  S_vline(stdout, "", fmt, ap);
  va_end(ap);
}

void cli_out_text(const char *text, size_t len) {
  quire_buf b = QUIRE_BUF_INIT, clean = QUIRE_BUF_INIT;
  S_redact_into(&clean, text, len);
  quire_text_sanitize(&b, clean.ptr, clean.size, QUIRE_TEXT_KEEP_NEWLINES);
  S_stdout_put(b.ptr, b.size);
  quire_buf_dispose(&b);
  quire_buf_dispose(&clean);
}

void cli_out_bytes(const void *data, size_t len) {
  if (!S_secret_len) {
    S_stdout_put(data, len);
    return;
  }
  quire_buf clean = QUIRE_BUF_INIT;
  S_redact_into(&clean, data, len);
  if (!quire_buf_failed(&clean))
    S_stdout_put(clean.ptr, clean.size);
  else if (!S_stdout_errno)
    S_stdout_errno = ENOMEM; /* printing it unredacted is not an option */
  quire_buf_dispose(&clean);
}

/* A progress line is on stderr, without its newline. */
static int S_progress_shown;

void cli_progress_clear(void) {
  if (S_progress_shown) {
    fputs("\r\033[K", stderr);
    fflush(stderr);
    S_progress_shown = 0;
  }
}

void cli_progress_line(const char *text, size_t len) {
  quire_buf clean = QUIRE_BUF_INIT, line = QUIRE_BUF_INIT;
  S_redact_into(&clean, text, len);
  quire_text_sanitize(&line, clean.ptr, clean.size, 0);
  /* \r and erase-to-end keep it one line that updates in place. */
  fprintf(stderr, "\rquire: %s\033[K", line.ptr);
  fflush(stderr);
  S_progress_shown = 1;
  quire_buf_dispose(&clean);
  quire_buf_dispose(&line);
}

int cli_stdout_check(void) {
  static int reported; /* the CLI is one thread when it writes stdout */
  if (reported)
    return EXIT_IO;
  errno = 0;
  int failed = fflush(stdout) != 0;
  int e = S_stdout_errno ? S_stdout_errno : failed ? errno : 0;
  if (!failed && !ferror(stdout))
    return EXIT_OK;
  if (e == EPIPE)
    return EXIT_OK;
  reported = 1;
  /* Without a recorded reason (usage text written with fputs), say what
   * we know rather than a wrong one. */
  if (e)
    cli_errorf("<stdout>: write error: %s", strerror(e));
  else
    cli_errorf("<stdout>: write error");
  return EXIT_IO;
}

int cli_report_error(const quire_error *err) {
  char line[1200];
  quire_error_format(err, line, sizeof line);
  if (err->request_id[0])
    cli_errorf("%s (request id %s)", line, err->request_id);
  else
    cli_errorf("%s", line);
  return cli_exit_for_error(err);
}

int cli_exit_for_error(const quire_error *err) {
  /* Not found without an HTTP answer is a template named on the command
   * line that does not exist: a usage error, not the API's 404. */
  if (err->code == QUIRE_ENOTFOUND && !err->http_status)
    return EXIT_USAGE;
  return cli_exit_for(err->code);
}

int cli_exit_for(int code) {
  switch (code) {
  case QUIRE_OK: return EXIT_OK;
  case QUIRE_ESYNTAX:
  case QUIRE_ESCHEMA:
  case QUIRE_ETEMPLATE:
  case QUIRE_ESIGNATURE:
  case QUIRE_ETOOBIG: return EXIT_INVALID;
  case QUIRE_EINVAL: return EXIT_USAGE;
  case QUIRE_EIO: return EXIT_IO;
  case QUIRE_ENOTREADY: return EXIT_NOT_READY;
  case QUIRE_ENET:
  case QUIRE_ESERVER: return EXIT_NETWORK;
  case QUIRE_EAUTH:
  case QUIRE_ECREDITS:
  case QUIRE_ENOTFOUND:
  case QUIRE_EVALIDATION:
  case QUIRE_ERATELIMIT:
  case QUIRE_EREFUSED: return EXIT_API;
  case QUIRE_EJOBFAILED: return EXIT_JOB_FAILED;
  case QUIRE_EJOBCANCELED: return EXIT_JOB_CANCELED;
  case QUIRE_ETIMEOUT: return EXIT_TIMEOUT;
  default: return EXIT_INTERNAL;
  }
}
