/* URLs and the client's safety rules: escaping ids, the base URL policy,
 * origins for redirects, redaction, and client options. */
#include "harness.h"

#include "fetch/fetch.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void escape_is(const char *in, const char *want) {
  quire_buf b = QUIRE_BUF_INIT;
  T_INT_EQ(quire__url_escape_segment(&b, in), 0);
  T_STR_EQ(b.ptr, want);
  quire_buf_dispose(&b);
}

static void test_escape(void) {
  escape_is("rep_123", "rep_123");
  escape_is("a-b.c~d_e", "a-b.c~d_e");
  escape_is("a/b", "a%2Fb");
  escape_is("a b", "a%20b");
  escape_is("?#%&=+", "%3F%23%25%26%3D%2B");
  escape_is("\xC3\xA9", "%C3%A9");
  escape_is("\r\n", "%0D%0A");
  /* Dot-segments would be resolved away by URL normalisation. */
  escape_is(".", "%2E");
  escape_is("..", "%2E%2E");
  escape_is("...", "%2E%2E%2E");
  escape_is("../x", "..%2Fx");
  escape_is("", "");
}

static void test_loopback(void) {
  const char *yes[] = {"127.0.0.1",
                       "127.1.2.3",
                       "127.255.255.254",
                       "localhost",
                       "LocalHost",
                       "localhost.",
                       "::1",
                       "[::1]",
                       "::ffff:127.0.0.1",
                       "0:0:0:0:0:0:0:1"};
  const char *no[] = {"128.0.0.1",
                      "10.0.0.1",
                      "0.0.0.0",
                      "::",
                      "[::2]",
                      "example.com",
                      "localhost.example.com",
                      "127.0.0.1.nip.io",
                      "localhost:80",
                      "",
                      "1.127.0.0"};
  for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
    T_CHECK(quire__host_is_loopback(yes[i]), "%s should be loopback", yes[i]);
  for (size_t i = 0; i < sizeof no / sizeof *no; i++)
    T_CHECK(!quire__host_is_loopback(no[i]), "%s should not be loopback",
            no[i]);
}

static void base_ok(const char *url, const char *base, const char *origin,
                    int loop) {
  char *b, *o;
  int l;
  quire_error err;
  quire_error_clear(&err);
  int rc = quire__base_url_check(&b, &o, &l, url, &err);
  T_CHECK(rc == 0, "%s: %s", url, err.message);
  if (rc)
    return;
  T_STR_EQ(b, base);
  T_STR_EQ(o, origin);
  T_INT_EQ(l, loop);
  free(b);
  free(o);
}

static void base_bad(const char *url, const char *needle) {
  char *b = (char *)1, *o = (char *)1;
  int l;
  quire_error err;
  quire_error_clear(&err);
  T_INT_EQ(quire__base_url_check(&b, &o, &l, url, &err), QUIRE_EINVAL);
  T_CHECK(strstr(err.message, needle) != NULL, "%s: \"%s\" lacks \"%s\"", url,
          err.message, needle);
  T_OK(b == NULL && o == NULL);
}

static void test_base_url(void) {
  base_ok("https://api.mappa.ai", "https://api.mappa.ai",
          "https://api.mappa.ai:443", 0);
  base_ok("https://api.mappa.ai/", "https://api.mappa.ai",
          "https://api.mappa.ai:443", 0);
  base_ok("HTTPS://API.Mappa.AI:443/", "https://API.Mappa.AI:443",
          "https://api.mappa.ai:443", 0);
  base_ok("https://gw.example/conduit//", "https://gw.example/conduit",
          "https://gw.example:443", 0);
  base_ok("http://127.0.0.1:8080", "http://127.0.0.1:8080",
          "http://127.0.0.1:8080", 1);
  base_ok("http://localhost/", "http://localhost", "http://localhost:80", 1);
  base_ok("http://[::1]:9000", "http://[::1]:9000", "http://[::1]:9000", 1);
  base_ok("https://127.0.0.1:1", "https://127.0.0.1:1", "https://127.0.0.1:1",
          1);
  base_bad("http://api.mappa.ai", "must use https");
  base_bad("http://10.0.0.1:80", "must use https");
  base_bad("ftp://127.0.0.1", "must use https");
  base_bad("file:///etc/passwd", "");
  base_bad("https://user:pw@api.mappa.ai", "credentials");
  base_bad("https://user@api.mappa.ai", "credentials");
  base_bad("https://api.mappa.ai/?x=1", "query");
  base_bad("https://api.mappa.ai/#frag", "fragment");
  base_bad("api.mappa.ai", "not an absolute");
  base_bad("", "");
}

