/* quire_job: a report job as the API, a create receipt or an event stream
 * describes it. */
#include "fetch.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const S_status_names[] = {NULL,        "queued", "running",
                                             "succeeded", "failed", "canceled"};
static const char *const S_stage_names[] = {
    NULL,         "uploaded", "queued",    "transcoding",
    "extracting", "scoring",  "rendering", "finalizing"};

quire_job_status quire__job_status_from_name(const char *s) {
  for (int i = 1; i <= QUIRE_JOB_CANCELED; i++)
    if (s && strcmp(s, S_status_names[i]) == 0)
      return (quire_job_status)i;
  /* The British spelling turns up in hand-written clients and docs. */
  if (s && strcmp(s, "cancelled") == 0)
    return QUIRE_JOB_CANCELED;
  return QUIRE_JOB_UNKNOWN;
}

quire_job_stage quire__job_stage_from_name(const char *s) {
  for (int i = 1; i <= QUIRE_STAGE_FINALIZING; i++)
    if (s && strcmp(s, S_stage_names[i]) == 0)
      return (quire_job_stage)i;
  return QUIRE_STAGE_NONE;
}

const char *quire_job_status_name(quire_job_status status) {
  return status >= QUIRE_JOB_QUEUED && status <= QUIRE_JOB_CANCELED
             ? S_status_names[status]
             : NULL;
}

const char *quire_job_stage_name(quire_job_stage stage) {
  return stage >= QUIRE_STAGE_UPLOADED && stage <= QUIRE_STAGE_FINALIZING
             ? S_stage_names[stage]
             : NULL;
}

int quire_job_status_is_terminal(quire_job_status status) {
  return status == QUIRE_JOB_SUCCEEDED || status == QUIRE_JOB_FAILED ||
         status == QUIRE_JOB_CANCELED;
}

quire_job *quire__job_new(void) {
  quire_job *job = quire__calloc(1, sizeof *job);
  if (job) {
    job->progress = -1;
    job->estimated_wait = -1;
    job->credits_used = job->credits_net_used = -1;
    job->credits_discounted = job->duration_ms = -1;
    job->credits_reserved = job->credits_released = -1;
  }
  return job;
}

void quire_job_free(quire_job *job) {
  if (!job)
    return;
  free(job->id);
  free(job->type);
  free(job->report_id);
  free(job->matching_id);
  free(job->error_code);
  free(job->error_message);
  free(job->created_at);
  free(job->updated_at);
  free(job->json);
  free(job->model_version);
  free(job->reservation_status);
  free(job);
}

/* A number member (null means "none": leaves *dst as it was). */
static void S_num(double *dst, json_t *o, const char *key) {
  json_t *v = json_object_get(o, key);
  if (json_is_number(v))
    *dst = json_number_value(v);
}

/* Replaces *dst with a sanitised copy of a non-empty JSON string; leaves it
 * alone when v is absent, null or empty (as conduit-rs treats empty). */
static int S_take(char **dst, json_t *v) {
  if (!json_is_string(v) || json_string_length(v) == 0)
    return 0;
  char *s = quire__strndup(json_string_value(v), json_string_length(v));
  if (!s)
    return QUIRE_ENOMEM;
  quire__sanitize(s);
  free(*dst);
  *dst = s;
  return 0;
}

static int S_apply(quire_job *job, json_t *o, quire_error *err) {
  int rc = 0;
  json_t *v;
  if (!json_is_object(o))
    return 0;
  /* An event carries the whole job under "job"; its own fields are newer. */
  json_t *inner = json_object_get(o, "job");
  if (json_is_object(inner) && (rc = S_apply(job, inner, err)) != 0)
    return rc;
  rc |= S_take(&job->id, json_object_get(o, "id"));
  rc |= S_take(&job->id, json_object_get(o, "jobId"));
  rc |= S_take(&job->type, json_object_get(o, "type"));
  rc |= S_take(&job->report_id, json_object_get(o, "reportId"));
  rc |= S_take(&job->matching_id, json_object_get(o, "matchingId"));
  rc |= S_take(&job->created_at, json_object_get(o, "createdAt"));
  rc |= S_take(&job->updated_at, json_object_get(o, "updatedAt"));
  json_t *e = json_object_get(o, "error");
  if (json_is_object(e)) {
    rc |= S_take(&job->error_code, json_object_get(e, "code"));
    rc |= S_take(&job->error_message, json_object_get(e, "message"));
  }
  json_t *u = json_object_get(o, "usage");
  if (json_is_object(u)) {
    S_num(&job->credits_used, u, "creditsUsed");
    S_num(&job->credits_net_used, u, "creditsNetUsed");
    S_num(&job->credits_discounted, u, "creditsDiscounted");
    S_num(&job->duration_ms, u, "durationMs");
    rc |= S_take(&job->model_version, json_object_get(u, "modelVersion"));
  }
  json_t *cr = json_object_get(o, "credits");
  if (json_is_object(cr)) {
    S_num(&job->credits_reserved, cr, "reservedCredits");
    rc |= S_take(&job->reservation_status,
                 json_object_get(cr, "reservationStatus"));
  }
  S_num(&job->credits_released, o, "releasedCredits");
  if (rc)
    return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  v = json_object_get(o, "status");
  if (json_is_string(v)) {
    quire_job_status st = quire__job_status_from_name(json_string_value(v));
    if (st == QUIRE_JOB_UNKNOWN) {
      char name[64];
      snprintf(name, sizeof name, "%s", json_string_value(v));
      quire__sanitize(name);
      return quire__error_set(err, QUIRE_ESERVER, "unexpected job status '%s'",
                              name);
    }
    job->status = st;
  }
  v = json_object_get(o, "stage");
  if (json_is_string(v)) {
    /* Unknown stages are ignored (the server may add some); the last known
     * one stays. */
    quire_job_stage sg = quire__job_stage_from_name(json_string_value(v));
    if (sg != QUIRE_STAGE_NONE)
      job->stage = sg;
  }
  v = json_object_get(o, "progress");
  if (json_is_number(v)) {
    double p = json_number_value(v);
    job->progress = p < 0 ? 0 : p > 1 ? 1 : p;
  }
  v = json_object_get(o, "estimatedWaitSec");
  if (json_is_number(v) && json_number_value(v) >= 0)
    job->estimated_wait = json_number_value(v);
  return 0;
}

