/* Report JSON -> document model, for every generation of the report. */
#include "core/embedded.h"
#include "decode/markdown.h"
#include "decode/schema.h"
#include "model/model.h"
#include "safety/url_policy.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Phrases kept from one traits section (the contract says 3). */
#define S_MAX_PHRASES 32

/* A JSON path being built while walking ("$.json.sections[2].items"). */
typedef struct {
  char buf[512];
  size_t len;
} S_path;

typedef struct {
  quire_doc *doc;
  const quire_parse_options *opts;
  size_t max_markdown;
  S_path path;
  int oom;
  int too_many;
} S_dec;

static size_t S_push_key(S_path *p, const char *key) {
  size_t old = p->len;
  int ident = (key[0] >= 'a' && key[0] <= 'z') ||
              (key[0] >= 'A' && key[0] <= 'Z') || key[0] == '_';
  for (const char *k = key; *k && ident; k++)
    ident = (*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') ||
            (*k >= '0' && *k <= '9') || *k == '_';
  int n = ident ? snprintf(p->buf + p->len, sizeof p->buf - p->len, ".%s", key)
                : snprintf(p->buf + p->len, sizeof p->buf - p->len,
                           "[\"%.64s\"]", key);
  if (n > 0)
    p->len = p->len + (size_t)n < sizeof p->buf ? p->len + (size_t)n
                                                : sizeof p->buf - 1;
  return old;
}

static size_t S_push_index(S_path *p, size_t i) {
  size_t old = p->len;
  int n = snprintf(p->buf + p->len, sizeof p->buf - p->len, "[%zu]", i);
  if (n > 0)
    p->len = p->len + (size_t)n < sizeof p->buf ? p->len + (size_t)n
                                                : sizeof p->buf - 1;
  return old;
}

static void S_pop(S_path *p, size_t old) {
  p->len = old;
  p->buf[old] = '\0';
}

static const char *S_type_name(const json_t *v) {
  switch (json_typeof(v)) {
  case JSON_OBJECT: return "an object";
  case JSON_ARRAY: return "an array";
  case JSON_STRING: return "a string";
  case JSON_INTEGER: return "an integer";
  case JSON_REAL: return "a number";
  case JSON_TRUE:
  case JSON_FALSE: return "a boolean";
  case JSON_NULL: return "null";
  }
  return "a value";
}

static void S_warn(S_dec *d, const char *fmt, ...) QUIRE__PRINTF(2, 3);
static void S_warn(S_dec *d, const char *fmt, ...) {
  char msg[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (quire__doc_warn(d->doc, d->path.buf, "%s", msg) != 0)
    d->oom = 1;
}

static const char *S_dup(S_dec *d, const char *s, size_t len) {
  const char *r = quire__arena_strndup(&d->doc->arena, s, len);
  if (!r)
    d->oom = 1;
  return r;
}

/* A string member: NULL when absent, null, empty or whitespace-only (as the
 * Rust SDK does). A wrong type is a warning, not a failure. */
static const char *S_str(S_dec *d, const json_t *obj, const char *key) {
  const json_t *v = json_object_get(obj, key);
  if (!v || json_is_null(v))
    return NULL;
  if (!json_is_string(v)) {
    size_t old = S_push_key(&d->path, key);
    S_warn(d, "expected a string, got %s; ignored", S_type_name(v));
    S_pop(&d->path, old);
    return NULL;
  }
  const char *s = json_string_value(v);
  size_t len = json_string_length(v);
  size_t i = 0;
  while (i < len &&
         (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
    i++;
  if (i == len)
    return NULL;
  return S_dup(d, s, len);
}

/* Keys each object kind knows; anything else is reported (and, at the top
 * level, kept as an "extra" fact). */
static int S_in_list(const char *key, const char *const *list) {
  for (; *list; list++)
    if (strcmp(key, *list) == 0)
      return 1;
  return 0;
}

static void S_check_keys(S_dec *d, const json_t *obj, const char *const *known,
                         const char *what) {
  const char *key;
  json_t *v;
  json_object_foreach((json_t *)obj, key, v) {
    if (!S_in_list(key, known)) {
      size_t old = S_push_key(&d->path, key);
      S_warn(d, "unknown key in %s; kept but not rendered", what);
      S_pop(&d->path, old);
    }
  }
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

/* ---- blocks --------------------------------------------------------- */

static quire_node *S_node(S_dec *d, quire_node *parent, quire_node_kind kind) {
  if (d->doc->nblocks >= d->doc->max_blocks) {
    if (!d->too_many) {
      d->too_many = 1;
      S_warn(d, "more than the block limit; the rest is not shown");
    }
    return NULL;
  }
  quire_node *n = quire__node_new(d->doc, kind, d->path.buf);
  if (!n) {
    d->oom = 1;
    return NULL;
  }
  d->doc->nblocks++;
  quire__node_append(parent, n);
  return n;
}

static void S_markdown(S_dec *d, quire_node *parent, const char *text) {
  if (!text)
    return;
  if (quire__markdown_append(d->doc, parent, text, strlen(text), d->path.buf,
                             d->max_markdown) != 0)
    d->oom = 1;
}

/* A markdown-carrying member under its own path. */
static void S_markdown_member(S_dec *d, quire_node *parent, const json_t *obj,
                              const char *key) {
  const char *text = S_str(d, obj, key);
  if (!text)
    return;
  size_t old = S_push_key(&d->path, key);
  S_markdown(d, parent, text);
  S_pop(&d->path, old);
}

static void S_unknown(S_dec *d, quire_node *parent, const json_t *v,
                      const char *type) {
  quire_node *n = S_node(d, parent, QUIRE_NODE_UNKNOWN);
  if (!n)
    return;
  char *text = S_json_text(v, JSON_INDENT(2));
  if (!text) {
    d->oom = 1;
    return;
  }
  n->literal = S_dup(d, text, strlen(text));
  free(text);
  n->info = type ? S_dup(d, type, strlen(type)) : NULL;
}

/* Friendly titles for v2 keys, used only when a section has no title. */
static const char *S_key_title(const char *key) {
  static const char *const map[][2] = {
      {"how_they_think", "How they think"},
      {"how_they_operate", "How they operate"},
      {"what_drives_them", "What drives them"},
      {"how_they_connect", "How they connect"},
      {"how_they_handle_feedback", "How they handle feedback"},
      {"pressure_response", "Under pressure"},
      {"bottom_line", "Bottom line"},
      {"what_drives_a_yes", "What drives a yes"},
      {"how_to_build_rapport_fast", "How to build rapport fast"},
      {"buying_tendencies", "Buying tendencies"},
      {"how_they_handle_pushback_and_objections",
       "How they handle pushback and objections"},
      {"how_they_deal_when_a_deal_gets_sticky", "When a deal gets sticky"},
      {"dominating_traits", "Dominating traits"},
      {"how_to_get_their_best", "How to get their best"},
      {"how_to_handle_the_hard_parts", "How to handle the hard parts"},
      {"how_to_close", "How to close"},
      {"how_to_follow_up", "How to follow up"},
  };
  if (!key)
    return NULL;
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
    if (strcmp(key, map[i][0]) == 0)
      return map[i][1];
  return NULL;
}

static void S_v2_title(S_dec *d, quire_node *n, const json_t *sec) {
  n->key = S_str(d, sec, "key");
  n->title = S_str(d, sec, "title");
  if (!n->title)
    n->title = S_key_title(n->key);
  if (!n->title && n->key) {
    /* "some_new_key" -> "Some new key" */
    size_t len = strlen(n->key);
    char *t = quire__arena_strndup(&d->doc->arena, n->key, len);
    if (!t) {
      d->oom = 1;
      return;
    }
    for (char *p = t; *p; p++)
      if (*p == '_')
        *p = ' ';
    if (t[0] >= 'a' && t[0] <= 'z')
      t[0] = (char)(t[0] - 'a' + 'A');
    n->title = t;
  }
}

static void S_v2_section(S_dec *d, quire_node *parent, const json_t *sec) {
  static const char *const para_keys[] = {"kind", "key", "title", "body", NULL};
  static const char *const traits_keys[] = {"kind", "key",     "title",
                                            "body", "phrases", NULL};
  static const char *const actions_keys[] = {"kind", "key", "title", "items",
                                             NULL};
  static const char *const item_keys[] = {"title", "context", NULL};
  if (!json_is_object(sec)) {
    S_warn(d, "expected a section object, got %s; shown as data",
           S_type_name(sec));
    S_unknown(d, parent, sec, NULL);
    return;
  }
  const char *kind = S_str(d, sec, "kind");
  if (!kind)
    kind = S_str(d, sec, "type");
  if (kind && strcmp(kind, "paragraph") == 0) {
    quire_node *n = S_node(d, parent, QUIRE_NODE_PARAGRAPH);
    if (!n)
      return;
    S_check_keys(d, sec, para_keys, "a paragraph section");
    S_v2_title(d, n, sec);
    S_markdown_member(d, n, sec, "body");
  } else if (kind && strcmp(kind, "traits") == 0) {
    quire_node *n = S_node(d, parent, QUIRE_NODE_TRAITS);
    if (!n)
      return;
    S_check_keys(d, sec, traits_keys, "a traits section");
    S_v2_title(d, n, sec);
    S_markdown_member(d, n, sec, "body");
    const json_t *ph = json_object_get(sec, "phrases");
    size_t old = S_push_key(&d->path, "phrases");
    if (json_is_array(ph)) {
      /* The contract says three; a few more are shown, as the tolerant
       * decoder shows what is there, but not 200,000 chips (each is laid
       * out on its own: the robustness run took 20 s in either engine). */
      size_t total = json_array_size(ph);
      size_t cnt = total > S_MAX_PHRASES ? S_MAX_PHRASES : total;
      n->phrases =
          quire__arena_alloc(&d->doc->arena, (cnt ? cnt : 1) * sizeof(char *));
      if (!n->phrases) {
        d->oom = 1;
        S_pop(&d->path, old);
        return;
      }
      for (size_t i = 0; i < cnt; i++) {
        const json_t *p = json_array_get(ph, i);
        if (json_is_string(p) && json_string_length(p) > 0)
          n->phrases[n->nphrases++] =
              S_dup(d, json_string_value(p), json_string_length(p));
        else {
          size_t o2 = S_push_index(&d->path, i);
          S_warn(d, "expected a non-empty string phrase, got %s; skipped",
                 json_is_string(p) ? "an empty string" : S_type_name(p));
          S_pop(&d->path, o2);
        }
      }
      if (total > cnt)
        S_warn(d, "expected exactly 3 phrases, got %zu; the first %d are kept",
               total, S_MAX_PHRASES);
      else if (n->nphrases != 3) {
        char got[32];
        snprintf(got, sizeof got, "%zu", n->nphrases);
        S_warn(d, "expected exactly 3 phrases, got %s", got);
      }
    } else {
      S_warn(d, "expected an array of 3 phrases, got %s",
             ph ? S_type_name(ph) : "nothing");
    }
    S_pop(&d->path, old);
  } else if (kind && strcmp(kind, "actions") == 0) {
    quire_node *n = S_node(d, parent, QUIRE_NODE_ACTIONS);
    if (!n)
      return;
    S_check_keys(d, sec, actions_keys, "an actions section");
    S_v2_title(d, n, sec);
    const json_t *items = json_object_get(sec, "items");
    size_t old = S_push_key(&d->path, "items");
    if (!json_is_array(items) || json_array_size(items) == 0)
      S_warn(d, "expected at least 1 action item, got %s",
             json_is_array(items) ? "0"
             : items              ? S_type_name(items)
                                  : "none");
    for (size_t i = 0; json_is_array(items) && i < json_array_size(items);
         i++) {
      const json_t *it = json_array_get(items, i);
      size_t o2 = S_push_index(&d->path, i);
      if (!json_is_object(it)) {
        S_warn(d, "expected an action object, got %s; shown as data",
               S_type_name(it));
        S_unknown(d, n, it, NULL);
      } else {
        quire_node *a = S_node(d, n, QUIRE_NODE_ACTION);
        if (a) {
          S_check_keys(d, it, item_keys, "an action item");
          a->title = S_str(d, it, "title");
          S_markdown_member(d, a, it, "context");
        }
      }
      S_pop(&d->path, o2);
    }
    S_pop(&d->path, old);
  } else {
    if (kind)
      S_warn(d, "unknown section kind \"%s\"; shown as data", kind);
    else
      S_warn(d, "section has no kind; shown as data");
    S_unknown(d, parent, sec, kind);
  }
}

static void S_card(S_dec *d, quire_node *parent, const json_t *b) {
  static const char *const keys[] = {"type", "icon", "title", "content", NULL};
  quire_node *n = S_node(d, parent, QUIRE_NODE_CARD);
  if (!n)
    return;
  S_check_keys(d, b, keys, "a card");
  n->icon = S_str(d, b, "icon");
  n->title = S_str(d, b, "title");
  S_markdown_member(d, n, b, "content");
}

static void S_legacy_block(S_dec *d, quire_node *parent, const json_t *b) {
  static const char *const text_keys[] = {"type", "title", "content", NULL};
  static const char *const grid_keys[] = {"type", "columns", "items", NULL};
  static const char *const ill_keys[] = {"type", "variant", NULL};
  if (json_is_string(b)) {
    /* A bare string where a block should be: show it as text. */
    quire_node *n = S_node(d, parent, QUIRE_NODE_TEXT);
    if (n)
      S_markdown(d, n, json_string_value(b));
    return;
  }
  const char *type = json_is_object(b) ? S_str(d, b, "type") : NULL;
  /* The contract's last section_content branch is `{}`: any JSON is a
   * valid legacy section, so an unknown shape is shown as data without a
   * warning (which --strict would turn into an error). */
  if (!type) {
    if (!json_is_null(b))
      S_unknown(d, parent, b, NULL);
    return;
  }
  if (strcmp(type, "card") == 0) {
    S_card(d, parent, b);
  } else if (strcmp(type, "text") == 0) {
    quire_node *n = S_node(d, parent, QUIRE_NODE_TEXT);
    if (!n)
      return;
    S_check_keys(d, b, text_keys, "a text block");
    n->title = S_str(d, b, "title");
    S_markdown_member(d, n, b, "content");
  } else if (strcmp(type, "grid") == 0) {
    quire_node *n = S_node(d, parent, QUIRE_NODE_GRID);
    if (!n)
      return;
    S_check_keys(d, b, grid_keys, "a grid");
    const json_t *cols = json_object_get(b, "columns");
    double c = json_is_number(cols) ? json_number_value(cols) : 0;
    if (c != 2 && c != 3 && c != 4) {
      size_t old = S_push_key(&d->path, "columns");
      S_warn(d, "expected 2, 3 or 4 columns; using %s", "2");
      S_pop(&d->path, old);
      c = isfinite(c) && c > 4 ? 4 : 2;
    }
    n->level = (int)c;
    const json_t *items = json_object_get(b, "items");
    size_t old = S_push_key(&d->path, "items");
    if (!json_is_array(items))
      S_warn(d, "expected an array of cards, got %s",
             items ? S_type_name(items) : "nothing");
    for (size_t i = 0; json_is_array(items) && i < json_array_size(items);
         i++) {
      const json_t *it = json_array_get(items, i);
      size_t o2 = S_push_index(&d->path, i);
      const char *t = json_is_object(it) ? S_str(d, it, "type") : NULL;
      if (json_is_object(it) && (!t || strcmp(t, "card") == 0)) {
        if (!t)
          S_warn(d, "grid item has no type; read as a card");
        S_card(d, n, it);
      } else {
        S_warn(d, "expected a card in a grid; shown as data");
        S_unknown(d, n, it, t);
      }
      S_pop(&d->path, o2);
    }
    S_pop(&d->path, old);
  } else if (strcmp(type, "illustration") == 0) {
    quire_node *n = S_node(d, parent, QUIRE_NODE_ILLUSTRATION);
    if (!n)
      return;
    S_check_keys(d, b, ill_keys, "an illustration");
    const char *v = S_str(d, b, "variant");
    n->flag = QUIRE_ILLUSTRATION_UNKNOWN;
    for (int i = QUIRE_ILLUSTRATION_CONVERSATION;
         i <= QUIRE_ILLUSTRATION_ANALYSIS; i++)
      if (v && strcmp(v, quire_illustration_name((quire_illustration)i)) == 0)
        n->flag = i;
    n->info = v;
    if (n->flag == QUIRE_ILLUSTRATION_UNKNOWN) {
      size_t old = S_push_key(&d->path, "variant");
      S_warn(d, "unknown illustration variant \"%s\"; a neutral one is drawn",
             v ? v : "(none)");
      S_pop(&d->path, old);
    }
  } else {
    S_unknown(d, parent, b, type);
  }
}

/* One legacy {section_title, section_content}; d->path is the section's. */
static void S_legacy_section(S_dec *d, quire_node *parent, const json_t *s) {
  static const char *const keys[] = {"section_title", "section_content", NULL};
  if (!json_is_object(s)) {
    S_warn(d, "expected a section object, got %s; shown as data",
           S_type_name(s));
    S_unknown(d, parent, s, NULL);
    return;
  }
  quire_node *sec = S_node(d, parent, QUIRE_NODE_SECTION);
  if (!sec)
    return;
  S_check_keys(d, s, keys, "a section");
  sec->title = S_str(d, s, "section_title");
  const json_t *c = json_object_get(s, "section_content");
  size_t old = S_push_key(&d->path, "section_content");
  if (json_is_array(c)) {
    for (size_t j = 0; j < json_array_size(c) && !d->oom; j++) {
      size_t o2 = S_push_index(&d->path, j);
      S_legacy_block(d, sec, json_array_get(c, j));
      S_pop(&d->path, o2);
    }
  } else if (c) {
    S_legacy_block(d, sec, c);
  } else {
    S_warn(d, "section has no content");
  }
  S_pop(&d->path, old);
}

static void S_legacy_sections(S_dec *d, quire_node *parent,
                              const json_t *secs) {
  for (size_t i = 0; i < json_array_size(secs) && !d->oom && !d->too_many;
       i++) {
    size_t old = S_push_index(&d->path, i);
    S_legacy_section(d, parent, json_array_get(secs, i));
    S_pop(&d->path, old);
  }
}

/* ---- facts ---------------------------------------------------------- */

static void S_fact_value(S_dec *d, quire_fact_group g, const char *name,
                         const json_t *v, int depth) {
  if (d->oom || d->doc->nfacts > 2000)
    return;
  if (json_is_object(v) && depth < 4) {
    const char *k;
    json_t *x;
    json_object_foreach((json_t *)v, k, x) {
      char sub[256];
      snprintf(sub, sizeof sub, "%s%s%s", name, *name ? "." : "", k);
      S_fact_value(d, g, sub, x, depth + 1);
    }
    return;
  }
  char *text = NULL;
  if (json_is_string(v)) {
    if (json_string_length(v) == 0)
      return;
    text = quire__strdup(json_string_value(v));
  } else if (json_is_array(v) && depth < 4) {
    quire_buf b = QUIRE_BUF_INIT;
    for (size_t i = 0; i < json_array_size(v); i++) {
      const json_t *x = json_array_get(v, i);
      if (i)
        quire_buf_puts(&b, ", ");
      if (json_is_string(x))
        quire_buf_puts(&b, json_string_value(x));
      else {
        char *t = S_json_text(x, JSON_COMPACT);
        if (t)
          quire_buf_puts(&b, t);
        free(t);
      }
    }
    text = quire_buf_detach(&b, NULL);
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

/* ---- envelope ------------------------------------------------------- */

static const char *S_safe_url(S_dec *d, const char *url, const char *key) {
  if (!url)
    return NULL;
  if (quire__url_is_safe(url, 0))
    return url;
  size_t old = S_push_key(&d->path, key);
  S_warn(d, "URL is not http(s); dropped");
  S_pop(&d->path, old);
  return NULL;
}

static const json_t *S_obj(const json_t *o, const char *key) {
  const json_t *v = json_object_get(o, key);
  return json_is_object(v) ? v : NULL;
}

static void S_decode(S_dec *d, const json_t *root) {
  static const char *const top_keys[] = {
      "id",        "createdAt", "jobId",       "label",   "entity",
      "media",     "output",    "markdown",    "json",    "provenance",
      "sections",  "metrics",   "raw",         "summary", "pdfUrl",
      "reportUrl", "entityId",  "entityLabel", "mediaId", "usage",
      "subject",   "title",     "template",    "context", "target",
      "group",     NULL};
  quire_doc *doc = d->doc;
  const json_t *output = S_obj(root, "output");
  const json_t *entity = S_obj(root, "entity");
  const json_t *media = S_obj(root, "media");

  doc->id = S_str(d, root, "id");
  doc->created_at = S_str(d, root, "createdAt");
  doc->job_id = S_str(d, root, "jobId");
  doc->label = S_str(d, root, "label");
  doc->summary = S_str(d, root, "summary");

  size_t old = S_push_key(&d->path, "entity");
  if (entity) {
    doc->entity_id = S_str(d, entity, "id");
    doc->entity_label = S_str(d, entity, "label");
    const json_t *tags = json_object_get(entity, "tags");
    if (tags)
      S_fact_value(d, QUIRE_FACT_SUBJECT, "tags", tags, 1);
  }
  S_pop(&d->path, old);
  if (!doc->entity_id)
    doc->entity_id = S_str(d, root, "entityId");
  if (!doc->entity_label)
    doc->entity_label = S_str(d, root, "entityLabel");

  old = S_push_key(&d->path, "media");
  if (media) {
    doc->media_id = S_str(d, media, "mediaId");
    doc->media_url = S_safe_url(d, S_str(d, media, "url"), "url");
  }
  S_pop(&d->path, old);
  if (!doc->media_id)
    doc->media_id = S_str(d, root, "mediaId");

  /* json and markdown may sit at the top (REST) or under output (SDKs). */
  const json_t *json = json_object_get(root, "json");
  int from_output = 0;
  if ((!json || json_is_null(json)) && output) {
    const json_t *oj = json_object_get(output, "json");
    if (oj && !json_is_null(oj)) {
      json = oj;
      from_output = 1;
    }
  }
  const char *markdown = S_str(d, root, "markdown");
  const char *md_key = "markdown";
  old = S_push_key(&d->path, "output");
  if (output) {
    doc->template_name = S_str(d, output, "template");
    if (!markdown && (markdown = S_str(d, output, "markdown")))
      from_output = 1;
    const char *ru = S_safe_url(d, S_str(d, output, "reportUrl"), "reportUrl");
    if (ru && !doc->report_url)
      doc->report_url = ru;
    const char *otype = S_str(d, output, "type");
    if (otype)
      doc->shape = QUIRE_SHAPE_NODE;
  }
  S_pop(&d->path, old);
  if (from_output)
    md_key = "output.markdown";
  {
    const char *ru = S_safe_url(d, S_str(d, root, "reportUrl"), "reportUrl");
    if (ru)
      doc->report_url = ru; /* top-level reportUrl wins */
  }
  if (!doc->report_url && doc->media_url) {
    doc->report_url = doc->media_url;
    doc->report_url_is_media = 1;
  }
  doc->pdf_url = S_safe_url(d, S_str(d, root, "pdfUrl"), "pdfUrl");
  doc->markdown_text = markdown;

  /* Structured content. */
  int have_blocks = 0;
  if (json && !json_is_null(json)) {
    old = S_push_key(&d->path, from_output ? "output" : "json");
    if (from_output)
      S_push_key(&d->path, "json");
    if (!json_is_object(json)) {
      S_warn(d, "expected an object, got %s; ignored", S_type_name(json));
    } else {
      static const char *const json_keys[] = {
          "schemaVersion", "title", "summary", "template",
          "sections",      "meta",  NULL};
      S_check_keys(d, json, json_keys, "the report json");
      const json_t *ver = json_object_get(json, "schemaVersion");
      double v = json_is_number(ver) ? json_number_value(ver) : -1;
      const char *jt = S_str(d, json, "template");
      if (v == 1 || (jt && strcmp(jt, "matching") == 0))
        doc->shape = QUIRE_SHAPE_MATCHING;
      else if (from_output)
        doc->shape = QUIRE_SHAPE_SDK;
      else if (!doc->shape)
        doc->shape = QUIRE_SHAPE_V2;
      if (v != 1 && v != 2) {
        char got[64];
        if (json_is_number(ver))
          snprintf(got, sizeof got, "%g", v);
        else
          snprintf(got, sizeof got, "%s", ver ? S_type_name(ver) : "none");
        size_t o2 = S_push_key(&d->path, "schemaVersion");
        S_warn(d,
               "unknown schemaVersion %s (this quire reads 1 and 2); "
               "decoding as version 2",
               got);
        S_pop(&d->path, o2);
      }
      const char *t = S_str(d, json, "title");
      if (t)
        doc->title = t;
      const char *s = S_str(d, json, "summary");
      if (s)
        doc->summary = s;
      if (jt && !doc->template_name)
        doc->template_name = jt;
      const json_t *meta = S_obj(json, "meta");
      if (meta)
        S_fact_value(d, QUIRE_FACT_META, "", meta, 0);
      const json_t *secs = json_object_get(json, "sections");
      size_t o2 = S_push_key(&d->path, "sections");
      if (json_is_array(secs)) {
        for (size_t i = 0; i < json_array_size(secs) && !d->oom && !d->too_many;
             i++) {
          size_t o3 = S_push_index(&d->path, i);
          const json_t *sec = json_array_get(secs, i);
          /* Matching results carry legacy sections inside json. */
          if (json_is_object(sec) && json_object_get(sec, "section_title") &&
              !json_object_get(sec, "kind"))
            S_legacy_section(d, doc->root, sec);
          else
            S_v2_section(d, doc->root, sec);
          S_pop(&d->path, o3);
        }
        have_blocks = json_array_size(secs) > 0;
        if (!have_blocks)
          S_warn(d, "expected at least 1 section, got 0");
      } else if (secs) {
        S_warn(d, "expected an array of sections, got %s", S_type_name(secs));
      }
      S_pop(&d->path, o2);
    }
    S_pop(&d->path, old);
  }

  const json_t *secs = json_object_get(root, "sections");
  if (json_is_array(secs)) {
    if (!doc->shape)
      doc->shape = QUIRE_SHAPE_SECTIONS;
    old = S_push_key(&d->path, "sections");
    S_legacy_sections(d, doc->root, secs);
    S_pop(&d->path, old);
    have_blocks = have_blocks || json_array_size(secs) > 0;
  } else if (secs && !json_is_null(secs)) {
    old = S_push_key(&d->path, "sections");
    S_warn(d, "expected an array of sections, got %s; shown as data",
           S_type_name(secs));
    S_unknown(d, doc->root, secs, NULL);
    S_pop(&d->path, old);
  }

  if (markdown) {
    doc->markdown =
        quire__node_new(doc, QUIRE_NODE_MARKDOWN,
                        from_output ? "$.output.markdown" : "$.markdown");
    if (!doc->markdown) {
      d->oom = 1;
      return;
    }
    old = S_push_key(&d->path, md_key);
    if (quire__markdown_append(doc, doc->markdown, markdown, strlen(markdown),
                               d->path.buf, d->max_markdown) != 0)
      d->oom = 1;
    S_pop(&d->path, old);
    if (!have_blocks) {
      quire__node_append(doc->root, doc->markdown);
      if (!doc->shape)
        doc->shape = QUIRE_SHAPE_MARKDOWN;
      /* A markdown report's first heading is its title. */
      const quire_node *h = doc->markdown->first;
      if (strcmp(doc->title, "Untitled report") == 0 && h &&
          h->kind == QUIRE_NODE_MD_HEADING && h->level == 1 && h->first &&
          h->first->kind == QUIRE_NODE_MD_TEXT && !h->first->next) {
        /* The heading becomes the title, so it is not shown twice. */
        doc->title = h->first->literal;
        doc->markdown->first = h->next;
        if (h->next)
          h->next->prev = NULL;
        else
          doc->markdown->last = NULL;
      }
    }
  }
  if (!doc->shape) {
    doc->shape = QUIRE_SHAPE_EMPTY;
    S_warn(d, "report has no content (no json, sections or markdown)");
  }
  if (strcmp(doc->title, "Untitled report") == 0 && doc->label)
    doc->title = doc->label;

  const json_t *prov = S_obj(root, "provenance");
  if (prov)
    S_fact_value(d, QUIRE_FACT_PROVENANCE, "", prov, 0);
  const json_t *metrics = json_object_get(root, "metrics");
  if (json_is_object(metrics))
    S_fact_value(d, QUIRE_FACT_METRICS, "", metrics, 0);
  const json_t *usage = S_obj(root, "usage");
  if (usage)
    S_fact_value(d, QUIRE_FACT_USAGE, "", usage, 0);
  /* Matching results name who was compared with whom. */
  const json_t *target = S_obj(root, "target");
  if (target) {
    S_fact_value(d, QUIRE_FACT_SUBJECT, "target", target, 1);
    if (!doc->entity_label) {
      size_t o2 = S_push_key(&d->path, "target");
      doc->entity_label = S_str(d, target, "resolvedLabel");
      if (!doc->entity_id)
        doc->entity_id = S_str(d, target, "entityId");
      S_pop(&d->path, o2);
    }
  }
  const json_t *group = json_object_get(root, "group");
  for (size_t i = 0; json_is_array(group) && i < json_array_size(group); i++) {
    const json_t *g = json_array_get(group, i);
    const json_t *gl = json_object_get(g, "resolvedLabel");
    const json_t *gid = json_object_get(g, "entityId");
    char name[64];
    snprintf(name, sizeof name, "group[%zu]", i);
    S_fact_value(d, QUIRE_FACT_SUBJECT, name,
                 json_is_string(gl) ? gl
                 : gid              ? gid
                                    : g,
                 1);
  }
  const json_t *context = json_object_get(root, "context");
  if (json_is_string(context))
    S_fact_value(d, QUIRE_FACT_SUBJECT, "context", context, 1);
  const json_t *subject = S_obj(root, "subject");
  if (subject)
    S_fact_value(d, QUIRE_FACT_SUBJECT, "", subject, 0);

  /* Unknown top-level keys are kept as facts, never silently dropped. */
  const char *key;
  json_t *v;
  json_object_foreach((json_t *)root, key, v) {
    if (!S_in_list(key, top_keys)) {
      size_t o2 = S_push_key(&d->path, key);
      S_warn(d, "unknown key; kept as an extra field");
      S_pop(&d->path, o2);
      S_fact_value(d, QUIRE_FACT_EXTRA, key, v, 1);
    }
  }
  if (output) {
    static const char *const out_keys[] = {
        "template",         "type",           "markdown", "json", "reportUrl",
        "availableFormats", "templateParams", NULL};
    old = S_push_key(&d->path, "output");
    S_check_keys(d, output, out_keys, "output");
    S_pop(&d->path, old);
  }
  if (doc->template_name) {
    static const char *const known[] = {"sales_playbook", "general_report",
                                        "hiring_report",  "profile_alignment",
                                        "matching",       NULL};
    if (!S_in_list(doc->template_name, known))
      S_warn(d, "unknown template \"%s\"; the default look is used",
             doc->template_name);
  }
}

/* ---- entry points --------------------------------------------------- */

static int S_load_json(json_t **out, const char *data, size_t len,
                       const quire_parse_options *opts, quire_error *err) {
  size_t max =
      opts && opts->max_input ? opts->max_input : QUIRE__MAX_INPUT_DEFAULT;
  const char *src = opts && opts->source ? opts->source : "<input>";
  quire__error_source(err, src);
  *out = NULL;
  if (len > max)
    return quire__error_set(err, QUIRE_ETOOBIG,
                            "input is %zu bytes, over the %zu-byte limit", len,
                            max);
  /* A UTF-8 byte order mark, as some Windows editors save files: RFC 8259
   * lets a parser ignore it, and jansson would call it an invalid token. */
  if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
    data += 3;
    len -= 3;
  }
  size_t i = 0;
  while (i < len && (data[i] == ' ' || data[i] == '\n' || data[i] == '\r' ||
                     data[i] == '\t'))
    i++;
  if (i == len)
    return quire__error_set(err, QUIRE_ESYNTAX,
                            "empty input; expected a report JSON object");
  /* jansson stops at a raw NUL with a baffling "end of file expected";
   * say what it is and where. */
  const char *nul = memchr(data, '\0', len);
  if (nul) {
    unsigned line = 1, col = 1;
    for (const char *p = data; p < nul; p++) {
      if (*p == '\n') {
        line++;
        col = 1;
      } else if (((unsigned char)*p & 0xC0) != 0x80) {
        col++;
      }
    }
    if (err) {
      err->line = line;
      err->column = col;
    }
    return quire__error_set(err, QUIRE_ESYNTAX,
                            "NUL byte in input; JSON text cannot contain one");
  }
  json_error_t je;
  /* Duplicate keys are rejected: two "title"s would make the result depend
   * on which one a consumer happens to read. */
  json_t *root =
      json_loadb(data, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
  if (!root) {
    if (err) {
      err->line = je.line > 0 ? (unsigned)je.line : 1;
      err->column = je.column > 0 ? (unsigned)je.column : 1;
    }
    return quire__error_set(err, QUIRE_ESYNTAX, "%s", je.text);
  }
  *out = root;
  return 0;
}

static const char *S_schema_for(const json_t *root) {
  const json_t *out = json_object_get(root, "output");
  const json_t *t = json_object_get(out, "template");
  const json_t *json = json_object_get(root, "json");
  const json_t *ver = json_object_get(json, "schemaVersion");
  if ((json_is_string(t) && strcmp(json_string_value(t), "matching") == 0) ||
      (json_is_number(ver) && json_number_value(ver) == 1))
    return "schemas/matching-report.schema.json";
  static const char *const legacy[] = {
      "sections", "metrics", "raw", "summary", "pdfUrl", "reportUrl", NULL};
  /* A report with a json payload is judged by the current contract, so its
   * stray legacy keys are what gets reported. */
  if (json && !json_is_null(json))
    return "schemas/v2-report.schema.json";
  for (const char *const *k = legacy; *k; k++)
    if (json_object_get(root, *k))
      return "schemas/v1-sections-report.schema.json";
  return "schemas/v2-report.schema.json";
}

typedef struct {
  quire_diag_fn cb;
  void *payload;
  quire_error *err; /* first error goes here */
  size_t count;
} S_collect;

static void S_schema_cb(void *payload, const char *path, const char *message) {
  S_collect *c = payload;
  if (c->count == 0 && c->err) {
    quire__error_path(c->err, path);
    quire__error_set(c->err, QUIRE_ESCHEMA, "%s", message);
  }
  c->count++;
  if (c->cb) {
    quire_diag d = {QUIRE_SEVERITY_ERROR, path, message};
    c->cb(&d, c->payload);
  }
}

/* Checks root against its contract schema (built into the library). For a
 * report that fits neither v1 nor v2 by its keys, either schema passing is
 * enough. Returns the number of violations. */
static int S_strict(const json_t *root, size_t max, S_collect *c,
                    quire_error *err) {
  const char *name = S_schema_for(root);
  const quire__embedded *e = quire__embedded_find(name);
  if (!e)
    return quire__error_set(err, QUIRE_ERROR, "built-in schema %s missing",
                            name),
           1;
  json_error_t je;
  json_t *schema = json_loadb(e->data, e->len, 0, &je);
  if (!schema)
    return quire__error_set(err, QUIRE_ERROR, "built-in schema %s: %s", name,
                            je.text),
           1;
  int n = 0;
  if (strcmp(name, "schemas/v2-report.schema.json") == 0) {
    /* A markdown-only report with a node-era template fits v1: try it
     * quietly first. */
    n = quire__schema_validate(schema, root, "$", QUIRE__SCHEMA_FORMAT_ASSERT,
                               1, NULL, NULL);
    if (n > 0) {
      const quire__embedded *e1 =
          quire__embedded_find("schemas/v1-sections-report.schema.json");
      json_t *s1 = e1 ? json_loadb(e1->data, e1->len, 0, &je) : NULL;
      int n1 = s1 ? quire__schema_validate(s1, root, "$",
                                           QUIRE__SCHEMA_FORMAT_ASSERT, 1, NULL,
                                           NULL)
                  : 1;
      json_decref(s1);
      if (n1 == 0)
        n = 0;
      else
        n = quire__schema_validate(schema, root, "$",
                                   QUIRE__SCHEMA_FORMAT_ASSERT, max,
                                   S_schema_cb, c);
    }
  } else {
    n = quire__schema_validate(schema, root, "$", QUIRE__SCHEMA_FORMAT_ASSERT,
                               max, S_schema_cb, c);
  }
  json_decref(schema);
  return n;
}

static int S_build(quire_doc **out, const json_t *root,
                   const quire_parse_options *opts, quire_error *err) {
  S_dec d;
  memset(&d, 0, sizeof d);
  d.opts = opts;
  d.max_markdown = opts && opts->max_markdown ? opts->max_markdown
                                              : QUIRE__MAX_MARKDOWN_DEFAULT;
  d.path.buf[0] = '$';
  d.path.len = 1;
  d.doc = quire__doc_new();
  if (!d.doc)
    return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  if (opts && opts->max_blocks)
    d.doc->max_blocks = opts->max_blocks;
  if (opts && opts->max_diagnostics)
    d.doc->max_diags = opts->max_diagnostics;
  S_decode(&d, root);
  if (d.oom) {
    quire_doc_free(d.doc);
    return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  }
  *out = d.doc;
  return 0;
}

static int S_not_object(const json_t *root, quire_error *err) {
  if (json_is_null(root))
    return quire__error_set(err, QUIRE_ENOTREADY,
                            "report not ready yet (the API answered null)");
  quire__error_path(err, "$");
  return quire__error_set(err, QUIRE_ESCHEMA,
                          "expected a report object, got %s",
                          S_type_name(root));
}

int quire_doc_parse(quire_doc **out, const char *data, size_t len,
                    const quire_parse_options *opts, quire_error *err) {
  if (!out)
    return quire__error_set(err, QUIRE_EINVAL, "out is NULL");
  *out = NULL;
  if (!data && len)
    return quire__error_set(err, QUIRE_EINVAL, "data is NULL");
  if (opts && opts->version != QUIRE_PARSE_OPTIONS_VERSION)
    return quire__error_set(err, QUIRE_EINVAL,
                            "unsupported parse options version %u",
                            opts->version);
  json_t *root;
  int rc = S_load_json(&root, data ? data : "", len, opts, err);
  if (rc)
    return rc;
  if (!json_is_object(root)) {
    rc = S_not_object(root, err);
    json_decref(root);
    return rc;
  }
  if (opts && (opts->flags & QUIRE_PARSE_STRICT)) {
    S_collect c = {NULL, NULL, err, 0};
    if (S_strict(root, 1, &c, err) > 0) {
      json_decref(root);
      return err ? err->code : QUIRE_ESCHEMA;
    }
  }
  rc = S_build(out, root, opts, err);
  json_decref(root);
  /* Strict mode promotes the decoder's warnings to errors, as validate
   * does: the contract's `{}` branches let some nonsense through that the
   * decoder still notices (an unknown illustration variant, say). */
  if (rc == 0 && opts && (opts->flags & QUIRE_PARSE_STRICT) &&
      (*out)->ndiags > 0) {
    quire__error_path(err, (*out)->diags[0].path);
    quire__error_set(err, QUIRE_ESCHEMA, "%s", (*out)->diags[0].message);
    quire_doc_free(*out);
    *out = NULL;
    return QUIRE_ESCHEMA;
  }
  return rc;
}

int quire_validate(const char *data, size_t len,
                   const quire_parse_options *opts, quire_diag_fn cb,
                   void *payload, quire_error *err) {
  if (opts && opts->version != QUIRE_PARSE_OPTIONS_VERSION)
    return quire__error_set(err, QUIRE_EINVAL,
                            "unsupported parse options version %u",
                            opts->version);
  json_t *root;
  int rc = S_load_json(&root, data ? data : "", len, opts, err);
  if (rc)
    return rc;
  if (!json_is_object(root)) {
    rc = S_not_object(root, err);
    json_decref(root);
    return rc;
  }
  size_t max = opts && opts->max_diagnostics ? opts->max_diagnostics
                                             : QUIRE__MAX_DIAG_DEFAULT;
  int strict = opts && (opts->flags & QUIRE_PARSE_STRICT);
  S_collect c = {cb, payload, err, 0};
  if (strict)
    S_strict(root, max, &c, err);
  quire_doc *doc = NULL;
  rc = S_build(&doc, root, opts, err);
  json_decref(root);
  if (rc)
    return rc;
  size_t problems = c.count;
  for (size_t i = 0; i < doc->ndiags && problems < max; i++) {
    quire_diag dg = doc->diags[i];
    /* --strict promotes warnings to errors. */
    if (strict)
      dg.severity = QUIRE_SEVERITY_ERROR;
    if (strict && problems == 0 && err) {
      quire__error_path(err, dg.path);
      quire__error_set(err, QUIRE_ESCHEMA, "%s", dg.message);
    }
    if (cb)
      cb(&dg, payload);
    if (strict)
      problems++;
  }
  quire_doc_free(doc);
  return problems ? QUIRE_ESCHEMA : 0;
}

int quire_doc_parse_file(quire_doc **out, const char *path,
                         const quire_parse_options *opts, quire_error *err) {
  if (!out || !path)
    return quire__error_set(err, QUIRE_EINVAL, "out or path is NULL");
  *out = NULL;
  quire_parse_options o = QUIRE_PARSE_OPTIONS_INIT;
  if (opts)
    o = *opts;
  if (!o.source)
    o.source = strcmp(path, "-") == 0 ? "<stdin>" : path;
  size_t max = o.max_input ? o.max_input : QUIRE__MAX_INPUT_DEFAULT;
  quire_buf b = QUIRE_BUF_INIT;
  int rc = quire__read_file(&b, path, max, err);
  if (rc == 0)
    rc = quire_doc_parse(out, b.ptr, b.size, &o, err);
  quire_buf_dispose(&b);
  return rc;
}
