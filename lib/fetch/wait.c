/* Waiting for a job: its event stream first, resumed with Last-Event-ID
 * after a drop; polling GET /v1/jobs/{id} when the stream keeps failing or
 * does not exist; one deadline over all of it. */
#include "fetch.h"
#include "sse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct S_wait {
  quire_client *c;
  quire_job *job; /* what we know of the job so far */
  const quire_wait_options *o;
  const quire_wait_hooks *h; /* never NULL: empty hooks when none */
  quire__response *resp;     /* of the open stream (its Content-Type) */
  quire__sse sse;
  char last_id[256];            /* Last-Event-ID for the next connection */
  long retry_ms;                /* the stream's retry: field, or -1 */
  int checked_type;             /* the stream's Content-Type was looked at */
  int unavailable;              /* 2xx but not an event stream */
  int terminal;                 /* a terminal event arrived */
  int good_events;              /* job events on this connection */
  int fatal;                    /* QUIRE_E* from an error event, or 0 */
  int broken;                   /* an error event or a bad event: reconnect */
  char why[600];                /* message for fatal/broken */
  quire_job_status seen_status; /* last reported to the progress callback */
  quire_job_stage seen_stage;
  double seen_progress;
} S_wait;

static void S_report(S_wait *w) {
  quire_job *j = w->job;
  if (j->status == w->seen_status && j->stage == w->seen_stage &&
      j->progress == w->seen_progress)
    return;
  w->seen_status = j->status;
  w->seen_stage = j->stage;
  w->seen_progress = j->progress;
  if (w->o->progress)
    w->o->progress(j, w->o->payload);
}

static int S_event(const quire__sse_event *ev, S_wait *w);

/* The event's data loses the key before anything reads it, as every
 * buffered body does in quire__http. */
static int S_on_event(const quire__sse_event *raw, void *payload) {
  S_wait *w = payload;
  int heartbeat = strcmp(raw->type, "heartbeat") == 0;
  if (heartbeat && !w->h->event && !w->c->abort_fn && !w->c->abort_flag)
    return 0;
  quire_buf data = QUIRE_BUF_INIT;
  if (quire_buf_put(&data, raw->data, raw->data_len) != 0 ||
      quire__redact_buf(&data, w->c->key) != 0) {
    quire_buf_dispose(&data);
    w->fatal = QUIRE_ENOMEM;
    return 1;
  }
  quire__sse_event ev = *raw;
  ev.data = data.ptr ? data.ptr : "";
  ev.data_len = data.size;
  int rc = heartbeat ? 0 : S_event(&ev, w);
  if (w->h->event && w->fatal != QUIRE_ENOMEM)
    w->h->event(ev.type, ev.id ? ev.id : "", ev.data, ev.data_len, w->job,
                w->h->payload);
  quire_buf_dispose(&data);
  if (!rc && quire__client_aborted(w->c)) {
    snprintf(w->why, sizeof w->why, "aborted by the caller");
    w->fatal = QUIRE_EABORTED;
    return 1;
  }
  return rc;
}

