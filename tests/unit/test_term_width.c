/* Display width (quire_text_width) and the width property of the text
 * renderer: for every sample and hostile report, at widths 20, 40, 80 and
 * 120, in every colour mode and with --ascii, no line is wider than the
 * width once the renderer's own escape sequences are removed. */
#include "harness.h"
#include "quire.h"

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>

static void test_measure(void) {
  T_INT_EQ(quire_text_width("", 0), 0);
  T_INT_EQ(quire_text_width("hello", 5), 5);
  T_INT_EQ(quire_text_width("caf\xc3\xa9", 5), 4);              /* é */
  T_INT_EQ(quire_text_width("e\xcc\x81", 3), 1);                /* e + acute */
  T_INT_EQ(quire_text_width("\xe6\x97\xa5\xe6\x9c\xac", 6), 4); /* 日本 */
  T_INT_EQ(quire_text_width("\xed\x95\x9c", 3), 2);             /* 한 */
  T_INT_EQ(quire_text_width("\xef\xbc\xa1", 3), 2);     /* fullwidth A */
  T_INT_EQ(quire_text_width("\xf0\x9f\x98\x80", 4), 2); /* 😀 */
  T_INT_EQ(quire_text_width("\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd", 8),
           2);                                      /* 👍🏽 */
  T_INT_EQ(quire_text_width("\xe2\x94\x80", 3), 1); /* ─ */
  T_INT_EQ(quire_text_width("\xd8\xb3\xd9\x84\xd8\xa7\xd9\x85", 8),
           4);                                      /* سلام */
  T_INT_EQ(quire_text_width("\xe2\x80\x8b", 3), 0); /* ZWSP */
  T_INT_EQ(quire_text_width("\x1b", 1), 0);         /* control */
  T_INT_EQ(quire_text_width("\xff", 1), 1);         /* invalid */
  T_INT_EQ(quire_text_width("a\xc3", 2), 2);        /* truncated */
  T_INT_EQ(quire_text_width("\xed\xa0\x80", 3), 3); /* surrogate */
  T_INT_EQ(quire_text_width("\xc0\xaf", 2), 2);     /* overlong */
  T_INT_EQ(quire_text_width(NULL, 3), 0);
}

/* Removes the renderer's CSI (ESC [ ... final) and OSC (ESC ] ... ST/BEL)
 * sequences in place; returns the new length. */
static size_t S_strip(char *s, size_t len) {
  size_t o = 0;
  for (size_t i = 0; i < len;) {
    if (s[i] == '\x1b' && i + 1 < len && s[i + 1] == '[') {
      i += 2;
      while (i < len && !(s[i] >= 0x40 && s[i] <= 0x7e))
        i++;
      i++;
    } else if (s[i] == '\x1b' && i + 1 < len && s[i + 1] == ']') {
      i += 2;
      while (i < len && s[i] != '\x07' &&
             !(s[i] == '\x1b' && i + 1 < len && s[i + 1] == '\\'))
        i++;
      i += i < len && s[i] == '\x07' ? 1 : 2;
    } else {
      s[o++] = s[i++];
    }
  }
  return o;
}

static int S_files(char ***out, const char *dir, int n) {
  DIR *d = opendir(dir);
  if (!d)
    return n;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.')
      continue;
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    struct stat st;
    if (stat(path, &st))
      continue;
    if (S_ISDIR(st.st_mode)) {
      n = S_files(out, path, n);
    } else if (strlen(path) > 5 && !strcmp(path + strlen(path) - 5, ".json")) {
      *out = realloc(*out, (size_t)(n + 1) * sizeof **out);
      (*out)[n++] = strdup(path);
    }
  }
  closedir(d);
  return n;
}

static void test_property(void) {
  char **files = NULL;
  int n = S_files(&files, "samples", 0);
  n = S_files(&files, "tests/data/hostile", n);
  T_OK(n >= 12);
  static const int widths[] = {20, 40, 80, 120};
  static const quire_color colors[] = {QUIRE_COLOR_NONE, QUIRE_COLOR_16,
                                       QUIRE_COLOR_256, QUIRE_COLOR_TRUE};
  for (int f = 0; f < n; f++) {
    quire_doc *doc;
    quire_error err;
    quire_error_clear(&err);
    if (quire_doc_parse_file(&doc, files[f], NULL, &err)) {
      T_CHECK(0, "%s: %s", files[f], err.message);
      continue;
    }
    for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++)
      for (size_t c = 0; c < 4; c++)
        for (int ascii = 0; ascii < 2; ascii++) {
          quire_render_options o = QUIRE_RENDER_OPTIONS_INIT;
          o.width = widths[w];
          o.color = colors[c];
          o.flags = QUIRE_RENDER_HYPERLINKS | (ascii ? QUIRE_RENDER_ASCII : 0);
          quire_buf b = QUIRE_BUF_INIT;
          int rc = quire_render_buf(&b, doc, QUIRE_FORMAT_TEXT, &o, &err);
          T_CHECK(rc == 0, "%s: render failed: %s", files[f], err.message);
          size_t len = S_strip(b.ptr, b.size), worst = 0, lines = 0;
          char *line = b.ptr, *end = b.ptr + len;
          while (line < end) {
            char *nl = memchr(line, '\n', (size_t)(end - line));
            if (!nl)
              nl = end;
            size_t lw = quire_text_width(line, (size_t)(nl - line));
            if (lw > worst)
              worst = lw;
            lines++;
            line = nl + 1;
          }
          T_CHECK(
              worst <= (size_t)widths[w] && lines > 3,
              "%s at width %d colour %d ascii %d: widest line %zu (%zu lines)",
              files[f], widths[w], (int)colors[c], ascii, worst, lines);
          if (ascii && colors[c] == QUIRE_COLOR_NONE &&
              strncmp(files[f], "samples/", 8) == 0) {
            /* --ascii: borders, bullets and rules are ASCII; only report
             * text may be anything else. */
            T_CHECK(!strstr(b.ptr, "\xe2\x94") && !strstr(b.ptr, "\xe2\x95") &&
                        !strstr(b.ptr, "\xe2\x80\xa2"),
                    "%s: --ascii output has box drawing or bullets", files[f]);
          }
          quire_buf_dispose(&b);
        }
    quire_doc_free(doc);
  }
  for (int f = 0; f < n; f++)
    free(files[f]);
  free(files);
}

int main(void) {
  test_measure();
  test_property();
  return T_done("term_width");
}
