/* The client object and one API call: headers, same-origin redirects, the
 * capped body, retries. Only lib/fetch/ includes <curl/curl.h>. */
#include "fetch.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* libcurl's global setup, once per process (quire_global_init does it up
 * front; the first client does it otherwise). */
static pthread_once_t S_once = PTHREAD_ONCE_INIT;
static int S_init_rc;

static void S_curl_init(void) {
  S_init_rc =
      curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : QUIRE_ERROR;
}

int quire__fetch_global_init(void) {
  pthread_once(&S_once, S_curl_init);
  return S_init_rc;
}

/* ---- the client object ---- */

static int S_printable(const char *s) {
  for (; *s; s++)
    if ((unsigned char)*s < 0x21 || (unsigned char)*s > 0x7e)
      return 0;
  return 1;
}

int quire_client_new(quire_client **out, const quire_client_options *opts,
                     quire_error *err) {
  if (!out)
    return quire__error_set(err, QUIRE_EINVAL, "no place for the client");
  *out = NULL;
  if (!opts || opts->version != QUIRE_CLIENT_OPTIONS_VERSION)
    return quire__error_set(err, QUIRE_EINVAL,
                            "client options missing or of another version");
  if (!opts->api_key || !*opts->api_key)
    return quire__error_set(err, QUIRE_EINVAL, "no API key given");
  /* A control character or space in the key would let it break out of its
   * header line (header injection); real keys are printable ASCII. */
  if (!S_printable(opts->api_key))
    return quire__error_set(err, QUIRE_EINVAL,
                            "the API key contains spaces or control "
                            "characters; check the key file");
  if (opts->user_agent)
    for (const char *p = opts->user_agent; *p; p++)
      if ((unsigned char)*p < 0x20 || *p == 0x7f)
        return quire__error_set(err, QUIRE_EINVAL,
                                "user agent contains control characters");
  if (opts->max_retries < 0 || opts->max_retries > QUIRE__FETCH_MAX_RETRIES)
    return quire__error_set(err, QUIRE_EINVAL,
                            "retries must be from 0 to %d, got %d",
                            QUIRE__FETCH_MAX_RETRIES, opts->max_retries);
  int rc = quire__fetch_global_init();
  if (rc)
    return quire__error_set(err, rc, "libcurl initialisation failed");

  /* Without libcurl every handle is NULL: say so, not "out of memory". */
  const char *nocurl = quire__curl_unavailable();
  if (nocurl) {
    return quire__error_set(err, QUIRE_EUNSUPPORTED,
                            "the API client needs libcurl, and libcurl.so.4 "
                            "could not be loaded: %s",
                            nocurl);
  }
  quire_client *c = quire__calloc(1, sizeof *c);
  if (!c)
    return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  rc = quire__base_url_check(
      &c->base, &c->origin, &c->loopback,
      opts->base_url ? opts->base_url : QUIRE_CLIENT_DEFAULT_BASE_URL, err);
  if (rc) {
    quire_client_free(c);
    return rc;
  }
  quire_buf ua = QUIRE_BUF_INIT;
  quire_buf_printf(&ua, "quire/%s", QUIRE_VERSION_STRING);
  if (opts->user_agent && *opts->user_agent)
    quire_buf_printf(&ua, " %s", opts->user_agent);
  c->user_agent = quire_buf_failed(&ua) ? NULL : quire_buf_detach(&ua, NULL);
  quire_buf_dispose(&ua);
  c->key = quire__strdup(opts->api_key);
  c->curl = curl_easy_init();
  if (!c->user_agent || !c->key || !c->curl) {
    quire_client_free(c);
    return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  }
  c->max_retries = opts->max_retries;
  c->connect_timeout_ms = opts->connect_timeout_ms > 0
                              ? opts->connect_timeout_ms
                              : QUIRE__FETCH_CONNECT_TIMEOUT_MS;
  c->timeout_ms =
      opts->timeout_ms > 0 ? opts->timeout_ms : QUIRE__FETCH_TIMEOUT_MS;
  c->low_speed_limit = opts->low_speed_limit > 0 ? opts->low_speed_limit
                                                 : QUIRE__FETCH_LOW_SPEED_LIMIT;
  c->low_speed_time = opts->low_speed_time > 0 ? opts->low_speed_time
                                               : QUIRE__FETCH_LOW_SPEED_TIME;
  c->max_response =
      opts->max_response ? opts->max_response : QUIRE__FETCH_MAX_RESPONSE;
  c->max_redirects = opts->max_redirects > 0 ? opts->max_redirects
                                             : QUIRE__FETCH_MAX_REDIRECTS;
  c->poll_ms = opts->poll_interval_ms > 0 ? opts->poll_interval_ms
                                          : QUIRE__FETCH_POLL_MS;
  c->time_scale = opts->time_scale > 0 ? opts->time_scale : 1.0;
  *out = c;
  return 0;
}

