/* The one place the CLI prints diagnostics ("quire: ..." on stderr) and
 * lines built from untrusted text on stdout. Everything printed here goes
 * through quire_text_sanitize (quire.h): callers pass raw text. */
#ifndef QUIRE_CLI_MSG_H
#define QUIRE_CLI_MSG_H

#include "quire.h"

#include <stddef.h>

#if defined(__GNUC__)
#define CLI_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CLI_PRINTF(f, a)
#endif

void cli_errorf(const char *fmt, ...) CLI_PRINTF(1, 2);
void cli_warnf(const char *fmt, ...) CLI_PRINTF(1, 2);
/* A note for people ("quire: created job ..."), printed even with --quiet;
 * callers that honour --quiet check cli_quiet themselves. */
void cli_notef(const char *fmt, ...) CLI_PRINTF(1, 2);
/* One line on stdout (the newline is added; any inside are escaped). */
void cli_outf(const char *fmt, ...) CLI_PRINTF(1, 2);
/* Multi-line text on stdout, newlines kept, everything else sanitized. */
void cli_out_text(const char *text, size_t len);
/* Bytes on stdout as they are: a rendered document, received JSON. */
void cli_out_bytes(const void *data, size_t len);
/* One progress line on stderr, updated in place ("\rquire: TEXT"). A
 * message printed on stderr clears it first; the next update redraws. */
void cli_progress_line(const char *text, size_t len);
/* Clears the progress line, if one is shown. */
void cli_progress_clear(void);
/* Registers the API key: from then on nothing printed through these
 * functions carries it (or a 12-byte piece of it); NULL forgets it. */
void cli_secret_set(const char *secret);
/* Prints a library error as one line; returns the matching exit status. */
int cli_report_error(const quire_error *err);
/* The exit status for err (cli_exit_for, but a missing template named on
 * the command line is a usage error). */
int cli_exit_for_error(const quire_error *err);
/*
 * Flushes stdout and reports a write error once ("<stdout>: write error:
 * ..."), however many times it is called. Returns EXIT_IO after an error,
 * EXIT_OK otherwise; a closed pipe (EPIPE) is not an error: the reader
 * chose to stop.
 */
int cli_stdout_check(void);
/* Set by --quiet: warnings are not printed. */
extern int cli_quiet;

#endif
