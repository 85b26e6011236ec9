/* Runs the official Mustache spec files (argv[1], else the copy vendored
 * in tests/vendor/mustache-spec) unchanged through
 * lib/template/mustache.c, then checks what the spec leaves out: exact
 * error positions and messages, strict partials, recursion and nesting
 * limits, the output cap, number formatting, escaping and allocation
 * failures. */
#include "harness.h"
#include "template/mustache.h"

#include <dirent.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FILES 64

/* Shows a string on one line: newlines, CRs and tabs as escapes. */
static const char *S_show(const char *s, char *buf, size_t size) {
  size_t n = 0;
  for (; s && *s && n + 5 < size; s++) {
    const char *e = *s == '\n'   ? "\\n"
                    : *s == '\r' ? "\\r"
                    : *s == '\t' ? "\\t"
                                 : NULL;
    if (e) {
      memcpy(buf + n, e, 2);
      n += 2;
    } else {
      buf[n++] = *s;
    }
  }
  buf[n] = '\0';
  return buf;
}

/* Compiles src with partials (a JSON object, may be NULL) and renders it
 * with data into out. Returns the first error code. */
static int S_render(quire_buf *out, const char *src, const json_t *data,
                    const json_t *partials, unsigned flags, quire_error *err) {
  quire__mustache_set *set = NULL;
  quire__mustache *tpl = NULL;
  int rc = quire__mustache_set_from_json(&set, partials, err);
  if (!rc)
    rc = quire__mustache_compile(&tpl, src, strlen(src), "t.mustache", err);
  if (!rc) {
    quire__mustache_options opts = QUIRE__MUSTACHE_OPTIONS_INIT;
    opts.flags = flags;
    opts.load = quire__mustache_set_load;
    opts.load_payload = set;
    rc = quire__mustache_render(out, tpl, data, &opts, err);
  }
  quire__mustache_free(tpl);
  quire__mustache_set_free(set);
  return rc;
}

static int S_cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void S_spec_file(const char *dir, const char *file, int *total) {
  char path[1024];
  int plen = snprintf(path, sizeof path, "%s/%s", dir, file);
  if (plen < 0 || (size_t)plen >= sizeof path) {
    T_CHECK(0, "spec path too long: %s/%s", dir, file);
    return;
  }
  json_error_t jerr;
  json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
  T_CHECK(root != NULL, "%s:%d: %s", path, jerr.line, jerr.text);
  json_t *tests = json_object_get(root, "tests");
  T_CHECK(json_is_array(tests), "%s: no tests array", path);
  int passed = 0, run = 0;
  size_t i;
  json_t *t;
  json_array_foreach(tests, i, t) {
    const char *name = json_string_value(json_object_get(t, "name"));
    const char *tpl = json_string_value(json_object_get(t, "template"));
    const char *want = json_string_value(json_object_get(t, "expected"));
    if (!name || !tpl || !want) {
      T_CHECK(0, "%s: test %zu lacks name, template or expected", file, i);
      continue;
    }
    quire_buf out = QUIRE_BUF_INIT;
    quire_error err;
    quire_error_clear(&err);
    int rc = S_render(&out, tpl, json_object_get(t, "data"),
                      json_object_get(t, "partials"), 0, &err);
    char msg[512], b1[2048], b2[2048];
    quire_error_format(&err, msg, sizeof msg);
    int ok = rc == 0 && strcmp(out.ptr, want) == 0;
    T_CHECK(ok, "%s: \"%s\"\n  expected: \"%s\"\n  got:      \"%s\"%s%s", file,
            name, S_show(want, b1, sizeof b1), S_show(out.ptr, b2, sizeof b2),
            rc ? "\n  error: " : "", rc ? msg : "");
    passed += ok;
    run++;
    quire_buf_dispose(&out);
  }
  printf("# %s: %d/%d spec tests passed\n", file, passed, run);
  *total += run;
  json_decref(root);
}

static void S_spec(const char *dir) {
  DIR *d = opendir(dir);
  T_CHECK(d != NULL, "cannot open spec directory %s", dir);
  if (!d)
    return;
  char *names[MAX_FILES];
  size_t n = 0;
  struct dirent *de;
  while ((de = readdir(d)) != NULL && n < MAX_FILES) {
    size_t len = strlen(de->d_name);
    if (len > 5 && strcmp(de->d_name + len - 5, ".json") == 0)
      names[n++] = strdup(de->d_name);
  }
  closedir(d);
  qsort(names, n, sizeof names[0], S_cmp_names);
  int total = 0;
  for (size_t i = 0; i < n; i++) {
    S_spec_file(dir, names[i], &total);
    free(names[i]);
  }
  T_CHECK(n >= 8, "expected the 8 spec files in %s, found %zu", dir, n);
  printf("# %d spec tests in %zu files\n", total, n);
}

