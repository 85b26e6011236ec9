/* libFuzzer harness for the decoder and every renderer that does not need
 * fonts: the first byte picks strict mode, width and colour, as cmark's
 * fuzzer does. Built without -fsanitize=fuzzer, main() replays files. */
#include "quire.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  unsigned char ctl = data[0];
  quire_parse_options po = QUIRE_PARSE_OPTIONS_INIT;
  po.flags = (ctl & 1) ? QUIRE_PARSE_STRICT : 0;
  po.max_markdown = 65536;
  quire_doc *doc = NULL;
  if (quire_doc_parse(&doc, (const char *)data + 1, size - 1, &po, NULL) == 0) {
    quire_render_options ro = QUIRE_RENDER_OPTIONS_INIT;
    ro.width = 20 + (ctl >> 2) % 100;
    ro.color = (quire_color)((ctl >> 1) & 3);
    ro.flags = (ctl & 0x80) ? QUIRE_RENDER_ASCII : 0;
    quire_buf out = QUIRE_BUF_INIT;
    quire_doc_dump(&out, doc);
    quire_buf_clear(&out);
    quire_render_buf(&out, doc, QUIRE_FORMAT_TEXT, &ro, NULL);
    quire_buf_clear(&out);
    quire_render_buf(&out, doc, QUIRE_FORMAT_HTML, &ro, NULL);
    quire_buf_dispose(&out);
    quire_doc_free(doc);
  }
  quire_validate((const char *)data + 1, size - 1, &po, NULL, NULL, NULL);
  return 0;
}

#include "replay.h"
