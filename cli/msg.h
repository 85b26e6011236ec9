/* The one place the CLI prints diagnostics: "quire: ..." on stderr. */
#ifndef QUIRE_CLI_MSG_H
#define QUIRE_CLI_MSG_H

#include "quire.h"

#if defined(__GNUC__)
#define CLI_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CLI_PRINTF(f, a)
#endif

void cli_errorf(const char *fmt, ...) CLI_PRINTF(1, 2);
void cli_warnf(const char *fmt, ...) CLI_PRINTF(1, 2);
/* Prints a library error as one line; returns the matching exit status. */
int cli_report_error(const quire_error *err);
/* Set by --quiet: warnings are not printed. */
extern int cli_quiet;

#endif
