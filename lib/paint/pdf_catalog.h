/* What cairo 1.16 cannot write: /Lang (the document's language, which
 * screen readers and hyphenating viewers need), /PageMode /UseOutlines
 * (bookmarks open by default), /Alt on Figure structure elements (the
 * illustrations' alternative text), and object streams (PDF 1.5).
 *
 * cairo writes every dictionary as plain text (a structure element is
 * about 100 bytes with its xref entry; a tagged 4-page report has 90 of
 * them, an "About" table row three), so the PDF is kept whole up to 32 MiB
 * and rewritten once cairo is done: its streams (fonts, pages) are copied
 * as they are, every other object goes, with the entries above added, into
 * deflated object streams, and a cross-reference stream replaces the
 * table (sales_playbook: 59,550 -> 40,868 bytes).
 *
 * A larger PDF, or one not shaped as cairo writes it, passes through and
 * gets the catalog entries the standard way a PDF is amended: an
 * incremental update after cairo's %%EOF (a new revision of the catalog,
 * a one-entry xref section, a trailer whose /Prev points at cairo's
 * xref). For that only the tail from the last object header on is kept:
 * cairo writes the catalog last, right before the xref. */
#ifndef QUIRE_PDF_CATALOG_H
#define QUIRE_PDF_CATALOG_H

#include "internal.h"

typedef struct quire__pdf_catalog {
  quire_buf whole; /* the PDF so far, while it is kept whole */
  int streaming;   /* too large: passed through as it came */
  int lost;        /* no memory to keep it: the output is incomplete */
  char **alts;     /* each Figure's alternative text, in tag order */
  size_t nalt, aalt;
  quire_buf tail; /* bytes since the last "N 0 obj" header */
  char carry[16]; /* the previous chunk's last bytes */
  size_t ncarry;
  unsigned long long size; /* bytes seen so far */
  int overflow;            /* an object too large to keep: tail invalid */
} quire__pdf_catalog;

void quire__pdf_catalog_init(quire__pdf_catalog *c);
void quire__pdf_catalog_dispose(quire__pdf_catalog *c);

/* Every byte of the PDF, in order, as it is written; what has to be
 * passed on now (the PDF no longer kept whole) goes to out. */
void quire__pdf_catalog_feed(quire__pdf_catalog *c, const void *data,
                             size_t len, quire__out *out);

/* The alternative text of the next Figure structure element opened. */
int quire__pdf_catalog_alt(quire__pdf_catalog *c, const char *alt);

/*
 * Writes what is left of the PDF to out once cairo is done. lang is a
 * BCP 47 tag ("en", "pt-BR"); anything else (or NULL) leaves /Lang out.
 * /PageMode /UseOutlines is added when the document has an outline.
 * Figures get their /Alt when their number matches the texts given.
 * Returns 2 when the PDF was rewritten, 1 when it was written as cairo
 * wrote it with the catalog update appended, 0 when it was written as
 * cairo wrote it (the tail was not cairo's shape: still a valid PDF).
 */
int quire__pdf_catalog_finish(quire__pdf_catalog *c, const char *lang,
                              quire__out *out);

#endif
