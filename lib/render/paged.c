/* PDF and PNG: load the template's theme, choose an engine (paint/paint.h),
 * lay the document out on pages (render/page.c) and paint them. */
#include "render/page.h"
#include "render/render.h"

#include "paint/paint.h"

/* A render's theme, engine and layout, torn down together. */
typedef struct S_job {
  quire__theme theme;
  quire__engine *engine;
  quire__layout *layout;
  const quire__present *pres; /* the document's (present.h) */
} S_job;

static void S_job_dispose(S_job *j) {
  quire__layout_free(j->layout);
  quire__engine_free(j->engine);
}

/* Loads the theme, makes the engine writing to sink and lays doc out. */
static int S_job_init(S_job *j, const quire_doc *doc, const quire__look *look,
                      const quire_render_options *opts, quire__engine_kind kind,
                      quire_sink sink, quire_error *err) {
  j->engine = NULL;
  j->layout = NULL;
  j->pres = NULL;
  j->theme = look->theme;
  quire__engine_opts eo = {0};
  eo.fonts = look->fonts;
  const quire__theme *t = &j->theme;
  eo.families[0] = t->font_body;
  eo.families[1] = t->font_heading;
  eo.families[2] = t->font_mono;
  eo.paper = (quire__color){t->paper.r, t->paper.g, t->paper.b, 255};
  eo.dpi = opts->dpi;
  eo.warn = opts->warn;
  eo.warn_payload = opts->warn_payload;
  eo.sink = sink;
  eo.max_output = opts->max_output;
  int rc = quire__engine_new(&j->engine, kind, &eo, err);
  quire__present_opts po = {t->display_name, t->name,
                            opts->template_name != NULL, opts->body};
  if (!rc)
    rc = quire__present_get(&j->pres, doc, &po, err);
  if (!rc)
    rc = quire__page_layout_lang(&j->layout, doc, j->pres, t, opts->paper,
                                 opts->lang, quire__engine_backend(j->engine),
                                 err);
  if (rc)
    S_job_dispose(j);
  return rc;
}

/* The engine for a PDF: libharu when asked for, and in a build without
 * cairo (make PDF=haru) whichever engine was asked for. */
static int S_pdf_engine(quire__engine_kind *out,
                        const quire_render_options *opts, quire_error *err) {
  *out = QUIRE__ENGINE_CAIRO_PDF;
  int haru = opts->engine == QUIRE_PDF_HARU;
#ifndef QUIRE_HAVE_CAIRO
  haru = haru || opts->engine == QUIRE_PDF_CAIRO;
#endif
  if (haru) {
    *out = QUIRE__ENGINE_HARU_PDF;
    return 0;
  }
  if (opts->engine != QUIRE_PDF_CAIRO)
    return quire__error_set(err, QUIRE_EINVAL, "unknown PDF engine %d",
                            (int)opts->engine);
  return 0;
}

int quire__render_pdf(const quire_doc *doc, const quire__look *look,
                      const quire_render_options *opts, quire_sink sink,
                      quire_error *err) {
  quire__engine_kind kind;
  S_job j;
  int rc = S_pdf_engine(&kind, opts, err);
  if (!rc)
    rc = S_job_init(&j, doc, look, opts, kind, sink, err);
  if (rc)
    return rc;
  rc = quire__layout_paint(j.layout, quire__engine_backend(j.engine), 0,
                           quire__layout_page_count(j.layout), err);
  S_job_dispose(&j);
  return rc;
}

static int S_png_check(const quire_render_options *opts, quire_error *err) {
  if (opts->dpi < 0 || opts->dpi > 1200)
    return quire__error_set(err, QUIRE_EINVAL, "dpi %g is outside 1..1200",
                            opts->dpi);
  return 0;
}

int quire__render_png_pages(const quire_doc *doc, const quire__look *look,
                            const quire_render_options *opts, int first,
                            int last, quire_page_fn fn, void *payload,
                            quire_error *err) {
  int rc = S_png_check(opts, err);
  if (rc)
    return rc;
  if (first < 1 || last < 0 || (last && last < first))
    return quire__error_set(err, QUIRE_EINVAL,
                            "pages %d-%d is not a page range", first, last);
  quire_buf page = QUIRE_BUF_INIT;
  S_job j;
  rc = S_job_init(&j, doc, look, opts, QUIRE__ENGINE_CAIRO_PNG,
                  quire_sink_buf(&page), err);
  if (rc)
    return rc;
  int count = quire__layout_page_count(j.layout);
  if (last == 0)
    last = count;
  if (first > count || last > count)
    rc = quire__error_set(err, QUIRE_EINVAL,
                          "pages %d-%d: the document has %d page%s", first,
                          last, count, count == 1 ? "" : "s");
  /* One layout, painted page by page into the same buffer; each image is
   * handed over before the next page overwrites it. */
  for (int p = first; !rc && p <= last; p++) {
    quire_buf_clear(&page);
    rc = quire__layout_paint(j.layout, quire__engine_backend(j.engine), p - 1,
                             1, err);
    if (!rc && quire_buf_failed(&page))
      rc = quire__error_set(err, QUIRE_ENOMEM, "out of memory");
    if (!rc) {
      rc = fn(p, count, page.ptr, page.size, payload);
      if (rc)
        rc = quire__error_set(err, rc < 0 ? rc : QUIRE_EIO,
                              "page %d: the page callback failed", p);
    }
  }
  S_job_dispose(&j);
  quire_buf_dispose(&page);
  return rc;
}

int quire__render_png(const quire_doc *doc, const quire__look *look,
                      const quire_render_options *opts, quire_sink sink,
                      quire_error *err) {
  int rc = S_png_check(opts, err);
  if (rc)
    return rc;
  if (opts->page < 0)
    return quire__error_set(err, QUIRE_EINVAL, "page %d is not a page number",
                            opts->page);
  /* PNG always comes from the cairo engine, whatever opts->engine says. */
  S_job j;
  rc = S_job_init(&j, doc, look, opts, QUIRE__ENGINE_CAIRO_PNG, sink, err);
  if (rc)
    return rc;
  int page = opts->page > 0 ? opts->page : 1;
  if (page > quire__layout_page_count(j.layout))
    rc = quire__error_set(err, QUIRE_EINVAL,
                          "page %d is past the last page (%d)", page,
                          quire__layout_page_count(j.layout));
  else
    rc = quire__layout_paint(j.layout, quire__engine_backend(j.engine),
                             page - 1, 1, err);
  S_job_dispose(&j);
  return rc;
}

int quire__render_page_count(int *out, const quire_doc *doc,
                             const quire__look *look,
                             const quire_render_options *opts,
                             quire_error *err) {
  *out = 0;
  quire__engine_kind kind;
  quire_sink none = {0};
  S_job j;
  int rc = S_pdf_engine(&kind, opts, err);
  if (!rc)
    rc = S_job_init(&j, doc, look, opts, kind, none, err);
  if (rc)
    return rc;
  *out = quire__layout_page_count(j.layout);
  S_job_dispose(&j);
  return 0;
}
