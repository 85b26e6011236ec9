/*
 * HTML output: one walk over the model builds a view (plain data in the
 * shapes of JSON, template/view.h; templates/README.md has every
 * variable), then the template set's
 * layout.mustache renders it. Block kinds become partials chosen by name
 * ({{>*partial}}), so a designer restyles any of them by dropping one file
 * in a --templates directory. Inline markup (emphasis, code, links) is
 * written here, escaped, and handed to templates as ready HTML: it has no
 * look of its own beyond CSS, and keeping it in C keeps every URL and text
 * run under one escaping policy.
 */
#include "render/lang.h"
#include "render/render.h"

#include "paint/icons.h"
#include "paint/illustration.h"
#include "present/present.h"
#include "safety/escape_css.h"
#include "safety/escape_html.h"
#include "safety/text_policy.h"
#include "template/template.h"
#include "template/theme.h"

#include <stdlib.h>
#include <string.h>

/* Block nesting kept as structure; anything deeper is flattened to text so
 * a hostile report cannot exhaust the template engine's partial depth. */
#define S_MAX_VIEW_DEPTH 24
/* Markdown headings tracked per scope for level shifting (h1..h6). */
#define S_MD_LEVELS 6

typedef struct S_frame {
  const quire_node *node;
  quire__view *blocks; /* where child views go (borrowed), NULL: none */
  int child_level;     /* heading level of titles directly inside */
  int scope;           /* markdown headings inside shift relative to this */
  int md_n;            /* open markdown headings in this scope */
  int md_src[S_MD_LEVELS], md_out[S_MD_LEVELS];
  int tight; /* an MD_ITEM of a tight list */
  int count; /* ACTIONs numbered so far */
} S_frame;

typedef struct S_ctx {
  const quire_doc *doc;
  const quire__present *pres;
  quire_buf tmp;  /* scratch for inline HTML and SVG */
  S_frame *stack; /* open nodes */
  int depth, cap;
  unsigned next_id;
  quire__view_pool *pool; /* every value of the view */
  quire__view *toc;       /* top-level titled blocks */
  int oom;                /* an allocation failed */
} S_ctx;

/* ---- view helpers: a failed allocation is remembered, checked once ---- */

static quire__view *S_own(S_ctx *c, quire__view *v) {
  if (!v)
    c->oom = 1;
  return v;
}

static quire__view *S_object(S_ctx *c) {
  return S_own(c, quire__view_object(c->pool));
}

static quire__view *S_array(S_ctx *c) {
  return S_own(c, quire__view_array(c->pool));
}

/* key is a literal (the view borrows it). */
static void S_set(S_ctx *c, quire__view *o, const char *key,
                  const quire__view *v) {
  if (!o || !v || quire__view_set(c->pool, o, key, v))
    c->oom = 1;
}

/* Strings from the model, the presentation and the look outlive the
 * render, so the view borrows them. NULL becomes null: a view always
 * carries every key its partial reads, so Mustache never falls back to a
 * parent block's value of the same name. */
static void S_str(S_ctx *c, quire__view *o, const char *key, const char *v) {
  S_set(c, o, key,
        v ? quire__view_string_ref(c->pool, v, strlen(v)) : quire__view_null());
}

/* A string of the caller's that does not outlive the render: copied. */
static void S_str_copy(S_ctx *c, quire__view *o, const char *key,
                       const char *v) {
  S_set(c, o, key, quire__view_string_copy(c->pool, v, strlen(v)));
}

static void S_int(S_ctx *c, quire__view *o, const char *key, long long v) {
  S_set(c, o, key, quire__view_int(c->pool, v));
}

static void S_bool(S_ctx *c, quire__view *o, const char *key, int v) {
  S_set(c, o, key, quire__view_bool(v));
}

static void S_push(S_ctx *c, quire__view *arr, const quire__view *v) {
  if (!arr || !v || quire__view_push(c->pool, arr, v))
    c->oom = 1;
}

/* The tmp buffer's contents as a string of the view; tmp is cleared. */
static quire__view *S_take(S_ctx *c) {
  if (quire_buf_failed(&c->tmp))
    c->oom = 1;
  quire__view *s =
      S_own(c, quire__view_string_copy(c->pool, c->tmp.ptr ? c->tmp.ptr : "",
                                       c->tmp.size));
  quire_buf_clear(&c->tmp);
  return s;
}

static const char *S_h(int level) {
  static const char *const h[] = {"h1", "h2", "h3", "h4", "h5", "h6"};
  return h[(level < 1 ? 1 : level > 6 ? 6 : level) - 1];
}

/* ---- inline content ---- */

static void S_text(quire_buf *b, const char *s) {
  if (s)
    quire__escape_html(b, s, strlen(s));
}

static void S_href(quire_buf *b, const char *url) {
  quire_buf tmp = QUIRE_BUF_INIT;
  quire__escape_href(&tmp, url, strlen(url));
  quire__escape_html(b, tmp.ptr, tmp.size);
  if (quire_buf_failed(&tmp))
    b->err = b->err ? b->err : QUIRE_ENOMEM;
  quire_buf_dispose(&tmp);
}

