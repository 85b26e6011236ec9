/* The paged renderer: walks the document model and builds the boxes of
 * the generic page layout (layout/page.h) with the theme's look: the title
 * block, every block kind, cards and grids, icons and illustrations, the
 * end matter, and the header and footer. The engines that measure and
 * paint (paint/) are chosen by render/paged.c. */
#include "render/page.h"

#include "paint/icons.h"
#include "paint/illustration.h"
#include "render/lang.h"
#include "safety/text_lang.h"

#include <stdlib.h>
#include <string.h>

#define S_MAX_NEST                                                             \
  32 /* block nesting laid out; deeper content is flattened                    \
      */

typedef quire__box S_box;

/* What each Conduit template's extra.css changes, drawn on paper too:
 * sales_playbook boxes its fact grid and badges its steps; hiring_report
 * sets sections apart with hairlines and traits as an even strip;
 * profile_alignment sets each top-level paragraph as a criterion row. */
typedef enum S_look {
  S_LOOK_DEFAULT,
  S_LOOK_SALES,
  S_LOOK_HIRING,
  S_LOOK_PROFILE
} S_look;

/* The walk's state: the layout being built, the look, and what the blocks
 * carry from one to the next (list markers, quote bars, action numbers). */
typedef struct S_pager {
  quire__layout *lay;
  quire__theme th;
  const quire_doc *doc;
  const quire__present *pres;
  const char *lang; /* the caller's (render option), or NULL: guessed */
  S_look look;
  double left, cw; /* the column */
  /* the marker of a list item waits for the item's first box */
  long marker;
  double marker_x;
  int quote_depth;
  double quote_x[8];
  int action_no;
  quire__page_geom geom; /* the page and its flow area */
  char footer[200];
  char title[1024]; /* the report's title, clipped: see S_clip */
  char who[256];
  char creator[40];
  quire__seg *segs; /* the path being read (S_shapes) */
  size_t nseg, aseg;
  /* Structure groups (lists, list items, tables) open and close between
   * boxes: what is waiting here goes in front of the next box emitted. */
  const char *grp[16];
  int ngrp_close, ngrp_open; /* ends, then begins, for the next box */
  const char *grp_close[16];
} S_pager;

/* ---- small helpers ---- */

static quire__color S_col(quire__rgb c) {
  quire__color o = {c.r, c.g, c.b, 255};
  return o;
}

static const quire__color S_none = {0, 0, 0, 0};
static const quire__color S_white = {255, 255, 255, 255};

static int S_grow(void **ptr, size_t *cap, size_t need, size_t size) {
  if (need <= *cap)
    return 0;
  size_t n = *cap ? *cap + *cap / 2 : 16;
  if (n < need)
    n = need;
  void *p = quire__realloc(*ptr, n * size);
  if (!p)
    return QUIRE_ENOMEM;
  *ptr = p;
  *cap = n;
  return 0;
}

static int S_failed(const S_pager *L) { return quire__layout_failed(L->lay); }

static void S_rect(S_pager *L, S_box *b, double x, double y, double w, double h,
                   double r, quire__color fill, quire__color stroke,
                   double sw) {
  quire__box_rect(L->lay, b, x, y, w, h, r, fill, stroke, sw);
}

static void S_line(S_pager *L, S_box *b, double x1, double y1, double x2,
                   double y2, double width, quire__color c) {
  quire__box_line(L->lay, b, x1, y1, x2, y2, width, c);
}

static void S_merge(S_pager *L, S_box *dst, S_box *src, double dx, double dy) {
  quire__box_merge(L->lay, dst, src, dx, dy);
}

static long S_para_new(S_pager *L, const quire__run *runs, size_t n, double w,
                       double lh, quire__align align) {
  return quire__layout_para(L->lay, runs, n, w, lh, align);
}

static double S_para_h(const S_pager *L, long i) {
  return quire__layout_para_height(L->lay, i);
}

static double S_para_w(const S_pager *L, long i) {
  return quire__layout_para_width(L->lay, i);
}

static double S_put_para(S_pager *L, S_box *b, long para, double x, double y,
                         double w) {
  return quire__box_para(L->lay, b, para, x, y, w);
}

static void S_flow(S_pager *L, S_box *b) { quire__layout_flow(L->lay, b); }

static quire__run S_run(const char *text, quire__font_role role, unsigned style,
                        double size, quire__color color) {
  quire__run r;
  memset(&r, 0, sizeof r);
  r.text = text ? text : "";
  r.len = strlen(r.text);
  r.role = role;
  r.style = style;
  r.size = size;
  r.color = color;
  return r;
}

/* Small labels are set in capitals, as the HTML's CSS does (ASCII only:
 * other scripts keep their case). Copies into dst of size bytes. */
static const char *S_caps(char *dst, size_t size, const char *src) {
  size_t i = 0;
  for (; src && src[i] && i + 1 < size; i++)
    dst[i] = src[i] >= 'a' && src[i] <= 'z' ? (char)(src[i] - 32) : src[i];
  dst[i] = 0;
  return dst;
}

static long S_text(S_pager *L, const char *text, quire__font_role role,
                   unsigned style, double size, quire__color color, double w,
                   quire__align align) {
  quire__run r = S_run(text, role, style, size, color);
  return S_para_new(L, &r, 1, w, size * L->th.line_height, align);
}

/* Inline content of a block as styled runs. */
typedef struct S_runs {
  quire__run *v;
  size_t n, cap;
} S_runs;

static void S_runs_add(S_pager *L, S_runs *rs, quire__run r) {
  if (S_grow((void **)&rs->v, &rs->cap, rs->n + 1, sizeof *rs->v)) {
    quire__layout_fail(L->lay, QUIRE_ENOMEM);
    return;
  }
  rs->v[rs->n++] = r;
}

static void S_inlines(S_pager *L, S_runs *rs, const quire_node *block,
                      double size, unsigned style0, quire__color color,
                      quire__font_role role) {
  quire_iter *it;
  if (quire_iter_new(&it, block)) {
    quire__layout_fail(L->lay, QUIRE_ENOMEM);
    return;
  }
  int emph = 0, strong = 0, strike = 0, link = 0;
  const char *url = NULL;
  quire_event ev;
  while ((ev = quire_iter_next(it)) != QUIRE_EVENT_DONE) {
    const quire_node *n = quire_iter_node(it);
    if (n == block)
      continue;
    int d = ev == QUIRE_EVENT_ENTER ? 1 : -1;
    quire__run r;
    unsigned st = style0 | (emph ? QUIRE__RUN_ITALIC : 0) |
                  (strong ? QUIRE__RUN_BOLD : 0) |
                  (strike ? QUIRE__RUN_STRIKE : 0);
    switch (quire_node_kind_of(n)) {
    case QUIRE_NODE_MD_EMPH: emph += d; break;
    case QUIRE_NODE_MD_STRONG: strong += d; break;
    case QUIRE_NODE_MD_STRIKE: strike += d; break;
    case QUIRE_NODE_MD_LINK:
    case QUIRE_NODE_MD_IMAGE:
      link += d;
      url = d > 0 ? quire_node_url(n) : NULL;
      if (quire_node_kind_of(n) == QUIRE_NODE_MD_IMAGE)
        emph += d;
      break;
    case QUIRE_NODE_MD_TEXT:
      r = S_run(quire_node_literal(n), role, st, size, color);
      if (link && url) {
        r.link = url;
        r.style |= QUIRE__RUN_UNDERLINE;
        r.color = S_col(L->th.link);
      }
      S_runs_add(L, rs, r);
      break;
    case QUIRE_NODE_MD_CODE:
      r = S_run(quire_node_literal(n), QUIRE__FONT_MONO, st, size * 0.92,
                color);
      r.background = S_col(L->th.code_bg);
      if (link && url)
        r.link = url;
      S_runs_add(L, rs, r);
      break;
    case QUIRE_NODE_MD_SOFTBREAK:
      S_runs_add(L, rs, S_run(" ", role, st, size, color));
      break;
    case QUIRE_NODE_MD_LINEBREAK:
      S_runs_add(L, rs, S_run("\n", role, st, size, color));
      break;
    default: break;
    }
  }
  quire_iter_free(it);
}

static long S_inline_para(S_pager *L, const quire_node *block, double size,
                          unsigned style, quire__color color,
                          quire__font_role role, double w, quire__align al) {
  S_runs rs = {0};
  S_inlines(L, &rs, block, size, style, color, role);
  long p = -1;
  if (!S_failed(L) && rs.n)
    p = S_para_new(L, rs.v, rs.n, w, size * L->th.line_height, al);
  free(rs.v);
  return p;
}

/* Whether a block's inline text is right to left: its first strong
 * letter, as the engines set it (quire__text_rtl). */
static int S_inline_rtl(S_pager *L, const quire_node *block) {
  S_runs rs = {0};
  S_inlines(L, &rs, block, 1, 0, S_col(L->th.ink), QUIRE__FONT_BODY);
  quire_buf b = QUIRE_BUF_INIT;
  for (size_t i = 0; i < rs.n; i++)
    quire_buf_put(&b, rs.v[i].text, rs.v[i].len);
  int rtl = quire__text_rtl(b.ptr, b.size);
  quire_buf_dispose(&b);
  free(rs.v);
  return rtl;
}

/* ---- blocks ---- */

typedef struct S_dest {
  S_box *box; /* NULL: straight onto pages */
  double x, w;
} S_dest;

/* Hands a finished block to its destination: a container box (stacked
 * under what it has) or the page flow. */
/* A group opens before the next box and closes before the one after its
 * last (or when the document ends: painting closes what is still open). */
static void S_group_open(S_pager *L, const char *name) {
  if (L->ngrp_open < 16)
    L->grp[L->ngrp_open++] = name;
}

static void S_group_close(S_pager *L, const char *name) {
  /* Opened and closed with no box between: nothing to say. */
  if (L->ngrp_open > 0 && L->grp[L->ngrp_open - 1] == name) {
    L->ngrp_open--;
    return;
  }
  if (L->ngrp_close < 16)
    L->grp_close[L->ngrp_close++] = name;
}

