/* libFuzzer harness for webhook deliveries (fetch/webhook.c): the
 * conduit-signature header check and the event envelope. The input is one
 * control byte, then header lines ('\n' between them) up to the first blank
 * line, then the body:
 *   bit 0     replace "{T}" in the headers by the harness's clock and
 *             "{SIG}" by the true HMAC of "<that time>.<body>", so signed
 *             deliveries reach the checks after the signature
 *   bits 1-2  tolerance: default, 1 s, 300 s, 2^40 s
 *   bit 3     the other secret
 * Checked: verify answers 0 or QUIRE_ESIGNATURE with a one-line reason; a
 * delivery it accepts is refused once a body byte or the secret changes; a
 * delivery signed by the harness is accepted; a parsed event has the fields
 * its kind promises, getters free of control characters and data that is
 * JSON. Built without -fsanitize=fuzzer, main() replays files. */
#include "fetch/fetch.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define S_NOW 1767225600LL /* 2026-01-01T00:00:00Z */
static const char *const S_secrets[2] = {"whsec_fuzz_0123456789abcdef",
                                         "another secret"};
static struct {
  unsigned long inputs, verified, refused, events, bad_events;
} S_n;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  /* RFC 4231 test case 2, so the round trip below is not the HMAC agreeing
   * with itself. */
  static const unsigned char want[32] = {
      0x5b, 0xdc, 0xc1, 0x46, 0xbf, 0x60, 0x75, 0x4e, 0x6a, 0x04, 0x24,
      0x26, 0x08, 0x95, 0x75, 0xc7, 0x5a, 0x00, 0x3f, 0x08, 0x9d, 0x27,
      0x39, 0x83, 0x9d, 0xec, 0x58, 0xb9, 0x64, 0xec, 0x38, 0x43};
  unsigned char got[32];
  quire__hmac_sha256(got, "Jefe", 4, "what do ya want for nothing?", 28);
  if (memcmp(got, want, 32) != 0)
    abort();
  return 0;
}

static void S_check_text(const char *s) {
  if (!s)
    return;
  for (; *s; s++)
    if ((unsigned char)*s < 0x20 || *s == 0x7f)
      abort();
}

static void S_check_line(const char *s) {
  if (!*s)
    abort();
  S_check_text(s);
}

static void S_sign(char hex[65], const char *secret, const char *t,
                   const char *body, size_t len) {
  quire__hmac h;
  unsigned char mac[32];
  quire__hmac_init(&h, secret, strlen(secret));
  quire__hmac_update(&h, t, strlen(t));
  quire__hmac_update(&h, ".", 1);
  quire__hmac_update(&h, body, len);
  quire__hmac_final(&h, mac);
  for (int i = 0; i < 32; i++)
    snprintf(hex + 2 * i, 3, "%02x", mac[i]);
}

/* Copies src to dst replacing every "{T}" and "{SIG}". */
static void S_expand(quire_buf *dst, const char *src, size_t n, const char *t,
                     const char *sig) {
  for (size_t i = 0; i < n; i++) {
    if (n - i >= 3 && memcmp(src + i, "{T}", 3) == 0) {
      quire_buf_puts(dst, t);
      i += 2;
    } else if (n - i >= 5 && memcmp(src + i, "{SIG}", 5) == 0) {
      quire_buf_puts(dst, sig);
      i += 4;
    } else {
      quire_buf_putc(dst, src[i]);
    }
  }
}

