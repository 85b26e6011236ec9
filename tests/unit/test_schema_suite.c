/* Runs the official JSON Schema Test Suite files (argv[1], default the
 * copy vendored in tests/vendor/json-schema-test-suite) through
 * quire__schema_validate, then checks exact paths and messages, error
 * capping, hostile depth, and the contract schemas kept in the repo (argv[2],
 * default "schemas"). */
#include "../harness.h"
#include "decode/schema.h"

#include <dirent.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FILES 256
#define NAME_MAX_LEN 256

typedef struct {
  int count;       /* callbacks received */
  char path[1200]; /* first error */
  char msg[600];
} collect;

static void S_collect(void *payload, const char *path, const char *message) {
  collect *col = payload;
  if (col->count++ == 0) {
    snprintf(col->path, sizeof col->path, "%s", path);
    snprintf(col->msg, sizeof col->msg, "%s", message);
  }
}

static int S_run(const json_t *schema, const json_t *inst, const char *root,
                 unsigned flags, size_t max, collect *col) {
  memset(col, 0, sizeof *col);
  return quire__schema_validate(schema, inst, root, flags, max, S_collect, col);
}

static int S_cmp_names(const void *a, const void *b) {
  return strcmp((const char *)a, (const char *)b);
}

/* Remote references are outside what the validator supports; such cases
 * are counted as skipped, with the reason printed. */
static int S_has_remote_ref(const json_t *s, int depth) {
  const char *key;
  json_t *v;
  size_t i;
  if (depth > 64)
    return 0;
  if (json_is_array(s)) {
    for (i = 0; i < json_array_size(s); i++)
      if (S_has_remote_ref(json_array_get(s, i), depth + 1))
        return 1;
    return 0;
  }
  if (!json_is_object(s))
    return 0;
  json_object_foreach((json_t *)s, key, v) {
    if (strcmp(key, "$ref") == 0 && json_is_string(v) &&
        json_string_value(v)[0] != '#')
      return 1;
    if (strcmp(key, "enum") != 0 && strcmp(key, "const") != 0 &&
        S_has_remote_ref(v, depth + 1))
      return 1;
  }
  return 0;
}

static void S_run_suite(const char *dir) {
  static char names[MAX_FILES][NAME_MAX_LEN];
  size_t nfiles = 0, f;
  int cases = 0, passed = 0, skipped = 0;
  DIR *d = opendir(dir);
  struct dirent *e;
  T_CHECK(d != NULL, "cannot open test suite directory %s", dir);
  if (!d)
    return;
  while ((e = readdir(d)) && nfiles < MAX_FILES) {
    size_t n = strlen(e->d_name);
    if (n > 5 && n < NAME_MAX_LEN && strcmp(e->d_name + n - 5, ".json") == 0)
      memcpy(names[nfiles++], e->d_name, n + 1);
  }
  closedir(d);
  qsort(names, nfiles, sizeof names[0], S_cmp_names);
  T_CHECK(nfiles > 0, "no *.json files in %s", dir);
  for (f = 0; f < nfiles; f++) {
    char path[1024];
    json_error_t jerr;
    json_t *groups;
    size_t g;
    /* format is an annotation unless the file is about format assertion */
    unsigned flags =
        strncmp(names[f], "format", 6) == 0 ? QUIRE__SCHEMA_FORMAT_ASSERT : 0;
    int k = snprintf(path, sizeof path, "%s/%s", dir, names[f]);
    T_CHECK(k > 0 && (size_t)k < sizeof path, "path too long: %s", dir);
    if (k <= 0 || (size_t)k >= sizeof path)
      continue;
    groups = json_load_file(path, JSON_ALLOW_NUL, &jerr);
    T_CHECK(json_is_array(groups), "%s:%d: %s", path, jerr.line, jerr.text);
    for (g = 0; g < json_array_size(groups); g++) {
      json_t *grp = json_array_get(groups, g);
      json_t *schema = json_object_get(grp, "schema");
      json_t *tests = json_object_get(grp, "tests");
      const char *gdesc =
          json_string_value(json_object_get(grp, "description"));
      size_t t;
      for (t = 0; t < json_array_size(tests); t++) {
        json_t *tc = json_array_get(tests, t);
        const char *tdesc =
            json_string_value(json_object_get(tc, "description"));
        json_t *data = json_object_get(tc, "data");
        int want = json_is_true(json_object_get(tc, "valid"));
        collect one, many;
        int n1, nmany, ok;
        cases++;
        if (S_has_remote_ref(schema, 0)) {
          skipped++;
          printf("# skip %s: %s / %s: remote $ref is not supported\n", names[f],
                 gdesc, tdesc);
          continue;
        }
        n1 = S_run(schema, data, "$", flags, 1, &one);
        nmany = S_run(schema, data, "$", flags, 1000, &many);
        /* validity must not depend on the cap, and each report must carry a
         * path and a message */
        ok = (n1 == 0) == want && (nmany == 0) == want && n1 == one.count &&
             nmany == many.count &&
             (n1 == 0 || (one.path[0] == '$' && one.msg[0] != '\0'));
        passed += ok;
        T_CHECK(ok, "%s: %s / %s: expected %s, got %s%s%s%s%s", names[f], gdesc,
                tdesc, want ? "valid" : "invalid", n1 ? "invalid" : "valid",
                n1 ? " (" : "", n1 ? one.path : "", n1 ? ": " : "",
                n1 ? one.msg : "");
        if (n1 && !ok)
          printf("#   first error was %s: %s\n", one.path, one.msg);
      }
    }
    json_decref(groups);
  }
  printf("# json-schema-test-suite: %zu files, %d cases, %d passed, %d "
         "failed, %d skipped\n",
         nfiles, cases, passed, cases - passed - skipped, skipped);
}

