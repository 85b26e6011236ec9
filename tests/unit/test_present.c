/* The presentation step (lib/present): what every format shows, decided
 * once. Dates, titles and their fallbacks, fields, facts for people and
 * structured data as rows. */
#include "harness.h"
#include "model/model.h"
#include "present/present.h"
#include "quire.h"

#include <pthread.h>
#include <string.h>

static quire_doc *S_parse(const char *json) {
  quire_doc *doc = NULL;
  quire_error err;
  if (quire_doc_parse(&doc, json, strlen(json), NULL, &err)) {
    T_CHECK(0, "parse failed: %s", err.message);
    return NULL;
  }
  return doc;
}

static quire__present *S_present(quire_doc *doc, const char *theme,
                                 quire_body body) {
  quire__present *p = NULL;
  quire_error err;
  quire__present_opts o = {"Report", theme, 0, body};
  if (!doc || quire__present_new(&p, doc, &o, &err)) {
    T_CHECK(0, "present failed");
    return NULL;
  }
  return p;
}

static const char *S_field(const quire__present *p, const char *label) {
  for (size_t i = 0; i < quire__present_field_count(p); i++)
    if (strcmp(quire__present_field(p, i)->label, label) == 0)
      return quire__present_field(p, i)->value;
  return NULL;
}

static const char *S_fact(const quire__present *p, const char *label) {
  for (size_t g = 0; g < quire__present_fact_set_count(p); g++) {
    const quire__fact_set *s = quire__present_fact_set(p, g);
    for (size_t i = 0; i < s->n; i++)
      if (strcmp(s->rows[i].label, label) == 0)
        return s->rows[i].value;
  }
  return NULL;
}

static void S_dates(void) {
  quire__date d;
  quire__date_parse(&d, "2026-03-18T16:41:07.512Z");
  T_INT_EQ(d.valid, 1);
  T_STR_EQ(d.day, "18 March 2026");
  T_STR_EQ(d.when, "18 March 2026, 16:41 UTC");
  T_STR_EQ(d.iso, "2026-03-18");
  quire__date_parse(&d, "2026-05-12T09:30:00+02:00");
  T_STR_EQ(d.when, "12 May 2026, 09:30 UTC+02:00");
  quire__date_parse(&d, "2024-02-29");
  T_INT_EQ(d.valid, 1);
  T_STR_EQ(d.when, "29 February 2024");
  /* Never invented: each of these is shown as given. */
  static const char *const bad[] = {"20x6-03-04",
                                    "2026-02-29",
                                    "2026-04-31",
                                    "2026-13-01",
                                    "2026-03-18T25:00:00Z",
                                    "2026-03-18T10:00:00",
                                    "2026-03-18junk",
                                    "2026-03-18T10:00:00.Z",
                                    "2026-03-18T10:00:00+2:00"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    quire__date_parse(&d, bad[i]);
    T_CHECK(!d.valid, "%s parsed as a date", bad[i]);
    T_OK(d.raw == bad[i]);
  }
  quire__date_parse(&d, NULL);
  T_INT_EQ(d.valid, 0);
  T_OK(d.raw == NULL);
}