void quire_client_free(quire_client *c) {
  if (!c)
    return;
  if (c->curl)
    curl_easy_cleanup(c->curl);
  if (c->key) {
    quire__wipe(c->key, strlen(c->key));
    free(c->key);
  }
  free(c->base);
  free(c->origin);
  free(c->user_agent);
  free(c->request_id);
  free(c);
}

int quire_client_set_request_id(quire_client *c, const char *id,
                                quire_error *err) {
  if (!c)
    return quire__error_set(err, QUIRE_EINVAL, "no client given");
  if (id) {
    size_t n = strlen(id);
    /* It goes into a header line: printable ASCII only, no spaces. */
    if (n < 1 || n > 64 || !S_printable(id))
      return quire__error_set(err, QUIRE_EINVAL,
                              "a request id is 1 to 64 printable ASCII "
                              "characters without spaces");
  }
  char *copy = NULL;
  if (id && !(copy = quire__strdup(id)))
    return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  free(c->request_id);
  c->request_id = copy;
  return 0;
}

int quire_client_set_max_media(quire_client *c, long long bytes,
                               quire_error *err) {
  if (!c)
    return quire__error_set(err, QUIRE_EINVAL, "no client given");
  if (bytes < 0)
    return quire__error_set(err, QUIRE_EINVAL,
                            "the media cap must not be negative");
  c->max_media = bytes;
  return 0;
}

int quire__client_aborted(quire_client *c) {
  if (c->abort_flag && *c->abort_flag)
    return 1;
  return c->abort_fn && c->abort_fn(c->abort_payload) != 0;
}

void quire__response_init(quire__response *r, size_t max) {
  memset(r, 0, sizeof *r);
  quire_buf_init(&r->body, max);
}

void quire__response_dispose(quire__response *r) {
  quire_buf_dispose(&r->body);
}

int quire__client_sleep(quire_client *c, long ms, double deadline) {
  double scaled = (double)ms * c->time_scale;
  int cut = 0;
  if (deadline > 0) {
    double left = (deadline - quire__now()) * 1000.0;
    if (scaled > left) {
      scaled = left;
      cut = -1;
    }
  }
  if (!c->abort_fn && !c->abort_flag) {
    quire__sleep_ms((long)scaled);
    return cut;
  }
  /* A caller that may abort is asked every 50 ms of a back-off. */
  double end = quire__now() + scaled / 1000.0;
  for (;;) {
    if (quire__client_aborted(c))
      return -2;
    double left = (end - quire__now()) * 1000.0;
    if (left <= 0)
      return cut;
    quire__sleep_ms(left < 50 ? (long)left + 1 : 50);
  }
}

int quire__client_error(quire_client *c, quire_error *err, int code,
                        const char *path, const quire__response *resp) {
  if (!err)
    return code;
  err->code = code;
  if (path) {
    quire_buf src = QUIRE_BUF_INIT;
    quire_buf_printf(&src, "%s%s", c->base, path);
    if (!quire_buf_failed(&src))
      quire__error_source(err, src.ptr);
    quire_buf_dispose(&src);
  }
  if (resp) {
    if (resp->request_id[0])
      snprintf(err->request_id, sizeof err->request_id, "%s", resp->request_id);
    if (resp->status && !err->http_status)
      err->http_status = (int)resp->status;
  }
  return quire__client_scrub(c, err, code);
}

