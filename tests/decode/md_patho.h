/*
 * md_patho.h - Markdown on which cmark-gfm is known to go slow, as
 * generators (shared by tests/unit/test_md_patho.c and bench/markdown.c).
 *
 * The list follows cmark's own pathological tests (test/pathological_tests.py
 * in cmark and cmark-gfm: emphasis and link delimiter runs, nested brackets,
 * quotes and lists, backticks, unclosed links and HTML constructs, reference
 * definitions and hash collisions), the case of issue 11 (`'>' * n + 'a*' *
 * n`, CVE-2023-24824's shape) and the gfm extensions: tables (wide, padded,
 * long rows, many, inside quotes), autolinks (www., schemes, e-mail '@',
 * underscores), strikethrough, task lists and the tag filter. The
 * generators are ours; each writes about `size` bytes of raw Markdown.
 */
#ifndef QUIRE_TESTS_MD_PATHO_H
#define QUIRE_TESTS_MD_PATHO_H

#include "quire.h"

#include <stdio.h>
#include <string.h>

/* unit repeated until size bytes (cut mid-unit at the end). */
static void MP_rep(quire_buf *b, const char *unit, size_t size) {
  size_t n = strlen(unit), start = b->size;
  while (b->size - start + n <= size)
    quire_buf_put(b, unit, n);
  quire_buf_put(b, unit, size - (b->size - start));
}

static void MP_nested_strong_emph(quire_buf *b, size_t size) {
  size_t k = size / 14;
  for (size_t i = 0; i < k; i++)
    quire_buf_puts(b, "*a **a ");
  quire_buf_puts(b, "b");
  for (size_t i = 0; i < k; i++)
    quire_buf_puts(b, " a** a*");
}
static void MP_emph_closers(quire_buf *b, size_t s) { MP_rep(b, "a_ ", s); }
static void MP_emph_openers(quire_buf *b, size_t s) { MP_rep(b, "_a ", s); }
static void MP_link_closers(quire_buf *b, size_t s) { MP_rep(b, "a]", s); }
static void MP_link_openers(quire_buf *b, size_t s) { MP_rep(b, "[a", s); }
static void MP_mismatched(quire_buf *b, size_t s) { MP_rep(b, "*a_ ", s); }
static void MP_mult3(quire_buf *b, size_t s) {
  quire_buf_puts(b, "a**b");
  MP_rep(b, "c* ", s - 4);
}
static void MP_link_emph(quire_buf *b, size_t s) { MP_rep(b, "[ a_", s); }
static void MP_bracket_paren(quire_buf *b, size_t s) { MP_rep(b, "[ (](", s); }
static void MP_image_brackets(quire_buf *b, size_t s) {
  MP_rep(b, "![[]()", s);
}
static void MP_hard_link_emph(quire_buf *b, size_t s) {
  MP_rep(b, "**x [a*b**c*](d) ", s);
}
static void MP_nested_brackets(quire_buf *b, size_t size) {
  MP_rep(b, "[", (size - 1) / 2);
  quire_buf_puts(b, "a");
  MP_rep(b, "]", (size - 1) / 2);
}
static void MP_nested_quotes(quire_buf *b, size_t s) {
  MP_rep(b, "> ", s - 1);
  quire_buf_puts(b, "a");
}
static void MP_nested_lists(quire_buf *b, size_t size) {
  for (size_t x = 0, start = b->size; b->size - start + 2 * x + 4 <= size;
       x++) {
    for (size_t i = 0; i < x; i++)
      quire_buf_puts(b, "  ");
    quire_buf_puts(b, "* a\n");
  }
}
static void MP_nested_lists_blank(quire_buf *b, size_t size) {
  for (size_t x = 0, start = b->size; b->size - start + 2 * x + 5 <= size;
       x++) {
    for (size_t i = 0; i < x; i++)
      quire_buf_puts(b, "  ");
    quire_buf_puts(b, "- a\n\n");
  }
}
static void MP_backticks(quire_buf *b, size_t size) {
  for (size_t x = 1, start = b->size; b->size - start + x + 1 <= size; x++) {
    quire_buf_puts(b, "e");
    for (size_t i = 0; i < x; i++)
      quire_buf_puts(b, "`");
  }
}
static void MP_unclosed_a(quire_buf *b, size_t s) { MP_rep(b, "[a](<b", s); }
static void MP_unclosed_b(quire_buf *b, size_t s) { MP_rep(b, "[a](b", s); }
static void MP_unclosed_comment(quire_buf *b, size_t s) {
  quire_buf_puts(b, "</");
  MP_rep(b, "<!--", s - 2);
}
static void MP_unclosed_pi(quire_buf *b, size_t s) { MP_rep(b, "<?", s); }
static void MP_unclosed_decl(quire_buf *b, size_t s) { MP_rep(b, "<!A ", s); }
static void MP_unclosed_cdata(quire_buf *b, size_t s) {
  MP_rep(b, "<![CDATA[", s);
}
static void MP_many_references(quire_buf *b, size_t size) {
  size_t start = b->size;
  for (unsigned i = 1; b->size - start < size * 3 / 4; i++)
    quire_buf_printf(b, "[%u]: u\n", i);
  MP_rep(b, "[0] ", size - (b->size - start));
}
/* cmark's reference map hash (as its test reimplements it): keys that all
 * land in bucket 0 of 16. */
