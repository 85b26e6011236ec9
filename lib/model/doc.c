#include "model/model.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

quire_doc *quire__doc_new(void) {
  quire_doc *doc = quire__calloc(1, sizeof *doc);
  if (!doc)
    return NULL;
  doc->max_diags = QUIRE__MAX_DIAG_DEFAULT;
  doc->max_blocks = QUIRE__MAX_BLOCKS_DEFAULT;
  doc->md_work_max = QUIRE__MD_WORK_DEFAULT;
  atomic_init(&doc->md_pending, 0);
  pthread_mutex_init(&doc->md_lock, NULL);
  pthread_mutex_init(&doc->pres_lock, NULL);
  doc->root = quire__node_new(doc, QUIRE_NODE_DOCUMENT, "$");
  if (!doc->root) {
    free(doc);
    return NULL;
  }
  doc->title = "Untitled report";
  return doc;
}

void quire_doc_free(quire_doc *doc) {
  if (!doc)
    return;
  if (doc->pres_free)
    doc->pres_free(doc->pres);
  free(doc->diags);
  free(doc->facts);
  quire__arena_free(&doc->arena);
  pthread_mutex_destroy(&doc->md_lock);
  pthread_mutex_destroy(&doc->pres_lock);
  free(doc);
}

quire_node *quire__node_new(quire_doc *doc, quire_node_kind kind,
                            const char *path) {
  quire_node *n = quire__arena_alloc(&doc->arena, sizeof *n);
  if (!n)
    return NULL;
  memset(n, 0, sizeof *n);
  n->kind = kind;
  n->path = path ? quire__arena_strdup(&doc->arena, path) : NULL;
  return n;
}

void quire__node_append(quire_node *parent, quire_node *child) {
  child->parent = parent;
  child->prev = parent->last;
  child->next = NULL;
  if (parent->last)
    parent->last->next = child;
  else
    parent->first = child;
  parent->last = child;
}

int quire__doc_warn(quire_doc *doc, const char *path, const char *fmt, ...) {
  if (doc->ndiags >= doc->max_diags || doc->diags_frozen)
    return 0;
  if (doc->ndiags == doc->adiags) {
    size_t n = doc->adiags ? doc->adiags * 2 : 8;
    quire_diag *d = quire__realloc(doc->diags, n * sizeof *d);
    if (!d)
      return QUIRE_ENOMEM;
    doc->diags = d;
    doc->adiags = n;
  }
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  quire_diag *d = &doc->diags[doc->ndiags];
  d->severity = QUIRE_SEVERITY_WARNING;
  d->path = quire__arena_strdup(&doc->arena, path ? path : "$");
  d->message = quire__arena_strdup(&doc->arena, msg);
  if (!d->path || !d->message)
    return QUIRE_ENOMEM;
  doc->ndiags++;
  return 0;
}

int quire__doc_fact(quire_doc *doc, quire_fact_group group, const char *name,
                    const char *value) {
  if (doc->nfacts == doc->afacts) {
    size_t n = doc->afacts ? doc->afacts * 2 : 16;
    quire_fact *f = quire__realloc(doc->facts, n * sizeof *f);
    if (!f)
      return QUIRE_ENOMEM;
    doc->facts = f;
    doc->afacts = n;
  }
  quire_fact *f = &doc->facts[doc->nfacts];
  f->group = group;
  f->name = quire__arena_strdup(&doc->arena, name);
  f->value = quire__arena_strdup(&doc->arena, value);
  if (!f->name || !f->value)
    return QUIRE_ENOMEM;
  doc->nfacts++;
  return 0;
}

/* Document getters */
size_t quire_doc_diag_count(const quire_doc *doc) {
  return doc ? doc->ndiags : 0;
}
const quire_diag *quire_doc_diag(const quire_doc *doc, size_t i) {
  return doc && i < doc->ndiags ? &doc->diags[i] : NULL;
}
size_t quire_doc_fact_count(const quire_doc *doc) {
  return doc ? doc->nfacts : 0;
}
const quire_fact *quire_doc_fact(const quire_doc *doc, size_t i) {
  return doc && i < doc->nfacts ? &doc->facts[i] : NULL;
}