int quire__client_scrub(quire_client *c, quire_error *err, int code) {
  /* A hostile or buggy server may echo the key back; it never reaches a
   * message, a source or a log through us. Server text was redacted as it
   * arrived; this is the last look at what was made of it. */
  if (err && c) {
    quire__redact(err->message, sizeof err->message, c->key);
    quire__redact(err->source, sizeof err->source, c->key);
    quire__redact(err->request_id, sizeof err->request_id, c->key);
    quire__redact(err->path, sizeof err->path, c->key);
  }
  return code;
}

/* ---- one transfer ---- */

typedef struct S_xfer {
  quire_client *c;
  const quire__request *req;
  quire__response *resp;
  char location[2048]; /* Location of a redirect */
  int location_too_long;
  char retry_after[64];
  char date[64];
  char echoed_id[96];
  int too_big;           /* a 2xx body went over the cap */
  int cut_error_body;    /* stopped reading an error body on purpose */
  int consumer_rc;       /* what req->on_body returned, when not 0 */
  size_t discarded;      /* bytes of a redirect's body thrown away */
  curl_mime *mime;       /* an upload's parts, made again for each attempt */
  int mime_failed;       /* the parts could not be set up */
  int aborted;           /* the caller's abort hook stopped the transfer */
  quire__source *source; /* an upload's media URL, fetched as it is sent */
} S_xfer;

/* libcurl's progress callback: only uploads report theirs. */
static int S_on_progress(void *ud, curl_off_t dltotal, curl_off_t dlnow,
                         curl_off_t ultotal, curl_off_t ulnow) {
  S_xfer *x = ud;
  (void)dltotal;
  (void)dlnow;
  if (x->req->on_upload)
    x->req->on_upload(x->req->payload, (long long)ulnow, (long long)ultotal);
  /* libcurl calls this at least once a second, also on a quiet stream. */
  if (quire__client_aborted(x->c)) {
    x->aborted = 1;
    return 1;
  }
  return 0;
}

/* The multipart body: the file part streams from disk as libcurl sends
 * it (curl_mime_filedata opens and reads it, a block at a time), so an
 * upload of any size takes constant memory; a fresh mime per attempt
 * starts the stream again from the beginning. */
static curl_mime *S_mime(CURL *h, const quire__request *req,
                         quire__source *src) {
  curl_mime *m = curl_mime_init(h);
  curl_mimepart *p = m ? curl_mime_addpart(m) : NULL;
  int bad = !p;
  bad = bad || curl_mime_name(p, "file") != CURLE_OK;
  if (src) /* size -1 (no Content-Length): the request goes chunked */
    bad = bad ||
          curl_mime_data_cb(p, (curl_off_t)quire__source_length(src),
                            quire__source_read, NULL, NULL, src) != CURLE_OK;
  else
    bad = bad || curl_mime_filedata(p, req->upload_path) != CURLE_OK;
  if (!bad && req->upload_filename)
    bad = curl_mime_filename(p, req->upload_filename) != CURLE_OK;
  if (!bad && req->upload_type)
    bad = curl_mime_type(p, req->upload_type) != CURLE_OK;
  if (!bad && req->upload_label) {
    curl_mimepart *l = curl_mime_addpart(m);
    bad =
        !l || curl_mime_name(l, "label") != CURLE_OK ||
        curl_mime_data(l, req->upload_label, CURL_ZERO_TERMINATED) != CURLE_OK;
  }
  if (bad) {
    curl_mime_free(m);
    return NULL;
  }
  return m;
}

static void S_field(char *dst, size_t size, const char *v, size_t n) {
  if (n >= size)
    n = size - 1;
  memcpy(dst, v, n);
  dst[n] = '\0';
}

