/* The catalog entries cairo 1.16 cannot write: /Lang (the document's
 * language, which screen readers and hyphenating viewers need) and
 * /PageMode /UseOutlines (bookmarks open by default). Added the standard
 * way a PDF is amended, as an incremental update appended after cairo's
 * %%EOF: a new revision of the catalog object, a one-entry xref section
 * and a trailer whose /Prev points at cairo's xref. The PDF streams past
 * on its way to the sink, so only the tail from the last object header
 * on is kept: cairo writes the catalog last, right before the xref. */
#ifndef QUIRE_PDF_CATALOG_H
#define QUIRE_PDF_CATALOG_H

#include "internal.h"

typedef struct quire__pdf_catalog {
  quire_buf tail; /* bytes since the last "N 0 obj" header */
  char carry[16]; /* the previous chunk's last bytes */
  size_t ncarry;
  unsigned long long size; /* bytes seen so far */
  int overflow;            /* an object too large to keep: tail invalid */
} quire__pdf_catalog;

void quire__pdf_catalog_init(quire__pdf_catalog *c);
void quire__pdf_catalog_dispose(quire__pdf_catalog *c);

/* Every byte of the PDF, in order, as it is written. */
void quire__pdf_catalog_feed(quire__pdf_catalog *c, const void *data,
                             size_t len);

/*
 * Writes the incremental update to out once the PDF is complete. lang is a
 * BCP 47 tag ("en", "pt-BR"); anything else (or NULL) leaves /Lang out.
 * /PageMode /UseOutlines is added when the document has an outline.
 * Returns 1 when the update was written, 0 when the tail was not what
 * cairo writes (nothing is appended then: the PDF stays valid as it is).
 */
int quire__pdf_catalog_finish(quire__pdf_catalog *c, const char *lang,
                              quire__out *out);

#endif