/* Renders the inline children of node into c->tmp as HTML. */
static void S_inlines(S_ctx *c, const quire_node *node) {
  quire_buf *b = &c->tmp;
  quire_iter *it;
  if (quire_iter_new(&it, node)) {
    c->oom = 1;
    return;
  }
  quire_event ev;
  while ((ev = quire_iter_next(it)) != QUIRE_EVENT_DONE) {
    const quire_node *n = quire_iter_node(it);
    if (n == node)
      continue;
    int enter = ev == QUIRE_EVENT_ENTER;
    switch (quire_node_kind_of(n)) {
    case QUIRE_NODE_MD_TEXT: S_text(b, quire_node_literal(n)); break;
    case QUIRE_NODE_MD_EMPH: quire_buf_puts(b, enter ? "<em>" : "</em>"); break;
    case QUIRE_NODE_MD_STRONG:
      quire_buf_puts(b, enter ? "<strong>" : "</strong>");
      break;
    case QUIRE_NODE_MD_STRIKE:
      quire_buf_puts(b, enter ? "<del>" : "</del>");
      break;
    case QUIRE_NODE_MD_CODE:
      quire_buf_puts(b, "<code>");
      S_text(b, quire_node_literal(n));
      quire_buf_puts(b, "</code>");
      break;
    case QUIRE_NODE_MD_LINK: {
      const char *url = quire_node_url(n);
      int ok = quire__html_href_ok(url);
      if (!enter) {
        quire_buf_puts(b, ok ? "</a>" : "</span>");
      } else if (ok) {
        quire_buf_puts(b, "<a href=\"");
        S_href(b, url);
        quire_buf_puts(b, "\" rel=\"noopener noreferrer nofollow\">");
      } else {
        quire_buf_puts(b, "<span class=\"link-dropped\">");
      }
      break;
    }
    case QUIRE_NODE_MD_IMAGE: {
      /* Never loaded: the file makes no requests. The alt text becomes a
       * link to the image instead. */
      const char *url = quire_node_url(n);
      int ok = quire__html_href_ok(url);
      if (!enter) {
        quire_buf_puts(b, ok ? "</a>" : "</span>");
        break;
      }
      if (ok) {
        quire_buf_puts(b, "<a class=\"image-link\" href=\"");
        S_href(b, url);
        quire_buf_puts(b, "\" rel=\"noopener noreferrer nofollow\">");
      } else {
        quire_buf_puts(b, "<span class=\"image-link\">");
      }
      quire_buf_puts(b, "<span class=\"image-tag\">Image</span> ");
      break;
    }
    case QUIRE_NODE_MD_SOFTBREAK: quire_buf_putc(b, '\n'); break;
    case QUIRE_NODE_MD_LINEBREAK: quire_buf_puts(b, "<br>\n"); break;
    default:
      /* A block where inlines were expected: its text, never dropped. */
      if (enter && quire_node_literal(n))
        S_text(b, quire_node_literal(n));
      break;
    }
  }
  quire_iter_free(it);
}

/* All text below node, escaped, for blocks nested too deeply to keep. */
static void S_plain(S_ctx *c, const quire_node *node) {
  quire_iter *it;
  if (quire_iter_new(&it, node)) {
    c->oom = 1;
    return;
  }
  quire_event ev;
  while ((ev = quire_iter_next(it)) != QUIRE_EVENT_DONE) {
    const quire_node *n = quire_iter_node(it);
    if (ev != QUIRE_EVENT_ENTER)
      continue;
    const char *t = quire_node_title(n);
    if (!t)
      t = quire_node_literal(n);
    if (t) {
      if (c->tmp.size)
        quire_buf_putc(&c->tmp, ' ');
      S_text(&c->tmp, t);
    }
  }
  quire_iter_free(it);
}

/* ---- block views ---- */

static quire__view *S_view(S_ctx *c, const char *partial, const char *kind) {
  quire__view *v = S_object(c);
  if (!v)
    return NULL;
  S_str(c, v, "partial", partial);
  S_str(c, v, "kind", kind);
  return v;
}

/* Title, heading level and anchor of a titled block. */
static void S_titled(S_ctx *c, quire__view *v, const quire_node *n, int level,
                     int top) {
  const char *title = quire_node_title(n);
  /* "b" and the block's number, without snprintf (one per block). */
  char id[16];
  size_t k = sizeof id;
  unsigned num = ++c->next_id;
  id[--k] = '\0';
  do
    id[--k] = (char)('0' + num % 10);
  while ((num /= 10) != 0);
  id[--k] = 'b';
  const char *idp = id + k;
  S_str(c, v, "title", title);
  S_str_copy(c, v, "id", idp);
  S_str(c, v, "h", S_h(level));
  S_int(c, v, "level", level > 6 ? 6 : level);
  S_str(c, v, "key", quire_node_key(n));
  S_bool(c, v, "top", top);
  /* The template's role for the block (present/): "criterion", or null. */
  S_str(c, v, "role",
        quire__present_role_name(quire__present_role(c->pres, n)));
  if (top && title) {
    quire__view *e = S_object(c);
    S_str_copy(c, e, "id", idp);
    S_str(c, e, "title", title);
    S_push(c, c->toc, e);
  }
}

static S_frame *S_top(S_ctx *c) { return &c->stack[c->depth - 1]; }

