/* The client calls of a library built without libcurl (make FETCH=0): each
 * fails with QUIRE_EUNSUPPORTED, so programs still link and can say why.
 * The rest of lib/fetch/ (jobs, webhooks, SSE, errors) needs no libcurl.
 * Empty in the normal build. */
#include "fetch.h"

#ifndef QUIRE_HAVE_CURL

static int S_unsupported(quire_error *err) {
  return quire__error_set(err, QUIRE_EUNSUPPORTED,
                          "this libquire was built without libcurl: no "
                          "Conduit API client");
}

int quire_client_new(quire_client **out, const quire_client_options *opts,
                     quire_error *err) {
  (void)opts;
  if (out)
    *out = NULL;
  return S_unsupported(err);
}

void quire_client_free(quire_client *client) { (void)client; }

int quire_client_set_request_id(quire_client *client, const char *request_id,
                                quire_error *err) {
  (void)client, (void)request_id;
  return S_unsupported(err);
}

int quire_client_set_max_media(quire_client *client, long long bytes,
                               quire_error *err) {
  (void)client, (void)bytes;
  return S_unsupported(err);
}

int quire_client_get_report(quire_buf *out, quire_client *client,
                            const char *report_id, quire_error *err) {
  (void)out, (void)client, (void)report_id;
  return S_unsupported(err);
}

int quire_client_get_report_by_job(quire_buf *out, quire_client *client,
                                   const char *job_id, quire_error *err) {
  (void)out, (void)client, (void)job_id;
  return S_unsupported(err);
}

int quire_client_get_matching(quire_buf *out, quire_client *client,
                              const char *matching_id, quire_error *err) {
  (void)out, (void)client, (void)matching_id;
  return S_unsupported(err);
}

int quire_client_get_matching_by_job(quire_buf *out, quire_client *client,
                                     const char *job_id, quire_error *err) {
  (void)out, (void)client, (void)job_id;
  return S_unsupported(err);
}

int quire_client_cancel_job(quire_job **out, quire_client *client,
                            const char *job_id, quire_error *err) {
  (void)client, (void)job_id;
  if (out)
    *out = NULL;
  return S_unsupported(err);
}

int quire_client_get_job(quire_job **out, quire_client *client,
                         const char *job_id, quire_error *err) {
  (void)client, (void)job_id;
  if (out)
    *out = NULL;
  return S_unsupported(err);
}

int quire_client_get_job_report(quire_buf *out, quire_client *client,
                                const quire_job *job, quire_error *err) {
  (void)out, (void)client, (void)job;
  return S_unsupported(err);
}

int quire_client_create_job(quire_job **out, quire_buf *idem_out,
                            quire_client *client, const quire_job_request *req,
                            quire_error *err) {
  (void)idem_out, (void)client, (void)req;
  if (out)
    *out = NULL;
  return S_unsupported(err);
}

int quire_client_create_matching_job(quire_job **out, quire_buf *idem_out,
                                     quire_client *client,
                                     const quire_matching_request *req,
                                     quire_error *err) {
  (void)idem_out, (void)client, (void)req;
  if (out)
    *out = NULL;
  return S_unsupported(err);
}

int quire_client_wait_job(quire_job **out, quire_client *client,
                          const char *job_id, const quire_wait_options *opts,
                          quire_error *err) {
  (void)client, (void)job_id, (void)opts;
  if (out)
    *out = NULL;
  return S_unsupported(err);
}

int quire_client_wait_report(quire_buf *out, quire_client *client,
                             const char *job_id, const quire_wait_options *opts,
                             quire_error *err) {
  (void)out, (void)client, (void)job_id, (void)opts;
  return S_unsupported(err);
}

int quire_client_wait_job_hooks(quire_job **out, quire_client *client,
                                const char *job_id,
                                const quire_wait_options *opts,
                                const quire_wait_hooks *hooks,
                                quire_error *err) {
  (void)hooks;
  return quire_client_wait_job(out, client, job_id, opts, err);
}

int quire_client_wait_report_hooks(quire_buf *out, quire_client *client,
                                   const char *job_id,
                                   const quire_wait_options *opts,
                                   const quire_wait_hooks *hooks,
                                   quire_error *err) {
  (void)hooks;
  return quire_client_wait_report(out, client, job_id, opts, err);
}

#else
/* ISO C wants at least one declaration in a translation unit. */
typedef int quire__nocurl_unused;
#endif