static void S_emit(S_pager *L, const S_dest *d, S_box *b) {
  if (L->marker >= 0) {
    /* The marker is painted first, so the page reads "1." before the
     * item's text, as every other format does (and inside the item's
     * tags, which go in front of it next). */
    S_box m = *b; /* the item's height and flags; merging empties b */
    m.ops = NULL;
    m.n = m.cap = 0;
    S_put_para(L, &m, L->marker, L->marker_x, 0, 0);
    S_merge(L, &m, b, 0, 0);
    *b = m;
    L->marker = -1;
  }
  /* Each goes in front of everything before it: the last first. */
  for (int i = L->ngrp_open - 1; i >= 0; i--)
    quire__box_tag_first(L->lay, b, L->grp[i], 1);
  for (int i = L->ngrp_close - 1; i >= 0; i--)
    quire__box_tag_first(L->lay, b, L->grp_close[i], 0);
  L->ngrp_close = L->ngrp_open = 0;
  for (int i = 0; i < L->quote_depth && i < 8; i++)
    S_rect(L, b, L->quote_x[i], 0, 2.5, b->h, 0, S_col(L->th.border), S_none,
           0);
  if (!d->box) {
    /* top-level boxes hold absolute x already */
    S_flow(L, b);
    return;
  }
  double y = d->box->n || d->box->h > 0 ? d->box->h + b->gap : d->box->h;
  double h = b->h;
  S_merge(L, d->box, b, 0, y);
  d->box->h = y + h;
}

static void S_block(S_pager *L, const S_dest *d, const quire_node *n,
                    int depth);

static void S_children(S_pager *L, const S_dest *d, const quire_node *n,
                       int depth) {
  for (const quire_node *c = quire_node_first_child(n); c && !S_failed(L);
       c = quire_node_next(c))
    S_block(L, d, c, depth + 1);
}

static void S_heading(S_pager *L, const S_dest *d, const char *title,
                      double size, int outline, double gap, int rule) {
  if (!title)
    return;
  S_box b = {0};
  b.atomic = 1;
  b.keep_next = 1;
  b.gap = gap;
  /* A section opens under its rule, as in the HTML: a short accent tick
   * over the heading, or (hiring_report) a hairline across the column. */
  double y = 0;
  if (rule && L->look == S_LOOK_HIRING) {
    S_line(L, &b, d->x, 0.5, d->x + d->w, 0.5, 0.75, S_col(L->th.border));
    y = 12;
  } else if (rule) {
    /* The tick sits over the heading's first word: on the right of a
     * right-to-left heading, which the engines right-align. */
    double tx = quire__text_rtl(title, strlen(title)) ? d->x + d->w - 26 : d->x;
    S_rect(L, &b, tx, 0, 26, 2.5, 1.25, S_col(L->th.accent), S_none, 0);
    y = 9;
  }
  quire__run r = S_run(title, QUIRE__FONT_HEADING, QUIRE__RUN_BOLD, size,
                       S_col(L->th.heading));
  long p = S_para_new(L, &r, 1, d->w, size * 1.25, QUIRE__ALIGN_LEFT);
  double h = y + S_put_para(L, &b, p, d->x, y, d->w);
  if (outline) {
    quire__box_outline(L->lay, &b, title, outline);
  }
  b.h = h + size * 0.3;
  quire__box_tag(L->lay, &b, size >= L->th.size_h2 ? "H2" : "H3");
  S_emit(L, d, &b);
}

static void S_text_box(S_pager *L, const S_dest *d, long para, double gap) {
  if (para < 0)
    return;
  S_box b = {0};
  b.gap = gap;
  b.h = S_put_para(L, &b, para, d->x, 0, d->w);
  quire__box_tag(L->lay, &b, "P");
  S_emit(L, d, &b);
}

static void S_code(S_pager *L, const S_dest *d, const char *text,
                   const char *label) {
  double pad = 8, sz = L->th.size_body * 0.88;
  S_box b = {0};
  b.gap = L->th.block_gap * 0.8;
  quire_buf t = QUIRE_BUF_INIT;
  quire_buf_puts(&t, text ? text : "");
  while (t.size && t.ptr[t.size - 1] == '\n')
    quire_buf_truncate(&t, t.size - 1);
  double y = pad;
  if (label) {
    long lp =
        S_text(L, label, QUIRE__FONT_BODY, QUIRE__RUN_BOLD, L->th.size_small,
               S_col(L->th.muted), d->w - 2 * pad, QUIRE__ALIGN_LEFT);
    y += S_put_para(L, &b, lp, d->x + pad, y, d->w - 2 * pad) + 2;
  }
  quire__run r = S_run(t.ptr, QUIRE__FONT_MONO, 0, sz, S_col(L->th.ink));
  long p = S_para_new(L, &r, 1, d->w - 2 * pad, sz * 1.35, QUIRE__ALIGN_LEFT);
  quire_buf_dispose(&t);
  y += S_put_para(L, &b, p, d->x + pad, y, d->w - 2 * pad);
  b.h = y + pad;
  /* the tint goes first so the text paints over it */
  S_box bg = {0};
  S_rect(L, &bg, d->x, 0, d->w, b.h, 4, S_col(L->th.code_bg), S_none, 0);
  S_merge(L, &bg, &b, 0, 0);
  bg.h = y + pad;
  bg.gap = L->th.block_gap * 0.8;
  quire__box_tag(L->lay, &bg, "Code");
  S_emit(L, d, &bg);
}

/* A table too wide for a grid (present/): each body row as a record of
 * "header  value" lines, cut between lines. */
static void S_table_records(S_pager *L, const S_dest *d, const quire_node *t) {
  quire__theme *th = &L->th;
  double sz = th->size_body * 0.92, pad = 3, gap = 10;
  double kw = d->w * 0.4, vw = d->w - kw - gap;
  const quire_node *head = quire_node_first_child(t);
  if (head && !quire_node_row_is_header(head))
    head = NULL;
  int first = 1;
  for (const quire_node *row = quire_node_first_child(t); row && !S_failed(L);
       row = quire_node_next(row)) {
    if (row == head)
      continue;
    const quire_node *h = head ? quire_node_first_child(head) : NULL;
    int line = 0;
    for (const quire_node *cell = quire_node_first_child(row);
         cell && !S_failed(L); cell = quire_node_next(cell), line++) {
      S_box b = {0};
      b.atomic = 1;
      b.gap = line == 0 ? th->block_gap * (first ? 0.8 : 0.6) : 0;
      double h1 = 0, h2 = 0;
      if (h) {
        long kp = S_inline_para(L, h, sz, QUIRE__RUN_BOLD, S_col(th->heading),
                                QUIRE__FONT_BODY, kw, QUIRE__ALIGN_LEFT);
        if (kp >= 0)
          h1 = S_put_para(L, &b, kp, d->x, pad, kw);
        h = quire_node_next(h);
      }
      long vp = S_inline_para(L, cell, sz, 0, S_col(th->ink), QUIRE__FONT_BODY,
                              vw, QUIRE__ALIGN_LEFT);
      if (vp >= 0)
        h2 = S_put_para(L, &b, vp, d->x + kw + gap, pad, vw);
      b.h = (h1 > h2 ? h1 : h2) + 2 * pad;
      if (b.h < sz * 1.4)
        b.h = sz * 1.4;
      S_line(L, &b, d->x, b.h, d->x + d->w, b.h, 0.5, S_col(th->border));
      S_emit(L, d, &b);
    }
    first = 0;
  }
}

static void S_table(S_pager *L, const S_dest *d, const quire_node *t) {
  int cols = quire_node_table_columns(t);
  if (quire__present_table_as_records(t)) {
    S_table_records(L, d, t);
    return;
  }
  if (cols <= 0 || cols > QUIRE__MAX_TABLE_COLUMNS)
    return; /* the decoder makes a wider table text */
  double pad = 5, sz = L->th.size_body * 0.92;
  double nat[QUIRE__MAX_TABLE_COLUMNS] = {0}, cw[QUIRE__MAX_TABLE_COLUMNS];
  for (const quire_node *row = quire_node_first_child(t); row;
       row = quire_node_next(row)) {
    int c = 0;
    for (const quire_node *cell = quire_node_first_child(row); cell && c < cols;
         cell = quire_node_next(cell), c++) {
      long p = S_inline_para(
          L, cell, sz, quire_node_row_is_header(row) ? QUIRE__RUN_BOLD : 0,
          S_col(L->th.ink), QUIRE__FONT_BODY, 0, QUIRE__ALIGN_LEFT);
      double w = S_para_w(L, p) + 2 * pad + 1;
      if (w > nat[c])
        nat[c] = w;
    }
  }
  /* Columns get their natural width when everything fits; otherwise the
   * narrow ones keep theirs and the wide ones share what is left. */
  double total = 0;
  for (int c = 0; c < cols; c++)
    total += nat[c];
  if (total <= d->w) {
    for (int c = 0; c < cols; c++)
      cw[c] = nat[c] + (d->w - total) * nat[c] / (total > 0 ? total : 1);
  } else {
    double left = d->w;
    int open = cols;
    int fixed[64] = {0};
    for (int pass = 0; pass < cols; pass++) {
      double share = left / (open > 0 ? open : 1);
      int changed = 0;
      for (int c = 0; c < cols; c++)
        if (!fixed[c] && nat[c] <= share) {
          fixed[c] = 1, cw[c] = nat[c], left -= nat[c], open--, changed = 1;
        }
      if (!changed)
        break;
    }
    for (int c = 0; c < cols; c++)
      if (!fixed[c])
        cw[c] = left / (open > 0 ? open : 1);
  }
  /* A table whose first row is mostly right to left runs right to left,
   * as the HTML's table does under dir="rtl": its first column on the
   * right, each cell without an alignment of its own set from the right
   * edge of its column (a Latin name too), not from wherever its own
   * text starts. */
  int nrtl = 0, ncell = 0;
  const quire_node *row0 = quire_node_first_child(t);
  for (const quire_node *cell = row0 ? quire_node_first_child(row0) : NULL;
       cell && ncell < cols; cell = quire_node_next(cell), ncell++)
    nrtl += S_inline_rtl(L, cell);
  int rtl = 2 * nrtl > ncell;
  int first = 1;
  S_group_open(L, "Table");
  for (const quire_node *row = quire_node_first_child(t); row && !S_failed(L);
       row = quire_node_next(row)) {
    int header = quire_node_row_is_header(row);
    S_box b = {0};
    b.atomic = 1;
    b.keep_next = header;
    b.gap = first ? L->th.block_gap * 0.8 : 0;
    double x = rtl ? d->x + d->w : d->x, h = 0;
    int c = 0;
    for (const quire_node *cell = quire_node_first_child(row); cell && c < cols;
         cell = quire_node_next(cell), c++) {
      quire_align a = quire_node_table_align(t, c);
      quire__align al = a == QUIRE_ALIGN_CENTER  ? QUIRE__ALIGN_CENTER
                        : a == QUIRE_ALIGN_RIGHT ? QUIRE__ALIGN_RIGHT
                                                 : QUIRE__ALIGN_LEFT;
      /* QUIRE__ALIGN_LEFT is a paragraph's start edge, its right for
       * right-to-left text (layout/backend.h). A cell with no alignment
       * is set from its own text's start in a left-to-right table and
       * from the right in a right-to-left one; a column's alignment
       * (":--", "--:") is the page's left or right. */
      int crtl = S_inline_rtl(L, cell);
      if (a == QUIRE_ALIGN_NONE && rtl)
        al = crtl ? QUIRE__ALIGN_LEFT : QUIRE__ALIGN_RIGHT;
      else if (crtl && a != QUIRE_ALIGN_CENTER && a != QUIRE_ALIGN_NONE)
        al = al == QUIRE__ALIGN_LEFT ? QUIRE__ALIGN_RIGHT : QUIRE__ALIGN_LEFT;
      if (rtl)
        x -= cw[c];
      long p = S_inline_para(L, cell, sz, header ? QUIRE__RUN_BOLD : 0,
                             header ? S_col(L->th.heading) : S_col(L->th.ink),
                             QUIRE__FONT_BODY, cw[c] - 2 * pad, al);
      quire__box_tag_begin(L->lay, &b, header ? "TH" : "TD", 0);
      double ph = S_put_para(L, &b, p, x + pad, pad, cw[c] - 2 * pad);
      quire__box_tag_end(L->lay, &b, header ? "TH" : "TD", 0);
      if (ph + 2 * pad > h)
        h = ph + 2 * pad;
      if (!rtl)
        x += cw[c];
    }
    if (h < sz * 1.4 + 2 * pad)
      h = sz * 1.4 + 2 * pad;
    b.h = h;
    S_box bg = {0};
    if (header)
      S_rect(L, &bg, d->x, 0, d->w, h, 0, S_col(L->th.accent_soft), S_none, 0);
    S_merge(L, &bg, &b, 0, 0);
    S_line(L, &bg, d->x, h, d->x + d->w, h, header ? 1.2 : 0.5,
           header ? S_col(L->th.accent) : S_col(L->th.border));
    bg.h = h;
    bg.atomic = 1;
    bg.keep_next = header;
    bg.gap = first ? L->th.block_gap * 0.8 : 0;
    first = 0;
    quire__box_tag(L->lay, &bg, "TR");
    S_emit(L, d, &bg);
  }
  S_group_close(L, "Table");
}

