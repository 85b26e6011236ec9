#include "decode/markdown.h"

#include "safety/url_policy.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* cmark-gfm (0.29, Debian 12) keeps the table of inline trigger characters
 * in process-global arrays: cmark_parser_finish adds every attached
 * extension's characters (':' and 'w' for autolinks, '~' for strikethrough)
 * and removes them again when it is done, so one thread's finish switches
 * the extensions off under another thread's inline pass, and autolinks
 * vanish at random (github/cmark-gfm PR #176, still open). Every cmark parse
 * in libquire therefore holds this lock; the rest of decoding runs in
 * parallel. A host program that also calls cmark-gfm from other threads
 * shares the same hazard, which no lock of ours can fix (quire.h says so). */
static pthread_mutex_t S_cmark_lock = PTHREAD_MUTEX_INITIALIZER;

/* cmark-gfm's extension registry is process-global: filled once. */
static pthread_once_t S_ext_once = PTHREAD_ONCE_INIT;

static void S_ext_register(void) {
  cmark_gfm_core_extensions_ensure_registered();
}

void quire__markdown_global_init(void) {
  pthread_once(&S_ext_once, S_ext_register);
}

/* Containers nested deeper than this are flattened into their ancestor:
 * nobody writes 40 levels of quotes, and every renderer indents per level. */
#define S_MAX_NEST 24

/* Inputs on which cmark-gfm 0.29.0.gfm.6 (Debian 12) goes quadratic or
 * worse, measured here on 300 KB inputs: "![[]()" repeated takes 6 s (every
 * '[' rescans the bracket stack), a table of 50,000 columns 10 s, and a
 * 2,000-column header over 50,000 one-cell rows 30 s and 10 GB (every row
 * is padded to the header's width); `'>' * n + 'a*' * n` (n = 32k) 5.6 s:
 * the emphasis pass is quadratic in the container depth. No report needs
 * more than these, so over one the field is shown as plain text. */
#define S_MAX_BRACKETS 10000     /* '[' in one paragraph */
#define S_MAX_TABLE_CELLS 100000 /* columns x rows, over all tables */
#define S_MAX_DEPTH 32           /* block quotes and list items on a line */

typedef struct {
  quire_doc *doc;
  const char *path;
  quire_node *cur; /* where new nodes go */
  quire_buf text;  /* pending run of text, merged across cmark's splits */
  int skipped;     /* containers not created because too deep */
  int depth;
  int dropped_html, dropped_url;
  int oom;
} S_conv;

static quire_node *S_add(S_conv *c, quire_node_kind kind) {
  quire_node *n = quire__node_new(c->doc, kind, NULL);
  if (!n) {
    c->oom = 1;
    return NULL;
  }
  n->path = c->path;
  quire__node_append(c->cur, n);
  return n;
}

static void S_flush_text(S_conv *c) {
  if (!c->text.size)
    return;
  quire_node *n = S_add(c, QUIRE_NODE_MD_TEXT);
  if (n) {
    n->literal =
        quire__arena_strndup(&c->doc->arena, c->text.ptr, c->text.size);
    if (!n->literal)
      c->oom = 1;
  }
  quire_buf_clear(&c->text);
}

static const char *S_dup(S_conv *c, const char *s) {
  if (!s)
    return NULL;
  const char *d = quire__arena_strdup(&c->doc->arena, s);
  if (!d)
    c->oom = 1;
  return d;
}

static quire_node_kind S_kind(cmark_node *node, int *is_ext) {
  *is_ext = 0;
  switch (cmark_node_get_type(node)) {
  case CMARK_NODE_BLOCK_QUOTE: return QUIRE_NODE_MD_QUOTE;
  case CMARK_NODE_LIST: return QUIRE_NODE_MD_LIST;
  case CMARK_NODE_ITEM: return QUIRE_NODE_MD_ITEM;
  case CMARK_NODE_CODE_BLOCK: return QUIRE_NODE_MD_CODE_BLOCK;
  case CMARK_NODE_PARAGRAPH: return QUIRE_NODE_MD_PARA;
  case CMARK_NODE_HEADING: return QUIRE_NODE_MD_HEADING;
  case CMARK_NODE_THEMATIC_BREAK: return QUIRE_NODE_MD_RULE;
  case CMARK_NODE_TEXT: return QUIRE_NODE_MD_TEXT;
  case CMARK_NODE_SOFTBREAK: return QUIRE_NODE_MD_SOFTBREAK;
  case CMARK_NODE_LINEBREAK: return QUIRE_NODE_MD_LINEBREAK;
  case CMARK_NODE_CODE: return QUIRE_NODE_MD_CODE;
  case CMARK_NODE_EMPH: return QUIRE_NODE_MD_EMPH;
  case CMARK_NODE_STRONG: return QUIRE_NODE_MD_STRONG;
  case CMARK_NODE_LINK: return QUIRE_NODE_MD_LINK;
  case CMARK_NODE_IMAGE: return QUIRE_NODE_MD_IMAGE;
  default: break;
  }
  /* Extension node types are registered at run time and not exported by
   * Debian's headers; their type strings are stable. */
  const char *t = cmark_node_get_type_string(node);
  *is_ext = 1;
  if (strcmp(t, "table") == 0)
    return QUIRE_NODE_MD_TABLE;
  if (strcmp(t, "table_header") == 0 || strcmp(t, "table_row") == 0)
    return QUIRE_NODE_MD_TABLE_ROW;
  if (strcmp(t, "table_cell") == 0)
    return QUIRE_NODE_MD_TABLE_CELL;
  if (strcmp(t, "strikethrough") == 0)
    return QUIRE_NODE_MD_STRIKE;
  if (strcmp(t, "tasklist") == 0)
    return QUIRE_NODE_MD_ITEM;
  return QUIRE_NODE_NONE;
}

static void S_fill(S_conv *c, quire_node *n, cmark_node *node) {
  switch (n->kind) {
  case QUIRE_NODE_MD_HEADING:
    n->level = cmark_node_get_heading_level(node);
    break;
  case QUIRE_NODE_MD_LIST:
    n->flag = cmark_node_get_list_type(node) == CMARK_ORDERED_LIST
                  ? QUIRE_LIST_ORDERED
                  : QUIRE_LIST_BULLET;
    n->level = cmark_node_get_list_start(node);
    n->tight = cmark_node_get_list_tight(node);
    break;
  case QUIRE_NODE_MD_ITEM:
    if (strcmp(cmark_node_get_type_string(node), "tasklist") == 0)
      n->flag = cmark_gfm_extensions_get_tasklist_item_checked(node)
                    ? QUIRE_TASK_DONE
                    : QUIRE_TASK_OPEN;
    break;
  case QUIRE_NODE_MD_CODE_BLOCK: {
    const char *lit = cmark_node_get_literal(node);
    size_t len = lit ? strlen(lit) : 0;
    if (len && lit[len - 1] == '\n')
      len--; /* the fence's closing newline is not content */
    n->literal = quire__arena_strndup(&c->doc->arena, lit ? lit : "", len);
    if (!n->literal)
      c->oom = 1;
    const char *info = cmark_node_get_fence_info(node);
    n->info = info && *info ? S_dup(c, info) : NULL;
    break;
  }
  case QUIRE_NODE_MD_CODE:
    n->literal = S_dup(c, cmark_node_get_literal(node));
    break;
  case QUIRE_NODE_MD_LINK:
  case QUIRE_NODE_MD_IMAGE: {
    const char *url = cmark_node_get_url(node);
    if (quire__url_is_safe(url, QUIRE__URL_ALLOW_MAILTO))
      n->url = S_dup(c, url);
    else if (url && *url)
      c->dropped_url = 1;
    const char *title = cmark_node_get_title(node);
    n->title = title && *title ? S_dup(c, title) : NULL;
    break;
  }
  case QUIRE_NODE_MD_TABLE: {
    int cols = cmark_gfm_extensions_get_table_columns(node);
    uint8_t *al = cmark_gfm_extensions_get_table_alignments(node);
    n->level = cols;
    n->align =
        quire__arena_alloc(&c->doc->arena, (size_t)(cols > 0 ? cols : 1));
    if (!n->align) {
      c->oom = 1;
      break;
    }
    for (int i = 0; i < cols; i++)
      n->align[i] = !al            ? QUIRE_ALIGN_NONE
                    : al[i] == 'l' ? QUIRE_ALIGN_LEFT
                    : al[i] == 'c' ? QUIRE_ALIGN_CENTER
                    : al[i] == 'r' ? QUIRE_ALIGN_RIGHT
                                   : QUIRE_ALIGN_NONE;
    break;
  }
  case QUIRE_NODE_MD_TABLE_ROW:
    n->flag = cmark_gfm_extensions_get_table_row_is_header(node) ||
              strcmp(cmark_node_get_type_string(node), "table_header") == 0;
    break;
  default: break;
  }
}

static void S_plain(S_conv *c, const char *text, size_t len) {
  quire_node *para = S_add(c, QUIRE_NODE_MD_PARA);
  if (!para)
    return;
  quire_node *t = quire__node_new(c->doc, QUIRE_NODE_MD_TEXT, NULL);
  if (!t) {
    c->oom = 1;
    return;
  }
  t->path = c->path;
  t->literal = quire__arena_strndup(&c->doc->arena, text, len);
  if (!t->literal)
    c->oom = 1;
  quire__node_append(para, t);
}

/* A GFM delimiter row ("| --- | :-: |"): only spaces, pipes, colons and
 * dashes, with at least one pipe and one dash. Returns its cells, or 0. */
static size_t S_delim_cells(const char *s, size_t n) {
  size_t cells = 0;
  int pipe = 0, dash = 0;
  for (size_t i = 0; i < n; i++) {
    char ch = s[i];
    if (ch == '|') {
      pipe = 1;
      dash = 0;
    } else if (ch == '-') {
      if (!dash)
        cells++;
      dash = 1;
    } else if (ch != ' ' && ch != '\t' && ch != ':' && ch != '\r') {
      return 0;
    }
  }
  return pipe ? cells : 0;
}

/* Markdown work is counted in units of roughly 0.2-0.4 µs of cmark-gfm
 * time (measured on the pathological corpus, bench/markdown.sh): plain
 * text is almost free (1/64 unit a byte), and each character that starts
 * inline or block processing costs what its slowest pattern measured: '@'
 * (the e-mail autolink scan, 3.4 µs each in "a@" repeated), table pipes,
 * emphasis and strikethrough delimiters, line ends, the "w" of a "www."
 * autolink. Other bytes: 1/64. */
static const unsigned char S_weight[256] = {
    ['\n'] = 4, ['\r'] = 4, ['@'] = 8, ['|'] = 3, ['*'] = 2,  ['_'] = 2,
    ['~'] = 2,  ['['] = 1,  [']'] = 1, ['!'] = 1, ['('] = 1,  [')'] = 1,
    ['<'] = 1,  ['>'] = 1,  ['&'] = 1, ['`'] = 1, ['\\'] = 1, [':'] = 1,
    ['-'] = 1,  ['#'] = 1,  ['+'] = 1, ['w'] = 1,
};

typedef struct S_scan {
  size_t brackets; /* the most '[' in one run of lines (a paragraph) */
  size_t max_columns, cells, depth;
  uint64_t work;
} S_scan;

/* The containers a line starts with: each '>' and list marker, and before
 * a list marker the levels its indentation implies (nested items are
 * indented at least two columns per level). An upper bound that keeps
 * "  " * x + "* a" and "> > > ..." both visible. *item is set when the
 * line starts a list item (and so a new paragraph). */
static size_t S_line_depth(const char *s, size_t n, int *item) {
  *item = 0;
  size_t depth = 0, i = 0;
  while (i < n) {
    size_t cols = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t')) {
      cols += s[i] == '\t' ? 4 : 1;
      i++;
    }
    if (i >= n)
      break;
    if (s[i] == '>') {
      depth++;
      i++;
      continue;
    }
    size_t j = i;
    if (s[j] == '-' || s[j] == '+' || s[j] == '*') {
      j++;
    } else {
      size_t digits = 0;
      while (j < n && digits < 10 && s[j] >= '0' && s[j] <= '9') {
        j++;
        digits++;
      }
      if (!digits || digits > 9 || j >= n || (s[j] != '.' && s[j] != ')'))
        break;
      j++;
    }
    if (j < n && s[j] != ' ' && s[j] != '\t')
      break;
    depth += 1 + cols / 2;
    *item = 1;
    i = j;
  }
  return depth;
}