/* ---- exact messages ----------------------------------------------------- */

static const char SECTIONS_SCHEMA[] =
    "{\"type\":\"object\",\"properties\":{\"sections\":{\"type\":\"array\","
    "\"minItems\":1,\"items\":{\"oneOf\":["
    "{\"type\":\"object\",\"properties\":{\"kind\":{\"type\":\"string\","
    "\"const\":\"paragraph\"},\"title\":{\"type\":\"string\",\"minLength\":1},"
    "\"body\":{\"type\":\"string\",\"minLength\":1}},"
    "\"required\":[\"kind\",\"title\",\"body\"],\"additionalProperties\":false}"
    ","
    "{\"type\":\"object\",\"properties\":{\"kind\":{\"type\":\"string\","
    "\"const\":\"traits\"},\"key\":{\"const\":\"dominating_traits\"},"
    "\"title\":{\"type\":\"string\",\"minLength\":1},\"phrases\":{\"type\":"
    "\"array\",\"minItems\":3,\"maxItems\":3,\"prefixItems\":[{\"type\":"
    "\"string\",\"minLength\":1},{\"type\":\"string\",\"minLength\":1},"
    "{\"type\":\"string\",\"minLength\":1}]}},"
    "\"required\":[\"kind\",\"key\",\"title\",\"phrases\"],"
    "\"additionalProperties\":false},"
    "{\"type\":\"object\",\"properties\":{\"kind\":{\"type\":\"string\","
    "\"const\":\"actions\"},\"title\":{\"type\":\"string\"},\"items\":{"
    "\"type\":\"array\",\"minItems\":1,\"items\":{\"type\":\"object\","
    "\"properties\":{\"title\":{\"type\":\"string\",\"minLength\":1},"
    "\"context\":{\"type\":\"string\",\"minLength\":1}},\"required\":"
    "[\"title\",\"context\"],\"additionalProperties\":false}}},"
    "\"required\":[\"kind\",\"title\",\"items\"],\"additionalProperties\":"
    "false}]}}}}";

#define PARA "{\"kind\":\"paragraph\",\"title\":\"T\",\"body\":\"B\"}"

typedef struct {
  const char *schema; /* JSON text; NULL means SECTIONS_SCHEMA */
  const char *instance;
  const char *root; /* root path given to the validator */
  unsigned flags;
  int count;        /* expected return with max_errors 100, -1: any > 0 */
  const char *path; /* first error; NULL when valid */
  const char *msg;
} msg_case;

