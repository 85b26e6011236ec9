/* The libharu engine driven directly through the backend interface
 * (layout/backend.h): line breaking rules, warnings, and a painted PDF
 * checked with qpdf, pdffonts and pdftotext. */
#include "harness.h"
#include "paint/haru.h"
#include "template/fontmap.h"

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

static quire__para *S_measure(quire__haru *h, const quire__run *runs, size_t n,
                              double width) {
  const quire__backend *be = quire__haru_backend(h);
  quire__para_spec spec = {runs, n, width, 14, QUIRE__ALIGN_LEFT, 0};
  quire__para *p = NULL;
  int rc = be->para_new(be->self, &p, &spec);
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
  T_OK(top > 0 && sub > top);
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

static void test_pdf(void) {
  warns w = {0, "", ""};
  quire_buf a = QUIRE_BUF_INIT, b = QUIRE_BUF_INIT;
  T_INT_EQ(S_render(&a, &w), 0);
  T_INT_EQ(S_render(&b, &w), 0);
  T_OK(a.size > 1000);
  T_OK(a.size == b.size && memcmp(a.ptr, b.ptr, a.size) == 0);
  const char *dir = getenv("TEST_OUT");
  char path[512], cmd[4096];
  snprintf(path, sizeof path, "%s/haru_engine.pdf", dir ? dir : "/tmp");
  FILE *fp = fopen(path, "wb");
  T_OK(fp != NULL);
  if (!fp)
    return;
  fwrite(a.ptr, 1, a.size, fp);
  fclose(fp);
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
    quire__alloc_fail_at(n);
    int r = S_render(&out, &w);
    quire__alloc_fail_at(0);
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
  const char *dir = getenv("TEST_OUT");
  char path[512], cmd[2048];
  snprintf(path, sizeof path, "%s/haru_cjk.pdf", dir ? dir : "/tmp");
  FILE *fp = fopen(path, "wb");
  if (fp) {
    fwrite(out.ptr, 1, out.size, fp);
    fclose(fp);
  }
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
  const char *dir = getenv("TEST_OUT");
  char path[512], cmd[1400];
  snprintf(path, sizeof path, "%s/bidi_fields.pdf", dir ? dir : "/tmp");
  FILE *fp = fopen(path, "wb");
  if (fp) {
    fwrite(pdf.ptr, 1, pdf.size, fp);
    fclose(fp);
  }
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
  const char *dir = getenv("TEST_OUT");
  char path[512], cmd[2048];
  snprintf(path, sizeof path, "%s/haru_shared.pdf", dir ? dir : "/tmp");
  FILE *fp = fopen(path, "wb");
  if (fp) {
    fwrite(out.ptr, 1, out.size, fp);
    fclose(fp);
  }
  snprintf(cmd, sizeof cmd,
           "qpdf --qdf --object-streams=disable '%s' - | tr -d ' \\n' | "
           "grep -a -q '/W\\[65\\[[0-9.]*\\]90\\['",
           path);
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
  const char *dir = getenv("TEST_OUT");
  char path[512], cmd[1100];
  snprintf(path, sizeof path, "%s/unibreak.pdf", dir ? dir : "/tmp");
  FILE *fp = fopen(path, "wb");
  if (fp) {
    fwrite(pdf.ptr, 1, pdf.size, fp);
    fclose(fp);
  }
  /* (the rest of the line is off the page, where pdftotext does not look) */
  snprintf(cmd, sizeof cmd,
           "qpdf --check '%s' >/dev/null && pdftotext '%s' - | grep -q '^Z'",
           path, path);
  T_CHECK(system(cmd) == 0, "%s: broken, or the long line is lost", path);
  quire_buf_dispose(&long_line);
  quire_buf_dispose(&pdf);
}

int main(void) {
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
