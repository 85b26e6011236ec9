/* quire_template_check: every file of a template set compiled, and every
 * name its tags look up checked against the documented view
 * (templates/README.md, "Variables of the page" and "of a block"). A
 * misspelt name ({{titel}}) is not an error to Mustache: it renders as
 * nothing, so without this check a template author never hears of it. */
#include "template/mustache.h"
#include "template/template.h"
#include "template/theme.h"

#include <stdio.h>
#include <string.h>

/* Every name a view holds at some level: the page's, a block's, and those
 * of the lists inside them (toc, ids, links, facts, phrases, head, rows).
 * Mustache looks a name up the whole context stack, so a name is known
 * when any level documents it. */
static const char *const S_names[] = {
    /* page */
    "lang", "title", "title_css", "generator", "theme_css", "css", "extra_css",
    "theme", "doc", "blocks", "toc", "has_toc", "ids", "links", "has_links",
    "facts", "has_facts", "kicker", "byline", "byline_labelled",
    "summary_title", "about", "fields",
    /* list items of the page */
    "id", "label", "value", "href", "text", "name", "iso", "first", "code",
    /* every block */
    "partial", "kind", "h", "level", "key", "top",
    /* block kinds */
    "phrases", "n", "items", "number", "icon", "icon_svg", "columns", "variant",
    "svg", "info", "literal", "path", "html", "tight", "ordered", "start",
    "tasks", "task", "done", "has_head", "head", "rows", "cells", "align",
    "step", "has_rows", "heading", "as_records", "records", "bar", "role"};

/* doc.* and theme.* are checked one level further. */
static const char *const S_doc[] = {
    "title",        "summary",      "label", "label_differs", "entity",
    "entity_label", "entity_id",    "date",  "date_iso",      "created_at",
    "template",     "template_dir", "id",    "job_id",        "media_id"};
static const char *const S_theme[] = {"display_name", "palette",  "dark",
                                      "fonts",        "name",     "sizes",
                                      "spacing",      "terminal", "chips"};

static int S_in(const char *word, size_t len, const char *const *list,
                size_t n) {
  for (size_t i = 0; i < n; i++)
    if (strlen(list[i]) == len && strncmp(list[i], word, len) == 0)
      return 1;
  return 0;
}

#define S_COUNT(a) (sizeof(a) / sizeof((a)[0]))

int quire__template_name_known(const char *name) {
  if (strcmp(name, ".") == 0)
    return 1;
  size_t first = strcspn(name, ".");
  if (!S_in(name, first, S_names, S_COUNT(S_names)))
    return 0;
  if (!name[first])
    return 1;
  const char *second = name + first + 1;
  size_t len = strcspn(second, ".");
  if (first == 3 && strncmp(name, "doc", 3) == 0)
    return S_in(second, len, S_doc, S_COUNT(S_doc));
  if (first == 5 && strncmp(name, "theme", 5) == 0)
    return S_in(second, len, S_theme, S_COUNT(S_theme));
  return 1;
}

typedef struct S_check {
  const quire__mustache *tpl;
  quire_template_problem_fn fn;
  void *payload;
  size_t problems;
} S_check;

static void S_name(const char *name, int section, unsigned line, unsigned col,
                   void *payload) {
  S_check *c = payload;
  (void)section;
  if (quire__template_name_known(name))
    return;
  char msg[400];
  snprintf(msg, sizeof msg,
           "unknown variable \"%.200s\": not in the view (see "
           "templates/README.md); it renders as nothing",
           name);
  quire_template_problem p = {quire__mustache_name(c->tpl), line, col, name,
                              msg};
  c->problems++;
  if (c->fn)
    c->fn(&p, c->payload);
}

static void S_file(const quire__mustache *tpl, void *payload) {
  S_check *c = payload;
  c->tpl = tpl;
  quire__mustache_names(tpl, S_name, c);
}

int quire_template_check(const char *user_dir, const char *name,
                         quire_template_problem_fn fn, void *payload,
                         quire_error *err) {
  quire_error_clear(err);
  if (!name || !*name)
    name = "default";
  const char *tname = quire__template_dir_name(name, name);
  int rc = quire__template_check(user_dir, tname, err);
  if (rc)
    return rc;
  quire__template *t = NULL;
  rc = quire__template_new(&t, user_dir, tname, err);
  if (!rc)
    rc = quire__template_complete(t, err);
  if (!rc) {
    S_check c = {NULL, fn, payload, 0};
    quire__template_each(t, S_file, &c);
    if (c.problems)
      rc = quire__error_set(err, QUIRE_ETEMPLATE,
                            "template %s: %zu unknown variable%s", tname,
                            c.problems, c.problems == 1 ? "" : "s");
  }
  quire__template_free(t);
  return rc;
}
