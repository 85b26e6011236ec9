/* The line breaker and the prefix stack of lib/layout/textflow. */
#include "harness.h"
#include "internal.h"
#include "layout/textflow.h"

#include <stdlib.h>

static size_t S_cols(const char *s, size_t len, unsigned style, void *p) {
  (void)style;
  (void)p;
  return quire_text_width(s, len);
}

/* Lines joined with '|', each checked against its reported width. */
typedef struct {
  quire_buf out;
  int bad_width;
} S_acc;

static int S_line(void *payload, const quire__flow *f,
                  const quire__flow_piece *p, size_t n, size_t width) {
  S_acc *a = payload;
  size_t w = 0;
  if (a->out.size)
    quire_buf_putc(&a->out, '|');
  for (size_t i = 0; i < n; i++) {
    quire_buf_put(&a->out, f->text.ptr + p[i].off, p[i].len);
    w += quire_text_width(f->text.ptr + p[i].off, p[i].len);
  }
  if (w != width)
    a->bad_width = 1;
  return 0;
}

static void S_wrap(const char *in, size_t width, unsigned flags,
                   const char *want) {
  quire__flow f;
  quire__flow_init(&f);
  quire__flow_add(&f, in, strlen(in), 0, -1);
  S_acc a = {QUIRE_BUF_INIT, 0};
  int rc = quire__flow_wrap(&f, width, flags, S_cols, NULL, S_line, &a);
  T_INT_EQ(rc, 0);
  T_CHECK(strcmp(a.out.ptr, want) == 0,
          "wrap(\"%s\", %zu): got \"%s\", want \"%s\"", in, width, a.out.ptr,
          want);
  T_OK(!a.bad_width);
  quire_buf_dispose(&a.out);
  quire__flow_dispose(&f);
}

static void test_wraps(void) {
  S_wrap("the quick brown fox", 9, 0, "the quick|brown fox");
  S_wrap("the quick brown fox", 10, 0, "the quick|brown fox");
  S_wrap("the quick brown fox", 19, 0, "the quick brown fox");
  S_wrap("the quick brown fox", 8, 0, "the|quick|brown|fox");
  S_wrap("  many   spaces  here ", 80, 0, "many spaces here");
  S_wrap("a\nb c", 80, 0, "a|b c");
  S_wrap("a\n\nb", 80, 0, "a||b");
  /* words longer than the line are broken between characters */
  S_wrap("abcdefghij", 4, 0, "abcd|efgh|ij");
  S_wrap("xy abcdefghij", 4, 0, "xy|abcd|efgh|ij");
  /* wide characters are two columns and never split */
  S_wrap("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe6\x96\x87", 5, 0,
         "\xe6\x97\xa5\xe6\x9c\xac|\xe8\xaa\x9e\xe6\x96\x87");
  /* combining marks stay with their base */
  S_wrap("e\xcc\x81"
         "e\xcc\x81"
         "e\xcc\x81",
         2, 0,
         "e\xcc\x81"
         "e\xcc\x81|e\xcc\x81");
  /* pre keeps spaces and breaks only where full */
  S_wrap("  a  b\n    c", 80, QUIRE__FLOW_PRE, "  a  b|    c");
  S_wrap("abcdef", 4, QUIRE__FLOW_PRE, "abcd|ef");
}

static void test_runs(void) {
  quire__flow f;
  quire__flow_init(&f);
  quire__flow_add(&f, "bold", 4, 1, -1);
  quire__flow_add(&f, "er text", 7, 2, -1);
  quire__flow_add(&f, " more", 5, 2, -1);
  T_INT_EQ(f.nruns, 2); /* same style merges */
  S_acc a = {QUIRE_BUF_INIT, 0};
  T_INT_EQ(quire__flow_wrap(&f, 7, 0, S_cols, NULL, S_line, &a), 0);
  T_STR_EQ(a.out.ptr, "bolder|text|more");
  size_t nat, word;
  quire__flow_extent(&f, S_cols, NULL, &nat, &word);
  T_INT_EQ(nat, 16);
  T_INT_EQ(word, 6);
  quire_buf_dispose(&a.out);
  quire__flow_dispose(&f);
}

/* S_cols, counting its calls in *payload. */
static size_t S_counted(const char *s, size_t len, unsigned style, void *p) {
  ++*(size_t *)p;
  return S_cols(s, len, style, NULL);
}

/* Wraps the runs of in (split at '#', alternating two styles) and returns
 * the lines; *calls counts the measure calls. */
