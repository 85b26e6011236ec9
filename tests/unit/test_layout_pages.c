/* The paged renderer (lib/render/page.c on lib/layout/page.c) driven by a
 * fake backend with fixed metrics: every glyph S_GLYPH pt wide, every line
 * max(line_height, S_LINE) pt tall, greedy breaks at spaces. Documents come
 * from small JSON reports parsed with quire_doc_parse. Checks the keep-together
 * rules (cards, action items, grid rows never cut; a heading never last on a
 * page; no lone first or last line of a paragraph on a page; a paragraph
 * taller than a page cut between lines), A4 against Letter, and that
 * every painting call stays inside the page box. No cairo: builds and
 * runs in `make PDF=haru` too. */
#include "harness.h"
#include "quire.h"

#include "render/page.h"

#include <stdlib.h>
#include <string.h>

#define S_GLYPH 5.0
#define S_LINE 10.0
#define S_MAX_LINES 4096
#define S_MAX_PAINTS 20000

/* ---- the fake engine ---- */

struct quire__para {
  char *text; /* all runs, concatenated */
  size_t nlines;
  double h[S_MAX_LINES], w[S_MAX_LINES];
  int id;
  double size; /* the first run's */
};

/* The contents' entries are set at this size: S_pages_of looks past them
 * for the headings they repeat. */
static double S_toc_size = -1;

typedef struct S_paint {
  int kind; /* 'p' para, 'r' rect, 'l' line, 'a' path */
  int page;
  const quire__para *para; /* 'p' (only while the layout lives) */
  char text[48];           /* 'p': the paragraph's first bytes */
  size_t first, count, nlines;
  double x, y, w, h;
  double size; /* 'p': the first run's font size */
} S_paint;

typedef struct S_fake {
  int page;      /* current page index, -1 outside */
  double pw, ph; /* current page size */
  int pages;     /* begin_page calls */
  int outside;   /* painting calls past the page box */
  int next_id;
  int links_to[64]; /* link_page calls: target pages */
  double links_y[64];
  int nlinks_to;
  S_paint paints[S_MAX_PAINTS];
  size_t npaints;
} S_fake;

static int S_para_new(void *self, quire__para **out,
                      const quire__para_spec *spec) {
  S_fake *f = self;
  quire__para *p = calloc(1, sizeof *p);
  size_t len = 0;
  for (size_t i = 0; i < spec->nruns; i++)
    len += spec->runs[i].len;
  if (!p || !(p->text = malloc(len + 1))) {
    free(p);
    return QUIRE_ENOMEM;
  }
  len = 0;
  for (size_t i = 0; i < spec->nruns; i++) {
    memcpy(p->text + len, spec->runs[i].text, spec->runs[i].len);
    len += spec->runs[i].len;
  }
  p->text[len] = '\0';
  p->id = f->next_id++;
  p->size = spec->nruns ? spec->runs[0].size : 0;
  double lh = spec->line_height > S_LINE ? spec->line_height : S_LINE;
  double maxw = spec->width > 0 ? spec->width : 1e9;
  /* Greedy: words (space-separated, counted in code points) fill a line;
   * a word wider than the box is cut between characters. */
  double cur = 0;
  size_t n = 0;
  const unsigned char *s = (const unsigned char *)p->text;
  size_t i = 0;
  while (i <= len && n < S_MAX_LINES) {
    if (i == len || s[i] == '\n') {
      p->w[n] = cur, p->h[n] = lh, n++;
      cur = 0;
      if (i == len)
        break;
      i++;
      continue;
    }
    size_t j = i;
    double ww = 0;
    while (j < len && s[j] != ' ' && s[j] != '\n') {
      if ((s[j] & 0xC0) != 0x80)
        ww += S_GLYPH;
      j++;
    }
    int space = j < len && s[j] == ' ';
    if (cur > 0 && cur + ww > maxw + 1e-9) {
      p->w[n] = cur, p->h[n] = lh, n++;
      cur = 0;
    }
    while (ww > maxw && n < S_MAX_LINES) { /* an over-long word */
      double fit = (double)(long)(maxw / S_GLYPH) * S_GLYPH;
      if (fit < S_GLYPH)
        fit = S_GLYPH;
      p->w[n] = fit, p->h[n] = lh, n++;
      ww -= fit;
    }
    cur += ww;
    if (space && cur + S_GLYPH <= maxw)
      cur += S_GLYPH;
    i = j + (space ? 1 : 0);
  }
  if (n == 0)
    p->w[0] = 0, p->h[0] = lh, n = 1;
  p->nlines = n;
  *out = p;
  return 0;
}

static void S_para_free(void *self, quire__para *p) {
  (void)self;
  if (p)
    free(p->text);
  free(p);
}

