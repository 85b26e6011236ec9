/* The one text policy (safety/text_policy.h) on its own, in each of its
 * forms (documents, diagnostics and quire_text_sanitize, in place), then
 * whole hostile reports rendered as terminal text in every colour mode
 * with every escape in the output parsed and only the renderer's own SGR
 * and OSC 8 (http/https/mailto) allowed. */
#include "harness.h"
#include "internal.h"
#include "render/ansi.h"
#include "safety/escape_html.h"
#include "safety/text_policy.h"

#include <dirent.h>
#include <stdlib.h>
#include <strings.h>

#define FFFD "\xef\xbf\xbd"

static void S_clean(const char *in, size_t len, unsigned flags,
                    const char *want) {
  quire_buf b = QUIRE_BUF_INIT;
  T_INT_EQ(quire__text_clean(&b, in, len, flags), 0);
  T_CHECK(b.size == strlen(want) && memcmp(b.ptr, want, b.size) == 0,
          "clean: got \"%s\", want \"%s\"", b.ptr, want);
  T_INT_EQ(quire__text_is_clean(b.ptr, b.size, flags), 1);
  quire_buf_dispose(&b);
}

static void S_visible(const char *in, size_t len, unsigned flags,
                      const char *want) {
  quire_buf b = QUIRE_BUF_INIT;
  T_INT_EQ(quire_text_sanitize(&b, in, len, flags), 0);
  T_CHECK(b.size == strlen(want) && memcmp(b.ptr, want, b.size) == 0,
          "visible: got \"%s\", want \"%s\"", b.ptr, want);
  quire_buf_dispose(&b);
}

static void S_html(const char *in, const char *want) {
  quire_buf b = QUIRE_BUF_INIT;
  T_INT_EQ(quire__escape_html(&b, in, strlen(in)), 0);
  T_CHECK(b.size == strlen(want) && memcmp(b.ptr, want, b.size) == 0,
          "html: got \"%s\", want \"%s\"", b.ptr, want);
  quire_buf_dispose(&b);
}

/* One set of dangerous code points, decided once. */
static void test_classes(void) {
  static const int32_t control[] = {0x00, 0x07, 0x1B, 0x7F,
                                    0x80, 0x85, 0x9B, 0x9F};
  static const int32_t bidi[] = {0x061C, 0x200E, 0x200F, 0x202A,
                                 0x202E, 0x2066, 0x2068, 0x2069};
  static const int32_t nonchar[] = {0xFDD0, 0xFDEF,  0xFFFE,
                                    0xFFFF, 0x1FFFE, 0x10FFFF};
  static const int32_t text[] = {' ',    'a',    0xA0,          0xE9,
                                 0x0627, 0x200B, 0x2067 - 0x47, 0xFDCF,
                                 0xFDF0, 0xFFFD, 0x1F1E6,       0x10FFFD};
  for (size_t i = 0; i < sizeof control / sizeof *control; i++)
    T_INT_EQ(quire__tp_classify(control[i]), QUIRE__TP_CONTROL);
  for (size_t i = 0; i < sizeof bidi / sizeof *bidi; i++)
    T_INT_EQ(quire__tp_classify(bidi[i]), QUIRE__TP_BIDI);
  for (size_t i = 0; i < sizeof nonchar / sizeof *nonchar; i++)
    T_INT_EQ(quire__tp_classify(nonchar[i]), QUIRE__TP_NONCHAR);
  for (size_t i = 0; i < sizeof text / sizeof *text; i++)
    T_INT_EQ(quire__tp_classify(text[i]), QUIRE__TP_TEXT);
  T_INT_EQ(quire__tp_classify('\n'), QUIRE__TP_NEWLINE);
  T_INT_EQ(quire__tp_classify('\t'), QUIRE__TP_TAB);
  T_INT_EQ(quire__tp_classify(0x2028), QUIRE__TP_LINESEP);
}

