/* The cairo engine's pango half (cairo_pango.h says why it is a module of
 * its own): pango's font maps, the paragraphs pango sets, and their
 * painting. cairo.c decides which paragraphs come here and gives their
 * text, its lines already cut by the line model. */
#include "paint/cairo_pango.h"

/* glib's headers use GNU extensions (variadic macro forms, casts between
 * function pointers) that -pedantic reports; they are not our code. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#include <glib.h>
#include <hb.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <stdatomic.h>
#pragma GCC diagnostic pop

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static quire__cpango_host S_host; /* set once, by init */

static void S_init(const quire__cpango_host *host) { S_host = *host; }

/* ---- font maps ----
 *
 * Font setup is most of a small render's cost, so it is cached at two
 * levels. The fontconfig configuration (the mapped font files, scanned
 * once) is process-wide and immutable: fonts_cairo.c builds it once
 * under a mutex and every render only reads it. Pango font maps and
 * contexts are not thread-safe, so each thread keeps its own, on that
 * shared configuration, in thread-specific data: the key is created once
 * (pthread_once) and its destructor frees the thread's font map when the
 * thread exits. The main thread's stays until the process ends (reachable,
 * not leaked). Output cannot depend on what a thread rendered before: the
 * configuration never changes, pango's caches only memoise answers computed
 * from it, and a render that needs a system fallback font (a script no
 * mapped font has) switches to a private configuration and a font map of
 * its own for the rest of the render, freed with it. A render nested in
 * another on the same thread (a warn callback that renders) finds the
 * cache busy and uses a font map of its own too. */

/* A thread's pango font map and context on the shared font configuration
 * (see S_render_new). */
typedef struct S_tfonts {
  PangoFontMap *fontmap;
  PangoContext *ctx;
  int busy; /* renders using them: on this thread, or S_process_fonts' */
} S_tfonts;

struct quire__cpango {
  const quire__fontset *fonts; /* borrowed: the render's */
  PangoFontMap *fontmap;       /* cached's, or this render's own */
  PangoContext *ctx;
  S_tfonts *cached; /* the thread's cache in use, or NULL: fontmap and
                       ctx are this render's, freed with it */
};

struct quire__cpango_para {
  PangoLayout *layout;
  PangoLayoutLine **lines; /* borrowed from the layout */
  quire__cpango_line *ext; /* the lines' extents */
  size_t nlines;
};

static pthread_once_t S_key_once = PTHREAD_ONCE_INIT;
static pthread_key_t S_key;
static int S_key_ok; /* written once, inside pthread_once */

/* While glyph work takes turns (cairo before 1.18, fonts_cairo.h), every
 * pango call of every render is made under that one lock, so one font map
 * and context serve every render of the process, on any thread, in turn,
 * as one thread's serve its renders: two renders in flight (quire render
 * -j2) no longer keep two, each with its own fonts, harfbuzz faces and
 * caches. With a cairo whose glyph work runs in parallel, each thread
 * keeps its own as above. Guarded by the glyph lock. */
static S_tfonts S_process_fonts;

static atomic_long S_fontmaps_made;

static long S_made(void) { return atomic_load(&S_fontmaps_made); }

/* pango 1.50's font map finalizer does not drop the reference
 * pango_fc_font_map_set_config took, so unreffing a font map leaked the
 * FcConfig with every scanned pattern and charset (~25 KB a render here).
 * Setting the configuration back to NULL first releases it. */
static void S_fontmap_free(PangoFontMap *fm) {
  if (!fm)
    return;
  pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(fm), NULL);
  g_object_unref(fm);
}

static void S_tfonts_free(void *p) {
  S_tfonts *t = p;
  if (!t)
    return;
  S_host.lock(); /* may free scaled fonts and their glyphs */
  if (t->ctx)
    g_object_unref(t->ctx);
  S_fontmap_free(t->fontmap);
  S_host.unlock();
  free(t);
}

/* Sanitizer builds only (cairo.c calls it at exit, before it releases the
 * shared configurations): the exiting thread's font map and the
 * process's, so LeakSanitizer reports real leaks only. */