static int S_event(const quire__sse_event *ev, S_wait *w) {
  if (strcmp(ev->type, "error") == 0) {
    /* conduit-ts and -py send {code,message}; mappa-node's test server
     * {error:{code,message}}: the API error reader takes both. */
    quire__api_error ae;
    quire__api_error_parse(&ae, ev->data, ev->data_len);
    snprintf(w->why, sizeof w->why, "the job's event stream sent error %s%s%s",
             ae.code[0] ? ae.code : "(no code)", ae.message[0] ? ": " : "",
             ae.message);
    if (strcmp(ae.code, "not_found") == 0)
      w->fatal = QUIRE_ENOTFOUND;
    else if (strcmp(ae.code, "unauthorized") == 0 ||
             strcmp(ae.code, "forbidden") == 0)
      w->fatal = QUIRE_EAUTH;
    else
      w->broken = 1;
    return 1;
  }
  int is_terminal = strcmp(ev->type, "terminal") == 0;
  if (!is_terminal && strcmp(ev->type, "status") != 0 &&
      strcmp(ev->type, "stage") != 0)
    return 0; /* unknown event types are for newer clients */
  quire_error e;
  quire_error_clear(&e);
  if (quire__job_update(w->job, ev->data, ev->data_len, &e) != 0) {
    if (e.code == QUIRE_ENOMEM) {
      w->fatal = QUIRE_ENOMEM;
    } else {
      quire__redact(e.message, sizeof e.message, w->c->key);
      snprintf(w->why, sizeof w->why, "bad %.32s event: %.400s", ev->type,
               e.message);
      w->broken = 1;
    }
    return 1;
  }
  quire__job_redact(w->job, w->c->key);
  w->good_events++;
  S_report(w);
  if (is_terminal || quire_job_status_is_terminal(w->job->status)) {
    w->terminal = 1;
    return 1;
  }
  return 0;
}

static int S_on_bytes(void *payload, const char *data, size_t len) {
  S_wait *w = payload;
  if (!w->checked_type) {
    w->checked_type = 1;
    if (strncasecmp(w->resp->content_type, "text/event-stream", 17) != 0) {
      w->unavailable = 1; /* a server or proxy without the stream */
      return 1;
    }
  }
  int rc = quire__sse_feed(&w->sse, data, len);
  if (rc == QUIRE_ETOOBIG) {
    /* Say which cap: the code alone reads like a report that is too big. */
    snprintf(w->why, sizeof w->why,
             "a line or event of the job's event stream is larger than the "
             "%zu-byte (1 MiB) limit",
             (size_t)QUIRE__SSE_MAX_EVENT);
    w->fatal = QUIRE_ETOOBIG;
    return 1;
  }
  return rc;
}

enum { S_TERMINAL, S_DROPPED, S_UNAVAILABLE, S_FATAL, S_TIMEOUT };

static int S_stream_once(S_wait *w, double deadline, quire_error *err) {
  quire_client *c = w->c;
  quire_buf path = QUIRE_BUF_INIT;
  quire__response resp;
  quire_error e;
  quire_error_clear(&e);
  double left = deadline - quire__now();
  if (left <= 0)
    return S_TIMEOUT;
  /* The contract's ?timeout= (1000..300000 ms) lets the server end the
   * stream at our deadline too. */
  long ms = (long)(left * 1000.0);
  ms = ms < 1000 ? 1000 : ms > 300000 ? 300000 : ms;
  quire_buf_puts(&path, "/v1/jobs/");
  quire__url_escape_segment(&path, w->job->id);
  quire_buf_printf(&path, "/stream?timeout=%ld", ms);
  if (quire_buf_failed(&path)) {
    quire_buf_dispose(&path);
    quire__error_set(err, QUIRE_ENOMEM, "out of memory");
    return S_FATAL;
  }
  quire__request req = QUIRE__REQUEST_INIT;
  req.path = path.ptr;
  req.accept = "text/event-stream";
  req.last_event_id = w->last_id[0] ? w->last_id : NULL;
  req.on_body = S_on_bytes;
  req.payload = w;
  req.retries = 0; /* reconnects are counted here, not in the transport */
  req.deadline = deadline;
  quire__response_init(&resp, QUIRE__FETCH_MAX_ERROR_BODY);
  w->resp = &resp;
  w->checked_type = w->unavailable = w->good_events = 0;
  w->broken = w->fatal = 0;
  quire__sse_init(&w->sse, 0, S_on_event, w);
  quire__sse_set_last_id(&w->sse, w->last_id);
  int rc = quire__http(&resp, c, &req, &e);
  /* The id goes back in a header: only printable ASCII that fits is kept
   * (an SSE id cannot hold CR or LF, but may hold other controls). */
  const char *lid = quire__sse_last_id(&w->sse);
  size_t lidn = strlen(lid), k;
  for (k = 0; k < lidn && lid[k] >= 0x20 && lid[k] < 0x7f; k++)
    ;
  if (k == lidn && lidn < sizeof w->last_id)
    memcpy(w->last_id, lid, lidn + 1);
  else
    w->last_id[0] = '\0';
  if (w->sse.retry_ms >= 0)
    w->retry_ms = w->sse.retry_ms;
  quire__sse_dispose(&w->sse);
  int out;
  if (w->terminal) {
    out = S_TERMINAL;
  } else if (w->fatal) {
    quire__error_set(err, w->fatal, "%s",
                     w->why[0] ? w->why : quire_strerror(w->fatal));
    quire__client_error(c, err, w->fatal, path.ptr, &resp);
    out = S_FATAL;
  } else if (w->unavailable) {
    out = S_UNAVAILABLE;
  } else if (rc == 0 || w->broken) {
    out = S_DROPPED; /* ended without a terminal event */
  } else if (rc == QUIRE_ETIMEOUT || quire__now() >= deadline) {
    out = S_TIMEOUT;
  } else if (rc == QUIRE_ENOTFOUND || rc == QUIRE_EAUTH ||
             rc == QUIRE_ECREDITS || rc == QUIRE_ETOOBIG ||
             rc == QUIRE_ENOMEM || rc == QUIRE_EABORTED) {
    if (err)
      *err = e;
    out = S_FATAL;
  } else if (rc == QUIRE_ENET || rc == QUIRE_ESERVER ||
             rc == QUIRE_ERATELIMIT) {
    out = S_DROPPED;
  } else {
    out = S_UNAVAILABLE; /* 400, 405, 406...: no stream here; poll */
  }
  quire__response_dispose(&resp);
  quire_buf_dispose(&path);
  return out;
}

