/*
 * page.h - page layout over a backend: boxes, pagination, page furniture.
 *
 * A renderer (render/page.c for PDF and PNG) builds "boxes": paint
 * operations with coordinates relative to the box's top, a height, the gap
 * wanted above it and rules for cutting it (an atomic box moves whole to
 * the next page; text may be cut between lines, never leaving one line of
 * a paragraph alone). quire__layout_flow places boxes on pages, keeping
 * "keep with next" boxes (headings) with their follower. Paragraphs are
 * measured through the backend's para_new when they are added, so page
 * breaks are known before anything is painted; quire__layout_paint then
 * replays chosen pages through the same backend, adding the header and
 * footer ("3 / 7"). Laying out first and painting second is what lets the
 * footer count pages and lets PNG paint page 5 alone with the exact line
 * breaks of the PDF.
 *
 * The layout never sees the document model, the theme or an engine's
 * headers: only runs, colours, shapes and the backend (layout/backend.h).
 */
#ifndef QUIRE_LAYOUT_PAGE_H
#define QUIRE_LAYOUT_PAGE_H

#include "internal.h"
#include "layout/backend.h"

typedef struct quire__layout quire__layout;

/* Page geometry in points, y from the page's top edge. */
typedef struct quire__page_geom {
  double width, height;       /* the paper */
  double left, content_width; /* the column */
  double top, bottom;         /* the flow area */
  double margin;              /* the paper's top and bottom margin, where
                                 the header and footer sit (0: left) */
} quire__page_geom;

typedef struct quire__op quire__op; /* one paint operation (page.c) */

/* A box under construction. Zero-initialise it ({0}); ops are added with
 * quire__box_*; a box handed to quire__layout_flow or merged into another
 * is emptied. */
typedef struct quire__box {
  quire__op *ops;
  size_t n, cap;
  double h;      /* height */
  double gap;    /* space wanted above when not at a page top */
  int atomic;    /* move whole to the next page rather than cut */
  int keep_next; /* never the last thing on a page (headings) */
  int keep_prev; /* never the first thing on a page when the box before it
                    is on the previous one (an illustration stays with its
                    section) */
} quire__box;

/* What every page shows around the flow: the footer text (left) and
 * "page / pages" (right) on every page, the header text on pages after
 * the first. Strings are copied; header may be NULL. */
typedef struct quire__furniture {
  const char *footer;
  const char *header;
  double size;       /* font size, pt (body role) */
  quire__color text; /* their colour */
  quire__color rule; /* the hairlines under the header, over the footer */
} quire__furniture;

/*
 * A new, empty layout measuring through be (which must outlive it).
 * Errors: QUIRE_ENOMEM, QUIRE_EINVAL.
 */
int quire__layout_new(quire__layout **out, const quire__backend *be,
                      const quire__page_geom *geom, quire_error *err);
void quire__layout_free(quire__layout *layout);

/* The first failure of any call below (sticky; later calls do nothing),
 * or 0. quire__layout_fail records one found by the caller. */
int quire__layout_failed(const quire__layout *layout);
void quire__layout_fail(quire__layout *layout, int code);

/* ---- paragraphs: measured once, referred to by index ---- */

/*
 * Measures runs set in a box w wide (w <= 0: never wrap) with line height
 * lh. Returns the paragraph's index, or -1 after a failure. Text no engine
 * should be handed as is (runaway combining marks, a paragraph past 256
 * KiB) is trimmed first.
 */
long quire__layout_para(quire__layout *layout, const quire__run *runs, size_t n,
                        double w, double lh, quire__align align);
/* The same, set left to right whatever the text when ltr (backend.h's
 * quire__para_spec.ltr): entries of a list that must line up. */
long quire__layout_para_ltr(quire__layout *layout, const quire__run *runs,
                            size_t n, double w, double lh, quire__align align,
                            int ltr);
/* Height of paragraph i (0 for -1) and its widest line. */
double quire__layout_para_height(const quire__layout *layout, long i);
double quire__layout_para_width(const quire__layout *layout, long i);

/* ---- building boxes ---- */

/* Adds paragraph `para` (-1: nothing) at (x, y), w wide; returns its
 * height. */
double quire__box_para(quire__layout *layout, quire__box *b, long para,
                       double x, double y, double w);
/* A rectangle with corner radius r; fill/stroke with a == 0 are none. */
void quire__box_rect(quire__layout *layout, quire__box *b, double x, double y,
                     double w, double h, double r, quire__color fill,
                     quire__color stroke, double stroke_width);
void quire__box_line(quire__layout *layout, quire__box *b, double x1, double y1,
                     double x2, double y2, double width, quire__color c);
