/* While cairo's glyph work takes turns (cairo before 1.18: the glyph lock
 * in paint/fonts_cairo.c), every render of the process shares one pango
 * font map: two threads rendering at once (quire render -j2) made one
 * each, with their own fonts and caches, for about 3 MB of peak RSS. The
 * renders stay correct: every PDF equals the one a lone render makes. */
#include "harness.h"
#include "quire.h"

#ifdef QUIRE_HAVE_CAIRO
#include "paint/cairo.h"
#include "paint/fonts_cairo.h"
#endif

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#ifdef QUIRE_HAVE_CAIRO
#define S_THREADS 3
#define S_RENDERS 3

static const char S_report[] =
    "{\"id\":\"r1\",\"title\":\"Font maps\",\"markdown\":\"# Font maps\\n\\n"
    "Some *text*, **bold** and `code`.\\n\\n"
    /* Arabic: pango sets it (a Latin report alone never makes a font map,
     * test_cairo_direct.c) */
    "\\u0645\\u0631\\u062d\\u0628\\u0627\"}";

static quire_doc *S_doc;
static quire_buf S_want = QUIRE_BUF_INIT;
static pthread_barrier_t S_start;

static void *S_worker(void *arg) {
  int *bad = arg;
  pthread_barrier_wait(&S_start); /* all in flight together */
  for (int i = 0; i < S_RENDERS; i++) {
    quire_buf pdf = QUIRE_BUF_INIT;
    quire_error err;
    int fmt = i % 2 ? QUIRE_FORMAT_PNG : QUIRE_FORMAT_PDF;
    if (quire_render_buf(&pdf, S_doc, fmt, NULL, &err) != 0 ||
        (fmt == QUIRE_FORMAT_PDF &&
         (pdf.size != S_want.size || memcmp(pdf.ptr, S_want.ptr, pdf.size))))
      (*bad)++;
    quire_buf_dispose(&pdf);
  }
  return NULL;
}

#endif

int main(void) {
#ifndef QUIRE_HAVE_CAIRO
  printf("# skip: built without the cairo engine\n");
  T_OK(!(quire_features() & QUIRE_FEATURE_CAIRO));
  return T_done("cairo_fontmaps");
#else
  quire_error err;
  T_INT_EQ(quire_doc_parse(&S_doc, S_report, sizeof S_report - 1, NULL, &err),
           0);
  /* The reference PDF, on a thread of its own that then ends. */
  pthread_t th[S_THREADS];
  int bad[S_THREADS] = {0};
  T_INT_EQ(quire_render_buf(&S_want, S_doc, QUIRE_FORMAT_PDF, NULL, &err), 0);
  long before = quire__cairo_fontmaps_made();
  T_INT_EQ(before, 1);
  pthread_barrier_init(&S_start, NULL, S_THREADS);
  for (int t = 0; t < S_THREADS; t++)
    T_INT_EQ(pthread_create(&th[t], NULL, S_worker, &bad[t]), 0);
  for (int t = 0; t < S_THREADS; t++) {
    pthread_join(th[t], NULL);
    T_CHECK(bad[t] == 0, "thread %d: %d renders failed or differed", t, bad[t]);
  }
  long made = quire__cairo_fontmaps_made() - before;
  if (quire__cairo_glyphs_serialized())
    T_CHECK(made == 0, "one font map for every thread: %ld more made", made);
  else
    T_CHECK(made == S_THREADS, "a font map per thread: %ld made", made);
  pthread_barrier_destroy(&S_start);
  quire_buf_dispose(&S_want);
  quire_doc_free(S_doc);
  return T_done("cairo_fontmaps");
#endif
}