/* One pass over the text for what cmark-gfm cannot bear (see the limits
 * above) and for the work its parse will take; a table's rows are counted
 * to the next blank line, an upper bound of what cmark will pad. */
static void S_prescan(const char *text, size_t len, S_scan *sc) {
  memset(sc, 0, sizeof *sc);
  size_t table_cols = 0, run = 0;
  uint64_t weighted = 0, quadratic = 0;
  for (size_t k = 0; k < len; k++)
    weighted += S_weight[(unsigned char)text[k]];
  for (size_t i = 0; i <= len;) {
    const char *line = text + i;
    const char *nl = i < len ? memchr(line, '\n', len - i) : NULL;
    size_t n = nl ? (size_t)(nl - line) : len - i;
    i += n + 1;
    size_t blank = 1, brackets = 0;
    for (size_t k = 0; k < n; k++) {
      blank &= line[k] == ' ' || line[k] == '\t' || line[k] == '\r';
      brackets += line[k] == '[';
    }
    int item = 0;
    size_t depth = blank ? 0 : S_line_depth(line, n, &item);
    /* cmark matches brackets within one inline run (a paragraph): a blank
     * line or a new list item starts another. Unmatched ones pile up and
     * are rescanned, so the work is quadratic in a run's '[' ("![[]()" x
     * 10,000 in one paragraph: 0.16 s; on 10,000 lines: 0.01 s). */
    if (blank || item) {
      quadratic += (uint64_t)run * run / 1000;
      if (run > sc->brackets)
        sc->brackets = run;
      run = 0;
    }
    run += brackets;
    if (blank) {
      table_cols = 0;
      continue;
    }
    if (depth > sc->depth)
      sc->depth = depth;
    size_t c = S_delim_cells(line, n);
    if (c) {
      table_cols = c;
      if (c > sc->max_columns)
        sc->max_columns = c;
      sc->cells += 2 * c; /* the header and this row */
    } else if (table_cols) {
      sc->cells += table_cols;
    }
  }
  quadratic += (uint64_t)run * run / 1000;
  if (run > sc->brackets)
    sc->brackets = run;
  sc->work = len / 64 + weighted + quadratic + sc->cells;
}

