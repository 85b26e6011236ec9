/* One progress display for a command that goes upload -> job -> render
 * (quire create --file X --wait -o report.pdf): on a terminal, one line
 * on stderr updated in place through every phase (bytes, rate and time
 * left while uploading; status, stage, progress and the server's
 * estimated wait while the job runs, ticking every quarter second; then
 * rendering); not on a terminal, a plain line per phase and per change of
 * the job's status or stage; with --quiet, nothing. */
#ifndef QUIRE_CLI_PROGRESS_H
#define QUIRE_CLI_PROGRESS_H

#include "quire.h"

typedef struct cli_show {
  int mode;         /* CLI_SHOW_QUIET, _LINES or _TTY */
  double last_draw; /* when the tty line was last drawn */
  /* upload */
  const char *name;
  double up_start;
  long long sent, total;
  int announced; /* the non-tty "uploading" line was printed */
  /* job */
  char job[128];
  double job_start; /* when the job was created (or the wait began) */
  double estimate;  /* estimatedWaitSec at creation, or -1 */
  quire_job_status status;
  quire_job_stage stage;
  double progress;
  int phase; /* 0 none, 1 upload, 2 job, 3 render */
  char render[200];
} cli_show;

enum { CLI_SHOW_QUIET = 0, CLI_SHOW_LINES, CLI_SHOW_TTY };

/* mode from --quiet and whether stderr is a terminal. */
void cli_show_init(cli_show *s, int quiet);
/* quire_upload_progress_fn for quire_upload_request.progress. */
void cli_show_upload(long long sent, long long total, void *payload);
/* The job was created: its id, status, stage and estimated wait. */
void cli_show_job_created(cli_show *s, const quire_job *job);
/* quire_job_progress_fn for quire_wait_options.progress. */
void cli_show_job(const quire_job *job, void *payload);
/* quire_wait_cancel_fn: never cancels; redraws the tty line so the times
 * on it move between events. */
int cli_show_tick(void *payload);
/* The report is being decoded and rendered to what (a file name). */
void cli_show_render(cli_show *s, const char *what);
/* Clears the tty line. */
void cli_show_done(cli_show *s);

/* Ctrl-C (SIGINT) or SIGTERM while a job is waited for: the handler sets a
 * flag the library's wait reads (quire_wait_hooks.abort_flag), so the wait
 * ends at once and the command can say the job goes on. arm before the
 * wait, disarm after (the previous handlers come back). */
void cli_interrupt_arm(void);
void cli_interrupt_disarm(void);
const volatile int *cli_interrupt_flag(void);
/* After a wait that ended QUIRE_EABORTED: says the job goes on and how to
 * get its result; returns 128 + the signal's number. */
int cli_interrupted(const char *job_id, int matching);

#endif
