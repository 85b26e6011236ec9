/* lib/decode/json_fast.c against jansson (issue 15): whatever the fast
 * loader takes, json_loadb takes too and builds the same tree (same values,
 * same key order); what it leaves is jansson's to judge. Checked on the
 * samples, on hand-picked edge cases, and on thousands of mutations of the
 * samples (a fixed seed, so a failure repeats). */
#include "decode/json_budget.h"
#include "decode/json_fast.h"
#include "harness.h"
#include "quire.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define S_FLAGS (JSON_REJECT_DUPLICATES | JSON_DECODE_ANY)

static char *S_slurp(const char *path, size_t *len) {
  FILE *fp = fopen(path, "rb");
  if (!fp)
    return NULL;
  fseek(fp, 0, SEEK_END);
  long n = ftell(fp);
  rewind(fp);
  char *d = malloc((size_t)n + 1);
  if (d && fread(d, 1, (size_t)n, fp) != (size_t)n) {
    free(d);
    d = NULL;
  }
  fclose(fp);
  *len = (size_t)n;
  return d;
}

static char *S_dump(const json_t *v) {
  return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
}

/* 1 fast took it, 0 it did not, -1 it took what jansson does not, or built
 * another tree; also -1 when jansson takes it and the fast loader does not
 * (every text here is shallow, so the fast loader has no excuse). */
static int S_diff(const char *s, size_t n) {
  json_t *fast = quire__json_fast(s, n, UINT64_MAX, NULL);
  json_t *ref = json_loadb(s, n, S_FLAGS, NULL);
  int rc;
  if (!fast) {
    rc = ref ? -1 : 0;
  } else if (!ref) {
    rc = -1;
  } else {
    char *a = S_dump(fast), *b = S_dump(ref);
    rc = a && b && strcmp(a, b) == 0 ? 1 : -1;
    free(a);
    free(b);
  }
  json_decref(fast);
  json_decref(ref);
  return rc;
}

static void S_take(const char *s) {
  int rc = S_diff(s, strlen(s));
  T_CHECK(rc == 1, "fast loader should take %s (got %d)", s, rc);
}

static void S_leave(const char *s) {
  int rc = S_diff(s, strlen(s));
  T_CHECK(rc == 0, "fast loader and jansson should both refuse %s (got %d)", s,
          rc);
}

static void S_edges(void) {
  S_take("{}");
  S_take("[]");
  S_take(" \t\r\n{ \"a\" : [ 1 , 2 ] }\n ");
  S_take("\"top-level string\"");
  S_take("42");
  S_take("true");
  S_take("null");
  S_take("{\"a\":true,\"b\":false,\"c\":null,\"d\":[[],{}]}");
  S_take("[0,-0,7,-12,9223372036854775807,-9223372036854775808]");
  S_take("[1.5,-2.5e-3,1E10,0.0,-0.0,1e-400,6.02214076e23]");
  S_take("[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]");
  S_take("[\"\\u00e9\\u00C9\\u4e2d\\ud83d\\ude00 tail\"]");
  S_take("{\"k\\u00e9y\":1,\"k\\ny\":{\"x\\ty\":2},\"plain\":3}");
  S_take("[\"caf\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80 \xef\xbf\xbf\"]");
  S_take("{\"b\":1,\"a\":2,\"c\":{\"z\":1,\"y\":2}}"); /* order kept */
  S_take("{\"\":\"empty key\"}");

  S_leave("");
  S_leave("{\"a\":1,\"a\":2}");      /* duplicate key */
  S_leave("{\"a\\u0000\":1}");       /* NUL in a key */
  S_leave("[\"a\\u0000b\"]");        /* NUL in a string */
  S_leave("[\"\\ud83d\"]");          /* lone high surrogate */
  S_leave("[\"\\ud83d\\u0041\"]");   /* high, then not low */
  S_leave("[\"\\ude00\"]");          /* lone low surrogate */
  S_leave("[\"\\x\"]");              /* unknown escape */
  S_leave("[\"\\u12\"]");            /* short \u */
  S_leave("[\"\xc0\x80\"]");         /* overlong */
  S_leave("[\"\xed\xa0\x80\"]");     /* UTF-8 surrogate */
  S_leave("[\"\xf4\x90\x80\x80\"]"); /* over U+10FFFF */
  S_leave("[\"\xe4\xb8\"]");         /* truncated */
  S_leave("[\"\x80\"]");             /* a lone continuation byte */
  S_leave("[\"tab\there\"]");        /* a raw control character */
  S_leave("[01]");                   /* leading zero */
  S_leave("[-]");
  S_leave("[1.]");
  S_leave("[.5]");
  S_leave("[1e]");
  S_leave("[+1]");
  S_leave("[9223372036854775808]"); /* over int64 */
  S_leave("[-9223372036854775809]");
  S_leave("[1e400]"); /* real overflow */
  S_leave("[1,]");
  S_leave("{\"a\":1,}");
  S_leave("{\"a\" 1}");
  S_leave("{1:2}");
  S_leave("[1] x");
  S_leave("[tru]");
  S_leave("[\"unterminated");
  S_leave("{\"a\":[1,2}");

  /* Deeper than the fast loader goes: jansson's answer (no tree here). */
  char deep[1300];
  for (int i = 0; i < 600; i++)
    deep[i] = '[';
  for (int i = 0; i < 600; i++)
    deep[600 + i] = ']';
  deep[1200] = '\0';
  json_t *f = quire__json_fast(deep, 1200, UINT64_MAX, NULL);
  T_OK(f == NULL);
  json_decref(f);
}

static uint32_t S_rng = 12345;
static uint32_t S_next(void) {
  S_rng = S_rng * 1103515245u + 12345u;
  return S_rng >> 8;
}