/* The node-era url sample's shape: sections and markdown, no title. */
static void S_markdown_title(void) {
  quire_doc *doc = S_parse(
      "{\"id\":\"r1\",\"createdAt\":\"20x6-03-04\",\"output\":{\"type\":"
      "\"url\",\"template\":\"sales_playbook\"},\"entity\":{\"id\":\"e1\","
      "\"tags\":[]},\"media\":{\"mediaId\":\"m1\"},"
      "\"usage\":{\"durationMs\":88431},"
      "\"metrics\":{\"talkRatio\":0.44,\"durationSec\":2874,"
      "\"sentiment\":{\"positive\":0.5}},"
      "\"markdown\":\"# Sales playbook: Kwame\\n\\n> He buys on outcomes.\\n\","
      "\"sections\":[{\"section_title\":\"S\",\"section_content\":{\"type\":"
      "\"text\",\"content\":\"Body.\"}}]}");
  quire__present *p = S_present(doc, "sales_playbook", QUIRE_BODY_STRUCTURED);
  if (p) {
    T_STR_EQ(quire__present_title(p), "Sales playbook: Kwame");
    T_STR_EQ(quire__present_summary(p), "He buys on outcomes.");
    T_STR_EQ(quire__present_summary_title(p), "Summary");
    /* sales_playbook names the report in its byline, not above it. */
    T_OK(quire__present_kicker(p) == NULL);
    T_INT_EQ(quire__present_byline_labelled(p), 1);
    T_STR_EQ(quire__present_byline(p, 0)->label, "Report");
    T_STR_EQ(quire__present_byline(p, 1)->value, "e1");
    T_STR_EQ(quire__present_byline(p, 2)->value, "20x6-03-04");
    T_STR_EQ(S_field(p, "Created"), "20x6-03-04");
    T_STR_EQ(S_field(p, "Media id"), "m1");
    T_STR_EQ(S_field(p, "Entity id"), "e1");
    T_OK(S_fact(p, "Tags") == NULL); /* empty: nothing, not "Tags:" */
    T_STR_EQ(S_fact(p, "Duration"), "47 min 54 s");
    T_STR_EQ(S_fact(p, "Talk ratio"), "44 %");
    T_STR_EQ(S_fact(p, "Sentiment \xC2\xB7 Positive"), "0.5");
    /* The structured body is shown; the markdown is not. */
    T_INT_EQ(quire__present_block_count(p), 1);
    quire__present_free(p);
  }
  /* --body both: the markdown after the blocks, without the title and
   * summary the masthead already shows. */
  p = S_present(doc, "sales_playbook", QUIRE_BODY_BOTH);
  if (p) {
    T_INT_EQ(quire__present_block_count(p), 2);
    const quire_node *md = quire__present_block(p, 1);
    T_OK(md == quire_doc_markdown_node(doc));
    T_OK(quire__present_hidden(p, quire_node_first_child(md)));
    quire__present_free(p);
  }
  p = S_present(doc, "sales_playbook", QUIRE_BODY_MARKDOWN);
  if (p) {
    T_INT_EQ(quire__present_block_count(p), 1);
    T_OK(quire__present_block(p, 0) == quire_doc_markdown_node(doc));
    quire__present_free(p);
  }
  quire_doc_free(doc);
}

/* A markdown-only report: the opening quote after a line of context is
 * the summary (whole, its own "Summary." lead too), not shown twice. */
static void S_markdown_summary(void) {
  quire_doc *doc =
      S_parse("{\"id\":\"r4\",\"markdown\":\"# Review\\n\\n*Context line*\\n\\n"
              "> **Summary.** Calm and exact.\\n\\n## Next\\n\\nText.\\n\"}");
  quire__present *p = S_present(doc, "default", QUIRE_BODY_STRUCTURED);
  if (p) {
    T_STR_EQ(quire__present_title(p), "Review");
    T_STR_EQ(quire__present_summary(p), "Summary. Calm and exact.");
    const quire_node *md = quire_doc_markdown_node(doc);
    const quire_node *quote = quire_node_next(quire_node_first_child(md));
    T_INT_EQ(quire_node_kind_of(quote), QUIRE_NODE_MD_QUOTE);
    T_OK(quire__present_hidden(p, quote));
    T_OK(!quire__present_hidden(p, quire_node_first_child(md)));
    quire__present_free(p);
  }
  quire_doc_free(doc);
}

