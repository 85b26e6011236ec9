/* Markdown work is bounded per document (issue 11): every pattern of
 * tests/decode/md_patho.h at 1 MiB comes out either rendered or as plain
 * text with a warning; a report of many fields shares one budget; nesting
 * is bounded before cmark-gfm sees it. The alarm is a hang guard only: the
 * time per pattern is measured by `make bench` (bench/markdown.sh). */
#include "../decode/md_patho.h"
#include "harness.h"
#include "model/model.h"
#include "quire.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define S_MIB ((size_t)1 << 20)

/* The first diagnostic containing want, or NULL. */
static const quire_diag *S_warned(const quire_doc *doc, const char *want) {
  for (size_t i = 0; i < quire_doc_diag_count(doc); i++)
    if (strstr(quire_doc_diag(doc, i)->message, want))
      return quire_doc_diag(doc, i);
  return NULL;
}

/* 1 when node holds the whole of text as one plain paragraph. */
static int S_is_plain(const quire_node *md, size_t len) {
  const quire_node *p = md ? quire_node_first_child(md) : NULL;
  if (!p || quire_node_next(p) || quire_node_kind_of(p) != QUIRE_NODE_MD_PARA)
    return 0;
  const quire_node *t = quire_node_first_child(p);
  return t && !quire_node_next(t) &&
         quire_node_kind_of(t) == QUIRE_NODE_MD_TEXT &&
         strlen(quire_node_literal(t)) == len;
}

static void S_corpus(void) {
  quire_buf md = QUIRE_BUF_INIT, json = QUIRE_BUF_INIT, out = QUIRE_BUF_INIT;
  size_t plain = 0;
  for (size_t i = 0; i < MP_COUNT; i++) {
    const MP_pattern *p = &MP_patterns[i];
    quire_buf_clear(&md);
    quire_buf_clear(&json);
    p->gen(&md, S_MIB);
    MP_report(&json, md.ptr, md.size);
    quire_doc *doc = NULL;
    quire_error err;
    quire_error_clear(&err);
    int rc = quire_doc_parse(&doc, json.ptr, json.size, NULL, &err);
    T_CHECK(rc == 0, "%s: %s", p->name, err.message);
    if (rc)
      continue;
    const quire_node *node = quire_doc_markdown_node(doc);
    const quire_diag *w = S_warned(doc, "shown as plain text");
    int is_plain = S_is_plain(node, md.size);
    /* The parse may still yield one paragraph (a run of backslashes is
     * text to cmark too); what must never happen is a refusal nobody is
     * told about, or a warning about a field that was parsed after all. */
    T_CHECK(node && (quire_node_first_child(node) ||
                     S_warned(doc, "raw HTML in Markdown was dropped")),
            "%s: nothing decoded, and no warning says why", p->name);
    T_CHECK(md.size <= S_MIB && md.size > S_MIB - 4096, "%s: %zu bytes",
            p->name, md.size);
    if (w)
      T_CHECK(is_plain, "%s: warned but not plain", p->name);
    printf("# %-46s %s\n", p->name, w ? w->message : "rendered");
    plain += w != NULL;
    quire_buf_clear(&out);
    rc = quire_render_buf(&out, doc, QUIRE_FORMAT_HTML, NULL, &err);
    T_CHECK(rc == 0 && out.size > 0, "%s: HTML render: %s", p->name,
            err.message);
    quire_doc_free(doc);
  }
  /* The issue's case and cmark's worst ones must be among the refused. */
  T_CHECK(plain >= 5 && plain < MP_COUNT, "%zu of %zu shown as plain text",
          plain, MP_COUNT);
  quire_buf_dispose(&md);
  quire_buf_dispose(&json);
  quire_buf_dispose(&out);
}

/* A markdown report; returns the doc (caller frees). */
static quire_doc *S_parse_md(const char *md) {
  quire_buf json = QUIRE_BUF_INIT;
  MP_report(&json, md, strlen(md));
  quire_doc *doc = NULL;
  quire_doc_parse(&doc, json.ptr, json.size, NULL, NULL);
  quire_buf_dispose(&json);
  return doc;
}