int quire__job_update(quire_job *job, const char *text, size_t len,
                      quire_error *err) {
  json_error_t jerr;
  json_t *root = json_loadb(text, len, 0, &jerr);
  if (!root)
    return quire__error_set(err, QUIRE_ESERVER,
                            "the job is not valid JSON (line %d: %s)",
                            jerr.line, jerr.text);
  if (!json_is_object(root)) {
    json_decref(root);
    return quire__error_set(err, QUIRE_ESERVER, "the job is not an object");
  }
  int rc = S_apply(job, root, err);
  json_decref(root);
  if (rc)
    return rc;
  char *copy = quire__strndup(text, len);
  if (!copy)
    return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  free(job->json);
  job->json = copy;
  return 0;
}

static void S_redact_field(char *s, const char *secret) {
  if (s)
    quire__redact(s, strlen(s) + 1, secret);
}

void quire__job_redact(quire_job *job, const char *secret) {
  if (!job)
    return;
  S_redact_field(job->id, secret);
  S_redact_field(job->type, secret);
  S_redact_field(job->report_id, secret);
  S_redact_field(job->matching_id, secret);
  S_redact_field(job->error_code, secret);
  S_redact_field(job->error_message, secret);
  S_redact_field(job->created_at, secret);
  S_redact_field(job->updated_at, secret);
  S_redact_field(job->json, secret);
  S_redact_field(job->model_version, secret);
  S_redact_field(job->reservation_status, secret);
}

const char *quire_job_id(const quire_job *job) { return job ? job->id : NULL; }
const char *quire_job_type(const quire_job *job) {
  return job ? job->type : NULL;
}
quire_job_status quire_job_status_of(const quire_job *job) {
  return job ? job->status : QUIRE_JOB_UNKNOWN;
}
quire_job_stage quire_job_stage_of(const quire_job *job) {
  return job ? job->stage : QUIRE_STAGE_NONE;
}
double quire_job_progress(const quire_job *job) {
  return job ? job->progress : -1;
}
const char *quire_job_report_id(const quire_job *job) {
  return job ? job->report_id : NULL;
}
const char *quire_job_matching_id(const quire_job *job) {
  return job ? job->matching_id : NULL;
}
const char *quire_job_error_code(const quire_job *job) {
  return job ? job->error_code : NULL;
}
const char *quire_job_error_message(const quire_job *job) {
  return job ? job->error_message : NULL;
}
const char *quire_job_created_at(const quire_job *job) {
  return job ? job->created_at : NULL;
}
const char *quire_job_updated_at(const quire_job *job) {
  return job ? job->updated_at : NULL;
}
double quire_job_estimated_wait(const quire_job *job) {
  return job ? job->estimated_wait : -1;
}
double quire_job_credits_used(const quire_job *job) {
  return job ? job->credits_used : -1;
}
double quire_job_credits_net_used(const quire_job *job) {
  return job ? job->credits_net_used : -1;
}
double quire_job_credits_discounted(const quire_job *job) {
  return job ? job->credits_discounted : -1;
}
double quire_job_duration_ms(const quire_job *job) {
  return job ? job->duration_ms : -1;
}
const char *quire_job_model_version(const quire_job *job) {
  return job ? job->model_version : NULL;
}
double quire_job_credits_reserved(const quire_job *job) {
  return job ? job->credits_reserved : -1;
}
const char *quire_job_reservation_status(const quire_job *job) {
  return job ? job->reservation_status : NULL;
}
double quire_job_credits_released(const quire_job *job) {
  return job ? job->credits_released : -1;
}
const char *quire_job_json(const quire_job *job) {
  return job && job->json ? job->json : "{}";
}

int quire__job_terminal_error(const quire_job *job, quire_error *err) {
  const char *id = job->id ? job->id : "?";
  if (job->status == QUIRE_JOB_FAILED)
    return quire__error_set(err, QUIRE_EJOBFAILED, "job %s failed: %s%s%s", id,
                            job->error_code ? job->error_code : "job_failed",
                            job->error_message ? ": " : "",
                            job->error_message ? job->error_message : "");
  if (job->status == QUIRE_JOB_CANCELED)
    return quire__error_set(err, QUIRE_EJOBCANCELED, "job %s was canceled%s%s",
                            id, job->error_message ? ": " : "",
                            job->error_message ? job->error_message : "");
  return 0;
}
