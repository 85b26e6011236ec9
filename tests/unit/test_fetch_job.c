/* Jobs as the API, a create receipt and stream events describe them. */
#include "harness.h"

#include "fetch/fetch.h"

#include <string.h>

static int update(quire_job *j, const char *s, quire_error *err) {
  quire_error_clear(err);
  return quire__job_update(j, s, strlen(s), err);
}

static void test_full_job(void) {
  quire_error err;
  quire_job *j = quire__job_new();
  T_INT_EQ(update(j,
                  "{\"id\":\"job_1\",\"type\":\"report.generate\",\"status\":"
                  "\"running\",\"stage\":\"scoring\",\"progress\":0.4,"
                  "\"createdAt\":\"2026-01-01T00:00:00Z\",\"updatedAt\":"
                  "\"2026-01-01T00:01:00Z\",\"usage\":{\"creditsUsed\":1},"
                  "\"credits\":{\"reservedCredits\":null}}",
                  &err),
           0);
  T_STR_EQ(quire_job_id(j), "job_1");
  T_STR_EQ(quire_job_type(j), "report.generate");
  T_INT_EQ(quire_job_status_of(j), QUIRE_JOB_RUNNING);
  T_INT_EQ(quire_job_stage_of(j), QUIRE_STAGE_SCORING);
  T_OK(quire_job_progress(j) > 0.39 && quire_job_progress(j) < 0.41);
  T_STR_EQ(quire_job_created_at(j), "2026-01-01T00:00:00Z");
  T_STR_EQ(quire_job_updated_at(j), "2026-01-01T00:01:00Z");
  T_OK(quire_job_report_id(j) == NULL);
  T_OK(strstr(quire_job_json(j), "\"usage\"") != NULL);

  /* An unknown stage is ignored and the last known one stays. */
  T_INT_EQ(update(j, "{\"stage\":\"quantum_tunnelling\"}", &err), 0);
  T_INT_EQ(quire_job_stage_of(j), QUIRE_STAGE_SCORING);
  /* Progress is clamped to 0..1. */
  T_INT_EQ(update(j, "{\"progress\":7}", &err), 0);
  T_OK(quire_job_progress(j) == 1);
  T_INT_EQ(update(j, "{\"progress\":-2}", &err), 0);
  T_OK(quire_job_progress(j) == 0);

  /* An event: the nested job first, then the event's own fields. */
  T_INT_EQ(update(j,
                  "{\"status\":\"failed\",\"stage\":\"rendering\","
                  "\"error\":{\"code\":\"render_failed\",\"message\":"
                  "\"no \\u001b[2Jluck\"},\"job\":{\"id\":\"job_1\","
                  "\"status\":\"running\",\"stage\":\"finalizing\"}}",
                  &err),
           0);
  T_INT_EQ(quire_job_status_of(j), QUIRE_JOB_FAILED);
  T_INT_EQ(quire_job_stage_of(j), QUIRE_STAGE_RENDERING);
  T_STR_EQ(quire_job_error_code(j), "render_failed");
  T_STR_EQ(quire_job_error_message(j), "no ?[2Jluck");
  T_INT_EQ(quire__job_terminal_error(j, &err), QUIRE_EJOBFAILED);
  T_STR_EQ(err.message, "job job_1 failed: render_failed: no ?[2Jluck");

  /* A status the client does not know is an error, not a guess. */
  T_INT_EQ(update(j, "{\"status\":\"paused\"}", &err), QUIRE_ESERVER);
  T_STR_EQ(err.message, "unexpected job status 'paused'");
  T_INT_EQ(update(j, "[1]", &err), QUIRE_ESERVER);
  T_INT_EQ(update(j, "{nope", &err), QUIRE_ESERVER);
  quire_job_free(j);
  quire_job_free(NULL);
}

