/* The Conduit endpoints: reports, matching results, either by job, jobs,
 * job creation and cancellation. */
#include "fetch.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* "/v1/reports/" + escaped id + suffix, or QUIRE_EINVAL for no id. */
static int S_path(quire_buf *out, const char *prefix, const char *id,
                  const char *suffix, quire_error *err) {
  if (!id || !*id)
    return quire__error_set(err, QUIRE_EINVAL, "no id given");
  quire_buf_puts(out, prefix);
  quire__url_escape_segment(out, id);
  if (suffix)
    quire_buf_puts(out, suffix);
  if (quire_buf_failed(out))
    return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  return 0;
}

/* The last step of every public call: whatever err says, the key is not in
 * it. */
static int S_scrub(quire_client *c, quire_error *err, int rc) {
  return rc ? quire__client_scrub(c, err, rc) : 0;
}

static int S_client_ok(quire_client *c, quire_error *err) {
  return c ? 0 : quire__error_set(err, QUIRE_EINVAL, "no client given");
}

/* A report or a matching result: the two live side by side. */
typedef struct S_kind {
  const char *prefix; /* GET prefix + id */
  const char *by_job; /* GET by_job + job id */
  const char *noun;   /* in messages */
} S_kind;

static const S_kind S_REPORT = {"/v1/reports/", "/v1/reports/by-job/",
                                "report"};
static const S_kind S_MATCHING = {"/v1/matching/", "/v1/matching/by-job/",
                                  "matching result"};

/* GET path and append the body to out. */
static int S_get_body(quire_buf *out, quire_client *c, const char *path,
                      double deadline, quire_error *err) {
  quire__request req = QUIRE__REQUEST_INIT;
  quire__response resp;
  req.path = path;
  req.deadline = deadline;
  quire__response_init(&resp, c->max_response);
  int rc = quire__http(&resp, c, &req, err);
  if (rc == 0 && quire_buf_put(out, resp.body.ptr, resp.body.size) != 0) {
    quire__error_set(err, quire_buf_failed(out),
                     "the response does not fit the caller's buffer");
    rc = quire__client_error(c, err, quire_buf_failed(out), path, &resp);
  }
  if (rc == 0 && err) {
    /* Keep the request id: callers that fail later (a report that does not
     * decode) can still name it. */
    snprintf(err->request_id, sizeof err->request_id, "%s", resp.request_id);
    quire__redact(err->request_id, sizeof err->request_id, c->key);
  }
  quire__response_dispose(&resp);
  return rc;
}

static int S_get_one(quire_buf *out, quire_client *c, const S_kind *k,
                     const char *id, double deadline, quire_error *err) {
  quire_buf path = QUIRE_BUF_INIT;
  int rc = S_path(&path, k->prefix, id, NULL, err);
  if (!rc)
    rc = S_get_body(out, c, path.ptr, deadline, err);
  quire_buf_dispose(&path);
  return rc;
}

static int S_out_ok(quire_client *c, const quire_buf *out, quire_error *err) {
  int rc = S_client_ok(c, err);
  if (!rc && !out)
    rc = quire__error_set(err, QUIRE_EINVAL, "no output buffer given");
  return rc;
}

int quire_client_get_report(quire_buf *out, quire_client *client,
                            const char *report_id, quire_error *err) {
  int rc = S_out_ok(client, out, err);
  return rc ? rc
            : S_scrub(client, err,
                      S_get_one(out, client, &S_REPORT, report_id, 0, err));
}

int quire_client_get_matching(quire_buf *out, quire_client *client,
                              const char *matching_id, quire_error *err) {
  int rc = S_out_ok(client, out, err);
  return rc ? rc
            : S_scrub(client, err,
                      S_get_one(out, client, &S_MATCHING, matching_id, 0, err));
}

/* JSON null, or nothing at all: conduit-rs and conduit-go read both as
 * "no report yet". */
static int S_is_null(const char *s, size_t n) {
  while (n && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
    s++, n--;
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' ||
               s[n - 1] == '\n'))
    n--;
  return n == 0 || (n == 4 && memcmp(s, "null", 4) == 0);
}

