/* Terminal text: one walk over the model (S_render_node), lines wrapped by
 * lib/layout/textflow with display-column measuring, styles from the
 * template's theme through ansi.c, and every report string through
 * the text policy (safety/text_policy.h) before any escape sequence of ours is
 * added.
 *
 * Output is built line by line. Lines of the document go straight to the
 * sink; cards collect their lines in a frame so they can be boxed, and a
 * grid puts the boxed cards side by side. Every styled piece opens and
 * closes its own SGR, so a line can be padded and placed next to another
 * without styles leaking. */
#include "render/render.h"

#include "layout/textflow.h"
#include "present/present.h"
#include "render/ansi.h"
#include "safety/text_policy.h"
#include "template/theme.h"

#include <stdlib.h>
#include <string.h>

/* Style ids handed to textflow: a role in the low byte, attributes above. */
enum {
  R_TEXT = 0,
  R_TITLE,  /* document title */
  R_META,   /* secondary text: header details, footer labels */
  R_HEAD,   /* section / block headings */
  R_SUB,    /* text-block titles, h4-h6 */
  R_RULE,   /* the header rule */
  R_BORDER, /* boxes, tables, horizontal rules */
  R_ICON,   /* card glyphs */
  R_NUM,    /* list and action numbers, bullets */
  R_CHIP0,  /* trait phrases: R_CHIP0 + i */
  R_CHIP1,
  R_CHIP2,
  R_CODE,   /* code blocks */
  R_QUOTE,  /* the block-quote bar */
  R_ILLUS0, /* illustration glyphs: R_ILLUS0 + i */
  R_ILLUS1,
  R_ILLUS2,
  R_ILLUS3,
  R_ROLES
};
#define A_BOLD (1u << 8)
#define A_ITALIC (1u << 9)
#define A_STRIKE (1u << 10)
#define A_CODE (1u << 11)
#define A_LINK (1u << 12)

#define S_FLUSH_AT 32768
#define S_MAX_FRAMES 8
#define S_MAX_LISTS 64
#define S_MAX_LINKS 16
#define S_GRID_GAP 2
#define S_GRID_MIN 24  /* narrower boxes stop being readable: stack them */
#define S_LABEL_MAX 22 /* the widest label column of "Label  value" rows */

/* Each field of the report that shares a line with other text (a label
 * and its value, a table cell, a chip, a card's line beside the next
 * card) is its own bidi isolate: FSI (U+2068) ... PDI (U+2069), zero
 * columns wide. A right-to-left value, or one that held U+202E before the
 * text policy dropped it, then never reorders the separator or the next
 * field. A terminal line is a paragraph of its own, so isolates are
 * balanced on every line (S_pieces_iso). */
#define S_FSI "\xE2\x81\xA8"
#define S_PDI "\xE2\x81\xA9"

/* Finished lines of a frame: bytes with their SGR, and display widths. */
typedef struct {
  size_t off, len, width;
} S_line;

typedef struct {
  quire_buf buf;
  S_line *v;
  size_t n, a;
} S_lines;

typedef struct {
  int boxed;    /* a card: lines are kept for the box */
  size_t width; /* columns available to content */
  size_t pbase; /* prefix entries below this belong to parents */
  S_lines lines;
  int blank;              /* a blank line is due before the next line */
  int started;            /* something was written */
  const quire_node *node; /* the card that owns the frame */
} S_frame;

typedef struct {
  int ordered;
  int next; /* number of the next item */
  int numw; /* digits of the largest number */
  int tight;
} S_list;

typedef struct {
  const quire_node *node;
  int ncols;
  quire__flow *cells;    /* row-major, ncols per row */
  unsigned char *header; /* per row */
  size_t nrows, arows;
  int row_cells; /* cells seen in the current row */
} S_table;

typedef struct {
  const quire_node *node;
  size_t cols, boxw; /* boxes per row and their outer width */
  S_lines *cards;
  size_t n, a;
} S_grid;

typedef struct {
  const quire_doc *doc;
  const quire__present *pres;
  const quire_render_options *opts;
  quire_color color;
  int ascii, links; /* QUIRE_RENDER_ASCII; OSC 8 allowed */
  quire__theme theme;
  quire__out out;
  quire_buf obuf;    /* root lines waiting for the sink */
  quire_buf scratch; /* the line being assembled */
  quire_buf tmp;     /* sanitized text on its way into a flow */
  quire__prefixes prefixes;
  S_frame frames[S_MAX_FRAMES];
  size_t nframes;
  quire__flow flow;         /* the paragraph or heading being collected */
  quire__flow *cur;         /* where inlines go: &flow, a table cell, or NULL */
  unsigned role;            /* role of the block collecting inlines */
  int bold, italic, strike; /* inline nesting counters */
  int link_stack[S_MAX_LINKS];
  size_t link_depth;
  size_t link_text_start; /* flow offset where the innermost link began */
  const char **urls;      /* link ids -> URLs (borrowed from the doc) */
  size_t nurls, aurls;
  S_list lists[S_MAX_LISTS];
  size_t nlists;
  int action_no, action_w;
  S_table table;
  S_grid grid;
  size_t maxw;   /* widest line of the last wrap */
  int iso_carry; /* isolates open at the end of the last wrapped line */
  int err;
} S_ctx;

/* ------------------------------------------------------------------ */
/* Styles                                                               */
/* ------------------------------------------------------------------ */

static quire__ansi_color S_col(quire__rgb c, int idx16) {
  quire__ansi_color a = {1, c.r, c.g, c.b, (signed char)idx16};
  return a;
}

static quire__sgr S_style(const S_ctx *c, unsigned style) {
  const quire__theme *t = &c->theme;
  quire__sgr s;
  memset(&s, 0, sizeof s);
  unsigned role = style & 0xff;
  switch (role) {
  case R_TITLE:
  case R_HEAD:
    s.attrs = QUIRE__SGR_BOLD;
    s.fg = S_col(t->accent, t->term_accent16);
    break;
  case R_SUB: s.attrs = QUIRE__SGR_BOLD; break;
  case R_META:
  case R_BORDER:
  case R_QUOTE: s.fg = S_col(t->muted, t->term_muted16); break;
  case R_RULE: s.fg = S_col(t->accent, t->term_accent16); break;
  case R_ICON:
  case R_NUM:
    s.attrs = QUIRE__SGR_BOLD;
    s.fg = S_col(t->accent, t->term_accent16);
    break;
  case R_CHIP0:
  case R_CHIP1:
  case R_CHIP2: {
    quire__rgb white = {255, 255, 255};
    s.attrs = QUIRE__SGR_BOLD;
    s.fg = S_col(white, 15);
    s.bg = S_col(t->chips[role - R_CHIP0], t->term_chip16[role - R_CHIP0]);
    break;
  }
  case R_CODE: style |= A_CODE; break;
  case R_ILLUS0:
  case R_ILLUS1:
  case R_ILLUS2:
  case R_ILLUS3: s.fg = S_col(t->illus[role - R_ILLUS0], -1); break;
  default: break;
  }
  if (style & A_BOLD)
    s.attrs |= QUIRE__SGR_BOLD;
  if (style & A_ITALIC)
    s.attrs |= QUIRE__SGR_ITALIC;
  if (style & A_STRIKE)
    s.attrs |= QUIRE__SGR_STRIKE;
  if (style & A_CODE) {
    /* Both colours set, so code reads the same on dark and light
     * terminals. */
    s.fg = S_col(t->ink, 0);
    s.bg = S_col(t->code_bg, 7);
  }
  if (style & A_LINK) {
    s.attrs |= QUIRE__SGR_UNDERLINE;
    s.fg = S_col(t->link, t->term_accent16);
  }
  return s;
}

/* Display columns, whatever the style: ASCII as QUIRE__FLOW_ASCII_CELLS
 * says, so every wrap here passes that flag. */
static size_t S_measure(const char *s, size_t len, unsigned style,
                        void *payload) {
  (void)style;
  (void)payload;
  return quire_text_width(s, len);
}

/* Appends text in a style to b, with its own SGR and reset. */
static void S_styled(S_ctx *c, quire_buf *b, const char *s, size_t len,
                     unsigned style, int link) {
  if (!len)
    return;
  quire__sgr sgr = S_style(c, style);
  quire__ansi_sgr(b, c->color, &sgr);
  int osc = link >= 0 && c->links && (size_t)link < c->nurls &&
            quire__ansi_link_ok(c->urls[link]);
  if (osc)
    quire__ansi_link_open(b, c->urls[link], (unsigned)link);
  quire_buf_put(b, s, len);
  if (osc)
    quire__ansi_link_close(b);
  if (c->color != QUIRE_COLOR_NONE && (sgr.attrs || sgr.fg.set || sgr.bg.set))
    quire__ansi_reset(b, c->color);
}

static void S_styled_str(S_ctx *c, quire_buf *b, const char *s,
                         unsigned style) {
  S_styled(c, b, s, strlen(s), style, -1);
}

/* n spaces: padding is most of a box's or a table's bytes, so it goes in
 * a few copies rather than a call per column. */
static void S_spaces(quire_buf *b, size_t n) {
  static const char sp[] = "                                "
                           "                                ";
  while (n) {
    size_t k = n < sizeof sp - 1 ? n : sizeof sp - 1;
    quire_buf_put(b, sp, k);
    n -= k;
  }
}

