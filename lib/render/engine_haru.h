/* The lean libharu PDF engine: a quire__backend (layout/backend.h) that
 * measures with libharu's font metrics, breaks lines itself (UAX #14 via
 * libunibreak) and paints through libharu. No glib, pango or fontconfig.
 * pdf.c reaches it through render/engines.h (quire__haru_render); tests
 * drive the backend directly through this header. */
#ifndef QUIRE_ENGINE_HARU_H
#define QUIRE_ENGINE_HARU_H

#include "layout/backend.h"
#include "render/render.h"

typedef struct quire__haru quire__haru;

/*
 * A new engine writing one PDF to sink (at most max_output bytes; 0: the
 * default cap). families: body, heading, mono (theme names). warn may be
 * NULL. err is kept (borrowed) and filled by the first failure of any later
 * call, so it must outlive the engine; it may be NULL. A sink whose write
 * is NULL makes a measure-only engine (page counting).
 * Errors: QUIRE_EFONT (no installed font), QUIRE_ENOMEM, QUIRE_ETEMPLATE.
 */
int quire__haru_new(quire__haru **out, const char *const families[3],
                    quire_warn_fn warn, void *warn_payload, quire_sink sink,
                    size_t max_output, quire_error *err);
void quire__haru_free(quire__haru *h);

/* The backend, valid as long as h. */
const quire__backend *quire__haru_backend(quire__haru *h);

#endif