static void S_list(S_pager *L, const S_dest *d, const quire_node *list,
                   int depth) {
  int ordered = quire_node_list_type(list) == QUIRE_LIST_ORDERED;
  int no = quire_node_list_start(list);
  double indent = ordered ? 20 : 14;
  S_dest in = {d->box, d->x + indent, d->w - indent};
  int nest = 0;
  for (const quire_node *p = quire_node_parent(list); p;
       p = quire_node_parent(p))
    nest += quire_node_kind_of(p) == QUIRE_NODE_MD_LIST;
  static const char *const bullets[] = {"\xE2\x80\xA2", "\xE2\x97\xA6",
                                        "\xE2\x96\xAA"};
  S_group_open(L, "L");
  for (const quire_node *item = quire_node_first_child(list);
       item && !S_failed(L); item = quire_node_next(item)) {
    char num[32];
    const char *mark;
    quire_task task = quire_node_task(item);
    if (task)
      mark = task == QUIRE_TASK_DONE ? "\xE2\x98\x91" : "\xE2\x98\x90";
    else if (ordered) {
      snprintf(num, sizeof num, "%d.", no++);
      mark = num;
    } else {
      mark = bullets[nest % 3];
    }
    L->marker = S_text(L, mark, QUIRE__FONT_BODY, 0, L->th.size_body,
                       S_col(L->th.accent), 0, QUIRE__ALIGN_LEFT);
    L->marker_x = d->x + (ordered ? 0 : 3);
    S_group_open(L, "LI");
    S_children(L, &in, item, depth);
    S_group_close(L, "LI");
    if (L->marker >= 0) /* an empty item: the marker alone */
      L->marker = -1;
  }
  S_group_close(L, "L");
}

static void S_shapes(S_pager *L, S_box *b, const quire__shape *sh, size_t n,
                     double x, double y, double scale, const quire__color *pal,
                     quire__color under);

/* A card icon from the shared 24 x 24 drawings (the same ones the HTML
 * renderer inlines as SVG), on a tinted disc. */
static double S_icon(S_pager *L, S_box *b, double x, double y, double size,
                     const char *name) {
  S_rect(L, b, x, y, size, size, size / 2, S_col(L->th.accent_soft), S_none, 0);
  size_t n;
  const quire__shape *sh = quire__icon_shapes(name, &n, NULL);
  quire__color pal[7] = {S_col(L->th.accent),   S_col(L->th.illus[1]),
                         S_col(L->th.illus[2]), S_col(L->th.illus[3]),
                         S_col(L->th.paper),    S_col(L->th.accent_soft),
                         S_col(L->th.ink)};
  double inner = size * 0.62;
  S_shapes(L, b, sh, n, x + (size - inner) / 2, y + (size - inner) / 2,
           inner / QUIRE__ICON_SIZE, pal, S_col(L->th.accent_soft));
  return size;
}

/* The narrowest card a grid sets side by side, in points: room for about
 * 18 characters of body text beside the padding, so ordinary words never
 * break inside. */
#define S_MIN_CARD 150.0

/* A card's box (frame first, then content) for width w at x. */
static void S_card(S_pager *L, S_box *out, const quire_node *card, double x,
                   double w, double min_h, int depth) {
  double pad = L->th.card_padding;
  S_box c = {0};
  double icon = 18, y = pad;
  S_icon(L, &c, x + pad, y, icon, quire_node_icon(card));
  double tx = x + pad + icon + 8, tw = w - 2 * pad - icon - 8;
  long tp =
      S_text(L, quire_node_title(card), QUIRE__FONT_HEADING, QUIRE__RUN_BOLD,
             L->th.size_h3, S_col(L->th.heading), tw, QUIRE__ALIGN_LEFT);
  double th = S_para_h(L, tp);
  quire__box_tag_begin(L->lay, &c, "H3", y);
  S_put_para(L, &c, tp, tx, y + (th < icon ? (icon - th) / 2 : 0), tw);
  quire__box_tag_end(L->lay, &c, "H3", y);
  y += (th > icon ? th : icon) + 6;
  S_box content = {0};
  S_dest in = {&content, x + pad, w - 2 * pad};
  S_children(L, &in, card, depth);
  double ch = content.h;
  S_merge(L, &c, &content, 0, y);
  y += ch;
  double h = y + pad;
  if (h < min_h)
    h = min_h;
  S_rect(L, out, x, 0, w, h, L->th.card_radius, S_col(L->th.surface),
         S_col(L->th.border), 0.75);
  S_merge(L, out, &c, 0, 0);
  out->h = h;
  quire__box_tag(L->lay, out, "Div");
}

static void S_grid(S_pager *L, const S_dest *d, const quire_node *g,
                   int depth) {
  int cols = quire__present_grid_columns(g);
  double gut = 10;
  /* The presentation says how many columns a grid has; the page says how
   * many fit. Below S_MIN_CARD a card's title and text break ordinary
   * words ("communicat|ion"), each engine at its own place, so a grid
   * drops to fewer columns (3 -> 2; stacked when even 2 are too narrow),
   * as the HTML's grid does on a narrow screen. */
  while (cols > 1 && (d->w - gut * (cols - 1)) / cols < S_MIN_CARD)
    cols--;
  double w = (d->w - gut * (cols - 1)) / cols;
  const quire_node *c = quire_node_first_child(g);
  int first = 1;
  while (c && !S_failed(L)) {
    const quire_node *row[4];
    int n = 0;
    for (; c && n < cols; c = quire_node_next(c))
      row[n++] = c;
    /* Measure once to find the row height, then build at that height so
     * the cards of a row line up. */
    double h = 0;
    for (int i = 0; i < n; i++) {
      S_box t = {0};
      S_card(L, &t, row[i], 0, w, 0, depth);
      if (t.h > h)
        h = t.h;
      quire__box_free(&t);
    }
    S_box b = {0};
    b.atomic = 1;
    b.gap = first ? L->th.block_gap : gut;
    for (int i = 0; i < n; i++) {
      S_box t = {0};
      if (quire_node_kind_of(row[i]) == QUIRE_NODE_CARD)
        S_card(L, &t, row[i], d->x + i * (w + gut), w, h, depth);
      else {
        S_dest in = {&t, d->x + i * (w + gut), w};
        S_block(L, &in, row[i], depth + 1);
      }
      S_merge(L, &b, &t, 0, 0);
    }
    b.h = h;
    first = 0;
    S_emit(L, d, &b);
  }
}

/* Appends a segment to the path being read (L->segs, reused). */
static void S_seg(S_pager *L, quire__seg_op op, double x1, double y1, double x2,
                  double y2, double x3, double y3) {
  if (S_grow((void **)&L->segs, &L->aseg, L->nseg + 1, sizeof *L->segs)) {
    quire__layout_fail(L->lay, QUIRE_ENOMEM);
    return;
  }
  quire__seg s = {op, x1, y1, x2, y2, x3, y3};
  L->segs[L->nseg++] = s;
}

static void S_circle(S_pager *L, S_box *b, double cx, double cy, double r,
                     quire__color fill, quire__color stroke, double sw) {
  S_rect(L, b, cx - r, cy - r, 2 * r, 2 * r, r, fill, stroke, sw);
}

/* Colour c at opacity pct over background bg: engines only promise
 * opaque paint, so translucency is blended here, once, for every engine. */
static quire__color S_blend(quire__color c, quire__color bg, int pct) {
  if (c.a == 0 || pct >= 100)
    return c;
  quire__color o = {(unsigned char)((c.r * pct + bg.r * (100 - pct)) / 100),
                    (unsigned char)((c.g * pct + bg.g * (100 - pct)) / 100),
                    (unsigned char)((c.b * pct + bg.b * (100 - pct)) / 100),
                    255};
  return o;
}