static void S_templates(void) {
  quire_doc *doc = S_parse(
      "{\"id\":\"r2\",\"createdAt\":\"2026-02-26T10:00:00Z\",\"label\":"
      "\"Panel\",\"summary\":\"Advance.\",\"entity\":{\"id\":\"e2\",\"label\":"
      "\"Jonah\"},\"output\":{\"template\":\"hiring_report\"},\"markdown\":"
      "\"x\"}");
  quire__present *p = S_present(doc, "hiring_report", QUIRE_BODY_STRUCTURED);
  if (p) {
    T_STR_EQ(quire__present_kicker(p), "Report");
    T_STR_EQ(quire__present_summary_title(p), "Debrief summary");
    T_STR_EQ(quire__present_byline(p, 0)->label, "Candidate");
    T_STR_EQ(quire__present_byline(p, 0)->value, "Jonah");
    T_STR_EQ(quire__present_byline(p, 1)->value, "26 February 2026");
    T_STR_EQ(S_field(p, "Entity"), "Jonah");
    T_STR_EQ(S_field(p, "Entity id"), "e2");
    T_OK(quire__present_step_label(p) == NULL);
    quire__present_free(p);
  }
  quire_doc_free(doc);
  /* A matching result: its template by name, its group humanised. */
  doc = S_parse("{\"id\":\"m\",\"context\":\"behavioral_compatibility\","
                "\"output\":{\"template\":\"matching\"},\"group\":[{"
                "\"resolvedLabel\":\"Marcus\"}],\"markdown\":\"x\","
                "\"target\":{\"entityId\":\"e9\",\"resolvedLabel\":\"Nadia\","
                "\"source\":{\"type\":\"entity_id\"}}}");
  p = S_present(doc, "default", QUIRE_BODY_STRUCTURED);
  if (p) {
    T_STR_EQ(quire__present_kicker(p), "Matching");
    T_STR_EQ(S_fact(p, "Compared with"), "Marcus");
    T_STR_EQ(S_fact(p, "Context"), "Behavioral compatibility");
    /* The target's id and label are the Entity fields: not again. */
    T_STR_EQ(S_field(p, "Entity"), "Nadia");
    T_OK(S_fact(p, "Target \xC2\xB7 Resolved label") == NULL);
    T_OK(S_fact(p, "Target \xC2\xB7 Entity id") == NULL);
    T_STR_EQ(S_fact(p, "Target \xC2\xB7 Source \xC2\xB7 Type"), "Entity id");
    quire__present_free(p);
  }
  quire_doc_free(doc);
}

/* Unknown data as rows, nested to a bounded depth, never JSON. */
static void S_data(void) {
  quire_doc *doc = S_parse(
      "{\"id\":\"r3\",\"sections\":[{\"section_title\":\"Scores\","
      "\"section_content\":{\"overall\":0.78,\"dims\":{\"workRhythm\":0.74,"
      "\"deeper\":{\"a\":{\"b\":1}}},\"tags\":[\"x\",\"y\"],\"ok\":true}}]}");
  quire__present *p = S_present(doc, "default", QUIRE_BODY_STRUCTURED);
  const quire__data *d = NULL;
  if (p) {
    quire_iter *it;
    if (quire_iter_new(&it, quire_doc_root(doc)) == 0) {
      while (quire_iter_next(it) != QUIRE_EVENT_DONE)
        if (!d)
          d = quire__present_data(p, quire_iter_node(it));
      quire_iter_free(it);
    }
  }
  T_OK(d != NULL);
  if (d) {
    T_INT_EQ((int)d->n, 7);
    T_STR_EQ(d->rows[0].label, "Overall");
    T_STR_EQ(d->rows[0].value, "0.78");
    /* A fraction is a score, drawn as a bar; a count or a word is not. */
    T_OK(d->rows[0].bar > 0.77 && d->rows[0].bar < 0.79);
    T_OK(d->rows[4].bar < 0);
    T_OK(d->rows[5].bar < 0);
    T_STR_EQ(d->rows[1].label, "Dims");
    T_OK(d->rows[1].value == NULL);
    T_STR_EQ(d->rows[2].label, "Work rhythm");
    T_INT_EQ(d->rows[2].level, 1);
    T_STR_EQ(d->rows[3].label, "Deeper");
    T_OK(d->rows[3].value == NULL);
    /* At the depth limit: one row, what is below it joined. */
    T_STR_EQ(d->rows[4].label, "A");
    T_INT_EQ(d->rows[4].level, QUIRE__DATA_DEPTH - 1);
    T_STR_EQ(d->rows[4].value, "B: 1");
    T_STR_EQ(d->rows[5].value, "x, y");
    T_STR_EQ(d->rows[6].value, "yes");
    for (size_t i = 0; i < d->n; i++) {
      T_OK(d->rows[i].level < QUIRE__DATA_DEPTH);
      T_OK(!d->rows[i].value || !strchr(d->rows[i].value, '{'));
    }
  }
  quire__present_free(p);
  quire_doc_free(doc);
}