/* The heading level for a markdown heading of source level src, shifted so
 * that levels never skip: the first heading of a scope sits one below the
 * scope's title, and each later one at most one below the heading it
 * follows. */
static int S_md_level(S_ctx *c, int src) {
  S_frame *f = NULL;
  for (int i = c->depth - 1; i >= 0; i--) {
    if (c->stack[i].scope) {
      f = &c->stack[i];
      break;
    }
  }
  if (!f)
    return 6;
  while (f->md_n > 0 && f->md_src[f->md_n - 1] >= src)
    f->md_n--;
  int out = f->md_n ? f->md_out[f->md_n - 1] + 1 : f->child_level;
  if (f->md_n < S_MD_LEVELS) {
    f->md_src[f->md_n] = src;
    f->md_out[f->md_n] = out;
    f->md_n++;
  }
  return out;
}

static const char *S_align(quire_align a) {
  switch (a) {
  case QUIRE_ALIGN_LEFT: return "left";
  case QUIRE_ALIGN_CENTER: return "center";
  case QUIRE_ALIGN_RIGHT: return "right";
  case QUIRE_ALIGN_NONE: break;
  }
  return NULL;
}

static quire__view *S_table(S_ctx *c, const quire_node *t) {
  quire__view *v = S_view(c, "partials/md_table", "md_table");
  quire__view *head = S_array(c), *rows = S_array(c);
  S_set(c, v, "head", head);
  S_set(c, v, "rows", rows);
  int ncol = quire_node_table_columns(t);
  for (const quire_node *r = quire_node_first_child(t); r;
       r = quire_node_next(r)) {
    int header = quire_node_row_is_header(r);
    quire__view *cells = S_array(c);
    int col = 0;
    for (const quire_node *cell = quire_node_first_child(r); cell;
         cell = quire_node_next(cell), col++) {
      quire__view *cv = S_object(c);
      S_inlines(c, cell);
      S_set(c, cv, "html", S_take(c));
      S_str(c, cv, "align",
            col < ncol ? S_align(quire_node_table_align(t, col)) : NULL);
      S_push(c, cells, cv);
    }
    if (header) {
      for (const quire__view_item *i = cells ? cells->u.l.head : NULL; i;
           i = i->next)
        S_push(c, head, i->val);
    } else {
      quire__view *rv = S_object(c);
      S_set(c, rv, "cells", cells);
      S_push(c, rows, rv);
    }
  }
  S_bool(c, v, "has_head", head && head->n > 0);
  /* Too wide for a grid (present/): each row as header/value pairs. A
   * value may sit in two places of the view: it is never freed alone. */
  quire__view *recs = S_array(c);
  if (quire__present_table_as_records(t) && rows) {
    for (const quire__view_item *r = rows->u.l.head; r; r = r->next) {
      const quire__view *cells = quire__view_get(r->val, "cells", 5);
      quire__view *fields = S_array(c);
      const quire__view_item *h = head ? head->u.l.head : NULL;
      for (const quire__view_item *i = cells && cells->type == QUIRE__VIEW_ARRAY
                                           ? cells->u.l.head
                                           : NULL;
           i; i = i->next, h = h ? h->next : NULL) {
        quire__view *f = S_object(c);
        S_set(c, f, "label", h ? quire__view_get(h->val, "html", 4) : NULL);
        S_set(c, f, "html", quire__view_get(i->val, "html", 4));
        S_push(c, fields, f);
      }
      quire__view *rec = S_object(c);
      S_set(c, rec, "fields", fields);
      S_push(c, recs, rec);
    }
  }
  S_set(c, v, "records", recs);
  S_bool(c, v, "as_records", recs && recs->n > 0);
  return v;
}

/* Builds the view of node on ENTER. Returns the view (already added to the
 * parent's blocks) and sets *blocks / *skip for its children. */
