/* Private declarations of the Conduit API client (lib/fetch/). Only files in
 * this directory include <curl/curl.h>; this header does not, so the unit
 * tests and fuzzers can use the pure parts without libcurl types. */
#ifndef QUIRE_FETCH_H
#define QUIRE_FETCH_H

#include "internal.h"

#include <stddef.h>
#include <stdint.h>

/* Defaults and caps, in one place so the README can quote them. */
#define QUIRE__FETCH_CONNECT_TIMEOUT_MS 10000L
#define QUIRE__FETCH_TIMEOUT_MS 300000L /* as every Conduit SDK */
#define QUIRE__FETCH_LOW_SPEED_LIMIT 1L /* bytes/s */
/* Longer than the 15 s between heartbeats of a quiet event stream. */
#define QUIRE__FETCH_LOW_SPEED_TIME 30L /* s */
#define QUIRE__FETCH_MAX_RESPONSE ((size_t)64 << 20)
#define QUIRE__FETCH_MAX_ERROR_BODY ((size_t)64 << 10)
#define QUIRE__FETCH_MAX_REDIRECTS 5
#define QUIRE__FETCH_POLL_MS 3000L
#define QUIRE__FETCH_WAIT_MS 300000L
#define QUIRE__FETCH_MAX_RETRIES 10
/* A Retry-After longer than this is not waited out: the call fails at once
 * and says how long the server asked for. */
#define QUIRE__RETRY_AFTER_CAP_MS 60000L
#define QUIRE__BACKOFF_BASE_MS 500L
#define QUIRE__BACKOFF_CAP_MS 4000L
/* Event-stream reconnects before falling back to polling (as conduit-ts). */
#define QUIRE__STREAM_RECONNECTS 3
/* One SSE line or one event's data; a job event is a few hundred bytes. */
#define QUIRE__SSE_MAX_EVENT ((size_t)1 << 20)
#define QUIRE__WEBHOOK_TOLERANCE 300L
/* Pieces of the API key this long are masked wherever they turn up. */
#define QUIRE__REDACT_FRAGMENT 12

/* ---- sha256.c: FIPS 180-4 SHA-256 and RFC 2104 HMAC ---- */
typedef struct quire__sha256 {
  uint32_t h[8];
  uint64_t bytes;        /* message length so far */
  unsigned char blk[64]; /* pending partial block */
  size_t n;              /* bytes in blk */
} quire__sha256;

void quire__sha256_init(quire__sha256 *s);
void quire__sha256_update(quire__sha256 *s, const void *data, size_t len);
void quire__sha256_final(quire__sha256 *s, unsigned char out[32]);

typedef struct quire__hmac {
  quire__sha256 inner;
  unsigned char opad[64];
} quire__hmac;

void quire__hmac_init(quire__hmac *h, const void *key, size_t key_len);
void quire__hmac_update(quire__hmac *h, const void *data, size_t len);
void quire__hmac_final(quire__hmac *h, unsigned char out[32]);
void quire__hmac_sha256(unsigned char out[32], const void *key, size_t key_len,
                        const void *msg, size_t msg_len);
/* 1 when equal; the time taken depends only on len. */
int quire__ct_equal(const void *a, const void *b, size_t len);
/* Overwrites memory the compiler may not elide (secrets). */
void quire__wipe(void *p, size_t len);

/* ---- retry.c: which failures are retried, and how long to wait ---- */
int quire__status_retryable(long status);
/* Parses an RFC 9110 HTTP-date (IMF-fixdate, RFC 850 or asctime). Returns
 * Unix seconds, or -1 when s is not one. */
long long quire__http_date_parse(const char *s);
/* Parses a Retry-After value: delta-seconds or an HTTP-date, the latter
 * measured from the response's Date (date_hdr, Unix s) when it has one, so
 * a skewed local clock does not matter, else from now. *out_ms is >= 0.
 * Returns 0, or -1 when the value is neither form. */
int quire__retry_after_parse(long *out_ms, const char *value, long long now,
                             long long date_hdr);
