/*
 * haru.c - the lean PDF engine on libharu (libhpdf 2.3.0).
 *
 * Measures with libharu's own glyph advances (no kerning, no OpenType
 * shaping), breaks lines at UAX #14 opportunities from libunibreak, takes
 * bidi levels, line order and Arabic joining from fribidi, and paints the
 * shared page layout. libharu's silent failure modes are handled here:
 *  - errors go to a per-document handler that only records them (never a
 *    longjmp across quire's frames); every call site checks the record;
 *  - a character with no glyph would silently become .notdef and one
 *    outside the BMP would be dropped, so coverage is read from each
 *    font's cmap first, missing characters go to a fallback font (CJK) or
 *    are reported once per document;
 *  - compression is switched on before any font or page exists (later
 *    objects would stay uncompressed);
 *  - no PDF/A (libharu's PDF/A-1b output is broken) and no /ID, so the
 *    same input gives the same bytes.
 */
#include "paint/haru.h"

#include "paint/fonts_haru.h"
#include "paint/linemodel.h"

#include <fribidi.h>
#include <hpdf.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define S_NFACES                                                               \
  (QUIRE__HFONT_ROLES * QUIRE__HFONT_FACES + QUIRE__HFONT_FALLBACKS)
#define S_FIRST_FALLBACK (QUIRE__HFONT_ROLES * QUIRE__HFONT_FACES)
#define S_MAX_OUTLINE 100000
#define S_MAX_WARNED_ASTRAL 64
/* libharu refuses a string over 65,535 bytes (HPDF_LIMIT_MAX_STRING_LEN)
 * and the text is lost: one TextOut takes at most this many characters
 * (3 bytes each at most in the BMP it draws), a long line several. */
#define S_MAX_STRETCH 16384

/* Per-char flags: the line model's (paint/linemodel.h). */
#define S_CH_SPACE QUIRE__LM_SPACE
#define S_CH_NEWLINE QUIRE__LM_NEWLINE
#define S_CH_DROP QUIRE__LM_DROP

typedef struct S_face {
  const quire__hfont_file *file;
  const quire__hfont_prog *prog; /* the process's reading, once loaded */
  HPDF_Font font;                /* the document's, NULL until painted */
  char basefont[128];
  int state;              /* 0 not tried, 1 loaded, -1 failed */
  double ascent, descent; /* fractions of the em */
  unsigned char *used;    /* BMP bits of characters painted, NULL: none */
} S_face;

typedef struct S_run {
  quire__font_role role;
  unsigned style;
  double size;
  quire__color color, background;
  char *link;
} S_run;

typedef quire__lm_char S_char;

typedef struct S_lineinfo {
  size_t start, end; /* chars [start, end) drawn (trailing spaces trimmed) */
  double width, height, baseline;
} S_lineinfo;

/* A paragraph: the line model's characters and lines (paint/linemodel.h),
 * which this engine paints as they are. */
struct quire__para {
  quire__lm_para lm;
  S_run *runs;
  size_t nruns;
  S_char *chars;
  size_t nchars;
  S_lineinfo *lines;
  size_t nlines;
  double box;
  quire__align align;
  int rtl; /* base direction: the first strong character is RTL */
  FriBidiCharType *types; /* lm's, per char, for each line's reordering */
  FriBidiLevel *levels;   /* lm's, per char: the embedding levels */
  FriBidiParType base;
};

struct quire__haru {
  quire__backend be;
  HPDF_Doc pdf;
  HPDF_Page page;
  double page_h;
  quire__hfont_paths paths;
  S_face faces[S_NFACES];
  quire__lm_fonts lm;  /* the same files, as the line model reads them */
  HPDF_Dict tounicode; /* the fonts' one ToUnicode map, made with the first */
  int nfonts;          /* fonts made (their subset tags) */
  quire__color fill;   /* the page's fill colour, when fill_set */
  int fill_set;
  HPDF_Font tf_font; /* the page's font and size (Tf), NULL: none yet */
  HPDF_REAL tf_size;
  quire_warn_fn warn;
  void *warn_payload;
  unsigned char warned[QUIRE__HFONT_BMP_BYTES];
  int32_t warned_astral[S_MAX_WARNED_ASTRAL];
  int nwarned_astral;
  quire_sink sink;
  size_t max_output;
  quire_error *err;
  int rc;                            /* first failure (sticky) */
  HPDF_STATUS hpdf_err, hpdf_detail; /* recorded by the error handler */
  int reading;                       /* stream EOF is expected while reading */
  HPDF_Outline *outlines;            /* by id - 1 */
  size_t noutlines, outlines_cap;
  /* Links to pages of this document, made when every page exists:
   * libharu's destinations need the target page. */
  struct S_plink {
    int from, to; /* 0-based pages */
    double x, y, w, h, ty;
  } * plinks;
  size_t nplinks, plinks_cap;
  int npages;    /* pages begun */
  char *scratch; /* segment text, NUL-terminated */
  size_t scratch_cap;
  size_t *ord;        /* a line's characters in visual order */
  unsigned char *lev; /* and their bidi levels */
  size_t ord_cap;
  struct S_stretch *stretches; /* a line's TextOut stretches */
  size_t stretch_cap;
  FriBidiLevel *fb_lev; /* fribidi's scratch for one line */
  FriBidiStrIndex *fb_map;
  size_t fb_cap;
};

/* ------------------------------------------------------------------ */
/* errors                                                              */
/* ------------------------------------------------------------------ */

/* libharu calls this on every error. It must return normally: the
 * library then returns the status to its caller, and we check. */
static void S_on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no,
                       void *user_data) {
  quire__haru *h = user_data;
  if (h->reading && error_no == HPDF_STREAM_EOF)
    return;
  if (!h->hpdf_err) {
    h->hpdf_err = error_no;
    h->hpdf_detail = detail_no;
  }
}

static void *S_alloc(HPDF_UINT size) { return quire__malloc(size ? size : 1); }
static void S_free(void *p) { free(p); }

static int S_fail(quire__haru *h, int code, const char *what) {
  if (!h->rc) {
    h->rc = code;
    if (h->hpdf_err)
      quire__error_set(h->err, code, "libharu: %s (error 0x%04X, detail %u)",
                       what, (unsigned)h->hpdf_err, (unsigned)h->hpdf_detail);
    else
      quire__error_set(h->err, code, "libharu: %s", what);
  }
  return h->rc;
}

/* Turns a recorded libharu error into the sticky failure. */
static int S_check(quire__haru *h, const char *what) {
  if (h->hpdf_err && !h->rc)
    S_fail(h,
           h->hpdf_err == HPDF_FAILD_TO_ALLOC_MEM ? QUIRE_ENOMEM : QUIRE_ERROR,
           what);
  return h->rc;
}

static void S_warn_cp(quire__haru *h, int32_t cp, const char *why) {
  if (!h->warn)
    return;
  if (cp < 0x10000) {
    unsigned char bit = (unsigned char)(1u << (cp & 7));
    if (h->warned[cp >> 3] & bit)
      return;
    h->warned[cp >> 3] |= bit;
  } else {
    for (int i = 0; i < h->nwarned_astral; i++)
      if (h->warned_astral[i] == cp)
        return;
    if (h->nwarned_astral >= S_MAX_WARNED_ASTRAL)
      return; /* bounded */
    h->warned_astral[h->nwarned_astral++] = cp;
  }
  /* The character itself only when it is printable: a C0 or C1 control
   * (or DEL) in a warning reaches the caller's terminal raw. */
  char utf8[5] = {0};
  int show = cp > 0x20 && cp != 0x7f && !(cp >= 0x80 && cp < 0xa0);
  if (show)
    quire__utf8_encode(cp, utf8);
  char msg[160];
  snprintf(msg, sizeof msg, "haru PDF engine: U+%04X%s%s%s %s", (unsigned)cp,
           show ? " \"" : "", utf8, show ? "\"" : "", why);
  h->warn(msg, h->warn_payload);
}

/* ------------------------------------------------------------------ */
/* fonts                                                               */
/* ------------------------------------------------------------------ */

/* libharu 2.3.0 loads a TrueType file again for every document and
 * embeds whole tables deflated at zlib's default level: with its UTF-8
 * fonts that was three quarters of a haru render. The engine makes its
 * fonts' PDF objects itself: a Type0 font per face file, made on first
 * use so that the page can select it (libharu only needs a font
 * dictionary with its attribute record for that), and at the end, when
 * every character drawn is known, its CIDFontType2 with a subset program
 * of the glyphs drawn (paint/fonts_haru.c), the widths the layout
 * measured and a CIDToGIDMap. The codes in the content stream are the
 * BMP code points (S_paint_line), so the ToUnicode map is the identity,
 * one per document, shared by its fonts. */

