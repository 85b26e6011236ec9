/* Decoder tests: case directories under tests/decode/ (valid cases compare
 * the canonical model dump with expected.tree; invalid cases compare the
 * first problem with the one-line `error` file), every sample, hostile
 * inputs, allocation failures, and one document read from many threads.
 * UPDATE_GOLDEN=1 rewrites expected files (review the diff). */
#include "harness.h"
#include "quire.h"

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void quire__alloc_fail_at(long n);

static int S_update;

static char *S_slurp(const char *path, size_t *len) {
  FILE *fp = fopen(path, "rb");
  if (!fp)
    return NULL;
  quire_buf b = QUIRE_BUF_INIT;
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
    quire_buf_put(&b, chunk, n);
  fclose(fp);
  return quire_buf_detach(&b, len);
}

static int S_exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0;
}

static void S_write(const char *path, const char *data, size_t len) {
  FILE *fp = fopen(path, "wb");
  if (fp) {
    fwrite(data, 1, len, fp);
    fclose(fp);
  }
}

static int S_cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted subdirectory names of dir; caller frees. */
static size_t S_list(const char *dir, char ***out) {
  DIR *d = opendir(dir);
  size_t n = 0, cap = 0;
  char **v = NULL;
  struct dirent *e;
  while (d && (e = readdir(d))) {
    if (e->d_name[0] == '.')
      continue;
    if (n == cap) {
      cap = cap ? cap * 2 : 32;
      v = realloc(v, cap * sizeof *v);
    }
    v[n++] = strdup(e->d_name);
  }
  if (d)
    closedir(d);
  if (n)
    qsort(v, n, sizeof *v, S_cmp_names);
  *out = v;
  return n;
}

static void S_valid_cases(void) {
  char **names;
  size_t n = S_list("tests/decode/valid", &names);
  T_CHECK(n > 0, "no valid cases found");
  for (size_t i = 0; i < n; i++) {
    char path[512], tree[512], strict[512];
    snprintf(path, sizeof path, "tests/decode/valid/%s/input.json", names[i]);
    snprintf(tree, sizeof tree, "tests/decode/valid/%s/expected.tree",
             names[i]);
    snprintf(strict, sizeof strict, "tests/decode/valid/%s/strict", names[i]);
    quire_parse_options po = QUIRE_PARSE_OPTIONS_INIT;
    po.flags = S_exists(strict) ? QUIRE_PARSE_STRICT : 0;
    po.source = "input.json";
    quire_doc *doc = NULL;
    quire_error err;
    quire_error_clear(&err);
    int rc = quire_doc_parse_file(&doc, path, &po, &err);
    T_CHECK(rc == 0, "%s: parse failed: %s", names[i], err.message);
    if (rc)
      continue;
    quire_buf dump = QUIRE_BUF_INIT;
    quire_doc_dump(&dump, doc);
    if (S_update) {
      S_write(tree, dump.ptr, dump.size);
    } else {
      size_t elen;
      char *exp = S_slurp(tree, &elen);
      T_CHECK(exp && elen == dump.size && memcmp(exp, dump.ptr, elen) == 0,
              "%s: model differs from expected.tree (run with UPDATE_GOLDEN=1 "
              "and review)",
              names[i]);
      free(exp);
    }
    quire_buf_dispose(&dump);
    quire_doc_free(doc);
  }
  for (size_t i = 0; i < n; i++)
    free(names[i]);
  free(names);
}

typedef struct {
  char first[1024];
  int count;
} S_first;

static void S_diag(const quire_diag *d, void *payload) {
  S_first *f = payload;
  if (f->count++ == 0)
    snprintf(f->first, sizeof f->first, "input.json: %s: %s", d->path,
             d->message);
}

/* The one line a user sees for this input. */
static void S_problem(const char *data, size_t len, int strict, char *out,
                      size_t size) {
  quire_parse_options po = QUIRE_PARSE_OPTIONS_INIT;
  po.flags = strict ? QUIRE_PARSE_STRICT : 0;
  po.source = "input.json";
  quire_error err;
  quire_error_clear(&err);
  S_first f = {"", 0};
  int rc = quire_validate(data, len, &po, S_diag, &f, &err);
  if (rc == 0)
    snprintf(out, size, "(valid)");
  else if (f.count && strict)
    snprintf(out, size, "%s", f.first);
  else
    quire_error_format(&err, out, size);
}

