/* The default PDF/PNG engine: the line model (paint/linemodel.h) measures
 * and breaks lines, cairo paints (PDF surface, or an image surface encoded
 * with libpng); paragraphs that need shaping are set by pango, in the
 * engine's pango half (paint/cairo_pango.h), loaded when one first does.
 * Implements layout/backend.h for the shared page layout. */
#include "paint/cairo.h"
#include "paint/pdf_catalog.h"

#include "core/bytemap.h"
#include "paint/cairo_pango.h"
#include "paint/fonts_cairo.h"
#include "paint/fonts_haru.h"
#include "paint/linemodel.h"
#include "paint/png.h"

#include <cairo-ft.h>
#include <cairo-pdf.h>
#include FT_TRUETYPE_TABLES_H

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* pango's units per point (pango-types.h): the direct path computes in
 * them, as pango did, without pango's headers. */
#define PANGO_SCALE 1024
#define S_PI 3.14159265358979323846

typedef struct S_line {
  double x;          /* logical left edge within the box */
  double lx;         /* the same in the layout's coordinates */
  double h, base, w; /* w: the line model's width */
  size_t s0, ns;     /* direct: the line's segments */
  int pw;            /* direct: pango's width of the line, pango units */
  int ly, lh;        /* direct: pango's logical top (from the baseline)
                        and height, pango units */
} S_line;

typedef struct S_link {
  int start, end; /* byte range in the layout text */
  unsigned run;   /* the spec's run */
  char *uri;
} S_link;

/* Direct painting (S_direct_new): one run's glyphs on one line, what
 * pango draws with one cairo_show_text_glyphs. */
typedef struct S_seg {
  size_t g0, ng; /* glyphs, x in pango units from the segment's start */
  size_t c0, nc; /* clusters */
  size_t b0, nb; /* text */
  unsigned run;
  int face; /* the line model's face index */
  double size;
  quire__color color;
  quire__color background;     /* a == 0: none */
  int x, w;                    /* pango units from the line's left edge; wide */
  unsigned char under, strike; /* the run is underlined, struck through */
  int ink_x, ink_w;            /* under or strike: the glyphs' ink extents
                                  from the segment's start, pango units
                                  (0, 0: no ink) */
} S_seg;

/* A link's rectangle on a line, pt from the line's left edge. */
typedef struct S_lrect {
  size_t line, link;
  double x0, x1;
} S_lrect;

struct quire__para {
  int refs; /* the layout's and the render's measurement cache's */
  quire__cpango_para *pp; /* set by pango (cairo_pango.h), or NULL */
  S_line *lines;
  size_t nlines;
  S_link *links;
  size_t nlinks;
  /* direct painting instead of the layout */
  int direct;
  char *dtext; /* pango's text of the segments, one after another */
  size_t dlen;
  cairo_glyph_t *glyphs;
  size_t nglyphs;
  cairo_text_cluster_t *clusters;
  size_t nclusters;
  S_seg *segs;
  size_t nsegs;
  S_lrect *lrects;
  size_t nlrects;
};

typedef struct S_engine {
  quire__backend be;
  quire__fontset fonts;
  /* The line model's fonts (paint/linemodel.h): lines are broken by the
   * model, the same as the haru engine's, and pango only sets them. */
  quire__hfont_paths hpaths;
  quire__lm_fonts lm;
  /* Direct painting's faces (S_direct_face): 0 not looked at, 1 usable,
   * -1 not; and the fonts' extents asked so far. */
  cairo_font_face_t *dface[QUIRE__LM_FIRST_FALLBACK];
  signed char dstate[QUIRE__LM_FIRST_FALLBACK];
  struct {
    int asc, desc; /* hhea, font units (both positive) */
    unsigned upem;
    int state; /* 0 not read, 1 read, -1 unusable */
  } vm[QUIRE__LM_FIRST_FALLBACK];
  struct {
    /* post's underline and OS/2's strike-out, font units (S_deco_read) */
    int upos, uthick, spos, sthick;
    unsigned upem;
    int state; /* 0 not read, 1 read, -1 unusable */
  } dm[QUIRE__LM_FIRST_FALLBACK];
  cairo_font_options_t *fo;
  cairo_glyph_t *scratch; /* painting's glyphs */
  size_t nscratch;
  /* Direct glyphs not yet shown (S_direct_paint): npend glyphs in
   * scratch, their text and clusters in ptext and pclusters. */
  struct {
    const quire__para *p;
    int face;
    double size;
    quire__color color;
  } pend;
  size_t npend, nptext, npclusters;
  char *ptext;
  size_t ptext_cap;
  cairo_text_cluster_t *pclusters;
  size_t pclusters_cap;
  const quire__cairo_pango_module *pm; /* the pango half, once needed */
  quire__cpango *pg;                   /* this render's pango state */
  double dpi;                          /* PNG */
  int png;                             /* PNG images, else one PDF */
  quire__color paper;
  /* Paragraphs measured so far in this render, keyed by everything that
   * decides their lines (S_para_key): the layout measures some text twice
   * (grid cards for the row height, then at their place; page headers and
   * footers on every page), and shaping is most of a render's cost. A hit
   * hands out the same immutable paragraph with one more reference. */
  quire__bytemap paras; /* S_para_key -> quire__para (one reference) */
  /* painting */
  quire__out out;
  quire__pdf_catalog catalog; /* what cairo cannot write: /Lang, /Alt, ... */
  char lang[36];
  cairo_surface_t *surface;
  cairo_t *cr;
  int pages;          /* PDF pages begun so far */
  int err;            /* first painting failure */
  quire_error *error; /* borrowed: where the first failure is described */
} S_engine;

static void S_set_err(S_engine *e, int code) {
  if (!e->err)
    e->err = code;
}

/* A cairo failure by its real cause: cairo's status names it, and only
 * CAIRO_STATUS_NO_MEMORY is out of memory (every status was once reported
 * as ENOMEM, so a noncharacter cairo refused read "out of memory").
 * Returns the QUIRE_E* code, also kept as the first failure. */
static int S_cairo_fail(S_engine *e, cairo_status_t st, const char *what) {
  int code;
  switch (st) {
  case CAIRO_STATUS_SUCCESS: return 0;
  case CAIRO_STATUS_NO_MEMORY: code = QUIRE_ENOMEM; break;
  case CAIRO_STATUS_WRITE_ERROR:
    code = e->out.err ? e->out.err : QUIRE_EIO;
    break;
  case CAIRO_STATUS_FONT_TYPE_MISMATCH:
  case CAIRO_STATUS_USER_FONT_ERROR:
  case CAIRO_STATUS_FREETYPE_ERROR: code = QUIRE_EFONT; break;
  default: code = QUIRE_ERROR; break;
  }
  if (!e->err) {
    e->err = code;
    if (code == e->out.err)
      quire__error_set(e->error, code, "%s",
                       code == QUIRE_ETOOBIG
                           ? "the output is larger than its cap"
                           : "cannot write the output");
    else
      quire__error_set(e->error, code, "cairo: %s while %s",
                       cairo_status_to_string(st), what);
  }
  return e->err;
}

/* ---- measuring ---- */

static int S_fonts_changed(S_engine *e);

/* A colour channel as pango keeps it (16 bits). */
static uint16_t S_c16(unsigned char v) { return (uint16_t)(v * 257); }

/* Back to an empty paragraph (links and all): after a direct attempt that
 * could not finish, so pango can measure it, and when it is freed. */
static int S_direct_reset(quire__para *p) {
  for (size_t i = 0; i < p->nlinks; i++)
    free(p->links[i].uri);
  p->nlinks = 0;
  free(p->lines);
  free(p->dtext);
  free(p->glyphs);
  free(p->clusters);
  free(p->segs);
  free(p->lrects);
  p->lines = NULL;
  p->dtext = NULL;
  p->glyphs = NULL;
  p->clusters = NULL;
  p->segs = NULL;
  p->lrects = NULL;
  p->nlines = p->dlen = p->nglyphs = p->nclusters = p->nsegs = p->nlrects = 0;
  p->direct = 0;
  return 0;
}

static void S_para_free(void *self, quire__para *p) {
  S_engine *e = self;
  if (!p || --p->refs > 0)
    return;
  if (p->pp)
    e->pm->para_free(p->pp);
  S_direct_reset(p);
  free(p->links);
  free(p);
}

/* The cache key: every input that decides a paragraph's lines and paint,
 * taken from the spec before anything is measured, so a hit costs neither
 * the line model nor pango. Runs with no text add nothing to the layout,
 * so they add nothing here; the text goes last (S_para_key_spec). */
static void S_para_key_run(quire_buf *key, const quire__run *r, size_t start,
                           size_t end) {
  quire_buf_put(key, &start, sizeof start);
  quire_buf_put(key, &end, sizeof end);
  quire_buf_put(key, &r->role, sizeof r->role);
  quire_buf_put(key, &r->style, sizeof r->style);
  quire_buf_put(key, &r->size, sizeof r->size);
  quire_buf_put(key, &r->color, sizeof r->color);
  quire_buf_put(key, &r->background, sizeof r->background);
  /* the link's NUL ends it, so "a" then "b..." cannot pose as "ab..." */
  if (r->link)
    quire_buf_put(key, r->link, strlen(r->link) + 1);
  else
    quire_buf_putc(key, 0xFF);
}

