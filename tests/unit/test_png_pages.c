/* quire_render_png_pages: every page from one layout is byte-identical to
 * painting that page alone; a bad range fails before any page is handed
 * over; the callback can stop the run with its own code; a build without
 * cairo says so. */
#include "harness.h"
#include "quire.h"

#include <stdlib.h>

typedef struct S_got {
  const quire_doc *doc;
  int calls, count, mismatches, stop_at;
  int pages[64];
} S_got;

static int S_cb(int page, int count, const char *png, size_t len,
                void *payload) {
  S_got *g = payload;
  if (g->calls < 64)
    g->pages[g->calls] = page;
  g->calls++;
  g->count = count;
  quire_render_options o = QUIRE_RENDER_OPTIONS_INIT;
  o.dpi = 40;
  o.page = page;
  quire_buf alone = QUIRE_BUF_INIT;
  if (quire_render_buf(&alone, g->doc, QUIRE_FORMAT_PNG, &o, NULL) != 0 ||
      alone.size != len || memcmp(alone.ptr, png, len) != 0)
    g->mismatches++;
  quire_buf_dispose(&alone);
  return g->stop_at && page == g->stop_at ? QUIRE_EIO : 0;
}

static int S_run(S_got *g, const quire_doc *doc, int first, int last,
                 quire_error *err) {
  memset(g, 0, sizeof *g);
  g->doc = doc;
  quire_render_options o = QUIRE_RENDER_OPTIONS_INIT;
  o.dpi = 40;
  o.page = 99; /* ignored */
  quire_error_clear(err);
  return quire_render_png_pages(doc, &o, first, last, S_cb, g, err);
}

int main(void) {
  T_INT_EQ(quire_global_init(), 0);
  quire_doc *doc = NULL;
  quire_error err;
  quire_error_clear(&err);
  T_INT_EQ(
      quire_doc_parse_file(&doc, "samples/legacy/all_blocks.json", NULL, &err),
      0);
  S_got g;
  int rc = S_run(&g, doc, 1, 0, &err);
  if (rc == QUIRE_EUNSUPPORTED) {
    T_OK(strstr(err.message, "cairo") != NULL);
    T_INT_EQ(g.calls, 0);
    printf("# no cairo in this build: %s\n", err.message);
    quire_doc_free(doc);
    return T_done("png_pages");
  }
  T_INT_EQ(rc, 0);
  int pages = 0;
  quire_render_options po = QUIRE_RENDER_OPTIONS_INIT;
  T_INT_EQ(quire_render_page_count(&pages, doc, &po, NULL), 0);
  T_OK(pages >= 3);
  T_INT_EQ(g.calls, pages);
  T_INT_EQ(g.count, pages);
  T_INT_EQ(g.mismatches, 0);
  for (int i = 0; i < g.calls && i < 64; i++)
    T_INT_EQ(g.pages[i], i + 1);

  /* A middle range, then a single page. */
  T_INT_EQ(S_run(&g, doc, 2, 3, &err), 0);
  T_INT_EQ(g.calls, 2);
  T_INT_EQ(g.pages[0], 2);
  T_INT_EQ(g.mismatches, 0);
  T_INT_EQ(S_run(&g, doc, pages, pages, &err), 0);
  T_INT_EQ(g.calls, 1);

  /* Bad ranges: no page is painted, the message gives the page count. */
  char want[64];
  snprintf(want, sizeof want, "has %d pages", pages);
  T_INT_EQ(S_run(&g, doc, 1, pages + 1, &err), QUIRE_EINVAL);
  T_INT_EQ(g.calls, 0);
  T_CHECK(strstr(err.message, want) != NULL, "message: %s", err.message);
  T_INT_EQ(S_run(&g, doc, pages + 1, 0, &err), QUIRE_EINVAL);
  T_INT_EQ(g.calls, 0);
  T_INT_EQ(S_run(&g, doc, 0, 2, &err), QUIRE_EINVAL);
  T_INT_EQ(S_run(&g, doc, 3, 2, &err), QUIRE_EINVAL);
  T_INT_EQ(g.calls, 0);

  /* The callback stops the run with its own code. */
  memset(&g, 0, sizeof g);
  g.doc = doc;
  g.stop_at = 2;
  quire_render_options o = QUIRE_RENDER_OPTIONS_INIT;
  o.dpi = 40;
  quire_error_clear(&err);
  T_INT_EQ(quire_render_png_pages(doc, &o, 1, 0, S_cb, &g, &err), QUIRE_EIO);
  T_INT_EQ(g.calls, 2);
  T_OK(err.message[0] != '\0');
  T_INT_EQ(quire_render_png_pages(doc, &o, 1, 0, NULL, NULL, &err),
           QUIRE_EINVAL);
  quire_doc_free(doc);
  return T_done("png_pages");
}
