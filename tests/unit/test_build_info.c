/* quire_build_component: every library this configuration uses is listed
 * once with both versions, and libcurl (loaded on first use) is not loaded
 * by asking, only by asking with QUIRE_BUILD_LOAD. */
#include "harness.h"
#include "quire.h"

#include <stdio.h>
#include <string.h>

/* 1 when a file whose name contains what is mapped into this process. */
static int S_mapped(const char *what) {
  FILE *f = fopen("/proc/self/maps", "r");
  if (!f)
    return -1;
  char line[4096];
  int found = 0;
  while (!found && fgets(line, sizeof line, f))
    found = strstr(line, what) != NULL;
  fclose(f);
  return found;
}

static int S_find(const char *want, unsigned flags, const char **built,
                  const char **running) {
  const char *name;
  for (size_t i = 0; (name = quire_build_component(i, flags, built, running));
       i++)
    if (strcmp(name, want) == 0)
      return 1;
  return 0;
}

int main(void) {
  unsigned f = quire_features();
  const char *built, *running;

  /* Every component has a name, a build version (maybe "") and, except a
   * library loaded on first use, a running one; none appears twice. */
  size_t n = 0;
  const char *names[64];
  const char *name;
  while ((name = quire_build_component(n, 0, &built, &running)) && n < 64) {
    T_CHECK(*name, "component %zu has a name", n);
    T_CHECK(built != NULL, "%s: built is not NULL", name);
    T_CHECK(running != NULL || strcmp(name, "libcurl") == 0 ||
                strcmp(name, "libcurl-tls") == 0,
            "%s: running is not NULL", name);
    for (size_t j = 0; j < n; j++)
      T_CHECK(strcmp(names[j], name) != 0, "%s listed twice", name);
    names[n++] = name;
  }
  T_CHECK(n >= 4, "at least 4 components (%zu)", n);
  T_OK(quire_build_component(n, 0, &built, &running) == NULL && !built &&
       !running);
  T_OK(quire_build_component(1000, 0, NULL, NULL) == NULL);

  T_OK(S_find("jansson", 0, &built, &running));
  T_STR_EQ(running, built); /* the same Debian package here */
  T_OK(S_find("libharu", 0, &built, &running));
  T_STR_EQ(built, "2.3.0");
  T_INT_EQ(S_find("cairo", 0, &built, &running),
           (f & QUIRE_FEATURE_CAIRO) != 0);
  T_INT_EQ(S_find("libpng", 0, &built, &running),
           (f & QUIRE_FEATURE_CAIRO) != 0);

  if (f & QUIRE_FEATURE_FETCH) {
    T_INT_EQ(S_mapped("libcurl"), 0);
    T_OK(S_find("libcurl", 0, &built, &running));
    T_CHECK(running == NULL, "libcurl not loaded: running is NULL");
    T_CHECK(*built, "libcurl's build version: %s", built);
    T_INT_EQ(S_mapped("libcurl"), 0); /* asking did not load it */
    T_OK(S_find("libcurl", QUIRE_BUILD_LOAD, &built, &running));
    T_CHECK(running && *running, "libcurl loaded: %s",
            running ? running : "(null)");
    T_INT_EQ(S_mapped("libcurl"), 1);
    T_OK(S_find("libcurl-tls", 0, &built, &running));
    T_CHECK(running && *running, "TLS library: %s",
            running ? running : "(null)");
  } else {
    T_OK(!S_find("libcurl", QUIRE_BUILD_LOAD, &built, &running));
  }
  return T_done("test_build_info");
}
