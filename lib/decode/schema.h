/*
 * schema.h - a small JSON Schema (draft 2020-12) validator, internal to
 * libquire, for the keywords the Conduit contract uses.
 *
 * Supported: boolean schemas, type (names and arrays of names; "integer" is
 * any number with a zero fractional part), enum, const (deep equality where
 * 2 == 2.0), required, properties, patternProperties, additionalProperties,
 * propertyNames, items (2020-12: the items after prefixItems), prefixItems,
 * minItems, maxItems, minLength, maxLength (in code points), minimum,
 * maximum, exclusiveMinimum, exclusiveMaximum, multipleOf, pattern, allOf,
 * anyOf, oneOf, not, format "uri" (an assertion only with
 * QUIRE__SCHEMA_FORMAT_ASSERT) and local "$ref" ("#" and "#/json/pointer").
 * Every other keyword is ignored, as the specification asks of unknown
 * keywords; $schema, $id, $defs, title, description and default are
 * annotations. pattern and patternProperties use POSIX extended regular
 * expressions, which agree with ECMA-262 on the simple anchored patterns
 * schemas use in practice but not on \d, \w, lookaround or lazy operators.
 */
#ifndef QUIRE_DECODE_SCHEMA_H
#define QUIRE_DECODE_SCHEMA_H

#include <jansson.h>
#include <stddef.h>

/* Receives one violation: the JSON path of the offending value (for example
 * "$.json.sections[2].items" or $["a b"]) and a one-line message. Both
 * strings are borrowed for the duration of the call. */
typedef void (*quire__schema_error_fn)(void *payload, const char *path,
                                       const char *message);

enum {
  QUIRE__SCHEMA_FORMAT_ASSERT = 1 /* treat "format" as an assertion */
};

/* Deepest schema-over-instance descent (including $ref hops) before a value
 * is reported as "nesting too deep"; keeps the C stack bounded. */
#define QUIRE__SCHEMA_MAX_DEPTH 128

/* Paths longer than this are cut and end in "[...]". */
#define QUIRE__SCHEMA_PATH_MAX 1024

/*
 * Validates `instance` against `schema` (a JSON object or boolean).
 *
 * Each violation is reported through `cb` (which may be NULL to only count)
 * with a path built from `root_path` (NULL means "$"). For anyOf/oneOf the
 * report names the one shape the value was most likely meant to be: the
 * branch chosen by a `const` discriminator property, the only branch of a
 * compatible type, or the branch with fewest errors; otherwise a summary.
 * Messages say what was expected and what was found, e.g.
 * `expected at least 1 item, got 0`.
 *
 * Stops after `max_errors` reports (0 is taken as 1). Returns the number of
 * violations reported: 0 means valid. Schema mistakes (an unresolvable $ref,
 * a malformed keyword value) are reported as violations too, so a broken
 * schema never passes silently.
 *
 * Memory: a fixed amount of stack (bounded by QUIRE__SCHEMA_MAX_DEPTH, about
 * 14 KB of context plus well under 1 KB per level); heap only transiently,
 * for a compiled regular expression or one property name at a time. Work is
 * bounded too: branch verdicts are remembered, so a recursive $ref under
 * anyOf stays linear, and a fixed step budget ends anything else with
 * "validation stopped: ...". Reentrant: no global state.
 */
int quire__schema_validate(const json_t *schema, const json_t *instance,
                           const char *root_path, unsigned flags,
                           size_t max_errors, quire__schema_error_fn cb,
                           void *payload);

#endif