static size_t S_para_line_count(void *self, const quire__para *p) {
  (void)self;
  return p->nlines;
}

static void S_para_line(void *self, const quire__para *p, size_t i,
                        quire__line *out) {
  (void)self;
  out->height = p->h[i];
  out->baseline = p->h[i] * 0.8;
  out->width = p->w[i];
}

static int S_begin_document(void *self, const quire__doc_meta *m) {
  (void)self;
  (void)m;
  return 0;
}

static int S_begin_page(void *self, int index, double w, double h) {
  S_fake *f = self;
  f->page = index;
  f->pw = w;
  f->ph = h;
  f->pages++;
  return 0;
}

static S_paint *S_rec(S_fake *f, int kind, double x, double y, double w,
                      double h) {
  if (x < -0.01 || y < -0.01 || x + w > f->pw + 0.01 || y + h > f->ph + 0.01)
    f->outside++;
  if (f->npaints >= S_MAX_PAINTS)
    return NULL;
  S_paint *p = &f->paints[f->npaints++];
  memset(p, 0, sizeof *p);
  p->kind = kind;
  p->page = f->page;
  p->x = x, p->y = y, p->w = w, p->h = h;
  return p;
}

static void S_para_paint(void *self, const quire__para *para, size_t first,
                         size_t count, double x, double y) {
  S_fake *f = self;
  double h = 0, w = 0;
  for (size_t i = first; i < first + count && i < para->nlines; i++) {
    h += para->h[i];
    if (para->w[i] > w)
      w = para->w[i];
  }
  S_paint *p = S_rec(f, 'p', x, y, w, h);
  if (!p)
    return;
  p->para = para;
  p->size = para->size;
  snprintf(p->text, sizeof p->text, "%s", para->text);
  p->first = first;
  p->count = count;
  p->nlines = para->nlines;
}

static void S_rect(void *self, double x, double y, double w, double h, double r,
                   const quire__paint *paint) {
  (void)r;
  (void)paint;
  S_rec(self, 'r', x, y, w, h);
}

static void S_line(void *self, double x1, double y1, double x2, double y2,
                   double width, quire__color c) {
  (void)width;
  (void)c;
  S_rec(self, 'l', x1 < x2 ? x1 : x2, y1 < y2 ? y1 : y2,
        x1 < x2 ? x2 - x1 : x1 - x2, y1 < y2 ? y2 - y1 : y1 - y2);
}

static void S_path(void *self, const quire__seg *segs, size_t n,
                   const quire__paint *paint) {
  (void)paint;
  double x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;
  for (size_t i = 0; i < n; i++) {
    if (segs[i].op == QUIRE__SEG_CLOSE)
      continue;
    double xs[3] = {segs[i].x1, segs[i].x2, segs[i].x3};
    double ys[3] = {segs[i].y1, segs[i].y2, segs[i].y3};
    int k = segs[i].op == QUIRE__SEG_CUBIC ? 3 : 1;
    for (int j = 0; j < k; j++) {
      x0 = xs[j] < x0 ? xs[j] : x0, x1 = xs[j] > x1 ? xs[j] : x1;
      y0 = ys[j] < y0 ? ys[j] : y0, y1 = ys[j] > y1 ? ys[j] : y1;
    }
  }
  if (n)
    S_rec(self, 'a', x0, y0, x1 - x0, y1 - y0);
}

static void S_link(void *self, double x, double y, double w, double h,
                   const char *uri) {
  (void)uri;
  S_fake *f = self;
  if (x < -0.01 || y < -0.01 || x + w > f->pw + 0.01 || y + h > f->ph + 0.01)
    f->outside++;
}

static void S_link_page(void *self, double x, double y, double w, double h,
                        int page, double ty) {
  S_fake *f = self;
  if (x < -0.01 || y < -0.01 || x + w > f->pw + 0.01 || y + h > f->ph + 0.01)
    f->outside++;
  if (f->nlinks_to < 64) {
    f->links_y[f->nlinks_to] = ty;
    f->links_to[f->nlinks_to++] = page;
  }
}

static int S_outline(void *self, int parent, const char *title, double y) {
  (void)self;
  (void)parent;
  (void)title;
  (void)y;
  return 1;
}

static int S_end_page(void *self) {
  ((S_fake *)self)->page = -1;
  return 0;
}

static int S_end_document(void *self) {
  (void)self;
  return 0;
}

static void S_backend(quire__backend *be, S_fake *f) {
  memset(f, 0, sizeof *f);
  f->page = -1;
  memset(be, 0, sizeof *be);
  be->self = f;
  be->para_new = S_para_new;
  be->para_free = S_para_free;
  be->para_line_count = S_para_line_count;
  be->para_line = S_para_line;
  be->begin_document = S_begin_document;
  be->begin_page = S_begin_page;
  be->para_paint = S_para_paint;
  be->rect = S_rect;
  be->line = S_line;
  be->path = S_path;
  be->link = S_link;
  be->outline = S_outline;
  be->link_page = S_link_page;
  be->end_page = S_end_page;
  be->end_document = S_end_document;
}

