/* The libharu engine driven directly through the backend interface
 * (layout/backend.h): line breaking rules, warnings, a painted PDF
 * checked with qpdf, pdffonts and pdftotext, fonts shared by threads, and
 * the subset font program. */
#include "harness.h"
#include "paint/fonts_haru.h"
#include "paint/haru.h"
#include "paint/linemodel.h"
#include "template/fontmap.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct warns {
  int n;
  char last[256];
  char all[4096];
} warns;

static void S_warn(const char *msg, void *payload) {
  warns *w = payload;
  w->n++;
  snprintf(w->last, sizeof w->last, "%s", msg);
  size_t l = strlen(w->all);
  snprintf(w->all + l, sizeof w->all - l, "%s\n", msg);
}

static const char *const S_fams[3] = {"DejaVu Sans", "DejaVu Sans",
                                      "DejaVu Sans Mono"};

/* A haru engine on the built-in font map with the S_fams families. */
static int S_haru_new(quire__haru **out, quire_warn_fn warn, void *payload,
                      quire_sink sink, size_t max_output, quire_error *err) {
  quire__engine_opts o = {0};
  int rc = quire__fontmap_builtin(&o.fonts, err);
  if (rc)
    return rc;
  for (int i = 0; i < 3; i++)
    o.families[i] = S_fams[i];
  o.warn = warn;
  o.warn_payload = payload;
  o.sink = sink;
  o.max_output = max_output;
  return quire__haru_new(out, &o, err);
}

static quire__run S_run(const char *text, double size) {
  quire__run r;
  memset(&r, 0, sizeof r);
  r.text = text;
  r.len = strlen(text);
  r.role = QUIRE__FONT_BODY;
  r.size = size;
  r.color.a = 255;
  return r;
}

/* Set while allocations are made to fail (test_errors): any step may
 * then fail, and only crashes and leaks are errors. The fonts are read
 * once per process, so the failures land in measuring and painting. */
static int S_failing;

static quire__para *S_measure(quire__haru *h, const quire__run *runs, size_t n,
                              double width) {
  const quire__backend *be = quire__haru_backend(h);
  quire__para_spec spec = {.runs = runs,
                           .nruns = n,
                           .width = width,
                           .line_height = 14,
                           .align = QUIRE__ALIGN_LEFT};
  quire__para *p = NULL;
  int rc = be->para_new(be->self, &p, &spec);
  if (!S_failing)
    T_INT_EQ(rc, 0);
  return p;
}

static double S_max_width(quire__haru *h, const quire__para *p) {
  const quire__backend *be = quire__haru_backend(h);
  double m = 0;
  for (size_t i = 0; i < be->para_line_count(be->self, p); i++) {
    quire__line l;
    be->para_line(be->self, p, i, &l);
    if (l.width > m)
      m = l.width;
  }
  return m;
}

static void test_breaking(void) {
  warns w = {0, "", ""};
  quire_sink none = {0};
  quire__haru *h = NULL;
  T_INT_EQ(S_haru_new(&h, S_warn, &w, none, 0, NULL), 0);
  if (!h)
    return;
  const quire__backend *be = quire__haru_backend(h);

  /* Latin text wraps at spaces, never wider than the box. */
  quire__run r = S_run("The quick brown fox jumps over the lazy dog again "
                       "and again until the line must wrap somewhere.",
                       10);
  quire__para *p = S_measure(h, &r, 1, 120);
  T_OK(p && be->para_line_count(be->self, p) >= 3);
  T_OK(p && S_max_width(h, p) <= 120);
  quire__line l;
  be->para_line(be->self, p, 0, &l);
  T_OK(l.height >= 14 && l.baseline > 0 && l.baseline < l.height);
  be->para_free(be->self, p);

  /* Natural width: one line. */
  p = S_measure(h, &r, 1, 0);
  T_INT_EQ(be->para_line_count(be->self, p), 1);
  double natural = S_max_width(h, p);
  T_OK(natural > 300);
  be->para_free(be->self, p);

  /* Forced breaks; a trailing newline gives an empty last line. */
  quire__run nl = S_run("one\ntwo\n\nthree\n", 10);
  p = S_measure(h, &nl, 1, 500);
  T_INT_EQ(be->para_line_count(be->self, p), 5);
  be->para_free(be->self, p);

  /* A word wider than the box is cut between characters. */
  quire__run lw = S_run("Supercalifragilisticexpialidocious-"
                        "antidisestablishmentarianism",
                        12);
  p = S_measure(h, &lw, 1, 60);
  T_OK(be->para_line_count(be->self, p) > 3);
  T_OK(S_max_width(h, p) <= 60);
  be->para_free(be->self, p);

  /* CJK breaks between ideographs (no spaces at all). */
  quire__run cjk =
      S_run("上海大阪的团队在五月的回顾会议上讨论了发布计划和时间安排。"
            "東京のチームも参加しました。",
            10);
  p = S_measure(h, &cjk, 1, 80);
  T_OK(be->para_line_count(be->self, p) >= 4);
  T_OK(S_max_width(h, p) <= 80);
  be->para_free(be->self, p);

  /* A no-break run stays on one line when it fits. */
  quire__run nb[2] = {S_run("aaaa bbbb cccc ", 10), S_run("dd ee ff", 10)};
  nb[1].style = QUIRE__RUN_NOBREAK;
  p = S_measure(h, nb, 2, 95);
  size_t n = be->para_line_count(be->self, p);
  T_OK(n == 2);
  be->para_free(be->self, p);

  /* Characters outside the BMP are dropped with one warning each. */
  int before = w.n;
  quire__run em = S_run("ok \xF0\x9F\x98\x80 \xF0\x9F\x98\x80 done", 10);
  p = S_measure(h, &em, 1, 300);
  T_INT_EQ(w.n, before + 1);
  T_OK(strstr(w.last, "U+1F600") != NULL);
  be->para_free(be->self, p);

  /* Empty paragraph: one line. */
  quire__run e = S_run("", 10);
  p = S_measure(h, &e, 1, 100);
  T_INT_EQ(be->para_line_count(be->self, p), 1);
  be->para_free(be->self, p);
  quire__haru_free(h);
}