static int MP_badhash(const char *k) {
  unsigned long h = 0;
  for (; *k; k++)
    h = ((unsigned char)*k + ((h << 6) & 0xFFFFFFFFul) +
         ((h << 16) & 0xFFFFFFFFul) - h) &
        0xFFFFFFFFul;
  return h % 16 == 0;
}
static void MP_ref_collisions(quire_buf *b, size_t size) {
  char bad[32] = "", key[32];
  size_t start = b->size;
  for (unsigned i = 0;; i++) {
    snprintf(key, sizeof key, "x%u", i);
    if (!MP_badhash(key))
      continue;
    if (!bad[0]) {
      memcpy(bad, key, sizeof key);
      continue;
    }
    if (b->size - start + 2 * strlen(key) + 16 > size)
      break;
    quire_buf_printf(b, "[%s]: /url\n\n[%s]\n\n", key, bad);
  }
}
static void MP_quote_emph(quire_buf *b, size_t size) {
  MP_rep(b, ">", size / 3);
  MP_rep(b, "a*", size - size / 3);
}
static void MP_list_emph(quire_buf *b, size_t size) {
  MP_rep(b, "- ", size / 2);
  MP_rep(b, "a*", size - size / 2);
}
static void MP_table_cr_vt(quire_buf *b, size_t s) {
  MP_rep(b, "aaa\rbbb\n-\v\n", s);
}
static void MP_table_wide(quire_buf *b, size_t size) {
  size_t k = (size - 6) / 6;
  MP_rep(b, "|a", 2 * k);
  quire_buf_puts(b, "|\n");
  MP_rep(b, "|-", 2 * k);
  quire_buf_puts(b, "|\n");
  MP_rep(b, "|x", 2 * k);
  quire_buf_puts(b, "|\n");
}
static void MP_table_padding(quire_buf *b, size_t size) {
  size_t start = b->size;
  MP_rep(b, "|a", 500);
  quire_buf_puts(b, "|\n");
  MP_rep(b, "|-", 500);
  quire_buf_puts(b, "|\n");
  MP_rep(b, "x\n", size - (b->size - start));
}
static void MP_table_long_rows(quire_buf *b, size_t size) {
  size_t start = b->size;
  quire_buf_puts(b, "|a|\n|-|\n");
  while (b->size - start + 1002 <= size) {
    MP_rep(b, "|x", 1000);
    quire_buf_puts(b, "|\n");
  }
}
static void MP_many_tables(quire_buf *b, size_t s) {
  MP_rep(b, "|a|b|\n|-|-|\n|1|2|\n\n", s);
}
static void MP_table_in_quotes(quire_buf *b, size_t s) {
  MP_rep(b,
         "> > > > > > > > > > > > > > > > > > > > |a|b|\n"
         "> > > > > > > > > > > > > > > > > > > > |-|-|\n",
         s);
}
static void MP_autolink_underscores(quire_buf *b, size_t size) {
  MP_rep(b, "_", (size - 1) / 2);
  quire_buf_puts(b, ".");
  MP_rep(b, "_", (size - 1) / 2);
}
static void MP_autolink_www(quire_buf *b, size_t s) { MP_rep(b, "www.", s); }
static void MP_autolink_www_words(quire_buf *b, size_t s) {
  MP_rep(b, "www.a ", s);
}
static void MP_autolink_http(quire_buf *b, size_t s) {
  MP_rep(b, "http://", s);
}
static void MP_autolink_colons(quire_buf *b, size_t s) { MP_rep(b, ":", s); }
static void MP_autolink_at(quire_buf *b, size_t s) { MP_rep(b, "a@", s); }
static void MP_autolink_email_dots(quire_buf *b, size_t s) {
  MP_rep(b, "a.", s - 2);
  quire_buf_puts(b, "@b");
}
static void MP_autolink_parens(quire_buf *b, size_t size) {
  quire_buf_puts(b, "www.a");
  MP_rep(b, "(", (size - 5) / 2);
  MP_rep(b, ")", (size - 5) / 2);
}
static void MP_autolink_long_domain(quire_buf *b, size_t s) {
  quire_buf_puts(b, "http://");
  MP_rep(b, "a.", s - 7);
}
static void MP_strike_tildes(quire_buf *b, size_t s) { MP_rep(b, "~", s); }
static void MP_strike_openers(quire_buf *b, size_t s) { MP_rep(b, "~~a ", s); }
static void MP_strike_closers(quire_buf *b, size_t s) { MP_rep(b, "a~~ ", s); }
static void MP_strike_single(quire_buf *b, size_t s) { MP_rep(b, "~a ", s); }
static void MP_strike_mixed(quire_buf *b, size_t s) { MP_rep(b, "~~a*", s); }
static void MP_tasklist_deep(quire_buf *b, size_t s) { MP_rep(b, "- [ ] ", s); }
static void MP_tasklist_many(quire_buf *b, size_t s) {
  MP_rep(b, "- [x] a\n", s);
}
static void MP_tagfilter(quire_buf *b, size_t s) {
  MP_rep(b, "<title><script>", s);
}
static void MP_inline_html(quire_buf *b, size_t s) { MP_rep(b, "<a ", s); }
static void MP_entities(quire_buf *b, size_t s) { MP_rep(b, "&#", s); }
static void MP_star_under(quire_buf *b, size_t s) { MP_rep(b, "*_", s); }
static void MP_backslashes(quire_buf *b, size_t s) { MP_rep(b, "\\", s); }
static void MP_link_parens(quire_buf *b, size_t size) {
  quire_buf_puts(b, "[a](");
  MP_rep(b, "(", (size - 4) / 2);
  MP_rep(b, ")", (size - 4) / 2);
}

