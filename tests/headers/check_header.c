/* Compiles the public header alone, as C11 with -pedantic and as C++. */
#include "quire.h"

int quire_header_check(void);
int quire_header_check(void) {
  quire_buf b = QUIRE_BUF_INIT;
  quire_render_options r = QUIRE_RENDER_OPTIONS_INIT;
  quire_parse_options p = QUIRE_PARSE_OPTIONS_INIT;
  quire_renderer_options ro = QUIRE_RENDERER_OPTIONS_INIT;
  quire_renderer *renderer = NULL;
  (void)b;
  quire_renderer_free(renderer);
  return (int)r.version + (int)p.version + (int)ro.version;
}