/* Nesting is counted before cmark-gfm sees the text: quotes, list markers
 * and the levels a list marker's indentation implies. */
static void S_depth(void) {
  quire_buf md = QUIRE_BUF_INIT;
  MP_rep(&md, ">", 20);
  quire_buf_puts(&md, " twenty deep is fine");
  quire_doc *doc = S_parse_md(md.ptr);
  T_OK(doc && !S_warned(doc, "deep"));
  quire_doc_free(doc);

  quire_buf_clear(&md);
  MP_rep(&md, "> ", 2 * 33);
  quire_buf_puts(&md, "a");
  doc = S_parse_md(md.ptr);
  T_OK(doc && S_warned(doc, "nests block quotes or lists 33 deep"));
  quire_doc_free(doc);

  /* The issue's own case, n = 32k: 5.6 s of cmark before. */
  quire_buf_clear(&md);
  MP_rep(&md, ">", 32768);
  MP_rep(&md, "a*", 65536);
  doc = S_parse_md(md.ptr);
  T_OK(doc && S_warned(doc, "32768 deep"));
  quire_doc_free(doc);

  /* A list nested by indentation alone. */
  quire_buf_clear(&md);
  for (int x = 0; x < 40; x++) {
    for (int i = 0; i < x; i++)
      quire_buf_puts(&md, "  ");
    quire_buf_puts(&md, "- a\n");
  }
  doc = S_parse_md(md.ptr);
  T_OK(doc && S_warned(doc, "nests block quotes or lists"));
  quire_doc_free(doc);

  /* Ordinary nesting and deep code indentation are not refused. */
  doc = S_parse_md("- a\n  - b\n    - c\n      > d\n\n"
                   "                                        code\n");
  T_OK(doc && quire_doc_diag_count(doc) == 0);
  quire_doc_free(doc);
  quire_buf_dispose(&md);
}

typedef struct {
  int budget;
} S_count;

static void S_count_budget(const quire_diag *d, void *payload) {
  if (strstr(d->message, "report's budget"))
    ((S_count *)payload)->budget++;
}

/* One budget per document: 16 legacy text sections of 160 KB of "a@"
 * (each well under the per-field limits) are parsed until the budget is
 * spent, and the rest are plain text with a warning that validate shows. */
static void S_budget(void) {
  quire_buf b = QUIRE_BUF_INIT;
  quire_buf_puts(&b, "{\"id\":\"x\",\"createdAt\":\"t\",\"media\":{},"
                     "\"output\":{\"template\":\"general_report\"},"
                     "\"sections\":[");
  for (int i = 0; i < 16; i++) {
    quire_buf_printf(&b,
                     "%s{\"section_title\":\"s%d\",\"section_content\":"
                     "{\"type\":\"text\",\"content\":\"",
                     i ? "," : "", i);
    MP_rep(&b, "a@", 160000);
    quire_buf_puts(&b, "\"}}");
  }
  quire_buf_puts(&b, "]}");
  quire_doc *doc = NULL;
  T_INT_EQ(quire_doc_parse(&doc, b.ptr, b.size, NULL, NULL), 0);
  int over = 0, first_over = -1;
  for (size_t i = 0; doc && i < quire_doc_diag_count(doc); i++) {
    const quire_diag *d = quire_doc_diag(doc, i);
    if (!strstr(d->message, "report's budget"))
      continue;
    if (over++ == 0)
      first_over = atoi(d->path + strlen("$.sections["));
  }
  /* 640,000 units each (8 per '@'), 4,000,000 in all: six fit. */
  T_INT_EQ(first_over, 6);
  T_INT_EQ(over, 10);
  quire_doc_free(doc);
  S_count c = {0};
  quire_parse_options po = QUIRE_PARSE_OPTIONS_INIT;
  T_INT_EQ(quire_validate(b.ptr, b.size, &po, S_count_budget, &c, NULL), 0);
  T_INT_EQ(c.budget, 10);
  quire_buf_dispose(&b);
}

