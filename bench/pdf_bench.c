/* pdf_bench: renders reports to PDF (or PNG) many times in one process and
 * prints the library time per render and the resident set size along the
 * way: the check that repeated renders neither leak nor pay the font setup
 * again. Not a test.
 *
 *   pdf_bench [-n N] [-f pdf|png] [-r RSS_AT,...] [-d] report.json...
 *
 * -n  renders per report (default 200), round-robin over the reports
 * -r  also print RSS (VmRSS, KiB) after these render counts (e.g. 10,500)
 * -d  determinism: each report's first output must equal its output when
 *     rendered after all the others (exit 1 otherwise)
 * -w  write each report's first output to DIR/<n>.pdf (or .png)
 *
 * Build (from the repository root):
 *   cc -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -Ilib/include -o pdf_bench \
 *     bench/pdf_bench.c -Lbuild/lib -lquire -Wl,-rpath,$PWD/build/lib
 */
#include "quire.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define S_MAX_DOCS 16
#define S_MAX_MARKS 8

static double S_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long S_rss_kib(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long kib = -1;
  if (!f)
    return -1;
  while (fgets(line, sizeof line, f))
    if (strncmp(line, "VmRSS:", 6) == 0) {
      kib = strtol(line + 6, NULL, 10);
      break;
    }
  fclose(f);
  return kib;
}

static int S_cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  long n = 200;
  long marks[S_MAX_MARKS];
  int nmarks = 0, determinism = 0;
  const char *outdir = NULL;
  quire_format fmt = QUIRE_FORMAT_PDF;
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    if (!strcmp(argv[i], "-n") && i + 1 < argc) {
      n = strtol(argv[++i], NULL, 10);
    } else if (!strcmp(argv[i], "-f") && i + 1 < argc) {
      fmt = quire_format_from_name(argv[++i]);
    } else if (!strcmp(argv[i], "-w") && i + 1 < argc) {
      outdir = argv[++i];
    } else if (!strcmp(argv[i], "-d")) {
      determinism = 1;
    } else if (!strcmp(argv[i], "-r") && i + 1 < argc) {
      char *s = argv[++i];
      while (*s && nmarks < S_MAX_MARKS) {
        char *end;
        marks[nmarks++] = strtol(s, &end, 10);
        s = *end == ',' ? end + 1 : end;
        if (end == s && *s)
          break;
      }
    } else {
      fprintf(stderr,
              "usage: pdf_bench [-n N] [-f pdf|png] [-r A,B] [-d] [-w DIR] "
              "report.json...\n");
      return 2;
    }
  }
  int ndocs = argc - i;
  if (ndocs < 1 || ndocs > S_MAX_DOCS || n < 1 || !fmt) {
    fprintf(stderr, "pdf_bench: need 1..%d reports, -n >= 1, -f pdf|png\n",
            S_MAX_DOCS);
    return 2;
  }
  quire_global_init();
  quire_doc *docs[S_MAX_DOCS];
  quire_buf first[S_MAX_DOCS];
  double *times[S_MAX_DOCS];
  long counts[S_MAX_DOCS] = {0};
  quire_error err;
  for (int d = 0; d < ndocs; d++) {
    if (quire_doc_parse_file(&docs[d], argv[i + d], NULL, &err)) {
      fprintf(stderr, "pdf_bench: %s: %s\n", argv[i + d], err.message);
      return 1;
    }
    quire_buf_init(&first[d], 0);
    times[d] = calloc((size_t)n, sizeof *times[d]);
    if (!times[d])
      return 1;
  }
  quire_render_options o = QUIRE_RENDER_OPTIONS_INIT;
  int mark = 0, bad = 0;
  for (long r = 0; r < n * ndocs; r++) {
    int d = (int)(r % ndocs);
    quire_buf out;
    quire_buf_init(&out, 0);
    double t0 = S_now();
    int rc = quire_render_buf(&out, docs[d], fmt, &o, &err);
    double t = S_now() - t0;
    if (rc) {
      fprintf(stderr, "pdf_bench: %s: %s\n", argv[i + d], err.message);
      return 1;
    }
    times[d][counts[d]++] = t;
    if (r < ndocs)
      quire_buf_put(&first[d], out.ptr, out.size);
    quire_buf_dispose(&out);
    while (mark < nmarks && r + 1 >= marks[mark])
      printf("rss after %ld renders: %ld KiB\n", marks[mark++], S_rss_kib());
  }
  if (determinism) {
    /* Render each report again now that every other report has been
     * rendered in this process (and may have pulled in fallback fonts). */
    for (int d = 0; d < ndocs; d++) {
      quire_buf out;
      quire_buf_init(&out, 0);
      quire_render_buf(&out, docs[d], fmt, &o, &err);
      int same = out.size == first[d].size &&
                 memcmp(out.ptr, first[d].ptr, out.size) == 0;
      printf("%s: %s\n", argv[i + d],
             same ? "identical after the others" : "DIFFERS after the others");
      bad |= !same;
      quire_buf_dispose(&out);
    }
  }
  for (int d = 0; outdir && d < ndocs; d++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%d.%s", outdir, d, quire_format_name(fmt));
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(first[d].ptr, 1, first[d].size, f) != first[d].size) {
      fprintf(stderr, "pdf_bench: cannot write %s\n", path);
      bad = 1;
    }
    if (f)
      fclose(f);
  }
  for (int d = 0; d < ndocs; d++) {
    double sum = 0;
    for (long k = 0; k < counts[d]; k++)
      sum += times[d][k];
    double firstt = times[d][0];
    qsort(times[d], (size_t)counts[d], sizeof *times[d], S_cmp);
    printf("%s: %ld renders, first %.2f ms, median %.2f ms, mean %.2f ms, "
           "%zu bytes\n",
           argv[i + d], counts[d], firstt * 1e3, times[d][counts[d] / 2] * 1e3,
           sum / counts[d] * 1e3, first[d].size);
    free(times[d]);
    quire_buf_dispose(&first[d]);
    quire_doc_free(docs[d]);
  }
  printf("rss at exit: %ld KiB\n", S_rss_kib());
  return bad;
}
