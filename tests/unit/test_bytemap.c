/* core/bytemap.h: the byte-string map the cairo engine caches measured
 * paragraphs in (it replaced glib's GHashTable, so the engine needs no
 * glib). */
#include "core/bytemap.h"
#include "harness.h"

#include <stdio.h>
#include <string.h>

static int S_dropped;

static void S_drop(void *ctx, void *value) {
  (void)value;
  S_dropped += *(int *)ctx;
}

int main(void) {
  quire__bytemap m = QUIRE__BYTEMAP_INIT;
  static int values[1000];
  char key[32];
  T_OK(quire__bytemap_get(&m, "a", 1) == NULL);
  /* Many keys (the table grows several times), found again. */
  for (int i = 0; i < 1000; i++) {
    int n = snprintf(key, sizeof key, "key-%d", i);
    T_INT_EQ(quire__bytemap_put(&m, key, (size_t)n, &values[i]), 0);
  }
  T_INT_EQ((int)m.n, 1000);
  int found = 0;
  for (int i = 0; i < 1000; i++) {
    int n = snprintf(key, sizeof key, "key-%d", i);
    found += quire__bytemap_get(&m, key, (size_t)n) == &values[i];
  }
  T_INT_EQ(found, 1000);
  /* Keys are bytes, not strings: NULs inside, prefixes, the empty key. */
  T_OK(quire__bytemap_get(&m, "key-1", 4) == NULL);
  T_OK(quire__bytemap_get(&m, "key-10", 6) == &values[10]);
  T_INT_EQ(quire__bytemap_put(&m, "a\0b", 3, &values[1]), 0);
  T_INT_EQ(quire__bytemap_put(&m, "a\0c", 3, &values[2]), 0);
  T_INT_EQ(quire__bytemap_put(&m, "", 0, &values[3]), 0);
  T_OK(quire__bytemap_get(&m, "a\0b", 3) == &values[1]);
  T_OK(quire__bytemap_get(&m, "a\0c", 3) == &values[2]);
  T_OK(quire__bytemap_get(&m, "a", 1) == NULL);
  T_OK(quire__bytemap_get(&m, "", 0) == &values[3]);
  /* The key is copied: changing the caller's buffer changes nothing. */
  memcpy(key, "mutable", 8);
  T_INT_EQ(quire__bytemap_put(&m, key, 7, &values[4]), 0);
  memcpy(key, "changed", 8);
  T_OK(quire__bytemap_get(&m, "mutable", 7) == &values[4]);
  /* A second put replaces the value; the count stays. */
  size_t before = m.n;
  T_INT_EQ(quire__bytemap_put(&m, "mutable", 7, &values[5]), 0);
  T_OK(quire__bytemap_get(&m, "mutable", 7) == &values[5]);
  T_INT_EQ((int)(m.n - before), 0);
  /* clear gives every value to drop once, with its context. */
  int weight = 2;
  size_t n = m.n;
  quire__bytemap_clear(&m, S_drop, &weight);
  T_INT_EQ(S_dropped, (int)n * 2);
  T_INT_EQ((int)m.n, 0);
  T_OK(quire__bytemap_get(&m, "key-5", 5) == NULL);
  /* and the map is usable again */
  T_INT_EQ(quire__bytemap_put(&m, "x", 1, &values[6]), 0);
  T_OK(quire__bytemap_get(&m, "x", 1) == &values[6]);
  /* Out of memory: the map is unchanged. */
  quire__alloc_fail_at(1);
  int rc = quire__bytemap_put(&m, "new key", 7, &values[7]);
  quire__alloc_fail_at(0);
  T_INT_EQ(rc, QUIRE_ENOMEM);
  T_OK(quire__bytemap_get(&m, "new key", 7) == NULL);
  T_OK(quire__bytemap_get(&m, "x", 1) == &values[6]);
  quire__bytemap_clear(&m, NULL, NULL);
  return T_done("bytemap");
}
