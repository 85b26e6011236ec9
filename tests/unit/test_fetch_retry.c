/* Retry policy: which statuses retry, Retry-After in both forms, back-off. */
#include "harness.h"

#include "fetch/fetch.h"

static void test_http_date(void) {
  /* RFC 9110 section 5.6.7's three forms of the same instant. */
  T_INT_EQ(quire__http_date_parse("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
  T_INT_EQ(quire__http_date_parse("Sunday, 06-Nov-94 08:49:37 GMT"), 784111777);
  T_INT_EQ(quire__http_date_parse("Sun Nov  6 08:49:37 1994"), 784111777);
  T_INT_EQ(quire__http_date_parse("  Sun, 06 Nov 1994 08:49:37 GMT  "),
           784111777);
  T_INT_EQ(quire__http_date_parse("sun, 06 nov 1994 08:49:37 gmt"), 784111777);
  T_INT_EQ(quire__http_date_parse("Thu, 01 Jan 1970 00:00:00 GMT"), 0);
  T_INT_EQ(quire__http_date_parse("Thu, 29 Feb 2024 12:00:00 GMT"), 1709208000);
  T_INT_EQ(quire__http_date_parse("Tue, 29 Feb 2000 00:00:00 GMT"), 951782400);
  T_INT_EQ(quire__http_date_parse("Friday, 01-Jan-21 00:00:00 GMT"),
           1609459200);
  T_INT_EQ(quire__http_date_parse("Wed, 01 Jan 2025 00:00:60 GMT"),
           1735689659); /* a leap second reads as :59 */
  /* Not dates. */
  T_INT_EQ(quire__http_date_parse(""), -1);
  T_INT_EQ(quire__http_date_parse(NULL), -1);
  T_INT_EQ(quire__http_date_parse("120"), -1);
  T_INT_EQ(quire__http_date_parse("Sun, 06 Nov 1994 08:49:37 UTC"), -1);
  T_INT_EQ(quire__http_date_parse("Sun, 06 Nov 1994 08:49:37"), -1);
  T_INT_EQ(quire__http_date_parse("Sun, 06 Nov 1994 08:49:37 GMT x"), -1);
  T_INT_EQ(quire__http_date_parse("Sun, 31 Feb 2001 08:49:37 GMT"), -1);
  T_INT_EQ(quire__http_date_parse("Wed, 29 Feb 2023 08:49:37 GMT"), -1);
  T_INT_EQ(quire__http_date_parse("Sun, 06 Nov 1994 24:00:00 GMT"), -1);
  T_INT_EQ(quire__http_date_parse("Sun, 06 Nov 1994 08:60:00 GMT"), -1);
  T_INT_EQ(quire__http_date_parse("Sun, 06 Foo 1994 08:49:37 GMT"), -1);
  T_INT_EQ(quire__http_date_parse("Xyz, 06 Nov 1994 08:49:37 GMT"), -1);
  T_INT_EQ(quire__http_date_parse("Sun, 00 Nov 1994 08:49:37 GMT"), -1);
  T_INT_EQ(quire__http_date_parse("Sun,06 Nov 1994 08:49:37 GMT"), -1);
  T_INT_EQ(quire__http_date_parse("Sun, 06 Nov 94 08:49:37 GMT"), -1);
  T_INT_EQ(quire__http_date_parse("Sunday 06-Nov-94 08:49:37 GMT"), -1);
  T_INT_EQ(quire__http_date_parse("Sun, 06 Nov 1994 8:49:37 GMT"), -1);
}

static void test_retry_after(void) {
  long ms = -7;
  T_INT_EQ(quire__retry_after_parse(&ms, "5", 0, -1), 0);
  T_INT_EQ(ms, 5000);
  T_INT_EQ(quire__retry_after_parse(&ms, " 10 ", 0, -1), 0);
  T_INT_EQ(ms, 10000);
  T_INT_EQ(quire__retry_after_parse(&ms, "0", 0, -1), 0);
  T_INT_EQ(ms, 0);
  T_INT_EQ(quire__retry_after_parse(&ms, "99999999999999999999", 0, -1), 0);
  T_OK(ms >= 100000000L * 1000 - 1000); /* clamped, not overflowed */
  ms = -7;
  T_INT_EQ(quire__retry_after_parse(&ms, "-1", 0, -1), -1);
  T_INT_EQ(quire__retry_after_parse(&ms, "1.5", 0, -1), -1);
  T_INT_EQ(quire__retry_after_parse(&ms, "", 0, -1), -1);
  T_INT_EQ(quire__retry_after_parse(&ms, "  ", 0, -1), -1);
  T_INT_EQ(quire__retry_after_parse(&ms, "soon", 0, -1), -1);
  T_INT_EQ(quire__retry_after_parse(&ms, NULL, 0, -1), -1);
  T_INT_EQ(ms, -7); /* untouched on failure */
  /* A date, against the local clock when there is no Date header. */
  long long t = quire__http_date_parse("Sun, 06 Nov 1994 08:49:37 GMT");
  T_INT_EQ(quire__retry_after_parse(&ms, "Sun, 06 Nov 1994 08:49:37 GMT",
                                    t - 30, -1),
           0);
  T_INT_EQ(ms, 30000);
  /* Against the server's own Date when it sent one: a client clock that is
   * 1000 s off changes nothing. */
  T_INT_EQ(quire__retry_after_parse(&ms, "Sun, 06 Nov 1994 08:49:37 GMT",
                                    t + 1000, t - 12),
           0);
  T_INT_EQ(ms, 12000);
  /* A date in the past means now. */
  T_INT_EQ(
      quire__retry_after_parse(&ms, "Sun, 06 Nov 1994 08:49:37 GMT", t + 5, -1),
      0);
  T_INT_EQ(ms, 0);
  T_INT_EQ(quire__retry_after_parse(&ms, "Sunday, 06-Nov-94 08:49:37 GMT",
                                    t - 2, -1),
           0);
  T_INT_EQ(ms, 2000);
}

static void test_backoff(void) {
  /* 0.5 s doubling to a 4 s cap, jitter in [0.75, 1.25). */
  long lo[5] = {375, 750, 1500, 3000, 3000};
  long hi[5] = {625, 1250, 2500, 4000, 4000};
  for (int a = 0; a < 5; a++) {
    long min = 1 << 30, max = 0;
    for (uint32_t r = 0; r < 3000; r += 7) {
      long ms = quire__backoff_ms(a, r);
      min = ms < min ? ms : min;
      max = ms > max ? ms : max;
    }
    T_CHECK(min >= lo[a] && max <= hi[a] && min < max,
            "attempt %d: %ld..%ld not within %ld..%ld", a, min, max, lo[a],
            hi[a]);
  }
  T_INT_EQ(quire__backoff_ms(0, 0), 375);
  T_INT_EQ(quire__backoff_ms(1, 500), 1000);
  T_INT_EQ(quire__backoff_ms(50, 999), 4000);
  T_INT_EQ(quire__backoff_ms(1000000, 0), 3000);
}

static void test_retryable(void) {
  T_OK(quire__status_retryable(429));
  T_OK(quire__status_retryable(500));
  T_OK(quire__status_retryable(502));
  T_OK(quire__status_retryable(503));
  T_OK(quire__status_retryable(599));
  T_OK(!quire__status_retryable(200));
  T_OK(!quire__status_retryable(301));
  T_OK(!quire__status_retryable(400));
  T_OK(!quire__status_retryable(401));
  T_OK(!quire__status_retryable(402));
  T_OK(!quire__status_retryable(404));
  T_OK(!quire__status_retryable(422));
  T_OK(!quire__status_retryable(600));
}

int main(void) {
  test_http_date();
  test_retry_after();
  test_backoff();
  test_retryable();
  return T_done("test_fetch_retry");
}