static int S_by_job(quire_buf *out, quire_client *c, const S_kind *k,
                    const char *job_id, double deadline, quire_error *err) {
  quire_buf path = QUIRE_BUF_INIT, body = QUIRE_BUF_INIT;
  int rc = S_path(&path, k->by_job, job_id, NULL, err);
  if (!rc) {
    body.max = c->max_response;
    rc = S_get_body(&body, c, path.ptr, deadline, err);
  }
  if (!rc && S_is_null(body.ptr, body.size)) {
    char rid[sizeof err->request_id];
    snprintf(rid, sizeof rid, "%s", err ? err->request_id : "");
    quire__error_set(err, QUIRE_ENOTREADY, "the %s of job %s is not ready yet",
                     k->noun, job_id);
    rc = quire__client_error(c, err, QUIRE_ENOTREADY, path.ptr, NULL);
    if (err)
      snprintf(err->request_id, sizeof err->request_id, "%s", rid);
  } else if (!rc && quire_buf_put(out, body.ptr, body.size) != 0) {
    rc = quire__error_set(err, quire_buf_failed(out),
                          "the %s does not fit the caller's buffer", k->noun);
  }
  quire_buf_dispose(&path);
  quire_buf_dispose(&body);
  return rc;
}

int quire_client_get_report_by_job(quire_buf *out, quire_client *client,
                                   const char *job_id, quire_error *err) {
  int rc = S_out_ok(client, out, err);
  return rc ? rc
            : S_scrub(client, err,
                      S_by_job(out, client, &S_REPORT, job_id, 0, err));
}

int quire_client_get_matching_by_job(quire_buf *out, quire_client *client,
                                     const char *job_id, quire_error *err) {
  int rc = S_out_ok(client, out, err);
  return rc ? rc
            : S_scrub(client, err,
                      S_by_job(out, client, &S_MATCHING, job_id, 0, err));
}

int quire__client_get_job(quire_job **out, quire_client *c, const char *job_id,
                          double deadline, quire_error *err) {
  quire_buf path = QUIRE_BUF_INIT, body = QUIRE_BUF_INIT;
  quire_job *job = NULL;
  *out = NULL;
  int rc = S_path(&path, "/v1/jobs/", job_id, NULL, err);
  if (!rc) {
    body.max = c->max_response;
    rc = S_get_body(&body, c, path.ptr, deadline, err);
  }
  if (!rc && !(job = quire__job_new()))
    rc = (quire__error_set(err, QUIRE_ENOMEM, "out of memory"), QUIRE_ENOMEM);
  if (!rc)
    rc = quire__job_update(job, body.ptr, body.size, err);
  quire__job_redact(job, c->key);
  if (!rc && job->status == QUIRE_JOB_UNKNOWN)
    rc = quire__error_set(err, QUIRE_ESERVER, "the job has no status");
  if (!rc && !job->id && !(job->id = quire__strdup(job_id)))
    rc = (quire__error_set(err, QUIRE_ENOMEM, "out of memory"), QUIRE_ENOMEM);
  if (rc) {
    if (rc != QUIRE_EINVAL && err && err->source[0] == '\0')
      quire__client_error(c, err, rc, path.ptr, NULL);
    quire_job_free(job);
  } else {
    *out = job;
  }
  quire_buf_dispose(&path);
  quire_buf_dispose(&body);
  return rc;
}

int quire_client_get_job(quire_job **out, quire_client *client,
                         const char *job_id, quire_error *err) {
  if (!out)
    return quire__error_set(err, QUIRE_EINVAL, "no place for the job");
  *out = NULL;
  int rc = S_client_ok(client, err);
  return rc ? rc
            : S_scrub(client, err,
                      quire__client_get_job(out, client, job_id, 0, err));
}