static void S_enter(S_ctx *c, const quire_node *n, S_frame *nf, int *skip) {
  S_frame *pf = S_top(c);
  int level = pf->child_level;
  int top = pf->node && quire_node_kind_of(pf->node) == QUIRE_NODE_DOCUMENT;
  quire__view *v = NULL;
  quire_node_kind k = quire_node_kind_of(n);
  nf->child_level = level;

  if (c->depth > S_MAX_VIEW_DEPTH && !quire_node_kind_is_leaf(k)) {
    v = S_view(c, "partials/md_para", "md_para");
    S_plain(c, n);
    S_set(c, v, "html", S_take(c));
    S_bool(c, v, "tight", 0);
    S_push(c, pf->blocks, v);
    *skip = 1;
    return;
  }

  switch (k) {
  case QUIRE_NODE_SECTION:
  case QUIRE_NODE_PARAGRAPH:
  case QUIRE_NODE_TRAITS:
  case QUIRE_NODE_CARD:
  case QUIRE_NODE_TEXT:
  case QUIRE_NODE_ACTION: {
    static const char *const partials[] = {
        [QUIRE_NODE_SECTION] = "partials/section",
        [QUIRE_NODE_PARAGRAPH] = "partials/paragraph",
        [QUIRE_NODE_TRAITS] = "partials/traits",
        [QUIRE_NODE_CARD] = "partials/card",
        [QUIRE_NODE_TEXT] = "partials/text",
        [QUIRE_NODE_ACTION] = "partials/action"};
    v = S_view(c, partials[k], quire_node_kind_name(k));
    S_titled(c, v, n, level, top);
    nf->child_level = quire_node_title(n) ? level + 1 : level;
    nf->scope = 1;
    if (k == QUIRE_NODE_TRAITS) {
      quire__view *ph = S_array(c);
      for (size_t i = 0; i < quire_node_phrase_count(n); i++) {
        quire__view *p = S_object(c);
        S_str(c, p, "text", quire_node_phrase(n, i));
        S_int(c, p, "n", (long long)(i % 3) + 1);
        S_push(c, ph, p);
      }
      S_set(c, v, "phrases", ph);
    } else if (k == QUIRE_NODE_CARD) {
      size_t ns;
      const char *canonical;
      quire__icon_shapes(quire_node_icon(n), &ns, &canonical);
      quire__icon_svg(&c->tmp, quire_node_icon(n));
      S_set(c, v, "icon_svg", S_take(c));
      S_str(c, v, "icon", canonical);
    } else if (k == QUIRE_NODE_ACTION) {
      S_int(c, v, "number", ++pf->count);
      S_str(c, v, "step", quire__present_step_label(c->pres));
    }
    break;
  }
  case QUIRE_NODE_ACTIONS:
    v = S_view(c, "partials/actions", "actions");
    S_titled(c, v, n, level, top);
    nf->child_level = level + 1;
    nf->scope = 1;
    break;
  case QUIRE_NODE_GRID: {
    int cols = quire_node_grid_columns(n);
    v = S_view(c, "partials/grid", "grid");
    (void)cols;
    S_int(c, v, "columns", quire__present_grid_columns(n));
    S_str(c, v, "title", NULL);
    break;
  }
  case QUIRE_NODE_MARKDOWN:
    v = S_view(c, "partials/markdown", "markdown");
    S_str(c, v, "title", NULL);
    nf->scope = 1;
    break;
  case QUIRE_NODE_ILLUSTRATION: {
    quire_illustration iv = quire_node_illustration(n);
    const char *name = quire_illustration_name(iv);
    v = S_view(c, "partials/illustration", "illustration");
    S_str(c, v, "variant", name ? name : "abstract");
    quire__illustration_svg(&c->tmp, iv);
    S_set(c, v, "svg", S_take(c));
    break;
  }
  case QUIRE_NODE_UNKNOWN: {
    const quire__data *d = quire__present_data(c->pres, n);
    v = S_view(c, "partials/unknown", "unknown");
    S_str(c, v, "info", quire_node_info(n));
    S_str(c, v, "literal", quire_node_literal(n));
    S_str(c, v, "path", quire_node_path(n));
    quire__view *rows = S_array(c);
    for (size_t i = 0; d && i < d->n; i++) {
      quire__view *r = S_object(c);
      S_str(c, r, "label", d->rows[i].label);
      S_str(c, r, "value", d->rows[i].value);
      S_bool(c, r, "heading", d->rows[i].value == NULL);
      if (d->rows[i].bar >= 0)
        S_set(c, r, "bar", quire__view_real(c->pool, d->rows[i].bar));
      else
        S_str(c, r, "bar", NULL);
      S_int(c, r, "level", d->rows[i].level);
      S_push(c, rows, r);
    }
    S_set(c, v, "rows", rows);
    S_bool(c, v, "has_rows", d && d->n);
    break;
  }
  case QUIRE_NODE_MD_HEADING: {
    int lv = S_md_level(c, quire_node_heading_level(n));
    v = S_view(c, "partials/md_heading", "md_heading");
    S_str(c, v, "h", S_h(lv));
    S_int(c, v, "level", lv > 6 ? 6 : lv);
    S_inlines(c, n);
    S_set(c, v, "html", S_take(c));
    *skip = 1;
    break;
  }
  case QUIRE_NODE_MD_PARA:
    v = S_view(c, "partials/md_para", "md_para");
    S_inlines(c, n);
    S_set(c, v, "html", S_take(c));
    S_bool(c, v, "tight", pf->tight);
    *skip = 1;
    break;
  case QUIRE_NODE_MD_LIST: {
    int ordered = quire_node_list_type(n) == QUIRE_LIST_ORDERED;
    int start = quire_node_list_start(n);
    v = S_view(c, "partials/md_list", "md_list");
    S_bool(c, v, "ordered", ordered);
    if (ordered && start != 1)
      S_int(c, v, "start", start);
    else
      S_str(c, v, "start", NULL);
    S_bool(c, v, "tight", quire_node_list_tight(n));
    int tasks = 0;
    for (const quire_node *i = quire_node_first_child(n); i;
         i = quire_node_next(i))
      tasks |= quire_node_task(i) != QUIRE_TASK_NONE;
    S_bool(c, v, "tasks", tasks);
    break;
  }
  case QUIRE_NODE_MD_ITEM: {
    quire_task t = quire_node_task(n);
    v = S_view(c, "partials/md_item", "md_item");
    S_bool(c, v, "task", t != QUIRE_TASK_NONE);
    S_bool(c, v, "done", t == QUIRE_TASK_DONE);
    nf->tight = pf->node && quire_node_list_tight(pf->node);
    break;
  }
  case QUIRE_NODE_MD_QUOTE:
    v = S_view(c, "partials/md_quote", "md_quote");
    break;
  case QUIRE_NODE_MD_CODE_BLOCK:
    v = S_view(c, "partials/md_code_block", "md_code_block");
    S_str(c, v, "literal", quire_node_literal(n));
    S_str(c, v, "info", quire_node_info(n));
    break;
  case QUIRE_NODE_MD_RULE: v = S_view(c, "partials/md_rule", "md_rule"); break;
  case QUIRE_NODE_MD_TABLE:
    v = S_table(c, n);
    *skip = 1;
    break;
  default:
    /* Inline kinds outside a paragraph, or a kind this file does not know
     * yet: keep its text rather than drop it. */
    v = S_view(c, "partials/md_para", "md_para");
    S_plain(c, n);
    S_set(c, v, "html", S_take(c));
    S_bool(c, v, "tight", 0);
    *skip = 1;
    break;
  }
  if (!v)
    return;
  if (!quire_node_kind_is_leaf(k) && !*skip) {
    quire__view *blocks = S_array(c);
    /* ACTIONS list their ACTIONs as items; everything else as blocks. */
    S_set(c, v, k == QUIRE_NODE_ACTIONS ? "items" : "blocks", blocks);
    if (k == QUIRE_NODE_ACTIONS)
      S_set(c, v, "blocks", quire__view_null());
    nf->blocks = blocks;
  } else if (quire__view_get(v, "blocks", 6) == NULL) {
    S_set(c, v, "blocks", quire__view_null());
  }
  S_push(c, pf->blocks, v);
}

