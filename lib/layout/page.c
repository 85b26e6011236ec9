/* Generic page layout (see page.h): boxes of paint operations, measured
 * paragraphs, pagination with keep-together rules, and painting placed
 * pages with their header and footer through a backend. */
#include "layout/page.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define S_EPS 0.01

enum {
  OP_PARA = 1,
  OP_RECT,
  OP_LINE,
  OP_PATH,
  OP_LINK,
  OP_OUTLINE,
  OP_TAG_BEGIN,
  OP_TAG_END,
  OP_PAGEREF
};

struct quire__op {
  int kind;
  int page;             /* placed ops: 0-based page */
  double x, y, w, h, r; /* LINE: x,y to w,h (end point) */
  quire__paint paint;   /* RECT, PATH; LINE uses stroke */
  size_t para;          /* PARA: index into layout->paras */
  size_t first, count;  /* PARA: lines (placed ops) */
  size_t seg0, nseg;    /* PATH: range in layout->segs (placed: psegs) */
  const char *str;      /* LINK uri, OUTLINE title, TAG name (borrowed) */
  const char *alt;      /* TAG_BEGIN: alternative text, or NULL (borrowed) */
  int level;            /* OUTLINE: 1 or 2; PAGEREF: its style's index */
  size_t ref;           /* OUTLINE: its index; PAGEREF: the one it names */
};

typedef struct quire__op S_op;
typedef quire__box S_box;

typedef struct S_para {
  quire__para *p;
  size_t n;
  double *tops; /* n + 1 line tops from the paragraph's top */
} S_para;

/* A bookmark: where it was placed (page -1: not placed). */
typedef struct S_outl {
  const char *title;
  int level;
  int page;
  double y;
} S_outl;

struct quire__layout {
  const quire__backend *be;
  double pw, ph, top, bottom, left, cw;
  double margin; /* top and bottom: the header and footer sit in it */
  S_para *paras;
  size_t npara, apara;
  quire__seg *segs; /* the boxes' paths, as built */
  size_t nseg, aseg;
  S_box *boxes; /* everything flowed, in order, until pagination */
  size_t nbox, abox;
  S_op *placed; /* the ops on pages, in page order */
  size_t nplaced, aplaced;
  quire__seg *psegs; /* the placed paths' segments */
  size_t npseg, apseg;
  S_outl *outl;
  size_t noutl, aoutl;
  quire__run *refstyle; /* page references' styles (text unused) */
  size_t nrefstyle, arefstyle;
  int npages;
  double y;
  int short_page;      /* a page ending early (balancing), or -1 */
  double short_bottom; /* where it ends */
  int broken;          /* joined boxes a pagination left apart, weighted */
  int cut_page;        /* a page ending early for one box (S_paginate) */
  double cut_bottom;   /* where */
  size_t watch;        /* quire__layout_room's box */
  double watch_room;   /* the room left before it, last pagination */
  int err;
  /* furniture and document information (owned copies) */
  char *footer, *header;
  double fsize;
  quire__color ftext, frule;
  char *meta[6]; /* title, author, subject, creator, created_at, lang */
};

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

static S_op *S_add(quire__layout *L, S_box *b, int kind) {
  if (L->err || S_grow((void **)&b->ops, &b->cap, b->n + 1, sizeof *b->ops)) {
    L->err = L->err ? L->err : QUIRE_ENOMEM;
    return NULL;
  }
  S_op *o = &b->ops[b->n++];
  memset(o, 0, sizeof *o);
  o->kind = kind;
  return o;
}

void quire__box_free(quire__box *b) {
  free(b->ops);
  memset(b, 0, sizeof *b);
}

int quire__layout_failed(const quire__layout *L) { return L->err; }

void quire__layout_fail(quire__layout *L, int code) {
  if (!L->err)
    L->err = code;
}

void quire__box_rect(quire__layout *L, quire__box *b, double x, double y,
                     double w, double h, double r, quire__color fill,
                     quire__color stroke, double sw) {
  S_op *o = S_add(L, b, OP_RECT);
  if (!o)
    return;
  o->x = x, o->y = y, o->w = w, o->h = h, o->r = r;
  o->paint.fill = fill;
  o->paint.stroke = stroke;
  o->paint.stroke_width = sw;
}

void quire__box_line(quire__layout *L, quire__box *b, double x1, double y1,
                     double x2, double y2, double width, quire__color c) {
  S_op *o = S_add(L, b, OP_LINE);
  if (!o)
    return;
  o->x = x1, o->y = y1, o->w = x2, o->h = y2;
  o->paint.stroke = c;
  o->paint.stroke_width = width;
}

void quire__box_path(quire__layout *L, quire__box *b, const quire__seg *segs,
                     size_t n, const quire__paint *paint, double top) {
  if (L->err || n == 0)
    return;
  if (S_grow((void **)&L->segs, &L->aseg, L->nseg + n, sizeof *L->segs)) {
    L->err = QUIRE_ENOMEM;
    return;
  }
  size_t s0 = L->nseg;
  memcpy(L->segs + s0, segs, n * sizeof *segs);
  L->nseg += n;
  S_op *o = S_add(L, b, OP_PATH);
  if (!o)
    return;
  o->seg0 = s0, o->nseg = n, o->y = top;
  o->paint = *paint;
}

