/* The top-level fields of every generation: REST (v2 and legacy), the
 * node-era `output.type` reports, SDK-normalised dumps (flat entityId,
 * output.markdown) and matching results (target, group, context). */
#include "decode/decoder.h"
#include "decode/shape.h"
#include "safety/url_policy.h"

#include "core/values.h"

#include <stdio.h>
#include <string.h>

/* Every top-level key some generation has; anything else is kept as an
 * extra fact with a warning. */
static const char *const S_top_keys[] = {
    "id",      "createdAt", "jobId",   "label",      "entity",   "media",
    "output",  "markdown",  "json",    "provenance", "sections", "metrics",
    "raw",     "summary",   "pdfUrl",  "reportUrl",  "entityId", "entityLabel",
    "mediaId", "usage",     "subject", "title",      "template", "context",
    "target",  "group",     NULL};

static const char *S_safe_url(quire__dec *d, const char *url, const char *key) {
  if (!url)
    return NULL;
  if (quire__url_is_safe(url, 0))
    return url;
  size_t old = quire__dec_push_key(d, key);
  quire__dec_warn(d, "URL is not http(s); dropped");
  quire__dec_pop(d, old);
  return NULL;
}

static void S_entity(quire__dec *d, const json_t *root) {
  quire_doc *doc = d->doc;
  const json_t *entity = quire__json_obj(root, "entity");
  size_t old = quire__dec_push_key(d, "entity");
  if (entity) {
    doc->entity_id = quire__dec_str(d, entity, "id");
    doc->entity_label = quire__dec_str(d, entity, "label");
    const json_t *tags = json_object_get(entity, "tags");
    if (tags)
      quire__dec_fact(d, QUIRE_FACT_SUBJECT, "tags", tags, 1);
  }
  quire__dec_pop(d, old);
  if (!doc->entity_id)
    doc->entity_id = quire__dec_str(d, root, "entityId");
  if (!doc->entity_label)
    doc->entity_label = quire__dec_str(d, root, "entityLabel");
}

static void S_media(quire__dec *d, const json_t *root) {
  quire_doc *doc = d->doc;
  const json_t *media = quire__json_obj(root, "media");
  size_t old = quire__dec_push_key(d, "media");
  if (media) {
    doc->media_id = quire__dec_str(d, media, "mediaId");
    doc->media_url = S_safe_url(d, quire__dec_str(d, media, "url"), "url");
  }
  quire__dec_pop(d, old);
  if (!doc->media_id)
    doc->media_id = quire__dec_str(d, root, "mediaId");
}

/* output: the template, the SDKs' markdown, the report link. The markdown
 * is the one shape.c found; reading it here checks its type in order. */
static void S_output(quire__dec *d, const json_t *root,
                     const quire__shape_info *sh) {
  quire_doc *doc = d->doc;
  const json_t *output = quire__json_obj(root, "output");
  const char *markdown = quire__dec_str(d, root, "markdown");
  size_t old = quire__dec_push_key(d, "output");
  if (output) {
    doc->template_name = quire__dec_str(d, output, "template");
    if (!markdown)
      markdown = quire__dec_str(d, output, "markdown");
    doc->report_url =
        S_safe_url(d, quire__dec_str(d, output, "reportUrl"), "reportUrl");
    quire__dec_str(d, output, "type"); /* only its type is checked */
  }
  quire__dec_pop(d, old);
  doc->markdown_text = sh->markdown ? markdown : NULL;
}

/* The report link: reportUrl, else output.reportUrl, else the media. */
static void S_links(quire__dec *d, const json_t *root) {
  quire_doc *doc = d->doc;
  const char *ru =
      S_safe_url(d, quire__dec_str(d, root, "reportUrl"), "reportUrl");
  if (ru)
    doc->report_url = ru;
  if (!doc->report_url && doc->media_url) {
    doc->report_url = doc->media_url;
    doc->report_url_is_media = 1;
  }
  doc->pdf_url = S_safe_url(d, quire__dec_str(d, root, "pdfUrl"), "pdfUrl");
}

void quire__decode_envelope(quire__dec *d, const json_t *root,
                            const quire__shape_info *sh) {
  quire_doc *doc = d->doc;
  doc->id = quire__dec_str(d, root, "id");
  doc->created_at = quire__dec_str(d, root, "createdAt");
  quire__date created;
  quire__date_parse(&created, doc->created_at);
  if (doc->created_at && !created.valid) {
    /* Never invented: every format shows the text as given. */
    size_t old = quire__dec_push_key(d, "createdAt");
    quire__dec_warn(d, "not a date (YYYY-MM-DD or an RFC 3339 date and time); "
                       "shown as given");
    quire__dec_pop(d, old);
  }
  doc->job_id = quire__dec_str(d, root, "jobId");
  doc->label = quire__dec_str(d, root, "label");
  doc->summary = quire__dec_str(d, root, "summary");
  S_entity(d, root);
  S_media(d, root);
  S_output(d, root, sh);
  S_links(d, root);
}