static void S_invalid_cases(void) {
  char **names;
  size_t n = S_list("tests/decode/invalid", &names);
  T_CHECK(n > 0, "no invalid cases found");
  for (size_t i = 0; i < n; i++) {
    char path[512], errf[512], strict[512];
    snprintf(path, sizeof path, "tests/decode/invalid/%s/input.json", names[i]);
    snprintf(errf, sizeof errf, "tests/decode/invalid/%s/error", names[i]);
    snprintf(strict, sizeof strict, "tests/decode/invalid/%s/strict", names[i]);
    size_t len;
    char *data = S_slurp(path, &len);
    T_CHECK(data != NULL, "%s: cannot read input", names[i]);
    if (!data)
      continue;
    char got[1100];
    S_problem(data, len, S_exists(strict), got, sizeof got);
    /* The same input through quire_doc_parse must fail too, with no doc. */
    quire_parse_options po = QUIRE_PARSE_OPTIONS_INIT;
    po.flags = S_exists(strict) ? QUIRE_PARSE_STRICT : 0;
    quire_doc *doc = (quire_doc *)1;
    int rc = quire_doc_parse(&doc, data, len, &po, NULL);
    T_CHECK(rc != 0 && doc == NULL, "%s: quire_doc_parse accepted it",
            names[i]);
    free(data);
    T_CHECK(strcmp(got, "(valid)") != 0, "%s: accepted as valid", names[i]);
    if (S_update) {
      char line[1200];
      size_t l = (size_t)snprintf(line, sizeof line, "%s\n", got);
      S_write(errf, line, l);
      continue;
    }
    size_t elen;
    char *exp = S_slurp(errf, &elen);
    if (exp && elen && exp[elen - 1] == '\n')
      exp[--elen] = '\0';
    T_CHECK(exp && strcmp(exp, got) == 0, "%s:\n  want: %s\n  got:  %s",
            names[i], exp ? exp : "(no error file)", got);
    free(exp);
  }
  for (size_t i = 0; i < n; i++)
    free(names[i]);
  free(names);
}

static void S_samples(void) {
  static const char *const dirs[] = {"samples/v2",         "samples/legacy",
                                     "samples/normalized", "samples/node-era",
                                     "samples/matching",   "samples/intl",
                                     "samples/long"};
  int total = 0;
  for (size_t d = 0; d < sizeof dirs / sizeof dirs[0]; d++) {
    DIR *dir = opendir(dirs[d]);
    struct dirent *e;
    while (dir && (e = readdir(dir))) {
      size_t l = strlen(e->d_name);
      if (l < 6 || strcmp(e->d_name + l - 5, ".json") != 0)
        continue;
      char path[512];
      snprintf(path, sizeof path, "%s/%s", dirs[d], e->d_name);
      quire_doc *doc;
      quire_error err;
      quire_error_clear(&err);
      int rc = quire_doc_parse_file(&doc, path, NULL, &err);
      T_CHECK(rc == 0, "%s: %s", path, err.message);
      if (rc == 0) {
        T_CHECK(quire_node_first_child(quire_doc_root(doc)) != NULL,
                "%s: no blocks", path);
        T_CHECK(quire_doc_id(doc) != NULL, "%s: no id", path);
        quire_doc_free(doc);
      }
      total++;
    }
    if (dir)
      closedir(dir);
  }
  T_CHECK(total >= 10, "only %d samples", total);
}

