/* Library-level benchmark: parse + render time per report (median, p95) and
 * reports per second on 1 and on 2 threads, for one format and PDF engine,
 * over the report files given. Prints one JSON object on stdout for
 * bench/run.sh. Uses only quire.h.
 *
 *   bench -f FMT [-e cairo|haru] [-t SECONDS] FILE...
 */
#include "quire.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct S_input {
  const char *path;
  char *data;
  size_t len;
} S_input;

typedef struct S_ctx {
  S_input *in;
  size_t n;
  size_t total;       /* reports to render in a throughput run */
  atomic_size_t next; /* next report index (mod n) */
  quire_format fmt;
  quire_render_options ro;
  atomic_int failed;
} S_ctx;

static double S_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int S_read(S_input *in, const char *path) {
  FILE *fp = fopen(path, "rb");
  if (!fp)
    return -1;
  quire_buf b = QUIRE_BUF_INIT;
  char chunk[65536];
  size_t k;
  while ((k = fread(chunk, 1, sizeof chunk, fp)) > 0)
    quire_buf_put(&b, chunk, k);
  fclose(fp);
  if (quire_buf_failed(&b))
    return -1;
  in->path = path;
  in->data = quire_buf_detach(&b, &in->len);
  return in->data ? 0 : -1;
}

static int S_dcmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double S_pct(double *v, size_t n, double p) {
  if (!n)
    return 0;
  size_t i = (size_t)(p * (double)(n - 1) + 0.5);
  return v[i];
}

/* One parse + render into out; 0 or a QUIRE_E* code. */
static int S_once(const S_ctx *c, const S_input *in, quire_buf *out,
                  double *parse_s, double *render_s, quire_error *err) {
  quire_doc *doc = NULL;
  double t0 = S_now();
  int rc = quire_doc_parse(&doc, in->data, in->len, NULL, err);
  double t1 = S_now();
  if (rc == 0) {
    quire_buf_clear(out);
    rc = quire_render_buf(out, doc, c->fmt, &c->ro, err);
  }
  double t2 = S_now();
  quire_doc_free(doc);
  if (parse_s)
    *parse_s = t1 - t0;
  if (render_s)
    *render_s = t2 - t1;
  return rc;
}

static void *S_worker(void *p) {
  S_ctx *c = p;
  quire_buf out = QUIRE_BUF_INIT;
  for (;;) {
    size_t i = atomic_fetch_add(&c->next, 1);
    if (i >= c->total)
      break;
    if (S_once(c, &c->in[i % c->n], &out, NULL, NULL, NULL) != 0)
      atomic_fetch_add(&c->failed, 1);
  }
  quire_buf_dispose(&out);
  return NULL;
}

/* Reports per second with nthreads workers over total renders. */
static double S_throughput(S_ctx *c, int nthreads) {
  pthread_t th[16];
  atomic_store(&c->next, 0);
  double t0 = S_now();
  for (int i = 0; i < nthreads; i++)
    pthread_create(&th[i], NULL, S_worker, c);
  for (int i = 0; i < nthreads; i++)
    pthread_join(th[i], NULL);
  return (double)c->total / (S_now() - t0);
}

