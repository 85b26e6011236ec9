#include "msg.h"

#include "exitcodes.h"

#include <stdarg.h>
#include <stdio.h>

int cli_quiet;

static void S_vprint(const char *prefix, const char *fmt, va_list ap) {
  fputs(prefix, stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
}

void cli_errorf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  S_vprint("quire: ", fmt, ap);
  va_end(ap);
}

void cli_warnf(const char *fmt, ...) {
  if (cli_quiet)
    return;
  va_list ap;
  va_start(ap, fmt);
  S_vprint("quire: warning: ", fmt, ap);
  va_end(ap);
}

int cli_report_error(const quire_error *err) {
  char line[1200];
  quire_error_format(err, line, sizeof line);
  if (err->request_id[0])
    cli_errorf("%s (request id %s)", line, err->request_id);
  else
    cli_errorf("%s", line);
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
