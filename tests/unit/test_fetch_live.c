/* The library's client calls against the real test server
 * (tests/server/conduit_server.py on 127.0.0.1, scripted by
 * the JSON files in tests/http/lib): what bindings reach without the CLI,
 * namely the caller's request id, raw events, aborting a wait, the list walks
 * and their guards, and usage/credits getters. */
#define _POSIX_C_SOURCE 200809L
#include "harness.h"

#include "quire.h"

#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct server {
  pid_t pid;
  char dir[64];
  char log[128];
  char base[64];
} server;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Starts the server on a scenario; 0 when it is up. */
static int server_start(server *s, const char *scenario) {
  char ports[160], path[128];
  memset(s, 0, sizeof *s);
  snprintf(s->dir, sizeof s->dir, "/tmp/quire-live-XXXXXX");
  if (!mkdtemp(s->dir))
    return -1;
  snprintf(s->log, sizeof s->log, "%s/log.jsonl", s->dir);
  snprintf(ports, sizeof ports, "%s/ports", s->dir);
  snprintf(path, sizeof path, "tests/http/lib/%s", scenario);
  fflush(stdout); /* the child would write our buffer again */
  s->pid = fork();
  if (s->pid < 0)
    return -1;
  if (s->pid == 0) {
    if (!freopen("/dev/null", "w", stdout))
      _exit(127);
    execlp("python3", "python3", "tests/server/conduit_server.py", "--scenario",
           path, "--log", s->log, "--port-file", ports, (char *)NULL);
    _exit(127);
  }
  for (int i = 0; i < 200; i++) { /* up to 10 s on a busy machine */
    FILE *f = fopen(ports, "r");
    int main_port = 0;
    if (f) {
      int n = fscanf(f, "%d", &main_port);
      fclose(f);
      if (n == 1 && main_port > 0) {
        snprintf(s->base, sizeof s->base, "http://127.0.0.1:%d", main_port);
        return 0;
      }
    }
    nanosleep(&(struct timespec){0, 50000000}, NULL);
  }
  return -1;
}

static void server_stop(server *s) {
  if (s->pid > 0) {
    kill(s->pid, SIGTERM);
    waitpid(s->pid, NULL, 0);
  }
  char cmd[160];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", s->dir);
  if (system(cmd) != 0)
    fprintf(stderr, "could not remove %s\n", s->dir);
}

/* The requests the server saw, as a JSON array. */
static json_t *server_log(const server *s) {
  json_t *all = json_array();
  FILE *f = fopen(s->log, "r");
  size_t cap = (size_t)4 << 20; /* a big body's ends, JSON-escaped */
  char *line = malloc(cap);
  while (f && line && fgets(line, (int)cap, f)) {
    json_t *e = json_loads(line, JSON_ALLOW_NUL, NULL); /* binary bodies */
    if (e)
      json_array_append_new(all, e);
  }
  free(line);
  if (f)
    fclose(f);
  return all;
}

static const char *req_header(json_t *entry, const char *name) {
  json_t *h = json_object_get(entry, "headers");
  for (size_t i = 0; i < json_array_size(h); i++) {
    json_t *kv = json_array_get(h, i);
    if (strcasecmp(json_string_value(json_array_get(kv, 0)), name) == 0)
      return json_string_value(json_array_get(kv, 1));
  }
  return NULL;
}

static quire_client *client_for(const server *s, long poll_ms, double scale) {
  quire_client_options o = QUIRE_CLIENT_OPTIONS_INIT;
  quire_client *c = NULL;
  o.base_url = s->base;
  o.api_key = "sk_test_live_0123456789";
  o.poll_interval_ms = poll_ms;
  o.time_scale = scale;
  if (quire_client_new(&c, &o, NULL) != 0)
    return NULL;
  return c;
}