static pthread_once_t S_tu_once = PTHREAD_ONCE_INIT;
static char S_tu_text[8192];
static unsigned char S_tu_z[4096]; /* S_tu_text deflated, once */
static uLongf S_tu_zlen;

/* The identity ToUnicode as bfranges (each within one high byte, as the
 * format requires), and the ligatures (U+FB00-U+FB04, drawn as codes
 * 1-5: S_code) as the letters they join. */
static void S_tu_make(void) {
  char *s = S_tu_text;
  size_t cap = sizeof S_tu_text, n = 0;
#define S_PUT(...)                                                             \
  do {                                                                         \
    int k_ = snprintf(s + n, cap - n, __VA_ARGS__);                            \
    if (k_ > 0 && (size_t)k_ < cap - n)                                        \
      n += (size_t)k_;                                                         \
  } while (0)
  S_PUT("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
        "/Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n"
        "/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\n"
        "endcodespacerange\n");
  /* 248 high bytes (no surrogates), at most 100 ranges per block */
  int hi = 0;
  while (hi < 256) {
    int cnt = 0;
    for (int k = hi; k < 256 && cnt < 100; k++)
      if (k < 0xD8 || k > 0xDF)
        cnt++;
    S_PUT("%d beginbfrange\n", cnt);
    for (int done = 0; hi < 256 && done < cnt; hi++) {
      if (hi >= 0xD8 && hi <= 0xDF)
        continue;
      if (hi == 0)
        S_PUT("<0006> <00FF> <0006>\n"); /* 1-5: the ligatures (S_code) */
      else
        S_PUT("<%02X00> <%02XFF> <%02X00>\n", hi, hi, hi);
      done++;
    }
    S_PUT("endbfrange\n");
    while (hi < 256 && hi >= 0xD8 && hi <= 0xDF)
      hi++;
  }
  S_PUT("5 beginbfchar\n<0001> <00660066>\n<0002> <00660069>\n<0003> "
        "<0066006C>\n<0004> <006600660069>\n<0005> <00660066006C>\n"
        "endbfchar\nendcmap\nCMapName currentdict /CMap defineresource "
        "pop\nend\nend\n");
#undef S_PUT
  /* Level 4: the map's 5,713 bytes (ranges that differ in a digit or two)
   * deflate to 1,686 bytes in 0.69 M instructions; level 9 made 1,724 bytes
   * in 2.49 M, level 6 1,724 in 1.65 M, level 1 1,733 in 0.51 M (zlib
   * 1.2.13, callgrind). Once per process, so once per CLI haru PDF. */
  S_tu_zlen = sizeof S_tu_z;
  if (compress2(S_tu_z, &S_tu_zlen, (const Bytef *)s, n, 4) != Z_OK)
    S_tu_zlen = 0; /* cannot happen with this buffer; no map then */
}

/* libharu deflates a stream's data itself (at zlib's default level, every
 * time), and drops a /Filter key from a stream dictionary whose filter is
 * none: data deflated here gets its key from the dictionary's write
 * hook, which libharu calls after the other keys. */
