/* What paint/pdf_catalog.c does after cairo. A PDF shaped as cairo writes
 * it is rewritten: streams copied as they were, every other object in a
 * deflated object stream with /Lang, /PageMode and each Figure's /Alt
 * added, and a cross-reference stream. One that is not (here: an xref
 * table that does not list its objects) gets the catalog update appended:
 * the same bytes however the PDF is cut into chunks (a header may straddle
 * any boundary), nothing appended when the tail is not cairo's shape or
 * when an object was too large to keep, and the entries cairo already
 * wrote are not written twice. The real thing is checked with qpdf and
 * poppler on every sample by tests/suites/pdf_meta.sh. */
#include "harness.h"
#include "internal.h"
#include "paint/pdf_catalog.h"

#include <stdlib.h>
#include <zlib.h>

static const char S_pdf[] =
    "%PDF-1.5\n"
    "1 0 obj\n<< /Length 4 >>\nstream\nx 0 obj\nendstream\nendobj\n"
    "53 0 obj\n<< /Producer (cairo) >>\nendobj\n"
    "54 0 obj\n<< /Type /Catalog\n   /Pages 1 0 R\n   /Outlines 52 0 R\n>>\n"
    "endobj\nxref\n0 55\n0000000000 65535 f \n"
    "trailer\n<< /Size 55\n   /Root 54 0 R\n   /Info 53 0 R\n>>\n"
    "startxref\n123\n%%EOF\n";

/* got: what was written after the PDF itself (which the fallback writes
 * unchanged first). */
static int S_find_bytes(const quire_buf *b, const char *w) {
  size_t n = strlen(w);
  for (size_t i = 0; i + n <= b->size; i++)
    if (memcmp(b->ptr + i, w, n) == 0)
      return 1;
  return 0;
}

static int S_run(const char *pdf, size_t len, size_t chunk, const char *lang,
                 quire_buf *got) {
  quire__pdf_catalog c;
  quire__out out;
  quire_buf_clear(got);
  quire__out_init(&out, quire_sink_buf(got), 0);
  quire__pdf_catalog_init(&c);
  for (size_t i = 0; i < len; i += chunk)
    quire__pdf_catalog_feed(&c, pdf + i, len - i < chunk ? len - i : chunk,
                            &out);
  int rc = quire__pdf_catalog_finish(&c, lang, &out);
  quire__pdf_catalog_dispose(&c);
  T_CHECK(got->size >= len && memcmp(got->ptr, pdf, len) == 0,
          "the PDF itself is not written first");
  if (got->size >= len) {
    memmove(got->ptr, got->ptr + len, got->size - len);
    got->size -= len;
  }
  quire_buf_putc(got, 0);
  return rc;
}

/* A well-formed file as cairo writes one: a stream whose length is an
 * object of its own, two figures, the catalog last. */
static void S_cairo_like(quire_buf *pdf, const char *catalog_extra) {
  const char *obj[] = {
      NULL,
      "<< /Type /Pages\n   /Kids [ ]\n   /Count 0\n>>",
      "<< /Length 3 0 R\n>>\nstream\nabc (<<) endobj\nendstream",
      "21",
      "<< /Type /StructElem\n   /S /Figure\n   /P 6 0 R\n   /K 0\n>>",
      "<< /Type /StructElem\n   /S /Figure\n   /T (a >> b \\) <<)\n>>",
      "<< /Type /StructElem\n   /S /Document\n   /K [ 4 0 R 5 0 R ]\n>>",
      "<< /Producer (cairo) >>",
      NULL};
  size_t off[9];
  quire_buf_clear(pdf);
  quire_buf_puts(pdf, "%PDF-1.5\n%\xb5\xed\xae\xfb\n");
  for (int i = 1; obj[i]; i++) {
    off[i] = pdf->size;
    quire_buf_printf(pdf, "%d 0 obj\n%s\nendobj\n", i, obj[i]);
  }
  off[8] = pdf->size;
  quire_buf_printf(pdf,
                   "8 0 obj\n<< /Type /Catalog\n   /Pages 1 0 R\n%s>>\n"
                   "endobj\n",
                   catalog_extra);
  size_t x = pdf->size;
  quire_buf_puts(pdf, "xref\n0 9\n0000000000 65535 f \n");
  for (int i = 1; i <= 8; i++)
    quire_buf_printf(pdf, "%010zu 00000 n \n", off[i]);
  quire_buf_printf(pdf,
                   "trailer\n<< /Size 9\n   /Root 8 0 R\n   /Info 7 0 R\n>>\n"
                   "startxref\n%zu\n%%%%EOF\n",
                   x);
}

/* The objects of every object stream in out, inflated, one after another. */
static void S_inflate_objstms(const quire_buf *out, quire_buf *objs) {
  const char *p = out->ptr, *end = out->ptr + out->size;
  quire_buf_clear(objs);
  while ((p = strstr(p, "/Type /ObjStm")) != NULL && p < end) {
    const char *l = strstr(p, "/Length ");
    const char *s = strstr(p, "stream\n");
    if (!l || !s)
      break;
    uLong n = strtoul(l + 8, NULL, 10);
    uLongf cap = 1 << 16;
    quire_buf_grow(objs, cap);
    if (uncompress((Bytef *)objs->ptr + objs->size, &cap, (const Bytef *)s + 7,
                   n) == Z_OK)
      objs->size += cap;
    p = s + 7 + n;
  }
  quire_buf_putc(objs, 0);
}

static size_t S_count(const char *s, const char *w) {
  size_t n = 0;
  for (const char *p = s; (p = strstr(p, w)) != NULL; p++)
    n++;
  return n;
}

