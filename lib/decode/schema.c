#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* regcomp/regexec */
#endif

#include "schema.h"

#include <limits.h>
#include <regex.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Message buffers live in helpers kept out of line, so that the frames
 * repeated once per nesting level stay small. */
#if defined(__GNUC__)
#define S_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#define S_NOINLINE __attribute__((noinline))
#else
#define S_PRINTF(fmt, args)
#define S_NOINLINE
#endif

#define S_MSG_MAX 512  /* one message, including a list of values */
#define S_VALUE_MAX 96 /* one value quoted inside a message */
#define S_LIST_MAX 360 /* "a", "b", ... inside a message */
#define S_STR_SHOWN 40 /* code points of a string shown before "..." */
#define S_EQUAL_MAX_DEPTH 256
#define S_TRIAL_CAP 256   /* errors counted per branch when ranking them */
#define S_MAX_BRANCHES 64 /* anyOf/oneOf branches examined for a diagnosis */
#define S_MAX_TYPES 8
#define S_REF_SEGMENT_MAX 256
#define S_MEMO 512 /* remembered branch verdicts */
/* Schema steps per call: a backstop for schemas whose branches multiply the
 * work beyond what the verdict memo absorbs. Real reports need about 11
 * steps per v2 section. */
#define S_MAX_STEPS (1UL << 26)

/* One remembered verdict of "does inst match s" at a given depth. */
typedef struct {
  const json_t *s;
  const json_t *inst;
  int depth;
  int valid;
} S_memo;

typedef struct {
  const json_t *root; /* the schema document, for "$ref" */
  unsigned flags;     /* QUIRE__SCHEMA_* */
  quire__schema_error_fn cb;
  void *payload;
  size_t max_errors;
  size_t reported; /* violations passed to cb */
  int trial;       /* counting silently while ranking branches */
  size_t trial_errors;
  size_t trial_cap;
  const char *prefix;  /* put before messages about property names */
  unsigned long steps; /* S_validate calls so far */
  int exhausted;       /* steps ran past S_MAX_STEPS */
  S_memo memo[S_MEMO]; /* verdicts of anyOf/oneOf/not branch tries */
  int temp_inst;       /* validating a short-lived copy: no memo */
  size_t path_len;
  size_t path_cut;                       /* pushed segments that did not fit */
  char path[QUIRE__SCHEMA_PATH_MAX + 8]; /* room for the "[...]" marker */
} S_ctx;

/* A bounded writer: stops at cap bytes and remembers that it did. */
typedef struct {
  char *p;
  size_t len;
  size_t cap;
  int over;
} S_out;

static void S_validate(S_ctx *c, const json_t *s, const json_t *inst,
                       int depth);

/* ---- output helpers ---------------------------------------------------- */

static void S_put(S_out *o, const char *s, size_t n) {
  if (o->over || n > o->cap - o->len) {
    o->over = 1;
    return;
  }
  memcpy(o->p + o->len, s, n);
  o->len += n;
}

static void S_puts(S_out *o, const char *s) { S_put(o, s, strlen(s)); }

static void S_put_escaped(S_out *o, const char *s, size_t n, size_t shown) {
  size_t i, cps = 0;
  S_put(o, "\"", 1);
  for (i = 0; i < n && !o->over; i++) {
    unsigned char ch = (unsigned char)s[i];
    char esc[8];
    if ((ch & 0xC0) != 0x80 && cps++ == shown) {
      S_puts(o, "...");
      break;
    }
    if (ch == '"' || ch == '\\') {
      esc[0] = '\\';
      esc[1] = (char)ch;
      S_put(o, esc, 2);
    } else if (ch == '\n') {
      S_puts(o, "\\n");
    } else if (ch == '\t') {
      S_puts(o, "\\t");
    } else if (ch < 0x20 || ch == 0x7f) {
      int k = snprintf(esc, sizeof esc, "\\u%04x", (unsigned)ch);
      S_put(o, esc, (size_t)k);
    } else {
      S_put(o, s + i, 1);
    }
  }
  S_put(o, "\"", 1);
}

static void S_put_real(S_out *o, double d) {
  char b[40];
  int k = snprintf(b, sizeof b, "%.15g", d);
  if (strtod(b, NULL) != d)
    k = snprintf(b, sizeof b, "%.17g", d);
  S_put(o, b, (size_t)k);
}

/* Compact JSON, two container levels deep at most: enough to recognise a
 * value in a one-line message without echoing megabytes of input. */
