/* quire webhook verify: check a webhook delivery's signature, for scripts. */
#include "args.h"
#include "commands.h"
#include "exitcodes.h"
#include "msg.h"

#include "quire.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char cmd_webhook_usage[] =
    "usage: quire webhook verify --secret-file FILE --header 'NAME: VALUE'...\n"
    "                            [--tolerance SECONDS] < BODY\n"
    "\n"
    "Verify a Conduit webhook delivery: the conduit-signature header (or the\n"
    "legacy mappa-signature), t=<unix time>,v1=<hex HMAC-SHA256 of\n"
    "\"<t>.<body>\">, within the tolerance of now, compared in constant time.\n"
    "Duplicated headers or components and malformed ones are rejected. The\n"
    "raw body is read from standard input, byte for byte.\n"
    "\n"
    "On success, prints the event: type, id, job, report or error.\n"
    "\n"
    "      --secret-file FILE  the endpoint's signing secret (default:\n"
    "                          $CONDUIT_WEBHOOK_SECRET)\n"
    "  -H, --header LINE       a request header, as received; repeat it for\n"
    "                          every header (others are ignored)\n"
    "      --tolerance SECONDS how far t may be from now (default 300)\n"
    "  -h, --help              this text\n"
    "\n"
    "Exit status: 0 the signature is good, 1 it is missing, stale, wrong or\n"
    "malformed (or the event is not a valid envelope), 2 usage, 3 I/O.\n";

#define S_MAX_HEADERS 64
#define S_MAX_BODY ((size_t)16 << 20)

static int S_read_all(quire_buf *out, FILE *fp, size_t max, const char *what) {
  char chunk[65536];
  size_t n;
  out->max = max;
  while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
    if (quire_buf_put(out, chunk, n) != 0) {
      cli_errorf("%s is larger than %zu bytes", what, max);
      return EXIT_INVALID;
    }
  if (ferror(fp)) {
    cli_errorf("%s: read error: %s", what, strerror(errno));
    return EXIT_IO;
  }
  return EXIT_OK;
}

/* "verified TYPE event ID: job J, report R": one sanitized line, since
 * every field is the sender's text. */
static void S_print_event(const quire_webhook_event *ev) {
  quire_buf line = QUIRE_BUF_INIT;
  const char *msg = quire_webhook_event_error_message(ev);
  quire_buf_printf(&line, "verified %s", quire_webhook_event_type(ev));
  if (quire_webhook_event_id(ev))
    quire_buf_printf(&line, " event %s", quire_webhook_event_id(ev));
  if (quire_webhook_event_job_id(ev))
    quire_buf_printf(&line, ": job %s", quire_webhook_event_job_id(ev));
  if (quire_webhook_event_report_id(ev))
    quire_buf_printf(&line, ", report %s", quire_webhook_event_report_id(ev));
  if (quire_webhook_event_matching_id(ev))
    quire_buf_printf(&line, ", matching %s",
                     quire_webhook_event_matching_id(ev));
  if (quire_webhook_event_error_code(ev))
    quire_buf_printf(&line, ", error %s%s%s",
                     quire_webhook_event_error_code(ev), msg ? ": " : "",
                     msg ? msg : "");
  cli_outf("%s", line.ptr);
  quire_buf_dispose(&line);
}