static void S_hostile(void) {
  quire_doc *doc;
  quire_error err;
  /* A size cap is enforced before any parsing. */
  quire_parse_options po = QUIRE_PARSE_OPTIONS_INIT;
  po.max_input = 16;
  quire_error_clear(&err);
  T_INT_EQ(quire_doc_parse(&doc, "{\"id\": \"0123456789\"}", 20, &po, &err),
           QUIRE_ETOOBIG);
  /* 10^5 sections decode within the block cap, the rest is cut with a
   * warning rather than growing without bound. */
  quire_buf b = QUIRE_BUF_INIT;
  quire_buf_puts(&b,
                 "{\"id\":\"x\",\"createdAt\":\"t\",\"media\":{},\"output\":"
                 "{\"template\":\"general_report\"},\"sections\":[");
  for (int i = 0; i < 100000; i++)
    quire_buf_printf(&b,
                     "%s{\"section_title\":\"s%d\",\"section_content\":"
                     "{\"type\":\"text\",\"content\":\"c\"}}",
                     i ? "," : "", i);
  quire_buf_puts(&b, "]}");
  po.max_input = 0;
  po.max_blocks = 50000;
  quire_error_clear(&err);
  int rc = quire_doc_parse(&doc, b.ptr, b.size, &po, &err);
  T_INT_EQ(rc, 0);
  if (rc == 0) {
    T_OK(quire_doc_diag_count(doc) > 0);
    quire_doc_free(doc);
  }
  quire_buf_dispose(&b);
  /* Pathological markdown stays bounded: over the cap it is plain text. */
  quire_buf_puts(&b,
                 "{\"id\":\"x\",\"createdAt\":\"t\",\"media\":{},\"output\":"
                 "{\"template\":\"general_report\"},\"markdown\":\"");
  for (int i = 0; i < 200000; i++)
    quire_buf_puts(&b, "![[]()");
  quire_buf_puts(&b, "\"}");
  po.max_markdown = 65536;
  po.max_blocks = 0;
  rc = quire_doc_parse(&doc, b.ptr, b.size, &po, &err);
  T_INT_EQ(rc, 0);
  if (rc == 0)
    quire_doc_free(doc);
  quire_buf_dispose(&b);
  /* Deeply nested markdown quotes are flattened, not recursed into. */
  quire_buf_puts(&b,
                 "{\"id\":\"x\",\"createdAt\":\"t\",\"media\":{},\"output\":"
                 "{\"template\":\"general_report\"},\"markdown\":\"");
  for (int i = 0; i < 50000; i++)
    quire_buf_puts(&b, ">");
  quire_buf_puts(&b, " deep\"}");
  po.max_markdown = 0;
  rc = quire_doc_parse(&doc, b.ptr, b.size, &po, &err);
  T_INT_EQ(rc, 0);
  if (rc == 0) {
    quire_buf dump = QUIRE_BUF_INIT;
    T_INT_EQ(quire_doc_dump(&dump, doc), 0);
    quire_buf_dispose(&dump);
    quire_doc_free(doc);
  }
  quire_buf_dispose(&b);
  /* Bad arguments are errors, not crashes. */
  T_INT_EQ(quire_doc_parse(NULL, "{}", 2, NULL, NULL), QUIRE_EINVAL);
  T_INT_EQ(quire_doc_parse(&doc, NULL, 5, NULL, NULL), QUIRE_EINVAL);
  quire_doc_free(NULL);
  T_OK(quire_doc_title(NULL) == NULL);
}

static void S_alloc_sweep(void) {
  size_t len;
  char *data = S_slurp("samples/legacy/all_blocks.json", &len);
  T_OK(data != NULL);
  if (!data)
    return;
  int ok_after = 0;
  for (long n = 1; n < 5000; n++) {
    quire_doc *doc = NULL;
    quire__alloc_fail_at(n);
    int rc = quire_doc_parse(&doc, data, len, NULL, NULL);
    quire__alloc_fail_at(0);
    T_CHECK(rc == 0 || rc == QUIRE_ENOMEM, "alloc %ld: rc %d", n, rc);
    T_CHECK((rc == 0) == (doc != NULL), "alloc %ld: doc/rc mismatch", n);
    quire_doc_free(doc);
    if (rc == 0 && ++ok_after > 3)
      break; /* past the last allocation: every failure point was visited */
  }
  T_CHECK(ok_after > 0, "parse never succeeded in the sweep");
  free(data);
}