static void test_document(void) {
  S_clean("plain text", 10, 0, "plain text");
  S_clean("caf\xc3\xa9 \xe6\x97\xa5", 9, 0, "caf\xc3\xa9 \xe6\x97\xa5");
  S_clean("\x1b[2J", 4, 0, FFFD "[2J");
  S_clean("\x1b]0;pwned\x07", 10, 0, FFFD "]0;pwned" FFFD);
  S_clean("\xc2\x9b"
          "31m",
          5, 0, FFFD "31m"); /* C1 CSI */
  S_clean("a\rb\bc\x7f", 6, 0, "a" FFFD "b" FFFD "c" FFFD);
  S_clean("a\nb\tc", 5, 0, "a b c");
  S_clean("a\nb\tc", 5, QUIRE__TP_KEEP_NL | QUIRE__TP_KEEP_TAB, "a\nb\tc");
  S_clean("x\xe2\x80\xaeyz\xe2\x80\xac", 9, 0, "xyz"); /* RLO ... PDF */
  S_clean("\xe2\x81\xa6i\xe2\x81\xa9", 7, 0, "i");     /* LRI ... PDI */
  S_clean("\xe2\x80\x8f"
          "a\xd8\x9c",
          6, 0, "a"); /* RLM, ALM */
  S_clean("a\xe2\x80\xa8"
          "b",
          5, 0, "a b");                                 /* LS */
  S_clean("\xef\xb7\x90\xef\xbf\xbf", 6, 0, FFFD FFFD); /* nonchars */
  S_clean("\xff\xc3", 2, 0, FFFD FFFD);                 /* invalid */
  S_clean("a\0b", 3, 0, "a" FFFD "b");
  T_INT_EQ(quire__text_is_clean("\x1b", 1, 0), 0);
  T_INT_EQ(quire__text_is_clean("ok", 2, 0), 1);
  /* isolates pass only when asked (text that was made a field) */
  T_INT_EQ(quire__text_is_clean("\xe2\x81\xa8x\xe2\x81\xa9", 7,
                                QUIRE__TP_KEEP_ISOLATES),
           1);
  /* a field: FSI, the cleaned text (no isolate of its own), PDI */
  quire_buf b = QUIRE_BUF_INIT;
  quire__text_field(&b,
                    "ab\xe2\x81\xa7"
                    "c\xe2\x80\xae",
                    9, QUIRE__TP_KEEP_ISOLATES);
  quire_buf_putc(&b, 0);
  T_STR_EQ(b.ptr, "\xe2\x81\xa8"
                  "abc\xe2\x81\xa9");
  quire_buf_clear(&b);
  quire__text_field(&b, "", 0, 0);
  T_INT_EQ(b.size, 0);
  quire_buf_dispose(&b);
}

static void test_visible(void) {
  S_visible("plain", 5, 0, "plain");
  S_visible("\x1b]0;x\x07", 6, 0, "\\x1b]0;x\\x07");
  S_visible("\xc2\x9b"
            "2J \xe2\x80\xae"
            "evil \xd8\x9c\xe2\x80\x8e",
            18, 0, "\\u009b2J \\u202eevil \\u061c\\u200e");
  S_visible("a\nb", 3, 0, "a\\x0ab");
  S_visible("a\nb", 3, QUIRE_TEXT_KEEP_NEWLINES, "a\nb");
  S_visible("\xef\xbf\xbe\xff", 4, 0, "\\ufffe\\xff");
  S_visible("caf\xc3\xa9", 5, 0, "caf\xc3\xa9");
  T_INT_EQ(quire_text_sanitize(NULL, "x", 1, 0), QUIRE_EINVAL);
}

static void test_inplace(void) {
  char w[] = "a\x1b[31mb\x07\x7f c\xC2\x9B d\xE2\x80\xAE e\xE2\x81\xA6 "
             "\xEF\xB7\x90 \xC3\xA9\xff";
  quire__text_clean_inplace(w);
  T_STR_EQ(w, "a?[31mb?? c?? d??? e??? ??? \xC3\xA9?");
}

/* The HTML escaper judges by the same policy: C1 and noncharacters become
 * U+FFFD, every bidi control goes, markup is escaped. */
static void test_html(void) {
  S_html("<b>&\"'", "&lt;b&gt;&amp;&quot;&#39;");
  S_html("a\x1b\xc2\x9b\xef\xb7\x90z", "a" FFFD FFFD FFFD "z");
  S_html("x\xe2\x80\xaey\xe2\x80\x8f\xd8\x9c\xe2\x81\xa8z", "xyz");
  S_html("\xe2\x80\x94 \xef\xbc\xa1 \xf0\x9f\x87\xa9", /* kept */
         "\xe2\x80\x94 \xef\xbc\xa1 \xf0\x9f\x87\xa9");
}