static void S_para_key_spec(quire_buf *key, const quire__para_spec *spec) {
  size_t at = 0;
  for (size_t i = 0; i < spec->nruns; i++) {
    const quire__run *r = &spec->runs[i];
    if (r->len)
      S_para_key_run(key, r, at, at + r->len);
    at += r->len;
  }
  quire_buf_put(key, &spec->width, sizeof spec->width);
  quire_buf_put(key, &spec->line_height, sizeof spec->line_height);
  quire_buf_put(key, &spec->align, sizeof spec->align);
  quire_buf_put(key, &spec->ltr, sizeof spec->ltr);
  for (size_t i = 0; i < spec->nruns; i++)
    quire_buf_put(key, spec->runs[i].text, spec->runs[i].len);
}

/* U+2028 LINE SEPARATOR: where the line model ends a line that the text
 * does not end itself. pango breaks there (UAX #14 class BK) within the
 * paragraph, so the bidi base direction and isolates still span the whole
 * paragraph as in the haru engine, and draws nothing for it. */
#define S_LS "\xE2\x80\xA8"

/* Where the model breaks the text (byte offsets into the runs' text, one
 * after another): the hanging spaces [from, to) are left out and a line
 * separator goes before `to`, unless the text breaks there itself. */
typedef struct S_brk {
  size_t from, to;
  int forced;
} S_brk;

static size_t S_lm_off(const quire__lm_para *m, size_t k) {
  return k < m->nchars ? m->chars[k].off : m->len;
}

/* ---- the direct path ----
 *
 * Most paragraphs are Latin (or Greek, or Cyrillic) text in one of the
 * role's own faces, where HarfBuzz does nothing the line model does not:
 * it maps characters through the cmap, adds the hmtx advances and the
 * 'kern' pairs, and sets the f-ligatures. For those, pango's itemising and
 * shaping (most of a render's layout cost) only recomputes what the model
 * knows, so the engine paints the model's glyphs itself: the same glyph
 * ids, the same positions in pango units (HarfBuzz's arithmetic below),
 * the same text and clusters per run (so text extraction and the ToUnicode
 * maps do not change), and lines as tall as pango makes them (the hhea
 * metrics, scaled the same way). The PDFs and PNGs come out byte for byte
 * as pango made them, links' underlines and strike-throughs included
 * (S_deco_read). Anything else (right-to-left or mixed scripts, marks,
 * fallback fonts, tabs) goes to pango as before, which also keeps
 * pango's font map unmade in a render that never needs it. */

/* A face for direct painting: the font file cairo opens by name, as
 * pango's fonts do. Made once per process, only read after. */
typedef struct S_dface {
  char path[QUIRE__HFONT_PATH];
  int index;
  cairo_font_face_t *face; /* NULL: unusable */
} S_dface;

#define S_MAX_DFACES 32
static pthread_mutex_t S_dface_lock = PTHREAD_MUTEX_INITIALIZER;
static S_dface S_dfaces[S_MAX_DFACES];
static size_t S_ndfaces;

static cairo_font_options_t *S_font_options(void) {
  cairo_font_options_t *fo = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
  return fo;
}

static cairo_font_face_t *S_dface_get(const quire__hfont_file *f) {
  cairo_font_face_t *out = NULL;
  pthread_mutex_lock(&S_dface_lock);
  size_t i = 0;
  while (i < S_ndfaces && !(S_dfaces[i].index == f->index &&
                            strcmp(S_dfaces[i].path, f->path) == 0))
    i++;
  if (i < S_ndfaces) {
    out = S_dfaces[i].face;
  } else if (S_ndfaces < S_MAX_DFACES) {
    S_dface *d = &S_dfaces[S_ndfaces];
    FcPattern *pat = FcPatternCreate();
    cairo_font_options_t *fo = S_font_options();
    if (pat && FcPatternAddString(pat, FC_FILE, (const FcChar8 *)f->path) &&
        FcPatternAddInteger(pat, FC_INDEX, f->index)) {
      /* pango's font options on the pattern, as pango puts them on its
       * fonts' patterns: the same options make cairo hand out pango's
       * own face, so a document's fonts are embedded once whichever path
       * painted them. */
      cairo_ft_font_options_substitute(fo, pat);
      FcDefaultSubstitute(pat);
      cairo_font_face_t *cf = cairo_ft_font_face_create_for_pattern(pat);
      if (cairo_font_face_status(cf) == CAIRO_STATUS_SUCCESS)
        out = cf;
      else
        cairo_font_face_destroy(cf);
    }
    cairo_font_options_destroy(fo);
    if (pat)
      FcPatternDestroy(pat);
    /* a failure is kept too, so the file is not tried again */
    memcpy(d->path, f->path, sizeof d->path);
    d->index = f->index;
    d->face = out;
    S_ndfaces++;
  }
  pthread_mutex_unlock(&S_dface_lock);
  return out;
}

/* The engine's face i for direct painting, or NULL: only the roles' own
 * faces of families whose shaping the line model reproduces (DejaVu: its
 * 'kern' table holds GPOS's pairs and 'liga' only the f-ligatures), and a
 * bold or italic face only when the family has that file (else fontconfig
 * would embolden or slant another). */
static cairo_font_face_t *S_direct_face(S_engine *e, int i) {
  if (i < 0 || i >= QUIRE__LM_FIRST_FALLBACK)
    return NULL;
  if (e->dstate[i])
    return e->dface[i];
  e->dstate[i] = -1;
  int role = i / QUIRE__HFONT_FACES, f = i % QUIRE__HFONT_FACES;
  const quire__hfont_file *file = &e->hpaths.face[role][f],
                          *reg = &e->hpaths.face[role][0];
  if (strncmp(e->hpaths.family[role], "DejaVu ", 7) != 0 ||
      strcmp(e->hpaths.family[role], e->fonts.family[role]) != 0 ||
      !file->path[0] ||
      (f && file->index == reg->index && strcmp(file->path, reg->path) == 0))
    return NULL;
  cairo_font_face_t *cf = S_dface_get(file);
  if (!cf)
    return NULL;
  e->dface[i] = cf;
  e->dstate[i] = 1;
  return cf;
}

/* HarfBuzz's scaling of font units to the font's scale (hb-font.hh). */
static int S_hb_scale(int v, int64_t mult) {
  return (int)((v * mult + 32768) >> 16);
}

/* pango's logical extents of a run in face i at size: y (negative: up)
 * and height, pango units. pango 1.50 takes them from HarfBuzz's font
 * extents, the hhea ascender and descender scaled each on its own
 * (checked against pango_layout_line_get_extents). */
static int S_direct_extents(S_engine *e, int face, double size, int *y,
                            int *h) {
  if (!e->vm[face].state) {
    quire__lm_glyph_info gi;
    e->vm[face].state = -1;
    if (!quire__lm_glyph_units(&e->lm, face, ' ', &gi)) {
      e->vm[face].asc = gi.ascender;
      e->vm[face].desc = gi.descender < 0 ? -gi.descender : gi.descender;
      e->vm[face].upem = gi.upem;
      e->vm[face].state = 1;
    }
  }
  if (e->vm[face].state < 0)
    return -1;
  int scale = (int)(size * PANGO_SCALE);
  int64_t mult = ((int64_t)scale << 16) / (int64_t)e->vm[face].upem;
  int asc = S_hb_scale(e->vm[face].asc, mult);
  int desc = S_hb_scale(-e->vm[face].desc, mult);
  *y = -asc;
  *h = asc - desc;
  return 0;
}

/* Underlines and strike-throughs as pango 1.50 draws them
 * (pango-renderer.c, pango_renderer_draw_layout_line): the lines' position
 * and thickness are pango's font metrics (pangofc-font.c, get_face_metrics:
 * HarfBuzz's hb_ot_metrics_get_position, the post table's underline and
 * OS/2's strike-out scaled with em_scalef); an underline runs from the
 * glyphs' ink or logical left edge, whichever is further left, for the
 * wider of the two, and a strike-through over the ink; consecutive runs
 * join into one rectangle, which is drawn when the decoration or its
 * colour changes and at the line's end. The ink comes from the scaled
 * font pango's own font would have (cairo_scaled_font_glyph_extents, as
 * pangocairo-font.c asks), so the rectangles are the ones pango drew. */
static int S_deco_read(S_engine *e, int face) {
  if (e->dm[face].state)
    return e->dm[face].state > 0 ? 0 : -1;
  e->dm[face].state = -1;
  cairo_matrix_t m, id;
  cairo_matrix_init_identity(&m);
  cairo_matrix_init_identity(&id);
  cairo_scaled_font_t *sf =
      cairo_scaled_font_create(e->dface[face], &m, &id, e->fo);
  FT_Face ft = cairo_scaled_font_status(sf) == CAIRO_STATUS_SUCCESS
                   ? cairo_ft_scaled_font_lock_face(sf)
                   : NULL;
  if (ft) {
    const TT_Postscript *post = FT_Get_Sfnt_Table(ft, FT_SFNT_POST);
    const TT_OS2 *os2 = FT_Get_Sfnt_Table(ft, FT_SFNT_OS2);
    /* a font without the tables, or with zeros (pango's defaults then):
     * pango draws it */
    if (post && os2 && ft->units_per_EM && post->underlinePosition &&
        post->underlineThickness && os2->yStrikeoutPosition &&
        os2->yStrikeoutSize) {
      e->dm[face].upos = post->underlinePosition;
      e->dm[face].uthick = post->underlineThickness;
      e->dm[face].spos = os2->yStrikeoutPosition;
      e->dm[face].sthick = os2->yStrikeoutSize;
      e->dm[face].upem = ft->units_per_EM;
      e->dm[face].state = 1;
    }
    cairo_ft_scaled_font_unlock_face(sf);
  }
  cairo_scaled_font_destroy(sf);
  return e->dm[face].state > 0 ? 0 : -1;
}