static const msg_case S_cases[] = {
    {"{\"type\":\"array\",\"minItems\":1}", "[]", "$", 0, 1, "$",
     "expected at least 1 item, got 0"},
    {"{\"minItems\":2}", "[1]", "$", 0, 1, "$",
     "expected at least 2 items, got 1"},
    {"{\"maxItems\":3}", "[1,2,3,4]", "$", 0, 1, "$",
     "expected at most 3 items, got 4"},
    {"{\"type\":\"string\"}", "5", "$", 0, 1, "$",
     "expected a string, got an integer"},
    {"{\"type\":\"string\"}", "1.0", "$", 0, 1, "$",
     "expected a string, got an integer"},
    {"{\"type\":\"integer\"}", "1.5", "$", 0, 1, "$",
     "expected an integer, got a number"},
    {"{\"type\":\"integer\"}", "2.0", "$", 0, 0, NULL, NULL},
    {"{\"type\":\"object\"}", "[]", "$", 0, 1, "$",
     "expected an object, got an array"},
    {"{\"type\":\"null\"}", "false", "$", 0, 1, "$",
     "expected null, got a boolean"},
    {"{\"type\":[\"string\",\"null\"]}", "1", "$", 0, 1, "$",
     "expected a string or null, got an integer"},
    {"{\"type\":[\"string\",\"number\",\"null\"]}", "{}", "$", 0, 1, "$",
     "expected a string, a number or null, got an object"},
    {"{\"type\":\"string\",\"enum\":[\"openai\",\"anthropic\"]}", "\"gemini\"",
     "$", 0, 1, "$",
     "expected one of \"openai\", \"anthropic\", got \"gemini\""},
    {"{\"const\":2}", "3", "$", 0, 1, "$", "expected 2, got 3"},
    {"{\"const\":2}", "2.0", "$", 0, 0, NULL, NULL},
    {"{\"const\":{\"a\":[1,2]}}", "{\"a\":[1]}", "$", 0, 1, "$",
     "expected {\"a\":[1,2]}, got {\"a\":[1]}"},
    {"{\"required\":[\"title\",\"summary\"]}", "{\"title\":\"x\"}", "$", 0, 1,
     "$", "missing required key \"summary\""},
    {"{\"properties\":{\"a\":{}},\"additionalProperties\":false}",
     "{\"a\":1,\"colour\":2}", "$", 0, 1, "$.colour",
     "unexpected key \"colour\""},
    {"{\"properties\":{\"a\":false}}", "{\"a\":1}", "$", 0, 1, "$.a",
     "unexpected key \"a\""},
    {"{\"minLength\":1}", "\"\"", "$", 0, 1, "$",
     "expected at least 1 character, got 0"},
    /* code points, not bytes: three 2-byte characters */
    {"{\"maxLength\":2}", "\"\\u00e4\\u00f6\\u00fc\"", "$", 0, 1, "$",
     "expected at most 2 characters, got 3"},
    {"{\"maxLength\":3}", "\"\\u00e4\\u00f6\\u00fc\"", "$", 0, 0, NULL, NULL},
    {"{\"minLength\":3,\"maxLength\":3}", "\"ab\"", "$", 0, 1, "$",
     "expected exactly 3 characters, got 2"},
    {"{\"minimum\":1.5}", "1", "$", 0, 1, "$", "expected at least 1.5, got 1"},
    {"{\"maximum\":9007199254740991}", "9007199254740992", "$", 0, 1, "$",
     "expected at most 9007199254740991, got 9007199254740992"},
    {"{\"exclusiveMinimum\":0}", "0", "$", 0, 1, "$",
     "expected more than 0, got 0"},
    {"{\"exclusiveMaximum\":10}", "10.0", "$", 0, 1, "$",
     "expected less than 10, got 10"},
    {"{\"multipleOf\":0.0001}", "0.0075", "$", 0, 0, NULL, NULL},
    {"{\"multipleOf\":2}", "7", "$", 0, 1, "$",
     "expected a multiple of 2, got 7"},
    /* minItems and maxItems beside prefixItems */
    {"{\"type\":\"array\",\"minItems\":3,\"maxItems\":3,\"prefixItems\":"
     "[{\"type\":\"string\"},{\"type\":\"string\"},{\"type\":\"string\"}]}",
     "[\"a\",\"b\"]", "$", 0, 1, "$", "expected exactly 3 strings, got 2"},
    {"{\"prefixItems\":[{}],\"items\":false}", "[1,2]", "$", 0, 1, "$",
     "expected at most 1 item, got 2"},
    {"{\"prefixItems\":[{\"type\":\"integer\"}],\"items\":{\"type\":"
     "\"string\"}}",
     "[1,2]", "$", 0, 1, "$[1]", "expected a string, got an integer"},
    /* nested paths with array indices */
    {"{\"properties\":{\"rows\":{\"items\":{\"items\":{\"type\":\"integer\"}}}}"
     "}",
     "{\"rows\":[[1],[2,\"x\"]]}", "$", 0, 1, "$.rows[1][1]",
     "expected an integer, got a string"},
    /* keys that are not identifiers are quoted */
    {"{\"properties\":{\"a b\":{\"type\":\"string\"}}}", "{\"a b\":1}", "$", 0,
     1, "$[\"a b\"]", "expected a string, got an integer"},
    {"{\"additionalProperties\":false}", "{\"say \\\"hi\\\"\":1}", "$", 0, 1,
     "$[\"say \\\"hi\\\"\"]", "unexpected key \"say \\\"hi\\\"\""},
    {"{\"properties\":{\"2x\":{\"type\":\"string\"}}}", "{\"2x\":1}", "$", 0, 1,
     "$[\"2x\"]", "expected a string, got an integer"},
    {"{\"propertyNames\":{\"maxLength\":3}}", "{\"abcd\":1}", "$", 0, 1,
     "$.abcd", "invalid key name: expected at most 3 characters, got 4"},
    /* names are validated as fresh strings; verdicts must not leak between
     * them */
    {"{\"propertyNames\":{\"anyOf\":[{\"maxLength\":2},{\"const\":"
     "\"abcdef\"}]}}",
     "{\"ab\":1,\"abcdef\":2,\"abcdefg\":3}", "$", 0, 1, "$.abcdefg",
     "invalid key name: matches none of the 2 allowed shapes"},
    /* anyOf with a null branch reports the other branch */
    {"{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"null\"}]}", "5", "$", 0, 1,
     "$", "expected a string or null, got an integer"},
    {"{\"anyOf\":[{\"type\":\"object\",\"required\":[\"id\"]},{\"type\":"
     "\"null\"}]}",
     "{}", "$.entity", 0, 1, "$.entity", "missing required key \"id\""},
    {"{\"anyOf\":[{\"type\":\"number\",\"const\":2},{\"type\":\"number\","
     "\"const\":3},{\"type\":\"number\",\"const\":4}]}",
     "5", "$.columns", 0, 1, "$.columns", "expected one of 2, 3, 4, got 5"},
    /* discriminated oneOf: the branch named by "kind" speaks */
    {NULL,
     "{\"sections\":[" PARA "," PARA "," PARA ",{\"kind\":\"traits\",\"key\":"
     "\"dominating_traits\",\"title\":\"T\"}]}",
     "$.json", 0, 1, "$.json.sections[3]", "missing required key \"phrases\""},
    {NULL,
     "{\"sections\":[" PARA "," PARA "," PARA ",{\"kind\":\"chart\",\"title\":"
     "\"T\"}]}",
     "$.json", 0, 1, "$.json.sections[3].kind",
     "expected one of \"paragraph\", \"traits\", \"actions\", got \"chart\""},
    {NULL,
     "{\"sections\":[{\"kind\":\"traits\",\"key\":\"dominating_traits\","
     "\"title\":\"T\",\"phrases\":[\"a\",\"b\"]}]}",
     "$.json", 0, 1, "$.json.sections[0].phrases",
     "expected exactly 3 strings, got 2"},
    {NULL,
     "{\"sections\":[{\"kind\":\"traits\",\"key\":\"dominating_traits\","
     "\"title\":\"T\",\"phrases\":[\"a\",\"\",\"c\"]}]}",
     "$.json", 0, 1, "$.json.sections[0].phrases[1]",
     "expected at least 1 character, got 0"},
    {NULL,
     "{\"sections\":[{\"kind\":\"actions\",\"title\":\"T\",\"items\":"
     "[{\"title\":\"a\",\"context\":\"b\"},{\"title\":\"a\"}]}]}",
     "$.json", 0, 1, "$.json.sections[0].items[1]",
     "missing required key \"context\""},
    {NULL, "{\"sections\":[{\"title\":\"T\"}]}", "$.json", 0, 1,
     "$.json.sections[0]", "missing required key \"kind\""},
    {NULL, "{\"sections\":[\"text\"]}", "$.json", 0, 1, "$.json.sections[0]",
     "expected an object, got a string"},
    {NULL, "{\"sections\":[]}", "$.json", 0, 1, "$.json.sections",
     "expected at least 1 item, got 0"},
    {NULL, "{\"sections\":[" PARA "," PARA "]}", "$.json", 0, 0, NULL, NULL},
    /* oneOf ambiguity, fewest errors, and the summary */
    {"{\"oneOf\":[{\"type\":\"integer\"},{\"minimum\":0}]}", "5", "$", 0, 1,
     "$", "matches more than one of the allowed shapes"},
    {"{\"anyOf\":[{\"required\":[\"a\",\"b\",\"c\"]},{\"required\":"
     "[\"x\"]}]}",
     "{\"a\":1}", "$", 0, 1, "$", "missing required key \"x\""},
    {"{\"anyOf\":[{\"required\":[\"a\"]},{\"required\":[\"b\"]},"
     "{\"required\":[\"c\"]}]}",
     "{}", "$", 0, 1, "$", "matches none of the 3 allowed shapes"},
    {"{\"not\":{\"type\":\"null\"}}", "null", "$", 0, 1, "$",
     "matches a shape that is not allowed"},
    {"false", "1", "$", 0, 1, "$", "no value is allowed here"},
    {"true", "1", "$", 0, 0, NULL, NULL},
    {"{}", "[[{\"a\":null}]]", "$", 0, 0, NULL, NULL},
    {"{\"$ref\":\"#/$defs/nope\"}", "1", "$", 0, 1, "$",
     "schema error: cannot resolve $ref \"#/$defs/nope\""},
    {"{\"$defs\":{\"pos\":{\"minimum\":1}},\"items\":{\"$ref\":"
     "\"#/$defs/pos\"}}",
     "[1,0]", "$", 0, 1, "$[1]", "expected at least 1, got 0"},
    /* format: annotation by default, an assertion on request */
    {"{\"format\":\"uri\"}", "\"not a uri\"", "$", 0, 0, NULL, NULL},
    {"{\"format\":\"uri\"}", "\"not a uri\"", "$.pdfUrl",
     QUIRE__SCHEMA_FORMAT_ASSERT, 1, "$.pdfUrl",
     "expected an absolute URI with a scheme, got \"not a uri\""},
    {"{\"format\":\"uri\"}", "\"/relative/path\"", "$",
     QUIRE__SCHEMA_FORMAT_ASSERT, 1, "$",
     "expected an absolute URI with a scheme, got \"/relative/path\""},
    {"{\"format\":\"uri\"}", "\"https://example.com/a%20b?q=1#top\"", "$",
     QUIRE__SCHEMA_FORMAT_ASSERT, 0, NULL, NULL},
    {"{\"format\":\"uri\"}", "\"urn:isbn:0451450523\"", "$",
     QUIRE__SCHEMA_FORMAT_ASSERT, 0, NULL, NULL},
    {"{\"format\":\"uri\"}", "\"https://bad%zz\"", "$",
     QUIRE__SCHEMA_FORMAT_ASSERT, 1, "$",
     "expected an absolute URI with a scheme, got \"https://bad%zz\""},
    /* long values are cut in messages */
    {"{\"enum\":[\"a\"]}",
     "\"0123456789012345678901234567890123456789012345678901234567890\"", "$",
     0, 1, "$",
     "expected \"a\", got \"0123456789012345678901234567890123456789...\""},
    {"{\"const\":\"a\\nb\"}", "\"a\\u0001\"", "$", 0, 1, "$",
     "expected \"a\\nb\", got \"a\\u0001\""},
    {"{\"pattern\":\"^[a-z]+$\"}", "\"abc1\"", "$", 0, 1, "$",
     "expected a string matching \"^[a-z]+$\", got \"abc1\""},
    {"{\"minItems\":\"one\"}", "[]", "$", 0, 1, "$",
     "schema error: \"minItems\" must be a non-negative integer"},
    {"{\"type\":\"strnig\"}", "\"x\"", "$", 0, 1, "$",
     "schema error: unknown type \"strnig\""},
    {"{\"items\":{\"type\":\"string\"}}", "[1,2,3,4,5]", "$", 0, 5, "$[0]",
     "expected a string, got an integer"},
};

