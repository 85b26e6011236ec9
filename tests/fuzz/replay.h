/* The main() of every fuzz harness when it is not built with libFuzzer:
 * runs the harness once per file named on the command line, so make test
 * replays the corpus with the ordinary compiler. Include it last.
 *
 * A harness that defines QUIRE_FUZZ_INIT has LLVMFuzzerInitialize() called
 * first, as libFuzzer does; one that defines QUIRE_FUZZ_SUMMARY has
 * quire_fuzz_summary() called last, to say what ran (which engines, which
 * were not built in), so a replay never skips work without a word. */
#ifndef QUIRE_FUZZ_REPLAY_H
#define QUIRE_FUZZ_REPLAY_H
#ifndef QUIRE_LIBFUZZER

#include <stdio.h>

#ifdef QUIRE_FUZZ_INIT
int LLVMFuzzerInitialize(int *argc, char ***argv);
#endif
#ifdef QUIRE_FUZZ_SUMMARY
static void quire_fuzz_summary(FILE *out);
#endif

int main(int argc, char **argv) {
#ifdef QUIRE_FUZZ_INIT
  LLVMFuzzerInitialize(&argc, &argv);
#endif
  int n = 0;
  for (int i = 1; i < argc; i++) {
    FILE *fp = fopen(argv[i], "rb");
    if (!fp) {
      perror(argv[i]);
      return 1;
    }
    quire_buf b = QUIRE_BUF_INIT;
    char chunk[65536];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, fp)) > 0)
      quire_buf_put(&b, chunk, k);
    fclose(fp);
    LLVMFuzzerTestOneInput((const uint8_t *)b.ptr, b.size);
    quire_buf_dispose(&b);
    n++;
  }
#ifdef QUIRE_FUZZ_SUMMARY
  quire_fuzz_summary(stdout);
#endif
  printf("replayed %d inputs\n%d passed, 0 failed\n", n, n);
  return 0;
}

#endif
#endif