static void test_request_id_and_credits(void) {
  server s;
  if (server_start(&s, "request_id.json") != 0) {
    T_CHECK(0, "server for request_id.json did not start");
    return;
  }
  quire_client *c = client_for(&s, 0, 0.01);
  quire_error err;
  quire_error_clear(&err);
  T_INT_EQ(quire_client_set_request_id(c, "has space", &err), QUIRE_EINVAL);
  T_INT_EQ(quire_client_set_request_id(c, "", &err), QUIRE_EINVAL);
  T_INT_EQ(quire_client_set_request_id(c, "trace-42.abc", &err), 0);
  quire_job *j = NULL;
  /* A 503 first: the retry keeps the caller's id. */
  T_INT_EQ(quire_client_get_job(&j, c, "job_1", &err), 0);
  T_OK(quire_job_credits_used(j) == 3);
  T_OK(quire_job_credits_net_used(j) == 2);
  T_OK(quire_job_credits_discounted(j) == -1);
  T_OK(quire_job_credits_reserved(j) == 5);
  T_STR_EQ(quire_job_reservation_status(j), "active");
  T_STR_EQ(quire_job_model_version(j), "m1");
  quire_job_free(j);
  T_INT_EQ(quire_client_set_request_id(c, NULL, &err), 0);
  j = NULL;
  T_INT_EQ(quire_client_get_job(&j, c, "job_1", &err), 0);
  quire_job_free(j);
  quire_client_free(c);
  json_t *log = server_log(&s);
  T_INT_EQ(json_array_size(log), 3);
  const char *a = req_header(json_array_get(log, 0), "X-Request-Id");
  const char *b = req_header(json_array_get(log, 1), "X-Request-Id");
  const char *d = req_header(json_array_get(log, 2), "X-Request-Id");
  T_STR_EQ(a, "trace-42.abc");
  T_STR_EQ(b, "trace-42.abc");
  T_OK(d && strncmp(d, "req_", 4) == 0 && strlen(d) == 36);
  json_decref(log);
  server_stop(&s);
}

typedef struct events {
  char types[512];
  char ids[128];
  int json_ok; /* every data was JSON */
  int n;
  int with_job;
} events;

static void on_event(const char *type, const char *id, const char *data,
                     size_t len, const quire_job *job, void *payload) {
  events *e = payload;
  size_t t = strlen(e->types), i = strlen(e->ids);
  snprintf(e->types + t, sizeof e->types - t, "%s%s", t ? "," : "", type);
  snprintf(e->ids + i, sizeof e->ids - i, "%s%s", i ? "," : "", id);
  json_t *v = json_loadb(data, len, 0, NULL);
  if (!v)
    e->json_ok = 0;
  json_decref(v);
  e->with_job += job != NULL;
  e->n++;
}

static void test_events(void) {
  server s;
  if (server_start(&s, "events.json") != 0) {
    T_CHECK(0, "server for events.json did not start");
    return;
  }
  quire_client *c = client_for(&s, 0, 0.01);
  quire_error err;
  quire_error_clear(&err);
  events e = {"", "", 1, 0, 0};
  quire_wait_hooks wh = QUIRE_WAIT_HOOKS_INIT;
  wh.event = on_event;
  wh.payload = &e;
  quire_job *j = NULL;
  T_INT_EQ(quire_client_wait_job_hooks(&j, c, "job_e", NULL, &wh, &err), 0);
  T_STR_EQ(e.types, "status,heartbeat,stage,terminal");
  T_STR_EQ(e.ids, "1,1,2,3");
  T_OK(e.json_ok);
  T_INT_EQ(e.with_job, 4);
  T_STR_EQ(quire_job_report_id(j), "rep_e");
  quire_job_free(j);

  /* No stream: each polled job comes as a "job" event. */
  events p = {"", "", 1, 0, 0};
  wh.payload = &p;
  j = NULL;
  T_INT_EQ(quire_client_wait_job_hooks(&j, c, "job_p", NULL, &wh, &err), 0);
  T_STR_EQ(p.types, "job,job");
  T_OK(p.json_ok);
  quire_job_free(j);
  /* Hooks of another version are refused. */
  wh.version = 99;
  T_INT_EQ(quire_client_wait_job_hooks(&j, c, "job_p", NULL, &wh, &err),
           QUIRE_EINVAL);

  quire_client_free(c);
  server_stop(&s);
}

typedef struct stopper {
  double t0, after; /* abort once this many seconds have passed */
  int asked;
} stopper;

static int cancel_after(void *payload) {
  stopper *st = payload;
  st->asked++;
  return now() - st->t0 >= st->after;
}

static volatile int abort_flag;

static void flag_on_event(const char *type, const char *id, const char *data,
                          size_t len, const quire_job *job, void *payload) {
  (void)type, (void)id, (void)data, (void)len, (void)job, (void)payload;
  abort_flag = 1; /* as a signal handler would */
}