static size_t S_on_header(char *p, size_t sz, size_t nmemb, void *ud) {
  S_xfer *x = ud;
  size_t len = sz * nmemb;
  if (len >= 5 && memcmp(p, "HTTP/", 5) == 0) {
    /* A new response (after a 1xx): forget the previous one's headers. */
    x->location[0] = x->retry_after[0] = x->date[0] = x->echoed_id[0] = '\0';
    x->resp->content_type[0] = '\0';
    x->location_too_long = 0;
    return len;
  }
  const char *colon = memchr(p, ':', len);
  if (!colon)
    return len;
  size_t nl = (size_t)(colon - p);
  const char *v = colon + 1;
  size_t vl = len - nl - 1;
  while (vl && (*v == ' ' || *v == '\t'))
    v++, vl--;
  while (vl && (v[vl - 1] == '\r' || v[vl - 1] == '\n' || v[vl - 1] == ' ' ||
                v[vl - 1] == '\t'))
    vl--;
#define S_IS(name) (nl == sizeof name - 1 && strncasecmp(p, name, nl) == 0)
  if (S_IS("x-request-id")) {
    quire__clean_copy(x->echoed_id, sizeof x->echoed_id, v, vl, x->c->key);
  } else if (S_IS("retry-after")) {
    S_field(x->retry_after, sizeof x->retry_after, v, vl);
  } else if (S_IS("date")) {
    S_field(x->date, sizeof x->date, v, vl);
  } else if (S_IS("location")) {
    x->location_too_long = vl >= sizeof x->location;
    S_field(x->location, sizeof x->location, v, vl);
  } else if (S_IS("content-type")) {
    quire__clean_copy(x->resp->content_type, sizeof x->resp->content_type, v,
                      vl, x->c->key);
  }
#undef S_IS
  return len;
}

static size_t S_on_body(char *p, size_t sz, size_t nmemb, void *ud) {
  S_xfer *x = ud;
  size_t len = sz * nmemb;
  long status = 0;
  curl_easy_getinfo(x->c->curl, CURLINFO_RESPONSE_CODE, &status);
  if (status >= 200 && status < 300) {
    if (x->req->on_body) {
      int rc = x->req->on_body(x->req->payload, p, len);
      if (rc) {
        x->consumer_rc = rc;
        return 0;
      }
      return len;
    }
    /* The cap is enforced here, on bytes as they arrive: CURLOPT_MAXFILESIZE
     * only sees a Content-Length, which a chunked body does not have. */
    if (quire_buf_put(&x->resp->body, p, len) != 0) {
      x->too_big = 1;
      return 0;
    }
    return len;
  }
  if (status >= 300 && status < 400) {
    x->discarded += len;
    if (x->discarded > QUIRE__FETCH_MAX_ERROR_BODY) {
      x->cut_error_body = 1;
      return 0;
    }
    return len;
  }
  /* An error body is only read for its message: keep the first 64 KiB. */
  quire_buf *b = &x->resp->body;
  size_t cap = QUIRE__FETCH_MAX_ERROR_BODY;
  if (b->max && b->max < cap)
    cap = b->max;
  size_t room = b->size < cap ? cap - b->size : 0;
  if (len > room) {
    quire_buf_put(b, p, room);
    x->cut_error_body = 1;
    return 0;
  }
  quire_buf_put(b, p, len);
  return len;
}

static int S_retryable_curl(CURLcode rc) {
  switch (rc) {
  case CURLE_OPERATION_TIMEDOUT:
  case CURLE_COULDNT_CONNECT:
  case CURLE_COULDNT_RESOLVE_HOST:
  case CURLE_COULDNT_RESOLVE_PROXY:
  case CURLE_SEND_ERROR:
  case CURLE_RECV_ERROR:
  case CURLE_GOT_NOTHING:
  case CURLE_PARTIAL_FILE:
  case CURLE_HTTP2:
  case CURLE_HTTP2_STREAM:
  case CURLE_SSL_CONNECT_ERROR: return 1;
  default: return 0;
  }
}

/* Result of one attempt (with its redirects). */
enum { S_OK = 0, S_FAIL, S_RETRY_NET, S_RETRY_STATUS, S_STATUS };

typedef struct S_attempt {
  int kind;
  int code;      /* for S_FAIL / S_RETRY_NET */
  char msg[400]; /* for S_FAIL / S_RETRY_NET */
  int media;     /* the upload's media URL failed, not the API */
} S_attempt;

