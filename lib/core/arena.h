/*
 * arena.h - memory that lives as long as one thing and goes in one call:
 * a document's nodes and strings (lib/model), a render's Mustache view
 * (lib/template/view.c). Allocation is a pointer bump in 16 KB chunks; a
 * big allocation gets a chunk of its own. With QUIRE_ARENA_DEBUG (the
 * SANITIZE=1 build) every allocation is its own malloc, so ASan and
 * valgrind see each one.
 */
#ifndef QUIRE_CORE_ARENA_H
#define QUIRE_CORE_ARENA_H

#include "internal.h"

typedef struct quire__arena_chunk quire__arena_chunk;
typedef struct quire__arena {
  quire__arena_chunk *head; /* newest chunk first */
  size_t total;             /* bytes handed out, for the cap */
  size_t max;               /* 0 = no cap */
} quire__arena;

#define QUIRE__ARENA_INIT                                                      \
  { NULL, 0, 0 }

/* NULL when memory runs out or the cap would be passed. */
void *quire__arena_alloc(quire__arena *a, size_t size);
char *quire__arena_strndup(quire__arena *a, const char *s, size_t len);
char *quire__arena_strdup(quire__arena *a, const char *s);
/* Frees every allocation; the arena may be used again (its cap stays). */
void quire__arena_free(quire__arena *a);

#endif