static int S_rewrite_run(const quire_buf *pdf, size_t chunk, const char **alt,
                         size_t nalt, quire_buf *got) {
  quire__pdf_catalog c;
  quire__out out;
  quire_buf_clear(got);
  quire__out_init(&out, quire_sink_buf(got), 0);
  quire__pdf_catalog_init(&c);
  for (size_t i = 0; i < nalt; i++)
    quire__pdf_catalog_alt(&c, alt[i]);
  for (size_t i = 0; i < pdf->size; i += chunk)
    quire__pdf_catalog_feed(
        &c, pdf->ptr + i, pdf->size - i < chunk ? pdf->size - i : chunk, &out);
  int rc = quire__pdf_catalog_finish(&c, "de", &out);
  quire__pdf_catalog_dispose(&c);
  return rc;
}

static void S_rewrite_tests(void) {
  quire_buf pdf = QUIRE_BUF_INIT, got = QUIRE_BUF_INIT, o = QUIRE_BUF_INIT;
  quire_buf first = QUIRE_BUF_INIT;
  S_cairo_like(&pdf, "   /Outlines 1 0 R\n");
  const char *alt[] = {"A (round) chart", "Schéma \xf0\x9f\x98\x80"};
  T_INT_EQ(S_rewrite_run(&pdf, pdf.size, alt, 2, &first), 2);
  /* The stream is copied byte for byte, a string holding "endobj" and all;
   * everything else is packed. */
  T_OK(S_find_bytes(&first, "2 0 obj\n<< /Length 3 0 R\n>>\nstream\nabc (<<) "
                            "endobj\nendstream\nendobj\n"));
  T_OK(!S_find_bytes(&first, "4 0 obj"));
  T_OK(S_find_bytes(&first, "/Type /XRef /Size 11 /W [1 4 2] /Root 8 0 R "
                            "/Info 7 0 R"));
  T_OK(S_find_bytes(&first, "%PDF-1.5\n%\xb5\xed\xae\xfb\n2 0 obj"));
  S_inflate_objstms(&first, &o);
  T_INT_EQ(S_count(o.ptr, "/Type /StructElem"), 3);
  /* Deflated at zlib's default level (pdf_catalog.c says why): the zlib
   * header's FLEVEL bits say 2, "default" (9 would say 3). */
  const char *objstm = strstr(first.ptr, "/Type /ObjStm");
  const char *zs = objstm ? strstr(objstm, "stream\n") : NULL;
  T_OK(zs && (unsigned char)zs[7] == 0x78 && (unsigned char)zs[8] == 0x9C);
  T_OK(strstr(o.ptr, "/Lang (de)") && strstr(o.ptr, "/PageMode /UseOutlines"));
  /* In order; escaped when ASCII, UTF-16BE otherwise (U+1F600 a pair). */
  const char *a1 = strstr(o.ptr, "/Alt (A \\(round\\) chart)");
  const char *a2 =
      strstr(o.ptr, "/Alt <FEFF00530063006800E9006D00610020D83DDE00>");
  T_OK(a1 && a2 && a1 < a2);
  /* The figure whose title holds ">>" and "<<" keeps its title whole. */
  T_OK(strstr(o.ptr, "/T (a >> b \\) <<)\n   /Alt <FEFF") != NULL);
  /* Chunking changes nothing; the same input gives the same bytes. */
  for (size_t chunk = 1; chunk < 64; chunk += 7) {
    T_INT_EQ(S_rewrite_run(&pdf, chunk, alt, 2, &got), 2);
    T_CHECK(got.size == first.size && memcmp(got.ptr, first.ptr, got.size) == 0,
            "chunk %zu differs", chunk);
  }
  /* Texts for a different number of figures: none is given a text. */
  T_INT_EQ(S_rewrite_run(&pdf, pdf.size, alt, 1, &got), 2);
  S_inflate_objstms(&got, &o);
  T_OK(strstr(o.ptr, "/Alt") == NULL);
  /* A PDF 1.4 header cannot have object streams: the update instead. */
  pdf.ptr[7] = '4';
  T_INT_EQ(S_rewrite_run(&pdf, pdf.size, alt, 2, &got), 1);
  T_OK(got.size > pdf.size && memcmp(got.ptr, pdf.ptr, pdf.size) == 0);
  quire_buf_dispose(&pdf);
  quire_buf_dispose(&got);
  quire_buf_dispose(&o);
  quire_buf_dispose(&first);
}

int main(void) {
  S_rewrite_tests();
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
  /* Over 32 MiB the PDF is passed on as it comes, and the catalog is found
   * in what was kept and what came after together, whichever side of the
   * switch its header falls on (the switch comes at exactly 32 MiB). */
  size_t keep = (size_t)32 << 20;
  size_t cat = (size_t)(strstr(S_pdf, "54 0 obj") - S_pdf);
  char *over = malloc(keep + n + 1);
  for (size_t back = 0; over && back < 12; back += 3) {
    size_t pad = keep - cat - back;
    memset(over, 'a', pad);
    memcpy(over + pad, S_pdf, n + 1);
    T_INT_EQ(S_run(over, pad + n, 4096, "en", &got), 1);
    T_OK(strstr(got.ptr, "54 0 obj\n<< /Type /Catalog") == got.ptr &&
         strstr(got.ptr, "/Lang (en)") && strstr(got.ptr, "/Prev 123"));
  }
  free(over);
  quire_buf_dispose(&whole);
  quire_buf_dispose(&got);
  return T_done("test_pdf_catalog");
}