static void S_render(S_out *o, const json_t *v, int depth) {
  char b[40];
  int k;
  size_t i;
  const char *key;
  json_t *val;
  switch (json_typeof(v)) {
  case JSON_OBJECT:
    if (json_object_size(v) == 0) {
      S_puts(o, "{}");
      return;
    }
    if (depth >= 2) {
      S_puts(o, "{...}");
      return;
    }
    S_put(o, "{", 1);
    i = 0;
    json_object_foreach((json_t *)v, key, val) {
      if (o->over)
        return;
      if (i++)
        S_put(o, ",", 1);
      S_put_escaped(o, key, strlen(key), S_STR_SHOWN);
      S_put(o, ":", 1);
      S_render(o, val, depth + 1);
    }
    S_put(o, "}", 1);
    return;
  case JSON_ARRAY:
    if (json_array_size(v) == 0) {
      S_puts(o, "[]");
      return;
    }
    if (depth >= 2) {
      S_puts(o, "[...]");
      return;
    }
    S_put(o, "[", 1);
    for (i = 0; i < json_array_size(v) && !o->over; i++) {
      if (i)
        S_put(o, ",", 1);
      S_render(o, json_array_get(v, i), depth + 1);
    }
    S_put(o, "]", 1);
    return;
  case JSON_STRING:
    S_put_escaped(o, json_string_value(v), json_string_length(v), S_STR_SHOWN);
    return;
  case JSON_INTEGER:
    k = snprintf(b, sizeof b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    S_put(o, b, (size_t)k);
    return;
  case JSON_REAL: S_put_real(o, json_real_value(v)); return;
  case JSON_TRUE: S_puts(o, "true"); return;
  case JSON_FALSE: S_puts(o, "false"); return;
  case JSON_NULL: S_puts(o, "null"); return;
  }
}

/* Writes v into buf (size >= 8), ending in "..." when it does not fit. */
static const char *S_value_text(char *buf, size_t size, const json_t *v) {
  S_out o = {buf, 0, size - 4, 0};
  S_render(&o, v, 0);
  if (o.over) {
    size_t j = o.len;
    while (j > 0 && ((unsigned char)buf[j - 1] & 0xC0) == 0x80)
      j--;
    if (j > 0 && (unsigned char)buf[j - 1] >= 0xC0) {
      unsigned char lead = (unsigned char)buf[j - 1];
      size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
      if (o.len - (j - 1) < need)
        o.len = j - 1; /* never end on half a character */
    }
    memcpy(buf + o.len, "...", 3);
    o.len += 3;
  }
  buf[o.len] = '\0';
  return buf;
}

/* "a", "b" and "c" as `"a", "b", "c"`, or `..., and 9 more` when long. */
static const char *S_list(char *buf, size_t size, const json_t *const *vals,
                          size_t n, size_t total) {
  S_out o = {buf, 0, size - 1, 0};
  char one[S_VALUE_MAX];
  size_t i;
  for (i = 0; i < n; i++) {
    size_t len;
    S_value_text(one, sizeof one, vals[i]);
    len = strlen(one);
    if (o.len + len + 2 > o.cap - 24)
      break;
    if (i)
      S_puts(&o, ", ");
    S_put(&o, one, len);
  }
  if (i < total) {
    char more[40];
    int k = snprintf(more, sizeof more, ", and %zu more", total - i);
    S_put(&o, more, (size_t)k);
  }
  buf[o.len] = '\0';
  return buf;
}

/* ---- reporting ---------------------------------------------------------- */

static int S_done(const S_ctx *c) {
  if (c->exhausted)
    return 1;
  return c->trial ? c->trial_errors >= c->trial_cap
                  : c->reported >= c->max_errors;
}

static void S_fail(S_ctx *c, const char *fmt, ...) S_PRINTF(2, 3);

static void S_fail(S_ctx *c, const char *fmt, ...) {
  char msg[S_MSG_MAX];
  size_t n = 0;
  va_list ap;
  if (c->trial) {
    c->trial_errors++;
    return;
  }
  if (c->reported >= c->max_errors)
    return;
  c->reported++;
  if (!c->cb)
    return;
  if (c->prefix) {
    n = strlen(c->prefix);
    memcpy(msg, c->prefix, n);
  }
  va_start(ap, fmt);
  vsnprintf(msg + n, sizeof msg - n, fmt, ap);
  va_end(ap);
  if (c->path_cut)
    memcpy(c->path + c->path_len, "[...]", 6);
  c->cb(c->payload, c->path, msg);
  c->path[c->path_len] = '\0';
}

static S_NOINLINE void S_fail_key(S_ctx *c, int missing, const char *key) {
  char kt[S_VALUE_MAX];
  S_out o = {kt, 0, sizeof kt - 1, 0};
  S_put_escaped(&o, key, strlen(key), S_VALUE_MAX / 2);
  kt[o.len] = '\0';
  if (missing)
    S_fail(c, "missing required key %s", kt);
  else
    S_fail(c, "unexpected key %s", kt);
}

static S_NOINLINE void S_fail_schema_value(S_ctx *c, const char *what,
                                           const json_t *v) {
  char a[S_VALUE_MAX];
  S_fail(c, "schema error: %s %s", what, S_value_text(a, sizeof a, v));
}

/* ---- paths -------------------------------------------------------------- */

/* Trials never report, so they skip path building; push and pop stay
 * paired because a trial starts and ends inside one S_validate call. */
static void S_push_commit(S_ctx *c, S_out *o) {
  if (o->over) {
    c->path_cut++;
  } else {
    c->path_len = o->len;
  }
  c->path[c->path_len] = '\0';
}

static void S_push_index(S_ctx *c, size_t i) {
  char seg[32];
  int k;
  S_out o = {c->path, c->path_len, QUIRE__SCHEMA_PATH_MAX, c->path_cut > 0};
  if (c->trial)
    return;
  k = snprintf(seg, sizeof seg, "[%zu]", i);
  S_put(&o, seg, (size_t)k);
  S_push_commit(c, &o);
}

static int S_is_ident(const char *k) {
  const char *p;
  if (!((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') || *k == '_'))
    return 0;
  for (p = k + 1; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
          (*p >= '0' && *p <= '9') || *p == '_'))
      return 0;
  return 1;
}

static void S_push_key(S_ctx *c, const char *key) {
  size_t save = c->path_len;
  S_out o = {c->path, c->path_len, QUIRE__SCHEMA_PATH_MAX, c->path_cut > 0};
  if (c->trial)
    return;
  if (S_is_ident(key)) {
    S_put(&o, ".", 1);
    S_puts(&o, key);
  } else {
    S_put(&o, "[", 1);
    S_put_escaped(&o, key, strlen(key), SIZE_MAX);
    S_put(&o, "]", 1);
  }
  if (o.over)
    o.len = save;
  S_push_commit(c, &o);
}

static void S_pop(S_ctx *c, size_t save) {
  if (c->trial)
    return;
  if (c->path_cut) {
    c->path_cut--;
    return;
  }
  c->path_len = save;
  c->path[save] = '\0';
}

/* ---- numbers and equality ----------------------------------------------- */

/* Exact comparison of an integer with a double, without the rounding that
 * converting a large integer to double would bring. */
static int S_cmp_int_real(json_int_t i, double d) {
  json_int_t t;
  if (d >= 9223372036854775808.0)
    return -1;
  if (d < -9223372036854775808.0)
    return 1;
  t = (json_int_t)d;
  if (i != t)
    return i < t ? -1 : 1;
  if (d > (double)t)
    return -1;
  return d < (double)t ? 1 : 0;
}

static int S_num_cmp(const json_t *a, const json_t *b) {
  if (json_is_integer(a) && json_is_integer(b)) {
    json_int_t x = json_integer_value(a), y = json_integer_value(b);
    return x < y ? -1 : x > y;
  }
  if (json_is_real(a) && json_is_real(b)) {
    double x = json_real_value(a), y = json_real_value(b);
    return x < y ? -1 : x > y;
  }
  if (json_is_integer(a))
    return S_cmp_int_real(json_integer_value(a), json_real_value(b));
  return -S_cmp_int_real(json_integer_value(b), json_real_value(a));
}

static int S_real_is_integral(double d) {
  if (d >= 9007199254740992.0 || d <= -9007199254740992.0)
    return d - d == 0; /* every finite double this large is an integer */
  return (double)(json_int_t)d == d;
}

static int S_is_integral(const json_t *v) {
  return json_is_integer(v) ||
         (json_is_real(v) && S_real_is_integral(json_real_value(v)));
}

/* 1 equal, 0 different, -1 nested deeper than S_EQUAL_MAX_DEPTH. */
static int S_equal(const json_t *a, const json_t *b, int depth) {
  size_t i;
  int r;
  const char *key;
  json_t *av;
  if (depth > S_EQUAL_MAX_DEPTH)
    return -1;
  if (json_is_number(a) && json_is_number(b))
    return S_num_cmp(a, b) == 0;
  if (json_typeof(a) != json_typeof(b))
    return 0;
  switch (json_typeof(a)) {
  case JSON_STRING:
    return json_string_length(a) == json_string_length(b) &&
           memcmp(json_string_value(a), json_string_value(b),
                  json_string_length(a)) == 0;
  case JSON_ARRAY:
    if (json_array_size(a) != json_array_size(b))
      return 0;
    for (i = 0; i < json_array_size(a); i++) {
      r = S_equal(json_array_get(a, i), json_array_get(b, i), depth + 1);
      if (r != 1)
        return r;
    }
    return 1;
  case JSON_OBJECT:
    if (json_object_size(a) != json_object_size(b))
      return 0;
    json_object_foreach((json_t *)a, key, av) {
      const json_t *bv = json_object_get(b, key);
      if (!bv)
        return 0;
      r = S_equal(av, bv, depth + 1);
      if (r != 1)
        return r;
    }
    return 1;
  default: return 1; /* true, false, null: the type is the value */
  }
}

/* ---- types -------------------------------------------------------------- */

static const char *const S_type_names[][2] = {
    {"object", "an object"},   {"array", "an array"},  {"string", "a string"},
    {"integer", "an integer"}, {"number", "a number"}, {"boolean", "a boolean"},
    {"null", "null"}};

static const char *S_with_article(const char *name) {
  size_t i;
  for (i = 0; i < sizeof S_type_names / sizeof S_type_names[0]; i++)
    if (strcmp(S_type_names[i][0], name) == 0)
      return S_type_names[i][1];
  return name;
}

static const char *S_type_of(const json_t *v) {
  switch (json_typeof(v)) {
  case JSON_OBJECT: return "object";
  case JSON_ARRAY: return "array";
  case JSON_STRING: return "string";
  case JSON_INTEGER: return "integer";
  case JSON_REAL: return S_is_integral(v) ? "integer" : "number";
  case JSON_TRUE:
  case JSON_FALSE: return "boolean";
  default: return "null";
  }
}

/* 1 if v has the named type, 0 if not, -1 for an unknown name. */
static int S_type_is(const char *name, const json_t *v) {
  if (strcmp(name, "object") == 0)
    return json_is_object(v);
  if (strcmp(name, "array") == 0)
    return json_is_array(v);
  if (strcmp(name, "string") == 0)
    return json_is_string(v);
  if (strcmp(name, "integer") == 0)
    return S_is_integral(v);
  if (strcmp(name, "number") == 0)
    return json_is_number(v);
  if (strcmp(name, "boolean") == 0)
    return json_is_boolean(v);
  if (strcmp(name, "null") == 0)
    return json_is_null(v);
  return -1;
}

static int S_type_accepts(const json_t *type, const json_t *v) {
  size_t i;
  if (json_is_string(type))
    return S_type_is(json_string_value(type), v);
  if (!json_is_array(type) || json_array_size(type) == 0)
    return -1;
  for (i = 0; i < json_array_size(type); i++) {
    const json_t *t = json_array_get(type, i);
    int r = json_is_string(t) ? S_type_is(json_string_value(t), v) : -1;
    if (r != 0)
      return r;
  }
  return 0;
}

/* Adds the names in a "type" value to names[], skipping repeats. */
static size_t S_add_types(const char **names, size_t n, const json_t *type) {
  size_t i, j, count = json_is_array(type) ? json_array_size(type) : 1;
  for (i = 0; i < count && n < S_MAX_TYPES; i++) {
    const json_t *t = json_is_array(type) ? json_array_get(type, i) : type;
    const char *name = json_string_value(t);
    if (!name)
      continue;
    for (j = 0; j < n && strcmp(names[j], name) != 0; j++)
      ;
    if (j == n)
      names[n++] = name;
  }
  return n;
}

static void S_fail_types(S_ctx *c, const char **names, size_t n,
                         const json_t *inst) {
  char want[256];
  S_out o = {want, 0, sizeof want - 1, 0};
  size_t i;
  for (i = 0; i < n; i++) {
    if (i)
      S_puts(&o, i + 1 == n ? " or " : ", ");
    S_puts(&o, S_with_article(names[i]));
  }
  want[o.len] = '\0';
  S_fail(c, "expected %s, got %s", want, S_with_article(S_type_of(inst)));
}

/* ---- keyword values ----------------------------------------------------- */

/* Reads a non-negative integer keyword (2020-12 allows 3.0 for 3). Returns 1
 * if present and well-formed, 0 if absent; reports and returns -1 if not. */
static int S_count(S_ctx *c, const json_t *s, const char *kw, size_t *out) {
  const json_t *v = json_object_get(s, kw);
  if (!v)
    return 0;
  if (!S_is_integral(v) || json_number_value(v) < 0) {
    S_fail(c, "schema error: \"%s\" must be a non-negative integer", kw);
    return -1;
  }
  if (json_is_integer(v))
    *out = (size_t)json_integer_value(v);
  else
    *out =
        json_real_value(v) >= 1e18 ? (size_t)1e18 : (size_t)json_real_value(v);
  return 1;
}

static const char *S_plural(size_t n) { return n == 1 ? "" : "s"; }

/* The type a schema pins down by itself, if it is exactly one name. */
static const char *S_single_type(const json_t *s) {
  const json_t *t = json_is_object(s) ? json_object_get(s, "type") : NULL;
  return json_is_string(t) ? json_string_value(t) : NULL;
}

/* "strings" reads better than "items" when every item must be a scalar of
 * one type, as in "expected exactly 3 strings, got 2"; objects and arrays
 * stay "items". */
static const char *S_item_noun(const json_t *s) {
  const json_t *items = json_object_get(s, "items");
  const json_t *prefix = json_object_get(s, "prefixItems");
  const char *t = NULL;
  size_t i;
  if (items && !json_is_false(items)) {
    t = S_single_type(items);
    if (!t)
      return "item";
  }
  if (json_is_array(prefix)) {
    for (i = 0; i < json_array_size(prefix); i++) {
      const char *pt = S_single_type(json_array_get(prefix, i));
      if (!pt || (t && strcmp(t, pt) != 0))
        return "item";
      t = pt;
    }
  }
  if (!t || strcmp(t, "null") == 0 || strcmp(t, "object") == 0 ||
      strcmp(t, "array") == 0)
    return "item";
  return t;
}

static size_t S_utf8_count(const char *s, size_t n) {
  size_t i, cps = 0;
  for (i = 0; i < n; i++)
    cps += ((unsigned char)s[i] & 0xC0) != 0x80;
  return cps;
}

/* 1 match, 0 no match, -1 the pattern does not compile. */
static int S_regex_match(const char *pattern, const char *text) {
  regex_t re;
  int r;
  if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) != 0)
    return -1;
  r = regexec(&re, text, 0, NULL, 0);
  regfree(&re);
  return r == 0;
}

static int S_is_alpha(unsigned char ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static int S_is_hex(unsigned char ch) {
  return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') ||
         (ch >= 'A' && ch <= 'F');
}

/* RFC 3986 "URI" (absolute, scheme required), checked by character class:
 * scheme ":" then only URI characters or %HH escapes, at most one "#". */
static int S_uri_ok(const char *s, size_t n) {
  size_t i = 0;
  int hashes = 0;
  if (n == 0 || !S_is_alpha((unsigned char)s[0]))
    return 0;
  while (i < n &&
         (S_is_alpha((unsigned char)s[i]) || (s[i] >= '0' && s[i] <= '9') ||
          s[i] == '+' || s[i] == '-' || s[i] == '.'))
    i++;
  if (i >= n || s[i] != ':')
    return 0;
  for (i++; i < n; i++) {
    unsigned char ch = (unsigned char)s[i];
    if (ch == '%') {
      if (i + 2 >= n || !S_is_hex((unsigned char)s[i + 1]) ||
          !S_is_hex((unsigned char)s[i + 2]))
        return 0;
      i += 2;
    } else if (ch <= 0x20 || ch >= 0x7f || strchr("\"<>\\^`{|}", ch) ||
               (ch == '#' && hashes++)) {
      return 0;
    }
  }
  return 1;
}

/* ---- $ref --------------------------------------------------------------- */

/* Resolves "#" and "#/a/b~1c/0" against the root schema. Anything else
 * (remote documents, anchors, $id-relative references) is not supported. */
static const json_t *S_resolve(const json_t *root, const char *ref) {
  const json_t *cur = root;
  const char *p;
  if (ref[0] != '#')
    return NULL;
  p = ref + 1;
  if (*p == '\0')
    return root;
  if (*p != '/')
    return NULL;
  while (*p == '/') {
    char seg[S_REF_SEGMENT_MAX];
    size_t n = 0;
    for (p++; *p && *p != '/'; p++) {
      char ch = *p;
      if (ch == '~') {
        if (p[1] != '0' && p[1] != '1')
          return NULL;
        ch = p[1] == '0' ? '~' : '/';
        p++;
      } else if (ch == '%') {
        return NULL; /* percent-encoded pointers are not needed yet */
      }
      if (n + 1 >= sizeof seg)
        return NULL;
      seg[n++] = ch;
    }
    seg[n] = '\0';
    if (json_is_object(cur)) {
      cur = json_object_get(cur, seg);
    } else if (json_is_array(cur)) {
      char *end;
      unsigned long long idx;
      if (n == 0 || seg[0] < '0' || seg[0] > '9' || (seg[0] == '0' && n > 1))
        return NULL;
      idx = strtoull(seg, &end, 10);
      if (*end != '\0' || idx >= json_array_size(cur))
        return NULL;
      cur = json_array_get(cur, (size_t)idx);
    } else {
      return NULL;
    }
    if (!cur)
      return NULL;
  }
  return cur;
}

/* ---- anyOf / oneOf ------------------------------------------------------ */

/* Without remembering verdicts, a $ref that recurses through two anyOf
 * branches re-checks each deeper value twice per level: 2^depth work. A
 * verdict only depends on depth through the depth limit, so a failure holds
 * for any deeper call and a success for any shallower one. */
static S_memo *S_memo_slot(S_ctx *c, const json_t *s, const json_t *inst) {
  uintptr_t a = (uintptr_t)s, b = (uintptr_t)inst;
  return &c->memo[((a >> 4) ^ (a >> 12) ^ (b >> 4) ^ (b >> 11)) % S_MEMO];
}

static size_t S_trial(S_ctx *c, const json_t *s, const json_t *inst, int depth,
                      size_t cap) {
  int trial = c->trial;
  size_t errors = c->trial_errors, tcap = c->trial_cap, n;
  S_memo *m = cap == 1 && !c->temp_inst ? S_memo_slot(c, s, inst) : NULL;
  if (m && m->s == s && m->inst == inst &&
      (m->valid ? depth <= m->depth : depth >= m->depth))
    return m->valid ? 0 : 1;
  c->trial = 1;
  c->trial_errors = 0;
  c->trial_cap = cap;
  S_validate(c, s, inst, depth);
  n = c->trial_errors;
  if (m && !c->exhausted) {
    m->s = s;
    m->inst = inst;
    m->depth = depth;
    m->valid = n == 0;
  }
  c->trial = trial;
  c->trial_errors = errors;
  c->trial_cap = tcap;
  return n;
}

static int S_branch_type_ok(const json_t *b, const json_t *inst) {
  const json_t *t;
  if (json_is_false(b))
    return 0;
  t = json_is_object(b) ? json_object_get(b, "type") : NULL;
  return !t || S_type_accepts(t, inst) != 0;
}

/* The `const` of properties[key] in branch b: the discriminator value. */
static const json_t *S_disc_const(const json_t *b, const char *key) {
  const json_t *props =
      json_is_object(b) ? json_object_get(b, "properties") : NULL;
  const json_t *ps = json_is_object(props) ? json_object_get(props, key) : NULL;
  return json_is_object(ps) ? json_object_get(ps, "const") : NULL;
}

static int S_requires(const json_t *b, const char *key) {
  const json_t *req = json_object_get(b, "required");
  size_t i;
  for (i = 0; i < json_array_size(req); i++) {
    const char *r = json_string_value(json_array_get(req, i));
    if (r && strcmp(r, key) == 0)
      return 1;
  }
  return 0;
}

static size_t S_add_distinct(const json_t **vals, size_t n, const json_t *v) {
  size_t i;
  for (i = 0; i < n; i++)
    if (S_equal(vals[i], v, 0) == 1)
      return n;
  vals[n] = v;
  return n + 1;
}

static void S_fail_one_of(S_ctx *c, const json_t **vals, size_t n, size_t total,
                          const json_t *inst) {
  char list[S_LIST_MAX], got[S_VALUE_MAX];
  S_list(list, sizeof list, vals, n, total);
  S_value_text(got, sizeof got, inst);
  if (total == 1)
    S_fail(c, "expected %s, got %s", list, got);
  else
    S_fail(c, "expected one of %s, got %s", list, got);
}

/* Narrows cand[] by a discriminator: the property that most branches pin
 * with `const` (like kind or type). Returns the new count, or 0 after
 * reporting the discriminator itself as the problem. */
static S_NOINLINE size_t S_discriminate(S_ctx *c, const json_t **cand, size_t k,
                                        const json_t *inst) {
  const char *key = NULL, *name;
  const json_t *v, *ps, *vals[S_MAX_BRANCHES];
  json_t *props;
  size_t best = 0, i, j, m = 0, nvals = 0;
  for (i = 0; i < k; i++) {
    props = json_object_get(cand[i], "properties");
    if (!json_is_object(props))
      continue;
    json_object_foreach(props, name, ps) {
      size_t count = 0;
      if (!S_disc_const(cand[i], name))
        continue;
      for (j = 0; j < k; j++)
        count += S_disc_const(cand[j], name) != NULL;
      if (count > best) {
        best = count;
        key = name;
      }
    }
  }
  if (!key)
    return k;
  v = json_object_get(inst, key);
  if (!v) {
    for (i = 0; i < k; i++)
      if (!S_requires(cand[i], key))
        return k;
    if (best == k) {
      S_fail_key(c, 1, key);
      return 0;
    }
    return k;
  }
  for (i = 0; i < k; i++) {
    const json_t *cv = S_disc_const(cand[i], key);
    if (cv && S_equal(cv, v, 0) == 1)
      cand[m++] = cand[i];
  }
  if (m > 0)
    return m;
  if (best == k) {
    size_t save = c->path_len;
    for (i = 0; i < k; i++)
      nvals = S_add_distinct(vals, nvals, S_disc_const(cand[i], key));
    S_push_key(c, key);
    S_fail_one_of(c, vals, nvals, nvals, v);
    S_pop(c, save);
    return 0;
  }
  for (i = 0; i < k; i++)
    if (!S_disc_const(cand[i], key))
      cand[m++] = cand[i];
  return m;
}

/* No branch accepts the value's type: "expected a string or null". */
static S_NOINLINE void S_fail_branch_types(S_ctx *c, const json_t *branches,
                                           const json_t *inst) {
  const char *names[S_MAX_TYPES];
  size_t i, nn = 0, n = json_array_size(branches);
  for (i = 0; i < n; i++) {
    const json_t *b = json_array_get(branches, i);
    if (json_is_object(b) && json_object_get(b, "type"))
      nn = S_add_types(names, nn, json_object_get(b, "type"));
  }
  if (nn > 0)
    S_fail_types(c, names, nn, inst);
  else
    S_fail(c, "matches none of the %zu allowed shapes", n);
}

/* Branches that are each one constant read as an enum: "one of 2, 3, 4". */
static S_NOINLINE int S_fail_if_all_const(S_ctx *c, const json_t **cand,
                                          size_t k, const json_t *inst) {
  const json_t *vals[S_MAX_BRANCHES];
  size_t i, nvals = 0;
  for (i = 0; i < k; i++) {
    if (!json_is_object(cand[i]) || !json_object_get(cand[i], "const"))
      return 0;
    nvals = S_add_distinct(vals, nvals, json_object_get(cand[i], "const"));
  }
  S_fail_one_of(c, vals, nvals, nvals, inst);
  return 1;
}

/* All branches failed: report the errors of the branch the value was most
 * likely meant to match, since "no branch matched" helps nobody. */
static void S_diagnose(S_ctx *c, const json_t *branches, const json_t *inst,
                       int depth) {
  const json_t *cand[S_MAX_BRANCHES];
  size_t n = json_array_size(branches), k = 0, i, best = SIZE_MAX, besti = 0;
  int tie = 0;
  if (n > S_MAX_BRANCHES) {
    S_fail(c, "matches none of the %zu allowed shapes", n);
    return;
  }
  for (i = 0; i < n; i++)
    if (S_branch_type_ok(json_array_get(branches, i), inst))
      cand[k++] = json_array_get(branches, i);
  if (k == 0) {
    S_fail_branch_types(c, branches, inst);
    return;
  }
  if (k > 1 && S_fail_if_all_const(c, cand, k, inst))
    return;
  if (k > 1 && json_is_object(inst)) {
    k = S_discriminate(c, cand, k, inst);
    if (k == 0)
      return;
  }
  if (k > 1) {
    for (i = 0; i < k; i++) {
      size_t e = S_trial(c, cand[i], inst, depth + 1, S_TRIAL_CAP);
      if (e < best) {
        best = e;
        besti = i;
        tie = 0;
      } else if (e == best) {
        tie = 1;
      }
    }
    if (tie) {
      S_fail(c, "matches none of the %zu allowed shapes", n);
      return;
    }
  }
  S_validate(c, cand[besti], inst, depth + 1);
}

static void S_check_branches(S_ctx *c, const json_t *branches,
                             const json_t *inst, int depth, int one) {
  size_t i, n = json_array_size(branches), valid = 0;
  if (!json_is_array(branches) || n == 0) {
    S_fail(c, "schema error: \"%s\" must be a non-empty array",
           one ? "oneOf" : "anyOf");
    return;
  }
  for (i = 0; i < n; i++) {
    if (S_trial(c, json_array_get(branches, i), inst, depth + 1, 1) == 0) {
      valid++;
      if (!one || valid > 1)
        break;
    }
  }
  if (one && valid > 1)
    S_fail(c, "matches more than one of the allowed shapes");
  else if (valid == 0 && c->trial)
    S_fail(c, "matches none of the allowed shapes");
  else if (valid == 0)
    S_diagnose(c, branches, inst, depth);
}

/* ---- keyword groups ----------------------------------------------------- */

/* q = x / m is a whole number, allowing for binary rounding: 0.0075 /
 * 0.0001 is 75.00000000000001. */
static int S_is_multiple(double q) {
  double r, err, mag;
  if (q - q != 0)
    return 0; /* the division overflowed */
  if (S_real_is_integral(q))
    return 1;
  r = (double)(json_int_t)(q < 0 ? q - 0.5 : q + 0.5);
  err = q > r ? q - r : r - q;
  mag = q < 0 ? -q : q;
  return err <= 1e-9 * (mag > 1 ? mag : 1);
}

static S_NOINLINE void S_check_number(S_ctx *c, const json_t *s,
                                      const json_t *inst) {
  static const char *const kws[] = {"minimum", "maximum", "exclusiveMinimum",
                                    "exclusiveMaximum", "multipleOf"};
  static const char *const what[] = {"at least", "at most", "more than",
                                     "less than", "a multiple of"};
  char want[S_VALUE_MAX], got[S_VALUE_MAX];
  size_t i;
  for (i = 0; i < sizeof kws / sizeof kws[0] && !S_done(c); i++) {
    const json_t *lim = json_object_get(s, kws[i]);
    int cmp, bad;
    if (!lim)
      continue;
    if (!json_is_number(lim) || (i == 4 && json_number_value(lim) <= 0)) {
      S_fail(c, "schema error: \"%s\" must be a %snumber", kws[i],
             i == 4 ? "positive " : "");
      continue;
    }
    cmp = S_num_cmp(inst, lim);
    if (i == 0)
      bad = cmp < 0;
    else if (i == 1)
      bad = cmp > 0;
    else if (i == 2)
      bad = cmp <= 0;
    else if (i == 3)
      bad = cmp >= 0;
    else if (json_is_integer(inst) && json_is_integer(lim))
      bad = json_integer_value(inst) % json_integer_value(lim) != 0;
    else
      bad = !S_is_multiple(json_number_value(inst) / json_number_value(lim));
    if (bad)
      S_fail(c, "expected %s %s, got %s", what[i],
             S_value_text(want, sizeof want, lim),
             S_value_text(got, sizeof got, inst));
  }
}

static S_NOINLINE void S_check_string(S_ctx *c, const json_t *s,
                                      const json_t *inst) {
  const char *str = json_string_value(inst);
  size_t len = json_string_length(inst), cps = S_utf8_count(str, len);
  size_t lo = 0, hi = 0;
  int has_lo = S_count(c, s, "minLength", &lo);
  int has_hi = S_count(c, s, "maxLength", &hi);
  const json_t *pat = json_object_get(s, "pattern");
  const json_t *fmt = json_object_get(s, "format");
  char a[S_VALUE_MAX], b[S_VALUE_MAX];
  if (has_lo == 1 && has_hi == 1 && lo == hi && cps != lo)
    S_fail(c, "expected exactly %zu character%s, got %zu", lo, S_plural(lo),
           cps);
  else if (has_lo == 1 && cps < lo)
    S_fail(c, "expected at least %zu character%s, got %zu", lo, S_plural(lo),
           cps);
  else if (has_hi == 1 && cps > hi)
    S_fail(c, "expected at most %zu character%s, got %zu", hi, S_plural(hi),
           cps);
  if (pat && !S_done(c)) {
    int r =
        json_is_string(pat) ? S_regex_match(json_string_value(pat), str) : -1;
    if (r < 0)
      S_fail_schema_value(c, "unsupported pattern", pat);
    else if (r == 0)
      S_fail(c, "expected a string matching %s, got %s",
             S_value_text(a, sizeof a, pat), S_value_text(b, sizeof b, inst));
  }
  if ((c->flags & QUIRE__SCHEMA_FORMAT_ASSERT) && json_is_string(fmt) &&
      strcmp(json_string_value(fmt), "uri") == 0 && !S_uri_ok(str, len))
    S_fail(c, "expected an absolute URI with a scheme, got %s",
           S_value_text(a, sizeof a, inst));
}

static void S_check_array(S_ctx *c, const json_t *s, const json_t *inst,
                          int depth) {
  size_t n = json_array_size(inst), lo = 0, hi = 0, np = 0, i;
  int has_lo = S_count(c, s, "minItems", &lo);
  int has_hi = S_count(c, s, "maxItems", &hi);
  const json_t *prefix = json_object_get(s, "prefixItems");
  const json_t *items = json_object_get(s, "items");
  const char *noun = S_item_noun(s);
  size_t save = c->path_len;
  if (has_lo == 1 && has_hi == 1 && lo == hi && n != lo)
    S_fail(c, "expected exactly %zu %s%s, got %zu", lo, noun, S_plural(lo), n);
  else if (has_lo == 1 && n < lo)
    S_fail(c, "expected at least %zu %s%s, got %zu", lo, noun, S_plural(lo), n);
  else if (has_hi == 1 && n > hi)
    S_fail(c, "expected at most %zu %s%s, got %zu", hi, noun, S_plural(hi), n);
  if (prefix) {
    if (!json_is_array(prefix)) {
      S_fail(c, "schema error: \"prefixItems\" must be an array");
      return;
    }
    np = json_array_size(prefix);
    for (i = 0; i < n && i < np && !S_done(c); i++) {
      S_push_index(c, i);
      S_validate(c, json_array_get(prefix, i), json_array_get(inst, i),
                 depth + 1);
      S_pop(c, save);
    }
  }
  if (!items || n <= np)
    return;
  if (json_is_false(items)) {
    if (!(has_hi == 1 && hi <= np && n > hi))
      S_fail(c, "expected at most %zu %s%s, got %zu", np, noun, S_plural(np),
             n);
    return;
  }
  for (i = np; i < n && !S_done(c); i++) {
    S_push_index(c, i);
    S_validate(c, items, json_array_get(inst, i), depth + 1);
    S_pop(c, save);
  }
}

static void S_check_object(S_ctx *c, const json_t *s, const json_t *inst,
                           int depth) {
  const json_t *req = json_object_get(s, "required");
  const json_t *props = json_object_get(s, "properties");
  const json_t *pprops = json_object_get(s, "patternProperties");
  const json_t *addl = json_object_get(s, "additionalProperties");
  const json_t *names = json_object_get(s, "propertyNames");
  const char *key, *pat;
  json_t *val, *ps;
  size_t i, save = c->path_len;
  if (req) {
    for (i = 0; i < json_array_size(req) && !S_done(c); i++) {
      const char *r = json_string_value(json_array_get(req, i));
      if (!r)
        S_fail(c, "schema error: \"required\" must list strings");
      else if (!json_object_get(inst, r))
        S_fail_key(c, 1, r);
    }
    if (!json_is_array(req))
      S_fail(c, "schema error: \"required\" must be an array");
  }
  if ((props && !json_is_object(props)) ||
      (pprops && !json_is_object(pprops))) {
    S_fail(c, "schema error: \"properties\" and \"patternProperties\" must be "
              "objects");
    return;
  }
  json_object_foreach((json_t *)inst, key, val) {
    int matched = 0;
    if (S_done(c))
      return;
    ps = props ? json_object_get(props, key) : NULL;
    if (ps) {
      matched = 1;
      S_push_key(c, key);
      if (json_is_false(ps))
        S_fail_key(c, 0, key);
      else
        S_validate(c, ps, val, depth + 1);
      S_pop(c, save);
    }
    if (pprops) {
      json_t *pp;
      json_object_foreach((json_t *)pprops, pat, pp) {
        int r = S_regex_match(pat, key);
        if (r < 0) {
          json_t *pj = json_string(pat);
          S_fail_schema_value(c, "unsupported pattern", pj ? pj : json_null());
          json_decref(pj);
          continue;
        }
        if (r == 0 || S_done(c))
          continue;
        matched = 1;
        S_push_key(c, key);
        S_validate(c, pp, val, depth + 1);
        S_pop(c, save);
      }
    }
    if (!matched && addl) {
      S_push_key(c, key);
      if (json_is_false(addl))
        S_fail_key(c, 0, key);
      else
        S_validate(c, addl, val, depth + 1);
      S_pop(c, save);
    }
  }
  if (names && !json_is_true(names)) {
    const char *prefix = c->prefix;
    /* each name is a fresh json_t whose address the next one may reuse */
    c->temp_inst++;
    c->prefix = "invalid key name: ";
    json_object_foreach((json_t *)inst, key, val) {
      json_t *k;
      if (S_done(c))
        break;
      k = json_string(key);
      S_push_key(c, key);
      if (!k)
        S_fail(c, "out of memory");
      else
        S_validate(c, names, k, depth + 1);
      S_pop(c, save);
      json_decref(k);
    }
    c->prefix = prefix;
    c->temp_inst--;
  }
}

/* type, enum and const. Returns 1 after reporting a mismatch. */
static S_NOINLINE int S_check_kind(S_ctx *c, const json_t *s,
                                   const json_t *inst) {
  const json_t *v, *vals[S_MAX_BRANCHES];
  char a[S_VALUE_MAX], b[S_VALUE_MAX];
  size_t i, n;
  int r = 0;
  if ((v = json_object_get(s, "type"))) {
    const char *names[S_MAX_TYPES];
    r = S_type_accepts(v, inst);
    if (r < 0) {
      S_fail_schema_value(c, "unknown type", v);
      return 1;
    }
    if (r == 0) {
      S_fail_types(c, names, S_add_types(names, 0, v), inst);
      return 1;
    }
  }
  if ((v = json_object_get(s, "enum"))) {
    if (!json_is_array(v)) {
      S_fail(c, "schema error: \"enum\" must be an array");
      return 1;
    }
    n = json_array_size(v);
    for (i = 0, r = 0; i < n && r == 0; i++)
      r = S_equal(json_array_get(v, i), inst, 0);
    if (r < 0) {
      S_fail(c, "nesting too deep");
      return 1;
    }
    if (r == 0) {
      for (i = 0; i < n && i < S_MAX_BRANCHES; i++)
        vals[i] = json_array_get(v, i);
      S_fail_one_of(c, vals, i, n, inst);
      return 1;
    }
  }
  if ((v = json_object_get(s, "const"))) {
    r = S_equal(v, inst, 0);
    if (r < 0) {
      S_fail(c, "nesting too deep");
      return 1;
    }
    if (r == 0) {
      S_fail(c, "expected %s, got %s", S_value_text(a, sizeof a, v),
             S_value_text(b, sizeof b, inst));
      return 1;
    }
  }
  return 0;
}

/* ---- the walk ----------------------------------------------------------- */

static void S_validate(S_ctx *c, const json_t *s, const json_t *inst,
                       int depth) {
  const json_t *v;
  size_t i;
  if (++c->steps > S_MAX_STEPS) {
    c->exhausted = 1;
    return;
  }
  if (depth > QUIRE__SCHEMA_MAX_DEPTH) {
    S_fail(c, "nesting too deep");
    return;
  }
  if (json_is_true(s))
    return;
  if (json_is_false(s)) {
    S_fail(c, "no value is allowed here");
    return;
  }
  if (!json_is_object(s)) {
    S_fail(c, "schema error: a schema must be an object or a boolean");
    return;
  }
  if ((v = json_object_get(s, "$ref"))) {
    const json_t *target =
        json_is_string(v) ? S_resolve(c->root, json_string_value(v)) : NULL;
    if (!target) {
      S_fail_schema_value(c, "cannot resolve $ref", v);
      return;
    }
    S_validate(c, target, inst, depth + 1);
    if (S_done(c))
      return;
  }
  if (S_check_kind(c, s, inst))
    return; /* the other keywords would only repeat the mismatch */
  if (json_is_number(inst))
    S_check_number(c, s, inst);
  else if (json_is_string(inst))
    S_check_string(c, s, inst);
  else if (json_is_array(inst))
    S_check_array(c, s, inst, depth);
  else if (json_is_object(inst))
    S_check_object(c, s, inst, depth);
  if (S_done(c))
    return;
  if ((v = json_object_get(s, "allOf"))) {
    if (!json_is_array(v) || json_array_size(v) == 0)
      S_fail(c, "schema error: \"allOf\" must be a non-empty array");
    for (i = 0; i < json_array_size(v) && !S_done(c); i++)
      S_validate(c, json_array_get(v, i), inst, depth + 1);
  }
  if ((v = json_object_get(s, "anyOf")) && !S_done(c))
    S_check_branches(c, v, inst, depth, 0);
  if ((v = json_object_get(s, "oneOf")) && !S_done(c))
    S_check_branches(c, v, inst, depth, 1);
  if ((v = json_object_get(s, "not")) && !S_done(c) &&
      S_trial(c, v, inst, depth + 1, 1) == 0)
    S_fail(c, "matches a shape that is not allowed");
}

int quire__schema_validate(const json_t *schema, const json_t *instance,
                           const char *root_path, unsigned flags,
                           size_t max_errors, quire__schema_error_fn cb,
                           void *payload) {
  S_ctx c;
  size_t n;
  memset(&c, 0, sizeof c);
  c.root = schema;
  c.flags = flags;
  c.cb = cb;
  c.payload = payload;
  c.max_errors = max_errors ? max_errors : 1;
  if (!root_path)
    root_path = "$";
  n = strlen(root_path);
  if (n > QUIRE__SCHEMA_PATH_MAX)
    n = QUIRE__SCHEMA_PATH_MAX;
  memcpy(c.path, root_path, n);
  c.path[n] = '\0';
  c.path_len = n;
  if (!schema || !instance) {
    S_fail(&c, "schema error: no schema or no instance");
    return (int)c.reported;
  }
  S_validate(&c, schema, instance, 0);
  if (c.exhausted) {
    /* a trial may have ended early and looked valid: never pass then */
    c.exhausted = 0;
    c.trial = 0;
    c.path_cut = 0;
    c.path_len = n;
    c.path[n] = '\0';
    if (c.reported == 0)
      S_fail(&c, "validation stopped: the schema branches too much for this "
                 "value");
  }
  return c.reported > INT_MAX ? INT_MAX : (int)c.reported;
}
