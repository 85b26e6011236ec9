/* The engine-neutral constructor (paint.h): one handle over whichever
 * engine was asked for. */
#include "paint/paint.h"

#ifdef QUIRE_HAVE_CAIRO
#include "paint/cairo.h"
#endif
#ifdef QUIRE_HAVE_HARU
#include "paint/haru.h"
#endif

#include <stdlib.h>

struct quire__engine {
  quire__engine_kind kind;
  void *impl;
  const quire__backend *be;
};

int quire__engine_new(quire__engine **out, quire__engine_kind kind,
                      const quire__engine_opts *o, quire_error *err) {
  *out = NULL;
  quire__engine *e = quire__calloc(1, sizeof *e);
  if (!e)
    return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  e->kind = kind;
  int rc = QUIRE_EUNSUPPORTED;
  switch (kind) {
  case QUIRE__ENGINE_CAIRO_PDF:
  case QUIRE__ENGINE_CAIRO_PNG: {
#ifdef QUIRE_HAVE_CAIRO
    quire__cairo *c = NULL;
    rc = quire__cairo_new(&c, kind == QUIRE__ENGINE_CAIRO_PNG, o, err);
    if (!rc) {
      e->impl = c;
      e->be = quire__cairo_backend(c);
    }
#else
    rc = quire__error_set(err, QUIRE_EUNSUPPORTED,
                          "%s output needs the cairo engine, not built in",
                          kind == QUIRE__ENGINE_CAIRO_PNG ? "png" : "pdf");
#endif
    break;
  }
  case QUIRE__ENGINE_HARU_PDF: {
#ifdef QUIRE_HAVE_HARU
    quire__haru *h = NULL;
    rc = quire__haru_new(&h, o, err);
    if (!rc) {
      e->impl = h;
      e->be = quire__haru_backend(h);
    }
#else
    rc = quire__error_set(err, QUIRE_EUNSUPPORTED,
                          "the libharu engine is not built in");
#endif
    break;
  }
  default:
    rc = quire__error_set(err, QUIRE_EINVAL, "unknown engine %d", (int)kind);
  }
  if (rc) {
    free(e);
    return rc;
  }
  *out = e;
  return 0;
}

void quire__engine_free(quire__engine *e) {
  if (!e)
    return;
  switch (e->kind) {
#ifdef QUIRE_HAVE_CAIRO
  case QUIRE__ENGINE_CAIRO_PDF:
  case QUIRE__ENGINE_CAIRO_PNG: quire__cairo_free(e->impl); break;
#endif
#ifdef QUIRE_HAVE_HARU
  case QUIRE__ENGINE_HARU_PDF: quire__haru_free(e->impl); break;
#endif
  default: break;
  }
  free(e);
}

const quire__backend *quire__engine_backend(const quire__engine *e) {
  return e->be;
}