/* Exponential back-off for retry number attempt (0 = first retry): 500 ms
 * doubling, capped at 4 s, times a jitter factor in [0.75, 1.25) taken
 * from rnd. */
long quire__backoff_ms(int attempt, uint32_t rnd);

/* ---- api_error.c: error bodies and status mapping ---- */
typedef struct quire__api_error {
  char code[64];     /* "insufficient_credits"; "" when none */
  char message[320]; /* server message or the text body; "" when none */
  int has_required;  /* details.required was a number */
  int has_available; /* details.available was a number */
  double required;
  double available;
} quire__api_error;

/* Reads {"error":{code,message,details}}, {"error":"code",message}, a flat
 * {code,message,details} or a text body. Never fails: what cannot be read
 * is left empty. Control characters are replaced. */
void quire__api_error_parse(quire__api_error *out, const char *body,
                            size_t len);
/* The QUIRE_E* code for a failed HTTP status. */
int quire__status_error_code(long status);
/* Fills err (code, message, http_status) for a failed response and returns
 * the code. attempts > 1 adds "after N attempts". */
int quire__api_error_set(quire_error *err, long status,
                         const quire__api_error *ae, int attempts);

/* ---- url.c: ids in paths, base URLs and origins ---- */
/* Appends s percent-encoded for one path segment: RFC 3986 unreserved
 * characters stay, every other byte becomes %XX. */
int quire__url_escape_segment(quire_buf *out, const char *s);
/* 1 for "localhost", 127.0.0.0/8 and ::1 (with or without brackets). */
int quire__host_is_loopback(const char *host);
/* Checks a base URL (https, or http to loopback; no credentials, query or
 * fragment) and stores its normalised form without a trailing slash in
 * *base_out and "scheme://host:port" in *origin_out (both malloc'd).
 * *loopback_out is 1 for a loopback host. */
int quire__base_url_check(char **base_out, char **origin_out, int *loopback_out,
                          const char *url, quire_error *err);
/* Resolves a Location value against url and gives the absolute URL and its
 * origin (malloc'd). Returns 0, or -1 when either cannot be parsed or the
 * target carries credentials. */
int quire__url_resolve(char **abs_out, char **origin_out, const char *url,
                       const char *location);

/* ---- text.c: strings from the network ---- */
/* Replaces C0/C1 controls, DEL and bidi overrides in UTF-8 text s with
 * '?' in place, so server text cannot drive a terminal. */
void quire__sanitize(char *s);
/* Replaces every occurrence of secret in s (a NUL-terminated buffer) with
 * "[redacted]" while it fits, else with '*'s; then masks with '*' any run
 * of QUIRE__REDACT_FRAGMENT or more bytes that is a piece of the secret. */
void quire__redact(char *s, size_t size, const char *secret);
/* The one door for text from the server into a fixed-size field: the
 * whole value (n bytes of src) is redacted first, then sanitised, then cut
 * to size at a UTF-8 boundary; a key cut in half never survives. */
void quire__clean_copy(char *dst, size_t size, const char *src, size_t n,
                       const char *secret);
/* Redacts secret from a whole body: literal occurrences, and JSON strings
 * that spell it with escapes (those are rewritten as JSON strings). The
 * cap of b does not apply to the rewrite. Returns 0 or QUIRE_ENOMEM (b is
 * then unchanged). */
int quire__redact_buf(quire_buf *b, const char *secret);
/* Fills out with n random bytes (getrandom, else /dev/urandom, else a
 * clock-seeded mix; only ids and jitter depend on it). */
void quire__random(void *out, size_t n);
/* Lower-case hex of n bytes into out (2n+1 bytes). */
void quire__hex(char *out, const unsigned char *in, size_t n);
/* The Idempotency-Key of a create or an upload: *key is given when it is
 * 1-255 of A-Z a-z 0-9 - _ . : ~ (else QUIRE_EINVAL), or a new
 * idem_<uuid v4> written into gen when given is NULL. */
int quire__idem_key(const char **key, const char *given, char gen[48],
                    quire_error *err);
