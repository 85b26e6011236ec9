/* A media URL streamed into an upload: one libcurl transfer (the source,
 * driven through its own multi handle) feeds the multipart part of another
 * (the POST /v1/files) through a bounded buffer. The upload's read
 * callback drives the source until it has bytes; the source's write
 * callback pauses it when the buffer is full. So memory stays at the
 * buffer's size whatever the media's, and nothing touches the disk. The
 * API key is never sent to the source: it has its own handle and headers. */
#include "fetch.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Big enough that the upload rarely waits on a refill; libcurl hands the
 * write callback at most CURL_MAX_WRITE_SIZE (16 KiB) at a time. */
#define S_BUF ((size_t)256 << 10)

struct quire__source {
  CURLM *multi;
  CURL *easy;
  char *buf;
  size_t cap, start, len; /* bytes buf[start..start+len) wait to be sent */
  long long got;          /* bytes received from the source */
  long long max;          /* cap on the media's size */
  long long length;       /* its Content-Length, or -1 */
  int paused;             /* the write callback paused the source */
  int done;               /* the source transfer ended */
  int over;               /* it went over max */
  CURLcode result;        /* how it ended */
  long status;            /* its HTTP status */
  int failed;             /* msg says why; the upload must not succeed */
  int retryable;          /* a broken connection, a 5xx: worth a retry */
  const char *shown;      /* the URL as it may be shown */
  char errbuf[CURL_ERROR_SIZE];
  char msg[420];
};

static size_t S_on_data(char *p, size_t sz, size_t n, void *ud) {
  quire__source *s = ud;
  size_t len = sz * n;
  if (s->got + (long long)len > s->max) {
    s->over = 1;
    return 0; /* ends the source transfer: CURLE_WRITE_ERROR */
  }
  if (s->cap - s->len < len) {
    if (s->len) { /* no room: take it again once the upload drained some */
      s->paused = 1;
      return CURL_WRITEFUNC_PAUSE;
    }
    /* An empty buffer too small for one delivery (libcurl gives at most
     * 16 KiB, but a paused transfer may hand over more at once). */
    char *b = realloc(s->buf, len);
    if (!b)
      return 0;
    s->buf = b;
    s->cap = len;
  }
  if (s->start + s->len + len > s->cap) {
    memmove(s->buf, s->buf + s->start, s->len);
    s->start = 0;
  }
  memcpy(s->buf + s->start + s->len, p, len);
  s->len += len;
  s->got += (long long)len;
  return len;
}

/* Why the source ended badly, in words, and whether to try again. */
static void S_explain(quire__source *s) {
  char what[300];
  s->retryable = 0;
  if (s->over || s->result == CURLE_FILESIZE_EXCEEDED) {
    snprintf(what, sizeof what, "it is larger than the %lld-byte limit",
             s->max);
  } else if (s->result == CURLE_HTTP_RETURNED_ERROR) {
    snprintf(what, sizeof what, "HTTP %ld", s->status);
    s->retryable = s->status >= 500 || s->status == 429;
  } else if (s->result == CURLE_PARTIAL_FILE || s->result == CURLE_RECV_ERROR ||
             s->result == CURLE_GOT_NOTHING) {
    char of[48] = "";
    if (s->length >= 0) /* say how many it announced */
      snprintf(of, sizeof of, " of %lld", s->length);
    snprintf(what, sizeof what,
             "the connection broke after %lld%s bytes (%.200s)", s->got, of,
             s->errbuf[0] ? s->errbuf : curl_easy_strerror(s->result));
    s->retryable = 1;
  } else {
    snprintf(what, sizeof what, "%.250s",
             s->errbuf[0] ? s->errbuf : curl_easy_strerror(s->result));
    s->retryable = s->result == CURLE_OPERATION_TIMEDOUT ||
                   s->result == CURLE_COULDNT_CONNECT ||
                   s->result == CURLE_SEND_ERROR;
  }
  snprintf(s->msg, sizeof s->msg, "cannot fetch the media: %.300s", what);
  s->failed = 1;
}

/* Runs the source for up to wait_ms (0: only what is ready). */
static void S_drive(quire__source *s, int wait_ms) {
  int running = 0;
  curl_multi_perform(s->multi, &running);
  CURLMsg *m;
  int left;
  while ((m = curl_multi_info_read(s->multi, &left)) != NULL)
    if (m->msg == CURLMSG_DONE) {
      s->done = 1;
      s->result = m->data.result;
      curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &s->status);
    }
  if (!s->done && !s->len && running && wait_ms > 0)
    curl_multi_poll(s->multi, NULL, 0, wait_ms, NULL);
}

