/* API error bodies in every shape the SDKs accept, and status mapping. */
#include "harness.h"

#include "fetch/fetch.h"

#include <stdlib.h>
#include <string.h>

static quire__api_error parse(const char *s) {
  quire__api_error ae;
  quire__api_error_parse(&ae, s, strlen(s));
  return ae;
}

static void test_shapes(void) {
  quire__api_error ae = parse(
      "{\"error\":{\"code\":\"not_found\",\"message\":\"Report not found\","
      "\"details\":{}}}");
  T_STR_EQ(ae.code, "not_found");
  T_STR_EQ(ae.message, "Report not found");
  T_OK(!ae.has_required && !ae.has_available);

  ae = parse("{\"code\":\"rate_limited\",\"message\":\"Slow down\"}");
  T_STR_EQ(ae.code, "rate_limited");
  T_STR_EQ(ae.message, "Slow down");

  /* The deleted-file shape: a string error plus a message. */
  ae = parse("{\"error\":\"gone\",\"message\":\"File deleted\","
             "\"deletedAt\":\"2026-01-01T00:00:00Z\"}");
  T_STR_EQ(ae.code, "gone");
  T_STR_EQ(ae.message, "File deleted");

  ae = parse("{\"error\":{\"code\":\"insufficient_credits\",\"message\":"
             "\"Insufficient credits\",\"details\":{\"required\":10,"
             "\"available\":0}}}");
  T_STR_EQ(ae.code, "insufficient_credits");
  T_OK(ae.has_required && ae.required == 10);
  T_OK(ae.has_available && ae.available == 0);

  /* conduit-ts also reads details.details. */
  ae = parse("{\"error\":{\"code\":\"insufficient_credits\",\"details\":"
             "{\"details\":{\"required\":3.5,\"available\":1}}}}");
  T_OK(ae.has_required && ae.required == 3.5);
  T_OK(ae.has_available && ae.available == 1);
  T_STR_EQ(ae.message, "");

  /* Flat with details at the top. */
  ae = parse("{\"code\":\"insufficient_credits\",\"message\":\"m\","
             "\"details\":{\"required\":2}}");
  T_OK(ae.has_required && !ae.has_available);

  /* Wrong types are ignored, not trusted. */
  ae = parse("{\"error\":{\"code\":5,\"message\":[\"x\"],\"details\":"
             "{\"required\":\"10\"}}}");
  T_STR_EQ(ae.code, "");
  T_STR_EQ(ae.message, "");
  T_OK(!ae.has_required);

  ae = parse("\"just a string\"");
  T_STR_EQ(ae.message, "just a string");
  ae = parse("[1,2]");
  T_STR_EQ(ae.code, "");
  T_STR_EQ(ae.message, "");
  ae = parse("null");
  T_STR_EQ(ae.message, "");
  ae = parse("");
  T_STR_EQ(ae.message, "");
}

static void test_text_bodies(void) {
  quire__api_error ae = parse("Bad Gateway\r\n\r\n  upstream   timed out\n");
  T_STR_EQ(ae.code, "");
  T_STR_EQ(ae.message, "Bad Gateway upstream timed out");
  ae = parse("{\"error\": broken json");
  T_STR_EQ(ae.message, "{\"error\": broken json");
  /* Control characters from the server never reach a terminal. */
  ae = parse("{\"message\":\"\\u001b[31mred\\u0007 \\u009b2J \\u202eevil\"}");
  T_OK(strchr(ae.message, 0x1b) == NULL);
  T_OK(strchr(ae.message, 0x07) == NULL);
  T_OK(strstr(ae.message, "\xC2\x9B") == NULL);
  T_OK(strstr(ae.message, "\xE2\x80\xAE") == NULL);
  T_OK(strstr(ae.message, "red") != NULL);
  /* Long messages are cut on a character boundary. */
  char big[2000];
  size_t n = 0;
  memcpy(big, "{\"message\":\"", 12);
  n = 12;
  for (int i = 0; i < 500; i++) {
    big[n++] = '\xC3';
    big[n++] = '\xA9';
  }
  memcpy(big + n, "\"}", 3);
  ae = parse(big);
  size_t ml = strlen(ae.message);
  T_OK(ml > 300 && ml < sizeof ae.message);
  T_OK(ml % 2 == 0);
  T_INT_EQ((unsigned char)ae.message[ml - 1], 0xA9);
}

static void test_mapping(void) {
  T_INT_EQ(quire__status_error_code(401), QUIRE_EAUTH);
  T_INT_EQ(quire__status_error_code(403), QUIRE_EAUTH);
  T_INT_EQ(quire__status_error_code(402), QUIRE_ECREDITS);
  T_INT_EQ(quire__status_error_code(404), QUIRE_ENOTFOUND);
  T_INT_EQ(quire__status_error_code(422), QUIRE_EVALIDATION);
  T_INT_EQ(quire__status_error_code(429), QUIRE_ERATELIMIT);
  T_INT_EQ(quire__status_error_code(500), QUIRE_ESERVER);
  T_INT_EQ(quire__status_error_code(503), QUIRE_ESERVER);
  T_INT_EQ(quire__status_error_code(400), QUIRE_EREFUSED);
  T_INT_EQ(quire__status_error_code(418), QUIRE_EREFUSED);

  quire_error err;
  quire_error_clear(&err);
  quire__api_error ae =
      parse("{\"error\":{\"code\":\"insufficient_credits\",\"message\":"
            "\"Insufficient credits\",\"details\":{\"required\":10,"
            "\"available\":0}}}");
  T_INT_EQ(quire__api_error_set(&err, 402, &ae, 1), QUIRE_ECREDITS);
  T_INT_EQ(err.code, QUIRE_ECREDITS);
  T_INT_EQ(err.http_status, 402);
  T_STR_EQ(err.message, "insufficient credits (HTTP 402 insufficient_credits):"
                        " Insufficient credits (required 10 credits, "
                        "available 0)");
  quire_error_clear(&err);
  ae = parse("{\"code\":\"rate_limited\",\"message\":\"Slow down\"}");
  T_INT_EQ(quire__api_error_set(&err, 429, &ae, 3), QUIRE_ERATELIMIT);
  T_STR_EQ(err.message,
           "rate limited (HTTP 429 rate_limited) after 3 attempts: Slow down");
  quire_error_clear(&err);
  ae = parse("");
  T_INT_EQ(quire__api_error_set(&err, 401, &ae, 1), QUIRE_EAUTH);
  T_STR_EQ(err.message, "authentication failed (HTTP 401)");
  T_INT_EQ(quire__api_error_set(NULL, 404, &ae, 1), QUIRE_ENOTFOUND);
  quire_error_clear(&err);
  ae = parse("teapot");
  T_INT_EQ(quire__api_error_set(&err, 418, &ae, 1), QUIRE_EREFUSED);
  T_STR_EQ(err.message, "request refused (HTTP 418): teapot");
  T_INT_EQ(quire__api_error_set(NULL, 409, &ae, 1), QUIRE_EREFUSED);
  T_INT_EQ(quire__api_error_set(NULL, 400, &ae, 1), QUIRE_EREFUSED);
  T_INT_EQ(quire__api_error_set(NULL, 410, &ae, 1), QUIRE_EREFUSED);
}

int main(void) {
  test_shapes();
  test_text_bodies();
  test_mapping();
  return T_done("test_fetch_api_error");
}