static int S_render(quire_buf *out, warns *w) {
  quire__haru *h = NULL;
  static quire_error err; /* kept by the engine until it is freed */
  memset(&err, 0, sizeof err);
  int rc = S_haru_new(&h, S_warn, w, quire_sink_buf(out), 0, &err);
  if (rc)
    return rc;
  const quire__backend *be = quire__haru_backend(h);
  quire__doc_meta meta = {"Engine test — Ünïcode",
                          "Anaïs Gonçalves",
                          "general_report",
                          "quire 0.1.0",
                          "2026-05-12T16:03:27.745+02:00",
                          "en"};
  rc = be->begin_document(be->self, &meta);
  if (!rc)
    rc = be->begin_page(be->self, 0, 595.28, 841.89);
  quire__paint card = {{245, 245, 250, 255}, {200, 200, 210, 255}, 0.8};
  be->rect(be->self, 50, 50, 495, 120, 8, &card);
  quire__run title = S_run("Alpha heading", 18);
  title.style = QUIRE__RUN_BOLD;
  quire__para *p = S_measure(h, &title, 1, 475);
  be->para_paint(be->self, p, 0, be->para_line_count(be->self, p), 60, 60);
  be->para_free(be->self, p);
  int top = be->outline(be->self, 0, "Alpha heading", 60);
  int sub = be->outline(be->self, top, "Bêta — sous-section 上海", 100);
  T_OK(S_failing || (top > 0 && sub > top));
  quire__run runs[4] = {S_run("Bravo charlie delta ", 10),
                        S_run("echo link", 10),
                        S_run(" foxtrot golf hotel india juliett kilo lima "
                              "mike november oscar papa quebec. ",
                              10),
                        S_run("上海 大阪 mono", 10)};
  runs[1].link = "https://example.com/report";
  runs[1].style = QUIRE__RUN_UNDERLINE;
  runs[1].color = (quire__color){30, 90, 200, 255};
  runs[3].role = QUIRE__FONT_MONO;
  runs[3].background = (quire__color){235, 235, 235, 255};
  p = S_measure(h, runs, 4, 200);
  be->para_paint(be->self, p, 0, be->para_line_count(be->self, p), 60, 100);
  be->para_free(be->self, p);
  be->line(be->self, 50, 200, 545, 200, 1, (quire__color){0, 0, 0, 255});
  quire__seg segs[4] = {{QUIRE__SEG_MOVE, 100, 300, 0, 0, 0, 0},
                        {QUIRE__SEG_CUBIC, 150, 250, 200, 350, 250, 300},
                        {QUIRE__SEG_LINE, 250, 400, 0, 0, 0, 0},
                        {QUIRE__SEG_CLOSE, 0, 0, 0, 0, 0, 0}};
  quire__paint ill = {{120, 160, 220, 255}, {0, 0, 0, 0}, 0};
  be->path(be->self, segs, 4, &ill);
  be->link(be->self, 50, 450, 100, 20, "https://example.com/area");
  if (!rc)
    rc = be->end_page(be->self);
  if (!rc)
    rc = be->begin_page(be->self, 1, 595.28, 841.89);
  quire__run two = S_run("Zulu on page two", 10);
  p = S_measure(h, &two, 1, 400);
  be->para_paint(be->self, p, 0, 1, 60, 60);
  be->para_free(be->self, p);
  be->outline(be->self, 0, "Page two", 60);
  if (!rc)
    rc = be->end_page(be->self);
  if (!rc)
    rc = be->end_document(be->self);
  if (rc && getenv("HARU_DEBUG"))
    fprintf(stderr, "render: %s\n", err.message);
  quire__haru_free(h);
  return rc;
}

