/*
 * backend.h - what the page layout (lib/layout/page.c) asks of a PDF/PNG
 * engine: measure styled text, break it into lines, and paint.
 *
 * The layout never includes cairo, pango, fontconfig or libharu headers; an
 * engine fills a quire__backend with function pointers and a `self`. Two
 * engines in lib/paint/ implement it: pango+cairo (cairo.c, PDF and PNG)
 * and libharu (haru.c, lean PDF); paint/paint.h makes either.
 *
 * Conventions, shared by every engine so the same layout looks the same:
 *  - Units are PDF points (1/72 in). The origin is the page's top-left
 *    corner and y grows downwards (a libharu engine flips y itself).
 *  - Text is UTF-8 that passed the text policy (safety/text_policy.h, at
 *    the gate in paint/engine.c): no controls but tab and newline, no
 *    noncharacters, no bidi controls. Engines never see model nodes, JSON
 *    or the theme file; only the values below.
 *  - Line height: a paragraph gives line_height in points (the layout
 *    computes font size x theme lineHeight). A line's height is
 *    max(line_height, ascent + descent of the tallest run on it), and its
 *    baseline sits at half-leading: (height - (ascent + descent)) / 2 +
 *    ascent from the line's top, as CSS does. Both engines must follow
 *    this so page breaks fall in the same place.
 *  - Every call that can fail returns 0 or a negative QUIRE_E* code;
 *    painting calls are void and record the first failure inside the
 *    engine, reported by end_document (like quire_buf's sticky error).
 *
 * The call sequence the layout makes:
 *   measuring (any time):   para_new / para_free (+ getters)
 *   painting (in order):    begin_document, then per page: begin_page,
 *                           paint calls, end_page; then end_document.
 * A PNG engine paints only the pages it was asked for; the layout calls
 * begin_page/end_page for those pages only, always with the same
 * measurements, so PDF and PNG break lines identically.
 */
#ifndef QUIRE_LAYOUT_BACKEND_H
#define QUIRE_LAYOUT_BACKEND_H

#include <stddef.h>

/* A colour; a == 0 means "none" (no fill / no stroke). */
typedef struct quire__color {
  unsigned char r, g, b, a; /* a: 255 opaque; only 0 and 255 are required */
} quire__color;

/* Font roles map to the theme's families (fonts/fontmap.json files). */
typedef enum quire__font_role {
  QUIRE__FONT_BODY = 0,
  QUIRE__FONT_HEADING,
  QUIRE__FONT_MONO,
  QUIRE__FONT_ROLE_COUNT
} quire__font_role;

/* Run style bits. */
#define QUIRE__RUN_BOLD (1u << 0)
#define QUIRE__RUN_ITALIC (1u << 1)
#define QUIRE__RUN_STRIKE (1u << 2)    /* a line through the text */
#define QUIRE__RUN_UNDERLINE (1u << 3) /* links */
#define QUIRE__RUN_NOBREAK (1u << 4)   /* never break inside this run */
/* The run is one field of several on a line (a name, a date): its text
 * takes its direction from its own first strong letter and neither it nor
 * its neighbours reorder across it (Unicode's FSI ... PDI, which no run's
 * text may carry itself: engines never receive bidi controls). */
#define QUIRE__RUN_ISOLATE (1u << 5)

/* One styled stretch of text in a paragraph. All pointers are borrowed
 * only for the duration of para_new: engines copy what they keep. */
typedef struct quire__run {
  const char *text;        /* UTF-8, not NUL-terminated */
  size_t len;              /* bytes */
  quire__font_role role;   /* family */
  unsigned style;          /* QUIRE__RUN_* */
  double size;             /* font size, pt */
  quire__color color;      /* text colour */
  quire__color background; /* a == 0: none; inline code tint (engines may
                              draw it as a box behind the run's glyphs) */
  const char *link;        /* http(s) URL or NULL: the engine adds a link
                              annotation over this run's glyphs when it
                              paints; NUL-terminated */
} quire__run;

typedef enum quire__align {
  QUIRE__ALIGN_LEFT = 0, /* start edge: right for a right-to-left paragraph */
  QUIRE__ALIGN_CENTER,
  QUIRE__ALIGN_RIGHT
} quire__align;

/* A paragraph to measure: runs set one after another, broken into lines. */
typedef struct quire__para_spec {
  const quire__run *runs;
  size_t nruns;
  double width;       /* box width, pt; <= 0: never wrap (natural width) */
  double line_height; /* pt; see the line-height rule above */
  quire__align align;
  /* 1: left to right whatever the text (an entry of a list whose entries
   * must line up: the contents); 0: the first strong letter's, below. */
  int ltr;
  /* Line breaking: at Unicode line-break opportunities (UAX #14: spaces,
   * hyphens, between ideographs); '\n' in a run is a forced break. A word
   * wider than the box is broken between characters: no line is ever
   * wider than `width`. Base direction follows the first strong
   * character (Arabic paragraphs run right to left). */
} quire__para_spec;