int quire__client_job_report(quire_buf *out, quire_client *c,
                             const quire_job *job, double deadline,
                             quire_error *err) {
  int rc = quire__job_terminal_error(job, err);
  if (rc)
    return rc;
  /* A matching job's result lives under /v1/matching/, whatever the job
   * was asked: its matchingId, or its type when the id is missing. */
  if (job->matching_id && !job->report_id)
    return S_get_one(out, c, &S_MATCHING, job->matching_id, deadline, err);
  if (job->report_id)
    return S_get_one(out, c, &S_REPORT, job->report_id, deadline, err);
  /* Succeeded without an id, or not finished: ask by job id. */
  const S_kind *k = job->type && strcmp(job->type, "matching.generate") == 0
                        ? &S_MATCHING
                        : &S_REPORT;
  return S_by_job(out, c, k, job->id, deadline, err);
}

int quire_client_get_job_report(quire_buf *out, quire_client *client,
                                const quire_job *job, quire_error *err) {
  int rc = S_client_ok(client, err);
  if (!rc && (!out || !job || !job->id))
    rc = (quire__error_set(err, QUIRE_EINVAL, "no buffer or job given"),
          QUIRE_EINVAL);
  return rc ? rc
            : S_scrub(client, err,
                      quire__client_job_report(out, client, job, 0, err));
}

/* ---- POST /v1/reports/jobs ---- */

static const char *const S_strategies[] = {"dominant", "timerange", "entity_id",
                                           "magic_hint", "speaker_index"};

static int S_set_str(json_t *o, const char *k, const char *v) {
  return json_object_set_new(o, k, json_string(v));
}

/* A speaker selector in the contract's snake_case (conduit-rs sends
 * camelCase, which the server's schema drops): a report job's "target",
 * a matching subject's "selector". */
typedef struct S_sel {
  quire_target strategy;
  double start, end; /* < 0 = open */
  const char *entity_id, *hint;
  long speaker_index;
  int fallback_dominant;
} S_sel;

static int S_selector(json_t **out, const S_sel *sel, quire_error *err) {
  *out = NULL;
  if ((unsigned)sel->strategy > QUIRE_TARGET_SPEAKER_INDEX)
    return quire__error_set(err, QUIRE_EINVAL, "unknown target strategy");
  if (sel->strategy == QUIRE_TARGET_TIMERANGE && sel->start >= 0 &&
      sel->end >= 0 && sel->end <= sel->start)
    return quire__error_set(err, QUIRE_EINVAL,
                            "the time range ends before it starts");
  if (sel->strategy == QUIRE_TARGET_ENTITY_ID ||
      sel->strategy == QUIRE_TARGET_MAGIC_HINT) {
    int ent = sel->strategy == QUIRE_TARGET_ENTITY_ID;
    const char *v = ent ? sel->entity_id : sel->hint;
    if (!v || !*v)
      return quire__error_set(err, QUIRE_EINVAL, "target %s needs %s",
                              S_strategies[sel->strategy],
                              ent ? "an entity id" : "a hint");
  }
  if (sel->strategy == QUIRE_TARGET_SPEAKER_INDEX && sel->speaker_index < 0)
    return quire__error_set(err, QUIRE_EINVAL,
                            "target speaker_index needs an index >= 0");
  json_t *t = json_object();
  int bad = !t;
  bad |= S_set_str(t, "strategy", S_strategies[sel->strategy]);
  bad |= S_set_str(t, "on_miss",
                   sel->fallback_dominant ? "fallback_dominant" : "error");
  switch (sel->strategy) {
  case QUIRE_TARGET_TIMERANGE: {
    json_t *tr = json_object();
    bad |= !tr;
    if (sel->start >= 0)
      bad |= json_object_set_new(tr, "start_seconds", json_real(sel->start));
    if (sel->end >= 0)
      bad |= json_object_set_new(tr, "end_seconds", json_real(sel->end));
    bad |= json_object_set_new(t, "timerange", tr);
    break;
  }
  case QUIRE_TARGET_ENTITY_ID:
    bad |= S_set_str(t, "entity_id", sel->entity_id);
    break;
  case QUIRE_TARGET_MAGIC_HINT: bad |= S_set_str(t, "hint", sel->hint); break;
  case QUIRE_TARGET_SPEAKER_INDEX:
    bad |= json_object_set_new(t, "speaker_index",
                               json_integer(sel->speaker_index));
    break;
  case QUIRE_TARGET_DOMINANT: break;
  }
  if (bad) {
    json_decref(t);
    return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  }
  *out = t;
  return 0;
}