/* 1 when cmark-gfm (with quire's extensions, no smart punctuation) would
 * make the text one paragraph holding exactly the text: one line, nothing
 * to trim, no character that starts a block on a first line or anything
 * inline (escapes, entities, code, emphasis, links and images, raw HTML,
 * strikethrough, tables, autolinks: ':' and '@', and "www."), no byte
 * order mark cmark would drop. Most report fields are such sentences, and
 * cmark's parser, built and torn down per field, was 19% of a corpus HTML
 * parse + render (issue 15). Conservative: anything else goes to cmark. */
/* S_plain_weight's table: S_weight, except S_PT_STOP for the bytes that
 * make a text not plain (controls, DEL and the special characters below)
 * and S_PT_W for 'w' and 'W'. Built once; read-only after. */
enum { S_PT_W = 0xFE, S_PT_STOP = 0xFF };
static unsigned char S_plain_table[256];

static void S_plain_table_build(void) {
  static const char special[] = "\\`&_*[]<>!~|:@";
  for (int b = 0; b < 256; b++)
    S_plain_table[b] = b < 0x20 || b == 0x7F ? S_PT_STOP : S_weight[b];
  for (const char *p = special; *p; p++)
    S_plain_table[(unsigned char)*p] = S_PT_STOP;
  S_plain_table['w'] = S_plain_table['W'] = S_PT_W;
}

