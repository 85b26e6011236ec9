#include "render/render.h"

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