static char *S_wrap_runs(const char *in, size_t width, unsigned flags,
                         size_t *calls) {
  quire__flow f;
  quire__flow_init(&f);
  unsigned style = 0;
  for (const char *p = in;; style ^= 1) {
    const char *e = strchr(p, '#');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    quire__flow_add(&f, p, n, style, -1);
    if (!e)
      break;
    p = e + 1;
  }
  S_acc a = {QUIRE_BUF_INIT, 0};
  *calls = 0;
  T_INT_EQ(quire__flow_wrap(&f, width, flags, S_counted, calls, S_line, &a), 0);
  T_OK(!a.bad_width);
  quire__flow_dispose(&f);
  char *out = quire_buf_detach(&a.out, NULL);
  return out ? out : quire__strdup("");
}

/* QUIRE__FLOW_ASCII_CELLS: the same lines as measuring every word, with
 * measure called only for words that are not all ASCII; lines and words of
 * more runs than the breaker keeps inline. */
static void test_ascii_cells(void) {
  static const char *const texts[] = {
      "the quick brown fox jumps over the lazy dog",
      "tabs\tand\x01"
      "controls\x7f here\tand  there",
      "caf\xc3\xa9 cr\xc3\xa8me \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e "
      "e\xcc\x81t\xc3\xa9 plain words",
      "a#b#c#d#e#f#g#h#i#j#k#l#m#n#o#p#q#r#s#t#u#v#w#x#y#z#0#1#2#3#4#5",
      "a #b #c #d #e #f #g #h #i #j #k #l #m #n #o #p #q #r #s #t #u",
      "styled# words# across# runs#, and a longwordwithoutanyspaceatall",
      "  lead and trail  \nsecond line\n\nafter a blank "};
  static const size_t widths[] = {1, 3, 7, 12, 20, 80};
  int same = 1, fewer = 1, saved = 0;
  for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
    for (size_t k = 0; k < sizeof widths / sizeof widths[0]; k++) {
      for (unsigned pre = 0; pre <= QUIRE__FLOW_PRE; pre += QUIRE__FLOW_PRE) {
        size_t c0, c1;
        char *plain = S_wrap_runs(texts[t], widths[k], pre, &c0);
        char *fast = S_wrap_runs(texts[t], widths[k],
                                 pre | QUIRE__FLOW_ASCII_CELLS, &c1);
        if (strcmp(plain, fast) != 0) {
          same = 0;
          printf("# text %zu width %zu pre %u: \"%s\" against \"%s\"\n", t,
                 widths[k], pre, fast, plain);
        }
        fewer &= c1 <= c0;
        saved |= c1 < c0;
        free(plain);
        free(fast);
      }
    }
  }
  T_CHECK(same, "ASCII cells changed where lines break");
  T_CHECK(fewer && saved, "ASCII cells did not save measure calls");
  /* All ASCII and no word wider than the line: measure is never called. */
  size_t calls;
  char *out =
      S_wrap_runs("the quick brown fox", 9, QUIRE__FLOW_ASCII_CELLS, &calls);
  T_STR_EQ(out, "the quick|brown fox");
  T_INT_EQ(calls, 0);
  free(out);
  out = S_wrap_runs("caf\xc3\xa9 au lait", 80, QUIRE__FLOW_ASCII_CELLS, &calls);
  T_STR_EQ(out, "caf\xc3\xa9 au lait");
  T_INT_EQ(calls, 1);
  free(out);
}

static void test_prefixes(void) {
  quire__prefixes p;
  memset(&p, 0, sizeof p);
  quire__prefix_push(&p, "1. ", "   ", 0, 3);
  quire__prefix_push(&p, "| ", "| ", 0, 2);
  size_t n, w = quire__prefix_fit(&p, 0, 80, &n);
  T_INT_EQ(w, 5);
  T_INT_EQ(n, 2);
  w = quire__prefix_fit(&p, 1, 80, &n);
  T_INT_EQ(w, 2);
  w = quire__prefix_fit(&p, 0, 4, &n); /* clamped: only what fits */
  T_INT_EQ(w, 3);
  T_INT_EQ(n, 1);
  quire__prefix_truncate(&p, 1);
  T_INT_EQ(p.depth, 1);
  /* hostile depth: pushes beyond the cap are counted, never drawn */
  for (int i = 0; i < 1000; i++)
    quire__prefix_push(&p, "> ", "> ", 0, 2);
  T_INT_EQ(p.depth, 1001);
  w = quire__prefix_fit(&p, 0, 40, &n);
  T_OK(w <= 40);
  quire__prefix_truncate(&p, 0);
  T_INT_EQ(p.depth, 0);
  /* long prefixes are cut, not overflowed */
  quire__prefix_push(&p, "0123456789012345678901234567890123456789", "x", 0, 1);
  T_OK(strlen(p.v[0].first) < QUIRE__PREFIX_LEN);
}

int main(void) {
  test_wraps();
  test_runs();
  test_ascii_cells();
  test_prefixes();
  return T_done("textflow");
}
