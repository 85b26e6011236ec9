/* Placeholder until the html renderer lands. */
#include "render/render.h"

int quire__render_html(const quire_doc *doc, const quire_render_options *opts,
                       quire_sink sink, quire_error *err) {
  (void)doc;
  (void)opts;
  (void)sink;
  return quire__error_set(err, QUIRE_EUNSUPPORTED, "html output is not built yet");
}
