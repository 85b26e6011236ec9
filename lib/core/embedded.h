/* Built-in copies of data files (templates/, schemas/, fonts/), generated at
 * build time by tools/embed.c. */
#ifndef QUIRE_CORE_EMBEDDED_H
#define QUIRE_CORE_EMBEDDED_H

#include <stddef.h>

typedef struct quire__embedded {
  const char *name; /* "templates/default/layout.mustache", "schemas/x.json" */
  const char *data; /* NUL-terminated contents */
  size_t len;       /* bytes, excluding the NUL */
} quire__embedded;

/* Terminated by an entry whose name is NULL. */
extern const quire__embedded quire__embedded_files[];

/* The built-in file with this name, or NULL. */
const quire__embedded *quire__embedded_find(const char *name);

#endif