/* HarfBuzz's em_scalef (hb-font.hh), in float as there. */
static int S_hb_scalef(int v, int scale, unsigned upem) {
  return (int)roundf((float)v * (float)scale / (float)upem);
}

/* pango_units_from_double */
static int S_units(double d) { return (int)floor(d * PANGO_SCALE + 0.5); }

/* A decorated segment's ink extents (pango_glyph_string_extents): the
 * union of its glyphs' ink, each from pango's cairo font. */
static int S_deco_ink(S_engine *e, const quire__para *p, S_seg *s) {
  cairo_matrix_t m, id;
  cairo_matrix_init_scale(&m, s->size, s->size);
  cairo_matrix_init_identity(&id);
  cairo_scaled_font_t *sf =
      cairo_scaled_font_create(e->dface[s->face], &m, &id, e->fo);
  int rc = cairo_scaled_font_status(sf) ? -1 : 0;
  int x0 = 0, w = 0;
  for (size_t k = 0; !rc && k < s->ng; k++) {
    const cairo_glyph_t *g = &p->glyphs[s->g0 + k];
    cairo_glyph_t one = {.index = g->index};
    cairo_text_extents_t ext;
    cairo_scaled_font_glyph_extents(sf, &one, 1, &ext);
    int gx = S_units(ext.x_bearing), gw = S_units(ext.width);
    if (gw == 0 || S_units(ext.height) == 0)
      continue;
    int at = (int)g->x + gx;
    if (w == 0) {
      x0 = at;
      w = gw;
    } else {
      int nx = x0 < at ? x0 : at;
      int r = x0 + w > at + gw ? x0 + w : at + gw;
      x0 = nx;
      w = r - nx;
    }
  }
  if (cairo_scaled_font_status(sf))
    rc = -1;
  cairo_scaled_font_destroy(sf);
  s->ink_x = x0;
  s->ink_w = w;
  return rc;
}

/* One line's decorations while it is painted (pango's LineState). */
typedef struct S_deco {
  double bx, by; /* the line's origin, pt */
  int under, strike;
  quire__color ucolor, scolor;
  int ux, uy, uw, uh;           /* pango units from the origin */
  long sx, sy, sw, sh, sglyphs; /* y and h summed over glyphs */
  int end;                      /* the last segment's logical end */
  int have_color;
  quire__color color; /* the renderer's foreground so far */
} S_deco;

static void S_direct_flush(S_engine *e);

static void S_deco_rect(S_engine *e, const S_deco *d, quire__color c, int x,
                        int y, int w, int h) {
  cairo_t *cr = e->cr;
  S_direct_flush(e); /* the glyphs under it first */
  cairo_save(cr);
  cairo_set_source_rgba(cr, S_c16(c.r) / 65535., S_c16(c.g) / 65535.,
                        S_c16(c.b) / 65535., 1.);
  cairo_rectangle(cr, d->bx + (double)x / PANGO_SCALE,
                  d->by + (double)y / PANGO_SCALE, (double)w / PANGO_SCALE,
                  (double)h / PANGO_SCALE);
  cairo_fill(cr);
  cairo_restore(cr);
}

static void S_deco_draw_under(S_engine *e, S_deco *d) {
  if (d->under)
    S_deco_rect(e, d, d->ucolor, d->ux, d->uy, d->uw, d->uh);
  d->under = 0;
}

static void S_deco_draw_strike(S_engine *e, S_deco *d) {
  if (d->strike && d->sglyphs > 0)
    S_deco_rect(e, d, d->scolor, (int)d->sx, (int)(d->sy / d->sglyphs),
                (int)d->sw, (int)(d->sh / d->sglyphs));
  d->strike = 0;
  d->sglyphs = 0;
  d->sx += d->sw;
  d->sw = d->sy = d->sh = 0;
}

/* Before segment g is painted (pango_renderer_prepare_run): a new colour
 * ends the decorations so far at the last segment's logical end. */
static void S_deco_begin(S_engine *e, S_deco *d, const S_seg *g) {
  int changed = !d->have_color || g->color.r != d->color.r ||
                g->color.g != d->color.g || g->color.b != d->color.b;
  d->color = g->color;
  d->have_color = 1;
  if (!changed)
    return;
  if (d->under) {
    d->uw = d->end - d->ux;
    S_deco_draw_under(e, d);
    d->under = g->under;
    d->ucolor = g->color;
    d->ux = d->end;
    d->uw = 0;
  }
  if (d->strike) {
    d->sw = d->end - d->sx;
    S_deco_draw_strike(e, d);
    d->strike = g->strike;
    d->scolor = g->color;
  }
}

/* After segment g's glyphs. */
static void S_deco_add(S_engine *e, S_deco *d, const quire__para *p,
                       const S_seg *g) {
  d->end = g->x + g->w;
  if (g->under || g->strike) {
    int scale = (int)(g->size * PANGO_SCALE);
    unsigned upem = e->dm[g->face].upem;
    if (g->under) {
      int thick = S_hb_scalef(e->dm[g->face].uthick, scale, upem);
      int pos = S_hb_scalef(e->dm[g->face].upos, scale, upem);
      int nx = g->x + (g->ink_x < 0 ? g->ink_x : 0);
      int nw = g->ink_w > g->w ? g->ink_w : g->w;
      int ny = -pos;
      if (d->under && ny == d->uy && thick == d->uh) {
        d->uw = nx + nw - d->ux;
      } else {
        S_deco_draw_under(e, d);
        d->ux = nx;
        d->uw = nw;
        d->uy = ny;
        d->uh = thick;
        d->under = 1;
        d->ucolor = g->color;
      }
    }
    if (g->strike) {
      int thick = S_hb_scalef(e->dm[g->face].sthick, scale, upem);
      int pos = S_hb_scalef(e->dm[g->face].spos, scale, upem);
      /* pango's glyphs: an empty one for each cluster drawn with none */
      long n = (long)g->ng;
      for (size_t c = g->c0; c < g->c0 + g->nc; c++)
        n += p->clusters[c].num_glyphs == 0;
      int nx = g->x + g->ink_x, nw = g->ink_w;
      if (d->strike) {
        d->sw = nx + nw - d->sx;
        d->sy += (long)-pos * n;
        d->sh += (long)thick * n;
        d->sglyphs += n;
      } else {
        d->sx = nx;
        d->sw = nw;
        d->sy = (long)-pos * n;
        d->sh = (long)thick * n;
        d->sglyphs = n;
        d->strike = 1;
        d->scolor = g->color;
      }
    }
  }
  if (!g->under && d->under)
    S_deco_draw_under(e, d);
  if (!g->strike && d->strike)
    S_deco_draw_strike(e, d);
}

/* The script of a character the direct path takes: 0 common (digits,
 * punctuation, symbols), 1 Latin, 2 Greek, 3 Cyrillic; -1 for everything
 * else (pango sets it). Nothing here has marks, emoji presentation or
 * shaping beyond the cmap. */
static int S_direct_script(int32_t cp) {
  if (cp == '\n' || cp == 0x200B) /* ZERO WIDTH SPACE: a break, no glyph */
    return 0;
  if (cp >= 0x20 && cp < 0x7F)
    return ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') ? 1 : 0;
  if (cp >= 0xA0 && cp <= 0xFF) {
    if (cp == 0xAD)
      return -1;
    return (cp == 0xAA || cp == 0xBA || cp >= 0xC0) && cp != 0xD7 && cp != 0xF7
               ? 1
               : 0;
  }
  if (cp >= 0x100 && cp <= 0x24F)
    return 1;
  if (cp >= 0x1E00 && cp <= 0x1EFF)
    return 1;
  if (cp == 0x386 || (cp >= 0x388 && cp <= 0x3FF && cp != 0x37E))
    return 2;
  if ((cp >= 0x400 && cp <= 0x481) || (cp >= 0x48A && cp <= 0x4FF))
    return 3;
  if ((cp >= 0x2010 && cp <= 0x2027) || (cp >= 0x2030 && cp <= 0x205E) ||
      (cp >= 0x20A0 && cp <= 0x20BF) || cp == 0x2116 || cp == 0x2122 ||
      (cp >= 0x2190 && cp <= 0x21FF) || (cp >= 0x2200 && cp <= 0x22FF) ||
      (cp >= 0x2500 && cp <= 0x25FA) || (cp >= 0x2610 && cp <= 0x2612))
    return 0; /* the ballot boxes: a checklist's marks, text presentation */
  return -1;
}