/* One block the presentation shows, and everything below it. */
static int S_walk_block(S_ctx *c, const quire_node *block) {
  quire_iter *it;
  if (quire_iter_new(&it, block))
    return QUIRE_ENOMEM;
  quire_event ev;
  while ((ev = quire_iter_next(it)) != QUIRE_EVENT_DONE && !c->oom) {
    const quire_node *n = quire_iter_node(it);
    quire_node_kind k = quire_node_kind_of(n);
    if (quire__present_hidden(c->pres, n)) {
      if (ev == QUIRE_EVENT_ENTER)
        quire_iter_skip_children(it);
      continue;
    }
    if (ev == QUIRE_EVENT_EXIT) {
      if (c->depth > 1)
        c->depth--;
      continue;
    }
    S_frame nf;
    memset(&nf, 0, sizeof nf);
    nf.node = n;
    int skip = 0;
    S_enter(c, n, &nf, &skip);
    if (quire_node_kind_is_leaf(k))
      continue;
    if (skip)
      quire_iter_skip_children(it); /* its EXIT still comes, and pops nf */
    if (c->depth == c->cap) {
      int cap = c->cap * 2;
      S_frame *s = quire__realloc(c->stack, (size_t)cap * sizeof *s);
      if (!s) {
        c->oom = 1;
        break;
      }
      c->stack = s;
      c->cap = cap;
    }
    c->stack[c->depth++] = nf;
  }
  quire_iter_free(it);
  return c->oom ? QUIRE_ENOMEM : 0;
}

static int S_walk(S_ctx *c, quire__view *root_blocks) {
  c->cap = 64;
  c->stack = quire__calloc((size_t)c->cap, sizeof *c->stack);
  if (!c->stack)
    return QUIRE_ENOMEM;
  S_frame *f = &c->stack[c->depth++];
  f->node = quire_doc_root(c->doc);
  f->blocks = root_blocks;
  f->child_level = 2;
  f->scope = 1;
  int rc = 0;
  for (size_t i = 0; i < quire__present_block_count(c->pres) && !rc; i++)
    rc = S_walk_block(c, quire__present_block(c->pres, i));
  return rc ? rc : c->oom ? QUIRE_ENOMEM : 0;
}

/* ---- document-level view ---- */

static void S_link(S_ctx *c, quire__view *arr, const char *label,
                   const char *url) {
  if (!quire__html_href_ok(url))
    return;
  quire__view *o = S_object(c);
  S_str(c, o, "label", label);
  quire__escape_href(&c->tmp, url, strlen(url));
  S_set(c, o, "href", S_take(c));
  S_str(c, o, "text", url);
  S_push(c, arr, o);
}

/* [{label, value, href}] from the presentation's fields, appended to out. */
static void S_fields(S_ctx *c, quire__view *out, const quire__field *f,
                     size_t n) {
  for (size_t i = 0; i < n; i++) {
    quire__view *o = S_object(c);
    S_str(c, o, "label", f[i].label);
    S_str(c, o, "name", f[i].label);
    S_str(c, o, "value", f[i].value);
    S_bool(c, o, "code", f[i].id);
    if (f[i].url && quire__html_href_ok(f[i].url)) {
      quire__escape_href(&c->tmp, f[i].url, strlen(f[i].url));
      S_set(c, o, "href", S_take(c));
    } else {
      S_str(c, o, "href", NULL);
    }
    S_push(c, out, o);
  }
}

