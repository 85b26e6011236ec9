/* HTML render speed: library time only (documents parsed once, outside the
 * timing). Prints the mean time per render of each file and the overall
 * reports per second on one core.
 *
 * usage: html_bench [-n ITERATIONS] FILE.json... */
#include "quire.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double S_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  long iters = 200;
  int first = 1;
  if (argc > 2 && strcmp(argv[1], "-n") == 0) {
    iters = strtol(argv[2], NULL, 10);
    first = 3;
  }
  if (iters < 1 || first >= argc) {
    fprintf(stderr, "usage: html_bench [-n ITERATIONS] FILE.json...\n");
    return 2;
  }
  double total = 0;
  long renders = 0;
  quire_buf out = QUIRE_BUF_INIT;
  for (int f = first; f < argc; f++) {
    quire_doc *doc;
    quire_error err;
    if (quire_doc_parse_file(&doc, argv[f], NULL, &err)) {
      fprintf(stderr, "%s: %s\n", argv[f], err.message);
      return 1;
    }
    double t0 = S_now();
    for (long i = 0; i < iters; i++) {
      quire_buf_clear(&out);
      if (quire_render_buf(&out, doc, QUIRE_FORMAT_HTML, NULL, &err)) {
        fprintf(stderr, "%s: %s\n", argv[f], err.message);
        return 1;
      }
    }
    double dt = S_now() - t0;
    printf("%-40s %8.1f us/render  %7zu bytes\n", argv[f], dt / iters * 1e6,
           out.size);
    total += dt;
    renders += iters;
    quire_doc_free(doc);
  }
  quire_buf_dispose(&out);
  printf("%ld renders in %.3f s: %.0f reports/second on one core\n", renders,
         total, renders / total);
  return 0;
}