/* Whether the model's lines of p can be painted directly (above). */
static int S_direct_ok(S_engine *e, const quire__para_spec *spec,
                       const quire__lm_para *lm) {
  if (lm->rtl || lm->nchars == 0)
    return 0;
  for (size_t r = 0; r < spec->nruns; r++) {
    const quire__run *run = &spec->runs[r];
    if (!run->len)
      continue;
    if (!(run->size >= 1) || run->size > 4096)
      return 0;
  }
  int script = 0;
  for (size_t k = 0; k < lm->nchars; k++) {
    const quire__lm_char *c = &lm->chars[k];
    if (lm->levels[k] & 1) /* an isolate's text is at level 2 */
      return 0;
    if (c->flags & QUIRE__LM_MARK)
      continue;
    int s = S_direct_script(c->cp);
    if (s < 0 || (s && script && s != script) || (c->flags & QUIRE__LM_NOGLYPH))
      return 0;
    if (s)
      script = s;
    if (c->flags & (QUIRE__LM_NEWLINE | QUIRE__LM_DROP))
      continue;
    const quire__run *run = &spec->runs[c->run];
    int prim = (int)run->role * QUIRE__HFONT_FACES +
               ((run->style & QUIRE__RUN_BOLD) ? 1 : 0) +
               ((run->style & QUIRE__RUN_ITALIC) ? 2 : 0);
    if (c->face != prim || !S_direct_face(e, c->face))
      return 0;
    if ((run->style & (QUIRE__RUN_UNDERLINE | QUIRE__RUN_STRIKE)) &&
        S_deco_read(e, c->face))
      return 0;
  }
  /* Every line holds a character, so its height comes from its runs' fonts
   * (pango sizes an empty line from other metrics). */
  for (size_t i = 0; i < lm->nlines; i++) {
    const quire__lm_line *l = &lm->lines[i];
    size_t k = l->start;
    while (k < l->next && k < lm->nchars &&
           (lm->chars[k].flags & (QUIRE__LM_MARK | QUIRE__LM_NEWLINE)))
      k++;
    if (k >= l->next || k >= lm->nchars)
      return 0;
    /* a ligature the model made across a cut inside a word: pango shapes
     * each line on its own */
    const quire__lm_char *c = &lm->chars[l->start < lm->nchars ? l->start : 0];
    if (i > 0 && (c->flags & QUIRE__LM_DROP) && !(c->flags & QUIRE__LM_MARK) &&
        c->cp != 0x200B)
      return 0;
  }
  return 1;
}

static int S_lrect_add(quire__para *p, size_t line, size_t link, int x0,
                       int x1) {
  S_lrect *v = quire__realloc(p->lrects, (p->nlrects + 1) * sizeof *v);
  if (!v)
    return QUIRE_ENOMEM;
  p->lrects = v;
  v[p->nlrects].line = line;
  v[p->nlrects].link = link;
  v[p->nlrects].x0 = x0 / (double)PANGO_SCALE;
  v[p->nlrects].x1 = x1 / (double)PANGO_SCALE;
  p->nlrects++;
  return 0;
}

/* The builder's state: the paragraph's arrays, filled line by line. */
typedef struct S_dbuild {
  S_engine *e;
  const quire__para_spec *spec;
  const quire__lm_para *lm;
  quire__para *p;
  S_seg *seg; /* the line's current segment, or NULL */
  int line_x; /* pango units so far on the line */
  size_t ls0; /* the line's first segment */
} S_dbuild;

static int S_run_face(const quire__run *run) {
  int role =
      run->role >= 0 && run->role < QUIRE__FONT_ROLE_COUNT ? (int)run->role : 0;
  return role * QUIRE__HFONT_FACES + ((run->style & QUIRE__RUN_BOLD) ? 1 : 0) +
         ((run->style & QUIRE__RUN_ITALIC) ? 2 : 0);
}

static S_seg *S_dseg(S_dbuild *b, unsigned run) {
  quire__para *p = b->p;
  if (b->seg && b->seg->run == run)
    return b->seg;
  S_seg *s = &p->segs[p->nsegs++];
  memset(s, 0, sizeof *s);
  s->g0 = p->nglyphs;
  s->c0 = p->nclusters;
  s->b0 = p->dlen;
  s->run = run;
  s->face = S_run_face(&b->spec->runs[run]);
  /* pango keeps a font's size in pango units */
  s->size = (int)(b->spec->runs[run].size * PANGO_SCALE) / (double)PANGO_SCALE;
  s->color = b->spec->runs[run].color;
  s->background = b->spec->runs[run].background;
  s->under = (b->spec->runs[run].style & QUIRE__RUN_UNDERLINE) != 0;
  s->strike = (b->spec->runs[run].style & QUIRE__RUN_STRIKE) != 0;
  s->x = b->line_x;
  b->seg = s;
  return s;
}

/* A character with no glyph in pango's line (an isolate's FSI or PDI, a
 * line separator): its bytes, a cluster of no glyph. */
static void S_dmark(S_dbuild *b, unsigned run, const char *utf8) {
  quire__para *p = b->p;
  S_seg *s = S_dseg(b, run);
  size_t n = strlen(utf8);
  memcpy(p->dtext + p->dlen, utf8, n);
  p->dlen += n;
  s->nb += n;
  p->clusters[p->nclusters].num_bytes = (int)n;
  p->clusters[p->nclusters].num_glyphs = 0;
  p->nclusters++;
  s->nc++;
}

static int S_dchar(S_dbuild *b, size_t k, int last) {
  quire__para *p = b->p;
  const quire__lm_char *c = &b->lm->chars[k];
  if (c->flags & QUIRE__LM_MARK) {
    /* an item of its own in pango's line (its bidi level is not the
     * isolate's text's) */
    b->seg = NULL;
    S_dmark(b, c->run, c->cp == 0x2068 ? "\xE2\x81\xA8" : "\xE2\x81\xA9");
    b->seg = NULL;
    return 0;
  }
  S_seg *s = S_dseg(b, c->run);
  memcpy(p->dtext + p->dlen, b->lm->text + c->off, c->len);
  p->dlen += c->len;
  s->nb += c->len;
  if (c->flags & QUIRE__LM_DROP) {
    if (c->cp == 0x200B) {
      /* no glyph, a cluster of its own; HarfBuzz kerns across it */
      p->clusters[p->nclusters].num_bytes = c->len;
      p->clusters[p->nclusters].num_glyphs = 0;
      p->nclusters++;
      s->nc++;
    } else if (s->nc) {
      /* a ligature's tail: one cluster with its head */
      p->clusters[p->nclusters - 1].num_bytes += c->len;
    }
    return 0;
  }
  quire__lm_glyph_info gi;
  if (quire__lm_glyph_units(&b->e->lm, c->face, c->draw, &gi) || !gi.gid)
    return -1;
  int scale = (int)(s->size * PANGO_SCALE);
  int64_t mult = ((int64_t)scale << 16) / (int64_t)gi.upem;
  int w = S_hb_scale((int)gi.adv, mult);
  /* pango has no kerning with what follows the line (a line separator) */
  if (c->kern != 0 && !last) {
    double units = (double)c->kern * gi.upem / 1000.0;
    w += S_hb_scale((int)(units < 0 ? units - 0.5 : units + 0.5), mult);
  }
  cairo_glyph_t *g = &p->glyphs[p->nglyphs++];
  g->index = gi.gid;
  g->x = s->w;
  g->y = 0;
  s->ng++;
  s->w += w;
  b->line_x += w;
  p->clusters[p->nclusters].num_bytes = c->len;
  p->clusters[p->nclusters].num_glyphs = 1;
  p->nclusters++;
  s->nc++;
  return 0;
}

/* Gives back the unused tail of an array of n elements (kept as it is when
 * realloc cannot). */
static void S_shrink(void **v, size_t n, size_t size) {
  void *w = quire__realloc(*v, (n ? n : 1) * size);
  if (w)
    *v = w;
}

