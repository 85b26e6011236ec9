#include "core/arena.h"

#include <stdlib.h>
#include <string.h>

struct quire__arena_chunk {
  quire__arena_chunk *next;
  size_t used, size;
  max_align_t data[]; /* aligned storage follows */
};

#define S_CHUNK 16384

void *quire__arena_alloc(quire__arena *a, size_t size) {
  size = (size + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
  if (size == 0)
    size = sizeof(max_align_t);
  if (a->max && (size > a->max || a->total > a->max - size))
    return NULL;
#ifdef QUIRE_ARENA_DEBUG
  quire__arena_chunk *c = quire__malloc(sizeof *c + size);
  if (!c)
    return NULL;
  c->next = a->head;
  c->used = c->size = size;
  a->head = c;
  a->total += size;
  return c->data;
#else
  quire__arena_chunk *c = a->head;
  if (!c || c->size - c->used < size) {
    size_t csize = size > S_CHUNK / 4 ? size : S_CHUNK;
    quire__arena_chunk *n = quire__malloc(sizeof *n + csize);
    if (!n)
      return NULL;
    n->used = 0;
    n->size = csize;
    if (c && size > S_CHUNK / 4) {
      /* Big one-off allocations go behind the current chunk so its free
       * space stays usable. */
      n->next = c->next;
      c->next = n;
    } else {
      n->next = c;
      a->head = n;
    }
    c = n;
  }
  void *p = (char *)c->data + c->used;
  c->used += size;
  a->total += size;
  return p;
#endif
}

char *quire__arena_strndup(quire__arena *a, const char *s, size_t len) {
  if (len == SIZE_MAX)
    return NULL;
  char *p = quire__arena_alloc(a, len + 1);
  if (!p)
    return NULL;
  memcpy(p, s, len);
  p[len] = '\0';
  return p;
}

char *quire__arena_strdup(quire__arena *a, const char *s) {
  return quire__arena_strndup(a, s, strlen(s));
}

void quire__arena_free(quire__arena *a) {
  quire__arena_chunk *c = a->head;
  while (c) {
    quire__arena_chunk *n = c->next;
    free(c);
    c = n;
  }
  a->head = NULL;
  a->total = 0;
}