/* RFC 9110 tchar. */
static int S_tchar(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z') || (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* {"Name": "value", ...} from "Name: value" lines, checked: a header
 * the server would copy into each delivery must not smuggle in another
 * (CR/LF) or break its line. */
static int S_webhook_headers(json_t **out, const char *const *h, size_t n,
                             const char *webhook, quire_error *err) {
  *out = NULL;
  if (!n)
    return 0;
  if (!h)
    return quire__error_set(err, QUIRE_EINVAL, "webhook header list missing");
  if (!webhook || !*webhook)
    return quire__error_set(err, QUIRE_EINVAL,
                            "webhook headers need a webhook URL");
  json_t *o = json_object();
  if (!o)
    return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  for (size_t i = 0; i < n; i++) {
    const char *line = h[i] ? h[i] : "", *colon = strchr(line, ':');
    size_t nl = colon ? (size_t)(colon - line) : 0, k;
    for (k = 0; k < nl && S_tchar((unsigned char)line[k]); k++)
      ;
    const char *v = colon ? colon + 1 : "";
    while (*v == ' ' || *v == '\t')
      v++;
    size_t vl = strlen(v);
    while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
      vl--;
    int ctl = 0;
    for (size_t j = 0; j < vl; j++)
      ctl |= ((unsigned char)v[j] < 0x20 && v[j] != '\t') || v[j] == 0x7f;
    if (!colon || !nl || k != nl || ctl) {
      json_decref(o);
      return quire__error_set(
          err, QUIRE_EINVAL,
          ctl ? "webhook header %zu: the value holds a control character "
                "(CR, LF...)"
              : "webhook header %zu: expected 'Name: value' with a name of "
                "letters, digits and !#$%%&'*+-.^_`|~",
          i + 1);
    }
    char name[256];
    if (nl >= sizeof name) {
      json_decref(o);
      return quire__error_set(
          err, QUIRE_EINVAL, "webhook header %zu: the name is too long", i + 1);
    }
    memcpy(name, line, nl);
    name[nl] = '\0';
    const char *dup;
    json_t *val;
    json_object_foreach(o, dup, val) {
      if (strcasecmp(dup, name) == 0) {
        json_decref(o);
        return quire__error_set(err, QUIRE_EINVAL,
                                "webhook header '%s' is given twice", name);
      }
    }
    if (json_object_set_new(o, name, json_stringn(v, vl))) {
      json_decref(o);
      return quire__error_set(err, QUIRE_EINVAL,
                              "webhook header %zu is not UTF-8", i + 1);
    }
  }
  *out = o;
  return 0;
}

/* Adds {"url": webhook, "headers": {...}} and the caller's idempotency key
 * to a job body. */
static int S_common(json_t *root, const char *webhook, json_t *headers,
                    const char *idem) {
  int bad = 0;
  if (webhook && *webhook) {
    json_t *wh = json_object();
    bad |= !wh || S_set_str(wh, "url", webhook);
    if (headers)
      bad |= json_object_set_new(wh, "headers", headers);
    bad |= json_object_set_new(root, "webhook", wh);
  } else {
    json_decref(headers);
  }
  /* As conduit-ts: a caller's key also goes in the body, which the
   * contract allows. */
  if (idem)
    bad |= S_set_str(root, "idempotencyKey", idem);
  return bad;
}

static int S_encode(char **out, json_t *root, int bad, quire_error *err) {
  if (!bad)
    *out = json_dumps(root, JSON_COMPACT);
  json_decref(root);
  if (!*out)
    return quire__error_set(err, QUIRE_EINVAL,
                            "cannot encode the request (invalid UTF-8?)");
  return 0;
}

static int S_job_body(char **out, const quire_job_request *r,
                      const char *idem_given, quire_error *err) {
  *out = NULL;
  if (!r->media_id || !*r->media_id)
    return quire__error_set(err, QUIRE_EINVAL, "no media id given");
  if (!r->template_name || !*r->template_name)
    return quire__error_set(err, QUIRE_EINVAL, "no template given");
  S_sel sel = {r->target,
               r->target_start,
               r->target_end,
               r->target_entity_id,
               r->target_hint,
               r->target_speaker_index,
               r->target_fallback_dominant};
  json_t *target = NULL, *hdrs = NULL;
  int rc = S_selector(&target, &sel, err);
  if (rc)
    return rc;
  if (r->version >= 2 &&
      (rc = S_webhook_headers(&hdrs, r->webhook_headers,
                              r->webhook_header_count, r->webhook_url, err))) {
    json_decref(target);
    return rc;
  }
  json_t *params = NULL;
  if (r->template_params) {
    json_error_t je;
    params = json_loads(r->template_params, 0, &je);
    if (!json_is_object(params)) {
      json_decref(params);
      json_decref(target);
      json_decref(hdrs);
      return quire__error_set(err, QUIRE_EINVAL,
                              "template parameters must be a JSON object");
    }
  }
  json_t *root = json_object(), *media = json_object(), *output = json_object();
  int bad = !root || !media || !output;
  bad |= S_set_str(media, "mediaId", r->media_id);
  bad |= S_set_str(output, "template", r->template_name);
  if (params)
    bad |= json_object_set_new(output, "templateParams", params);
  bad |= json_object_set_new(root, "media", media);
  bad |= json_object_set_new(root, "output", output);
  bad |= json_object_set_new(root, "target", target);
  bad |= S_common(root, r->webhook_url, hdrs, idem_given);
  if (r->label && *r->label)
    bad |= S_set_str(root, "label", r->label);
  if (r->entity_label && *r->entity_label)
    bad |= S_set_str(root, "entityLabel", r->entity_label);
  return S_encode(out, root, bad, err);
}

/* A matching subject: {type: entity_id, entityId} or {type: media_target,
 * mediaId, selector}. */
static int S_subject(json_t **out, const quire_subject *s, const char *what,
                     quire_error *err) {
  *out = NULL;
  int ent = s->entity_id && *s->entity_id;
  int med = s->media_id && *s->media_id;
  if (ent == med)
    return quire__error_set(err, QUIRE_EINVAL,
                            "the %s needs an entity id or a media id "
                            "(one of them)",
                            what);
  json_t *o = json_object();
  int bad = !o;
  if (ent) {
    bad |= S_set_str(o, "type", "entity_id");
    bad |= S_set_str(o, "entityId", s->entity_id);
  } else {
    S_sel sel = {s->strategy,         s->start, s->end,
                 s->entity_sel,       s->hint,  s->speaker_index,
                 s->fallback_dominant};
    json_t *selector = NULL;
    int rc = S_selector(&selector, &sel, err);
    if (rc) {
      json_decref(o);
      return rc;
    }
    bad |= S_set_str(o, "type", "media_target");
    bad |= S_set_str(o, "mediaId", s->media_id);
    bad |= json_object_set_new(o, "selector", selector);
  }
  if (bad) {
    json_decref(o);
    return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  }
  *out = o;
  return 0;
}

static int S_matching_body(char **out, const quire_matching_request *r,
                           const char *idem_given, quire_error *err) {
  *out = NULL;
  if (!r->group || r->group_count == 0)
    return quire__error_set(err, QUIRE_EINVAL,
                            "a matching job needs at least one group member");
  if (r->group_count > 64)
    return quire__error_set(err, QUIRE_EINVAL,
                            "a matching group of %zu is over the 64 this "
                            "client sends",
                            r->group_count);
  json_t *root = json_object(), *group = json_array(), *target = NULL;
  json_t *hdrs = NULL;
  int rc = S_subject(&target, &r->target, "target", err);
  if (!rc && r->version >= 2 &&
      (rc = S_webhook_headers(&hdrs, r->webhook_headers,
                              r->webhook_header_count, r->webhook_url, err))) {
    json_decref(target);
    target = NULL;
  }
  int bad = !root || !group;
  if (!rc)
    bad |= json_object_set_new(root, "target", target);
  for (size_t i = 0; !rc && i < r->group_count; i++) {
    char what[48];
    snprintf(what, sizeof what, "group member %zu", i + 1);
    json_t *m = NULL;
    rc = S_subject(&m, &r->group[i], what, err);
    if (!rc)
      bad |= json_array_append_new(group, m);
  }
  if (rc) {
    json_decref(hdrs);
    json_decref(root);
    json_decref(group);
    return rc;
  }
  bad |= S_set_str(root, "context",
                   r->context && *r->context ? r->context
                                             : "behavioral_compatibility");
  bad |= json_object_set_new(root, "group", group);
  bad |= S_common(root, r->webhook_url, hdrs, idem_given);
  return S_encode(out, root, bad, err);
}

/* idem_<uuid v4>, the form conduit-rs/ts/go generate. */
static void S_idem_key(char out[48]) {
  unsigned char r[16];
  char hex[33];
  quire__random(r, sizeof r);
  r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);
  r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
  quire__hex(hex, r, sizeof r);
  snprintf(out, 48, "idem_%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12,
           hex + 16, hex + 20);
}

