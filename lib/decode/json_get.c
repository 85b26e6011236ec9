/* JSON paths, typed getters and warnings for the decoder's walk. */
#include "decode/decoder.h"

#include <stdio.h>
#include <string.h>

/* Appends n bytes, cut where the buffer ends (a path is for messages:
 * a cut one still says where). Paths are pushed for every member the
 * decoder reads, so this stays clear of snprintf. */
static void S_append(quire__jpath *p, const char *s, size_t n) {
  size_t room = sizeof p->buf - 1 - p->len;
  if (n > room)
    n = room;
  memcpy(p->buf + p->len, s, n);
  p->len += n;
  p->buf[p->len] = '\0';
}

/* Identifiers as ".key", anything else quoted (its first 64 bytes):
 * $["a b"]. */
size_t quire__dec_push_key(quire__dec *d, const char *key) {
  quire__jpath *p = &d->path;
  size_t old = p->len;
  int ident = (key[0] >= 'a' && key[0] <= 'z') ||
              (key[0] >= 'A' && key[0] <= 'Z') || key[0] == '_';
  for (const char *k = key; *k && ident; k++)
    ident = (*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') ||
            (*k >= '0' && *k <= '9') || *k == '_';
  if (ident) {
    S_append(p, ".", 1);
    S_append(p, key, strlen(key));
  } else {
    S_append(p, "[\"", 2);
    S_append(p, key, strnlen(key, 64));
    S_append(p, "\"]", 2);
  }
  return old;
}

size_t quire__dec_push_index(quire__dec *d, size_t i) {
  quire__jpath *p = &d->path;
  size_t old = p->len;
  char digits[24];
  size_t n = sizeof digits;
  digits[--n] = ']';
  do
    digits[--n] = (char)('0' + i % 10);
  while ((i /= 10) != 0);
  digits[--n] = '[';
  S_append(p, digits + n, sizeof digits - n);
  return old;
}

void quire__dec_pop(quire__dec *d, size_t old) {
  d->path.len = old;
  d->path.buf[old] = '\0';
}

const char *quire__json_type_name(const json_t *v) {
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

void quire__dec_warn(quire__dec *d, const char *fmt, ...) {
  char msg[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (quire__doc_warn(d->doc, d->path.buf, "%s", msg) != 0)
    d->oom = 1;
}

const char *quire__dec_dup(quire__dec *d, const char *s, size_t len) {
  const char *r = quire__arena_strndup(&d->doc->arena, s, len);
  if (!r)
    d->oom = 1;
  return r;
}

const char *quire__json_text(const json_t *obj, const char *key) {
  const json_t *v = json_object_get(obj, key);
  if (!json_is_string(v))
    return NULL;
  const char *s = json_string_value(v);
  size_t len = json_string_length(v);
  for (size_t i = 0; i < len; i++)
    if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
      return s;
  return NULL;
}

const char *quire__dec_str(quire__dec *d, const json_t *obj, const char *key) {
  const json_t *v = json_object_get(obj, key);
  if (!v || json_is_null(v))
    return NULL;
  if (!json_is_string(v)) {
    size_t old = quire__dec_push_key(d, key);
    quire__dec_warn(d, "expected a string, got %s; ignored",
                    quire__json_type_name(v));
    quire__dec_pop(d, old);
    return NULL;
  }
  if (!quire__json_text(obj, key))
    return NULL;
  return quire__dec_dup(d, json_string_value(v), json_string_length(v));
}

const json_t *quire__json_obj(const json_t *obj, const char *key) {
  const json_t *v = json_object_get(obj, key);
  return json_is_object(v) ? v : NULL;
}

int quire__key_in(const char *key, const char *const *list) {
  for (; *list; list++)
    if (strcmp(key, *list) == 0)
      return 1;
  return 0;
}

void quire__dec_check_keys(quire__dec *d, const json_t *obj,
                           const char *const *known, const char *what) {
  const char *key;
  json_t *v;
  json_object_foreach((json_t *)obj, key, v) {
    if (!quire__key_in(key, known)) {
      size_t old = quire__dec_push_key(d, key);
      quire__dec_warn(d, "unknown key in %s; kept but not rendered", what);
      quire__dec_pop(d, old);
    }
  }
}