static quire__view *S_facts(S_ctx *c) {
  quire__view *out = S_array(c);
  for (size_t g = 0; g < quire__present_fact_set_count(c->pres); g++) {
    const quire__fact_set *fs = quire__present_fact_set(c->pres, g);
    quire__view *go = S_object(c);
    S_str(c, go, "label", fs->label);
    quire__view *facts = S_array(c);
    S_fields(c, facts, fs->rows, fs->n);
    S_set(c, go, "facts", facts);
    S_push(c, out, go);
  }
  return out;
}

/* A colour as "#rgb"/"#rrggbb"(aa), else NULL: theme values go into CSS
 * unescaped-looking contexts, so only this shape is let through. */
static const char *S_color(const json_t *v) {
  const char *s = json_string_value(v);
  if (!s || s[0] != '#')
    return NULL;
  size_t n = strlen(s + 1);
  if (n != 3 && n != 4 && n != 6 && n != 8)
    return NULL;
  for (size_t i = 1; i <= n; i++) {
    char ch = s[i];
    if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') ||
          (ch >= 'A' && ch <= 'F')))
      return NULL;
  }
  return s;
}

/* Font family names: letters, digits, spaces and hyphens only. */
static const char *S_font(const json_t *v) {
  const char *s = json_string_value(v);
  if (!s || !*s || strlen(s) > 60)
    return NULL;
  for (const char *p = s; *p; p++) {
    unsigned char ch = (unsigned char)*p;
    if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
          (ch >= '0' && ch <= '9') || ch == ' ' || ch == '-'))
      return NULL;
  }
  return s;
}

static const struct {
  const char *json, *css;
} S_palette_keys[] = {{"accent", "accent"}, {"accentSoft", "accent-soft"},
                      {"ink", "ink"},       {"muted", "muted"},
                      {"paper", "paper"},   {"surface", "surface"},
                      {"border", "border"}, {"heading", "heading"},
                      {"link", "link"},     {"codeBackground", "code-bg"}};

/* "<prefix><name>:<value>;" (a custom property), without printf: the
 * theme's properties are written on every render. */
static void S_css_var(quire_buf *b, const char *prefix, const char *name,
                      const char *value) {
  quire_buf_puts(b, prefix);
  quire_buf_puts(b, name);
  quire_buf_putc(b, ':');
  quire_buf_puts(b, value);
  quire_buf_putc(b, ';');
}

/* --font-<role>-theme:"<family>"; */
static void S_css_font(quire_buf *b, const char *role, const char *family) {
  quire_buf_puts(b, "--font-");
  quire_buf_puts(b, role);
  quire_buf_puts(b, "-theme:\"");
  quire_buf_puts(b, family);
  quire_buf_puts(b, "\";");
}

/* Palette object for the view and CSS custom properties into c->tmp. */
static quire__view *S_palette(S_ctx *c, const json_t *src, int with_lists) {
  quire__view *o = S_object(c);
  for (size_t i = 0; i < sizeof S_palette_keys / sizeof S_palette_keys[0];
       i++) {
    const char *col = S_color(json_object_get(src, S_palette_keys[i].json));
    if (!col)
      continue;
    S_str(c, o, S_palette_keys[i].json, col);
    S_css_var(&c->tmp, "--", S_palette_keys[i].css, col);
  }
  if (!with_lists)
    return o;
  static const struct {
    const char *json, *css;
  } lists[] = {{"chips", "chip"}, {"illustration", "il"}};
  for (size_t l = 0; l < 2; l++) {
    const json_t *arr = json_object_get(src, lists[l].json);
    quire__view *a = S_array(c);
    for (size_t i = 0; i < json_array_size(arr) && i < 4; i++) {
      const char *col = S_color(json_array_get(arr, i));
      if (!col)
        continue;
      S_push(c, a, quire__view_string_ref(c->pool, col, strlen(col)));
      char name[16]; /* "chip0".."il3": i < 4 */
      size_t nl = strlen(lists[l].css);
      memcpy(name, lists[l].css, nl);
      name[nl] = (char)('0' + i);
      name[nl + 1] = '\0';
      S_css_var(&c->tmp, "--", name, col);
    }
    S_set(c, o, lists[l].json, a);
  }
  return o;
}

static void S_theme(S_ctx *c, quire__view *view, const json_t *tj) {
  quire__view *th = S_object(c);
  S_set(c, view, "theme", th);
  const char *name = json_string_value(json_object_get(tj, "name"));
  S_str(c, th, "display_name", name ? name : "Report");

  quire_buf_puts(&c->tmp, ":root{");
  S_set(c, th, "palette", S_palette(c, json_object_get(tj, "palette"), 1));
  const json_t *fonts = json_object_get(tj, "fonts");
  quire__view *fo = S_object(c);
  static const char *const roles[] = {"body", "heading", "mono"};
  for (int i = 0; i < 3; i++) {
    const char *f = S_font(json_object_get(fonts, roles[i]));
    S_str(c, fo, roles[i], f);
    if (f)
      S_css_font(&c->tmp, roles[i], f);
  }
  S_set(c, th, "fonts", fo);
  quire_buf_puts(&c->tmp, "}");
  const json_t *dark = json_object_get(tj, "dark");
  if (json_is_object(dark)) {
    quire_buf_puts(&c->tmp,
                   "@media screen and (prefers-color-scheme:dark){:root{");
    S_set(c, th, "dark", S_palette(c, dark, 0));
    quire_buf_puts(&c->tmp, "}}");
  } else {
    S_set(c, th, "dark", quire__view_null());
  }
  S_set(c, view, "theme_css", S_take(c));
}

