/* Shared by the commands that talk to the Conduit API (fetch, job, create):
 * the connection options, the API key (never from argv), and writing a
 * fetched report out like `quire render` does. */
#ifndef QUIRE_CLI_CLIENT_OPTS_H
#define QUIRE_CLI_CLIENT_OPTS_H

#include "output.h"
#include "quire.h"

#include <getopt.h>

typedef struct cli_client {
  const char *base_url; /* --base-url; NULL = $CONDUIT_BASE_URL or default */
  const char *key_file; /* --api-key-file */
  int retries;          /* --retries; -1 = the library's default (2) */
  long timeout_s;       /* --timeout; 0 = the library's default */
} cli_client;

/* Long options of every API command; ids start at 1100. --api-key is
 * there only to be refused with an explanation. */
// clang-format off
#define CLI_CLIENT_LONGOPTS                                                    \
  {"base-url", required_argument, NULL, 1100},                                 \
  {"api-key-file", required_argument, NULL, 1101},                             \
  {"api-key", optional_argument, NULL, 1102},                                  \
  {"retries", required_argument, NULL, 1103},                                  \
  {"timeout", required_argument, NULL, 1104}

/* Help for those options, a literal so usage texts can include it. */
#define CLI_CLIENT_USAGE                                                       \
  "Conduit API options:\n"                                                     \
  "      --base-url URL      API base URL (default: $CONDUIT_BASE_URL, else\n"  \
  "                          https://api.mappa.ai); https only, plain http\n"   \
  "                          only to 127.0.0.1, ::1 or localhost\n"             \
  "      --api-key-file FILE read the API key from FILE (default:\n"           \
  "                          $CONDUIT_API_KEY); a key on the command line\n"    \
  "                          is refused: other users can read it there\n"      \
  "      --retries N         retries after 429, 5xx, timeouts and\n"           \
  "                          connection errors (0-10, default 2)\n"            \
  "      --timeout SECONDS   time limit of each attempt (default 300)\n"       \
  "\n"                                                                         \
  "Environment: CONDUIT_API_KEY, CONDUIT_BASE_URL; QUIRE_MAX_RESPONSE\n"       \
  "(bytes of one response, default 64 MiB); QUIRE_LOW_SPEED_LIMIT (bytes/s)\n" \
  "and QUIRE_LOW_SPEED_TIME (seconds) for stalled transfers (default 1\n"      \
  "byte/s for 30 s); QUIRE_MAX_MEDIA (bytes a media URL may give, default\n" \
  "5 GiB); QUIRE_TEST_TIME_SCALE (multiplies back-off and poll sleeps).\n"
// clang-format on

void cli_client_init(cli_client *c);
/* Handles one getopt result: 1 if it was a client option, 0 if not, -1
 * after printing an error (exit with EXIT_USAGE). */
int cli_client_option(cli_client *c, int opt, const char *arg);
/* For commands that fetch and then render: a client option, else a render
 * option (cli/output.h). Returns 1 when handled, 0 when neither, -1 after
 * printing an error for a bad value. */
struct cli_output;
int cli_fetch_render_option(cli_client *c, struct cli_output *o, int opt,
                            const char *arg);

/* 1 when the report should be written as received JSON: -f json was given
 * (json), or -o names a .json file and no -f was given. */
int cli_wants_json(const struct cli_output *o, int json);
/* Reads the key (key file, else $CONDUIT_API_KEY) and the environment
 * knobs and creates the client. Returns an exit status; prints errors. */
int cli_client_open(quire_client **out, const cli_client *c);

/* "300", "2.5" -> seconds within [lo, hi]; 0 or -1. */
int cli_parse_seconds(const char *s, double lo, double hi, double *out);

/* Uploads path (quire upload, create --file): a progress line on a
 * terminal unless quiet; on failure, prints why and returns the exit
 * status (with the idempotency key to retry under). */
int cli_upload(quire_file **out, quire_client *client, const char *path,
               const char *url, const char *label, const char *type,
               const char *idem, int quiet);
/* The same for create --file / --url: a path or a url. */
int cli_upload_file(quire_file **out, quire_client *client, const char *path,
                    const char *url, const char *label, int quiet);
/* The same, its progress on show (progress.h), which the caller owns. */
struct cli_show;
int cli_upload_show(quire_file **out, quire_client *client, const char *path,
                    const char *url, const char *label, const char *type,
                    const char *idem, struct cli_show *show);

/* cli_report_error for the result of a client call: a size cap broken by
 * the server's answer exits 5 (EXIT_NETWORK), not 1. */
int cli_report_client_error(const quire_error *err);

/*
 * Writes a fetched report: as received with json (to -o atomically, or to
 * stdout), else decoded and rendered through cli_output_write. Either way
 * it is decoded first with parse_flags (QUIRE_PARSE_STRICT). source
 * names the report in messages; fetch_err carries the request id of the
 * fetch, for messages about a report that does not decode. Returns an
 * exit status.
 */
int cli_write_report(cli_output *o, int json, unsigned parse_flags,
                     const quire_buf *body, const char *source,
                     const quire_error *fetch_err);

#endif