/* quire_render_options.body arrived with version 2; a version-1 caller's
 * struct ends before it and is read as far as it goes. */
static void S_options(void) {
  quire_doc *doc = S_parse("{\"id\":\"r\",\"markdown\":\"# T\\n\\nx\"}");
  quire_render_options o = QUIRE_RENDER_OPTIONS_INIT;
  quire_buf b = QUIRE_BUF_INIT;
  quire_error err;
  o.version = 1;
  o.body = (quire_body)99; /* past a version-1 struct: never read */
  T_INT_EQ(quire_render_buf(&b, doc, QUIRE_FORMAT_TEXT, &o, &err), 0);
  o.version = QUIRE_RENDER_OPTIONS_VERSION;
  T_INT_EQ(quire_render_buf(&b, doc, QUIRE_FORMAT_TEXT, &o, &err),
           QUIRE_EINVAL);
  o.body = QUIRE_BODY_BOTH;
  T_INT_EQ(quire_render_buf(&b, doc, QUIRE_FORMAT_TEXT, &o, &err), 0);
  o.version = QUIRE_RENDER_OPTIONS_VERSION + 1; /* from the future */
  T_INT_EQ(quire_render_buf(&b, doc, QUIRE_FORMAT_TEXT, &o, &err),
           QUIRE_EINVAL);
  quire_buf_dispose(&b);
  quire_doc_free(doc);
}

/* Every field of the report that shares a line with other text is its own
 * bidi isolate, in text (FSI ... PDI, balanced on every line) and in HTML
 * (an element with dir="auto" around it): a right-to-left value, or one
 * holding U+202E, never reorders the separator or the next field. */
#define S_HEB "\\u05e9\\u05dc\\u05d5\\u05dd"
static const char S_rtl_doc[] =
    "{\"id\":\"r1\",\"createdAt\":\"2026-03-18\",\"label\":\"L " S_HEB
    " \\u202e1\",\"entity\":{\"id\":\"e1\",\"label\":\"" S_HEB
    " \\u202e2\"},\"media\":{\"mediaId\":\"" S_HEB "\"},"
    "\"output\":{\"template\":\"general_report\"},\"json\":{"
    "\"schemaVersion\":2,\"title\":\"" S_HEB " T \\u202e3\",\"summary\":\"S "
    "" S_HEB "\",\"template\":\"general_report\",\"sections\":["
    "{\"kind\":\"traits\",\"key\":\"t\",\"title\":\"" S_HEB " 1\","
    "\"body\":\"b\",\"phrases\":[\"" S_HEB " 2\",\"\\u202e" S_HEB " 3\",\""
    "x " S_HEB "\"]},"
    "{\"kind\":\"actions\",\"key\":\"a\",\"title\":\"A\",\"items\":[{"
    "\"title\":\"" S_HEB " 4\",\"context\":\"c\"}]},"
    "{\"kind\":\"paragraph\",\"key\":\"p\",\"title\":\"P\",\"body\":"
    "\"| " S_HEB " a | b |\\n|--|--|\\n| " S_HEB " \\u202e5 | 6 |\\n\"}]},"
    "\"metrics\":{\"" S_HEB "\":\"" S_HEB " 7\",\"talkRatio\":0.4,\"x\":{"
    "\"" S_HEB "\":\"\\u202e" S_HEB "\"}}}";

static int S_hebrew(const unsigned char *s) {
  return s[0] == 0xD7 && s[1] >= 0x90 && s[1] <= 0xAA;
}

static void S_isolation_text(const char *out, size_t len) {
  size_t line = 1, letters = 0;
  int depth = 0, bad = 0;
  for (size_t i = 0; i < len && bad < 5; i++) {
    const unsigned char *u = (const unsigned char *)out + i;
    if (u[0] == '\n') {
      T_CHECK(depth == 0, "line %zu ends with %d isolates open", line, depth);
      bad += depth != 0;
      depth = 0;
      line++;
    } else if (i + 2 < len && u[0] == 0xE2 && u[1] == 0x81 && u[2] == 0xA8) {
      depth++;
    } else if (i + 2 < len && u[0] == 0xE2 && u[1] == 0x81 && u[2] == 0xA9) {
      depth--;
      T_CHECK(depth >= 0, "line %zu closes an isolate it did not open", line);
      bad += depth < 0;
    } else if (i + 2 < len && u[0] == 0xE2 && u[1] == 0x80 && u[2] == 0xAE) {
      T_CHECK(0, "line %zu holds U+202E", line);
      bad++;
    } else if (i + 1 < len && S_hebrew(u)) {
      letters++;
      T_CHECK(depth > 0, "line %zu: a right-to-left field not isolated", line);
      bad += depth <= 0;
    }
  }
  T_CHECK(letters >= 40, "only %zu right-to-left letters in the text", letters);
}