static void *S_thread(void *arg) {
  const quire_doc *doc = arg;
  quire_buf *out = malloc(sizeof *out);
  quire_buf_init(out, 0);
  for (int i = 0; i < 20; i++) {
    quire_buf_clear(out);
    quire_doc_dump(out, doc);
    quire_render_buf(out, doc, QUIRE_FORMAT_TEXT, NULL, NULL);
    quire_render_buf(out, doc, QUIRE_FORMAT_HTML, NULL, NULL);
  }
  return out;
}

static void S_threads(void) {
  quire_doc *doc;
  T_INT_EQ(
      quire_doc_parse_file(&doc, "samples/intl/multiscript.json", NULL, NULL),
      0);
  pthread_t th[4];
  for (int i = 0; i < 4; i++)
    pthread_create(&th[i], NULL, S_thread, doc);
  quire_buf *first = NULL;
  for (int i = 0; i < 4; i++) {
    quire_buf *r;
    pthread_join(th[i], (void **)&r);
    if (!first)
      first = r;
    else {
      T_CHECK(r->size == first->size &&
                  memcmp(r->ptr, first->ptr, r->size) == 0,
              "thread %d produced different output", i);
      quire_buf_dispose(r);
      free(r);
    }
  }
  quire_buf_dispose(first);
  free(first);
  quire_doc_free(doc);
}

/* skip_children: the next event is the same node's EXIT, then its sibling. */
static void S_iter_skip(void) {
  const char *json =
      "{\"id\":\"x\",\"createdAt\":\"t\",\"media\":{},\"output\":"
      "{\"template\":\"general_report\"},\"sections\":["
      "{\"section_title\":\"A\",\"section_content\":{\"type\":\"text\","
      "\"content\":\"a\"}},"
      "{\"section_title\":\"B\",\"section_content\":{\"type\":\"text\","
      "\"content\":\"b\"}}]}";
  quire_doc *doc;
  T_INT_EQ(quire_doc_parse(&doc, json, strlen(json), NULL, NULL), 0);
  quire_iter *it;
  T_INT_EQ(quire_iter_new(&it, quire_doc_root(doc)), 0);
  T_INT_EQ(quire_iter_next(it), QUIRE_EVENT_ENTER); /* document */
  T_INT_EQ(quire_iter_next(it), QUIRE_EVENT_ENTER); /* section A */
  const quire_node *a = quire_iter_node(it);
  T_STR_EQ(quire_node_title(a), "A");
  quire_iter_skip_children(it);
  T_INT_EQ(quire_iter_next(it), QUIRE_EVENT_EXIT);
  T_OK(quire_iter_node(it) == a);
  T_INT_EQ(quire_iter_next(it), QUIRE_EVENT_ENTER);
  T_STR_EQ(quire_node_title(quire_iter_node(it)), "B");
  int events = 0;
  while (quire_iter_next(it) != QUIRE_EVENT_DONE)
    events++;
  T_INT_EQ(events,
           7); /* enter text, para, md_text (a leaf); exit para, text, B, doc */
  quire_iter_free(it);
  quire_doc_free(doc);
}

/* Parses a report whose markdown is md (already JSON-escaped) with the
 * default limits; returns the doc (or NULL) and whether any diagnostic
 * contains want and whether the model holds a table. */
static quire_doc *S_md(const quire_buf *md, const char *want, int *warned,
                       int *has_table) {
  quire_buf b = QUIRE_BUF_INIT;
  quire_buf_puts(&b, "{\"id\":\"x\",\"createdAt\":\"t\",\"media\":{},"
                     "\"output\":{\"template\":\"general_report\"},"
                     "\"markdown\":\"");
  quire_buf_put(&b, md->ptr, md->size);
  quire_buf_puts(&b, "\"}");
  quire_doc *doc = NULL;
  *warned = *has_table = 0;
  if (quire_doc_parse(&doc, b.ptr, b.size, NULL, NULL) == 0) {
    for (size_t i = 0; i < quire_doc_diag_count(doc); i++)
      if (want && strstr(quire_doc_diag(doc, i)->message, want))
        *warned = 1;
    quire_iter *it;
    if (quire_iter_new(&it, quire_doc_root(doc)) == 0) {
      while (quire_iter_next(it) != QUIRE_EVENT_DONE)
        if (quire_node_kind_of(quire_iter_node(it)) == QUIRE_NODE_MD_TABLE)
          *has_table = 1;
      quire_iter_free(it);
    }
  }
  quire_buf_dispose(&b);
  return doc;
}