/* Paints shared vector shapes (paint/illustration.h) at x, y, scaled. */
static void S_shapes(S_pager *L, S_box *b, const quire__shape *sh, size_t n,
                     double x, double y, double scale, const quire__color *pal,
                     quire__color under) {
  for (size_t i = 0; i < n; i++) {
    const quire__shape *s = &sh[i];
    quire__color fill =
        s->fill >= 0 && s->fill < 7 ? pal[(int)s->fill] : S_none;
    quire__color stroke =
        s->stroke >= 0 && s->stroke < 7 ? pal[(int)s->stroke] : S_none;
    fill = S_blend(fill, under, s->opacity);
    stroke = S_blend(stroke, under, s->opacity);
    double sw = s->width * scale;
    if (s->kind == QUIRE__SHAPE_CIRCLE) {
      S_circle(L, b, x + s->x * scale, y + s->y * scale, s->r * scale, fill,
               stroke, sw);
    } else if (s->kind == QUIRE__SHAPE_RECT) {
      S_rect(L, b, x + s->x * scale, y + s->y * scale, s->w * scale,
             s->h * scale, s->r * scale, fill, stroke, sw);
    } else if (s->kind == QUIRE__SHAPE_PATH && s->d) {
      L->nseg = 0;
      const char *d = s->d;
      char cmd;
      float pt[6];
      double top = 1e9;
      int rc;
      while ((rc = quire__path_step(&d, &cmd, pt)) == 1) {
        double v[6];
        for (int k = 0; k < 6; k++)
          v[k] = (k % 2 ? y : x) + pt[k] * scale;
        int np = cmd == 'C' ? 3 : cmd == 'Z' ? 0 : 1;
        for (int k = 0; k < np; k++)
          if (v[2 * k + 1] < top)
            top = v[2 * k + 1];
        if (cmd == 'M')
          S_seg(L, QUIRE__SEG_MOVE, v[0], v[1], 0, 0, 0, 0);
        else if (cmd == 'L')
          S_seg(L, QUIRE__SEG_LINE, v[0], v[1], 0, 0, 0, 0);
        else if (cmd == 'C')
          S_seg(L, QUIRE__SEG_CUBIC, v[0], v[1], v[2], v[3], v[4], v[5]);
        else
          S_seg(L, QUIRE__SEG_CLOSE, 0, 0, 0, 0, 0, 0);
      }
      if (rc < 0 || L->nseg == 0 || S_failed(L))
        continue; /* malformed data: draw nothing rather than half */
      quire__paint paint = {fill, stroke, sw};
      quire__box_path(L->lay, b, L->segs, L->nseg, &paint, top < 1e9 ? top : y);
    }
  }
}

/* The four illustrations, drawn from the same shapes as the HTML's SVG,
 * centred on a tinted panel. */
static void S_illustration(S_pager *L, const S_dest *d, const quire_node *n) {
  S_box b = {0};
  b.atomic = 1;
  b.gap = L->th.block_gap;
  /* On the page of what comes before it in its section (its heading, or
   * the text it illustrates), never alone at the top of the next page
   * where it reads as part of the following section. */
  b.keep_prev = !d->box;
  double h = 120, w = d->w, x = d->x;
  S_rect(L, &b, x, 0, w, h, L->th.card_radius, S_col(L->th.accent_soft), S_none,
         0);
  size_t ns;
  const quire__shape *sh =
      quire__illustration_shapes(quire_node_illustration(n), &ns);
  quire__color pal[7] = {S_col(L->th.illus[0]), S_col(L->th.illus[1]),
                         S_col(L->th.illus[2]), S_col(L->th.illus[3]),
                         S_col(L->th.paper),    S_col(L->th.accent_soft),
                         S_col(L->th.ink)};
  double scale = (h - 16) / QUIRE__ILLUSTRATION_HEIGHT;
  double dw = QUIRE__ILLUSTRATION_WIDTH * scale;
  S_shapes(L, &b, sh, ns, x + (w - dw) / 2, 8, scale, pal,
           S_col(L->th.accent_soft));
  b.h = h;
  /* The HTML hides its SVG from screen readers as decoration; a tagged
   * PDF's Figure must say something (PDF/UA), so it says what it shows. */
  const char *alt;
  switch (quire_node_illustration(n)) {
  case QUIRE_ILLUSTRATION_CONVERSATION:
    alt = "Illustration: two people talking, overlapping speech bubbles";
    break;
  case QUIRE_ILLUSTRATION_GROWTH:
    alt = "Illustration: rising bars with a trend arrow";
    break;
  case QUIRE_ILLUSTRATION_CONNECTION:
    alt = "Illustration: a hub linked to people around it";
    break;
  case QUIRE_ILLUSTRATION_ANALYSIS:
    alt = "Illustration: a dashboard under a magnifying glass";
    break;
  default: alt = "Illustration: abstract shapes"; break;
  }
  quire__box_tag_alt(L->lay, &b, "Figure", alt);
  S_emit(L, d, &b);
}

/* Traits as the HTML shows them: pills on the paper, each with a dot in
 * its chip colour; hiring_report sets them as an even strip of competency
 * cells, each with its colour bar, wrapping to more rows when a cell would
 * be narrower than S_MIN_CELL. */
#define S_MIN_CELL 120.0
static void S_traits(S_pager *L, const S_dest *d, const quire_node *n) {
  quire__theme *t = &L->th;
  S_box b = {0};
  b.atomic = 1;
  b.gap = 6;
  size_t np = quire_node_phrase_count(n);
  if (L->look == S_LOOK_HIRING && np > 0) {
    int cols = (int)np;
    while (cols > 1 && (d->w - (cols - 1)) / cols < S_MIN_CELL)
      cols--;
    double cw = (d->w - (cols - 1)) / cols, pad = 10, y = 0;
    for (size_t i = 0; i < np && !S_failed(L); i += (size_t)cols) {
      long ps[64];
      double rowh = 0;
      for (size_t k = i; k < np && k < i + (size_t)cols && k - i < 64; k++) {
        ps[k - i] = S_text(L, quire_node_phrase(n, k), QUIRE__FONT_HEADING,
                           QUIRE__RUN_BOLD, t->size_body, S_col(t->heading),
                           cw - 2 * pad, QUIRE__ALIGN_LEFT);
        double h = pad + 3 + 8 + S_para_h(L, ps[k - i]) + pad;
        if (h > rowh)
          rowh = h;
      }
      for (size_t k = i; k < np && k < i + (size_t)cols && k - i < 64; k++) {
        double cx = d->x + (double)(k - i) * (cw + 1);
        S_rect(L, &b, cx, y, cw, rowh, 0, S_col(t->surface), S_col(t->border),
               0.75);
        S_rect(L, &b, cx + pad, y + pad, 22, 3, 1.5, S_col(t->chips[k % 3]),
               S_none, 0);
        quire__box_tag_begin(L->lay, &b, "LI", y);
        S_put_para(L, &b, ps[k - i], cx + pad, y + pad + 11, cw - 2 * pad);
        quire__box_tag_end(L->lay, &b, "LI", y);
      }
      y += rowh + 6;
    }
    b.h = y - 6;
  } else {
    double x = 0, y = 0, rowh = 0, padx = 10, pady = 5, gap = 6, dot = 5.5;
    for (size_t i = 0; i < np; i++) {
      const char *phrase = quire_node_phrase(n, i);
      long p = S_text(L, phrase, QUIRE__FONT_BODY, QUIRE__RUN_BOLD,
                      t->size_body * 0.95, S_col(t->ink),
                      d->w - 2 * padx - dot - 6, QUIRE__ALIGN_LEFT);
      /* A right-to-left phrase is aligned to the right of the width it was
       * laid out in, the whole column: lay it out again at its own width so
       * that it sits in its pill. */
      if (phrase && quire__text_rtl(phrase, strlen(phrase)))
        p = S_text(L, phrase, QUIRE__FONT_BODY, QUIRE__RUN_BOLD,
                   t->size_body * 0.95, S_col(t->ink), S_para_w(L, p) + 0.5,
                   QUIRE__ALIGN_LEFT);
      double pw = S_para_w(L, p) + 2 * padx + dot + 6;
      double ph = S_para_h(L, p) + 2 * pady;
      if (x > 0 && x + pw > d->w) {
        x = 0;
        y += rowh + gap;
        rowh = 0;
      }
      S_rect(L, &b, d->x + x, y, pw, ph, ph / 2 > 11 ? 11 : ph / 2,
             S_col(t->surface), S_col(t->border), 0.75);
      S_circle(L, &b, d->x + x + padx + dot / 2, y + ph / 2, dot / 2,
               S_col(t->chips[i % 3]), S_none, 0);
      quire__box_tag_begin(L->lay, &b, "LI", y);
      S_put_para(L, &b, p, d->x + x + padx + dot + 6, y + pady,
                 pw - 2 * padx - dot - 6);
      quire__box_tag_end(L->lay, &b, "LI", y);
      x += pw + gap;
      if (ph > rowh)
        rowh = ph;
    }
    b.h = y + rowh;
  }
  quire__box_tag(L->lay, &b, "L");
  if (b.h > 0)
    S_emit(L, d, &b);
  else
    quire__box_free(&b);
}

/* A numbered action as the HTML draws it. sales_playbook: a square
 * "STEP n" badge beside the step's card; the other templates: the whole
 * action a card with its number on a disc (filled; outlined in
 * hiring_report; a soft square in profile_alignment). */
