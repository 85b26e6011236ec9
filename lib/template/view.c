#include "template/view.h"

#include <stdlib.h>
#include <string.h>

static quire__view *S_value(quire__view_pool *p, quire__view_type type) {
  quire__view *v = quire__arena_alloc(p, sizeof *v);
  if (v) {
    memset(v, 0, sizeof *v);
    v->type = type;
  }
  return v;
}

quire__view *quire__view_object(quire__view_pool *p) {
  return S_value(p, QUIRE__VIEW_OBJECT);
}

quire__view *quire__view_array(quire__view_pool *p) {
  return S_value(p, QUIRE__VIEW_ARRAY);
}

quire__view *quire__view_string_ref(quire__view_pool *p, const char *s,
                                    size_t len) {
  quire__view *v = S_value(p, QUIRE__VIEW_STRING);
  if (v) {
    v->u.s = s;
    v->n = len;
  }
  return v;
}

quire__view *quire__view_string_copy(quire__view_pool *p, const char *s,
                                     size_t len) {
  if (len == SIZE_MAX)
    return NULL;
  char *copy = quire__arena_alloc(p, len + 1);
  if (!copy)
    return NULL;
  if (len)
    memcpy(copy, s, len);
  copy[len] = '\0';
  return quire__view_string_ref(p, copy, len);
}

quire__view *quire__view_int(quire__view_pool *p, long long i) {
  quire__view *v = S_value(p, QUIRE__VIEW_INT);
  if (v)
    v->u.i = i;
  return v;
}

quire__view *quire__view_real(quire__view_pool *p, double r) {
  quire__view *v = S_value(p, QUIRE__VIEW_REAL);
  if (v)
    v->u.r = r;
  return v;
}

static const quire__view S_null = {.type = QUIRE__VIEW_NULL};
static const quire__view S_true = {.type = QUIRE__VIEW_TRUE};
static const quire__view S_false = {.type = QUIRE__VIEW_FALSE};

const quire__view *quire__view_null(void) { return &S_null; }

const quire__view *quire__view_bool(int b) { return b ? &S_true : &S_false; }

static quire__view_item *S_item(quire__view_pool *p, const quire__view *val) {
  quire__view_item *it = quire__arena_alloc(p, sizeof *it);
  if (it) {
    it->next = NULL;
    it->key = NULL;
    it->klen = 0;
    it->val = val;
  }
  return it;
}

int quire__view_set(quire__view_pool *p, quire__view *obj, const char *key,
                    const quire__view *val) {
  if (!obj || obj->type != QUIRE__VIEW_OBJECT || !val || !key)
    return QUIRE_EINVAL;
  quire__view_item *it = S_item(p, val);
  if (!it)
    return QUIRE_ENOMEM;
  it->key = key;
  it->klen = strlen(key);
  /* Newest first, so a lookup meets the value set last. */
  it->next = obj->u.l.head;
  obj->u.l.head = it;
  if (!obj->u.l.tail)
    obj->u.l.tail = it;
  obj->n++;
  return 0;
}

int quire__view_push(quire__view_pool *p, quire__view *arr,
                     const quire__view *val) {
  if (!arr || arr->type != QUIRE__VIEW_ARRAY || !val)
    return QUIRE_EINVAL;
  quire__view_item *it = S_item(p, val);
  if (!it)
    return QUIRE_ENOMEM;
  if (arr->u.l.tail)
    arr->u.l.tail->next = it;
  else
    arr->u.l.head = it;
  arr->u.l.tail = it;
  arr->n++;
  return 0;
}

const quire__view *quire__view_get(const quire__view *obj, const char *key,
                                   size_t klen) {
  if (!obj || obj->type != QUIRE__VIEW_OBJECT)
    return NULL;
  for (const quire__view_item *it = obj->u.l.head; it; it = it->next)
    if (it->klen == klen && memcmp(it->key, key, klen) == 0)
      return it->val;
  return NULL;
}

/* Converts json; depth bounds the C recursion (jansson's own parser stops
 * at 2048 levels; views built in C are far shallower). */
static int S_from_json(const quire__view **out, quire__view_pool *p,
                       const json_t *j, int depth) {
  quire__view *v = NULL;
  *out = NULL;
  if (depth > 4096)
    return QUIRE_EINVAL;
  switch (json_typeof(j)) {
  case JSON_NULL: *out = quire__view_null(); return 0;
  case JSON_TRUE: *out = quire__view_bool(1); return 0;
  case JSON_FALSE: *out = quire__view_bool(0); return 0;
  case JSON_INTEGER: v = quire__view_int(p, json_integer_value(j)); break;
  case JSON_REAL: v = quire__view_real(p, json_real_value(j)); break;
  case JSON_STRING:
    v = quire__view_string_copy(p, json_string_value(j), json_string_length(j));
    break;
  case JSON_ARRAY: {
    v = quire__view_array(p);
    for (size_t i = 0; v && i < json_array_size(j); i++) {
      const quire__view *e;
      int rc = S_from_json(&e, p, json_array_get(j, i), depth + 1);
      if (!rc)
        rc = quire__view_push(p, v, e);
      if (rc)
        return rc;
    }
    break;
  }
  case JSON_OBJECT: {
    v = quire__view_object(p);
    const char *key;
    json_t *val;
    json_object_foreach((json_t *)j, key, val) {
      if (!v)
        break;
      const quire__view *e;
      const quire__view *k = quire__view_string_copy(p, key, strlen(key));
      if (!k)
        return QUIRE_ENOMEM;
      int rc = S_from_json(&e, p, val, depth + 1);
      if (!rc)
        rc = quire__view_set(p, v, k->u.s, e);
      if (rc)
        return rc;
    }
    break;
  }
  }
  if (!v)
    return QUIRE_ENOMEM;
  *out = v;
  return 0;
}

int quire__view_from_json(const quire__view **out, quire__view_pool *p,
                          const json_t *json) {
  *out = NULL;
  if (!json)
    return 0;
  return S_from_json(out, p, json, 0);
}
