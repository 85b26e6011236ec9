/* The upload -> job -> render progress display (progress.h). */
#include "progress.h"

#include "msg.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double S_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void S_size(char *out, size_t n, double b) {
  static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int u = 0;
  while (b >= 1024 && u < 4)
    b /= 1024, u++;
  snprintf(out, n, u ? "%.1f %s" : "%.0f %s", b, units[u]);
}

void cli_show_init(cli_show *s, int quiet) {
  memset(s, 0, sizeof *s);
  s->mode = quiet                   ? CLI_SHOW_QUIET
            : isatty(STDERR_FILENO) ? CLI_SHOW_TTY
                                    : CLI_SHOW_LINES;
  s->estimate = -1;
  s->progress = -1;
}

/* "job job_1: running, scoring 40%" and, on the terminal, the times. */
static void S_job_text(const cli_show *s, char *out, size_t n, int times) {
  const char *status = quire_job_status_name(s->status);
  const char *stage = quire_job_stage_name(s->stage);
  char pct[16] = "", when[96] = "";
  if (s->progress >= 0)
    snprintf(pct, sizeof pct, " %d%%", (int)(s->progress * 100 + 0.5));
  if (times) {
    double waited = S_now() - s->job_start;
    if (s->estimate >= 0 && !quire_job_status_is_terminal(s->status)) {
      double left = s->estimate - waited;
      if (left > 0.5)
        snprintf(when, sizeof when, ", estimated wait %.0f s of %.0f s", left,
                 s->estimate);
      else
        snprintf(when, sizeof when, ", past the estimated %.0f s (%.0f s)",
                 s->estimate, waited);
    } else {
      snprintf(when, sizeof when, ", %.0f s", waited);
    }
  }
  snprintf(out, n, "job %s: %s%s%s%s%s", s->job, status ? status : "waiting",
           stage ? ", " : "", stage ? stage : "", pct, when);
}

static void S_draw(cli_show *s) {
  char line[400] = "";
  if (s->phase == 1) {
    double now = S_now();
    double rate = now > s->up_start ? (double)s->sent / (now - s->up_start) : 0;
    char a[32], b[32], r[32], eta[48] = "";
    S_size(a, sizeof a, (double)s->sent);
    S_size(b, sizeof b, (double)s->total);
    S_size(r, sizeof r, rate);
    if (rate > 0 && s->total > s->sent)
      snprintf(eta, sizeof eta, ", %.0f s left",
               (double)(s->total - s->sent) / rate);
    if (s->sent == 0 && s->total <= 0) /* libcurl has not started yet */
      snprintf(line, sizeof line, "uploading %.200s", s->name);
    else
      snprintf(line, sizeof line, "uploading %.200s: %s of %s, %s/s%s", s->name,
               a, s->total > 0 ? b : "?", r, eta);
  } else if (s->phase == 2) {
    S_job_text(s, line, sizeof line, 1);
  } else if (s->phase == 3) {
    snprintf(line, sizeof line, "rendering %s", s->render);
  } else {
    return;
  }
  cli_progress_line(line, strlen(line));
  s->last_draw = S_now();
}

void cli_show_upload(long long sent, long long total, void *payload) {
  cli_show *s = payload;
  if (s->phase != 1) {
    s->phase = 1;
    s->up_start = S_now();
  }
  s->sent = sent;
  s->total = total;
  if (s->mode == CLI_SHOW_LINES && !s->announced && total > 0) {
    char b[32];
    S_size(b, sizeof b, (double)total);
    cli_notef("uploading %s (%s)", s->name ? s->name : "the media", b);
    s->announced = 1;
  }
  if (s->mode != CLI_SHOW_TTY)
    return;
  if (S_now() - s->last_draw < 0.2 && !(total > 0 && sent == total))
    return; /* a few updates a second are enough; the last one shows */
  S_draw(s);
}

void cli_show_job_created(cli_show *s, const quire_job *job) {
  snprintf(s->job, sizeof s->job, "%s",
           quire_job_id(job) ? quire_job_id(job) : "?");
  s->job_start = S_now();
  s->estimate = quire_job_estimated_wait(job);
  s->status = quire_job_status_of(job);
  s->stage = quire_job_stage_of(job);
  s->progress = quire_job_progress(job);
  s->phase = 2;
  if (s->mode == CLI_SHOW_TTY)
    S_draw(s);
}

void cli_show_job(const quire_job *job, void *payload) {
  cli_show *s = payload;
  quire_job_status st = quire_job_status_of(job);
  quire_job_stage sg = quire_job_stage_of(job);
  int changed = st != s->status || sg != s->stage;
  if (!s->job[0]) { /* a wait without a create (fetch --wait) */
    snprintf(s->job, sizeof s->job, "%s",
             quire_job_id(job) ? quire_job_id(job) : "?");
    s->job_start = S_now();
  }
  s->phase = 2;
  s->status = st;
  s->stage = sg;
  s->progress = quire_job_progress(job);
  if (s->mode == CLI_SHOW_TTY) {
    S_draw(s);
  } else if (s->mode == CLI_SHOW_LINES && changed) {
    char line[300];
    S_job_text(s, line, sizeof line, 0);
    cli_notef("%s", line);
  }
}

int cli_show_tick(void *payload) {
  cli_show *s = payload;
  if (s->mode == CLI_SHOW_TTY && S_now() - s->last_draw >= 0.25)
    S_draw(s);
  return 0;
}

void cli_show_render(cli_show *s, const char *what) {
  snprintf(s->render, sizeof s->render, "%s", what);
  s->phase = 3;
  if (s->mode == CLI_SHOW_TTY)
    S_draw(s);
  else if (s->mode == CLI_SHOW_LINES)
    cli_notef("rendering %s", what);
}

void cli_show_done(cli_show *s) {
  if (s->mode == CLI_SHOW_TTY)
    cli_progress_clear();
  s->phase = 0;
}

/* ---- interrupting a wait ---- */

/* An int, not sig_atomic_t, because the library reads it as one; on every
 * platform quire builds for, sig_atomic_t is int. */
static volatile int S_flag;
static volatile int S_signo;
static struct sigaction S_old_int, S_old_term;
static int S_armed;

static void S_on_signal(int signo) {
  S_signo = signo;
  S_flag = 1;
}

void cli_interrupt_arm(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = S_on_signal;
  sigemptyset(&sa.sa_mask);
  S_flag = 0;
  /* A signal ignored from the start (nohup, a background job of a shell
   * without job control) stays ignored, as the user asked. */
  sigaction(SIGINT, NULL, &S_old_int);
  sigaction(SIGTERM, NULL, &S_old_term);
  if (S_old_int.sa_handler != SIG_IGN)
    sigaction(SIGINT, &sa, NULL);
  if (S_old_term.sa_handler != SIG_IGN)
    sigaction(SIGTERM, &sa, NULL);
  S_armed = 1;
}

void cli_interrupt_disarm(void) {
  if (!S_armed)
    return;
  sigaction(SIGINT, &S_old_int, NULL);
  sigaction(SIGTERM, &S_old_term, NULL);
  S_armed = 0;
}

const volatile int *cli_interrupt_flag(void) { return &S_flag; }

int cli_interrupted(const char *job_id, int matching) {
  cli_errorf("interrupted: job %s goes on; 'quire fetch --job %s%s --wait' "
             "gets its %s later, 'quire job %s --cancel' stops it",
             job_id, job_id, matching ? " --matching" : "",
             matching ? "matching result" : "report", job_id);
  return 128 + (S_signo ? S_signo : SIGINT);
}
