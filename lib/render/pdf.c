/* PDF and PNG: load the template's theme, then hand the document to the
 * engine the options choose. Engine-neutral: no engine headers here. */
#include "render/engines.h"

#include "template/theme.h"

static int S_theme(quire__theme *theme, const quire_doc *doc,
                   const quire_render_options *opts, quire_error *err) {
  return quire__theme_load(
      theme, opts->template_dir,
      quire__template_dir_name(quire_doc_template(doc), opts->template_name),
      err);
}

static int S_run(const quire_doc *doc, const quire_render_options *opts,
                 quire_format fmt, quire_sink sink, int *page_count,
                 quire_error *err) {
  /* libharu paints PDF only; a build without cairo (make PDF=haru) uses
   * it for every PDF, whichever engine was asked for. */
  int haru = opts->engine == QUIRE_PDF_HARU;
#ifndef QUIRE_HAVE_CAIRO
  haru = haru || opts->engine == QUIRE_PDF_CAIRO;
#endif
  if (haru && fmt == QUIRE_FORMAT_PDF) {
    quire__theme theme;
    int rc = S_theme(&theme, doc, opts, err);
    return rc ? rc
              : quire__haru_render(doc, opts, &theme, sink, page_count, err);
  }
  if (opts->engine != QUIRE_PDF_CAIRO)
    return quire__error_set(err, QUIRE_EINVAL, "unknown PDF engine %d",
                            (int)opts->engine);
#ifdef QUIRE_HAVE_CAIRO
  quire__theme theme;
  int rc = S_theme(&theme, doc, opts, err);
  if (rc)
    return rc;
  return quire__cairo_render(doc, opts, &theme, fmt, sink, page_count, err);
#else
  (void)doc;
  (void)fmt;
  (void)sink;
  (void)page_count;
  (void)S_theme;
  return quire__error_set(err, QUIRE_EUNSUPPORTED,
                          "%s output needs the cairo engine, not built in",
                          fmt == QUIRE_FORMAT_PNG ? "png" : "pdf");
#endif
}

int quire__render_pdf(const quire_doc *doc, const quire_render_options *opts,
                      quire_sink sink, quire_error *err) {
  return S_run(doc, opts, QUIRE_FORMAT_PDF, sink, NULL, err);
}

static int S_png_check(const quire_render_options *opts, quire_error *err) {
  if (opts->dpi < 0 || opts->dpi > 1200)
    return quire__error_set(err, QUIRE_EINVAL, "dpi %g is outside 1..1200",
                            opts->dpi);
  return 0;
}

int quire__render_png_pages(const quire_doc *doc,
                            const quire_render_options *opts, int first,
                            int last, quire_page_fn fn, void *payload,
                            quire_error *err) {
  int rc = S_png_check(opts, err);
  if (rc)
    return rc;
  if (first < 1 || last < 0 || (last && last < first))
    return quire__error_set(err, QUIRE_EINVAL,
                            "pages %d-%d is not a page range", first, last);
#ifdef QUIRE_HAVE_CAIRO
  quire__theme theme;
  rc = S_theme(&theme, doc, opts, err);
  return rc ? rc
            : quire__cairo_png_pages(doc, opts, &theme, first, last, fn,
                                     payload, err);
#else
  (void)doc;
  (void)fn;
  (void)payload;
  return quire__error_set(err, QUIRE_EUNSUPPORTED,
                          "png output needs the cairo engine, not built in");
#endif
}

int quire__render_png(const quire_doc *doc, const quire_render_options *opts,
                      quire_sink sink, quire_error *err) {
  int rc = S_png_check(opts, err);
  if (rc)
    return rc;
  if (opts->page < 0)
    return quire__error_set(err, QUIRE_EINVAL, "page %d is not a page number",
                            opts->page);
  /* PNG always comes from the cairo engine, whatever opts->engine says. */
  quire_render_options o = *opts;
  o.engine = QUIRE_PDF_CAIRO;
  return S_run(doc, &o, QUIRE_FORMAT_PNG, sink, NULL, err);
}

int quire__render_page_count(int *out, const quire_doc *doc,
                             const quire_render_options *opts,
                             quire_error *err) {
  *out = 0;
  quire_sink none = {0};
  return S_run(doc, opts, QUIRE_FORMAT_PDF, none, out, err);
}