static struct curl_slist *S_headers(quire_client *c, const quire__request *req,
                                    const char *req_id) {
  struct curl_slist *h = NULL, *t;
  quire_buf line = QUIRE_BUF_INIT;
  int ok = 1;
#define S_ADD(...)                                                             \
  do {                                                                         \
    quire_buf_clear(&line);                                                    \
    quire_buf_printf(&line, __VA_ARGS__);                                      \
    if (quire_buf_failed(&line) || !(t = curl_slist_append(h, line.ptr)))      \
      ok = 0;                                                                  \
    else                                                                       \
      h = t;                                                                   \
  } while (0)
  S_ADD("Mappa-Api-Key: %s", c->key);
  S_ADD("X-Request-Id: %s", req_id);
  S_ADD("Accept: %s", req->accept ? req->accept : "application/json");
  if (req->accept && strcmp(req->accept, "text/event-stream") == 0)
    S_ADD("Cache-Control: no-cache");
  if (req->body) {
    S_ADD("Content-Type: application/json");
    S_ADD("Expect:"); /* no 100-continue round trip for small bodies */
  } else if (req->upload_path || req->upload_url) {
    /* libcurl writes multipart/form-data with its boundary; a big file
     * waits for 100-continue, so a refusal costs no upload. */
  } else if (req->method && strcmp(req->method, "POST") == 0) {
    /* An empty POST (cancel): curl would label it a form. */
    S_ADD("Content-Type:");
  }
  if (req->idempotency_key)
    S_ADD("Idempotency-Key: %s", req->idempotency_key);
  if (req->last_event_id && *req->last_event_id)
    S_ADD("Last-Event-ID: %s", req->last_event_id);
#undef S_ADD
  if (line.asize)
    quire__wipe(line.ptr, line.asize);
  quire_buf_dispose(&line);
  if (!ok) {
    curl_slist_free_all(h);
    return NULL;
  }
  return h;
}

static void S_setup(quire_client *c, const quire__request *req, const char *url,
                    const char *method, S_xfer *x, struct curl_slist *hdrs,
                    long timeout_ms, char *errbuf) {
  CURL *h = c->curl;
  /* reset keeps the connection cache and DNS cache, drops every option. */
  curl_easy_reset(h);
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  /* Redirects are ours to follow: curl would resend Mappa-Api-Key to any
   * host (it strips only Authorization and Cookie). */
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(h, CURLOPT_PATH_AS_IS, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, c->connect_timeout_ms);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, c->low_speed_limit);
  curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, c->low_speed_time);
  curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
  if (!req->on_body)
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)c->max_response);
  if (c->loopback) /* loopback traffic must not leave through a proxy */
    curl_easy_setopt(h, CURLOPT_PROXY, "");
  curl_easy_setopt(h, CURLOPT_USERAGENT, c->user_agent);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, S_on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, x);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, S_on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, x);
  if (req->on_upload || c->abort_fn || c->abort_flag) {
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, S_on_progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, x);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
  }
  if (strcmp(method, "POST") == 0 && (req->upload_path || req->upload_url)) {
    x->mime = S_mime(h, req, x->source);
    if (!x->mime)
      x->mime_failed = 1;
    else
      curl_easy_setopt(h, CURLOPT_MIMEPOST, x->mime);
  } else if (strcmp(method, "POST") == 0 || strcmp(method, "PATCH") == 0) {
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, req->body ? req->body : "");
    if (strcmp(method, "PATCH") == 0)
      curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "PATCH");
  } else {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    if (strcmp(method, "DELETE") == 0)
      curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "DELETE");
  }
}

static const char *S_curl_msg(CURLcode rc, const char *errbuf) {
  return errbuf[0] ? errbuf : curl_easy_strerror(rc);
}