/* Monotonic seconds. */
double quire__now(void);
/* Sleeps ms milliseconds (restarting after signals). */
void quire__sleep_ms(long ms);

/* ---- job.c ---- */
struct quire_job {
  char *id;
  char *type;
  char *report_id;
  char *matching_id;
  char *error_code;
  char *error_message;
  char *created_at;
  char *updated_at;
  char *json; /* text the job was last read from */
  quire_job_status status;
  quire_job_stage stage;
  double progress;       /* -1 = unknown */
  double estimated_wait; /* -1 = unknown */
  /* usage{}, credits{} and releasedCredits; -1 / NULL = not sent */
  double credits_used, credits_net_used, credits_discounted, duration_ms;
  double credits_reserved, credits_released;
  char *model_version;
  char *reservation_status;
};

quire_job *quire__job_new(void);
/* Reads a job object (GET /v1/jobs/{id}, a create receipt with jobId, or
 * an event's "job"). Missing fields keep their values in job, so a stream
 * event can update the job it belongs to. Unknown stages are ignored.
 * Returns 0, QUIRE_ESYNTAX / QUIRE_ESERVER (not a job), QUIRE_ENOMEM. */
int quire__job_update(quire_job *job, const char *text, size_t len,
                      quire_error *err);
/* Masks what is left of secret in every field (the text a job is read
 * from has been through quire__redact_buf; this catches pieces). */
void quire__job_redact(quire_job *job, const char *secret);
quire_job_status quire__job_status_from_name(const char *s);
quire_job_stage quire__job_stage_from_name(const char *s);

/* ---- client.c: the client object and one HTTP call with its retries ---- */
struct quire_client {
  void *curl;       /* CURL *, reused so connections are kept alive */
  char *base;       /* base URL without a trailing slash */
  char *origin;     /* "scheme://host:port" of base */
  char *key;        /* API key; wiped on free */
  char *user_agent; /* "quire/0.1.0[ extra]" */
  int loopback;     /* base host is loopback: never use a proxy */
  int max_retries;
  long connect_timeout_ms;
  long timeout_ms;
  long low_speed_limit;
  long low_speed_time;
  size_t max_response;
  int max_redirects;
  long poll_ms;
  double time_scale;
  char *request_id;    /* the caller's X-Request-Id, or NULL for req_<hex> */
  long long max_media; /* cap on an upload's url; 0 = 5 GiB */
  /* Set for the length of a wait: asked during sleeps and transfers. */
  int (*abort_fn)(void *payload);
  void *abort_payload;
  const volatile int *abort_flag;
};

/* 1 when the caller of the running wait asked to stop. */
int quire__client_aborted(quire_client *c);

/* Receives a 2xx body as it arrives. Returns 0 to go on, > 0 to end the
 * transfer successfully, < 0 (a QUIRE_E* code) to fail it. */
typedef int (*quire__body_fn)(void *payload, const char *data, size_t len);

/* An upload's progress: bytes sent so far and in all (0 = unknown). */
typedef void (*quire__upload_fn)(void *payload, long long sent,
                                 long long total);

typedef struct quire__request {
  const char *method; /* "GET", "POST", "PATCH" or "DELETE" */
  const char *path;   /* escaped, "/v1/...", with any query */
  const char *body;   /* POST body (JSON) or NULL */
  size_t body_len;
  const char *accept;          /* NULL = "application/json" */
  const char *idempotency_key; /* or NULL */
  const char *last_event_id;   /* or NULL */
  quire__body_fn on_body;      /* stream a 2xx body here; NULL = buffer it */
  void *payload;
  int retries;     /* -1 = the client's max_retries */
  double deadline; /* quire__now() bound for the call; 0 = none */
  /* A multipart POST instead of body: part "file" read from upload_path as
   * it is sent (every attempt starts it again), and the text field "label"
   * when upload_label is not NULL. */
  const char *upload_path;
  const char *upload_filename;
  const char *upload_type;
  const char *upload_label;
  quire__upload_fn on_upload;
  /* Instead of upload_path: the part streamed from this URL as it is sent
   * (source.c; a new fetch per attempt), at most upload_max bytes. */
  const char *upload_url;
  const char *upload_url_shown; /* the URL as messages may show it */
  int upload_loopback;          /* the URL's host is loopback */
  long long upload_max;
} quire__request;