static int S_direct_new(S_engine *e, quire__para *p,
                        const quire__para_spec *spec,
                        const quire__lm_para *lm) {
  size_t nc = lm->nchars, nl = lm->nlines;
  p->direct = 1;
  p->dtext = quire__malloc(lm->len + 3 * (nc + nl) + 1);
  p->glyphs = quire__calloc(nc + 1, sizeof *p->glyphs);
  p->clusters = quire__calloc(nc + nl + 1, sizeof *p->clusters);
  p->segs = quire__malloc((nc + nl + 1) * sizeof *p->segs); /* S_dseg sets */
  p->lines = quire__calloc(nl + 1, sizeof *p->lines);
  if (!p->dtext || !p->glyphs || !p->clusters || !p->segs || !p->lines)
    return QUIRE_ENOMEM;
  S_dbuild b = {.e = e, .spec = spec, .lm = lm, .p = p};
  size_t skip = (size_t)-1; /* an FSI already set on the line before */
  int layout_w = 0;
  for (size_t i = 0; i < nl; i++) {
    const quire__lm_line *ml = &lm->lines[i];
    int last = i + 1 == nl, forced = 0;
    size_t stop = ml->end;
    for (size_t k = ml->end; !last && k < ml->next && k < nc; k++)
      if (lm->chars[k].flags & QUIRE__LM_NEWLINE) {
        forced = 1;
        stop = k; /* the spaces before a forced break stay in the line */
      }
    if (last)
      stop = nc;
    b.seg = NULL;
    b.line_x = 0;
    b.ls0 = p->nsegs;
    size_t lastdrawn = (size_t)-1;
    for (size_t k = ml->start; k < stop; k++)
      if (!(lm->chars[k].flags &
            (QUIRE__LM_MARK | QUIRE__LM_DROP | QUIRE__LM_NEWLINE)))
        lastdrawn = k;
    for (size_t k = ml->start; k < stop; k++) {
      if (k == skip || (lm->chars[k].flags & QUIRE__LM_NEWLINE))
        continue;
      if (S_dchar(&b, k, !last && !forced && k == lastdrawn))
        return -1;
    }
    if (!last && !forced) {
      /* pango's text: an isolate opening the next line, then the line
       * separator, both at the end of this line */
      size_t n = ml->next;
      if (n < nc && (lm->chars[n].flags & QUIRE__LM_MARK) &&
          lm->chars[n].cp == 0x2068) {
        S_dchar(&b, n, 0);
        skip = n;
      }
      if (n < nc) {
        b.seg = NULL; /* an item of its own in pango's line */
        S_dmark(&b, lm->chars[n].run, S_LS);
      }
    }
    S_line *l = &p->lines[p->nlines];
    l->s0 = b.ls0;
    l->ns = p->nsegs - b.ls0;
    /* pango's logical extents: the union of the runs' font extents */
    int top = 0, bottom = 0, any = 0;
    for (size_t s = l->s0; s < l->s0 + l->ns; s++) {
      int y, h;
      if (S_direct_extents(e, p->segs[s].face, p->segs[s].size, &y, &h))
        return -1;
      if (!any || y < top)
        top = y;
      if (!any || y + h > bottom)
        bottom = y + h;
      any = 1;
    }
    double asc = -top / (double)PANGO_SCALE;
    double lh = (bottom - top) / (double)PANGO_SCALE;
    l->pw = b.line_x;
    l->ly = top;
    l->lh = bottom - top;
    if (b.line_x > layout_w)
      layout_w = b.line_x;
    double pw = b.line_x / (double)PANGO_SCALE;
    quire__align al = spec->align;
    l->x = 0;
    if (spec->width > 0 && al == QUIRE__ALIGN_CENTER)
      l->x = (spec->width - pw) / 2;
    else if (spec->width > 0 && al == QUIRE__ALIGN_RIGHT)
      l->x = spec->width - pw;
    l->w = ml->width;
    l->h = spec->line_height > lh ? spec->line_height : lh;
    l->base = (l->h - lh) / 2 + asc;
    p->nlines++;
  }
  /* Links: where pango_layout_line_get_x_ranges puts them (see
   * S_para_paint): over the run's glyphs on the line and, while the run
   * goes on past the line's end, on to the widest line's end. */
  for (size_t k = 0; k < p->nlinks; k++) {
    unsigned run = p->links[k].run;
    for (size_t i = 0; i < p->nlines; i++) {
      const S_line *l = &p->lines[i];
      int x0 = 0, x1 = 0, on = 0, after = 0;
      for (size_t s = l->s0; s < l->s0 + l->ns; s++)
        if (p->segs[s].run == run) {
          if (!on)
            x0 = p->segs[s].x;
          x1 = p->segs[s].x + p->segs[s].w;
          on = 1;
        }
      for (size_t j = i + 1; j < p->nlines && !after; j++)
        for (size_t s = p->lines[j].s0;
             s < p->lines[j].s0 + p->lines[j].ns && !after; s++)
          after = p->segs[s].run == run;
      const quire__lm_line *ml = &lm->lines[i];
      for (size_t c = ml->end; !after && c < ml->next && c < nc; c++)
        after =
            (lm->chars[c].flags & QUIRE__LM_NEWLINE) && lm->chars[c].run == run;
      if (on && S_lrect_add(p, i, k, x0, x1))
        return QUIRE_ENOMEM;
      if (after && l->pw < layout_w && S_lrect_add(p, i, k, l->pw, layout_w))
        return QUIRE_ENOMEM;
    }
  }
  for (size_t s = 0; s < p->nsegs; s++)
    if ((p->segs[s].under || p->segs[s].strike) &&
        S_deco_ink(e, p, &p->segs[s]))
      return -1;
  /* The arrays were sized for one segment per character; a paragraph has a
   * few segments, and every paragraph of a document is kept until its
   * pages are painted: 136 bytes a character held were 2.5 MB of a -j2
   * batch's peak RSS. */
  S_shrink((void **)&p->segs, p->nsegs, sizeof *p->segs);
  S_shrink((void **)&p->glyphs, p->nglyphs, sizeof *p->glyphs);
  S_shrink((void **)&p->clusters, p->nclusters, sizeof *p->clusters);
  return 0;
}

static void S_para_drop(void *self, void *p) { S_para_free(self, p); }

static int S_pango_fonts(S_engine *e);
static void S_link_range(void *ctx, int x0, int x1);

static int S_para_new(void *self, quire__para **out,
                      const quire__para_spec *spec) {
  S_engine *e = self;
  *out = NULL;
  quire_buf key = QUIRE_BUF_INIT;
  S_para_key_spec(&key, spec);
  if (quire_buf_failed(&key)) {
    quire_buf_dispose(&key);
    return QUIRE_ENOMEM;
  }
  quire__para *hit = quire__bytemap_get(&e->paras, key.ptr, key.size);
  if (hit) {
    quire_buf_dispose(&key);
    hit->refs++;
    *out = hit;
    return 0;
  }
  quire__para *p = quire__calloc(1, sizeof *p);
  if (!p) {
    quire_buf_dispose(&key);
    return QUIRE_ENOMEM;
  }
  p->refs = 1;
  quire_buf text = QUIRE_BUF_INIT;
  size_t *range = NULL;
  quire__lm_para lm;
  memset(&lm, 0, sizeof lm);
  S_brk *brks = NULL;
  size_t nlinks = 0;
  for (size_t i = 0; i < spec->nruns; i++)
    nlinks += spec->runs[i].link != NULL;
  if (nlinks && !(p->links = quire__calloc(nlinks, sizeof *p->links)))
    goto nomem;
  /* The lines, from the line model. */
  int lrc = quire__lm_para_new(&lm, &e->lm, spec);
  size_t nbrk = lm.nlines > 1 ? lm.nlines - 1 : 0, bi = 0;
  if (!lrc && nbrk && !(brks = quire__calloc(nbrk, sizeof *brks)))
    lrc = QUIRE_ENOMEM;
  for (size_t i = 0; !lrc && i < nbrk; i++) {
    const quire__lm_line *a = &lm.lines[i], *b = &lm.lines[i + 1];
    brks[i].from = S_lm_off(&lm, a->end);
    brks[i].to = S_lm_off(&lm, b->start);
    for (size_t k = a->end; k < b->start && k < lm.nchars; k++)
      if (lm.chars[k].flags & QUIRE__LM_NEWLINE)
        brks[i].forced = 1;
  }
  if (!lrc && S_direct_ok(e, spec, &lm)) {
    for (size_t i = 0; !lrc && i < spec->nruns; i++) {
      if (!spec->runs[i].link || !spec->runs[i].len)
        continue;
      S_link *l = &p->links[p->nlinks++];
      l->run = (unsigned)i;
      if (!(l->uri = quire__strdup(spec->runs[i].link)))
        lrc = QUIRE_ENOMEM;
    }
    if (!lrc)
      lrc = S_direct_new(e, p, spec, &lm);
    if (lrc == QUIRE_ENOMEM || lrc == 0) {
      quire__lm_para_dispose(&lm);
      free(brks);
      if (lrc) {
        quire_buf_dispose(&key);
        S_para_free(self, p);
        return lrc;
      }
      goto done;
    }
    /* a glyph or a font's extents were missing after all: pango */
    lrc = S_direct_reset(p);
  }
  /* pango from here on: its half and its font map, on first use in the
   * render */
  if (!lrc && !e->pg)
    lrc = S_pango_fonts(e);
  if (!lrc && !(range = quire__calloc(2 * spec->nruns + 1, sizeof *range)))
    lrc = QUIRE_ENOMEM;
  if (lrc) {
    quire__lm_para_dispose(&lm);
    free(brks);
    quire_buf_dispose(&key);
    S_para_free(self, p);
    return lrc;
  }
  int changed = 0;
  size_t src_at = 0; /* byte offset of the run in the runs' text */
  for (size_t i = 0; i < spec->nruns; src_at += spec->runs[i].len, i++) {
    const quire__run *r = &spec->runs[i];
    size_t start = text.size;
    /* A field of its own: first-strong isolate (FSI ... PDI), which pango
     * (fribidi) resolves; the run's text itself never holds bidi controls
     * (the gate in paint/engine.c removed them). */
    int isolate = (r->style & QUIRE__RUN_ISOLATE) && r->len > 0;
    if (isolate)
      quire_buf_puts(&text, "\xE2\x81\xA8");
    /* Pango refuses invalid UTF-8 and NUL; the decoder already checked,
     * but a run may still end mid-sequence if a caller cut it badly. */
    for (size_t k = 0; k < r->len;) {
      size_t g = src_at + k;
      while (bi < nbrk &&
             (brks[bi].forced ? g >= brks[bi].to : g > brks[bi].to))
        bi++;
      if (bi < nbrk && !brks[bi].forced) {
        if (g >= brks[bi].from && g < brks[bi].to) {
          k++; /* a hanging space (ASCII) or the rest of one */
          continue;
        }
        if (g == brks[bi].to) {
          quire_buf_puts(&text, S_LS);
          bi++;
        }
      }
      int32_t cp;
      int n = quire__utf8_decode(r->text + k, r->len - k, &cp);
      if (n < 0 || cp == 0) {
        quire_buf_puts(&text, "\xEF\xBF\xBD");
        k += 1;
        continue;
      }
      changed |= quire__fontset_cover(&e->fonts, cp);
      quire_buf_put(&text, r->text + k, (size_t)n);
      k += (size_t)n;
    }
    if (isolate)
      quire_buf_puts(&text, "\xE2\x81\xA9");
    size_t end = text.size;
    range[2 * i] = start;
    range[2 * i + 1] = end;
    if (end == start)
      continue;
    if (r->link) {
      S_link *l = &p->links[p->nlinks];
      if (!(l->uri = quire__strdup(r->link)))
        goto nomem;
      l->start = (int)start;
      l->end = (int)end;
      l->run = (unsigned)i;
      p->nlinks++;
    }
  }
  free(brks);
  brks = NULL;
  if (quire_buf_failed(&text))
    goto nomem;
  if (changed && S_fonts_changed(e)) {
    quire__lm_para_dispose(&lm);
    quire_buf_dispose(&text);
    quire_buf_dispose(&key);
    free(range);
    S_para_free(self, p);
    return QUIRE_ENOMEM;
  }
  size_t n = 0;
  if (e->pm->para_new(e->pg, &p->pp, text.ptr ? text.ptr : "", text.size, spec,
                      range, &n))
    goto nomem;
  free(range);
  range = NULL;
  p->lines = quire__calloc(n > 0 ? n : 1, sizeof *p->lines);
  if (!p->lines)
    goto nomem;
  /* Alignment within the box, left and right meaning start and end as in
   * the haru engine (a right-to-left paragraph starts at the right). */
  quire__align al = spec->align;
  if (lm.rtl && al != QUIRE__ALIGN_CENTER)
    al = al == QUIRE__ALIGN_LEFT ? QUIRE__ALIGN_RIGHT : QUIRE__ALIGN_LEFT;
  for (size_t i = 0; i < n; i++) {
    quire__cpango_line pl;
    e->pm->para_line(p->pp, i, &pl);
    S_line *l = &p->lines[p->nlines];
    l->lx = pl.lx;
    l->x = 0;
    if (spec->width > 0 && al == QUIRE__ALIGN_CENTER)
      l->x = (spec->width - pl.pw) / 2;
    else if (spec->width > 0 && al == QUIRE__ALIGN_RIGHT)
      l->x = spec->width - pl.pw;
    /* The model's width, so the layout's choices (a pill's width, a
     * column's) are the same in both engines. */
    l->w = p->nlines < lm.nlines ? lm.lines[p->nlines].width : pl.pw;
    l->h = spec->line_height > pl.lh ? spec->line_height : pl.lh;
    l->base = (l->h - pl.lh) / 2 + pl.asc;
    p->nlines++;
  }
  quire__lm_para_dispose(&lm);
  quire_buf_dispose(&text);
done:
  /* No cache (out of memory) only costs time: measuring still works. */
  if (quire__bytemap_put(&e->paras, key.ptr, key.size, p) == 0)
    p->refs++;
  quire_buf_dispose(&key);
  *out = p;
  return 0;
nomem:
  free(brks);
  free(range);
  quire__lm_para_dispose(&lm);
  quire_buf_dispose(&text);
  quire_buf_dispose(&key);
  S_para_free(self, p);
  return QUIRE_ENOMEM;
}

