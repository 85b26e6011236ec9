/* The presentation of a document: see present.h. Everything a reader sees
 * that is not the blocks' own text is decided here, once. */
#include "present/present.h"

#include "model/model.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_MAX_BYLINE 4
#define S_MAX_FIELDS 12
#define S_MAX_SETS 6
#define S_MAX_HIDDEN 4

typedef struct S_data_entry {
  const quire_node *node;
  quire__data data;
} S_data_entry;

struct quire__present {
  const quire_doc *doc;
  /* In the document's cache: the options it was built for, and the next
   * one built for other options. */
  char *key_name, *key_theme;
  int key_override;
  quire_body key_body;
  quire__present *next;
  char **strs; /* every string built here, freed together */
  size_t nstrs, astrs;
  int oom;

  const char *kicker, *title, *summary, *summary_title;
  quire__date date;
  quire__field byline[S_MAX_BYLINE];
  size_t nbyline;
  int labelled;
  const char *step;
  int criteria; /* top-level paragraphs are criterion rows */

  const quire_node **blocks;
  size_t nblocks;
  const quire_node *hidden[S_MAX_HIDDEN];
  size_t nhidden;
  S_data_entry *data;
  size_t ndata, adata;

  quire__field fields[S_MAX_FIELDS];
  size_t nfields;
  quire__fact_set sets[S_MAX_SETS];
  size_t nsets;
};

/* ---- strings ---- */

static const char *S_keep(quire__present *p, char *s) {
  if (!s) {
    p->oom = 1;
    return NULL;
  }
  if (p->nstrs == p->astrs) {
    size_t na = p->astrs ? p->astrs * 2 : 32;
    char **ns = quire__realloc(p->strs, na * sizeof *ns);
    if (!ns) {
      free(s);
      p->oom = 1;
      return NULL;
    }
    p->strs = ns;
    p->astrs = na;
  }
  p->strs[p->nstrs++] = s;
  return s;
}

/* Takes b's contents as a kept string; b is left empty. */
static const char *S_take(quire__present *p, quire_buf *b) {
  if (quire_buf_failed(b)) {
    quire_buf_dispose(b);
    p->oom = 1;
    return NULL;
  }
  return S_keep(p, quire_buf_detach(b, NULL));
}

static const char *S_dup(quire__present *p, const char *s) {
  return s ? S_keep(p, quire__strdup(s)) : NULL;
}

/* ---- labels and values ---- */

void quire__present_label(quire_buf *b, const char *name, const char *sep) {
  int first = 1;
  for (const char *p = name; *p; p++) {
    char ch = *p;
    if (ch == '.') {
      quire_buf_puts(b, sep);
      first = 1;
      continue;
    }
    if (ch == '_' || ch == '-') {
      quire_buf_putc(b, ' ');
      continue;
    }
    if (ch >= 'A' && ch <= 'Z' && !first && p > name && p[-1] >= 'a' &&
        p[-1] <= 'z') {
      quire_buf_putc(b, ' ');
      ch = (char)(ch - 'A' + 'a');
    } else if (first && ch >= 'a' && ch <= 'z') {
      ch = (char)(ch - 'a' + 'A');
    }
    first = 0;
    quire_buf_putc(b, ch);
  }
}

/* A value that is all lower-case ASCII words joined by '_' (an enum from
 * the API: "behavioral_compatibility", "entity_id") reads as words. */
static int S_is_enum(const char *v) {
  if (!v || !*v)
    return 0;
  for (const char *p = v; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || *p == '_'))
      return 0;
  return strchr(v, '_') != NULL;
}

static int S_number(const char *v, double *out) {
  if (!v || !*v)
    return 0;
  char *end;
  double d = strtod(v, &end);
  if (*end || !isfinite(d))
    return 0;
  *out = d;
  return 1;
}

/* One fact's label and value for people: units in the value, not the
 * name ("durationMs" 88431 -> "Duration", "1 min 28 s"), ratios as
 * percentages, API enums as words, list positions dropped. */