/* ---------------------------------------------------------------- */

static void S_compile_error(const char *src, int code, unsigned line,
                            unsigned col, const char *msg) {
  quire__mustache *tpl = (quire__mustache *)1;
  quire_error err;
  quire_error_clear(&err);
  int rc = quire__mustache_compile(&tpl, src, strlen(src), "t.mustache", &err);
  char b[256];
  T_CHECK(rc == code && err.code == code, "compile \"%s\": rc %d, want %d",
          S_show(src, b, sizeof b), rc, code);
  T_OK(tpl == NULL);
  T_STR_EQ(err.source, "t.mustache");
  T_CHECK(err.line == line && err.column == col,
          "compile \"%s\": at %u:%u, want %u:%u (%s)", b, err.line, err.column,
          line, col, err.message);
  T_STR_EQ(err.message, msg);
}

static void S_errors(void) {
  S_compile_error("a\n{{#items}}\nb\n", QUIRE_ETEMPLATE, 4, 1,
                  "unclosed section \"items\" opened at line 2");
  S_compile_error("{{^x}}\n  {{#y}}", QUIRE_ETEMPLATE, 2, 9,
                  "unclosed section \"y\" opened at line 2");
  S_compile_error("{{^x}}", QUIRE_ETEMPLATE, 1, 7,
                  "unclosed inverted section \"x\" opened at line 1");
  S_compile_error("{{<p}}\n{{$a}}", QUIRE_ETEMPLATE, 2, 7,
                  "unclosed block \"a\" opened at line 2");
  S_compile_error("{{<p}}", QUIRE_ETEMPLATE, 1, 7,
                  "unclosed parent \"p\" opened at line 1");
  S_compile_error("{{#bar}}\n  {{/foo}}\n", QUIRE_ETEMPLATE, 2, 3,
                  "closing tag \"foo\" does not match open section \"bar\" "
                  "opened at line 1");
  S_compile_error("x {{/foo}}", QUIRE_ETEMPLATE, 1, 3,
                  "closing tag \"foo\" has no open section");
  S_compile_error("\xc3\xa9t\xc3\xa9 {{/x}}", QUIRE_ETEMPLATE, 1, 5,
                  "closing tag \"x\" has no open section");
  S_compile_error("ab\n  {{name", QUIRE_ETEMPLATE, 2, 3,
                  "unclosed tag: no \"}}\" after \"{{\"");
  S_compile_error("{{{name}}", QUIRE_ETEMPLATE, 1, 1,
                  "unclosed tag: no \"}}}\" after \"{{{\"");
  S_compile_error("{{! never closed }", QUIRE_ETEMPLATE, 1, 1,
                  "unclosed tag: no \"}}\" after \"{{\"");
  S_compile_error("{{=<% %>=}}\n\n <%name", QUIRE_ETEMPLATE, 3, 2,
                  "unclosed tag: no \"%>\" after \"<%\"");
  S_compile_error("x\n{{=<% =}}", QUIRE_ETEMPLATE, 2, 1,
                  "invalid set-delimiter tag: expected \"{{=OPEN CLOSE=}}\" "
                  "with two delimiters free of spaces and \"=\"");
  S_compile_error("{{=a= b=}}", QUIRE_ETEMPLATE, 1, 1,
                  "invalid set-delimiter tag: expected \"{{=OPEN CLOSE=}}\" "
                  "with two delimiters free of spaces and \"=\"");
  S_compile_error("{{=a b c=}}", QUIRE_ETEMPLATE, 1, 1,
                  "invalid set-delimiter tag: expected \"{{=OPEN CLOSE=}}\" "
                  "with two delimiters free of spaces and \"=\"");
  S_compile_error("{{=<% %>=}}<%=| |%>", QUIRE_ETEMPLATE, 1, 12,
                  "unclosed tag: no \"=%>\" after \"<%=\"");
  S_compile_error("a {{ }}", QUIRE_ETEMPLATE, 1, 3, "empty tag name");
  S_compile_error("{{#}}{{/}}", QUIRE_ETEMPLATE, 1, 1, "empty tag name");
  S_compile_error("{{>*}}", QUIRE_ETEMPLATE, 1, 1, "empty tag name");
  S_compile_error("\n{{a b}}", QUIRE_ETEMPLATE, 2, 1,
                  "invalid tag name \"a b\"");
  S_compile_error("{{#a..b}}{{/a..b}}", QUIRE_ETEMPLATE, 1, 1,
                  "invalid tag name \"a..b\"");
  S_compile_error("{{.a}}", QUIRE_ETEMPLATE, 1, 1, "invalid tag name \".a\"");

  /* The one-line form the CLI prints. */
  quire__mustache *tpl;
  quire_error err;
  char line[600];
  quire__mustache_compile(&tpl, "{{#bar}}\n  {{/foo}}", 19, "t.mustache", &err);
  T_STR_EQ(quire_error_format(&err, line, sizeof line),
           "t.mustache:2:3: closing tag \"foo\" does not match open section "
           "\"bar\" opened at line 1");

  /* NULL arguments are refused, not crashed on. */
  T_INT_EQ(quire__mustache_compile(NULL, "", 0, NULL, &err), QUIRE_EINVAL);
  quire_buf out = QUIRE_BUF_INIT;
  T_INT_EQ(quire__mustache_render(&out, NULL, NULL, NULL, &err), QUIRE_EINVAL);
  T_INT_EQ(quire__mustache_compile(&tpl, "", 0, NULL, NULL), 0);
  T_STR_EQ(quire__mustache_name(tpl), "<template>");
  T_INT_EQ(quire__mustache_render(&out, tpl, NULL, NULL, NULL), 0);
  T_STR_EQ(out.ptr, "");
  quire__mustache_free(tpl);
  quire__mustache_free(NULL);
}

