/* The catalog update appended after cairo's PDF (paint/pdf_catalog.c):
 * the same bytes however the PDF is cut into chunks (a header may straddle
 * any boundary), nothing appended when the tail is not cairo's shape or
 * when an object was too large to keep, and the entries cairo already
 * wrote are not written twice. The real thing is checked with qpdf on
 * every sample by tests/suites/pdf_meta.sh. */
#include "harness.h"
#include "internal.h"
#include "paint/pdf_catalog.h"

#include <stdlib.h>

static const char S_pdf[] =
    "%PDF-1.5\n"
    "1 0 obj\n<< /Length 4 >>\nstream\nx 0 obj\nendstream\nendobj\n"
    "53 0 obj\n<< /Producer (cairo) >>\nendobj\n"
    "54 0 obj\n<< /Type /Catalog\n   /Pages 1 0 R\n   /Outlines 52 0 R\n>>\n"
    "endobj\nxref\n0 55\n0000000000 65535 f \n"
    "trailer\n<< /Size 55\n   /Root 54 0 R\n   /Info 53 0 R\n>>\n"
    "startxref\n123\n%%EOF\n";

static int S_run(const char *pdf, size_t len, size_t chunk, const char *lang,
                 quire_buf *got) {
  quire__pdf_catalog c;
  quire__out out;
  quire_buf_clear(got);
  quire__out_init(&out, quire_sink_buf(got), 0);
  quire__pdf_catalog_init(&c);
  for (size_t i = 0; i < len; i += chunk)
    quire__pdf_catalog_feed(&c, pdf + i, len - i < chunk ? len - i : chunk);
  int rc = quire__pdf_catalog_finish(&c, lang, &out);
  quire__pdf_catalog_dispose(&c);
  quire_buf_putc(got, 0);
  return rc;
}

int main(void) {
  quire_buf whole = QUIRE_BUF_INIT, got = QUIRE_BUF_INIT;
  size_t n = sizeof S_pdf - 1;
  T_INT_EQ(S_run(S_pdf, n, n, "fr", &whole), 1);
  T_OK(strstr(whole.ptr, "54 0 obj\n<< /Type /Catalog") == whole.ptr);
  T_OK(strstr(whole.ptr, "/Lang (fr)") != NULL);
  T_OK(strstr(whole.ptr, "/PageMode /UseOutlines") != NULL);
  T_OK(strstr(whole.ptr, "/Prev 123") != NULL);
  T_OK(strstr(whole.ptr, "/Info 53 0 R") != NULL);
  /* The new object starts where the old file ended. */
  char entry[32];
  snprintf(entry, sizeof entry, "54 1\n%010zu 00000 n \n", n);
  T_OK(strstr(whole.ptr, entry) != NULL);
  for (size_t chunk = 1; chunk <= 40; chunk++) {
    T_INT_EQ(S_run(S_pdf, n, chunk, "fr", &got), 1);
    T_CHECK(strcmp(got.ptr, whole.ptr) == 0, "chunk %zu differs", chunk);
  }
  /* A tag that is not BCP 47 is left out, not escaped into the file. */
  T_INT_EQ(S_run(S_pdf, n, n, "en) /JS (x", &got), 1);
  T_OK(strstr(got.ptr, "/Lang") == NULL);
  /* Not cairo's tail: nothing appended. */
  const char *odd = "%PDF-1.5\n1 0 obj\n<< /Type /Pages >>\nendobj\n%%EOF\n";
  T_INT_EQ(S_run(odd, strlen(odd), 7, "en", &got), 0);
  T_INT_EQ(strlen(got.ptr), 0);
  /* Already there: nothing to add. */
  char *has = malloc(n + 64);
  const char *p = strstr(S_pdf, "   /Pages");
  snprintf(has, n + 64, "%.*s   /Lang (de)\n   /PageMode /UseNone\n%s",
           (int)(p - S_pdf), S_pdf, p);
  T_INT_EQ(S_run(has, strlen(has), 5, "en", &got), 0);
  free(has);
  /* A catalog after an object over the 1 MiB window is still found (the
   * window restarts at each header); one larger than the window is not. */
  size_t big = (1u << 20) + 100;
  char *huge = malloc(big + n + 1);
  memset(huge, 'a', big);
  memcpy(huge + big, S_pdf, n + 1);
  T_INT_EQ(S_run(huge, big + n, 4096, "en", &got), 1);
  char *tailbig = malloc(n + big + 1);
  const char *x = strstr(S_pdf, "xref\n");
  size_t head = (size_t)(x - S_pdf);
  memcpy(tailbig, S_pdf, head);
  memset(tailbig + head, ' ', big);
  memcpy(tailbig + head + big, x, n - head + 1);
  T_INT_EQ(S_run(tailbig, n + big, 4096, "en", &got), 0);
  free(huge);
  free(tailbig);
  quire_buf_dispose(&whole);
  quire_buf_dispose(&got);
  return T_done("test_pdf_catalog");
}