static HPDF_STATUS S_flate_key(HPDF_Dict d, HPDF_Stream out) {
  (void)d;
  return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

/* A stream object holding n bytes already deflated. */
static HPDF_Dict S_deflated(quire__haru *h, const unsigned char *z, size_t n) {
  HPDF_Dict d = HPDF_DictStream_New(h->pdf->mmgr, h->pdf->xref);
  if (!d)
    return NULL;
  d->write_fn = S_flate_key;
  HPDF_Stream_Write(d->stream, z, (HPDF_UINT)n);
  return d;
}

/* data deflated (zlib format, at level with strategy) into a new stream
 * object; NULL: failure, recorded */
static HPDF_Dict S_deflate(quire__haru *h, const unsigned char *data, size_t n,
                           int level, int strategy) {
  z_stream z;
  memset(&z, 0, sizeof z);
  uLong cap = compressBound((uLong)n);
  unsigned char *out = quire__malloc(cap);
  HPDF_Dict d = NULL;
  if (out && deflateInit2(&z, level, Z_DEFLATED, 15, 8, strategy) == Z_OK) {
    z.next_in = (Bytef *)(uintptr_t)data;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    if (deflate(&z, Z_FINISH) == Z_STREAM_END)
      d = S_deflated(h, out, z.total_out);
    deflateEnd(&z);
  }
  free(out);
  if (!d && !S_check(h, "writing a font failed"))
    S_fail(h, QUIRE_ENOMEM, "out of memory compressing a font");
  return d;
}

/* Loads face i: the process's reading of its file. Returns 1 or -1. */
static int S_face_load(quire__haru *h, int i) {
  S_face *f = &h->faces[i];
  if (f->state)
    return f->state;
  f->state = -1;
  if (!f->file || !f->file->path[0])
    return -1;
  f->prog = quire__hfont_prog_get(f->file);
  if (!f->prog)
    return -1;
  const quire__hfont_desc *d = quire__hfont_prog_desc(f->prog);
  f->ascent = d->ascent_em;
  f->descent = d->descent_em;
  f->state = 1;
  return 1;
}

/* The face a run's text is set in: its role's bold/italic face, or the
 * role's regular face when that one does not load. */
static int S_primary(quire__haru *h, quire__font_role role, unsigned style) {
  int r = (int)role;
  if (r < 0 || r >= QUIRE__HFONT_ROLES)
    r = 0;
  int i = r * QUIRE__HFONT_FACES + ((style & QUIRE__RUN_BOLD) ? 1 : 0) +
          ((style & QUIRE__RUN_ITALIC) ? 2 : 0);
  if (S_face_load(h, i) == 1)
    return i;
  i = r * QUIRE__HFONT_FACES;
  if (S_face_load(h, i) == 1)
    return i;
  return -1;
}

static void S_font_free(HPDF_Dict obj) {
  if (obj->attr)
    HPDF_FreeMem(obj->mmgr, obj->attr);
  obj->attr = NULL;
}

/* The document's Type0 font for face i (loaded), made on first use;
 * faces of one file share one. NULL after a failure (recorded). */
static HPDF_Font S_font(quire__haru *h, int i) {
  S_face *f = &h->faces[i];
  if (f->font)
    return f->font;
  for (int j = 0; j < S_NFACES; j++)
    if (h->faces[j].font && h->faces[j].prog == f->prog) {
      memcpy(f->basefont, h->faces[j].basefont, sizeof f->basefont);
      return f->font = h->faces[j].font;
    }
  HPDF_MMgr mm = h->pdf->mmgr;
  if (!h->tounicode) {
    pthread_once(&S_tu_once, S_tu_make);
    if (!S_tu_zlen || !(h->tounicode = S_deflated(h, S_tu_z, S_tu_zlen)))
      return NULL;
  }
  HPDF_Dict d = HPDF_Dict_New(mm);
  HPDF_FontAttr a = d ? HPDF_GetMem(mm, sizeof *a) : NULL;
  if (!a) {
    if (d)
      HPDF_Dict_Free(d);
    S_fail(h, QUIRE_ENOMEM, "out of memory");
    return NULL;
  }
  memset(a, 0, sizeof *a);
  a->type = HPDF_FONT_TYPE0_TT;
  a->writing_mode = HPDF_WMODE_HORIZONTAL;
  d->header.obj_class |= HPDF_OSUBCLASS_FONT;
  d->attr = a;
  d->free_fn = S_font_free;
  if (HPDF_Xref_Add(h->pdf->xref, d) != HPDF_OK)
    return NULL; /* libharu freed it */
  /* A subset's name starts with six capitals and '+'; libharu's scheme,
   * HPDFAA, HPDFAB, ... in the order the fonts are first used. */
  int k = h->nfonts++;
  snprintf(f->basefont, sizeof f->basefont, "HPDF%c%c+%s", 'A' + (k / 26) % 26,
           'A' + k % 26, quire__hfont_prog_desc(f->prog)->name);
  HPDF_Dict_AddName(d, "Type", "Font");
  HPDF_Dict_AddName(d, "BaseFont", f->basefont);
  HPDF_Dict_AddName(d, "Subtype", "Type0");
  HPDF_Dict_AddName(d, "Encoding", "Identity-H");
  if (S_check(h, "making a font failed"))
    return NULL;
  f->font = d;
  return d;
}

/* Advance of cp in face i, per em, as the line model measured it (the
 * font's hmtx advance over its units per em, as pango measures it
 * unhinted): the /W array says the same widths (S_font_finish). */
static double S_advance(quire__haru *h, int i, int32_t cp) {
  return quire__lm_advance(&h->lm, i, cp);
}

/* ------------------------------------------------------------------ */
/* measuring                                                           */
/* ------------------------------------------------------------------ */

/* ------------------------------------------------------------------ */
/* bidi and Arabic shaping: fribidi                                    */
/* ------------------------------------------------------------------ */

/* libharu has no shaping: the line model (paint/linemodel.c) takes
 * bidi levels and Arabic joining forms from fribidi, and each line is
 * reordered here with fribidi's rules L1 and L2. Marks are not
 * positioned and scripts that need OpenType shaping are not shaped
 * (README, "PDF engines"). */

/* Visual order of chars [start, end) into ord, and each one's embedding
 * level into lev (odd: right to left): fribidi's rules L1 and L2 on the
 * line, marks kept after their base (FRIBIDI_FLAG_REORDER_NSM). */
static int S_visual_order(quire__haru *h, const quire__para *p, size_t start,
                          size_t end, size_t *ord, unsigned char *lev) {
  size_t n = end - start;
  if (n > h->fb_cap) {
    size_t cap = n < 64 ? 64 : n * 2;
    FriBidiLevel *l = quire__realloc(h->fb_lev, cap * sizeof *l);
    if (l)
      h->fb_lev = l;
    FriBidiStrIndex *m = l ? quire__realloc(h->fb_map, cap * sizeof *m) : NULL;
    if (!m)
      return S_fail(h, QUIRE_ENOMEM, "out of memory");
    h->fb_map = m;
    h->fb_cap = cap;
  }
  memcpy(h->fb_lev, p->levels + start, n * sizeof *h->fb_lev);
  for (size_t k = 0; k < n; k++)
    h->fb_map[k] = (FriBidiStrIndex)k;
  if (!fribidi_reorder_line(FRIBIDI_FLAGS_DEFAULT, p->types + start,
                            (FriBidiStrIndex)n, 0, p->base, h->fb_lev, NULL,
                            h->fb_map))
    return S_fail(h, QUIRE_ENOMEM, "out of memory reordering a line");
  /* fribidi reorders the map, not the levels: the level of the character
   * shown k-th is at its logical index. */
  for (size_t k = 0; k < n; k++) {
    ord[k] = start + (size_t)h->fb_map[k];
    lev[k] = (unsigned char)h->fb_lev[h->fb_map[k]];
  }
  return 0;
}

static void S_para_free(void *self, quire__para *p) {
  (void)self;
  if (!p)
    return;
  for (size_t i = 0; i < p->nruns; i++)
    free(p->runs[i].link);
  free(p->runs);
  free(p->lines);
  quire__lm_para_dispose(&p->lm);
  free(p);
}

/* Measures and breaks with the line model, loads the faces it chose, and
 * sets each line's height. */
static int S_para_new(void *self, quire__para **out,
                      const quire__para_spec *spec) {
  quire__haru *h = self;
  *out = NULL;
  if (h->rc)
    return h->rc;
  quire__para *p = quire__calloc(1, sizeof *p);
  if (!p)
    return QUIRE_ENOMEM;
  p->box = spec->width;
  p->align = spec->align;
  p->runs = quire__calloc(spec->nruns ? spec->nruns : 1, sizeof *p->runs);
  int rc = 0;
  if (!p->runs) {
    rc = QUIRE_ENOMEM;
    goto fail;
  }
  p->nruns = spec->nruns;
  for (size_t r = 0; r < spec->nruns; r++) {
    const quire__run *in = &spec->runs[r];
    S_run *run = &p->runs[r];
    run->role = in->role;
    run->style = in->style;
    run->size = in->size > 0 ? in->size : 1;
    run->color = in->color;
    run->background = in->background;
    if (in->link && !(run->link = quire__strdup(in->link))) {
      rc = QUIRE_ENOMEM;
      goto fail;
    }
  }
  rc = quire__lm_para_new(&p->lm, &h->lm, spec);
  if (rc == QUIRE_EFONT)
    rc = quire__error_set(h->err, QUIRE_EFONT, "no font loads for a role");
  if (rc)
    goto fail;
  p->chars = p->lm.chars;
  p->nchars = p->lm.nchars;
  p->types = p->lm.types;
  p->levels = p->lm.levels;
  p->base = p->lm.base;
  p->rtl = p->lm.rtl;
  /* What libharu cannot draw is reported once; a face the model read but
   * libharu cannot load is drawn in its role's regular face. */
  for (size_t k = 0; k < p->nchars; k++) {
    S_char *c = &p->chars[k];
    if (c->flags & (S_CH_DROP | S_CH_NEWLINE))
      continue;
    if (c->cp > 0xFFFF) {
      /* libharu's UTF-8 path stops at the BMP and drops the rest: the
       * model's advance stays, blank. */
      c->flags |= S_CH_DROP;
      S_warn_cp(h, c->cp,
                "is outside the Basic Multilingual Plane; the haru "
                "engine drops it");
      continue;
    }
    if (c->flags & QUIRE__LM_NOGLYPH)
      S_warn_cp(h, c->draw,
                "has no glyph in any installed font; drawn as a box");
    if (S_face_load(h, c->face) != 1) {
      int prim = S_primary(h, p->runs[c->run].role, 0);
      if (prim < 0) {
        rc = h->rc ? h->rc : QUIRE_EFONT;
        goto fail;
      }
      c->face = (unsigned char)prim;
    }
  }
  if (h->rc) {
    rc = h->rc;
    goto fail;
  }
  p->nlines = p->lm.nlines;
  p->lines = quire__calloc(p->nlines ? p->nlines : 1, sizeof *p->lines);
  if (!p->lines) {
    rc = QUIRE_ENOMEM;
    goto fail;
  }
  for (size_t k = 0; k < p->nlines; k++) {
    const quire__lm_line *m = &p->lm.lines[k];
    S_lineinfo *l = &p->lines[k];
    l->start = m->start;
    l->end = m->end;
    l->width = m->width;
    /* The tallest run on the line sets ascent + descent; an empty line
     * takes the run it sits in. */
    size_t k0 = m->start, k1 = m->end;
    if (k1 == k0) {
      k0 = m->start < p->nchars ? m->start : (p->nchars ? p->nchars - 1 : 0);
      k1 = k0 + 1;
    }
    double best = -1, asc = 0, ad = 0;
    for (size_t m2 = k0; m2 < k1 && m2 < p->nchars; m2++) {
      const S_char *c = &p->chars[m2];
      const S_face *f = &h->faces[c->face];
      double size = p->runs[c->run].size;
      if ((f->ascent + f->descent) * size > best) {
        best = (f->ascent + f->descent) * size;
        asc = f->ascent * size;
        ad = best;
      }
    }
    if (best < 0) {
      const S_face *f = &h->faces[p->nchars ? p->chars[p->nchars - 1].face : 0];
      double size = p->nruns ? p->runs[p->nruns - 1].size : 10;
      asc = f->ascent * size;
      ad = (f->ascent + f->descent) * size;
    }
    l->height = spec->line_height > ad ? spec->line_height : ad;
    l->baseline = (l->height - ad) / 2 + asc;
  }
  *out = p;
  return 0;
fail:
  S_para_free(h, p);
  if (rc == QUIRE_ENOMEM)
    S_fail(h, rc, "out of memory");
  return rc;
}

static size_t S_para_line_count(void *self, const quire__para *p) {
  (void)self;
  return p ? p->nlines : 0;
}

static void S_para_line(void *self, const quire__para *p, size_t i,
                        quire__line *out) {
  (void)self;
  memset(out, 0, sizeof *out);
  if (!p || i >= p->nlines)
    return;
  out->height = p->lines[i].height;
  out->baseline = p->lines[i].baseline;
  out->width = p->lines[i].width;
}

/* ------------------------------------------------------------------ */
/* painting                                                            */
/* ------------------------------------------------------------------ */

static int S_painting(quire__haru *h) { return !h->rc && h->page; }

static double S_c(unsigned char v) { return v / 255.0; }

/* The page's fill colour, font and size are set only when they change:
 * most lines keep their neighbour's, and each libharu operator call costs
 * a few thousand instructions. The content stream has no q/Q, so what
 * was set stays set until the page ends (S_begin_page forgets it). */
static void S_fill_rgb(quire__haru *h, quire__color c) {
  if (h->fill_set && h->fill.r == c.r && h->fill.g == c.g && h->fill.b == c.b)
    return;
  HPDF_Page_SetRGBFill(h->page, (HPDF_REAL)S_c(c.r), (HPDF_REAL)S_c(c.g),
                       (HPDF_REAL)S_c(c.b));
  h->fill = c;
  h->fill_set = 1;
}
static void S_stroke_rgb(quire__haru *h, quire__color c) {
  HPDF_Page_SetRGBStroke(h->page, (HPDF_REAL)S_c(c.r), (HPDF_REAL)S_c(c.g),
                         (HPDF_REAL)S_c(c.b));
}

/* Colours and widths go first: libharu (like PDF) refuses to change the
 * graphics state while a path is being built. Returns 0 when the shape
 * paints nothing. */
static int S_paint_setup(quire__haru *h, const quire__paint *paint) {
  int fill = paint->fill.a != 0;
  int stroke = paint->stroke.a != 0 && paint->stroke_width > 0;
  if (fill)
    S_fill_rgb(h, paint->fill);
  if (stroke) {
    S_stroke_rgb(h, paint->stroke);
    HPDF_Page_SetLineWidth(h->page, (HPDF_REAL)paint->stroke_width);
  }
  return fill || stroke;
}

/* Fill and/or stroke the current path as paint says. */
static void S_finish_path(quire__haru *h, const quire__paint *paint) {
  int fill = paint->fill.a != 0;
  int stroke = paint->stroke.a != 0 && paint->stroke_width > 0;
  if (fill && stroke)
    HPDF_Page_FillStroke(h->page);
  else if (fill)
    HPDF_Page_Fill(h->page);
  else if (stroke)
    HPDF_Page_Stroke(h->page);
  else
    HPDF_Page_EndPath(h->page);
}

static double S_y(const quire__haru *h, double y) { return h->page_h - y; }

static void S_rect_path(quire__haru *h, double x, double y, double w, double hh,
                        double r) {
  HPDF_Page pg = h->page;
  if (r > w / 2)
    r = w / 2;
  if (r > hh / 2)
    r = hh / 2;
  if (r <= 0) {
    HPDF_Page_Rectangle(pg, (HPDF_REAL)x, (HPDF_REAL)S_y(h, y + hh),
                        (HPDF_REAL)w, (HPDF_REAL)hh);
    return;
  }
  /* Quarter circles as cubics (kappa = 0.5523), in page coordinates. */
  double k = r * 0.5522847498;
  double x0 = x, x1 = x + w, y0 = S_y(h, y), y1 = S_y(h, y + hh);
  HPDF_Page_MoveTo(pg, (HPDF_REAL)(x0 + r), (HPDF_REAL)y0);
  HPDF_Page_LineTo(pg, (HPDF_REAL)(x1 - r), (HPDF_REAL)y0);
  HPDF_Page_CurveTo(pg, (HPDF_REAL)(x1 - r + k), (HPDF_REAL)y0, (HPDF_REAL)x1,
                    (HPDF_REAL)(y0 - r + k), (HPDF_REAL)x1,
                    (HPDF_REAL)(y0 - r));
  HPDF_Page_LineTo(pg, (HPDF_REAL)x1, (HPDF_REAL)(y1 + r));
  HPDF_Page_CurveTo(pg, (HPDF_REAL)x1, (HPDF_REAL)(y1 + r - k),
                    (HPDF_REAL)(x1 - r + k), (HPDF_REAL)y1, (HPDF_REAL)(x1 - r),
                    (HPDF_REAL)y1);
  HPDF_Page_LineTo(pg, (HPDF_REAL)(x0 + r), (HPDF_REAL)y1);
  HPDF_Page_CurveTo(pg, (HPDF_REAL)(x0 + r - k), (HPDF_REAL)y1, (HPDF_REAL)x0,
                    (HPDF_REAL)(y1 + r - k), (HPDF_REAL)x0,
                    (HPDF_REAL)(y1 + r));
  HPDF_Page_LineTo(pg, (HPDF_REAL)x0, (HPDF_REAL)(y0 - r));
  HPDF_Page_CurveTo(pg, (HPDF_REAL)x0, (HPDF_REAL)(y0 - r + k),
                    (HPDF_REAL)(x0 + r - k), (HPDF_REAL)y0, (HPDF_REAL)(x0 + r),
                    (HPDF_REAL)y0);
  HPDF_Page_ClosePath(pg);
}

static void S_rect(void *self, double x, double y, double w, double hh,
                   double r, const quire__paint *paint) {
  quire__haru *h = self;
  if (!S_painting(h) || w <= 0 || hh <= 0 || !S_paint_setup(h, paint))
    return;
  S_rect_path(h, x, y, w, hh, r);
  S_finish_path(h, paint);
  S_check(h, "drawing a rectangle failed");
}

static void S_stroke_line(void *self, double x1, double y1, double x2,
                          double y2, double width, quire__color color) {
  quire__haru *h = self;
  if (!S_painting(h) || color.a == 0 || width <= 0)
    return;
  S_stroke_rgb(h, color);
  HPDF_Page_SetLineWidth(h->page, (HPDF_REAL)width);
  HPDF_Page_MoveTo(h->page, (HPDF_REAL)x1, (HPDF_REAL)S_y(h, y1));
  HPDF_Page_LineTo(h->page, (HPDF_REAL)x2, (HPDF_REAL)S_y(h, y2));
  HPDF_Page_Stroke(h->page);
  S_check(h, "drawing a line failed");
}

static void S_path(void *self, const quire__seg *segs, size_t nsegs,
                   const quire__paint *paint) {
  quire__haru *h = self;
  if (!S_painting(h) || nsegs == 0 || !S_paint_setup(h, paint))
    return;
  int open = 0;
  for (size_t i = 0; i < nsegs; i++) {
    const quire__seg *s = &segs[i];
    /* libharu rejects drawing before a moveto (and so does PDF). */
    if (!open && s->op != QUIRE__SEG_MOVE)
      continue;
    switch (s->op) {
    case QUIRE__SEG_MOVE:
      HPDF_Page_MoveTo(h->page, (HPDF_REAL)s->x1, (HPDF_REAL)S_y(h, s->y1));
      open = 1;
      break;
    case QUIRE__SEG_LINE:
      HPDF_Page_LineTo(h->page, (HPDF_REAL)s->x1, (HPDF_REAL)S_y(h, s->y1));
      break;
    case QUIRE__SEG_CUBIC:
      HPDF_Page_CurveTo(h->page, (HPDF_REAL)s->x1, (HPDF_REAL)S_y(h, s->y1),
                        (HPDF_REAL)s->x2, (HPDF_REAL)S_y(h, s->y2),
                        (HPDF_REAL)s->x3, (HPDF_REAL)S_y(h, s->y3));
      break;
    case QUIRE__SEG_CLOSE: HPDF_Page_ClosePath(h->page); break;
    }
  }
  if (!open)
    return;
  S_finish_path(h, paint);
  S_check(h, "drawing a path failed");
}

static void S_annot(quire__haru *h, double x, double y, double w, double hh,
                    const char *uri) {
  HPDF_Rect rc;
  rc.left = (HPDF_REAL)x;
  rc.right = (HPDF_REAL)(x + w);
  rc.top = (HPDF_REAL)S_y(h, y);
  rc.bottom = (HPDF_REAL)S_y(h, y + hh);
  HPDF_Annotation a = HPDF_Page_CreateURILinkAnnot(h->page, rc, uri);
  /* The default border is a visible black box; links look like text. */
  if (a)
    HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
}

static void S_link(void *self, double x, double y, double w, double hh,
                   const char *uri) {
  quire__haru *h = self;
  if (!S_painting(h) || !uri || w <= 0 || hh <= 0)
    return;
  S_annot(h, x, y, w, hh, uri);
  S_check(h, "adding a link failed");
}

static int S_scratch(quire__haru *h, size_t need) {
  if (need <= h->scratch_cap)
    return 0;
  size_t cap = need < 256 ? 256 : need * 2;
  char *s = quire__realloc(h->scratch, cap);
  if (!s)
    return S_fail(h, QUIRE_ENOMEM, "out of memory");
  h->scratch = s;
  h->scratch_cap = cap;
  return 0;
}

/* The code (CID) a character is drawn with: its BMP code point, except
 * the ligatures the line model sets (U+FB00-U+FB04), drawn as codes 1-5:
 * C0 controls are never drawn (the line model drops them), and a font's
 * CIDToGIDMap, which must reach its highest code, stays as long as the
 * text needs (U+FB0x made it 128 KB in every Latin document, most of what
 * was left to deflate). The ToUnicode map reads 1-5 as the letters. */
static int32_t S_code(int32_t cp) {
  return cp >= 0xFB00 && cp <= 0xFB04 ? cp - 0xFB00 + 1 : cp;
}
static int32_t S_code_cp(int32_t code) {
  return code >= 1 && code <= 5 ? code - 1 + 0xFB00 : code;
}

/* Remembers that cp was painted in face f (its glyph goes into the
 * subset, its width into /W: S_font_finish). */
static void S_mark_used(quire__haru *h, S_face *f, int32_t cp) {
  if (cp < 0 || cp > 0xFFFF)
    return;
  if (!f->used) {
    f->used = quire__calloc(1, QUIRE__HFONT_BMP_BYTES);
    if (!f->used) {
      S_fail(h, QUIRE_ENOMEM, "out of memory");
      return;
    }
  }
  f->used[cp >> 3] |= (unsigned char)(1u << (cp & 7));
}

static double S_line_x(const quire__para *p, const S_lineinfo *l, double x) {
  if (p->box <= 0)
    return x;
  quire__align al = p->align;
  /* left and right mean start and end: mirrored in an RTL paragraph */
  if (p->rtl && al != QUIRE__ALIGN_CENTER)
    al = al == QUIRE__ALIGN_LEFT ? QUIRE__ALIGN_RIGHT : QUIRE__ALIGN_LEFT;
  if (al == QUIRE__ALIGN_CENTER)
    return x + (p->box - l->width) / 2;
  if (al == QUIRE__ALIGN_RIGHT)
    return x + p->box - l->width;
  return x;
}

/* One stretch of a line painted by one TextOut: chars [a, b) of the
 * line's visual order starting at x; first is its first character in
 * logical order (the sort key). */
typedef struct S_stretch {
  size_t a, b, first;
  double x;
} S_stretch;

static int S_stretch_cmp(const void *x, const void *y) {
  const S_stretch *s = x, *t = y;
  return s->first < t->first ? -1 : s->first > t->first;
}

static int S_stretch_room(quire__haru *h, size_t n) {
  if (n <= h->stretch_cap)
    return 0;
  size_t cap = n < 64 ? 64 : n * 2;
  S_stretch *s = quire__realloc(h->stretches, cap * sizeof *s);
  if (!s)
    return S_fail(h, QUIRE_ENOMEM, "out of memory");
  h->stretches = s;
  h->stretch_cap = cap;
  return 0;
}

/* Room for one line's visual order. */
static int S_order_room(quire__haru *h, size_t n) {
  if (n <= h->ord_cap)
    return 0;
  size_t cap = n < 64 ? 64 : n * 2;
  size_t *o = quire__realloc(h->ord, cap * sizeof *o);
  if (!o)
    return S_fail(h, QUIRE_ENOMEM, "out of memory");
  h->ord = o;
  unsigned char *l = quire__realloc(h->lev, cap);
  if (!l)
    return S_fail(h, QUIRE_ENOMEM, "out of memory");
  h->lev = l;
  h->ord_cap = cap;
  return 0;
}

static void S_paint_line(quire__haru *h, const quire__para *p,
                         const S_lineinfo *l, double x, double top) {
  double base = top + l->baseline;
  double x0 = S_line_x(p, l, x);
  size_t n = l->end - l->start;
  if (n == 0 || S_order_room(h, n))
    return;
  size_t *ord = h->ord;
  if (S_visual_order(h, p, l->start, l->end, ord, h->lev))
    return;
#define CH(v) (&p->chars[ord[v]])
  /* 1. inline backgrounds (graphics are not allowed inside BT/ET) */
  double cx = x0;
  for (size_t a = 0; a < n;) {
    size_t b = a + 1;
    while (b < n && CH(b)->run == CH(a)->run)
      b++;
    const S_run *run = &p->runs[CH(a)->run];
    double w = 0;
    for (size_t k = a; k < b; k++)
      w += CH(k)->adv;
    if (run->background.a && w > 0) {
      const S_face *f = &h->faces[CH(a)->face];
      double asc = f->ascent * run->size, desc = f->descent * run->size;
      quire__paint pt = {run->background, {0, 0, 0, 0}, 0};
      S_paint_setup(h, &pt);
      S_rect_path(h, cx - 1.5, base - asc, w + 3, asc + desc, 2);
      S_finish_path(h, &pt);
    }
    cx += w;
    a = b;
  }
  /* 2. text: one TextOut per stretch of one run in one face and one
   * direction, placed in visual order but written to the page in logical
   * order: text extraction and screen readers read the content stream, so
   * "عربي — English" in a right-to-left heading must not come out as
   * "English — عربي" (what pango does too, cairo.c S_para_paint). */
  if (S_scratch(h, 20 * n + 16) || S_stretch_room(h, n))
    return;
  size_t ns = 0;
  cx = x0;
  for (size_t a = 0; a < n;) {
    size_t b = a + 1;
    while (b < n && b - a < S_MAX_STRETCH && CH(b)->run == CH(a)->run &&
           (h->lev[b] & 1) == (h->lev[a] & 1) &&
           (CH(b)->face == CH(a)->face || (CH(b)->flags & S_CH_DROP)))
      b++;
    S_stretch *st = &h->stretches[ns++];
    st->a = a;
    st->b = b;
    st->x = cx;
    st->first = ord[a];
    for (size_t k = a; k < b; k++) {
      if (ord[k] < st->first)
        st->first = ord[k];
      cx += CH(k)->adv;
    }
    a = b;
  }
  qsort(h->stretches, ns, sizeof *h->stretches, S_stretch_cmp);
  HPDF_Page_BeginText(h->page);
  for (size_t s = 0; s < ns; s++) {
    size_t a = h->stretches[s].a, b = h->stretches[s].b;
    const S_run *run = &p->runs[CH(a)->run];
    /* A TJ array: the codes (with libharu's UTF-8 encoder, a CID is the
     * BMP code point) and the kerning between them, written to the page's
     * stream ourselves because libharu has no call for TJ. libharu's
     * text matrix stays right: it moves to the stretch with Td. */
    size_t len = 0, drawn = 0;
    len += (size_t)snprintf(h->scratch + len, 3, "[<");
    for (size_t k = a; k < b; k++) {
      const S_char *c = CH(k);
      if ((c->flags & S_CH_DROP) && c->adv > 0.0005f) {
        /* a character libharu cannot draw keeps the model's room */
        len += (size_t)snprintf(h->scratch + len, 24, "> %.3f <",
                                -(double)c->adv * 1000 / run->size);
        continue;
      }
      if (c->flags & (S_CH_DROP | S_CH_NEWLINE))
        continue;
      /* mirrored by fribidi_shape where RTL */
      int32_t d = S_code(c->draw);
      /* four hex digits, as "%04X" wrote them (a printf call per
       * character was a tenth of a render) */
      static const char hex[] = "0123456789ABCDEF";
      for (int sh = 12; sh >= 0; sh -= 4)
        h->scratch[len++] = hex[((unsigned)d >> sh) & 15];
      h->scratch[len] = '\0';
      S_mark_used(h, &h->faces[c->face], d);
      drawn++;
      size_t j = k + 1;
      while (j < b && (CH(j)->flags & (S_CH_DROP | S_CH_NEWLINE)))
        j++;
      if (j < b && (c->kern > 0.0005f || c->kern < -0.0005f))
        len += (size_t)snprintf(h->scratch + len, 24, "> %.3f <",
                                (double)-c->kern);
    }
    len += (size_t)snprintf(h->scratch + len, 9, ">] TJ\n");
    if (drawn) {
      HPDF_Font font = S_font(h, CH(a)->face);
      if (!font) {
        S_check(h, "making a font failed");
        if (!h->rc)
          S_fail(h, QUIRE_ERROR, "libharu: making a font failed");
        break;
      }
      if (font != h->tf_font || (HPDF_REAL)run->size != h->tf_size) {
        HPDF_Page_SetFontAndSize(h->page, font, (HPDF_REAL)run->size);
        h->tf_font = font;
        h->tf_size = (HPDF_REAL)run->size;
      }
      S_fill_rgb(h, run->color);
      HPDF_PageAttr pa = (HPDF_PageAttr)h->page->attr;
      HPDF_Page_MoveTextPos(h->page,
                            (HPDF_REAL)(h->stretches[s].x - pa->text_matrix.x),
                            (HPDF_REAL)(S_y(h, base) - pa->text_matrix.y));
      /* Bold asked of a face without a bold (WenQuanYi for CJK; a role's
       * regular face when its bold did not load): the glyphs are filled
       * and stroked in the text colour, em/24 wide, the emboldening
       * cairo applies to the same faces (fonts_cairo.c); advances stay. */
      int fi = CH(a)->face;
      int synth = (run->style & QUIRE__RUN_BOLD) &&
                  (fi >= S_FIRST_FALLBACK || !(fi % QUIRE__HFONT_FACES & 1));
      char op[96];
      if (synth && !h->hpdf_err) {
        snprintf(op, sizeof op, "%.3f w %.3f %.3f %.3f RG 2 Tr\n",
                 run->size / 24, S_c(run->color.r), S_c(run->color.g),
                 S_c(run->color.b));
        HPDF_Stream_WriteStr(pa->stream, op);
      }
      if (!h->hpdf_err)
        HPDF_Stream_WriteStr(pa->stream, h->scratch);
      if (synth && !h->hpdf_err)
        HPDF_Stream_WriteStr(pa->stream, "0 Tr\n");
    }
  }
  HPDF_Page_EndText(h->page);
  /* 3. underline, strike-through and links, per run on this line */
  cx = x0;
  for (size_t a = 0; a < n;) {
    size_t b = a + 1;
    while (b < n && CH(b)->run == CH(a)->run)
      b++;
    const S_run *run = &p->runs[CH(a)->run];
    double w = 0;
    for (size_t k = a; k < b; k++)
      w += CH(k)->adv;
    if (w > 0 && (run->style & (QUIRE__RUN_UNDERLINE | QUIRE__RUN_STRIKE))) {
      double t = run->size * 0.06 > 0.5 ? run->size * 0.06 : 0.5;
      if (run->style & QUIRE__RUN_UNDERLINE)
        S_stroke_line(h, cx, base + run->size * 0.12, cx + w,
                      base + run->size * 0.12, t, run->color);
      if (run->style & QUIRE__RUN_STRIKE)
        S_stroke_line(h, cx, base - run->size * 0.3, cx + w,
                      base - run->size * 0.3, t, run->color);
    }
    if (run->link && w > 0)
      S_annot(h, cx, top, w, l->height, run->link);
    cx += w;
    a = b;
  }
#undef CH
}

static void S_para_paint(void *self, const quire__para *p, size_t first,
                         size_t count, double x, double y) {
  quire__haru *h = self;
  if (!S_painting(h) || !p)
    return;
  double top = y;
  for (size_t i = first; i < first + count && i < p->nlines; i++) {
    S_paint_line(h, p, &p->lines[i], x, top);
    top += p->lines[i].height;
    if (S_check(h, "drawing text failed"))
      return;
  }
}

/* "2026-05-12T16:03:27.745+02:00" -> HPDF_Date; 0 or -1 (no date then,
 * never the clock). */
static int S_parse_date(HPDF_Date *d, const char *s) {
  int v[6] = {0};
  static const int at[6] = {0, 5, 8, 11, 14, 17};
  static const int len[6] = {4, 2, 2, 2, 2, 2};
  if (!s || strlen(s) < 19 || s[4] != '-' || s[7] != '-' ||
      (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':')
    return -1;
  for (int i = 0; i < 6; i++)
    for (int k = 0; k < len[i]; k++) {
      char c = s[at[i] + k];
      if (c < '0' || c > '9')
        return -1;
      v[i] = v[i] * 10 + (c - '0');
    }
  memset(d, 0, sizeof *d);
  d->year = v[0];
  d->month = v[1];
  d->day = v[2];
  d->hour = v[3];
  d->minutes = v[4];
  d->seconds = v[5];
  const char *tz = s + 19;
  if (*tz == '.')
    while (*++tz >= '0' && *tz <= '9') {
    }
  if (*tz == 'Z' || *tz == '\0') {
    d->ind = 'Z';
  } else if ((*tz == '+' || *tz == '-') && strlen(tz) >= 6 && tz[3] == ':') {
    d->ind = *tz;
    d->off_hour = (tz[1] - '0') * 10 + (tz[2] - '0');
    d->off_minutes = (tz[4] - '0') * 10 + (tz[5] - '0');
  } else {
    return -1;
  }
  if (d->month < 1 || d->month > 12 || d->day < 1 || d->day > 31 ||
      d->hour > 23 || d->minutes > 59 || d->seconds > 59 || d->off_hour > 23 ||
      d->off_minutes > 59)
    return -1;
  return 0;
}

/* Sets a PDF text string. libharu 2.3.0 rejects its UTF-8 encoder for
 * outline titles and writes info strings through it unreliably, so
 * non-ASCII text goes in as UTF-16BE with a byte-order mark, built here
 * and added as a binary (hex) string, which PDF readers take as text.
 * libharu refuses either kind over 65,535 bytes (the whole title would be
 * lost): longer text is cut at a character boundary. */
#define S_MAX_PDF_STRING 65535
static void S_set_text(quire__haru *h, HPDF_Dict dict, const char *key,
                       const char *utf8) {
  size_t n = strlen(utf8), ascii = 1;
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)utf8[i] >= 0x80)
      ascii = 0;
  HPDF_MMgr mm = h->pdf->mmgr;
  if (ascii) {
    char *cut = NULL;
    if (n > S_MAX_PDF_STRING && (cut = quire__malloc(S_MAX_PDF_STRING + 1))) {
      memcpy(cut, utf8, S_MAX_PDF_STRING);
      cut[S_MAX_PDF_STRING] = '\0';
    } else if (n > S_MAX_PDF_STRING) {
      S_fail(h, QUIRE_ENOMEM, "out of memory");
      return;
    }
    HPDF_String str = HPDF_String_New(mm, cut ? cut : utf8, NULL);
    free(cut);
    if (str)
      HPDF_Dict_Add(dict, key, str);
    return;
  }
  unsigned char *b = quire__malloc(S_MAX_PDF_STRING);
  if (!b) {
    S_fail(h, QUIRE_ENOMEM, "out of memory");
    return;
  }
  size_t k = 0;
  b[k++] = 0xFE;
  b[k++] = 0xFF;
  for (size_t i = 0; i < n && k + 4 <= S_MAX_PDF_STRING;) {
    int32_t cp;
    int m = quire__utf8_decode(utf8 + i, n - i, &cp);
    if (m < 1)
      m = 1;
    if (cp < 0)
      cp = 0xFFFD;
    i += (size_t)m;
    if (cp >= 0x10000) {
      uint32_t v = (uint32_t)cp - 0x10000;
      unsigned hi = 0xD800 + (v >> 10), lo = 0xDC00 + (v & 0x3FF);
      b[k++] = (unsigned char)(hi >> 8);
      b[k++] = (unsigned char)hi;
      b[k++] = (unsigned char)(lo >> 8);
      b[k++] = (unsigned char)lo;
    } else {
      b[k++] = (unsigned char)(cp >> 8);
      b[k++] = (unsigned char)cp;
    }
  }
  HPDF_Binary bin = HPDF_Binary_New(mm, b, (HPDF_UINT)k);
  free(b);
  if (bin)
    HPDF_Dict_Add(dict, key, bin);
}