static void S_check_messages(void) {
  size_t i;
  for (i = 0; i < sizeof S_cases / sizeof S_cases[0]; i++) {
    const msg_case *tc = &S_cases[i];
    json_error_t jerr;
    json_t *schema = json_loads(tc->schema ? tc->schema : SECTIONS_SCHEMA,
                                JSON_DECODE_ANY, &jerr);
    json_t *inst = json_loads(tc->instance, JSON_DECODE_ANY, &jerr);
    collect col;
    int n;
    T_CHECK(schema && inst, "case %zu: bad JSON: %s", i, jerr.text);
    if (!schema || !inst) {
      json_decref(schema);
      json_decref(inst);
      continue;
    }
    n = S_run(schema, inst, tc->root, tc->flags, 100, &col);
    if (tc->count >= 0)
      T_CHECK(n == tc->count,
              "case %zu (%s vs %s): got %d errors, want %d%s%s%s", i,
              tc->instance, tc->schema ? tc->schema : "SECTIONS", n, tc->count,
              n ? " (first: " : "", n ? col.msg : "", n ? ")" : "");
    if (tc->path) {
      T_STR_EQ(col.path, tc->path);
      T_STR_EQ(col.msg, tc->msg);
    }
    json_decref(schema);
    json_decref(inst);
  }
}

