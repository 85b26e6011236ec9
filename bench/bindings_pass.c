/* The C library's side of bench/bindings.sh's paired measurement, built as
 * a shared object that the Python and Node runners load next to libquire.
 * Each runner alternates, pass by pass in one thread of one process, one
 * pass of this C loop and one pass of its own loop over the same reports,
 * and compares the two passes' CPU time: whatever else the machine runs
 * (other processes, frequency changes) then weighs on both sides of each
 * pair alike, which separate processes measured seconds apart cannot
 * promise on a shared machine.
 *
 * The loop is bindings_c.c's: per report, parse from memory, render to a
 * new buffer with one renderer built up front, free both. Uses only
 * quire.h. */
#include "quire.h"

#include <stddef.h>
#include <stdint.h>

static quire_renderer *S_renderer;

/* Builds the renderer (engine: 0 cairo, 1 haru); 0 or a quire error code.
 * Called once, before any pass, from one thread. */
int bench_pass_init(int engine) {
  quire_renderer_options o = QUIRE_RENDERER_OPTIONS_INIT;
  o.engine = engine == 1 ? QUIRE_PDF_HARU : QUIRE_PDF_CAIRO;
  if (S_renderer)
    return 0;
  return quire_renderer_new(&S_renderer, &o, NULL);
}

/* Parses and renders to fmt each of the n reports held end to end in blob,
 * report i being bytes off[i] to off[i + 1]. Returns the output bytes in
 * all, or -1 when a report fails. */
long long bench_pass(const char *blob, const uint32_t *off, size_t n, int fmt) {
  long long bytes = 0;
  for (size_t i = 0; i < n; i++) {
    quire_doc *doc = NULL;
    quire_buf out;
    quire_buf_init(&out, 0);
    int rc =
        quire_doc_parse(&doc, blob + off[i], off[i + 1] - off[i], NULL, NULL);
    if (rc == 0)
      rc = quire_renderer_render_buf(&out, S_renderer, doc, (quire_format)fmt,
                                     NULL, NULL);
    bytes += (long long)out.size;
    quire_buf_dispose(&out);
    quire_doc_free(doc);
    if (rc != 0)
      return -1;
  }
  return bytes;
}

/* Instruction counts under valgrind --tool=callgrind --instr-atstart=no
 * (bench/bindings.sh, when valgrind and its headers are there): the runner
 * brackets its C passes and its binding passes with these, and callgrind
 * writes one dump per bracket, labelled. The counts do not depend on what
 * else the machine runs. Outside valgrind, or built without
 * QUIRE_BENCH_CALLGRIND, they do nothing. */
#ifdef QUIRE_BENCH_CALLGRIND
#include <valgrind/callgrind.h>
#endif

void bench_ir_begin(void) {
#ifdef QUIRE_BENCH_CALLGRIND
  CALLGRIND_ZERO_STATS;
  CALLGRIND_START_INSTRUMENTATION;
#endif
}

void bench_ir_end(const char *label) {
#ifdef QUIRE_BENCH_CALLGRIND
  CALLGRIND_STOP_INSTRUMENTATION;
  CALLGRIND_DUMP_STATS_AT(label);
#else
  (void)label;
#endif
}
