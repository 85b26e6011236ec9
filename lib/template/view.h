/*
 * view.h - the data a Mustache template renders (internal).
 *
 * The same shapes as JSON (null, booleans, integers, reals, strings, arrays,
 * objects) without jansson's per-value reference counts, hash tables and
 * mallocs: every value of a view lives in one quire__view_pool and goes in
 * one quire__view_pool_free(). The HTML renderer builds a view per render;
 * building and freeing it as a jansson tree was about a third of a corpus
 * HTML render (issue 15).
 *
 * A view is built by one thread and then only read; reading takes no lock.
 * Strings are NUL-terminated and carry their length (a string may hold a
 * NUL, as a JSON string may). Objects answer the value set last for a key,
 * as json_object_set() replaces it.
 */
#ifndef QUIRE_VIEW_H
#define QUIRE_VIEW_H

#include "core/arena.h"
#include "internal.h"

#include <jansson.h>

typedef enum quire__view_type {
  QUIRE__VIEW_NULL,
  QUIRE__VIEW_TRUE,
  QUIRE__VIEW_FALSE,
  QUIRE__VIEW_INT,
  QUIRE__VIEW_REAL,
  QUIRE__VIEW_STRING,
  QUIRE__VIEW_ARRAY,
  QUIRE__VIEW_OBJECT
} quire__view_type;

typedef struct quire__view quire__view;

/* An element of an array, or a member of an object (key set). */
typedef struct quire__view_item {
  struct quire__view_item *next;
  const char *key; /* objects only; NUL-terminated */
  size_t klen;
  const quire__view *val;
} quire__view_item;

struct quire__view {
  quire__view_type type;
  size_t n; /* string: bytes; array, object: items */
  union {
    long long i;
    double r;
    const char *s;
    struct {
      quire__view_item *head, *tail; /* objects: newest member first */
    } l;
  } u;
};

/* Every value of a view comes from one arena (core/arena.h), freed with
 * quire__view_pool_free() or quire__arena_free(); the pool may be used
 * again. */
typedef quire__arena quire__view_pool;

#define QUIRE__VIEW_POOL_INIT QUIRE__ARENA_INIT
#define quire__view_pool_free quire__arena_free

/* Values. Each returns NULL when memory runs out. */
quire__view *quire__view_object(quire__view_pool *p);
quire__view *quire__view_array(quire__view_pool *p);
/* A string borrowed from the caller: s must be NUL-terminated at len and
 * outlive the view. */
quire__view *quire__view_string_ref(quire__view_pool *p, const char *s,
                                    size_t len);
/* A copy of len bytes of s. */
quire__view *quire__view_string_copy(quire__view_pool *p, const char *s,
                                     size_t len);
quire__view *quire__view_int(quire__view_pool *p, long long i);
quire__view *quire__view_real(quire__view_pool *p, double r);
/* Shared constants: never NULL, need no pool. */
const quire__view *quire__view_null(void);
const quire__view *quire__view_bool(int b);

/* Sets obj's key (borrowed: a literal, or a string that outlives the view)
 * to val. 0, or QUIRE_ENOMEM; QUIRE_EINVAL when obj is not an object or
 * val is NULL. */
int quire__view_set(quire__view_pool *p, quire__view *obj, const char *key,
                    const quire__view *val);
/* Appends val to arr. 0, QUIRE_ENOMEM or QUIRE_EINVAL (as above). */
int quire__view_push(quire__view_pool *p, quire__view *arr,
                     const quire__view *val);

/* The value of key (klen bytes) in obj; NULL when obj is not an object or
 * has no such key. */
const quire__view *quire__view_get(const quire__view *obj, const char *key,
                                   size_t klen);

/* A copy of a jansson value (keys and strings copied into the pool), for
 * callers that hold JSON. Errors: QUIRE_ENOMEM. */
int quire__view_from_json(const quire__view **out, quire__view_pool *p,
                          const json_t *json);

#endif