static void S_fact(quire__present *p, quire__field *row, const char *name,
                   const char *value) {
  quire_buf label = QUIRE_BUF_INIT, val = QUIRE_BUF_INIT;
  char base[256];
  snprintf(base, sizeof base, "%s", name);
  /* "group[0]": who a matching compared the target with. */
  /* A subject's metadata is what the subject is: no "Metadata" heading
   * on each of its keys. */
  if (strncmp(base, "metadata.", 9) == 0)
    memmove(base, base + 9, strlen(base + 9) + 1);
  char *br = strchr(base, '[');
  if (br && strncmp(base, "group[", 6) == 0) {
    snprintf(base, sizeof base, "%s", "comparedWith");
  } else if (br) {
    *br = '\0';
  }
  double num;
  int isnum = S_number(value, &num);
  size_t cut;
  quire__num_kind kind = quire__num_kind_of(base, &cut);
  /* A value that is not what its name says (a negative duration, a ratio
   * of 1.7) is shown as given, unit and all: the decoder warned. */
  if (isnum && num >= 0 && (kind == QUIRE__NUM_MS || kind == QUIRE__NUM_SEC)) {
    base[strlen(base) - cut] = '\0';
    quire__duration_format(&val, kind == QUIRE__NUM_MS ? num / 1000 : num);
  } else if (isnum && num >= 0 && num <= 1 && kind == QUIRE__NUM_RATIO) {
    char pct[32];
    snprintf(pct, sizeof pct, "%.1f", num * 100);
    size_t k = strlen(pct);
    if (k > 2 && strcmp(pct + k - 2, ".0") == 0)
      pct[k - 2] = '\0';
    quire_buf_printf(&val, "%s %%", pct);
  } else if (S_is_enum(value)) {
    quire__present_label(&val, value, " ");
  } else {
    quire_buf_puts(&val, value);
  }
  quire__present_label(&label, base, " \xC2\xB7 ");
  row->label = S_take(p, &label);
  row->value = S_take(p, &val);
  row->url = NULL;
}

static const char *S_group_label(quire_fact_group g) {
  switch (g) {
  case QUIRE_FACT_METRICS: return "Metrics";
  case QUIRE_FACT_SUBJECT: return "Subject";
  case QUIRE_FACT_USAGE: return "Usage";
  case QUIRE_FACT_PROVENANCE: return "Provenance";
  case QUIRE_FACT_META: return "Generation";
  case QUIRE_FACT_EXTRA: return "Other";
  }
  return "Other";
}

/* A subject fact that only repeats a field of the end matter (a matching
 * target's entity id and label) is not shown twice. */
static int S_shown(const quire__present *p, const quire_fact *f) {
  if (!f->value || !*f->value)
    return 0;
  if (f->group != QUIRE_FACT_SUBJECT)
    return 1;
  for (size_t i = 0; i < p->nfields; i++)
    if (strcmp(p->fields[i].value, f->value) == 0)
      return 0;
  return 1;
}

static void S_facts(quire__present *p) {
  static const quire_fact_group order[] = {
      QUIRE_FACT_METRICS,    QUIRE_FACT_SUBJECT, QUIRE_FACT_USAGE,
      QUIRE_FACT_PROVENANCE, QUIRE_FACT_META,    QUIRE_FACT_EXTRA};
  size_t nf = quire_doc_fact_count(p->doc);
  for (size_t g = 0; g < sizeof order / sizeof order[0]; g++) {
    size_t count = 0;
    for (size_t i = 0; i < nf; i++) {
      const quire_fact *f = quire_doc_fact(p->doc, i);
      count += f->group == order[g] && S_shown(p, f);
    }
    if (!count)
      continue;
    quire__fact_set *s = &p->sets[p->nsets];
    s->rows = quire__calloc(count, sizeof *s->rows);
    if (!s->rows) {
      p->oom = 1;
      return;
    }
    p->nsets++;
    s->label = S_group_label(order[g]);
    for (size_t i = 0; i < nf; i++) {
      const quire_fact *f = quire_doc_fact(p->doc, i);
      if (f->group == order[g] && S_shown(p, f))
        S_fact(p, &s->rows[s->n++], f->name ? f->name : "", f->value);
    }
  }
}

