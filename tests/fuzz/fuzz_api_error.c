/* libFuzzer harness for API error bodies, the job reader and the webhook
 * envelope: whatever a server sends, the results are bounded, one line and
 * free of control characters. Built without -fsanitize=fuzzer (no
 * QUIRE_LIBFUZZER), main() replays files. */
#include "fetch/fetch.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_text(const char *s, size_t cap) {
  size_t n = strlen(s);
  if (n >= cap)
    abort();
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
      abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *p = (const char *)data;
  quire__api_error ae;
  quire__api_error_parse(&ae, p, size);
  check_text(ae.code, sizeof ae.code);
  check_text(ae.message, sizeof ae.message);

  static const long statuses[] = {400, 401, 402, 403, 404, 422, 429, 500, 503};
  quire_error err;
  quire_error_clear(&err);
  long status = statuses[size % (sizeof statuses / sizeof *statuses)];
  int code = quire__api_error_set(&err, status, &ae, (int)(size % 4) + 1);
  if (code >= 0 || err.code != code || err.http_status != status)
    abort();
  check_text(err.message, sizeof err.message);

  quire_job *job = quire__job_new();
  if (job) {
    quire__job_update(job, p, size, NULL);
    const char *fields[] = {quire_job_id(job), quire_job_error_message(job),
                            quire_job_error_code(job),
                            quire_job_report_id(job)};
    for (size_t i = 0; i < 4; i++)
      if (fields[i])
        check_text(fields[i], (size_t)-1);
    double pr = quire_job_progress(job);
    if (pr != -1 && (pr < 0 || pr > 1))
      abort();
    quire_job_free(job);
  }

  quire_webhook_event *ev = NULL;
  if (quire_webhook_parse_event(&ev, p, size, NULL) == 0) {
    if (!quire_webhook_event_type(ev) || !quire_webhook_event_data(ev))
      abort();
    quire_webhook_event_free(ev);
  }
  return 0;
}

#include "replay.h"