int main(int argc, char **argv) {
  S_ctx c;
  memset(&c, 0, sizeof c);
  quire_render_options d = QUIRE_RENDER_OPTIONS_INIT;
  c.ro = d;
  c.ro.width = 80;
  c.fmt = QUIRE_FORMAT_TEXT;
  double budget = 2.0;
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    if (strcmp(argv[i], "-f") == 0 && i + 1 < argc)
      c.fmt = quire_format_from_name(argv[++i]);
    else if (strcmp(argv[i], "-e") == 0 && i + 1 < argc)
      c.ro.engine =
          strcmp(argv[++i], "haru") == 0 ? QUIRE_PDF_HARU : QUIRE_PDF_CAIRO;
    else if (strcmp(argv[i], "-t") == 0 && i + 1 < argc)
      budget = strtod(argv[++i], NULL);
    else {
      fprintf(stderr, "usage: bench -f FMT [-e cairo|haru] [-t S] FILE...\n");
      return 2;
    }
  }
  if (!c.fmt || i >= argc) {
    fprintf(stderr, "bench: need a format and files\n");
    return 2;
  }
  quire_global_init();
  c.n = (size_t)(argc - i);
  c.in = calloc(c.n, sizeof *c.in);
  for (size_t k = 0; k < c.n; k++)
    if (S_read(&c.in[k], argv[i + (int)k]) != 0) {
      fprintf(stderr, "bench: %s: %s\n", argv[i + (int)k], strerror(errno));
      return 1;
    }

  /* Warm-up: the first render pays for font and template loading once per
   * process, which is not a per-report cost. */
  quire_buf out = QUIRE_BUF_INIT;
  quire_error err;
  quire_error_clear(&err);
  int rc = S_once(&c, &c.in[0], &out, NULL, NULL, &err);
  if (rc != 0) {
    printf("{\"format\":\"%s\",\"engine\":\"%s\",\"error\":\"%s\","
           "\"code\":%d}\n",
           quire_format_name(c.fmt),
           c.ro.engine == QUIRE_PDF_HARU ? "haru" : "cairo",
           rc == QUIRE_EUNSUPPORTED ? "unsupported" : "failed", rc);
    fprintf(stderr, "bench: %s: %s\n", c.in[0].path, err.message);
    return 0;
  }

  /* Single-threaded timing: whole passes over the inputs until the time
   * budget is spent (at least one). */
  size_t cap = c.n * 64, ns = 0;
  double *tot = malloc(cap * sizeof *tot), *par = malloc(cap * sizeof *par),
         *ren = malloc(cap * sizeof *ren);
  double bytes = 0, sum = 0;
  size_t fails = 0;
  double t0 = S_now();
  do {
    for (size_t k = 0; k < c.n && ns < cap; k++) {
      double ps, rs;
      if (S_once(&c, &c.in[k], &out, &ps, &rs, NULL) != 0) {
        fails++;
        continue;
      }
      par[ns] = ps * 1e3;
      ren[ns] = rs * 1e3;
      tot[ns] = (ps + rs) * 1e3;
      sum += tot[ns];
      if (ns < c.n)
        bytes += (double)out.size;
      ns++;
    }
  } while (S_now() - t0 < budget && ns + c.n <= cap);
  size_t first_pass = ns < c.n ? ns : c.n;
  qsort(tot, ns, sizeof *tot, S_dcmp);
  qsort(par, ns, sizeof *par, S_dcmp);
  qsort(ren, ns, sizeof *ren, S_dcmp);

  /* Throughput: enough renders for about the budget on one thread. */
  double per = ns ? sum / (double)ns / 1e3 : 1;
  c.total = (size_t)(budget / per);
  if (c.total < c.n)
    c.total = c.n;
  double tp1 = S_throughput(&c, 1);
  double tp2 = S_throughput(&c, 2);

  printf("{\"format\":\"%s\",\"engine\":\"%s\",\"reports\":%zu,"
         "\"samples\":%zu,\"failed\":%zu,"
         "\"total_ms_median\":%.4f,\"total_ms_p95\":%.4f,"
         "\"total_ms_mean\":%.4f,"
         "\"parse_ms_median\":%.4f,\"render_ms_median\":%.4f,"
         "\"render_ms_p95\":%.4f,"
         "\"rps_1\":%.2f,\"rps_2\":%.2f,\"bytes_mean\":%.1f}\n",
         quire_format_name(c.fmt),
         c.ro.engine == QUIRE_PDF_HARU ? "haru" : "cairo", c.n, ns,
         fails + (size_t)atomic_load(&c.failed), S_pct(tot, ns, 0.5),
         S_pct(tot, ns, 0.95), ns ? sum / (double)ns : 0, S_pct(par, ns, 0.5),
         S_pct(ren, ns, 0.5), S_pct(ren, ns, 0.95), tp1, tp2,
         first_pass ? bytes / (double)first_pass : 0);
  quire_buf_dispose(&out);
  for (size_t k = 0; k < c.n; k++)
    free(c.in[k].data);
  free(c.in);
  free(tot);
  free(par);
  free(ren);
  return 0;
}
