/* The `json` payload: schemaVersion 2 (paragraph, traits with three
 * phrases, actions; meta) and matching results' schemaVersion 1, whose
 * sections are legacy ones. */
#include "decode/decoder.h"

#include <stdio.h>
#include <string.h>

/* Phrases kept from one traits section (the contract says 3). */
#define S_MAX_PHRASES 32

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

static void S_title(quire__dec *d, quire_node *n, const json_t *sec) {
  n->key = quire__dec_str(d, sec, "key");
  n->title = quire__dec_str(d, sec, "title");
  if (!n->title)
    n->title = S_key_title(n->key);
  if (!n->title && n->key) {
    /* "some_new_key" -> "Some new key" */
    char *t = quire__arena_strdup(&d->doc->arena, n->key);
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

static void S_paragraph(quire__dec *d, quire_node *parent, const json_t *sec) {
  static const char *const keys[] = {"kind", "key", "title", "body", NULL};
  quire_node *n = quire__dec_node(d, parent, QUIRE_NODE_PARAGRAPH);
  if (!n)
    return;
  quire__dec_check_keys(d, sec, keys, "a paragraph section");
  S_title(d, n, sec);
  quire__dec_markdown_member(d, n, sec, "body");
}

/* The contract says three; a few more are shown, as the tolerant decoder
 * shows what is there, but not 200,000 chips (each is laid out on its own:
 * the robustness run took 20 s in either engine). */
static void S_phrases(quire__dec *d, quire_node *n, const json_t *ph) {
  size_t total = json_array_size(ph);
  size_t cnt = total > S_MAX_PHRASES ? S_MAX_PHRASES : total;
  n->phrases =
      quire__arena_alloc(&d->doc->arena, (cnt ? cnt : 1) * sizeof(char *));
  if (!n->phrases) {
    d->oom = 1;
    return;
  }
  for (size_t i = 0; i < cnt; i++) {
    const json_t *p = json_array_get(ph, i);
    if (json_is_string(p) && json_string_length(p) > 0) {
      n->phrases[n->nphrases++] =
          quire__dec_dup(d, json_string_value(p), json_string_length(p));
    } else {
      size_t old = quire__dec_push_index(d, i);
      quire__dec_warn(d, "expected a non-empty string phrase, got %s; skipped",
                      json_is_string(p) ? "an empty string"
                                        : quire__json_type_name(p));
      quire__dec_pop(d, old);
    }
  }
  if (total > cnt)
    quire__dec_warn(d,
                    "expected exactly 3 phrases, got %zu; the first %d are "
                    "kept",
                    total, S_MAX_PHRASES);
  else if (n->nphrases != 3)
    quire__dec_warn(d, "expected exactly 3 phrases, got %zu", n->nphrases);
}

static void S_traits(quire__dec *d, quire_node *parent, const json_t *sec) {
  static const char *const keys[] = {"kind", "key",     "title",
                                     "body", "phrases", NULL};
  quire_node *n = quire__dec_node(d, parent, QUIRE_NODE_TRAITS);
  if (!n)
    return;
  quire__dec_check_keys(d, sec, keys, "a traits section");
  S_title(d, n, sec);
  quire__dec_markdown_member(d, n, sec, "body");
  const json_t *ph = json_object_get(sec, "phrases");
  size_t old = quire__dec_push_key(d, "phrases");
  if (json_is_array(ph))
    S_phrases(d, n, ph);
  else
    quire__dec_warn(d, "expected an array of 3 phrases, got %s",
                    ph ? quire__json_type_name(ph) : "nothing");
  quire__dec_pop(d, old);
}

static void S_action(quire__dec *d, quire_node *parent, const json_t *it) {
  static const char *const keys[] = {"title", "context", NULL};
  if (!json_is_object(it)) {
    quire__dec_warn(d, "expected an action object, got %s; shown as data",
                    quire__json_type_name(it));
    quire__dec_unknown(d, parent, it, NULL);
    return;
  }
  quire_node *a = quire__dec_node(d, parent, QUIRE_NODE_ACTION);
  if (!a)
    return;
  quire__dec_check_keys(d, it, keys, "an action item");
  a->title = quire__dec_str(d, it, "title");
  quire__dec_markdown_member(d, a, it, "context");
}

static void S_actions(quire__dec *d, quire_node *parent, const json_t *sec) {
  static const char *const keys[] = {"kind", "key", "title", "items", NULL};
  quire_node *n = quire__dec_node(d, parent, QUIRE_NODE_ACTIONS);
  if (!n)
    return;
  quire__dec_check_keys(d, sec, keys, "an actions section");
  S_title(d, n, sec);
  const json_t *items = json_object_get(sec, "items");
  size_t old = quire__dec_push_key(d, "items");
  if (!json_is_array(items) || json_array_size(items) == 0)
    quire__dec_warn(d, "expected at least 1 action item, got %s",
                    json_is_array(items) ? "0"
                    : items              ? quire__json_type_name(items)
                                         : "none");
  for (size_t i = 0; i < json_array_size(items); i++) {
    size_t o2 = quire__dec_push_index(d, i);
    S_action(d, n, json_array_get(items, i));
    quire__dec_pop(d, o2);
  }
  quire__dec_pop(d, old);
}

static void S_section(quire__dec *d, quire_node *parent, const json_t *sec) {
  if (!json_is_object(sec)) {
    quire__dec_warn(d, "expected a section object, got %s; shown as data",
                    quire__json_type_name(sec));
    quire__dec_unknown(d, parent, sec, NULL);
    return;
  }
  /* Matching results carry legacy sections inside json. */
  if (json_object_get(sec, "section_title") && !json_object_get(sec, "kind")) {
    quire__decode_legacy_section(d, parent, sec);
    return;
  }
  const char *kind = quire__dec_str(d, sec, "kind");
  if (!kind)
    kind = quire__dec_str(d, sec, "type");
  if (kind && strcmp(kind, "paragraph") == 0) {
    S_paragraph(d, parent, sec);
  } else if (kind && strcmp(kind, "traits") == 0) {
    S_traits(d, parent, sec);
  } else if (kind && strcmp(kind, "actions") == 0) {
    S_actions(d, parent, sec);
  } else {
    if (kind)
      quire__dec_warn(d, "unknown section kind \"%s\"; shown as data", kind);
    else
      quire__dec_warn(d, "section has no kind; shown as data");
    quire__dec_unknown(d, parent, sec, kind);
  }
}

static void S_version(quire__dec *d, const json_t *json) {
  const json_t *ver = json_object_get(json, "schemaVersion");
  double v = json_is_number(ver) ? json_number_value(ver) : -1;
  if (v == 1 || v == 2)
    return;
  char got[64];
  if (json_is_number(ver))
    snprintf(got, sizeof got, "%g", v);
  else
    snprintf(got, sizeof got, "%s", ver ? quire__json_type_name(ver) : "none");
  size_t old = quire__dec_push_key(d, "schemaVersion");
  quire__dec_warn(d,
                  "unknown schemaVersion %s (this quire reads 1 and 2); "
                  "decoding as version 2",
                  got);
  quire__dec_pop(d, old);
}

static int S_sections(quire__dec *d, const json_t *secs) {
  quire_node *root = d->doc->root;
  size_t old = quire__dec_push_key(d, "sections");
  int have = 0;
  if (json_is_array(secs)) {
    for (size_t i = 0; i < json_array_size(secs) && !d->oom && !d->too_many;
         i++) {
      size_t o2 = quire__dec_push_index(d, i);
      S_section(d, root, json_array_get(secs, i));
      quire__dec_pop(d, o2);
    }
    have = json_array_size(secs) > 0;
    if (!have)
      quire__dec_warn(d, "expected at least 1 section, got 0");
  } else if (secs) {
    quire__dec_warn(d, "expected an array of sections, got %s",
                    quire__json_type_name(secs));
  }
  quire__dec_pop(d, old);
  return have;
}

int quire__decode_payload(quire__dec *d, const json_t *json) {
  static const char *const keys[] = {
      "schemaVersion", "title", "summary", "template",
      "sections",      "meta",  NULL};
  quire_doc *doc = d->doc;
  if (!json_is_object(json)) {
    quire__dec_warn(d, "expected an object, got %s; ignored",
                    quire__json_type_name(json));
    return 0;
  }
  quire__dec_check_keys(d, json, keys, "the report json");
  const char *jt = quire__dec_str(d, json, "template");
  S_version(d, json);
  const char *t = quire__dec_str(d, json, "title");
  if (t)
    doc->title = t;
  const char *s = quire__dec_str(d, json, "summary");
  if (s)
    doc->summary = s;
  if (jt && !doc->template_name)
    doc->template_name = jt;
  const json_t *meta = quire__json_obj(json, "meta");
  if (meta)
    quire__dec_fact(d, QUIRE_FACT_META, "", meta, 0);
  return S_sections(d, json_object_get(json, "sections"));
}