/* ---- structured data ---- */

static void S_row(quire__present *p, quire__data *d, int level,
                  const char *label, const char *value, double bar) {
  quire__data_row *nr = quire__realloc(d->rows, (d->n + 1) * sizeof *d->rows);
  if (!nr) {
    p->oom = 1;
    return;
  }
  d->rows = nr;
  quire__data_row r = {level, label, value, bar};
  d->rows[d->n++] = r;
}

static void S_scalar(quire_buf *b, const json_t *v) {
  switch (json_typeof(v)) {
  case JSON_STRING: quire_buf_puts(b, json_string_value(v)); break;
  case JSON_INTEGER:
    quire_buf_printf(b, "%lld", (long long)json_integer_value(v));
    break;
  case JSON_REAL: quire_buf_printf(b, "%.15g", json_real_value(v)); break;
  case JSON_TRUE: quire_buf_puts(b, "yes"); break;
  case JSON_FALSE: quire_buf_puts(b, "no"); break;
  case JSON_NULL: quire_buf_puts(b, "none"); break;
  default: break;
  }
}

/* Data below the depth limit, on one line: "a: 1, b: x y". */
static void S_flat(quire_buf *b, const json_t *v) {
  if (json_is_object(v)) {
    const char *k;
    json_t *x;
    int first = 1;
    json_object_foreach((json_t *)v, k, x) {
      if (!first)
        quire_buf_puts(b, "; ");
      first = 0;
      quire__present_label(b, k, " ");
      quire_buf_puts(b, ": ");
      S_flat(b, x);
    }
  } else if (json_is_array(v)) {
    for (size_t i = 0; i < json_array_size(v); i++) {
      if (i)
        quire_buf_puts(b, ", ");
      S_flat(b, json_array_get(v, i));
    }
  } else {
    S_scalar(b, v);
  }
}

static int S_all_scalars(const json_t *v) {
  for (size_t i = 0; i < json_array_size(v); i++) {
    const json_t *x = json_array_get(v, i);
    if (json_is_object(x) || json_is_array(x))
      return 0;
  }
  return 1;
}

/* A score's place on its scale, or -1 (values.h): a fraction written with
 * a decimal point (0.78), or a whole number under a key that says it is a
 * score ("scores", "overallScore"). */
static double S_bar(const json_t *v, int scores) {
  if (json_is_real(v))
    return quire__score_place(json_real_value(v), 0);
  if (json_is_integer(v) && scores)
    return quire__score_place((double)json_integer_value(v), 1);
  return -1;
}

static void S_data(quire__present *p, quire__data *d, const char *key,
                   const char *label, const json_t *v, int level, int scores) {
  quire_buf b = QUIRE_BUF_INIT;
  scores = scores || quire__is_score_name(key);
  int compound = json_is_object(v) || (json_is_array(v) && !S_all_scalars(v));
  if (!compound || level + 1 >= QUIRE__DATA_DEPTH) {
    S_flat(&b, v);
    S_row(p, d, level, label, S_take(p, &b), compound ? -1 : S_bar(v, scores));
    return;
  }
  int below = level;
  if (label) {
    S_row(p, d, level, label, NULL, -1);
    below = level + 1;
  }
  if (json_is_object(v)) {
    const char *k;
    json_t *x;
    json_object_foreach((json_t *)v, k, x) {
      quire__present_label(&b, k, " ");
      S_data(p, d, k, S_take(p, &b), x, below, scores);
    }
  } else {
    for (size_t i = 0; i < json_array_size(v); i++) {
      quire_buf_printf(&b, "%zu", i + 1);
      S_data(p, d, NULL, S_take(p, &b), json_array_get(v, i), below, scores);
    }
  }
}

