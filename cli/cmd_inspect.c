#include "args.h"
#include "commands.h"
#include "exitcodes.h"
#include "json_out.h"
#include "msg.h"
#include "output.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

const char cmd_inspect_usage[] =
    "usage: quire inspect [-q] [--json] FILE\n"
    "\n"
    "Prints the decoded document model of a report, one node per line, with\n"
    "the JSON path each came from. For debugging and bug reports.\n"
    "\n"
    "  -q, --quiet   leave the decoder's warning lines out of the model\n"
    "      --json    the model as one JSON object: shape, meta, facts,\n"
    "                warnings and the node tree (each node: kind, path,\n"
    "                its fields, children)\n";

static const char *const S_shapes[] = {NULL,  "v2",   "sections", "markdown",
                                       "sdk", "node", "matching", "empty"};
static const char *const S_groups[] = {NULL,    "metrics", "provenance", "meta",
                                       "usage", "subject", "extra"};

static void S_str_field(quire_buf *b, int *first, const char *key,
                        const char *v) {
  if (v) {
    cli_json_key(b, first, key);
    cli_json_str(b, v);
  }
}

static void S_int_field(quire_buf *b, int *first, const char *key, long v) {
  cli_json_key(b, first, key);
  quire_buf_printf(b, "%ld", v);
}

/* A node's own fields, those its kind has. */
static void S_node_fields(quire_buf *b, int *first, const quire_node *n) {
  quire_node_kind k = quire_node_kind_of(n);
  cli_json_key(b, first, "kind");
  cli_json_str(b, quire_node_kind_name(k));
  S_str_field(b, first, "path", quire_node_path(n));
  S_str_field(b, first, "key", quire_node_key(n));
  S_str_field(b, first, "title", quire_node_title(n));
  S_str_field(b, first, "icon", quire_node_icon(n));
  S_str_field(b, first, "literal", quire_node_literal(n));
  S_str_field(b, first, "info", quire_node_info(n));
  S_str_field(b, first, "url", quire_node_url(n));
  if (k == QUIRE_NODE_MD_HEADING)
    S_int_field(b, first, "level", quire_node_heading_level(n));
  if (k == QUIRE_NODE_MD_LIST) {
    S_str_field(b, first, "listType",
                quire_node_list_type(n) == QUIRE_LIST_ORDERED ? "ordered"
                                                              : "bullet");
    S_int_field(b, first, "start", quire_node_list_start(n));
    cli_json_key(b, first, "tight");
    quire_buf_puts(b, quire_node_list_tight(n) ? "true" : "false");
  }
  if (k == QUIRE_NODE_MD_ITEM && quire_node_task(n) != QUIRE_TASK_NONE)
    S_str_field(b, first, "task",
                quire_node_task(n) == QUIRE_TASK_DONE ? "done" : "open");
  if (k == QUIRE_NODE_MD_TABLE) {
    int cols = quire_node_table_columns(n);
    S_int_field(b, first, "columns", cols);
    cli_json_key(b, first, "align");
    quire_buf_putc(b, '[');
    for (int c = 0; c < cols; c++) {
      static const char *const al[] = {"none", "left", "center", "right"};
      quire_align a = quire_node_table_align(n, c);
      if (c)
        quire_buf_putc(b, ',');
      cli_json_str(b, (unsigned)a < 4 ? al[a] : "none");
    }
    quire_buf_putc(b, ']');
  }
  if (k == QUIRE_NODE_MD_TABLE_ROW) {
    cli_json_key(b, first, "header");
    quire_buf_puts(b, quire_node_row_is_header(n) ? "true" : "false");
  }
  if (k == QUIRE_NODE_GRID)
    S_int_field(b, first, "columns", quire_node_grid_columns(n));
  if (k == QUIRE_NODE_ILLUSTRATION)
    S_str_field(b, first, "illustration",
                quire_illustration_name(quire_node_illustration(n)));
  if (k == QUIRE_NODE_TRAITS) {
    cli_json_key(b, first, "phrases");
    quire_buf_putc(b, '[');
    for (size_t i = 0; i < quire_node_phrase_count(n); i++) {
      if (i)
        quire_buf_putc(b, ',');
      cli_json_str(b, quire_node_phrase(n, i));
    }
    quire_buf_putc(b, ']');
  }
}

/* The tree under root, depth first without recursion (quire_iter). */
static int S_tree(quire_buf *b, const quire_node *root) {
  quire_iter *it;
  if (quire_iter_new(&it, root) != 0)
    return -1;
  int need_comma = 0;
  quire_event ev;
  while ((ev = quire_iter_next(it)) != QUIRE_EVENT_DONE &&
         ev != QUIRE_EVENT_NONE) {
    const quire_node *n = quire_iter_node(it);
    if (ev == QUIRE_EVENT_EXIT) {
      quire_buf_puts(b, "]}");
      need_comma = 1;
      continue;
    }
    if (need_comma)
      quire_buf_putc(b, ',');
    int first = 1;
    quire_buf_putc(b, '{');
    S_node_fields(b, &first, n);
    if (quire_node_kind_is_leaf(quire_node_kind_of(n))) {
      quire_buf_putc(b, '}');
      need_comma = 1;
    } else {
      cli_json_key(b, &first, "children");
      quire_buf_putc(b, '[');
      need_comma = 0;
    }
  }
  quire_iter_free(it);
  return 0;
}

