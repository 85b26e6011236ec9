/* The engine-neutral constructor (paint.h): one handle over whichever
 * engine was asked for, behind a gate that applies the text policy
 * (safety/text_policy.h) to every string on its way to the engine. */
#include "paint/paint.h"

#include "safety/text_policy.h"

#ifdef QUIRE_HAVE_CAIRO
#include "paint/cairo_module.h"
#endif
#ifdef QUIRE_HAVE_HARU
#include "paint/haru.h"
#endif

#include <stdlib.h>
#include <string.h>

struct quire__engine {
  quire__engine_kind kind;
  void *impl;
  const quire__backend *be; /* the engine's own */
  quire__backend gate;      /* what callers get: be behind the policy */
};

/* ---- the gate ----
 *
 * No control character or noncharacter reaches an engine, whatever the
 * renderer above forgot: cairo refuses a noncharacter (the whole PDF
 * failed), libunibreak took U+FFFF for its end of string and asserted,
 * and both engines drew controls as hex boxes. Here they become U+FFFD
 * and every bidi control goes, in paragraphs, document information and
 * bookmarks alike: a field that must not reorder its neighbours says so
 * with QUIRE__RUN_ISOLATE, which the engine turns into its own isolate. */

#define S_GATE_RUN (QUIRE__TP_KEEP_NL | QUIRE__TP_KEEP_TAB)
#define S_GATE_LINE 0

/* s through the policy into b when it needs it: the string to use, or
 * NULL when b failed. */
static const char *S_gate_str(quire_buf *b, const char *s) {
  if (!s || quire__text_is_clean(s, strlen(s), S_GATE_LINE))
    return s;
  quire__text_clean(b, s, strlen(s), S_GATE_LINE);
  return quire_buf_failed(b) ? NULL : b->ptr;
}

/* ---- ties: where a line may not break ----
 *
 * UAX #14 breaks after any space, so a line could start with a separator
 * ("— dominating traits", "· Lisboa)") or a closing guillemet, or end with
 * an opening one ("«" then "Clarté avant vitesse »" on the next line).
 * Spaces before such a mark and after an opening guillemet become no-break
 * spaces (U+00A0, the same advance in every font quire uses), here, once
 * for both engines, so they break the same text alike. Monospaced runs
 * (code) keep their spaces: what is copied from code must stay code. */

/* quire__utf8_decode with ASCII decoded inline: the gate reads every
 * character of every paragraph two or three times. */
static inline int S_decode(const char *s, size_t len, int32_t *cp) {
  if ((unsigned char)s[0] < 0x80) {
    *cp = (unsigned char)s[0];
    return 1;
  }
  return quire__utf8_decode(s, len, cp);
}

static int S_tie_after(int32_t cp) { /* a mark that must not start a line */
  return cp == 0xBB || cp == 0x203A || cp == 0xB7 || cp == 0x2022 ||
         cp == 0x2014 || cp == 0x2013 || cp == '|' || cp == ':' || cp == ';' ||
         cp == '!' || cp == '?';
}

static int S_tie_before(int32_t cp) { /* a mark that must not end a line */
  return cp == 0xAB || cp == 0x2039;
}

/* 1 when run r has a space to tie. */
static int S_needs_ties(const quire__run *r) {
  if (r->role == QUIRE__FONT_MONO)
    return 0;
  int32_t prev = 0;
  for (size_t k = 0; k < r->len;) {
    int32_t cp;
    int n = S_decode(r->text + k, r->len - k, &cp);
    if (n < 1)
      return 0; /* not clean: the policy runs first */
    if (cp == ' ' && S_tie_before(prev))
      return 1;
    if (prev == ' ' && S_tie_after(cp))
      return 1;
    prev = cp;
    k += (size_t)n;
  }
  return 0;
}

/* Appends s with its spaces tied (see above) to b. */
static void S_tie(quire_buf *b, const char *s, size_t len) {
  size_t k = 0;
  int32_t before = 0; /* the character before the current spaces */
  while (k < len) {
    int32_t cp;
    int n = quire__utf8_decode(s + k, len - k, &cp);
    if (n < 1) {
      quire_buf_put(b, s + k, 1);
      k++;
      continue;
    }
    if (cp != ' ') {
      quire_buf_put(b, s + k, (size_t)n);
      before = cp;
      k += (size_t)n;
      continue;
    }
    size_t e = k;
    while (e < len && s[e] == ' ')
      e++;
    int32_t after = 0;
    if (e < len)
      quire__utf8_decode(s + e, len - e, &after);
    int tie = S_tie_before(before) || (e < len && S_tie_after(after));
    for (size_t i = k; i < e; i++)
      quire_buf_puts(b, tie ? "\xC2\xA0" : " ");
    k = e;
    before = ' ';
  }
}