static int S_run_cmd(const char *cmd) { return system(cmd); }

/* Writes b to TEST_OUT/name (or /tmp/name) for the poppler and qpdf checks;
 * path gets the file's name. -1 when it cannot be written. */
static int S_save(const quire_buf *b, const char *name, char *path,
                  size_t size) {
  const char *dir = getenv("TEST_OUT");
  snprintf(path, size, "%s/%s", dir ? dir : "/tmp", name);
  FILE *fp = fopen(path, "wb");
  if (!fp)
    return -1;
  int ok = fwrite(b->ptr, 1, b->size, fp) == b->size;
  return fclose(fp) == 0 && ok ? 0 : -1;
}

static void test_pdf(void) {
  warns w = {0, "", ""};
  quire_buf a = QUIRE_BUF_INIT, b = QUIRE_BUF_INIT;
  T_INT_EQ(S_render(&a, &w), 0);
  T_INT_EQ(S_render(&b, &w), 0);
  T_OK(a.size > 1000);
  T_OK(a.size == b.size && memcmp(a.ptr, b.ptr, a.size) == 0);
  char path[512], cmd[4096];
  int saved = S_save(&a, "haru_engine.pdf", path, sizeof path);
  T_INT_EQ(saved, 0);
  if (saved)
    return;
  snprintf(cmd, sizeof cmd, "qpdf --check '%s' >/dev/null 2>&1", path);
  T_INT_EQ(S_run_cmd(cmd), 0);
  snprintf(cmd, sizeof cmd,
           "pdftotext -layout '%s' - | tr -s ' \\n' '  ' | "
           "grep -q 'Alpha heading.*Bravo charlie delta echo link foxtrot'",
           path);
  T_INT_EQ(S_run_cmd(cmd), 0);
  snprintf(cmd, sizeof cmd, "pdftotext '%s' - | grep -q '上海'", path);
  T_INT_EQ(S_run_cmd(cmd), 0);
  snprintf(cmd, sizeof cmd, "pdftotext '%s' - | grep -q 'Zulu on page two'",
           path);
  T_INT_EQ(S_run_cmd(cmd), 0);
  /* Every font embedded: pdffonts' "emb" column is "yes" on each row. */
  snprintf(cmd, sizeof cmd,
           "pdffonts '%s' | awk 'NR>2 && $(NF-4)!=\"yes\"{bad=1} NR>2{n++} "
           "END{exit bad || n<3}'",
           path);
  T_INT_EQ(S_run_cmd(cmd), 0);
  snprintf(cmd, sizeof cmd,
           "pdfinfo '%s' | grep -q 'Author: *Anaïs Gonçalves' && "
           "pdfinfo '%s' | grep -q 'Pages: *2' && "
           "pdfinfo '%s' | grep -q 'Title: *Engine test — Ünïcode' && "
           "pdfinfo -isodates '%s' | grep -q 'CreationDate: "
           "*2026-05-12T16:03:27+02'",
           path, path, path, path);
  T_INT_EQ(S_run_cmd(cmd), 0);
  /* Links: two URI annotations. */
  snprintf(cmd, sizeof cmd,
           "qpdf --qdf --object-streams=disable '%s' - | grep -a -c '/URI (' | "
           "grep -q '^2$'",
           path);
  T_INT_EQ(S_run_cmd(cmd), 0);
  /* Outline titles survive as Unicode. */
  snprintf(cmd, sizeof cmd, "qpdf --json '%s' | grep -q 'sous-section'", path);
  T_INT_EQ(S_run_cmd(cmd), 0);
  quire_buf_dispose(&a);
  quire_buf_dispose(&b);
}