static int S_begin_document(void *self, const quire__doc_meta *meta) {
  quire__haru *h = self;
  if (h->rc)
    return h->rc;
  HPDF_SetPageMode(h->pdf, HPDF_PAGE_MODE_USE_OUTLINE);
  if (meta) {
    const struct {
      HPDF_InfoType type;
      const char *key, *v;
    } info[] = {{HPDF_INFO_TITLE, "Title", meta->title},
                {HPDF_INFO_AUTHOR, "Author", meta->author},
                {HPDF_INFO_SUBJECT, "Subject", meta->subject},
                {HPDF_INFO_CREATOR, "Creator", meta->creator}};
    for (size_t i = 0; i < sizeof info / sizeof info[0]; i++)
      if (info[i].v && info[i].v[0]) {
        /* An ASCII placeholder makes libharu create the info dictionary;
         * the real (Unicode) value then replaces it. */
        HPDF_SetInfoAttr(h->pdf, info[i].type, "-");
        if (h->pdf->info)
          S_set_text(h, h->pdf->info, info[i].key, info[i].v);
      }
    HPDF_Date d;
    if (S_parse_date(&d, meta->created_at) == 0)
      HPDF_SetInfoDateAttr(h->pdf, HPDF_INFO_CREATION_DATE, d);
    if (meta->lang && meta->lang[0] && h->pdf->catalog)
      S_set_text(h, h->pdf->catalog, "Lang", meta->lang);
  }
  return S_check(h, "setting the document information failed");
}

