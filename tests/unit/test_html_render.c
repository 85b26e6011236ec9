/* HTML renderer pieces: escaping tables, icon and illustration data, and
 * whole renders of small reports (escaping, heading levels, markup). */
#include "harness.h"

#include "internal.h"
#include "paint/icons.h"
#include "paint/illustration.h"
#include "safety/escape_html.h"
#include "template/template.h"

#include <stdlib.h>
#include <string.h>

static char *S_render(const char *json) {
  quire_doc *doc = NULL;
  quire_error err;
  memset(&err, 0, sizeof err);
  if (quire_doc_parse(&doc, json, strlen(json), NULL, &err)) {
    printf("parse: %s\n", err.message);
    return NULL;
  }
  quire_buf b = QUIRE_BUF_INIT;
  int rc = quire_render_buf(&b, doc, QUIRE_FORMAT_HTML, NULL, &err);
  quire_doc_free(doc);
  if (rc) {
    printf("render: %s\n", err.message);
    quire_buf_dispose(&b);
    return NULL;
  }
  return quire_buf_detach(&b, NULL);
}

static int S_count(const char *hay, const char *needle) {
  int n = 0;
  for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
    n++;
  return n;
}

/* A complete set lends its stylesheets (the HTML renderer inlines the
 * built-in one without copying it); the page carries them byte for byte. */
static void S_text_ref(void) {
  quire__template *t = NULL;
  const char *kept = NULL;
  size_t klen = 0;
  T_INT_EQ(quire__template_new(&t, NULL, "sales_playbook", NULL), 0);
  T_INT_EQ(quire__template_text_ref(&kept, &klen, t, "style.css"),
           QUIRE_EINVAL); /* not complete yet */
  T_INT_EQ(quire__template_complete(t, NULL), 0);
  T_INT_EQ(quire__template_text_ref(&kept, &klen, t, "style.css"), 0);
  char *copy = NULL;
  size_t clen = 0;
  T_INT_EQ(quire__template_text(&copy, &clen, t, "style.css", NULL), 0);
  T_OK(kept && copy && klen == clen && memcmp(kept, copy, klen) == 0 &&
       kept[klen] == '\0');
  T_INT_EQ(quire__template_text_ref(&kept, &klen, t, "extra.css"), 0);
  T_INT_EQ(quire__template_text_ref(&kept, &klen, t, "theme.json"),
           QUIRE_EINVAL);
  char *html = S_render("{\"id\": \"r\", \"json\": {\"schemaVersion\": 2, "
                        "\"title\": \"T\", \"sections\": []}}");
  T_OK(html && strstr(html, copy) != NULL);
  free(html);
  free(copy);
  quire__template_free(t);
}

