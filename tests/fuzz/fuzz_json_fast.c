/* libFuzzer harness for lib/decode/json_fast.c against jansson (issue 15):
 * whatever the fast loader takes, json_loadb must take too and build the
 * same tree, key order included; a difference aborts. Built without
 * -fsanitize=fuzzer, main() replays files. */
#include "decode/json_fast.h"
#include "quire.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  json_t *fast = quire__json_fast((const char *)data, size, UINT64_MAX, NULL);
  if (!fast)
    return 0; /* jansson's to judge, whatever it says */
  json_t *ref = json_loadb((const char *)data, size,
                           JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, NULL);
  if (!ref) {
    fprintf(stderr, "fuzz_json_fast: taken, but jansson refuses it\n");
    abort();
  }
  char *a = json_dumps(fast, JSON_COMPACT | JSON_ENCODE_ANY);
  char *b = json_dumps(ref, JSON_COMPACT | JSON_ENCODE_ANY);
  if (!a || !b || strcmp(a, b) != 0) {
    fprintf(stderr, "fuzz_json_fast: another tree than jansson's\n");
    abort();
  }
  free(a);
  free(b);
  json_decref(fast);
  json_decref(ref);
  return 0;
}

#include "replay.h"