/* The key goes into a request header as given: the character set keeps a
 * line break (a second header) and anything a server may mangle out. */
int quire__idem_key(const char **key, const char *given, char gen[48],
                    quire_error *err) {
  if (given &&
      (!*given || strlen(given) > 255 ||
       strspn(given, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                     "0123456789-_.:~") != strlen(given)))
    return quire__error_set(err, QUIRE_EINVAL,
                            "idempotency key must be 1-255 letters, digits "
                            "or -_.:~");
  if (!given)
    S_idem_key(gen);
  *key = given ? given : gen;
  return 0;
}

/* POSTs a job body under key (safe to retry: the server creates one job)
 * and reads the receipt. */
static int S_post_job(quire_job **out, quire_client *client, const char *path,
                      const char *body, const char *key, quire_error *err) {
  quire_job *job = NULL;
  quire__request r = QUIRE__REQUEST_INIT;
  quire__response resp;
  r.method = "POST";
  r.path = path;
  r.body = body;
  r.body_len = strlen(body);
  r.idempotency_key = key;
  quire__response_init(&resp, client->max_response);
  int rc = quire__http(&resp, client, &r, err);
  if (!rc && !(job = quire__job_new()))
    rc = (quire__error_set(err, QUIRE_ENOMEM, "out of memory"), QUIRE_ENOMEM);
  if (!rc)
    rc = quire__job_update(job, resp.body.ptr, resp.body.size, err);
  quire__job_redact(job, client->key);
  if (!rc && !job->id)
    rc = quire__error_set(err, QUIRE_ESERVER,
                          "the server's answer has no jobId");
  if (!rc && job->status == QUIRE_JOB_UNKNOWN)
    job->status = QUIRE_JOB_QUEUED;
  if (rc) {
    if (err && !err->source[0])
      quire__client_error(client, err, rc, r.path, &resp);
    quire_job_free(job);
  } else {
    *out = job;
  }
  quire__response_dispose(&resp);
  return rc;
}