/* Renders src and expects an error with this message at source:line:col. */
static void S_render_error(const char *src, const char *data,
                           const char *partials, unsigned flags, int code,
                           const char *source, unsigned line, unsigned col,
                           const char *msg) {
  json_t *d = json_loads(data, 0, NULL);
  json_t *p = partials ? json_loads(partials, 0, NULL) : NULL;
  quire_buf out = QUIRE_BUF_INIT;
  quire_error err;
  quire_error_clear(&err);
  int rc = S_render(&out, src, d, p, flags, &err);
  T_CHECK(rc == code, "render \"%s\": rc %d, want %d (%s)", src, rc, code,
          err.message);
  T_STR_EQ(err.source, source);
  T_CHECK(err.line == line && err.column == col,
          "render \"%s\": at %u:%u, want %u:%u", src, err.line, err.column,
          line, col);
  T_STR_EQ(err.message, msg);
  quire_buf_dispose(&out);
  json_decref(d);
  json_decref(p);
}

static void S_expect(const char *src, const char *data, const char *partials,
                     unsigned flags, const char *want) {
  json_t *d = json_loads(data, 0, NULL);
  json_t *p = partials ? json_loads(partials, 0, NULL) : NULL;
  T_CHECK(d != NULL, "bad test data %s", data);
  quire_buf out = QUIRE_BUF_INIT;
  quire_error err;
  quire_error_clear(&err);
  int rc = S_render(&out, src, d, p, flags, &err);
  char b1[512], b2[512], b3[512];
  T_CHECK(rc == 0 && strcmp(out.ptr, want) == 0,
          "\"%s\"\n  expected: \"%s\"\n  got:      \"%s\" (%s)",
          S_show(src, b3, sizeof b3), S_show(want, b1, sizeof b1),
          S_show(out.ptr, b2, sizeof b2), err.message);
  quire_buf_dispose(&out);
  json_decref(d);
  json_decref(p);
}

static char *S_repeat(const char *a, size_t n, const char *mid, const char *b,
                      size_t m) {
  size_t la = strlen(a), lb = strlen(b), lm = strlen(mid);
  char *s = malloc(la * n + lm + lb * m + 1), *p = s;
  for (size_t i = 0; i < n; i++, p += la)
    memcpy(p, a, la);
  memcpy(p, mid, lm);
  p += lm;
  for (size_t i = 0; i < m; i++, p += lb)
    memcpy(p, b, lb);
  *p = '\0';
  return s;
}

