#include "paint/illustration.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CIR(X, Y, R, F, S, W, O)                                               \
  { QUIRE__SHAPE_CIRCLE, F, S, O, W, X, Y, 0, 0, R, NULL }
#define REC(X, Y, W_, H, R, F, S, W, O)                                        \
  { QUIRE__SHAPE_RECT, F, S, O, W, X, Y, W_, H, R, NULL }
#define PTH(D, F, S, W, O)                                                     \
  { QUIRE__SHAPE_PATH, F, S, O, W, 0, 0, 0, 0, 0, D }

/* Palette indexes (see illustration.h). */
enum { C0 = 0, C1, C2, C3, PAPER, SOFT, INK, NONE = -1 };

/* Two people talking: overlapping speech bubbles, one with lines of text,
 * one with a typing indicator. */
static const quire__shape S_conversation[] = {
    CIR(120, 84, 66, SOFT, NONE, 0, 100),
    CIR(204, 34, 12, C3, NONE, 0, 90),
    CIR(30, 130, 7, C1, NONE, 0, 80),
    CIR(218, 134, 5, NONE, C1, 2.5f, 100),
    REC(28, 28, 116, 66, 18, C0, NONE, 0, 100),
    PTH("M50 88 L40 118 L78 92 Z", C0, NONE, 0, 100),
    REC(46, 46, 78, 9, 4.5f, PAPER, NONE, 0, 95),
    REC(46, 64, 52, 9, 4.5f, PAPER, NONE, 0, 70),
    REC(100, 66, 112, 56, 18, C2, PAPER, 4, 100),
    PTH("M186 118 L200 142 L164 121 Z", C2, NONE, 0, 100),
    CIR(132, 94, 6, PAPER, NONE, 0, 100),
    CIR(156, 94, 6, PAPER, NONE, 0, 80),
    CIR(180, 94, 6, PAPER, NONE, 0, 60),
};

/* Rising bars with a trend arrow. */
static const quire__shape S_growth[] = {
    CIR(126, 84, 66, SOFT, NONE, 0, 100),
    CIR(212, 60, 5, C3, NONE, 0, 70),
    CIR(30, 44, 6, C2, NONE, 0, 60),
    PTH("M28 136 L212 136", NONE, C1, 3, 100),
    REC(44, 106, 24, 30, 5, C1, NONE, 0, 70),
    REC(82, 88, 24, 48, 5, C1, NONE, 0, 100),
    REC(120, 68, 24, 68, 5, C2, NONE, 0, 100),
    REC(158, 44, 24, 92, 5, C0, NONE, 0, 100),
    PTH("M40 96 C72 90 100 74 128 58 C150 46 168 35 190 24", NONE, C3, 5, 100),
    PTH("M202 16 L182 18 L196 34 Z", C3, C3, 3, 100),
};

/* A small network: a hub linked to people around it. */
static const quire__shape S_connection[] = {
    CIR(120, 80, 68, SOFT, NONE, 0, 100),
    PTH("M120 80 L52 42 M120 80 L48 118 M120 80 L190 38 M120 80 L196 114 "
        "M120 80 L124 20 M120 80 L112 140 M52 42 L124 20 L190 38 "
        "M48 118 L112 140 L196 114",
        NONE, C1, 3, 80),
    CIR(120, 80, 34, NONE, C0, 2, 35),
    CIR(120, 80, 22, C0, NONE, 0, 100),
    CIR(120, 80, 8, PAPER, NONE, 0, 100),
    CIR(52, 42, 13, C2, NONE, 0, 100),
    CIR(52, 42, 4.5f, PAPER, NONE, 0, 100),
    CIR(48, 118, 11, C3, NONE, 0, 100),
    CIR(190, 38, 12, C3, NONE, 0, 100),
    CIR(196, 114, 14, C2, NONE, 0, 100),
    CIR(196, 114, 5, PAPER, NONE, 0, 100),
    CIR(124, 20, 9, C1, NONE, 0, 100),
    CIR(112, 140, 8, C1, NONE, 0, 100),
};

/* A dashboard under a magnifying glass. */
static const quire__shape S_analysis[] = {
    CIR(110, 84, 66, SOFT, NONE, 0, 100),
    REC(26, 22, 132, 116, 14, PAPER, C1, 2.5f, 100),
    REC(42, 38, 58, 9, 4.5f, C0, NONE, 0, 100),
    REC(42, 56, 98, 6, 3, C1, NONE, 0, 55),
    REC(42, 68, 80, 6, 3, C1, NONE, 0, 55),
    REC(42, 100, 12, 24, 3, C2, NONE, 0, 100),
    REC(60, 90, 12, 34, 3, C0, NONE, 0, 100),
    REC(78, 82, 12, 42, 3, C3, NONE, 0, 100),
    REC(96, 94, 12, 30, 3, C1, NONE, 0, 100),
    PTH("M196 108 L220 132", NONE, C0, 11, 100),
    CIR(174, 86, 30, PAPER, C0, 7, 100),
    PTH("M156 96 L166 84 L176 90 L190 74", NONE, C2, 4, 100),
    CIR(190, 74, 3.5f, C2, NONE, 0, 100),
};