static void test_receipt(void) {
  quire_error err;
  quire_job *j = quire__job_new();
  T_OK(quire_job_progress(j) < 0);
  T_OK(quire_job_estimated_wait(j) < 0);
  T_STR_EQ(quire_job_json(j), "{}");
  T_INT_EQ(update(j,
                  "{\"jobId\":\"job_9\",\"status\":\"queued\",\"stage\":"
                  "\"uploaded\",\"estimatedWaitSec\":42,\"reportId\":\"\"}",
                  &err),
           0);
  T_STR_EQ(quire_job_id(j), "job_9");
  T_INT_EQ(quire_job_status_of(j), QUIRE_JOB_QUEUED);
  T_INT_EQ(quire_job_stage_of(j), QUIRE_STAGE_UPLOADED);
  T_OK(quire_job_estimated_wait(j) == 42);
  T_OK(quire_job_report_id(j) == NULL); /* empty strings count as absent */
  T_INT_EQ(update(j, "{\"status\":\"cancelled\"}", &err), 0);
  T_INT_EQ(quire_job_status_of(j), QUIRE_JOB_CANCELED);
  T_INT_EQ(quire__job_terminal_error(j, &err), QUIRE_EJOBCANCELED);
  T_INT_EQ(update(j, "{\"status\":\"succeeded\",\"reportId\":\"rep_9\"}", &err),
           0);
  T_INT_EQ(quire__job_terminal_error(j, &err), 0);
  T_STR_EQ(quire_job_report_id(j), "rep_9");
  quire_job_free(j);
}

static void test_names(void) {
  T_STR_EQ(quire_job_status_name(QUIRE_JOB_SUCCEEDED), "succeeded");
  T_OK(quire_job_status_name(QUIRE_JOB_UNKNOWN) == NULL);
  T_OK(quire_job_status_name((quire_job_status)99) == NULL);
  T_STR_EQ(quire_job_stage_name(QUIRE_STAGE_TRANSCODING), "transcoding");
  T_OK(quire_job_stage_name(QUIRE_STAGE_NONE) == NULL);
  const char *stages[] = {"uploaded", "queued",    "transcoding", "extracting",
                          "scoring",  "rendering", "finalizing"};
  for (int i = 0; i < 7; i++)
    T_INT_EQ(quire__job_stage_from_name(stages[i]), i + 1);
  T_INT_EQ(quire__job_status_from_name("running"), QUIRE_JOB_RUNNING);
  T_INT_EQ(quire__job_status_from_name(NULL), QUIRE_JOB_UNKNOWN);
  T_OK(quire_job_status_is_terminal(QUIRE_JOB_SUCCEEDED));
  T_OK(quire_job_status_is_terminal(QUIRE_JOB_FAILED));
  T_OK(quire_job_status_is_terminal(QUIRE_JOB_CANCELED));
  T_OK(!quire_job_status_is_terminal(QUIRE_JOB_RUNNING));
  T_OK(!quire_job_status_is_terminal(QUIRE_JOB_UNKNOWN));
  T_OK(quire_job_id(NULL) == NULL);
  T_INT_EQ(quire_job_status_of(NULL), QUIRE_JOB_UNKNOWN);
}

/* webhook.headers are checked before any request: a header that would let
 * the server's delivery carry an injected line never leaves. */