static void test_abort(void) {
  server s;
  if (server_start(&s, "abort.json") != 0) {
    T_CHECK(0, "server for abort.json did not start");
    return;
  }
  /* Real time: the sleeps are what is being cut short. */
  quire_client *c = client_for(&s, 10000, 1.0);
  quire_error err;
  quire_wait_hooks wo = QUIRE_WAIT_HOOKS_INIT;
  quire_job *j = NULL;
  stopper st;

  /* Between events: the flag set by the first event stops the wait at
   * once, though the next event is 20 s away. */
  abort_flag = 0;
  wo.event = flag_on_event;
  wo.abort_flag = &abort_flag;
  quire_error_clear(&err);
  double t = now();
  T_INT_EQ(quire_client_wait_job_hooks(&j, c, "job_slow", NULL, &wo, &err),
           QUIRE_EABORTED);
  T_CHECK(now() - t < 3, "abort between events took %.2f s", now() - t);
  T_OK(strstr(err.message, "aborted") != NULL);
  T_OK(j == NULL);

  /* During a quiet stream (no event for 20 s): libcurl's progress calls. */
  wo = (quire_wait_hooks)QUIRE_WAIT_HOOKS_INIT;
  st = (stopper){now(), 0.5, 0};
  wo.cancel = cancel_after;
  wo.payload = &st;
  quire_error_clear(&err);
  t = now();
  T_INT_EQ(quire_client_wait_job_hooks(&j, c, "job_quiet", NULL, &wo, &err),
           QUIRE_EABORTED);
  T_CHECK(now() - t < 3, "abort of a quiet stream took %.2f s", now() - t);

  /* During the poll interval (10 s here). */
  st = (stopper){now(), 0.3, 0};
  quire_error_clear(&err);
  t = now();
  T_INT_EQ(quire_client_wait_job_hooks(&j, c, "job_poll", NULL, &wo, &err),
           QUIRE_EABORTED);
  T_CHECK(now() - t < 2, "abort while polling took %.2f s", now() - t);
  T_OK(st.asked > 2);

  /* During the back-off between stream attempts (503s). */
  st = (stopper){now(), 0.3, 0};
  quire_error_clear(&err);
  t = now();
  T_INT_EQ(quire_client_wait_job_hooks(&j, c, "job_back", NULL, &wo, &err),
           QUIRE_EABORTED);
  T_CHECK(now() - t < 3, "abort during back-off took %.2f s", now() - t);

  /* Without hooks the client is unchanged after an aborted wait. */
  quire_buf b = QUIRE_BUF_INIT;
  quire_error_clear(&err);
  quire_wait_options po = QUIRE_WAIT_OPTIONS_INIT;
  po.flags = QUIRE_WAIT_POLL;
  po.timeout_ms = 300;
  T_INT_EQ(quire_client_wait_report(&b, c, "job_poll", &po, &err),
           QUIRE_ETIMEOUT);
  quire_buf_dispose(&b);
  quire_client_free(c);
  json_t *log = server_log(&s);
  size_t polls = 0;
  for (size_t i = 0; i < json_array_size(log); i++)
    polls += strcmp(json_string_value(
                        json_object_get(json_array_get(log, i), "path")),
                    "/v1/jobs/job_poll") == 0;
  /* one poll in the aborted wait, one in the timed-out one */
  T_INT_EQ(polls, 2);
  json_decref(log);
  server_stop(&s);
}

typedef struct pages {
  int pages, items, stop_at;
} pages;

static int count_page(const quire_page *p, void *payload) {
  pages *c = payload;
  c->pages++;
  c->items += (int)quire_page_count(p);
  return c->stop_at && c->pages == c->stop_at ? 77 : 0;
}

static void test_lists(void) {
  server s;
  if (server_start(&s, "list_all.json") != 0) {
    T_CHECK(0, "server for list_all.json did not start");
    return;
  }
  quire_client *c = client_for(&s, 0, 0.01);
  quire_error err;
  quire_error_clear(&err);
  quire_page *all = NULL;
  T_INT_EQ(quire_client_list_files_all(&all, c, NULL, &err), 0);
  T_INT_EQ(quire_page_count(all), 5);
  T_STR_EQ(quire_file_media_id(quire_page_file(all, 4)), "med_5");
  T_OK(quire_page_next_cursor(all) == NULL);
  T_INT_EQ(quire_page_has_more(all), 0);
  json_t *doc = json_loads(quire_page_json(all), 0, NULL);
  T_INT_EQ(json_array_size(json_object_get(doc, "files")), 5);
  json_decref(doc);
  quire_page_free(all);

  /* A -> B -> A: a loop, found at once (not after 10000 pages). */
  pages n = {0, 0, 0};
  quire_error_clear(&err);
  T_INT_EQ(quire_client_list_entities_each(c, NULL, count_page, &n, &err),
           QUIRE_ESERVER);
  T_INT_EQ(n.pages, 3);
  T_OK(strstr(err.message, "does not end: a cursor it sent before") != NULL);
  T_OK(strstr(err.message, "'A'") != NULL);
  quire_client_free(c);
  json_t *log = server_log(&s);
  T_INT_EQ(json_array_size(log), 6);
  T_STR_EQ(json_string_value(json_object_get(json_array_get(log, 4), "path")),
           "/v1/entities?cursor=A");
  json_decref(log);
  server_stop(&s);

  if (server_start(&s, "list_guards.json") != 0) {
    T_CHECK(0, "server for list_guards.json did not start");
    return;
  }
  quire_client_options o = QUIRE_CLIENT_OPTIONS_INIT;
  o.base_url = s.base;
  o.api_key = "sk_test_live_0123456789";
  o.max_response = 4096;
  c = NULL;
  quire_client_new(&c, &o, NULL);
  /* The second page is over the 4096-byte cap. */
  n = (pages){0, 0, 0};
  quire_error_clear(&err);
  T_INT_EQ(quire_client_list_files_each(c, NULL, count_page, &n, &err),
           QUIRE_ETOOBIG);
  T_INT_EQ(n.pages, 1);
  /* hasMore without a cursor. */
  all = NULL;
  quire_error_clear(&err);
  T_INT_EQ(quire_client_list_entities_all(&all, c, NULL, &err), QUIRE_ESERVER);
  T_OK(all == NULL);
  T_OK(strstr(err.message, "hasMore without a cursor") != NULL);
  /* The callback's non-zero ends the walk with its value. */
  n = (pages){0, 0, 1};
  quire_error_clear(&err);
  T_INT_EQ(quire_client_list_entities_each(c, NULL, count_page, &n, &err), 77);
  quire_client_free(c);
  server_stop(&s);
}

