/* Library-level benchmark driver for bench/run.sh. Uses only quire.h.
 *
 *   bench -f FMT [-e cairo|haru] [-t SECONDS] FILE...
 *       Corpus mode: parse + render every FILE to memory, one untimed
 *       warm-up first. Whole passes on one thread until SECONDS are spent
 *       (at least one pass), then one pass on two threads. Prints one JSON
 *       object: per-report wall and CPU medians with min and max, reports
 *       per CPU-second, and wall throughput on one and on two threads.
 *   bench -f FMT [-e ENGINE] -s
 *       Serve mode, for interleaved comparisons: reads "IN\tOUT" lines on
 *       stdin, renders IN (parse + render, timed) and writes the result to
 *       OUT (untimed); answers each line with one JSON line.
 *   bench -f FMT [-e ENGINE] -n N FILE...
 *       Renders every FILE N times after the warm-up and prints nothing:
 *       run it under callgrind with two values of N, and the difference
 *       over the difference in N is the instructions of one render (of
 *       one pass over the files, when there are several).
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
  atomic_size_t next; /* next report index in a two-thread pass */
  quire_format fmt;
  quire_render_options ro;
  atomic_int failed;
} S_ctx;

static double S_clock(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
#define S_now() S_clock(CLOCK_MONOTONIC)
#define S_cpu() S_clock(CLOCK_THREAD_CPUTIME_ID)

static int S_read_path(S_input *in, const char *path) {
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

/* Median of a sorted array (the mean of the middle two when n is even). */
static double S_median(const double *v, size_t n) {
  if (!n)
    return 0;
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

typedef struct S_times {
  double parse, render, cpu; /* seconds */
} S_times;

/* One parse + render into out; 0 or a QUIRE_E* code. */
static int S_once(const S_ctx *c, const S_input *in, quire_buf *out, S_times *t,
                  quire_error *err) {
  quire_doc *doc = NULL;
  double c0 = S_cpu(), t0 = S_now();
  int rc = quire_doc_parse(&doc, in->data, in->len, NULL, err);
  double t1 = S_now();
  if (rc == 0) {
    quire_buf_clear(out);
    rc = quire_render_buf(out, doc, c->fmt, &c->ro, err);
  }
  quire_doc_free(doc);
  double t2 = S_now(), c1 = S_cpu();
  if (t) {
    t->parse = t1 - t0;
    t->render = t2 - t1;
    t->cpu = c1 - c0;
  }
  return rc;
}

static void *S_worker(void *p) {
  S_ctx *c = p;
  quire_buf out = QUIRE_BUF_INIT;
  for (;;) {
    size_t i = atomic_fetch_add(&c->next, 1);
    if (i >= c->n)
      break;
    if (S_once(c, &c->in[i], &out, NULL, NULL) != 0)
      atomic_fetch_add(&c->failed, 1);
  }
  quire_buf_dispose(&out);
  return NULL;
}

/* One pass over the inputs on nthreads threads: wall seconds, and the
 * process CPU seconds it took in *cpu. */
static double S_pass(S_ctx *c, int nthreads, double *cpu) {
  pthread_t th[2];
  atomic_store(&c->next, 0);
  double c0 = S_clock(CLOCK_PROCESS_CPUTIME_ID), t0 = S_now();
  for (int i = 0; i < nthreads; i++)
    pthread_create(&th[i], NULL, S_worker, c);
  for (int i = 0; i < nthreads; i++)
    pthread_join(th[i], NULL);
  double wall = S_now() - t0;
  *cpu = S_clock(CLOCK_PROCESS_CPUTIME_ID) - c0;
  return wall;
}

static const char *S_engine(const S_ctx *c) {
  return c->ro.engine == QUIRE_PDF_HARU ? "haru" : "cairo";
}

typedef struct S_stats {
  double med, min, max;
} S_stats;

static S_stats S_summary(double *v, size_t n) {
  S_stats s = {0, 0, 0};
  if (!n)
    return s;
  qsort(v, n, sizeof *v, S_dcmp);
  s.med = S_median(v, n);
  s.min = v[0];
  s.max = v[n - 1];
  return s;
}

static int S_corpus(S_ctx *c, double budget) {
  quire_buf out = QUIRE_BUF_INIT;
  size_t cap = c->n * 64, ns = 0, fails = 0;
  double *tot = malloc(cap * sizeof *tot), *par = malloc(cap * sizeof *par),
         *ren = malloc(cap * sizeof *ren), *cpu = malloc(cap * sizeof *cpu);
  double bytes = 0, cpu_sum = 0, passes = 0, ok0 = 0;
  if (!tot || !par || !ren || !cpu)
    return 1;
  double t0 = S_now();
  do {
    for (size_t k = 0; k < c->n; k++) {
      S_times t;
      if (S_once(c, &c->in[k], &out, &t, NULL) != 0) {
        fails++;
        continue;
      }
      par[ns] = t.parse * 1e3;
      ren[ns] = t.render * 1e3;
      tot[ns] = (t.parse + t.render) * 1e3;
      cpu[ns] = t.cpu * 1e3;
      cpu_sum += t.cpu;
      if (passes == 0) {
        bytes += (double)out.size;
        ok0++;
      }
      ns++;
    }
    passes++;
  } while (S_now() - t0 < budget && ns + c->n <= cap);
  double wall1 = S_now() - t0;
  S_stats st = S_summary(tot, ns), sp = S_summary(par, ns),
          sr = S_summary(ren, ns), sc = S_summary(cpu, ns);
  double cpu2, wall2 = S_pass(c, 2, &cpu2);
  printf("{\"format\":\"%s\",\"engine\":\"%s\",\"reports\":%zu,"
         "\"renders\":%zu,\"passes\":%.0f,\"failed\":%zu,"
         "\"total_ms\":[%.4f,%.4f,%.4f],\"parse_ms_median\":%.4f,"
         "\"render_ms_median\":%.4f,\"cpu_ms\":[%.4f,%.4f,%.4f],"
         "\"rps_cpu_1\":%.1f,\"rps_wall_1\":%.1f,"
         "\"rps_wall_2\":%.1f,\"rps_cpu_2\":%.1f,\"bytes_mean\":%.1f,"
         /* the names bench/bindings.sh reads */
         "\"rps_1\":%.1f,\"rps_2\":%.1f}\n",
         quire_format_name(c->fmt), S_engine(c), c->n, ns, passes,
         fails + (size_t)atomic_load(&c->failed), st.med, st.min, st.max,
         sp.med, sr.med, sc.med, sc.min, sc.max,
         cpu_sum > 0 ? (double)ns / cpu_sum : 0, (double)ns / wall1,
         (double)c->n / wall2, (double)c->n / cpu2, ok0 > 0 ? bytes / ok0 : 0,
         (double)ns / wall1, (double)c->n / wall2);
  quire_buf_dispose(&out);
  free(tot);
  free(par);
  free(ren);
  free(cpu);
  return 0;
}

static int S_write(const char *path, const quire_buf *b) {
  FILE *fp = fopen(path, "wb");
  if (!fp)
    return -1;
  size_t w = fwrite(b->ptr, 1, b->size, fp);
  return (fclose(fp) != 0 || w != b->size) ? -1 : 0;
}

static int S_serve(S_ctx *c) {
  char line[8192];
  quire_buf out = QUIRE_BUF_INIT;
  while (fgets(line, sizeof line, stdin)) {
    line[strcspn(line, "\r\n")] = '\0';
    char *tab = strchr(line, '\t');
    if (!tab) {
      printf("{\"error\":\"expected IN<TAB>OUT\"}\n");
      fflush(stdout);
      continue;
    }
    *tab = '\0';
    S_input in;
    S_times t;
    quire_error err;
    quire_error_clear(&err);
    if (S_read_path(&in, line) != 0) {
      printf("{\"error\":\"cannot read the input\"}\n");
    } else if (S_once(c, &in, &out, &t, &err) != 0) {
      printf("{\"error\":\"render failed\"}\n");
      free(in.data);
    } else {
      int wr = S_write(tab + 1, &out);
      printf("{\"ms\":%.4f,\"cpu_ms\":%.4f,\"bytes\":%zu%s}\n",
             (t.parse + t.render) * 1e3, t.cpu * 1e3, out.size,
             wr ? ",\"error\":\"cannot write the output\"" : "");
      free(in.data);
    }
    fflush(stdout);
  }
  quire_buf_dispose(&out);
  return 0;
}

static int S_usage(void) {
  fprintf(stderr, "usage: bench -f FMT [-e cairo|haru] [-t S | -s | -n N] "
                  "FILE...\n");
  return 2;
}

int main(int argc, char **argv) {
  S_ctx c;
  memset(&c, 0, sizeof c);
  quire_render_options d = QUIRE_RENDER_OPTIONS_INIT;
  c.ro = d;
  c.ro.width = 80;
  double budget = 2.0;
  long repeat = -1;
  int serve = 0, i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    if (strcmp(argv[i], "-f") == 0 && i + 1 < argc)
      c.fmt = quire_format_from_name(argv[++i]);
    else if (strcmp(argv[i], "-e") == 0 && i + 1 < argc)
      c.ro.engine =
          strcmp(argv[++i], "haru") == 0 ? QUIRE_PDF_HARU : QUIRE_PDF_CAIRO;
    else if (strcmp(argv[i], "-t") == 0 && i + 1 < argc)
      budget = strtod(argv[++i], NULL);
    else if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
      repeat = strtol(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "-s") == 0)
      serve = 1;
    else
      return S_usage();
  }
  if (!c.fmt || (!serve && i >= argc))
    return S_usage();
  quire_global_init();
  if (serve)
    return S_serve(&c);
  c.n = (size_t)(argc - i);
  c.in = calloc(c.n, sizeof *c.in);
  if (!c.in)
    return 1;
  for (size_t k = 0; k < c.n; k++)
    if (S_read_path(&c.in[k], argv[i + (int)k]) != 0) {
      fprintf(stderr, "bench: %s: %s\n", argv[i + (int)k], strerror(errno));
      return 1;
    }

  /* Warm-up: the first render pays for font and template loading once per
   * process, which is not a per-report cost. */
  quire_buf out = QUIRE_BUF_INIT;
  quire_error err;
  quire_error_clear(&err);
  int rc = S_once(&c, &c.in[0], &out, NULL, &err);
  if (rc != 0) {
    printf("{\"format\":\"%s\",\"engine\":\"%s\",\"error\":\"%s\","
           "\"code\":%d}\n",
           quire_format_name(c.fmt), S_engine(&c),
           rc == QUIRE_EUNSUPPORTED ? "unsupported" : "failed", rc);
    fprintf(stderr, "bench: %s: %s\n", c.in[0].path, err.message);
    return 0;
  }
  for (long k = 0; k < repeat; k++)
    for (size_t f = 0; f < c.n; f++)
      S_once(&c, &c.in[f], &out, NULL, NULL);
  quire_buf_dispose(&out);
  rc = repeat >= 0 ? 0 : S_corpus(&c, budget);
  for (size_t k = 0; k < c.n; k++)
    free(c.in[k].data);
  free(c.in);
  return rc;
}