static void test_errors(void) {
  /* A sink that fails: end_document reports it, nothing crashes. */
  quire_buf small;
  quire_buf_init(&small, 100);
  quire__haru *h = NULL;
  quire_error err;
  memset(&err, 0, sizeof err);
  T_INT_EQ(S_haru_new(&h, NULL, NULL, quire_sink_buf(&small), 100, &err), 0);
  if (!h)
    return;
  const quire__backend *be = quire__haru_backend(h);
  T_INT_EQ(be->begin_document(be->self, NULL), 0);
  T_INT_EQ(be->begin_page(be->self, 0, 200, 200), 0);
  T_INT_EQ(be->end_page(be->self), 0);
  int rc = be->end_document(be->self);
  T_OK(rc < 0);
  T_OK(err.code == rc);
  quire__haru_free(h);
  quire_buf_dispose(&small);

  /* Allocation failures anywhere: an error code, never a crash or leak. */
  for (long n = 1; n < 300; n += 17) {
    quire_buf out = QUIRE_BUF_INIT;
    warns w = {0, "", ""};
    S_failing = 1;
    quire__alloc_fail_at(n);
    int r = S_render(&out, &w);
    quire__alloc_fail_at(0);
    S_failing = 0;
    T_OK(r == 0 || r < 0);
    quire_buf_dispose(&out);
  }
}

/* Ideographs whose WenQuanYi glyphs are composites with parts past glyph
 * 32767: libharu alone embeds them empty. Painted alone on a page, they
 * must leave ink. */
static void test_cjk_ink(void) {
  quire_buf out = QUIRE_BUF_INIT;
  warns w = {0, "", ""};
  quire__haru *h = NULL;
  T_INT_EQ(S_haru_new(&h, S_warn, &w, quire_sink_buf(&out), 0, NULL), 0);
  if (!h)
    return;
  const quire__backend *be = quire__haru_backend(h);
  be->begin_document(be->self, NULL);
  be->begin_page(be->self, 0, 300, 100);
  quire__run r = S_run("海阪倾听需", 40);
  quire__para *p = S_measure(h, &r, 1, 280);
  be->para_paint(be->self, p, 0, 1, 10, 10);
  be->para_free(be->self, p);
  be->end_page(be->self);
  T_INT_EQ(be->end_document(be->self), 0);
  quire__haru_free(h);
  char path[512], cmd[2048];
  S_save(&out, "haru_cjk.pdf", path, sizeof path);
  /* > 400 dark pixels at 72 dpi (five 40 pt ideographs give thousands) */
  snprintf(cmd, sizeof cmd,
           "pdftoppm -gray -r 72 '%s' | tail -c 30000 | od -An -tu1 -v | "
           "tr -s ' ' '\\n' | awk '$1 != \"\" && $1 < 128 {n++} END "
           "{exit n < 400}'",
           path);
  T_INT_EQ(S_run_cmd(cmd), 0);
  /* and no reader complaints about the ToUnicode maps */
  snprintf(cmd, sizeof cmd, "pdffonts '%s' 2>&1 >/dev/null | grep -q .", path);
  T_OK(S_run_cmd(cmd) != 0);
  /* The map is deflated at level 4 (haru.c says why): one stream, the
   * map, whose zlib header says "fast" (levels 2-5), 78 5E; every other
   * stream is at the default level, 78 9C. */
  int fast = 0, other = 0;
  for (size_t i = 0; i + 9 < out.size; i++) {
    if (memcmp(out.ptr + i, "stream", 6) != 0 || (i && out.ptr[i - 1] == 'd'))
      continue;
    size_t at = i + 6;
    if (out.ptr[at] == '\r')
      at++;
    if (out.ptr[at] != '\n')
      continue;
    const unsigned char *z = (const unsigned char *)out.ptr + at + 1;
    if (z[0] == 0x78 && z[1] == 0x5E)
      fast++;
    else
      other++;
  }
  T_INT_EQ(fast, 1);
  T_OK(other > 0);
  quire_buf_dispose(&out);
}

/* An Arabic paragraph starts at the right edge; its letters are joined
 * (contextual forms), and lam + alef is one glyph. */
static void test_arabic(void) {
  warns w = {0, "", ""};
  quire_sink none = {0};
  quire__haru *h = NULL;
  T_INT_EQ(S_haru_new(&h, S_warn, &w, none, 0, NULL), 0);
  if (!h)
    return;
  const quire__backend *be = quire__haru_backend(h);
  quire__run joined = S_run("\xd8\xb3\xd9\x84\xd8\xa7\xd9\x85", 12); /* slam */
  quire__run apart = S_run("\xd8\xb3 \xd9\x84 \xd8\xa7 \xd9\x85", 12);
  quire__para *a = S_measure(h, &joined, 1, 0);
  quire__para *b = S_measure(h, &apart, 1, 0);
  quire__line la, lb;
  be->para_line(be->self, a, 0, &la);
  be->para_line(be->self, b, 0, &lb);
  /* joined forms are narrower than isolated ones plus spaces, and the
   * lam-alef ligature takes one advance instead of two */
  T_OK(la.width > 0 && la.width < lb.width * 0.8);
  T_INT_EQ(w.n, 0);
  be->para_free(be->self, a);
  be->para_free(be->self, b);
  quire__haru_free(h);
}

