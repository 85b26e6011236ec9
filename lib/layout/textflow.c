#include "layout/textflow.h"

#include <stdlib.h>
#include <string.h>

void quire__flow_init(quire__flow *f) {
  memset(f, 0, sizeof *f);
  quire_buf_init(&f->text, 0);
}

void quire__flow_clear(quire__flow *f) {
  quire_buf_clear(&f->text);
  f->nruns = 0;
  f->err = 0;
}

void quire__flow_dispose(quire__flow *f) {
  quire_buf_dispose(&f->text);
  free(f->runs);
  memset(f, 0, sizeof *f);
}

int quire__flow_empty(const quire__flow *f) { return f->text.size == 0; }

void quire__flow_add(quire__flow *f, const char *s, size_t len, unsigned style,
                     int link) {
  if (len == 0 || f->err)
    return;
  size_t off = f->text.size;
  if (quire_buf_put(&f->text, s, len)) {
    f->err = QUIRE_ENOMEM;
    return;
  }
  if (f->nruns) {
    quire__flow_run *last = &f->runs[f->nruns - 1];
    if (last->style == style && last->link == link &&
        last->off + last->len == off) {
      last->len += len;
      return;
    }
  }
  if (f->nruns == f->aruns) {
    size_t na = f->aruns ? f->aruns + f->aruns / 2 : 8;
    quire__flow_run *nr = quire__realloc(f->runs, na * sizeof *nr);
    if (!nr) {
      f->err = QUIRE_ENOMEM;
      return;
    }
    f->runs = nr;
    f->aruns = na;
  }
  quire__flow_run r = {off, len, style, link};
  f->runs[f->nruns++] = r;
}

/* Pieces a line or word holds before its list moves to the heap: most
 * lines are one or two runs, so most wraps allocate nothing. */
#define S_INLINE 16

/* A growable list of pieces: the line being filled and the pending word. */
typedef struct {
  quire__flow_piece *v; /* inl, or the heap once more are needed */
  size_t n, a, width;
  quire__flow_piece inl[S_INLINE];
} S_pieces;

static void S_pieces_init(S_pieces *p) {
  p->v = p->inl;
  p->n = 0;
  p->a = S_INLINE;
  p->width = 0;
}

static void S_pieces_dispose(S_pieces *p) {
  if (p->v != p->inl)
    free(p->v);
}

static int S_grow(S_pieces *p) {
  size_t na = p->a * 2;
  quire__flow_piece *nv;
  if (p->v == p->inl) {
    nv = quire__malloc(na * sizeof *nv);
    if (nv)
      memcpy(nv, p->inl, sizeof p->inl);
  } else {
    nv = quire__realloc(p->v, na * sizeof *nv);
  }
  if (!nv)
    return QUIRE_ENOMEM;
  p->v = nv;
  p->a = na;
  return 0;
}

static inline int S_push(S_pieces *p, size_t run, size_t off, size_t len,
                         size_t width) {
  p->width += width;
  if (p->n && p->v[p->n - 1].run == run &&
      p->v[p->n - 1].off + p->v[p->n - 1].len == off) {
    p->v[p->n - 1].len += len;
    p->v[p->n - 1].width += width;
    return 0;
  }
  if (p->n == p->a && S_grow(p)) {
    p->width -= width;
    return QUIRE_ENOMEM;
  }
  quire__flow_piece pc = {run, off, len, width};
  p->v[p->n++] = pc;
  return 0;
}

typedef struct {
  const quire__flow *f;
  size_t width;
  quire__measure_fn measure;
  void *mp;
  quire__line_fn fn;
  void *lp;
  S_pieces line, word;
  int space; /* a break opportunity precedes the word */
  size_t space_run, space_off;
  int ascii; /* QUIRE__FLOW_ASCII_CELLS */
  int rc;
} S_wrap;

static void S_emit(S_wrap *w) {
  if (!w->rc)
    w->rc = w->fn(w->lp, w->f, w->line.v, w->line.n, w->line.width);
  w->line.n = 0;
  w->line.width = 0;
}