/* ---- long tokens: one break rule for URLs and identifiers ----
 *
 * A URL or an identifier longer than S_TOKEN_MIN characters gets a
 * zero-width space (U+200B: a break opportunity, no glyph, nothing in
 * the text layer of either engine) after each / . _ ? & = # : ; , and
 * before a capital that follows a small letter ("getElement|ById"), so
 * both engines cut "https://api.example.com/v2/reports/..." and
 * "setAttribute" at the same readable places, never with a hyphen (cairo
 * inserts none: cairo.c turns pango's hyphens off). Only a token without
 * such a place is cut between characters, where it no longer fits; an
 * ordinary word is never cut unless it is wider than the line. */
#define S_TOKEN_MIN 24

static int S_token_punct(int32_t cp) {
  return cp == '/' || cp == '.' || cp == '_' || cp == '?' || cp == '&' ||
         cp == '=' || cp == '#' || cp == ':' || cp == ';' || cp == ',';
}

static int S_token_end(int32_t cp) {
  return cp == ' ' || cp == 0xA0 || cp == '\n' || cp == '\t' || cp == 0x200B;
}

/* The token of s starting at k: its end (bytes), its length in code
 * points, and whether it looks like a URL or identifier. */
static size_t S_token(const char *s, size_t len, size_t k, size_t *cps,
                      int *tech) {
  *cps = 0;
  *tech = 0;
  int32_t prev = 0;
  while (k < len) {
    int32_t cp;
    int n = S_decode(s + k, len - k, &cp);
    if (n < 1 || S_token_end(cp))
      break;
    if (S_token_punct(cp) ||
        (cp >= 'A' && cp <= 'Z' && prev >= 'a' && prev <= 'z'))
      *tech = 1;
    prev = cp;
    (*cps)++;
    k += (size_t)n;
  }
  return k;
}

static int S_needs_breaks(const quire__run *r) {
  for (size_t k = 0; k < r->len;) {
    size_t cps, end;
    int tech;
    end = S_token(r->text, r->len, k, &cps, &tech);
    if (cps >= S_TOKEN_MIN && tech)
      return 1;
    if (end == k) {
      int32_t cp;
      int n = S_decode(r->text + k, r->len - k, &cp);
      end = k + (size_t)(n > 0 ? n : 1);
    }
    k = end;
  }
  return 0;
}

/* Appends s with break opportunities in its long tokens to b. */
static void S_breaks(quire_buf *b, const char *s, size_t len) {
  for (size_t k = 0; k < len;) {
    size_t cps;
    int tech;
    size_t end = S_token(s, len, k, &cps, &tech);
    if (end == k) {
      int32_t cp;
      int n = quire__utf8_decode(s + k, len - k, &cp);
      end = k + (size_t)(n > 0 ? n : 1);
      quire_buf_put(b, s + k, end - k);
      k = end;
      continue;
    }
    if (cps < S_TOKEN_MIN || !tech) {
      quire_buf_put(b, s + k, end - k);
      k = end;
      continue;
    }
    int32_t prev = 0;
    while (k < end) {
      int32_t cp, next = 0;
      int n = quire__utf8_decode(s + k, end - k, &cp);
      if (n < 1)
        n = 1, cp = 0;
      if (k + (size_t)n < end)
        quire__utf8_decode(s + k + n, end - k - (size_t)n, &next);
      if (cp >= 'A' && cp <= 'Z' && prev >= 'a' && prev <= 'z')
        quire_buf_puts(b, "\xE2\x80\x8B");
      quire_buf_put(b, s + k, (size_t)n);
      /* after the punctuation, not inside a run of it ("://", "..") and
       * not at the token's end */
      if (S_token_punct(cp) && next && !S_token_punct(next))
        quire_buf_puts(b, "\xE2\x80\x8B");
      prev = cp;
      k += (size_t)n;
    }
  }
}