static void S_partials(void) {
  /* Missing partials: empty by default, an error naming them when strict. */
  S_expect("x\n {{>nope}}\ny", "{}", NULL, 0, "x\ny");
  S_render_error("x\n {{>nope}}\n", "{}", NULL, QUIRE__MUSTACHE_STRICT_PARTIALS,
                 QUIRE_ETEMPLATE, "t.mustache", 2, 2,
                 "partial \"nope\" not found");
  S_render_error("{{>inner}}", "{}", "{\"inner\": \"a\\n\\n  {{> deeper }}\"}",
                 QUIRE__MUSTACHE_STRICT_PARTIALS, QUIRE_ETEMPLATE, "inner", 3,
                 3, "partial \"deeper\" not found");
  S_render_error("{{<base}}{{/base}}", "{}", NULL,
                 QUIRE__MUSTACHE_STRICT_PARTIALS, QUIRE_ETEMPLATE, "t.mustache",
                 1, 1, "parent \"base\" not found");
  S_render_error("{{>*kind}}", "{}", NULL, QUIRE__MUSTACHE_STRICT_PARTIALS,
                 QUIRE_ETEMPLATE, "t.mustache", 1, 1,
                 "dynamic partial name \"kind\" is not a string in the view");
  S_render_error("{{>*kind}}", "{\"kind\": \"card\"}", NULL,
                 QUIRE__MUSTACHE_STRICT_PARTIALS, QUIRE_ETEMPLATE, "t.mustache",
                 1, 1, "partial \"card\" not found");

  /* Recursion ends in an error, never a crash. */
  S_render_error("{{>p}}", "{}", "{\"p\": \"a{{>p}}\"}", 0, QUIRE_ETEMPLATE,
                 "p", 1, 2,
                 "partials nested deeper than 64 levels (recursive partial?)");
  S_render_error("{{<q}}{{/q}}", "{}", "{\"q\": \"{{<q}}{{/q}}\"}", 0,
                 QUIRE_ETEMPLATE, "q", 1, 1,
                 "partials nested deeper than 64 levels (recursive partial?)");
  S_render_error("{{>*n}}", "{\"n\": \"p\"}", "{\"p\": \"{{>*n}}\"}", 0,
                 QUIRE_ETEMPLATE, "p", 1, 1,
                 "partials nested deeper than 64 levels (recursive partial?)");
  S_render_error("{{<p}}{{$a}}x{{$a}}y{{/a}}{{/a}}{{/p}}", "{}",
                 "{\"p\": \"{{$a}}{{/a}}\"}", 0, QUIRE_ETEMPLATE, "t.mustache",
                 1, 14,
                 "block \"a\" nested deeper than 64 levels "
                 "(recursive block?)");
  /* A partial recursing over 64 nested objects nests 64 levels: fine; one
   * more object is one level too many. */
  for (int k = 64; k <= 65; k++) {
    char *data = S_repeat("{\"c\": ", (size_t)k, "false", "}", (size_t)k);
    char dots[80];
    memset(dots, '.', (size_t)k - 1);
    dots[k - 1] = '\0';
    if (k == 64)
      S_expect("{{>p}}", data, "{\"p\": \"{{#c}}.{{>p}}{{/c}}\"}", 0, dots);
    else
      S_render_error("{{>p}}", data, "{\"p\": \"{{#c}}.{{>p}}{{/c}}\"}", 0,
                     QUIRE_ETEMPLATE, "p", 1, 8,
                     "partials nested deeper than 64 levels "
                     "(recursive partial?)");
    free(data);
  }

  /* Dynamic parents, and a not-standalone parent keeps its leading text. */
  S_expect("{{<*layout}}{{$body}}hi{{/body}}{{/*layout}}",
           "{\"layout\": \"page\"}",
           "{\"page\": \"<p>{{$body}}{{/body}}</p>\"}", 0, "<p>hi</p>");
  S_expect("x\n  {{<p}}{{/p}} tail\n", "{}", "{\"p\": \"A\\nB\\n\"}", 0,
           "x\n  A\nB\n tail\n");
  /* Overrides reach blocks inside plain partials of the parent. */
  S_expect("{{<page}}{{$title}}T{{/title}}{{/page}}", "{}",
           "{\"page\": \"<h1>{{>head}}</h1>\", "
           "\"head\": \"{{$title}}untitled{{/title}}\"}",
           0, "<h1>T</h1>");
  /* Set-delimiters in a partial stay there. */
  S_expect("{{>p}}{{x}}", "{\"x\": 1}", "{\"p\": \"{{=[ ]=}}[x]\"}", 0, "11");
}

