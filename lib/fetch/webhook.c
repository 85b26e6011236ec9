/* Webhook deliveries: the conduit-signature check and the event envelope.
 * No libcurl here; a backend links this part for its webhook endpoint. */
#include "fetch.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define S_SIG "invalid webhook signature"

static int S_header_is(const char *line, const char *name, const char **value) {
  size_t n = strlen(name);
  while (*line == ' ' || *line == '\t')
    line++;
  if (strncasecmp(line, name, n) != 0)
    return 0;
  const char *p = line + n;
  while (*p == ' ' || *p == '\t')
    p++;
  if (*p != ':')
    return 0;
  p++;
  while (*p == ' ' || *p == '\t')
    p++;
  *value = p;
  return 1;
}

static int S_hexval(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* "t=<digits>,v1=<64 hex>", components in any order, each exactly once,
 * nothing else (as conduit-rs, -go and -py). */
static int S_parse_sig(const char *v, char t_out[24], unsigned char sig[32],
                       quire_error *err) {
  int have_t = 0, have_v1 = 0;
  const char *p = v;
  for (;;) {
    while (*p == ' ' || *p == '\t')
      p++;
    const char *end = strchr(p, ',');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r' ||
                 p[n - 1] == '\n'))
      n--;
    const char *eq = memchr(p, '=', n);
    if (!eq)
      return quire__error_set(err, QUIRE_ESIGNATURE,
                              S_SIG " (webhook_signature_invalid): component "
                                    "without '='");
    size_t kl = (size_t)(eq - p), vl = n - kl - 1;
    const char *val = eq + 1;
    if (vl == 0)
      return quire__error_set(err, QUIRE_ESIGNATURE,
                              S_SIG " (webhook_signature_invalid): empty "
                                    "value");
    if (kl == 1 && p[0] == 't') {
      if (have_t++)
        return quire__error_set(err, QUIRE_ESIGNATURE,
                                S_SIG " (webhook_signature_invalid): "
                                      "duplicated t=");
      if (vl > 15 || strspn(val, "0123456789") < vl)
        return quire__error_set(err, QUIRE_ESIGNATURE,
                                S_SIG " (webhook_signature_invalid): t= is "
                                      "not a Unix time");
      memcpy(t_out, val, vl);
      t_out[vl] = '\0';
    } else if (kl == 2 && p[0] == 'v' && p[1] == '1') {
      if (have_v1++)
        return quire__error_set(err, QUIRE_ESIGNATURE,
                                S_SIG " (webhook_signature_invalid): "
                                      "duplicated v1=");
      if (vl != 64)
        return quire__error_set(err, QUIRE_ESIGNATURE,
                                S_SIG " (webhook_signature_invalid): v1= is "
                                      "not 64 hex digits");
      for (int i = 0; i < 32; i++) {
        int hi = S_hexval(val[2 * i]), lo = S_hexval(val[2 * i + 1]);
        if (hi < 0 || lo < 0)
          return quire__error_set(err, QUIRE_ESIGNATURE,
                                  S_SIG " (webhook_signature_invalid): v1= is "
                                        "not 64 hex digits");
        sig[i] = (unsigned char)(hi << 4 | lo);
      }
    } else {
      return quire__error_set(err, QUIRE_ESIGNATURE,
                              S_SIG " (webhook_signature_invalid): unknown "
                                    "component '%.*s'",
                              (int)(kl > 16 ? 16 : kl), p);
    }
    if (!end)
      break;
    p = end + 1;
  }
  if (!have_t || !have_v1)
    return quire__error_set(err, QUIRE_ESIGNATURE,
                            S_SIG " (webhook_signature_invalid): needs both "
                                  "t= and v1=");
  return 0;
}

