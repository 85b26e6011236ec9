/* json_fast.h - report JSON into jansson's tree without jansson's lexer
 * (internal). */
#ifndef QUIRE_DECODE_JSON_FAST_H
#define QUIRE_DECODE_JSON_FAST_H

#include "internal.h"

#include <jansson.h>
#include <stddef.h>

/* The tree json_loadb(data, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY)
 * would give, or NULL when the text is anything this does not take for
 * sure (then json_loadb decides, and says what is wrong). */
json_t *quire__json_fast(const char *data, size_t len);

#endif