static void S_action(S_pager *L, const S_dest *d, const quire_node *a,
                     int depth) {
  quire__theme *t = &L->th;
  S_box b = {0};
  b.atomic = 1;
  b.gap = L->action_no ? 8 : t->block_gap;
  const char *step = quire__present_step_label(L->pres);
  int n = ++L->action_no;
  char num[48], word[48];
  snprintf(num, sizeof num, "%d", n);
  double pad = t->card_padding, badge = step ? 32 : 22;
  /* the card: beside the badge (steps) or around everything */
  double cx = step ? d->x + badge + 10 : d->x, cw = d->w - (cx - d->x);
  double ind = step ? 0 : badge + 10;
  double tx = cx + pad + ind, tw = cw - 2 * pad - ind;
  long tp = S_text(L, quire_node_title(a), QUIRE__FONT_HEADING, QUIRE__RUN_BOLD,
                   t->size_h3, S_col(t->heading), tw, QUIRE__ALIGN_LEFT);
  double th = S_para_h(L, tp);
  S_box ctx = {0};
  S_dest in = {&ctx, tx, tw};
  S_children(L, &in, a, depth);
  double ty = pad + (!step && th < badge ? (badge - th) / 2 : 0);
  double y = ty + th + (ctx.h > 0 ? 4 : 0);
  double h = y + ctx.h + pad;
  if (!step && h < badge + 2 * pad)
    h = badge + 2 * pad;
  if (step && h < badge)
    h = badge;
  S_rect(L, &b, cx, 0, cw, h, t->card_radius, S_col(t->paper), S_col(t->border),
         0.75);
  double bx = step ? d->x : cx + pad, by = step ? 0 : pad;
  if (step) {
    S_rect(L, &b, bx, by, badge, badge, 5, S_col(t->accent), S_none, 0);
    long wp = S_text(L, S_caps(word, sizeof word, step), QUIRE__FONT_BODY,
                     QUIRE__RUN_BOLD, 5.5, S_white, badge, QUIRE__ALIGN_CENTER);
    long np = S_text(L, num, QUIRE__FONT_BODY, QUIRE__RUN_BOLD, 13, S_white,
                     badge, QUIRE__ALIGN_CENTER);
    double wh = S_para_h(L, wp), nh = S_para_h(L, np);
    double top = by + (badge - wh - nh + 2) / 2;
    S_put_para(L, &b, wp, bx, top, badge);
    S_put_para(L, &b, np, bx, top + wh - 2, badge);
  } else {
    quire__color fill = S_col(t->accent), ink = S_white, edge = S_none;
    double r = badge / 2;
    if (L->look == S_LOOK_HIRING)
      fill = S_col(t->paper), ink = S_col(t->accent), edge = S_col(t->accent);
    else if (L->look == S_LOOK_PROFILE)
      fill = S_col(t->accent_soft), ink = S_col(t->accent), r = 5;
    S_rect(L, &b, bx, by, badge, badge, r, fill, edge, 1.5);
    long np = S_text(L, num, QUIRE__FONT_BODY, QUIRE__RUN_BOLD,
                     t->size_body * 0.95, ink, badge, QUIRE__ALIGN_CENTER);
    S_put_para(L, &b, np, bx, by + (badge - S_para_h(L, np)) / 2, badge);
  }
  quire__box_tag_begin(L->lay, &b, "H3", ty);
  S_put_para(L, &b, tp, tx, ty, tw);
  quire__box_tag_end(L->lay, &b, "H3", ty);
  S_merge(L, &b, &ctx, 0, y);
  b.h = h;
  quire__box_tag(L->lay, &b, "Div");
  S_emit(L, d, &b);
}

/* profile_alignment: a top-level paragraph is a criterion row, the
 * criterion in a left column and the evidence beside it, under a hairline
 * with the accent tick (the HTML's print layout: 45 mm and 6 mm). */
static void S_criterion(S_pager *L, const S_dest *d, const quire_node *n,
                        int depth) {
  quire__theme *t = &L->th;
  double lw = d->w * 0.25, gap = 17, rx = d->x + lw + gap, rw = d->w - lw - gap;
  S_box b = {0};
  b.atomic = 1;
  b.gap = t->block_gap * 1.6;
  S_line(L, &b, d->x, 0.5, d->x + d->w, 0.5, 0.75, S_col(t->border));
  S_rect(L, &b, d->x, -0.5, 26, 2.5, 1.25, S_col(t->accent), S_none, 0);
  double y = 11;
  const char *title = quire_node_title(n);
  double th = 0;
  if (title) {
    long tp = S_text(L, title, QUIRE__FONT_HEADING, QUIRE__RUN_BOLD, t->size_h3,
                     S_col(t->heading), lw, QUIRE__ALIGN_LEFT);
    quire__box_tag_begin(L->lay, &b, "H2", y);
    th = S_put_para(L, &b, tp, d->x, y, lw);
    quire__box_tag_end(L->lay, &b, "H2", y);
    quire__box_outline(L->lay, &b, title, 1);
  }
  S_box ctx = {0};
  S_dest in = {&ctx, rx, rw};
  L->action_no = 0;
  S_children(L, &in, n, depth);
  double ch = ctx.h;
  S_merge(L, &b, &ctx, 0, y);
  b.h = y + (th > ch ? th : ch);
  S_emit(L, d, &b);
}

/* Structured data (present/): one row a line, the key in a column of its
 * own, nested keys indented, a heading row over each nested level. Rows
 * are cut between, never inside. */
static void S_data(S_pager *L, const S_dest *d, const quire__data *data) {
  quire__theme *t = &L->th;
  double sz = t->size_body * 0.92, gap = 10;
  double kw = d->w * 0.42, vw = d->w - kw - gap;
  /* A key/value table: a row per key, the key its header cell; a nested
   * level's heading row is a header cell alone. */
  S_group_open(L, "Table");
  for (size_t i = 0; i < data->n && !S_failed(L); i++) {
    const quire__data_row *r = &data->rows[i];
    double ind = 12.0 * r->level;
    S_box b = {0};
    b.atomic = 1;
    b.gap = i == 0 ? t->block_gap * 0.8 : 0;
    double pad = 3;
    if (!r->value) {
      b.keep_next = 1;
      long hp = S_text(L, r->label ? r->label : "", QUIRE__FONT_HEADING,
                       QUIRE__RUN_BOLD, sz, S_col(t->heading), d->w - ind,
                       QUIRE__ALIGN_LEFT);
      quire__box_tag_begin(L->lay, &b, "TH", 0);
      b.h =
          S_put_para(L, &b, hp, d->x + ind, pad + 2, d->w - ind) + 2 * pad + 2;
      quire__box_tag_end(L->lay, &b, "TH", b.h);
    } else {
      long kp = S_text(L, r->label ? r->label : "", QUIRE__FONT_BODY, 0, sz,
                       S_col(t->muted), kw - ind, QUIRE__ALIGN_LEFT);
      long vp = S_text(L, r->value, QUIRE__FONT_BODY, 0, sz, S_col(t->ink), vw,
                       QUIRE__ALIGN_LEFT);
      quire__box_tag_begin(L->lay, &b, "TH", 0);
      double h1 = S_put_para(L, &b, kp, d->x + ind, pad, kw - ind);
      quire__box_tag_end(L->lay, &b, "TH", h1);
      quire__box_tag_begin(L->lay, &b, "TD", 0);
      double h2 = S_put_para(L, &b, vp, d->x + kw + gap, pad, vw);
      quire__box_tag_end(L->lay, &b, "TD", h2);
      b.h = (h1 > h2 ? h1 : h2) + 2 * pad;
      if (r->bar >= 0) {
        /* A score: a bar after its value, on the value's first line. */
        double bw = 90, bx = d->x + kw + gap + S_para_w(L, vp) + 10;
        double by = pad + sz * 0.45;
        if (bx + bw > d->x + d->w)
          bw = d->x + d->w - bx;
        if (bw > 20) {
          S_rect(L, &b, bx, by, bw, 5, 2.5, S_col(t->border), S_none, 0);
          if (r->bar > 0)
            S_rect(L, &b, bx, by, bw * r->bar, 5, 2.5, S_col(t->accent), S_none,
                   0);
        }
      }
    }
    S_line(L, &b, d->x, b.h, d->x + d->w, b.h, 0.5, S_col(t->border));
    quire__box_tag(L->lay, &b, "TR");
    S_emit(L, d, &b);
  }
  S_group_close(L, "Table");
}

static void S_block(S_pager *L, const S_dest *d, const quire_node *n,
                    int depth) {
  if (S_failed(L))
    return;
  quire__theme *t = &L->th;
  double body = t->size_body;
  int top = depth <= 1 && !d->box;
  quire_node_kind k = quire_node_kind_of(n);
  if (quire__present_hidden(L->pres, n))
    return; /* the masthead shows it */
  if (depth > S_MAX_NEST && !quire_node_kind_is_leaf(k) &&
      k != QUIRE_NODE_MD_PARA && k != QUIRE_NODE_MD_HEADING &&
      k != QUIRE_NODE_MD_TABLE_CELL) {
    /* Too deep to indent further: keep the text, drop the structure. */
    S_children(L, d, n, depth - 1);
    return;
  }
  /* A profile's top paragraph is a criterion; any other is set as a
   * section (a label over its children). */
  if (k == QUIRE_NODE_PARAGRAPH && top && L->look == S_LOOK_PROFILE) {
    S_criterion(L, d, n, depth);
    return;
  }
  switch (k) {
  case QUIRE_NODE_PARAGRAPH:
  case QUIRE_NODE_SECTION:
  case QUIRE_NODE_ACTIONS:
    S_heading(L, d, quire_node_title(n), t->size_h2, top ? 1 : 0,
              t->block_gap * 2.2, 1);
    L->action_no = 0;
    S_children(L, d, n, depth);
    break;
  case QUIRE_NODE_TRAITS:
    S_heading(L, d, quire_node_title(n), t->size_h2, top ? 1 : 0,
              t->block_gap * 2.2, 1);
    S_traits(L, d, n);
    S_children(L, d, n, depth);
    break;
  case QUIRE_NODE_ACTION: S_action(L, d, n, depth); break;
  case QUIRE_NODE_CARD: {
    S_box b = {0};
    b.atomic = 1;
    b.gap = t->block_gap;
    S_card(L, &b, n, d->x, d->w, 0, depth);
    S_emit(L, d, &b);
    break;
  }
  case QUIRE_NODE_TEXT:
    if (quire_node_title(n))
      S_heading(L, d, quire_node_title(n), t->size_h3, 0, t->block_gap, 0);
    S_children(L, d, n, depth);
    break;
  case QUIRE_NODE_GRID: S_grid(L, d, n, depth); break;
  case QUIRE_NODE_ILLUSTRATION: S_illustration(L, d, n); break;
  case QUIRE_NODE_MARKDOWN:
  case QUIRE_NODE_DOCUMENT: S_children(L, d, n, depth); break;
  case QUIRE_NODE_UNKNOWN: {
    const quire__data *data = quire__present_data(L->pres, n);
    if (data)
      S_data(L, d, data);
    else
      S_code(L, d, quire_node_literal(n), quire_node_info(n));
    break;
  }
  case QUIRE_NODE_MD_HEADING: {
    int lv = quire_node_heading_level(n);
    double sz = lv <= 1   ? t->size_h2 * 1.15
                : lv == 2 ? t->size_h2
                : lv == 3 ? t->size_h3
                          : body * 1.05;
    S_runs rs = {0};
    S_inlines(L, &rs, n, sz, QUIRE__RUN_BOLD, S_col(t->heading),
              QUIRE__FONT_HEADING);
    /* Outline titles need one string: the first text run will do. */
    const char *title = rs.n ? rs.v[0].text : NULL;
    S_box b = {0};
    b.atomic = 1;
    b.keep_next = 1;
    b.gap = lv <= 2 ? t->block_gap * 1.8 : t->block_gap * 1.2;
    long p = rs.n
                 ? S_para_new(L, rs.v, rs.n, d->w, sz * 1.25, QUIRE__ALIGN_LEFT)
                 : -1;
    free(rs.v);
    b.h = S_put_para(L, &b, p, d->x, 0, d->w) + sz * 0.3;
    if (title && !d->box && lv <= 3) {
      quire__box_outline(L->lay, &b, title, lv <= 2 ? 1 : 2);
    }
    /* The report title is the one H1: Markdown levels start below it. */
    static const char *const hn[] = {"H2", "H3", "H4", "H5", "H6", "H6"};
    quire__box_tag(L->lay, &b, hn[(lv < 1 ? 1 : lv > 6 ? 6 : lv) - 1]);
    S_emit(L, d, &b);
    break;
  }
  case QUIRE_NODE_MD_PARA:
    S_text_box(L, d,
               S_inline_para(L, n, body, 0, S_col(t->ink), QUIRE__FONT_BODY,
                             d->w, QUIRE__ALIGN_LEFT),
               t->block_gap * 0.7);
    break;
  case QUIRE_NODE_MD_LIST: S_list(L, d, n, depth); break;
  case QUIRE_NODE_MD_ITEM: S_children(L, d, n, depth); break;
  case QUIRE_NODE_MD_QUOTE: {
    S_dest in = {d->box, d->x + 14, d->w - 14};
    if (L->quote_depth < 8)
      L->quote_x[L->quote_depth] = d->x;
    L->quote_depth++;
    S_children(L, &in, n, depth);
    L->quote_depth--;
    break;
  }
  case QUIRE_NODE_MD_CODE_BLOCK:
    S_code(L, d, quire_node_literal(n), NULL);
    break;
  case QUIRE_NODE_MD_RULE: {
    S_box b = {0};
    b.gap = t->block_gap;
    b.atomic = 1;
    S_line(L, &b, d->x, 4, d->x + d->w, 4, 0.75, S_col(t->border));
    b.h = 8;
    S_emit(L, d, &b);
    break;
  }
  case QUIRE_NODE_MD_TABLE: S_table(L, d, n); break;
  default: {
    /* Inline content or a row out of place: set its text. */
    S_text_box(L, d,
               S_inline_para(L, n, body, 0, S_col(t->ink), QUIRE__FONT_BODY,
                             d->w, QUIRE__ALIGN_LEFT),
               t->block_gap * 0.7);
    break;
  }
  }
}