int quire_webhook_verify(const char *const *headers, size_t nheaders,
                         const char *body, size_t body_len, const char *secret,
                         size_t secret_len, const quire_webhook_options *opts,
                         quire_error *err) {
  if ((!headers && nheaders) || (!body && body_len))
    return quire__error_set(err, QUIRE_EINVAL, "no headers or body given");
  if (!secret || !secret_len)
    return quire__error_set(err, QUIRE_EINVAL, "no webhook secret given");
  if (opts && opts->version != QUIRE_WEBHOOK_OPTIONS_VERSION)
    return quire__error_set(err, QUIRE_EINVAL,
                            "webhook options of another version");
  const char *value = NULL, *legacy = NULL, *v;
  int count = 0, legacy_count = 0;
  for (size_t i = 0; i < nheaders; i++) {
    if (!headers[i])
      continue;
    if (S_header_is(headers[i], "conduit-signature", &v)) {
      value = v;
      count++;
    } else if (S_header_is(headers[i], "mappa-signature", &v)) {
      legacy = v; /* mappa-node, the pre-Conduit SDK */
      legacy_count++;
    }
  }
  if (!count) {
    value = legacy;
    count = legacy_count;
  }
  if (count == 0)
    return quire__error_set(err, QUIRE_ESIGNATURE,
                            S_SIG " (webhook_signature_missing): no "
                                  "conduit-signature header");
  if (count > 1)
    return quire__error_set(err, QUIRE_ESIGNATURE,
                            S_SIG " (webhook_signature_invalid): the "
                                  "signature header appears %d times",
                            count);
  char t[24];
  unsigned char want[32], got[32];
  int rc = S_parse_sig(value, t, want, err);
  if (rc)
    return rc;
  long long ts = strtoll(t, NULL, 10);
  long long now = opts && opts->now ? opts->now : (long long)time(NULL);
  long tol =
      opts && opts->tolerance > 0 ? opts->tolerance : QUIRE__WEBHOOK_TOLERANCE;
  long long skew = now - ts;
  if (skew < 0)
    skew = -skew;
  /* Both directions: a future timestamp is as suspect as an old one. */
  if (skew > tol)
    return quire__error_set(err, QUIRE_ESIGNATURE,
                            S_SIG " (webhook_signature_stale): signed %lld s "
                                  "%s, outside the %ld s tolerance",
                            skew, ts < now ? "ago" : "in the future", tol);
  quire__hmac h;
  quire__hmac_init(&h, secret, secret_len);
  quire__hmac_update(&h, t, strlen(t));
  quire__hmac_update(&h, ".", 1);
  if (body_len)
    quire__hmac_update(&h, body, body_len);
  quire__hmac_final(&h, got);
  int same = quire__ct_equal(got, want, sizeof got);
  quire__wipe(got, sizeof got);
  if (!same)
    return quire__error_set(err, QUIRE_ESIGNATURE,
                            S_SIG " (webhook_signature_invalid): the "
                                  "signature does not match the body");
  return 0;
}

/* ---- the event envelope ---- */

struct quire_webhook_event {
  quire_webhook_kind kind;
  char *id;
  char *type;
  char *created_at;
  char *job_id;
  char *report_id;
  char *matching_id;
  char *status;
  char *error_code;
  char *error_message;
  char *data; /* compact JSON */
};

void quire_webhook_event_free(quire_webhook_event *e) {
  if (!e)
    return;
  free(e->id);
  free(e->type);
  free(e->created_at);
  free(e->job_id);
  free(e->report_id);
  free(e->matching_id);
  free(e->status);
  free(e->error_code);
  free(e->error_message);
  free(e->data);
  free(e);
}

static int S_take(char **dst, json_t *v) {
  if (!json_is_string(v) || json_string_length(v) == 0)
    return 0;
  *dst = quire__strndup(json_string_value(v), json_string_length(v));
  if (!*dst)
    return -1;
  quire__sanitize(*dst);
  return 0;
}

static int S_need(quire_error *err, const char *path, const char *what) {
  quire__error_path(err, path);
  return quire__error_set(err, QUIRE_ESCHEMA, "invalid webhook payload: %s",
                          what);
}