/* quire__markdown_is_plain, and for a plain text the weighted sum that
 * S_prescan would count (its only nonzero term then: one line, no '[', no
 * '|', no container), in the same pass. */
static int S_plain_weight(const char *text, size_t len, uint64_t *weighted) {
  const unsigned char *s = (const unsigned char *)text;
  *weighted = 0;
  if (len == 0 || s[0] == ' ' || s[len - 1] == ' ')
    return 0;
  if (s[0] == '#' || s[0] == '-' || s[0] == '+' || s[0] == '=' ||
      (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF))
    return 0;
  size_t i = 0;
  while (i < len && s[i] >= '0' && s[i] <= '9')
    i++;
  if (i > 0 && i < len && (s[i] == '.' || s[i] == ')'))
    return 0; /* an ordered list item */
  /* One table for the loop: a byte that makes the text not plain, a 'w'
   * or 'W' (the start of "www." is looked at), or the byte's weight. */
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, S_plain_table_build);
  uint64_t w = 0;
  for (i = 0; i < len; i++) {
    unsigned char t = S_plain_table[s[i]];
    if (t >= S_PT_W) {
      if (t == S_PT_STOP)
        return 0;
      if (i + 3 < len && (s[i + 1] | 0x20) == 'w' && (s[i + 2] | 0x20) == 'w' &&
          s[i + 3] == '.')
        return 0;
      t = S_weight[s[i]];
    }
    w += t;
  }
  *weighted = w;
  return 1;
}