int main(void) {
  quire_buf b = QUIRE_BUF_INIT;

  const char *raw = "<a href=\"x\" b='y'>&\x01";
  quire__escape_html(&b, raw, strlen(raw));
  T_STR_EQ(b.ptr,
           "&lt;a href=&quot;x&quot; b=&#39;y&#39;&gt;&amp;\xEF\xBF\xBD");
  /* Every bidi control goes (the text policy: marks too); dashes, quotes
   * and every other U+20xx stay; a cut sequence is U+FFFD. */
  quire_buf_clear(&b);
  raw = "a\xE2\x80\xAE"
        "evil\xE2\x80\xAC \xE2\x81\xA6iso\xE2\x81\xA9 "
        "\xE2\x80\x8F\xE2\x80\x94\xE2\x80\x9C\xE2\x82\xAC\xE2";
  quire__escape_html(&b, raw, strlen(raw));
  T_STR_EQ(b.ptr, "aevil iso \xE2\x80\x94\xE2\x80\x9C"
                  "\xE2\x82\xAC\xEF\xBF\xBD");
  quire_buf_clear(&b);
  quire__escape_href(&b, "https://x.example/a b\"<>?q=1&r='2'", 34);
  T_STR_EQ(b.ptr, "https://x.example/a%20b%22%3C%3E?q=1&r='2'");
  T_OK(quire__html_href_ok("https://example.com/"));
  T_OK(quire__html_href_ok("mailto:a@example.com"));
  T_OK(!quire__html_href_ok("javascript:alert(1)"));
  T_OK(!quire__html_href_ok("data:text/html,x"));
  T_OK(!quire__html_href_ok(NULL));

  size_t n;
  const char *canon;
  quire__icon_shapes("Bar_Chart", &n, &canon);
  T_STR_EQ(canon, "bar-chart");
  quire__icon_shapes("trophy", &n, &canon);
  T_STR_EQ(canon, "award");
  quire__icon_shapes("quasar", &n, &canon);
  T_STR_EQ(canon, "default");
  quire__icon_shapes("\"><script>", &n, &canon);
  T_STR_EQ(canon, "default");
  T_OK(n > 0);

  /* Every path of every drawing parses with the documented grammar. */
  for (int v = 0; v <= QUIRE_ILLUSTRATION_ANALYSIS; v++) {
    const quire__shape *s = quire__illustration_shapes(v, &n);
    T_OK(n >= 4);
    for (size_t i = 0; i < n; i++) {
      if (s[i].kind != QUIRE__SHAPE_PATH)
        continue;
      const char *d = s[i].d;
      char cmd;
      float pts[6];
      int r, steps = 0;
      while ((r = quire__path_step(&d, &cmd, pts)) == 1)
        steps++;
      T_CHECK(r == 0 && steps > 1, "variant %d shape %zu path parses", v, i);
    }
  }
  quire_buf_clear(&b);
  quire__illustration_svg(&b, QUIRE_ILLUSTRATION_GROWTH);
  T_OK(strncmp(b.ptr, "<svg class=\"il il-growth\"", 25) == 0);
  T_OK(strstr(b.ptr, "aria-hidden=\"true\"") != NULL);
  quire_buf_dispose(&b);

  const char *v2 =
      "{\"id\":\"report_1\",\"createdAt\":\"2026-03-18T10:00:00Z\","
      "\"output\":{\"template\":\"sales_playbook\"},"
      "\"entity\":{\"id\":\"entity_1\",\"label\":\"A <b>&amp; B\"},"
      "\"media\":{\"mediaId\":\"media_1\"},"
      "\"json\":{\"schemaVersion\":2,\"template\":\"sales_playbook\","
      "\"title\":\"T </title><script>x()</script>\",\"summary\":\"S\","
      "\"sections\":["
      "{\"kind\":\"paragraph\",\"key\":\"k\",\"title\":\"P\","
      "\"body\":\"# Top\\n\\n### Deep\\n\\n[x](javascript:x()) "
      "[y](https://e.example/?a=1&b=2) ![alt](https://e.example/i.png)\"},"
      "{\"kind\":\"traits\",\"key\":\"t\",\"title\":\"Tr\","
      "\"phrases\":[\"one\",\"two\",\"three\"],\"body\":\"b\"},"
      "{\"kind\":\"actions\",\"key\":\"a\",\"title\":\"Ac\",\"items\":["
      "{\"title\":\"first\",\"context\":\"c1\"},"
      "{\"title\":\"second\",\"context\":\"c2\"}]}]}}";
  char *html = S_render(v2);
  T_OK(html != NULL);
  if (html) {
    T_INT_EQ(S_count(html, "<h1"), 1);
    T_OK(strstr(html, "<script>x()") == NULL);
    T_OK(strstr(html, "T &lt;/title&gt;&lt;script&gt;") != NULL);
    T_OK(strstr(html, "A &lt;b&gt;&amp;amp; B") != NULL);
    /* Markdown h1/h3 under an h2 paragraph title become h3/h4. */
    T_OK(strstr(html, "<h3 class=\"md-heading\" dir=\"auto\">Top</h3>") !=
         NULL);
    T_OK(strstr(html, "<h4 class=\"md-heading\" dir=\"auto\">Deep</h4>") !=
         NULL);
    T_OK(strstr(html, "javascript:") == NULL);
    T_OK(strstr(html, "href=\"https://e.example/?a=1&amp;b=2\"") != NULL);
    T_OK(strstr(html, "<img") == NULL);
    T_INT_EQ(S_count(html, "class=\"chip chip-"), 3);
    T_OK(strstr(html,
                "<span class=\"action-number\" aria-hidden=\"true\"><span "
                "class=\"step-word\">Step </span>2</span>") != NULL);
    T_OK(strstr(html, "Content-Security-Policy") != NULL);
    T_OK(strstr(html, "<time datetime=\"2026-03-18\">18 March 2026</time>") !=
         NULL);
    free(html);
  }

  /* Unknown legacy blocks are kept as a key/value table (present/), text
   * escaped, never as JSON with braces and quotes. */
  html = S_render("{\"id\":\"report_2\",\"sections\":[{\"section_title\":\"U\","
                  "\"section_content\":{\"type\":\"weird\",\"x\":\"<i>\","
                  "\"deep\":{\"talkRatio\":0.5}}}]}");
  T_OK(html != NULL);
  if (html) {
    T_OK(strstr(html, "<table class=\"data\">") != NULL);
    T_OK(strstr(html, "<th scope=\"row\" dir=\"auto\">X</th>"
                      "<td dir=\"auto\">&lt;i&gt;</td>") != NULL);
    T_OK(strstr(html, "scope=\"colgroup\" dir=\"auto\">Deep</th>") != NULL);
    T_OK(strstr(html, "<th scope=\"row\" dir=\"auto\">Talk ratio</th><td "
                      "dir=\"auto\">0.5 <meter min=\"0\" "
                      "max=\"1\" value=\"0.5\"></meter></td>") != NULL);
    T_OK(strstr(html, "&quot;x&quot;") == NULL);
    free(html);
  }
  S_text_ref();
  return T_done("test_html_render");
}