static void S_release(void) {
  if (S_key_ok) {
    S_tfonts_free(pthread_getspecific(S_key));
    pthread_setspecific(S_key, NULL);
  }
  S_host.lock();
  if (!S_process_fonts.busy && S_process_fonts.ctx) {
    g_object_unref(S_process_fonts.ctx);
    S_fontmap_free(S_process_fonts.fontmap);
    S_process_fonts.ctx = NULL;
    S_process_fonts.fontmap = NULL;
  }
  S_host.unlock();
}

static void S_key_init(void) {
  S_key_ok = pthread_key_create(&S_key, S_tfonts_free) == 0;
}

/* A font map and context on config, set up as every render needs them. */
static int S_fonts_new(FcConfig *config, PangoFontMap **fm_out,
                       PangoContext **ctx_out) {
  *fm_out = NULL;
  *ctx_out = NULL;
  PangoFontMap *fm = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
  if (!fm)
    return QUIRE_EFONT;
  atomic_fetch_add(&S_fontmaps_made, 1);
  pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(fm), config);
  PangoContext *ctx = pango_font_map_create_context(fm);
  if (!ctx) {
    S_fontmap_free(fm);
    return QUIRE_ENOMEM;
  }
  /* Strong, not pango's default weak LTR: what a paragraph set left to
   * right whatever its text (quire__para_spec.ltr) gets; every other
   * takes its direction from its text and only falls back to this. */
  pango_context_set_base_dir(ctx, PANGO_DIRECTION_LTR);
  /* pango assumes 96 dpi: at 72, 10 pt text is 10 pt. Unhinted metrics and
   * unrounded positions make PDF and PNG (any dpi) break lines alike. */
  pango_cairo_context_set_resolution(ctx, 72);
  cairo_font_options_t *fo = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options(ctx, fo);
  cairo_font_options_destroy(fo);
  pango_context_set_round_glyph_positions(ctx, FALSE);
  pango_context_set_language(ctx, pango_language_from_string("en"));
  *fm_out = fm;
  *ctx_out = ctx;
  return 0;
}

/* The thread's cached font map (created on the thread's first render) or,
 * when there is no usable cache, the render's own. */
static int S_render_fonts(quire__cpango *pg) {
  pthread_once(&S_key_once, S_key_init);
  FcConfig *config = pg->fonts->config;
  if (S_host.serialized()) {
    S_tfonts *t = &S_process_fonts;
    S_host.lock();
    int rc = t->fontmap ? 0 : S_fonts_new(config, &t->fontmap, &t->ctx);
    if (!rc) {
      t->busy++;
      pg->cached = t;
      pg->fontmap = t->fontmap;
      pg->ctx = t->ctx;
    }
    S_host.unlock();
    if (!rc)
      return 0;
    return S_fonts_new(config, &pg->fontmap, &pg->ctx);
  }
  S_tfonts *t = S_key_ok ? pthread_getspecific(S_key) : NULL;
  if (S_key_ok && !t && (t = quire__calloc(1, sizeof *t)) != NULL &&
      pthread_setspecific(S_key, t) != 0) {
    free(t);
    t = NULL;
  }
  if (t && !t->busy && !t->fontmap &&
      S_fonts_new(config, &t->fontmap, &t->ctx) != 0)
    t = NULL;
  if (t && !t->busy) {
    t->busy = 1;
    pg->cached = t;
    pg->fontmap = t->fontmap;
    pg->ctx = t->ctx;
    return 0;
  }
  return S_fonts_new(config, &pg->fontmap, &pg->ctx);
}

static int S_render_new(quire__cpango **out, const quire__fontset *fonts) {
  quire__cpango *pg = quire__calloc(1, sizeof *pg);
  *out = NULL;
  if (!pg)
    return QUIRE_ENOMEM;
  pg->fonts = fonts;
  int rc = S_render_fonts(pg);
  if (rc) {
    free(pg);
    return rc;
  }
  *out = pg;
  return 0;
}

static void S_render_free(quire__cpango *pg) {
  if (!pg)
    return;
  if (pg->cached) {
    pg->cached->busy--;
  } else {
    if (pg->ctx)
      g_object_unref(pg->ctx);
    S_fontmap_free(pg->fontmap);
  }
  free(pg);
}