#define S_GETTER(name, field)                                                  \
  const char *quire_doc_##name(const quire_doc *doc) {                         \
    return doc ? doc->field : NULL;                                            \
  }
S_GETTER(id, id)
S_GETTER(created_at, created_at)
S_GETTER(job_id, job_id)
S_GETTER(label, label)
S_GETTER(template, template_name)
S_GETTER(entity_id, entity_id)
S_GETTER(entity_label, entity_label)
S_GETTER(media_id, media_id)
S_GETTER(media_url, media_url)
S_GETTER(title, title)
S_GETTER(summary, summary)
S_GETTER(report_url, report_url)
S_GETTER(pdf_url, pdf_url)
S_GETTER(markdown, markdown_text)
#undef S_GETTER

quire_shape quire_doc_shape(const quire_doc *doc) {
  return doc ? doc->shape : QUIRE_SHAPE_EMPTY;
}
int quire_doc_report_url_is_media(const quire_doc *doc) {
  return doc ? doc->report_url_is_media : 0;
}
const quire_node *quire_doc_root(const quire_doc *doc) {
  return doc ? doc->root : NULL;
}
void quire__doc_markdown_now(quire_doc *doc) {
  if (!atomic_load_explicit(&doc->md_pending, memory_order_acquire))
    return;
  pthread_mutex_lock(&doc->md_lock);
  if (atomic_load_explicit(&doc->md_pending, memory_order_relaxed)) {
    doc->md_parse(doc); /* out of memory leaves doc->markdown NULL */
    atomic_store_explicit(&doc->md_pending, 0, memory_order_release);
  }
  pthread_mutex_unlock(&doc->md_lock);
}

int quire__doc_markdown_pending(const quire_doc *doc) {
  return doc && atomic_load_explicit(&((quire_doc *)doc)->md_pending,
                                     memory_order_acquire);
}

const quire_node *quire_doc_markdown_node(const quire_doc *cdoc) {
  if (!cdoc)
    return NULL;
  /* The lazy parse writes to the document, once, under its lock: the
   * caller's document is const only in what it can see change. */
  quire_doc *doc = (quire_doc *)cdoc;
  if (atomic_load_explicit(&doc->md_pending, memory_order_acquire)) {
    pthread_mutex_lock(&doc->md_lock);
    doc->diags_frozen = 1;
    pthread_mutex_unlock(&doc->md_lock);
    quire__doc_markdown_now(doc);
  }
  return doc->markdown;
}

/* Node getters */
quire_node_kind quire_node_kind_of(const quire_node *n) {
  return n ? n->kind : QUIRE_NODE_NONE;
}
const quire_node *quire_node_parent(const quire_node *n) {
  return n ? n->parent : NULL;
}
const quire_node *quire_node_first_child(const quire_node *n) {
  return n ? n->first : NULL;
}
const quire_node *quire_node_last_child(const quire_node *n) {
  return n ? n->last : NULL;
}
const quire_node *quire_node_next(const quire_node *n) {
  return n ? n->next : NULL;
}
const quire_node *quire_node_prev(const quire_node *n) {
  return n ? n->prev : NULL;
}
const char *quire_node_title(const quire_node *n) {
  return n ? n->title : NULL;
}
const char *quire_node_key(const quire_node *n) { return n ? n->key : NULL; }
const char *quire_node_icon(const quire_node *n) { return n ? n->icon : NULL; }
const char *quire_node_literal(const quire_node *n) {
  return n ? n->literal : NULL;
}
const char *quire_node_info(const quire_node *n) { return n ? n->info : NULL; }
const char *quire_node_url(const quire_node *n) { return n ? n->url : NULL; }
const char *quire_node_path(const quire_node *n) { return n ? n->path : NULL; }