static void S_check_cap(void) {
  json_t *schema = json_loads("{\"items\":{\"type\":\"string\"}}", 0, NULL);
  json_t *inst = json_loads("[1,2,3,4,5,6,7,8,9,10]", 0, NULL);
  collect col;
  T_INT_EQ(S_run(schema, inst, "$", 0, 3, &col), 3);
  T_INT_EQ(col.count, 3);
  T_INT_EQ(S_run(schema, inst, "$", 0, 0, &col), 1); /* 0 is taken as 1 */
  T_INT_EQ(S_run(schema, inst, "$", 0, 100, &col), 10);
  T_INT_EQ(col.count, 10);
  T_INT_EQ(quire__schema_validate(schema, inst, NULL, 0, 100, NULL, NULL), 10);
  T_STR_EQ(col.path, "$[0]");
  T_INT_EQ(S_run(schema, inst, NULL, 0, 1, &col), 1);
  T_STR_EQ(col.path, "$[0]");
  json_decref(schema);
  json_decref(inst);
}

static int S_valid_utf8(const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    size_t need = *p < 0x80 ? 0 : *p >= 0xF0 ? 3 : *p >= 0xE0 ? 2 : 1;
    if (*p >= 0x80 && *p < 0xC0)
      return 0;
    for (p++; need > 0; need--, p++)
      if ((*p & 0xC0) != 0x80)
        return 0;
  }
  return 1;
}

/* Long values are cut to fit a message, never inside a UTF-8 sequence. */
static void S_check_value_cut(void) {
  size_t shift, i;
  for (shift = 0; shift < 4; shift++) {
    char str[128];
    size_t n = 0;
    json_t *arr = json_array(), *schema = json_object(), *inst;
    collect col;
    for (i = 0; i < shift; i++)
      str[n++] = 'a';
    for (i = 0; i < 30; i++) {
      memcpy(str + n, "\xc3\xa9", 2); /* e-acute */
      n += 2;
    }
    str[n] = '\0';
    for (i = 0; i < 4; i++)
      json_array_append_new(arr, json_string(str));
    json_object_set_new(schema, "const", arr);
    inst = json_integer(1);
    T_INT_EQ(S_run(schema, inst, "$", 0, 10, &col), 1);
    T_OK(S_valid_utf8(col.msg));
    T_OK(strncmp(col.msg, "expected [\"", 10) == 0);
    T_OK(strstr(col.msg, "..., got 1") != NULL);
    json_decref(schema);
    json_decref(inst);
  }
}

/* ---- hostile depth ------------------------------------------------------ */

