/* The lean libharu PDF engine: a quire__backend (layout/backend.h) that
 * measures with libharu's font metrics, breaks lines itself (UAX #14 via
 * libunibreak), orders and joins right-to-left text with fribidi and
 * paints through libharu. No glib, pango or fontconfig.
 * Renderers reach it through paint/paint.h; tests drive the backend
 * directly through this header. */
#ifndef QUIRE_PAINT_HARU_H
#define QUIRE_PAINT_HARU_H

#include "paint/paint.h"

typedef struct quire__haru quire__haru;

/*
 * A new engine writing one PDF to o->sink (see paint.h; o->paper and
 * o->dpi are not used). err is kept (borrowed) and filled by the first
 * failure of any later call, so it must outlive the engine; it may be
 * NULL. Errors: QUIRE_EFONT (no installed font), QUIRE_ENOMEM.
 */
int quire__haru_new(quire__haru **out, const quire__engine_opts *o,
                    quire_error *err);
void quire__haru_free(quire__haru *h);

/* The backend, valid as long as h. */
const quire__backend *quire__haru_backend(quire__haru *h);

#endif
