/* quire__out: the capped output sink every renderer and engine writes
 * through (declared in internal.h). */
#include "internal.h"

#include <string.h>

void quire__out_init(quire__out *o, quire_sink sink, size_t max) {
  o->sink = sink;
  o->written = 0;
  o->max = max ? max : QUIRE__MAX_OUTPUT_DEFAULT;
  o->err = 0;
}

void quire__out_write(quire__out *o, const void *data, size_t len) {
  if (o->err || len == 0)
    return;
  if (len > o->max - o->written) {
    o->err = QUIRE_ETOOBIG;
    return;
  }
  int rc = o->sink.write(o->sink.payload, data, len);
  if (rc)
    o->err = rc;
  else
    o->written += len;
}

void quire__out_puts(quire__out *o, const char *s) {
  quire__out_write(o, s, strlen(s));
}