#define DEEP 100000

static json_t *S_deep_array(size_t depth) {
  json_t *root = json_array(), *cur = root;
  size_t i;
  for (i = 0; i < depth; i++) {
    json_t *child = json_array();
    json_array_append_new(cur, child);
    cur = child;
  }
  return root;
}

/* {"items": {"items": ... {}}} */
static json_t *S_deep_items_schema(size_t depth) {
  json_t *root = json_object(), *cur = root;
  size_t i;
  for (i = 0; i < depth; i++) {
    json_t *child = json_object();
    json_object_set_new(cur, "items", child);
    cur = child;
  }
  return root;
}

/* json_decref recurses once per level; unlink from the top instead. */
static void S_free_deep(json_t *v) {
  while (v) {
    json_t *child = NULL;
    if (json_is_array(v) && json_array_size(v) > 0)
      child = json_array_get(v, 0);
    else if (json_is_object(v))
      child = json_object_get(v, "items");
    if (child)
      json_incref(child);
    if (json_is_array(v))
      json_array_clear(v);
    else if (json_is_object(v))
      json_object_clear(v);
    json_decref(v);
    v = child;
  }
}

static void S_check_deep(void) {
  json_t *deep = S_deep_array(DEEP);
  json_t *deep_schema = S_deep_items_schema(DEEP);
  json_t *shallow_schema = S_deep_items_schema(3);
  json_t *empty = json_object();
  json_t *recursive = json_loads("{\"items\":{\"$ref\":\"#\"}}", 0, NULL);
  json_t *branching = json_loads(
      "{\"anyOf\":[{\"items\":{\"$ref\":\"#\"}},{\"items\":{\"$ref\":\"#\"},"
      "\"minItems\":1},{\"type\":\"null\"}]}",
      0, NULL);
  json_t *deep_const = json_object();
  collect col;
  json_object_set_new(deep_const, "const", S_deep_array(300));

  T_INT_EQ(S_run(empty, deep, "$", 0, 10, &col), 0);
  T_INT_EQ(S_run(json_true(), deep, "$", 0, 10, &col), 0);
  T_INT_EQ(S_run(shallow_schema, deep, "$", 0, 10, &col), 0);

  T_INT_EQ(S_run(deep_schema, deep, "$", 0, 10, &col), 1);
  T_STR_EQ(col.msg, "nesting too deep");
  T_OK(strncmp(col.path, "$[0][0][0]", 10) == 0);

  T_INT_EQ(S_run(recursive, deep, "$.json", 0, 10, &col), 1);
  T_STR_EQ(col.msg, "nesting too deep");
  T_OK(strncmp(col.path, "$.json[0][0]", 12) == 0);

  /* two recursive branches would double the work per level without the
   * step budget */
  T_OK(S_run(branching, deep, "$", 0, 10, &col) >= 1);
  T_OK(col.msg[0] != '\0');

  T_INT_EQ(S_run(deep_const, deep, "$", 0, 10, &col), 1);
  T_STR_EQ(col.msg, "nesting too deep");

  S_free_deep(deep);
  S_free_deep(deep_schema);
  S_free_deep(shallow_schema);
  json_decref(empty);
  json_decref(recursive);
  json_decref(branching);
  json_object_del(deep_const, "const"); /* frees 300 levels: fine */
  json_decref(deep_const);
}

/* A path longer than QUIRE__SCHEMA_PATH_MAX is cut, never overflowed. */
static void S_check_long_path(void) {
  char key[600];
  json_t *schema =
      json_loads("{\"additionalProperties\":{"
                 "\"additionalProperties\":{\"type\":\"string\"}}}",
                 0, NULL);
  json_t *inst = json_object(), *inner = json_object();
  collect col;
  memset(key, 'k', sizeof key - 1);
  key[sizeof key - 1] = '\0';
  json_object_set_new(inner, key, json_integer(1));
  key[0] = 'j';
  json_object_set_new(inst, key, inner);
  T_INT_EQ(S_run(schema, inst, "$", 0, 10, &col), 1);
  T_OK(strlen(col.path) <= QUIRE__SCHEMA_PATH_MAX + 5);
  T_OK(strstr(col.path, "[...]") != NULL);
  T_STR_EQ(col.msg, "expected a string, got an integer");
  json_decref(schema);
  json_decref(inst);
}

/* ---- the repo's contract schemas ---------------------------------------- */

static json_t *S_load(const char *dir, const char *name) {
  char path[1024];
  json_error_t jerr;
  json_t *v;
  int k = snprintf(path, sizeof path, "%s/%s", dir, name);
  T_CHECK(k > 0 && (size_t)k < sizeof path, "path too long: %s", dir);
  if (k <= 0 || (size_t)k >= sizeof path)
    return NULL;
  v = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
  T_CHECK(v != NULL, "%s:%d: %s", path, jerr.line, jerr.text);
  return v;
}