static size_t S_para_line_count(void *self, const quire__para *p) {
  (void)self;
  return p->nlines;
}

static void S_para_line(void *self, const quire__para *p, size_t i,
                        quire__line *out) {
  (void)self;
  out->height = p->lines[i].h;
  out->baseline = p->lines[i].base;
  out->width = p->lines[i].w;
}

/* Measuring shapes text and asks cairo for glyph extents; freeing a
 * paragraph may free the last reference to a scaled font. */
static int S_para_new_locked(void *self, quire__para **out,
                             const quire__para_spec *spec) {
  quire__cairo_glyphs_lock();
  int rc = S_para_new(self, out, spec);
  quire__cairo_glyphs_unlock();
  return rc;
}

static void S_para_free_locked(void *self, quire__para *p) {
  quire__cairo_glyphs_lock();
  S_para_free(self, p);
  quire__cairo_glyphs_unlock();
}

/* ---- painting ---- */

static cairo_status_t S_write(void *closure, const unsigned char *data,
                              unsigned int len) {
  S_engine *e = closure;
  if (e->out.err)
    return CAIRO_STATUS_SUCCESS;
  quire__pdf_catalog_feed(&e->catalog, data, len, &e->out);
  /* A failed sink is never reported to cairo: cairo 1.16's PDF surface
   * crashes on its own write errors (SIGSEGV in cairo_surface_finish when
   * the first write fails, an assertion in cairo-array.c later on). The
   * failure is kept in e->out and reported by end_page and
   * end_document; what cairo writes after it goes nowhere. */
  return CAIRO_STATUS_SUCCESS;
}

/* "2026-03-18T16:41:07.512Z" -> "2026-03-18T16:41:07Z", the form cairo
 * parses; anything else gives "" (no date rather than the clock). */
static void S_pdf_date(char *out, size_t size, const char *iso) {
  out[0] = '\0';
  if (!iso || strlen(iso) < 19 || iso[4] != '-' || iso[7] != '-' ||
      iso[10] != 'T' || iso[13] != ':' || iso[16] != ':')
    return;
  const char *tz = iso + 19;
  if (*tz == '.')
    while (*++tz >= '0' && *tz <= '9')
      ;
  if (!(*tz == 'Z' || ((*tz == '+' || *tz == '-') && strlen(tz) == 6)))
    tz = "Z";
  snprintf(out, size, "%.19s%s", iso, tz);
}

static int S_begin_document(void *self, const quire__doc_meta *m) {
  S_engine *e = self;
  if (e->png)
    return 0;
  e->surface = cairo_pdf_surface_create_for_stream(S_write, e, 595, 842);
  if (cairo_surface_status(e->surface) != CAIRO_STATUS_SUCCESS)
    return S_cairo_fail(e, cairo_surface_status(e->surface),
                        "creating the PDF surface");
  cairo_surface_t *s = e->surface;
  snprintf(e->lang, sizeof e->lang, "%s", m->lang ? m->lang : "");
  if (m->title)
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, m->title);
  if (m->author)
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR, m->author);
  if (m->subject)
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_SUBJECT, m->subject);
  if (m->creator)
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, m->creator);
  char date[40];
  /* Without a date cairo would stamp the clock: use a fixed one instead so
   * the same input always gives the same bytes. */
  S_pdf_date(date, sizeof date, m->created_at);
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE,
                                 date[0] ? date : "2000-01-01T00:00:00Z");
  return 0;
}

static int S_begin_page(void *self, int index, double w, double h) {
  S_engine *e = self;
  (void)index;
  if (!e->png) {
    if (!e->cr) {
      /* cairo 1.16 writes a damaged file when a link tag is outside every
       * structure tag, so the whole document is one Document element; and
       * changing the page size inside a structure tag damages it too, so
       * the size is set once, before the tag opens (the layout uses one
       * paper size for every page). */
      cairo_pdf_surface_set_size(e->surface, w, h);
      e->cr = cairo_create(e->surface);
      cairo_tag_begin(e->cr, "Document", NULL);
      if (cairo_status(e->cr))
        return S_cairo_fail(e, cairo_status(e->cr), "starting the PDF");
    }
    e->pages++;
  } else {
    double dpi = e->dpi > 0 ? e->dpi : 96;
    double scale = dpi / 72.0;
    int pw = (int)(w * scale + 0.5), ph = (int)(h * scale + 0.5);
    e->surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, pw, ph);
    if (cairo_surface_status(e->surface) != CAIRO_STATUS_SUCCESS)
      return S_cairo_fail(e, cairo_surface_status(e->surface),
                          "creating a page image");
    e->cr = cairo_create(e->surface);
    cairo_scale(e->cr, scale, scale);
  }
  cairo_save(e->cr);
  if (e->png || e->paper.r != 255 || e->paper.g != 255 || e->paper.b != 255) {
    cairo_set_source_rgb(e->cr, e->paper.r / 255.0, e->paper.g / 255.0,
                         e->paper.b / 255.0);
    cairo_paint(e->cr);
  }
  cairo_restore(e->cr);
  return 0;
}

static void S_source(cairo_t *cr, quire__color c) {
  cairo_set_source_rgb(cr, c.r / 255.0, c.g / 255.0, c.b / 255.0);
}

static void S_link_rect(S_engine *e, double x, double y, double w, double h,
                        const char *uri) {
  if (e->png || !uri)
    return;
  quire_buf attr = QUIRE_BUF_INIT;
  quire_buf_printf(&attr, "rect=[%.2f %.2f %.2f %.2f] uri='", x, y, w, h);
  /* cairo's attribute strings use single quotes with backslash escapes. */
  for (const char *c = uri; *c; c++) {
    if (*c == '\'' || *c == '\\')
      quire_buf_putc(&attr, '\\');
    quire_buf_putc(&attr, *c);
  }
  quire_buf_putc(&attr, '\'');
  if (!quire_buf_failed(&attr)) {
    cairo_tag_begin(e->cr, CAIRO_TAG_LINK, attr.ptr);
    cairo_tag_end(e->cr, CAIRO_TAG_LINK);
  } else {
    S_set_err(e, QUIRE_ENOMEM);
  }
  quire_buf_dispose(&attr);
}

/* The direct glyphs held back by S_direct_paint, in one call. */
static void S_direct_flush(S_engine *e) {
  if (!e->npend)
    return;
  cairo_t *cr = e->cr;
  cairo_set_source_rgba(cr, S_c16(e->pend.color.r) / 65535.,
                        S_c16(e->pend.color.g) / 65535.,
                        S_c16(e->pend.color.b) / 65535., 1.);
  cairo_set_font_face(cr, e->dface[e->pend.face]);
  cairo_set_font_size(cr, e->pend.size);
  cairo_set_font_options(cr, e->fo);
  if (!e->png)
    cairo_show_text_glyphs(cr, e->ptext, (int)e->nptext, e->scratch,
                           (int)e->npend, e->pclusters, (int)e->npclusters, 0);
  else
    cairo_show_glyphs(cr, e->scratch, (int)e->npend);
  e->npend = e->nptext = e->npclusters = 0;
}

