/* Report text never reaches a terminal as control codes: the sanitizer on
 * its own, then whole hostile reports rendered in every colour mode with
 * every escape in the output parsed and only the renderer's own SGR and
 * OSC 8 (http/https/mailto) allowed. */
#include "harness.h"
#include "internal.h"
#include "render/ansi.h"
#include "safety/term_sanitize.h"

#include <dirent.h>
#include <stdlib.h>
#include <strings.h>

static void S_san(const char *in, size_t len, unsigned flags,
                  const char *want) {
  quire_buf b = QUIRE_BUF_INIT;
  T_INT_EQ(quire__term_sanitize(&b, in, len, flags), 0);
  T_CHECK(b.size == strlen(want) && memcmp(b.ptr, want, b.size) == 0,
          "sanitize: got \"%s\", want \"%s\"", b.ptr, want);
  T_INT_EQ(quire__term_is_clean(b.ptr, b.size, flags), 1);
  quire_buf_dispose(&b);
}

static void test_sanitize(void) {
  S_san("plain text", 10, 0, "plain text");
  S_san("caf\xc3\xa9 \xe6\x97\xa5", 9, 0, "caf\xc3\xa9 \xe6\x97\xa5");
  S_san("\x1b[2J", 4, 0, "\\x1b[2J");
  S_san("\x1b]0;pwned\x07", 10, 0, "\\x1b]0;pwned\\x07");
  S_san("\x1b]52;c;aGk=\x07", 12, 0, "\\x1b]52;c;aGk=\\x07");
  S_san("\xc2\x9b"
        "31m",
        5, 0, "\\x9b31m");                         /* C1 CSI */
  S_san("\xc2\x90q\xc2\x9c", 5, 0, "\\x90q\\x9c"); /* C1 DCS, ST */
  S_san("a\rb\bc\x7f", 6, 0, "a\\x0db\\x08c\\x7f");
  S_san("a\nb\tc", 5, 0, "a b c");
  S_san("a\nb\tc", 5, QUIRE__TS_KEEP_NL | QUIRE__TS_KEEP_TAB, "a\nb\tc");
  S_san("x\xe2\x80\xaeyz\xe2\x80\xac", 9, 0, "xyz"); /* RLO ... PDF */
  S_san("\xe2\x81\xa6i\xe2\x81\xa9", 7, 0, "i");     /* LRI ... PDI */
  S_san("\xe2\x80\x8f"
        "a",
        4, 0,
        "\xe2\x80\x8f"
        "a"); /* RLM stays */
  S_san("a\xe2\x80\xa8"
        "b",
        5, 0, "a b");                                  /* LS */
  S_san("\xff\xc3", 2, 0, "\xef\xbf\xbd\xef\xbf\xbd"); /* invalid */
  S_san("a\0b", 3, 0, "a\\x00b");
  T_INT_EQ(quire__term_is_clean("\x1b", 1, 0), 0);
  T_INT_EQ(quire__term_is_clean("ok", 2, 0), 1);
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
      if (b1 == 0x81 && b2 >= 0xa6 && b2 <= 0xa9)
        return "bidi isolate";
    }
    i++;
  }
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
          T_OK(strstr(b.ptr, "\\x1b[2J") != NULL);
        quire_buf_dispose(&b);
      }
    if (f == 0 || f == 2)
      T_CHECK(saw_link, "%s: no OSC 8 link at all", files[f]);
    quire_doc_free(doc);
  }
}

int main(void) {
  test_sanitize();
  test_links();
  test_hostile();
  return T_done("term_sanitize");
}