static void resolve_is(const char *url, const char *loc, const char *abs,
                       const char *origin) {
  char *a, *o;
  int rc = quire__url_resolve(&a, &o, url, loc);
  T_CHECK(rc == 0, "resolve %s against %s", loc, url);
  if (rc)
    return;
  T_STR_EQ(a, abs);
  T_STR_EQ(o, origin);
  free(a);
  free(o);
}

static void test_resolve(void) {
  const char *u = "http://127.0.0.1:5000/v1/reports/a";
  resolve_is(u, "/v1/reports/b", "http://127.0.0.1:5000/v1/reports/b",
             "http://127.0.0.1:5000");
  resolve_is(u, "b?x=1", "http://127.0.0.1:5000/v1/reports/b?x=1",
             "http://127.0.0.1:5000");
  resolve_is(u, "http://127.0.0.1:5001/v1/reports/a",
             "http://127.0.0.1:5001/v1/reports/a", "http://127.0.0.1:5001");
  resolve_is(u, "https://127.0.0.1:5000/x", "https://127.0.0.1:5000/x",
             "https://127.0.0.1:5000");
  resolve_is(u, "//evil.example/x", "http://evil.example/x",
             "http://evil.example:80");
  resolve_is("https://api.mappa.ai/v1/reports/a",
             "https://API.mappa.ai:443/z#f", "https://API.mappa.ai:443/z",
             "https://api.mappa.ai:443");
  char *a = (char *)1, *o = (char *)1;
  T_INT_EQ(quire__url_resolve(&a, &o, u, "http://u:p@127.0.0.1:5000/"), -1);
  T_OK(a == NULL && o == NULL);
}

static void test_text(void) {
  char s[64] = "key abc123 and abc123!";
  quire__redact(s, sizeof s, "abc123");
  T_STR_EQ(s, "key [redacted] and [redacted]!");
  char t[12] = "xxabc123yy";
  quire__redact(t, sizeof t, "abc123");
  T_STR_EQ(t, "xx******yy");
  char u[64] = "red red";
  quire__redact(u, sizeof u, "red"); /* the mark contains the key */
  T_STR_EQ(u, "[redacted] [redacted]");
  char v[16] = "nothing";
  quire__redact(v, sizeof v, "");
  T_STR_EQ(v, "nothing");

  /* Pieces of 12 bytes or more of a key are masked; shorter ones stay. */
  const char *key = "sk_test_0123456789abcdef";
  char f1[80] = "cut: sk_test_0123456 and 89abcdef tail sk_test_";
  quire__redact(f1, sizeof f1, key);
  T_STR_EQ(f1, "cut: *************** and 89abcdef tail sk_test_");

  /* Redact first, then cut: a key across the cut is not half printed. */
  char c1[20];
  const char *src = "0123456789sk_test_0123456789abcdef!";
  quire__clean_copy(c1, sizeof c1, src, strlen(src), key);
  T_STR_EQ(c1, "0123456789[redacted");
  char c2[96];
  quire__clean_copy(c2, sizeof c2,
                    "a\x1b"
                    "b",
                    3, key);
  T_STR_EQ(c2, "a?b");

  /* Whole bodies: literal and JSON-escaped spellings. */
  quire_buf b = QUIRE_BUF_INIT;
  quire_buf_puts(&b, "{\"m\":\"x sk_test_0123456789abcdef y\","
                     "\"e\":\"\\u0073k_test_0123456789abcdef\\n\","
                     "\"k\":\"\\u00e9 plain\"}");
  T_INT_EQ(quire__redact_buf(&b, key), 0);
  T_STR_EQ(b.ptr, "{\"m\":\"x [redacted] y\",\"e\":\"[redacted]\\u000a\","
                  "\"k\":\"\\u00e9 plain\"}");
  quire_buf_dispose(&b);

  char w[] =
      "a\x1b[31mb\x07\x7f c\xC2\x9B d\xE2\x80\xAE e\xE2\x81\xA6 \xC3\xA9";
  quire__sanitize(w);
  T_STR_EQ(w, "a?[31mb?? c?? d??? e??? \xC3\xA9");

  char hex[9];
  const unsigned char in[4] = {0, 0xab, 0x10, 0xff};
  quire__hex(hex, in, 4);
  T_STR_EQ(hex, "00ab10ff");
  unsigned char r1[16], r2[16];
  quire__random(r1, sizeof r1);
  quire__random(r2, sizeof r2);
  T_OK(memcmp(r1, r2, 16) != 0);
}

