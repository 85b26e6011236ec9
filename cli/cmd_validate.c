#include "args.h"
#include "commands.h"
#include "exitcodes.h"
#include "json_out.h"
#include "msg.h"

#include "quire.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

const char cmd_validate_usage[] =
    "usage: quire validate [--strict] [-W] [--quiet] [--json] FILE...\n"
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
    "      --json    one JSON object per file and line (NDJSON) on stdout:\n"
    "                {\"path\", \"valid\", \"status\", \"errors\": [...],\n"
    "                \"warnings\": [...]}, each problem {\"path\" (JSON "
    "path),\n"
    "                \"line\", \"column\", \"message\"}; line and column are\n"
    "                null when unknown; a file that cannot be read or is\n"
    "                not JSON has that one error. The summary stays on\n"
    "                stderr\n"
    "\n"
    "Exit status: 0 when every file is valid, 1 when any is not, 2 for bad\n"
    "arguments, 3 when a file cannot be read, 4 when a file holds the\n"
    "by-job answer null (report not ready).\n";

typedef struct {
  const char *src;
  int strict;
  size_t errors, warnings;
  int json;
  const char *data; /* the file's bytes, to locate paths in (json) */
  size_t len;
  quire_buf jerr, jwarn; /* the problems as JSON array members (json) */
} S_state;

/* One problem as a JSON object; line 0 is unknown (null). */
static void S_json_problem(quire_buf *b, const char *path, unsigned line,
                           unsigned column, const char *message) {
  int first = 1;
  if (b->size)
    quire_buf_putc(b, ',');
  quire_buf_putc(b, '{');
  cli_json_key(b, &first, "path");
  cli_json_str(b, path && *path ? path : NULL);
  cli_json_key(b, &first, "line");
  if (line)
    quire_buf_printf(b, "%u", line);
  else
    quire_buf_puts(b, "null");
  cli_json_key(b, &first, "column");
  if (line)
    quire_buf_printf(b, "%u", column);
  else
    quire_buf_puts(b, "null");
  cli_json_key(b, &first, "message");
  cli_json_str(b, message);
  quire_buf_putc(b, '}');
}

static void S_diag(const quire_diag *d, void *payload) {
  S_state *s = payload;
  int error = d->severity == QUIRE_SEVERITY_ERROR;
  if (error)
    s->errors++;
  else
    s->warnings++;
  if (s->json) {
    unsigned line = 0, column = 0;
    cli_json_locate(s->data, s->len, d->path, &line, &column);
    S_json_problem(error ? &s->jerr : &s->jwarn, d->path, line, column,
                   d->message);
  } else if (error) {
    cli_outf("%s: %s: %s", s->src, d->path, d->message);
  } else if (!cli_quiet) {
    cli_outf("%s: %s: warning: %s", s->src, d->path, d->message);
  }
}

/* The file's line of --json output. */
static void S_json_line(S_state *st, int valid, int status) {
  quire_buf b = QUIRE_BUF_INIT;
  int first = 1;
  quire_buf_putc(&b, '{');
  cli_json_key(&b, &first, "path");
  cli_json_str(&b, st->src);
  cli_json_key(&b, &first, "valid");
  quire_buf_puts(&b, valid ? "true" : "false");
  cli_json_key(&b, &first, "status");
  quire_buf_printf(&b, "%d", status);
  cli_json_key(&b, &first, "strict");
  quire_buf_puts(&b, st->strict ? "true" : "false");
  cli_json_key(&b, &first, "errors");
  quire_buf_putc(&b, '[');
  quire_buf_put(&b, st->jerr.ptr, st->jerr.size);
  quire_buf_putc(&b, ']');
  cli_json_key(&b, &first, "warnings");
  quire_buf_putc(&b, '[');
  if (!cli_quiet)
    quire_buf_put(&b, st->jwarn.ptr, st->jwarn.size);
  quire_buf_puts(&b, "]}\n");
  if (quire_buf_failed(&b))
    cli_errorf("out of memory");
  else
    cli_out_bytes(b.ptr, b.size);
  quire_buf_dispose(&b);
  quire_buf_dispose(&st->jerr);
  quire_buf_dispose(&st->jwarn);
}

