/* Scripts, language and structure in the paged renderer (render/page.c)
 * and the text facts it relies on (safety/text_lang.h), over a fake
 * backend that records what is painted, tagged and declared: a
 * right-to-left heading's accent bar on its right, the document's language
 * guessed from the report or given, data tables tagged as tables and
 * figures with alternative text. No cairo or libharu: runs in every
 * build. */
#include "harness.h"
#include "quire.h"

#include "render/page.h"
#include "safety/text_lang.h"

#include <stdlib.h>
#include <string.h>

#define S_MAX 4096

struct quire__para {
  char text[64];
  double w;
};

typedef struct S_rec {
  int kind; /* 'p' paragraph, 'l' line, 't' tag begin, 'e' tag end */
  char text[64];
  double x1, x2, y, width;
} S_rec;

typedef struct S_fake {
  S_rec recs[S_MAX];
  size_t n;
  char lang[40];
} S_fake;

static S_rec *S_add(S_fake *f, int kind) {
  if (f->n >= S_MAX)
    return NULL;
  S_rec *r = &f->recs[f->n++];
  memset(r, 0, sizeof *r);
  r->kind = kind;
  return r;
}

static int S_para_new(void *self, quire__para **out,
                      const quire__para_spec *spec) {
  (void)self;
  quire__para *p = calloc(1, sizeof *p);
  if (!p)
    return QUIRE_ENOMEM;
  size_t at = 0, cps = 0;
  for (size_t i = 0; i < spec->nruns; i++)
    for (size_t k = 0; k < spec->runs[i].len; k++) {
      char c = spec->runs[i].text[k];
      if (at + 1 < sizeof p->text)
        p->text[at++] = c;
      cps += ((unsigned char)c & 0xC0) != 0x80;
    }
  p->w = cps * 5.0;
  if (spec->width > 0 && p->w > spec->width)
    p->w = spec->width;
  *out = p;
  return 0;
}

static void S_para_free(void *self, quire__para *p) {
  (void)self;
  free(p);
}

static size_t S_para_line_count(void *self, const quire__para *p) {
  (void)self;
  (void)p;
  return 1;
}

static void S_para_line(void *self, const quire__para *p, size_t i,
                        quire__line *out) {
  (void)self;
  (void)i;
  out->height = 12;
  out->baseline = 10;
  out->width = p->w;
}

static int S_begin_document(void *self, const quire__doc_meta *m) {
  S_fake *f = self;
  snprintf(f->lang, sizeof f->lang, "%s", m && m->lang ? m->lang : "");
  return 0;
}

static int S_begin_page(void *self, int index, double w, double h) {
  (void)self, (void)index, (void)w, (void)h;
  return 0;
}

static void S_para_paint(void *self, const quire__para *para, size_t first,
                         size_t count, double x, double y) {
  (void)first, (void)count;
  S_rec *r = S_add(self, 'p');
  if (!r)
    return;
  snprintf(r->text, sizeof r->text, "%s", para->text);
  r->x1 = x;
  r->y = y;
}

static void S_rect(void *self, double x, double y, double w, double h, double r,
                   const quire__paint *paint) {
  (void)r, (void)paint;
  S_rec *rec = S_add(self, 'r');
  if (!rec)
    return;
  rec->x1 = x;
  rec->x2 = x + w;
  rec->y = y;
  rec->width = h;
}

static void S_line(void *self, double x1, double y1, double x2, double y2,
                   double width, quire__color c) {
  (void)y2, (void)c;
  S_rec *r = S_add(self, 'l');
  if (!r)
    return;
  r->x1 = x1;
  r->x2 = x2;
  r->y = y1;
  r->width = width;
}

static void S_path(void *self, const quire__seg *segs, size_t n,
                   const quire__paint *paint) {
  (void)self, (void)segs, (void)n, (void)paint;
}

static void S_link(void *self, double x, double y, double w, double h,
                   const char *uri) {
  (void)self, (void)x, (void)y, (void)w, (void)h, (void)uri;
}

static int S_outline(void *self, int parent, const char *title, double y) {
  (void)self, (void)parent, (void)title, (void)y;
  return 1;
}

static void S_tag(void *self, const char *name, int begin) {
  S_rec *r = S_add(self, begin ? 't' : 'e');
  if (r)
    snprintf(r->text, sizeof r->text, "%s", name);
}

static int S_end_page(void *self) {
  (void)self;
  return 0;
}