static void test_client_options(void) {
  quire_client *c = (quire_client *)1;
  quire_error err;
  quire_client_options o = QUIRE_CLIENT_OPTIONS_INIT;
  quire_error_clear(&err);
  T_INT_EQ(quire_client_new(&c, &o, &err), QUIRE_EINVAL);
  T_OK(c == NULL);
  T_STR_EQ(err.message, "no API key given");
  o.api_key = "sk_test\r\nX-Evil: 1";
  T_INT_EQ(quire_client_new(&c, &o, &err), QUIRE_EINVAL);
  T_OK(strstr(err.message, "sk_test") == NULL);
  o.api_key = "sk test";
  T_INT_EQ(quire_client_new(&c, &o, &err), QUIRE_EINVAL);
  o.api_key = "sk_test_123";
  o.max_retries = 11;
  T_INT_EQ(quire_client_new(&c, &o, &err), QUIRE_EINVAL);
  o.max_retries = 2;
  o.base_url = "http://api.mappa.ai";
  T_INT_EQ(quire_client_new(&c, &o, &err), QUIRE_EINVAL);
  o.base_url = NULL;
  o.version = 99;
  T_INT_EQ(quire_client_new(&c, &o, &err), QUIRE_EINVAL);
  o.version = QUIRE_CLIENT_OPTIONS_VERSION;
  T_INT_EQ(quire_client_new(&c, &o, &err), 0);
  T_STR_EQ(c->base, "https://api.mappa.ai");
  T_STR_EQ(c->user_agent, "quire/" QUIRE_VERSION_STRING);
  T_INT_EQ(c->max_retries, 2);
  T_INT_EQ(c->timeout_ms, 300000);
  T_INT_EQ(c->poll_ms, 3000);
  quire_client_free(c);
  quire_client_free(NULL);

  o.user_agent = "my backend\r\nX-Evil: 1";
  T_INT_EQ(quire_client_new(&c, &o, &err), QUIRE_EINVAL);
  o.user_agent = "my backend/2";
  T_INT_EQ(quire_client_new(&c, &o, &err), 0);
  T_STR_EQ(c->user_agent, "quire/" QUIRE_VERSION_STRING " my backend/2");

  /* Argument checks happen before any network traffic. */
  quire_buf b = QUIRE_BUF_INIT, idem = QUIRE_BUF_INIT;
  T_INT_EQ(quire_client_get_report(&b, c, "", &err), QUIRE_EINVAL);
  T_INT_EQ(quire_client_get_report(&b, NULL, "x", &err), QUIRE_EINVAL);
  T_INT_EQ(quire_client_get_report_by_job(NULL, c, "x", &err), QUIRE_EINVAL);
  quire_job *job = (quire_job *)1;
  T_INT_EQ(quire_client_get_job(&job, c, NULL, &err), QUIRE_EINVAL);
  T_OK(job == NULL);
  quire_job_request req = QUIRE_JOB_REQUEST_INIT;
  T_INT_EQ(quire_client_create_job(&job, &idem, c, &req, &err), QUIRE_EINVAL);
  T_STR_EQ(err.message, "no media id given");
  /* The key is handed out even when the call fails, for a safe retry. */
  T_OK(strncmp(idem.ptr, "idem_", 5) == 0 && idem.size == 41);
  req.media_id = "med_1";
  req.template_name = "general_report";
  req.template_params = "[1]";
  T_INT_EQ(quire_client_create_job(&job, NULL, c, &req, &err), QUIRE_EINVAL);
  req.template_params = NULL;
  req.target = QUIRE_TARGET_ENTITY_ID;
  T_INT_EQ(quire_client_create_job(&job, NULL, c, &req, &err), QUIRE_EINVAL);
  T_STR_EQ(err.message, "target entity_id needs an entity id");
  req.target = QUIRE_TARGET_TIMERANGE;
  req.target_start = 10;
  req.target_end = 5;
  T_INT_EQ(quire_client_create_job(&job, NULL, c, &req, &err), QUIRE_EINVAL);
  req.target = QUIRE_TARGET_DOMINANT;
  req.idempotency_key = "bad key";
  T_INT_EQ(quire_client_create_job(&job, NULL, c, &req, &err), QUIRE_EINVAL);
  /* Matching jobs: a group, and subjects with exactly one id. */
  quire_matching_request mr = QUIRE_MATCHING_REQUEST_INIT;
  quire_subject grp[2] = {QUIRE_SUBJECT_INIT, QUIRE_SUBJECT_INIT};
  mr.target.entity_id = "ent_1";
  quire_buf_clear(&idem);
  T_INT_EQ(quire_client_create_matching_job(&job, &idem, c, &mr, &err),
           QUIRE_EINVAL);
  T_STR_EQ(err.message, "a matching job needs at least one group member");
  T_OK(strncmp(idem.ptr, "idem_", 5) == 0);
  mr.group = grp;
  mr.group_count = 2;
  grp[0].media_id = "med_2";
  T_INT_EQ(quire_client_create_matching_job(&job, NULL, c, &mr, &err),
           QUIRE_EINVAL);
  T_STR_EQ(err.message,
           "the group member 2 needs an entity id or a media id (one of them)");
  grp[1].entity_id = "ent_3";
  grp[1].media_id = "med_3";
  T_INT_EQ(quire_client_create_matching_job(&job, NULL, c, &mr, &err),
           QUIRE_EINVAL);
  grp[1].media_id = NULL;
  grp[0].strategy = QUIRE_TARGET_MAGIC_HINT;
  T_INT_EQ(quire_client_create_matching_job(&job, NULL, c, &mr, &err),
           QUIRE_EINVAL);
  T_STR_EQ(err.message, "target magic_hint needs a hint");
  mr.target.entity_id = NULL;
  T_INT_EQ(quire_client_create_matching_job(&job, NULL, c, &mr, &err),
           QUIRE_EINVAL);
  T_STR_EQ(err.message,
           "the target needs an entity id or a media id (one of them)");
  mr.version = 7;
  T_INT_EQ(quire_client_create_matching_job(&job, NULL, c, &mr, &err),
           QUIRE_EINVAL);
  T_INT_EQ(quire_client_cancel_job(&job, c, "", &err), QUIRE_EINVAL);
  T_INT_EQ(quire_client_get_matching(&b, c, NULL, &err), QUIRE_EINVAL);
  T_INT_EQ(quire_client_get_matching_by_job(NULL, c, "j", &err), QUIRE_EINVAL);
  quire_wait_options wo = QUIRE_WAIT_OPTIONS_INIT;
  wo.version = 5;
  T_INT_EQ(quire_client_wait_job(&job, c, "j", &wo, &err), QUIRE_EINVAL);
  T_INT_EQ(quire_client_wait_job(&job, c, "", NULL, &err), QUIRE_EINVAL);
  quire_buf_dispose(&b);
  quire_buf_dispose(&idem);
  quire_client_free(c);
}

