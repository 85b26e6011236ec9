/* API error bodies: every shape the Conduit SDKs accept, mapped onto
 * quire_error codes. */
#include "fetch.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static void S_copy(char *dst, size_t size, const char *src, size_t n) {
  /* Cut at a UTF-8 boundary so a long message never ends in half a
   * character. */
  if (n >= size) {
    n = size - 1;
    while (n && ((unsigned char)src[n] & 0xC0) == 0x80)
      n--;
  }
  memcpy(dst, src, n);
  dst[n] = '\0';
  quire__sanitize(dst);
}

static void S_str(char *dst, size_t size, json_t *v) {
  if (json_is_string(v))
    S_copy(dst, size, json_string_value(v), json_string_length(v));
}

static void S_details(quire__api_error *out, json_t *details) {
  if (!json_is_object(details))
    return;
  /* conduit-ts also reads details nested once more (details.details). */
  json_t *inner = json_object_get(details, "details");
  for (int pass = 0; pass < 2; pass++) {
    json_t *d = pass ? inner : details;
    if (!json_is_object(d))
      continue;
    json_t *r = json_object_get(d, "required");
    json_t *a = json_object_get(d, "available");
    if (json_is_number(r) && !out->has_required) {
      out->has_required = 1;
      out->required = json_number_value(r);
    }
    if (json_is_number(a) && !out->has_available) {
      out->has_available = 1;
      out->available = json_number_value(a);
    }
  }
}

/* A text body: collapse whitespace so it stays one line. */
static void S_text(quire__api_error *out, const char *body, size_t len) {
  char tmp[sizeof out->message];
  size_t n = 0;
  int space = 0;
  for (size_t i = 0; i < len && n + 1 < sizeof tmp; i++) {
    unsigned char c = (unsigned char)body[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      space = n > 0;
      continue;
    }
    if (space && n + 2 < sizeof tmp)
      tmp[n++] = ' ';
    space = 0;
    tmp[n++] = (char)c;
  }
  S_copy(out->message, sizeof out->message, tmp, n);
}

void quire__api_error_parse(quire__api_error *out, const char *body,
                            size_t len) {
  memset(out, 0, sizeof *out);
  if (!body || !len)
    return;
  json_error_t jerr;
  json_t *root = json_loadb(body, len, JSON_DECODE_ANY, &jerr);
  if (!root) {
    S_text(out, body, len);
    return;
  }
  if (json_is_object(root)) {
    json_t *e = json_object_get(root, "error");
    if (json_is_object(e)) { /* {"error":{code,message,details}} */
      S_str(out->code, sizeof out->code, json_object_get(e, "code"));
      S_str(out->message, sizeof out->message, json_object_get(e, "message"));
      S_details(out, json_object_get(e, "details"));
    } else {
      /* Flat {code,message}, or {"error":"gone","message":...} (a deleted
       * file, contract files.ts goneError). */
      if (json_is_string(e))
        S_str(out->code, sizeof out->code, e);
      else
        S_str(out->code, sizeof out->code, json_object_get(root, "code"));
      S_str(out->message, sizeof out->message,
            json_object_get(root, "message"));
    }
    S_details(out, json_object_get(root, "details"));
  } else if (json_is_string(root)) {
    S_str(out->message, sizeof out->message, root);
  }
  json_decref(root);
}

int quire__status_error_code(long status) {
  switch (status) {
  case 401:
  case 403: return QUIRE_EAUTH;
  case 402: return QUIRE_ECREDITS;
  case 404: return QUIRE_ENOTFOUND;
  case 422: return QUIRE_EVALIDATION;
  case 429: return QUIRE_ERATELIMIT;
  default:
    return status >= 500   ? QUIRE_ESERVER
           : status >= 400 ? QUIRE_EREFUSED
                           : QUIRE_ERROR;
  }
}

/* Credits are whole numbers in practice; print them without ".000000". */
static void S_num(char *out, size_t size, double v) {
  if (v >= -1e15 && v <= 1e15 && v == (double)(long long)v)
    snprintf(out, size, "%lld", (long long)v);
  else
    snprintf(out, size, "%g", v);
}

int quire__api_error_set(quire_error *err, long status,
                         const quire__api_error *ae, int attempts) {
  int code = quire__status_error_code(status);
  char extra[128] = "", tries[48] = "", what[64];
  if (ae->has_required || ae->has_available) {
    char r[40] = "?", a[40] = "?";
    if (ae->has_required)
      S_num(r, sizeof r, ae->required);
    if (ae->has_available)
      S_num(a, sizeof a, ae->available);
    snprintf(extra, sizeof extra, " (required %s credits, available %s)", r, a);
  }
  if (attempts > 1)
    snprintf(tries, sizeof tries, " after %d attempts", attempts);
  if (code == QUIRE_ERROR)
    snprintf(what, sizeof what, "request failed");
  else
    snprintf(what, sizeof what, "%s", quire_strerror(code));
  quire__error_set(err, code, "%s (HTTP %ld%s%s)%s%s%s%s", what, status,
                   ae->code[0] ? " " : "", ae->code, tries,
                   ae->message[0] ? ": " : "", ae->message, extra);
  if (err)
    err->http_status = (int)status;
  return code;
}
