/* Legacy sections ({section_title, section_content}): cards, text, grids
 * of 2-4 cards and illustrations, one block or an array of them. The REST
 * `sections` form (seed 001) and matching results' json share them. */
#include "decode/decoder.h"

#include <math.h>
#include <string.h>

static void S_card(quire__dec *d, quire_node *parent, const json_t *b) {
  static const char *const keys[] = {"type", "icon", "title", "content", NULL};
  quire_node *n = quire__dec_node(d, parent, QUIRE_NODE_CARD);
  if (!n)
    return;
  quire__dec_check_keys(d, b, keys, "a card");
  n->icon = quire__dec_str(d, b, "icon");
  n->title = quire__dec_str(d, b, "title");
  quire__dec_markdown_member(d, n, b, "content");
}

static void S_text(quire__dec *d, quire_node *parent, const json_t *b) {
  static const char *const keys[] = {"type", "title", "content", NULL};
  quire_node *n = quire__dec_node(d, parent, QUIRE_NODE_TEXT);
  if (!n)
    return;
  quire__dec_check_keys(d, b, keys, "a text block");
  n->title = quire__dec_str(d, b, "title");
  quire__dec_markdown_member(d, n, b, "content");
}

/* Grid items are cards; an item without a type is read as one. */
static void S_grid_items(quire__dec *d, quire_node *grid, const json_t *b) {
  const json_t *items = json_object_get(b, "items");
  size_t old = quire__dec_push_key(d, "items");
  if (!json_is_array(items))
    quire__dec_warn(d, "expected an array of cards, got %s",
                    items ? quire__json_type_name(items) : "nothing");
  for (size_t i = 0; i < json_array_size(items); i++) {
    const json_t *it = json_array_get(items, i);
    size_t o2 = quire__dec_push_index(d, i);
    const char *t = json_is_object(it) ? quire__dec_str(d, it, "type") : NULL;
    if (json_is_object(it) && (!t || strcmp(t, "card") == 0)) {
      if (!t)
        quire__dec_warn(d, "grid item has no type; read as a card");
      S_card(d, grid, it);
    } else {
      quire__dec_warn(d, "expected a card in a grid; shown as data");
      quire__dec_unknown(d, grid, it, t);
    }
    quire__dec_pop(d, o2);
  }
  quire__dec_pop(d, old);
}

static void S_grid(quire__dec *d, quire_node *parent, const json_t *b) {
  static const char *const keys[] = {"type", "columns", "items", NULL};
  quire_node *n = quire__dec_node(d, parent, QUIRE_NODE_GRID);
  if (!n)
    return;
  quire__dec_check_keys(d, b, keys, "a grid");
  const json_t *cols = json_object_get(b, "columns");
  double c = json_is_number(cols) ? json_number_value(cols) : 0;
  if (c != 2 && c != 3 && c != 4) {
    /* The warning says what every renderer then draws. */
    c = isfinite(c) && c > 4 ? 4 : 2;
    size_t old = quire__dec_push_key(d, "columns");
    quire__dec_warn(d, "expected 2, 3 or 4 columns; using %d", (int)c);
    quire__dec_pop(d, old);
  }
  n->level = (int)c;
  S_grid_items(d, n, b);
}

static void S_illustration(quire__dec *d, quire_node *parent, const json_t *b) {
  static const char *const keys[] = {"type", "variant", NULL};
  quire_node *n = quire__dec_node(d, parent, QUIRE_NODE_ILLUSTRATION);
  if (!n)
    return;
  quire__dec_check_keys(d, b, keys, "an illustration");
  const char *v = quire__dec_str(d, b, "variant");
  n->flag = QUIRE_ILLUSTRATION_UNKNOWN;
  for (int i = QUIRE_ILLUSTRATION_CONVERSATION;
       i <= QUIRE_ILLUSTRATION_ANALYSIS; i++)
    if (v && strcmp(v, quire_illustration_name((quire_illustration)i)) == 0)
      n->flag = i;
  n->info = v;
  if (n->flag == QUIRE_ILLUSTRATION_UNKNOWN) {
    size_t old = quire__dec_push_key(d, "variant");
    quire__dec_warn(d,
                    "unknown illustration variant \"%s\"; a neutral one is "
                    "drawn",
                    v ? v : "(none)");
    quire__dec_pop(d, old);
  }
}

static void S_block(quire__dec *d, quire_node *parent, const json_t *b) {
  if (json_is_string(b)) {
    /* A bare string where a block should be: show it as text. */
    quire_node *n = quire__dec_node(d, parent, QUIRE_NODE_TEXT);
    if (n)
      quire__dec_markdown(d, n, json_string_value(b));
    return;
  }
  const char *type = json_is_object(b) ? quire__dec_str(d, b, "type") : NULL;
  /* The contract's last section_content branch is `{}`: any JSON is a
   * valid legacy section, so an unknown shape is shown as data without a
   * warning (which --strict would turn into an error). */
  if (!type) {
    if (!json_is_null(b))
      quire__dec_unknown(d, parent, b, NULL);
    return;
  }
  if (strcmp(type, "card") == 0)
    S_card(d, parent, b);
  else if (strcmp(type, "text") == 0)
    S_text(d, parent, b);
  else if (strcmp(type, "grid") == 0)
    S_grid(d, parent, b);
  else if (strcmp(type, "illustration") == 0)
    S_illustration(d, parent, b);
  else
    quire__dec_unknown(d, parent, b, type);
}

void quire__decode_legacy_section(quire__dec *d, quire_node *parent,
                                  const json_t *s) {
  static const char *const keys[] = {"section_title", "section_content", NULL};
  if (!json_is_object(s)) {
    quire__dec_warn(d, "expected a section object, got %s; shown as data",
                    quire__json_type_name(s));
    quire__dec_unknown(d, parent, s, NULL);
    return;
  }
  quire_node *sec = quire__dec_node(d, parent, QUIRE_NODE_SECTION);
  if (!sec)
    return;
  quire__dec_check_keys(d, s, keys, "a section");
  sec->title = quire__dec_str(d, s, "section_title");
  const json_t *c = json_object_get(s, "section_content");
  size_t old = quire__dec_push_key(d, "section_content");
  if (json_is_array(c)) {
    for (size_t j = 0; j < json_array_size(c) && !d->oom; j++) {
      size_t o2 = quire__dec_push_index(d, j);
      S_block(d, sec, json_array_get(c, j));
      quire__dec_pop(d, o2);
    }
  } else if (c) {
    S_block(d, sec, c);
  } else {
    quire__dec_warn(d, "section has no content");
  }
  quire__dec_pop(d, old);
}

void quire__decode_legacy_sections(quire__dec *d, quire_node *parent,
                                   const json_t *secs) {
  for (size_t i = 0; i < json_array_size(secs) && !d->oom && !d->too_many;
       i++) {
    size_t old = quire__dec_push_index(d, i);
    quire__decode_legacy_section(d, parent, json_array_get(secs, i));
    quire__dec_pop(d, old);
  }
}