static void S_tag_at(quire__layout *L, quire__box *b, size_t at,
                     const char *name, int begin, double y) {
  S_op *o = S_add(L, b, begin ? OP_TAG_BEGIN : OP_TAG_END);
  if (!o)
    return;
  o->str = name;
  o->y = y;
  if (at < b->n - 1) {
    S_op t = *o;
    memmove(&b->ops[at + 1], &b->ops[at], (b->n - 1 - at) * sizeof *b->ops);
    b->ops[at] = t;
  }
}

void quire__box_tag_begin(quire__layout *L, quire__box *b, const char *name,
                          double y) {
  S_tag_at(L, b, b->n, name, 1, y);
}

void quire__box_tag_end(quire__layout *L, quire__box *b, const char *name,
                        double y) {
  S_tag_at(L, b, b->n, name, 0, y);
}

void quire__box_tag(quire__layout *L, quire__box *b, const char *name) {
  S_tag_at(L, b, 0, name, 1, 0);
  S_tag_at(L, b, b->n, name, 0, b->h);
}

void quire__box_tag_alt(quire__layout *L, quire__box *b, const char *name,
                        const char *alt) {
  quire__box_tag(L, b, name);
  if (!L->err)
    b->ops[0].alt = alt;
}

void quire__box_tag_first(quire__layout *L, quire__box *b, const char *name,
                          int begin) {
  S_tag_at(L, b, 0, name, begin, 0);
}

void quire__box_outline(quire__layout *L, quire__box *b, const char *title,
                        int level) {
  if (L->err ||
      S_grow((void **)&L->outl, &L->aoutl, L->noutl + 1, sizeof *L->outl)) {
    L->err = L->err ? L->err : QUIRE_ENOMEM;
    return;
  }
  S_op *o = S_add(L, b, OP_OUTLINE);
  if (o) {
    o->str = title;
    o->level = level;
    o->ref = L->noutl;
    S_outl t = {title, level, -1, 0};
    L->outl[L->noutl++] = t;
  }
}

void quire__box_pageref(quire__layout *L, quire__box *b, double x, double y,
                        double w, double h, const quire__run *style,
                        size_t outline) {
  if (L->err || S_grow((void **)&L->refstyle, &L->arefstyle, L->nrefstyle + 1,
                       sizeof *L->refstyle)) {
    L->err = L->err ? L->err : QUIRE_ENOMEM;
    return;
  }
  S_op *o = S_add(L, b, OP_PAGEREF);
  if (!o)
    return;
  quire__run r = *style;
  r.text = "";
  r.len = 0;
  r.link = NULL;
  L->refstyle[L->nrefstyle] = r;
  o->level = (int)L->nrefstyle++;
  o->x = x, o->y = y, o->w = w, o->h = h;
  o->ref = outline;
}

void quire__box_merge(quire__layout *L, quire__box *dst, quire__box *src,
                      double dx, double dy) {
  for (size_t i = 0; i < src->n; i++) {
    S_op *o = S_add(L, dst, 0);
    if (!o)
      break;
    *o = src->ops[i];
    o->x += dx;
    o->y += dy;
    if (o->kind == OP_LINE) {
      o->w += dx;
      o->h += dy;
    } else if (o->kind == OP_PATH) {
      for (size_t k = o->seg0; k < o->seg0 + o->nseg; k++) {
        quire__seg *s = &L->segs[k];
        s->x1 += dx, s->x2 += dx, s->x3 += dx;
        s->y1 += dy, s->y2 += dy, s->y3 += dy;
      }
    }
  }
  quire__box_free(src);
}

/* ---- paragraphs ---- */

/* Text no engine is handed as is: more combining marks in a row than
 * Unicode's stream-safe limit (UAX #15: 30) — 100,000 of them on one letter
 * ran pango past 25 s and made libharu fail outright — and a paragraph
 * beyond 256 KiB, which pango holds at ~130 bytes a character (a 10 MB
 * string took 1.27 GB). Marks past the limit are dropped; a paragraph past
 * the size is cut with an ellipsis. */
#define S_MAX_MARKS 30
#define S_MAX_PARA_BYTES ((size_t)256 << 10)

static int S_is_mark(int32_t cp) {
  return cp >= 0x300 && quire__cp_width(cp) == 0;
}

static int S_needs_guard(const quire__run *runs, size_t n) {
  size_t total = 0;
  for (size_t i = 0; i < n; i++) {
    total += runs[i].len;
    int marks = 0;
    for (size_t k = 0; k < runs[i].len;) {
      int32_t cp;
      int m = quire__utf8_decode(runs[i].text + k, runs[i].len - k, &cp);
      k += m > 0 ? (size_t)m : 1;
      marks = m > 0 && S_is_mark(cp) ? marks + 1 : 0;
      if (marks > S_MAX_MARKS)
        return 1;
    }
  }
  return total > S_MAX_PARA_BYTES;
}

/* Copies runs into guarded ones whose texts live in *texts (freed by the
 * caller, after the engine has copied them). */
static int S_guard(const quire__run *runs, size_t n, quire__run *out,
                   quire_buf *texts) {
  size_t budget = S_MAX_PARA_BYTES;
  for (size_t i = 0; i < n; i++) {
    out[i] = runs[i];
    quire_buf *b = &texts[i];
    int marks = 0, cut = 0;
    for (size_t k = 0; k < runs[i].len;) {
      int32_t cp;
      int m = quire__utf8_decode(runs[i].text + k, runs[i].len - k, &cp);
      size_t step = m > 0 ? (size_t)m : 1;
      marks = m > 0 && S_is_mark(cp) ? marks + 1 : 0;
      if (marks <= S_MAX_MARKS) {
        if (step > budget) {
          cut = 1;
          break;
        }
        quire_buf_put(b, runs[i].text + k, step);
        budget -= step;
      }
      k += step;
    }
    if (cut || (budget == 0 && i + 1 < n)) {
      quire_buf_puts(b, "\xE2\x80\xA6"); /* … */
      budget = 0;
    }
    if (quire_buf_failed(b))
      return QUIRE_ENOMEM;
    out[i].text = b->ptr ? b->ptr : "";
    out[i].len = b->size;
  }
  return 0;
}

