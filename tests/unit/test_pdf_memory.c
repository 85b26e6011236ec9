/* Repeated PDF renders in one process keep memory flat: a backend renders
 * millions of reports without restarting. (Under ASan the allocator's
 * quarantine grows RSS by design; LeakSanitizer checks leaks there.) */
#include "harness.h"
#include "quire.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long S_rss_kb(void) {
  FILE *fp = fopen("/proc/self/statm", "r");
  long pages = 0, rss = 0;
  if (fp) {
    if (fscanf(fp, "%ld %ld", &pages, &rss) != 2)
      rss = 0;
    fclose(fp);
  }
  return rss * 4;
}

int main(void) {
  quire_doc *doc;
  T_INT_EQ(
      quire_doc_parse_file(&doc, "samples/v2/sales_playbook.json", NULL, NULL),
      0);
  if (!(quire_features() & QUIRE_FEATURE_CAIRO) &&
      !(quire_features() & QUIRE_FEATURE_HARU)) {
    quire_doc_free(doc);
    return T_done("pdf_memory (no PDF engine)");
  }
  quire_render_options ro = QUIRE_RENDER_OPTIONS_INIT;
  long at10 = 0;
  int rounds = 60;
#if defined(__SANITIZE_ADDRESS__)
  rounds = 12;
#endif
  for (int engine = 0; engine < 2; engine++) {
    ro.engine = engine ? QUIRE_PDF_HARU : QUIRE_PDF_CAIRO;
    if (engine == 0 && !(quire_features() & QUIRE_FEATURE_CAIRO))
      continue;
    for (int i = 1; i <= rounds; i++) {
      quire_buf b = QUIRE_BUF_INIT;
      quire_error err;
      int rc = quire_render_buf(&b, doc, QUIRE_FORMAT_PDF, &ro, &err);
      if (rc)
        T_CHECK(0, "render %d failed: %s", i, err.message);
      quire_buf_dispose(&b);
      if (i == 10)
        at10 = S_rss_kb();
    }
    long end = S_rss_kb();
#if !defined(__SANITIZE_ADDRESS__)
    T_CHECK(end - at10 < 3072, "%s: RSS grew %ld KB from render 10 to %d",
            engine ? "haru" : "cairo", end - at10, rounds);
#endif
    printf("# %s: RSS %ld KB after 10 renders, %ld KB after %d\n",
           engine ? "haru" : "cairo", at10, end, rounds);
  }
  quire_doc_free(doc);
  return T_done("pdf_memory");
}