/* Room for n more of size in *v, which holds *cap. */
static int S_grow(void **v, size_t *cap, size_t n, size_t size) {
  if (n <= *cap)
    return 0;
  size_t c = *cap ? *cap : 64;
  while (c < n)
    c *= 2;
  void *w = quire__realloc(*v, c * size);
  if (!w)
    return -1;
  *v = w;
  *cap = c;
  return 0;
}

/* A directly painted line at (x, y), its top-left corner: each segment as
 * pango's renderer draws a run (pangocairo-render.c), the same colour,
 * glyph positions computed the same way, the text with its clusters when
 * the surface keeps text. In a PDF, segments that follow each other in the
 * text with the same face, size and colour are shown by one call, across
 * lines too (S_direct_flush, at the end of S_para_paint): cairo writes the
 * same operators for them (a Td where the line changes), but pays its
 * fixed cost per call (recording, the page's analysis, the PDF pass) once.
 * PNG keeps a call per segment: the image compositor may take another
 * path for glyphs whose boxes overlap. */
static void S_direct_paint(S_engine *e, const quire__para *p, size_t i,
                           double x, double y) {
  const S_line *l = &p->lines[i];
  cairo_t *cr = e->cr;
  /* where pango starts: the current point, which cairo keeps in fixed
   * point (1/256) */
  double bx, by;
  cairo_move_to(cr, x + l->x, y + l->base);
  cairo_get_current_point(cr, &bx, &by);
  S_deco deco = {.bx = bx, .by = by};
  for (size_t s = l->s0; s < l->s0 + l->ns; s++) {
    const S_seg *g = &p->segs[s];
    S_deco_begin(e, &deco, g);
    if (g->background.a) {
      S_direct_flush(e);
      /* pango's renderer: the run's width, the line's logical height */
      cairo_set_source_rgba(cr, S_c16(g->background.r) / 65535.,
                            S_c16(g->background.g) / 65535.,
                            S_c16(g->background.b) / 65535., 1.);
      cairo_rectangle(cr, bx + (double)g->x / PANGO_SCALE,
                      by + (double)l->ly / PANGO_SCALE,
                      (double)g->w / PANGO_SCALE, (double)l->lh / PANGO_SCALE);
      cairo_fill(cr);
    }
    if (!g->ng) {
      S_deco_add(e, &deco, p, g);
      continue;
    }
    if (e->npend &&
        (e->png || e->pend.p != p || e->pend.face != g->face ||
         e->pend.size != g->size || e->pend.color.r != g->color.r ||
         e->pend.color.g != g->color.g || e->pend.color.b != g->color.b))
      S_direct_flush(e);
    if (S_grow((void **)&e->scratch, &e->nscratch, e->npend + g->ng,
               sizeof *e->scratch) ||
        S_grow((void **)&e->ptext, &e->ptext_cap, e->nptext + g->nb, 1) ||
        S_grow((void **)&e->pclusters, &e->pclusters_cap, e->npclusters + g->nc,
               sizeof *e->pclusters)) {
      S_set_err(e, QUIRE_ENOMEM);
      return;
    }
    if (!e->npend) {
      e->pend.p = p;
      e->pend.face = g->face;
      e->pend.size = g->size;
      e->pend.color = g->color;
    }
    memcpy(e->ptext + e->nptext, p->dtext + g->b0, g->nb);
    e->nptext += g->nb;
    memcpy(e->pclusters + e->npclusters, p->clusters + g->c0,
           g->nc * sizeof *e->pclusters);
    e->npclusters += g->nc;
    double base_x = bx + (double)g->x / PANGO_SCALE;
    cairo_glyph_t *v = e->scratch + e->npend;
    for (size_t k = 0; k < g->ng; k++) {
      v[k].index = p->glyphs[g->g0 + k].index;
      v[k].x = base_x + p->glyphs[g->g0 + k].x / PANGO_SCALE;
      v[k].y = by;
    }
    e->npend += g->ng;
    S_deco_add(e, &deco, p, g);
  }
  S_deco_draw_under(e, &deco);
  S_deco_draw_strike(e, &deco);
  for (size_t k = 0; k < p->nlrects; k++) {
    const S_lrect *r = &p->lrects[k];
    if (r->line == i && r->x1 - r->x0 > 0.5) {
      S_direct_flush(e);
      S_link_rect(e, x + l->x + r->x0, y, r->x1 - r->x0, l->h,
                  p->links[r->link].uri);
    }
  }
}

/* A link's x range on a pango line (pango units in the layout's
 * coordinates, pango_layout_line_get_x_ranges). */
typedef struct S_link_ctx {
  S_engine *e;
  const S_line *l;
  const char *uri;
  double x, y;
} S_link_ctx;

static void S_link_range(void *ctx, int r0, int r1) {
  const S_link_ctx *c = ctx;
  double x0 = r0 / (double)PANGO_SCALE - c->l->lx + c->l->x;
  double x1 = r1 / (double)PANGO_SCALE - c->l->lx + c->l->x;
  if (x1 - x0 > 0.5)
    S_link_rect(c->e, c->x + x0, c->y, x1 - x0, c->l->h, c->uri);
}

static void S_para_paint(void *self, const quire__para *p, size_t first,
                         size_t count, double x, double y) {
  S_engine *e = self;
  quire__cairo_glyphs_lock();
  if (p->direct) {
    /* the colour and font stay this paragraph's */
    cairo_save(e->cr);
    for (size_t i = first; i < first + count && i < p->nlines; i++) {
      S_direct_paint(e, p, i, x, y);
      y += p->lines[i].h;
    }
    S_direct_flush(e);
    cairo_restore(e->cr);
    quire__cairo_glyphs_unlock();
    return;
  }
  for (size_t i = first; i < first + count && i < p->nlines; i++) {
    const S_line *l = &p->lines[i];
    int rc = e->pm->paint_line(e->cr, p->pp, i, x + l->x, y + l->base);
    if (rc)
      S_set_err(e, rc);
    for (size_t k = 0; k < p->nlinks; k++) {
      S_link_ctx lc = {e, l, p->links[k].uri, x, y};
      e->pm->x_ranges(p->pp, i, p->links[k].start, p->links[k].end,
                      S_link_range, &lc);
    }
    y += l->h;
  }
  quire__cairo_glyphs_unlock();
}

static void S_shape(S_engine *e, const quire__paint *pt) {
  if (pt->fill.a) {
    S_source(e->cr, pt->fill);
    if (pt->stroke.a && pt->stroke_width > 0)
      cairo_fill_preserve(e->cr);
    else
      cairo_fill(e->cr);
  }
  if (pt->stroke.a && pt->stroke_width > 0) {
    S_source(e->cr, pt->stroke);
    cairo_set_line_width(e->cr, pt->stroke_width);
    cairo_stroke(e->cr);
  }
  cairo_new_path(e->cr);
}

static void S_rect(void *self, double x, double y, double w, double h, double r,
                   const quire__paint *pt) {
  S_engine *e = self;
  cairo_t *cr = e->cr;
  if (r > w / 2)
    r = w / 2;
  if (r > h / 2)
    r = h / 2;
  if (r <= 0) {
    cairo_rectangle(cr, x, y, w, h);
  } else {
    /* Quarter circles as arcs; cairo turns them into Béziers. */
    cairo_new_sub_path(cr);
    cairo_arc(cr, x + w - r, y + r, r, -S_PI / 2, 0);
    cairo_arc(cr, x + w - r, y + h - r, r, 0, S_PI / 2);
    cairo_arc(cr, x + r, y + h - r, r, S_PI / 2, S_PI);
    cairo_arc(cr, x + r, y + r, r, S_PI, 3 * S_PI / 2);
    cairo_close_path(cr);
  }
  S_shape(e, pt);
}

static void S_line_op(void *self, double x1, double y1, double x2, double y2,
                      double width, quire__color c) {
  S_engine *e = self;
  cairo_move_to(e->cr, x1, y1);
  cairo_line_to(e->cr, x2, y2);
  S_source(e->cr, c);
  cairo_set_line_width(e->cr, width);
  cairo_stroke(e->cr);
}

