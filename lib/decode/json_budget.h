/* json_budget.h - jansson's memory for a JSON text, estimated first
 * (internal). */
#ifndef QUIRE_DECODE_JSON_BUDGET_H
#define QUIRE_DECODE_JSON_BUDGET_H

#include <stddef.h>
#include <stdint.h>

typedef struct quire__json_cost {
  uint64_t values; /* objects, arrays, strings and keys, scalars */
  uint64_t bytes;  /* what jansson would allocate for them */
  size_t depth;    /* deepest nesting of objects and arrays */
} quire__json_cost;

/* Bytes jansson 2.14 (Debian 12) holds per value, measured with
 * /usr/bin/time on a million of each in one array: an empty object 228
 * (its hashtable), an array 130, a number 40, a string 80 plus its text; a
 * member key about 80 plus its text. true, false and null are shared.
 * Each value also takes its slot in the parent (8 bytes, up to twice that
 * while the array grows). json_fast.c counts the same as it builds. */
#define QUIRE__JSON_COST_OBJECT 232
#define QUIRE__JSON_COST_ARRAY 136
#define QUIRE__JSON_COST_STRING 88 /* plus the text and its opening quote */
#define QUIRE__JSON_COST_NUMBER 40
#define QUIRE__JSON_COST_SLOT 16

/* One pass over the text, no allocation: counts values as a tokenizer
 * would (a syntax error found later by jansson does not matter here). */
void quire__json_estimate(const char *s, size_t len, quire__json_cost *out);

/* The tree a text of len bytes may cost: 32 times its size plus 1 MiB
 * (a report of small objects needs up to about 25), never more than
 * 1 GiB. */
#define QUIRE__JSON_MEMORY_RATIO 32
#define QUIRE__JSON_MEMORY_MAX ((uint64_t)1 << 30)
uint64_t quire__json_memory_limit(size_t len);

#endif