static long S_para_new_raw(quire__layout *L, const quire__run *runs, size_t n,
                           double w, double lh, quire__align align, int ltr);

long quire__layout_para(quire__layout *L, const quire__run *runs, size_t n,
                        double w, double lh, quire__align align) {
  return quire__layout_para_ltr(L, runs, n, w, lh, align, 0);
}

long quire__layout_para_ltr(quire__layout *L, const quire__run *runs, size_t n,
                            double w, double lh, quire__align align, int ltr) {
  if (L->err || !S_needs_guard(runs, n))
    return S_para_new_raw(L, runs, n, w, lh, align, ltr);
  quire__run *g = quire__calloc(n ? n : 1, sizeof *g);
  quire_buf *texts = quire__calloc(n ? n : 1, sizeof *texts);
  long id = -1;
  if (!g || !texts || S_guard(runs, n, g, texts) != 0)
    L->err = QUIRE_ENOMEM;
  else
    id = S_para_new_raw(L, g, n, w, lh, align, ltr);
  for (size_t i = 0; texts && i < n; i++)
    quire_buf_dispose(&texts[i]);
  free(texts);
  free(g);
  return id;
}

static long S_para_new_raw(quire__layout *L, const quire__run *runs, size_t n,
                           double w, double lh, quire__align align, int ltr) {
  if (L->err)
    return -1;
  if (S_grow((void **)&L->paras, &L->apara, L->npara + 1, sizeof *L->paras)) {
    L->err = QUIRE_ENOMEM;
    return -1;
  }
  quire__para_spec spec = {.runs = runs,
                           .nruns = n,
                           .width = w,
                           .line_height = lh,
                           .align = align,
                           .ltr = ltr};
  S_para *p = &L->paras[L->npara];
  memset(p, 0, sizeof *p);
  int rc = L->be->para_new(L->be->self, &p->p, &spec);
  if (rc) {
    L->err = rc;
    return -1;
  }
  p->n = L->be->para_line_count(L->be->self, p->p);
  p->tops = quire__calloc(p->n + 1, sizeof *p->tops);
  if (!p->tops) {
    L->be->para_free(L->be->self, p->p);
    L->err = QUIRE_ENOMEM;
    return -1;
  }
  for (size_t i = 0; i < p->n; i++) {
    quire__line ln;
    L->be->para_line(L->be->self, p->p, i, &ln);
    p->tops[i + 1] = p->tops[i] + ln.height;
  }
  return (long)L->npara++;
}

double quire__layout_para_height(const quire__layout *L, long i) {
  return i < 0 ? 0 : L->paras[i].tops[L->paras[i].n];
}

double quire__layout_para_width(const quire__layout *L, long i) {
  double w = 0;
  if (i < 0)
    return 0;
  for (size_t k = 0; k < L->paras[i].n; k++) {
    quire__line ln;
    L->be->para_line(L->be->self, L->paras[i].p, k, &ln);
    if (ln.width > w)
      w = ln.width;
  }
  return w;
}

double quire__box_para(quire__layout *L, quire__box *b, long para, double x,
                       double y, double w) {
  if (para < 0)
    return 0;
  S_op *o = S_add(L, b, OP_PARA);
  if (!o)
    return 0;
  o->para = (size_t)para;
  o->x = x, o->y = y, o->w = w;
  o->h = quire__layout_para_height(L, para);
  o->count = L->paras[para].n;
  return o->h;
}

/* ---- pagination ---- */

/* The bottom of the flow on the current page: shorter on the page a
 * balancing pass ends early (S_finish_pages). */
static double S_bottom(const quire__layout *L) {
  double b = L->npages - 1 == L->short_page ? L->short_bottom : L->bottom;
  if (L->npages - 1 == L->cut_page && L->cut_bottom < b)
    b = L->cut_bottom;
  return b;
}

static void S_new_page(quire__layout *L) {
  L->npages++;
  L->y = L->top;
}

/* Cut positions allowed inside a box, for text that may break across
 * pages: between lines, leaving at least two lines on either side. */
static int S_cut_ok(const quire__layout *L, const S_box *b, double c) {
  for (size_t i = 0; i < b->n; i++) {
    const S_op *o = &b->ops[i];
    if (o->kind != OP_PARA || c <= o->y + S_EPS || c >= o->y + o->h - S_EPS)
      continue;
    const S_para *p = &L->paras[o->para];
    int ok = 0;
    for (size_t k = 2; k + 2 <= p->n; k++)
      if (fabs(o->y + p->tops[k] - c) < S_EPS)
        ok = 1;
    if (!ok)
      return 0;
  }
  return 1;
}

/* The largest allowed cut in (lo, hi], or -1. forced: any line boundary. */
static double S_best_cut(const quire__layout *L, const S_box *b, double lo,
                         double hi, int forced) {
  double best = -1;
  for (size_t i = 0; i < b->n; i++) {
    const S_op *o = &b->ops[i];
    if (o->kind != OP_PARA)
      continue;
    const S_para *p = &L->paras[o->para];
    for (size_t k = 0; k < p->n; k++) {
      double c = o->y + p->tops[k];
      if (c > lo + S_EPS && c <= hi + S_EPS && c > best &&
          (forced || S_cut_ok(L, b, c)))
        best = c;
    }
  }
  return best;
}

