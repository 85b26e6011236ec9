/* libFuzzer harness for the theme.json loader (template/theme.c) and what
 * the renderers make of a theme. The input is one control byte, then the
 * text of a user's theme.json, written to a private template directory:
 *   bits 0-2  the template (0-4: the built-ins in order, default first)
 *   bit 3     the file is the user's default/theme.json, under the
 *             template's (else the template's own)
 *   bit 4     render HTML with it
 *   bit 5     render terminal text with it (no colour, then 256 colours)
 *   bit 6     render a PDF with it (libharu; cairo with bit 7 when built in)
 * Checked: the loader either fills every field within its documented range
 * or fails with QUIRE_ETEMPLATE and a one-line reason naming the file; the
 * renderers never fail for a theme the loader accepted; uncoloured
 * terminal text holds no control character but newline.
 * Built without -fsanitize=fuzzer, main() replays files. */
#define _DEFAULT_SOURCE /* mkdtemp, setenv */
#include "quire.h"
#include "template/theme.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static char S_dir[64];
static char S_fontconf[96];
static quire_doc *S_doc;
static struct { unsigned long inputs, loaded, refused, html, text, pdf; } S_n;

/* A short report with the blocks a theme colours and sizes: title,
 * summary, trait chips, paragraphs, actions, Markdown code and a table. */
static const char S_report[] =
    "{\"id\":\"rep_theme\",\"createdAt\":\"2026-04-07T19:12:48Z\","
    "\"entity\":{\"id\":\"ent_1\",\"label\":\"Dana Okafor\"},"
    "\"output\":{\"template\":\"general_report\"},"
    "\"json\":{\"schemaVersion\":2,\"template\":\"general_report\","
    "\"title\":\"Theme check\",\"summary\":\"A summary long enough to wrap "
    "onto a second line at most widths, with some words in it.\","
    "\"sections\":[{\"kind\":\"traits\",\"key\":\"t\",\"title\":\"Traits\","
    "\"body\":\"Three traits.\",\"phrases\":[\"One\",\"Two\",\"Three\"]},"
    "{\"kind\":\"paragraph\",\"key\":\"p\",\"title\":\"Paragraph\","
    "\"body\":\"Body text with **bold**, `code` and a "
    "[link](https://example.com).\\n\\n```\\ncode block\\n```\\n\\n"
    "| a | b |\\n|---|---|\\n| 1 | 2 |\\n\"},"
    "{\"kind\":\"actions\",\"key\":\"a\",\"title\":\"Actions\","
    "\"items\":[\"First\",\"Second\"]}]}}";