static void S_path(void *self, const quire__seg *s, size_t n,
                   const quire__paint *pt) {
  S_engine *e = self;
  cairo_set_line_join(e->cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap(e->cr, CAIRO_LINE_CAP_ROUND);
  for (size_t i = 0; i < n; i++) {
    switch (s[i].op) {
    case QUIRE__SEG_MOVE: cairo_move_to(e->cr, s[i].x1, s[i].y1); break;
    case QUIRE__SEG_LINE: cairo_line_to(e->cr, s[i].x1, s[i].y1); break;
    case QUIRE__SEG_CUBIC:
      cairo_curve_to(e->cr, s[i].x1, s[i].y1, s[i].x2, s[i].y2, s[i].x3,
                     s[i].y3);
      break;
    case QUIRE__SEG_CLOSE: cairo_close_path(e->cr); break;
    }
  }
  S_shape(e, pt);
  cairo_set_line_cap(e->cr, CAIRO_LINE_CAP_BUTT);
  cairo_set_line_join(e->cr, CAIRO_LINE_JOIN_MITER);
}

static void S_link_op(void *self, double x, double y, double w, double h,
                      const char *uri) {
  S_link_rect(self, x, y, w, h, uri);
}

/* The name of the destination at y on page (1-based): every bookmark
 * makes one (S_outline), and a link to a page goes to it by name. */
static void S_dest_name(char *out, size_t size, int page, double y) {
  snprintf(out, size, "p%d-%.0f", page, y > 0 ? y * 100 : 0);
}

/* An internal link. cairo 1.16 writes a link to "page=N" only when page N
 * exists already (a contents entry's target comes later), and a link to a
 * named destination whatever its page: so by name. */
static void S_link_page(void *self, double x, double y, double w, double h,
                        int page, double ty) {
  S_engine *e = self;
  if (e->png || page < 0)
    return;
  char name[48], attr[200];
  S_dest_name(name, sizeof name, page + 1, ty);
  snprintf(attr, sizeof attr, "rect=[%.2f %.2f %.2f %.2f] dest='%s'", x, y, w,
           h, name);
  cairo_tag_begin(e->cr, CAIRO_TAG_LINK, attr);
  cairo_tag_end(e->cr, CAIRO_TAG_LINK);
}

static int S_outline(void *self, int parent, const char *title, double y) {
  S_engine *e = self;
  if (e->png || !title)
    return 0;
  char dest[64], name[48], attr[120];
  snprintf(dest, sizeof dest, "page=%d pos=[0 %.2f]", e->pages, y > 0 ? y : 0);
  S_dest_name(name, sizeof name, e->pages, y);
  snprintf(attr, sizeof attr, "name='%s' x=0 y=%.2f", name, y > 0 ? y : 0);
  cairo_tag_begin(e->cr, CAIRO_TAG_DEST, attr);
  cairo_tag_end(e->cr, CAIRO_TAG_DEST);
  int id =
      cairo_pdf_surface_add_outline(e->surface, parent, title, dest,
                                    parent ? 0 : CAIRO_PDF_OUTLINE_FLAG_OPEN);
  return id > 0 ? id : 0;
}

static int S_end_page(void *self) {
  S_engine *e = self;
  if (!e->png) {
    quire__cairo_glyphs_lock(); /* replays the page's glyphs */
    cairo_show_page(e->cr);
    quire__cairo_glyphs_unlock();
    /* A failure is sticky in cairo: name it on the page it happened. */
    if (cairo_status(e->cr))
      return S_cairo_fail(e, cairo_status(e->cr), "painting a page");
    /* The sink failed: stop painting pages nobody will read. */
    return e->out.err;
  }
  int rc = cairo_status(e->cr)
               ? S_cairo_fail(e, cairo_status(e->cr), "painting a page")
               : 0;
  cairo_destroy(e->cr);
  e->cr = NULL;
  cairo_surface_flush(e->surface);
  if (!rc)
    rc = quire__png_encode(e->surface, &e->out);
  cairo_surface_destroy(e->surface);
  e->surface = NULL;
  return rc;
}

static void S_tag(void *self, const char *name, int begin) {
  S_engine *e = self;
  if (e->png || !e->cr)
    return;
  if (begin)
    cairo_tag_begin(e->cr, name, NULL);
  else
    cairo_tag_end(e->cr, name);
}

static void S_tag_alt(void *self, const char *alt) {
  S_engine *e = self;
  if (e->png || !e->cr)
    return;
  if (quire__pdf_catalog_alt(&e->catalog, alt))
    S_set_err(e, QUIRE_ENOMEM);
}

static int S_end_document(void *self) {
  S_engine *e = self;
  if (!e->png && e->cr) {
    cairo_tag_end(e->cr, "Document");
    if (cairo_status(e->cr))
      S_cairo_fail(e, cairo_status(e->cr), "finishing the PDF");
    quire__cairo_glyphs_lock(); /* subsets the fonts */
    cairo_destroy(e->cr);
    e->cr = NULL;
    cairo_surface_finish(e->surface);
    cairo_status_t st = cairo_surface_status(e->surface);
    cairo_surface_destroy(e->surface);
    quire__cairo_glyphs_unlock();
    e->surface = NULL;
    if (st == CAIRO_STATUS_SUCCESS && !e->out.err && !e->err)
      quire__pdf_catalog_finish(&e->catalog, e->lang, &e->out);
    if (e->out.err)
      S_set_err(e, e->out.err);
    else if (st != CAIRO_STATUS_SUCCESS)
      S_cairo_fail(e, st, "writing the PDF");
  }
  return e->err ? e->err : e->out.err;
}

/* ---- setup ---- */

#ifdef __SANITIZE_ADDRESS__
/* Sanitizer builds only: at exit, free the pango half's font maps (when it
 * is loaded) and then the shared configurations they hold, so
 * LeakSanitizer (which runs after this handler) reports real leaks only;
 * see quire__fonts_release. Release builds leave them to the process's
 * end: a library's atexit handler is unsafe if it is unloaded or another
 * thread still renders. */
static void S_release_at_exit(void) {
  const quire__cairo_pango_module *m = quire__cairo_pango_get(0, NULL);
  if (m)
    m->release();
  quire__fonts_release();
}
static pthread_once_t S_release_once = PTHREAD_ONCE_INIT;
static void S_release_init(void) { atexit(S_release_at_exit); }
#endif

long quire__cairo_fontmaps_made(void) {
  const quire__cairo_pango_module *m = quire__cairo_pango_get(0, NULL);
  return m ? m->fontmaps_made() : 0;
}

/* The pango half and this render's font map on its fonts: the first
 * paragraph that needs pango makes them. */
static int S_pango_fonts(S_engine *e) {
  if (!e->pm && !(e->pm = quire__cairo_pango_get(1, e->error)))
    return QUIRE_EUNSUPPORTED;
  int rc = e->pm->render_new(&e->pg, &e->fonts);
  if (rc)
    quire__error_set(e->error, rc, "no FreeType font map");
  return rc;
}

/* The font configuration changed (quire__fontset_cover returned 1). */
static int S_fonts_changed(S_engine *e) {
  /* Paragraphs measured before may have picked other fonts than the new
   * configuration would: never hand them out for later text. */
  quire__bytemap_clear(&e->paras, S_para_drop, e);
  return e->pm->fonts_changed(e->pg);
}

static void S_engine_dispose(S_engine *e) {
  quire__bytemap_clear(&e->paras, S_para_drop, e);
  if (e->fo)
    cairo_font_options_destroy(e->fo);
  free(e->scratch);
  free(e->ptext);
  free(e->pclusters);
  if (e->cr)
    cairo_destroy(e->cr);
  if (e->surface)
    cairo_surface_destroy(e->surface);
  if (e->pg)
    e->pm->render_free(e->pg);
  quire__fontset_dispose(&e->fonts);
  quire__pdf_catalog_dispose(&e->catalog);
}

static int S_engine_init(S_engine *e, int png, const quire__engine_opts *o,
                         quire_error *err) {
  memset(e, 0, sizeof *e);
  e->error = err;
  e->png = png;
  e->dpi = o->dpi;
  e->paper = o->paper;
  quire__out_init(&e->out, o->sink, o->max_output);
  quire__pdf_catalog_init(&e->catalog);
  int rc = quire__fontset_init(&e->fonts, o->fonts, o->families, o->warn,
                               o->warn_payload, err);
  if (rc)
    return rc;
  /* fontset_init warned about a missing family already */
  rc = quire__hfont_find(&e->hpaths, o->fonts, o->families, NULL, NULL, err);
  if (rc) {
    quire__fontset_dispose(&e->fonts);
    return rc;
  }
  quire__lm_fonts_init(&e->lm, &e->hpaths);
#ifdef __SANITIZE_ADDRESS__
  pthread_once(&S_release_once, S_release_init);
#endif
  /* pango's font map is made by the first paragraph that needs it
   * (S_para_new): a render whose every paragraph is painted directly
   * never makes one. */
  e->fo = S_font_options();

  quire__backend *be = &e->be;
  be->self = e;
  be->para_new = S_para_new_locked;
  be->para_free = S_para_free_locked;
  be->para_line_count = S_para_line_count;
  be->para_line = S_para_line;
  be->begin_document = S_begin_document;
  be->begin_page = S_begin_page;
  be->para_paint = S_para_paint;
  be->rect = S_rect;
  be->line = S_line_op;
  be->path = S_path;
  be->link = S_link_op;
  be->link_page = S_link_page;
  be->outline = S_outline;
  be->tag = S_tag;
  be->tag_alt = S_tag_alt;
  be->end_page = S_end_page;
  be->end_document = S_end_document;
  return 0;
}

struct quire__cairo {
  S_engine e;
};

int quire__cairo_new(quire__cairo **out, int png, const quire__engine_opts *o,
                     quire_error *err) {
  *out = NULL;
  quire__cairo *c = quire__calloc(1, sizeof *c);
  if (!c)
    return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  int rc = S_engine_init(&c->e, png, o, err);
  if (rc) {
    free(c);
    return rc;
  }
  *out = c;
  return 0;
}

void quire__cairo_free(quire__cairo *c) {
  if (!c)
    return;
  quire__cairo_glyphs_lock(); /* may free scaled fonts and their glyphs */
  S_engine_dispose(&c->e);
  quire__cairo_glyphs_unlock();
  free(c);
}

const quire__backend *quire__cairo_backend(quire__cairo *c) { return &c->e.be; }
