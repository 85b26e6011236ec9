/* Canonical, look-free dump of the model (like cmark's xml.c): what tests
 * compare, so a visual change in a renderer cannot break decoder tests. */
#include "internal.h"

#include <string.h>

static void S_str(quire_buf *b, const char *name, const char *v) {
  if (!v)
    return;
  quire_buf_printf(b, " %s=\"", name);
  for (const char *p = v; *p; p++) {
    unsigned char c = (unsigned char)*p;
    if (c == '"' || c == '\\')
      quire_buf_printf(b, "\\%c", c);
    else if (c == '\n')
      quire_buf_puts(b, "\\n");
    else if (c < 0x20 || c == 0x7f)
      quire_buf_printf(b, "\\x%02x", c);
    else
      quire_buf_putc(b, c);
  }
  quire_buf_putc(b, '"');
}

static void S_node(quire_buf *b, const quire_node *n, int depth) {
  for (int i = 0; i < depth; i++)
    quire_buf_puts(b, "  ");
  quire_node_kind k = quire_node_kind_of(n);
  quire_buf_puts(b, quire_node_kind_name(k));
  S_str(b, "key", quire_node_key(n));
  S_str(b, "title", quire_node_title(n));
  S_str(b, "icon", quire_node_icon(n));
  S_str(b, "url", quire_node_url(n));
  S_str(b, "info", quire_node_info(n));
  switch (k) {
  case QUIRE_NODE_MD_HEADING:
    quire_buf_printf(b, " level=%d", quire_node_heading_level(n));
    break;
  case QUIRE_NODE_MD_LIST:
    quire_buf_printf(b, " type=%s start=%d tight=%d",
                     quire_node_list_type(n) == QUIRE_LIST_ORDERED ? "ordered"
                                                                   : "bullet",
                     quire_node_list_start(n), quire_node_list_tight(n));
    break;
  case QUIRE_NODE_MD_ITEM:
    if (quire_node_task(n))
      quire_buf_printf(b, " task=%s",
                       quire_node_task(n) == QUIRE_TASK_DONE ? "done" : "open");
    break;
  case QUIRE_NODE_MD_TABLE: {
    static const char al[] = {'-', 'l', 'c', 'r'};
    quire_buf_printf(b, " columns=%d align=", quire_node_table_columns(n));
    for (int i = 0; i < quire_node_table_columns(n); i++)
      quire_buf_putc(b, al[quire_node_table_align(n, i)]);
    break;
  }
  case QUIRE_NODE_MD_TABLE_ROW:
    if (quire_node_row_is_header(n))
      quire_buf_puts(b, " header");
    break;
  case QUIRE_NODE_GRID:
    quire_buf_printf(b, " columns=%d", quire_node_grid_columns(n));
    break;
  case QUIRE_NODE_ILLUSTRATION: {
    const char *v = quire_illustration_name(quire_node_illustration(n));
    quire_buf_printf(b, " variant=%s", v ? v : "unknown");
    break;
  }
  case QUIRE_NODE_TRAITS:
    for (size_t i = 0; i < quire_node_phrase_count(n); i++)
      S_str(b, "phrase", quire_node_phrase(n, i));
    break;
  default: break;
  }
  S_str(b, "literal", quire_node_literal(n));
  quire_buf_printf(b, " @%s\n", quire_node_path(n) ? quire_node_path(n) : "");
}

int quire_doc_dump(quire_buf *out, const quire_doc *doc) {
  if (!out || !doc)
    return QUIRE_EINVAL;
  static const char *const shapes[] = {"?",   "v2",   "sections", "markdown",
                                       "sdk", "node", "matching", "empty"};
  quire_shape sh = quire_doc_shape(doc);
  quire_buf_printf(out, "shape %s\n",
                   sh >= 1 && sh <= QUIRE_SHAPE_EMPTY ? shapes[sh] : "?");
  struct {
    const char *name;
    const char *(*get)(const quire_doc *);
  } meta[] = {{"id", quire_doc_id},
              {"createdAt", quire_doc_created_at},
              {"jobId", quire_doc_job_id},
              {"label", quire_doc_label},
              {"template", quire_doc_template},
              {"entity.id", quire_doc_entity_id},
              {"entity.label", quire_doc_entity_label},
              {"media.id", quire_doc_media_id},
              {"media.url", quire_doc_media_url},
              {"title", quire_doc_title},
              {"summary", quire_doc_summary},
              {"reportUrl", quire_doc_report_url},
              {"pdfUrl", quire_doc_pdf_url}};
  for (size_t i = 0; i < sizeof meta / sizeof meta[0]; i++) {
    const char *v = meta[i].get(doc);
    if (v) {
      quire_buf_puts(out, "meta");
      S_str(out, meta[i].name, v);
      quire_buf_putc(out, '\n');
    }
  }
  static const char *const groups[] = {"?",     "metrics", "provenance", "meta",
                                       "usage", "subject", "extra"};
  for (size_t i = 0; i < quire_doc_fact_count(doc); i++) {
    const quire_fact *f = quire_doc_fact(doc, i);
    quire_buf_printf(out, "fact %s", groups[f->group]);
    S_str(out, "name", f->name);
    S_str(out, "value", f->value);
    quire_buf_putc(out, '\n');
  }
  for (size_t i = 0; i < quire_doc_diag_count(doc); i++) {
    const quire_diag *d = quire_doc_diag(doc, i);
    quire_buf_printf(out, "warning %s: %s\n", d->path, d->message);
  }
  quire_iter *it;
  int rc = quire_iter_new(&it, quire_doc_root(doc));
  if (rc)
    return rc;
  int depth = 0;
  quire_event ev;
  while ((ev = quire_iter_next(it)) != QUIRE_EVENT_DONE) {
    const quire_node *n = quire_iter_node(it);
    if (ev == QUIRE_EVENT_ENTER) {
      S_node(out, n, depth);
      if (!quire_node_kind_is_leaf(quire_node_kind_of(n)))
        depth++;
    } else {
      depth--;
    }
  }
  quire_iter_free(it);
  return quire_buf_failed(out);
}