static void S_unknown(quire__present *p, const quire_node *n) {
  const char *lit = quire_node_literal(n);
  if (!lit)
    return;
  json_t *v = json_loads(lit, JSON_DECODE_ANY, NULL);
  if (!v)
    return;
  if (p->ndata == p->adata) {
    size_t na = p->adata ? p->adata * 2 : 8;
    S_data_entry *nd = quire__realloc(p->data, na * sizeof *nd);
    if (!nd) {
      p->oom = 1;
      json_decref(v);
      return;
    }
    p->data = nd;
    p->adata = na;
  }
  S_data_entry *e = &p->data[p->ndata++];
  e->node = n;
  e->data.rows = NULL;
  e->data.n = 0;
  /* The block type ("radar") would only repeat what the data says; an
   * object's keys are its first level. */
  S_data(p, &e->data, NULL, json_is_object(v) ? NULL : "Value", v, 0, 0);
  json_decref(v);
}

/* ---- markdown title and summary ---- */

/* Plain text of a block's inlines, or NULL when it has none. */
static const char *S_plain(quire__present *p, const quire_node *block) {
  quire_buf b = QUIRE_BUF_INIT;
  quire_iter *it;
  if (quire_iter_new(&it, block)) {
    p->oom = 1;
    return NULL;
  }
  quire_event ev;
  while ((ev = quire_iter_next(it)) != QUIRE_EVENT_DONE) {
    const quire_node *n = quire_iter_node(it);
    if (ev != QUIRE_EVENT_ENTER)
      continue;
    switch (quire_node_kind_of(n)) {
    case QUIRE_NODE_MD_TEXT:
    case QUIRE_NODE_MD_CODE:
      if (quire_node_literal(n))
        quire_buf_puts(&b, quire_node_literal(n));
      break;
    case QUIRE_NODE_MD_SOFTBREAK:
    case QUIRE_NODE_MD_LINEBREAK: quire_buf_putc(&b, ' '); break;
    case QUIRE_NODE_MD_PARA:
      if (b.size)
        quire_buf_putc(&b, ' ');
      break;
    default: break;
    }
  }
  quire_iter_free(it);
  if (!b.size) {
    quire_buf_dispose(&b);
    return NULL;
  }
  return S_take(p, &b);
}

static int S_in_root(const quire_doc *doc, const quire_node *n) {
  return n && quire_node_parent(n) == quire_doc_root(doc);
}

static void S_hide(quire__present *p, const quire_node *n) {
  if (n && p->nhidden < S_MAX_HIDDEN)
    p->hidden[p->nhidden++] = n;
}

/* The report's markdown, when it is shown (as the body, or beside it)
 * or can lend the masthead a title and summary. */
static void S_markdown_masthead(quire__present *p, int shown) {
  /* Not shown, and the masthead lacks nothing: the markdown has nothing to
   * give, and asking for it would parse a markdown nobody reads (a third
   * of an HTML render of a v2 report, issue 15). */
  if (!shown && p->title && p->summary)
    return;
  const quire_node *md = quire_doc_markdown_node(p->doc);
  if (!md)
    return;
  const quire_node *first = quire_node_first_child(md);
  if (first && quire_node_kind_of(first) == QUIRE_NODE_MD_HEADING &&
      quire_node_heading_level(first) == 1) {
    const char *h = S_plain(p, first);
    if (!p->title && h)
      p->title = h;
    /* The masthead shows the title: a markdown body does not repeat it. */
    if (shown)
      S_hide(p, first);
    first = quire_node_next(first);
  }
  /* The summary is the opening quote, found among the first blocks (a
   * line of context in italics may come before it). */
  for (int i = 0; first && i < 3; i++, first = quire_node_next(first)) {
    if (quire_node_kind_of(first) != QUIRE_NODE_MD_QUOTE)
      continue;
    const char *q = S_plain(p, first);
    if (!p->summary && q)
      p->summary = q; /* whole: every word of the report is shown */
    if (shown && q && p->summary &&
        (strcmp(q, p->summary) == 0 || strstr(q, p->summary) != NULL))
      S_hide(p, first);
    break;
  }
}

/* ---- building ---- */

static void S_add_field(quire__present *p, const char *label, const char *value,
                        const char *url, int id) {
  if (!value || !*value || p->nfields >= S_MAX_FIELDS)
    return;
  quire__field f = {label, value, url, id};
  p->fields[p->nfields++] = f;
}