typedef int (*S_body_fn)(char **out, const void *req, const char *idem_given,
                         quire_error *err);

static int S_report_body(char **out, const void *req, const char *idem,
                         quire_error *err) {
  return S_job_body(out, req, idem, err);
}

static int S_match_body(char **out, const void *req, const char *idem,
                        quire_error *err) {
  return S_matching_body(out, req, idem, err);
}

/* Checks the arguments, then the key (the caller's, checked, or a new one,
 * handed out through idem_out even when the call fails), the body, the
 * POST. req_ok: the request is there and of this library's version. */
static int S_create(quire_job **out, quire_buf *idem_out, quire_client *client,
                    int req_ok, const char *path, const char *given,
                    S_body_fn build, const void *req, quire_error *err) {
  char gen[48];
  char *body = NULL;
  if (!out)
    return quire__error_set(err, QUIRE_EINVAL, "no place for the job");
  *out = NULL;
  int rc = S_client_ok(client, err);
  if (!rc && !req_ok)
    rc = quire__error_set(err, QUIRE_EINVAL,
                          "job request missing or of another version");
  const char *key = NULL;
  if (!rc)
    rc = quire__idem_key(&key, given, gen, err);
  if (rc)
    return rc;
  if (idem_out)
    quire_buf_puts(idem_out, key);
  rc = build(&body, req, given, err);
  if (rc || !body)
    return rc ? rc : QUIRE_ENOMEM;
  rc = S_post_job(out, client, path, body, key, err);
  free(body);
  return S_scrub(client, err, rc);
}

