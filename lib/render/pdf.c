/* Placeholder until the page layout and PDF engines land. */
#include "render/render.h"

int quire__render_pdf(const quire_doc *doc, const quire_render_options *opts,
                      quire_sink sink, quire_error *err) {
  (void)doc;
  (void)opts;
  (void)sink;
  return quire__error_set(err, QUIRE_EUNSUPPORTED, "pdf output is not built yet");
}
int quire__render_png(const quire_doc *doc, const quire_render_options *opts,
                      quire_sink sink, quire_error *err) {
  (void)doc;
  (void)opts;
  (void)sink;
  return quire__error_set(err, QUIRE_EUNSUPPORTED, "png output is not built yet");
}
int quire__render_page_count(int *out, const quire_doc *doc,
                             const quire_render_options *opts,
                             quire_error *err) {
  (void)doc;
  (void)opts;
  *out = 0;
  return quire__error_set(err, QUIRE_EUNSUPPORTED, "pdf output is not built yet");
}
