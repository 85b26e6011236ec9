/* strict.h - the contract check behind QUIRE_PARSE_STRICT (internal). */
#ifndef QUIRE_DECODE_STRICT_H
#define QUIRE_DECODE_STRICT_H

#include "decode/shape.h"
#include "internal.h"

#include <jansson.h>

/* Where violations go: each one to cb (may be NULL) as an error
 * diagnostic, the first one also into err. With required_only (plain,
 * tolerant validation) only missing required keys are passed on, as
 * warnings, and err is left alone. */
typedef struct quire__strict_sink {
  quire_diag_fn cb;
  void *payload;
  quire_error *err;
  size_t count;
  int required_only;
} quire__strict_sink;

/* Checks root against the schema of its shape (sh->schema, or
 * sh->schema_alt when that one passes), reporting at most max violations.
 * Exactly as a JSON Schema 2020-12 validator does by default: "format" is
 * an annotation, not an assertion.
 * Returns the number reported; a missing or broken built-in schema is
 * reported as one. */
size_t quire__strict_check(const json_t *root, const quire__shape_info *sh,
                           size_t max, quire__strict_sink *sink);

#endif