/* Markdown on which cmark-gfm 0.29 goes quadratic or blows up, all under
 * the 1 MiB markdown cap: each is caught before cmark sees it (the robustness
 * run found a 26 KB table that aborted the process, and "![[]()" x 100,000
 * that ran past 20 s). Bounded by construction, so no time is asserted. */
static void S_markdown_bombs(void) {
  quire_buf md = QUIRE_BUF_INIT;
  int warned, table;
  for (int i = 0; i < 100000; i++)
    quire_buf_puts(&md, "![[]()");
  quire_doc *doc = S_md(&md, "'[' characters", &warned, &table);
  T_OK(doc != NULL);
  T_OK(warned);
  quire_doc_free(doc);

  /* A 1,000-column header over 2,000 one-cell rows (padded to 2M cells). */
  quire_buf_clear(&md);
  for (int i = 0; i < 1000; i++)
    quire_buf_puts(&md, "|a");
  quire_buf_puts(&md, "|\\n");
  for (int i = 0; i < 1000; i++)
    quire_buf_puts(&md, "|-");
  quire_buf_puts(&md, "|\\n");
  for (int i = 0; i < 2000; i++)
    quire_buf_puts(&md, "x\\n");
  doc = S_md(&md, "over the limit", &warned, &table);
  T_OK(doc != NULL);
  T_OK(warned);
  T_OK(!table);
  quire_doc_free(doc);

  /* 50,000 columns. */
  quire_buf_clear(&md);
  for (int r = 0; r < 3; r++) {
    for (int i = 0; i < 50000; i++)
      quire_buf_puts(&md, r == 1 ? "|-" : "|a");
    quire_buf_puts(&md, "|\\n");
  }
  doc = S_md(&md, "over the limit", &warned, &table);
  T_OK(doc != NULL);
  T_OK(warned);
  quire_doc_free(doc);

  /* An ordinary table is still a table, with no warning. */
  quire_buf_clear(&md);
  quire_buf_puts(&md, "| a | b |\\n|---|:-:|\\n| 1 | 2 |\\n| 3 | 4 |\\n");
  doc = S_md(&md, "over the limit", &warned, &table);
  T_OK(doc != NULL);
  T_OK(!warned);
  T_OK(table);
  quire_doc_free(doc);
  quire_buf_dispose(&md);
}

/* An unknown block keeps its JSON for renderers to show a client: reals
 * read as the report wrote them (0.78, not jansson's 0.78000000000000003). */
static void S_unknown_reals(void) {
  const char *json =
      "{\"json\":{\"schemaVersion\":1,\"sections\":[{\"section_title\":"
      "\"Scores\",\"section_content\":{\"overall\":0.78,\"tiny\":1.5e-7,"
      "\"big\":123456789.125,\"third\":0.1}}]}}";
  quire_doc *doc;
  T_INT_EQ(quire_doc_parse(&doc, json, strlen(json), NULL, NULL), 0);
  const quire_node *n = quire_node_first_child(quire_doc_root(doc));
  while (n && quire_node_kind_of(n) != QUIRE_NODE_UNKNOWN)
    n = quire_node_first_child(n);
  T_OK(n != NULL);
  const char *lit = n ? quire_node_literal(n) : NULL;
  T_OK(lit && strstr(lit, "\"overall\": 0.78,"));
  T_OK(lit && strstr(lit, "\"tiny\": 1.5e-7"));
  T_OK(lit && strstr(lit, "\"big\": 123456789.125"));
  T_OK(lit && strstr(lit, "\"third\": 0.1\n"));
  quire_doc_free(doc);
}