/* ---- title block ---- */

/* Copies src into dst (size bytes), cut at a character boundary with an
 * ellipsis when it does not fit. Titles and names are set large, whole, on
 * every page and in the metadata: a 10 MB title made one unbreakable title
 * block 200 pages tall. */
static void S_clip(char *dst, size_t size, const char *src) {
  size_t n = src ? strlen(src) : 0;
  if (n < size) {
    memcpy(dst, src ? src : "", n + 1);
    return;
  }
  size_t keep = size - 4; /* room for "…" and NUL */
  while (keep > 0 && ((unsigned char)src[keep] & 0xC0) == 0x80)
    keep--; /* not inside a UTF-8 sequence */
  memcpy(dst, src, keep);
  memcpy(dst + keep, "\xE2\x80\xA6", 4);
}

/* The fact grid of a labelled byline (the HTML's "at a glance" strip):
 * each item a cell with its label in small capitals over its value. Cells
 * take their natural width and wrap to a new row when the column is full;
 * boxed (sales_playbook) cells then stretch to fill the row inside a
 * ruled frame, as the HTML's flex strip does. Returns the height. */
static double S_fact_grid(S_pager *L, S_box *b, double x, double y0, double w,
                          int boxed) {
  const quire__present *pr = L->pres;
  quire__theme *t = &L->th;
  size_t nb = quire__present_byline_count(pr);
  if (nb > 16)
    nb = 16;
  double ls = t->size_small * 0.95, vs = t->size_body * 0.95;
  double padx = boxed ? 9 : 0, pady = boxed ? 6 : 0, gapx = boxed ? 0 : 26;
  double nat[16];
  char caps[16][64];
  for (size_t i = 0; i < nb; i++) {
    const quire__field *f = quire__present_byline(pr, i);
    S_caps(caps[i], sizeof caps[i], f->label ? f->label : "");
    long lp = S_text(L, caps[i], QUIRE__FONT_BODY, QUIRE__RUN_BOLD, ls,
                     S_col(t->muted), 0, QUIRE__ALIGN_LEFT);
    quire__run r =
        S_run(f->value, QUIRE__FONT_BODY, QUIRE__RUN_BOLD | QUIRE__RUN_ISOLATE,
              vs, S_col(t->ink));
    long vp = S_para_new(L, &r, 1, 0, vs * 1.35, QUIRE__ALIGN_LEFT);
    double lw = S_para_w(L, lp), vw = S_para_w(L, vp);
    nat[i] = (lw > vw ? lw : vw) + 2 * padx + 1;
    if (nat[i] > w)
      nat[i] = w;
  }
  double y = y0;
  size_t i = 0;
  while (i < nb && !S_failed(L)) {
    size_t j = i;
    double used = 0;
    while (j < nb && (j == i || used + gapx + nat[j] <= w)) {
      used += (j > i ? gapx : 0) + nat[j];
      j++;
    }
    double extra = boxed ? (w - used) / (double)(j - i) : 0;
    double cx = x, rowh = 0;
    long lps[16], vps[16];
    double cws[16];
    for (size_t k = i; k < j; k++) {
      const quire__field *f = quire__present_byline(pr, k);
      double cw = nat[k] + extra;
      cws[k] = cw;
      /* The label goes on its value's side of the cell: over a
       * right-to-left name it is right-aligned too (set at its start it
       * sat at the far edge of a stretched cell from its value). */
      int vr = f->value && quire__text_rtl(f->value, strlen(f->value));
      int lr = quire__text_rtl(caps[k], strlen(caps[k]));
      lps[k] = S_text(L, caps[k], QUIRE__FONT_BODY, QUIRE__RUN_BOLD, ls,
                      S_col(t->muted), cw - 2 * padx,
                      vr != lr ? QUIRE__ALIGN_RIGHT : QUIRE__ALIGN_LEFT);
      quire__run r =
          S_run(f->value, QUIRE__FONT_BODY,
                QUIRE__RUN_BOLD | QUIRE__RUN_ISOLATE, vs, S_col(t->ink));
      vps[k] =
          S_para_new(L, &r, 1, cw - 2 * padx, vs * 1.35, QUIRE__ALIGN_LEFT);
      double h = S_para_h(L, lps[k]) + 2 + S_para_h(L, vps[k]) + 2 * pady;
      if (h > rowh)
        rowh = h;
    }
    for (size_t k = i; k < j; k++) {
      double ly = y + pady;
      ly += S_put_para(L, b, lps[k], cx + padx, ly, cws[k] - 2 * padx) + 2;
      S_put_para(L, b, vps[k], cx + padx, ly, cws[k] - 2 * padx);
      if (boxed && k > i)
        S_line(L, b, cx, y, cx, y + rowh, 0.75, S_col(t->border));
      cx += cws[k] + gapx;
    }
    if (boxed && i > 0)
      S_line(L, b, x, y, x + w, y, 0.75, S_col(t->border));
    y += rowh + (boxed ? 0 : 8);
    i = j;
  }
  if (!boxed && y > y0)
    y -= 8;
  if (boxed && y > y0)
    S_rect(L, b, x, y0, w, y - y0, 4, S_none, S_col(t->border), 0.75);
  return y - y0;
}

static void S_title_block(S_pager *L) {
  quire__theme *t = &L->th;
  const quire__present *pr = L->pres;
  S_box b = {0};
  b.atomic = 1;
  double x = L->left, w = L->cw, y = 0;
  char caps[128];
  /* Kicker: the template's name in small capitals (the HTML's eyebrow),
   * quiet grey in the hiring debrief's neutral band. */
  if (quire__present_kicker(pr)) {
    long kp = S_text(L, S_caps(caps, sizeof caps, quire__present_kicker(pr)),
                     QUIRE__FONT_HEADING, QUIRE__RUN_BOLD, t->size_small,
                     S_col(L->look == S_LOOK_HIRING ? t->muted : t->accent), w,
                     QUIRE__ALIGN_LEFT);
    y += S_put_para(L, &b, kp, x, y, w) + 5;
  }
  quire__run r = S_run(L->title, QUIRE__FONT_HEADING, QUIRE__RUN_BOLD,
                       t->size_h1, S_col(t->heading));
  long tp = S_para_new(L, &r, 1, w, t->size_h1 * 1.2, QUIRE__ALIGN_LEFT);
  quire__box_tag_begin(L->lay, &b, "H1", y);
  y += S_put_para(L, &b, tp, x, y, w) + 8;
  quire__box_tag_end(L->lay, &b, "H1", y);
  /* The byline: a fact grid for the Conduit templates (labelled items),
   * otherwise one line of values. */
  size_t nb = quire__present_byline_count(pr);
  if (nb && quire__present_byline_labelled(pr)) {
    y += S_fact_grid(L, &b, x, y + 2, w, L->look == S_LOOK_SALES) + 2;
  } else if (nb) {
    quire__run rr[16];
    size_t nr = 0;
    double sz = t->size_body * 0.95;
    for (size_t i = 0; i < nb && nr + 2 <= 16; i++) {
      const quire__field *f = quire__present_byline(pr, i);
      if (i)
        rr[nr++] =
            S_run("  \xC2\xB7  ", QUIRE__FONT_BODY, 0, sz, S_col(t->muted));
      /* each value its own bidi isolate: an Arabic name or a reversed
       * label never reorders across the dots */
      rr[nr++] = S_run(f->value, QUIRE__FONT_BODY,
                       (i == 0 ? QUIRE__RUN_BOLD : 0) | QUIRE__RUN_ISOLATE, sz,
                       S_col(i == 0 ? t->ink : t->muted));
    }
    long fp = S_para_new(L, rr, nr, w, sz * t->line_height, QUIRE__ALIGN_LEFT);
    y += S_put_para(L, &b, fp, x, y, w) + 2;
  }
  /* The masthead ends on a thin accent rule, as the HTML's does. */
  y += 10;
  S_line(L, &b, x, y, x + w, y, 0.9, S_col(t->accent));
  y += 16;
  const char *sum = quire__present_summary(pr);
  if (!sum) {
    b.h = y - 6;
    S_flow(L, &b);
    return;
  }
  b.h = y;
  b.keep_next = 1;
  S_flow(L, &b);
  /* The summary panel: a tinted panel with an accent bar and its label in
   * small capitals (the template's word for it), body-sized text so it
   * reads first without shouting. hiring_report and profile_alignment
   * outline it on the paper instead. A long summary may run over a page:
   * the panel is cut between lines like any paragraph. */
  double bar = L->look == S_LOOK_SALES ? 5 : 4, pad = 10;
  double tx = x + bar + pad + 2, tw = w - bar - 2 * pad - 2;
  S_box s = {0};
  long hp =
      S_text(L, S_caps(caps, sizeof caps, quire__present_summary_title(pr)),
             QUIRE__FONT_HEADING, QUIRE__RUN_BOLD, t->size_small * 0.95,
             S_col(L->look == S_LOOK_PROFILE ? t->accent : t->muted), tw,
             QUIRE__ALIGN_LEFT);
  double sy = pad + S_para_h(L, hp) + 4;
  double ss = t->size_body * 1.02;
  quire__run sr = S_run(sum, QUIRE__FONT_BODY, 0, ss, S_col(t->ink));
  long sp = S_para_new(L, &sr, 1, tw, ss * t->line_height, QUIRE__ALIGN_LEFT);
  double h = sy + S_para_h(L, sp) + pad;
  int outlined = L->look == S_LOOK_HIRING || L->look == S_LOOK_PROFILE;
  quire__color fill = outlined ? S_col(t->paper) : S_col(t->accent_soft);
  quire__color edge = L->look == S_LOOK_PROFILE ? S_col(t->accent)
                      : outlined                ? S_col(t->border)
                                                : S_none;
  S_rect(L, &s, x, 0, w, h, 4, fill, edge, 0.75);
  S_rect(L, &s, x, 0, bar, h, 0, S_col(t->accent), S_none, 0);
  S_put_para(L, &s, hp, tx, pad, tw);
  quire__box_tag_begin(L->lay, &s, "P", sy);
  S_put_para(L, &s, sp, tx, sy, tw);
  quire__box_tag_end(L->lay, &s, "P", h);
  s.h = h;
  S_flow(L, &s);
}

