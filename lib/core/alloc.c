#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* Allocation-failure sweep support: tests call quire__alloc_fail_at(N) to
 * make the Nth allocation fail and check every failure path is clean. */
static long S_fail_countdown;

void quire__alloc_fail_at(long n) { S_fail_countdown = n; }

static int S_should_fail(void) {
  if (S_fail_countdown <= 0)
    return 0;
  return --S_fail_countdown == 0;
}

void *quire__malloc(size_t size) {
  if (S_should_fail())
    return NULL;
  return malloc(size ? size : 1);
}

void *quire__calloc(size_t n, size_t size) {
  if (S_should_fail())
    return NULL;
  if (size && n > SIZE_MAX / size)
    return NULL;
  return calloc(n ? n : 1, size ? size : 1);
}

void *quire__realloc(void *ptr, size_t size) {
  if (S_should_fail())
    return NULL;
  return realloc(ptr, size ? size : 1);
}

char *quire__strndup(const char *s, size_t len) {
  if (len == SIZE_MAX)
    return NULL;
  char *p = quire__malloc(len + 1);
  if (!p)
    return NULL;
  memcpy(p, s, len);
  p[len] = '\0';
  return p;
}

char *quire__strdup(const char *s) { return quire__strndup(s, strlen(s)); }