static int S_begin_page(void *self, int page_index, double width,
                        double height) {
  quire__haru *h = self;
  (void)page_index;
  if (h->rc)
    return h->rc;
  h->page = HPDF_AddPage(h->pdf);
  h->npages++;
  h->fill_set = 0;
  h->tf_font = NULL;
  if (h->page) {
    HPDF_Page_SetWidth(h->page, (HPDF_REAL)width);
    HPDF_Page_SetHeight(h->page, (HPDF_REAL)height);
  }
  h->page_h = height;
  if (!h->page)
    return S_fail(h, QUIRE_ENOMEM, "adding a page failed");
  return S_check(h, "adding a page failed");
}

static void S_link_page(void *self, double x, double y, double w, double hh,
                        int page, double ty) {
  quire__haru *h = self;
  if (!S_painting(h) || page < 0 || w <= 0 || hh <= 0)
    return;
  if (h->nplinks == h->plinks_cap) {
    size_t cap = h->plinks_cap ? h->plinks_cap * 2 : 16;
    struct S_plink *n = quire__realloc(h->plinks, cap * sizeof *n);
    if (!n) {
      S_fail(h, QUIRE_ENOMEM, "out of memory");
      return;
    }
    h->plinks = n;
    h->plinks_cap = cap;
  }
  struct S_plink l = {h->npages - 1, page, x, y, w, hh, ty};
  h->plinks[h->nplinks++] = l;
}

