/*
 * bytemap.h - a hash map from byte strings to pointers: the cairo engine's
 * cache of paragraphs measured in a render (paint/cairo.c), keyed by
 * everything that decides their lines. Open addressing, FNV-1a; the map
 * owns copies of its keys, never its values (the caller frees those,
 * through quire__bytemap_clear's callback).
 */
#ifndef QUIRE_CORE_BYTEMAP_H
#define QUIRE_CORE_BYTEMAP_H

#include "internal.h"

typedef struct quire__bytemap_ent quire__bytemap_ent;
typedef struct quire__bytemap {
  quire__bytemap_ent *slots;
  size_t cap; /* a power of two, or 0 */
  size_t n;
} quire__bytemap;

#define QUIRE__BYTEMAP_INIT                                                    \
  { NULL, 0, 0 }

/* The value of key, or NULL. */
void *quire__bytemap_get(const quire__bytemap *m, const void *key, size_t len);
/* Maps key (copied) to value (not NULL), replacing an existing value
 * without freeing it. Errors: QUIRE_ENOMEM (the map is unchanged). */
int quire__bytemap_put(quire__bytemap *m, const void *key, size_t len,
                       void *value);
/* Empties the map, calling drop (may be NULL) with ctx on every value; the
 * map may be used again. */
void quire__bytemap_clear(quire__bytemap *m,
                          void (*drop)(void *ctx, void *value), void *ctx);

#endif