/* Height the first piece of a box needs on a page. */
static double S_first_piece(const quire__layout *L, const S_box *b) {
  if (b->atomic)
    return b->h;
  double c = -1;
  for (size_t i = 0; i < b->n && c < 0; i++) {
    const S_op *o = &b->ops[i];
    if (o->kind != OP_PARA)
      continue;
    const S_para *p = &L->paras[o->para];
    for (size_t k = 1; k < p->n; k++)
      if (S_cut_ok(L, b, o->y + p->tops[k])) {
        c = o->y + p->tops[k];
        break;
      }
  }
  return c > 0 ? c : b->h;
}

static void S_place_op(quire__layout *L, const S_op *src, double s, double e,
                       double dy, int last) {
  S_op o = *src;
  o.page = L->npages - 1;
  switch (src->kind) {
  case OP_PARA: {
    const S_para *p = &L->paras[src->para];
    size_t first = p->n, count = 0;
    for (size_t k = 0; k < p->n; k++) {
      double t = src->y + p->tops[k];
      if (t >= s - S_EPS && t < e - S_EPS) {
        if (first == p->n)
          first = k;
        count++;
      }
    }
    if (!count)
      return;
    o.first = first;
    o.count = count;
    o.y = src->y + p->tops[first] - s + dy;
    break;
  }
  case OP_RECT: {
    double a = src->y > s ? src->y : s;
    double z = src->y + src->h < e ? src->y + src->h : e;
    if (z - a < 0.5)
      return;
    o.y = a - s + dy;
    o.h = z - a;
    break;
  }
  case OP_LINE:
    if (src->y < s - S_EPS || src->y >= e - S_EPS)
      return;
    o.y += dy - s;
    o.h += dy - s;
    break;
  case OP_PATH:
    if (src->y < s - S_EPS || src->y >= e - S_EPS)
      return;
    /* Placed paths get their own copy of the segments: the box's stay as
     * built, so the layout can be paginated again. */
    if (S_grow((void **)&L->psegs, &L->apseg, L->npseg + src->nseg,
               sizeof *L->psegs)) {
      L->err = QUIRE_ENOMEM;
      return;
    }
    o.seg0 = L->npseg;
    for (size_t k = 0; k < src->nseg; k++) {
      quire__seg g = L->segs[src->seg0 + k];
      g.y1 += dy - s, g.y2 += dy - s, g.y3 += dy - s;
      L->psegs[L->npseg++] = g;
    }
    o.y += dy - s;
    break;
  case OP_TAG_BEGIN:
    /* A begin at a cut opens on the later page; one at the very bottom
     * of the box still belongs to its last piece. */
    if (src->y < s - S_EPS || (src->y >= e - S_EPS && !last))
      return;
    o.y = dy;
    break;
  case OP_TAG_END:
    /* An end at a cut closes on the earlier page; one at the top of the
     * box belongs to its first piece. */
    if ((src->y <= s + S_EPS && s > S_EPS) || src->y > e + S_EPS)
      return;
    o.y = dy;
    break;
  default:
    if (src->y < s - S_EPS || src->y >= e - S_EPS)
      return;
    o.y += dy - s;
    if (src->kind == OP_OUTLINE && src->ref < L->noutl) {
      L->outl[src->ref].page = o.page;
      L->outl[src->ref].y = o.y;
    }
    break;
  }
  if (S_grow((void **)&L->placed, &L->aplaced, L->nplaced + 1,
             sizeof *L->placed)) {
    L->err = QUIRE_ENOMEM;
    return;
  }
  L->placed[L->nplaced++] = o;
}

static void S_place_range(quire__layout *L, const S_box *b, double s, double e,
                          int *first_page) {
  int last = e >= b->h - S_EPS;
  if (*first_page < 0)
    *first_page = L->npages - 1;
  for (size_t i = 0; i < b->n; i++)
    S_place_op(L, &b->ops[i], s, e, L->y, last);
  L->y += e - s;
}

/* Places box b from the current position; *first is the page its first
 * piece went on. */
static void S_place(quire__layout *L, const S_box *b, double gap, int *first) {
  double full = L->bottom - L->top;
  *first = -1;
  if (L->npages == 0)
    S_new_page(L);
  if (L->y > L->top + S_EPS) {
    if (L->y + gap >= S_bottom(L))
      S_new_page(L);
    else
      L->y += gap;
  }
  double s = 0;
  int guard = 0;
  while (s < b->h - S_EPS && !L->err && guard++ < 100000) {
    double avail = S_bottom(L) - L->y;
    double rem = b->h - s;
    int at_top = L->y <= L->top + S_EPS;
    if (rem <= avail + S_EPS) {
      S_place_range(L, b, s, b->h, first);
      break;
    }
    if (b->atomic && s == 0 && rem <= full && !at_top) {
      S_new_page(L);
      continue;
    }
    double c = S_best_cut(L, b, s, s + avail, 0);
    if (c < 0 && !at_top) {
      S_new_page(L);
      continue;
    }
    if (c < 0) /* alone on a page and still too tall: cut anywhere */
      c = S_best_cut(L, b, s, s + avail, 1);
    if (c < 0)
      c = s + avail;
    S_place_range(L, b, s, c, first);
    S_new_page(L);
    s = c;
  }
  if (*first < 0) /* nothing to place: where it would have gone */
    *first = L->npages - 1;
}