/* The links S_link_page recorded, now that every page exists. */
static int S_make_page_links(quire__haru *h) {
  for (size_t i = 0; i < h->nplinks; i++) {
    const struct S_plink *l = &h->plinks[i];
    HPDF_Page from = HPDF_GetPageByIndex(h->pdf, (HPDF_UINT)l->from);
    HPDF_Page to = HPDF_GetPageByIndex(h->pdf, (HPDF_UINT)l->to);
    if (!from || !to)
      continue;
    HPDF_Destination dst = HPDF_Page_CreateDestination(to);
    if (!dst)
      break;
    double top = S_y(h, l->ty);
    HPDF_Destination_SetFitH(dst, (HPDF_REAL)(top > 0 ? top : 0));
    HPDF_Rect rc;
    rc.left = (HPDF_REAL)l->x;
    rc.right = (HPDF_REAL)(l->x + l->w);
    rc.top = (HPDF_REAL)S_y(h, l->y);
    rc.bottom = (HPDF_REAL)S_y(h, l->y + l->h);
    HPDF_Annotation a = HPDF_Page_CreateLinkAnnot(from, rc, dst);
    if (a)
      HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
  }
  return S_check(h, "adding a contents link failed");
}

static int S_outline(void *self, int parent, const char *title, double y) {
  quire__haru *h = self;
  if (!S_painting(h) || !title)
    return 0;
  if (parent < 0 || (size_t)parent > h->noutlines)
    parent = 0;
  if (h->noutlines >= S_MAX_OUTLINE)
    return 0;
  if (h->noutlines == h->outlines_cap) {
    size_t cap = h->outlines_cap ? h->outlines_cap * 2 : 16;
    HPDF_Outline *o = quire__realloc(h->outlines, cap * sizeof *o);
    if (!o) {
      S_fail(h, QUIRE_ENOMEM, "out of memory");
      return 0;
    }
    h->outlines = o;
    h->outlines_cap = cap;
  }
  HPDF_Outline o = HPDF_CreateOutline(
      h->pdf, parent ? h->outlines[parent - 1] : NULL, "-", NULL);
  if (!o) {
    S_check(h, "adding a bookmark failed");
    return 0;
  }
  S_set_text(h, o, "Title", title);
  HPDF_Destination dst = HPDF_Page_CreateDestination(h->page);
  if (dst) {
    /* FitH, not XYZ: libharu 2.3.0 rejects XYZ's zoom 0 ("keep the
     * reader's zoom") as an invalid parameter. */
    double top = S_y(h, y);
    HPDF_Destination_SetFitH(dst, (HPDF_REAL)(top > 0 ? top : 0));
    HPDF_Outline_SetDestination(o, dst);
  }
  HPDF_Outline_SetOpened(o, HPDF_FALSE);
  if (S_check(h, "adding a bookmark failed"))
    return 0;
  h->outlines[h->noutlines++] = o;
  return (int)h->noutlines;
}