void quire__source_free(quire__source *s) {
  if (!s)
    return;
  if (s->multi && s->easy)
    curl_multi_remove_handle(s->multi, s->easy);
  if (s->easy)
    curl_easy_cleanup(s->easy);
  if (s->multi)
    curl_multi_cleanup(s->multi);
  free(s->buf);
  free(s);
}

int quire__source_open(quire__source **out, quire_client *c, const char *url,
                       const char *shown, int loopback, long long max,
                       char *msg, size_t msg_size, int *retryable) {
  *out = NULL;
  *retryable = 0;
  quire__source *s = quire__calloc(1, sizeof *s);
  if (!s || !(s->buf = malloc(S_BUF)) || !(s->multi = curl_multi_init()) ||
      !(s->easy = curl_easy_init())) {
    quire__source_free(s);
    snprintf(msg, msg_size, "out of memory");
    return QUIRE_ENOMEM;
  }
  s->cap = S_BUF;
  s->max = max;
  s->length = -1;
  s->shown = shown;
  CURL *h = s->easy;
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, loopback ? "http,https" : "https");
  curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR,
                   loopback ? "http,https" : "https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(h, CURLOPT_MAXREDIRS, (long)c->max_redirects);
  curl_easy_setopt(h, CURLOPT_FAILONERROR, 1L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, c->connect_timeout_ms);
  curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, c->low_speed_limit);
  curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, c->low_speed_time);
  curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max);
  curl_easy_setopt(h, CURLOPT_USERAGENT, c->user_agent);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, S_on_data);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, s);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, s->errbuf);
  if (loopback)
    curl_easy_setopt(h, CURLOPT_PROXY, "");
  if (curl_multi_add_handle(s->multi, h) != CURLM_OK) {
    quire__source_free(s);
    snprintf(msg, msg_size, "out of memory");
    return QUIRE_ENOMEM;
  }
  /* Run it until the first bytes (or the end): a 404, a refused
   * connection or a size over the cap is known before the upload starts,
   * and the Content-Length, when there is one, becomes the part's size. */
  while (!s->done && !s->len)
    S_drive(s, 1000);
  if (s->done && s->result != CURLE_OK) {
    S_explain(s);
    snprintf(msg, msg_size, "%s", s->msg);
    *retryable = s->retryable;
    int code = s->over || s->result == CURLE_FILESIZE_EXCEEDED ? QUIRE_ETOOBIG
                                                               : QUIRE_ENET;
    quire__source_free(s);
    return code;
  }
  curl_off_t cl = -1;
  if (curl_easy_getinfo(h, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl) ==
          CURLE_OK &&
      cl >= 0)
    s->length = (long long)cl;
  *out = s;
  return 0;
}

long long quire__source_length(const quire__source *s) { return s->length; }

size_t quire__source_read(char *dst, size_t size, size_t n, void *ud) {
  quire__source *s = ud;
  size_t want = size * n;
  while (!s->len && !s->done) {
    if (s->paused) {
      s->paused = 0;
      curl_easy_pause(s->easy, CURLPAUSE_CONT);
    }
    S_drive(s, 1000);
  }
  if (!s->len) {
    if (s->result != CURLE_OK) {
      S_explain(s);
      return CURL_READFUNC_ABORT; /* the upload fails; msg says why */
    }
    return 0; /* the end of the media */
  }
  size_t k = want < s->len ? want : s->len;
  memcpy(dst, s->buf + s->start, k);
  s->start += k;
  s->len -= k;
  if (!s->len)
    s->start = 0;
  /* Room again: let the source go on while the upload sends this. */
  if (s->paused && s->cap - s->len >= s->cap / 2) {
    s->paused = 0;
    curl_easy_pause(s->easy, CURLPAUSE_CONT);
  }
  return k;
}

const char *quire__source_failure(const quire__source *s, int *retryable,
                                  int *code) {
  if (!s || !s->failed)
    return NULL;
  *retryable = s->retryable;
  *code = s->over || s->result == CURLE_FILESIZE_EXCEEDED ? QUIRE_ETOOBIG
                                                          : QUIRE_ENET;
  return s->msg;
}

long long quire__source_received(const quire__source *s) { return s->got; }
