/* libFuzzer harness for the Mustache engine: user templates are hostile
 * input too (--templates DIR). The input is split at NUL bytes into a
 * template, a partial (registered as "p" and as the parent "base") and a
 * JSON view; a missing or broken view falls back to a fixed one with
 * nested sections, lists and odd values. Built without -fsanitize=fuzzer,
 * main() replays files. */
#include "quire.h"
#include "template/mustache.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char S_view[] =
    "{\"title\":\"<b>&'\\\"\",\"n\":3,\"r\":1.5,\"t\":true,\"f\":false,"
    "\"z\":null,\"s\":\"\",\"list\":[{\"name\":\"a\",\"list\":[1,2]},"
    "{\"name\":\"b\",\"sub\":{\"x\":\"y\"}}],\"obj\":{\"obj\":{\"title\":"
    "\"deep\"}},\"dyn\":\"p\",\"names\":[\"p\",\"base\",\"missing\"]}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *parts[3] = {"", "", NULL};
  size_t lens[3] = {0, 0, 0};
  size_t k = 0, start = 0;
  for (size_t i = 0; i <= size && k < 3; i++) {
    if (i == size || (data[i] == 0 && k < 2)) {
      parts[k] = (const char *)data + start;
      lens[k] = i - start;
      k++;
      start = i + 1;
    }
  }

  json_t *view = NULL;
  if (parts[2] && lens[2])
    view = json_loadb(parts[2], lens[2], JSON_DECODE_ANY, NULL);
  if (!view)
    view = json_loads(S_view, 0, NULL);

  quire__mustache *tpl = NULL;
  quire__mustache_set *set = NULL;
  if (quire__mustache_compile(&tpl, parts[0], lens[0], "fuzz.mustache", NULL) ==
          0 &&
      quire__mustache_set_new(&set, NULL) == 0) {
    /* A partial that does not compile is simply absent. */
    quire__mustache_set_add(set, "p", parts[1], lens[1], NULL);
    quire__mustache_set_add(set, "base", parts[1], lens[1], NULL);
    for (unsigned strict = 0; strict < 2; strict++) {
      quire__mustache_options o = QUIRE__MUSTACHE_OPTIONS_INIT;
      o.flags = strict ? QUIRE__MUSTACHE_STRICT_PARTIALS |
                             QUIRE__MUSTACHE_EMPTY_STRING_FALSEY
                       : 0;
      o.load = quire__mustache_set_load;
      o.load_payload = set;
      o.max_steps = 200000; /* a fuzz input may loop through partials */
      quire_buf out;
      quire_buf_init(&out, (size_t)1 << 20);
      quire_error err;
      quire_error_clear(&err);
      int rc = quire__mustache_render(&out, tpl, view, &o, &err);
      /* Errors are values with messages, never silent. */
      if (rc != 0 && !err.message[0])
        abort();
      quire_buf_dispose(&out);
    }
  }
  quire__mustache_set_free(set);
  quire__mustache_free(tpl);
  json_decref(view);
  return 0;
}

#include "replay.h"