int quire_node_heading_level(const quire_node *n) {
  return n && n->kind == QUIRE_NODE_MD_HEADING ? n->level : 0;
}
quire_list_type quire_node_list_type(const quire_node *n) {
  return n && n->kind == QUIRE_NODE_MD_LIST ? (quire_list_type)n->flag : 0;
}
int quire_node_list_start(const quire_node *n) {
  return n && n->kind == QUIRE_NODE_MD_LIST ? n->level : 0;
}
int quire_node_list_tight(const quire_node *n) {
  return n && n->kind == QUIRE_NODE_MD_LIST ? n->tight : 0;
}
quire_task quire_node_task(const quire_node *n) {
  return n && n->kind == QUIRE_NODE_MD_ITEM ? (quire_task)n->flag
                                            : QUIRE_TASK_NONE;
}
int quire_node_table_columns(const quire_node *n) {
  return n && n->kind == QUIRE_NODE_MD_TABLE ? n->level : 0;
}
quire_align quire_node_table_align(const quire_node *n, int col) {
  if (!n || n->kind != QUIRE_NODE_MD_TABLE || !n->align || col < 0 ||
      col >= n->level)
    return QUIRE_ALIGN_NONE;
  return (quire_align)n->align[col];
}
int quire_node_row_is_header(const quire_node *n) {
  return n && n->kind == QUIRE_NODE_MD_TABLE_ROW ? n->flag : 0;
}
int quire_node_grid_columns(const quire_node *n) {
  return n && n->kind == QUIRE_NODE_GRID ? n->level : 0;
}
quire_illustration quire_node_illustration(const quire_node *n) {
  return n && n->kind == QUIRE_NODE_ILLUSTRATION ? (quire_illustration)n->flag
                                                 : QUIRE_ILLUSTRATION_UNKNOWN;
}
size_t quire_node_phrase_count(const quire_node *n) {
  return n ? n->nphrases : 0;
}
const char *quire_node_phrase(const quire_node *n, size_t i) {
  return n && i < n->nphrases ? n->phrases[i] : NULL;
}

const char *quire_illustration_name(quire_illustration v) {
  switch (v) {
  case QUIRE_ILLUSTRATION_CONVERSATION: return "conversation";
  case QUIRE_ILLUSTRATION_GROWTH: return "growth";
  case QUIRE_ILLUSTRATION_CONNECTION: return "connection";
  case QUIRE_ILLUSTRATION_ANALYSIS: return "analysis";
  default: return NULL;
  }
}

static const char *const S_kind_names[QUIRE_NODE_KIND_COUNT] = {
    [QUIRE_NODE_NONE] = "none",
    [QUIRE_NODE_DOCUMENT] = "document",
    [QUIRE_NODE_SECTION] = "section",
    [QUIRE_NODE_PARAGRAPH] = "paragraph",
    [QUIRE_NODE_TRAITS] = "traits",
    [QUIRE_NODE_ACTIONS] = "actions",
    [QUIRE_NODE_ACTION] = "action",
    [QUIRE_NODE_CARD] = "card",
    [QUIRE_NODE_TEXT] = "text",
    [QUIRE_NODE_GRID] = "grid",
    [QUIRE_NODE_ILLUSTRATION] = "illustration",
    [QUIRE_NODE_MARKDOWN] = "markdown",
    [QUIRE_NODE_UNKNOWN] = "unknown",
    [QUIRE_NODE_MD_HEADING] = "md_heading",
    [QUIRE_NODE_MD_PARA] = "md_para",
    [QUIRE_NODE_MD_LIST] = "md_list",
    [QUIRE_NODE_MD_ITEM] = "md_item",
    [QUIRE_NODE_MD_QUOTE] = "md_quote",
    [QUIRE_NODE_MD_CODE_BLOCK] = "md_code_block",
    [QUIRE_NODE_MD_RULE] = "md_rule",
    [QUIRE_NODE_MD_TABLE] = "md_table",
    [QUIRE_NODE_MD_TABLE_ROW] = "md_table_row",
    [QUIRE_NODE_MD_TABLE_CELL] = "md_table_cell",
    [QUIRE_NODE_MD_TEXT] = "md_text",
    [QUIRE_NODE_MD_EMPH] = "md_emph",
    [QUIRE_NODE_MD_STRONG] = "md_strong",
    [QUIRE_NODE_MD_STRIKE] = "md_strike",
    [QUIRE_NODE_MD_CODE] = "md_code",
    [QUIRE_NODE_MD_LINK] = "md_link",
    [QUIRE_NODE_MD_IMAGE] = "md_image",
    [QUIRE_NODE_MD_SOFTBREAK] = "md_softbreak",
    [QUIRE_NODE_MD_LINEBREAK] = "md_linebreak",
};