/* Length of the cluster at s: one code point and the zero-width ones that
 * follow it (combining marks, variation selectors, ZWJ). */
static size_t S_cluster(const char *s, size_t len) {
  int32_t cp;
  int n = quire__utf8_decode(s, len, &cp);
  size_t i = n < 0 ? 1 : (size_t)n;
  while (i < len) {
    n = quire__utf8_decode(s + i, len - i, &cp);
    if (n < 0 || cp < 0x300 || quire__cp_width(cp) != 0)
      break;
    i += (size_t)n;
  }
  return i;
}

/* Places the pending word, breaking it between clusters if it is wider
 * than a whole line. */
static void S_flush_word(S_wrap *w) {
  if (w->word.n == 0)
    return;
  if (w->line.n) {
    size_t need = w->line.width + (w->space ? 1 : 0) + w->word.width;
    if (need <= w->width) {
      if (w->space) {
        const quire__flow_run *r = &w->f->runs[w->space_run];
        const char *sp = w->f->text.ptr + w->space_off;
        size_t sw = w->ascii ? *sp == ' ' /* a tab is a control: 0 */
                             : w->measure(sp, 1, r->style, w->mp);
        if (S_push(&w->line, w->space_run, w->space_off, 1, sw))
          w->rc = QUIRE_ENOMEM;
      }
      for (size_t i = 0; i < w->word.n; i++) {
        quire__flow_piece *p = &w->word.v[i];
        if (S_push(&w->line, p->run, p->off, p->len, p->width))
          w->rc = QUIRE_ENOMEM;
      }
      goto done;
    }
    S_emit(w);
  }
  if (w->word.width <= w->width) {
    for (size_t i = 0; i < w->word.n; i++) {
      quire__flow_piece *p = &w->word.v[i];
      if (S_push(&w->line, p->run, p->off, p->len, p->width))
        w->rc = QUIRE_ENOMEM;
    }
    goto done;
  }
  for (size_t i = 0; i < w->word.n; i++) {
    quire__flow_piece *p = &w->word.v[i];
    const quire__flow_run *r = &w->f->runs[p->run];
    size_t j = 0;
    while (j < p->len) {
      const char *s = w->f->text.ptr + p->off + j;
      size_t cl = S_cluster(s, p->len - j);
      size_t cw = w->measure(s, cl, r->style, w->mp);
      if (w->line.n && w->line.width + cw > w->width)
        S_emit(w);
      if (S_push(&w->line, p->run, p->off + j, cl, cw))
        w->rc = QUIRE_ENOMEM;
      j += cl;
    }
  }
done:
  w->word.n = 0;
  w->word.width = 0;
  w->space = 0;
}

/* What a byte does to a word: S_WIDE and S_ZERO ones belong to it (one
 * column, none, under QUIRE__FLOW_ASCII_CELLS); S_MORE (not ASCII) leaves
 * the word's width to the measure callback; S_STOP ends the word. */
enum { S_ZERO, S_WIDE, S_MORE, S_STOP };

static inline int S_class(unsigned char b, int pre) {
  if (b > 0x20 && b < 0x7F)
    return S_WIDE;
  if (b >= 0x80)
    return S_MORE;
  if (b == ' ')
    return pre ? S_WIDE : S_STOP;
  if (b == '\n' || (b == '\t' && !pre))
    return S_STOP;
  return S_ZERO;
}