static int S_timeout(S_wait *w, long timeout_ms, quire_error *err) {
  const quire_job *j = w->job;
  char seen[160] = "";
  /* The deadline is the job's, not that of whichever request was running
   * when it passed: no URL or request id. */
  quire_error_clear(err);
  if (j->status != QUIRE_JOB_UNKNOWN) {
    int n = snprintf(seen, sizeof seen, " (last seen: %s",
                     quire_job_status_name(j->status));
    if (j->stage != QUIRE_STAGE_NONE && n > 0 && (size_t)n < sizeof seen)
      n += snprintf(seen + n, sizeof seen - (size_t)n, ", %s",
                    quire_job_stage_name(j->stage));
    if (j->progress >= 0 && n > 0 && (size_t)n < sizeof seen)
      n += snprintf(seen + n, sizeof seen - (size_t)n, ", %d%%",
                    (int)(j->progress * 100 + 0.5));
    if (n > 0 && (size_t)n < sizeof seen)
      snprintf(seen + n, sizeof seen - (size_t)n, ")");
  }
  return quire__error_set(err, QUIRE_ETIMEOUT,
                          "job %s did not finish within %.3g s%s", j->id,
                          (double)timeout_ms / 1000.0, seen);
}

static int S_aborted(quire_error *err) {
  quire_error_clear(err);
  return quire__error_set(err, QUIRE_EABORTED,
                          "aborted by the caller; the job goes on");
}

static int S_poll(S_wait *w, double deadline, long timeout_ms,
                  quire_error *err) {
  for (;;) {
    quire_job *j = NULL;
    if (quire__client_aborted(w->c))
      return S_aborted(err);
    if (quire__now() >= deadline)
      return S_timeout(w, timeout_ms, err);
    int rc = quire__client_get_job(&j, w->c, w->job->id, deadline, err);
    if (rc == QUIRE_EABORTED)
      return S_aborted(err);
    if (rc == QUIRE_ETIMEOUT || (rc && quire__now() >= deadline))
      return S_timeout(w, timeout_ms, err);
    if (rc)
      return rc;
    quire_job_free(w->job);
    w->job = j;
    S_report(w);
    if (w->h->event) {
      const char *json = quire_job_json(j);
      w->h->event("job", "", json, strlen(json), j, w->h->payload);
    }
    if (quire_job_status_is_terminal(j->status))
      return 0;
    int slept = quire__client_sleep(w->c, w->c->poll_ms, deadline);
    if (slept == -2)
      return S_aborted(err);
    if (slept != 0)
      return S_timeout(w, timeout_ms, err);
  }
}

