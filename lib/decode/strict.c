/* The contract check: the payload against the built-in JSON Schema of its
 * shape (schemas/, validated by schema.c). */
#include "decode/strict.h"

#include "core/embedded.h"
#include "decode/schema.h"

#include <stdio.h>
#include <string.h>

static void S_report(void *payload, const char *path, const char *message) {
  quire__strict_sink *s = payload;
  if (s->required_only) {
    if (strncmp(message, "missing required key", 20) != 0)
      return;
    s->count++;
    if (s->cb) {
      quire_diag d = {QUIRE_SEVERITY_WARNING, path, message};
      s->cb(&d, s->payload);
    }
    return;
  }
  if (s->count == 0 && s->err) {
    quire__error_path(s->err, path);
    quire__error_set(s->err, QUIRE_ESCHEMA, "%s", message);
  }
  s->count++;
  if (s->cb) {
    quire_diag d = {QUIRE_SEVERITY_ERROR, path, message};
    s->cb(&d, s->payload);
  }
}

static json_t *S_load(const char *name, quire__strict_sink *sink) {
  const quire__embedded *e = quire__embedded_find(name);
  json_error_t je;
  json_t *schema = e ? json_loadb(e->data, e->len, 0, &je) : NULL;
  if (!schema) {
    char msg[300];
    snprintf(msg, sizeof msg, "built-in schema %s %s", name,
             e ? "is not valid JSON" : "is missing");
    S_report(sink, "$", msg);
    if (sink->err)
      sink->err->code = QUIRE_ERROR;
  }
  return schema;
}

/* 1 when root passes the schema called name (nothing is reported). */
static int S_passes(const json_t *root, const char *name) {
  const quire__embedded *e = quire__embedded_find(name);
  json_error_t je;
  json_t *schema = e ? json_loadb(e->data, e->len, 0, &je) : NULL;
  int ok = schema &&
           quire__schema_validate(schema, root, "$", 0, 1, NULL, NULL) == 0;
  json_decref(schema);
  return ok;
}

size_t quire__strict_check(const json_t *root, const quire__shape_info *sh,
                           size_t max, quire__strict_sink *sink) {
  size_t before = sink->count;
  json_t *schema = S_load(sh->schema, sink);
  if (!schema)
    return sink->count - before;
  /* Quietly first, so that passing the alternative reports nothing. */
  int ok = quire__schema_validate(schema, root, "$", 0, 1, NULL, NULL) == 0;
  if (!ok && !(sh->schema_alt && S_passes(root, sh->schema_alt)))
    quire__schema_validate(schema, root, "$", 0, max ? max : 1, S_report, sink);
  json_decref(schema);
  return sink->count - before;
}