/* A measured line. */
typedef struct quire__line {
  double height;   /* pt, includes the leading */
  double baseline; /* pt from the line's top to its baseline */
  double width;    /* pt, the ink advance of the line's text */
} quire__line;

/* A measured paragraph, owned by the engine that made it. Immutable after
 * para_new; painting a range of its lines does not change it. */
typedef struct quire__para quire__para;

/* Paths for illustrations, icons and rules: a list of segments. */
typedef enum quire__seg_op {
  QUIRE__SEG_MOVE = 0, /* x1,y1 */
  QUIRE__SEG_LINE,     /* x1,y1 */
  QUIRE__SEG_CUBIC,    /* control x1,y1  x2,y2  end x3,y3 */
  QUIRE__SEG_CLOSE
} quire__seg_op;

typedef struct quire__seg {
  quire__seg_op op;
  double x1, y1, x2, y2, x3, y3; /* page coordinates, pt */
} quire__seg;

/* How a shape is painted. fill.a == 0: not filled; stroke.a == 0 or
 * stroke_width <= 0: not stroked. Fill uses the non-zero winding rule. */
typedef struct quire__paint {
  quire__color fill;
  quire__color stroke;
  double stroke_width; /* pt */
} quire__paint;

/* Document information, set once in begin_document. Strings may be NULL
 * (omitted); engines copy them. */
typedef struct quire__doc_meta {
  const char *title;
  const char *author;     /* the entity label */
  const char *subject;    /* the template name */
  const char *creator;    /* "quire 0.1.0" */
  const char *created_at; /* ISO 8601 from the report ("2026-03-04T10:00:00Z",
                             "...+02:00"); NULL: no date at all, never the
                             clock (output must be deterministic) */
  const char *lang;       /* "en" or NULL */
} quire__doc_meta;

typedef struct quire__backend quire__backend;

struct quire__backend {
  void *self; /* the engine's state, passed to every call */

  /* ---- measuring ---- */

  /* Breaks spec's runs into lines. *out is the engine's (para_free).
   * Errors: QUIRE_ENOMEM, QUIRE_EFONT (no font for a role). An engine warns
   * (through the render options' warn callback) about characters no font
   * has, once per character per document, and still succeeds. */
  int (*para_new)(void *self, quire__para **out, const quire__para_spec *spec);
  void (*para_free)(void *self, quire__para *para);
  size_t (*para_line_count)(void *self, const quire__para *para);
  /* Line i (0-based, < para_line_count). */
  void (*para_line)(void *self, const quire__para *para, size_t i,
                    quire__line *out);

  /* ---- painting ---- */

  int (*begin_document)(void *self, const quire__doc_meta *meta);
  /* page_index is 0-based over the whole document, also when an engine
   * paints only some pages (PNG). */
  int (*begin_page)(void *self, int page_index, double width, double height);

  /* Paints lines [first, first + count) of para with the top of line
   * `first` at y and the paragraph box's left edge at x (alignment and
   * right-to-left placement are within the box width given to para_new).
   * Adds link annotations for runs with a link. */
  void (*para_paint)(void *self, const quire__para *para, size_t first,
                     size_t count, double x, double y);
  /* A rectangle with corner radius r (0: square corners). */
  void (*rect)(void *self, double x, double y, double w, double h, double r,
               const quire__paint *paint);
  /* A straight line, butt caps. */
  void (*line)(void *self, double x1, double y1, double x2, double y2,
               double width, quire__color color);
  /* An arbitrary path; each MOVE starts a subpath. */
  void (*path)(void *self, const quire__seg *segs, size_t nsegs,
               const quire__paint *paint);
  /* A clickable area on the current page opening uri (http(s) only; the
   * layout never passes anything else). PNG engines ignore it. */
  void (*link)(void *self, double x, double y, double w, double h,
               const char *uri);
  /* A clickable area on the current page going to y on page `page`
   * (0-based) of this document: a contents list's entries. The target may
   * be a page not painted yet. NULL for engines without links (PNG). */
  void (*link_page)(void *self, double x, double y, double w, double h,
                    int page, double target_y);
  /* A bookmark pointing at y on the current page. parent is 0 for a top
   * level entry or an id this function returned before. Returns the new
   * entry's id (> 0), or 0 when the engine has no outline (PNG). */
  int (*outline)(void *self, int parent, const char *title, double y);

  /* Opens (begin 1) or closes a structure element of the tagged PDF
   * (name: "P", "H2", "Table", ...), always properly nested, possibly
   * spanning pages. NULL for engines without a structure tree (libharu has
   * no API for one; PNG). */
  void (*tag)(void *self, const char *name, int begin);
  /* The alternative text of the element just opened (a "Figure"): what a
   * screen reader says for a picture. NULL where tag is. */
  void (*tag_alt)(void *self, const char *alt);

  int (*end_page)(void *self);
  /* Finishes the output (writes the PDF trailer / encodes the PNG) and
   * returns the first failure of any earlier painting call. */
  int (*end_document)(void *self);
};

#endif
