/* The text policy in front of every PDF/PNG engine (paint/engine.c), and
 * the cairo engine's errors by their real cause:
 *  - through the gate, noncharacters and controls never reach an engine:
 *    the PDF is made and its text shows U+FFFD where they were, in the
 *    body, the document information and the bookmarks;
 *  - the cairo engine on its own (no gate) refuses a noncharacter, and
 *    says so by cairo's words, not "out of memory". */
#include "harness.h"
#include "internal.h"
#include "paint/paint.h"
#ifdef QUIRE_HAVE_CAIRO
#include "paint/cairo.h"
#endif
#include "template/fontmap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const S_fams[3] = {"DejaVu Sans", "DejaVu Sans",
                                      "DejaVu Sans Mono"};

static void S_opts(quire__engine_opts *o, quire_sink sink, quire_error *err) {
  memset(o, 0, sizeof *o);
  T_INT_EQ(quire__fontmap_builtin(&o->fonts, err), 0);
  for (int i = 0; i < 3; i++)
    o->families[i] = S_fams[i];
  o->paper.r = o->paper.g = o->paper.b = o->paper.a = 255;
  o->sink = sink;
}

static quire__run S_run(const char *text) {
  quire__run r;
  memset(&r, 0, sizeof r);
  r.text = text;
  r.len = strlen(text);
  r.role = QUIRE__FONT_BODY;
  r.size = 10;
  r.color.a = 255;
  return r;
}

/* Paints one page with para text `body`, title and bookmark `title`. */
static int S_paint(const quire__backend *be, const char *title,
                   const char *body) {
  quire__doc_meta meta = {0};
  meta.title = title;
  meta.author = title;
  int rc = be->begin_document(be->self, &meta);
  if (!rc)
    rc = be->begin_page(be->self, 0, 595, 842);
  if (!rc) {
    quire__run r = S_run(body);
    quire__para_spec spec = {.runs = &r,
                             .nruns = 1,
                             .width = 400,
                             .line_height = 14,
                             .align = QUIRE__ALIGN_LEFT};
    quire__para *p = NULL;
    rc = be->para_new(be->self, &p, &spec);
    if (!rc) {
      be->para_paint(be->self, p, 0, be->para_line_count(be->self, p), 50, 50);
      be->para_free(be->self, p);
    }
    be->outline(be->self, 0, title, 50);
    int rc2 = be->end_page(be->self);
    if (!rc)
      rc = rc2;
  }
  int rc3 = be->end_document(be->self);
  return rc ? rc : rc3;
}

static void S_pdftotext(const quire_buf *pdf, const char *name, char *out,
                        size_t size) {
  const char *dir = getenv("TEST_OUT");
  char path[512], cmd[2048];
  snprintf(path, sizeof path, "%s/%s.pdf", dir ? dir : "/tmp", name);
  FILE *fp = fopen(path, "wb");
  if (fp) {
    fwrite(pdf->ptr, 1, pdf->size, fp);
    fclose(fp);
  }
  snprintf(cmd, sizeof cmd,
           "(pdftotext '%s' -; pdfinfo '%s' | grep '^Title:'; "
           "qpdf --json --json-key=outlines '%s' 2>/dev/null | grep title) "
           "2>&1",
           path, path, path);
  FILE *p = popen(cmd, "r");
  size_t n = p ? fread(out, 1, size - 1, p) : 0;
  out[n] = '\0';
  if (p)
    pclose(p);
}

/* noncharacters, ESC, BEL, U+009B, RLO ... PDF */
#define S_HOSTILE                                                              \
  "A\xEF\xB7\x90"                                                              \
  "B\xEF\xBF\xBE"                                                              \
  "C\xF4\x8F\xBF\xBF"                                                          \
  "D\x1b[31mE\x07"                                                             \
  "F\xC2\x9B"                                                                  \
  "G\xE2\x80\xAEreversed\xE2\x80\xAC"                                          \
  "H"

static void test_gate(quire__engine_kind kind, const char *name) {
  quire_buf pdf = QUIRE_BUF_INIT;
  quire_error err;
  quire_error_clear(&err);
  quire__engine_opts o;
  S_opts(&o, quire_sink_buf(&pdf), &err);
  quire__engine *e = NULL;
  int rc = quire__engine_new(&e, kind, &o, &err);
  if (rc == QUIRE_EUNSUPPORTED) {
    printf("# %s not built in\n", name);
    return;
  }
  T_INT_EQ(rc, 0);
  if (rc)
    return;
  rc = S_paint(quire__engine_backend(e), S_HOSTILE, S_HOSTILE);
  T_CHECK(rc == 0, "%s: %d %s", name, rc, err.message);
  quire__engine_free(e);
  char text[4096];
  S_pdftotext(&pdf, name, text, sizeof text);
  /* body, title and bookmark: every control and noncharacter a U+FFFD,
   * the override gone ("reversed" reads as typed) */
  const char *want = "A\xEF\xBF\xBD"
                     "B\xEF\xBF\xBD"
                     "C\xEF\xBF\xBD"
                     "D\xEF\xBF\xBD[31mE\xEF\xBF\xBD"
                     "F\xEF\xBF\xBD"
                     "GreversedH";
  const char *at = strstr(text, want);
  T_CHECK(at != NULL, "%s: body text is not the cleaned text:\n%s", name, text);
  T_CHECK(at && strstr(at + 1, want) != NULL,
          "%s: title or bookmark not cleaned:\n%s", name, text);
  T_CHECK(!strstr(text, "\x1b") && !strstr(text, "\xC2\x9B") &&
              !strstr(text, "\xEF\xB7\x90") && !strstr(text, "desrever"),
          "%s: something passed:\n%s", name, text);
  quire_buf_dispose(&pdf);
}