/* ---- helpers ---- */

/* Lays json out on paper and paints every page into f. Returns pages. */
static int S_run(S_fake *f, const char *json, quire_paper paper) {
  static quire__backend be;
  S_backend(&be, f);
  quire_doc *doc = NULL;
  quire_error err;
  if (quire_doc_parse(&doc, json, strlen(json), NULL, &err)) {
    T_CHECK(0, "parse failed: %s", err.message);
    return -1;
  }
  quire__theme th;
  quire__theme_defaults(&th);
  S_toc_size = th.size_body * 0.95;
  quire__layout *lay = NULL;
  int pages = -1;
  quire__present *pres = NULL;
  quire__present_opts po = {th.display_name, th.name, 0, QUIRE_BODY_STRUCTURED};
  T_INT_EQ(quire__present_new(&pres, doc, &po, &err), 0);
  if (pres && quire__page_layout(&lay, doc, pres, &th, paper, &be, &err) == 0) {
    pages = quire__layout_page_count(lay);
    T_INT_EQ(quire__layout_paint(lay, &be, 0, pages, &err), 0);
    T_INT_EQ(f->pages, pages);
    quire__layout_free(lay);
  } else {
    T_CHECK(0, "layout failed: %s", err.message);
  }
  quire__present_free(pres);
  quire_doc_free(doc);
  return pages;
}

/* Pages on which paragraphs starting with prefix were painted, as a bit
 * set; *lines gets how many of their lines were painted in all and
 * *total how many they have. */
static unsigned long long S_pages_of(const S_fake *f, const char *prefix,
                                     size_t *lines, size_t *total) {
  unsigned long long set = 0;
  size_t l = 0, t = 0;
  const quire__para *seen[64];
  size_t nseen = 0;
  for (size_t i = 0; i < f->npaints; i++) {
    const S_paint *p = &f->paints[i];
    if (p->kind != 'p' || strncmp(p->text, prefix, strlen(prefix)) != 0 ||
        p->size == S_toc_size)
      continue;
    set |= 1ull << (p->page < 63 ? p->page : 63);
    l += p->count;
    int known = 0;
    for (size_t k = 0; k < nseen; k++)
      known |= seen[k] == p->para;
    if (!known && nseen < 64) {
      seen[nseen++] = p->para;
      t += p->nlines;
    }
  }
  if (lines)
    *lines = l;
  if (total)
    *total = t;
  return set;
}

static int S_popcount(unsigned long long v) {
  int n = 0;
  for (; v; v &= v - 1)
    n++;
  return n;
}

static int S_first_page(unsigned long long v) {
  for (int i = 0; i < 64; i++)
    if (v & (1ull << i))
      return i;
  return -1;
}

/* A JSON string of n words "<word>" separated by spaces. */
static void S_words(quire_buf *b, const char *word, int n) {
  for (int i = 0; i < n; i++)
    quire_buf_printf(b, "%s%s", i ? " " : "", word);
}

static void S_head(quire_buf *b) {
  quire_buf_puts(b, "{\"id\":\"r1\",\"createdAt\":\"2026-01-14T11:58:21Z\","
                    "\"label\":\"Layout test\",\"entity\":{\"id\":\"e1\","
                    "\"label\":\"Tester\"},\"output\":{\"template\":"
                    "\"general_report\"},\"markdown\":null,\"sections\":[");
}

/* ---- tests ---- */

/* Cards and grids among filler paragraphs: a card is never cut, the cards
 * of a grid row share a page, titles (headings) stay with what follows. */