/* Neutral abstract shapes for a variant this version does not know. */
static const quire__shape S_unknown[] = {
    CIR(120, 80, 62, SOFT, NONE, 0, 100),
    CIR(98, 72, 28, C0, NONE, 0, 85),
    CIR(148, 94, 22, C2, NONE, 0, 85),
    REC(116, 36, 38, 38, 10, C3, NONE, 0, 70),
};

#define S_N(a) (sizeof(a) / sizeof((a)[0]))

const quire__shape *quire__illustration_shapes(quire_illustration v,
                                               size_t *n) {
  switch (v) {
  case QUIRE_ILLUSTRATION_CONVERSATION:
    *n = S_N(S_conversation);
    return S_conversation;
  case QUIRE_ILLUSTRATION_GROWTH: *n = S_N(S_growth); return S_growth;
  case QUIRE_ILLUSTRATION_CONNECTION:
    *n = S_N(S_connection);
    return S_connection;
  case QUIRE_ILLUSTRATION_ANALYSIS: *n = S_N(S_analysis); return S_analysis;
  case QUIRE_ILLUSTRATION_UNKNOWN: break;
  }
  *n = S_N(S_unknown);
  return S_unknown;
}

int quire__path_step(const char **d, char *cmd, float pts[6]) {
  const char *p = *d;
  while (*p == ' ')
    p++;
  if (!*p) {
    *d = p;
    return 0;
  }
  int want;
  switch (*p) {
  case 'M':
  case 'L': want = 2; break;
  case 'C': want = 6; break;
  case 'Z': want = 0; break;
  default: return -1;
  }
  *cmd = *p++;
  for (int i = 0; i < want; i++) {
    char *end;
    pts[i] = strtof(p, &end);
    if (end == p)
      return -1;
    p = end;
  }
  *d = p;
  return 1;
}

/* Numbers with at most two decimals, independent of the C locale. */
static void S_num(quire_buf *out, float v) {
  long c = lroundf(v * 100.0f);
  if (c < 0) {
    quire_buf_putc(out, '-');
    c = -c;
  }
  quire_buf_printf(out, "%ld", c / 100);
  if (c % 100) {
    if (c % 10)
      quire_buf_printf(out, ".%02ld", c % 100);
    else
      quire_buf_printf(out, ".%ld", (c % 100) / 10);
  }
}

static void S_attr(quire_buf *out, const char *name, float v) {
  quire_buf_printf(out, " %s=\"", name);
  S_num(out, v);
  quire_buf_putc(out, '"');
}

void quire__shapes_svg(quire_buf *out, const quire__shape *shapes, size_t n) {
  for (size_t i = 0; i < n; i++) {
    const quire__shape *s = &shapes[i];
    switch (s->kind) {
    case QUIRE__SHAPE_CIRCLE:
      quire_buf_puts(out, "<circle");
      S_attr(out, "cx", s->x);
      S_attr(out, "cy", s->y);
      S_attr(out, "r", s->r);
      break;
    case QUIRE__SHAPE_RECT:
      quire_buf_puts(out, "<rect");
      S_attr(out, "x", s->x);
      S_attr(out, "y", s->y);
      S_attr(out, "width", s->w);
      S_attr(out, "height", s->h);
      if (s->r > 0)
        S_attr(out, "rx", s->r);
      break;
    case QUIRE__SHAPE_PATH:
      quire_buf_printf(out, "<path d=\"%s\"", s->d ? s->d : "");
      break;
    }
    if (s->fill >= 0 || s->stroke >= 0) {
      quire_buf_puts(out, " class=\"");
      if (s->fill >= 0)
        quire_buf_printf(out, "f%d", s->fill);
      if (s->stroke >= 0)
        quire_buf_printf(out, "%ss%d", s->fill >= 0 ? " " : "", s->stroke);
      quire_buf_putc(out, '"');
    }
    if (s->stroke >= 0 && s->width > 0)
      S_attr(out, "stroke-width", s->width);
    if (s->opacity < 100)
      S_attr(out, "opacity", s->opacity / 100.0f);
    quire_buf_puts(out, "/>");
  }
}

void quire__illustration_svg(quire_buf *out, quire_illustration v) {
  size_t n;
  const quire__shape *s = quire__illustration_shapes(v, &n);
  const char *name = quire_illustration_name(v);
  quire_buf_printf(out,
                   "<svg class=\"il il-%s\" viewBox=\"0 0 %d %d\" "
                   "aria-hidden=\"true\">",
                   name ? name : "abstract", QUIRE__ILLUSTRATION_WIDTH,
                   QUIRE__ILLUSTRATION_HEIGHT);
  quire__shapes_svg(out, s, n);
  quire_buf_puts(out, "</svg>");
}