static void S_limits(void) {
  quire__mustache *tpl;
  quire_error err;
  char msg[128];

  /* 100,000 nested sections (and parents, blocks, inverted sections) stop
   * at the nesting limit instead of exhausting the stack. */
  const char *opens[] = {"{{#a}}", "{{^a}}", "{{$a}}", "{{<a}}"};
  for (size_t k = 0; k < 4; k++) {
    char *src = S_repeat(opens[k], 100000, "x", "{{/a}}", 100000);
    quire_error_clear(&err);
    T_INT_EQ(quire__mustache_compile(&tpl, src, strlen(src), "deep", &err),
             QUIRE_ETEMPLATE);
    snprintf(msg, sizeof msg, "sections nested deeper than %d levels",
             QUIRE__MUSTACHE_MAX_NESTING);
    T_STR_EQ(err.message, msg);
    T_INT_EQ(err.line, 1);
    T_INT_EQ(err.column, 6 * QUIRE__MUSTACHE_MAX_NESTING + 1);
    free(src);
  }
  /* The deepest allowed nesting renders. */
  char *src = S_repeat("{{#a}}", QUIRE__MUSTACHE_MAX_NESTING, "{{b}}", "{{/a}}",
                       QUIRE__MUSTACHE_MAX_NESTING);
  S_expect(src, "{\"a\": true, \"b\": \"deep\"}", NULL, 0, "deep");
  free(src);

  /* Sections nested through partials hit the context limit. */
  char *p = S_repeat("{{#a}}", 250, "{{>n}}", "{{/a}}", 250);
  json_t *parts = json_pack("{ss}", "n", p);
  char *pj = json_dumps(parts, 0);
  snprintf(msg, sizeof msg, "context stack deeper than %d levels",
           QUIRE__MUSTACHE_MAX_CONTEXT);
  S_render_error("{{>n}}", "{\"a\": {}}", pj, 0, QUIRE_ETEMPLATE, "n", 1,
                 6 * (QUIRE__MUSTACHE_MAX_CONTEXT - 1 - 4 * 250) + 1, msg);
  free(pj);
  free(p);
  json_decref(parts);

  /* Output stops at the buffer's cap with ETOOBIG. */
  quire_buf out;
  quire_buf_init(&out, 100);
  T_INT_EQ(
      quire__mustache_compile(&tpl, "{{#l}}0123456789{{/l}}", 22, "cap", &err),
      0);
  json_t *view = json_loads("{\"l\": [1,2,3,4,5,6,7,8,9,10,11,12]}", 0, NULL);
  quire_error_clear(&err);
  T_INT_EQ(quire__mustache_render(&out, tpl, view, NULL, &err), QUIRE_ETOOBIG);
  T_STR_EQ(err.message, "output exceeds 100 bytes");
  T_OK(out.size <= 100);
  /* A failed buffer is refused up front. */
  T_INT_EQ(quire__mustache_render(&out, tpl, view, NULL, &err), QUIRE_EINVAL);
  quire_buf_dispose(&out);
  /* 120 bytes fit under a 200-byte cap. */
  quire_buf_init(&out, 200);
  T_INT_EQ(quire__mustache_render(&out, tpl, view, NULL, &err), 0);
  T_INT_EQ(out.size, 120);
  quire_buf_dispose(&out);
  quire__mustache_free(tpl);
  json_decref(view);

  /* Nested loops that print nothing still stop, at the step budget. */
  src = S_repeat("{{#l}}", 12, "", "{{/l}}", 12);
  T_INT_EQ(quire__mustache_compile(&tpl, src, strlen(src), "loops", &err), 0);
  view = json_loads("{\"l\": [1,2,3,4,5,6,7,8,9,10]}", 0, NULL);
  quire__mustache_options opts = QUIRE__MUSTACHE_OPTIONS_INIT;
  opts.max_steps = 100000;
  quire_buf_init(&out, 0);
  T_INT_EQ(quire__mustache_render(&out, tpl, view, &opts, &err), QUIRE_ETOOBIG);
  T_STR_EQ(err.message, "rendering took more than 100000 steps");
  quire_buf_dispose(&out);
  quire__mustache_free(tpl);
  json_decref(view);
  free(src);

  /* A megabyte-long line of tags compiles in linear time, and the column
   * of an error at its end is exact. */
  src = S_repeat("{{x}}", 200000, "{{/y}}", "", 0);
  T_INT_EQ(quire__mustache_compile(&tpl, src, strlen(src), "long", &err),
           QUIRE_ETEMPLATE);
  T_INT_EQ(err.column, 1000001);
  src[1000000] = '\0';
  T_INT_EQ(quire__mustache_compile(&tpl, src, strlen(src), "long", &err), 0);
  view = json_loads("{\"x\": \"ab\"}", 0, NULL);
  T_INT_EQ(quire__mustache_render(&out, tpl, view, NULL, &err), 0);
  T_INT_EQ(out.size, 400000);
  quire_buf_dispose(&out);
  quire__mustache_free(tpl);
  json_decref(view);
  free(src);
}