int quire_client_create_job(quire_job **out, quire_buf *idem_out,
                            quire_client *client, const quire_job_request *req,
                            quire_error *err) {
  /* Version 1 is the same struct without the webhook headers. */
  int ok =
      req && (req->version == 1 || req->version == QUIRE_JOB_REQUEST_VERSION);
  return S_create(out, idem_out, client, ok, "/v1/reports/jobs",
                  ok ? req->idempotency_key : NULL, S_report_body, req, err);
}

int quire_client_create_matching_job(quire_job **out, quire_buf *idem_out,
                                     quire_client *client,
                                     const quire_matching_request *req,
                                     quire_error *err) {
  int ok = req && (req->version == 1 ||
                   req->version == QUIRE_MATCHING_REQUEST_VERSION);
  return S_create(out, idem_out, client, ok, "/v1/matching/jobs",
                  ok ? req->idempotency_key : NULL, S_match_body, req, err);
}

/* ---- POST /v1/jobs/{id}/cancel ---- */

int quire_client_cancel_job(quire_job **out, quire_client *client,
                            const char *job_id, quire_error *err) {
  if (!out)
    return quire__error_set(err, QUIRE_EINVAL, "no place for the job");
  *out = NULL;
  int rc = S_client_ok(client, err);
  if (rc)
    return rc;
  quire_buf path = QUIRE_BUF_INIT;
  rc = S_path(&path, "/v1/jobs/", job_id, "/cancel", err);
  if (rc) {
    quire_buf_dispose(&path);
    return rc;
  }
  /* As the SDKs: cancel is retried, so one key keeps the retries one
   * request to the server. */
  char key[48];
  S_idem_key(key);
  quire__request r = QUIRE__REQUEST_INIT;
  quire__response resp;
  r.method = "POST";
  r.path = path.ptr;
  r.idempotency_key = key;
  quire__response_init(&resp, client->max_response);
  quire_job *job = NULL;
  rc = quire__http(&resp, client, &r, err);
  if (!rc && !(job = quire__job_new()))
    rc = (quire__error_set(err, QUIRE_ENOMEM, "out of memory"), QUIRE_ENOMEM);
  if (!rc)
    rc = quire__job_update(job, resp.body.ptr, resp.body.size, err);
  quire__job_redact(job, client->key);
  if (!rc && job->status == QUIRE_JOB_UNKNOWN)
    rc = quire__error_set(err, QUIRE_ESERVER, "the job has no status");
  if (!rc && !job->id && !(job->id = quire__strdup(job_id)))
    rc = (quire__error_set(err, QUIRE_ENOMEM, "out of memory"), QUIRE_ENOMEM);
  if (rc) {
    if (rc != QUIRE_EINVAL && err && !err->source[0])
      quire__client_error(client, err, rc, r.path, &resp);
    quire_job_free(job);
  } else {
    *out = job;
  }
  quire__response_dispose(&resp);
  quire_buf_dispose(&path);
  return S_scrub(client, err, rc);
}