static void S_cleanup(void) {
  char p[160];
  for (size_t i = 0; quire_template_name(i); i++) {
    snprintf(p, sizeof p, "%s/%s/theme.json", S_dir, quire_template_name(i));
    unlink(p);
    snprintf(p, sizeof p, "%s/%s", S_dir, quire_template_name(i));
    rmdir(p);
  }
  if (S_fontconf[0])
    unlink(S_fontconf);
  rmdir(S_dir);
  quire_doc_free(S_doc);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  const char *tmp = getenv("TMPDIR");
  if (!tmp || !*tmp || strlen(tmp) > 32)
    tmp = "/tmp";
  snprintf(S_dir, sizeof S_dir, "%s/quire-fuzz-XXXXXX", tmp);
  if (!mkdtemp(S_dir))
    abort();
  for (size_t i = 0; quire_template_name(i); i++) {
    char p[160];
    snprintf(p, sizeof p, "%s/%s", S_dir, quire_template_name(i));
    mkdir(p, 0700);
  }
  /* As fuzz_paged.c: no scan of the machine's fonts for a missing glyph. */
  snprintf(S_fontconf, sizeof S_fontconf, "%s/fonts.conf", S_dir);
  FILE *fp = fopen(S_fontconf, "w");
  if (fp) {
    fputs("<fontconfig></fontconfig>\n", fp);
    fclose(fp);
    setenv("FONTCONFIG_FILE", S_fontconf, 1);
  }
  if (quire_doc_parse(&S_doc, S_report, sizeof S_report - 1, NULL, NULL))
    abort();
  atexit(S_cleanup);
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

static void S_range(double v, double lo, double hi) {
  if (!(v >= lo && v <= hi))
    abort();
}

static void S_check_theme(const quire__theme *t) {
  if (!memchr(t->display_name, 0, sizeof t->display_name) ||
      !memchr(t->font_body, 0, sizeof t->font_body) ||
      !memchr(t->font_heading, 0, sizeof t->font_heading) ||
      !memchr(t->font_mono, 0, sizeof t->font_mono))
    abort();
  S_range(t->size_body, 5, 30);
  S_range(t->size_small, 4, 30);
  S_range(t->size_h1, 5, 72);
  S_range(t->size_h2, 5, 60);
  S_range(t->size_h3, 5, 48);
  S_range(t->line_height, 1, 3);
  S_range(t->margin_mm, 5, 50);
  S_range(t->side_mm, 5, 60);
  S_range(t->block_gap, 0, 72);
  S_range(t->card_radius, 0, 36);
  S_range(t->card_padding, 0, 48);
  S_range(t->term_accent16, 0, 15);
  S_range(t->term_muted16, 0, 15);
  for (int i = 0; i < 3; i++)
    S_range(t->term_chip16[i], 0, 15);
}

static void S_warn(const char *message, void *payload) {
  (void)payload;
  S_check_line(message);
}

static void S_render(quire_format fmt, quire_render_options *ro) {
  quire_buf out = QUIRE_BUF_INIT;
  quire_error err;
  int rc = quire_render_buf(&out, S_doc, fmt, ro, &err);
  if (rc != 0) {
    /* The loader accepted the theme: nothing left to refuse it for. */
    fprintf(stderr, "render %d failed: %s\n", (int)fmt, err.message);
    abort();
  }
  if (fmt == QUIRE_FORMAT_TEXT && ro->color == QUIRE_COLOR_NONE)
    for (size_t i = 0; i < out.size; i++)
      if (((unsigned char)out.ptr[i] < 0x20 && out.ptr[i] != '\n') ||
          out.ptr[i] == 0x7f)
        abort();
  if (fmt == QUIRE_FORMAT_PDF && (out.size < 5 || memcmp(out.ptr, "%PDF-", 5)))
    abort();
  quire_buf_dispose(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  S_n.inputs++;
  unsigned char ctl = data[0];
  size_t ntemplates = 0;
  while (quire_template_name(ntemplates))
    ntemplates++;
  const char *tname = quire_template_name((ctl & 7) % ntemplates);
  const char *layer = (ctl & 8) ? "default" : tname;
  char path[160];
  for (size_t i = 0; i < ntemplates; i++) {
    snprintf(path, sizeof path, "%s/%s/theme.json", S_dir,
             quire_template_name(i));
    unlink(path);
  }
  snprintf(path, sizeof path, "%s/%s/theme.json", S_dir, layer);
  FILE *fp = fopen(path, "wb");
  if (!fp)
    abort();
  fwrite(data + 1, 1, size - 1, fp);
  fclose(fp);

  quire__theme t;
  quire_error err;
  quire_error_clear(&err);
  int rc = quire__theme_load(&t, S_dir, tname, &err);
  if (rc) {
    /* A broken theme is the designer's to fix: say which file and why. */
    if (rc != QUIRE_ETEMPLATE || err.code != rc || !strstr(err.source, S_dir))
      abort();
    S_check_line(err.message);
    S_n.refused++;
    return 0;
  }
  S_n.loaded++;
  S_check_theme(&t);

  quire_render_options ro = QUIRE_RENDER_OPTIONS_INIT;
  ro.template_dir = S_dir;
  ro.template_name = tname;
  ro.warn = S_warn;
  if (ctl & 0x10) {
    S_render(QUIRE_FORMAT_HTML, &ro);
    S_n.html++;
  }
  if (ctl & 0x20) {
    S_render(QUIRE_FORMAT_TEXT, &ro);
    ro.color = QUIRE_COLOR_256;
    S_render(QUIRE_FORMAT_TEXT, &ro);
    ro.color = QUIRE_COLOR_NONE;
    S_n.text++;
  }
  if (ctl & 0x40) {
    int cairo = (ctl & 0x80) && (quire_features() & QUIRE_FEATURE_CAIRO);
    ro.engine = cairo ? QUIRE_PDF_CAIRO : QUIRE_PDF_HARU;
    S_render(QUIRE_FORMAT_PDF, &ro);
    S_n.pdf++;
  }
  return 0;
}

#define QUIRE_FUZZ_INIT
#define QUIRE_FUZZ_SUMMARY
#include "replay.h"

#ifndef QUIRE_LIBFUZZER
static void quire_fuzz_summary(FILE *out) {
  fprintf(out,
          "fuzz_theme: %lu inputs, %lu themes loaded, %lu refused; rendered "
          "HTML %lu, text %lu, PDF %lu\n",
          S_n.inputs, S_n.loaded, S_n.refused, S_n.html, S_n.text, S_n.pdf);
}
#endif