static int S_end_page(void *self) {
  quire__haru *h = self;
  h->page = NULL;
  return h->rc;
}

/* The rest of face f's font (the first face holding it, with every face's
 * characters pooled into its used set): the CIDFontType2 with the widths
 * of the characters drawn (readers need no others), a CIDToGIDMap of
 * those, and the descriptor with the subset program. */
static void S_font_finish(quire__haru *h, S_face *f) {
  const quire__hfont_desc *ds = quire__hfont_prog_desc(f->prog);
  int fi = (int)(f - h->faces);
  HPDF_MMgr mm = h->pdf->mmgr;
  HPDF_Xref xr = h->pdf->xref;
  unsigned char *keep = quire__calloc(ds->nglyphs, 1);
  unsigned char *prog = NULL, *map = NULL;
  uint16_t *newid = NULL;
  size_t plen = 0;
  int32_t maxcp = 0;
  if (!keep)
    goto oom;
  for (int32_t cp = 0; f->used && cp <= 0xFFFF; cp++) {
    if (!f->used[cp >> 3]) {
      cp |= 7; /* a byte of nothing drawn */
      continue;
    }
    if ((f->used[cp >> 3] >> (cp & 7)) & 1) {
      unsigned g = quire__lm_glyph(&h->lm, fi, S_code_cp(cp));
      if (g < ds->nglyphs)
        keep[g] = 1;
      maxcp = cp;
    }
  }
  if (quire__hfont_subset(f->prog, keep, &prog, &plen, &newid) != 0)
    goto oom;
  size_t maplen = 2 * ((size_t)maxcp + 1);
  if (!(map = quire__calloc(maplen, 1)))
    goto oom;
  for (int32_t cp = 0; f->used && cp <= maxcp; cp++)
    if (f->used[cp >> 3] && ((f->used[cp >> 3] >> (cp & 7)) & 1)) {
      unsigned g = quire__lm_glyph(&h->lm, fi, S_code_cp(cp));
      unsigned n = g < ds->nglyphs ? newid[g] : 0;
      map[2 * cp] = (unsigned char)(n >> 8);
      map[2 * cp + 1] = (unsigned char)n;
    }

  HPDF_Dict cid = HPDF_Dict_New(mm);
  if (!cid || HPDF_Xref_Add(xr, cid) != HPDF_OK)
    goto done;
  HPDF_Dict_AddName(cid, "Type", "Font");
  HPDF_Dict_AddName(cid, "Subtype", "CIDFontType2");
  HPDF_Dict_AddName(cid, "BaseFont", f->basefont);
  HPDF_Dict info = HPDF_Dict_New(mm);
  if (info) {
    HPDF_Dict_Add(info, "Registry", HPDF_String_New(mm, "Adobe", NULL));
    HPDF_Dict_Add(info, "Ordering", HPDF_String_New(mm, "Identity", NULL));
    HPDF_Dict_AddNumber(info, "Supplement", 0);
    HPDF_Dict_Add(cid, "CIDSystemInfo", info);
  }
  HPDF_Dict_AddNumber(cid, "DW", ds->missing_width);
  HPDF_Array w = HPDF_Array_New(mm);
  if (w) {
    for (int32_t cp = 0; f->used && cp <= maxcp; cp++) {
      if (!f->used[cp >> 3]) {
        cp |= 7;
        continue;
      }
      if (!((f->used[cp >> 3] >> (cp & 7)) & 1))
        continue;
      HPDF_Array run = HPDF_Array_New(mm);
      if (!run)
        break;
      HPDF_Array_AddNumber(w, cp);
      HPDF_Array_Add(w, run);
      while (cp <= maxcp && ((f->used[cp >> 3] >> (cp & 7)) & 1)) {
        /* the exact advance the layout measured (S_advance), in 1/1000
         * em: a reader places each glyph where the line was measured */
        HPDF_Array_AddReal(
            run, (HPDF_REAL)(S_advance(h, fi, S_code_cp(cp)) * 1000.0));
        cp++;
      }
    }
    HPDF_Dict_Add(cid, "W", w);
  }
  /* mostly zeros: run-length matching is both the fastest and the
   * smallest here */
  HPDF_Dict cmap = S_deflate(h, map, maplen, Z_DEFAULT_COMPRESSION, Z_RLE);
  if (cmap)
    HPDF_Dict_Add(cid, "CIDToGIDMap", cmap);
  HPDF_Dict desc = HPDF_Dict_New(mm);
  if (!desc || HPDF_Xref_Add(xr, desc) != HPDF_OK)
    goto done;
  HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
  HPDF_Dict_AddName(desc, "FontName", f->basefont);
  HPDF_Dict_AddNumber(desc, "Flags", ds->flags);
  HPDF_Array box = HPDF_Array_New(mm);
  if (box) {
    for (int k = 0; k < 4; k++)
      HPDF_Array_AddNumber(box, ds->bbox[k]);
    HPDF_Dict_Add(desc, "FontBBox", box);
  }
  HPDF_Dict_AddNumber(desc, "ItalicAngle", ds->italic_angle);
  HPDF_Dict_AddNumber(desc, "Ascent", ds->ascent);
  HPDF_Dict_AddNumber(desc, "Descent", ds->descent);
  HPDF_Dict_AddNumber(
      desc, "CapHeight",
      quire__hfont_glyph_top(f->prog, quire__lm_glyph(&h->lm, fi, 'H')));
  HPDF_Dict_AddNumber(
      desc, "XHeight",
      quire__hfont_glyph_top(f->prog, quire__lm_glyph(&h->lm, fi, 'x')));
  HPDF_Dict_AddNumber(desc, "StemV", 0);
  HPDF_Dict file =
      S_deflate(h, prog, plen, Z_DEFAULT_COMPRESSION, Z_DEFAULT_STRATEGY);
  if (file) {
    HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)plen);
    HPDF_Dict_Add(desc, "FontFile2", file);
  }
  HPDF_Dict_Add(cid, "FontDescriptor", desc);
  HPDF_Dict_Add(f->font, "ToUnicode", h->tounicode);
  HPDF_Array desc_fonts = HPDF_Array_New(mm);
  if (desc_fonts) {
    HPDF_Array_Add(desc_fonts, cid);
    HPDF_Dict_Add(f->font, "DescendantFonts", desc_fonts);
  }
  goto done;