/* Bidi through fribidi: a header's facts line, a Hebrew name, a date and a
 * label, each a field (QUIRE__RUN_ISOLATE) between dots. The line is
 * right to left (its first letter is), and the fields keep their order
 * from the right: name, date, label, as pango sets it. The engine's own
 * reordering ran "7 April 2026 · Q2" together as one left-to-right
 * stretch, the label after the date on its right. Checked by where
 * pdftotext -bbox finds the words. */
static void test_bidi_fields(void) {
  quire_buf pdf = QUIRE_BUF_INIT;
  quire__haru *h = NULL;
  T_INT_EQ(S_haru_new(&h, NULL, NULL, quire_sink_buf(&pdf), 0, NULL), 0);
  if (!h)
    return;
  const quire__backend *be = quire__haru_backend(h);
  be->begin_document(be->self, NULL);
  be->begin_page(be->self, 0, 400, 100);
  quire__run r[5] = {S_run("\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d", 12),
                     S_run(" \xc2\xb7 ", 12), S_run("7 April 2026", 12),
                     S_run(" \xc2\xb7 ", 12), S_run("Lbl", 12)};
  r[0].style = r[2].style = r[4].style = QUIRE__RUN_ISOLATE;
  quire__para *p = S_measure(h, r, 5, 380);
  if (p) {
    be->para_paint(be->self, p, 0, 1, 10, 10);
    be->para_free(be->self, p);
  }
  T_INT_EQ(be->end_page(be->self), 0);
  T_INT_EQ(be->end_document(be->self), 0);
  quire__haru_free(h);
  char path[512], cmd[1400];
  S_save(&pdf, "bidi_fields.pdf", path, sizeof path);
  /* from the left: Lbl, then 2026, then the Hebrew name at the right */
  snprintf(cmd, sizeof cmd,
           "pdftotext -bbox '%s' - | awk -F'\"' '/<word/ { x = $2 + 0; "
           "if ($0 ~ />Lbl</) l = x; else if ($0 ~ />2026</) d = x; "
           "else if ($0 ~ /\xd7/) w = x } "
           "END { exit !(l != \"\" && d != \"\" && w != \"\" && l < d && "
           "d < w) }'",
           path);
  T_CHECK(system(cmd) == 0, "%s: fields out of order (bidi)", path);
  quire_buf_dispose(&pdf);
}

/* Body bold and heading bold are one file, so one libharu font: the
 * widths kept in /W must cover what both roles painted. */
static void test_shared_font(void) {
  quire_buf out = QUIRE_BUF_INIT;
  quire__haru *h = NULL;
  T_INT_EQ(S_haru_new(&h, NULL, NULL, quire_sink_buf(&out), 0, NULL), 0);
  if (!h)
    return;
  const quire__backend *be = quire__haru_backend(h);
  be->begin_document(be->self, NULL);
  be->begin_page(be->self, 0, 300, 100);
  quire__run a = S_run("AAAA", 12), z = S_run("ZZZZ", 12);
  a.style = z.style = QUIRE__RUN_BOLD;
  z.role = QUIRE__FONT_HEADING;
  quire__para *pa = S_measure(h, &a, 1, 280), *pz = S_measure(h, &z, 1, 280);
  be->para_paint(be->self, pa, 0, 1, 10, 10);
  be->para_paint(be->self, pz, 0, 1, 10, 40);
  be->para_free(be->self, pa);
  be->para_free(be->self, pz);
  be->end_page(be->self);
  T_INT_EQ(be->end_document(be->self), 0);
  quire__haru_free(h);
  char path[512], cmd[2048];
  S_save(&out, "haru_shared.pdf", path, sizeof path);
  snprintf(cmd, sizeof cmd,
           "qpdf --qdf --object-streams=disable '%s' - | tr -d ' \\n' | "
           "grep -a -q '/W\\[65\\[[0-9.]*\\]90\\['",
           path);
  T_INT_EQ(S_run_cmd(cmd), 0);
  /* Both lines in one font, size and colour: set once on the page
   * (S_fill_rgb), not again for the second line. */
  snprintf(cmd, sizeof cmd,
           "qpdf --qdf --object-streams=disable '%s' - | grep -a -c ' Tf$' | "
           "grep -q '^1$' && qpdf --qdf --object-streams=disable '%s' - | "
           "grep -a -c ' rg$' | grep -q '^1$'",
           path, path);
  T_INT_EQ(S_run_cmd(cmd), 0);
  quire_buf_dispose(&out);
}

