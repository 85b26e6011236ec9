/* Report text on its way to a terminal: no byte of it may act as a control
 * code. Applied to every report string before any SGR is added. */
#ifndef QUIRE_TERM_SANITIZE_H
#define QUIRE_TERM_SANITIZE_H

#include "internal.h"

#define QUIRE__TS_KEEP_NL (1u << 0)  /* keep \n (else it becomes a space) */
#define QUIRE__TS_KEEP_TAB (1u << 1) /* keep \t (else it becomes a space) */

/*
 * Appends s (len bytes, any content) to out as text that is safe to print:
 * ESC, the other C0 controls, DEL and C1 controls (U+0080-U+009F, which
 * includes the 8-bit CSI/OSC/DCS introducers) become visible "\xNN" text,
 * so an escape sequence shows up as harmless printable characters; bidi
 * embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) are
 * removed; U+2028/U+2029 become spaces; invalid UTF-8 becomes U+FFFD.
 * Returns the first failure of out (0 when all went well).
 */
int quire__term_sanitize(quire_buf *out, const char *s, size_t len,
                         unsigned flags);

/* 1 when s holds nothing quire__term_sanitize would change (with flags). */
int quire__term_is_clean(const char *s, size_t len, unsigned flags);

#endif
