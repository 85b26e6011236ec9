/* libFuzzer harness for the paged path: page layout, both PDF engines
 * (cairo, libharu) and PNG pages, from any report. The input is the decode
 * corpus's format: one control byte, then report JSON. The control byte:
 *   bits 0-1  0 cairo PDF, 1 libharu PDF, 2 PNG, 3 all three
 *   bit 2     US Letter instead of A4
 *   bits 3-5  1-5: that built-in template instead of the report's own
 *   bit 6     PNG: the last page instead of the first
 *   bit 7     strict parse
 * Checked: a render that succeeds wrote a whole PDF or PNG, one that fails
 * says why in one line, and the PNG pages agree with the page count.
 *
 * The font set is kept small so runs stay fast: the engines use the font
 * map's families, and the system fontconfig (asked only for a character no
 * mapped font has) is pointed at an empty configuration, so no input makes
 * a render scan and load the machine's installed fonts.
 *
 * In a build without cairo (make PDF=haru) the cairo PDF is served by
 * libharu and PNG must fail with QUIRE_EUNSUPPORTED; the replay's summary
 * says so. Built without -fsanitize=fuzzer, main() replays files. */
#define _DEFAULT_SOURCE /* mkstemps, setenv */
#include "quire.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static struct {
  unsigned long inputs, docs, cairo_pdf, haru_pdf, png, png_pages;
  unsigned long unsupported, failed;
} S_n;
static int S_cairo; /* the cairo engine is built in */
static char S_fontconf[64];

static void S_remove_fontconf(void) { unlink(S_fontconf); }

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  S_cairo = (quire_features() & QUIRE_FEATURE_CAIRO) != 0;
  const char *tmp = getenv("TMPDIR");
  snprintf(S_fontconf, sizeof S_fontconf, "%s/quire-fuzz-XXXXXX.conf",
           tmp && *tmp && strlen(tmp) < 32 ? tmp : "/tmp");
  int fd = mkstemps(S_fontconf, 5);
  if (fd >= 0) {
    static const char conf[] = "<fontconfig></fontconfig>\n";
    if (write(fd, conf, sizeof conf - 1) == (ssize_t)(sizeof conf - 1))
      setenv("FONTCONFIG_FILE", S_fontconf, 1);
    close(fd);
    atexit(S_remove_fontconf);
  }
  return 0;
}

/* One line, no control character (C0, DEL, or C1 as UTF-8): what every
 * error and warning message promises, as it may reach a terminal. */
static void S_check_line(const char *s) {
  if (!*s)
    abort();
  for (; *s; s++)
    if ((unsigned char)*s < 0x20 || *s == 0x7f ||
        ((unsigned char)s[0] == 0xc2 && (unsigned char)s[1] >= 0x80 &&
         (unsigned char)s[1] < 0xa0))
      abort();
}

static void S_warn(const char *message, void *payload) {
  (void)payload;
  S_check_line(message);
}

static int S_has(const quire_buf *b, const char *magic, size_t n) {
  return b->size >= n && memcmp(b->ptr, magic, n) == 0;
}

/* A PDF from either engine: the header, and %%EOF in the last bytes. */
static void S_check_pdf(const quire_buf *b) {
  if (!S_has(b, "%PDF-", 5))
    abort();
  size_t tail = b->size < 32 ? b->size : 32;
  const char *end = b->ptr + b->size - tail;
  int found = 0;
  for (size_t i = 0; i + 5 <= tail; i++)
    found |= memcmp(end + i, "%%EOF", 5) == 0;
  if (!found)
    abort();
}

static const char S_png_magic[] = "\x89PNG\r\n\x1a\n";

static void S_check_failure(int rc, const quire_error *err) {
  if (rc >= 0 || err->code != rc)
    abort();
  S_check_line(err->message);
  S_n.failed++;
}

static int S_pdf(const quire_doc *doc, quire_render_options *ro,
                 quire_pdf_engine engine) {
  quire_buf out = QUIRE_BUF_INIT;
  quire_error err;
  ro->engine = engine;
  int rc = quire_render_buf(&out, doc, QUIRE_FORMAT_PDF, ro, &err);
  if (rc == 0) {
    S_check_pdf(&out);
    if (engine == QUIRE_PDF_CAIRO && S_cairo)
      S_n.cairo_pdf++;
    else
      S_n.haru_pdf++;
  } else {
    S_check_failure(rc, &err);
  }
  quire_buf_dispose(&out);
  ro->engine = QUIRE_PDF_CAIRO;
  return rc;
}

