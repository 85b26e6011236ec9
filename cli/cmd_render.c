#include "args.h"
#include "batch.h"
#include "commands.h"
#include "exitcodes.h"
#include "msg.h"
#include "output.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char cmd_render_usage[] =
    "usage: quire render [OPTIONS] FILE...\n"
    "\n"
    "Renders Conduit report JSON (- reads stdin) as terminal text (default),\n"
    "HTML, PDF or PNG. The format follows -f, else the -o extension.\n"
    "\n"
    "      --strict         refuse reports that break their contract\n"
    "  -q, --quiet          do not print decoder warnings\n"
    "\n"
    "Batch: with several FILEs, -j, or NDJSON on stdin (one report per line;\n"
    "--ndjson, or detected when the first line is a whole JSON object and\n"
    "more lines follow), every report is rendered in parallel to\n"
    "OUTDIR/NAME.EXT, OUTDIR given by -o (report.json -> report.pdf; NDJSON:\n"
    "the report id, else\n"
    "line-K). A bad report does not stop the batch; failures are listed at\n"
    "the end and the exit status is that of the first one. A symlink at an\n"
    "output name is never followed and only regular files are replaced;\n"
    "SIGINT, SIGTERM or SIGHUP remove the batch's temporary files.\n"
    "  -j, --jobs N         worker threads (default: number of cores)\n"
    "      --ndjson         read one report per line from FILE or -\n"
    "      --strict-variables  html: check every file of the template set\n"
    "                       first and fail on a variable that is not in the\n"
    "                       documented view ({{titel}}), as 'quire templates'\n"
    "                       does when asked to check\n"
    "      --json           print the batch's outcome on stdout as NDJSON: a\n"
    "                       line per report in input order ({\"type\":\n"
    "                       \"report\", \"input\", \"output\", \"status\",\n"
    "                       \"error\"}), then {\"type\": \"summary\",\n"
    "                       \"reports\", \"written\", \"failed\", \"outdir\",\n"
    "                       \"error\", \"status\"}\n"
    "\n" CLI_RENDER_USAGE;

/* Reports read from stdin (one file argument "-") may be one document or
 * NDJSON. The first line decides: a whole JSON object followed by more
 * non-blank input is NDJSON. Otherwise everything read so far plus the rest
 * of stdin is parsed as one document, exactly as quire_doc_parse_file would
 * (same source name, same cap), so single-document behaviour is unchanged. */
static int S_stdin(cli_output *o, const cli_batch *b, int batch) {
  cli_lines r;
  quire_buf first = QUIRE_BUF_INIT;
  quire_buf all = QUIRE_BUF_INIT;
  quire_error err;
  quire_error_clear(&err);
  int too_long = 0, rc;
  cli_lines_init(&r, stdin);
  int got = cli_lines_next(&r, &first, &too_long);
  int had_newline = got && r.pos > 0 && r.data[r.pos - 1] == '\n';
  int ndjson = 0;
  size_t i = 0;
  while (i < first.size && strchr(" \t\r", first.ptr[i]))
    i++;
  if (got && !too_long && i < first.size && first.ptr[i] == '{' &&
      cli_lines_peek(&r) != EOF) {
    quire_doc *probe = NULL;
    size_t len = first.size;
    if (len && first.ptr[len - 1] == '\r')
      len--;
    ndjson =
        quire_doc_parse(&probe, first.ptr, len, NULL, NULL) != QUIRE_ESYNTAX;
    quire_doc_free(probe);
  }
  if (ndjson) {
    /* Hand the first line back to the reader: it is report 1. */
    quire_buf pre = QUIRE_BUF_INIT;
    quire_buf_put(&pre, first.ptr, first.size);
    quire_buf_putc(&pre, '\n');
    if (r.pos < r.len)
      quire_buf_put(&pre, r.data + r.pos, r.len - r.pos);
    quire_buf_dispose(&first);
    if (quire_buf_failed(&pre)) {
      quire_buf_dispose(&pre);
      cli_errorf("out of memory");
      return EXIT_INTERNAL;
    }
    size_t plen;
    char *bytes = quire_buf_detach(&pre, &plen);
    FILE *fp = r.fp;
    cli_lines_dispose(&r);
    cli_lines_init(&r, fp);
    r.pre = bytes;
    r.pre_len = plen;
    rc = cli_batch_ndjson(b, &r, "<stdin>");
    cli_lines_dispose(&r);
    return rc;
  }

  all.max = CLI_BATCH_MAX_LINE;
  quire_buf_put(&all, first.ptr, first.size);
  if (had_newline)
    quire_buf_putc(&all, '\n');
  quire_buf_dispose(&first);
  rc = too_long ? QUIRE_ETOOBIG : quire_buf_failed(&all);
  if (!rc)
    rc = cli_lines_rest(&r, &all);
  cli_lines_dispose(&r);
  snprintf(err.source, sizeof err.source, "<stdin>");
  if (rc) {
    err.code = rc;
    if (rc == QUIRE_ETOOBIG)
      snprintf(err.message, sizeof err.message,
               "input is larger than the %zu-byte limit", CLI_BATCH_MAX_LINE);
    else if (rc == QUIRE_EIO)
      snprintf(err.message, sizeof err.message, "read error: %s",
               strerror(r.read_errno));
    else
      snprintf(err.message, sizeof err.message, "out of memory");
    quire_buf_dispose(&all);
    return cli_report_error(&err);
  }
  quire_parse_options po = QUIRE_PARSE_OPTIONS_INIT;
  po.flags = b->parse_flags;
  po.source = "<stdin>";
  quire_doc *doc = NULL;
  rc = quire_doc_parse(&doc, all.ptr, all.size, &po, &err);
  quire_buf_dispose(&all);
  if (rc != 0)
    return cli_report_error(&err);
  if (batch || b->json) {
    /* -j with one document on stdin: still a batch of one. */
    quire_doc_free(doc);
    cli_errorf("render: -j with stdin needs NDJSON (one report per line)");
    return EXIT_USAGE;
  }
  for (size_t k = 0; k < quire_doc_diag_count(doc); k++) {
    const quire_diag *d = quire_doc_diag(doc, k);
    cli_warnf("<stdin>: %s: %s", d->path, d->message);
  }
  rc = cli_output_write(o, doc);
  quire_doc_free(doc);
  return rc;
}

