/* The Server-Sent Events parser: line ends, comments, fields, ids, the BOM,
 * caps, and the same events whatever the chunking. */
#include "harness.h"

#include "fetch/sse.h"

#include <stdlib.h>
#include <string.h>

/* Events rendered as "type|data|id" lines, appended to one buffer. */
typedef struct rec {
  quire_buf out;
  int n;
  int stop_at; /* return 7 on this event number (1-based); 0 = never */
} rec;

static int on_event(const quire__sse_event *ev, void *payload) {
  rec *r = payload;
  r->n++;
  quire_buf_printf(&r->out, "%s|", ev->type);
  quire_buf_put(&r->out, ev->data, ev->data_len);
  quire_buf_printf(&r->out, "|%s\n", ev->id);
  return r->stop_at && r->n == r->stop_at ? 7 : 0;
}

/* Feeds s in chunks of the given sizes (0-terminated list; the rest in one
 * go) and returns the events. */
static char *parse_chunks(const char *s, size_t len, const size_t *cuts,
                          int *rc_out, char *last_id, size_t last_id_size) {
  rec r;
  quire__sse p;
  memset(&r, 0, sizeof r);
  quire_buf_init(&r.out, 0);
  quire__sse_init(&p, 0, on_event, &r);
  size_t off = 0;
  int rc = 0;
  for (const size_t *c = cuts; c && *c && off < len && !rc; c++) {
    size_t n = *c < len - off ? *c : len - off;
    rc = quire__sse_feed(&p, s + off, n);
    off += n;
  }
  if (!rc && off < len)
    rc = quire__sse_feed(&p, s + off, len - off);
  if (rc_out)
    *rc_out = rc;
  if (last_id)
    snprintf(last_id, last_id_size, "%s", quire__sse_last_id(&p));
  quire__sse_dispose(&p);
  char *out = quire_buf_detach(&r.out, NULL);
  quire_buf_dispose(&r.out);
  return out;
}

static char *parse(const char *s) {
  return parse_chunks(s, strlen(s), NULL, NULL, NULL, 0);
}

#define EXPECT(input, want)                                                    \
  do {                                                                         \
    char *got_ = parse(input);                                                 \
    T_STR_EQ(got_, want);                                                      \
    free(got_);                                                                \
  } while (0)

static void test_basics(void) {
  EXPECT("event: status\ndata: {\"a\":1}\nid: 1\n\n", "status|{\"a\":1}|1\n");
  EXPECT("event: status\r\ndata: x\r\nid: 2\r\n\r\n", "status|x|2\n");
  EXPECT("event: status\rdata: x\rid: 3\r\r", "status|x|3\n");
  EXPECT("data: plain\n\n", "message|plain|\n");
  /* Comments, also as the only content of a "frame". */
  EXPECT(":hello\ndata: a\n: another\n\n: ping\n\n", "message|a|\n");
  /* Multi-line data joins with LF. */
  EXPECT("data: a\ndata: b\ndata:\ndata: c\n\n", "message|a\nb\n\nc|\n");
  /* One space after the colon is dropped, not more; no colon = empty. */
  EXPECT("data:x\n\n", "message|x|\n");
  EXPECT("data:  x\n\n", "message| x|\n");
  EXPECT("data\n\n", "message||\n");
  /* Unknown fields and event-type reset between events. */
  EXPECT("foo: bar\nevent: stage\ndata: 1\n\ndata: 2\n\n",
         "stage|1|\nmessage|2|\n");
  /* An event type with no data is not dispatched, and does not leak. */
  EXPECT("event: status\n\ndata: z\n\n", "message|z|\n");
  /* A pending event at the end of the stream is discarded. */
  EXPECT("data: never\n", "");
  EXPECT("data: never", "");
  /* Field names are case-sensitive. */
  EXPECT("Data: no\ndata: yes\n\n", "message|yes|\n");
}

static void test_ids(void) {
  /* The id stays for later events until changed. */
  EXPECT("id: 5\ndata: a\n\ndata: b\n\nid: 6\ndata: c\n\n",
         "message|a|5\nmessage|b|5\nmessage|c|6\n");
  /* An empty id resets it. */
  EXPECT("id: 5\ndata: a\n\nid\ndata: b\n\n", "message|a|5\nmessage|b|\n");
  /* An id containing NUL is ignored. */
  {
    static const char s[] = "id: 1\ndata: a\n\nid: 2\0x\ndata: b\n\n";
    char *got = parse_chunks(s, sizeof s - 1, NULL, NULL, NULL, 0);
    T_STR_EQ(got, "message|a|1\nmessage|b|1\n");
    free(got);
  }
  /* The last id is committed at a blank line even without data... */
  char last[64];
  char *got = parse_chunks("id: 9\n\n", 7, NULL, NULL, last, sizeof last);
  T_STR_EQ(got, "");
  T_STR_EQ(last, "9");
  free(got);
  /* ...but not before it. */
  got = parse_chunks("id: 9\ndata: x\n", 14, NULL, NULL, last, sizeof last);
  T_STR_EQ(last, "");
  free(got);
  /* A resumed stream starts from the id it was given. */
  rec r;
  quire__sse p;
  memset(&r, 0, sizeof r);
  quire_buf_init(&r.out, 0);
  quire__sse_init(&p, 0, on_event, &r);
  T_INT_EQ(quire__sse_set_last_id(&p, "41"), 0);
  T_INT_EQ(quire__sse_feed(&p, "data: x\n\n", 9), 0);
  T_STR_EQ(r.out.ptr, "message|x|41\n");
  T_STR_EQ(quire__sse_last_id(&p), "41");
  quire__sse_dispose(&p);
  quire_buf_dispose(&r.out);
}