static void S_test_cards(quire_paper paper) {
  quire_buf b = QUIRE_BUF_INIT;
  S_head(&b);
  for (int i = 0; i < 14; i++) {
    if (i)
      quire_buf_putc(&b, ',');
    quire_buf_printf(&b,
                     "{\"section_title\":\"HEAD%02d\",\"section_content\":"
                     "{\"type\":\"text\",\"content\":\"FILL%02d ",
                     i, i);
    S_words(&b, "filler", 40 + 17 * i);
    quire_buf_puts(&b, "\"}},");
    quire_buf_printf(&b,
                     "{\"section_title\":\"HEADC%02d\",\"section_content\":"
                     "{\"type\":\"card\",\"icon\":\"star\",\"title\":"
                     "\"CARDT%02d\",\"content\":\"CARDB%02d ",
                     i, i, i);
    S_words(&b, "cardword", 60 + 9 * i);
    quire_buf_puts(&b, "\"}},");
    quire_buf_printf(&b,
                     "{\"section_title\":\"HEADG%02d\",\"section_content\":"
                     "{\"type\":\"grid\",\"columns\":2,\"items\":[",
                     i);
    for (int c = 0; c < 2; c++) {
      quire_buf_printf(&b,
                       "%s{\"type\":\"card\",\"icon\":\"target\",\"title\":"
                       "\"GRIDT%02d%d\",\"content\":\"GRIDB%02d%d ",
                       c ? "," : "", i, c, i, c);
      S_words(&b, "gridword", 20 + 13 * c + 3 * i);
      quire_buf_puts(&b, "\"}");
    }
    quire_buf_puts(&b, "]}}");
  }
  quire_buf_puts(&b, "]}");
  T_OK(!quire_buf_failed(&b));
  S_fake *f = calloc(1, sizeof *f);
  int pages = S_run(f, b.ptr, paper);
  T_CHECK(pages > 3, "cards doc: %d pages", pages);
  T_INT_EQ(f->outside, 0);
  for (int i = 0; i < 14; i++) {
    char pre[32], pre2[32];
    size_t lines, total;
    /* a card: title and body on one page, every line painted */
    snprintf(pre, sizeof pre, "CARDT%02d", i);
    unsigned long long t = S_pages_of(f, pre, NULL, NULL);
    snprintf(pre, sizeof pre, "CARDB%02d", i);
    unsigned long long bd = S_pages_of(f, pre, &lines, &total);
    T_CHECK(S_popcount(t | bd) == 1, "card %d on %d pages", i,
            S_popcount(t | bd));
    T_CHECK(lines == total && total > 1, "card %d: %zu of %zu lines", i, lines,
            total);
    /* a grid row: both cards on one page */
    snprintf(pre, sizeof pre, "GRIDB%02d0", i);
    snprintf(pre2, sizeof pre2, "GRIDB%02d1", i);
    unsigned long long g =
        S_pages_of(f, pre, NULL, NULL) | S_pages_of(f, pre2, NULL, NULL);
    T_CHECK(S_popcount(g) == 1, "grid row %d on %d pages", i, S_popcount(g));
    /* headings: on the page where their block starts */
    snprintf(pre, sizeof pre, "HEADC%02d", i);
    T_CHECK(S_first_page(S_pages_of(f, pre, NULL, NULL)) ==
                S_first_page(t | bd),
            "card heading %d apart from its card", i);
    snprintf(pre, sizeof pre, "HEADG%02d", i);
    T_CHECK(S_first_page(S_pages_of(f, pre, NULL, NULL)) == S_first_page(g),
            "grid heading %d apart from its row", i);
    snprintf(pre, sizeof pre, "HEAD%02d", i);
    snprintf(pre2, sizeof pre2, "FILL%02d", i);
    T_CHECK(S_first_page(S_pages_of(f, pre, NULL, NULL)) ==
                S_first_page(S_pages_of(f, pre2, NULL, NULL)),
            "heading %d apart from its text", i);
  }
  free(f);
  quire_buf_dispose(&b);
}

/* Long paragraphs: split between lines with at least two lines on each
 * side of a cut; one taller than a page is cut, never overflows. */
