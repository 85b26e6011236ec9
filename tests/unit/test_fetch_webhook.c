/* SHA-256 (FIPS 180-2 vectors), HMAC-SHA256 (RFC 4231), webhook signature
 * verification and the event envelope. */
#include "harness.h"

#include "fetch/fetch.h"

#include <stdlib.h>
#include <string.h>

static void hex_of(char out[65], const unsigned char d[32]) {
  quire__hex(out, d, 32);
}

static void sha_is(const void *msg, size_t len, const char *want) {
  quire__sha256 s;
  unsigned char d[32];
  char h[65];
  quire__sha256_init(&s);
  quire__sha256_update(&s, msg, len);
  quire__sha256_final(&s, d);
  hex_of(h, d);
  T_STR_EQ(h, want);
}

static void test_sha256(void) {
  sha_is("abc", 3,
         "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  sha_is("", 0,
         "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  sha_is("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  /* One million 'a's, fed in uneven pieces. */
  static char a[1000];
  memset(a, 'a', sizeof a);
  quire__sha256 s;
  unsigned char d[32], d2[32];
  char h[65];
  quire__sha256_init(&s);
  size_t left = 1000000, step = 1;
  while (left) {
    size_t n = step < left ? step : left;
    quire__sha256_update(&s, a, n);
    left -= n;
    step = step % 997 + 1;
  }
  quire__sha256_final(&s, d);
  hex_of(h, d);
  T_STR_EQ(h,
           "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  /* Every split of a 200-byte message hashes the same as one piece, across
   * the 55/56/64-byte padding edges. */
  unsigned char m[200];
  for (int i = 0; i < 200; i++)
    m[i] = (unsigned char)(i * 7);
  for (size_t len = 50; len <= 200; len += 3) {
    quire__sha256_init(&s);
    quire__sha256_update(&s, m, len);
    quire__sha256_final(&s, d);
    int bad = 0;
    for (size_t cut = 0; cut <= len; cut++) {
      quire__sha256_init(&s);
      quire__sha256_update(&s, m, cut);
      quire__sha256_update(&s, m + cut, len - cut);
      quire__sha256_final(&s, d2);
      bad += memcmp(d, d2, 32) != 0;
    }
    T_CHECK(bad == 0, "length %zu: %d splits differ", len, bad);
  }
}

static void hmac_is(const void *key, size_t kl, const void *msg, size_t ml,
                    const char *want) {
  unsigned char d[32];
  char h[65];
  quire__hmac_sha256(d, key, kl, msg, ml);
  hex_of(h, d);
  h[strlen(want)] = '\0'; /* test case 5 compares 128 bits */
  T_STR_EQ(h, want);
}

static void test_hmac_rfc4231(void) {
  unsigned char k[131];
  unsigned char data[50];
  memset(k, 0x0b, 20);
  hmac_is(k, 20, "Hi There", 8,
          "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  hmac_is("Jefe", 4, "what do ya want for nothing?", 28,
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  memset(k, 0xaa, 20);
  memset(data, 0xdd, 50);
  hmac_is(k, 20, data, 50,
          "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
  for (int i = 0; i < 25; i++)
    k[i] = (unsigned char)(i + 1);
  memset(data, 0xcd, 50);
  hmac_is(k, 25, data, 50,
          "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
  memset(k, 0x0c, 20);
  hmac_is(k, 20, "Test With Truncation", 20,
          "a3b6167473100ee06e0c796c2955552b");
  memset(k, 0xaa, 131);
  hmac_is(k, 131, "Test Using Larger Than Block-Size Key - Hash Key First", 54,
          "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  static const char t7[] =
      "This is a test using a larger than block-size key and a larger than "
      "block-size data. The key needs to be hashed before being used by the "
      "HMAC algorithm.";
  hmac_is(k, 131, t7, sizeof t7 - 1,
          "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
  T_OK(quire__ct_equal("abc", "abc", 3));
  T_OK(!quire__ct_equal("abc", "abd", 3));
  T_OK(quire__ct_equal("", "x", 0));
}

/* ---- verification ---- */

static const char *const SECRET = "whsec_test";
static const char BODY[] = "{\"id\":\"evt_1\"}";
/* HMAC-SHA256("whsec_test", "1700000000." BODY), from Python's hmac. */
#define SIG "c89214b5b5da833daed6f0b8c5bb6bd58cea9022bd80ccc78230f3942d632925"

static int verify(const char *h1, const char *h2, const char *body,
                  long long now, long tol, quire_error *err) {
  const char *hs[3] = {"content-type: application/json", h1, h2};
  quire_webhook_options o = QUIRE_WEBHOOK_OPTIONS_INIT;
  o.now = now;
  o.tolerance = tol;
  quire_error_clear(err);
  return quire_webhook_verify(hs,
                              h2   ? 3
                              : h1 ? 2
                                   : 1,
                              body, strlen(body), SECRET, strlen(SECRET), &o,
                              err);
}

#define GOOD "t=1700000000,v1=" SIG

static void rejects(const char *h1, const char *h2, const char *body,
                    long long now, const char *why) {
  quire_error err;
  T_INT_EQ(verify(h1, h2, body, now, 0, &err), QUIRE_ESIGNATURE);
  T_CHECK(strstr(err.message, why) != NULL, "\"%s\" lacks \"%s\"", err.message,
          why);
}

static void test_verify(void) {
  quire_error err;
  long long t = 1700000000;
  T_INT_EQ(verify("conduit-signature: " GOOD, NULL, BODY, t, 0, &err), 0);
  T_INT_EQ(verify("Conduit-Signature:" GOOD, NULL, BODY, t + 300, 0, &err), 0);
  T_INT_EQ(verify("CONDUIT-SIGNATURE : " GOOD, NULL, BODY, t - 300, 0, &err),
           0);
  T_INT_EQ(verify("conduit-signature: t=1700000000, v1=C89214B5B5DA833DAED6F0B8"
                  "C5BB6BD58CEA9022BD80CCC78230F3942D632925",
                  NULL, BODY, t, 0, &err),
           0);
  T_INT_EQ(verify("conduit-signature: v1=c89214b5b5da833daed6f0b8c5bb6bd58cea90"
                  "22bd80ccc78230f3942d632925,t=1700000000",
                  NULL, BODY, t, 0, &err),
           0);
  /* The legacy header of mappa-node. */
  T_INT_EQ(verify("mappa-signature: " GOOD, NULL, BODY, t, 0, &err), 0);
  /* Both: conduit-signature decides. */
  T_INT_EQ(verify("mappa-signature: t=1,v1=00", "conduit-signature: " GOOD,
                  BODY, t, 0, &err),
           0);
  T_INT_EQ(verify("conduit-signature: " GOOD, NULL, BODY, t + 20, 10, &err),
           QUIRE_ESIGNATURE);

  rejects("conduit-signature: " GOOD, NULL, "{\"id\":\"evt_2\"}", t,
          "webhook_signature_invalid");
  rejects("conduit-signature: " GOOD, NULL, BODY, t + 301,
          "webhook_signature_stale");
  rejects("conduit-signature: " GOOD, NULL, BODY, t - 301, "in the future");
  rejects(NULL, NULL, BODY, t, "webhook_signature_missing");
  rejects("x-conduit-signature: " GOOD, NULL, BODY, t,
          "webhook_signature_missing");
  rejects("conduit-signature: " GOOD, "conduit-signature: " GOOD, BODY, t,
          "appears 2 times");
  rejects("conduit-signature: t=1700000000,t=1700000000,v1=" SIG, NULL, BODY, t,
          "duplicated t=");
  rejects("conduit-signature: " GOOD ",v1=c89214b5b5da833daed6f0b8c5bb6bd58ce"
          "a9022bd80ccc78230f3942d632925",
          NULL, BODY, t, "duplicated v1=");
  rejects("conduit-signature: " GOOD ",v0=abc", NULL, BODY, t,
          "unknown component");
  rejects("conduit-signature: t=1700000000", NULL, BODY, t, "needs both");
  rejects("conduit-signature: v1=c89214b5b5da833daed6f0b8c5bb6bd58cea9022bd80"
          "ccc78230f3942d632925",
          NULL, BODY, t, "needs both");
  rejects("conduit-signature: t=,v1=00", NULL, BODY, t, "empty value");
  rejects("conduit-signature: t=17e8,v1=00", NULL, BODY, t, "not a Unix time");
  rejects("conduit-signature: t=-5,v1=00", NULL, BODY, t, "not a Unix time");
  rejects("conduit-signature: t=1700000000,v1=c89214", NULL, BODY, t,
          "64 hex digits");
  rejects("conduit-signature: t=1700000000,v1=g89214b5b5da833daed6f0b8c5bb6bd5"
          "8cea9022bd80ccc78230f3942d632925",
          NULL, BODY, t, "64 hex digits");
  rejects("conduit-signature: t1700000000", NULL, BODY, t, "without '='");
  rejects("conduit-signature: ", NULL, BODY, t, "without '='");
  rejects("conduit-signature: " GOOD ",", NULL, BODY, t, "without '='");

  const char *hs[1] = {"conduit-signature: " GOOD};
  T_INT_EQ(quire_webhook_verify(hs, 1, BODY, strlen(BODY), "", 0, NULL, &err),
           QUIRE_EINVAL);
  T_INT_EQ(
      quire_webhook_verify(NULL, 1, BODY, strlen(BODY), "k", 1, NULL, &err),
      QUIRE_EINVAL);
  /* With the real clock, a 2023 signature is stale. */
  T_INT_EQ(quire_webhook_verify(hs, 1, BODY, strlen(BODY), SECRET,
                                strlen(SECRET), NULL, &err),
           QUIRE_ESIGNATURE);

  /* Round trip on a body with NULs and a long secret. */
  static const char bin[] = "a\0b\0c";
  char secret[100];
  memset(secret, 's', sizeof secret);
  quire__hmac h;
  unsigned char d[32];
  char hex[65], line[200];
  quire__hmac_init(&h, secret, sizeof secret);
  quire__hmac_update(&h, "42.", 3);
  quire__hmac_update(&h, bin, 5);
  quire__hmac_final(&h, d);
  quire__hex(hex, d, 32);
  snprintf(line, sizeof line, "conduit-signature: t=42,v1=%s", hex);
  const char *hs2[1] = {line};
  quire_webhook_options o = QUIRE_WEBHOOK_OPTIONS_INIT;
  o.now = 40;
  T_INT_EQ(
      quire_webhook_verify(hs2, 1, bin, 5, secret, sizeof secret, &o, &err), 0);
  T_INT_EQ(
      quire_webhook_verify(hs2, 1, bin, 4, secret, sizeof secret, &o, &err),
      QUIRE_ESIGNATURE);
}

static quire_webhook_event *parse_ok(const char *s) {
  quire_webhook_event *e = NULL;
  quire_error err;
  quire_error_clear(&err);
  int rc = quire_webhook_parse_event(&e, s, strlen(s), &err);
  T_CHECK(rc == 0, "parse: %s", err.message);
  return e;
}

static void parse_bad(const char *s, int code, const char *path) {
  quire_webhook_event *e = (quire_webhook_event *)1;
  quire_error err;
  quire_error_clear(&err);
  T_INT_EQ(quire_webhook_parse_event(&e, s, strlen(s), &err), code);
  T_OK(e == NULL);
  if (path)
    T_STR_EQ(err.path, path);
}

static void test_events(void) {
  quire_webhook_event *e = parse_ok(
      "{\"id\":\"evt_1\",\"type\":\"report.completed\",\"createdAt\":"
      "\"2026-01-02T03:04:05Z\",\"timestamp\":\"2026-01-02T03:04:05Z\","
      "\"data\":{\"jobId\":\"job_1\",\"reportId\":\"rep_1\",\"status\":"
      "\"succeeded\"}}");
  T_INT_EQ(quire_webhook_event_kind(e), QUIRE_WEBHOOK_REPORT_COMPLETED);
  T_STR_EQ(quire_webhook_event_id(e), "evt_1");
  T_STR_EQ(quire_webhook_event_type(e), "report.completed");
  T_STR_EQ(quire_webhook_event_created_at(e), "2026-01-02T03:04:05Z");
  T_STR_EQ(quire_webhook_event_job_id(e), "job_1");
  T_STR_EQ(quire_webhook_event_report_id(e), "rep_1");
  T_STR_EQ(quire_webhook_event_status(e), "succeeded");
  T_OK(quire_webhook_event_error_code(e) == NULL);
  T_STR_EQ(
      quire_webhook_event_data(e),
      "{\"jobId\":\"job_1\",\"reportId\":\"rep_1\",\"status\":\"succeeded\"}");
  quire_webhook_event_free(e);

  e = parse_ok("{\"id\":\"evt_2\",\"type\":\"report.failed\",\"data\":{"
               "\"jobId\":\"job_2\",\"status\":\"failed\",\"error\":{\"code\":"
               "\"media_unreadable\",\"message\":\"bad\\u001b[0m audio\"}}}");
  T_INT_EQ(quire_webhook_event_kind(e), QUIRE_WEBHOOK_REPORT_FAILED);
  T_STR_EQ(quire_webhook_event_error_code(e), "media_unreadable");
  T_STR_EQ(quire_webhook_event_error_message(e), "bad?[0m audio");
  quire_webhook_event_free(e);

  e = parse_ok("{\"type\":\"matching.completed\",\"timestamp\":\"T\",\"data\":"
               "{\"jobId\":\"j\",\"matchingId\":\"m\"}}");
  T_INT_EQ(quire_webhook_event_kind(e), QUIRE_WEBHOOK_MATCHING_COMPLETED);
  T_STR_EQ(quire_webhook_event_matching_id(e), "m");
  T_STR_EQ(quire_webhook_event_created_at(e), "T"); /* legacy: timestamp */
  T_OK(quire_webhook_event_id(e) == NULL);
  quire_webhook_event_free(e);

  e = parse_ok("{\"type\":\"matching.failed\",\"data\":{\"jobId\":\"j\","
               "\"error\":{\"code\":\"c\"}}}");
  T_INT_EQ(quire_webhook_event_kind(e), QUIRE_WEBHOOK_MATCHING_FAILED);
  quire_webhook_event_free(e);

  e = parse_ok("{\"type\":\"entity.updated\",\"data\":[1,2]}");
  T_INT_EQ(quire_webhook_event_kind(e), QUIRE_WEBHOOK_UNKNOWN);
  T_STR_EQ(quire_webhook_event_data(e), "[1,2]");
  quire_webhook_event_free(e);
  e = parse_ok("{\"type\":\"x\"}");
  T_STR_EQ(quire_webhook_event_data(e), "null");
  quire_webhook_event_free(e);

  parse_bad("{\"type\":\"report.completed\",\"data\":{\"jobId\":\"j\"}}",
            QUIRE_ESCHEMA, "$.data.reportId");
  parse_bad("{\"type\":\"report.completed\",\"data\":{\"reportId\":\"r\"}}",
            QUIRE_ESCHEMA, "$.data.jobId");
  parse_bad("{\"type\":\"report.failed\",\"data\":{\"jobId\":\"j\"}}",
            QUIRE_ESCHEMA, "$.data.error");
  parse_bad("{\"type\":\"matching.completed\",\"data\":{\"jobId\":\"j\"}}",
            QUIRE_ESCHEMA, "$.data.matchingId");
  parse_bad("{\"type\":\"report.completed\"}", QUIRE_ESCHEMA, "$.data");
  parse_bad("{\"data\":{}}", QUIRE_ESCHEMA, "$.type");
  parse_bad("[]", QUIRE_ESCHEMA, "$");
  parse_bad("{\"type\":\"a\",\"type\":\"b\"}", QUIRE_ESYNTAX, NULL);
  parse_bad("{\n  \"type\": nope}", QUIRE_ESYNTAX, NULL);
  parse_bad("", QUIRE_ESYNTAX, NULL);
  quire_error err;
  quire_webhook_event *x;
  quire_error_clear(&err);
  quire_webhook_parse_event(&x, "{\n  \"type\": nope}", 17, &err);
  T_INT_EQ(err.line, 2);
  quire_webhook_event_free(NULL);
}

int main(void) {
  test_sha256();
  test_hmac_rfc4231();
  test_verify();
  test_events();
  return T_done("test_fetch_webhook");
}