static void test_links(void) {
  T_OK(quire__ansi_link_ok("https://example.com/a?b=c"));
  T_OK(quire__ansi_link_ok("mailto:a@example.com"));
  T_OK(!quire__ansi_link_ok("javascript:alert(1)"));
  T_OK(!quire__ansi_link_ok("https://e.com/\x1b]0;x\x07"));
  T_OK(!quire__ansi_link_ok("https://e.com/ a"));
  T_OK(!quire__ansi_link_ok("data:text/html,x"));
  T_OK(!quire__ansi_link_ok(NULL));
  quire_buf b = QUIRE_BUF_INIT;
  quire__ansi_link_open(&b, "javascript:alert(1)", 1);
  T_INT_EQ(b.size, 0);
  quire_buf_dispose(&b);
  T_INT_EQ(quire__ansi_to256(0, 0, 0), 16);
  T_INT_EQ(quire__ansi_to256(255, 255, 255), 231);
  T_INT_EQ(quire__ansi_to16(0, 0, 0), 0);
}

/* Walks rendered output; returns a description of the first forbidden
 * byte sequence, or NULL when everything is allowed. */
static const char *S_audit(const char *s, size_t len, int color, size_t *at) {
  int fsi = 0;
  for (size_t i = 0; i < len;) {
    unsigned char c = (unsigned char)s[i];
    *at = i;
    if (c == 0x1b) {
      if (!color)
        return "ESC in colourless output";
      if (i + 1 < len && s[i + 1] == '[') {
        size_t j = i + 2;
        while (j < len && ((s[j] >= '0' && s[j] <= '9') || s[j] == ';'))
          j++;
        if (j >= len || s[j] != 'm')
          return "CSI other than SGR";
        i = j + 1;
        continue;
      }
      if (i + 3 < len && s[i + 1] == ']' && s[i + 2] == '8' &&
          s[i + 3] == ';') {
        size_t j = i + 4;
        while (j < len && s[j] != ';' && s[j] != 0x1b && s[j] != 0x07)
          j++; /* params */
        if (j >= len || s[j] != ';')
          return "malformed OSC 8";
        size_t u = j + 1, k = u;
        while (k < len && s[k] != 0x1b) {
          if ((unsigned char)s[k] < 0x21 || (unsigned char)s[k] > 0x7e)
            return "OSC 8 URL with a control or non-ASCII byte";
          k++;
        }
        if (k + 1 >= len || s[k + 1] != '\\')
          return "OSC 8 not ended by ST";
        if (k > u && strncasecmp(s + u, "https://", 8) &&
            strncasecmp(s + u, "http://", 7) &&
            strncasecmp(s + u, "mailto:", 7))
          return "OSC 8 to a scheme other than http(s)/mailto";
        for (size_t q = u; q + 11 <= k; q++)
          if (!strncasecmp(s + q, "javascript:", 11))
            return "javascript: in a hyperlink";
        i = k + 2;
        continue;
      }
      return "ESC that is not SGR or OSC 8";
    }
    if (c < 0x20 && c != '\n')
      return "C0 control";
    if (c == 0x7f)
      return "DEL";
    if (c == 0xc2 && i + 1 < len && (unsigned char)s[i + 1] >= 0x80 &&
        (unsigned char)s[i + 1] <= 0x9f)
      return "C1 control";
    if (c == 0xe2 && i + 2 < len) {
      unsigned char b1 = (unsigned char)s[i + 1], b2 = (unsigned char)s[i + 2];
      if (b1 == 0x80 && b2 >= 0xaa && b2 <= 0xae)
        return "bidi embedding/override";
      /* the renderer's own field isolation: FSI ... PDI, balanced; report
       * text's isolates never pass */
      if (b1 == 0x81 && b2 == 0xa8) {
        fsi++;
      } else if (b1 == 0x81 && b2 == 0xa9) {
        if (fsi-- <= 0)
          return "PDI without FSI";
      } else if (b1 == 0x81 && b2 >= 0xa6 && b2 <= 0xa9) {
        return "bidi isolate";
      }
      if (b1 == 0x80 && (b2 == 0x8e || b2 == 0x8f))
        return "bidi mark";
    }
    i++;
  }
  if (fsi != 0)
    return "FSI without PDI";
  return NULL;
}