static int S_gate_para_new(void *self, quire__para **out,
                           const quire__para_spec *spec) {
  quire__engine *e = self;
  size_t dirty = 0;
  for (size_t i = 0; i < spec->nruns; i++)
    if (!quire__text_is_clean(spec->runs[i].text, spec->runs[i].len,
                              S_GATE_RUN) ||
        S_needs_ties(&spec->runs[i]) || S_needs_breaks(&spec->runs[i]))
      dirty++;
  if (!dirty)
    return e->be->para_new(e->be->self, out, spec);
  *out = NULL;
  quire__run *runs = quire__calloc(spec->nruns, sizeof *runs);
  quire_buf *texts = quire__calloc(spec->nruns, sizeof *texts);
  int rc = runs && texts ? 0 : QUIRE_ENOMEM;
  quire_buf tmp = QUIRE_BUF_INIT;
  for (size_t i = 0; !rc && i < spec->nruns; i++) {
    runs[i] = spec->runs[i];
    int clean = quire__text_is_clean(runs[i].text, runs[i].len, S_GATE_RUN);
    int ties = S_needs_ties(&runs[i]), brk = S_needs_breaks(&runs[i]);
    if (clean && !ties && !brk)
      continue;
    const char *t = runs[i].text;
    size_t n = runs[i].len;
    if (!clean) {
      quire_buf_clear(&tmp);
      if (quire__text_clean(&tmp, t, n, S_GATE_RUN)) {
        rc = QUIRE_ENOMEM;
        break;
      }
      t = tmp.ptr ? tmp.ptr : "";
      n = tmp.size;
    }
    if (brk) {
      quire_buf tied = QUIRE_BUF_INIT;
      S_tie(&tied, t, n);
      S_breaks(&texts[i], tied.ptr ? tied.ptr : "", tied.size);
      if (quire_buf_failed(&tied))
        rc = QUIRE_ENOMEM;
      quire_buf_dispose(&tied);
    } else {
      S_tie(&texts[i], t, n);
    }
    if (rc || quire_buf_failed(&texts[i])) {
      rc = QUIRE_ENOMEM;
      break;
    }
    runs[i].text = texts[i].ptr ? texts[i].ptr : "";
    runs[i].len = texts[i].size;
  }
  quire_buf_dispose(&tmp);
  if (!rc) {
    quire__para_spec gated = *spec;
    gated.runs = runs;
    rc = e->be->para_new(e->be->self, out, &gated);
  }
  for (size_t i = 0; texts && i < spec->nruns; i++)
    quire_buf_dispose(&texts[i]);
  free(texts);
  free(runs);
  return rc;
}

static void S_gate_para_free(void *self, quire__para *p) {
  quire__engine *e = self;
  e->be->para_free(e->be->self, p);
}

static size_t S_gate_line_count(void *self, const quire__para *p) {
  quire__engine *e = self;
  return e->be->para_line_count(e->be->self, p);
}

static void S_gate_line(void *self, const quire__para *p, size_t i,
                        quire__line *out) {
  quire__engine *e = self;
  e->be->para_line(e->be->self, p, i, out);
}

static int S_gate_begin_document(void *self, const quire__doc_meta *meta) {
  quire__engine *e = self;
  if (!meta)
    return e->be->begin_document(e->be->self, meta);
  quire_buf b[6] = {QUIRE_BUF_INIT, QUIRE_BUF_INIT, QUIRE_BUF_INIT,
                    QUIRE_BUF_INIT, QUIRE_BUF_INIT, QUIRE_BUF_INIT};
  quire__doc_meta m = *meta;
  m.title = S_gate_str(&b[0], meta->title);
  m.author = S_gate_str(&b[1], meta->author);
  m.subject = S_gate_str(&b[2], meta->subject);
  m.creator = S_gate_str(&b[3], meta->creator);
  m.created_at = S_gate_str(&b[4], meta->created_at);
  m.lang = S_gate_str(&b[5], meta->lang);
  int rc = 0;
  for (int i = 0; i < 6; i++)
    if (quire_buf_failed(&b[i]))
      rc = QUIRE_ENOMEM;
  if (!rc)
    rc = e->be->begin_document(e->be->self, &m);
  for (int i = 0; i < 6; i++)
    quire_buf_dispose(&b[i]);
  return rc;
}

static int S_gate_begin_page(void *self, int page_index, double width,
                             double height) {
  quire__engine *e = self;
  return e->be->begin_page(e->be->self, page_index, width, height);
}

static void S_gate_para_paint(void *self, const quire__para *para, size_t first,
                              size_t count, double x, double y) {
  quire__engine *e = self;
  e->be->para_paint(e->be->self, para, first, count, x, y);
}

static void S_gate_rect(void *self, double x, double y, double w, double h,
                        double r, const quire__paint *paint) {
  quire__engine *e = self;
  e->be->rect(e->be->self, x, y, w, h, r, paint);
}

static void S_gate_stroke(void *self, double x1, double y1, double x2,
                          double y2, double width, quire__color color) {
  quire__engine *e = self;
  e->be->line(e->be->self, x1, y1, x2, y2, width, color);
}

static void S_gate_path(void *self, const quire__seg *segs, size_t nsegs,
                        const quire__paint *paint) {
  quire__engine *e = self;
  e->be->path(e->be->self, segs, nsegs, paint);
}

static void S_gate_link(void *self, double x, double y, double w, double h,
                        const char *uri) {
  quire__engine *e = self;
  e->be->link(e->be->self, x, y, w, h, uri);
}

static void S_gate_link_page(void *self, double x, double y, double w, double h,
                             int page, double target_y) {
  quire__engine *e = self;
  e->be->link_page(e->be->self, x, y, w, h, page, target_y);
}

