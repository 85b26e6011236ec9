/* Blocks under the block cap, Markdown members, and JSON kept as data
 * (facts and unknown blocks). */
#include "decode/decoder.h"
#include "decode/markdown.h"

#include "core/values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Facts kept per document: a report of 10^5 metrics is not a report. */
#define S_MAX_FACTS 2000
/* Object levels flattened into dotted fact names. */
#define S_MAX_FACT_DEPTH 4

quire_node *quire__dec_node(quire__dec *d, quire_node *parent,
                            quire_node_kind kind) {
  quire_doc *doc = d->doc;
  if (doc->nblocks >= doc->max_blocks) {
    if (!d->too_many) {
      d->too_many = 1;
      quire__dec_warn(d, "more than the block limit; the rest is not shown");
    }
    return NULL;
  }
  quire_node *n = quire__node_new(doc, kind, d->path.buf);
  if (!n) {
    d->oom = 1;
    return NULL;
  }
  doc->nblocks++;
  quire__node_append(parent, n);
  return n;
}

void quire__dec_markdown(quire__dec *d, quire_node *parent, const char *text) {
  if (!text)
    return;
  if (quire__markdown_append(d->doc, parent, text, strlen(text), d->path.buf,
                             d->max_markdown) != 0)
    d->oom = 1;
}

void quire__dec_markdown_member(quire__dec *d, quire_node *parent,
                                const json_t *obj, const char *key) {
  const char *text = quire__dec_str(d, obj, key);
  if (!text)
    return;
  size_t old = quire__dec_push_key(d, key);
  quire__dec_markdown(d, parent, text);
  quire__dec_pop(d, old);
}

/* Reals print with 15 significant digits unless the caller asks otherwise:
 * every decimal of up to 15 digits survives the trip through a double, so
 * a report's "0.78" reads back as 0.78, where jansson's default of 17 shows
 * 0.78000000000000003 to a client. */
static char *S_json_text(const json_t *v, size_t flags) {
  if (!(flags & JSON_REAL_PRECISION(31)))
    flags |= JSON_REAL_PRECISION(15);
  return json_dumps(v, flags | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER);
}

void quire__dec_unknown(quire__dec *d, quire_node *parent, const json_t *v,
                        const char *type) {
  quire_node *n = quire__dec_node(d, parent, QUIRE_NODE_UNKNOWN);
  if (!n)
    return;
  quire__dec_check_values(d, v, NULL, 0); /* shown as key/value rows */
  char *text = S_json_text(v, JSON_INDENT(2));
  if (!text) {
    d->oom = 1;
    return;
  }
  n->literal = quire__dec_dup(d, text, strlen(text));
  free(text);
  n->info = type ? quire__dec_dup(d, type, strlen(type)) : NULL;
}

#define S_MAX_CHECK_DEPTH 16 /* as deep as any value is shown */

static void S_check(quire__dec *d, const json_t *v, const char *key, int scores,
                    int depth) {
  if (depth > S_MAX_CHECK_DEPTH)
    return;
  scores = scores || quire__is_score_name(key);
  if (json_is_object(v)) {
    const char *k;
    json_t *x;
    json_object_foreach((json_t *)v, k, x) {
      size_t old = quire__dec_push_key(d, k);
      S_check(d, x, k, scores, depth + 1);
      quire__dec_pop(d, old);
    }
    return;
  }
  if (json_is_array(v)) {
    for (size_t i = 0; i < json_array_size(v); i++) {
      size_t old = quire__dec_push_index(d, i);
      S_check(d, json_array_get(v, i), key, scores, depth + 1);
      quire__dec_pop(d, old);
    }
    return;
  }
  if (!json_is_number(v) || !key)
    return;
  double x = json_number_value(v);
  size_t cut;
  quire__num_kind kind = quire__num_kind_of(key, &cut);
  if ((kind == QUIRE__NUM_MS || kind == QUIRE__NUM_SEC) && x < 0)
    quire__dec_warn(d, "a duration of %g is negative; shown as given", x);
  else if (quire__is_ratio_name(key) && (x < 0 || x > 1))
    quire__dec_warn(d, "a ratio of %g is outside 0-1; shown as given", x);
  else if (scores && json_is_real(v) && quire__score_place(x, 0) < 0)
    quire__dec_warn(d,
                    "a score of %g is outside 0-1; shown as given, "
                    "without a bar",
                    x);
  else if (scores && json_is_integer(v) && quire__score_place(x, 1) < 0)
    quire__dec_warn(d,
                    "a score of %g is outside 0-100; shown as given, "
                    "without a bar",
                    x);
}

void quire__dec_check_values(quire__dec *d, const json_t *v, const char *key,
                             int scores) {
  S_check(d, v, key, scores, 0);
}

/* An array as one fact value: its members joined with ", ". */
static char *S_joined(const json_t *v) {
  quire_buf b = QUIRE_BUF_INIT;
  for (size_t i = 0; i < json_array_size(v); i++) {
    const json_t *x = json_array_get(v, i);
    if (i)
      quire_buf_puts(&b, ", ");
    if (json_is_string(x)) {
      quire_buf_puts(&b, json_string_value(x));
    } else {
      char *t = S_json_text(x, JSON_COMPACT);
      if (t)
        quire_buf_puts(&b, t);
      free(t);
    }
  }
  return quire_buf_detach(&b, NULL);
}

void quire__dec_fact(quire__dec *d, quire_fact_group g, const char *name,
                     const json_t *v, int depth) {
  if (d->oom || d->doc->nfacts > S_MAX_FACTS)
    return;
  if (json_is_object(v) && depth < S_MAX_FACT_DEPTH) {
    const char *k;
    json_t *x;
    json_object_foreach((json_t *)v, k, x) {
      char sub[256];
      snprintf(sub, sizeof sub, "%s%s%s", name, *name ? "." : "", k);
      quire__dec_fact(d, g, sub, x, depth + 1);
    }
    return;
  }
  char *text = NULL;
  if (json_is_string(v)) {
    if (json_string_length(v) == 0)
      return;
    text = quire__strdup(json_string_value(v));
  } else if (json_is_array(v) && depth < S_MAX_FACT_DEPTH) {
    text = S_joined(v);
  } else {
    text = S_json_text(v, JSON_COMPACT | JSON_REAL_PRECISION(10));
  }
  if (!text) {
    d->oom = 1;
    return;
  }
  if (quire__doc_fact(d->doc, g, name, text) != 0)
    d->oom = 1;
  free(text);
}