static const char V2_REPORT[] =
    "{\"id\":\"rep_1\",\"createdAt\":\"2026-01-01T00:00:00Z\",\"media\":{},"
    "\"output\":{\"template\":\"sales_playbook\"},\"markdown\":null,"
    "\"json\":{\"schemaVersion\":2,\"title\":\"T\",\"summary\":\"S\","
    "\"template\":\"sales_playbook\",\"meta\":{\"prompt\":{\"labels\":[],"
    "\"name\":\"p\",\"version\":1},\"render\":{\"attempts\":1,\"model\":\"m\","
    "\"provider\":\"openai\"}},\"sections\":["
    "{\"kind\":\"paragraph\",\"key\":\"how_they_think\",\"title\":\"T\","
    "\"body\":\"B\"},"
    "{\"kind\":\"traits\",\"key\":\"dominating_traits\",\"title\":\"T\","
    "\"body\":\"B\",\"phrases\":[\"a\",\"b\",\"c\"]},"
    "{\"kind\":\"actions\",\"key\":\"how_to_close\",\"title\":\"T\","
    "\"items\":[{\"title\":\"a\",\"context\":\"b\"}]}]}}";

static const char MATCHING_REPORT[] =
    "{\"id\":\"mat_1\",\"createdAt\":\"2026-01-01T00:00:00Z\","
    "\"context\":\"behavioral_compatibility\",\"output\":{\"template\":"
    "\"matching\"},\"target\":{\"entityId\":\"ent_1\",\"resolvedLabel\":null,"
    "\"source\":{\"type\":\"entity_id\",\"entityId\":\"ent_1\"}},"
    "\"group\":[{\"source\":{\"type\":\"media_target\",\"mediaId\":\"med_1\","
    "\"selector\":{\"strategy\":\"dominant\",\"on_miss\":\"error\"}}}],"
    "\"markdown\":\"# M\",\"json\":{\"schemaVersion\":1,\"title\":\"T\","
    "\"summary\":\"S\",\"sections\":[{\"section_title\":\"Fit\","
    "\"section_content\":[{\"type\":\"text\",\"content\":\"c\"},"
    "{\"type\":\"grid\",\"columns\":2,\"items\":[]}]}]}}";

/* Replaces the value at a dotted path ("json.sections.1.phrases") in a
 * parsed copy of `doc`, then validates it. */
static int S_mutated(const json_t *schema, const char *doc, const char *at,
                     const char *value, collect *col) {
  json_t *root = json_loads(doc, 0, NULL), *cur = root, *v;
  char buf[256], *seg, *next;
  int n;
  snprintf(buf, sizeof buf, "%s", at);
  for (seg = buf; (next = strchr(seg, '.')); seg = next + 1) {
    *next = '\0';
    cur = json_is_array(cur) ? json_array_get(cur, strtoul(seg, NULL, 10))
                             : json_object_get(cur, seg);
  }
  v = value ? json_loads(value, JSON_DECODE_ANY, NULL) : NULL;
  if (json_is_array(cur))
    json_array_set_new(cur, strtoul(seg, NULL, 10), v);
  else if (v)
    json_object_set_new(cur, seg, v);
  else
    json_object_del(cur, seg);
  n = S_run(schema, root, "$", QUIRE__SCHEMA_FORMAT_ASSERT, 100, col);
  json_decref(root);
  return n;
}

