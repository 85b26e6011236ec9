/* Library time to render a report to terminal text, averaged over many
 * iterations (a benchmark, not a test: nothing here asserts a time).
 *   bench/text_bench [FILE] [ITERATIONS] [none|16|256|true]  */
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
  const char *path = argc > 1 ? argv[1] : "samples/long/sixty_sections.json";
  long iters = argc > 2 ? strtol(argv[2], NULL, 10) : 2000;
  quire_render_options o = QUIRE_RENDER_OPTIONS_INIT;
  o.width = 100;
  if (argc > 3) {
    o.color = !strcmp(argv[3], "16")     ? QUIRE_COLOR_16
              : !strcmp(argv[3], "256")  ? QUIRE_COLOR_256
              : !strcmp(argv[3], "true") ? QUIRE_COLOR_TRUE
                                         : QUIRE_COLOR_NONE;
    o.flags = QUIRE_RENDER_HYPERLINKS;
  }
  quire_doc *doc;
  quire_error err;
  quire_error_clear(&err);
  if (quire_doc_parse_file(&doc, path, NULL, &err)) {
    fprintf(stderr, "%s: %s\n", path, err.message);
    return 1;
  }
  quire_buf b = QUIRE_BUF_INIT;
  quire_render_buf(&b, doc, QUIRE_FORMAT_TEXT, &o, &err); /* warm up */
  size_t bytes = b.size;
  double t0 = S_now();
  for (long i = 0; i < iters; i++) {
    quire_buf_clear(&b);
    if (quire_render_buf(&b, doc, QUIRE_FORMAT_TEXT, &o, &err)) {
      fprintf(stderr, "render: %s\n", err.message);
      return 1;
    }
  }
  double per = (S_now() - t0) / (double)iters;
  printf("%s: %zu bytes of text, %.1f us per render (%ld iterations)\n", path,
         bytes, per * 1e6, iters);
  quire_buf_dispose(&b);
  quire_doc_free(doc);
  return 0;
}
