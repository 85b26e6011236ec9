/* Every Unicode scalar value U+0001-U+10FFFF through every output: text,
 * both PDF engines (cairo, haru) and PNG, in chunks, each code point in a
 * section title (a heading and a PDF bookmark), a paragraph, a pill and a
 * table cell, and a sample in the document title (PDF information).
 * Nothing may crash (libunibreak used to abort the process on a flag or
 * U+FFFF), nothing may fail (cairo refused noncharacters), and nothing
 * ordinary may be lost: every code point the text policy lets through is
 * in the text output, and sentinel words and the common scripts are in
 * both PDFs' text (pdftotext). U+0000 and lone surrogates cannot be in a
 * report at all: they are syntax errors, checked too. */
#include "harness.h"

#include <pthread.h>
#include <sys/wait.h>

/* Chunks run in two processes, not threads: cairo 1.16 (Debian 12)
 * deadlocked two threads painting and measuring at once once its global
 * glyph cache evicted (this test's thousands of distinct glyphs did, in
 * cairo_show_text_glyphs against cairo_scaled_font_glyph_extents). Glyph
 * work now takes turns within a process (paint/fonts_cairo.c,
 * test_cairo_threads), so two processes are what keeps both cores busy.
 * The lock keeps the checks' counters right all the same. */
static pthread_mutex_t S_lock = PTHREAD_MUTEX_INITIALIZER;
#define CHECK(cond, ...)                                                       \
  do {                                                                         \
    int C_ok = (cond);                                                         \
    pthread_mutex_lock(&S_lock);                                               \
    T_CHECK(C_ok, __VA_ARGS__);                                                \
    pthread_mutex_unlock(&S_lock);                                             \
  } while (0)
#include "internal.h"
#include "safety/text_policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double S_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
static double S_times[6];
static void S_time(int i, double t0) {
  double d = S_now() - t0;
  pthread_mutex_lock(&S_lock);
  S_times[i] += d;
  pthread_mutex_unlock(&S_lock);
}

#define CHUNK 16384 /* code points per document */
#define SLICE 64    /* per title, paragraph, pill and table row */

static int S_scalar(int32_t cp) {
  return cp > 0 && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
}

/* A JSON string of cps[0..n), as raw UTF-8 (escapes only where JSON
 * needs them), words of 16 separated by spaces when `words`. */
static void S_jstr(quire_buf *b, const int32_t *cps, size_t n, int words) {
  quire_buf_putc(b, '"');
  for (size_t i = 0; i < n; i++) {
    if (words && i && i % 16 == 0)
      quire_buf_putc(b, ' ');
    int32_t cp = cps[i];
    if (cp == '"' || cp == '\\') {
      quire_buf_putc(b, '\\');
      quire_buf_putc(b, (int)cp);
    } else if (cp < 0x20) {
      quire_buf_printf(b, "\\u%04x", (unsigned)cp);
    } else {
      char u[4];
      quire_buf_put(b, u, (size_t)quire__utf8_encode(cp, u));
    }
  }
  quire_buf_putc(b, '"');
}