static int S_verify(int argc, char **argv) {
  static const struct option longopts[] = {
      {"secret-file", required_argument, NULL, 's'},
      {"header", required_argument, NULL, 'H'},
      {"tolerance", required_argument, NULL, 'T'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  const char *headers[S_MAX_HEADERS];
  size_t nheaders = 0;
  const char *secret_file = NULL;
  long tolerance = 0;
  int opt;
  optind = 1;
  while ((opt = cli_getopt("webhook verify", argc, argv, "H:h", longopts)) !=
         -1) {
    switch (opt) {
    case 's': secret_file = optarg; break;
    case 'H':
      if (!strchr(optarg, ':')) {
        cli_errorf("--header: expected 'NAME: VALUE', got '%s'", optarg);
        return EXIT_USAGE;
      }
      if (nheaders == S_MAX_HEADERS) {
        cli_errorf("--header: at most %d headers", S_MAX_HEADERS);
        return EXIT_USAGE;
      }
      headers[nheaders++] = optarg;
      break;
    case 'T': {
      char *end;
      errno = 0;
      tolerance = strtol(optarg, &end, 10);
      if (errno || *end || end == optarg || tolerance < 1 ||
          tolerance > 86400) {
        cli_errorf("--tolerance: expected seconds from 1 to 86400, got '%s'",
                   optarg);
        return EXIT_USAGE;
      }
      break;
    }
    case 'h': fputs(cmd_webhook_usage, stdout); return EXIT_OK;
    default: return EXIT_USAGE; /* cli_getopt said why */
    }
  }
  if (optind < argc) {
    cli_errorf("unexpected argument '%s' (the body comes on standard input)",
               argv[optind]);
    return EXIT_USAGE;
  }
  quire_buf secret = QUIRE_BUF_INIT, body = QUIRE_BUF_INIT;
  int rc;
  if (secret_file) {
    FILE *fp = fopen(secret_file, "rb");
    if (!fp) {
      cli_errorf("%s: cannot open the secret file: %s", secret_file,
                 strerror(errno));
      return EXIT_IO;
    }
    rc = S_read_all(&secret, fp, 4096, secret_file);
    fclose(fp);
    if (rc)
      goto done;
  } else {
    const char *env = getenv("CONDUIT_WEBHOOK_SECRET");
    if (!env || !*env) {
      cli_errorf("no secret: use --secret-file FILE or set "
                 "CONDUIT_WEBHOOK_SECRET");
      return EXIT_USAGE;
    }
    quire_buf_puts(&secret, env);
  }
  /* A file written by echo ends in a newline that is not part of the
   * secret. */
  while (secret.size && (secret.ptr[secret.size - 1] == '\n' ||
                         secret.ptr[secret.size - 1] == '\r'))
    quire_buf_truncate(&secret, secret.size - 1);
  if (secret.size == 0) {
    cli_errorf("the webhook secret is empty");
    rc = EXIT_USAGE;
    goto done;
  }
  rc = S_read_all(&body, stdin, S_MAX_BODY, "<stdin>");
  if (rc)
    goto done;
  quire_webhook_options wo = QUIRE_WEBHOOK_OPTIONS_INIT;
  quire_error err;
  quire_error_clear(&err);
  wo.tolerance = tolerance;
  if (quire_webhook_verify(headers, nheaders, body.ptr, body.size, secret.ptr,
                           secret.size, &wo, &err) != 0) {
    rc = cli_report_error(&err);
    goto done;
  }
  quire_webhook_event *ev = NULL;
  quire_error_clear(&err);
  if (quire_webhook_parse_event(&ev, body.ptr, body.size, &err) != 0) {
    /* One line: the verdict first, then where the event went wrong. */
    char why[1200];
    snprintf(err.source, sizeof err.source, "<stdin>");
    quire_error_format(&err, why, sizeof why);
    cli_errorf("the signature is good, but the event is not valid: %s", why);
    rc = cli_exit_for(err.code);
    goto done;
  }
  S_print_event(ev);
  quire_webhook_event_free(ev);
  rc = cli_stdout_check();
done:
  if (secret.asize)
    memset(secret.ptr, 0, secret.asize);
  quire_buf_dispose(&secret);
  quire_buf_dispose(&body);
  return rc;
}

int cmd_webhook(int argc, char **argv) {
  if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
      strcmp(argv[1], "-h") == 0) {
    fputs(cmd_webhook_usage, argc < 2 ? stderr : stdout);
    return argc < 2 ? EXIT_USAGE : EXIT_OK;
  }
  if (strcmp(argv[1], "verify") != 0) {
    cli_errorf("unknown webhook command '%s'; see 'quire help webhook'",
               argv[1]);
    return EXIT_USAGE;
  }
  return S_verify(argc - 1, argv + 1);
}