/* The natural width of the widest space-separated token of run r, or 0
 * when none can be wider than limit: a token is measured only when its
 * bytes at the widest advance a glyph has (about an em, and an em per
 * three bytes of CJK) could pass the limit, so a long prose value costs
 * no paragraph per word. */
static double S_widest_token(S_pager *L, const quire__run *r, double lh,
                             double limit) {
  double widest = 0;
  size_t i = 0;
  while (i < r->len) {
    while (i < r->len && r->text[i] == ' ')
      i++;
    size_t j = i;
    while (j < r->len && r->text[j] != ' ')
      j++;
    if (j > i && (double)(j - i) * r->size * 1.2 > limit) {
      quire__run tok = *r;
      tok.text = r->text + i;
      tok.len = j - i;
      double tw = S_para_w(L, S_para_new(L, &tok, 1, 0, lh, QUIRE__ALIGN_LEFT));
      if (tw > widest)
        widest = tw;
    }
    i = j;
  }
  return widest;
}

/* One "label  value" row of the end matter at y in a column x, w; value
 * may be a link. Returns the row's height. */
static double S_fact_row(S_pager *L, S_box *b, double x, double y, double w,
                         double lw, const char *label, const char *value,
                         const char *link) {
  quire__theme *t = &L->th;
  double gap = 8, vw = w - lw - gap;
  double sz = t->size_small;
  long lp = S_text(L, label, QUIRE__FONT_BODY, 0, sz, S_col(t->muted), lw,
                   QUIRE__ALIGN_LEFT);
  quire__run r = S_run(value, QUIRE__FONT_BODY, link ? QUIRE__RUN_UNDERLINE : 0,
                       sz, S_col(link ? t->link : t->ink));
  r.link = link;
  /* A row of its group's table: the label its header cell. */
  quire__box_tag_begin(L->lay, b, "TR", y);
  quire__box_tag_begin(L->lay, b, "TH", y);
  double h1 = S_put_para(L, b, lp, x, y, lw);
  quire__box_tag_end(L->lay, b, "TH", y + h1);
  quire__box_tag_begin(L->lay, b, "TD", y);
  /* A token too long for the value's column (an id, a URL, one of a list
   * of ids) puts the value under its label across the whole column rather
   * than break the token mid-word. */
  if (value && S_widest_token(L, &r, sz * t->line_height, vw) > vw) {
    long wp = S_para_new(L, &r, 1, w, sz * t->line_height, QUIRE__ALIGN_LEFT);
    double h = h1 + S_put_para(L, b, wp, x, y + h1, w);
    quire__box_tag_end(L->lay, b, "TD", y + h);
    quire__box_tag_end(L->lay, b, "TR", y + h);
    return h;
  }
  long vp = S_para_new(L, &r, 1, vw, sz * t->line_height, QUIRE__ALIGN_LEFT);
  double h2 = S_put_para(L, b, vp, x + lw + gap, y, vw);
  double h = h1 > h2 ? h1 : h2;
  quire__box_tag_end(L->lay, b, "TD", y + h);
  quire__box_tag_end(L->lay, b, "TR", y + h);
  return h;
}

/* A heading of the end matter or the contents: a hairline over it when
 * `rule` (then it is a bookmark too). */
static void S_end_heading_box(S_pager *L, S_box *b, const char *text,
                              double size, quire__color c, double gap,
                              int rule) {
  b->atomic = 1;
  b->keep_next = 1;
  b->gap = gap;
  double y = 0;
  if (rule) {
    S_line(L, b, L->left, 0, L->left + L->cw, 0, 0.75, S_col(L->th.border));
    y = 10;
  }
  long p = S_text(L, text, QUIRE__FONT_HEADING, QUIRE__RUN_BOLD, size, c, L->cw,
                  QUIRE__ALIGN_LEFT);
  b->h = y + S_put_para(L, b, p, L->left, y, L->cw) + 2;
  if (rule) {
    quire__box_outline(L->lay, b, text, 1);
  }
  quire__box_tag(L->lay, b, rule ? "H2" : "H3");
}

/* One group of the end matter (the report's fields, or a fact set under
 * its label) into b at (x, y), w wide. Returns its height. */
static double S_about_group(S_pager *L, S_box *b, double x, double y, double w,
                            size_t g) {
  const quire__present *pr = L->pres;
  quire__theme *t = &L->th;
  double y0 = y;
  /* The label column as wide as the group's widest label, between a
   * quarter and 45 % of the column: at a fixed 36 % the narrow columns
   * of the 65-75 character measure wrapped "Render · Attempts" and
   * "Baseline sample ids" over two lines beside one-line values. */
  double lw = 0;
  size_t nrows = g == 0 ? quire__present_field_count(pr)
                        : quire__present_fact_set(pr, g - 1)->n;
  for (size_t i = 0; i < nrows && !S_failed(L); i++) {
    const char *lab = g == 0
                          ? quire__present_field(pr, i)->label
                          : quire__present_fact_set(pr, g - 1)->rows[i].label;
    double lwi = S_para_w(L, S_text(L, lab, QUIRE__FONT_BODY, 0, t->size_small,
                                    S_col(t->muted), 0, QUIRE__ALIGN_LEFT));
    if (lwi + 1 > lw)
      lw = lwi + 1;
  }
  lw = lw < w * 0.25 ? w * 0.25 : lw > w * 0.45 ? w * 0.45 : lw;
  if (g == 0) {
    quire__box_tag_begin(L->lay, b, "Table", y);
    for (size_t i = 0; i < quire__present_field_count(pr) && !S_failed(L);
         i++) {
      const quire__field *f = quire__present_field(pr, i);
      y += (i ? 3 : 0) + S_fact_row(L, b, x, y + (i ? 3 : 0), w, lw, f->label,
                                    f->value, f->url);
    }
    quire__box_tag_end(L->lay, b, "Table", y);
    return y - y0;
  }
  const quire__fact_set *fs = quire__present_fact_set(pr, g - 1);
  long hp = S_text(L, fs->label, QUIRE__FONT_HEADING, QUIRE__RUN_BOLD,
                   t->size_small, S_col(t->muted), w, QUIRE__ALIGN_LEFT);
  quire__box_tag_begin(L->lay, b, "H3", y);
  y += S_put_para(L, b, hp, x, y, w) + 2;
  quire__box_tag_end(L->lay, b, "H3", y);
  quire__box_tag_begin(L->lay, b, "Table", y);
  for (size_t i = 0; i < fs->n && !S_failed(L); i++)
    y += 3 + S_fact_row(L, b, x, y + 3, w, lw, fs->rows[i].label,
                        fs->rows[i].value, NULL);
  quire__box_tag_end(L->lay, b, "Table", y);
  return y - y0;
}

/* What the HTML footer and the terminal footer show, at the end of the
 * document: the presentation's fields (ids, dates, links) and every fact
 * set, in small print, in two columns: each group whole in one column,
 * the groups in order, split where the columns come out most even. One
 * box, moved whole to the next page when it does not fit; taller than a
 * page, one column of groups, each moved whole. */
static void S_end_matter(S_pager *L) {
  const quire__present *pr = L->pres;
  quire__theme *t = &L->th;
  S_box hb = {0};
  S_end_heading_box(L, &hb, quire__present_about(pr), t->size_small * 1.15,
                    S_col(t->heading), t->block_gap * 2, 1);
  S_flow(L, &hb);
  size_t ng = 1 + quire__present_fact_set_count(pr);
  if (ng > 64)
    ng = 64;
  double gut = 18, cw = (L->cw - gut) / 2, gap = 10;
  double hs[64];
  for (size_t g = 0; g < ng && !S_failed(L); g++) {
    S_box m = {0};
    hs[g] = S_about_group(L, &m, 0, 0, cw, g);
    quire__box_free(&m);
  }
  if (S_failed(L))
    return;
  /* The first k groups on the left: the k with the lowest taller column. */
  size_t best = ng;
  double best_h = 1e18, left = 0;
  for (size_t k = 1; k <= ng; k++) {
    left += (k > 1 ? gap : 0) + hs[k - 1];
    double right = 0;
    for (size_t g = k; g < ng; g++)
      right += (g > k ? gap : 0) + hs[g];
    double h = left > right ? left : right;
    if (h < best_h - 0.01) {
      best_h = h;
      best = k;
    }
  }
  const quire__page_geom *pg = &L->geom;
  if (best_h <= pg->bottom - pg->top - hb.h) {
    S_box b = {0};
    b.atomic = 1;
    b.gap = 4;
    double y[2] = {0, 0};
    for (size_t g = 0; g < ng && !S_failed(L); g++) {
      int col = g >= best;
      double x = L->left + col * (cw + gut);
      if (y[col] > 0)
        y[col] += gap;
      y[col] += S_about_group(L, &b, x, y[col], cw, g);
    }
    b.h = y[0] > y[1] ? y[0] : y[1];
    S_flow(L, &b);
    return;
  }
  for (size_t g = 0; g < ng && !S_failed(L); g++) {
    S_box b = {0};
    b.atomic = 1;
    b.gap = g ? gap : 4;
    b.h = S_about_group(L, &b, L->left, 0, L->cw, g);
    S_flow(L, &b);
  }
}