/* Does any node of kind k exist under n? */
static int S_has_kind(const quire_node *n, quire_node_kind k) {
  if (!n)
    return 0;
  if (quire_node_kind_of(n) == k)
    return 1;
  for (const quire_node *c = quire_node_first_child(n); c;
       c = quire_node_next(c))
    if (S_has_kind(c, k))
      return 1;
  return 0;
}

/* Issue 13: one table-column limit (64), decided when decoding. An
 * 80-column table used to be valid, lose columns 65-80 in text and vanish
 * from the PDF; now it is text in every format, with a warning. */
static void S_wide_table(void) {
  for (int cols = 64; cols <= 80; cols += 16) {
    quire_buf md = QUIRE_BUF_INIT;
    for (int r = 0; r < 3; r++) {
      for (int i = 1; i <= cols; i++)
        quire_buf_printf(&md, r == 1 ? "|-" : "|%c%d", r ? 'v' : 'c', i);
      quire_buf_puts(&md, "|\n");
    }
    quire_doc *doc = S_parse_md(md.ptr);
    quire_buf_dispose(&md);
    T_OK(doc != NULL);
    if (!doc)
      continue;
    const quire_diag *w = S_warned(doc, "over the limit (64 columns");
    int table = S_has_kind(quire_doc_root(doc), QUIRE_NODE_MD_TABLE);
    T_CHECK(cols == 64 ? table && !w : !table && w, "%d columns: table %d",
            cols, table);
    char last[16];
    snprintf(last, sizeof last, "v%d", cols);
    static const quire_format fmts[] = {QUIRE_FORMAT_TEXT, QUIRE_FORMAT_HTML,
                                        QUIRE_FORMAT_PDF};
    for (size_t f = 0; f < 3; f++) {
      quire_buf out = QUIRE_BUF_INIT;
      int rc = quire_render_buf(&out, doc, fmts[f], NULL, NULL);
      T_CHECK(rc == 0, "%d columns, format %zu: rc %d", cols, f, rc);
      if (fmts[f] == QUIRE_FORMAT_PDF) {
        /* The last cell's text is in the PDF (pdftotext, poppler-utils). */
        char path[] = "/tmp/quire_wide_XXXXXX";
        int fd = mkstemp(path);
        if (fd >= 0 && write(fd, out.ptr, out.size) == (ssize_t)out.size) {
          char cmd[128];
          snprintf(cmd, sizeof cmd, "pdftotext -raw %s - 2>/dev/null", path);
          FILE *pp = popen(cmd, "r");
          quire_buf txt = QUIRE_BUF_INIT;
          char chunk[4096];
          size_t n;
          while (pp && (n = fread(chunk, 1, sizeof chunk, pp)) > 0)
            quire_buf_put(&txt, chunk, n);
          if (pp)
            pclose(pp);
          quire_buf_put(&txt, "", 1);
          T_CHECK(strstr(txt.ptr, last) != NULL, "%d columns: %s not in PDF",
                  cols, last);
          quire_buf_dispose(&txt);
        }
        if (fd >= 0) {
          close(fd);
          unlink(path);
        }
      } else {
        quire_buf_put(&out, "", 1);
        T_CHECK(strstr(out.ptr, last) != NULL, "%d columns: %s not in %s", cols,
                last, f ? "HTML" : "text");
      }
      quire_buf_dispose(&out);
    }
    quire_doc_free(doc);
  }
}

typedef struct {
  const quire_doc *doc;
  const quire_node *got;
} S_lazy_arg;

static void *S_lazy_thread(void *p) {
  S_lazy_arg *a = p;
  a->got = quire_doc_markdown_node(a->doc);
  return NULL;
}

static void S_count_html(const quire_diag *d, void *payload) {
  if (strstr(d->message, "raw HTML"))
    ((S_count *)payload)->budget++;
}

/* Issue 15: a v2 report's markdown that repeats its json is parsed only
 * when asked for (quire_doc_markdown_node), once, whichever thread asks
 * first; validate still checks it. */
