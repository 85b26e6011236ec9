/* json_fast.h - report JSON into jansson's tree without jansson's lexer
 * (internal). */
#ifndef QUIRE_DECODE_JSON_FAST_H
#define QUIRE_DECODE_JSON_FAST_H

#include "internal.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* The tree json_loadb(data, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY)
 * would give, or NULL when the text is anything this does not take for
 * sure (then json_loadb decides, and says what is wrong). It counts what
 * quire__json_estimate would (the same number, for a text it takes) and
 * stops with NULL once that is over limit; *bytes (when not NULL) is the
 * count reached. */
json_t *quire__json_fast(const char *data, size_t len, uint64_t limit,
                         uint64_t *bytes);

#endif
