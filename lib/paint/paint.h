/*
 * paint.h - the engines that measure and paint a page layout, behind
 * layout/backend.h: pango + cairo (PDF, and PNG through an image surface
 * and libpng) and libharu (the lean PDF engine). Engine-neutral: no
 * engine library's header here, so a renderer can choose an engine without
 * seeing one. Each engine exists only when built (QUIRE_HAVE_CAIRO,
 * QUIRE_HAVE_HARU); asking for a missing one is QUIRE_EUNSUPPORTED.
 */
#ifndef QUIRE_PAINT_H
#define QUIRE_PAINT_H

#include "core/fontmap.h"
#include "layout/backend.h"

typedef enum quire__engine_kind {
  QUIRE__ENGINE_CAIRO_PDF = 1,
  QUIRE__ENGINE_CAIRO_PNG, /* one PNG image per painted page */
  QUIRE__ENGINE_HARU_PDF
} quire__engine_kind;

/* What an engine is given. Pointers are borrowed for the engine's life. */
typedef struct quire__engine_opts {
  const quire__fontmap *fonts; /* the files the families may come from */
  const char *families[3];     /* body, heading, mono (theme names) */
  quire__color paper;          /* page background */
  double dpi;                  /* PNG resolution; <= 0: 96 */
  quire_warn_fn warn;          /* may be NULL */
  void *warn_payload;
  quire_sink sink;   /* write NULL: measure only (page count) */
  size_t max_output; /* output cap in bytes; 0: the default */
} quire__engine_opts;

typedef struct quire__engine quire__engine;

/*
 * A new engine of kind writing to o->sink. err is kept (borrowed) and
 * filled by the first failure of any later call, so it must outlive the
 * engine; it may be NULL. Errors: QUIRE_EFONT (no installed font),
 * QUIRE_ENOMEM, QUIRE_EUNSUPPORTED (kind not built in).
 */
int quire__engine_new(quire__engine **out, quire__engine_kind kind,
                      const quire__engine_opts *o, quire_error *err);
void quire__engine_free(quire__engine *e);

/* The engine's backend, valid as long as e. */
const quire__backend *quire__engine_backend(const quire__engine *e);

#endif
