/* The C side of bench/bindings.sh: the same loop as bindings_py.py and
 * bindings_node.js, so the three differ only in the language boundary.
 * Per report: parse from memory, render to a new buffer, free both. Whole
 * passes over the inputs until the time budget is spent (after one warm-up
 * render); reports per wall second and per CPU second of the process.
 *
 *   bindings_c -f FMT [-e cairo|haru] [-t SECONDS] [-j THREADS] FILE...
 *
 * Prints one JSON object. Uses only quire.h. */
#include "quire.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct S_run {
  char **data;
  size_t *len;
  size_t n;
  quire_format fmt;
  quire_render_options ro;
  quire_renderer *renderer; /* built once, as the bindings' Renderer is */
  double deadline;
  atomic_size_t next;
  atomic_size_t done;
  atomic_size_t bytes;
  atomic_int failed;
} S_run;

static double S_clock(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int S_one(S_run *r, size_t i) {
  quire_doc *doc = NULL;
  quire_buf out;
  quire_buf_init(&out, 0);
  int rc = quire_doc_parse(&doc, r->data[i], r->len[i], NULL, NULL);
  if (rc == 0)
    rc =
        quire_renderer_render_buf(&out, r->renderer, doc, r->fmt, &r->ro, NULL);
  if (rc == 0)
    atomic_fetch_add(&r->bytes, out.size);
  quire_buf_dispose(&out);
  quire_doc_free(doc);
  return rc;
}

static void *S_worker(void *p) {
  S_run *r = p;
  for (;;) {
    size_t i = atomic_fetch_add(&r->next, 1);
    if (i >= r->n && S_clock(CLOCK_MONOTONIC) > r->deadline)
      return NULL;
    if (S_one(r, i % r->n) != 0)
      atomic_fetch_add(&r->failed, 1);
    atomic_fetch_add(&r->done, 1);
  }
}

static char *S_slurp(const char *path, size_t *len) {
  FILE *fp = fopen(path, "rb");
  if (!fp)
    return NULL;
  quire_buf b;
  quire_buf_init(&b, 0);
  char chunk[65536];
  size_t k;
  while ((k = fread(chunk, 1, sizeof chunk, fp)) > 0)
    quire_buf_put(&b, chunk, k);
  fclose(fp);
  return quire_buf_failed(&b) ? NULL : quire_buf_detach(&b, len);
}

int main(int argc, char **argv) {
  static S_run r;
  quire_render_options d = QUIRE_RENDER_OPTIONS_INIT;
  r.ro = d;
  double secs = 3;
  int threads = 1, i = 1;
  for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
    if (strcmp(argv[i], "-f") == 0)
      r.fmt = quire_format_from_name(argv[i + 1]);
    else if (strcmp(argv[i], "-e") == 0)
      r.ro.engine =
          strcmp(argv[i + 1], "haru") == 0 ? QUIRE_PDF_HARU : QUIRE_PDF_CAIRO;
    else if (strcmp(argv[i], "-t") == 0)
      secs = strtod(argv[i + 1], NULL);
    else if (strcmp(argv[i], "-j") == 0)
      threads = atoi(argv[i + 1]);
  }
  if (!r.fmt || i >= argc || threads < 1 || threads > 64) {
    fprintf(stderr, "usage: bindings_c -f FMT [-e E] [-t S] [-j N] FILE...\n");
    return 2;
  }
  quire_renderer_options rno = QUIRE_RENDERER_OPTIONS_INIT;
  rno.engine = r.ro.engine;
  if (quire_renderer_new(&r.renderer, &rno, NULL) != 0) {
    fprintf(stderr, "bindings_c: cannot build the renderer\n");
    return 1;
  }
  r.n = (size_t)(argc - i);
  r.data = calloc(r.n, sizeof *r.data);
  r.len = calloc(r.n, sizeof *r.len);
  for (size_t k = 0; k < r.n; k++)
    if (!(r.data[k] = S_slurp(argv[i + (int)k], &r.len[k]))) {
      fprintf(stderr, "bindings_c: cannot read %s\n", argv[i + (int)k]);
      return 1;
    }
  if (S_one(&r, 0) != 0) { /* warm-up: fonts and templates, once */
    fprintf(stderr, "bindings_c: the warm-up render failed\n");
    return 1;
  }
  atomic_store(&r.bytes, 0);
  pthread_t th[64];
  double w0 = S_clock(CLOCK_MONOTONIC);
  double c0 = S_clock(CLOCK_PROCESS_CPUTIME_ID);
  r.deadline = w0 + secs;
  for (int k = 0; k < threads; k++)
    pthread_create(&th[k], NULL, S_worker, &r);
  for (int k = 0; k < threads; k++)
    pthread_join(th[k], NULL);
  double wall = S_clock(CLOCK_MONOTONIC) - w0;
  double cpu = S_clock(CLOCK_PROCESS_CPUTIME_ID) - c0;
  size_t done = atomic_load(&r.done);
  printf("{\"runner\":\"c\",\"format\":\"%s\",\"engine\":\"%s\","
         "\"threads\":%d,\"reports\":%zu,\"failed\":%d,\"seconds\":%.3f,"
         "\"cpu_seconds\":%.3f,\"rps\":%.2f,\"rpcpus\":%.2f,"
         "\"bytes_mean\":%.1f}\n",
         quire_format_name(r.fmt),
         r.ro.engine == QUIRE_PDF_HARU ? "haru" : "cairo", threads, done,
         atomic_load(&r.failed), wall, cpu, (double)done / wall,
         cpu > 0 ? (double)done / cpu : 0,
         done ? (double)atomic_load(&r.bytes) / (double)done : 0);
  for (size_t k = 0; k < r.n; k++)
    free(r.data[k]);
  free(r.data);
  free(r.len);
  return 0;
}