/* A tiny walk of our own HTML: the open elements at each text byte. */
static void S_isolation_html(const char *out, size_t len) {
  static const char *const voids[] = {"meta", "br",    "input", "img",
                                      "hr",   "meter", "link",  "col"};
  struct {
    char name[16];
    int isolated;
  } stack[64];
  int depth = 0, bad = 0, skip = 0;
  size_t letters = 0;
  for (size_t i = 0; i < len && bad < 5; i++) {
    if (out[i] == '<') {
      size_t end = i;
      while (end < len && out[end] != '>')
        end++;
      int close = out[i + 1] == '/';
      size_t s = i + 1 + (size_t)close, k = 0;
      char name[16];
      while (s < end && k < sizeof name - 1 && out[s] != ' ' && out[s] != '>')
        name[k++] = out[s++];
      name[k] = '\0';
      int isvoid = name[0] == '!';
      for (size_t v = 0; v < sizeof voids / sizeof voids[0]; v++)
        isvoid |= strcmp(name, voids[v]) == 0;
      if (close) {
        while (depth > 0 && strcmp(stack[depth - 1].name, name) != 0)
          depth--;
        if (depth > 0)
          depth--;
        if (strcmp(name, "style") == 0 || strcmp(name, "title") == 0)
          skip = 0;
      } else if (!isvoid && depth < 64) {
        snprintf(stack[depth].name, sizeof stack[depth].name, "%s", name);
        stack[depth].isolated = 0;
        for (size_t a = i; a + 10 <= end; a++)
          stack[depth].isolated |= memcmp(out + a, "dir=\"auto\"", 10) == 0;
        stack[depth].isolated |= strcmp(name, "bdi") == 0;
        if (strcmp(name, "style") == 0 || strcmp(name, "title") == 0)
          skip = 1;
        depth++;
      }
      i = end;
      continue;
    }
    const unsigned char *u = (const unsigned char *)out + i;
    if (i + 2 < len && u[0] == 0xE2 && u[1] == 0x80 && u[2] == 0xAE) {
      T_CHECK(0, "the HTML holds U+202E at byte %zu", i);
      bad++;
    }
    if (skip || i + 1 >= len || !S_hebrew(u))
      continue;
    letters++;
    int iso = 0;
    for (int d = 0; d < depth; d++)
      iso |= stack[d].isolated;
    T_CHECK(iso, "a right-to-left field in <%s> with no dir=auto around it",
            depth ? stack[depth - 1].name : "");
    bad += !iso;
  }
  T_CHECK(letters >= 40, "only %zu right-to-left letters in the HTML", letters);
}

static void S_isolation(void) {
  quire_doc *doc = S_parse(S_rtl_doc);
  if (!doc)
    return;
  quire_render_options o = QUIRE_RENDER_OPTIONS_INIT;
  quire_error err;
  quire_buf b = QUIRE_BUF_INIT;
  for (int width = 40; width <= 120; width += 80) {
    o.width = width;
    quire_buf_clear(&b);
    T_INT_EQ(quire_render_buf(&b, doc, QUIRE_FORMAT_TEXT, &o, &err), 0);
    S_isolation_text(b.ptr, b.size);
  }
  quire_buf_clear(&b);
  T_INT_EQ(quire_render_buf(&b, doc, QUIRE_FORMAT_HTML, &o, &err), 0);
  S_isolation_html(b.ptr, b.size);
  quire_buf_dispose(&b);
  quire_doc_free(doc);
}

/* Computed once per document: every format, every thread, one
 * presentation (present.h, quire__present_get). */