typedef struct S_pages {
  int count, next;
} S_pages;

static int S_on_page(int page, int count, const char *png, size_t len,
                     void *payload) {
  S_pages *p = payload;
  if (page != p->next++ || count != p->count || len < 8 ||
      memcmp(png, S_png_magic, 8) != 0)
    abort();
  return 0;
}

static void S_png(const quire_doc *doc, quire_render_options *ro, int last,
                  int several) {
  quire_error err;
  int count = 0;
  /* The page count comes from the cairo engine's layout, as PNG's does. */
  int rc = quire_render_page_count(&count, doc, ro, &err);
  if (rc) {
    S_check_failure(rc, &err);
    return;
  }
  if (count < 1)
    abort();
  quire_buf out = QUIRE_BUF_INIT;
  ro->page = last ? count : 1;
  rc = quire_render_buf(&out, doc, QUIRE_FORMAT_PNG, ro, &err);
  ro->page = 0;
  if (!S_cairo) {
    /* Lean build: PNG must be refused as not built in, not half-made. */
    if (rc != QUIRE_EUNSUPPORTED)
      abort();
    S_n.unsupported++;
  } else if (rc == 0) {
    if (!S_has(&out, S_png_magic, 8))
      abort();
    S_n.png++;
  } else {
    S_check_failure(rc, &err);
  }
  quire_buf_dispose(&out);
  if (several && S_cairo && rc == 0) {
    S_pages p = {count, 1};
    int last_page = count < 2 ? count : 2;
    rc = quire_render_png_pages(doc, ro, 1, last_page, S_on_page, &p, &err);
    if (rc == 0) {
      if (p.next != last_page + 1)
        abort();
      S_n.png_pages++;
    } else {
      S_check_failure(rc, &err);
    }
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  S_n.inputs++;
  unsigned char ctl = data[0];
  quire_parse_options po = QUIRE_PARSE_OPTIONS_INIT;
  po.flags = (ctl & 0x80) ? QUIRE_PARSE_STRICT : 0;
  po.max_markdown = 65536;
  quire_doc *doc = NULL;
  if (quire_doc_parse(&doc, (const char *)data + 1, size - 1, &po, NULL) != 0)
    return 0;
  S_n.docs++;
  quire_render_options ro = QUIRE_RENDER_OPTIONS_INIT;
  ro.paper = (ctl & 4) ? QUIRE_PAPER_LETTER : QUIRE_PAPER_A4;
  unsigned t = (ctl >> 3) & 7;
  if (t >= 1 && t <= 5)
    ro.template_name = quire_template_name(t - 1);
  ro.dpi = 48; /* the layout is the same at any resolution; fewer pixels */
  ro.warn = S_warn;
  switch (ctl & 3) {
  case 0: S_pdf(doc, &ro, QUIRE_PDF_CAIRO); break;
  case 1: S_pdf(doc, &ro, QUIRE_PDF_HARU); break;
  case 2: S_png(doc, &ro, ctl & 0x40, 0); break;
  default:
    S_pdf(doc, &ro, QUIRE_PDF_CAIRO);
    S_pdf(doc, &ro, QUIRE_PDF_HARU);
    S_png(doc, &ro, ctl & 0x40, 1);
    break;
  }
  quire_doc_free(doc);
  return 0;
}

#define QUIRE_FUZZ_INIT
#define QUIRE_FUZZ_SUMMARY
#include "replay.h"

#ifndef QUIRE_LIBFUZZER
static void quire_fuzz_summary(FILE *out) {
  fprintf(out,
          "fuzz_paged: %lu inputs, %lu reports; cairo PDF %lu, libharu PDF "
          "%lu, PNG %lu, PNG page runs %lu; %lu failed with a reason\n",
          S_n.inputs, S_n.docs, S_n.cairo_pdf, S_n.haru_pdf, S_n.png,
          S_n.png_pages, S_n.failed);
  if (!S_cairo)
    fprintf(out,
            "fuzz_paged: cairo not built in: cairo PDF requests were served "
            "by libharu, %lu PNG renders refused with QUIRE_EUNSUPPORTED as "
            "expected\n",
            S_n.unsupported);
}
#endif
