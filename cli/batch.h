/* Batch rendering for `quire render`: many reports (files, or NDJSON lines)
 * rendered by a pool of worker threads, one atomic output file per report
 * in an output directory. */
#ifndef QUIRE_CLI_BATCH_H
#define QUIRE_CLI_BATCH_H

#include "output.h"

#include <stdio.h>

typedef struct cli_batch {
  cli_output *out;      /* render options and -f; out_path is the OUTDIR */
  unsigned parse_flags; /* QUIRE_PARSE_* */
  int jobs;             /* worker threads (0 = online cores) */
  int json;             /* --json: NDJSON records of the batch on stdout */
} cli_batch;

/* Bytes of one NDJSON line, and of a whole single document read from stdin
 * (the library's default input cap). */
#define CLI_BATCH_MAX_LINE ((size_t)64 << 20)

/*
 * A line reader over a stream that first serves bytes already read (the
 * auto-detection's look-ahead). Lines keep their bytes exactly ('\r' too).
 * A line over CLI_BATCH_MAX_LINE is returned truncated with *too_long set,
 * and ends the input: finding where the next line starts could mean
 * reading forever (/dev/zero has no newline).
 */
typedef struct cli_lines {
  FILE *fp;
  const char *data; /* current window: pre, then chunk */
  size_t pos, len;
  char *pre; /* owned look-ahead bytes, served first */
  size_t pre_len;
  int pre_done;
  int eof;
  int stopped;        /* a line was too long: nothing more is read */
  int read_errno;     /* errno of a read error, else 0 */
  unsigned long line; /* physical line number of the last line returned */
  char chunk[65536];
} cli_lines;

void cli_lines_init(cli_lines *r, FILE *fp);
void cli_lines_dispose(cli_lines *r);
/* Reads the next line into line (cleared first, capped). Returns 1 with a
 * line, 0 at the end of input. */
int cli_lines_next(cli_lines *r, quire_buf *line, int *too_long);
/* Moves past whitespace, counting newlines; returns the next byte without
 * consuming it, or EOF. */
int cli_lines_peek(cli_lines *r);
/* Appends everything not yet read (up to out->max) to out. Returns 0 or the
 * buffer's failure code, or QUIRE_EIO after a read error. */
int cli_lines_rest(cli_lines *r, quire_buf *out);

/* Renders each of files[0..n) to OUTDIR/<name>.<ext>. Prints problems and a
 * summary of failures; returns an exit status (the first failure's). */
int cli_batch_files(const cli_batch *b, char **files, int n);

/* Renders each non-blank line of r (one report per line; source names the
 * input in messages) to OUTDIR/<id or line-K>.<ext>. */
int cli_batch_ndjson(const cli_batch *b, cli_lines *r, const char *source);

#endif