static int S_fonts_changed(quire__cpango *pg) {
  if (!pg->cached) {
    /* Already this render's own font map on its private configuration. */
    pango_fc_font_map_config_changed(PANGO_FC_FONT_MAP(pg->fontmap));
    return 0;
  }
  /* The first fallback font: leave the thread's cache (and the shared
   * configuration) alone and continue on a font map of this render's own.
   * Paragraphs measured so far keep the cached context they hold. */
  PangoFontMap *fm;
  PangoContext *ctx;
  int rc = S_fonts_new(pg->fonts->config, &fm, &ctx);
  if (rc)
    return rc;
  pg->cached->busy--;
  pg->cached = NULL;
  pg->fontmap = fm;
  pg->ctx = ctx;
  return 0;
}

/* ---- paragraphs ---- */

static PangoAttribute *S_ranged(PangoAttribute *a, size_t start, size_t end) {
  a->start_index = (guint)start;
  a->end_index = (guint)end;
  return a;
}

static guint16 S_c16(unsigned char v) { return (guint16)(v * 257); }

static void S_para_free(quire__cpango_para *pp) {
  if (!pp)
    return;
  if (pp->layout)
    g_object_unref(pp->layout);
  free(pp->lines);
  free(pp->ext);
  free(pp);
}

static int S_para_new(quire__cpango *pg, quire__cpango_para **out,
                      const char *text, size_t len,
                      const quire__para_spec *spec, const size_t *range,
                      size_t *nlines) {
  *out = NULL;
  *nlines = 0;
  quire__cpango_para *pp = quire__calloc(1, sizeof *pp);
  if (!pp)
    return QUIRE_ENOMEM;
  PangoAttrList *attrs = pango_attr_list_new();
  for (size_t i = 0; i < spec->nruns; i++) {
    const quire__run *r = &spec->runs[i];
    size_t start = range[2 * i], end = range[2 * i + 1];
    if (end == start)
      continue;
    PangoFontDescription *fd = pango_font_description_new();
    int role =
        r->role >= 0 && r->role < QUIRE__FONT_ROLE_COUNT ? (int)r->role : 0;
    pango_font_description_set_family(fd, pg->fonts->family[role]);
    pango_font_description_set_weight(fd, (r->style & QUIRE__RUN_BOLD)
                                              ? PANGO_WEIGHT_BOLD
                                              : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_style(fd, (r->style & QUIRE__RUN_ITALIC)
                                             ? PANGO_STYLE_ITALIC
                                             : PANGO_STYLE_NORMAL);
    pango_font_description_set_absolute_size(fd, r->size * PANGO_SCALE);
    pango_attr_list_insert(attrs,
                           S_ranged(pango_attr_font_desc_new(fd), start, end));
    pango_font_description_free(fd);
    pango_attr_list_insert(
        attrs,
        S_ranged(pango_attr_foreground_new(S_c16(r->color.r), S_c16(r->color.g),
                                           S_c16(r->color.b)),
                 start, end));
    if (r->background.a)
      pango_attr_list_insert(
          attrs, S_ranged(pango_attr_background_new(S_c16(r->background.r),
                                                    S_c16(r->background.g),
                                                    S_c16(r->background.b)),
                          start, end));
    if (r->style & QUIRE__RUN_STRIKE)
      pango_attr_list_insert(
          attrs, S_ranged(pango_attr_strikethrough_new(TRUE), start, end));
    if (r->style & QUIRE__RUN_UNDERLINE)
      pango_attr_list_insert(
          attrs, S_ranged(pango_attr_underline_new(PANGO_UNDERLINE_SINGLE),
                          start, end));
  }
  /* pango 1.44+ adds a hyphen where it cuts a word between characters
   * ("setA-ttribute"); the lines are the model's and pango never wraps
   * (no width), but a hyphen must not appear at a line separator either. */
  pango_attr_list_insert(attrs, pango_attr_insert_hyphens_new(FALSE));
  pp->layout = pango_layout_new(pg->ctx);
  /* Not from the text: the context's direction, strong LTR (S_fonts_new). */
  if (spec->ltr)
    pango_layout_set_auto_dir(pp->layout, FALSE);
  pango_layout_set_text(pp->layout, text, (int)len);
  pango_layout_set_attributes(pp->layout, attrs);
  pango_attr_list_unref(attrs);
  int n = pango_layout_get_line_count(pp->layout);
  pp->lines = quire__calloc(n > 0 ? (size_t)n : 1, sizeof *pp->lines);
  pp->ext = quire__calloc(n > 0 ? (size_t)n : 1, sizeof *pp->ext);
  if (!pp->lines || !pp->ext) {
    S_para_free(pp);
    return QUIRE_ENOMEM;
  }
  PangoLayoutIter *it = pango_layout_get_iter(pp->layout);
  do {
    PangoRectangle logical;
    pango_layout_iter_get_line_extents(it, NULL, &logical);
    quire__cpango_line *l = &pp->ext[pp->nlines];
    l->asc =
        (pango_layout_iter_get_baseline(it) - logical.y) / (double)PANGO_SCALE;
    l->lh = logical.height / (double)PANGO_SCALE;
    l->pw = logical.width / (double)PANGO_SCALE;
    l->lx = logical.x / (double)PANGO_SCALE;
    pp->lines[pp->nlines] = pango_layout_iter_get_line_readonly(it);
    pp->nlines++;
  } while (pp->nlines < (size_t)n && pango_layout_iter_next_line(it));
  pango_layout_iter_free(it);
  *nlines = pp->nlines;
  *out = pp;
  return 0;
}

static void S_para_line(const quire__cpango_para *pp, size_t i,
                        quire__cpango_line *out) {
  *out = pp->ext[i];
}

/* ---- painting ---- */

/* Whether a line's runs, left to right, are also in logical order. */
static int S_runs_logical(PangoLayoutLine *line) {
  int last = -1;
  for (GSList *r = line->runs; r; r = r->next) {
    const PangoGlyphItem *gi = r->data;
    if (gi->item->offset < last)
      return 0;
    last = gi->item->offset;
  }
  return 1;
}

typedef struct S_vrun {
  PangoGlyphItem *gi;
  double x; /* pt from the line's left edge */
} S_vrun;

static int S_vrun_cmp(const void *a, const void *b) {
  int x = ((const S_vrun *)a)->gi->item->offset;
  int y = ((const S_vrun *)b)->gi->item->offset;
  return x < y ? -1 : x > y;
}

static void S_fill_rect(cairo_t *cr, double x, double y, double w, double h,
                        const PangoColor *c) {
  cairo_set_source_rgb(cr, c->red / 65535.0, c->green / 65535.0,
                       c->blue / 65535.0);
  cairo_rectangle(cr, x, y, w, h);
  cairo_fill(cr);
}

/* A line whose runs are not in logical order (a right-to-left paragraph
 * with left-to-right words, or the reverse): each run is placed where
 * pango put it but written to the page in logical order, as haru.c
 * does. Text extraction and screen readers read the content stream, and
 * pango_cairo_show_layout_line writes it left to right: a heading
 * "عربي — English" came out as "English — عربي" (issue 13). The run's
 * colour, background, underline and strike-through are what
 * pango's renderer would draw. */
static int S_show_logical(cairo_t *cr, PangoLayout *layout,
                          PangoLayoutLine *line, double x, double base) {
  size_t n = g_slist_length(line->runs), i = 0;
  S_vrun *v = quire__calloc(n ? n : 1, sizeof *v);
  if (!v)
    return QUIRE_ENOMEM;
  double cx = 0;
  for (GSList *r = line->runs; r; r = r->next, i++) {
    v[i].gi = r->data;
    v[i].x = cx;
    cx += pango_glyph_string_get_width(v[i].gi->glyphs) / (double)PANGO_SCALE;
  }
  qsort(v, n, sizeof *v, S_vrun_cmp);
  const char *text = pango_layout_get_text(layout);
  for (i = 0; i < n; i++) {
    PangoGlyphItem *gi = v[i].gi;
    PangoColor fg = {0, 0, 0}, bg = {0, 0, 0};
    int has_bg = 0, under = 0, strike = 0;
    for (GSList *a = gi->item->analysis.extra_attrs; a; a = a->next) {
      const PangoAttribute *at = a->data;
      switch (at->klass->type) {
      case PANGO_ATTR_FOREGROUND: fg = ((PangoAttrColor *)at)->color; break;
      case PANGO_ATTR_BACKGROUND:
        bg = ((PangoAttrColor *)at)->color;
        has_bg = 1;
        break;
      case PANGO_ATTR_UNDERLINE:
        under = ((PangoAttrInt *)at)->value != PANGO_UNDERLINE_NONE;
        break;
      case PANGO_ATTR_STRIKETHROUGH:
        strike = ((PangoAttrInt *)at)->value != 0;
        break;
      default: break;
      }
    }
    double rx = x + v[i].x;
    double w = pango_glyph_string_get_width(gi->glyphs) / (double)PANGO_SCALE;
    PangoFont *font = gi->item->analysis.font;
    if (has_bg) {
      PangoRectangle lg;
      pango_glyph_string_extents(gi->glyphs, font, NULL, &lg);
      S_fill_rect(cr, rx, base + lg.y / (double)PANGO_SCALE, w,
                  lg.height / (double)PANGO_SCALE, &bg);
    }
    cairo_set_source_rgb(cr, fg.red / 65535.0, fg.green / 65535.0,
                         fg.blue / 65535.0);
    cairo_move_to(cr, rx, base);
    pango_cairo_show_glyph_item(cr, text, gi);
    if ((under || strike) && font) {
      PangoFontMetrics *m = pango_font_get_metrics(font, NULL);
      double t;
      if (under) {
        t = pango_font_metrics_get_underline_thickness(m) / (double)PANGO_SCALE;
        S_fill_rect(cr, rx,
                    base - pango_font_metrics_get_underline_position(m) /
                               (double)PANGO_SCALE,
                    w, t, &fg);
      }
      if (strike) {
        t = pango_font_metrics_get_strikethrough_thickness(m) /
            (double)PANGO_SCALE;
        S_fill_rect(cr, rx,
                    base - pango_font_metrics_get_strikethrough_position(m) /
                               (double)PANGO_SCALE,
                    w, t, &fg);
      }
      pango_font_metrics_unref(m);
    }
  }
  free(v);
  return 0;
}

static int S_paint_line(cairo_t *cr, const quire__cpango_para *pp, size_t i,
                        double x, double base) {
  PangoLayoutLine *line = pp->lines[i];
  if (S_runs_logical(line)) {
    cairo_move_to(cr, x, base);
    pango_cairo_show_layout_line(cr, line);
    return 0;
  }
  return S_show_logical(cr, pp->layout, line, x, base);
}

static void S_x_ranges(const quire__cpango_para *pp, size_t i, int start,
                       int end, void (*fn)(void *ctx, int x0, int x1),
                       void *ctx) {
  int *ranges = NULL, nr = 0;
  pango_layout_line_get_x_ranges(pp->lines[i], start, end, &ranges, &nr);
  for (int j = 0; j < nr; j++)
    fn(ctx, ranges[2 * j], ranges[2 * j + 1]);
  g_free(ranges);
}

/* ---- versions ---- */

static pthread_once_t S_ver_once = PTHREAD_ONCE_INIT;
static char S_glib[32];

static void S_ver_format(void) {
  snprintf(S_glib, sizeof S_glib, "%u.%u.%u", glib_major_version,
           glib_minor_version, glib_micro_version);
}

static const char *S_running(const char *library) {
  if (!strcmp(library, "pango"))
    return pango_version_string();
  if (!strcmp(library, "harfbuzz"))
    return hb_version_string();
  if (!strcmp(library, "glib")) {
    pthread_once(&S_ver_once, S_ver_format);
    return S_glib;
  }
  return NULL;
}

const quire__cairo_pango_module quire__cairo_pango_builtin = {
    .abi = QUIRE__CAIRO_PANGO_ABI,
    .version = QUIRE_VERSION_STRING,
    .spec_size = sizeof(quire__para_spec),
    .run_size = sizeof(quire__run),
    .fontset_size = sizeof(quire__fontset),
    .host_size = sizeof(quire__cpango_host),
    .init = S_init,
    .render_new = S_render_new,
    .render_free = S_render_free,
    .fonts_changed = S_fonts_changed,
    .para_new = S_para_new,
    .para_line = S_para_line,
    .para_free = S_para_free,
    .paint_line = S_paint_line,
    .x_ranges = S_x_ranges,
    .running = S_running,
    .fontmaps_made = S_made,
    .release = S_release,
};