static void on_upload(long long sent, long long total, void *payload) {
  long long *last = payload;
  last[0] = sent;
  last[1] = total;
}

/* A media URL streamed into the upload, through the library: the whole
 * media reaches the API, progress knows its size; version 1 requests are
 * still read; the media's own failure names it. */
static void test_upload_url(void) {
  server s;
  if (server_start(&s, "upload_url.json") != 0) {
    T_CHECK(0, "server for upload_url.json did not start");
    return;
  }
  quire_client *c = client_for(&s, 0, 0.01);
  char url[160], gone[160];
  int other = atoi(strrchr(s.base, ':') + 1);
  FILE *f = NULL;
  char ports[96];
  snprintf(ports, sizeof ports, "%s/ports", s.dir);
  if ((f = fopen(ports, "r")) != NULL) {
    if (fscanf(f, "%*d %d", &other) != 1)
      other = 0;
    fclose(f);
  }
  snprintf(url, sizeof url, "http://127.0.0.1:%d/m.wav", other);
  snprintf(gone, sizeof gone, "http://127.0.0.1:%d/gone.wav", other);
  quire_error err;
  quire_error_clear(&err);
  quire_upload_request r = QUIRE_UPLOAD_REQUEST_INIT;
  long long seen[2] = {0, 0};
  r.url = url;
  r.progress = on_upload;
  r.payload = seen;
  quire_file *file = NULL;
  T_INT_EQ(quire_client_upload(&file, NULL, c, &r, &err), 0);
  T_STR_EQ(quire_file_media_id(file), "med_u");
  T_OK(seen[1] > 4000000 && seen[0] == seen[1]); /* the part and framing */
  quire_file_free(file);

  /* Over the client's media cap: refused, no second try. */
  quire_error_clear(&err);
  T_INT_EQ(quire_client_set_max_media(c, -1, &err), QUIRE_EINVAL);
  T_INT_EQ(quire_client_set_max_media(c, 1000000, &err), 0);
  file = NULL;
  T_INT_EQ(quire_client_upload(&file, NULL, c, &r, &err), QUIRE_ETOOBIG);
  T_STR_EQ(err.message,
           "cannot fetch the media: it is larger than the 1000000-byte limit");
  T_INT_EQ(quire_client_set_max_media(c, 0, &err), 0);

  quire_error_clear(&err);
  r.url = gone;
  T_INT_EQ(quire_client_upload(&file, NULL, c, &r, &err), QUIRE_ENET);
  T_STR_EQ(err.message, "cannot fetch the media: HTTP 410");
  T_STR_EQ(err.source, gone);
  quire_client_free(c);
  json_t *log = server_log(&s);
  size_t posts = 0, big = 0;
  for (size_t i = 0; i < json_array_size(log); i++) {
    json_t *e = json_array_get(log, i);
    if (strcmp(json_string_value(json_object_get(e, "method")), "POST"))
      continue;
    posts++;
    big += json_integer_value(json_object_get(e, "body_size")) > 4000000;
  }
  /* the whole one only: the cap (by Content-Length) and the 410 are known
   * before any upload starts */
  T_INT_EQ(posts, 1);
  T_INT_EQ(big, 1);
  json_decref(log);
  server_stop(&s);
}

int main(void) {
  test_upload_url();
  signal(SIGPIPE, SIG_IGN);
  test_request_id_and_credits();
  test_events();
  test_abort();
  test_lists();
  return T_done("fetch_live");
}