const char *quire_node_kind_name(quire_node_kind kind) {
  if ((int)kind < 0 || kind >= QUIRE_NODE_KIND_COUNT || !S_kind_names[kind])
    return "invalid";
  return S_kind_names[kind];
}

int quire_node_kind_is_leaf(quire_node_kind kind) {
  switch (kind) {
  case QUIRE_NODE_ILLUSTRATION:
  case QUIRE_NODE_UNKNOWN:
  case QUIRE_NODE_MD_CODE_BLOCK:
  case QUIRE_NODE_MD_RULE:
  case QUIRE_NODE_MD_TEXT:
  case QUIRE_NODE_MD_CODE:
  case QUIRE_NODE_MD_SOFTBREAK:
  case QUIRE_NODE_MD_LINEBREAK: return 1;
  default: return 0;
  }
}

/* Iterator: uses the parent links, so it needs no stack and no recursion. */
struct quire_iter {
  const quire_node *root, *cur;
  quire_event ev;
  int skip; /* deliver cur's EXIT next, without its children */
};

int quire_iter_new(quire_iter **out, const quire_node *root) {
  *out = NULL;
  if (!root)
    return QUIRE_EINVAL;
  quire_iter *it = quire__calloc(1, sizeof *it);
  if (!it)
    return QUIRE_ENOMEM;
  it->root = root;
  *out = it;
  return 0;
}

void quire_iter_free(quire_iter *it) { free(it); }

quire_event quire_iter_next(quire_iter *it) {
  const quire_node *n = it->cur;
  if (it->ev == QUIRE_EVENT_DONE)
    return QUIRE_EVENT_DONE;
  if (it->skip) {
    it->skip = 0;
    it->ev = QUIRE_EVENT_EXIT;
    return it->ev;
  }
  if (it->ev == QUIRE_EVENT_NONE) {
    it->cur = it->root;
    it->ev = QUIRE_EVENT_ENTER;
    return it->ev;
  }
  if (it->ev == QUIRE_EVENT_ENTER && !quire_node_kind_is_leaf(n->kind)) {
    if (n->first) {
      it->cur = n->first;
      it->ev = QUIRE_EVENT_ENTER;
    } else {
      it->ev = QUIRE_EVENT_EXIT;
    }
    return it->ev;
  }
  if (n == it->root) {
    it->ev = QUIRE_EVENT_DONE;
    it->cur = NULL;
    return it->ev;
  }
  if (n->next) {
    it->cur = n->next;
    it->ev = QUIRE_EVENT_ENTER;
  } else {
    it->cur = n->parent;
    it->ev = QUIRE_EVENT_EXIT;
  }
  return it->ev;
}

const quire_node *quire_iter_node(const quire_iter *it) { return it->cur; }

void quire_iter_skip_children(quire_iter *it) {
  if (it->ev == QUIRE_EVENT_ENTER && it->cur &&
      !quire_node_kind_is_leaf(it->cur->kind))
    it->skip = 1;
}