/* Random damage to a valid report: a byte replaced by one that matters to
 * a JSON lexer, deleted or doubled. */
static void S_mutations(const char *path, int rounds) {
  size_t n;
  char *src = S_slurp(path, &n);
  T_CHECK(src != NULL, "cannot read %s", path);
  if (!src)
    return;
  T_CHECK(S_diff(src, n) == 1, "fast loader should take %s", path);
  static const char pick[] = "\"\\{}[],:0-9e.+ u\x01\x80\xc3\xed\xf4tn";
  char *buf = malloc(n + 8);
  int bad = 0, took = 0;
  for (int r = 0; r < rounds && buf; r++) {
    memcpy(buf, src, n);
    size_t m = n;
    for (int k = 0, edits = 1 + (int)(S_next() % 3); k < edits; k++) {
      size_t at = S_next() % m;
      uint32_t how = S_next() % 4;
      if (how == 0 && m > 1) {
        memmove(buf + at, buf + at + 1, m - at - 1);
        m--;
      } else if (how == 1) {
        memmove(buf + at + 1, buf + at, m - at);
        m++;
      } else {
        buf[at] = pick[S_next() % (sizeof pick - 1)];
      }
    }
    int rc = S_diff(buf, m);
    if (rc < 0 && bad++ < 3)
      T_CHECK(0, "%s, mutation %d: the fast loader and jansson differ", path,
              r);
    took += rc == 1;
  }
  T_CHECK(bad == 0, "%s: %d mutations differ", path, bad);
  T_OK(took > 0); /* some damage leaves valid JSON: those were compared */
  free(buf);
  free(src);
}

/* The fast loader counts what quire__json_estimate counts, and stops at
 * the limit it is given: decoding a text up to 1 MiB skips the separate
 * estimate, and still refuses what the estimate refuses, with the same
 * message. */
static void S_count(const char *path) {
  size_t n;
  char *src = S_slurp(path, &n);
  if (!src)
    return;
  quire__json_cost cost;
  quire__json_estimate(src, n, &cost);
  uint64_t got = 0;
  json_t *v = quire__json_fast(src, n, UINT64_MAX, &got);
  T_CHECK(v && got == cost.bytes, "%s: counted %llu, estimated %llu", path,
          (unsigned long long)got, (unsigned long long)cost.bytes);
  json_decref(v);
  v = quire__json_fast(src, n, cost.bytes - 1, NULL);
  T_OK(v == NULL); /* one byte under: stopped */
  json_decref(v);
  v = quire__json_fast(src, n, cost.bytes, NULL);
  T_OK(v != NULL); /* at the limit: taken */
  json_decref(v);
  free(src);
}

static void S_too_many(void) {
  /* 200 KB of {} in sections: about 15 MiB of tree against a limit of 7
   * (the same message as before the fast loader). */
  quire_buf b = QUIRE_BUF_INIT;
  quire_buf_puts(&b, "{\"id\":\"x\",\"sections\":[{}");
  while (b.size < 200000)
    quire_buf_puts(&b, ",{}");
  quire_buf_puts(&b, "]}");
  quire_doc *doc = NULL;
  quire_error err;
  quire_error_clear(&err);
  T_INT_EQ(quire_doc_parse(&doc, b.ptr, b.size, NULL, &err), QUIRE_ETOOBIG);
  T_OK(strstr(err.message,
              "too many JSON values: 66665 values would take "
              "about 15 MiB to decode, over the limit of 7 MiB") != NULL);
  quire_doc_free(doc);
  quire_buf_dispose(&b);
}

/* Strings are skipped eight bytes at a time: every byte that ends or
 * spoils a plain run (quote, backslash escape, control, UTF-8 good and
 * bad, DEL) at every offset of a 24-byte string, so each lands at every
 * place in a word and in the byte-by-byte tail. */
static void S_word_edges(void) {
  static const char *const odd[] = {"\\\"",         "\\\\", "\\n",  "\\u00e9",
                                    "\x01",         "\x1f", "\x7f", "\xc3\xa9",
                                    "\xe2\x82\xac", "\xff", "\xc3", "\x80"};
  int all = 1;
  for (size_t k = 0; k < sizeof odd / sizeof odd[0]; k++) {
    for (size_t at = 0; at <= 24; at++) {
      char text[64];
      size_t n = 0;
      text[n++] = '"';
      for (size_t i = 0; i < 24; i++) {
        if (i == at) {
          memcpy(text + n, odd[k], strlen(odd[k]));
          n += strlen(odd[k]);
        }
        text[n++] = (char)('a' + i % 26);
      }
      text[n++] = '"';
      int rc = S_diff(text, n);
      if (rc < 0) {
        all = 0;
        printf("# byte class %zu at %zu: fast and jansson differ\n", k, at);
      }
    }
  }
  T_CHECK(all, "a string's odd byte changed the fast loader's answer");
  S_take("\"abcdefgh\"");
  S_take("\"abcdefg\\\"\"");
  S_take("\"0123456789abcdef0123456\\\\\"");
}

int main(void) {
  S_edges();
  S_word_edges();
  S_too_many();
  static const char *const samples[] = {
      "samples/v2/sales_playbook.json",   "samples/v2/general_report.json",
      "samples/intl/multiscript.json",    "samples/legacy/all_blocks.json",
      "samples/matching/matching.json",   "samples/node-era/pdf_type.json",
      "samples/normalized/sdk_dump.json", "samples/long/sixty_sections.json",
      "samples/legacy/markdown_only.json"};
  for (size_t i = 0; i < sizeof samples / sizeof *samples; i++) {
    S_count(samples[i]);
    S_mutations(samples[i], 800);
  }
  return T_done("json_fast");
}