/* The report for code points [lo, hi). */
static void S_report(quire_buf *b, int32_t lo, int32_t hi) {
  int32_t *cps = malloc(CHUNK * sizeof *cps);
  if (!cps)
    return;
  size_t n = 0;
  for (int32_t cp = lo; cp < hi; cp++)
    if (S_scalar(cp))
      cps[n++] = cp;
  int32_t sample[CHUNK / 32 + 1] = {0};
  size_t ns = 0;
  for (size_t i = 0; i < n; i += 32)
    sample[ns++] = cps[i];
  quire_buf_printf(b,
                   "{\"id\":\"cp_%06X\",\"createdAt\":\"2026-01-02T03:04:05Z\","
                   "\"entity\":{\"id\":\"e1\",\"label\":",
                   (unsigned)lo);
  S_jstr(b, sample, ns < 40 ? ns : 40, 0);
  quire_buf_puts(b, "},\"output\":{\"template\":\"general_report\"},"
                    "\"json\":{\"schemaVersion\":2,\"template\":"
                    "\"general_report\",\"title\":");
  S_jstr(b, sample, ns, 0);
  quire_buf_puts(b, ",\"summary\":\"zqsummaryx\",\"sections\":[");
  /* Slice k of the chunk goes to a section title (k % 4 == 0), a
   * paragraph with a sentinel word (1), a pill (2) or a table row (3):
   * every code point through each kind of text once, at a quarter of the
   * cost of all four. */
  size_t nsl = (n + SLICE - 1) / SLICE;
#define SL(k) (cps + (k)*SLICE)
#define SLN(k) (n - (k)*SLICE < SLICE ? n - (k)*SLICE : SLICE)
  for (size_t k = 0; k < nsl; k += 4) {
    quire_buf_printf(b, "%s{\"kind\":\"paragraph\",\"key\":\"k%zu\",\"title\":",
                     k ? "," : "", k);
    S_jstr(b, SL(k), SLN(k), 0);
    quire_buf_puts(b, ",\"body\":");
    if (k + 1 < nsl) {
      S_jstr(b, SL(k + 1), SLN(k + 1), 1);
      b->size--; /* open the string again to add the sentinel */
      quire_buf_printf(b, " zq%zux\"}", k + 1);
    } else {
      quire_buf_puts(b, "\"zqlastx\"}");
    }
  }
  /* A traits section keeps 32 phrases (and warns about more). */
  for (size_t k = 2; k < nsl; k += 4) {
    if ((k - 2) % (4 * 32) == 0)
      quire_buf_printf(b,
                       "%s{\"kind\":\"traits\",\"key\":\"p%zu\","
                       "\"title\":\"P\",\"body\":\"zqpillsx\","
                       "\"phrases\":[",
                       k > 2 ? "]}," : ",", k);
    else
      quire_buf_putc(b, ',');
    S_jstr(b, SL(k), SLN(k), 0);
  }
  /* A Markdown table: two cells a row; '|' and newlines in a cell would
   * make other rows, which only moves text around. */
  quire_buf_puts(b, nsl > 2 ? "]}," : ",");
  quire_buf_puts(b, "{\"kind\":\"paragraph\",\"key\":\"table\",\"title\":"
                    "\"T\",\"body\":\"| a | b |\\n|---|---|\\n");
  for (size_t k = 3; k < nsl; k += 4) {
    size_t m = SLN(k);
    quire_buf t = QUIRE_BUF_INIT;
    quire_buf_puts(b, "| ");
    S_jstr(&t, SL(k), m / 2, 0);
    quire_buf_put(b, t.ptr + 1, t.size - 2);
    quire_buf_puts(b, " | ");
    quire_buf_clear(&t);
    S_jstr(&t, SL(k) + m / 2, m - m / 2, 0);
    quire_buf_put(b, t.ptr + 1, t.size - 2);
    quire_buf_puts(b, " |\\n");
    quire_buf_dispose(&t);
  }
#undef SL
#undef SLN
  free(cps);
  quire_buf_puts(b, "zqtablex\"}]}}");
}

typedef struct warns {
  int n, dropped;
} warns;

static void S_warn(const char *msg, void *payload) {
  warns *w = payload;
  w->n++;
  if (strstr(msg, "drops"))
    w->dropped++;
}

/* The code points present in s, as bits. */
static void S_seen(unsigned char *bits, const char *s, size_t len) {
  for (size_t i = 0; i < len;) {
    int32_t cp;
    int n = quire__utf8_decode(s + i, len - i, &cp);
    if (n < 0) {
      i++;
      continue;
    }
    bits[cp >> 3] |= (unsigned char)(1u << (cp & 7));
    i += (size_t)n;
  }
}

static int S_has(const unsigned char *bits, int32_t cp) {
  return (bits[cp >> 3] >> (cp & 7)) & 1;
}

/* pdftotext of pdf (len bytes) into out. */
static int S_pdftotext(const char *pdf, size_t len, quire_buf *out) {
  char path[] = "/tmp/quire-cp-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0)
    return -1;
  int ok = write(fd, pdf, len) == (ssize_t)len;
  close(fd);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "pdftotext -q '%s' -", path);
  FILE *p = ok ? popen(cmd, "r") : NULL;
  char buf[65536];
  size_t n;
  while (p && (n = fread(buf, 1, sizeof buf, p)) > 0)
    quire_buf_put(out, buf, n);
  int rc = p ? pclose(p) : -1;
  unlink(path);
  return rc;
}

/* Code points both PDF engines have fonts for and pdftotext gives back as
 * they are (no shaping, no presentation forms): Latin, Greek, Cyrillic,
 * CJK ideographs. */
