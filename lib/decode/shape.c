/* Which generation a report is, decided once from its keys. */
#include "decode/shape.h"

#include "decode/decoder.h"

#include <string.h>

static int S_str_is(const json_t *obj, const char *key, const char *want) {
  const json_t *v = json_object_get(obj, key);
  return json_is_string(v) && strcmp(json_string_value(v), want) == 0;
}

/* A matching result says so in its envelope (output.template) or in its
 * payload (schemaVersion 1, or template "matching"). */
static int S_is_matching(const json_t *output, const json_t *json) {
  if (S_str_is(output, "template", "matching"))
    return 1;
  if (!json_is_object(json))
    return 0;
  const json_t *ver = json_object_get(json, "schemaVersion");
  return (json_is_number(ver) && json_number_value(ver) == 1) ||
         S_str_is(json, "template", "matching");
}

/* Keys only the legacy sections generation has at its top level. */
static int S_has_legacy_keys(const json_t *root) {
  static const char *const legacy[] = {
      "sections", "metrics", "raw", "summary", "pdfUrl", "reportUrl", NULL};
  for (const char *const *k = legacy; *k; k++)
    if (json_object_get(root, *k))
      return 1;
  return 0;
}

static const json_t *S_present(const json_t *obj, const char *key) {
  const json_t *v = json_object_get(obj, key);
  return v && !json_is_null(v) ? v : NULL;
}

static quire_shape S_shape(const quire__shape_info *sh, const json_t *output) {
  if (S_is_matching(output, sh->json))
    return QUIRE_SHAPE_MATCHING;
  if (json_is_object(sh->json) && sh->json_from_output)
    return QUIRE_SHAPE_SDK;
  if (quire__json_text(output, "type"))
    return QUIRE_SHAPE_NODE;
  if (json_is_object(sh->json))
    return QUIRE_SHAPE_V2;
  if (json_is_array(sh->sections))
    return QUIRE_SHAPE_SECTIONS;
  if (sh->markdown)
    return QUIRE_SHAPE_MARKDOWN;
  return QUIRE_SHAPE_EMPTY;
}

void quire__shape_detect(quire__shape_info *out, const json_t *root) {
  memset(out, 0, sizeof *out);
  const json_t *output = quire__json_obj(root, "output");
  out->json = S_present(root, "json");
  if (!out->json && output && (out->json = S_present(output, "json")))
    out->json_from_output = 1;
  out->markdown = quire__json_text(root, "markdown");
  if (!out->markdown && output &&
      (out->markdown = quire__json_text(output, "markdown")))
    out->markdown_from_output = 1;
  out->sections = S_present(root, "sections");
  out->shape = S_shape(out, output);
  out->has_content =
      json_is_object(out->json) || out->sections || out->markdown;

  /* A report with a json payload is judged by the current contract, so
   * its stray legacy keys are what gets reported. */
  if (out->shape == QUIRE_SHAPE_MATCHING) {
    out->schema = QUIRE__SCHEMA_MATCHING;
  } else if ((out->json && !out->json_from_output) ||
             !S_has_legacy_keys(root)) {
    out->schema = QUIRE__SCHEMA_V2;
    out->schema_alt = QUIRE__SCHEMA_V1;
  } else {
    out->schema = QUIRE__SCHEMA_V1;
  }
}