static void S_test_paragraphs(quire_paper paper) {
  quire_buf b = QUIRE_BUF_INIT;
  quire_buf_puts(&b, "{\"json\":{\"schemaVersion\":2,\"title\":\"Paragraphs\","
                     "\"template\":\"general_report\",\"sections\":[");
  for (int i = 0; i < 12; i++) {
    quire_buf_printf(&b,
                     "%s{\"kind\":\"paragraph\",\"key\":\"k%d\",\"title\":"
                     "\"PHEAD%02d\",\"body\":\"PARA%02d ",
                     i ? "," : "", i, i, i);
    /* sizes that land paragraph ends all over the page */
    S_words(&b, "lorem", i == 5 ? 3000 : 70 + 53 * i);
    quire_buf_puts(&b, "\"}");
  }
  quire_buf_puts(&b, ",{\"kind\":\"actions\",\"key\":\"next\",\"title\":"
                     "\"AHEAD\",\"items\":[");
  for (int i = 0; i < 10; i++) {
    quire_buf_printf(&b, "%s{\"title\":\"ACTT%02d\",\"context\":\"ACTC%02d ",
                     i ? "," : "", i, i);
    S_words(&b, "step", 50 + 29 * i);
    quire_buf_puts(&b, "\"}");
  }
  quire_buf_puts(&b, "]}]}}");
  T_OK(!quire_buf_failed(&b));
  S_fake *f = calloc(1, sizeof *f);
  int pages = S_run(f, b.ptr, paper);
  T_CHECK(pages > 5, "paragraphs doc: %d pages", pages);
  T_INT_EQ(f->outside, 0);
  int split = 0;
  for (int i = 0; i < 12; i++) {
    char pre[32];
    size_t lines, total;
    snprintf(pre, sizeof pre, "PARA%02d", i);
    unsigned long long set = S_pages_of(f, pre, &lines, &total);
    T_CHECK(lines == total, "paragraph %d: %zu of %zu lines painted", i, lines,
            total);
    split += S_popcount(set) > 1;
    /* every piece of a cut paragraph has two lines or more */
    for (size_t k = 0; k < f->npaints; k++) {
      const S_paint *p = &f->paints[k];
      if (p->kind == 'p' && strncmp(p->text, pre, strlen(pre)) == 0 &&
          p->count < p->nlines)
        T_CHECK(p->count >= 2,
                "paragraph %d: a piece of %zu line(s) on "
                "page %d",
                i, p->count, p->page + 1);
    }
    snprintf(pre, sizeof pre, "PHEAD%02d", i);
    unsigned long long h = S_pages_of(f, pre, NULL, NULL);
    T_CHECK(S_popcount(h) == 1 && S_first_page(h) == S_first_page(set),
            "heading %d not on its paragraph's first page", i);
  }
  T_CHECK(split >= 3, "only %d paragraphs were cut across pages", split);
  size_t lines, total;
  unsigned long long big = S_pages_of(f, "PARA05", &lines, &total);
  T_CHECK(S_popcount(big) >= 3, "the 3000-word paragraph spans %d pages",
          S_popcount(big));
  for (int i = 0; i < 10; i++) {
    char pre[32];
    snprintf(pre, sizeof pre, "ACTT%02d", i);
    unsigned long long t = S_pages_of(f, pre, NULL, NULL);
    snprintf(pre, sizeof pre, "ACTC%02d", i);
    unsigned long long c = S_pages_of(f, pre, &lines, &total);
    T_CHECK(S_popcount(t | c) == 1, "action %d on %d pages", i,
            S_popcount(t | c));
    T_CHECK(lines == total, "action %d: %zu of %zu lines", i, lines, total);
  }
  free(f);
  quire_buf_dispose(&b);
}

/* The same document on A4 and Letter: the page size reaches the backend,
 * and Letter (shorter) takes at least as many pages for text that is
 * mostly line-bound. */
static void S_test_paper(void) {
  quire_buf b = QUIRE_BUF_INIT;
  quire_buf_puts(&b, "{\"json\":{\"schemaVersion\":2,\"title\":\"Paper\","
                     "\"template\":\"general_report\",\"sections\":[");
  for (int i = 0; i < 30; i++) {
    quire_buf_printf(&b,
                     "%s{\"kind\":\"paragraph\",\"key\":\"k%d\",\"title\":"
                     "\"T%d\",\"body\":\"short lines\\n\\nof text\\n\\n"
                     "one\\n\\ntwo\\n\\nthree\"}",
                     i ? "," : "", i, i);
  }
  quire_buf_puts(&b, "]}}");
  S_fake *f = calloc(1, sizeof *f);
  int a4 = S_run(f, b.ptr, QUIRE_PAPER_A4);
  T_CHECK(f->ph > 841 && f->ph < 842 && f->pw > 595 && f->pw < 596,
          "A4 page %gx%g", f->pw, f->ph);
  T_INT_EQ(f->outside, 0);
  int letter = S_run(f, b.ptr, QUIRE_PAPER_LETTER);
  T_CHECK(f->ph == 792 && f->pw == 612, "Letter page %gx%g", f->pw, f->ph);
  T_INT_EQ(f->outside, 0);
  T_CHECK(a4 > 1 && letter >= a4, "A4 %d pages, Letter %d", a4, letter);
  free(f);
  quire_buf_dispose(&b);
}

/* One unbreakable word longer than a page of lines, and a card taller than
 * a page: cut, painted in full, nothing outside the page. */
static void S_test_oversized(void) {
  quire_buf b = QUIRE_BUF_INIT;
  S_head(&b);
  quire_buf_puts(&b, "{\"section_title\":\"Huge card\",\"section_content\":"
                     "{\"type\":\"card\",\"icon\":\"star\",\"title\":\"BIGT\","
                     "\"content\":\"BIGB ");
  S_words(&b, "enormous", 2500);
  quire_buf_puts(&b, "\"}},{\"section_title\":\"Word\",\"section_content\":"
                     "{\"type\":\"text\",\"content\":\"LONGW");
  for (int i = 0; i < 20000; i++)
    quire_buf_putc(&b, 'x');
  quire_buf_puts(&b, "\"}}]}");
  S_fake *f = calloc(1, sizeof *f);
  int pages = S_run(f, b.ptr, QUIRE_PAPER_A4);
  T_CHECK(pages >= 4, "oversized doc: %d pages", pages);
  T_INT_EQ(f->outside, 0);
  size_t lines, total;
  unsigned long long s = S_pages_of(f, "BIGB", &lines, &total);
  T_CHECK(S_popcount(s) >= 2 && lines == total,
          "huge card body: %d pages, %zu of %zu lines", S_popcount(s), lines,
          total);
  s = S_pages_of(f, "LONGW", &lines, &total);
  T_CHECK(lines == total && total > 1, "long word: %zu of %zu lines", lines,
          total);
  free(f);
  quire_buf_dispose(&b);
}

