/* Two halves. First, every sample parsed from 4 threads at once, over and
 * over: each thread's model dump must equal a single-threaded parse (this
 * caught cmark-gfm's process-global inline tables, which one parser's
 * finish edits under another's feet: autolinks vanished at random in a
 * 2-core batch). Second, one parsed document rendered from 4 threads at
 * once, in every format and PDF engine the library has: each thread's
 * output must equal a single-threaded render byte for byte (quire.h: "a
 * parsed quire_doc is immutable: several threads may render it at once").
 * Formats that answer QUIRE_EUNSUPPORTED are skipped with the reason
 * printed. */
#include "harness.h"
#include "quire.h"

#include <pthread.h>
#include <stdlib.h>

#define S_THREADS 4
#define S_ROUNDS 3

typedef struct S_case {
  const char *label;
  quire_format fmt;
  quire_pdf_engine engine;
} S_case;

static const S_case S_cases[] = {
    {"text", QUIRE_FORMAT_TEXT, QUIRE_PDF_CAIRO},
    {"html", QUIRE_FORMAT_HTML, QUIRE_PDF_CAIRO},
    {"pdf (cairo)", QUIRE_FORMAT_PDF, QUIRE_PDF_CAIRO},
    {"pdf (haru)", QUIRE_FORMAT_PDF, QUIRE_PDF_HARU},
    {"png", QUIRE_FORMAT_PNG, QUIRE_PDF_CAIRO},
};

static const char *const S_samples[] = {
    "samples/v2/sales_playbook.json",
    "samples/legacy/all_blocks.json",
    "samples/intl/multiscript.json",
};

typedef struct S_arg {
  const quire_doc *doc;
  const S_case *c;
  const quire_buf *want;
  int mismatches; /* rounds whose output differed */
  int failures;   /* rounds whose render failed */
  char message[512];
} S_arg;

static void S_opts(quire_render_options *o, const S_case *c) {
  quire_render_options d = QUIRE_RENDER_OPTIONS_INIT;
  *o = d;
  o->engine = c->engine;
  o->color = c->fmt == QUIRE_FORMAT_TEXT ? QUIRE_COLOR_256 : QUIRE_COLOR_NONE;
  o->width = 72;
}

static int S_same(const quire_buf *a, const quire_buf *b) {
  return a->size == b->size && memcmp(a->ptr, b->ptr, a->size) == 0;
}

static void *S_thread(void *p) {
  S_arg *a = p;
  quire_render_options o;
  S_opts(&o, a->c);
  for (int r = 0; r < S_ROUNDS; r++) {
    quire_buf out = QUIRE_BUF_INIT;
    quire_error err;
    quire_error_clear(&err);
    if (quire_render_buf(&out, a->doc, a->c->fmt, &o, &err) != 0) {
      a->failures++;
      snprintf(a->message, sizeof a->message, "%s", err.message);
    } else if (!S_same(&out, a->want)) {
      a->mismatches++;
    }
    if (a->c->fmt == QUIRE_FORMAT_PDF || a->c->fmt == QUIRE_FORMAT_PNG) {
      int pages = 0;
      if (quire_render_page_count(&pages, a->doc, &o, NULL) == 0 && pages < 1)
        a->failures++;
    }
    quire_buf_dispose(&out);
  }
  return NULL;
}

static void S_one(const char *path, const quire_doc *doc, const S_case *c) {
  quire_render_options o;
  S_opts(&o, c);
  quire_buf want = QUIRE_BUF_INIT, again = QUIRE_BUF_INIT;
  quire_error err;
  quire_error_clear(&err);
  int rc = quire_render_buf(&want, doc, c->fmt, &o, &err);
  if (rc == QUIRE_EUNSUPPORTED) {
    printf("# skip %s on %s: %s\n", c->label, path, err.message);
    quire_buf_dispose(&want);
    return;
  }
  T_CHECK(rc == 0, "%s %s: single-threaded render failed: %s", path, c->label,
          err.message);
  if (rc != 0) {
    quire_buf_dispose(&want);
    return;
  }
  /* Without this, a renderer that stamps the time would read as a race. */
  T_CHECK(quire_render_buf(&again, doc, c->fmt, &o, NULL) == 0 &&
              S_same(&want, &again),
          "%s %s: two single-threaded renders differ (not deterministic)", path,
          c->label);
  quire_buf_dispose(&again);

  pthread_t th[S_THREADS];
  S_arg args[S_THREADS];
  int started[S_THREADS] = {0};
  for (int i = 0; i < S_THREADS; i++) {
    memset(&args[i], 0, sizeof args[i]);
    args[i].doc = doc;
    args[i].c = c;
    args[i].want = &want;
    started[i] = pthread_create(&th[i], NULL, S_thread, &args[i]) == 0;
    T_CHECK(started[i], "pthread_create %d", i);
  }
  for (int i = 0; i < S_THREADS; i++) {
    if (!started[i])
      continue;
    pthread_join(th[i], NULL);
    T_CHECK(args[i].failures == 0, "%s %s: thread %d: %d failed renders (%s)",
            path, c->label, i, args[i].failures, args[i].message);
    T_CHECK(args[i].mismatches == 0,
            "%s %s: thread %d: %d of %d renders differ from single-threaded",
            path, c->label, i, args[i].mismatches, S_ROUNDS);
  }
  printf("# %s %s: %d threads x %d renders, %zu bytes each\n", path, c->label,
         S_THREADS, S_ROUNDS, want.size);
  quire_buf_dispose(&want);
}