static int S_wait_job(quire_job **out, quire_client *c, const char *job_id,
                      const quire_wait_options *o, const quire_wait_hooks *h,
                      double deadline, long timeout_ms, quire_error *err) {
  S_wait w;
  memset(&w, 0, sizeof w);
  w.c = c;
  w.o = o;
  w.h = h;
  w.seen_progress = -1;
  w.retry_ms = -1;
  w.job = quire__job_new();
  if (!w.job || !(w.job->id = quire__strdup(job_id))) {
    quire_job_free(w.job);
    return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  }
  int rc = 0, poll = (o->flags & QUIRE_WAIT_POLL) != 0;
  int failures = 0;
  while (!poll && !w.terminal) {
    if (quire__client_aborted(c)) {
      rc = S_aborted(err);
      goto done;
    }
    int r = S_stream_once(&w, deadline, err);
    if (r == S_TERMINAL)
      break;
    if (r == S_FATAL) {
      rc = err->code ? err->code : QUIRE_ERROR;
      if (rc == QUIRE_EABORTED)
        rc = S_aborted(err);
      goto done;
    }
    if (r == S_TIMEOUT) {
      rc = S_timeout(&w, timeout_ms, err);
      goto done;
    }
    if (r == S_UNAVAILABLE)
      poll = 1;
    if (w.good_events) /* progress was made: the count starts again */
      failures = 0;
    if (++failures > QUIRE__STREAM_RECONNECTS)
      poll = 1;
    if (!poll) {
      uint32_t rnd;
      quire__random(&rnd, sizeof rnd);
      long ms = quire__backoff_ms(failures - 1, rnd);
      /* The server's own retry: hint wins, within reason. */
      if (w.retry_ms >= 0)
        ms = w.retry_ms < QUIRE__RETRY_AFTER_CAP_MS ? w.retry_ms
                                                    : QUIRE__RETRY_AFTER_CAP_MS;
      int slept = quire__client_sleep(c, ms, deadline);
      if (slept != 0) {
        rc = slept == -2 ? S_aborted(err) : S_timeout(&w, timeout_ms, err);
        goto done;
      }
    }
  }
  /* A terminal event without a terminal status is not to be trusted: ask. */
  if (poll || !quire_job_status_is_terminal(w.job->status)) {
    rc = S_poll(&w, deadline, timeout_ms, err);
    if (rc)
      goto done;
  }
  rc = quire__job_terminal_error(w.job, err);
done:
  if (rc) {
    quire_job_free(w.job);
  } else {
    *out = w.job;
  }
  return rc;
}

static int S_args(quire_client *c, const char *job_id,
                  const quire_wait_options **o, const quire_wait_hooks **h,
                  long *timeout_ms, quire_error *err) {
  static const quire_wait_options defaults = QUIRE_WAIT_OPTIONS_INIT;
  static const quire_wait_hooks no_hooks = QUIRE_WAIT_HOOKS_INIT;
  if (!c)
    return quire__error_set(err, QUIRE_EINVAL, "no client given");
  if (!job_id || !*job_id)
    return quire__error_set(err, QUIRE_EINVAL, "no job id given");
  if (!*o)
    *o = &defaults;
  if ((*o)->version != QUIRE_WAIT_OPTIONS_VERSION)
    return quire__error_set(err, QUIRE_EINVAL,
                            "wait options of another version");
  if (!*h)
    *h = &no_hooks;
  if ((*h)->version != QUIRE_WAIT_HOOKS_VERSION)
    return quire__error_set(err, QUIRE_EINVAL, "wait hooks of another version");
  *timeout_ms = (*o)->timeout_ms > 0 ? (*o)->timeout_ms : QUIRE__FETCH_WAIT_MS;
  return 0;
}