static int S_common(int32_t cp) {
  return (cp >= 0xC0 && cp <= 0x17F && cp != 0xD7 && cp != 0xF7) ||
         (cp >= 0x3B1 && cp <= 0x3C9) || (cp >= 0x410 && cp <= 0x44F) ||
         (cp >= 0x4E00 && cp <= 0x9FA5);
}

static void S_check_pdf(const char *what, int32_t lo, const quire_buf *pdf,
                        size_t nslices, int32_t hi) {
  quire_buf txt = QUIRE_BUF_INIT;
  int rc = S_pdftotext(pdf->ptr, pdf->size, &txt);
  CHECK(rc == 0, "%s U+%04X: pdftotext failed", what, (unsigned)lo);
  quire_buf_putc(&txt, 0);
  int lost = 0;
  for (size_t i = 1; i < nslices && lost < 3; i += 4) {
    char w[32];
    snprintf(w, sizeof w, "zq%zux", i);
    if (!strstr(txt.ptr, w)) {
      lost++;
      CHECK(0, "%s U+%04X: sentinel %s lost", what, (unsigned)lo, w);
    }
  }
  CHECK(strstr(txt.ptr, "zqpillsx") && strstr(txt.ptr, "zqtablex"),
        "%s U+%04X: pill or table sentinel lost", what, (unsigned)lo);
  unsigned char *bits = calloc(0x110000 / 8, 1);
  if (!bits)
    return;
  S_seen(bits, txt.ptr, txt.size);
  int missing = 0;
  for (int32_t cp = lo; cp < hi; cp++)
    if (S_common(cp) && !S_has(bits, cp) && missing++ < 3)
      CHECK(0, "%s: U+%04X missing from the PDF text", what, (unsigned)cp);
  CHECK(missing == 0, "%s U+%04X: %d common characters missing", what,
        (unsigned)lo, missing);
  free(bits);
  quire_buf_dispose(&txt);
}

static void test_chunk(int32_t lo, int32_t hi) {
  quire_buf json = QUIRE_BUF_INIT;
  S_report(&json, lo, hi);
  quire_doc *doc = NULL;
  quire_error err;
  quire_error_clear(&err);
  int rc = quire_doc_parse(&doc, json.ptr, json.size, NULL, &err);
  CHECK(rc == 0, "U+%04X: parse: %s", (unsigned)lo, err.message);
  quire_buf_dispose(&json);
  if (rc)
    return;
  size_t nslices = 0;
  int32_t cps_n = 0;
  for (int32_t cp = lo; cp < hi; cp++)
    cps_n += S_scalar(cp);
  nslices = ((size_t)cps_n + SLICE - 1) / SLICE;

  /* Text: every code point the policy passes is there. */
  quire_render_options o = QUIRE_RENDER_OPTIONS_INIT;
  warns w = {0, 0};
  o.warn = S_warn;
  o.warn_payload = &w;
  o.width = 100;
  quire_buf out = QUIRE_BUF_INIT;
  double t0 = S_now();
  rc = quire_render_buf(&out, doc, QUIRE_FORMAT_TEXT, &o, &err);
  S_time(0, t0);
  CHECK(rc == 0, "text U+%04X: %s", (unsigned)lo, err.message);
  unsigned char *bits = calloc(0x110000 / 8, 1);
  if (bits)
    S_seen(bits, out.ptr, out.size);
  int missing = 0;
  for (int32_t cp = lo; cp < hi; cp++)
    if (bits && S_scalar(cp) && cp >= 0xA0 &&
        quire__tp_classify(cp) == QUIRE__TP_TEXT && !S_has(bits, cp) &&
        missing++ < 3)
      CHECK(0, "text: U+%04X missing", (unsigned)cp);
  CHECK(bits && missing == 0, "text U+%04X: %d code points missing",
        (unsigned)lo, missing);
  free(bits);
  quire_buf_clear(&out);

  /* PDF, both engines. */
  static const quire_pdf_engine engines[] = {QUIRE_PDF_CAIRO, QUIRE_PDF_HARU};
  static const char *const names[] = {"cairo", "haru"};
  for (int e = 0; e < 2; e++) {
    if (e == 0 && !(quire_features() & QUIRE_FEATURE_CAIRO))
      continue;
    o.engine = engines[e];
    w.n = w.dropped = 0;
    quire_error_clear(&err);
    t0 = S_now();
    rc = quire_render_buf(&out, doc, QUIRE_FORMAT_PDF, &o, &err);
    S_time(1 + e, t0);
    CHECK(rc == 0, "%s U+%04X: %s", names[e], (unsigned)lo, err.message);
    t0 = S_now();
    if (!rc)
      S_check_pdf(names[e], lo, &out, nslices, hi);
    S_time(3, t0);
    /* haru cannot draw beyond the BMP: it says so, never silently */
    if (e == 1 && hi > 0x10000)
      CHECK(w.dropped > 0, "haru U+%04X: astral text dropped silently",
            (unsigned)lo);
    quire_buf_clear(&out);
  }

  /* PNG, page 1. */
  if (quire_features() & QUIRE_FEATURE_CAIRO) {
    o.engine = QUIRE_PDF_CAIRO;
    quire_error_clear(&err);
    t0 = S_now();
    rc = quire_render_buf(&out, doc, QUIRE_FORMAT_PNG, &o, &err);
    S_time(4, t0);
    CHECK(rc == 0 && out.size > 8 && !memcmp(out.ptr, "\x89PNG", 4),
          "png U+%04X: %s", (unsigned)lo, err.message);
  }
  quire_buf_dispose(&out);
  quire_doc_free(doc);
}