/* One attempt: the request and any same-origin redirects. */
static void S_attempt_once(S_attempt *a, quire_client *c,
                           const quire__request *req, quire__response *resp,
                           S_xfer *x, const char *req_id, double deadline) {
  char *url = NULL;
  const char *method = req->method;
  quire_buf first = QUIRE_BUF_INIT;
  char errbuf[CURL_ERROR_SIZE];
  memset(a, 0, sizeof *a);
  quire_buf_printf(&first, "%s%s", c->base, req->path);
  struct curl_slist *hdrs = S_headers(c, req, req_id);
  if (quire_buf_failed(&first) || !hdrs) {
    a->kind = S_FAIL;
    a->code = QUIRE_ENOMEM;
    snprintf(a->msg, sizeof a->msg, "out of memory");
    goto done;
  }
  url = quire_buf_detach(&first, NULL);
  for (int hop = 0;; hop++) {
    /* An upload of gigabytes takes as long as it takes: the low-speed
     * limit, not 300 s for the whole transfer, tells a stall. */
    long timeout = req->upload_path || req->upload_url ? 0 : c->timeout_ms;
    int clipped = 0; /* the caller's deadline, not ours, bounds this one */
    if (deadline > 0) {
      double left = (deadline - quire__now()) * 1000.0;
      if (left < 1) {
        a->kind = S_FAIL;
        a->code = QUIRE_ETIMEOUT;
        snprintf(a->msg, sizeof a->msg, "the deadline passed");
        goto done;
      }
      if (timeout == 0 || left < (double)timeout) {
        timeout = (long)left + 1;
        clipped = 1;
      }
    }
    memset(x, 0, sizeof *x);
    x->c = c;
    x->req = req;
    x->resp = resp;
    quire_buf_clear(&resp->body);
    resp->status = 0;
    resp->content_type[0] = '\0';
    errbuf[0] = '\0';
    if (req->upload_url) {
      /* A fresh fetch of the media for every attempt and hop: a retry
       * restarts both transfers. Its failures are its own, said so. */
      int again = 0;
      int code = quire__source_open(
          &x->source, c, req->upload_url, req->upload_url_shown,
          req->upload_loopback, req->upload_max, a->msg, sizeof a->msg, &again);
      if (code) {
        a->kind = again ? S_RETRY_NET : S_FAIL;
        a->code = code;
        a->media = 1;
        goto done;
      }
    }
    S_setup(c, req, url, method, x, hdrs, timeout, errbuf);
    if (x->mime_failed) {
      a->kind = S_FAIL;
      a->code = QUIRE_ENOMEM;
      snprintf(a->msg, sizeof a->msg, "cannot set up the upload");
      goto done;
    }
    CURLcode rc = curl_easy_perform(c->curl);
    if (x->mime) {
      /* reset drops the option; the parts are ours to free. */
      curl_easy_setopt(c->curl, CURLOPT_MIMEPOST, (curl_mime *)NULL);
      curl_mime_free(x->mime);
      x->mime = NULL;
    }
    if (x->source) {
      int again = 0, code = 0;
      const char *why = quire__source_failure(x->source, &again, &code);
      if (why) {
        a->kind = again ? S_RETRY_NET : S_FAIL;
        a->code = code;
        a->media = 1;
        snprintf(a->msg, sizeof a->msg, "%s", why);
      }
      quire__source_free(x->source);
      x->source = NULL;
      if (why)
        goto done;
    }
    curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &resp->status);
    snprintf(resp->request_id, sizeof resp->request_id, "%s",
             x->echoed_id[0] ? x->echoed_id : req_id);
    if (x->aborted) {
      a->kind = S_FAIL;
      a->code = QUIRE_EABORTED;
      snprintf(a->msg, sizeof a->msg, "aborted by the caller");
      goto done;
    }
    if (x->consumer_rc > 0)
      goto done; /* S_OK: the consumer had all it wanted */
    if (x->consumer_rc < 0) {
      a->kind = S_FAIL;
      a->code = x->consumer_rc;
      snprintf(a->msg, sizeof a->msg, "%s", quire_strerror(x->consumer_rc));
      goto done;
    }
    if (x->too_big || rc == CURLE_FILESIZE_EXCEEDED) {
      a->kind = S_FAIL;
      a->code = quire_buf_failed(&resp->body) == QUIRE_ENOMEM ? QUIRE_ENOMEM
                                                              : QUIRE_ETOOBIG;
      snprintf(a->msg, sizeof a->msg,
               "the response is larger than the %zu-byte limit",
               c->max_response);
      goto done;
    }
    if (rc == CURLE_OPERATION_TIMEDOUT && clipped) {
      a->kind = S_FAIL;
      a->code = QUIRE_ETIMEOUT;
      snprintf(a->msg, sizeof a->msg, "the deadline passed");
      goto done;
    }
    if (rc == CURLE_OUT_OF_MEMORY) {
      /* libcurl 7.x reports a header line over its CURL_MAX_HTTP_HEADER
       * (100 KiB) as "Out of memory", with nothing in the error buffer; a
       * real allocation failure inside libcurl is far rarer than a server
       * that sends such a line. */
      a->kind = S_FAIL;
      a->code = QUIRE_ESERVER;
      snprintf(a->msg, sizeof a->msg,
               "a response header line is longer than libcurl's %d-byte "
               "limit (CURL_MAX_HTTP_HEADER)%s%s",
               CURL_MAX_HTTP_HEADER, errbuf[0] ? ": " : "", errbuf);
      goto done;
    }
    if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && x->cut_error_body)) {
      a->kind = S_retryable_curl(rc) ? S_RETRY_NET : S_FAIL;
      a->code = QUIRE_ENET;
      if (rc == CURLE_OPERATION_TIMEDOUT)
        snprintf(a->msg, sizeof a->msg, "timed out (%s)",
                 S_curl_msg(rc, errbuf));
      else if (rc == CURLE_READ_ERROR && req->upload_path)
        snprintf(a->msg, sizeof a->msg, "cannot read %.300s (%s)",
                 req->upload_path, S_curl_msg(rc, errbuf));
      else if (rc == CURLE_PEER_FAILED_VERIFICATION ||
               rc == CURLE_SSL_CACERT_BADFILE || rc == CURLE_SSL_CERTPROBLEM)
        snprintf(a->msg, sizeof a->msg, "TLS certificate check failed (%s)",
                 S_curl_msg(rc, errbuf));
      else
        snprintf(a->msg, sizeof a->msg, "%s", S_curl_msg(rc, errbuf));
      goto done;
    }
    long st = resp->status;
    if (st >= 200 && st < 300)
      goto done;
    if ((st == 301 || st == 302 || st == 303 || st == 307 || st == 308) &&
        x->location[0]) {
      char *next = NULL, *next_origin = NULL;
      if (x->location_too_long ||
          quire__url_resolve(&next, &next_origin, url, x->location) != 0) {
        a->kind = S_FAIL;
        a->code = QUIRE_ESERVER;
        snprintf(a->msg, sizeof a->msg,
                 "HTTP %ld redirect to an unusable Location", st);
        goto done;
      }
      if (strcmp(next_origin, c->origin) != 0) {
        char shown[128]; /* the server's text: redacted before the cut */
        quire__clean_copy(shown, sizeof shown, next_origin, strlen(next_origin),
                          c->key);
        a->kind = S_FAIL;
        a->code = QUIRE_ENET;
        snprintf(a->msg, sizeof a->msg,
                 "refusing to follow the HTTP %ld redirect to another origin, "
                 "%.120s: the API key is only sent to %.120s",
                 st, shown, c->origin);
        free(next);
        free(next_origin);
        goto done;
      }
      free(next_origin);
      if (hop >= c->max_redirects) {
        free(next);
        a->kind = S_FAIL;
        a->code = QUIRE_ESERVER;
        snprintf(a->msg, sizeof a->msg, "more than %d redirects",
                 c->max_redirects);
        goto done;
      }
      if (strcmp(method, "GET") != 0 && st != 307 && st != 308) {
        /* 301/302/303 would turn the POST into a GET and drop its body. */
        free(next);
        a->kind = S_FAIL;
        a->code = QUIRE_ESERVER;
        snprintf(a->msg, sizeof a->msg,
                 "the server answered the %s with an HTTP %ld redirect", method,
                 st);
        goto done;
      }
      free(url);
      url = next;
      continue;
    }
    a->kind = quire__status_retryable(st) ? S_RETRY_STATUS : S_STATUS;
    goto done;
  }