static void S_check_contract(const char *dir) {
  json_t *v2 = S_load(dir, "v2-report.schema.json");
  json_t *v1 = S_load(dir, "v1-sections-report.schema.json");
  json_t *mt = S_load(dir, "matching-report.schema.json");
  json_t *inst;
  collect col;
  if (!v2 || !v1 || !mt)
    goto done;
  inst = json_loads(V2_REPORT, 0, NULL);
  T_INT_EQ(S_run(v2, inst, "$", QUIRE__SCHEMA_FORMAT_ASSERT, 100, &col), 0);
  json_decref(inst);

  /* The published schema sets no phrase count (prefixItems only); the
   * decoder warns about it instead. */
  T_INT_EQ(S_mutated(v2, V2_REPORT, "json.sections.1.phrases", "[\"a\",\"b\"]",
                     &col),
           0);
  T_INT_EQ(S_mutated(v2, V2_REPORT, "json.sections.1.phrases",
                     "[\"a\",\"b\",\"c\",\"d\"]", &col),
           0);
  T_INT_EQ(S_mutated(v2, V2_REPORT, "json.sections.1.phrases",
                     "[\"a\",\"\",\"c\"]", &col),
           1);
  T_STR_EQ(col.path, "$.json.sections[1].phrases[1]");
  T_INT_EQ(S_mutated(v2, V2_REPORT, "json.sections.1.phrases", NULL, &col), 1);
  T_STR_EQ(col.path, "$.json.sections[1]");
  T_STR_EQ(col.msg, "missing required key \"phrases\"");
  T_INT_EQ(S_mutated(v2, V2_REPORT, "json.sections.2.kind", "\"chart\"", &col),
           1);
  T_STR_EQ(col.path, "$.json.sections[2].kind");
  T_STR_EQ(col.msg,
           "expected one of \"paragraph\", \"traits\", \"actions\", got "
           "\"chart\"");
  T_INT_EQ(
      S_mutated(v2, V2_REPORT, "json.meta.render.provider", "\"gemini\"", &col),
      1);
  T_STR_EQ(col.path, "$.json.meta.render.provider");
  T_STR_EQ(col.msg,
           "expected one of \"openai\", \"anthropic\", got \"gemini\"");
  T_INT_EQ(S_mutated(v2, V2_REPORT, "colour", "\"red\"", &col), 1);
  T_STR_EQ(col.path, "$.colour");
  T_STR_EQ(col.msg, "unexpected key \"colour\"");
  T_INT_EQ(S_mutated(v2, V2_REPORT, "json.title", "\"\"", &col), 1);
  T_STR_EQ(col.path, "$.json.title");
  T_STR_EQ(col.msg, "expected at least 1 character, got 0");
  T_INT_EQ(S_mutated(v2, V2_REPORT, "json.schemaVersion", "1", &col), 1);
  T_STR_EQ(col.path, "$.json.schemaVersion");
  T_STR_EQ(col.msg, "expected 2, got 1");
  T_INT_EQ(S_mutated(v2, V2_REPORT, "json", "null", &col), 0);
  T_INT_EQ(S_mutated(v2, V2_REPORT, "json", "[]", &col), 1);
  T_STR_EQ(col.msg, "expected an object or null, got an array");

  T_INT_EQ(S_mutated(v1, V2_REPORT, "json", NULL, &col), 0);
  T_INT_EQ(S_mutated(v1,
                     "{\"id\":\"r\",\"createdAt\":\"c\",\"media\":{},"
                     "\"output\":{\"template\":\"hiring_report\"},"
                     "\"sections\":[{\"section_title\":\"s\","
                     "\"section_content\":{\"type\":\"grid\",\"columns\":2,"
                     "\"items\":[]}}],\"pdfUrl\":\"https://x.test/a.pdf\"}",
                     "sections.0.section_content.columns", "5", &col),
           0);
  /* section_content also allows anything (the {} branch), as the API does */
  T_INT_EQ(S_mutated(v1,
                     "{\"id\":\"r\",\"createdAt\":\"c\",\"media\":{},"
                     "\"output\":{\"template\":\"hiring_report\"},"
                     "\"pdfUrl\":\"https://x.test/a.pdf\"}",
                     "pdfUrl", "\"a.pdf\"", &col),
           1);
  T_STR_EQ(col.path, "$.pdfUrl");
  T_STR_EQ(col.msg, "expected an absolute URI with a scheme, got \"a.pdf\"");

  inst = json_loads(MATCHING_REPORT, 0, NULL);
  T_INT_EQ(S_run(mt, inst, "$", QUIRE__SCHEMA_FORMAT_ASSERT, 100, &col), 0);
  json_decref(inst);
  T_INT_EQ(S_mutated(mt, MATCHING_REPORT, "json.sections", "[]", &col), 1);
  T_STR_EQ(col.path, "$.json.sections");
  T_STR_EQ(col.msg, "expected at least 1 item, got 0");
  T_INT_EQ(S_mutated(mt, MATCHING_REPORT, "json.schemaVersion", "2", &col), 1);
  T_STR_EQ(col.path, "$.json.schemaVersion");
  T_STR_EQ(col.msg, "expected 1, got 2");
  T_INT_EQ(S_mutated(mt, MATCHING_REPORT, "output.template",
                     "\"sales_playbook\"", &col),
           1);
  T_STR_EQ(col.path, "$.output.template");
  T_STR_EQ(col.msg, "expected \"matching\", got \"sales_playbook\"");
  T_INT_EQ(S_mutated(mt, MATCHING_REPORT, "json.sections.0.section_title", NULL,
                     &col),
           1);
  T_STR_EQ(col.path, "$.json.sections[0]");
  T_STR_EQ(col.msg, "missing required key \"section_title\"");
  T_INT_EQ(S_mutated(mt, MATCHING_REPORT, "group.0.source.type", "\"x\"", &col),
           1);
  T_STR_EQ(col.path, "$.group[0].source.type");
  T_STR_EQ(col.msg,
           "expected one of \"entity_id\", \"media_target\", got \"x\"");
  T_INT_EQ(S_mutated(mt, MATCHING_REPORT, "json", "null", &col), 0);
done:
  json_decref(v2);
  json_decref(v1);
  json_decref(mt);
}

int main(int argc, char **argv) {
  const char *suite =
      argc > 1 ? argv[1] : "tests/vendor/json-schema-test-suite";
  const char *schemas = argc > 2 ? argv[2] : "schemas";
  DIR *d;
  S_run_suite(suite);
  S_check_messages();
  S_check_cap();
  S_check_value_cut();
  S_check_deep();
  S_check_long_path();
  d = opendir(schemas);
  if (d) {
    closedir(d);
    S_check_contract(schemas);
  } else {
    T_CHECK(argc <= 2, "cannot open schemas directory %s", schemas);
    printf("# contract schema checks skipped: no %s directory here\n", schemas);
  }
  return T_done("test_schema_suite");
}