/* Whitespace rules beyond the spec's own cases. */
static void S_whitespace(void) {
  /* Standalone partials nest their indentation. */
  S_expect("  {{>a}}\n", "{}",
           "{\"a\": \"x\\n  {{>b}}\\n\", \"b\": \"y\\nz\\n\"}", 0,
           "  x\n    y\n    z\n");
  /* Default block content is rendered as written, inside the partial's
   * indentation. */
  S_expect("  {{>a}}\n", "{}", "{\"a\": \"{{$b}}\\nd1\\nd2\\n{{/b}}\\n\"}", 0,
           "  d1\n  d2\n");
  /* An override takes the block's intrinsic indentation plus the parent's. */
  S_expect(" {{<a}}{{$b}}\n    O1\n    O2\n{{/b}}{{/a}}\n", "{}",
           "{\"a\": \"{{$b}}\\n  d\\n{{/b}}\\n\"}", 0, "   O1\n   O2\n");
  /* Standalone means alone on the line (the spec's definition): two
   * section tags sharing a line keep the line end. */
  S_expect("{{#a}}{{/a}}\nx", "{\"a\": true}", NULL, 0, "\nx");
  S_expect("{{#a}}\n{{/a}}\nx", "{\"a\": true}", NULL, 0, "x");
  /* CRLF line ends, and a standalone tag on the last line. */
  S_expect("a\r\n  {{#t}}\r\nb\r\n  {{/t}}", "{\"t\": 1}", NULL, 0,
           "a\r\nb\r\n");
}

static int S_bracket(quire_buf *out, const char *s, size_t len, void *payload) {
  quire_buf_puts(out, payload);
  quire_buf_put(out, s, len);
  quire_buf_puts(out, "]");
  return quire_buf_failed(out);
}