/* Box i and box i + 1 belong on one page. */
static int S_joined(const quire__layout *L, size_t i) {
  return i + 1 < L->nbox &&
         (L->boxes[i].keep_next || L->boxes[i + 1].keep_prev);
}

/* Where the flow was before a box was placed: to go back to. */
typedef struct S_snap {
  int npages;
  double y;
  size_t nplaced, npseg;
  int first, last; /* the box's pages, once placed */
  double yend;     /* where it ended on its last page */
} S_snap;

/* Places every box from the first page on. gap_scale multiplies the gaps
 * between boxes. A box that starts a page after the box it is joined to
 * (S_joined) ended sends the whole joined group to a new page, when the
 * group fits on one and did not start at a page top already. */
static void S_paginate(quire__layout *L, double gap_scale) {
  L->npages = 0;
  L->y = L->top;
  L->nplaced = 0;
  L->npseg = 0;
  L->broken = 0;
  if (L->err)
    return;
  S_snap *sn = quire__calloc(L->nbox + 1, sizeof *sn);
  if (!sn) {
    L->err = QUIRE_ENOMEM;
    return;
  }
  double full = L->bottom - L->top;
  size_t redone = (size_t)-1; /* the group start sent to a new page last */
  size_t recut = (size_t)-1;  /* the box cut earlier last */
  int fresh = 0;              /* start box i on a new page */
  L->cut_page = -1;
  for (size_t i = 0; i < L->nbox && !L->err; i++) {
    const S_box *b = &L->boxes[i];
    if (fresh) {
      S_new_page(L);
      fresh = 0;
    }
    if (i == L->watch)
      L->watch_room = L->npages ? S_bottom(L) - L->y : L->bottom - L->top;
    sn[i].npages = L->npages;
    sn[i].y = L->y;
    sn[i].nplaced = L->nplaced;
    sn[i].npseg = L->npseg;
    int first;
    S_place(L, b, b->gap * gap_scale, &first);
    L->cut_page = -1;
    sn[i].first = first;
    sn[i].last = L->npages - 1;
    sn[i].yend = L->y;
    /* A piece that ended exactly at the bottom leaves the flow at the top
     * of a page with nothing on it: the box ended on the page before. */
    if (L->y <= L->top + S_EPS && b->h > S_EPS && sn[i].last > first)
      sn[i].last--;
    if (i == 0 || !S_joined(L, i - 1) || first == sn[i - 1].last)
      continue;
    /* A text before a keep-with-previous box (an illustration after its
     * paragraph) need not move whole: its last lines can go over with
     * it. Placed again with its last page ending just above where it
     * ended, it is cut before its last lines (two at least). */
    const S_box *pb = &L->boxes[i - 1];
    if (b->keep_prev && !pb->atomic && recut != i - 1 &&
        sn[i - 1].yend > L->top + S_EPS) {
      size_t j = i - 1;
      L->cut_page = sn[j].last;
      L->cut_bottom = sn[j].yend - 1;
      L->npages = sn[j].npages;
      L->y = sn[j].y;
      L->nplaced = sn[j].nplaced;
      L->npseg = sn[j].npseg;
      recut = j;
      i = j - 1; /* the loop's i++ makes it j */
      continue;
    }
    size_t k = i - 1;
    while (k > 0 && S_joined(L, k - 1))
      k--;
    double need = S_first_piece(L, b);
    for (size_t j = k; j < i; j++)
      need += L->boxes[j].h + (j > k ? L->boxes[j].gap * gap_scale : 0);
    int at_top = sn[k].npages == 0 || sn[k].y <= L->top + S_EPS;
    if (need > full + S_EPS || at_top || k == redone) {
      /* a heading left at a page's end weighs more than the rest */
      L->broken += L->boxes[i - 1].keep_next ? 100 : 1;
      continue;
    }
    L->npages = sn[k].npages;
    L->y = sn[k].y;
    L->nplaced = sn[k].nplaced;
    L->npseg = sn[k].npseg;
    redone = k;
    fresh = 1;
    i = k - 1; /* the loop's i++ makes it k */
  }
  free(sn);
  if (L->npages == 0)
    S_new_page(L);
  if (L->watch >= L->nbox && L->watch != (size_t)-1)
    L->watch_room = S_bottom(L) - L->y;
}

/* How full the last page is, 0..1. */
static double S_last_fill(const quire__layout *L) {
  return (L->y - L->top) / (L->bottom - L->top);
}

/* The last page at least this full, where tightening or balancing can;
 * under S_TRY_FILL, tighter gaps are tried when they save the page (a
 * last page holding only "About this report", a quarter full: so it was
 * for the v2 profile_alignment sample at the 90-character measure, 4
 * pages that fit 3). */
#define S_MIN_FILL 0.18
#define S_TRY_FILL 0.45

/* The final pagination: see quire__layout_finish. Deterministic: the same
 * boxes always try the same steps in the same order. */
