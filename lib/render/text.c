/* Placeholder until the text renderer lands. */
#include "render/render.h"

int quire__render_text(const quire_doc *doc, const quire_render_options *opts,
                       quire_sink sink, quire_error *err) {
  (void)doc;
  (void)opts;
  (void)sink;
  return quire__error_set(err, QUIRE_EUNSUPPORTED, "text output is not built yet");
}