/* A glyph (one UTF-8 character) n times, for rules and borders. */
static void S_repeat(quire_buf *b, const char *g, size_t n) {
  char chunk[128];
  size_t gl = strlen(g), per = gl && gl <= sizeof chunk ? sizeof chunk / gl : 1;
  if (!gl)
    return;
  if (gl > sizeof chunk) {
    for (size_t i = 0; i < n; i++)
      quire_buf_put(b, g, gl);
    return;
  }
  for (size_t i = 0; i < per; i++)
    memcpy(chunk + i * gl, g, gl);
  while (n) {
    size_t k = n < per ? n : per;
    quire_buf_put(b, chunk, k * gl);
    n -= k;
  }
}

/* ------------------------------------------------------------------ */
/* Lines and frames                                                     */
/* ------------------------------------------------------------------ */

static void S_lines_dispose(S_lines *l) {
  quire_buf_dispose(&l->buf);
  free(l->v);
  memset(l, 0, sizeof *l);
}

static void S_lines_add(S_ctx *c, S_lines *l, const char *s, size_t len,
                        size_t width) {
  if (l->n == l->a) {
    size_t na = l->a ? l->a * 2 : 16;
    S_line *nv = quire__realloc(l->v, na * sizeof *nv);
    if (!nv) {
      c->err = QUIRE_ENOMEM;
      return;
    }
    l->v = nv;
    l->a = na;
  }
  S_line ln = {l->buf.size, len, width};
  quire_buf_put(&l->buf, s, len);
  l->v[l->n++] = ln;
}

static S_frame *S_top(S_ctx *c) { return &c->frames[c->nframes - 1]; }

static void S_flush_out(S_ctx *c) {
  quire__out_write(&c->out, c->obuf.ptr, c->obuf.size);
  quire_buf_clear(&c->obuf);
}

/* A finished line into the current frame. */
static void S_put(S_ctx *c, const char *s, size_t len, size_t width) {
  S_frame *f = S_top(c);
  f->started = 1;
  if (f->boxed) {
    S_lines_add(c, &f->lines, s, len, width);
    return;
  }
  quire_buf_put(&c->obuf, s, len);
  quire_buf_putc(&c->obuf, '\n');
  if (c->obuf.size >= S_FLUSH_AT)
    S_flush_out(c);
}

/* Columns text keeps however deep the nesting: past this, prefixes stop
 * indenting rather than squeezing the text. */
static size_t S_min_text(size_t width) {
  size_t m = width / 2;
  if (m > 24)
    m = 24;
  if (m < 10)
    m = width < 10 ? width : 10;
  return m;
}

static size_t S_prefix_width(S_ctx *c, size_t *count) {
  S_frame *f = S_top(c);
  return quire__prefix_fit(&c->prefixes, f->pbase,
                           f->width - S_min_text(f->width), count);
}

static size_t S_avail(S_ctx *c) {
  size_t n;
  return S_top(c)->width - S_prefix_width(c, &n);
}

/* Writes the due blank line, with the prefixes' bars but no trailing
 * spaces. */
static void S_blank_if_due(S_ctx *c) {
  S_frame *f = S_top(c);
  if (!f->blank)
    return;
  f->blank = 0;
  if (!f->started)
    return;
  size_t n, last = 0, width = 0;
  S_prefix_width(c, &n);
  for (size_t i = 0; i < n; i++) {
    const char *r = c->prefixes.v[f->pbase + i].rest;
    size_t k = strlen(r);
    while (k && r[k - 1] == ' ')
      k--;
    if (k)
      last = i + 1;
  }
  quire_buf_clear(&c->scratch);
  for (size_t i = 0; i < last; i++) {
    const quire__prefix *p = &c->prefixes.v[f->pbase + i];
    size_t k = strlen(p->rest);
    if (i + 1 == last)
      while (k && p->rest[k - 1] == ' ')
        k--;
    S_styled(c, &c->scratch, p->rest, k, p->style, -1);
    width += quire_text_width(p->rest, k);
  }
  S_put(c, c->scratch.ptr, c->scratch.size, width);
}

/* Starts a line in scratch: the due blank line, then the prefixes. Returns
 * the prefixes' width. */
static size_t S_line_begin(S_ctx *c) {
  S_blank_if_due(c);
  S_frame *f = S_top(c);
  size_t n, w = S_prefix_width(c, &n);
  quire_buf_clear(&c->scratch);
  for (size_t i = 0; i < n; i++) {
    quire__prefix *p = &c->prefixes.v[f->pbase + i];
    S_styled_str(c, &c->scratch, p->used ? p->rest : p->first, p->style);
    p->used = 1;
  }
  return w;
}

/* A preformatted line (already styled, width known) under the prefixes. */
static void S_raw_line(S_ctx *c, const char *s, size_t len, size_t width) {
  size_t pw = S_line_begin(c);
  quire_buf_put(&c->scratch, s, len);
  S_put(c, c->scratch.ptr, c->scratch.size, pw + width);
}

static void S_want_blank(S_ctx *c) { S_top(c)->blank = 1; }

static int S_push_frame(S_ctx *c, size_t width) {
  if (c->nframes >= S_MAX_FRAMES)
    return -1;
  S_frame *f = &c->frames[c->nframes++];
  memset(f, 0, sizeof *f);
  f->boxed = 1;
  f->width = width;
  f->pbase = c->prefixes.depth;
  quire_buf_init(&f->lines.buf, 0);
  return 0;
}

/* ------------------------------------------------------------------ */
/* Flows                                                                */
/* ------------------------------------------------------------------ */

/* Report text into a flow: sanitized first, always. */
static void S_add(S_ctx *c, quire__flow *fl, const char *s, size_t len,
                  unsigned style, int link) {
  if (!s || !fl)
    return;
  quire_buf_clear(&c->tmp);
  quire__text_clean(&c->tmp, s, len, 0);
  quire__flow_add(fl, c->tmp.ptr, c->tmp.size, style, link);
}

/* One field of a line of several (the byline's values): cleaned, then its
 * own bidi isolate (FSI ... PDI, zero columns wide), so a right-to-left
 * name never carries the separator and the next field along with it. */
static void S_add_field_link(S_ctx *c, quire__flow *fl, const char *s,
                             unsigned style, int link) {
  if (!s || !fl)
    return;
  quire_buf_clear(&c->tmp);
  quire__text_field(&c->tmp, s, strlen(s), 0);
  quire__flow_add(fl, c->tmp.ptr, c->tmp.size, style, link);
}

static void S_add_field(S_ctx *c, quire__flow *fl, const char *s,
                        unsigned style) {
  S_add_field_link(c, fl, s, style, -1);
}

static void S_add_str(S_ctx *c, quire__flow *fl, const char *s,
                      unsigned style) {
  if (s)
    S_add(c, fl, s, strlen(s), style, -1);
}

/* Isolates our own text opens (+1) and closes (-1) in s; report text
 * holds none (the text policy drops them). */