/* What cannot be in a report is refused as such, not a crash. */
static void test_refused(void) {
  static const char *const bad[] = {
      "{\"json\":{\"schemaVersion\":2,\"title\":\"a\\u0000b\"}}",
      "{\"json\":{\"schemaVersion\":2,\"title\":\"a\\ud800b\"}}",
      "{\"json\":{\"schemaVersion\":2,\"title\":\"a\\udfffb\"}}"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    quire_doc *doc = NULL;
    quire_error err;
    quire_error_clear(&err);
    int rc = quire_doc_parse(&doc, bad[i], strlen(bad[i]), NULL, &err);
    CHECK(rc == QUIRE_ESYNTAX, "%s: got %d", bad[i], rc);
    quire_doc_free(doc);
  }
}

typedef struct S_range {
  int32_t from, to, step;
} S_range;

/* Under AddressSanitizer (several times slower) the planes nothing is
 * assigned in yet, 4 to 13, get their first chunk only; the release
 * build runs every chunk. */
static int S_skip(int32_t lo) {
#ifdef __SANITIZE_ADDRESS__
  return lo >= 0x40000 && lo < 0xE0000 && (lo & 0xFFFF) != 0;
#else
  (void)lo;
  return 0;
#endif
}

static void *S_worker(void *arg) {
  const S_range *r = arg;
  for (int32_t lo = r->from; lo < r->to; lo += r->step)
    if (!S_skip(lo))
      test_chunk(lo, lo + CHUNK < r->to ? lo + CHUNK : r->to);
  return NULL;
}

int main(int argc, char **argv) {
  test_refused();
  /* A range on the command line for looking at one part: 1F000 20000 */
  int32_t from = argc > 2 ? (int32_t)strtol(argv[1], NULL, 16) : 0;
  int32_t to = argc > 2 ? (int32_t)strtol(argv[2], NULL, 16) : 0x110000;
  S_range r[2] = {{from, to, 2 * CHUNK}, {from + CHUNK, to, 2 * CHUNK}};
  /* The child takes every other chunk and reports its counts in a pipe. */
  int fds[2];
  fflush(stdout);
  pid_t pid = pipe(fds) == 0 ? fork() : -1;
  if (pid == 0) {
    close(fds[0]);
    T_passed = T_failed = 0;
    S_worker(&r[1]);
    fflush(stdout);
    int counts[2] = {T_passed, T_failed};
    ssize_t w = write(fds[1], counts, sizeof counts);
    _exit(w == (ssize_t)sizeof counts ? 0 : 1);
  }
  if (pid < 0)
    r[0].step = CHUNK;
  else
    close(fds[1]);
  S_worker(&r[0]);
  if (pid > 0) {
    int counts[2] = {0, 1}, st = 0;
    ssize_t got = read(fds[0], counts, sizeof counts);
    close(fds[0]);
    waitpid(pid, &st, 0);
    T_CHECK(got == (ssize_t)sizeof counts && WIFEXITED(st) &&
                WEXITSTATUS(st) == 0,
            "the second process died (status %d)", st);
    T_passed += counts[0];
    T_failed += counts[1];
  }
  printf("# seconds (this process): text %.2f, cairo pdf %.2f, haru pdf "
         "%.2f, pdftotext %.2f, png %.2f\n",
         S_times[0], S_times[1], S_times[2], S_times[3], S_times[4]);
  return T_done("codepoints");
}