static int S_ndjson_file(const cli_batch *b, const char *path) {
  FILE *fp = fopen(path, "rb");
  if (!fp) {
    cli_errorf("%s: cannot open: %s", path, strerror(errno));
    return EXIT_IO;
  }
  cli_lines r;
  cli_lines_init(&r, fp);
  int rc = cli_batch_ndjson(b, &r, path);
  cli_lines_dispose(&r);
  fclose(fp);
  return rc;
}

int cmd_render(int argc, char **argv) {
  static const struct option longopts[] = {
      CLI_RENDER_LONGOPTS,
      {"strict", no_argument, NULL, 's'},
      {"quiet", no_argument, NULL, 'q'},
      {"jobs", required_argument, NULL, 'j'},
      {"ndjson", no_argument, NULL, 2000},
      {"json", no_argument, NULL, 2001},
      CLI_STRICT_VARIABLES_LONGOPT,
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  cli_output o;
  cli_output_init(&o);
  cli_batch b = {&o, 0, 0, 0};
  int jobs_set = 0, ndjson = 0;
  int opt;
  optind = 1;
  while ((opt = cli_getopt("render", argc, argv,
                           CLI_RENDER_SHORTOPTS "qhj:", longopts)) != -1) {
    int r = cli_output_option(&o, opt, optarg);
    if (r < 0)
      return EXIT_USAGE;
    if (r > 0)
      continue;
    switch (opt) {
    case 's': b.parse_flags |= QUIRE_PARSE_STRICT; break;
    case 'q': cli_quiet = 1; break;
    case 'j': {
      char *end;
      errno = 0;
      long v = strtol(optarg, &end, 10);
      if (errno || end == optarg || *end || v < 1 || v > 1024) {
        cli_errorf("-j: expected a number from 1 to 1024, got '%s'", optarg);
        return EXIT_USAGE;
      }
      b.jobs = (int)v;
      jobs_set = 1;
      break;
    }
    case 2000: ndjson = 1; break;
    case 2001: b.json = 1; break;
    case 'h': fputs(cmd_render_usage, stdout); return EXIT_OK;
    default: return EXIT_USAGE; /* cli_getopt said why */
    }
  }
  if (optind >= argc) {
    cli_errorf("render: no input files (use - for stdin)");
    return EXIT_USAGE;
  }
  int nfiles = argc - optind;
  char **files = argv + optind;
  if (nfiles > 1) {
    for (int i = 0; i < nfiles; i++)
      if (strcmp(files[i], "-") == 0) {
        cli_errorf("render: - (stdin) cannot be mixed with files");
        return EXIT_USAGE;
      }
    if (ndjson) {
      cli_errorf("render: --ndjson takes one input (a file or -)");
      return EXIT_USAGE;
    }
    return cli_batch_files(&b, files, nfiles);
  }
  if (strcmp(files[0], "-") == 0) {
    if (ndjson) {
      cli_lines r;
      cli_lines_init(&r, stdin);
      int rc = cli_batch_ndjson(&b, &r, "<stdin>");
      cli_lines_dispose(&r);
      return rc;
    }
    return S_stdin(&o, &b, jobs_set);
  }
  if (ndjson)
    return S_ndjson_file(&b, files[0]);
  if (jobs_set)
    return cli_batch_files(&b, files, nfiles);
  if (b.json) {
    cli_errorf("render: --json describes a batch (several FILEs, -j or "
               "NDJSON)");
    return EXIT_USAGE;
  }
  quire_doc *doc;
  int rc = cli_load_doc(&doc, files[0], b.parse_flags);
  if (rc)
    return rc;
  rc = cli_output_write(&o, doc);
  quire_doc_free(doc);
  return rc;
}