static void S_event(const char *body, size_t len) {
  quire_webhook_event *ev = NULL;
  quire_error err;
  int rc = quire_webhook_parse_event(&ev, body, len, &err);
  if (rc) {
    if (ev || err.code != rc ||
        (rc != QUIRE_ESYNTAX && rc != QUIRE_ESCHEMA && rc != QUIRE_ETOOBIG))
      abort();
    S_check_line(err.message);
    S_n.bad_events++;
    return;
  }
  S_n.events++;
  quire_webhook_kind k = quire_webhook_event_kind(ev);
  const char *job = quire_webhook_event_job_id(ev);
  if (!quire_webhook_event_type(ev) || (k != QUIRE_WEBHOOK_UNKNOWN && !job) ||
      (k == QUIRE_WEBHOOK_REPORT_COMPLETED &&
       !quire_webhook_event_report_id(ev)) ||
      (k == QUIRE_WEBHOOK_MATCHING_COMPLETED &&
       !quire_webhook_event_matching_id(ev)))
    abort();
  const char *fields[] = {
      quire_webhook_event_id(ev),           quire_webhook_event_type(ev),
      quire_webhook_event_created_at(ev),   job,
      quire_webhook_event_report_id(ev),    quire_webhook_event_matching_id(ev),
      quire_webhook_event_status(ev),       quire_webhook_event_error_code(ev),
      quire_webhook_event_error_message(ev)};
  for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
    S_check_text(fields[i]);
  const char *d = quire_webhook_event_data(ev);
  json_t *j = json_loads(d, JSON_DECODE_ANY, NULL);
  if (!j)
    abort();
  json_decref(j);
  quire_webhook_event_free(ev);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  S_n.inputs++;
  unsigned char ctl = data[0];
  const char *p = (const char *)data + 1;
  size_t n = size - 1, hlen = n;
  const char *body = p + n;
  for (size_t i = 0; i + 1 < n; i++)
    if (p[i] == '\n' && p[i + 1] == '\n') {
      hlen = i;
      body = p + i + 2;
      break;
    }
  size_t blen = (size_t)(p + n - body);
  const char *secret = S_secrets[(ctl >> 3) & 1];
  char t[24], sig[65];
  snprintf(t, sizeof t, "%lld", S_NOW);
  S_sign(sig, secret, t, body, blen);

  /* The header lines, NUL-terminated (a NUL inside one ends it early). */
  quire_buf hb = QUIRE_BUF_INIT;
  if (ctl & 1)
    S_expand(&hb, p, hlen, t, sig);
  else
    quire_buf_put(&hb, p, hlen);
  quire_buf_putc(&hb, '\0');
  if (quire_buf_failed(&hb))
    abort();
  const char *headers[64];
  size_t nh = 0;
  for (char *s = hb.ptr; nh < 64;) {
    headers[nh++] = s;
    char *nl = strchr(s, '\n');
    if (!nl)
      break;
    *nl = '\0';
    s = nl + 1;
  }

  static const long tolerances[4] = {0, 1, 300, 1L << 40};
  quire_webhook_options wo = QUIRE_WEBHOOK_OPTIONS_INIT;
  wo.tolerance = tolerances[(ctl >> 1) & 3];
  wo.now = S_NOW;
  quire_error err;
  int rc = quire_webhook_verify(headers, nh, body, blen, secret, strlen(secret),
                                &wo, &err);
  if (rc == 0) {
    S_n.verified++;
    /* Accepted: then the same headers must not pass for another body or
     * another secret. */
    char *other = malloc(blen + 1);
    if (!other)
      abort();
    memcpy(other, body, blen);
    other[blen] = '\0';
    size_t at = blen ? (size_t)ctl % blen : 0;
    other[at] ^= 1;
    if (quire_webhook_verify(headers, nh, other, blen ? blen : 1, secret,
                             strlen(secret), &wo, &err) != QUIRE_ESIGNATURE)
      abort();
    free(other);
    const char *wrong = S_secrets[!((ctl >> 3) & 1)];
    if (quire_webhook_verify(headers, nh, body, blen, wrong, strlen(wrong), &wo,
                             &err) != QUIRE_ESIGNATURE)
      abort();
  } else {
    if (rc != QUIRE_ESIGNATURE || err.code != rc)
      abort();
    S_check_line(err.message);
    S_n.refused++;
  }
  quire_buf_dispose(&hb);

  /* A delivery signed as Conduit signs it passes, whatever the body. */
  char good[128];
  snprintf(good, sizeof good, "Conduit-Signature: t=%s,v1=%s", t, sig);
  const char *gh[1] = {good};
  if (quire_webhook_verify(gh, 1, body, blen, secret, strlen(secret), &wo,
                           &err) != 0)
    abort();

  S_event(body, blen);
  return 0;
}

#define QUIRE_FUZZ_INIT
#define QUIRE_FUZZ_SUMMARY
#include "replay.h"

#ifndef QUIRE_LIBFUZZER
static void quire_fuzz_summary(FILE *out) {
  fprintf(out,
          "fuzz_webhook: %lu inputs; signature accepted %lu, refused %lu; "
          "events parsed %lu, refused %lu\n",
          S_n.inputs, S_n.verified, S_n.refused, S_n.events, S_n.bad_events);
}
#endif