static void test_retry_field(void) {
  quire__sse p;
  quire__sse_init(&p, 0, NULL, NULL);
  T_INT_EQ(p.retry_ms, -1);
  quire__sse_feed(&p, "retry: 1500\n", 12);
  T_INT_EQ(p.retry_ms, 1500);
  quire__sse_feed(&p, "retry: 1.5\nretry: x\nretry:\n", 27);
  T_INT_EQ(p.retry_ms, 1500);
  quire__sse_dispose(&p);
}

static void test_bom(void) {
  EXPECT("\xEF\xBB\xBF"
         "data: a\n\n",
         "message|a|\n");
  /* Only one BOM is skipped; a second one is part of the field name. */
  EXPECT("\xEF\xBB\xBF\xEF\xBB\xBF"
         "data: a\n\ndata: b\n\n",
         "message|b|\n");
  /* Something that starts like a BOM but is not one is kept. */
  EXPECT("\xEF"
         "data: a\n\ndata: b\n\n",
         "message|b|\n");
  {
    static const size_t cuts[] = {1, 1, 1, 0};
    char *got = parse_chunks("\xEF\xBB\xBF"
                             "data: a\n\n",
                             12, cuts, NULL, NULL, 0);
    T_STR_EQ(got, "message|a|\n");
    free(got);
  }
}

/* The same stream must give the same events for every split into two and
 * three chunks, and byte by byte: CRLF halves, BOM pieces, everything. */
static void test_every_split(void) {
  static const char s[] =
      "\xEF\xBB\xBF: comment\r\n"
      "id: 1\r\nevent: status\r\ndata: {\"status\":\"running\"}\r\n\r\n"
      "event: stage\rdata: line one\rdata: line two\r\r"
      "id: 2\nevent: heartbeat\ndata: {}\n\n"
      ": keep-alive\n\n"
      "data:x\r\n\r\n"
      "id: 3\r\nevent: terminal\r\ndata: {\"status\":\"succeeded\"}\r\n\r\n"
      "data: cut off";
  size_t len = sizeof s - 1;
  char *want = parse_chunks(s, len, NULL, NULL, NULL, 0);
  T_STR_EQ(want, "status|{\"status\":\"running\"}|1\n"
                 "stage|line one\nline two|1\n"
                 "heartbeat|{}|2\n"
                 "message|x|2\n"
                 "terminal|{\"status\":\"succeeded\"}|3\n");
  int bad = 0;
  for (size_t i = 1; i < len; i++) {
    size_t cuts[2] = {i, 0};
    char *got = parse_chunks(s, len, cuts, NULL, NULL, 0);
    if (strcmp(got, want) != 0 && bad++ < 3)
      T_CHECK(0, "split at %zu: got \"%s\"", i, got);
    free(got);
  }
  T_INT_EQ(bad, 0);
  bad = 0;
  for (size_t i = 1; i < len; i++)
    for (size_t j = 1; i + j < len; j++) {
      size_t cuts[3] = {i, j, 0};
      char *got = parse_chunks(s, len, cuts, NULL, NULL, 0);
      if (strcmp(got, want) != 0 && bad++ < 3)
        T_CHECK(0, "splits at %zu+%zu: got \"%s\"", i, j, got);
      free(got);
    }
  T_INT_EQ(bad, 0);
  size_t ones[sizeof s];
  for (size_t i = 0; i < len; i++)
    ones[i] = 1;
  ones[len] = 0;
  char last[16];
  char *got = parse_chunks(s, len, ones, NULL, last, sizeof last);
  T_STR_EQ(got, want);
  T_STR_EQ(last, "3");
  free(got);
  free(want);
}

static void test_caps_and_stop(void) {
  rec r;
  quire__sse p;
  memset(&r, 0, sizeof r);
  quire_buf_init(&r.out, 0);
  quire__sse_init(&p, 16, on_event, &r);
  T_INT_EQ(quire__sse_feed(&p, "data: 0123456789\n", 17), 0);
  /* A line over the cap fails, and the failure sticks. */
  T_INT_EQ(quire__sse_feed(&p, "data: 0123456789abcdef", 22), QUIRE_ETOOBIG);
  T_INT_EQ(quire__sse_feed(&p, "\n\n", 2), QUIRE_ETOOBIG);
  T_INT_EQ(r.n, 0);
  quire__sse_dispose(&p);
  /* So does an event whose data lines add up to more than the cap. */
  quire__sse_init(&p, 16, on_event, &r);
  T_INT_EQ(quire__sse_feed(&p, "data: 01234567\n", 15), 0);
  T_INT_EQ(quire__sse_feed(&p, "data: 01234567\n", 15), QUIRE_ETOOBIG);
  quire__sse_dispose(&p);
  /* A callback's non-zero result stops the parse and sticks. */
  quire_buf_clear(&r.out);
  r.n = 0;
  r.stop_at = 2;
  quire__sse_init(&p, 0, on_event, &r);
  T_INT_EQ(quire__sse_feed(&p, "data: 1\n\ndata: 2\n\ndata: 3\n\n", 27), 7);
  T_INT_EQ(quire__sse_feed(&p, "data: 4\n\n", 9), 7);
  T_STR_EQ(r.out.ptr, "message|1|\nmessage|2|\n");
  quire__sse_dispose(&p);
  quire_buf_dispose(&r.out);
}

int main(void) {
  test_basics();
  test_ids();
  test_retry_field();
  test_bom();
  test_every_split();
  test_caps_and_stop();
  return T_done("test_sse");
}