/* The caller's abort hooks, on the client for the length of the wait, so
 * sleeps and transfers deep in the transport ask them too. */
static void S_hooks(quire_client *c, const quire_wait_hooks *h) {
  c->abort_fn = h->cancel;
  c->abort_payload = h->payload;
  c->abort_flag = h->abort_flag;
}

static void S_unhook(quire_client *c) {
  c->abort_fn = NULL;
  c->abort_payload = NULL;
  c->abort_flag = NULL;
}

int quire_client_wait_job(quire_job **out, quire_client *client,
                          const char *job_id, const quire_wait_options *opts,
                          quire_error *err) {
  return quire_client_wait_job_hooks(out, client, job_id, opts, NULL, err);
}

int quire_client_wait_job_hooks(quire_job **out, quire_client *client,
                                const char *job_id,
                                const quire_wait_options *opts,
                                const quire_wait_hooks *hooks,
                                quire_error *err) {
  long timeout_ms = 0;
  quire_error local;
  if (!err) /* the code of a stream failure travels in err */
    err = &local;
  if (!out)
    return quire__error_set(err, QUIRE_EINVAL, "no place for the job");
  *out = NULL;
  int rc = S_args(client, job_id, &opts, &hooks, &timeout_ms, err);
  if (rc)
    return rc;
  double deadline = quire__now() + (double)timeout_ms / 1000.0;
  S_hooks(client, hooks);
  rc = S_wait_job(out, client, job_id, opts, hooks, deadline, timeout_ms, err);
  S_unhook(client);
  return rc ? quire__client_scrub(client, err, rc) : 0;
}

int quire_client_wait_report(quire_buf *out, quire_client *client,
                             const char *job_id, const quire_wait_options *opts,
                             quire_error *err) {
  return quire_client_wait_report_hooks(out, client, job_id, opts, NULL, err);
}

int quire_client_wait_report_hooks(quire_buf *out, quire_client *client,
                                   const char *job_id,
                                   const quire_wait_options *opts,
                                   const quire_wait_hooks *hooks,
                                   quire_error *err) {
  long timeout_ms = 0;
  quire_job *job = NULL;
  quire_error local;
  if (!err)
    err = &local;
  if (!out)
    return quire__error_set(err, QUIRE_EINVAL, "no output buffer given");
  int rc = S_args(client, job_id, &opts, &hooks, &timeout_ms, err);
  if (rc)
    return rc;
  double deadline = quire__now() + (double)timeout_ms / 1000.0;
  S_hooks(client, hooks);
  rc = S_wait_job(&job, client, job_id, opts, hooks, deadline, timeout_ms, err);
  while (rc == 0 && job) {
    rc = quire__client_job_report(out, client, job, deadline, err);
    if (rc == QUIRE_EABORTED)
      rc = S_aborted(err);
    if (rc != QUIRE_ENOTREADY)
      break;
    /* Succeeded, but the report is not visible yet (replication lag):
     * ask again until the deadline. */
    int slept = quire__client_sleep(client, client->poll_ms, deadline);
    if (slept == -2) {
      rc = S_aborted(err);
      break;
    }
    if (slept != 0 || quire__now() >= deadline) {
      rc = quire__error_set(err, QUIRE_ETIMEOUT,
                            "job %s succeeded but its report was not ready "
                            "within %.3g s",
                            job_id, (double)timeout_ms / 1000.0);
      break;
    }
    rc = 0;
  }
  S_unhook(client);
  quire_job_free(job);
  return rc ? quire__client_scrub(client, err, rc) : 0;
}