/* libunibreak 2.2 asserted (abort, exit 134) on regional indicators and on
 * U+FFFF, its end-of-string marker: the engine itself must take both,
 * also without the policy gate in front of it (paint/engine.c). A flag
 * pair stays one unbreakable word. A line of 40,000 characters (80 KB) and
 * a title as long are cut under libharu's 65,535-byte string limit (the
 * line painted in pieces), where libharu failed the whole document. */
static void test_unibreak_inputs(void) {
  warns w = {0, "", ""};
  quire_buf pdf = QUIRE_BUF_INIT;
  quire__haru *h = NULL;
  T_INT_EQ(S_haru_new(&h, S_warn, &w, quire_sink_buf(&pdf), 0, NULL), 0);
  if (!h)
    return;
  const quire__backend *be = quire__haru_backend(h);
  quire__run r = S_run("a \xF0\x9F\x87\xA9\xF0\x9F\x87\xAA b \xEF\xBF\xBF c "
                       "\xF0\x9F\x87\xBA\xF0\x9F\x87\xB8",
                       10);
  quire__para *p = S_measure(h, &r, 1, 40);
  T_OK(p != NULL);
  be->para_free(be->self, p);
  quire_buf long_line = QUIRE_BUF_INIT;
  for (int i = 0; i < 40000; i++)
    quire_buf_puts(&long_line, i % 1000 == 0 ? "Z" : "\xC3\xA9");
  quire__run lr = S_run(long_line.ptr, 6);
  quire__doc_meta meta = {0};
  meta.title = long_line.ptr;
  T_INT_EQ(be->begin_document(be->self, &meta), 0);
  T_INT_EQ(be->begin_page(be->self, 0, 595, 842), 0);
  p = S_measure(h, &lr, 1, 0); /* natural width: one line */
  T_INT_EQ(p ? be->para_line_count(be->self, p) : 0, 1);
  if (p)
    be->para_paint(be->self, p, 0, 1, 10, 10);
  be->para_free(be->self, p);
  T_INT_EQ(be->end_page(be->self), 0);
  T_INT_EQ(be->end_document(be->self), 0);
  quire__haru_free(h);
  char path[512], cmd[1100];
  S_save(&pdf, "unibreak.pdf", path, sizeof path);
  /* (the rest of the line is off the page, where pdftotext does not look) */
  snprintf(cmd, sizeof cmd,
           "qpdf --check '%s' >/dev/null && pdftotext '%s' - | grep -q '^Z'",
           path, path);
  T_CHECK(system(cmd) == 0, "%s: broken, or the long line is lost", path);
  quire_buf_dispose(&long_line);
  quire_buf_dispose(&pdf);
}

/* ---- fonts read once per process, shared by documents and threads ---- */

/* One page in every role and style, with composite glyphs (Ä, é) and
 * ideographs from the CJK fallback. No harness checks: it runs in
 * threads. Returns the engine's result. */
static int S_render_plain(quire_buf *out) {
  quire__haru *h = NULL;
  quire_error err;
  memset(&err, 0, sizeof err);
  int rc = S_haru_new(&h, NULL, NULL, quire_sink_buf(out), 0, &err);
  if (rc)
    return rc;
  const quire__backend *be = quire__haru_backend(h);
  rc = be->begin_document(be->self, NULL);
  if (!rc)
    rc = be->begin_page(be->self, 0, 400, 300);
  quire__run runs[5] = {S_run("Äpfel und Birnen, café crème ", 11),
                        S_run("Bold heading ", 14), S_run("oblique ", 11),
                        S_run("mono_code() ", 10), S_run("上海 大阪", 11)};
  runs[1].style = QUIRE__RUN_BOLD;
  runs[1].role = QUIRE__FONT_HEADING;
  runs[2].style = QUIRE__RUN_ITALIC;
  runs[3].role = QUIRE__FONT_MONO;
  quire__para_spec spec = {.runs = runs,
                           .nruns = 5,
                           .width = 360,
                           .line_height = 14,
                           .align = QUIRE__ALIGN_LEFT};
  quire__para *p = NULL;
  if (!rc)
    rc = be->para_new(be->self, &p, &spec);
  if (!rc)
    be->para_paint(be->self, p, 0, be->para_line_count(be->self, p), 20, 20);
  be->para_free(be->self, p);
  if (!rc)
    rc = be->end_page(be->self);
  if (!rc)
    rc = be->end_document(be->self);
  quire__haru_free(h);
  return rc;
}

typedef struct S_job {
  quire_buf out;
  int rc;
} S_job;

static void *S_render_job(void *arg) {
  S_job *j = arg;
  j->rc = S_render_plain(&j->out);
  return NULL;
}

/* Runs first in main, so that the two threads are the first users of the
 * process's font readings: both documents must come out as one rendered
 * alone. */
