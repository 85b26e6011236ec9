#include "core/fontmap.h"

#include <stdlib.h>

const char *const quire__font_face_keys[QUIRE__FONT_FACES] = {
    "regular", "bold", "italic", "boldItalic"};

static void S_family_dispose(quire__font_family *f) {
  free(f->name);
  for (int k = 0; k < QUIRE__FONT_FACES; k++) {
    for (size_t i = 0; i < f->faces[k].n; i++)
      free(f->faces[k].v[i]);
    free(f->faces[k].v);
  }
}

void quire__fontmap_free(quire__fontmap *m) {
  if (!m)
    return;
  for (size_t i = 0; i < m->nfamilies; i++)
    S_family_dispose(&m->families[i]);
  for (size_t i = 0; i < m->nfallbacks; i++)
    S_family_dispose(&m->fallbacks[i]);
  free(m->families);
  free(m->fallbacks);
  free(m);
}