static void S_add_byline(quire__present *p, const char *label,
                         const char *value) {
  if (!value || !*value || p->nbyline >= S_MAX_BYLINE)
    return;
  quire__field f = {label, value, NULL, 0};
  p->byline[p->nbyline++] = f;
}

static void S_blocks(quire__present *p, quire_body body) {
  const quire_doc *doc = p->doc;
  /* The structured body never shows a markdown still waiting for its
   * parse (it is in no block list yet): it is parsed only when it is
   * shown. */
  const quire_node *md =
      body == QUIRE_BODY_STRUCTURED && quire__doc_markdown_pending(doc)
          ? NULL
          : quire_doc_markdown_node(doc);
  int md_in_root = S_in_root(doc, md);
  size_t n = 0;
  for (const quire_node *c = quire_node_first_child(quire_doc_root(doc)); c;
       c = quire_node_next(c))
    n++;
  p->blocks = quire__calloc(n + 1, sizeof *p->blocks);
  if (!p->blocks) {
    p->oom = 1;
    return;
  }
  if (body == QUIRE_BODY_MARKDOWN && md && !md_in_root) {
    p->blocks[p->nblocks++] = md;
    return;
  }
  for (const quire_node *c = quire_node_first_child(quire_doc_root(doc)); c;
       c = quire_node_next(c))
    p->blocks[p->nblocks++] = c;
  if (body == QUIRE_BODY_BOTH && md && !md_in_root)
    p->blocks[p->nblocks++] = md;
}

static int S_md_shown(const quire__present *p) {
  if (quire__doc_markdown_pending(p->doc))
    return 0; /* in no block list until it is parsed */
  const quire_node *md = quire_doc_markdown_node(p->doc);
  for (size_t i = 0; md && i < p->nblocks; i++)
    if (p->blocks[i] == md)
      return 1;
  return 0;
}

static void S_collect_unknown(quire__present *p) {
  for (size_t i = 0; i < p->nblocks && !p->oom; i++) {
    quire_iter *it;
    if (quire_iter_new(&it, p->blocks[i])) {
      p->oom = 1;
      return;
    }
    quire_event ev;
    while ((ev = quire_iter_next(it)) != QUIRE_EVENT_DONE && !p->oom) {
      const quire_node *n = quire_iter_node(it);
      if (ev == QUIRE_EVENT_ENTER &&
          quire_node_kind_of(n) == QUIRE_NODE_UNKNOWN)
        S_unknown(p, n);
    }
    quire_iter_free(it);
  }
}