/* ---- the layout alone, with boxes of known heights ---- */

/* A4 with a flow from 50 to 790 (740 pt). */
static quire__layout *S_bare(quire__backend *be, S_fake *f) {
  S_backend(be, f);
  quire__page_geom g = {595, 842, 50, 495, 50, 790, 0};
  quire__layout *lay = NULL;
  quire_error err;
  T_INT_EQ(quire__layout_new(&lay, be, &g, &err), 0);
  return lay;
}

/* An atomic box h tall holding one rectangle of width `tag` (to find it). */
static void S_bar(quire__layout *lay, double h, double gap, double tag,
                  int keep_next, int keep_prev) {
  quire__box b = {0};
  quire__color c = {0, 0, 0, 255};
  quire__box_rect(lay, &b, 50, 0, tag, h, 0, c, c, 0);
  b.h = h;
  b.gap = gap;
  b.atomic = 1;
  b.keep_next = keep_next;
  b.keep_prev = keep_prev;
  quire__layout_flow(lay, &b);
}

/* The page of the rectangle `tag` wide, -1 when none was painted. */
static int S_bar_page(const S_fake *f, double tag) {
  for (size_t i = 0; i < f->npaints; i++)
    if (f->paints[i].kind == 'r' && f->paints[i].w == tag)
      return f->paints[i].page;
  return -1;
}

static int S_bare_paint(quire__layout *lay, quire__backend *be, S_fake *f) {
  quire__furniture fu = {"foot", NULL, 8, {0, 0, 0, 255}, {0, 0, 0, 255}};
  quire__doc_meta m;
  memset(&m, 0, sizeof m);
  T_INT_EQ(quire__layout_finish(lay, &fu, &m), 0);
  int pages = quire__layout_page_count(lay);
  quire_error err;
  T_INT_EQ(quire__layout_paint(lay, be, 0, pages, &err), 0);
  T_INT_EQ(f->outside, 0);
  return pages;
}

/* A keep-with-previous box (an illustration after its section's text)
 * that does not fit takes the box before it along, and that one's
 * keep-with-next heading too; a group taller than a page does not. */
static void S_test_keep_prev(void) {
  static quire__backend be;
  S_fake *f = calloc(1, sizeof *f);
  quire__layout *lay = S_bare(&be, f);
  S_bar(lay, 560, 0, 101, 0, 0);  /* filler: 50..610 */
  S_bar(lay, 30, 10, 102, 1, 0);  /* heading: 620..650 */
  S_bar(lay, 90, 10, 103, 0, 0);  /* text: 660..750 */
  S_bar(lay, 120, 10, 104, 0, 1); /* illustration: does not fit */
  S_bar(lay, 300, 10, 105, 0, 0);
  int pages = S_bare_paint(lay, &be, f);
  T_INT_EQ(pages, 2);
  T_INT_EQ(S_bar_page(f, 101), 0);
  T_INT_EQ(S_bar_page(f, 102), 1);
  T_INT_EQ(S_bar_page(f, 103), 1);
  T_INT_EQ(S_bar_page(f, 104), 1);
  quire__layout_free(lay);
  /* the same group, 760 pt tall in all: left where it falls */
  lay = S_bare(&be, f);
  S_bar(lay, 560, 0, 101, 0, 0);
  S_bar(lay, 30, 10, 102, 1, 0);
  S_bar(lay, 600, 10, 103, 0, 0);
  S_bar(lay, 120, 10, 104, 0, 1);
  pages = S_bare_paint(lay, &be, f);
  T_INT_EQ(S_bar_page(f, 102), S_bar_page(f, 103));
  T_INT_EQ(S_bar_page(f, 104), 2);
  T_INT_EQ(pages, 3);
  quire__layout_free(lay);
  free(f);
}

/* A keep-with-previous box after a paragraph that may be cut: the
 * paragraph's last lines go over with it, the rest stays. */
