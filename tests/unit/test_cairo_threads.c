/* Many threads rendering PDFs (and PNGs) with the cairo engine at once,
 * with a watchdog: a hang fails the test instead of stalling the run.
 *
 * cairo 1.16 (Debian 12) deadlocks two threads doing glyph work at once
 * once its process-wide glyph cache is full and starts evicting: one
 * thread, holding the cache's mutex, evicts a page of a scaled font and
 * locks that font's mutex; the other holds the font's mutex (it has just
 * started a lookup or a draw) and waits for the cache's mutex to add a
 * page. Every thread's own font map does not help: the cache and its
 * eviction are global, whichever font the page belongs to. Each document
 * here holds a different slice of 1,600 Han characters, so the cache
 * overflows within the first rounds and keeps evicting, and
 * samples/intl/multiscript.json adds every script quire lays out.
 *
 * Each render must also succeed and equal the same render done alone
 * (byte for byte): a lock that let a race through would show here.
 *
 * Without paint/fonts_cairo.c's lock this hung in 2 of 3 runs as it is
 * and in 3 of 3 with QUIRE_STRESS_REPEAT=5 (a race: it can pass). With
 * the lock the cairo renders take turns, so it takes about as long as
 * one thread doing them all. */
#include "harness.h"
#include "quire.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define S_THREADS 4
#define S_ROUNDS 12
#define S_HAN 1600 /* distinct glyphs per generated document */

/* A hang shows as no render finishing for this long. AddressSanitizer
 * builds run several times slower on a shared machine. */
#ifdef __SANITIZE_ADDRESS__
#define S_STALL_SECONDS 300
#else
#define S_STALL_SECONDS 120
#endif

static pthread_mutex_t S_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t S_cond = PTHREAD_COND_INITIALIZER;
static unsigned long S_progress; /* renders finished, all threads */
static int S_finished;           /* threads done */

static void S_tick(void) {
  pthread_mutex_lock(&S_lock);
  S_progress++;
  pthread_cond_broadcast(&S_cond);
  pthread_mutex_unlock(&S_lock);
}

/* Watches S_progress; when it stalls, says so and ends the process with
 * a failure (the stuck threads cannot be joined). */
static void *S_watchdog(void *unused) {
  (void)unused;
  pthread_mutex_lock(&S_lock);
  unsigned long seen = S_progress;
  while (S_finished < S_THREADS) {
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += S_STALL_SECONDS;
    int rc = 0;
    while (rc == 0 && S_progress == seen && S_finished < S_THREADS)
      rc = pthread_cond_timedwait(&S_cond, &S_lock, &until);
    if (S_progress == seen && S_finished < S_THREADS) {
      printf("not ok: no render finished in %d s with %d threads: deadlock "
             "(%lu renders done)\n0 passed, 1 failed\n",
             S_STALL_SECONDS, S_THREADS - S_finished, S_progress);
      fflush(stdout);
      _exit(1);
    }
    seen = S_progress;
  }
  pthread_mutex_unlock(&S_lock);
  return NULL;
}

/* A markdown report: a heading and paragraphs holding the S_HAN Han
 * characters from U+4E00 + first, in three sizes (heading, body, table). */
static void S_han_report(quire_buf *b, unsigned first) {
  quire_buf_puts(b, "{\"markdown\":\"# \\u4e00 Report ");
  char num[32];
  snprintf(num, sizeof num, "%u", first);
  quire_buf_puts(b, num);
  quire_buf_puts(b, "\\n\\n");
  for (unsigned i = 0; i < S_HAN; i++) {
    unsigned cp = 0x4E00 + (first + i) % 0x5000;
    char u[8];
    snprintf(u, sizeof u, "\\u%04x", cp);
    quire_buf_puts(b, u);
    if (i % 400 == 399)
      quire_buf_puts(b, "\\n\\n## ");
    else if (i % 16 == 15)
      quire_buf_puts(b, " ");
  }
  quire_buf_puts(b, "\\n\"}");
}

typedef struct S_job {
  quire_doc *doc;
  quire_format fmt;
  quire_buf want; /* the render done alone */
  char label[64];
} S_job;

#define S_GEN (S_THREADS * S_ROUNDS)
static S_job S_jobs[S_GEN + 2];
static size_t S_njobs;
/* Passes over the jobs per thread; QUIRE_STRESS_REPEAT raises it to hunt
 * for a rare hang by hand. */
static size_t S_repeat = 1;

typedef struct S_arg {
  int index;
  int failures, mismatches;
  char message[300];
} S_arg;

static void S_opts(quire_render_options *o) {
  quire_render_options d = QUIRE_RENDER_OPTIONS_INIT;
  *o = d;
  o->engine = QUIRE_PDF_CAIRO;
}

