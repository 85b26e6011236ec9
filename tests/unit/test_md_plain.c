/* The Markdown fast path (issue 15): a field quire__markdown_is_plain
 * passes is built as one paragraph holding the text, without cmark-gfm.
 * Checked against cmark-gfm itself, with the extensions quire attaches, on
 * hand-picked strings and on random strings from an alphabet heavy with
 * Markdown's special characters (a fixed seed, so a failure repeats). */
#include "decode/markdown.h"
#include "harness.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* 1 when cmark-gfm makes text exactly one paragraph of text nodes whose
 * literals join to the text. */
static int S_cmark_plain(const char *text, size_t len) {
  cmark_parser *p = cmark_parser_new(CMARK_OPT_DEFAULT);
  static const char *const exts[] = {"table", "strikethrough", "autolink",
                                     "tagfilter", "tasklist"};
  for (size_t i = 0; i < sizeof exts / sizeof *exts; i++)
    cmark_parser_attach_syntax_extension(p,
                                         cmark_find_syntax_extension(exts[i]));
  cmark_parser_feed(p, text, len);
  cmark_node *doc = cmark_parser_finish(p);
  cmark_node *para = cmark_node_first_child(doc);
  int ok = para && !cmark_node_next(para) &&
           cmark_node_get_type(para) == CMARK_NODE_PARAGRAPH;
  size_t at = 0;
  for (cmark_node *t = ok ? cmark_node_first_child(para) : NULL; t && ok;
       t = cmark_node_next(t)) {
    const char *lit = cmark_node_get_literal(t);
    size_t n = lit ? strlen(lit) : 0;
    ok = cmark_node_get_type(t) == CMARK_NODE_TEXT && at + n <= len &&
         memcmp(text + at, lit, n) == 0;
    at += n;
  }
  ok = ok && at == len;
  cmark_node_free(doc);
  cmark_parser_free(p);
  return ok;
}

static void S_check(const char *s, int want_plain) {
  size_t n = strlen(s);
  int fast = quire__markdown_is_plain(s, n);
  T_CHECK(fast == want_plain, "is_plain(\"%s\") = %d", s, fast);
  if (fast)
    T_CHECK(S_cmark_plain(s, n), "cmark does not keep \"%s\" as it is", s);
}

static uint32_t S_rng = 4242;
static uint32_t S_next(void) {
  S_rng = S_rng * 1103515245u + 12345u;
  return S_rng >> 8;
}

int main(void) {
  quire__markdown_global_init();
  S_check("She asked about pricing twice.", 1);
  S_check("Talk ratio 44% (up from 38%); follow-up by Friday, caf\xc3\xa9.", 1);
  S_check("47 min of the call, 3 decisions.", 1);
  S_check("\xe5\x8c\x97\xe4\xba\xac \xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7",
          1);
  S_check("", 0);
  S_check(" leading space", 0);
  S_check("trailing space ", 0);
  S_check("two\nlines", 0);
  S_check("# heading", 0);
  S_check("- item", 0);
  S_check("+ item", 0);
  S_check("1. item", 0);
  S_check("12) item", 0);
  S_check("**bold**", 0);
  S_check("a_b", 0);
  S_check("see [x](y)", 0);
  S_check("AT&amp;T", 0);
  S_check("a \\* b", 0);
  S_check("code `x`", 0);
  S_check("<b>x</b>", 0);
  S_check("~~gone~~", 0);
  S_check("a | b", 0);
  S_check("visit www.example.com", 0);
  S_check("see https://example.com", 0);
  S_check("mail bob@example.com", 0);
  S_check("\xef\xbb\xbf"
          "bom",
          0);
  S_check("tab\there", 0);

  /* Random strings: every one the fast path takes, cmark keeps whole. */
  static const char *const atoms[] = {"a",
                                      "b",
                                      "w",
                                      "W",
                                      "e",
                                      " ",
                                      "  ",
                                      ".",
                                      ",",
                                      ";",
                                      "'",
                                      "\"",
                                      "(",
                                      ")",
                                      "-",
                                      "#",
                                      "+",
                                      "=",
                                      "%",
                                      "$",
                                      "/",
                                      "?",
                                      "{",
                                      "}",
                                      "^",
                                      "1",
                                      "9",
                                      "0",
                                      "*",
                                      "_",
                                      "[",
                                      "]",
                                      "!",
                                      "<",
                                      ">",
                                      "&",
                                      "~",
                                      "|",
                                      ":",
                                      "@",
                                      "\\",
                                      "`",
                                      "\t",
                                      "\n",
                                      "\r",
                                      "www.",
                                      "\xc3\xa9",
                                      "\xc2\xa0",
                                      "\xe4\xb8\xad",
                                      "\xef\xbb\xbf",
                                      "1.",
                                      "2)",
                                      "---",
                                      "===",
                                      "x",
                                      "http",
                                      "//"};
  int taken = 0;
  for (int r = 0; r < 20000; r++) {
    char s[64];
    size_t n = 0;
    for (int k = 0, parts = 1 + (int)(S_next() % 8); k < parts; k++) {
      const char *a = atoms[S_next() % (sizeof atoms / sizeof *atoms)];
      size_t an = strlen(a);
      if (n + an < sizeof s) {
        memcpy(s + n, a, an);
        n += an;
      }
    }
    s[n] = '\0';
    /* The budget is charged the same whichever scan counts it. */
    if (quire__markdown_work(s, n, 0) != quire__markdown_work(s, n, 1))
      T_CHECK(0, "\"%s\": work %llu, line by line %llu", s,
              (unsigned long long)quire__markdown_work(s, n, 0),
              (unsigned long long)quire__markdown_work(s, n, 1));
    if (quire__markdown_is_plain(s, n)) {
      taken++;
      if (!S_cmark_plain(s, n))
        T_CHECK(0, "cmark does not keep \"%s\" as it is", s);
    }
  }
  T_CHECK(taken > 500, "only %d random strings were plain", taken);
  /* A plain sentence is charged a byte's 1/64 and one unit for each of
   * ( ) - # + and w (7 of them here), as the line-by-line scan charges it. */
  const char *sentence = "Follow-up (with #ops) + www review, twice";
  T_INT_EQ(quire__markdown_work(sentence, strlen(sentence), 0),
           strlen(sentence) / 64 + 12);
  T_INT_EQ(quire__markdown_work(sentence, strlen(sentence), 1),
           strlen(sentence) / 64 + 12);
  return T_done("md_plain");
}