static void S_test_keep_prev_cut(void) {
  static quire__backend be;
  S_fake *f = calloc(1, sizeof *f);
  quire__layout *lay = S_bare(&be, f);
  S_bar(lay, 400, 0, 501, 0, 0); /* 50..450 */
  char text[128] = "";
  for (int i = 0; i < 30; i++)
    strcat(text, i ? "\nL" : "L");
  quire__run r;
  memset(&r, 0, sizeof r);
  r.text = text;
  r.len = strlen(text);
  r.size = 10;
  r.color.a = 255;
  long p = quire__layout_para(lay, &r, 1, 400, 10, QUIRE__ALIGN_LEFT);
  quire__box b = {0};
  b.h = quire__box_para(lay, &b, p, 50, 0, 400); /* 300 pt: 450..750 */
  T_CHECK(b.h > 299 && b.h < 301, "paragraph %g pt", b.h);
  quire__layout_flow(lay, &b);
  S_bar(lay, 120, 10, 502, 0, 1); /* does not fit after it */
  T_INT_EQ(S_bare_paint(lay, &be, f), 2);
  T_INT_EQ(S_bar_page(f, 502), 1);
  size_t on0 = 0, on1 = 0;
  for (size_t i = 0; i < f->npaints; i++)
    if (f->paints[i].kind == 'p' && f->paints[i].text[0] == 'L')
      *(f->paints[i].page == 0 ? &on0 : &on1) += f->paints[i].count;
  T_CHECK(on0 + on1 == 30 && on0 >= 20 && on1 >= 2,
          "paragraph lines: %zu on page 1, %zu on page 2", on0, on1);
  quire__layout_free(lay);
  free(f);
}

/* A last page under 45 % full: tightening the gaps saves the page when it
 * can; otherwise, under a sixth full, the page before ends earlier and the
 * two share. */
static void S_test_last_fill(void) {
  static quire__backend be;
  S_fake *f = calloc(1, sizeof *f);
  /* nine 74 pt rows with 10 pt gaps: 746 pt, 736 pt at 90 % gaps */
  quire__layout *lay = S_bare(&be, f);
  for (int i = 0; i < 9; i++)
    S_bar(lay, 74, 10, 200 + i, 0, 0);
  T_INT_EQ(quire__layout_paginate(lay), 2);
  T_INT_EQ(S_bare_paint(lay, &be, f), 1);
  quire__layout_free(lay);
  /* a last page under 45 % full is saved too when the gaps allow: 31 rows
   * of 10 pt with 20 pt gaps are 910 pt (25 rows, then 6 on a page 22 %
   * full), 730 pt at 70 % gaps */
  lay = S_bare(&be, f);
  for (int i = 0; i < 31; i++)
    S_bar(lay, 10, 20, 150 + i, 0, 0);
  T_INT_EQ(quire__layout_paginate(lay), 2);
  T_INT_EQ(S_bare_paint(lay, &be, f), 1);
  quire__layout_free(lay);
  /* nine 80 pt rows: gaps cannot save the page; 7 + 2, not 8 + 1 */
  lay = S_bare(&be, f);
  for (int i = 0; i < 9; i++)
    S_bar(lay, 80, 10, 300 + i, 0, 0);
  T_INT_EQ(S_bare_paint(lay, &be, f), 2);
  T_INT_EQ(S_bar_page(f, 306), 0);
  T_INT_EQ(S_bar_page(f, 307), 1);
  T_INT_EQ(S_bar_page(f, 308), 1);
  quire__layout_free(lay);
  free(f);
}

/* A page reference before its target shows the target's page, set when
 * pages are known, and links there. */
static void S_test_pageref(void) {
  static quire__backend be;
  S_fake *f = calloc(1, sizeof *f);
  quire__layout *lay = S_bare(&be, f);
  quire__box b = {0};
  quire__run r;
  memset(&r, 0, sizeof r);
  r.size = 10;
  r.color.a = 255;
  quire__box_pageref(lay, &b, 400, 0, 100, 12, &r, 1);
  quire__box_pageref(lay, &b, 400, 12, 100, 12, &r, 0);
  b.h = 24;
  size_t at = quire__layout_mark(lay);
  S_bar(lay, 730, 0, 401, 0, 0);
  quire__box t = {0};
  quire__box_outline(lay, &t, "first", 1);
  quire__box_rect(lay, &t, 50, 0, 402, 10, 0, r.color, r.color, 0);
  t.h = 10;
  quire__layout_flow(lay, &t);
  S_bar(lay, 730, 0, 403, 0, 0);
  quire__box_outline(lay, &t, "second", 1);
  quire__box_rect(lay, &t, 50, 0, 404, 10, 0, r.color, r.color, 0);
  t.h = 10;
  quire__layout_flow(lay, &t);
  T_INT_EQ((int)quire__layout_outline_count(lay), 2);
  int lv = 0;
  T_STR_EQ(quire__layout_outline(lay, 1, &lv), "second");
  T_INT_EQ(lv, 1);
  quire__layout_insert(lay, at, &b); /* the contents, first */
  int pages = S_bare_paint(lay, &be, f);
  T_INT_EQ(pages, 3);
  T_INT_EQ(S_bar_page(f, 402), 1);
  T_INT_EQ(S_bar_page(f, 404), 2);
  int n3 = 0, n2 = 0;
  for (size_t i = 0; i < f->npaints; i++) {
    const S_paint *p = &f->paints[i];
    if (p->kind == 'p' && p->page == 0 && strcmp(p->text, "3") == 0)
      n3++;
    if (p->kind == 'p' && p->page == 0 && strcmp(p->text, "2") == 0)
      n2++;
  }
  T_INT_EQ(n3, 1);
  T_INT_EQ(n2, 1);
  T_INT_EQ(f->nlinks_to, 2);
  T_INT_EQ(f->links_to[0], 2);
  T_INT_EQ(f->links_to[1], 1);
  quire__layout_free(lay);
  free(f);
}