int quire__markdown_is_plain(const char *text, size_t len) {
  uint64_t w;
  return S_plain_weight(text, len, &w);
}

uint64_t quire__markdown_work(const char *text, size_t len, int full) {
  uint64_t weighted;
  if (!full && S_plain_weight(text, len, &weighted))
    return len / 64 + weighted;
  S_scan sc;
  S_prescan(text, len, &sc);
  return sc.work;
}

/* The text as one plain paragraph, with a warning saying why. */
static int S_refuse(S_conv *c, const char *text, size_t len, const char *fmt,
                    ...) QUIRE__PRINTF(4, 5);
static int S_refuse(S_conv *c, const char *text, size_t len, const char *fmt,
                    ...) {
  char msg[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (quire__doc_warn(c->doc, c->path, "%s; shown as plain text", msg) != 0)
    c->oom = 1;
  S_plain(c, text, len);
  return c->oom ? QUIRE_ENOMEM : 0;
}

int quire__markdown_append(quire_doc *doc, quire_node *parent, const char *text,
                           size_t len, const char *path, size_t max_len) {
  S_conv c;
  memset(&c, 0, sizeof c);
  c.doc = doc;
  c.cur = parent;
  c.path = quire__arena_strdup(&doc->arena, path);
  if (!c.path)
    return QUIRE_ENOMEM;
  quire_buf_init(&c.text, 0);

  if (len > max_len)
    return S_refuse(&c, text, len,
                    "Markdown is %zu bytes, over the %zu-byte limit", len,
                    max_len);

  /* Most fields are plain sentences: one pass decides that and counts
   * their work, and the line-by-line scan is for the rest. */
  S_scan sc;
  uint64_t weighted;
  int plain = S_plain_weight(text, len, &weighted);
  if (plain) {
    memset(&sc, 0, sizeof sc);
    sc.work = len / 64 + weighted;
  } else {
    S_prescan(text, len, &sc);
  }
  if (sc.depth > S_MAX_DEPTH)
    return S_refuse(&c, text, len,
                    "Markdown nests block quotes or lists %zu deep, over the "
                    "limit of %d",
                    sc.depth, S_MAX_DEPTH);
  if (sc.brackets > S_MAX_BRACKETS)
    return S_refuse(&c, text, len,
                    "Markdown has %zu '[' characters in one paragraph, over "
                    "the limit of %d",
                    sc.brackets, S_MAX_BRACKETS);
  size_t left =
      doc->md_work_max > doc->md_work ? doc->md_work_max - doc->md_work : 0;
  if (sc.work > left)
    return S_refuse(&c, text, len,
                    "Markdown would take %llu units of work, over the %zu left "
                    "of the report's budget of %zu",
                    (unsigned long long)sc.work, left, doc->md_work_max);
  doc->md_work += (size_t)sc.work;
  int tables = sc.max_columns <= QUIRE__MAX_TABLE_COLUMNS &&
               sc.cells <= S_MAX_TABLE_CELLS;
  if (!tables)
    quire__doc_warn(doc, path,
                    "Markdown tables of up to %zu columns and %zu cells are "
                    "over the limit (%d columns, %d cells); shown as text",
                    sc.max_columns, sc.cells, QUIRE__MAX_TABLE_COLUMNS,
                    S_MAX_TABLE_CELLS);

  if (tables && plain) {
    S_plain(&c, text, len); /* what cmark would make of it */
    quire_buf_dispose(&c.text);
    return c.oom ? QUIRE_ENOMEM : 0;
  }

  quire__markdown_global_init();
  pthread_mutex_lock(&S_cmark_lock);
  cmark_parser *p = cmark_parser_new(CMARK_OPT_DEFAULT);
  if (!p) {
    pthread_mutex_unlock(&S_cmark_lock);
    return QUIRE_ENOMEM;
  }
  static const char *const exts[] = {"table", "strikethrough", "autolink",
                                     "tagfilter", "tasklist"};
  for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
    if (!tables && i == 0)
      continue; /* exts[0] is "table" */
    cmark_syntax_extension *e = cmark_find_syntax_extension(exts[i]);
    if (e)
      cmark_parser_attach_syntax_extension(p, e);
  }
  cmark_parser_feed(p, text, len);
  cmark_node *root = cmark_parser_finish(p);
  pthread_mutex_unlock(&S_cmark_lock);
  if (!root) {
    cmark_parser_free(p);
    return QUIRE_ENOMEM;
  }

  cmark_iter *it = cmark_iter_new(root);
  cmark_event_type ev;
  while (!c.oom && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *node = cmark_iter_get_node(it);
    cmark_node_type t = cmark_node_get_type(node);
    if (t == CMARK_NODE_DOCUMENT)
      continue;
    if (t == CMARK_NODE_HTML_BLOCK || t == CMARK_NODE_HTML_INLINE) {
      c.dropped_html = 1;
      continue;
    }
    int is_ext;
    quire_node_kind kind = S_kind(node, &is_ext);
    if (kind == QUIRE_NODE_NONE)
      continue; /* an extension node we did not ask for: keep its children */
    if (kind == QUIRE_NODE_MD_TEXT) {
      quire_buf_puts(&c.text, cmark_node_get_literal(node));
      continue;
    }
    int leaf = quire_node_kind_is_leaf(kind);
    if (ev == CMARK_EVENT_EXIT) {
      if (leaf)
        continue;
      S_flush_text(&c);
      if (c.skipped) {
        c.skipped--;
        continue;
      }
      c.cur = c.cur->parent;
      c.depth--;
      continue;
    }
    S_flush_text(&c);
    if (!leaf && c.depth >= S_MAX_NEST) {
      c.skipped++;
      continue;
    }
    quire_node *n = S_add(&c, kind);
    if (!n)
      break;
    S_fill(&c, n, node);
    if (!leaf) {
      c.cur = n;
      c.depth++;
    }
  }
  S_flush_text(&c);
  if (quire_buf_failed(&c.text))
    c.oom = 1;
  cmark_iter_free(it);
  cmark_node_free(root);
  cmark_parser_free(p);
  quire_buf_dispose(&c.text);

  if (c.dropped_html)
    quire__doc_warn(doc, path, "raw HTML in Markdown was dropped");
  if (c.dropped_url)
    quire__doc_warn(doc, path,
                    "a link that is not http(s) or mailto was made plain text");
  return c.oom ? QUIRE_ENOMEM : 0;
}