#define QUIRE__REQUEST_INIT                                                    \
  {                                                                            \
    "GET", NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, -1, 0, NULL, NULL,     \
        NULL, NULL, NULL, NULL, NULL, 0, 0                                     \
  }

typedef struct quire__response {
  long status;         /* final HTTP status; 0 when none arrived */
  quire_buf body;      /* the body (error bodies: the first 64 KiB) */
  char request_id[96]; /* as the server echoed it, else as sent */
  char content_type[128];
  int attempts; /* attempts made */
} quire__response;

void quire__response_init(quire__response *r, size_t max);
void quire__response_dispose(quire__response *r);

/* Makes one API call: URL = base + path, the API key and request-id
 * headers, same-origin redirects, retries with back-off. Returns 0 for a
 * 2xx (or a body consumer that ended the transfer); else fills err (with
 * source = URL, request_id, http_status; the key redacted) and returns its
 * code. */
int quire__http(quire__response *resp, quire_client *c,
                const quire__request *req, quire_error *err);
/* Sleeps ms scaled by the client's time_scale, never past deadline (when
 * non-zero), in slices while an abort hook is set. Returns 0, -1 when the
 * deadline cut the sleep short, -2 when the caller aborted. */
int quire__client_sleep(quire_client *c, long ms, double deadline);
/* Stamps the request's URL, request id and status on err and redacts the
 * key from it; returns code. */
int quire__client_error(quire_client *c, quire_error *err, int code,
                        const char *path, const quire__response *resp);

/* Redacts the key from every field of err (what is left of it included);
 * returns code. Every public call passes its error through here. */
int quire__client_scrub(quire_client *c, quire_error *err, int code);

/* ---- source.c: a media URL streamed into an upload ---- */
typedef struct quire__source quire__source;
/* Starts fetching url (no API key; https, or http when loopback) and runs
 * it until its first bytes: a failure before them (HTTP 404, over max,
 * refused) is returned here, QUIRE_ENET or QUIRE_ETOOBIG with msg, and
 * *retryable set for a 5xx or a broken connection. shown is borrowed. */
int quire__source_open(quire__source **out, quire_client *c, const char *url,
                       const char *shown, int loopback, long long max,
                       char *msg, size_t msg_size, int *retryable);
/* Content-Length of the media, or -1. */
long long quire__source_length(const quire__source *s);
/* libcurl read callback (curl_mime_data_cb) for the upload's part. */
size_t quire__source_read(char *dst, size_t size, size_t n, void *s);
/* Why the source failed mid-stream, or NULL; *code QUIRE_ENET or
 * QUIRE_ETOOBIG. */
const char *quire__source_failure(const quire__source *s, int *retryable,
                                  int *code);
long long quire__source_received(const quire__source *s);
void quire__source_free(quire__source *s);

/* ---- calls.c: the endpoints, with a deadline for the waits ---- */
int quire__client_get_job(quire_job **out, quire_client *c, const char *job_id,
                          double deadline, quire_error *err);
/* QUIRE_EJOBFAILED / QUIRE_EJOBCANCELED with the job's error, or 0. */
int quire__job_terminal_error(const quire_job *job, quire_error *err);
int quire__client_job_report(quire_buf *out, quire_client *c,
                             const quire_job *job, double deadline,
                             quire_error *err);

/* curl_dlopen.c: NULL when libcurl.so.4 is loaded and usable, else why
 * not (dlerror's text, say); loads it on the first call. */
const char *quire__curl_unavailable(void);

/* client.c: libcurl's process-wide setup, once (pthread_once); returns 0
 * or QUIRE_ERROR. quire_global_init and quire_client_new call it. */
int quire__fetch_global_init(void);

#endif