/* Height of contents entries [k0, k0 + m) set in cols columns, the first
 * column taking the first half. */
static double S_toc_h(const double *th, size_t k0, size_t m, int cols) {
  size_t half = cols == 2 ? (m + 1) / 2 : m;
  double a = 0, b = 0;
  for (size_t k = 0; k < m; k++)
    *(k < half ? &a : &b) += th[k0 + k];
  return a > b ? a : b;
}

/* The contents, before the first section: each top-level bookmark (a
 * section, the end matter) with its page, filled in by the layout once
 * pages are known, and a link there. Two columns from 6 entries on, read
 * down the first column, then the second. Boxes of whole entries: the
 * first fills what the first page has left, the rest follow. */
static void S_contents(S_pager *L, size_t at) {
  quire__theme *t = &L->th;
  size_t n = quire__layout_outline_count(L->lay), ne = 0;
  size_t *idx = quire__calloc(n + 1, sizeof *idx);
  long *tp = quire__calloc(n + 1, sizeof *tp);
  double *th = quire__calloc(n + 1, sizeof *th);
  if (!idx || !tp || !th) {
    quire__layout_fail(L->lay, QUIRE_ENOMEM);
    goto done;
  }
  for (size_t i = 0; i < n; i++) {
    int lv;
    quire__layout_outline(L->lay, i, &lv);
    if (lv == 1)
      idx[ne++] = i;
  }
  int cols = ne >= 6 ? 2 : 1;
  double gut = 18, cw = cols == 2 ? (L->cw - gut) / 2 : L->cw;
  double sz = t->size_body * 0.95, numw = 26, pad = 3, tw = cw - numw - 8;
  /* Every entry hangs from the list's left edge, a right-to-left title
   * too (its words still right to left): set in its own direction, it
   * was right-aligned against its page number, and a title starting in
   * Arabic with an English gloss wrapped mid-gloss ("handling the hard —
   * <Arabic>" over "parts"). */
  for (size_t k = 0; k < ne && !S_failed(L); k++) {
    const char *title = quire__layout_outline(L->lay, idx[k], NULL);
    quire__run r = S_run(title, QUIRE__FONT_BODY, 0, sz, S_col(t->ink));
    tp[k] = quire__layout_para_ltr(L->lay, &r, 1, tw, sz * t->line_height,
                                   QUIRE__ALIGN_LEFT, 1);
    th[k] = S_para_h(L, tp[k]) + 2 * pad;
  }
  S_box hb = {0};
  S_end_heading_box(L, &hb, "Contents", t->size_small * 1.15, S_col(t->heading),
                    t->block_gap * 2, 1);
  double full = L->geom.bottom - L->geom.top, box_gap = 6;
  double avail = quire__layout_room(L->lay, at) - hb.gap - hb.h - box_gap;
  if (avail < 3 * sz * 2)
    avail = full - hb.h - box_gap; /* the heading moves on, with them */
  quire__layout_insert(L->lay, at++, &hb);
  quire__run num = S_run("", QUIRE__FONT_BODY, 0, sz, S_col(t->muted));
  size_t k0 = 0;
  while (k0 < ne && !S_failed(L)) {
    size_t m = 1;
    while (k0 + m < ne && S_toc_h(th, k0, m + 1, cols) <= avail)
      m++;
    S_box b = {0};
    b.atomic = 1;
    b.gap = k0 ? 0 : box_gap;
    size_t half = cols == 2 ? (m + 1) / 2 : m;
    double y = 0, h = 0;
    for (size_t j = 0; j < m; j++) {
      size_t k = k0 + j;
      int col = j >= half;
      if (j == half)
        y = 0;
      double x = L->left + col * (cw + gut);
      quire__box_tag_begin(L->lay, &b, "TOCI", y);
      S_put_para(L, &b, tp[k], x, y + pad, tw);
      quire__box_pageref(L->lay, &b, x, y + pad, cw, th[k] - 2 * pad, &num,
                         idx[k]);
      quire__box_tag_end(L->lay, &b, "TOCI", y + th[k]);
      S_line(L, &b, x, y + th[k], x + cw, y + th[k], 0.5, S_col(t->border));
      y += th[k];
      if (y > h)
        h = y;
    }
    b.h = h;
    quire__box_tag(L->lay, &b, "TOC");
    quire__layout_insert(L->lay, at++, &b);
    k0 += m;
    avail = full - box_gap;
  }
done:
  free(idx);
  free(tp);
  free(th);
}

/* ---- public ---- */

void quire__paper_size(quire_paper paper, double *w, double *h) {
  if (paper == QUIRE_PAPER_LETTER) {
    *w = 612;
    *h = 792;
  } else {
    *w = 595.2756; /* 210 mm */
    *h = 841.8898; /* 297 mm */
  }
}

/* The header and footer, and the PDF's document information. */
static int S_finish(S_pager *L) {
  const quire__theme *t = &L->th;
  quire__furniture f = {L->footer, L->title, t->size_small, S_col(t->muted),
                        S_col(t->border)};
  quire__doc_meta m;
  memset(&m, 0, sizeof m);
  m.title = L->title;
  m.author = L->who[0] ? L->who : NULL;
  m.subject = quire_doc_template(L->doc);
  m.creator = L->creator;
  /* Only a date that parsed: an engine must not read "20x6" as a year. */
  const quire__date *dt = quire__present_date(L->pres);
  m.created_at = dt->valid ? dt->raw : NULL;
  m.lang = quire__render_lang(L->lang, L->doc, L->pres);
  return quire__layout_finish(L->lay, &f, &m);
}

int quire__page_layout(quire__layout **out, const quire_doc *doc,
                       const quire__present *pres, const quire__theme *theme,
                       quire_paper paper, const quire__backend *be,
                       quire_error *err) {
  return quire__page_layout_lang(out, doc, pres, theme, paper, NULL, be, err);
}

int quire__page_layout_lang(quire__layout **out, const quire_doc *doc,
                            const quire__present *pres,
                            const quire__theme *theme, quire_paper paper,
                            const char *lang, const quire__backend *be,
                            quire_error *err) {
  *out = NULL;
  if (!doc || !pres || !theme || !be)
    return quire__error_set(err, QUIRE_EINVAL,
                            "layout needs doc, theme, backend");
  S_pager *L = quire__calloc(1, sizeof *L);
  if (!L)
    return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  L->th = *theme;
  L->doc = doc;
  L->pres = pres;
  L->lang = lang;
  L->marker = -1;
  L->look = strcmp(theme->name, "sales_playbook") == 0      ? S_LOOK_SALES
            : strcmp(theme->name, "hiring_report") == 0     ? S_LOOK_HIRING
            : strcmp(theme->name, "profile_alignment") == 0 ? S_LOOK_PROFILE
                                                            : S_LOOK_DEFAULT;
  quire__page_geom g;
  quire__paper_size(paper, &g.width, &g.height);
  /* The side margins set the measure (10.5 pt text across A4 less 33 mm
   * a side is about 70 characters a line); top and bottom keep the page
   * margin, where the header and footer sit. */
  double m = theme->margin_mm * 72 / 25.4, side = theme->side_mm * 72 / 25.4;
  g.left = side;
  g.content_width = g.width - 2 * side;
  g.margin = m;
  g.top = m + 6;
  g.bottom = g.height - m - 4;
  L->left = g.left;
  L->cw = g.content_width;
  int rc = quire__layout_new(&L->lay, be, &g, err);
  if (rc) {
    free(L);
    return rc;
  }
  /* What err said before: an engine that describes its own failure (a
   * module that would not load) changes it, and that account is kept. */
  char said[sizeof err->message];
  snprintf(said, sizeof said, "%s", err ? err->message : "");
  snprintf(L->creator, sizeof L->creator, "quire %s", quire_version());
  S_clip(L->title, sizeof L->title, quire__present_title(pres));
  S_clip(L->who, sizeof L->who, quire_doc_entity_label(doc));
  const char *who = L->who[0] ? L->who : NULL;
  const char *kicker = quire__present_kicker(pres);
  snprintf(L->footer, sizeof L->footer, "%s%s",
           kicker ? kicker : theme->display_name, who ? "  \xC2\xB7  " : "");
  S_clip(L->footer + strlen(L->footer), sizeof L->footer - strlen(L->footer),
         who);
  L->geom = g;
  S_title_block(L);
  size_t mark = quire__layout_mark(L->lay);
  S_dest d = {NULL, L->left, L->cw};
  for (size_t i = 0; i < quire__present_block_count(pres) && !S_failed(L); i++)
    S_block(L, &d, quire__present_block(pres, i), 1);
  S_end_matter(L);
  /* Contents for a report of three pages or more, or of eight sections or
   * more (the end matter's bookmark is not a section): decided on a trial
   * pagination without them, so the same report always gets them. */
  size_t tops = 0;
  for (size_t i = 0; i < quire__layout_outline_count(L->lay); i++) {
    int lv;
    quire__layout_outline(L->lay, i, &lv);
    tops += lv == 1;
  }
  if (!S_failed(L) && tops >= 2 &&
      (quire__layout_paginate(L->lay) >= 3 || tops - 1 >= 8))
    S_contents(L, mark);
  rc = S_finish(L);
  quire__layout *lay = L->lay;
  free(L->segs);
  free(L);
  if (rc) {
    quire__layout_free(lay);
    if (err && err->code == rc && strcmp(err->message, said) != 0)
      return rc;
    return quire__error_set(err, rc, "page layout failed: %s",
                            quire_strerror(rc));
  }
  *out = lay;
  return 0;
}