/* Contents: a report of 8 sections or more, or of 3 pages or more, has
 * them, with a link per section and the end matter to the page each is
 * on; a short report of few sections has none. */
static int S_painted(const S_fake *f, const char *text, int page) {
  int n = 0;
  for (size_t i = 0; i < f->npaints; i++)
    n += f->paints[i].kind == 'p' && strcmp(f->paints[i].text, text) == 0 &&
         (page < 0 || f->paints[i].page == page);
  return n;
}

static void S_test_contents(void) {
  for (int variant = 0; variant < 3; variant++) {
    int nsec = variant == 0 ? 10 : 3;
    int words = variant == 2 ? 900 : 20; /* 3 sections over 3+ pages */
    quire_buf b = QUIRE_BUF_INIT;
    quire_buf_puts(&b, "{\"json\":{\"schemaVersion\":2,\"title\":\"Toc\","
                       "\"template\":\"general_report\",\"sections\":[");
    for (int i = 0; i < nsec; i++) {
      quire_buf_printf(&b,
                       "%s{\"kind\":\"paragraph\",\"key\":\"k%d\",\"title\":"
                       "\"SEC%02d\",\"body\":\"",
                       i ? "," : "", i, i);
      S_words(&b, "word", words);
      quire_buf_puts(&b, "\"}");
    }
    quire_buf_puts(&b, "]}}");
    S_fake *f = calloc(1, sizeof *f);
    int pages = S_run(f, b.ptr, QUIRE_PAPER_A4);
    T_INT_EQ(f->outside, 0);
    if (variant == 1) {
      T_INT_EQ(pages, 1);
      T_INT_EQ(S_painted(f, "Contents", -1), 0);
      T_INT_EQ(f->nlinks_to, 0);
    } else {
      T_CHECK(variant == 0 || pages >= 3, "%d pages", pages);
      T_INT_EQ(S_painted(f, "Contents", 0), 1);
      T_INT_EQ(f->nlinks_to, nsec + 1); /* and "About this report" */
      for (int i = 0; i < nsec && i < f->nlinks_to; i++) {
        char t[16];
        snprintf(t, sizeof t, "SEC%02d", i);
        /* the section title as a heading, on the page the link names */
        int on = -1;
        for (size_t k = 0; k < f->npaints; k++)
          if (f->paints[k].kind == 'p' && f->paints[k].page > 0 &&
              strcmp(f->paints[k].text, t) == 0)
            on = f->paints[k].page;
        if (on < 0) /* on the first page, after the contents entry */
          for (size_t k = 0; k < f->npaints; k++)
            if (f->paints[k].kind == 'p' && strcmp(f->paints[k].text, t) == 0)
              on = f->paints[k].page;
        T_CHECK(f->links_to[i] == on, "%s: link to page %d, is on %d", t,
                f->links_to[i] + 1, on + 1);
        snprintf(t, sizeof t, "%d", f->links_to[i] + 1);
        T_CHECK(S_painted(f, t, 0) >= 1, "no page number %s painted", t);
      }
    }
    free(f);
    quire_buf_dispose(&b);
  }
}

int main(void) {
  quire_global_init();
  S_test_cards(QUIRE_PAPER_A4);
  S_test_cards(QUIRE_PAPER_LETTER);
  S_test_paragraphs(QUIRE_PAPER_A4);
  S_test_paragraphs(QUIRE_PAPER_LETTER);
  S_test_paper();
  S_test_oversized();
  S_test_keep_prev();
  S_test_keep_prev_cut();
  S_test_last_fill();
  S_test_pageref();
  S_test_contents();
  return T_done("layout pages");
}