static void *S_thread(void *p) {
  S_arg *a = p;
  quire_render_options o;
  S_opts(&o);
  /* Every thread walks all jobs, each from its own starting point, so
   * different documents (and fonts) are in flight at once. */
  for (size_t k = 0; k < S_njobs * S_repeat; k++) {
    S_job *j = &S_jobs[(k + (size_t)a->index * 7) % S_njobs];
    quire_buf out = QUIRE_BUF_INIT;
    quire_error err;
    quire_error_clear(&err);
    if (quire_render_buf(&out, j->doc, j->fmt, &o, &err) != 0) {
      a->failures++;
      snprintf(a->message, sizeof a->message, "%s: %.200s", j->label,
               err.message);
    } else if (out.size != j->want.size ||
               memcmp(out.ptr, j->want.ptr, out.size) != 0) {
      a->mismatches++;
      snprintf(a->message, sizeof a->message, "%s differs", j->label);
    }
    quire_buf_dispose(&out);
    S_tick();
  }
  pthread_mutex_lock(&S_lock);
  S_finished++;
  pthread_cond_broadcast(&S_cond);
  pthread_mutex_unlock(&S_lock);
  return NULL;
}

static int S_add(quire_doc *doc, quire_format fmt, const char *label) {
  S_job *j = &S_jobs[S_njobs];
  j->doc = doc;
  j->fmt = fmt;
  snprintf(j->label, sizeof j->label, "%s", label);
  quire_buf w = QUIRE_BUF_INIT;
  j->want = w;
  quire_render_options o;
  S_opts(&o);
  quire_error err;
  quire_error_clear(&err);
  int rc = quire_render_buf(&j->want, doc, fmt, &o, &err);
  T_CHECK(rc == 0, "%s alone: %s", label, err.message);
  if (rc == 0)
    S_njobs++;
  return rc;
}

int main(void) {
  if (!(quire_features() & QUIRE_FEATURE_CAIRO)) {
    printf("# skip: built without the cairo engine\n");
    return T_done("cairo_threads");
  }
  const char *rep = getenv("QUIRE_STRESS_REPEAT");
  if (rep && atoi(rep) > 0)
    S_repeat = (size_t)atoi(rep);
  quire_doc *docs[S_GEN + 1] = {0};
  quire_error err;
  quire_error_clear(&err);
  int rc = quire_doc_parse_file(&docs[0], "samples/intl/multiscript.json", NULL,
                                &err);
  T_CHECK(rc == 0, "multiscript.json: %s", err.message);
  if (rc == 0) {
    S_add(docs[0], QUIRE_FORMAT_PDF, "multiscript pdf");
    S_add(docs[0], QUIRE_FORMAT_PNG, "multiscript png");
  }
  for (int i = 0; i < S_GEN; i++) {
    quire_buf json = QUIRE_BUF_INIT;
    /* Overlapping slices: some glyphs are shared, most are new. */
    S_han_report(&json, (unsigned)i * (S_HAN / 2));
    rc = quire_doc_parse(&docs[i + 1], json.ptr, json.size, NULL, &err);
    T_CHECK(rc == 0, "generated report %d: %s", i, err.message);
    quire_buf_dispose(&json);
    char label[64];
    snprintf(label, sizeof label, "han %d pdf", i);
    if (rc == 0)
      S_add(docs[i + 1], QUIRE_FORMAT_PDF, label);
  }

  pthread_t dog;
  T_CHECK(pthread_create(&dog, NULL, S_watchdog, NULL) == 0, "watchdog");
  pthread_t th[S_THREADS];
  S_arg args[S_THREADS];
  int started[S_THREADS] = {0}, nstarted = 0;
  for (int i = 0; i < S_THREADS; i++) {
    memset(&args[i], 0, sizeof args[i]);
    args[i].index = i;
    if (pthread_create(&th[i], NULL, S_thread, &args[i]) == 0) {
      started[i] = 1;
      nstarted++;
    } else {
      T_CHECK(0, "pthread_create %d", i);
      pthread_mutex_lock(&S_lock);
      S_finished++; /* the watchdog waits for started threads only */
      pthread_mutex_unlock(&S_lock);
    }
  }
  for (int i = 0; i < S_THREADS; i++) {
    if (!started[i])
      continue;
    pthread_join(th[i], NULL);
    T_CHECK(args[i].failures == 0, "thread %d: %d renders failed (%s)", i,
            args[i].failures, args[i].message);
    T_CHECK(args[i].mismatches == 0,
            "thread %d: %d renders differ from the same render alone (%s)", i,
            args[i].mismatches, args[i].message);
  }
  pthread_join(dog, NULL);
  printf("# %d threads x %zu renders each (cairo PDF and PNG), no hang\n",
         nstarted, S_njobs);
  for (size_t i = 0; i < S_njobs; i++)
    quire_buf_dispose(&S_jobs[i].want);
  for (int i = 0; i <= S_GEN; i++)
    quire_doc_free(docs[i]);
  return T_done("cairo_threads");
}