int quire_webhook_parse_event(quire_webhook_event **out, const char *body,
                              size_t len, quire_error *err) {
  if (!out)
    return quire__error_set(err, QUIRE_EINVAL, "no place for the event");
  *out = NULL;
  if (!body && len)
    return quire__error_set(err, QUIRE_EINVAL, "no body given");
  if (len > QUIRE__MAX_INPUT_DEFAULT)
    return quire__error_set(err, QUIRE_ETOOBIG,
                            "webhook body is larger than %zu bytes",
                            QUIRE__MAX_INPUT_DEFAULT);
  json_error_t je;
  json_t *root = json_loadb(body ? body : "", len, JSON_REJECT_DUPLICATES, &je);
  if (!root) {
    if (err) {
      err->line = (unsigned)(je.line > 0 ? je.line : 0);
      err->column = (unsigned)(je.column > 0 ? je.column : 0);
    }
    return quire__error_set(err, QUIRE_ESYNTAX, "%s", je.text);
  }
  int rc = 0;
  quire_webhook_event *e = quire__calloc(1, sizeof *e);
  if (!e) {
    json_decref(root);
    return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  }
  if (!json_is_object(root)) {
    rc = S_need(err, "$", "expected an object");
    goto done;
  }
  json_t *type = json_object_get(root, "type");
  if (!json_is_string(type) || json_string_length(type) == 0) {
    rc = S_need(err, "$.type", "expected the event type");
    goto done;
  }
  const char *ts = json_string_value(type);
  e->kind = strcmp(ts, "report.completed") == 0 ? QUIRE_WEBHOOK_REPORT_COMPLETED
            : strcmp(ts, "report.failed") == 0  ? QUIRE_WEBHOOK_REPORT_FAILED
            : strcmp(ts, "matching.completed") == 0
                ? QUIRE_WEBHOOK_MATCHING_COMPLETED
            : strcmp(ts, "matching.failed") == 0 ? QUIRE_WEBHOOK_MATCHING_FAILED
                                                 : QUIRE_WEBHOOK_UNKNOWN;
  json_t *data = json_object_get(root, "data");
  int bad =
      S_take(&e->type, type) | S_take(&e->id, json_object_get(root, "id"));
  bad |= S_take(&e->created_at, json_object_get(root, "createdAt"));
  if (!e->created_at)
    bad |= S_take(&e->created_at, json_object_get(root, "timestamp"));
  if (json_is_object(data)) {
    bad |= S_take(&e->job_id, json_object_get(data, "jobId"));
    bad |= S_take(&e->report_id, json_object_get(data, "reportId"));
    bad |= S_take(&e->matching_id, json_object_get(data, "matchingId"));
    bad |= S_take(&e->status, json_object_get(data, "status"));
    json_t *er = json_object_get(data, "error");
    if (json_is_object(er)) {
      bad |= S_take(&e->error_code, json_object_get(er, "code"));
      bad |= S_take(&e->error_message, json_object_get(er, "message"));
    }
  }
  e->data = data ? json_dumps(data, JSON_COMPACT | JSON_ENCODE_ANY)
                 : quire__strdup("null");
  if (bad || !e->data) {
    rc = quire__error_set(err, QUIRE_ENOMEM, "out of memory");
    goto done;
  }
  if (e->kind != QUIRE_WEBHOOK_UNKNOWN) {
    int failed = e->kind == QUIRE_WEBHOOK_REPORT_FAILED ||
                 e->kind == QUIRE_WEBHOOK_MATCHING_FAILED;
    if (!json_is_object(data))
      rc = S_need(err, "$.data", "expected an object");
    else if (!e->job_id)
      rc = S_need(err, "$.data.jobId", "expected the job id");
    else if (e->kind == QUIRE_WEBHOOK_REPORT_COMPLETED && !e->report_id)
      rc = S_need(err, "$.data.reportId", "expected the report id");
    else if (e->kind == QUIRE_WEBHOOK_MATCHING_COMPLETED && !e->matching_id)
      rc = S_need(err, "$.data.matchingId", "expected the matching id");
    else if (failed && !json_is_object(json_object_get(data, "error")))
      rc = S_need(err, "$.data.error", "expected {code, message}");
  }
done:
  json_decref(root);
  if (rc)
    quire_webhook_event_free(e);
  else
    *out = e;
  return rc;
}

quire_webhook_kind quire_webhook_event_kind(const quire_webhook_event *e) {
  return e ? e->kind : QUIRE_WEBHOOK_UNKNOWN;
}
#define S_GETTER(name, field)                                                  \
  const char *quire_webhook_event_##name(const quire_webhook_event *e) {       \
    return e ? e->field : NULL;                                                \
  }
S_GETTER(id, id)
S_GETTER(type, type)
S_GETTER(created_at, created_at)
S_GETTER(job_id, job_id)
S_GETTER(report_id, report_id)
S_GETTER(matching_id, matching_id)
S_GETTER(status, status)
S_GETTER(error_code, error_code)
S_GETTER(error_message, error_message)
#undef S_GETTER
const char *quire_webhook_event_data(const quire_webhook_event *e) {
  return e && e->data ? e->data : "null";
}