int quire__present_new(quire__present **out, const quire_doc *doc,
                       const quire__present_opts *o, quire_error *err) {
  *out = NULL;
  quire__present *p = quire__calloc(1, sizeof *p);
  if (!p)
    return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  p->doc = doc;
  const char *theme = o && o->theme_dir ? o->theme_dir : "default";
  const char *tmpl = quire_doc_template(doc);

  /* Kicker: the theme's name; a template without a theme of its own
   * ("matching") by its own name, made readable. */
  if (strcmp(theme, "default") == 0 && tmpl && !(o && o->template_override)) {
    quire_buf b = QUIRE_BUF_INIT;
    quire__present_label(&b, tmpl, " ");
    p->kicker = S_take(p, &b);
  } else {
    p->kicker = S_dup(p, o && o->display_name ? o->display_name : "Report");
  }

  S_blocks(p, o ? o->body : QUIRE_BODY_STRUCTURED);

  const char *title = quire_doc_title(doc);
  if (title && strcmp(title, "Untitled report") != 0 &&
      !(quire_doc_label(doc) && strcmp(title, quire_doc_label(doc)) == 0))
    p->title = title;
  p->summary = quire_doc_summary(doc);
  S_markdown_masthead(p, S_md_shown(p));
  if (!p->title)
    p->title = quire_doc_label(doc) ? quire_doc_label(doc) : "Untitled report";

  quire__date_parse(&p->date, quire_doc_created_at(doc));
  const char *day = p->date.valid ? p->date.day : p->date.raw;
  const char *ent = quire_doc_entity_label(doc) ? quire_doc_entity_label(doc)
                                                : quire_doc_entity_id(doc);
  const char *label = quire_doc_label(doc);
  if (label && strcmp(label, p->title) == 0)
    label = NULL;

  /* Each Conduit template names the byline's items and the summary. */
  p->summary_title = "Summary";
  if (strcmp(theme, "sales_playbook") == 0) {
    p->labelled = 1;
    S_add_byline(p, "Report", p->kicker);
    p->kicker = NULL;
    S_add_byline(p, "Person", ent);
    S_add_byline(p, "Date", day);
    S_add_byline(p, "Conversation", label);
    p->step = "Step";
  } else if (strcmp(theme, "hiring_report") == 0) {
    p->labelled = 1;
    S_add_byline(p, "Candidate", ent);
    S_add_byline(p, "Interview date", day);
    S_add_byline(p, "Conversation", label);
    p->summary_title = "Debrief summary";
  } else if (strcmp(theme, "profile_alignment") == 0) {
    p->labelled = 1;
    S_add_byline(p, "Profile", ent);
    S_add_byline(p, "Assessed", day);
    S_add_byline(p, "Based on", label);
    p->summary_title = "Alignment summary";
    p->criteria = 1;
  } else {
    S_add_byline(p, NULL, ent);
    S_add_byline(p, NULL, day);
    S_add_byline(p, NULL, label);
  }

  /* The end matter: every id, the date in full, the links. */
  S_add_field(p, "Report", quire_doc_id(doc), NULL, 1);
  S_add_field(p, "Job", quire_doc_job_id(doc), NULL, 1);
  S_add_field(p, "Entity", quire_doc_entity_label(doc), NULL, 0);
  S_add_field(p, "Entity id", quire_doc_entity_id(doc), NULL, 1);
  S_add_field(p, "Media id", quire_doc_media_id(doc), NULL, 1);
  S_add_field(p, "Template", tmpl, NULL, 1);
  S_add_field(p, "Created", p->date.valid ? p->date.when : p->date.raw, NULL,
              0);
  const char *ru = quire_doc_report_url(doc);
  int ru_media = quire_doc_report_url_is_media(doc);
  if (!ru_media)
    S_add_field(p, "Report link", ru, ru, 0);
  S_add_field(p, "PDF", quire_doc_pdf_url(doc), quire_doc_pdf_url(doc), 0);
  const char *mu = quire_doc_media_url(doc);
  if (!mu && ru_media)
    mu = ru;
  S_add_field(p, "Recording", mu, mu, 0);

  S_facts(p);
  S_collect_unknown(p);
  if (p->oom) {
    quire__present_free(p);
    return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  }
  *out = p;
  return 0;
}

void quire__present_free(quire__present *p) {
  if (!p)
    return;
  free(p->key_name);
  free(p->key_theme);
  for (size_t i = 0; i < p->nstrs; i++)
    free(p->strs[i]);
  free(p->strs);
  for (size_t i = 0; i < p->ndata; i++)
    free(p->data[i].data.rows);
  free(p->data);
  for (size_t i = 0; i < p->nsets; i++)
    free(p->sets[i].rows);
  free(p->blocks);
  free(p);
}

/* ---- the document's cache ---- */

static int S_same(const char *a, const char *b) {
  return a == b || (a && b && strcmp(a, b) == 0);
}

static void S_cache_free(void *head) {
  for (quire__present *p = head, *next; p; p = next) {
    next = p->next;
    quire__present_free(p);
  }
}