/* A UTF-8 byte order mark (Windows editors save one) is ignored, as RFC
 * 8259 allows; it used to be "invalid token near '\xEF\xBB\xBF'". */
static void S_bom(void) {
  const char *json = "\xEF\xBB\xBF{\"id\":\"x\",\"createdAt\":\"t\","
                     "\"media\":{},\"markdown\":\"# Hi\"}";
  quire_doc *doc = NULL;
  quire_error err;
  quire_error_clear(&err);
  T_INT_EQ(quire_doc_parse(&doc, json, strlen(json), NULL, &err), 0);
  T_STR_EQ(quire_doc_id(doc), "x");
  quire_doc_free(doc);
  T_INT_EQ(quire_doc_parse(&doc, "\xEF\xBB\xBF", 3, NULL, &err), QUIRE_ESYNTAX);
  T_OK(strstr(err.message, "empty input") != NULL);
}

/* jansson quotes the text near a syntax error raw; a C1 control there
 * (U+009B is a terminal's CSI) must not reach the message, nor C0. */
static void S_error_controls(void) {
  const char *json = "{\"a\\u0005\xc2\x9b\xc2\x91"
                     "b\xff\"}";
  const char *raw = "{\"a\x05\xc2\x9b[31m\xc2\x91\x9e\"}";
  const char *inputs[] = {json, raw};
  for (int i = 0; i < 2; i++) {
    quire_doc *doc = NULL;
    quire_error err;
    quire_error_clear(&err);
    T_INT_EQ(quire_doc_parse(&doc, inputs[i], strlen(inputs[i]), NULL, &err),
             QUIRE_ESYNTAX);
    T_OK(err.message[0] != '\0');
    for (const unsigned char *p = (const unsigned char *)err.message; *p; p++)
      T_OK(*p >= 0x20 && *p != 0x7f &&
           !(p[0] == 0xc2 && p[1] >= 0x80 && p[1] < 0xa0));
  }
}

/* Warning paths: members as ".key", other keys quoted and cut to 64
 * bytes, indexes in brackets (json_get.c builds them without snprintf). */
static void S_paths(void) {
  quire_buf in = QUIRE_BUF_INIT;
  quire_buf_puts(&in, "{\"id\": \"r\", \"json\": {\"schemaVersion\": 2, "
                      "\"title\": \"T\", \"sections\": [");
  for (int i = 0; i < 12; i++)
    quire_buf_printf(
        &in, "%s{\"kind\": \"paragraph\", \"body\": \"b\"%s}", i ? ", " : "",
        i == 11 ? ", \"odd key\": 1, \"-"
                  "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk"
                  "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk"
                  "\": 2, \"colour_2\": 3"
                : "");
  quire_buf_puts(&in, "]}}");
  quire_doc *doc = NULL;
  quire_error err;
  quire_error_clear(&err);
  T_INT_EQ(quire_doc_parse(&doc, in.ptr, in.size, NULL, &err), 0);
  const char *want[] = {"$.json.sections[11][\"odd key\"]",
                        "$.json.sections[11][\"-"
                        "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk"
                        "kkkkkkkkkkk\"]",
                        "$.json.sections[11].colour_2"};
  for (size_t w = 0; w < sizeof want / sizeof want[0]; w++) {
    int found = 0;
    for (size_t i = 0; doc && i < quire_doc_diag_count(doc); i++)
      found |= strcmp(quire_doc_diag(doc, i)->path, want[w]) == 0;
    T_CHECK(found, "no warning at %s", want[w]);
  }
  quire_doc_free(doc);
  quire_buf_dispose(&in);
}

int main(void) {
  S_update = getenv("UPDATE_GOLDEN") != NULL;
  quire_global_init();
  S_valid_cases();
  S_invalid_cases();
  S_samples();
  S_hostile();
  S_alloc_sweep();
  S_threads();
  S_iter_skip();
  S_unknown_reals();
  S_markdown_bombs();
  S_bom();
  S_error_controls();
  S_paths();
  return T_done("decode");
}