static void test_hostile(void) {
  static const char *const files[] = {
      "tests/data/hostile/escapes_v2.json",
      "tests/data/hostile/escapes_sections.json",
      "samples/legacy/markdown_only.json"};
  static const quire_color colors[] = {QUIRE_COLOR_NONE, QUIRE_COLOR_16,
                                       QUIRE_COLOR_256, QUIRE_COLOR_TRUE};
  for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
    quire_doc *doc;
    quire_error err;
    quire_error_clear(&err);
    if (quire_doc_parse_file(&doc, files[f], NULL, &err)) {
      T_CHECK(0, "%s: %s", files[f], err.message);
      continue;
    }
    int saw_link = 0;
    for (size_t c = 0; c < 4; c++)
      for (unsigned fl = 0; fl < 4; fl++) {
        quire_render_options o = QUIRE_RENDER_OPTIONS_INIT;
        o.color = colors[c];
        o.flags = fl;
        o.width = 60;
        quire_buf b = QUIRE_BUF_INIT;
        T_INT_EQ(quire_render_buf(&b, doc, QUIRE_FORMAT_TEXT, &o, &err), 0);
        size_t at = 0;
        const char *why =
            S_audit(b.ptr, b.size, colors[c] != QUIRE_COLOR_NONE, &at);
        T_CHECK(why == NULL, "%s colour %d flags %u: %s at byte %zu: \"%.40s\"",
                files[f], (int)colors[c], fl, why ? why : "", at,
                b.ptr + (at > 10 ? at - 10 : 0));
        T_OK(!strstr(b.ptr, "\x1b]0;") && !strstr(b.ptr, "\x1b]52;") &&
             !strstr(b.ptr, "\x1b[2J") && !strstr(b.ptr, "\x1bP"));
        if (strstr(b.ptr, "\x1b]8;id="))
          saw_link = 1;
        if (f < 2) /* the attack is shown, visibly, not silently lost */
          T_OK(strstr(b.ptr, FFFD "[2J") != NULL);
        quire_buf_dispose(&b);
      }
    if (f == 0 || f == 2)
      T_CHECK(saw_link, "%s: no OSC 8 link at all", files[f]);
    quire_doc_free(doc);
  }
}

/* quire__text_clean passes printable ASCII eight bytes at a time: each
 * byte the policy looks at (controls, tab, newline, DEL, C1, bidi, U+FFFD
 * cases, plain UTF-8) at every offset of a 24-byte string cleans as the
 * three pieces around it clean on their own. */
static void test_runs(void) {
  static const char *const odd[] = {"\x01",         "\t",          "\n",
                                    "\x1f",         "\x7f",        "\xc2\x85",
                                    "\xe2\x80\xae", "\xc3\xa9",    "\xff",
                                    "\xe2\x80\xa8", "\xef\xbf\xbe"};
  static const unsigned flagsets[] = {0,
                                      QUIRE__TP_KEEP_NL | QUIRE__TP_KEEP_TAB};
  int all = 1;
  for (size_t f = 0; f < 2; f++) {
    for (size_t k = 0; k < sizeof odd / sizeof odd[0]; k++) {
      for (size_t at = 0; at <= 24; at++) {
        char text[64];
        size_t n = 0, ol = strlen(odd[k]);
        for (size_t i = 0; i < 24; i++) {
          if (i == at) {
            memcpy(text + n, odd[k], ol);
            n += ol;
          }
          text[n++] = (char)(' ' + (i * 7) % 95); /* printable ASCII */
        }
        if (at == 24) {
          memcpy(text + n, odd[k], ol);
          n += ol;
        }
        quire_buf whole = QUIRE_BUF_INIT, parts = QUIRE_BUF_INIT;
        quire__text_clean(&whole, text, n, flagsets[f]);
        quire__text_clean(&parts, text, at, flagsets[f]);
        quire__text_clean(&parts, text + at, ol, flagsets[f]);
        quire__text_clean(&parts, text + at + ol, n - at - ol, flagsets[f]);
        if (whole.size != parts.size ||
            (whole.size && memcmp(whole.ptr, parts.ptr, whole.size) != 0)) {
          all = 0;
          printf("# byte %zu at %zu (flags %u): cleaned differently\n", k, at,
                 flagsets[f]);
        }
        quire_buf_dispose(&whole);
        quire_buf_dispose(&parts);
      }
    }
  }
  T_CHECK(all, "a printable run changed how a byte after it is cleaned");
  quire_buf b = QUIRE_BUF_INIT;
  /* Controls and DEL as U+FFFD, past a whole word of plain bytes. */
  quire__text_clean(&b, "abcdefgh\x01ijklmnopqrstuvwxyz\x7f", 28, 0);
  T_STR_EQ(b.ptr, "abcdefgh\xEF\xBF\xBDijklmnopqrstuvwxyz\xEF\xBF\xBD");
  quire_buf_dispose(&b);
}

int main(void) {
  test_classes();
  test_document();
  test_visible();
  test_inplace();
  test_html();
  test_links();
  test_hostile();
  test_runs();
  return T_done("text_policy");
}