static int S_json(quire_buf *b, const quire_doc *doc, const char *src,
                  int quiet) {
  int first = 1;
  quire_shape sh = quire_doc_shape(doc);
  quire_buf_putc(b, '{');
  cli_json_key(b, &first, "source");
  cli_json_str(b, src);
  cli_json_key(b, &first, "shape");
  cli_json_str(b, (unsigned)sh < sizeof S_shapes / sizeof *S_shapes
                      ? S_shapes[sh]
                      : NULL);
  cli_json_key(b, &first, "meta");
  int mfirst = 1;
  quire_buf_putc(b, '{');
  S_str_field(b, &mfirst, "id", quire_doc_id(doc));
  S_str_field(b, &mfirst, "createdAt", quire_doc_created_at(doc));
  S_str_field(b, &mfirst, "jobId", quire_doc_job_id(doc));
  S_str_field(b, &mfirst, "label", quire_doc_label(doc));
  S_str_field(b, &mfirst, "template", quire_doc_template(doc));
  S_str_field(b, &mfirst, "entityId", quire_doc_entity_id(doc));
  S_str_field(b, &mfirst, "entityLabel", quire_doc_entity_label(doc));
  S_str_field(b, &mfirst, "mediaId", quire_doc_media_id(doc));
  S_str_field(b, &mfirst, "title", quire_doc_title(doc));
  S_str_field(b, &mfirst, "summary", quire_doc_summary(doc));
  S_str_field(b, &mfirst, "reportUrl", quire_doc_report_url(doc));
  S_str_field(b, &mfirst, "pdfUrl", quire_doc_pdf_url(doc));
  quire_buf_putc(b, '}');
  cli_json_key(b, &first, "facts");
  quire_buf_putc(b, '[');
  for (size_t i = 0; i < quire_doc_fact_count(doc); i++) {
    const quire_fact *f = quire_doc_fact(doc, i);
    int ff = 1;
    quire_buf_puts(b, i ? ",{" : "{");
    S_str_field(b, &ff, "group",
                (unsigned)f->group < sizeof S_groups / sizeof *S_groups
                    ? S_groups[f->group]
                    : "extra");
    S_str_field(b, &ff, "name", f->name);
    S_str_field(b, &ff, "value", f->value);
    quire_buf_putc(b, '}');
  }
  quire_buf_putc(b, ']');
  cli_json_key(b, &first, "warnings");
  quire_buf_putc(b, '[');
  for (size_t i = 0, k = 0; !quiet && i < quire_doc_diag_count(doc); i++) {
    const quire_diag *d = quire_doc_diag(doc, i);
    int ff = 1;
    quire_buf_puts(b, k++ ? ",{" : "{");
    S_str_field(b, &ff, "path", d->path);
    S_str_field(b, &ff, "message", d->message);
    quire_buf_putc(b, '}');
  }
  quire_buf_putc(b, ']');
  cli_json_key(b, &first, "root");
  if (S_tree(b, quire_doc_root(doc)) != 0)
    return -1;
  const quire_node *md = quire_doc_markdown_node(doc);
  cli_json_key(b, &first, "markdown");
  if (md) {
    if (S_tree(b, md) != 0)
      return -1;
  } else {
    quire_buf_puts(b, "null");
  }
  quire_buf_puts(b, "}\n");
  return quire_buf_failed(b) ? -1 : 0;
}

int cmd_inspect(int argc, char **argv) {
  static const struct option longopts[] = {{"quiet", no_argument, NULL, 'q'},
                                           {"json", no_argument, NULL, 'J'},
                                           {"help", no_argument, NULL, 'h'},
                                           {NULL, 0, NULL, 0}};
  int quiet = 0, json = 0, opt;
  optind = 1;
  while ((opt = cli_getopt("inspect", argc, argv, "qh", longopts)) != -1) {
    switch (opt) {
    case 'q': quiet = 1; break;
    case 'J': json = 1; break;
    case 'h': fputs(cmd_inspect_usage, stdout); return EXIT_OK;
    default: return EXIT_USAGE; /* cli_getopt said why */
    }
  }
  if (argc - optind != 1) {
    cli_errorf("inspect: give one FILE; see 'quire help inspect'");
    return EXIT_USAGE;
  }
  quire_doc *doc;
  cli_quiet = 1; /* the dump lists warnings itself */
  int rc = cli_load_doc(&doc, argv[optind], 0);
  if (rc)
    return rc;
  quire_buf b = QUIRE_BUF_INIT;
  if (json) {
    const char *src = strcmp(argv[optind], "-") == 0 ? "<stdin>" : argv[optind];
    if (S_json(&b, doc, src, quiet) != 0) {
      cli_errorf("out of memory");
      rc = EXIT_INTERNAL;
    } else {
      cli_out_bytes(b.ptr, b.size);
    }
  } else if (quire_doc_dump(&b, doc) != 0) {
    cli_errorf("out of memory");
    rc = EXIT_INTERNAL;
  } else {
    /* The dump escapes ESC itself; C1 and bidi controls it passes are
     * escaped here, as in every other line the CLI prints. Its warning
     * lines start with "warning " at the start of a line. */
    for (size_t i = 0; i < b.size;) {
      const char *nl = memchr(b.ptr + i, '\n', b.size - i);
      size_t end = nl ? (size_t)(nl - b.ptr) + 1 : b.size;
      if (!(quiet && strncmp(b.ptr + i, "warning ", 8) == 0))
        cli_out_text(b.ptr + i, end - i);
      i = end;
    }
  }
  quire_buf_dispose(&b);
  quire_doc_free(doc);
  return rc;
}