done:
  if (x->source) { /* set up, but the request never went */
    quire__source_free(x->source);
    x->source = NULL;
  }
  curl_slist_free_all(hdrs);
  quire_buf_dispose(&first);
  free(url);
}

int quire__http(quire__response *resp, quire_client *c,
                const quire__request *req, quire_error *err) {
  unsigned char rnd[16];
  char req_id[40];
  S_xfer x;
  S_attempt a;
  memset(&x, 0, sizeof x);
  char own_id[72];
  quire__random(rnd, sizeof rnd);
  memcpy(req_id, "req_", 4);
  quire__hex(req_id + 4, rnd, sizeof rnd);
  const char *use_id = req_id;
  if (c->request_id) { /* the caller's, checked by set_request_id */
    snprintf(own_id, sizeof own_id, "%s", c->request_id);
    use_id = own_id;
  }
  int retries = req->retries >= 0 ? req->retries : c->max_retries;
  for (int attempt = 0;; attempt++) {
    S_attempt_once(&a, c, req, resp, &x, use_id, req->deadline);
    resp->attempts = attempt + 1;
    /* Every body the server sent, success or error, loses the key here,
     * before anything reads, cuts or keeps a piece of it. */
    if (quire__redact_buf(&resp->body, c->key) != 0) {
      quire_buf_clear(&resp->body);
      quire__error_set(err, QUIRE_ENOMEM, "out of memory");
      return quire__client_error(c, err, QUIRE_ENOMEM, req->path, resp);
    }
    if (a.kind == S_OK)
      return 0;
    int last = attempt >= retries;
    long delay = 0;
    char why[160] = "";
    if (a.kind == S_RETRY_STATUS && x.retry_after[0]) {
      long long date = quire__http_date_parse(x.date);
      if (quire__retry_after_parse(&delay, x.retry_after, (long long)time(NULL),
                                   date) != 0) {
        uint32_t r; /* unparseable: as if there were none */
        quire__random(&r, sizeof r);
        delay = quire__backoff_ms(attempt, r);
      } else if (delay > QUIRE__RETRY_AFTER_CAP_MS && !last) {
        /* Waiting minutes inside one call helps nobody; say so instead. */
        snprintf(why, sizeof why,
                 "; the server asked to retry after %ld s, longer than the "
                 "%ld s quire waits",
                 delay / 1000, QUIRE__RETRY_AFTER_CAP_MS / 1000);
        last = 1;
      }
    } else if (a.kind == S_RETRY_STATUS || a.kind == S_RETRY_NET) {
      uint32_t r;
      quire__random(&r, sizeof r);
      delay = quire__backoff_ms(attempt, r);
    } else {
      last = 1;
    }
    if (!last && req->deadline > 0 &&
        quire__now() + (double)delay * c->time_scale / 1000.0 >= req->deadline)
      last = 1; /* no time left for another attempt */
    if (last) {
      int code;
      if (err)
        err->http_status = 0;
      if (a.kind == S_STATUS || a.kind == S_RETRY_STATUS) {
        quire__api_error ae;
        quire__api_error_parse(&ae, resp->body.ptr, resp->body.size);
        code = quire__api_error_set(err, resp->status, &ae, attempt + 1);
        if (why[0] && err) {
          size_t n = strlen(err->message);
          snprintf(err->message + n, sizeof err->message - n, "%s", why);
        }
      } else {
        char tries[48] = "";
        if (attempt > 0)
          snprintf(tries, sizeof tries, " (after %d attempts)", attempt + 1);
        code = quire__error_set(err, a.code, "%s%s", a.msg, tries);
      }
      if (a.media && err) { /* the media's URL is the source of this one */
        quire__client_error(c, err, code, NULL, resp);
        quire__error_source(err, req->upload_url_shown);
        return quire__client_scrub(c, err, code);
      }
      return quire__client_error(c, err, code, req->path, resp);
    }
    if (quire__client_sleep(c, delay, req->deadline) == -2) {
      quire__error_set(err, QUIRE_EABORTED, "aborted by the caller");
      return quire__client_error(c, err, QUIRE_EABORTED, req->path, resp);
    }
  }
}