/* --- concurrent parsing ------------------------------------------------ */

#define S_PARSE_ROUNDS 40

static const char *const S_parse_samples[] = {
    "samples/v2/sales_playbook.json", "samples/legacy/all_blocks.json",
    "samples/intl/multiscript.json",  "samples/legacy/markdown_only.json",
    "samples/node-era/pdf_type.json",
};
#define S_NPARSE (sizeof S_parse_samples / sizeof *S_parse_samples)

typedef struct S_parg {
  quire_buf *want; /* S_NPARSE single-threaded dumps */
  int mismatches, failures;
  char message[512];
} S_parg;

static int S_dump_file(quire_buf *out, const char *path, quire_error *err) {
  quire_doc *doc = NULL;
  int rc = quire_doc_parse_file(&doc, path, NULL, err);
  if (rc == 0)
    rc = quire_doc_dump(out, doc);
  quire_doc_free(doc);
  return rc;
}

static void *S_parse_thread(void *p) {
  S_parg *a = p;
  for (int r = 0; r < S_PARSE_ROUNDS; r++) {
    for (size_t s = 0; s < S_NPARSE; s++) {
      quire_buf got = QUIRE_BUF_INIT;
      quire_error err;
      quire_error_clear(&err);
      if (S_dump_file(&got, S_parse_samples[s], &err) != 0) {
        a->failures++;
        snprintf(a->message, sizeof a->message, "%s", err.message);
      } else if (!S_same(&got, &a->want[s])) {
        a->mismatches++;
        snprintf(a->message, sizeof a->message, "%s", S_parse_samples[s]);
      }
      quire_buf_dispose(&got);
    }
  }
  return NULL;
}

static void S_parse_concurrently(void) {
  quire_buf want[S_NPARSE];
  for (size_t s = 0; s < S_NPARSE; s++) {
    quire_buf_init(&want[s], 0);
    quire_error err;
    quire_error_clear(&err);
    T_CHECK(S_dump_file(&want[s], S_parse_samples[s], &err) == 0,
            "parse %s: %s", S_parse_samples[s], err.message);
  }
  pthread_t th[S_THREADS];
  S_parg args[S_THREADS];
  int started[S_THREADS] = {0};
  for (int i = 0; i < S_THREADS; i++) {
    memset(&args[i], 0, sizeof args[i]);
    args[i].want = want;
    started[i] = pthread_create(&th[i], NULL, S_parse_thread, &args[i]) == 0;
    T_CHECK(started[i], "pthread_create %d", i);
  }
  for (int i = 0; i < S_THREADS; i++) {
    if (!started[i])
      continue;
    pthread_join(th[i], NULL);
    T_CHECK(args[i].failures == 0, "parse thread %d: %d failed parses (%s)", i,
            args[i].failures, args[i].message);
    T_CHECK(args[i].mismatches == 0,
            "parse thread %d: %d of %d parses differ from single-threaded "
            "(last: %s)",
            i, args[i].mismatches, S_PARSE_ROUNDS * (int)S_NPARSE,
            args[i].message);
  }
  printf("# parse: %d threads x %d rounds x %zu samples\n", S_THREADS,
         S_PARSE_ROUNDS, S_NPARSE);
  for (size_t s = 0; s < S_NPARSE; s++)
    quire_buf_dispose(&want[s]);
}

int main(void) {
  T_INT_EQ(quire_global_init(), 0);
  S_parse_concurrently();
  for (size_t s = 0; s < sizeof S_samples / sizeof *S_samples; s++) {
    quire_doc *doc = NULL;
    quire_error err;
    quire_error_clear(&err);
    int rc = quire_doc_parse_file(&doc, S_samples[s], NULL, &err);
    T_CHECK(rc == 0, "parse %s: %s", S_samples[s], err.message);
    if (rc != 0)
      continue;
    for (size_t c = 0; c < sizeof S_cases / sizeof *S_cases; c++)
      S_one(S_samples[s], doc, &S_cases[c]);
    quire_doc_free(doc);
  }
  return T_done("threads");
}
