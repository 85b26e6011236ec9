/* Makes untrusted text safe to show on a terminal. Diagnostics quote report
 * keys, template names, server messages and file names; any of them may
 * carry escape sequences (retitle the window, clear the screen, hide text)
 * or bidi controls that make a line read differently from its bytes. */
#ifndef QUIRE_CLI_SANITIZE_H
#define QUIRE_CLI_SANITIZE_H

#include "quire.h"

#include <stddef.h>

/* Keep '\n' as is (multi-line output such as `inspect`); otherwise it is
 * escaped like every other control, so one message stays one line. */
#define CLI_SANITIZE_KEEP_NEWLINES 1u

/*
 * Appends s[0..len) to out with every C0 control, DEL, C1 control
 * (U+0080-U+009F) and bidi control (U+061C, U+200E, U+200F,
 * U+202A-U+202E, U+2066-U+2069) written visibly: "\x1b", "\u202e". Bytes
 * that are not valid UTF-8 become "\xNN". Everything else is copied.
 * Returns 0 or the buffer's failure code.
 */
int cli_sanitize(quire_buf *out, const char *s, size_t len, unsigned flags);

#endif