static int S_end_document(void *self) {
  (void)self;
  return 0;
}

/* Lays json out and paints it into f; the content box into *left,
 * *width. Returns 0 on success. */
static int S_run(S_fake *f, const char *json, const char *lang, double *left,
                 double *width) {
  static quire__backend be;
  memset(f, 0, sizeof *f);
  memset(&be, 0, sizeof be);
  be.self = f;
  be.para_new = S_para_new;
  be.para_free = S_para_free;
  be.para_line_count = S_para_line_count;
  be.para_line = S_para_line;
  be.begin_document = S_begin_document;
  be.begin_page = S_begin_page;
  be.para_paint = S_para_paint;
  be.rect = S_rect;
  be.line = S_line;
  be.path = S_path;
  be.link = S_link;
  be.outline = S_outline;
  be.tag = S_tag;
  be.end_page = S_end_page;
  be.end_document = S_end_document;
  quire_doc *doc = NULL;
  quire_error err;
  if (quire_doc_parse(&doc, json, strlen(json), NULL, &err)) {
    T_CHECK(0, "parse failed: %s", err.message);
    return -1;
  }
  quire__theme th;
  quire__theme_defaults(&th);
  double m = th.margin_mm * 72 / 25.4;
  *left = m;
  *width = 595.2756 - 2 * m;
  quire__layout *lay = NULL;
  quire__present *pres = NULL;
  quire__present_opts po = {th.display_name, th.name, 0, QUIRE_BODY_STRUCTURED};
  int rc = quire__present_new(&pres, doc, &po, &err);
  if (!rc)
    rc = quire__page_layout_lang(&lay, doc, pres, &th, QUIRE_PAPER_A4, lang,
                                 &be, &err);
  if (!rc) {
    rc = quire__layout_paint(lay, &be, 0, quire__layout_page_count(lay), &err);
    quire__layout_free(lay);
  }
  T_CHECK(rc == 0, "layout failed: %s", err.message);
  quire__present_free(pres);
  quire_doc_free(doc);
  return rc;
}

/* The accent mark of the heading whose text starts with title: a short
 * rule or bar (20-40 pt long, at most 3 pt thick) within 20 pt above or
 * below the heading's text. Its left end, or -1. */
static double S_bar_x(const S_fake *f, const char *title) {
  for (size_t i = 0; i < f->n; i++) {
    const S_rec *p = &f->recs[i];
    if (p->kind != 'p' || strncmp(p->text, title, strlen(title)) != 0)
      continue;
    for (size_t k = i > 8 ? i - 8 : 0; k < f->n && k < i + 8; k++) {
      const S_rec *r = &f->recs[k];
      double len = r->x2 - r->x1;
      if ((r->kind == 'l' || r->kind == 'r') && len >= 20 && len <= 40 &&
          r->width <= 3 && r->y > p->y - 20 && r->y < p->y + 20)
        return r->x1;
    }
  }
  return -1;
}

static const char S_two_headings[] =
    "{\"id\":\"r1\",\"createdAt\":\"2026-01-14T11:58:21Z\",\"output\":"
    "{\"template\":\"general_report\"},\"json\":{\"schemaVersion\":2,"
    "\"title\":\"Scripts\",\"template\":\"general_report\",\"sections\":["
    "{\"kind\":\"paragraph\",\"key\":\"a\",\"title\":\"Handling \xd8\xa7\xd9"
    "\x84\xd8\xb5\xd8\xb9\xd9\x88\xd8\xa8\xd8\xa7\xd8\xaa\",\"body\":\"Text.\"}"
    ","
    "{\"kind\":\"paragraph\",\"key\":\"b\",\"title\":\"\xd8\xa7\xd9\x84\xd8\xb5"
    "\xd8\xb9\xd9\x88\xd8\xa8\xd8\xa7\xd8\xaa \xe2\x80\x94 the hard parts\","
    "\"body\":\"Text.\"}]}}";

static void S_test_rtl_heading(void) {
  S_fake *f = calloc(1, sizeof *f);
  double left, width;
  if (!f || S_run(f, S_two_headings, NULL, &left, &width) != 0) {
    free(f);
    return;
  }
  double ltr = S_bar_x(f, "Handling");
  double rtl = S_bar_x(f, "\xd8\xa7\xd9\x84");
  T_CHECK(ltr > left - 0.01 && ltr < left + 0.01,
          "a left-to-right heading's bar starts at the left edge: %g, want %g",
          ltr, left);
  T_CHECK(rtl > left + width - 40 && rtl < left + width - 19,
          "a right-to-left heading's bar is at the right edge: %g, want "
          "about %g",
          rtl, left + width - 26);
  free(f);
}

