/* A hash map from byte strings to pointers (core/bytemap.h). */
#include "core/bytemap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct quire__bytemap_ent {
  uint64_t hash;
  char *key; /* NULL: an empty slot */
  size_t len;
  void *value;
};

static uint64_t S_hash(const void *key, size_t len) {
  const unsigned char *p = key;
  uint64_t h = 14695981039346656037u;
  for (size_t i = 0; i < len; i++) {
    h ^= p[i];
    h *= 1099511628211u;
  }
  return h;
}

/* The slot of key, or the empty slot where it would go. */
static quire__bytemap_ent *S_slot(quire__bytemap_ent *slots, size_t cap,
                                  uint64_t h, const void *key, size_t len) {
  size_t i = (size_t)h & (cap - 1);
  for (;;) {
    quire__bytemap_ent *e = &slots[i];
    if (!e->key ||
        (e->hash == h && e->len == len && memcmp(e->key, key, len) == 0))
      return e;
    i = (i + 1) & (cap - 1);
  }
}

void *quire__bytemap_get(const quire__bytemap *m, const void *key, size_t len) {
  if (!m->n)
    return NULL;
  quire__bytemap_ent *e = S_slot(m->slots, m->cap, S_hash(key, len), key, len);
  return e->key ? e->value : NULL;
}

/* At most three quarters full, so a probe always ends at an empty slot. */
static int S_grow(quire__bytemap *m) {
  if ((m->n + 1) * 4 <= m->cap * 3)
    return 0;
  size_t cap = m->cap ? m->cap * 2 : 16;
  quire__bytemap_ent *slots = quire__calloc(cap, sizeof *slots);
  if (!slots)
    return QUIRE_ENOMEM;
  for (size_t i = 0; i < m->cap; i++)
    if (m->slots[i].key)
      *S_slot(slots, cap, m->slots[i].hash, m->slots[i].key, m->slots[i].len) =
          m->slots[i];
  free(m->slots);
  m->slots = slots;
  m->cap = cap;
  return 0;
}

int quire__bytemap_put(quire__bytemap *m, const void *key, size_t len,
                       void *value) {
  if (S_grow(m))
    return QUIRE_ENOMEM;
  uint64_t h = S_hash(key, len);
  quire__bytemap_ent *e = S_slot(m->slots, m->cap, h, key, len);
  if (e->key) {
    e->value = value;
    return 0;
  }
  char *copy = quire__malloc(len ? len : 1);
  if (!copy)
    return QUIRE_ENOMEM;
  if (len)
    memcpy(copy, key, len);
  e->hash = h;
  e->key = copy;
  e->len = len;
  e->value = value;
  m->n++;
  return 0;
}

void quire__bytemap_clear(quire__bytemap *m,
                          void (*drop)(void *ctx, void *value), void *ctx) {
  for (size_t i = 0; i < m->cap; i++) {
    if (!m->slots[i].key)
      continue;
    free(m->slots[i].key);
    if (drop)
      drop(ctx, m->slots[i].value);
  }
  free(m->slots);
  m->slots = NULL;
  m->cap = m->n = 0;
}
