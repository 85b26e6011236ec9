#include "render/render.h"

#include "template/theme.h"

#include <stddef.h>
#include <string.h>

quire_format quire_format_from_name(const char *name) {
  if (!name)
    return 0;
  if (strcmp(name, "text") == 0 || strcmp(name, "txt") == 0)
    return QUIRE_FORMAT_TEXT;
  if (strcmp(name, "html") == 0)
    return QUIRE_FORMAT_HTML;
  if (strcmp(name, "pdf") == 0)
    return QUIRE_FORMAT_PDF;
  if (strcmp(name, "png") == 0)
    return QUIRE_FORMAT_PNG;
  return 0;
}

const char *quire_format_name(quire_format fmt) {
  switch (fmt) {
  case QUIRE_FORMAT_TEXT: return "text";
  case QUIRE_FORMAT_HTML: return "html";
  case QUIRE_FORMAT_PDF: return "pdf";
  case QUIRE_FORMAT_PNG: return "png";
  }
  return "unknown";
}

static int S_check(const quire_doc *doc, const quire_render_options **opts,
                   quire_render_options *defaults, quire_error *err) {
  if (!doc)
    return quire__error_set(err, QUIRE_EINVAL, "doc is NULL");
  if (!*opts) {
    quire_render_options d = QUIRE_RENDER_OPTIONS_INIT;
    *defaults = d;
    *opts = defaults;
  } else if ((*opts)->version == 1) {
    /* A caller built before body existed: only its fields are read. */
    quire_render_options d = QUIRE_RENDER_OPTIONS_INIT;
    memcpy(&d, *opts, offsetof(quire_render_options, body));
    d.version = QUIRE_RENDER_OPTIONS_VERSION;
    *defaults = d;
    *opts = defaults;
  } else if ((*opts)->version != QUIRE_RENDER_OPTIONS_VERSION) {
    return quire__error_set(err, QUIRE_EINVAL,
                            "unsupported render options version %u",
                            (*opts)->version);
  } else if ((*opts)->body > QUIRE_BODY_BOTH) {
    return quire__error_set(err, QUIRE_EINVAL, "unknown body %d",
                            (int)(*opts)->body);
  }
  /* A mistyped --template or --templates must not quietly give the
   * default look. */
  return quire__template_check((*opts)->template_dir, (*opts)->template_name,
                               err);
}

int quire_render(const quire_doc *doc, quire_format fmt,
                 const quire_render_options *opts, quire_sink sink,
                 quire_error *err) {
  quire_render_options defaults;
  int rc = S_check(doc, &opts, &defaults, err);
  if (rc)
    return rc;
  if (!sink.write)
    return quire__error_set(err, QUIRE_EINVAL, "sink has no write function");
  switch (fmt) {
  case QUIRE_FORMAT_TEXT: return quire__render_text(doc, opts, sink, err);
  case QUIRE_FORMAT_HTML: return quire__render_html(doc, opts, sink, err);
  case QUIRE_FORMAT_PDF: return quire__render_pdf(doc, opts, sink, err);
  case QUIRE_FORMAT_PNG: return quire__render_png(doc, opts, sink, err);
  }
  return quire__error_set(err, QUIRE_EINVAL, "unknown format %d", (int)fmt);
}

int quire_render_buf(quire_buf *out, const quire_doc *doc, quire_format fmt,
                     const quire_render_options *opts, quire_error *err) {
  if (!out)
    return quire__error_set(err, QUIRE_EINVAL, "out is NULL");
  size_t before = out->size;
  int rc = quire_render(doc, fmt, opts, quire_sink_buf(out), err);
  if (rc)
    quire_buf_truncate(out, before);
  return rc;
}

int quire_render_png_pages(const quire_doc *doc,
                           const quire_render_options *opts, int first,
                           int last, quire_page_fn fn, void *payload,
                           quire_error *err) {
  quire_render_options defaults;
  if (!fn)
    return quire__error_set(err, QUIRE_EINVAL, "page callback is NULL");
  int rc = S_check(doc, &opts, &defaults, err);
  if (rc)
    return rc;
  return quire__render_png_pages(doc, opts, first, last, fn, payload, err);
}

int quire_render_page_count(int *out, const quire_doc *doc,
                            const quire_render_options *opts,
                            quire_error *err) {
  quire_render_options defaults;
  if (!out)
    return quire__error_set(err, QUIRE_EINVAL, "out is NULL");
  int rc = S_check(doc, &opts, &defaults, err);
  if (rc)
    return rc;
  return quire__render_page_count(out, doc, opts, err);
}