static void S_finish_pages(quire__layout *L) {
  L->short_page = -1;
  S_paginate(L, 1);
  int n = L->npages, broken = L->broken;
  double fill = S_last_fill(L);
  if (L->err || n < 2 || fill >= S_TRY_FILL)
    return;
  /* Either way, never at the price of a heading left at a page's end. */
  static const double scales[] = {0.9, 0.8, 0.7};
  for (size_t i = 0; i < sizeof scales / sizeof scales[0]; i++) {
    S_paginate(L, scales[i]);
    if (L->err || (L->npages < n && L->broken <= broken))
      return;
  }
  if (fill >= S_MIN_FILL) {
    S_paginate(L, 1);
    return;
  }
  /* Balance: end the page before the last earlier, a line at a time, until
   * the last page holds enough. */
  double full = L->bottom - L->top;
  for (double cut = 12; cut < full * 0.6 && !L->err; cut += 12) {
    L->short_page = n - 2;
    L->short_bottom = L->bottom - cut;
    S_paginate(L, 1);
    if (L->npages != n)
      break;
    if (S_last_fill(L) >= S_MIN_FILL && L->broken <= broken)
      return;
  }
  L->short_page = -1;
  S_paginate(L, 1);
}

/* Sets each placed page reference's number, once pages are final. */
static void S_resolve_refs(quire__layout *L) {
  for (size_t i = 0; i < L->nplaced && !L->err; i++) {
    S_op *o = &L->placed[i];
    if (o->kind != OP_PAGEREF)
      continue;
    const S_outl *t = o->ref < L->noutl ? &L->outl[o->ref] : NULL;
    if (!t || t->page < 0) {
      o->kind = 0; /* a bookmark never placed: no number, no link */
      continue;
    }
    char num[16];
    snprintf(num, sizeof num, "%d", t->page + 1);
    quire__run r = L->refstyle[o->level];
    r.text = num;
    r.len = strlen(num);
    long p =
        S_para_new_raw(L, &r, 1, o->w, r.size * 1.2, QUIRE__ALIGN_RIGHT, 0);
    if (p < 0)
      return;
    o->para = (size_t)p;
    o->first = 0;
    o->count = L->paras[p].n;
  }
}

/* Boxes wait in the layout until pagination. */
void quire__layout_flow(quire__layout *L, quire__box *b) {
  quire__layout_insert(L, L->nbox, b);
}

size_t quire__layout_mark(const quire__layout *L) { return L->nbox; }

void quire__layout_insert(quire__layout *L, size_t at, quire__box *b) {
  if (L->err ||
      S_grow((void **)&L->boxes, &L->abox, L->nbox + 1, sizeof *L->boxes)) {
    L->err = L->err ? L->err : QUIRE_ENOMEM;
    quire__box_free(b);
    return;
  }
  if (at > L->nbox)
    at = L->nbox;
  memmove(&L->boxes[at + 1], &L->boxes[at], (L->nbox - at) * sizeof *L->boxes);
  L->boxes[at] = *b;
  L->nbox++;
  memset(b, 0, sizeof *b);
}

size_t quire__layout_outline_count(const quire__layout *L) { return L->noutl; }

const char *quire__layout_outline(const quire__layout *L, size_t i,
                                  int *level) {
  if (i >= L->noutl)
    return NULL;
  if (level)
    *level = L->outl[i].level;
  return L->outl[i].title;
}

int quire__layout_paginate(quire__layout *L) {
  L->short_page = -1;
  S_paginate(L, 1);
  return L->err ? 0 : L->npages;
}

double quire__layout_room(quire__layout *L, size_t at) {
  L->watch = at;
  L->short_page = -1;
  S_paginate(L, 1);
  L->watch = (size_t)-1;
  return L->err ? 0 : L->watch_room;
}

/* ---- lifetime ---- */

int quire__layout_new(quire__layout **out, const quire__backend *be,
                      const quire__page_geom *g, quire_error *err) {
  *out = NULL;
  if (!be || !g)
    return quire__error_set(err, QUIRE_EINVAL,
                            "layout needs a backend and a page geometry");
  quire__layout *L = quire__calloc(1, sizeof *L);
  if (!L)
    return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  L->be = be;
  L->pw = g->width;
  L->ph = g->height;
  L->left = g->left;
  L->cw = g->content_width;
  L->top = g->top;
  L->bottom = g->bottom;
  L->margin = g->margin > 0 ? g->margin : g->left;
  L->short_page = -1;
  L->cut_page = -1;
  L->watch = (size_t)-1;
  *out = L;
  return 0;
}

void quire__layout_free(quire__layout *L) {
  if (!L)
    return;
  for (size_t i = 0; i < L->npara; i++) {
    L->be->para_free(L->be->self, L->paras[i].p);
    free(L->paras[i].tops);
  }
  for (size_t i = 0; i < L->nbox; i++)
    quire__box_free(&L->boxes[i]);
  free(L->boxes);
  free(L->paras);
  free(L->segs);
  free(L->psegs);
  free(L->outl);
  free(L->refstyle);
  free(L->placed);
  free(L->footer);
  free(L->header);
  for (size_t i = 0; i < sizeof L->meta / sizeof L->meta[0]; i++)
    free(L->meta[i]);
  free(L);
}

/* A copy of s, NULL for NULL; a failed copy fails the layout. */
static char *S_dup(quire__layout *L, const char *s) {
  if (!s)
    return NULL;
  char *d = quire__strdup(s);
  if (!d)
    quire__layout_fail(L, QUIRE_ENOMEM);
  return d;
}

