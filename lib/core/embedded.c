#include "core/embedded.h"

#include <string.h>

const quire__embedded *quire__embedded_find(const char *name) {
  for (const quire__embedded *e = quire__embedded_files; e->name; e++)
    if (strcmp(e->name, name) == 0)
      return e;
  return NULL;
}
