/* CSS string escaping, for the one place report text enters a style
 * sheet: the running title in the print stylesheet's @page margin box
 * (Chromium has no string-set, so the title must be a literal). */
#ifndef QUIRE_ESCAPE_CSS_H
#define QUIRE_ESCAPE_CSS_H

#include "internal.h"

/*
 * Appends s (len bytes of UTF-8) to out as the inside of a double-quoted
 * CSS string that is also safe as raw text inside an HTML <style> element:
 * every ASCII byte outside letters, digits, space and a few inert
 * punctuation marks becomes a hex escape ("\22 " for a quote, "\3c " for <),
 * so neither the CSS string nor the element can be closed from inside.
 * Controls and line breaks become a space (a running title is one line).
 * At most max_bytes bytes of s are used, cut at a character boundary, with
 * an ellipsis appended when cut. Returns quire_buf_failed(out).
 */
int quire__escape_css_string(quire_buf *out, const char *s, size_t len,
                             size_t max_bytes);

#endif