typedef struct {
  const quire_doc *doc;
  const quire__present *got;
} S_thread_arg;

static void *S_thread(void *arg) {
  S_thread_arg *a = arg;
  quire__present_opts o = {"Report", "default", 0, QUIRE_BODY_STRUCTURED};
  quire_error err;
  if (quire__present_get(&a->got, a->doc, &o, &err))
    a->got = NULL;
  return NULL;
}

static void S_once(void) {
  quire_doc *doc =
      S_parse("{\"id\":\"r\",\"markdown\":\"# T\\n\\n> S\\n\\nx\"}");
  if (!doc)
    return;
  quire_error err;
  quire_buf b = QUIRE_BUF_INIT;
  T_OK(doc->pres == NULL);
  T_INT_EQ(quire_render_buf(&b, doc, QUIRE_FORMAT_TEXT, NULL, &err), 0);
  const void *first = doc->pres;
  T_OK(first != NULL);
  T_INT_EQ(quire_render_buf(&b, doc, QUIRE_FORMAT_HTML, NULL, &err), 0);
  T_INT_EQ(quire_render_buf(&b, doc, QUIRE_FORMAT_PDF, NULL, &err), 0);
  T_INT_EQ(quire_render_buf(&b, doc, QUIRE_FORMAT_TEXT, NULL, &err), 0);
  /* Still the one built for the first format: nothing was rebuilt. */
  T_OK(doc->pres == first);
  /* Other options are another presentation, kept beside it. */
  quire_render_options o = QUIRE_RENDER_OPTIONS_INIT;
  o.body = QUIRE_BODY_BOTH;
  T_INT_EQ(quire_render_buf(&b, doc, QUIRE_FORMAT_TEXT, &o, &err), 0);
  T_OK(doc->pres != first);
  quire_buf_dispose(&b);
  quire_doc_free(doc);

  /* Eight threads asking at once get the same one. */
  doc = S_parse("{\"id\":\"r\",\"markdown\":\"# T\\n\\nx\"}");
  if (!doc)
    return;
  pthread_t th[8];
  S_thread_arg args[8];
  for (int i = 0; i < 8; i++) {
    args[i].doc = doc;
    args[i].got = NULL;
    T_INT_EQ(pthread_create(&th[i], NULL, S_thread, &args[i]), 0);
  }
  for (int i = 0; i < 8; i++)
    pthread_join(th[i], NULL);
  for (int i = 0; i < 8; i++)
    T_OK(args[i].got != NULL && args[i].got == args[0].got);
  T_OK(doc->pres == args[0].got);
  quire_doc_free(doc);
}

/* Invalid values are shown as given, never invented, and each is a
 * warning at its JSON path that `quire validate` prints. */
typedef struct {
  char seen[8][160];
  int n;
} S_diags;

static void S_diag_cb(const quire_diag *d, void *payload) {
  S_diags *s = payload;
  if (s->n < 8 && d->path && strstr(d->message, "shown as given"))
    snprintf(s->seen[s->n++], sizeof s->seen[0], "%s", d->path);
}

static int S_has_diag(const S_diags *s, const char *path) {
  for (int i = 0; i < s->n; i++)
    if (strcmp(s->seen[i], path) == 0)
      return 1;
  return 0;
}

static void S_invalid(void) {
  static const char json[] =
      "{\"id\":\"r\",\"createdAt\":\"20x6-03-04\",\"metrics\":{"
      "\"durationMs\":-5000,\"talkRatio\":1.7,\"durationSec\":2874},"
      "\"sections\":[{\"section_title\":\"Scores\",\"section_content\":{"
      "\"scores\":{\"overall\":1.7,\"pace\":0.4,\"calls\":140,\"n\":40}}}]}";
  S_diags d = {{{0}}, 0};
  quire_error err;
  T_INT_EQ(quire_validate(json, strlen(json), NULL, S_diag_cb, &d, &err), 0);
  T_INT_EQ(d.n, 5);
  T_OK(S_has_diag(&d, "$.createdAt"));
  T_OK(S_has_diag(&d, "$.metrics.durationMs"));
  T_OK(S_has_diag(&d, "$.metrics.talkRatio"));
  T_OK(S_has_diag(&d, "$.sections[0].section_content.scores.overall"));
  T_OK(S_has_diag(&d, "$.sections[0].section_content.scores.calls"));
  quire_doc *doc = S_parse(json);
  quire__present *p = S_present(doc, "default", QUIRE_BODY_STRUCTURED);
  if (p) {
    T_STR_EQ(S_field(p, "Created"), "20x6-03-04");
    /* As given, its unit in its name: not "-5 s", not "170 %". */
    T_STR_EQ(S_fact(p, "Duration ms"), "-5000");
    T_STR_EQ(S_fact(p, "Talk ratio"), "1.7");
    T_STR_EQ(S_fact(p, "Duration"), "47 min 54 s");
    quire__present_free(p);
  }
  quire_doc_free(doc);
}