static int S_iso_delta(const char *s, size_t len) {
  int d = 0;
  for (size_t i = 0; i + 2 < len; i++)
    if ((unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x81) {
      if ((unsigned char)s[i + 2] == 0xA8)
        d++;
      else if ((unsigned char)s[i + 2] == 0xA9 && d > -1000)
        d--;
    }
  return d;
}

/* Renders pieces of a wrapped line into b; returns their width. A field
 * wrapped over several lines is isolated on each of them: the isolates
 * *carry left open by the line before are reopened first, and those this
 * line leaves open are closed at its end (and carried on). */
static size_t S_pieces(S_ctx *c, quire_buf *b, const quire__flow *fl,
                       const quire__flow_piece *p, size_t n, int *carry) {
  size_t w = 0;
  int depth = *carry;
  for (int i = 0; i < depth; i++)
    quire_buf_puts(b, S_FSI);
  for (size_t i = 0; i < n; i++) {
    const quire__flow_run *r = &fl->runs[p[i].run];
    S_styled(c, b, fl->text.ptr + p[i].off, p[i].len, r->style, r->link);
    depth += S_iso_delta(fl->text.ptr + p[i].off, p[i].len);
    w += p[i].width;
  }
  if (depth < 0)
    depth = 0;
  for (int i = 0; i < depth; i++)
    quire_buf_puts(b, S_PDI);
  *carry = depth;
  return w;
}

static int S_line_cb(void *payload, const quire__flow *fl,
                     const quire__flow_piece *p, size_t n, size_t width) {
  S_ctx *c = payload;
  size_t pw = S_line_begin(c);
  S_pieces(c, &c->scratch, fl, p, n, &c->iso_carry);
  if (width > c->maxw)
    c->maxw = width;
  S_put(c, c->scratch.ptr, c->scratch.size, pw + width);
  return c->err;
}

/* Wraps a flow under the current prefixes and empties it. */
static void S_emit_flow(S_ctx *c, quire__flow *fl, unsigned flags) {
  c->maxw = 0;
  c->iso_carry = 0;
  if (!quire__flow_empty(fl) || fl->err) {
    int rc = quire__flow_wrap(fl, S_avail(c), flags | QUIRE__FLOW_ASCII_CELLS,
                              S_measure, NULL, S_line_cb, c);
    if (rc && !c->err)
      c->err = rc;
  }
  quire__flow_clear(fl);
}

/* A rule under a heading as wide as the heading's widest line. */
static void S_underline(S_ctx *c, const char *glyph, size_t width,
                        unsigned style) {
  size_t avail = S_avail(c);
  if (width > avail)
    width = avail;
  quire_buf line = QUIRE_BUF_INIT;
  S_repeat(&line, glyph, width);
  quire_buf_clear(&c->tmp);
  S_styled(c, &c->tmp, line.ptr, line.size, style, -1);
  quire_buf_dispose(&line);
  S_raw_line(c, c->tmp.ptr, c->tmp.size, width);
}

static const char *S_g(const S_ctx *c, const char *uni, const char *asc) {
  return c->ascii ? asc : uni;
}

/* A block heading from a title string. level 1: underlined heading,
 * 2: bold heading, 3: sub-heading. */
static void S_heading(S_ctx *c, const char *title, int level) {
  if (!title)
    return;
  S_want_blank(c);
  S_add_field(c, &c->flow, title, level == 3 ? R_SUB : R_HEAD);
  S_emit_flow(c, &c->flow, 0);
  if (level == 1)
    S_underline(c, S_g(c, "\xe2\x94\x80", "-"), c->maxw, R_RULE);
}

/* ------------------------------------------------------------------ */
/* Header and footer                                                    */
/* ------------------------------------------------------------------ */

static void S_header(S_ctx *c) {
  const quire__present *p = c->pres;
  if (quire__present_kicker(p)) {
    S_add_field(c, &c->flow, quire__present_kicker(p), R_META | A_BOLD);
    S_emit_flow(c, &c->flow, 0);
  }
  S_add_field(c, &c->flow, quire__present_title(p), R_TITLE);
  S_emit_flow(c, &c->flow, 0);

  const char *sep = S_g(c, " \xc2\xb7 ", " | ");
  int labelled = quire__present_byline_labelled(p);
  for (size_t i = 0; i < quire__present_byline_count(p); i++) {
    const quire__field *f = quire__present_byline(p, i);
    if (i)
      S_add_str(c, &c->flow, sep, R_META);
    if (labelled && f->label) {
      S_add_str(c, &c->flow, f->label, R_META);
      S_add_str(c, &c->flow, ":\xc2\xa0",
                R_META); /* label and value together */
    }
    S_add_field(c, &c->flow, f->value, R_META | (i == 0 ? A_BOLD : 0));
  }
  S_emit_flow(c, &c->flow, 0);
  S_underline(c, S_g(c, "\xe2\x94\x81", "="), S_avail(c), R_RULE);
  if (quire__present_summary(p)) {
    S_want_blank(c);
    S_add_str(c, &c->flow, quire__present_summary_title(p), R_SUB);
    S_emit_flow(c, &c->flow, 0);
    S_add_field(c, &c->flow, quire__present_summary(p), R_TEXT | A_ITALIC);
    S_emit_flow(c, &c->flow, 0);
  }
  S_want_blank(c); /* whatever block comes first stands clear of the header */
}

/* Registers url for OSC 8 and returns its id, or -1 (c->err set when out
 * of memory, or past 2^30 links). */
static int S_url_id(S_ctx *c, const char *url) {
  if (c->nurls >= (size_t)1 << 30)
    return -1;
  if (c->nurls == c->aurls) {
    size_t na = c->aurls ? c->aurls * 2 : 16;
    const char **nu = quire__realloc(c->urls, na * sizeof *nu);
    if (!nu) {
      c->err = QUIRE_ENOMEM;
      return -1;
    }
    c->urls = nu;
    c->aurls = na;
  }
  c->urls[c->nurls] = url;
  return (int)c->nurls++;
}

/* The label column for a set of rows: as wide as the widest label, within
 * bounds; a label that does not fit stands on a line of its own. */
static size_t S_label_width(S_ctx *c, size_t widest) {
  size_t avail = S_avail(c);
  size_t lw = widest + 2;
  if (lw < 12)
    lw = 12;
  if (lw > S_LABEL_MAX)
    lw = S_LABEL_MAX;
  if (avail < 40)
    return 0;
  return lw;
}

/* One "Label     value" row: aligned in a column of lw when there is
 * room (lw > 0), else the label over the value. */
static void S_field(S_ctx *c, const char *label, const char *value, int is_url,
                    size_t lw, unsigned label_style) {
  if (!value)
    return;
  int link = -1;
  if (is_url && c->links && quire__ansi_link_ok(value) &&
      (link = S_url_id(c, value)) < 0 && c->err)
    return;
  quire_buf_clear(&c->tmp);
  quire__text_field(&c->tmp, label, strlen(label), 0);
  size_t w = quire_text_width(c->tmp.ptr, c->tmp.size);
  if (lw && w + 1 < lw && lw <= S_LABEL_MAX) {
    char pad[QUIRE__PREFIX_LEN], blank[QUIRE__PREFIX_LEN];
    if (c->tmp.size + (lw - w) >= sizeof pad) {
      lw = 0;
    } else {
      memcpy(pad, c->tmp.ptr, c->tmp.size);
      memset(pad + c->tmp.size, ' ', lw - w);
      pad[c->tmp.size + lw - w] = '\0';
      memset(blank, ' ', lw);
      blank[lw] = '\0';
      size_t depth = c->prefixes.depth;
      quire__prefix_push(&c->prefixes, pad, blank, label_style, lw);
      S_add_field_link(c, &c->flow, value, link >= 0 ? A_LINK : R_TEXT, link);
      S_emit_flow(c, &c->flow, 0);
      quire__prefix_truncate(&c->prefixes, depth);
      return;
    }
  }
  S_add_field(c, &c->flow, label, label_style);
  S_emit_flow(c, &c->flow, 0);
  size_t depth = c->prefixes.depth;
  if (lw) {
    char blank[QUIRE__PREFIX_LEN];
    memset(blank, ' ', lw);
    blank[lw] = '\0';
    quire__prefix_push(&c->prefixes, blank, blank, R_TEXT, lw);
  }
  S_add_field_link(c, &c->flow, value, link >= 0 ? A_LINK : R_TEXT, link);
  S_emit_flow(c, &c->flow, 0);
  quire__prefix_truncate(&c->prefixes, depth);
}

static size_t S_text_width(S_ctx *c, const char *s) {
  quire_buf_clear(&c->tmp);
  quire__text_clean(&c->tmp, s, strlen(s), 0);
  return quire_text_width(c->tmp.ptr, c->tmp.size);
}

static void S_rows(S_ctx *c, const quire__field *rows, size_t n) {
  size_t widest = 0;
  for (size_t i = 0; i < n; i++) {
    size_t w = S_text_width(c, rows[i].label);
    if (w > widest && w + 2 <= S_LABEL_MAX)
      widest = w;
  }
  size_t lw = S_label_width(c, widest);
  for (size_t i = 0; i < n; i++)
    S_field(c, rows[i].label, rows[i].value, rows[i].url != NULL, lw, R_META);
}

/* Structured data (present/): rows of label and value, a heading row
 * over the rows of the next level, indented two columns a level. */
static void S_data(S_ctx *c, const quire__data *d) {
  size_t widest = 0; /* the labels of every level end in one column */
  for (size_t i = 0; i < d->n; i++) {
    size_t w = S_text_width(c, d->rows[i].label ? d->rows[i].label : "") +
               2 * (size_t)d->rows[i].level;
    if (d->rows[i].value && w > widest && w + 2 <= S_LABEL_MAX)
      widest = w;
  }
  size_t base = c->prefixes.depth;
  for (size_t i = 0; i < d->n; i++) {
    const quire__data_row *r = &d->rows[i];
    quire__prefix_truncate(&c->prefixes, base);
    for (int l = 0; l < r->level && l < 8; l++)
      quire__prefix_push(&c->prefixes, "  ", "  ", R_TEXT, 2);
    if (!r->value) {
      S_add_field(c, &c->flow, r->label ? r->label : "", R_SUB);
      S_emit_flow(c, &c->flow, 0);
      continue;
    }
    size_t lw = S_label_width(c, widest);
    size_t in = 2 * (size_t)(r->level < 8 ? r->level : 8);
    const char *value = r->value;
    quire_buf v = QUIRE_BUF_INIT;
    if (r->bar >= 0) {
      /* A score: its value, then a bar of ten cells. */
      int full = (int)(r->bar * 10 + 0.5);
      quire_buf_puts(&v, r->value);
      quire_buf_puts(&v, "  ");
      for (int k = 0; k < 10; k++)
        quire_buf_puts(&v, k < full ? S_g(c, "\xe2\x96\x88", "#")
                                    : S_g(c, "\xe2\x96\x91", "."));
      if (!quire_buf_failed(&v))
        value = v.ptr;
    }
    S_field(c, r->label ? r->label : "", value, 0, lw > in ? lw - in : 0,
            R_META);
    quire_buf_dispose(&v);
  }
  quire__prefix_truncate(&c->prefixes, base);
}

static void S_footer(S_ctx *c) {
  const quire__present *p = c->pres;
  S_want_blank(c);
  size_t avail = S_avail(c);
  S_underline(c, S_g(c, "\xe2\x94\x80", "-"), avail, R_BORDER);
  S_add_str(c, &c->flow, quire__present_about(p), R_SUB);
  S_emit_flow(c, &c->flow, 0);
  size_t nf = quire__present_field_count(p);
  quire__field *fields = quire__calloc(nf ? nf : 1, sizeof *fields);
  if (!fields) {
    c->err = QUIRE_ENOMEM;
    return;
  }
  for (size_t i = 0; i < nf; i++)
    fields[i] = *quire__present_field(p, i);
  S_rows(c, fields, nf);
  free(fields);
  /* The groups, order and labels every format uses (present/). */
  for (size_t g = 0; g < quire__present_fact_set_count(p); g++) {
    const quire__fact_set *s = quire__present_fact_set(p, g);
    S_want_blank(c);
    S_add_str(c, &c->flow, s->label, R_SUB);
    S_emit_flow(c, &c->flow, 0);
    S_rows(c, s->rows, s->n);
  }
}

/* ------------------------------------------------------------------ */
/* Report blocks                                                        */
/* ------------------------------------------------------------------ */

static const char *S_icon(const S_ctx *c, const char *name) {
  static const struct {
    const char *name, *glyph;
  } icons[] = {
      {"target", "\xe2\x97\x8e"}, /* ◎ */
      {"goal", "\xe2\x97\x8e"},
      {"chart", "\xe2\x96\xa4"}, /* ▤ */
      {"bar-chart", "\xe2\x96\xa4"},
      {"line-chart", "\xe2\x96\xa4"},
      {"analytics", "\xe2\x96\xa4"},
      {"users", "\xe2\x98\xba"}, /* ☺ */
      {"user", "\xe2\x98\xba"},
      {"people", "\xe2\x98\xba"},
      {"team", "\xe2\x98\xba"},
      {"lightbulb", "\xe2\x98\xbc"}, /* ☼ */
      {"idea", "\xe2\x98\xbc"},
      {"bulb", "\xe2\x98\xbc"},
      {"shield", "\xe2\x97\x88"}, /* ◈ */
      {"security", "\xe2\x97\x88"},
      {"lock", "\xe2\x97\x88"},
      {"clock", "\xe2\x97\xb7"}, /* ◷ */
      {"time", "\xe2\x97\xb7"},
      {"timer", "\xe2\x97\xb7"},
      {"message", "\xe2\x9d\x9d"}, /* ❝ */
      {"chat", "\xe2\x9d\x9d"},
      {"comment", "\xe2\x9d\x9d"},
      {"quote", "\xe2\x9d\x9d"},
      {"message-circle", "\xe2\x9d\x9d"},
      {"message-square", "\xe2\x9d\x9d"},
      {"star", "\xe2\x98\x85"},        /* ★ */
      {"heart", "\xe2\x99\xa5"},       /* ♥ */
      {"trending-up", "\xe2\x86\x97"}, /* ↗ */
      {"growth", "\xe2\x86\x97"},
      {"trending-down", "\xe2\x86\x98"}, /* ↘ */
      {"check", "\xe2\x9c\x93"},         /* ✓ */
      {"check-circle", "\xe2\x9c\x93"},
      {"alert", "\xe2\x96\xb2"}, /* ▲ */
      {"alert-triangle", "\xe2\x96\xb2"},
      {"alert-circle", "\xe2\x96\xb2"},
      {"warning", "\xe2\x96\xb2"},
      {"info", "\xe2\x84\xb9"}, /* ℹ */
      {"flag", "\xe2\x9a\x91"}, /* ⚑ */
      {"zap", "\xcf\x9f"},      /* ϟ */
      {"bolt", "\xcf\x9f"},
      {"eye", "\xe2\x97\x89"},     /* ◉ */
      {"key", "\xe2\x9a\xb7"},     /* ⚷ */
      {"compass", "\xe2\x9c\xa7"}, /* ✧ */
      {"trophy", "\xe2\x99\x9b"},  /* ♛ */
      {"award", "\xe2\x99\x9b"},
  };
  if (c->ascii)
    return "*";
  if (name) {
    char low[32];
    size_t n = 0;
    for (; name[n] && n < sizeof low - 1; n++) {
      char ch = name[n];
      low[n] = ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a')
               : ch == '_'            ? '-'
                                      : ch;
    }
    low[n] = '\0';
    for (size_t i = 0; i < sizeof icons / sizeof icons[0]; i++)
      if (strcmp(low, icons[i].name) == 0)
        return icons[i].glyph;
  }
  return "\xe2\x97\x87"; /* ◇ a neutral glyph for names we do not know */
}

/* The three trait phrases as chips: coloured blocks when colour is on,
 * bracketed otherwise; as many on a line as fit. */
static void S_chips(S_ctx *c, const quire_node *n) {
  size_t avail = S_avail(c), x = 0;
  int colour = c->color != QUIRE_COLOR_NONE;
  const char *open = colour ? " " : S_g(c, "\xe2\x97\x86 ", "* ");
  const char *close = colour ? " " : "";
  size_t deco = 2;
  quire_buf line = QUIRE_BUF_INIT, text = QUIRE_BUF_INIT;
  for (size_t i = 0; i < quire_node_phrase_count(n); i++) {
    const char *ph = quire_node_phrase(n, i);
    if (!ph)
      continue;
    unsigned style = (unsigned)(R_CHIP0 + i % 3);
    quire_buf_clear(&text);
    quire__text_field(&text, ph, strlen(ph), 0);
    size_t w = quire_text_width(text.ptr, text.size) + deco;
    if (x && x + S_GRID_GAP + w > avail) {
      S_raw_line(c, line.ptr, line.size, x);
      quire_buf_clear(&line);
      x = 0;
    }
    if (w > avail) {
      /* Longer than a line: wrap the phrase on its own lines. */
      quire__flow fl;
      quire__flow_init(&fl);
      quire__flow_add(&fl, text.ptr, text.size, style, -1);
      S_emit_flow(c, &fl, 0);
      quire__flow_dispose(&fl);
      continue;
    }
    if (x) {
      quire_buf_puts(&line, "  ");
      x += S_GRID_GAP;
    }
    quire_buf b = QUIRE_BUF_INIT;
    quire_buf_puts(&b, open);
    quire_buf_put(&b, text.ptr, text.size);
    quire_buf_puts(&b, close);
    S_styled(c, &line, b.ptr, b.size, colour ? style : R_NUM, -1);
    quire_buf_dispose(&b);
    x += w;
  }
  if (x)
    S_raw_line(c, line.ptr, line.size, x);
  quire_buf_dispose(&line);
  quire_buf_dispose(&text);
  S_want_blank(c);
}

static void S_illustration(S_ctx *c, const quire_node *n) {
  static const char *const uni[][4] = {
      {"\xe2\x97\x87", NULL, NULL, NULL},                       /* unknown */
      {"\xe2\x97\x90", " \xe2\x94\x80 ", "\xe2\x97\x91", NULL}, /* ◐ ─ ◑ */
      {"\xe2\x96\x81", "\xe2\x96\x83", "\xe2\x96\x85", "\xe2\x96\x87"},
      {"\xe2\x97\x8f", "\xe2\x94\x80\xe2\x94\x80", "\xe2\x97\x8f",
       "\xe2\x94\x80\xe2\x94\x80\xe2\x97\x8f"},
      {"\xe2\x97\x94", " \xe2\x97\x91", " \xe2\x97\x95", " \xe2\x97\x8f"}};
  static const char *const asc[][4] = {{"*", NULL, NULL, NULL},
                                       {"o", " - ", "o", NULL},
                                       {"_", ".", "-", "^"},
                                       {"o", "--", "o", "--o"},
                                       {"(", ".", ":", ")"}};
  quire_illustration v = quire_node_illustration(n);
  int k =
      v >= QUIRE_ILLUSTRATION_CONVERSATION && v <= QUIRE_ILLUSTRATION_ANALYSIS
          ? (int)v
          : 0;
  const char *const *g = c->ascii ? asc[k] : uni[k];
  S_want_blank(c);
  /* Decoration, as in HTML and PDF: the glyphs, no words. */
  (void)n;
  for (int i = 0; i < 4 && g[i]; i++)
    quire__flow_add(&c->flow, g[i], strlen(g[i]), (unsigned)(R_ILLUS0 + i), -1);
  S_emit_flow(c, &c->flow, 0);
  S_want_blank(c);
}

/* Code and JSON: every line kept, tabs expanded, long lines broken. */
static void S_pre(S_ctx *c, const char *text, unsigned style) {
  if (!text)
    return;
  quire_buf clean = QUIRE_BUF_INIT, exp = QUIRE_BUF_INIT;
  quire__text_clean(&clean, text, strlen(text),
                    QUIRE__TP_KEEP_NL | QUIRE__TP_KEEP_TAB);
  size_t col = 0;
  for (size_t i = 0; i < clean.size; i++) {
    char ch = clean.ptr[i];
    if (ch == '\t') {
      do
        quire_buf_putc(&exp, ' ');
      while (++col % 4);
    } else {
      quire_buf_putc(&exp, ch);
      col = ch == '\n' ? 0 : col + 1;
    }
  }
  while (exp.size && exp.ptr[exp.size - 1] == '\n')
    exp.size--;
  quire__flow fl;
  quire__flow_init(&fl);
  quire__flow_add(&fl, exp.ptr, exp.size, style, -1);
  S_emit_flow(c, &fl, QUIRE__FLOW_PRE);
  quire__flow_dispose(&fl);
  quire_buf_dispose(&clean);
  quire_buf_dispose(&exp);
}

/* Puts a card's lines in a box of content width cw and height rows. */
static void S_box(S_ctx *c, S_lines *out, const S_lines *in, size_t cw,
                  size_t rows) {
  const char *h = S_g(c, "\xe2\x94\x80", "-");
  const char *v = S_g(c, "\xe2\x94\x82", "|");
  quire_buf b = QUIRE_BUF_INIT, rule = QUIRE_BUF_INIT;
  S_repeat(&rule, h, cw + 2);
  for (int edge = 0; edge < 2; edge++) {
    quire_buf_clear(&b);
    const char *l =
        edge ? S_g(c, "\xe2\x95\xb0", "+") : S_g(c, "\xe2\x95\xad", "+");
    const char *r =
        edge ? S_g(c, "\xe2\x95\xaf", "+") : S_g(c, "\xe2\x95\xae", "+");
    quire_buf_puts(&b, l);
    quire_buf_put(&b, rule.ptr, rule.size);
    quire_buf_puts(&b, r);
    quire_buf line = QUIRE_BUF_INIT;
    S_styled(c, &line, b.ptr, b.size, R_BORDER, -1);
    if (edge) {
      S_lines_add(c, out, line.ptr, line.size, cw + 4);
    } else {
      S_lines_add(c, out, line.ptr, line.size, cw + 4);
      for (size_t i = 0; i < rows; i++) {
        quire_buf_clear(&b);
        S_styled(c, &b, v, strlen(v), R_BORDER, -1);
        quire_buf_putc(&b, ' ');
        size_t w = 0;
        if (i < in->n) {
          /* A card's line beside the next card's: isolated. */
          quire_buf_puts(&b, S_FSI);
          quire_buf_put(&b, in->buf.ptr + in->v[i].off, in->v[i].len);
          quire_buf_puts(&b, S_PDI);
          w = in->v[i].width;
        }
        S_spaces(&b, (w < cw ? cw - w : 0) + 1);
        S_styled(c, &b, v, strlen(v), R_BORDER, -1);
        S_lines_add(c, out, b.ptr, b.size, cw + 4);
      }
    }
    quire_buf_dispose(&line);
  }
  quire_buf_dispose(&b);
  quire_buf_dispose(&rule);
}

static void S_card_enter(S_ctx *c, const quire_node *n) {
  size_t boxw;
  if (c->grid.node && quire_node_parent(n) == c->grid.node) {
    boxw = c->grid.boxw;
  } else {
    S_want_blank(c);
    boxw = S_avail(c);
  }
  if (boxw < 10 || S_push_frame(c, boxw - 4)) {
    /* No room (or nesting) for a box: title and content inline. */
    S_heading(c, quire_node_title(n), 3);
    return;
  }
  S_top(c)->node = n;
  /* The glyph is a prefix so a long title hangs under itself. */
  char g[QUIRE__PREFIX_LEN];
  snprintf(g, sizeof g, "%s ", S_icon(c, quire_node_icon(n)));
  quire__prefix_push(&c->prefixes, g, "  ", R_ICON, 2);
  S_add_field(c, &c->flow, quire_node_title(n), R_TEXT | A_BOLD);
  if (!quire__flow_empty(&c->flow))
    S_emit_flow(c, &c->flow, 0);
  else
    S_raw_line(c, "", 0, 0);
  quire__prefix_truncate(&c->prefixes, S_top(c)->pbase);
  S_want_blank(c);
}

static void S_card_exit(S_ctx *c, const quire_node *n) {
  S_frame *f = S_top(c);
  if (f->node != n) { /* rendered without a box */
    S_want_blank(c);
    return;
  }
  S_lines content = f->lines;
  size_t cw = f->width;
  c->nframes--;
  quire__prefix_truncate(&c->prefixes, f->pbase);
  if (c->grid.node && quire_node_parent(n) == c->grid.node) {
    if (c->grid.n == c->grid.a) {
      size_t na = c->grid.a ? c->grid.a * 2 : 4;
      S_lines *nv = quire__realloc(c->grid.cards, na * sizeof *nv);
      if (!nv) {
        c->err = QUIRE_ENOMEM;
        S_lines_dispose(&content);
        return;
      }
      c->grid.cards = nv;
      c->grid.a = na;
    }
    c->grid.cards[c->grid.n++] = content;
    return;
  }
  S_lines box;
  memset(&box, 0, sizeof box);
  quire_buf_init(&box.buf, 0);
  S_box(c, &box, &content, cw, content.n);
  for (size_t i = 0; i < box.n; i++)
    S_raw_line(c, box.buf.ptr + box.v[i].off, box.v[i].len, box.v[i].width);
  S_lines_dispose(&box);
  S_lines_dispose(&content);
  S_want_blank(c);
}

static void S_grid_enter(S_ctx *c, const quire_node *n) {
  size_t count = 0;
  for (const quire_node *k = quire_node_first_child(n); k;
       k = quire_node_next(k))
    count++;
  size_t cols = (size_t)quire__present_grid_columns(n);
  if (count && cols > count)
    cols = count;
  size_t avail = S_avail(c);
  size_t gaps = cols ? S_GRID_GAP * (cols - 1) : 0;
  size_t boxw = cols && avail > gaps ? (avail - gaps) / cols : avail;
  if (cols == 4 &&
      boxw < S_GRID_MIN) { /* four too narrow: try two rows of two */
    cols = 2;
    gaps = S_GRID_GAP;
    boxw = avail > gaps ? (avail - gaps) / cols : avail;
  }
  if (cols > 1 && (avail <= gaps || boxw < S_GRID_MIN)) {
    cols = 1;
    boxw = avail;
  }
  if (c->grid.node) /* grids do not nest; an inner one stacks its cards */
    return;
  c->grid.node = n;
  c->grid.cols = cols ? cols : 1;
  c->grid.boxw = boxw;
  c->grid.n = 0;
  S_want_blank(c);
}

static void S_grid_exit(S_ctx *c, const quire_node *n) {
  if (c->grid.node != n)
    return;
  S_grid *g = &c->grid;
  size_t cw = g->boxw >= 4 ? g->boxw - 4 : 0;
  quire_buf row = QUIRE_BUF_INIT;
  for (size_t first = 0; first < g->n; first += g->cols) {
    size_t last = first + g->cols < g->n ? first + g->cols : g->n;
    size_t rows = 0;
    for (size_t i = first; i < last; i++)
      if (g->cards[i].n > rows)
        rows = g->cards[i].n;
    S_lines boxes[4];
    for (size_t i = first; i < last; i++) {
      memset(&boxes[i - first], 0, sizeof boxes[0]);
      quire_buf_init(&boxes[i - first].buf, 0);
      S_box(c, &boxes[i - first], &g->cards[i], cw, rows);
    }
    if (first)
      S_want_blank(c);
    for (size_t r = 0; r < rows + 2; r++) {
      quire_buf_clear(&row);
      size_t w = 0;
      for (size_t i = 0; i < last - first; i++) {
        if (i) {
          quire_buf_puts(&row, "  ");
          w += S_GRID_GAP;
        }
        const S_lines *b = &boxes[i];
        if (r < b->n) {
          quire_buf_put(&row, b->buf.ptr + b->v[r].off, b->v[r].len);
          w += b->v[r].width;
        }
      }
      S_raw_line(c, row.ptr, row.size, w);
    }
    for (size_t i = first; i < last; i++)
      S_lines_dispose(&boxes[i - first]);
  }
  quire_buf_dispose(&row);
  for (size_t i = 0; i < g->n; i++)
    S_lines_dispose(&g->cards[i]);
  g->n = 0;
  g->node = NULL;
  S_want_blank(c);
}

/* ------------------------------------------------------------------ */
/* Markdown tables                                                      */
/* ------------------------------------------------------------------ */

static quire__flow *S_table_cell(S_ctx *c) {
  S_table *t = &c->table;
  if (t->nrows == 0 || t->row_cells >= t->ncols)
    return NULL; /* cells past the column count are dropped, as cmark does */
  return &t->cells[(t->nrows - 1) * (size_t)t->ncols + (size_t)t->row_cells];
}

static void S_table_row(S_ctx *c, const quire_node *n) {
  S_table *t = &c->table;
  if (t->nrows == t->arows) {
    size_t na = t->arows ? t->arows * 2 : 8;
    quire__flow *nc =
        quire__realloc(t->cells, na * (size_t)t->ncols * sizeof *nc);
    if (!nc) {
      c->err = QUIRE_ENOMEM;
      return;
    }
    t->cells = nc;
    unsigned char *nh = quire__realloc(t->header, na);
    if (!nh) {
      c->err = QUIRE_ENOMEM;
      return;
    }
    t->header = nh;
    t->arows = na;
  }
  for (int i = 0; i < t->ncols; i++)
    quire__flow_init(&t->cells[t->nrows * (size_t)t->ncols + (size_t)i]);
  t->header[t->nrows] = (unsigned char)quire_node_row_is_header(n);
  t->nrows++;
  t->row_cells = 0;
}

typedef struct {
  S_ctx *c;
  S_lines *out;
} S_cell_sink;

static int S_cell_cb(void *payload, const quire__flow *fl,
                     const quire__flow_piece *p, size_t n, size_t width) {
  S_cell_sink *s = payload;
  quire_buf b = QUIRE_BUF_INIT;
  int carry = 0;
  quire_buf_puts(&b, S_FSI); /* a cell is a field: each line isolated */
  S_pieces(s->c, &b, fl, p, n, &carry);
  quire_buf_puts(&b, S_PDI);
  S_lines_add(s->c, s->out, b.ptr, b.size, width);
  quire_buf_dispose(&b);
  return s->c->err;
}

/* A criterion row (present/, profile_alignment): the criterion's title in
 * a column on the left, the evidence beside it, joined by a rule
 * ("────┬────" over, "│" between), as the HTML lays it out from 48rem.
 * Too narrow for two columns: a heading over the text, as any block. The
 * evidence is collected in a frame, like a card's content. */
#define S_CRIT_MIN 60 /* columns for two; fewer: stacked */
#define S_CRIT_GAP 3  /* " │ " */

static size_t S_crit_title_w(size_t avail) {
  size_t w = avail / 4;
  return w > 26 ? 26 : w;
}

static void S_criterion_enter(S_ctx *c, const quire_node *n) {
  size_t avail = S_avail(c);
  size_t tw = S_crit_title_w(avail);
  if (avail < S_CRIT_MIN || S_push_frame(c, avail - tw - S_CRIT_GAP)) {
    S_heading(c, quire_node_title(n), 1);
    S_want_blank(c);
    return;
  }
  S_top(c)->node = n;
}

static void S_criterion_exit(S_ctx *c, const quire_node *n) {
  S_frame *f = S_top(c);
  if (f->node != n) { /* stacked */
    S_want_blank(c);
    return;
  }
  S_lines body = f->lines;
  c->nframes--;
  quire__prefix_truncate(&c->prefixes, f->pbase);
  size_t avail = S_avail(c), tw = S_crit_title_w(avail);
  S_lines title;
  memset(&title, 0, sizeof title);
  quire_buf_init(&title.buf, 0);
  quire__flow fl;
  quire__flow_init(&fl);
  S_add(c, &fl, quire_node_title(n), strlen(quire_node_title(n)), R_HEAD, -1);
  S_cell_sink sink = {c, &title};
  int rc = quire__flow_wrap(&fl, tw, QUIRE__FLOW_ASCII_CELLS, S_measure, NULL,
                            S_cell_cb, &sink);
  if (rc && !c->err)
    c->err = rc;
  quire__flow_dispose(&fl);
  /* The rule over the row, its joint where the columns meet. */
  S_want_blank(c);
  const char *h = S_g(c, "\xe2\x94\x80", "-");
  quire_buf b = QUIRE_BUF_INIT, line = QUIRE_BUF_INIT;
  for (size_t i = 0; i < avail; i++)
    quire_buf_puts(&b, i == tw + 1 ? S_g(c, "\xe2\x94\xac", "+") : h);
  S_styled(c, &line, b.ptr, b.size, R_BORDER, -1);
  S_raw_line(c, line.ptr, line.size, avail);
  const char *v = S_g(c, "\xe2\x94\x82", "|");
  size_t rows = title.n > body.n ? title.n : body.n;
  for (size_t k = 0; k < rows; k++) {
    quire_buf_clear(&line);
    size_t w = 0;
    if (k < title.n) {
      quire_buf_put(&line, title.buf.ptr + title.v[k].off, title.v[k].len);
      w = title.v[k].width;
    }
    if (w < tw + 1)
      S_spaces(&line, tw + 1 - w);
    S_styled_str(c, &line, v, R_BORDER);
    w = tw + 2;
    if (k < body.n && body.v[k].len) {
      /* The evidence's line beside the criterion's: isolated. */
      quire_buf_puts(&line, " " S_FSI);
      quire_buf_put(&line, body.buf.ptr + body.v[k].off, body.v[k].len);
      quire_buf_puts(&line, S_PDI);
      w += 1 + body.v[k].width;
    }
    S_raw_line(c, line.ptr, line.size, w);
  }
  quire_buf_dispose(&b);
  quire_buf_dispose(&line);
  S_lines_dispose(&title);
  S_lines_dispose(&body);
  S_want_blank(c);
}

/* A horizontal table border: kind 0 top, 1 under the header / between
 * rows, 2 bottom. */
static void S_table_rule(S_ctx *c, const size_t *w, int ncols, int kind) {
  static const char *const uni[3][3] = {
      {"\xe2\x94\x8c", "\xe2\x94\xac", "\xe2\x94\x90"},
      {"\xe2\x94\x9c", "\xe2\x94\xbc", "\xe2\x94\xa4"},
      {"\xe2\x94\x94", "\xe2\x94\xb4", "\xe2\x94\x98"}};
  const char *const *j = uni[kind];
  const char *h = S_g(c, "\xe2\x94\x80", "-");
  quire_buf b = QUIRE_BUF_INIT, line = QUIRE_BUF_INIT;
  size_t total = 1;
  quire_buf_puts(&b, c->ascii ? "+" : j[0]);
  for (int i = 0; i < ncols; i++) {
    for (size_t k = 0; k < w[i] + 2; k++)
      quire_buf_puts(&b, h);
    quire_buf_puts(&b, c->ascii ? "+" : i + 1 < ncols ? j[1] : j[2]);
    total += w[i] + 3;
  }
  S_styled(c, &line, b.ptr, b.size, R_BORDER, -1);
  S_raw_line(c, line.ptr, line.size, total);
  quire_buf_dispose(&b);
  quire_buf_dispose(&line);
}

/* Too many columns for the width: each row as "Header: value" lines. */
static void S_table_stacked(S_ctx *c) {
  S_table *t = &c->table;
  size_t hdr = t->nrows && t->header[0] ? 0 : (size_t)-1;
  for (size_t r = 0; r < t->nrows; r++) {
    if (r == hdr)
      continue;
    for (int i = 0; i < t->ncols; i++) {
      quire__flow *cell = &t->cells[r * (size_t)t->ncols + (size_t)i];
      if (hdr != (size_t)-1) {
        const quire__flow *h = &t->cells[hdr * (size_t)t->ncols + (size_t)i];
        quire__flow_add(&c->flow, S_FSI, 3, R_TEXT | A_BOLD, -1);
        quire__flow_add(&c->flow, h->text.ptr, h->text.size, R_TEXT | A_BOLD,
                        -1);
        quire__flow_add(&c->flow, S_PDI ": ", 5, R_TEXT | A_BOLD, -1);
      }
      quire__flow_add(&c->flow, S_FSI, 3, R_TEXT, -1);
      for (size_t k = 0; k < cell->nruns; k++)
        quire__flow_add(&c->flow, cell->text.ptr + cell->runs[k].off,
                        cell->runs[k].len, cell->runs[k].style,
                        cell->runs[k].link);
      quire__flow_add(&c->flow, S_PDI, 3, R_TEXT, -1);
      S_emit_flow(c, &c->flow, 0);
    }
    S_want_blank(c);
  }
}

static void S_table_exit(S_ctx *c) {
  S_table *t = &c->table;
  int nc = t->ncols;
  size_t avail = S_avail(c);
  size_t over = 3 * (size_t)nc + 1;
  size_t *w = quire__calloc((size_t)nc * 3, sizeof *w);
  S_lines *cl = quire__calloc((size_t)nc, sizeof *cl);
  if (!w || !cl) {
    c->err = QUIRE_ENOMEM;
    goto done;
  }
  S_want_blank(c);
  if (avail < over + 3 * (size_t)nc ||
      quire__present_table_as_records(t->node)) {
    S_table_stacked(c);
    goto done;
  }
  size_t *nat = w + nc, *word = w + 2 * nc, space = avail - over, sum = 0;
  for (size_t r = 0; r < t->nrows; r++)
    for (int i = 0; i < nc; i++) {
      size_t a, b;
      quire__flow_extent(&t->cells[r * (size_t)nc + (size_t)i], S_measure, NULL,
                         &a, &b);
      if (a > nat[i])
        nat[i] = a;
      if (b > word[i])
        word[i] = b;
    }
  for (int i = 0; i < nc; i++) {
    if (nat[i] < 1)
      nat[i] = 1;
    sum += nat[i];
  }
  if (sum <= space) {
    for (int i = 0; i < nc; i++)
      w[i] = nat[i];
  } else {
    /* Each column gets up to a fair share, then the columns that want more
     * share what is left, one column at a time. */
    size_t fair = space / (size_t)nc, used = 0;
    for (int i = 0; i < nc; i++) {
      w[i] = nat[i] < fair ? nat[i] : fair;
      used += w[i];
    }
    for (int more = 1; more && used < space;) {
      more = 0;
      for (int i = 0; i < nc && used < space; i++)
        if (w[i] < nat[i]) {
          w[i]++;
          used++;
          more = 1;
        }
    }
  }
  for (int i = 0; i < nc; i++)
    quire_buf_init(&cl[i].buf, 0);
  int wrapped = 0;
  for (size_t r = 0; r < t->nrows && !wrapped; r++)
    for (int i = 0; i < nc; i++) {
      size_t a, b;
      quire__flow_extent(&t->cells[r * (size_t)nc + (size_t)i], S_measure, NULL,
                         &a, &b);
      if (a > w[i])
        wrapped = 1;
    }
  const char *v = S_g(c, "\xe2\x94\x82", "|");
  quire_buf line = QUIRE_BUF_INIT;
  S_table_rule(c, w, nc, 0);
  for (size_t r = 0; r < t->nrows; r++) {
    size_t rows = 0;
    for (int i = 0; i < nc; i++) {
      cl[i].n = 0;
      quire_buf_clear(&cl[i].buf);
      quire__flow *cell = &t->cells[r * (size_t)nc + (size_t)i];
      if (t->header[r]) {
        /* Header cells are bold whatever their inlines say. */
        for (size_t k = 0; k < cell->nruns; k++)
          cell->runs[k].style |= A_BOLD;
      }
      S_cell_sink sink = {c, &cl[i]};
      int rc = quire__flow_wrap(cell, w[i], QUIRE__FLOW_ASCII_CELLS, S_measure,
                                NULL, S_cell_cb, &sink);
      if (rc && !c->err)
        c->err = rc;
      if (cl[i].n > rows)
        rows = cl[i].n;
    }
    if (rows == 0)
      rows = 1;
    for (size_t k = 0; k < rows; k++) {
      quire_buf_clear(&line);
      size_t lw = 1;
      S_styled_str(c, &line, v, R_BORDER);
      for (int i = 0; i < nc; i++) {
        size_t cw = k < cl[i].n ? cl[i].v[k].width : 0;
        size_t pad = w[i] > cw ? w[i] - cw : 0, left = 0;
        quire_align al = quire_node_table_align(t->node, i);
        if (al == QUIRE_ALIGN_RIGHT)
          left = pad;
        else if (al == QUIRE_ALIGN_CENTER)
          left = pad / 2;
        S_spaces(&line, left + 1);
        if (k < cl[i].n)
          quire_buf_put(&line, cl[i].buf.ptr + cl[i].v[k].off, cl[i].v[k].len);
        S_spaces(&line, pad - left + 1);
        S_styled_str(c, &line, v, R_BORDER);
        lw += w[i] + 3;
      }
      S_raw_line(c, line.ptr, line.size, lw);
    }
    if (r + 1 < t->nrows && (t->header[r] || wrapped))
      S_table_rule(c, w, nc, 1);
  }
  S_table_rule(c, w, nc, 2);
  quire_buf_dispose(&line);
  S_want_blank(c);
done:
  if (cl)
    for (int i = 0; i < nc; i++)
      S_lines_dispose(&cl[i]);
  free(cl);
  free(w);
  for (size_t i = 0; i < t->nrows * (size_t)nc; i++)
    quire__flow_dispose(&t->cells[i]);
  free(t->cells);
  free(t->header);
  memset(t, 0, sizeof *t);
  c->cur = NULL;
}

/* ------------------------------------------------------------------ */
/* Markdown inlines                                                     */
/* ------------------------------------------------------------------ */

static unsigned S_inline_style(const S_ctx *c) {
  unsigned s = c->role;
  if (c->bold)
    s |= A_BOLD;
  if (c->italic)
    s |= A_ITALIC;
  if (c->strike)
    s |= A_STRIKE;
  if (c->link_depth && c->link_stack[c->link_depth - 1] >= 0)
    s |= A_LINK;
  return s;
}

static int S_cur_link(const S_ctx *c) {
  return c->link_depth ? c->link_stack[c->link_depth - 1] : -1;
}

/* Plain output keeps Markdown's own markers so emphasis survives. */
static void S_marker(S_ctx *c, const char *m) {
  if (c->color == QUIRE_COLOR_NONE && c->cur)
    quire__flow_add(c->cur, m, strlen(m), S_inline_style(c), S_cur_link(c));
}

/* An inline span: its plain-text marker on both sides, and a style depth
 * counted up on ENTER and down on EXIT (spans nest). */
static void S_span(S_ctx *c, int *depth, const char *marker, int enter) {
  if (enter) {
    S_marker(c, marker);
    ++*depth;
  } else {
    --*depth;
    S_marker(c, marker);
  }
}

static void S_link_enter(S_ctx *c, const quire_node *n) {
  const char *url = quire_node_url(n);
  int id = url ? S_url_id(c, url) : -1;
  if (id < 0 && c->err)
    return;
  if (c->link_depth < S_MAX_LINKS)
    c->link_stack[c->link_depth] = id;
  c->link_depth++;
  c->link_text_start = c->cur ? c->cur->text.size : 0;
  if (quire_node_kind_of(n) == QUIRE_NODE_MD_IMAGE && c->cur)
    quire__flow_add(c->cur, "[image: ", 8, R_META, -1);
}

/* After the link text: the URL itself, unless it is already the text or a
 * hyperlink carries it. */
static void S_link_exit(S_ctx *c, const quire_node *n) {
  if (c->link_depth)
    c->link_depth--;
  int image = quire_node_kind_of(n) == QUIRE_NODE_MD_IMAGE;
  if (image && c->cur)
    quire__flow_add(c->cur, "]", 1, R_META, -1);
  const char *url = quire_node_url(n);
  if (!url || !c->cur)
    return;
  int hyper = c->links && quire__ansi_link_ok(url);
  if (hyper)
    return;
  size_t start = c->link_text_start, len = c->cur->text.size - start;
  const char *text = c->cur->text.ptr + start;
  size_t ul = strlen(url);
  int same = (len == ul && memcmp(text, url, ul) == 0) ||
             (ul > 7 && len == ul - 7 && memcmp(url, "mailto:", 7) == 0 &&
              memcmp(text, url + 7, len) == 0) ||
             (ul > 7 && len == ul - 7 && memcmp(url, "http://", 7) == 0 &&
              memcmp(text, url + 7, len) == 0);
  if (same && !image)
    return;
  quire__flow_add(c->cur, " <", 2, R_META, -1);
  S_add(c, c->cur, url, ul, R_META, -1);
  quire__flow_add(c->cur, ">", 1, R_META, -1);
}

/* ------------------------------------------------------------------ */
/* The walk                                                             */
/* ------------------------------------------------------------------ */

/* Blocks inside the items of a tight list are not separated by blank
 * lines. */
static int S_in_tight_item(const quire_node *n) {
  const quire_node *p = quire_node_parent(n);
  if (!p || quire_node_kind_of(p) != QUIRE_NODE_MD_ITEM)
    return 0;
  const quire_node *l = quire_node_parent(p);
  return l && quire_node_list_tight(l);
}

static void S_block_end(S_ctx *c, const quire_node *n) {
  if (!S_in_tight_item(n))
    S_want_blank(c);
}

static void S_start_flow(S_ctx *c, unsigned role) {
  quire__flow_clear(&c->flow);
  c->cur = &c->flow;
  c->role = role;
}

static void S_list_item(S_ctx *c, const quire_node *n) {
  char first[QUIRE__PREFIX_LEN], rest[QUIRE__PREFIX_LEN];
  S_list *l =
      c->nlists && c->nlists <= S_MAX_LISTS ? &c->lists[c->nlists - 1] : NULL;
  quire_task task = quire_node_task(n);
  if (task) {
    const char *box = task == QUIRE_TASK_DONE ? S_g(c, "\xe2\x98\x91 ", "[x] ")
                                              : S_g(c, "\xe2\x98\x90 ", "[ ] ");
    snprintf(first, sizeof first, "%s", box);
    snprintf(rest, sizeof rest, "%s", c->ascii ? "    " : "  ");
  } else if (l && l->ordered) {
    snprintf(first, sizeof first, "%*d. ", l->numw, l->next++);
    snprintf(rest, sizeof rest, "%*s", l->numw + 2, "");
  } else {
    static const char *const uni[] = {"\xe2\x80\xa2 ", "\xe2\x97\xa6 ",
                                      "\xe2\x96\xaa "};
    static const char *const asc[] = {"- ", "* ", "+ "};
    size_t level = 0;
    for (size_t i = 0; i + 1 < c->nlists && i < S_MAX_LISTS; i++)
      level += !c->lists[i].ordered;
    snprintf(first, sizeof first, "%s", (c->ascii ? asc : uni)[level % 3]);
    snprintf(rest, sizeof rest, "  ");
  }
  quire__prefix_push(&c->prefixes, first, rest, R_NUM,
                     quire_text_width(rest, strlen(rest)));
  if (l && !l->tight)
    S_want_blank(c);
}

static void S_render_node(S_ctx *c, const quire_node *n, quire_event ev) {
  int enter = ev == QUIRE_EVENT_ENTER;
  switch (quire_node_kind_of(n)) {
  case QUIRE_NODE_DOCUMENT: break; /* header and footer: see below */

  case QUIRE_NODE_SECTION:
  case QUIRE_NODE_PARAGRAPH:
  case QUIRE_NODE_TRAITS:
  case QUIRE_NODE_ACTIONS:
    if (quire__present_role(c->pres, n) == QUIRE__ROLE_CRITERION) {
      if (enter)
        S_criterion_enter(c, n);
      else
        S_criterion_exit(c, n);
      break;
    }
    if (enter) {
      S_heading(c, quire_node_title(n), 1);
      S_want_blank(c);
      if (quire_node_kind_of(n) == QUIRE_NODE_TRAITS)
        S_chips(c, n);
      if (quire_node_kind_of(n) == QUIRE_NODE_ACTIONS) {
        int count = 0;
        for (const quire_node *k = quire_node_first_child(n); k;
             k = quire_node_next(k))
          count++;
        c->action_no = 0;
        c->action_w = count >= 100 ? 3 : count >= 10 ? 2 : 1;
      }
    } else {
      S_want_blank(c);
    }
    break;

  case QUIRE_NODE_ACTION:
    if (enter) {
      char first[QUIRE__PREFIX_LEN], rest[QUIRE__PREFIX_LEN];
      /* "1. ", or "Step 1  " where the template's actions are steps. */
      const char *step = quire__present_step_label(c->pres);
      size_t sw = step ? strlen(step) + 1 : 0;
      if (sw > 8)
        sw = 0, step = NULL;
      if (step)
        snprintf(first, sizeof first, "%s %*d  ", step, c->action_w,
                 ++c->action_no);
      else
        snprintf(first, sizeof first, "%*d. ", c->action_w, ++c->action_no);
      snprintf(rest, sizeof rest, "%*s", (int)sw + c->action_w + 2, "");
      S_want_blank(c);
      quire__prefix_push(&c->prefixes, first, rest, R_NUM,
                         sw + (size_t)c->action_w + 2);
      S_add_field(c, &c->flow, quire_node_title(n), R_TEXT | A_BOLD);
      S_emit_flow(c, &c->flow, 0);
    } else {
      quire__prefix_truncate(&c->prefixes, c->prefixes.depth - 1);
      S_want_blank(c);
    }
    break;

  case QUIRE_NODE_TEXT:
    if (enter)
      S_heading(c, quire_node_title(n), 3);
    else
      S_want_blank(c);
    break;

  case QUIRE_NODE_CARD:
    if (enter)
      S_card_enter(c, n);
    else
      S_card_exit(c, n);
    break;

  case QUIRE_NODE_GRID:
    if (enter)
      S_grid_enter(c, n);
    else
      S_grid_exit(c, n);
    break;

  case QUIRE_NODE_ILLUSTRATION: S_illustration(c, n); break;

  case QUIRE_NODE_MARKDOWN: break;

  case QUIRE_NODE_UNKNOWN: {
    const quire__data *d = quire__present_data(c->pres, n);
    S_want_blank(c);
    if (d)
      S_data(c, d);
    else
      S_pre(c, quire_node_literal(n), R_META);
    S_want_blank(c);
    break;
  }

  case QUIRE_NODE_MD_HEADING:
    if (enter) {
      S_want_blank(c);
      S_start_flow(c, quire_node_heading_level(n) <= 3 ? R_HEAD : R_SUB);
    } else {
      c->cur = NULL;
      S_emit_flow(c, &c->flow, 0);
      int level = quire_node_heading_level(n);
      if (level == 1)
        S_underline(c, S_g(c, "\xe2\x94\x81", "="), c->maxw, R_RULE);
      else if (level == 2)
        S_underline(c, S_g(c, "\xe2\x94\x80", "-"), c->maxw, R_RULE);
      S_want_blank(c);
    }
    break;

  case QUIRE_NODE_MD_PARA:
    if (enter) {
      S_start_flow(c, R_TEXT);
    } else {
      c->cur = NULL;
      S_emit_flow(c, &c->flow, 0);
      S_block_end(c, n);
    }
    break;

  case QUIRE_NODE_MD_LIST:
    if (enter) {
      if (c->nlists < S_MAX_LISTS) {
        S_list *l = &c->lists[c->nlists];
        int count = 0;
        for (const quire_node *k = quire_node_first_child(n); k;
             k = quire_node_next(k))
          count++;
        l->ordered = quire_node_list_type(n) == QUIRE_LIST_ORDERED;
        l->next = quire_node_list_start(n);
        long maxn = (long)l->next + count - 1;
        l->numw = 1;
        for (long v = maxn; v >= 10; v /= 10)
          l->numw++;
        if (l->numw > 9)
          l->numw = 9;
        l->tight = quire_node_list_tight(n);
      }
      c->nlists++;
      if (!S_in_tight_item(n))
        S_want_blank(c);
    } else {
      c->nlists--;
      S_block_end(c, n);
    }
    break;

  case QUIRE_NODE_MD_ITEM:
    if (enter)
      S_list_item(c, n);
    else
      quire__prefix_truncate(&c->prefixes, c->prefixes.depth - 1);
    break;

  case QUIRE_NODE_MD_QUOTE:
    if (enter) {
      S_want_blank(c);
      const char *bar = S_g(c, "\xe2\x94\x82 ", "| ");
      quire__prefix_push(&c->prefixes, bar, bar, R_QUOTE, 2);
    } else {
      quire__prefix_truncate(&c->prefixes, c->prefixes.depth - 1);
      S_block_end(c, n);
    }
    break;

  case QUIRE_NODE_MD_CODE_BLOCK: {
    S_want_blank(c);
    size_t depth = c->prefixes.depth;
    quire__prefix_push(&c->prefixes, "  ", "  ", R_TEXT, 2);
    S_pre(c, quire_node_literal(n), R_CODE);
    quire__prefix_truncate(&c->prefixes, depth);
    S_block_end(c, n);
    break;
  }

  case QUIRE_NODE_MD_RULE: {
    S_want_blank(c);
    size_t w = S_avail(c);
    S_underline(c, S_g(c, "\xe2\x94\x80", "-"), w, R_BORDER);
    S_block_end(c, n);
    break;
  }

  case QUIRE_NODE_MD_TABLE:
    if (enter) {
      memset(&c->table, 0, sizeof c->table);
      c->table.node = n;
      c->table.ncols = quire_node_table_columns(n);
      if (c->table.ncols < 1)
        c->table.ncols = 1;
      if (c->table.ncols > QUIRE__MAX_TABLE_COLUMNS)
        c->table.ncols = QUIRE__MAX_TABLE_COLUMNS;
      c->cur = NULL;
      c->role = R_TEXT;
    } else {
      S_table_exit(c);
    }
    break;

  case QUIRE_NODE_MD_TABLE_ROW:
    if (enter && c->table.node)
      S_table_row(c, n);
    break;

  case QUIRE_NODE_MD_TABLE_CELL:
    if (!c->table.node)
      break;
    if (enter) {
      c->cur = S_table_cell(c);
      c->role = R_TEXT;
    } else {
      c->table.row_cells++;
      c->cur = NULL;
    }
    break;

  case QUIRE_NODE_MD_TEXT: {
    const char *s = quire_node_literal(n);
    if (s)
      S_add(c, c->cur, s, strlen(s), S_inline_style(c), S_cur_link(c));
    break;
  }
  case QUIRE_NODE_MD_EMPH: S_span(c, &c->italic, "_", enter); break;
  case QUIRE_NODE_MD_STRONG: S_span(c, &c->bold, "*", enter); break;
  case QUIRE_NODE_MD_STRIKE: S_span(c, &c->strike, "~", enter); break;
  case QUIRE_NODE_MD_CODE: {
    const char *s = quire_node_literal(n);
    S_marker(c, "`");
    if (s && c->cur) {
      /* Padded in colour so the shading does not touch the letters. */
      if (c->color != QUIRE_COLOR_NONE)
        quire__flow_add(c->cur, "\xc2\xa0", 2, S_inline_style(c) | A_CODE,
                        S_cur_link(c));
      S_add(c, c->cur, s, strlen(s), S_inline_style(c) | A_CODE, S_cur_link(c));
      if (c->color != QUIRE_COLOR_NONE)
        quire__flow_add(c->cur, "\xc2\xa0", 2, S_inline_style(c) | A_CODE,
                        S_cur_link(c));
    }
    S_marker(c, "`");
    break;
  }
  case QUIRE_NODE_MD_LINK:
  case QUIRE_NODE_MD_IMAGE:
    if (enter)
      S_link_enter(c, n);
    else
      S_link_exit(c, n);
    break;
  case QUIRE_NODE_MD_SOFTBREAK:
    if (c->cur)
      quire__flow_add(c->cur, " ", 1, S_inline_style(c), S_cur_link(c));
    break;
  case QUIRE_NODE_MD_LINEBREAK:
    if (c->cur)
      quire__flow_add(c->cur, "\n", 1, S_inline_style(c), -1);
    break;

  case QUIRE_NODE_NONE:
  case QUIRE_NODE_KIND_COUNT: break;
  }
}

int quire__render_text(const quire_doc *doc, const quire__look *look,
                       const quire_render_options *opts, quire_sink sink,
                       quire_error *err) {
  S_ctx *c = quire__calloc(1, sizeof *c);
  if (!c)
    return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  c->doc = doc;
  c->opts = opts;
  c->color = opts->color;
  if (c->color < QUIRE_COLOR_NONE || c->color > QUIRE_COLOR_TRUE)
    c->color = QUIRE_COLOR_NONE;
  c->ascii = (opts->flags & QUIRE_RENDER_ASCII) != 0;
  c->links = c->color != QUIRE_COLOR_NONE &&
             (opts->flags & QUIRE_RENDER_HYPERLINKS) != 0;
  c->theme = look->theme;
  int rc;
  /* Below 20 columns nothing is readable; the CLI refuses such widths and
   * the library treats them as 20. */
  size_t width = opts->width <= 0 ? 80 : (size_t)opts->width;
  if (width < 20)
    width = 20;
  if (width > 4096)
    width = 4096;
  quire__out_init(&c->out, sink, opts->max_output);
  quire_buf_init(&c->obuf, 0);
  quire_buf_init(&c->scratch, 0);
  quire_buf_init(&c->tmp, 0);
  quire__flow_init(&c->flow);
  c->nframes = 1;
  c->frames[0].width = width;

  const quire__present *pres = NULL;
  quire__present_opts po = {c->theme.display_name, c->theme.name,
                            opts->template_name != NULL, opts->body};
  rc = quire__present_get(&pres, doc, &po, err);
  if (rc) {
    free(c);
    return rc;
  }
  c->pres = pres;
  S_header(c);
  for (size_t b = 0;
       b < quire__present_block_count(pres) && !rc && !c->err && !c->out.err;
       b++) {
    quire_iter *it;
    rc = quire_iter_new(&it, quire__present_block(pres, b));
    if (rc)
      break;
    quire_event ev;
    while ((ev = quire_iter_next(it)) != QUIRE_EVENT_DONE && !c->err &&
           !c->out.err) {
      const quire_node *n = quire_iter_node(it);
      if (quire__present_hidden(pres, n)) {
        if (ev == QUIRE_EVENT_ENTER)
          quire_iter_skip_children(it);
        continue;
      }
      S_render_node(c, n, ev);
    }
    quire_iter_free(it);
  }
  if (!rc && !c->err && !c->out.err)
    S_footer(c);
  if (!rc)
    S_flush_out(c);
  if (!rc && !c->err &&
      (quire_buf_failed(&c->obuf) || quire_buf_failed(&c->scratch) ||
       quire_buf_failed(&c->tmp)))
    c->err = QUIRE_ENOMEM;
  if (rc)
    rc = quire__error_set(err, rc, "%s", quire_strerror(rc));
  else if (c->err)
    rc = quire__error_set(err, c->err, "text: %s", quire_strerror(c->err));
  else if (c->out.err)
    rc = quire__error_set(err, c->out.err, "text output: %s",
                          quire_strerror(c->out.err));

  while (c->nframes > 1)
    S_lines_dispose(&c->frames[--c->nframes].lines);
  for (size_t i = 0; i < c->grid.n; i++)
    S_lines_dispose(&c->grid.cards[i]);
  free(c->grid.cards);
  if (c->table.cells) {
    for (size_t i = 0; i < c->table.nrows * (size_t)c->table.ncols; i++)
      quire__flow_dispose(&c->table.cells[i]);
    free(c->table.cells);
    free(c->table.header);
  }
  free(c->urls);
  quire__flow_dispose(&c->flow);
  quire_buf_dispose(&c->obuf);
  quire_buf_dispose(&c->scratch);
  quire_buf_dispose(&c->tmp);
  free(c);
  return rc;
}