static void test_webhook_headers(void) {
  quire_client_options o = QUIRE_CLIENT_OPTIONS_INIT;
  quire_client *c = NULL;
  quire_job *job = NULL;
  quire_error err;
  o.api_key = "sk_test_unit";
  o.base_url = "http://127.0.0.1:9"; /* nothing listens: no request is sent */
  o.max_retries = 0;
  if (!(quire_features() & QUIRE_FEATURE_FETCH))
    return; /* a build without libcurl has no client to check */
  T_INT_EQ(quire_client_new(&c, &o, &err), 0);
  const char *crlf[] = {"X-A: 1\r\nX-B: 2"};
  const char *noname[] = {": v"};
  const char *badname[] = {"X A: v"};
  const char *twice[] = {"X-A: 1", "x-a: 2"};
  const char *ok[] = {"X-A: 1"};
  quire_job_request r = QUIRE_JOB_REQUEST_INIT;
  r.media_id = "med_1";
  r.template_name = "general_report";
  r.webhook_url = "https://h.example/";
  const char *const *bad[] = {crlf, noname, badname};
  for (int i = 0; i < 3; i++) {
    r.webhook_headers = bad[i];
    r.webhook_header_count = 1;
    T_INT_EQ(quire_client_create_job(&job, NULL, c, &r, &err), QUIRE_EINVAL);
  }
  r.webhook_headers = twice;
  r.webhook_header_count = 2;
  T_INT_EQ(quire_client_create_job(&job, NULL, c, &r, &err), QUIRE_EINVAL);
  r.webhook_headers = ok;
  r.webhook_header_count = 1;
  r.webhook_url = NULL;
  T_INT_EQ(quire_client_create_job(&job, NULL, c, &r, &err), QUIRE_EINVAL);
  /* A version-1 request has no such fields: whatever lies there is not
   * read (the call gets as far as the network). */
  r.version = 1;
  r.webhook_headers = crlf;
  T_INT_EQ(quire_client_create_job(&job, NULL, c, &r, &err), QUIRE_ENET);
  quire_matching_request m = QUIRE_MATCHING_REQUEST_INIT;
  quire_subject g = QUIRE_SUBJECT_INIT;
  m.target.entity_id = "ent_1";
  g.entity_id = "ent_2";
  m.group = &g;
  m.group_count = 1;
  m.webhook_url = "https://h.example/";
  m.webhook_headers = crlf;
  m.webhook_header_count = 1;
  T_INT_EQ(quire_client_create_matching_job(&job, NULL, c, &m, &err),
           QUIRE_EINVAL);
  T_OK(job == NULL);
  quire_client_free(c);
}

/* usage, credits and releasedCredits through their getters. */
static void test_usage_credits(void) {
  quire_error err;
  quire_job *j = quire__job_new();
  T_OK(quire_job_credits_used(j) == -1);
  T_OK(quire_job_model_version(j) == NULL);
  T_OK(quire_job_reservation_status(j) == NULL);
  T_INT_EQ(update(j,
                  "{\"id\":\"job_u\",\"status\":\"succeeded\","
                  "\"usage\":{\"creditsUsed\":12.5,\"creditsNetUsed\":10,"
                  "\"creditsDiscounted\":2.5,\"durationMs\":81234,"
                  "\"modelVersion\":\"m-2026.03\"},\"credits\":{"
                  "\"reservedCredits\":15,\"reservationStatus\":\"applied\"},"
                  "\"releasedCredits\":2.5}",
                  &err),
           0);
  T_OK(quire_job_credits_used(j) == 12.5);
  T_OK(quire_job_credits_net_used(j) == 10);
  T_OK(quire_job_credits_discounted(j) == 2.5);
  T_OK(quire_job_duration_ms(j) == 81234);
  T_STR_EQ(quire_job_model_version(j), "m-2026.03");
  T_OK(quire_job_credits_reserved(j) == 15);
  T_STR_EQ(quire_job_reservation_status(j), "applied");
  T_OK(quire_job_credits_released(j) == 2.5);
  /* null keeps what was known; an event without usage changes nothing. */
  T_INT_EQ(update(j, "{\"credits\":{\"reservedCredits\":null}}", &err), 0);
  T_OK(quire_job_credits_reserved(j) == 15);
  quire_job_free(j);
  T_OK(quire_job_credits_used(NULL) == -1);
  T_OK(quire_job_model_version(NULL) == NULL);
}

int main(void) {
  test_usage_credits();
  test_webhook_headers();
  test_full_job();
  test_receipt();
  test_names();
  return T_done("test_fetch_job");
}