int quire__present_get(const quire__present **out, const quire_doc *cdoc,
                       const quire__present_opts *o, quire_error *err) {
  *out = NULL;
  static const quire__present_opts none = {NULL, NULL, 0,
                                           QUIRE_BODY_STRUCTURED};
  if (!o)
    o = &none;
  /* The cache is the one thing a renderer adds to a document it was
   * handed const (as the lazy markdown parse is): under its own lock, and
   * what it holds is never changed once there. Built under the lock too,
   * so two threads asking at once build it once. */
  quire_doc *doc = (quire_doc *)cdoc;
  int rc = 0;
  pthread_mutex_lock(&doc->pres_lock);
  quire__present *p = doc->pres;
  while (p &&
         !(S_same(p->key_name, o->display_name) &&
           S_same(p->key_theme, o->theme_dir) &&
           p->key_override == o->template_override && p->key_body == o->body))
    p = p->next;
  if (!p) {
    rc = quire__present_new(&p, doc, o, err);
    if (!rc) {
      p->key_name = o->display_name ? quire__strdup(o->display_name) : NULL;
      p->key_theme = o->theme_dir ? quire__strdup(o->theme_dir) : NULL;
      p->key_override = o->template_override;
      p->key_body = o->body;
      if ((o->display_name && !p->key_name) ||
          (o->theme_dir && !p->key_theme)) {
        quire__present_free(p);
        p = NULL;
        rc = quire__error_set(err, QUIRE_ENOMEM, "out of memory");
      } else {
        p->next = doc->pres;
        doc->pres = p;
        doc->pres_free = S_cache_free;
      }
    }
  }
  pthread_mutex_unlock(&doc->pres_lock);
  *out = p;
  return rc;
}

/* ---- getters ---- */

const char *quire__present_kicker(const quire__present *p) { return p->kicker; }
const char *quire__present_title(const quire__present *p) { return p->title; }
size_t quire__present_byline_count(const quire__present *p) {
  return p->nbyline;
}
const quire__field *quire__present_byline(const quire__present *p, size_t i) {
  return i < p->nbyline ? &p->byline[i] : NULL;
}
int quire__present_byline_labelled(const quire__present *p) {
  return p->labelled;
}
const char *quire__present_summary(const quire__present *p) {
  return p->summary;
}
const char *quire__present_summary_title(const quire__present *p) {
  return p->summary ? p->summary_title : NULL;
}
const quire__date *quire__present_date(const quire__present *p) {
  return &p->date;
}
size_t quire__present_block_count(const quire__present *p) {
  return p->nblocks;
}
const quire_node *quire__present_block(const quire__present *p, size_t i) {
  return i < p->nblocks ? p->blocks[i] : NULL;
}
int quire__present_hidden(const quire__present *p, const quire_node *n) {
  for (size_t i = 0; i < p->nhidden; i++)
    if (p->hidden[i] == n)
      return 1;
  return 0;
}
const quire__data *quire__present_data(const quire__present *p,
                                       const quire_node *n) {
  for (size_t i = 0; i < p->ndata; i++)
    if (p->data[i].node == n)
      return &p->data[i].data;
  return NULL;
}
int quire__present_grid_columns(const quire_node *grid) {
  int c = quire_node_grid_columns(grid);
  return c < 2 ? 2 : c > 4 ? 4 : c;
}
int quire__present_table_as_records(const quire_node *table) {
  return quire_node_table_columns(table) > QUIRE__TABLE_MAX_GRID;
}
const char *quire__present_step_label(const quire__present *p) {
  return p->step;
}
quire__role quire__present_role(const quire__present *p, const quire_node *n) {
  if (p->criteria && quire_node_kind_of(n) == QUIRE_NODE_PARAGRAPH &&
      quire_node_title(n) && S_in_root(p->doc, n))
    return QUIRE__ROLE_CRITERION;
  return QUIRE__ROLE_NONE;
}
const char *quire__present_role_name(quire__role r) {
  return r == QUIRE__ROLE_CRITERION ? "criterion" : NULL;
}
const char *quire__present_about(const quire__present *p) {
  (void)p;
  return "About this report";
}
size_t quire__present_field_count(const quire__present *p) {
  return p->nfields;
}
const quire__field *quire__present_field(const quire__present *p, size_t i) {
  return i < p->nfields ? &p->fields[i] : NULL;
}
size_t quire__present_fact_set_count(const quire__present *p) {
  return p->nsets;
}
const quire__fact_set *quire__present_fact_set(const quire__present *p,
                                               size_t i) {
  return i < p->nsets ? &p->sets[i] : NULL;
}