/* A failure of the whole file (not readable, not JSON, not ready): printed
 * as usual, or as the file's one problem with --json. Returns the exit
 * status for it. */
static int S_file_error(S_state *st, const quire_error *err) {
  if (!st->json)
    return cli_report_error(err);
  S_json_problem(&st->jerr, err->path[0] ? err->path : NULL, err->line,
                 err->column,
                 err->message[0] ? err->message : quire_strerror(err->code));
  return cli_exit_for(err->code);
}

int cmd_validate(int argc, char **argv) {
  static const struct option longopts[] = {
      {"strict", no_argument, NULL, 's'},
      {"quiet", no_argument, NULL, 'q'},
      {"json", no_argument, NULL, 'J'},
      {"warnings-as-errors", no_argument, NULL, 'W'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  int strict = 0, werror = 0, json = 0, opt;
  optind = 1;
  while ((opt = cli_getopt("validate", argc, argv, "sWqh", longopts)) != -1) {
    switch (opt) {
    case 's': strict = 1; break;
    case 'q': cli_quiet = 1; break;
    case 'J': json = 1; break;
    case 'W': werror = 1; break;
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
    S_state st;
    memset(&st, 0, sizeof st);
    st.src = strcmp(path, "-") == 0 ? "<stdin>" : path;
    st.strict = strict;
    st.json = json;
    quire_parse_options po = QUIRE_PARSE_OPTIONS_INIT;
    po.flags = strict ? QUIRE_PARSE_STRICT : 0;
    po.source = st.src;
    quire_error err;
    quire_error_clear(&err);
    snprintf(err.source, sizeof err.source, "%s", st.src);
    quire_buf b = QUIRE_BUF_INIT;
    nfiles++;
    int fst = EXIT_OK; /* this file's status */
    /* Reading goes through the library's capped reader via parse_file's
     * sibling: validate wants every problem, so it needs the bytes. */
    FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!fp) {
      err.code = QUIRE_EIO;
      snprintf(err.message, sizeof err.message, "cannot open: %s",
               strerror(errno));
      fst = S_file_error(&st, &err);
    } else {
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
        err.code = QUIRE_EIO;
        snprintf(err.message, sizeof err.message, "read error: %s",
                 strerror(read_errno));
        fst = S_file_error(&st, &err);
      } else if (quire_buf_failed(&b)) {
        err.code = QUIRE_ETOOBIG;
        snprintf(err.message, sizeof err.message,
                 "input is larger than the %zu-byte limit", b.max);
        fst = S_file_error(&st, &err);
        fst = EXIT_INVALID;
      }
    }
    if (fp && fst == EXIT_OK) {
      st.data = b.ptr;
      st.len = b.size;
      int rc = quire_validate(b.ptr, b.size, &po, S_diag, &st, &err);
      if ((rc == QUIRE_ESCHEMA && st.errors > 0) ||
          (rc == 0 && werror && st.warnings > 0)) {
        fst = EXIT_INVALID;
      } else if (rc != 0) {
        /* Not JSON, not ready, or reported through the error itself (e.g.
         * not an object): one problem. */
        fst = S_file_error(&st, &err);
        if (rc == QUIRE_ESCHEMA)
          fst = EXIT_INVALID;
      }
    }
    quire_buf_dispose(&b);
    if (json)
      S_json_line(&st, fst == EXIT_OK, fst);
    if (fst != EXIT_OK) {
      nbad++;
      if (status == EXIT_OK || (fst == EXIT_IO && status == EXIT_INVALID))
        status = fst;
    }
  }
  fprintf(stderr, "quire: %zu file%s checked, %zu valid, %zu invalid\n", nfiles,
          nfiles == 1 ? "" : "s", nfiles - nbad, nbad);
  return status;
}