static void S_values(void) {
  S_expect("{{a}}|{{b}}|{{c}}|{{d}}|{{e}}|{{f}}|{{g}}|{{h}}",
           "{\"a\": 1.210, \"b\": 0.1, \"c\": -5, \"d\": 1.0, \"e\": 1e300,"
           " \"f\": 123456789012345678, \"g\": 0.30000000000000004,"
           " \"h\": 2.5e-7}",
           NULL, 0,
           "1.21|0.1|-5|1|1e+300|123456789012345678|"
           "0.30000000000000004|2.5e-07");
  S_expect("{{t}} {{f}} [{{n}}] [{{o}}] [{{l}}] [{{missing}}]",
           "{\"t\": true, \"f\": false, \"n\": null, \"o\": {}, \"l\": [1]}",
           NULL, 0, "true false [] [] [] []");
  /* ' is escaped too (no spec test pins it; HTML attributes need it). */
  S_expect("{{s}}|{{{s}}}|{{&s}}", "{\"s\": \"<a href='x'>&\\\"</a>\"}", NULL,
           0,
           "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;|"
           "<a href='x'>&\"</a>|<a href='x'>&\"</a>");
  /* Strings may hold NUL bytes; they pass through with their length. */
  json_t *v = json_pack("{s:s%}", "s", "a\0b", (size_t)3);
  quire__mustache *tpl;
  quire_buf out = QUIRE_BUF_INIT;
  quire__mustache_compile(&tpl, "{{s}}", 5, NULL, NULL);
  T_INT_EQ(quire__mustache_render(&out, tpl, v, NULL, NULL), 0);
  T_INT_EQ(out.size, 3);
  T_OK(memcmp(out.ptr, "a\0b", 3) == 0);
  quire_buf_clear(&out);

  /* An escape override applies to {{x}} only. */
  quire__mustache_options opts = QUIRE__MUSTACHE_OPTIONS_INIT;
  opts.escape = S_bracket;
  opts.escape_payload = "[";
  quire__mustache *t2;
  quire__mustache_compile(&t2, "{{s}} {{{s}}} {{n}}", 19, NULL, NULL);
  json_t *v2 = json_loads("{\"s\": \"<b>\", \"n\": 7}", 0, NULL);
  T_INT_EQ(quire__mustache_render(&out, t2, v2, &opts, NULL), 0);
  T_STR_EQ(out.ptr, "[<b>] <b> [7]");
  quire_buf_dispose(&out);

  /* Compile once, render many. */
  json_t *v3 = json_loads("{\"s\": \"x\"}", 0, NULL);
  int same = 1;
  for (int i = 0; i < 1000; i++) {
    quire_buf_clear(&out);
    quire__mustache_render(&out, t2, i % 2 ? v2 : v3, NULL, NULL);
    same &= strcmp(out.ptr, i % 2 ? "&lt;b&gt; <b> 7" : "x x ") == 0;
  }
  T_OK(same);
  quire_buf_dispose(&out);
  quire__mustache_free(tpl);
  quire__mustache_free(t2);
  json_decref(v);
  json_decref(v2);
  json_decref(v3);

  /* Empty strings: truthy per the spec, falsey on request. */
  S_expect("{{#s}}yes{{/s}}{{^s}}no{{/s}}", "{\"s\": \"\"}", NULL, 0, "yes");
  S_expect("{{#s}}yes{{/s}}{{^s}}no{{/s}}", "{\"s\": \"\"}", NULL,
           QUIRE__MUSTACHE_EMPTY_STRING_FALSEY, "no");
  /* Zero is truthy; objects push, scalars become ".". */
  S_expect("{{#z}}[{{.}}]{{/z}}{{#o}}{{k}}{{/o}}",
           "{\"z\": 0, \"o\": {\"k\": 1}}", NULL, 0, "[0]1");
  /* A view that is not an object. */
  S_expect("{{#.}}<{{.}}>{{/.}}", "[\"a\", 2, null]", NULL, 0, "<a><2><>");
}

/* A view built in C (view.h), as the HTML renderer builds one: the value
 * set last for a key wins (as json_object_set replaces it), arrays keep
 * their order, borrowed and copied strings, numbers and booleans read as
 * their JSON twins do, and a string holding a NUL names no partial. */