static void S_lazy(void) {
  const char *json =
      "{\"id\":\"x\",\"createdAt\":\"t\",\"media\":{},\"output\":"
      "{\"template\":\"general_report\"},\"markdown\":\"# T\\n\\n<b>raw</b> "
      "and **text**\",\"json\":{\"schemaVersion\":2,\"title\":\"T\","
      "\"template\":\"general_report\",\"sections\":[{\"kind\":"
      "\"paragraph\",\"key\":\"k\",\"title\":\"S\",\"body\":\"b\"}]}}";
  quire_doc *doc = NULL;
  T_INT_EQ(quire_doc_parse(&doc, json, strlen(json), NULL, NULL), 0);
  if (!doc)
    return;
  /* Not parsed while decoding: its warning is not there. */
  T_OK(!S_warned(doc, "raw HTML"));
  size_t ndiag = quire_doc_diag_count(doc);
  pthread_t th[4];
  S_lazy_arg args[4];
  for (int i = 0; i < 4; i++) {
    args[i].doc = doc;
    args[i].got = NULL;
    pthread_create(&th[i], NULL, S_lazy_thread, &args[i]);
  }
  for (int i = 0; i < 4; i++)
    pthread_join(th[i], NULL);
  const quire_node *md = args[0].got;
  T_OK(md && quire_node_kind_of(md) == QUIRE_NODE_MARKDOWN);
  for (int i = 1; i < 4; i++)
    T_OK(args[i].got == md);
  T_OK(md && quire_node_first_child(md) &&
       quire_node_kind_of(quire_node_first_child(md)) == QUIRE_NODE_MD_HEADING);
  /* The document's warnings did not change under readers' feet. */
  T_INT_EQ(quire_doc_diag_count(doc), ndiag);
  quire_doc_free(doc);
  /* validate parses it and reports what it found. */
  S_count c = {0};
  quire_parse_options po = QUIRE_PARSE_OPTIONS_INIT;
  T_INT_EQ(quire_validate(json, strlen(json), &po, S_count_html, &c, NULL), 0);
  T_INT_EQ(c.budget, 1);
}

/* Issue 15: rendering a report whose masthead lacks nothing (a title and
 * a summary of its own) does not parse the markdown it does not show; one
 * without a summary does, for the summary its markdown's quote gives. */
static void S_lazy_render(void) {
  const char *head =
      "{\"id\":\"x\",\"createdAt\":\"t\",\"media\":{},\"output\":"
      "{\"template\":\"general_report\"},\"markdown\":\"# T\\n\\n> "
      "From the markdown\\n\\nand **text**\",\"json\":{\"schemaVersion\":2,"
      "\"title\":\"T\",";
  const char *tail =
      "\"template\":\"general_report\",\"sections\":[{\"kind\":"
      "\"paragraph\",\"key\":\"k\",\"title\":\"S\",\"body\":\"b\"}]}}";
  for (int with_summary = 1; with_summary >= 0; with_summary--) {
    char json[1024];
    snprintf(json, sizeof json, "%s%s%s", head,
             with_summary ? "\"summary\":\"Its own\"," : "", tail);
    quire_doc *doc = NULL;
    T_INT_EQ(quire_doc_parse(&doc, json, strlen(json), NULL, NULL), 0);
    if (!doc)
      continue;
    quire_format fmts[] = {QUIRE_FORMAT_HTML, QUIRE_FORMAT_TEXT};
    for (int f = 0; f < 2; f++) {
      quire_buf out = QUIRE_BUF_INIT;
      T_INT_EQ(quire_render_buf(&out, doc, fmts[f], NULL, NULL), 0);
      T_OK(out.ptr &&
           strstr(out.ptr, with_summary ? "Its own" : "From the markdown"));
      quire_buf_dispose(&out);
    }
    T_INT_EQ(quire__doc_markdown_pending(doc), with_summary);
    quire_doc_free(doc);
  }
}

int main(void) {
  alarm(900); /* a hang guard; the time per pattern is in make bench */
  quire_global_init();
  S_depth();
  S_budget();
  S_wide_table();
  S_lazy();
  S_lazy_render();
  S_corpus();
  return T_done("md_patho");
}