static void S_doc(S_ctx *c, quire__view *view, const char *tname) {
  const quire_doc *d = c->doc;
  const quire__present *p = c->pres;
  const quire__date *date = quire__present_date(p);
  const char *title = quire__present_title(p);
  quire__view *doc = S_object(c);
  S_set(c, view, "doc", doc);
  S_str(c, view, "lang", "en");
  S_str(c, view, "title", title);
  S_str(c, view, "kicker", quire__present_kicker(p));
  S_str(c, doc, "title", title);
  /* The print stylesheet's running title is a CSS string literal: escaped
   * for CSS and for <style> raw text, and short enough for one line. The
   * text policy first: the HTML escaper drops bidi controls from text, a
   * CSS string would keep them (U+202E reversing the page's header). */
  quire_buf clean = QUIRE_BUF_INIT;
  quire__text_clean(&clean, title, strlen(title), 0);
  quire__escape_css_string(&c->tmp, clean.ptr ? clean.ptr : "", clean.size, 90);
  quire_buf_dispose(&clean);
  S_set(c, view, "title_css", S_take(c));
  S_str(c, doc, "summary", quire__present_summary(p));
  S_str(c, view, "summary_title", quire__present_summary_title(p));
  S_str(c, doc, "label", quire_doc_label(d));
  S_str(c, doc, "template", quire_doc_template(d));
  S_str(c, doc, "template_dir", tname);
  S_str(c, doc, "id", quire_doc_id(d));
  S_str(c, doc, "job_id", quire_doc_job_id(d));
  S_str(c, doc, "entity_id", quire_doc_entity_id(d));
  S_str(c, doc, "entity_label", quire_doc_entity_label(d));
  const char *entity = quire_doc_entity_label(d);
  S_str(c, doc, "entity", entity ? entity : quire_doc_entity_id(d));
  S_str(c, doc, "media_id", quire_doc_media_id(d));
  S_str(c, doc, "created_at", quire_doc_created_at(d));
  S_str(c, doc, "date", date->valid ? date->day : date->raw);
  S_str(c, doc, "date_iso", date->valid ? date->iso : NULL);
  const char *label = quire_doc_label(d);
  S_bool(c, doc, "label_differs", label && strcmp(label, title) != 0);

  /* The byline as the presentation has it; the date carries its ISO form
   * for <time>. */
  quire__view *by = S_array(c);
  const char *day = date->valid ? date->day : date->raw;
  for (size_t i = 0; i < quire__present_byline_count(p); i++) {
    const quire__field *f = quire__present_byline(p, i);
    quire__view *o = S_object(c);
    S_str(c, o, "label", f->label);
    S_str(c, o, "value", f->value);
    S_str(c, o, "iso", f->value == day && date->valid ? date->iso : NULL);
    S_bool(c, o, "first", i == 0);
    S_push(c, by, o);
  }
  S_set(c, view, "byline", by);
  S_bool(c, view, "byline_labelled", quire__present_byline_labelled(p));
  S_str(c, view, "about", quire__present_about(p));

  size_t nf = quire__present_field_count(p);
  quire__view *fields = S_array(c);
  for (size_t i = 0; i < nf; i++)
    S_fields(c, fields, quire__present_field(p, i), 1);
  S_set(c, view, "fields", fields);

  /* ids and links as before, for templates written against them. */
  quire__view *ids = S_array(c);
  quire__view *links = S_array(c);
  for (size_t i = 0; i < nf; i++) {
    const quire__field *f = quire__present_field(p, i);
    if (f->url) {
      S_link(c, links, f->label, f->url);
    } else {
      quire__view *o = S_object(c);
      S_str(c, o, "label", f->label);
      S_str(c, o, "value", f->value);
      S_push(c, ids, o);
    }
  }
  S_set(c, view, "ids", ids);
  S_set(c, view, "links", links);
  S_bool(c, view, "has_links", links && links->n > 0);

  quire__view *facts = S_facts(c);
  S_set(c, view, "facts", facts);
  S_bool(c, view, "has_facts", facts && facts->n > 0);
  S_str(c, view, "generator", "quire " QUIRE_VERSION_STRING);
}

/* ---- rendering ---- */

static int S_escape(quire_buf *out, const char *s, size_t len, void *payload) {
  (void)payload;
  return quire__escape_html(out, s, len);
}

/* 1 when "</" occurs in the len bytes at s. */
static int S_has_end_tag(const char *s, size_t len) {
  const char *end = s + len, *lt;
  while ((lt = memchr(s, '<', (size_t)(end - s))) != NULL) {
    if (lt + 1 < end && lt[1] == '/')
      return 1;
    s = lt + 1;
  }
  return 0;
}

