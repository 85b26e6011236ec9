/*
 * shape.h - which generation of report a JSON document is (internal).
 *
 * The one place that looks at a report's keys to tell the generations
 * apart. The decoder records the result as quire_doc_shape() and reads
 * the body from where this says it is; --strict judges the payload against
 * the schema this names. Pure: no warnings, no allocation.
 */
#ifndef QUIRE_DECODE_SHAPE_H
#define QUIRE_DECODE_SHAPE_H

#include "quire.h"

#include <jansson.h>

typedef struct quire__shape_info {
  quire_shape shape;
  /* The structured payload: top-level `json`, or `output.json` in an
   * SDK-normalised dump when the top level has none. NULL when absent or
   * null; may be a non-object (the decoder warns). */
  const json_t *json;
  int json_from_output;
  /* The report markdown (a string with more than whitespace): top-level
   * `markdown`, else `output.markdown`; NULL when there is none. */
  const char *markdown;
  int markdown_from_output;
  /* Top-level legacy `sections`, NULL when absent or null. */
  const json_t *sections;
  /* 1 when any of the three has something to show. */
  int has_content;
  /* The contract schema (a built-in file name) this shape is judged by,
   * and one that is also accepted when that fails (NULL for none): a
   * markdown-only report is valid under either generation. */
  const char *schema;
  const char *schema_alt;
} quire__shape_info;

void quire__shape_detect(quire__shape_info *out, const json_t *root);

#define QUIRE__SCHEMA_V2 "schemas/v2-report.schema.json"
#define QUIRE__SCHEMA_V1 "schemas/v1-sections-report.schema.json"
#define QUIRE__SCHEMA_MATCHING "schemas/matching-report.schema.json"

#endif