static void test_threads(void) {
  S_job jobs[2] = {{QUIRE_BUF_INIT, -1}, {QUIRE_BUF_INIT, -1}};
  pthread_t t[2];
  for (int k = 0; k < 2; k++)
    T_INT_EQ(pthread_create(&t[k], NULL, S_render_job, &jobs[k]), 0);
  for (int k = 0; k < 2; k++)
    pthread_join(t[k], NULL);
  quire_buf alone = QUIRE_BUF_INIT;
  T_INT_EQ(S_render_plain(&alone), 0);
  T_OK(alone.size > 1000);
  for (int k = 0; k < 2; k++) {
    T_INT_EQ(jobs[k].rc, 0);
    T_OK(jobs[k].out.size == alone.size &&
         memcmp(jobs[k].out.ptr, alone.ptr, alone.size) == 0);
    quire_buf_dispose(&jobs[k].out);
  }
  char path[512], cmd[2048];
  S_save(&alone, "haru_threads.pdf", path, sizeof path);
  snprintf(cmd, sizeof cmd, "qpdf --check '%s' >/dev/null 2>&1", path);
  T_INT_EQ(S_run_cmd(cmd), 0);
  snprintf(cmd, sizeof cmd,
           "pdftotext '%s' - | tr -s ' \\n' '  ' | grep -q 'Äpfel und Birnen, "
           "café crème Bold heading oblique mono_code() 上海 大阪'",
           path);
  T_INT_EQ(S_run_cmd(cmd), 0);
  /* five faces, each an embedded subset */
  snprintf(cmd, sizeof cmd,
           "pdffonts '%s' | awk 'NR>2 && ($(NF-4)!=\"yes\" || "
           "$(NF-3)!=\"yes\"){bad=1} NR>2{n++} END{exit bad || n!=5}'",
           path);
  T_INT_EQ(S_run_cmd(cmd), 0);
  quire_buf_dispose(&alone);
}

/* The subset program (paint/fonts_haru.c): only the glyphs asked for,
 * .notdef and the components of composite ones, renumbered, with sound
 * tables: loca ascending within glyf, every component a glyph of the
 * subset, the whole-font checksum 0xB1B0AFBA. */
static unsigned S_be16(const unsigned char *p) {
  return (unsigned)p[0] << 8 | p[1];
}
static unsigned long S_be32(const unsigned char *p) {
  return (unsigned long)S_be16(p) << 16 | S_be16(p + 2);
}

