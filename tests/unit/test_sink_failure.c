/* A sink that fails part-way (a full disk, a closed socket) is reported as
 * the sink's error and never brings the host down. cairo 1.16 crashed on
 * its own write errors (SIGSEGV in cairo_surface_finish when the first
 * write failed, an assertion in cairo-array.c on later ones: about 1 render
 * in 6 in a full-disk batch), so every format and engine this build has is
 * rendered against a sink failing after N bytes, for N across the whole
 * output, each in a child process so a crash is counted, not fatal. */
#include "harness.h"
#include "quire.h"

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static size_t S_limit, S_sofar;

static int S_write(void *payload, const void *data, size_t len) {
  (void)payload;
  (void)data;
  if (S_sofar + len > S_limit)
    return QUIRE_EIO;
  S_sofar += len;
  return 0;
}

/* 0: failed cleanly with QUIRE_EIO; 1: succeeded; -1: anything else. */
static int S_child(const quire_doc *doc, quire_format fmt,
                   quire_pdf_engine engine, size_t limit) {
  pid_t pid = fork();
  if (pid == 0) {
    S_limit = limit;
    S_sofar = 0;
    quire_render_options o = QUIRE_RENDER_OPTIONS_INIT;
    o.engine = engine;
    quire_sink s = {S_write, NULL};
    quire_error e = {0};
    int rc = quire_render(doc, fmt, &o, s, &e);
    _exit(rc == 0 ? 1 : rc == QUIRE_EIO && e.code == QUIRE_EIO ? 0 : 2);
  }
  int st = 0;
  if (pid < 0 || waitpid(pid, &st, 0) != pid)
    return -1;
  if (WIFSIGNALED(st)) {
    printf("# limit %zu: signal %d\n", limit, WTERMSIG(st));
    return -1;
  }
  int code = WEXITSTATUS(st);
  return code == 0 ? 0 : code == 1 ? 1 : -1;
}

static void S_sweep(const quire_doc *doc, const char *what, quire_format fmt,
                    quire_pdf_engine engine) {
  quire_buf whole = QUIRE_BUF_INIT;
  quire_render_options o = QUIRE_RENDER_OPTIONS_INIT;
  o.engine = engine;
  quire_error e = {0};
  int rc = quire_render_buf(&whole, doc, fmt, &o, &e);
  if (rc == QUIRE_EUNSUPPORTED) { /* not in this build */
    quire_buf_dispose(&whole);
    return;
  }
  T_CHECK(rc == 0, "%s: renders (%s)", what, e.message);
  size_t n = whole.size, step = n / 40 + 1, bad = 0;
  quire_buf_dispose(&whole);
  for (size_t limit = 0; limit < n; limit += step) {
    int r = S_child(doc, fmt, engine, limit);
    if (r != 0) {
      bad++;
      printf("# %s: sink failing after %zu of %zu bytes: %s\n", what, limit, n,
             r > 0 ? "reported success" : "crashed or wrong error");
    }
  }
  T_CHECK(bad == 0, "%s: %zu of 40 failing sinks not reported as QUIRE_EIO",
          what, bad);
  T_CHECK(S_child(doc, fmt, engine, n) == 1, "%s: a sink with room succeeds",
          what);
}

int main(void) {
  const char *samples[] = {"samples/v2/sales_playbook.json",
                           "samples/long/sixty_sections.json",
                           "samples/legacy/markdown_only.json"};
  for (size_t i = 0; i < sizeof samples / sizeof *samples; i++) {
    quire_doc *doc = NULL;
    quire_error err = {0};
    if (quire_doc_parse_file(&doc, samples[i], NULL, &err)) {
      T_CHECK(0, "parse %s: %s", samples[i], err.message);
      continue;
    }
    char what[160];
    snprintf(what, sizeof what, "%s cairo PDF", samples[i]);
    S_sweep(doc, what, QUIRE_FORMAT_PDF, QUIRE_PDF_CAIRO);
    snprintf(what, sizeof what, "%s haru PDF", samples[i]);
    S_sweep(doc, what, QUIRE_FORMAT_PDF, QUIRE_PDF_HARU);
    snprintf(what, sizeof what, "%s PNG", samples[i]);
    S_sweep(doc, what, QUIRE_FORMAT_PNG, QUIRE_PDF_CAIRO);
    snprintf(what, sizeof what, "%s HTML", samples[i]);
    S_sweep(doc, what, QUIRE_FORMAT_HTML, QUIRE_PDF_CAIRO);
    snprintf(what, sizeof what, "%s text", samples[i]);
    S_sweep(doc, what, QUIRE_FORMAT_TEXT, QUIRE_PDF_CAIRO);
    quire_doc_free(doc);
  }
  return T_done("test_sink_failure");
}