/* Builds the whole view for doc, its values in pool. */
static int S_build(quire__view **out, quire__view_pool *pool,
                   const quire_doc *doc, const quire__present *pres,
                   const char *tname, const json_t *theme,
                   const quire__template *set, quire_error *err) {
  S_ctx c;
  memset(&c, 0, sizeof c);
  c.doc = doc;
  c.pres = pres;
  c.pool = pool;
  quire_buf_init(&c.tmp, 0);
  quire__view *view = S_object(&c);
  quire__view *blocks = S_array(&c);
  c.toc = S_array(&c);
  int rc = 0;
  if (!c.oom) {
    S_set(&c, view, "blocks", blocks);
    rc = S_walk(&c, blocks);
  }
  if (!rc && !c.oom) {
    S_doc(&c, view, tname);
    S_theme(&c, view, theme);
    size_t ntoc = c.toc->n;
    S_set(&c, view, "toc", c.toc);
    S_bool(&c, view, "has_toc", ntoc >= 6);
    char *css = NULL;
    size_t len = 0;
    /* style.css is the whole stylesheet; extra.css lets a template add to
     * the default one instead of replacing it. */
    static const char *const files[] = {"style.css", "extra.css"};
    static const char *const keys[] = {"css", "extra_css"};
    for (int i = 0; i < 2 && !rc; i++) {
      /* The set's own copy, borrowed, when it holds no "</" to escape:
       * 15 KB that would otherwise be copied three times a render. */
      const char *kept;
      size_t klen;
      int kr = quire__template_text_ref(&kept, &klen, set, files[i]);
      if (kr == QUIRE_ENOTFOUND && i == 1) {
        S_str(&c, view, keys[i], NULL);
        continue;
      }
      if (kr == 0 && !S_has_end_tag(kept, klen)) {
        S_set(&c, view, keys[i], quire__view_string_ref(c.pool, kept, klen));
        continue;
      }
      quire_error e2;
      quire_error_clear(&e2);
      rc = quire__template_text(&css, &len, set, files[i], &e2);
      if (rc == QUIRE_ENOTFOUND && i == 1) {
        rc = 0; /* extra.css is optional */
        S_str(&c, view, keys[i], NULL);
        continue;
      }
      if (rc && err)
        *err = e2;
      if (!rc) {
        /* The stylesheet is inlined in <style>: a "</style" in it would
         * end the element and let markup in. "<\/" reads the same to CSS
         * (an escaped '/') wherever "</" could legally appear. */
        quire_buf_clear(&c.tmp);
        const char *p = css, *end = css + len, *lt;
        while ((lt = memchr(p, '<', (size_t)(end - p))) != NULL) {
          quire_buf_put(&c.tmp, p, (size_t)(lt - p) + 1);
          if (lt + 1 < end && lt[1] == '/')
            quire_buf_putc(&c.tmp, '\\');
          p = lt + 1;
        }
        quire_buf_put(&c.tmp, p, (size_t)(end - p));
        S_set(&c, view, keys[i], S_take(&c));
      }
      free(css);
    }
  }
  free(c.stack);
  quire_buf_dispose(&c.tmp);
  if (c.oom || rc == QUIRE_ENOMEM)
    rc = quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  if (rc)
    return rc;
  *out = view;
  return 0;
}

int quire__render_html(const quire_doc *doc, const quire__look *look,
                       const quire_render_options *opts, quire_sink sink,
                       quire_error *err) {
  quire__view *view = NULL;
  quire__view_pool pool = QUIRE__VIEW_POOL_INIT;
  quire_buf out;
  size_t max = opts->max_output ? opts->max_output : QUIRE__MAX_OUTPUT_DEFAULT;
  quire_buf_init(&out, max);
  const quire__present *pres = NULL;
  quire__present_opts po = {look->theme.display_name, look->tname,
                            opts->template_name != NULL, opts->body};
  const quire__template *set = NULL;
  int rc = quire__look_templates(&set, look, err);
  if (!rc)
    rc = quire__present_get(&pres, doc, &po, err);
  if (!rc)
    rc = S_build(&view, &pool, doc, pres, look->tname, look->theme_json, set,
                 err);
  /* The page's language, as the PDF's /Lang (render/lang.h). */
  if (!rc) {
    const char *lang = quire__render_lang(opts->lang, doc, pres);
    const quire__view *lv = quire__view_string_copy(&pool, lang, strlen(lang));
    if (!lv || quire__view_set(&pool, view, "lang", lv))
      rc = quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  }
  const quire__mustache *layout = NULL;
  if (!rc)
    rc = quire__template_get(&layout, set, "layout", err);
  if (!rc) {
    quire__mustache_options mo = QUIRE__MUSTACHE_OPTIONS_INIT;
    mo.flags =
        QUIRE__MUSTACHE_STRICT_PARTIALS | QUIRE__MUSTACHE_EMPTY_STRING_FALSEY;
    mo.load = quire__template_load;
    /* The loader only reads the complete set (template.h). */
    mo.load_payload = (void *)set;
    mo.escape = S_escape;
    rc = quire__mustache_render_view(&out, layout, view, &mo, err);
  }
  if (!rc) {
    quire__out o;
    quire__out_init(&o, sink, max);
    quire__out_write(&o, out.ptr, out.size);
    if (o.err)
      rc = quire__error_set(err, o.err, "cannot write the HTML output");
  }
  quire_buf_dispose(&out);
  quire__view_pool_free(&pool);
  return rc;
}
