/* Shared text layout (STYLE rule 2): styled runs wrapped to a width by
 * asking a measure callback how wide each piece is, and the indentation /
 * prefix stack that block containers push on ENTER and truncate on EXIT.
 * Terminal text measures display columns; a page layout can measure font
 * metrics with the same code. Nothing here knows about escape sequences. */
#ifndef QUIRE_TEXTFLOW_H
#define QUIRE_TEXTFLOW_H

#include "internal.h"

typedef struct quire__flow_run {
  size_t off, len; /* bytes of the flow's text */
  unsigned style;  /* the caller's style id, passed back untouched */
  int link;        /* the caller's link id, or -1 */
} quire__flow_run;

/* A paragraph being collected: text plus the runs that style it. Spaces
 * and tabs are break opportunities (collapsed), '\n' is a hard break. */
typedef struct quire__flow {
  quire_buf text;
  quire__flow_run *runs;
  size_t nruns, aruns;
  int err; /* first failure (QUIRE_ENOMEM) */
} quire__flow;

/* Part of one run placed on a line. */
typedef struct quire__flow_piece {
  size_t run; /* index into runs */
  size_t off; /* byte offset into the flow's text */
  size_t len;
  size_t width; /* as measured */
} quire__flow_piece;

/* Width of len bytes at s shown in style. */
typedef size_t (*quire__measure_fn)(const char *s, size_t len, unsigned style,
                                    void *payload);
/* Receives one finished line (pieces in order, no trailing space). Returns
 * 0 to go on, non-zero to stop. */
typedef int (*quire__line_fn)(void *payload, const quire__flow *flow,
                              const quire__flow_piece *pieces, size_t n,
                              size_t width);

#define QUIRE__FLOW_PRE                                                        \
  (1u << 0) /* keep every space; break only at '\n'                            \
               and where a line is full (code) */
/* The measure callback gives each printable ASCII byte (0x20-0x7E) one
 * column and other ASCII bytes none, in every style, and a piece's width is
 * the sum of its parts': the breaker then counts ASCII words itself and
 * calls measure only for words with other bytes (terminal columns). */
#define QUIRE__FLOW_ASCII_CELLS (1u << 1)

void quire__flow_init(quire__flow *f);
/* Empties the flow and keeps its memory. */
void quire__flow_clear(quire__flow *f);
void quire__flow_dispose(quire__flow *f);
/* Appends text (already sanitized) in a style; merges with the last run
 * when style and link match. */
void quire__flow_add(quire__flow *f, const char *s, size_t len, unsigned style,
                     int link);
/* 1 when the flow has no text. */
int quire__flow_empty(const quire__flow *f);

/*
 * Greedy line breaking at width: words go on the current line while they
 * fit; a word wider than the whole line is broken between characters
 * (combining marks stay with their base). Every line passed to fn is at
 * most width wide as measure counts, provided width is at least as wide as
 * the widest single character. Returns 0, QUIRE_ENOMEM, or fn's non-zero.
 */
int quire__flow_wrap(const quire__flow *f, size_t width, unsigned flags,
                     quire__measure_fn measure, void *mpayload,
                     quire__line_fn fn, void *lpayload);

/* Widest line without wrapping (*natural) and widest word (*word). */
void quire__flow_extent(const quire__flow *f, quire__measure_fn measure,
                        void *mpayload, size_t *natural, size_t *word);

/* ---- The prefix stack ---- */

#define QUIRE__PREFIX_MAX 64 /* deeper pushes are counted, not drawn */
#define QUIRE__PREFIX_LEN 48 /* bytes: a label with its FSI and PDI */

typedef struct quire__prefix {
  char first[QUIRE__PREFIX_LEN]; /* on the entry's first line ("1. ") */
  char rest[QUIRE__PREFIX_LEN];  /* on its other lines ("   "), same width */
  unsigned style;                /* the caller's style id */
  size_t width;                  /* measured width of first and rest */
  int used;                      /* first has been drawn */
} quire__prefix;

typedef struct quire__prefixes {
  quire__prefix v[QUIRE__PREFIX_MAX];
  size_t depth; /* pushes minus pops; may exceed QUIRE__PREFIX_MAX */
} quire__prefixes;

/* Pushes an entry (strings are copied and cut to fit). */
void quire__prefix_push(quire__prefixes *p, const char *first, const char *rest,
                        unsigned style, size_t width);
/* Back to depth entries (a container's EXIT). */
void quire__prefix_truncate(quire__prefixes *p, size_t depth);
/*
 * How many entries from base up are drawn, given that together they may
 * take at most limit columns: deep nesting stops indenting rather than
 * squeezing the text. Stores that count in *count and returns their width.
 */
size_t quire__prefix_fit(const quire__prefixes *p, size_t base, size_t limit,
                         size_t *count);

#endif