/* profile_alignment's criterion rows, decided in present/ and drawn by
 * every format: side by side in text where there is room, the
 * role-criterion class in HTML. */
static void S_criteria(void) {
  static const char json[] =
      "{\"id\":\"r\",\"output\":{\"template\":\"profile_alignment\"},"
      "\"json\":{\"schemaVersion\":2,\"title\":\"Fit\",\"template\":"
      "\"profile_alignment\",\"sections\":[{\"kind\":\"paragraph\",\"key\":"
      "\"a\",\"title\":\"Forecast discipline\",\"body\":\"Evidence one.\"},"
      "{\"kind\":\"actions\",\"key\":\"b\",\"title\":\"Next\",\"items\":[{"
      "\"title\":\"Do it\",\"context\":\"c\"}]}]}}";
  quire_doc *doc = S_parse(json);
  if (!doc)
    return;
  const quire_node *para = quire_node_first_child(quire_doc_root(doc));
  const quire_node *acts = para ? quire_node_next(para) : NULL;
  quire__present *p = S_present(doc, "profile_alignment", 0);
  quire__present *g = S_present(doc, "general_report", 0);
  if (p && g && acts) {
    T_INT_EQ(quire__present_role(p, para), QUIRE__ROLE_CRITERION);
    T_INT_EQ(quire__present_role(p, acts), QUIRE__ROLE_NONE);
    T_INT_EQ(quire__present_role(g, para), QUIRE__ROLE_NONE);
    T_STR_EQ(quire__present_role_name(QUIRE__ROLE_CRITERION), "criterion");
  }
  quire__present_free(p);
  quire__present_free(g);
  quire_render_options o = QUIRE_RENDER_OPTIONS_INIT;
  quire_error err;
  quire_buf b = QUIRE_BUF_INIT;
  o.width = 100;
  o.flags = QUIRE_RENDER_ASCII;
  T_INT_EQ(quire_render_buf(&b, doc, QUIRE_FORMAT_TEXT, &o, &err), 0);
  /* The criterion left of the evidence, on one line. */
  T_OK(b.ptr && strstr(b.ptr, "-+-") != NULL);
  const char *row = b.ptr ? strstr(b.ptr, "Forecast discipline") : NULL;
  const char *eol = row ? strchr(row, '\n') : NULL;
  const char *ev = row ? strstr(row, "Evidence one.") : NULL;
  T_OK(row && eol && ev && ev < eol && memchr(row, '|', (size_t)(eol - row)));
  /* Too narrow for two columns: stacked, as a heading over the text. */
  quire_buf_clear(&b);
  o.width = 50;
  T_INT_EQ(quire_render_buf(&b, doc, QUIRE_FORMAT_TEXT, &o, &err), 0);
  T_OK(b.ptr && strstr(b.ptr, "-+-") == NULL);
  quire_buf_clear(&b);
  T_INT_EQ(quire_render_buf(&b, doc, QUIRE_FORMAT_HTML, NULL, &err), 0);
  T_OK(b.ptr && strstr(b.ptr, "block paragraph role-criterion") != NULL);
  quire_buf_dispose(&b);
  quire_doc_free(doc);
}

int main(void) {
  S_options();
  S_dates();
  S_markdown_title();
  S_markdown_summary();
  S_templates();
  S_data();
  S_isolation();
  S_once();
  S_invalid();
  S_criteria();
  return T_done("test_present");
}