typedef struct MP_pattern {
  const char *name;
  void (*gen)(quire_buf *b, size_t size);
} MP_pattern;

static const MP_pattern MP_patterns[] = {
    {"nested strong emph", MP_nested_strong_emph},
    {"many emph closers with no openers", MP_emph_closers},
    {"many emph openers with no closers", MP_emph_openers},
    {"many link closers with no openers", MP_link_closers},
    {"many link openers with no closers", MP_link_openers},
    {"mismatched openers and closers", MP_mismatched},
    {"openers and closers multiple of 3", MP_mult3},
    {"link openers and emph closers", MP_link_emph},
    {"pattern [ (]( repeated", MP_bracket_paren},
    {"pattern ![[]() repeated", MP_image_brackets},
    {"hard link/emph case", MP_hard_link_emph},
    {"nested brackets", MP_nested_brackets},
    {"nested block quotes", MP_nested_quotes},
    {"deeply nested lists", MP_nested_lists},
    {"empty lines in deeply nested lists", MP_nested_lists_blank},
    {"backticks", MP_backticks},
    {"unclosed links A", MP_unclosed_a},
    {"unclosed links B", MP_unclosed_b},
    {"unclosed <!--", MP_unclosed_comment},
    {"unclosed <?", MP_unclosed_pi},
    {"unclosed <!A", MP_unclosed_decl},
    {"unclosed <![CDATA[", MP_unclosed_cdata},
    {"many references", MP_many_references},
    {"reference collisions", MP_ref_collisions},
    {"quotes then emphasis (issue 11)", MP_quote_emph},
    {"list items then emphasis", MP_list_emph},
    {"gfm tables: CR and VT rows", MP_table_cr_vt},
    {"gfm tables: wide header", MP_table_wide},
    {"gfm tables: 250-column header over short rows", MP_table_padding},
    {"gfm tables: long rows", MP_table_long_rows},
    {"gfm tables: many tables", MP_many_tables},
    {"gfm tables: in 20 quotes", MP_table_in_quotes},
    {"gfm autolink: underscores", MP_autolink_underscores},
    {"gfm autolink: www.", MP_autolink_www},
    {"gfm autolink: www.a words", MP_autolink_www_words},
    {"gfm autolink: http://", MP_autolink_http},
    {"gfm autolink: colons", MP_autolink_colons},
    {"gfm autolink: a@ e-mail", MP_autolink_at},
    {"gfm autolink: dotted e-mail", MP_autolink_email_dots},
    {"gfm autolink: parentheses", MP_autolink_parens},
    {"gfm autolink: long domain", MP_autolink_long_domain},
    {"gfm strikethrough: tildes", MP_strike_tildes},
    {"gfm strikethrough: openers", MP_strike_openers},
    {"gfm strikethrough: closers", MP_strike_closers},
    {"gfm strikethrough: single tildes", MP_strike_single},
    {"gfm strikethrough: with emphasis", MP_strike_mixed},
    {"gfm task list: nested", MP_tasklist_deep},
    {"gfm task list: many items", MP_tasklist_many},
    {"gfm tag filter", MP_tagfilter},
    {"unclosed inline HTML", MP_inline_html},
    {"entities", MP_entities},
    {"emphasis *_ repeated", MP_star_under},
    {"backslashes", MP_backslashes},
    {"nested link parentheses", MP_link_parens},
};
#define MP_COUNT (sizeof MP_patterns / sizeof MP_patterns[0])

/* A v2-era report whose markdown is md, JSON-escaped. */
static void MP_report(quire_buf *out, const char *md, size_t len) {
  quire_buf_puts(out, "{\"id\":\"r\",\"createdAt\":\"2024-01-01T00:00:00Z\","
                      "\"media\":{},\"output\":{\"template\":"
                      "\"general_report\"},\"markdown\":\"");
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)md[i];
    if (c == '"' || c == '\\')
      quire_buf_printf(out, "\\%c", c);
    else if (c == '\n')
      quire_buf_puts(out, "\\n");
    else if (c < 0x20)
      quire_buf_printf(out, "\\u%04x", c);
    else
      quire_buf_put(out, md + i, 1);
  }
  quire_buf_puts(out, "\"}");
}

#endif
