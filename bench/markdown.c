/* make bench: the time quire takes to decode each pathological Markdown
 * pattern of tests/decode/md_patho.h at 1 MiB (the test only checks the
 * outcome; the time is measured here). Uses only quire.h.
 *
 *   markdown [ROUNDS]   prints a Markdown table: pattern, CPU ms (median,
 *                       min, max over ROUNDS parses), and what came out. */
#include "md_patho.h"
#include "quire.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double S_cpu_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int S_cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 3;
  if (rounds < 1 || rounds > 50)
    rounds = 3;
  quire_global_init();
  quire_buf md = QUIRE_BUF_INIT, json = QUIRE_BUF_INIT;
  double worst = 0, total = 0;
  printf("| pattern (1 MiB) | CPU ms median | min | max | outcome |\n");
  printf("|---|---:|---:|---:|---|\n");
  for (size_t i = 0; i < MP_COUNT; i++) {
    quire_buf_clear(&md);
    quire_buf_clear(&json);
    MP_patterns[i].gen(&md, (size_t)1 << 20);
    MP_report(&json, md.ptr, md.size);
    double t[50];
    char outcome[300] = "rendered";
    for (int r = 0; r < rounds; r++) {
      quire_doc *doc = NULL;
      double t0 = S_cpu_ms();
      int rc = quire_doc_parse(&doc, json.ptr, json.size, NULL, NULL);
      t[r] = S_cpu_ms() - t0;
      if (rc) {
        snprintf(outcome, sizeof outcome, "error %d", rc);
      } else {
        for (size_t k = 0; k < quire_doc_diag_count(doc); k++) {
          const char *m = quire_doc_diag(doc, k)->message;
          if (strstr(m, "plain text") || strstr(m, "shown as text"))
            snprintf(outcome, sizeof outcome, "%s", m);
        }
      }
      quire_doc_free(doc);
    }
    qsort(t, (size_t)rounds, sizeof t[0], S_cmp);
    double med = t[rounds / 2];
    if (med > worst)
      worst = med;
    total += med;
    printf("| %s | %.1f | %.1f | %.1f | %s |\n", MP_patterns[i].name, med, t[0],
           t[rounds - 1], outcome);
  }
  printf("\nWorst pattern: %.1f ms; all %zu patterns: %.1f ms (medians, "
         "parse of the whole report JSON included).\n",
         worst, (size_t)MP_COUNT, total);
  quire_buf_dispose(&md);
  quire_buf_dispose(&json);
  return 0;
}
