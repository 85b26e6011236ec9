/* The cairo engine paints Latin (Greek, Cyrillic) paragraphs in the
 * roles' own faces itself, from the line model's glyphs (paint/cairo.c,
 * "the direct path"), and hands everything else to pango. A report of such
 * text therefore never makes pango's font map (a render's most expensive
 * set-up: fontconfig sorting every font set); a paragraph of Arabic or
 * Devanagari still goes through pango, which shapes it, and so does one
 * mixing scripts. */
#include "harness.h"
#include "quire.h"

#ifdef QUIRE_HAVE_CAIRO
#include "paint/cairo.h"
#endif

#include <stdlib.h>
#include <string.h>

#ifdef QUIRE_HAVE_CAIRO
static const char S_latin[] =
    "{\"id\":\"r1\",\"title\":\"Direct\",\"markdown\":\"# A heading\\n\\n"
    "Plain text with *italic*, **bold** and `code`, a ligature in office and "
    "final, kerning in AVATAR and Type, \\u00e9t\\u00e9, long enough to "
    "wrap onto a second line of the page at the default width of the body "
    "column, and then some more words so that it does.\\n\\n"
    "\\u0393\\u03b5\\u03b9\\u03ac \\u03c3\\u03bf\\u03c5.\\n\\n"
    "\\u041f\\u0440\\u0438\\u0432\\u0435\\u0442!\\n\\n"
    "- a list item\\n- another one\"}";

/* Links (underlined) and strike-through: painted directly too, the lines
 * where pango drew them. */
static const char S_deco[] =
    "{\"id\":\"r3\",\"title\":\"Decorated\",\"markdown\":\"# Links\\n\\n"
    "See [the handbook](https://example.com/handbook) and "
    "[*an italic link* that runs on long enough to wrap onto the next line of "
    "the page](https://example.com/wrap), then ~~struck text~~ and "
    "~~**bold struck**~~ in one paragraph.\"}";

static const char S_shaped[] =
    "{\"id\":\"r2\",\"title\":\"Shaped\",\"markdown\":\"# Scripts\\n\\n"
    "\\u0645\\u0631\\u062d\\u0628\\u0627 \\u0628\\u0627\\u0644\\u0639\\u0627"
    "\\u0644\\u0645\\n\\n"
    "\\u0928\\u092e\\u0938\\u094d\\u0924\\u0947 \\u0926\\u0941\\u0928\\u093f"
    "\\u092f\\u093e\"}";

static int S_render(const char *json, size_t len, int fmt, quire_buf *out) {
  quire_doc *doc = NULL;
  quire_error err;
  int rc = quire_doc_parse(&doc, json, len, NULL, &err);
  if (!rc)
    rc = quire_render_buf(out, doc, fmt, NULL, &err);
  if (rc)
    fprintf(stderr, "render: %s\n", err.message);
  quire_doc_free(doc);
  return rc;
}
#endif

int main(void) {
#ifndef QUIRE_HAVE_CAIRO
  printf("# skip: built without the cairo engine\n");
  T_OK(!(quire_features() & QUIRE_FEATURE_CAIRO));
  return T_done("cairo_direct");
#else
  quire_buf pdf = QUIRE_BUF_INIT, png = QUIRE_BUF_INIT;
  /* Latin, Greek and Cyrillic in the mapped DejaVu faces: no pango. */
  T_INT_EQ(S_render(S_latin, sizeof S_latin - 1, QUIRE_FORMAT_PDF, &pdf), 0);
  T_OK(pdf.size > 1000 && memcmp(pdf.ptr, "%PDF-", 5) == 0);
  T_INT_EQ(S_render(S_latin, sizeof S_latin - 1, QUIRE_FORMAT_PNG, &png), 0);
  T_OK(png.size > 1000 && memcmp(png.ptr, "\x89PNG", 4) == 0);
  T_CHECK(quire__cairo_fontmaps_made() == 0,
          "a Latin report made %ld pango font maps",
          quire__cairo_fontmaps_made());
  /* The same render again gives the same bytes. */
  quire_buf again = QUIRE_BUF_INIT;
  T_INT_EQ(S_render(S_latin, sizeof S_latin - 1, QUIRE_FORMAT_PDF, &again), 0);
  T_OK(again.size == pdf.size && memcmp(again.ptr, pdf.ptr, pdf.size) == 0);
  quire_buf_dispose(&again);
  /* Links and strike-through: still no pango. */
  quire_buf deco = QUIRE_BUF_INIT;
  T_INT_EQ(S_render(S_deco, sizeof S_deco - 1, QUIRE_FORMAT_PDF, &deco), 0);
  T_OK(deco.size > 1000 && memcmp(deco.ptr, "%PDF-", 5) == 0);
  quire_buf_dispose(&deco);
  T_INT_EQ(S_render(S_deco, sizeof S_deco - 1, QUIRE_FORMAT_PNG, &deco), 0);
  T_OK(deco.size > 1000 && memcmp(deco.ptr, "\x89PNG", 4) == 0);
  quire_buf_dispose(&deco);
  T_CHECK(quire__cairo_fontmaps_made() == 0,
          "links and strike-through made %ld pango font maps",
          quire__cairo_fontmaps_made());
  /* Arabic and Devanagari: pango shapes them. */
  quire_buf shaped = QUIRE_BUF_INIT;
  T_INT_EQ(S_render(S_shaped, sizeof S_shaped - 1, QUIRE_FORMAT_PDF, &shaped),
           0);
  T_CHECK(quire__cairo_fontmaps_made() == 1,
          "Arabic and Devanagari made %ld pango font maps (want 1)",
          quire__cairo_fontmaps_made());
  quire_buf_dispose(&shaped);
  quire_buf_dispose(&pdf);
  quire_buf_dispose(&png);
  return T_done("cairo_direct");
#endif
}
