/* The running title's CSS string escaping (safety/escape_css.c): nothing
 * can close the string or the <style> element, controls become spaces, and
 * a long title is cut at a character boundary with an ellipsis. */
#include "harness.h"
#include "internal.h"
#include "safety/escape_css.h"

static char *S_esc(quire_buf *b, const char *s, size_t max) {
  quire_buf_clear(b);
  quire__escape_css_string(b, s, strlen(s), max);
  quire_buf_putc(b, 0);
  return b->ptr;
}

int main(void) {
  quire_buf b = QUIRE_BUF_INIT;
  T_STR_EQ(S_esc(&b, "Plain title: 2026, ok", 90), "Plain title: 2026, ok");
  T_STR_EQ(S_esc(&b, "a\"b\\c", 90), "a\\22 b\\5c c");
  T_STR_EQ(S_esc(&b, "</style><script>", 90),
           "\\3c \\2f style\\3e \\3c script\\3e ");
  T_STR_EQ(S_esc(&b, "a'b&c{}", 90), "a\\27 b\\26 c\\7b \\7d ");
  T_STR_EQ(S_esc(&b, "line\nbreak\x1b[31m\x7f", 90), "line break \\5b 31m ");
  /* Non-ASCII passes through: é, 日本. */
  T_STR_EQ(S_esc(&b, "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac", 90),
           "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac");
  /* Cut at 5 bytes lands inside 日 (bytes 4-6): backs up to byte 4. */
  T_STR_EQ(S_esc(&b, "abcd\xe6\x97\xa5zz", 5), "abcd\xe2\x80\xa6");
  T_STR_EQ(S_esc(&b, "abcdef", 6), "abcdef");
  T_STR_EQ(S_esc(&b, "", 90), "");
  quire_buf_clear(&b);
  T_INT_EQ(quire__escape_css_string(&b, NULL, 0, 90), 0);
  T_INT_EQ(b.size, 0);
  quire_buf_dispose(&b);
  return T_done("test_escape_css");
}