/* A path (segments copied); top is its highest y, which decides the page
 * it falls on. */
void quire__box_path(quire__layout *layout, quire__box *b,
                     const quire__seg *segs, size_t n,
                     const quire__paint *paint, double top);
/* A bookmark at the box's top; level 1 (top) or 2 (under the last 1).
 * title is borrowed: it must live as long as the layout. */
void quire__box_outline(quire__layout *layout, quire__box *b, const char *title,
                        int level);
/* Structure for tagged PDF. name is a PDF standard structure type given
 * as a string literal ("P", "H2", "L", "LI", "Table", "TR", "TH", "TD",
 * "Figure", "Code"). tag_begin/tag_end add a begin or end at y, after the
 * ops so far; quire__box_tag wraps everything in b (call it once b->h is
 * set); quire__box_tag_first puts a begin or end before all of b's ops
 * (so the last one put first comes first), for groups that open or close
 * between two boxes. Cut boxes, merging and painting keep the tags nested. */
void quire__box_tag_begin(quire__layout *layout, quire__box *b,
                          const char *name, double y);
void quire__box_tag_end(quire__layout *layout, quire__box *b, const char *name,
                        double y);
void quire__box_tag(quire__layout *layout, quire__box *b, const char *name);
/* quire__box_tag with the element's alternative text (a "Figure": what a
 * screen reader says for it); alt is borrowed like name. */
void quire__box_tag_alt(quire__layout *layout, quire__box *b, const char *name,
                        const char *alt);
void quire__box_tag_first(quire__layout *layout, quire__box *b,
                          const char *name, int begin);
/* Moves every op of src into dst, offset by dx, dy; src is emptied. */
void quire__box_merge(quire__layout *layout, quire__box *dst, quire__box *src,
                      double dx, double dy);
void quire__box_free(quire__box *b);

/* A page number: when pages are known, the page of bookmark `outline`
 * (the index quire__layout_outline_count counts) is set right-aligned in
 * the w wide box at (x, y) in the style of `style` (its text is ignored),
 * and the area (x, y, w, h) links to it. */
void quire__box_pageref(quire__layout *layout, quire__box *b, double x,
                        double y, double w, double h, const quire__run *style,
                        size_t outline);

/* ---- pages ---- */

/* Takes b (and empties it). Boxes are placed on pages when the layout is
 * paginated (quire__layout_paginate, quire__layout_finish), all at once,
 * so that the keep rules can look ahead and back: a keep-with-next box
 * and its follower's first piece, and a keep-with-previous box and its
 * predecessor, start on the same page whenever the group fits on one. */
void quire__layout_flow(quire__layout *layout, quire__box *b);

/* How many boxes were flowed so far: a position for quire__layout_insert. */
size_t quire__layout_mark(const quire__layout *layout);
/* Inserts b (emptied) before the box that was at position `at`. */
void quire__layout_insert(quire__layout *layout, size_t at, quire__box *b);

/* Bookmarks in the order they were added: their count, and the title and
 * level of bookmark i. */
size_t quire__layout_outline_count(const quire__layout *layout);
const char *quire__layout_outline(const quire__layout *layout, size_t i,
                                  int *level);

/* Places every box flowed so far, as quire__layout_finish will, and
 * returns the page count (0 after a failure): a renderer's trial run, to
 * decide on a contents list. */
int quire__layout_paginate(quire__layout *layout);
/* The flow height left on the page where box `at` (a mark) would start,
 * after the boxes before it, in a pagination of what was flowed so far:
 * what a box inserted there has before the page ends. */
double quire__layout_room(quire__layout *layout, size_t at);

/*
 * Places every box on pages, then records the furniture and the document
 * information (strings copied). Call once, after the last box. A last
 * page that would be under about a sixth full is avoided where the
 * layout can: first by tightening the gaps between boxes (down to 70 %)
 * when that saves the page, else by ending the page before it earlier so
 * that the two share the content. Page references are filled in last.
 * Returns quire__layout_failed().
 */
int quire__layout_finish(quire__layout *layout, const quire__furniture *f,
                         const quire__doc_meta *meta);

int quire__layout_page_count(const quire__layout *layout);
/* The document information given to quire__layout_finish (borrowed). */
void quire__layout_meta(const quire__layout *layout, quire__doc_meta *out);

/*
 * Paints pages [first, first + count) (0-based) through be: begin_document,
 * begin_page/paint/end_page for each, end_document. be must be the backend
 * (or one with identical measurements) that made the layout.
 * Errors: those of the backend's begin/end calls, QUIRE_EINVAL for a page
 * range outside the document.
 */
int quire__layout_paint(const quire__layout *layout, const quire__backend *be,
                        int first, int count, quire_error *err);

#endif
