/* Private declarations shared across libquire's files (quire__ prefix). */
#ifndef QUIRE_INTERNAL_H
#define QUIRE_INTERNAL_H

#include "quire.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* Limits on outside input. Every one of them exists so that hostile input
 * costs bounded time and memory. */
#define QUIRE__MAX_INPUT_DEFAULT ((size_t)64 << 20)
#define QUIRE__MAX_MARKDOWN_DEFAULT ((size_t)1 << 20)
#define QUIRE__MAX_BLOCKS_DEFAULT ((size_t)100000)
#define QUIRE__MAX_DIAG_DEFAULT ((size_t)100)
#define QUIRE__MAX_OUTPUT_DEFAULT ((size_t)256 << 20)
/* Columns of a Markdown table, decided when decoding: a wider table is
 * decoded as text with a warning, so no renderer meets one. */
#define QUIRE__MAX_TABLE_COLUMNS 64
/* jansson's own parser depth limit is 2048; our walks stop earlier. */
#define QUIRE__MAX_DEPTH 256

#if defined(__GNUC__)
#define QUIRE__PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define QUIRE__PRINTF(f, a)
#endif

/* error.c */
/* Sets err->code and a formatted message; returns code. err may be NULL. */
int quire__error_set(quire_error *err, int code, const char *fmt, ...)
    QUIRE__PRINTF(3, 4);
int quire__error_setv(quire_error *err, int code, const char *fmt, va_list ap)
    QUIRE__PRINTF(3, 0);
void quire__error_source(quire_error *err, const char *source);
void quire__error_path(quire_error *err, const char *path);

/* alloc.c: overflow-checked allocation; the test hook fails the Nth call. */
void *quire__malloc(size_t size);
void *quire__calloc(size_t n, size_t size);
void *quire__realloc(void *ptr, size_t size);
char *quire__strndup(const char *s, size_t len);
char *quire__strdup(const char *s);
/* Test hook: when n > 0, the nth allocation from now on fails. Not
 * thread-safe; only tests call it. */
QUIRE_EXTERN void quire__alloc_fail_at(long n);

/* utf8.c */
/* Decodes one code point at s (len > 0 bytes available). Returns the number
 * of bytes consumed (>= 1) and stores the code point, or -1 for an invalid
 * byte (then 1 byte is consumed). */
int quire__utf8_decode(const char *s, size_t len, int32_t *cp);
/* Encodes cp as UTF-8 into out (4 bytes room); returns the length. */
int quire__utf8_encode(int32_t cp, char *out);
/* Width of one code point in terminal columns: 0, 1 or 2. */
int quire__cp_width(int32_t cp);
/* 1 when s is valid UTF-8 without NUL bytes. */
int quire__utf8_valid(const char *s, size_t len);

/* out.c: a sink that stops at max bytes and remembers the first failure,
 * so a renderer or engine can write freely and check once at the end. */
/* core/atomic_group.c: takes tmp (a closed PATH.XXXXXX) and path, both
 * malloc'd, for the group's next commit; on failure unlinks and frees them
 * and returns QUIRE_ENOMEM. */
int quire__atomic_group_add(quire_atomic_group *g, char *tmp, char *path);

typedef struct quire__out {
  quire_sink sink;
  size_t written, max;
  int err; /* first failure */
} quire__out;

/* max 0: QUIRE__MAX_OUTPUT_DEFAULT. */
void quire__out_init(quire__out *o, quire_sink sink, size_t max);
void quire__out_write(quire__out *o, const void *data, size_t len);
void quire__out_puts(quire__out *o, const char *s);

/* io.c: read a whole file or stdin ("-"), capped at max bytes. */
int quire__read_file(quire_buf *out, const char *path, size_t max,
                     quire_error *err);

#endif
