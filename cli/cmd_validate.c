#include "args.h"
#include "commands.h"
#include "exitcodes.h"
#include "msg.h"

#include "quire.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

const char cmd_validate_usage[] =
    "usage: quire validate [--strict] [-W] [--quiet] FILE...\n"
    "\n"
    "Checks Conduit report JSON files (- reads stdin) and prints one line per\n"
    "problem: FILE:LINE:COL for JSON syntax, FILE: $.json.path for shape.\n"
    "\n"
    "  -s, --strict  the report must satisfy its contract schema exactly\n"
    "                (what a JSON Schema 2020-12 validator says of it);\n"
    "                warnings stay warnings\n"
    "  -W, --warnings-as-errors\n"
    "                a file with any warning is invalid\n"
    "  -q, --quiet   print only errors and the summary, not warnings\n"
    "\n"
    "Exit status: 0 when every file is valid, 1 when any is not, 2 for bad\n"
    "arguments, 3 when a file cannot be read, 4 when a file holds the\n"
    "by-job answer null (report not ready).\n";

typedef struct {
  const char *src;
  int strict;
  size_t errors, warnings;
} S_state;

static void S_diag(const quire_diag *d, void *payload) {
  S_state *s = payload;
  if (d->severity == QUIRE_SEVERITY_ERROR) {
    s->errors++;
    cli_outf("%s: %s: %s", s->src, d->path, d->message);
  } else {
    s->warnings++;
    if (!cli_quiet)
      cli_outf("%s: %s: warning: %s", s->src, d->path, d->message);
  }
}

int cmd_validate(int argc, char **argv) {
  static const struct option longopts[] = {
      {"strict", no_argument, NULL, 's'},
      {"warnings-as-errors", no_argument, NULL, 'W'},
      {"quiet", no_argument, NULL, 'q'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  int strict = 0, werror = 0, opt;
  optind = 1;
  while ((opt = cli_getopt("validate", argc, argv, "sWqh", longopts)) != -1) {
    switch (opt) {
    case 's': strict = 1; break;
    case 'W': werror = 1; break;
    case 'q': cli_quiet = 1; break;
    case 'h': fputs(cmd_validate_usage, stdout); return EXIT_OK;
    default: return EXIT_USAGE; /* cli_getopt said why */
    }
  }
  if (optind >= argc) {
    cli_errorf("validate: no files given");
    fputs(cmd_validate_usage, stderr);
    return EXIT_USAGE;
  }
  int status = EXIT_OK;
  size_t nfiles = 0, nbad = 0;
  for (int i = optind; i < argc; i++) {
    const char *path = argv[i];
    S_state st = {strcmp(path, "-") == 0 ? "<stdin>" : path, strict, 0, 0};
    quire_parse_options po = QUIRE_PARSE_OPTIONS_INIT;
    po.flags = strict ? QUIRE_PARSE_STRICT : 0;
    po.source = st.src;
    quire_error err;
    quire_error_clear(&err);
    quire_buf b = QUIRE_BUF_INIT;
    nfiles++;
    /* Reading goes through the library's capped reader via parse_file's
     * sibling: validate wants every problem, so it needs the bytes. */
    FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    int rc = 0;
    if (!fp) {
      cli_errorf("%s: cannot open: %s", path, strerror(errno));
      nbad++;
      if (status == EXIT_OK || status == EXIT_INVALID)
        status = EXIT_IO;
      continue;
    }
    char chunk[65536];
    size_t n;
    b.max = (size_t)64 << 20;
    errno = 0;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
      if (quire_buf_put(&b, chunk, n) != 0)
        break;
    /* A directory opens fine and fails on read (EISDIR): say so, as
     * render does, rather than call it an empty report. */
    int read_errno = ferror(fp) ? (errno ? errno : EIO) : 0;
    if (fp != stdin)
      fclose(fp);
    if (read_errno) {
      cli_errorf("%s: read error: %s", st.src, strerror(read_errno));
      quire_buf_dispose(&b);
      nbad++;
      if (status == EXIT_OK || status == EXIT_INVALID)
        status = EXIT_IO;
      continue;
    }
    if (quire_buf_failed(&b)) {
      cli_errorf("%s: input is larger than the %zu-byte limit", st.src, b.max);
      quire_buf_dispose(&b);
      nbad++;
      status = status == EXIT_OK ? EXIT_INVALID : status;
      continue;
    }
    rc = quire_validate(b.ptr, b.size, &po, S_diag, &st, &err);
    quire_buf_dispose(&b);
    if ((rc == QUIRE_ESCHEMA && st.errors > 0) ||
        (rc == 0 && werror && st.warnings > 0)) {
      nbad++;
      if (status == EXIT_OK)
        status = EXIT_INVALID;
    } else if (rc != 0 && rc != QUIRE_ESCHEMA) {
      nbad++;
      int s = cli_report_error(&err);
      if (status == EXIT_OK || s == EXIT_IO)
        status = s;
    } else if (rc != 0) {
      /* errors reported through the error itself (e.g. not an object) */
      nbad++;
      cli_report_error(&err);
      if (status == EXIT_OK)
        status = EXIT_INVALID;
    }
  }
  fprintf(stderr, "quire: %zu file%s checked, %zu valid, %zu invalid\n", nfiles,
          nfiles == 1 ? "" : "s", nfiles - nbad, nbad);
  return status;
}