static int S_gate_outline(void *self, int parent, const char *title, double y) {
  quire__engine *e = self;
  quire_buf b = QUIRE_BUF_INIT;
  const char *t = S_gate_str(&b, title);
  int id = title && !t ? 0 : e->be->outline(e->be->self, parent, t, y);
  quire_buf_dispose(&b);
  return id;
}

static void S_gate_tag(void *self, const char *name, int begin) {
  quire__engine *e = self;
  e->be->tag(e->be->self, name, begin);
}

static void S_gate_tag_alt(void *self, const char *alt) {
  quire__engine *e = self;
  quire_buf b = QUIRE_BUF_INIT;
  const char *t = S_gate_str(&b, alt);
  if (t)
    e->be->tag_alt(e->be->self, t);
  quire_buf_dispose(&b);
}

static int S_gate_end_page(void *self) {
  quire__engine *e = self;
  return e->be->end_page(e->be->self);
}

static int S_gate_end_document(void *self) {
  quire__engine *e = self;
  return e->be->end_document(e->be->self);
}

/* Every call of quire__backend is forwarded; a new one must be added here
 * too, or a NULL pointer stands in for it (test_engine_gate compares). */
static void S_gate_init(quire__engine *e) {
  quire__backend *g = &e->gate;
  g->self = e;
  g->para_new = S_gate_para_new;
  g->para_free = S_gate_para_free;
  g->para_line_count = S_gate_line_count;
  g->para_line = S_gate_line;
  g->begin_document = S_gate_begin_document;
  g->begin_page = S_gate_begin_page;
  g->para_paint = S_gate_para_paint;
  g->rect = S_gate_rect;
  g->line = S_gate_stroke;
  g->path = S_gate_path;
  g->link = S_gate_link;
  g->outline = S_gate_outline;
  /* optional: NULL when the engine has no links (PNG) */
  g->link_page = e->be->link_page ? S_gate_link_page : NULL;
  /* optional: NULL when the engine has no structure tree */
  g->tag = e->be->tag ? S_gate_tag : NULL;
  g->tag_alt = e->be->tag_alt ? S_gate_tag_alt : NULL;
  g->end_page = S_gate_end_page;
  g->end_document = S_gate_end_document;
}

int quire__engine_new(quire__engine **out, quire__engine_kind kind,
                      const quire__engine_opts *o, quire_error *err) {
  *out = NULL;
  quire__engine *e = quire__calloc(1, sizeof *e);
  if (!e)
    return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  e->kind = kind;
  int rc = QUIRE_EUNSUPPORTED;
  switch (kind) {
  case QUIRE__ENGINE_CAIRO_PDF:
  case QUIRE__ENGINE_CAIRO_PNG: {
#ifdef QUIRE_HAVE_CAIRO
    /* The first PDF or PNG render loads the engine (cairo_module.h). */
    const quire__cairo_module *m = quire__cairo_module_get(1, err);
    rc = QUIRE_EUNSUPPORTED;
    if (m && quire__cairo_fontconfig_default())
      m->fontconfig_default();
    if (m)
      rc = m->create(&e->impl, kind == QUIRE__ENGINE_CAIRO_PNG, o, err);
    if (!rc)
      e->be = m->backend(e->impl);
#else
    rc = quire__error_set(err, QUIRE_EUNSUPPORTED,
                          "%s output needs the cairo engine, not built in",
                          kind == QUIRE__ENGINE_CAIRO_PNG ? "png" : "pdf");
#endif
    break;
  }
  case QUIRE__ENGINE_HARU_PDF: {
#ifdef QUIRE_HAVE_HARU
    quire__haru *h = NULL;
    rc = quire__haru_new(&h, o, err);
    if (!rc) {
      e->impl = h;
      e->be = quire__haru_backend(h);
    }
#else
    rc = quire__error_set(err, QUIRE_EUNSUPPORTED,
                          "the libharu engine is not built in");
#endif
    break;
  }
  default:
    rc = quire__error_set(err, QUIRE_EINVAL, "unknown engine %d", (int)kind);
  }
  if (rc) {
    free(e);
    return rc;
  }
  S_gate_init(e);
  *out = e;
  return 0;
}

void quire__engine_free(quire__engine *e) {
  if (!e)
    return;
  switch (e->kind) {
#ifdef QUIRE_HAVE_CAIRO
  case QUIRE__ENGINE_CAIRO_PDF:
  case QUIRE__ENGINE_CAIRO_PNG:
    quire__cairo_module_get(1, NULL)->destroy(e->impl);
    break;
#endif
#ifdef QUIRE_HAVE_HARU
  case QUIRE__ENGINE_HARU_PDF: quire__haru_free(e->impl); break;
#endif
  default: break;
  }
  free(e);
}

const quire__backend *quire__engine_backend(const quire__engine *e) {
  return &e->gate;
}