/* A real connection to a closed loopback port: refused at once, reported
 * as a network error naming the URL and the request id, never the key. */
static void test_refused(void) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a;
  socklen_t al = sizeof a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  T_INT_EQ(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
  T_INT_EQ(getsockname(fd, (struct sockaddr *)&a, &al), 0);
  close(fd); /* now nothing listens there */
  char url[64];
  snprintf(url, sizeof url, "http://127.0.0.1:%d/", ntohs(a.sin_port));
  quire_client_options o = QUIRE_CLIENT_OPTIONS_INIT;
  o.api_key = "sk_secret_refused";
  o.base_url = url;
  o.max_retries = 1;
  o.time_scale = 0.01;
  quire_client *c;
  quire_error err;
  quire_error_clear(&err);
  T_INT_EQ(quire_client_new(&c, &o, &err), 0);
  quire_buf b = QUIRE_BUF_INIT;
  T_INT_EQ(quire_client_get_report(&b, c, "rep/1", &err), QUIRE_ENET);
  T_OK(strstr(err.source, "/v1/reports/rep%2F1") != NULL);
  T_OK(strncmp(err.request_id, "req_", 4) == 0 && strlen(err.request_id) == 36);
  T_OK(strstr(err.message, "after 2 attempts") != NULL);
  T_OK(strstr(err.message, "sk_secret") == NULL);
  T_INT_EQ(err.http_status, 0);
  quire_buf_dispose(&b);
  quire_client_free(c);
}

int main(void) {
  quire_global_init();
  test_escape();
  test_loopback();
  test_base_url();
  test_resolve();
  test_text();
  test_client_options();
  test_refused();
  return T_done("test_fetch_url");
}
