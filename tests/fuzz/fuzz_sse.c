/* libFuzzer harness for the Server-Sent Events parser and the job-event
 * reader behind it. The first byte picks the chunk size; the events must
 * come out the same as from one whole feed, and the job they leave behind
 * must be one quire_job's getters can describe: a known status that names
 * itself, progress in 0..1 (or -1), the terminal error --wait reports
 * (failed, canceled) in one line. Seeds include every event stream of the
 * test server's scenarios (mkseeds.py). Built without -fsanitize=fuzzer
 * (no QUIRE_LIBFUZZER), main() replays files. */
#include "fetch/fetch.h"
#include "fetch/sse.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct sink {
  quire_buf log;  /* every event, for comparing two parses */
  quire_job *job; /* job events applied in order, as wait.c does */
} sink;

static int on_event(const quire__sse_event *ev, void *payload) {
  sink *s = payload;
  quire_buf_printf(&s->log, "%s|%zu|%s|", ev->type, ev->data_len, ev->id);
  quire_buf_put(&s->log, ev->data, ev->data_len);
  if (strcmp(ev->type, "error") == 0) {
    quire__api_error ae;
    quire__api_error_parse(&ae, ev->data, ev->data_len);
  } else if (s->job) {
    quire__job_update(s->job, ev->data, ev->data_len, NULL);
  }
  return 0;
}

static void check_line(const char *s) {
  for (; *s; s++)
    if ((unsigned char)*s < 0x20 || *s == 0x7f)
      abort();
}

static void check_job(const quire_job *job) {
  quire_job_status st = quire_job_status_of(job);
  if (st != QUIRE_JOB_UNKNOWN &&
      quire__job_status_from_name(quire_job_status_name(st)) != st)
    abort();
  quire_job_stage sg = quire_job_stage_of(job);
  if (sg != QUIRE_STAGE_NONE &&
      quire__job_stage_from_name(quire_job_stage_name(sg)) != sg)
    abort();
  double pr = quire_job_progress(job);
  if (pr != -1 && !(pr >= 0 && pr <= 1))
    abort();
  double wait = quire_job_estimated_wait(job);
  if (wait != -1 && !(wait >= 0))
    abort();
  const char *fields[] = {
      quire_job_id(job),         quire_job_type(job),
      quire_job_report_id(job),  quire_job_matching_id(job),
      quire_job_error_code(job), quire_job_error_message(job),
      quire_job_created_at(job), quire_job_updated_at(job)};
  for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
    if (fields[i])
      check_line(fields[i]);
  quire_error err;
  quire_error_clear(&err);
  int rc = quire__job_terminal_error(job, &err);
  int want = st == QUIRE_JOB_FAILED     ? QUIRE_EJOBFAILED
             : st == QUIRE_JOB_CANCELED ? QUIRE_EJOBCANCELED
                                        : 0;
  if (rc != want || (rc && (err.code != rc || !err.message[0])))
    abort();
  check_line(err.message);
}

static void run(const char *p, size_t n, size_t chunk, quire_buf *log_out,
                char *last_id, size_t last_size) {
  sink s;
  quire__sse sse;
  quire_buf_init(&s.log, 0);
  s.job = quire__job_new();
  quire__sse_init(&sse, 4096, on_event, &s);
  int rc = 0;
  for (size_t off = 0; off < n && !rc; off += chunk)
    rc = quire__sse_feed(&sse, p + off, n - off < chunk ? n - off : chunk);
  quire_buf_printf(&s.log, "rc=%d", rc);
  snprintf(last_id, last_size, "%s", quire__sse_last_id(&sse));
  quire__sse_dispose(&sse);
  check_job(s.job);
  quire_job_free(s.job);
  *log_out = s.log;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  size_t chunk = (size_t)(data[0] % 17) + 1;
  const char *p = (const char *)data + 1;
  size_t n = size - 1;
  quire_buf whole, pieces;
  char id1[4200], id2[4200];
  run(p, n, n ? n : 1, &whole, id1, sizeof id1);
  run(p, n, chunk, &pieces, id2, sizeof id2);
  /* A cap failure may happen at a different event boundary only if the
   * parser depended on chunking, which it must not. */
  if (whole.size != pieces.size || memcmp(whole.ptr, pieces.ptr, whole.size) ||
      strcmp(id1, id2) != 0)
    abort();
  quire_buf_dispose(&whole);
  quire_buf_dispose(&pieces);
  return 0;
}

#include "replay.h"