/* Lines text[0..len] (+ "…") takes at the furniture's size in width w. */
static size_t S_furniture_lines(quire__layout *L, const char *text, size_t len,
                                int ellipsis, double w, quire_buf *scratch) {
  quire_buf_clear(scratch);
  quire_buf_put(scratch, text, len);
  if (ellipsis)
    quire_buf_puts(scratch, "\xE2\x80\xA6");
  if (quire_buf_failed(scratch))
    return (quire__layout_fail(L, QUIRE_ENOMEM), 1);
  quire__run r;
  memset(&r, 0, sizeof r);
  r.text = scratch->ptr;
  r.len = scratch->size;
  r.role = QUIRE__FONT_BODY;
  r.size = L->fsize;
  quire__para_spec spec = {.runs = &r,
                           .nruns = 1,
                           .width = w,
                           .line_height = L->fsize * 1.3,
                           .align = QUIRE__ALIGN_LEFT};
  quire__para *p;
  if (L->be->para_new(L->be->self, &p, &spec) != 0)
    return 1;
  size_t n = L->be->para_line_count(L->be->self, p);
  L->be->para_free(L->be->self, p);
  return n;
}

/* The running header and the footer are one line each: text too long for
 * w ends in "…" after the most words that fit (characters when the last
 * space is far back; never between a letter and its combining mark; no
 * dangling separator), where only its first line used to be painted and
 * the rest dropped without a sign. */
static void S_fit_line(quire__layout *L, char **text, double w) {
  if (!*text || !**text || L->err)
    return;
  const char *t = *text;
  size_t n = strlen(t);
  quire_buf scratch = QUIRE_BUF_INIT;
  if (S_furniture_lines(L, t, n, 0, w, &scratch) <= 1) {
    quire_buf_dispose(&scratch);
    return;
  }
  /* Cut points: character starts not followed by a mark. */
  size_t *cut = malloc((n + 1) * sizeof *cut), ncut = 0;
  if (!cut) {
    quire_buf_dispose(&scratch);
    quire__layout_fail(L, QUIRE_ENOMEM);
    return;
  }
  cut[ncut++] = 0; /* "…" alone, when even one character is too wide */
  for (size_t k = 0; k < n;) {
    int32_t cp;
    int m = quire__utf8_decode(t + k, n - k, &cp);
    if (k > 0 && !(m > 0 && S_is_mark(cp)))
      cut[ncut++] = k;
    k += m > 0 ? (size_t)m : 1;
  }
  size_t lo = 0, hi = ncut; /* cut[lo] fits; cut[hi], if any, does not */
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (S_furniture_lines(L, t, cut[mid], 1, w, &scratch) <= 1)
      lo = mid;
    else
      hi = mid;
  }
  size_t keep = cut[lo];
  free(cut);
  /* Whole words when the last space is not far back (CJK has none). */
  for (size_t k = keep; k > 0 && k * 10 >= keep * 7; k--) {
    if (t[k] == ' ') {
      keep = k;
      break;
    }
  }
  static const char *const dangling[] = {" ",
                                         "\xC2\xA0",
                                         "\xC2\xB7",
                                         "\xE2\x80\x94",
                                         "\xE2\x80\x93",
                                         "(",
                                         "\xC2\xAB",
                                         ",",
                                         ":",
                                         ";"};
  for (int again = 1; again && keep > 0;) {
    again = 0;
    for (size_t i = 0; i < sizeof dangling / sizeof *dangling; i++) {
      size_t dl = strlen(dangling[i]);
      if (keep >= dl && memcmp(t + keep - dl, dangling[i], dl) == 0) {
        keep -= dl;
        again = 1;
      }
    }
  }
  quire_buf_clear(&scratch);
  quire_buf_put(&scratch, t, keep);
  quire_buf_puts(&scratch, "\xE2\x80\xA6");
  char *fitted = quire_buf_failed(&scratch) ? NULL : quire__strdup(scratch.ptr);
  quire_buf_dispose(&scratch);
  if (!fitted) {
    quire__layout_fail(L, QUIRE_ENOMEM);
    return;
  }
  free(*text);
  *text = fitted;
}

int quire__layout_finish(quire__layout *L, const quire__furniture *f,
                         const quire__doc_meta *m) {
  S_finish_pages(L);
  S_resolve_refs(L);
  L->footer = S_dup(L, f->footer ? f->footer : "");
  L->header = S_dup(L, f->header);
  L->fsize = f->size;
  L->ftext = f->text;
  L->frule = f->rule;
  S_fit_line(L, &L->header, L->cw);
  S_fit_line(L, &L->footer, L->cw * 0.7);
  const char *v[6] = {m->title,   m->author,     m->subject,
                      m->creator, m->created_at, m->lang};
  for (int i = 0; i < 6; i++)
    L->meta[i] = S_dup(L, v[i]);
  return L->err;
}

int quire__layout_page_count(const quire__layout *L) { return L->npages; }

void quire__layout_meta(const quire__layout *L, quire__doc_meta *m) {
  memset(m, 0, sizeof *m);
  m->title = L->meta[0];
  m->author = L->meta[1];
  m->subject = L->meta[2];
  m->creator = L->meta[3];
  m->created_at = L->meta[4];
  m->lang = L->meta[5];
}

/* ---- painting ---- */

static void S_furniture_text(const quire__layout *L, const quire__backend *be,
                             const char *text, double x, double y, double w,
                             quire__align align) {
  quire__run r;
  memset(&r, 0, sizeof r);
  r.text = text;
  r.len = strlen(text);
  r.role = QUIRE__FONT_BODY;
  r.size = L->fsize;
  r.color = L->ftext;
  quire__para_spec spec = {.runs = &r,
                           .nruns = 1,
                           .width = w,
                           .line_height = L->fsize * 1.3,
                           .align = align};
  quire__para *p;
  if (be->para_new(be->self, &p, &spec) == 0) {
    be->para_paint(be->self, p, 0, 1, x, y);
    be->para_free(be->self, p);
  }
}