static void S_test_direction(void) {
  T_INT_EQ(quire__text_rtl("abc", 3), 0);
  T_INT_EQ(quire__text_rtl("", 0), 0);
  T_INT_EQ(quire__text_rtl("\xd8\xa7 abc", 6), 1);     /* Arabic first */
  T_INT_EQ(quire__text_rtl("12. \xd7\x90 a", 8), 1);   /* digits skipped */
  T_INT_EQ(quire__text_rtl("\xc2\xab\xd7\x90", 4), 1); /* « then Hebrew */
  T_INT_EQ(quire__text_rtl("\xe2\x80\x94 a \xd8\xa7", 8), 0);
  T_INT_EQ(quire__text_rtl("\xe4\xb8\x8a \xd8\xa7", 6), 0); /* Han is L */
}

static const char *S_guess(const char *head, const char *body) {
  return quire__text_lang(head, head ? strlen(head) : 0, body,
                          body ? strlen(body) : 0);
}

static void S_test_guess(void) {
  const char *en = "She asked for the terms twice before she would talk "
                   "about the expansion, and her team has a veto.";
  const char *fr = "Elle a demand\xc3\xa9 les conditions deux fois avant "
                   "de parler de l'extension, et son \xc3\xa9quipe a un "
                   "droit de veto.";
  T_STR_EQ(S_guess(NULL, en), "en");
  T_STR_EQ(S_guess(NULL, fr), "fr");
  /* The title decides when it is clear: a French report quoting English. */
  T_STR_EQ(S_guess("Rapport g\xc3\xa9n\xc3\xa9ral : Ana\xc3\xafs "
                   "Gon\xc3\xa7\x61lves-Morel \xe2\x80\x94 Plateforme de "
                   "donn\xc3\xa9\x65s",
                   en),
           "fr");
  /* A title without function words leaves it to the body. */
  T_STR_EQ(S_guess("Sales playbook: Marguerite Okafor", en), "en");
  T_STR_EQ(S_guess(NULL, "Der Kunde will zuerst die Preise sehen, und er "
                         "ist nicht bereit zu warten."),
           "de");
  T_STR_EQ(S_guess(NULL, "El cliente quiere ver los precios y no est\xc3\xa1 "
                         "dispuesto a esperar para la firma."),
           "es");
  T_STR_EQ(S_guess(NULL, "\xd8\xa7\xd9\x84\xd8\xaa\xd8\xb9\xd8\xa7\xd9\x85"
                         "\xd9\x84 \xd9\x85\xd8\xb9 \xd8\xa7\xd9\x84\xd8\xb5"),
           "ar");
  T_STR_EQ(S_guess(NULL, "\xd0\x9a\xd0\xb0\xd0\xba \xd0\xbe\xd0\xbd\xd0\xb0 "
                         "\xd0\xb2\xd1\x8b\xd1\x81\xd1\x82\xd1\x80\xd0\xb0"),
           "ru");
  T_STR_EQ(S_guess(NULL, "\xe5\xbd\xbc\xe5\xa5\xb3\xe3\x81\xae\xe5\x8a\x9b"
                         "\xe3\x82\x92\xe5\xbc\x95\xe3\x81\x8d\xe5\x87\xba"),
           "ja");
  T_OK(S_guess(NULL, "Q3 2026: 42%") == NULL);
  T_OK(S_guess(NULL, NULL) == NULL);
  T_INT_EQ(quire__lang_tag_ok("pt-BR"), 1);
  T_INT_EQ(quire__lang_tag_ok("en)/Foo ("), 0);
  T_INT_EQ(quire__lang_tag_ok("-en"), 0);
  T_INT_EQ(quire__lang_tag_ok(""), 0);
}

static const char S_french[] =
    "{\"id\":\"r2\",\"createdAt\":\"2026-01-14T11:58:21Z\",\"label\":"
    "\"R\xc3\xa9tro plateforme \xe2\x80\x94 mai 2026\",\"output\":"
    "{\"template\":\"general_report\"},\"json\":{\"schemaVersion\":2,"
    "\"title\":\"Rapport g\xc3\xa9n\xc3\xa9ral de l'\xc3\xa9quipe\","
    "\"template\":\"general_report\",\"sections\":[{\"kind\":\"paragraph\","
    "\"key\":\"a\",\"title\":\"How she thinks\",\"body\":\"She makes "
    "the trade-offs explicit and asks the quiet sites first.\"}]}}";