static void test_cairo_cause(void) {
#ifdef QUIRE_HAVE_CAIRO
  quire_buf pdf = QUIRE_BUF_INIT;
  quire_error err;
  quire_error_clear(&err);
  quire__engine_opts o;
  S_opts(&o, quire_sink_buf(&pdf), &err);
  quire__cairo *c = NULL;
  T_INT_EQ(quire__cairo_new(&c, 0, &o, &err), 0);
  if (!c)
    return;
  /* cairo itself refuses a noncharacter in the glyphs' text */
  int rc = S_paint(quire__cairo_backend(c), "t", "x\xEF\xB7\x90y");
  quire__cairo_free(c);
  T_CHECK(rc == QUIRE_ERROR, "got %d (%s), want QUIRE_ERROR", rc,
          quire_strerror(rc));
  T_CHECK(strstr(err.message, "cairo: ") && !strstr(err.message, "memory"),
          "message: %s", err.message);
  quire_buf_dispose(&pdf);
#else
  printf("# no cairo in this build\n");
  T_OK(1);
#endif
}

/* The gate forwards every call the engine has: a pointer the engine sets
 * and the gate leaves NULL would silently switch a feature off (the
 * tagged PDF's structure did, for a moment). */
static void test_forwards(quire__engine_kind kind, const char *name) {
  quire_buf pdf = QUIRE_BUF_INIT;
  quire_error err;
  quire_error_clear(&err);
  quire__engine_opts o;
  S_opts(&o, quire_sink_buf(&pdf), &err);
  quire__engine *e = NULL;
  if (quire__engine_new(&e, kind, &o, &err) != 0)
    return;
  const quire__backend *g = quire__engine_backend(e);
  const quire__backend *raw = NULL;
#ifdef QUIRE_HAVE_CAIRO
  quire__cairo *c = NULL;
  if (kind == QUIRE__ENGINE_CAIRO_PDF && quire__cairo_new(&c, 0, &o, &err) == 0)
    raw = quire__cairo_backend(c);
#endif
  if (raw) {
    T_CHECK((g->tag != NULL) == (raw->tag != NULL), "%s: tag", name);
    T_CHECK((g->tag_alt != NULL) == (raw->tag_alt != NULL), "%s: tag_alt",
            name);
    T_CHECK(g->para_new && g->para_free && g->para_line_count && g->para_line &&
                g->begin_document && g->begin_page && g->para_paint &&
                g->rect && g->line && g->path && g->link && g->outline &&
                g->end_page && g->end_document,
            "%s: a call is missing", name);
  }
#ifdef QUIRE_HAVE_CAIRO
  quire__cairo_free(c);
#endif
  quire__engine_free(e);
  quire_buf_dispose(&pdf);
}

/* A whole report: the entity's RLO ... PDF used to make the PDF read
 * "desrever" and carry the dots and the date along; now the override is
 * gone and each field of the facts line is its own isolate. */
static void test_report(quire_pdf_engine engine, const char *name) {
  const char *json =
      "{\"id\":\"r\",\"createdAt\":\"2026-04-07T19:12:48Z\","
      "\"label\":\"Lbl\",\"entity\":{\"id\":\"e\",\"label\":"
      "\"Ent\\u202ereversed\\u202c\\u2066x\"},\"output\":{\"template\":"
      "\"general_report\"},\"json\":{\"schemaVersion\":2,\"title\":"
      "\"T\\u001b[2J\\u0007\",\"template\":\"general_report\","
      "\"sections\":[]}}";
  quire_doc *doc = NULL;
  quire_error err;
  quire_error_clear(&err);
  if (quire_doc_parse(&doc, json, strlen(json), NULL, &err) != 0) {
    T_CHECK(0, "parse: %s", err.message);
    return;
  }
  quire_render_options o = QUIRE_RENDER_OPTIONS_INIT;
  o.engine = engine;
  quire_buf pdf = QUIRE_BUF_INIT;
  int rc = quire_render_buf(&pdf, doc, QUIRE_FORMAT_PDF, &o, &err);
  quire_doc_free(doc);
  if (rc == QUIRE_EUNSUPPORTED) {
    quire_buf_dispose(&pdf);
    return;
  }
  T_CHECK(rc == 0, "%s: %s", name, err.message);
  char text[4096];
  S_pdftotext(&pdf, name, text, sizeof text);
  T_CHECK(strstr(text, "Entreversedx \xC2\xB7 7 April 2026 \xC2\xB7 Lbl") !=
              NULL,
          "%s: facts line:\n%s", name, text);
  T_CHECK(!strstr(text, "desrever") && !strstr(text, "\x1b"), "%s:\n%s", name,
          text);
  T_CHECK(strstr(text, "T\xEF\xBF\xBD[2J\xEF\xBF\xBD") != NULL,
          "%s: title:\n%s", name, text);
  quire_buf_dispose(&pdf);
}

int main(void) {
  test_report(QUIRE_PDF_CAIRO, "report_cairo");
  test_report(QUIRE_PDF_HARU, "report_haru");
  test_forwards(QUIRE__ENGINE_CAIRO_PDF, "cairo");
  test_gate(QUIRE__ENGINE_CAIRO_PDF, "gate_cairo");
  test_gate(QUIRE__ENGINE_HARU_PDF, "gate_haru");
  test_cairo_cause();
  return T_done("engine_gate");
}