static void test_subset(void) {
  quire__hfont_paths paths;
  memset(&paths, 0, sizeof paths);
  snprintf(paths.face[0][0].path, sizeof paths.face[0][0].path, "%s",
           "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
  const quire__hfont_prog *p = quire__hfont_prog_get(&paths.face[0][0]);
  T_OK(p != NULL);
  if (!p)
    return;
  T_OK(quire__hfont_prog_get(&paths.face[0][0]) == p); /* read once */
  const quire__hfont_desc *d = quire__hfont_prog_desc(p);
  T_OK(d->nglyphs > 5000);
  T_OK(strcmp(d->name, "DejaVuSans,Book") == 0);
  T_INT_EQ(d->ascent, 928);
  T_INT_EQ(d->descent, -235);
  T_INT_EQ(d->flags, 32); /* nonsymbolic only */
  /* the descriptor's flags and angle of the other faces: bold forced as
   * libharu did, oblique italic at -11 degrees, mono fixed-pitch */
  static const struct {
    const char *file, *name;
    int flags, angle;
  } faces[] = {
      {"DejaVuSans-Bold.ttf", "DejaVuSans-Bold,Bold", 32 | 1 << 18, 0},
      {"DejaVuSans-Oblique.ttf", "DejaVuSans-Oblique,Oblique", 32 | 64, -11},
      {"DejaVuSansMono.ttf", "DejaVuSansMono,Book", 32 | 1, 0},
  };
  for (size_t k = 0; k < sizeof faces / sizeof faces[0]; k++) {
    quire__hfont_file other;
    memset(&other, 0, sizeof other);
    snprintf(other.path, sizeof other.path,
             "/usr/share/fonts/truetype/dejavu/%s", faces[k].file);
    const quire__hfont_prog *q = quire__hfont_prog_get(&other);
    T_OK(q != NULL);
    if (!q)
      continue;
    const quire__hfont_desc *qd = quire__hfont_prog_desc(q);
    T_STR_EQ(qd->name, faces[k].name);
    T_INT_EQ(qd->flags, faces[k].flags);
    T_INT_EQ(qd->italic_angle, faces[k].angle);
  }
  quire__lm_fonts lm;
  quire__lm_fonts_init(&lm, &paths);
  unsigned ga = quire__lm_glyph(&lm, 0, 0xC4),
           gx = quire__lm_glyph(&lm, 0, 'x');
  T_OK(ga > 0 && gx > 0);
  unsigned char *keep = calloc(d->nglyphs, 1), *f = NULL;
  uint16_t *newid = NULL;
  size_t n = 0;
  if (!keep)
    return;
  keep[ga] = keep[gx] = 1;
  T_INT_EQ(quire__hfont_subset(p, keep, &f, &n, &newid), 0);
  if (!f) {
    free(keep);
    return;
  }
  unsigned kept = 0;
  for (unsigned g = 0; g < d->nglyphs; g++)
    kept += keep[g];
  /* Ä is a composite: its parts were added */
  T_OK(kept >= 5 && kept < 10);
  T_OK(keep[0] && newid[0] == 0 && newid[ga] < kept && newid[gx] < kept);
  T_OK(newid[ga] != newid[gx]);
  unsigned long sum = 0;
  for (size_t i = 0; i + 4 <= n; i += 4)
    sum = (sum + S_be32(f + i)) & 0xFFFFFFFFUL;
  T_OK(n % 4 == 0 && sum == 0xB1B0AFBAUL);
  unsigned nt = S_be16(f + 4);
  const unsigned char *glyf = NULL, *loca = NULL, *maxp = NULL, *head = NULL;
  size_t glyf_len = 0, cmap = 0;
  for (unsigned i = 0; i < nt; i++) {
    const unsigned char *e = f + 12 + 16 * i;
    const unsigned char *t = f + S_be32(e + 8);
    T_OK(S_be32(e + 8) + S_be32(e + 12) <= n);
    if (!memcmp(e, "glyf", 4))
      glyf = t, glyf_len = S_be32(e + 12);
    if (!memcmp(e, "loca", 4))
      loca = t;
    if (!memcmp(e, "maxp", 4))
      maxp = t;
    if (!memcmp(e, "head", 4))
      head = t;
    if (!memcmp(e, "cmap", 4) || !memcmp(e, "name", 4))
      cmap++;
  }
  T_OK(glyf && loca && maxp && head && cmap == 0);
  if (glyf && loca && maxp && head) {
    T_INT_EQ(S_be16(maxp + 4), kept);
    T_INT_EQ(S_be16(head + 50), 1);
    int composites = 0, bad = 0;
    for (unsigned g = 0; g < kept; g++) {
      unsigned long a = S_be32(loca + 4 * g), b = S_be32(loca + 4 * g + 4);
      if (b < a || b > glyf_len)
        bad++;
      if (b - a >= 10 && (S_be16(glyf + a) & 0x8000)) {
        composites++;
        /* the first component's glyph index */
        if (S_be16(glyf + a + 12) >= kept)
          bad++;
      }
    }
    T_INT_EQ(S_be32(loca + 4 * kept), glyf_len);
    T_OK(composites >= 1);
    T_INT_EQ(bad, 0);
  }
  free(keep);
  free(f);
  free(newid);

  /* A cut or garbled file is refused, never read past its end. */
  const char *dir = getenv("TEST_OUT");
  char bad[512];
  snprintf(bad, sizeof bad, "%s/cut.ttf", dir ? dir : "/tmp");
  FILE *in = fopen(paths.face[0][0].path, "rb"), *out = fopen(bad, "wb");
  if (in && out) {
    static unsigned char buf[100000];
    size_t got = fread(buf, 1, sizeof buf, in);
    fwrite(buf, 1, got, out);
  }
  if (in)
    fclose(in);
  if (out)
    fclose(out);
  quire__hfont_file cut;
  memset(&cut, 0, sizeof cut);
  snprintf(cut.path, sizeof cut.path, "%s", bad);
  T_OK(quire__hfont_prog_get(&cut) == NULL);
  snprintf(bad, sizeof bad, "%s/garbage.ttf", dir ? dir : "/tmp");
  out = fopen(bad, "wb");
  if (out) {
    unsigned char g[4096];
    for (size_t i = 0; i < sizeof g; i++)
      g[i] = (unsigned char)(i * 131 + 7);
    memcpy(g, "\0\1\0\0\0\x40", 6); /* a TrueType tag, 64 tables */
    fwrite(g, 1, sizeof g, out);
    fclose(out);
  }
  snprintf(cut.path, sizeof cut.path, "%s", bad);
  T_OK(quire__hfont_prog_get(&cut) == NULL);
}

int main(void) {
  test_threads();
  test_subset();
  test_unibreak_inputs();
  test_bidi_fields();
  test_shared_font();
  test_arabic();
  test_cjk_ink();
  test_breaking();
  test_pdf();
  test_errors();
  return T_done("test_haru_engine");
}