static void S_built_views(void) {
  quire__view_pool pool = QUIRE__VIEW_POOL_INIT;
  quire__view *root = quire__view_object(&pool);
  quire__view *list = quire__view_array(&pool);
  quire__view *empty = quire__view_array(&pool);
  quire__view *inner = quire__view_object(&pool);
  char scratch[8] = "copied";
  T_INT_EQ(quire__view_set(&pool, root, "a", quire__view_int(&pool, 1)), 0);
  T_INT_EQ(quire__view_set(&pool, root, "a", quire__view_int(&pool, 2)), 0);
  T_INT_EQ(quire__view_set(&pool, root, "s",
                           quire__view_string_copy(&pool, scratch, 6)),
           0);
  memcpy(scratch, "changed", 8); /* the view kept its own copy */
  T_INT_EQ(quire__view_set(&pool, root, "r", quire__view_real(&pool, 1.21)), 0);
  T_INT_EQ(quire__view_set(&pool, root, "t", quire__view_bool(1)), 0);
  T_INT_EQ(quire__view_set(&pool, root, "n", quire__view_null()), 0);
  for (int i = 0; i < 3; i++) {
    quire__view *o = quire__view_object(&pool);
    quire__view_set(&pool, o, "i", quire__view_int(&pool, i));
    T_INT_EQ(quire__view_push(&pool, list, o), 0);
  }
  quire__view_set(&pool, root, "list", list);
  quire__view_set(&pool, root, "empty", empty);
  quire__view_set(&pool, inner, "deep", quire__view_string_ref(&pool, "d", 1));
  quire__view_set(&pool, root, "inner", inner);
  quire__view_set(&pool, root, "dyn", quire__view_string_ref(&pool, "p\0q", 3));
  /* Refused: not an object, not an array, no value. */
  T_INT_EQ(quire__view_set(&pool, list, "x", quire__view_null()), QUIRE_EINVAL);
  T_INT_EQ(quire__view_push(&pool, root, quire__view_null()), QUIRE_EINVAL);
  T_INT_EQ(quire__view_set(&pool, root, "x", NULL), QUIRE_EINVAL);
  T_OK(quire__view_get(list, "i", 1) == NULL);
  T_INT_EQ(root->n, 10);

  const char *src = "{{a}}|{{s}}|{{r}}|{{t}}|[{{n}}]|"
                    "{{#list}}<{{i}}{{a}}>{{/list}}|{{^empty}}none{{/empty}}|"
                    "{{inner.deep}}|{{#inner}}{{deep}}{{s}}{{/inner}}";
  quire__mustache *tpl = NULL;
  T_INT_EQ(quire__mustache_compile(&tpl, src, strlen(src), NULL, NULL), 0);
  quire_buf out = QUIRE_BUF_INIT;
  T_INT_EQ(quire__mustache_render_view(&out, tpl, root, NULL, NULL), 0);
  T_STR_EQ(out.ptr, "2|copied|1.21|true|[]|<02><12><22>|none|d|dcopied");
  quire__mustache_free(tpl);

  quire__mustache *dyn = NULL;
  quire_error err;
  quire_error_clear(&err);
  T_INT_EQ(quire__mustache_compile(&dyn, "{{>*dyn}}", 9, NULL, NULL), 0);
  quire__mustache_options opts = QUIRE__MUSTACHE_OPTIONS_INIT;
  opts.flags = QUIRE__MUSTACHE_STRICT_PARTIALS;
  quire_buf_clear(&out);
  T_INT_EQ(quire__mustache_render_view(&out, dyn, root, &opts, &err),
           QUIRE_ETEMPLATE);
  quire__mustache_free(dyn);
  quire_buf_dispose(&out);
  quire__view_pool_free(&pool);
  quire__view_pool_free(&pool); /* a freed pool is empty, and reusable */
}

/* The same render under an allocation failure at every step: each run
 * either succeeds with the right output or fails cleanly with ENOMEM. */
static void S_alloc_sweep(void) {
  const char *src = "{{=<% %>=}}\n<%#items%>\n  <%> item %>\n<%/items%>"
                    "<%<base%><%$b%>over<%/b%><%/base%><%>*dyn%>";
  json_t *data = json_loads("{\"items\": [{\"n\": 1}, {\"n\": 2.5}],"
                            " \"dyn\": \"item\"}",
                            0, NULL);
  json_t *parts = json_loads("{\"item\": \"<{{n}}>\\n\","
                             " \"base\": \"[{{$b}}x{{/b}}]\"}",
                             0, NULL);
  const char *want = "  <1>\n  <2.5>\n[over]<>\n";
  int ok = 1, failures = 0, n;
  for (n = 1; n < 500; n++) {
    quire_buf out = QUIRE_BUF_INIT;
    quire_error err;
    quire_error_clear(&err);
    quire__alloc_fail_at(n);
    int rc = S_render(&out, src, data, parts, 0, &err);
    quire__alloc_fail_at(0);
    if (rc == QUIRE_ENOMEM) {
      failures++;
      if (strcmp(err.message, "out of memory") != 0) {
        ok = 0;
        printf("# sweep step %d: message \"%s\"\n", n, err.message);
      }
    } else if (rc != 0 || strcmp(out.ptr, want) != 0) {
      ok = 0;
      printf("# sweep step %d: rc %d (%s), output \"%s\"\n", n, rc, err.message,
             out.ptr);
    }
    quire_buf_dispose(&out);
    if (rc == 0 && n > failures + 1)
      break; /* the countdown outlived the run: every step was covered */
  }
  T_CHECK(ok, "allocation sweep: a run failed with something other than "
              "ENOMEM or rendered wrong output");
  T_CHECK(failures > 10 && n < 500,
          "allocation sweep: %d failing steps, stopped at %d", failures, n);
  json_decref(data);
  json_decref(parts);
}

int main(int argc, char **argv) {
  char dir[1024];
  snprintf(dir, sizeof dir, "%s",
           argc > 1 ? argv[1] : "tests/vendor/mustache-spec");
  S_spec(dir);
  S_errors();
  S_partials();
  S_limits();
  S_values();
  S_built_views();
  S_whitespace();
  S_alloc_sweep();
  return T_done("test_mustache_spec");
}
