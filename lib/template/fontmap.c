/* Reads fonts/fontmap.json (built in) into a quire__fontmap. */
#include "template/fontmap.h"

#include "core/embedded.h"

#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Copies a JSON array of path strings (non-strings and "" skipped). */
static int S_paths(quire__font_paths *out, const json_t *list) {
  size_t n = json_array_size(list), i;
  const json_t *v;
  if (n == 0)
    return 0;
  if (!(out->v = quire__calloc(n, sizeof *out->v)))
    return QUIRE_ENOMEM;
  json_array_foreach(list, i, v) {
    const char *s = json_string_value(v);
    if (!s || !*s)
      continue;
    if (!(out->v[out->n] = quire__strdup(s)))
      return QUIRE_ENOMEM;
    out->n++;
  }
  return 0;
}

/* families[] entries have "faces": {regular: [...], ...}; fallback[]
 * entries have "files": [...] (read as their regular face). */
static int S_families(quire__font_family **out, size_t *nout,
                      const json_t *list, int fallback) {
  size_t n = json_array_size(list), i;
  const json_t *fam;
  *nout = 0;
  if (n == 0)
    return 0;
  if (!(*out = quire__calloc(n, sizeof **out)))
    return QUIRE_ENOMEM;
  json_array_foreach(list, i, fam) {
    quire__font_family *f = &(*out)[*nout];
    const char *name = json_string_value(json_object_get(fam, "family"));
    if (!(f->name = quire__strdup(name ? name : "")))
      return QUIRE_ENOMEM;
    (*nout)++;
    int rc;
    if (fallback) {
      rc = S_paths(&f->faces[0], json_object_get(fam, "files"));
    } else {
      const json_t *faces = json_object_get(fam, "faces");
      rc = 0;
      for (int k = 0; k < QUIRE__FONT_FACES && !rc; k++)
        rc = S_paths(&f->faces[k],
                     json_object_get(faces, quire__font_face_keys[k]));
    }
    if (rc)
      return rc;
  }
  return 0;
}

static int S_load(quire__fontmap **out, quire_error *err) {
  *out = NULL;
  const quire__embedded *e = quire__embedded_find("fonts/fontmap.json");
  if (!e)
    return quire__error_set(err, QUIRE_ETEMPLATE,
                            "fonts/fontmap.json is not built in");
  json_error_t je;
  json_t *root = json_loadb(e->data, e->len, JSON_REJECT_DUPLICATES, &je);
  if (!root)
    return quire__error_set(err, QUIRE_ETEMPLATE,
                            "fonts/fontmap.json:%d:%d: %s", je.line, je.column,
                            je.text);
  const json_t *fams = json_object_get(root, "families");
  if (!json_is_array(fams)) {
    json_decref(root);
    return quire__error_set(err, QUIRE_ETEMPLATE,
                            "fonts/fontmap.json: no \"families\" array");
  }
  quire__fontmap *m = quire__calloc(1, sizeof *m);
  int rc = m ? S_families(&m->families, &m->nfamilies, fams, 0) : QUIRE_ENOMEM;
  if (!rc)
    rc = S_families(&m->fallbacks, &m->nfallbacks,
                    json_object_get(root, "fallback"), 1);
  json_decref(root);
  if (rc) {
    quire__fontmap_free(m);
    return quire__error_set(err, rc, "out of memory");
  }
  *out = m;
  return 0;
}

static pthread_mutex_t S_lock = PTHREAD_MUTEX_INITIALIZER;
static quire__fontmap *S_map; /* NULL until read; immutable afterwards */

int quire__fontmap_builtin(const quire__fontmap **out, quire_error *err) {
  int rc = 0;
  pthread_mutex_lock(&S_lock);
  if (!S_map)
    rc = S_load(&S_map, err);
  *out = S_map;
  pthread_mutex_unlock(&S_lock);
  return rc;
}
