/* Tiny test harness shared by every C test program under tests/.
 * Each program prints one line per failed check and ends with the plain
 * summary line "N passed, N failed" that CI reads. Exit status is 0 only
 * when nothing failed. */
#ifndef QUIRE_TEST_HARNESS_H
#define QUIRE_TEST_HARNESS_H

#include <stdio.h>
#include <string.h>

static int T_passed, T_failed;

#define T_CHECK(cond, ...)                                                     \
  do {                                                                         \
    if (cond) {                                                                \
      T_passed++;                                                              \
    } else {                                                                   \
      T_failed++;                                                              \
      fprintf(stdout, "not ok %s:%d: ", __FILE__, __LINE__);                   \
      fprintf(stdout, __VA_ARGS__);                                            \
      fputc('\n', stdout);                                                     \
    }                                                                          \
  } while (0)

#define T_OK(cond) T_CHECK((cond), "%s", #cond)
#define T_INT_EQ(a, b)                                                         \
  do {                                                                         \
    long long T_a = (long long)(a), T_b = (long long)(b);                      \
    T_CHECK(T_a == T_b, "%s == %s: got %lld, want %lld", #a, #b, T_a, T_b);    \
  } while (0)
#define T_STR_EQ(a, b)                                                         \
  do {                                                                         \
    const char *T_x = (a), *T_y = (b);                                         \
    T_CHECK(T_x &&T_y &&strcmp(T_x, T_y) == 0,                                 \
            "%s == %s: got \"%s\", want \"%s\"", #a, #b, T_x ? T_x : "(null)", \
            T_y ? T_y : "(null)");                                             \
  } while (0)

/* Call last in main(): prints the summary line and gives the exit status. */
static inline int T_done(const char *name) {
  printf("# %s\n%d passed, %d failed\n", name, T_passed, T_failed);
  return T_failed ? 1 : 0;
}

#endif