oom:
  S_fail(h, QUIRE_ENOMEM, "out of memory");
done:
  free(keep);
  free(prog);
  free(newid);
  free(map);
}

static int S_end_document(void *self) {
  quire__haru *h = self;
  if (h->rc)
    return h->rc;
  if (!h->sink.write)
    return 0;
  /* Faces sharing a file share one font (S_font): pool their painted
   * characters into the first face holding it, and finish each font
   * once. */
  unsigned char alias[S_NFACES] = {0};
  for (int i = 0; i < S_NFACES; i++) {
    S_face *f = &h->faces[i];
    for (int j = 0; j < i && f->state == 1; j++) {
      S_face *g = &h->faces[j];
      if (g->state != 1 || g->font != f->font || alias[j])
        continue;
      alias[i] = 1;
      if (!f->used)
        break;
      if (!g->used && !(g->used = quire__calloc(1, QUIRE__HFONT_BMP_BYTES)))
        return S_fail(h, QUIRE_ENOMEM, "out of memory");
      for (size_t k = 0; k < QUIRE__HFONT_BMP_BYTES; k++)
        g->used[k] |= f->used[k];
      break;
    }
  }
  for (int i = 0; i < S_NFACES; i++)
    if (!alias[i] && h->faces[i].font)
      S_font_finish(h, &h->faces[i]);
  if (S_check(h, "preparing the fonts failed"))
    return h->rc;
  if (S_make_page_links(h))
    return h->rc;
  if (h->rc)
    return h->rc;
  if (HPDF_SaveToStream(h->pdf) != HPDF_OK || h->hpdf_err)
    return S_check(h, "writing the PDF failed");
  quire__out o;
  quire__out_init(&o, h->sink, h->max_output);
  HPDF_UINT32 left = HPDF_GetStreamSize(h->pdf);
  HPDF_BYTE buf[16384];
  h->reading = 1;
  while (left > 0 && !o.err) {
    HPDF_UINT32 n = left < sizeof buf ? left : (HPDF_UINT32)sizeof buf;
    HPDF_STATUS st = HPDF_ReadFromStream(h->pdf, buf, &n);
    if ((st != HPDF_OK && st != HPDF_STREAM_EOF) || n == 0)
      break;
    quire__out_write(&o, buf, n);
    left -= n;
  }
  h->reading = 0;
  if (o.err)
    return S_fail(h, o.err,
                  o.err == QUIRE_ETOOBIG
                      ? "the PDF is larger than the output cap"
                      : "cannot write the PDF output");
  if (left > 0)
    return S_fail(h, QUIRE_ERROR, "reading the PDF stream failed");
  return S_check(h, "writing the PDF failed");
}

/* ------------------------------------------------------------------ */
/* lifetime                                                            */
/* ------------------------------------------------------------------ */

int quire__haru_new(quire__haru **out, const quire__engine_opts *o,
                    quire_error *err) {
  *out = NULL;
  quire__haru *h = quire__calloc(1, sizeof *h);
  if (!h)
    return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  h->warn = o->warn;
  h->warn_payload = o->warn_payload;
  h->sink = o->sink;
  h->max_output = o->max_output ? o->max_output : QUIRE__MAX_OUTPUT_DEFAULT;
  h->err = err;
  int rc = quire__hfont_find(&h->paths, o->fonts, o->families, o->warn,
                             o->warn_payload, err);
  if (rc) {
    free(h);
    return rc;
  }
  for (int r = 0; r < QUIRE__HFONT_ROLES; r++)
    for (int f = 0; f < QUIRE__HFONT_FACES; f++)
      h->faces[r * QUIRE__HFONT_FACES + f].file = &h->paths.face[r][f];
  for (int k = 0; k < h->paths.nfallback; k++)
    h->faces[S_FIRST_FALLBACK + k].file = &h->paths.fallback[k];
  quire__lm_fonts_init(&h->lm, &h->paths);

  h->pdf = HPDF_NewEx(S_on_error, S_alloc, S_free, 0, h);
  if (!h->pdf) {
    free(h);
    return quire__error_set(err, QUIRE_ENOMEM, "libharu: out of memory");
  }
  /* Order matters: compression applies only to objects made after it. */
  HPDF_SetCompressionMode(h->pdf, HPDF_COMP_ALL);
  if (S_check(h, "setting up the document failed")) {
    rc = h->rc;
    quire__haru_free(h);
    return rc;
  }
  /* The body face must load, or nothing can be set at all. */
  if (S_primary(h, QUIRE__FONT_BODY, 0) < 0) {
    rc = h->rc ? h->rc
               : quire__error_set(err, QUIRE_EFONT,
                                  "libharu cannot load the body font %s",
                                  h->paths.face[0][0].path);
    quire__haru_free(h);
    return rc;
  }
  h->be.self = h;
  h->be.para_new = S_para_new;
  h->be.para_free = S_para_free;
  h->be.para_line_count = S_para_line_count;
  h->be.para_line = S_para_line;
  h->be.begin_document = S_begin_document;
  h->be.begin_page = S_begin_page;
  h->be.para_paint = S_para_paint;
  h->be.rect = S_rect;
  h->be.line = S_stroke_line;
  h->be.path = S_path;
  h->be.link = S_link;
  h->be.link_page = S_link_page;
  h->be.outline = S_outline;
  h->be.end_page = S_end_page;
  h->be.end_document = S_end_document;
  *out = h;
  return 0;
}

void quire__haru_free(quire__haru *h) {
  if (!h)
    return;
  if (h->pdf)
    HPDF_Free(h->pdf);
  for (int i = 0; i < S_NFACES; i++) {
    free(h->faces[i].used);
  }
  free(h->outlines);
  free(h->plinks);
  free(h->scratch);
  free(h->ord);
  free(h->lev);
  free(h->stretches);
  free(h->fb_lev);
  free(h->fb_map);
  free(h);
}

const quire__backend *quire__haru_backend(quire__haru *h) { return &h->be; }