/* Header (pages after the first) and footer with "3 / 7". */
static void S_furniture(const quire__layout *L, const quire__backend *be,
                        int page) {
  double fy = L->ph - L->margin * 0.62;
  be->line(be->self, L->left, fy - 6, L->left + L->cw, fy - 6, 0.5, L->frule);
  char num[32];
  snprintf(num, sizeof num, "%d / %d", page + 1, L->npages);
  S_furniture_text(L, be, L->footer, L->left, fy, L->cw * 0.7,
                   QUIRE__ALIGN_LEFT);
  S_furniture_text(L, be, num, L->left + L->cw * 0.7, fy, L->cw * 0.3,
                   QUIRE__ALIGN_RIGHT);
  if (page > 0 && L->header) {
    double hy = L->margin * 0.5;
    S_furniture_text(L, be, L->header, L->left, hy, L->cw, QUIRE__ALIGN_LEFT);
    double ry = hy + L->fsize * 1.3 + 3;
    be->line(be->self, L->left, ry, L->left + L->cw, ry, 0.5, L->frule);
  }
}

/* Structure tags reach the engine properly nested whatever the layout did
 * with them (a box cut across pages, a zero-height box never placed): an
 * end closes the innermost open tag of its name and everything inside it,
 * an end with none open is dropped, and what is still open when the
 * document ends is closed then. */
#define S_TAG_DEPTH 32

typedef struct S_tags {
  const char *open[S_TAG_DEPTH];
  int n, skipped; /* skipped: begins past S_TAG_DEPTH, never sent */
} S_tags;

static void S_tag_paint(const quire__backend *be, S_tags *t, const S_op *o) {
  if (o->kind == OP_TAG_BEGIN) {
    if (t->n == S_TAG_DEPTH || t->skipped) {
      t->skipped++;
      return;
    }
    t->open[t->n++] = o->str;
    be->tag(be->self, o->str, 1);
    if (o->alt && be->tag_alt)
      be->tag_alt(be->self, o->alt);
    return;
  }
  if (t->skipped) {
    t->skipped--;
    return;
  }
  int k = t->n - 1;
  while (k >= 0 && strcmp(t->open[k], o->str) != 0)
    k--;
  if (k < 0)
    return;
  while (t->n > k)
    be->tag(be->self, t->open[--t->n], 0);
}

static void S_paint_op(const quire__layout *L, const quire__backend *be,
                       const S_op *o, int *parent, S_tags *tags) {
  switch (o->kind) {
  case OP_TAG_BEGIN:
  case OP_TAG_END:
    if (be->tag)
      S_tag_paint(be, tags, o);
    break;
  case OP_PARA:
    be->para_paint(be->self, L->paras[o->para].p, o->first, o->count, o->x,
                   o->y);
    break;
  case OP_RECT:
    be->rect(be->self, o->x, o->y, o->w, o->h, o->r, &o->paint);
    break;
  case OP_LINE:
    be->line(be->self, o->x, o->y, o->w, o->h, o->paint.stroke_width,
             o->paint.stroke);
    break;
  case OP_PATH:
    be->path(be->self, L->psegs + o->seg0, o->nseg, &o->paint);
    break;
  case OP_PAGEREF: {
    const S_outl *t = &L->outl[o->ref];
    be->para_paint(be->self, L->paras[o->para].p, o->first, o->count, o->x,
                   o->y);
    if (be->link_page)
      be->link_page(be->self, o->x, o->y, o->w, o->h, t->page, t->y);
    break;
  }
  case OP_LINK: be->link(be->self, o->x, o->y, o->w, o->h, o->str); break;
  case OP_OUTLINE: {
    int id = be->outline(be->self, o->level > 1 ? *parent : 0, o->str, o->y);
    if (o->level <= 1)
      *parent = id;
    break;
  }
  default: break;
  }
}

int quire__layout_paint(const quire__layout *L, const quire__backend *be,
                        int first, int count, quire_error *err) {
  if (first < 0 || count < 0 || first + count > L->npages)
    return quire__error_set(err, QUIRE_EINVAL, "pages %d..%d are outside 1..%d",
                            first + 1, first + count, L->npages);
  quire__doc_meta meta;
  quire__layout_meta(L, &meta);
  int rc = be->begin_document(be->self, &meta);
  size_t i = 0;
  int parent = 0;
  S_tags tags = {{0}, 0, 0};
  while (i < L->nplaced && L->placed[i].page < first)
    i++;
  for (int pg = first; !rc && pg < first + count; pg++) {
    rc = be->begin_page(be->self, pg, L->pw, L->ph);
    if (rc)
      break;
    for (; i < L->nplaced && L->placed[i].page == pg; i++)
      S_paint_op(L, be, &L->placed[i], &parent, &tags);
    S_furniture(L, be, pg);
    rc = be->end_page(be->self);
  }
  /* Also after a failure stopped the pages early: tags stay balanced. */
  while (be->tag && tags.n > 0)
    be->tag(be->self, tags.open[--tags.n], 0);
  int rc2 = be->end_document(be->self);
  if (!rc)
    rc = rc2;
  /* An engine that said what went wrong keeps its words. */
  if (rc && err && err->code == rc && err->message[0])
    return rc;
  if (rc)
    return quire__error_set(err, rc, "painting pages failed: %s",
                            quire_strerror(rc));
  return 0;
}