/* The document's language reaches the engine (PDF /Lang): guessed, or the
 * caller's; and the HTML says the same. */
static void S_test_doc_lang(void) {
  S_fake *f = calloc(1, sizeof *f);
  double left, width;
  if (f && S_run(f, S_french, NULL, &left, &width) == 0)
    T_STR_EQ(f->lang, "fr");
  if (f && S_run(f, S_two_headings, NULL, &left, &width) == 0)
    T_STR_EQ(f->lang, "en");
  if (f && S_run(f, S_french, "de-CH", &left, &width) == 0)
    T_STR_EQ(f->lang, "de-CH");
  free(f);

  quire_doc *doc = NULL;
  quire_error err;
  if (quire_doc_parse(&doc, S_french, strlen(S_french), NULL, &err)) {
    T_CHECK(0, "parse: %s", err.message);
    return;
  }
  quire_buf html = QUIRE_BUF_INIT;
  T_INT_EQ(quire_render_buf(&html, doc, QUIRE_FORMAT_HTML, NULL, &err), 0);
  T_OK(html.ptr && strstr(html.ptr, "<html lang=\"fr\"") != NULL);
  quire_buf_clear(&html);
  quire_render_options o = QUIRE_RENDER_OPTIONS_INIT;
  o.lang = "pt-BR";
  T_INT_EQ(quire_render_buf(&html, doc, QUIRE_FORMAT_HTML, &o, &err), 0);
  T_OK(html.ptr && strstr(html.ptr, "<html lang=\"pt-BR\"") != NULL);
  quire_buf_clear(&html);
  o.lang = "fr\"><script>";
  T_INT_EQ(quire_render_buf(&html, doc, QUIRE_FORMAT_HTML, &o, &err),
           QUIRE_EINVAL);
  /* Options from before lang (version 2) are still read: guessed. */
  o.version = 2;
  quire_buf_clear(&html);
  T_INT_EQ(quire_render_buf(&html, doc, QUIRE_FORMAT_HTML, &o, &err), 0);
  T_OK(html.ptr && strstr(html.ptr, "<html lang=\"fr\"") != NULL);
  quire_buf_dispose(&html);
  quire_doc_free(doc);
}

/* Begins of tag name among f's records. */
static int S_tags(const S_fake *f, const char *name) {
  int n = 0;
  for (size_t i = 0; i < f->n; i++)
    n += f->recs[i].kind == 't' && strcmp(f->recs[i].text, name) == 0;
  return n;
}

/* Key/value data (an unknown block's fields) is a table: rows TR, keys
 * TH, values TD, inside Table. */
static void S_test_tables(void) {
  static const char json[] =
      "{\"id\":\"r3\",\"createdAt\":\"2026-05-06T09:00:00Z\",\"label\":"
      "\"Radar\",\"output\":{\"template\":\"general_report\"},\"sections\":"
      "[{\"section_title\":\"Radar\",\"section_content\":{\"type\":"
      "\"radar\",\"axes\":{\"pace\":0.4,\"warmth\":{\"self\":0.8,"
      "\"peer\":0.6}}}}]}";
  S_fake *f = calloc(1, sizeof *f);
  double left, width;
  if (f && S_run(f, json, NULL, &left, &width) == 0) {
    /* pace, warmth (a heading row: a header cell alone), self, peer, ...;
     * "About this report" is tables too (its first group, the fields). */
    T_CHECK(S_tags(f, "Table") >= 2, "tables: %d", S_tags(f, "Table"));
    T_CHECK(S_tags(f, "TR") >= 4, "rows: %d", S_tags(f, "TR"));
    T_CHECK(S_tags(f, "TH") == S_tags(f, "TR"), "key cells: %d",
            S_tags(f, "TH"));
    T_CHECK(S_tags(f, "TD") >= 3 && S_tags(f, "TD") < S_tags(f, "TR"),
            "value cells: %d", S_tags(f, "TD"));
  }
  free(f);
}

int main(void) {
  quire_global_init();
  S_test_direction();
  S_test_rtl_heading();
  S_test_guess();
  S_test_doc_lang();
  S_test_tables();
  return T_done("page scripts");
}