int quire__flow_wrap(const quire__flow *f, size_t width, unsigned flags,
                     quire__measure_fn measure, void *mpayload,
                     quire__line_fn fn, void *lpayload) {
  if (f->err)
    return f->err;
  S_wrap w; /* not memset: the inline piece arrays need no zeroing */
  S_pieces_init(&w.line);
  S_pieces_init(&w.word);
  w.space = 0;
  w.space_run = w.space_off = 0;
  w.rc = 0;
  w.ascii = (flags & QUIRE__FLOW_ASCII_CELLS) != 0;
  w.f = f;
  w.width = width ? width : 1;
  w.measure = measure;
  w.mp = mpayload;
  w.fn = fn;
  w.lp = lpayload;
  int pre = (flags & QUIRE__FLOW_PRE) != 0;
  for (size_t r = 0; r < f->nruns && !w.rc; r++) {
    const char *t = f->text.ptr + f->runs[r].off;
    size_t len = f->runs[r].len, i = 0;
    while (i < len && !w.rc) {
      char c = t[i];
      if (c == '\n') {
        S_flush_word(&w);
        S_emit(&w);
        i++;
        continue;
      }
      if (!pre && (c == ' ' || c == '\t')) {
        S_flush_word(&w);
        if (!w.space) {
          w.space = 1;
          w.space_run = r;
          w.space_off = f->runs[r].off + i;
        }
        i++;
        continue;
      }
      size_t j = i, pw = 0;
      const unsigned char *u = (const unsigned char *)t;
      int k = S_ZERO;
      while (j < len && (k = S_class(u[j], pre)) <= S_WIDE) {
        pw += (size_t)k;
        j++;
      }
      if (k == S_MORE || !w.ascii) {
        while (j < len && S_class(u[j], pre) != S_STOP)
          j++;
        pw = measure(t + i, j - i, f->runs[r].style, mpayload);
      }
      if (S_push(&w.word, r, f->runs[r].off + i, j - i, pw))
        w.rc = QUIRE_ENOMEM;
      i = j;
    }
  }
  S_flush_word(&w);
  if (w.line.n)
    S_emit(&w);
  S_pieces_dispose(&w.line);
  S_pieces_dispose(&w.word);
  return w.rc;
}

void quire__flow_extent(const quire__flow *f, quire__measure_fn measure,
                        void *mpayload, size_t *natural, size_t *word) {
  size_t line = 0, cur = 0, best = 0, wbest = 0;
  int space = 0;
  for (size_t r = 0; r < f->nruns; r++) {
    const char *t = f->text.ptr + f->runs[r].off;
    size_t len = f->runs[r].len, i = 0;
    while (i < len) {
      char c = t[i];
      if (c == '\n' || c == ' ' || c == '\t') {
        if (cur > wbest)
          wbest = cur;
        if (cur)
          space = 1;
        cur = 0;
        if (c == '\n') {
          if (line > best)
            best = line;
          line = 0;
          space = 0;
        }
        i++;
        continue;
      }
      size_t j = i;
      while (j < len && t[j] != '\n' && t[j] != ' ' && t[j] != '\t')
        j++;
      size_t pw = measure(t + i, j - i, f->runs[r].style, mpayload);
      if (space && line)
        line++;
      space = 0;
      line += pw;
      cur += pw;
      i = j;
    }
  }
  if (cur > wbest)
    wbest = cur;
  if (line > best)
    best = line;
  *natural = best;
  *word = wbest;
}

static void S_copy(char *dst, const char *src) {
  size_t n = strlen(src);
  if (n >= QUIRE__PREFIX_LEN)
    n = QUIRE__PREFIX_LEN - 1;
  memcpy(dst, src, n);
  dst[n] = '\0';
}

void quire__prefix_push(quire__prefixes *p, const char *first, const char *rest,
                        unsigned style, size_t width) {
  if (p->depth < QUIRE__PREFIX_MAX) {
    quire__prefix *e = &p->v[p->depth];
    S_copy(e->first, first);
    S_copy(e->rest, rest);
    e->style = style;
    e->width = width;
    e->used = 0;
  }
  p->depth++;
}

void quire__prefix_truncate(quire__prefixes *p, size_t depth) {
  if (depth < p->depth)
    p->depth = depth;
}

size_t quire__prefix_fit(const quire__prefixes *p, size_t base, size_t limit,
                         size_t *count) {
  size_t top = p->depth < QUIRE__PREFIX_MAX ? p->depth : QUIRE__PREFIX_MAX;
  size_t w = 0, n = 0;
  for (size_t i = base; i < top; i++) {
    if (w + p->v[i].width > limit)
      break;
    w += p->v[i].width;
    n++;
  }
  *count = n;
  return w;
}