/* Matching results name who was compared with whom. */
static void S_subjects(quire__dec *d, const json_t *root) {
  quire_doc *doc = d->doc;
  const json_t *target = quire__json_obj(root, "target");
  if (target) {
    quire__dec_fact(d, QUIRE_FACT_SUBJECT, "target", target, 1);
    if (!doc->entity_label) {
      size_t old = quire__dec_push_key(d, "target");
      doc->entity_label = quire__dec_str(d, target, "resolvedLabel");
      if (!doc->entity_id)
        doc->entity_id = quire__dec_str(d, target, "entityId");
      quire__dec_pop(d, old);
    }
  }
  const json_t *group = json_object_get(root, "group");
  for (size_t i = 0; i < json_array_size(group); i++) {
    const json_t *g = json_array_get(group, i);
    const json_t *gl = json_object_get(g, "resolvedLabel");
    const json_t *gid = json_object_get(g, "entityId");
    char name[64];
    snprintf(name, sizeof name, "group[%zu]", i);
    quire__dec_fact(d, QUIRE_FACT_SUBJECT, name,
                    json_is_string(gl) ? gl
                    : gid              ? gid
                                       : g,
                    1);
  }
  const json_t *context = json_object_get(root, "context");
  if (json_is_string(context))
    quire__dec_fact(d, QUIRE_FACT_SUBJECT, "context", context, 1);
  const json_t *subject = quire__json_obj(root, "subject");
  if (subject)
    quire__dec_fact(d, QUIRE_FACT_SUBJECT, "", subject, 0);
}

/* The numbers of a fact group, checked at their JSON paths. */
static void S_check(quire__dec *d, const json_t *v, const char *key) {
  size_t old = quire__dec_push_key(d, key);
  quire__dec_check_values(d, v, key, 0);
  quire__dec_pop(d, old);
}

static void S_facts(quire__dec *d, const json_t *root) {
  static const char *const groups[] = {"provenance", "metrics", "usage",
                                       "raw",        "subject", "target"};
  for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++) {
    const json_t *g = quire__json_obj(root, groups[i]);
    if (g)
      S_check(d, g, groups[i]);
  }
  const json_t *prov = quire__json_obj(root, "provenance");
  if (prov)
    quire__dec_fact(d, QUIRE_FACT_PROVENANCE, "", prov, 0);
  const json_t *metrics = quire__json_obj(root, "metrics");
  if (metrics)
    quire__dec_fact(d, QUIRE_FACT_METRICS, "", metrics, 0);
  const json_t *usage = quire__json_obj(root, "usage");
  if (usage)
    quire__dec_fact(d, QUIRE_FACT_USAGE, "", usage, 0);
  /* The legacy `raw` object says how the report was made: shown with the
   * generation facts rather than dropped. */
  const json_t *raw = quire__json_obj(root, "raw");
  if (raw)
    quire__dec_fact(d, QUIRE_FACT_META, "", raw, 0);
  S_subjects(d, root);
}

/* Unknown top-level keys are kept as facts, never silently dropped. */
static void S_extras(quire__dec *d, const json_t *root) {
  const char *key;
  json_t *v;
  json_object_foreach((json_t *)root, key, v) {
    if (!quire__key_in(key, S_top_keys)) {
      size_t old = quire__dec_push_key(d, key);
      quire__dec_warn(d, "unknown key; kept as an extra field");
      quire__dec_pop(d, old);
      quire__dec_fact(d, QUIRE_FACT_EXTRA, key, v, 1);
    }
  }
  const json_t *output = quire__json_obj(root, "output");
  if (output) {
    static const char *const out_keys[] = {
        "template",         "type",           "markdown", "json", "reportUrl",
        "availableFormats", "templateParams", NULL};
    size_t old = quire__dec_push_key(d, "output");
    quire__dec_check_keys(d, output, out_keys, "output");
    quire__dec_pop(d, old);
  }
}

void quire__decode_envelope_tail(quire__dec *d, const json_t *root,
                                 const quire__shape_info *sh) {
  quire_doc *doc = d->doc;
  if (!sh->has_content)
    quire__dec_warn(d, "report has no content (no json, sections or markdown)");
  if (strcmp(doc->title, "Untitled report") == 0 && doc->label)
    doc->title = doc->label;
  S_facts(d, root);
  S_extras(d, root);
  if (doc->template_name) {
    static const char *const known[] = {"sales_playbook", "general_report",
                                        "hiring_report",  "profile_alignment",
                                        "matching",       NULL};
    if (!quire__key_in(doc->template_name, known))
      quire__dec_warn(d, "unknown template \"%s\"; the default look is used",
                      doc->template_name);
  }
}
