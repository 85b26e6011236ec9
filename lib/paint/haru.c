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

#include <fribidi.h>
#include <hpdf.h>
#include <linebreak.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_NFACES                                                               \
  (QUIRE__HFONT_ROLES * QUIRE__HFONT_FACES + QUIRE__HFONT_FALLBACKS)
#define S_FIRST_FALLBACK (QUIRE__HFONT_ROLES * QUIRE__HFONT_FACES)
#define S_WCACHE 0x800 /* advance cache for Latin, Greek, Cyrillic, ... */
#define S_MAX_OUTLINE 100000
#define S_MAX_WARNED_ASTRAL 64
/* libharu refuses a string over 65,535 bytes (HPDF_LIMIT_MAX_STRING_LEN)
 * and the text is lost: one TextOut takes at most this many characters
 * (3 bytes each at most in the BMP it draws), a long line several. */
#define S_MAX_STRETCH 16384

/* Per-char flags. */
#define S_CH_SPACE 1u   /* hangs at a line end; not counted in line width */
#define S_CH_NEWLINE 2u /* forced break; not drawn */
#define S_CH_DROP 4u    /* not drawn, no advance (ignorable, astral) */

typedef struct S_face {
  const quire__hfont_file *file;
  HPDF_Font font;         /* NULL until first use */
  int state;              /* 0 not tried, 1 loaded, -1 failed */
  unsigned char *cover;   /* BMP coverage bits, NULL until needed */
  int cover_state;        /* 0 not read, 1 read, -1 unreadable */
  double ascent, descent; /* fractions of the em */
  float *wcache;          /* advance per em for cp < S_WCACHE; < 0: unknown */
  unsigned char *used;    /* BMP bits of characters painted, NULL: none */
  uint32_t *kern_key;     /* the 'kern' table's pairs, left << 16 | right */
  int16_t *kern_val;      /* and their adjustments, font units */
  size_t nkern;
  int kern_state; /* 0 not read, 1 read (maybe no pairs), -1 unreadable */
} S_face;

typedef struct S_run {
  quire__font_role role;
  unsigned style;
  double size;
  quire__color color, background;
  char *link;
} S_run;

typedef struct S_char {
  size_t off; /* byte offset in the paragraph text */
  int32_t cp;
  int32_t draw; /* what is drawn: cp, or its Arabic contextual form */
  float adv;    /* pt, with kern */
  float kern;   /* pair kerning with the next character, in thousandths of
                   the em (what a TJ array takes; negative: closer) */
  unsigned run; /* index into runs */
  unsigned char len, face, flags, brk;
} S_char;

typedef struct S_lineinfo {
  size_t start, end; /* chars [start, end) drawn (trailing spaces trimmed) */
  double width, height, baseline;
} S_lineinfo;

struct quire__para {
  char *text;
  S_run *runs;
  size_t nruns;
  S_char *chars;
  size_t nchars;
  S_lineinfo *lines;
  size_t nlines;
  double box;
  quire__align align;
  int rtl; /* base direction: the first strong character is RTL */
  FriBidiCharType *types; /* per char, for each line's reordering */
  FriBidiLevel *levels;   /* per char: the paragraph's embedding levels */
  FriBidiParType base;
};

struct quire__haru {
  quire__backend be;
  HPDF_Doc pdf;
  HPDF_Page page;
  double page_h;
  quire__hfont_paths paths;
  S_face faces[S_NFACES];
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

static int S_cover_load(quire__haru *h, S_face *f) {
  if (f->cover_state)
    return f->cover_state;
  f->cover_state = -1;
  if (!f->file || !f->file->path[0])
    return -1;
  f->cover = quire__malloc(QUIRE__HFONT_BMP_BYTES);
  if (!f->cover) {
    S_fail(h, QUIRE_ENOMEM, "out of memory reading a font's cmap");
    return -1;
  }
  if (quire__hfont_coverage(f->cover, f->file->path, f->file->index) != 0)
    return -1;
  f->cover_state = 1;
  return 1;
}

static int S_covers(quire__haru *h, S_face *f, int32_t cp) {
  if (S_cover_load(h, f) != 1)
    return 0;
  return (f->cover[cp >> 3] >> (cp & 7)) & 1;
}

/* libharu 2.3.0 writes a CID-to-CID CMap ("begincidrange") as the UTF-8
 * fonts' /ToUnicode, which readers reject with warnings and may not map.
 * With its UTF-8 encoder the codes in the content stream are the BMP code
 * points themselves, so the right ToUnicode is the identity, written as
 * bfranges (each within one high byte, as the format requires). */
static void S_fix_tounicode(quire__haru *h, HPDF_Font font) {
  HPDF_Dict tu = HPDF_DictStream_New(h->pdf->mmgr, h->pdf->xref);
  if (!tu)
    return;
  tu->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
  HPDF_Stream st = tu->stream;
  HPDF_Stream_WriteStr(
      st, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
          "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
          "/Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n"
          "/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\n"
          "endcodespacerange\n");
  /* 248 high bytes (no surrogates), at most 100 ranges per block */
  int hi = 0;
  while (hi < 256) {
    int n = 0;
    for (int k = hi; k < 256 && n < 100; k++)
      if (k < 0xD8 || k > 0xDF)
        n++;
    char line[48];
    snprintf(line, sizeof line, "%d beginbfrange\n", n);
    HPDF_Stream_WriteStr(st, line);
    for (int done = 0; hi < 256 && done < n; hi++) {
      if (hi >= 0xD8 && hi <= 0xDF)
        continue;
      /* the ligatures S_ligatures sets (U+FB00-U+FB04) read as letters */
      if (hi == 0xFB)
        snprintf(line, sizeof line, "<FB05> <FBFF> <FB05>\n");
      else
        snprintf(line, sizeof line, "<%02X00> <%02XFF> <%02X00>\n", hi, hi, hi);
      HPDF_Stream_WriteStr(st, line);
      done++;
    }
    HPDF_Stream_WriteStr(st, "endbfrange\n");
    while (hi < 256 && hi >= 0xD8 && hi <= 0xDF)
      hi++;
  }
  HPDF_Stream_WriteStr(st, "5 beginbfchar\n<FB00> <00660066>\n<FB01> "
                           "<00660069>\n<FB02> <0066006C>\n<FB03> "
                           "<006600660069>\n<FB04> <00660066006C>\n"
                           "endbfchar\n");
  HPDF_Stream_WriteStr(st, "endcmap\nCMapName currentdict /CMap defineresource "
                           "pop\nend\nend\n");
  HPDF_Dict_Add(font, "ToUnicode", tu);
}

/* Loads face i into the document (embedded). Returns 1 or -1. */
static int S_face_load(quire__haru *h, int i) {
  S_face *f = &h->faces[i];
  if (f->state)
    return f->state;
  f->state = -1;
  if (!f->file || !f->file->path[0])
    return -1;
  const char *name =
      strstr(f->file->path, ".ttc") || f->file->index
          ? HPDF_LoadTTFontFromFile2(h->pdf, f->file->path,
                                     (HPDF_UINT)f->file->index, HPDF_TRUE)
          : HPDF_LoadTTFontFromFile(h->pdf, f->file->path, HPDF_TRUE);
  HPDF_Font font = name ? HPDF_GetFont(h->pdf, name, "UTF-8") : NULL;
  if (!font || h->hpdf_err) {
    /* A font that does not load is not a broken document: forget it and
     * let the caller fall back. */
    if (h->hpdf_err == HPDF_FAILD_TO_ALLOC_MEM) {
      S_check(h, "out of memory loading a font");
      return -1;
    }
    h->hpdf_err = 0;
    HPDF_ResetError(h->pdf);
    return -1;
  }
  if (quire__hfont_vmetrics(&f->ascent, &f->descent, f->file->path,
                            f->file->index) != 0) {
    f->ascent = HPDF_Font_GetAscent(font) / 1000.0;
    f->descent = -HPDF_Font_GetDescent(font) / 1000.0;
  }
  f->wcache = quire__malloc(S_WCACHE * sizeof *f->wcache);
  if (!f->wcache) {
    S_fail(h, QUIRE_ENOMEM, "out of memory");
    return -1;
  }
  for (size_t k = 0; k < S_WCACHE; k++)
    f->wcache[k] = -1.0f;
  S_fix_tounicode(h, font);
  if (S_check(h, "writing a font's ToUnicode map failed"))
    return -1;
  f->font = font;
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

/* libharu's TrueType tables of face f, or NULL. */
static HPDF_TTFontDefAttr S_ttattr(const S_face *f) {
  if (!f->font)
    return NULL;
  HPDF_FontAttr fattr = (HPDF_FontAttr)f->font->attr;
  if (!fattr || !fattr->fontdef ||
      fattr->fontdef->type != HPDF_FONTDEF_TYPE_TRUETYPE)
    return NULL;
  return (HPDF_TTFontDefAttr)fattr->fontdef->attr;
}

/* The glyph of cp in face f (0: none). */
static unsigned S_gid(const S_face *f, int32_t cp) {
  HPDF_FontAttr fattr = f->font ? (HPDF_FontAttr)f->font->attr : NULL;
  if (!fattr || !fattr->fontdef || cp < 0 || cp > 0xFFFF)
    return 0;
  return HPDF_TTFontDef_GetGlyphid(fattr->fontdef, (HPDF_UINT16)cp);
}

/* Advance of cp in face i, per em: the font's own advance over its units
 * per em, as pango (HarfBuzz) measures it unhinted. libharu's
 * HPDF_Font_GetUnicodeWidth rounds to 1/1000 em, which made every word
 * up to 0.05 pt wider than with cairo (a line break apart, now and then);
 * the /W array says the same exact widths (S_trim_widths). */
static double S_advance(quire__haru *h, int i, int32_t cp) {
  S_face *f = &h->faces[i];
  if (cp < S_WCACHE && f->wcache[cp] >= 0.0f)
    return f->wcache[cp];
  double w = HPDF_Font_GetUnicodeWidth(f->font, (HPDF_UNICODE)cp) / 1000.0;
  HPDF_TTFontDefAttr a = S_ttattr(f);
  unsigned g = S_gid(f, cp);
  if (a && g && g < a->num_glyphs && a->h_metric && a->header.units_per_em)
    w = a->h_metric[g].advance_width / (double)a->header.units_per_em;
  if (cp < S_WCACHE)
    f->wcache[cp] = (float)w;
  return w;
}

/* ---- kerning: the font's 'kern' table ----
 *
 * pango (HarfBuzz) kerns with the font's GPOS pairs; DejaVu's 'kern' table
 * holds the same pairs (checked: "extraordinarily" at 10 pt is 0.352 pt
 * narrower in both), which libharu never applies: haru lines were that much
 * wider and broke elsewhere than cairo's. The table's format 0 subtables
 * are read once per face; painting adds the pairs as TJ adjustments. */

static int S_rd16(FILE *fp, long off, unsigned *v) {
  unsigned char b[2];
  if (fseek(fp, off, SEEK_SET) != 0 || fread(b, 1, 2, fp) != 2)
    return -1;
  *v = ((unsigned)b[0] << 8) | b[1];
  return 0;
}

static int S_rd32(FILE *fp, long off, unsigned long *v) {
  unsigned char b[4];
  if (fseek(fp, off, SEEK_SET) != 0 || fread(b, 1, 4, fp) != 4)
    return -1;
  *v = ((unsigned long)b[0] << 24) | ((unsigned long)b[1] << 16) |
       ((unsigned long)b[2] << 8) | b[3];
  return 0;
}

#define S_MAX_KERN 65536 /* pairs kept per face; DejaVu Sans has 2,727 */

static void S_kern_load(quire__haru *h, S_face *f) {
  f->kern_state = -1;
  if (!f->file || !f->file->path[0])
    return;
  FILE *fp = fopen(f->file->path, "rb");
  if (!fp)
    return;
  unsigned long dir = 0, tag, kern = 0;
  unsigned ntab, ver, nsub;
  if (S_rd32(fp, 0, &tag) == 0 && tag == 0x74746366UL && /* 'ttcf' */
      S_rd32(fp, 12 + 4 * (long)f->file->index, &dir) != 0)
    goto done;
  if (S_rd16(fp, (long)dir + 4, &ntab) != 0)
    goto done;
  for (unsigned t = 0; t < ntab && t < 64; t++) {
    long e = (long)dir + 12 + 16 * (long)t;
    if (S_rd32(fp, e, &tag) != 0)
      goto done;
    if (tag == 0x6B65726EUL && S_rd32(fp, e + 8, &kern) != 0) /* 'kern' */
      goto done;
  }
  f->kern_state = 1; /* a font without the table is read: no pairs */
  if (!kern || S_rd16(fp, (long)kern, &ver) != 0 || ver != 0 ||
      S_rd16(fp, (long)kern + 2, &nsub) != 0)
    goto done;
  long at = (long)kern + 4;
  for (unsigned sub = 0; sub < nsub && sub < 16; sub++) {
    unsigned len, cov, npairs;
    if (S_rd16(fp, at + 2, &len) != 0 || S_rd16(fp, at + 4, &cov) != 0 ||
        len < 14)
      break;
    /* format 0, horizontal, kerning values (not minimum, not cross-stream,
     * not override) */
    if ((cov >> 8) == 0 && (cov & 0x0F) == 1 &&
        S_rd16(fp, at + 6, &npairs) == 0 && npairs > 0 &&
        f->nkern + npairs <= S_MAX_KERN) {
      uint32_t *k =
          quire__realloc(f->kern_key, (f->nkern + npairs) * sizeof *k);
      if (k)
        f->kern_key = k;
      int16_t *v =
          k ? quire__realloc(f->kern_val, (f->nkern + npairs) * sizeof *v)
            : NULL;
      if (!v) {
        S_fail(h, QUIRE_ENOMEM, "out of memory reading a font's kerning");
        break;
      }
      f->kern_val = v;
      unsigned char b[6];
      if (fseek(fp, at + 14, SEEK_SET) != 0)
        break;
      for (unsigned i = 0; i < npairs && fread(b, 1, 6, fp) == 6; i++) {
        f->kern_key[f->nkern] = ((uint32_t)b[0] << 24) |
                                ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) |
                                b[3];
        f->kern_val[f->nkern] = (int16_t)(((unsigned)b[4] << 8) | b[5]);
        f->nkern++;
      }
    }
    at += (long)len;
  }
  /* The pairs of one subtable are sorted; several are rare: sort them
   * all by key (insertion sort over an already sorted list is linear). */
  for (size_t i = 1; i < f->nkern; i++)
    for (size_t j = i; j > 0 && f->kern_key[j - 1] > f->kern_key[j]; j--) {
      uint32_t k = f->kern_key[j];
      f->kern_key[j] = f->kern_key[j - 1];
      f->kern_key[j - 1] = k;
      int16_t v = f->kern_val[j];
      f->kern_val[j] = f->kern_val[j - 1];
      f->kern_val[j - 1] = v;
    }
done:
  fclose(fp);
}

/* The kerning of the pair (left, right) in face f, in font units. */
static int S_kern(quire__haru *h, S_face *f, unsigned left, unsigned right) {
  if (!f->kern_state)
    S_kern_load(h, f);
  if (f->kern_state != 1 || !left || !right)
    return 0;
  uint32_t key = (uint32_t)left << 16 | right;
  size_t lo = 0, hi = f->nkern;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (f->kern_key[mid] < key)
      lo = mid + 1;
    else if (f->kern_key[mid] > key)
      hi = mid;
    else
      return f->kern_val[mid];
  }
  return 0;
}

/* Default-ignorable characters: no glyph expected, nothing to draw. */
static int S_ignorable(int32_t cp) {
  return cp == 0xAD || (cp >= 0x200B && cp <= 0x200F) ||
         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2069) ||
         (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF ||
         (cp >= 0xE0000 && cp <= 0xE0FFF);
}

/* Picks the face for one character of a run set in face `primary`. */
static int S_face_for(quire__haru *h, int primary, int32_t cp) {
  if (S_covers(h, &h->faces[primary], cp))
    return primary;
  for (int k = 0; k < h->paths.nfallback; k++) {
    int i = S_FIRST_FALLBACK + k;
    if (S_covers(h, &h->faces[i], cp) && S_face_load(h, i) == 1)
      return i;
  }
  S_warn_cp(h, cp, "has no glyph in any installed font; drawn as a box");
  return primary;
}

/* ------------------------------------------------------------------ */
/* measuring                                                           */
/* ------------------------------------------------------------------ */

/* ------------------------------------------------------------------ */
/* bidi and Arabic shaping: fribidi                                    */
/* ------------------------------------------------------------------ */

/* libharu has no shaping. fribidi (no glib) gives what plain text needs:
 * the Unicode bidi algorithm (UAX #9, with brackets and isolates) for the
 * paragraph's levels and each line's visual order, and Arabic joining
 * with presentation forms and lam-alef ligatures (DejaVu Sans has the
 * Presentation Forms-B glyphs), mirrored brackets in right-to-left runs.
 * Marks are not positioned and scripts that need OpenType shaping are not
 * shaped (README, "PDF engines"). */

/* Levels, types and shaped glyphs of p's characters; p->rtl from the first
 * strong character, left to right when none or when ltr (the spec's). */
static int S_bidi_shape(quire__para *p, int ltr) {
  size_t n = p->nchars;
  if (n == 0)
    return 0;
  FriBidiChar *u = quire__malloc(n * sizeof *u);
  FriBidiBracketType *bt = quire__malloc(n * sizeof *bt);
  FriBidiArabicProp *ar = quire__malloc(n * sizeof *ar);
  p->types = quire__malloc(n * sizeof *p->types);
  p->levels = quire__malloc(n * sizeof *p->levels);
  int rc = u && bt && ar && p->types && p->levels ? 0 : QUIRE_ENOMEM;
  if (!rc) {
    for (size_t k = 0; k < n; k++)
      u[k] = (FriBidiChar)p->chars[k].cp;
    FriBidiStrIndex len = (FriBidiStrIndex)n;
    fribidi_get_bidi_types(u, len, p->types);
    fribidi_get_bracket_types(u, len, p->types, bt);
    /* The base direction is the first strong letter's, inside isolates
     * too: what pango does, so both engines align a line alike
     * (layout/backend.h); fields in isolates still keep their order. */
    FriBidiParType base = FRIBIDI_PAR_LTR;
    for (size_t k = 0; !ltr && k < n; k++)
      if (FRIBIDI_IS_LETTER(p->types[k])) {
        base = FRIBIDI_IS_RTL(p->types[k]) ? FRIBIDI_PAR_RTL : FRIBIDI_PAR_LTR;
        break;
      }
    if (!fribidi_get_par_embedding_levels_ex(p->types, bt, len, &base,
                                             p->levels))
      rc = QUIRE_ENOMEM;
    p->base = FRIBIDI_IS_RTL(base) ? FRIBIDI_PAR_RTL : FRIBIDI_PAR_LTR;
    p->rtl = FRIBIDI_IS_RTL(base) != 0;
    if (!rc) {
      fribidi_get_joining_types(u, len, ar);
      fribidi_join_arabic(p->types, len, p->levels, ar);
      fribidi_shape(FRIBIDI_FLAGS_DEFAULT | FRIBIDI_FLAGS_ARABIC, p->levels,
                    len, ar, u);
      for (size_t k = 0; k < n; k++) {
        S_char *c = &p->chars[k];
        if (c->cp == '\t' || (c->flags & (S_CH_DROP | S_CH_NEWLINE)))
          continue;
        /* a ligature's second letter becomes FRIBIDI_CHAR_FILL */
        if (u[k] == FRIBIDI_CHAR_FILL && c->cp != FRIBIDI_CHAR_FILL)
          c->flags |= S_CH_DROP;
        else
          c->draw = (int32_t)u[k];
      }
    }
  }
  free(u);
  free(bt);
  free(ar);
  return rc;
}

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
  free(p->text);
  free(p->chars);
  free(p->lines);
  free(p->types);
  free(p->levels);
  free(p);
}

/* Appends FSI (U+2068) or PDI (U+2069) of run r at byte off: no width, not
 * drawn. A PDI takes the break opportunity of the letter before it. */
static void S_isolate_mark(quire__para *p, int32_t cp, unsigned r, size_t off) {
  S_char *c = &p->chars[p->nchars];
  memset(c, 0, sizeof *c);
  c->off = off;
  c->cp = c->draw = cp;
  c->run = r;
  c->flags = S_CH_DROP;
  c->brk = LINEBREAK_NOBREAK;
  if (cp == 0x2069 && p->nchars > 0) {
    c->face = p->chars[p->nchars - 1].face;
    c->brk = p->chars[p->nchars - 1].brk;
    p->chars[p->nchars - 1].brk = LINEBREAK_NOBREAK;
  }
  p->nchars++;
}

static pthread_once_t S_lb_once = PTHREAD_ONCE_INIT;
/* libunibreak's init fills a read-only lookup index; once per process. */
static void S_lb_init(void) { init_linebreak(); }

/* libunibreak 2.2 (Debian 12) asserts, aborting the whole process, on two
 * inputs, found by running every code point in every context class:
 * regional indicators (U+1F1E6-U+1F1FF, flags), whose class its pair
 * table lacks, and U+FFFF, its own end-of-string marker. Breaks are
 * computed on a copy of the same byte length in which each of those is
 * a letter of the same UTF-8 length (class AL: no break inside a flag's
 * pair, as UAX #14 wants), and every byte that is not UTF-8 is '?'.
 * Returns the copy (the caller frees it) or NULL when out of memory. */
static char *S_lb_safe(const char *text, size_t len) {
  char *t = quire__malloc(len ? len : 1);
  if (!t)
    return NULL;
  memcpy(t, text, len);
  for (size_t i = 0; i < len;) {
    int32_t cp;
    int n = quire__utf8_decode(t + i, len - i, &cp);
    if (n < 0) {
      t[i++] = '?';
      continue;
    }
    if (cp >= 0x1F1E6 && cp <= 0x1F1FF)
      memcpy(t + i, "\xF0\x90\x80\x80", 4); /* U+10000, AL */
    else if (cp == 0xFFFF)
      memcpy(t + i, "\xEF\xBF\xBD", 3); /* U+FFFD, AL */
    i += (size_t)n;
  }
  return t;
}

static int S_is_space(int32_t cp) {
  return cp == ' ' || cp == '\t' || cp == 0x3000;
}

/* Appends a line [start, end) (end before trailing spaces are trimmed). */
static int S_add_line(quire__haru *h, quire__para *p, size_t *cap, size_t start,
                      size_t end, size_t at_char) {
  while (end > start && (p->chars[end - 1].flags & S_CH_SPACE))
    end--;
  if (p->nlines == *cap) {
    size_t ncap = *cap ? *cap * 2 : 4;
    S_lineinfo *nl = quire__realloc(p->lines, ncap * sizeof *nl);
    if (!nl)
      return S_fail(h, QUIRE_ENOMEM, "out of memory");
    p->lines = nl;
    *cap = ncap;
  }
  S_lineinfo *l = &p->lines[p->nlines++];
  l->start = start;
  l->end = end;
  double w = 0, best = -1, asc = 0, desc = 0;
  for (size_t k = start; k < end; k++) {
    const S_char *c = &p->chars[k];
    w += c->adv;
  }
  /* The tallest run on the line sets ascent + descent; an empty line
   * takes the run it sits in. */
  size_t k0 = start, k1 = end > start ? end : start + 1;
  if (end == start) {
    k0 = at_char < p->nchars ? at_char : (p->nchars ? p->nchars - 1 : 0);
    k1 = k0 + 1;
  }
  for (size_t k = k0; k < k1 && k < p->nchars; k++) {
    const S_char *c = &p->chars[k];
    const S_face *f = &h->faces[c->face];
    double size = p->runs[c->run].size;
    double a = f->ascent * size, d = f->descent * size;
    if (a + d > best) {
      best = a + d;
      asc = a;
      desc = d;
    }
  }
  l->width = w;
  l->height = asc + desc;
  return 0;
}

/* The ligatures pango (HarfBuzz) sets from DejaVu's 'liga' feature: ff,
 * ffi, ffl, fi, fl, as their presentation forms (U+FB00-U+FB04) when the
 * face has them, in left-to-right text of one run and face, not in
 * monospaced text. ff, ffi and ffl are narrower than their letters (0.15 pt
 * at 10 pt): without them haru's lines were wider than cairo's. The ToUnicode
 * map gives the letters back (S_fix_tounicode). */
static void S_ligatures(quire__haru *h, quire__para *p) {
  for (size_t k = 0; k + 1 < p->nchars; k++) {
    S_char *c = &p->chars[k];
    if (c->cp != 'f' || (c->flags & (S_CH_DROP | S_CH_NEWLINE)) ||
        (p->levels[k] & 1) || p->runs[c->run].role == QUIRE__FONT_MONO)
      continue;
    /* the letters that follow in the same run and face */
    int32_t next[2] = {0, 0};
    size_t at[2] = {0, 0};
    for (size_t j = k + 1, n = 0; j < p->nchars && n < 2; j++, n++) {
      const S_char *d = &p->chars[j];
      if (d->run != c->run || d->face != c->face ||
          (d->flags & (S_CH_DROP | S_CH_NEWLINE)))
        break;
      next[n] = d->cp;
      at[n] = j;
    }
    int32_t lig = 0;
    int len = 0;
    if (next[0] == 'f' && (next[1] == 'i' || next[1] == 'l'))
      lig = next[1] == 'i' ? 0xFB03 : 0xFB04, len = 3;
    else if (next[0] == 'f')
      lig = 0xFB00, len = 2;
    else if (next[0] == 'i' || next[0] == 'l')
      lig = next[0] == 'i' ? 0xFB01 : 0xFB02, len = 2;
    if (!lig || !S_covers(h, &h->faces[c->face], lig))
      continue;
    c->draw = lig;
    for (int n = 0; n < len - 1; n++)
      p->chars[at[n]].flags |= S_CH_DROP;
    k = at[len - 2];
  }
}

/* Pair kerning between drawn characters next to each other in one run and
 * face, in left-to-right text: added to the first one's advance, as
 * HarfBuzz does, and kept for painting. A dropped character (a ligature's
 * tail, an isolate mark) is skipped over. */
static void S_kern_chars(quire__haru *h, quire__para *p) {
  size_t prev = (size_t)-1;
  for (size_t k = 0; k < p->nchars; k++) {
    S_char *c = &p->chars[k];
    if (c->flags & S_CH_DROP)
      continue;
    if (c->flags & S_CH_NEWLINE) {
      prev = (size_t)-1;
      continue;
    }
    if (prev != (size_t)-1) {
      S_char *a = &p->chars[prev];
      S_face *f = &h->faces[a->face];
      if (a->run == c->run && a->face == c->face && !(p->levels[prev] & 1) &&
          !(p->levels[k] & 1) && a->cp != '\t' && c->cp != '\t') {
        HPDF_TTFontDefAttr t = S_ttattr(f);
        int units = t && t->header.units_per_em
                        ? S_kern(h, f, S_gid(f, a->draw), S_gid(f, c->draw))
                        : 0;
        if (units) {
          double em = units / (double)t->header.units_per_em;
          a->kern = (float)(em * 1000);
          a->adv += (float)(em * p->runs[a->run].size);
        }
      }
    }
    prev = k;
  }
}

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
  size_t total = 0;
  for (size_t r = 0; r < spec->nruns; r++)
    total += spec->runs[r].len;
  p->text = quire__malloc(total + 1);
  p->runs = quire__calloc(spec->nruns ? spec->nruns : 1, sizeof *p->runs);
  /* a character a byte at most, and an isolate's FSI and PDI a run */
  p->chars = quire__calloc(total + 2 * spec->nruns + 1, sizeof *p->chars);
  char *brks = quire__malloc(total ? total : 1);
  int rc = 0;
  if (!p->text || !p->runs || !p->chars || !brks) {
    rc = QUIRE_ENOMEM;
    goto fail;
  }
  p->nruns = spec->nruns;
  size_t at = 0;
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
    if (in->len)
      memcpy(p->text + at, in->text, in->len);
    at += in->len;
  }
  p->text[total] = '\0';
  pthread_once(&S_lb_once, S_lb_init);
  if (total) {
    char *safe = S_lb_safe(p->text, total);
    if (!safe) {
      rc = QUIRE_ENOMEM;
      goto fail;
    }
    set_linebreaks_utf8((const utf8_t *)safe, total, NULL, brks);
    free(safe);
  }

  /* Characters: face, advance, break opportunity after each. A run that
   * is a field of its own (QUIRE__RUN_ISOLATE) is wrapped in FSI ... PDI
   * for fribidi, drawn as nothing; a break after the run's last letter
   * moves after its PDI. */
  size_t run_end = 0, r = 0, off = 0;
  int primary = -1;
  long iso_run = -1; /* the run whose FSI was pushed, PDI pending */
  while (off < total) {
    while (r < spec->nruns && off >= run_end + spec->runs[r].len) {
      run_end += spec->runs[r].len;
      r++;
      primary = -1;
    }
    if (iso_run >= 0 && (size_t)iso_run != r) {
      S_isolate_mark(p, 0x2069, (unsigned)iso_run, off);
      iso_run = -1;
    }
    if (primary < 0) {
      primary = S_primary(h, spec->runs[r].role, spec->runs[r].style);
      if (primary < 0) {
        rc = h->rc ? h->rc
                   : quire__error_set(
                         h->err, QUIRE_EFONT, "no font loads for the %s role",
                         spec->runs[r].role == QUIRE__FONT_MONO ? "mono"
                                                                : "text");
        goto fail;
      }
    }
    if (iso_run < 0 && (spec->runs[r].style & QUIRE__RUN_ISOLATE)) {
      S_isolate_mark(p, 0x2068, (unsigned)r, off);
      p->chars[p->nchars - 1].face = (unsigned char)primary;
      iso_run = (long)r;
    }
    int32_t cp;
    int n = quire__utf8_decode(p->text + off, total - off, &cp);
    if (n < 1)
      n = 1;
    if (cp < 0)
      cp = 0xFFFD;
    S_char *c = &p->chars[p->nchars++];
    c->off = off;
    c->len = (unsigned char)n;
    c->cp = cp;
    c->run = (unsigned)r;
    c->face = (unsigned char)primary;
    int last_in_run = off + (size_t)n >= run_end + spec->runs[r].len;
    c->brk = (unsigned char)brks[off + (size_t)n - 1];
    if ((spec->runs[r].style & QUIRE__RUN_NOBREAK) && !last_in_run &&
        c->brk == LINEBREAK_ALLOWBREAK)
      c->brk = LINEBREAK_NOBREAK;
    c->draw = cp == '\t' ? ' ' : cp;
    if (cp == '\n') {
      c->flags = S_CH_NEWLINE;
    } else if (cp == '\r' || S_ignorable(cp) || (cp < 0x20 && cp != '\t')) {
      c->flags = S_CH_DROP;
    } else if (cp > 0xFFFF) {
      /* libharu's UTF-8 path stops at the BMP and drops the rest. */
      c->flags = S_CH_DROP;
      S_warn_cp(h, cp,
                "is outside the Basic Multilingual Plane; the haru "
                "engine drops it");
    } else if (S_is_space(cp)) {
      c->flags = S_CH_SPACE;
    }
    off += (size_t)n;
  }
  if (iso_run >= 0)
    S_isolate_mark(p, 0x2069, (unsigned)iso_run, off);
  if ((rc = S_bidi_shape(p, spec->ltr)) != 0)
    goto fail;
  /* Faces and advances, after shaping chose the glyphs. */
  for (size_t k = 0; k < p->nchars; k++) {
    S_char *c = &p->chars[k];
    if (c->flags & (S_CH_DROP | S_CH_NEWLINE))
      continue;
    const S_run *run = &p->runs[c->run];
    int prim = S_primary(h, run->role, run->style);
    if (prim < 0) {
      rc = h->rc ? h->rc : QUIRE_EFONT;
      goto fail;
    }
    int face = S_face_for(h, prim, c->draw);
    c->face = (unsigned char)face;
    if (h->rc) {
      rc = h->rc;
      goto fail;
    }
  }
  S_ligatures(h, p);
  for (size_t k = 0; k < p->nchars; k++) {
    S_char *c = &p->chars[k];
    if (c->flags & (S_CH_DROP | S_CH_NEWLINE))
      continue;
    const S_run *run = &p->runs[c->run];
    c->adv = (float)(S_advance(h, c->face, c->draw) * run->size);
  }
  S_kern_chars(h, p);

  /* Greedy line filling. Spaces hang past the edge; a word that does not
   * fit moves down at the last opportunity, and a word wider than the box
   * is cut between characters, so no line is wider than the box. */
  size_t cap = 0, i = 0;
  double box = spec->width;
  const double eps = 1e-6;
  if (p->nchars == 0) {
    if ((rc = S_add_line(h, p, &cap, 0, 0, 0)))
      goto fail;
  }
  while (i < p->nchars) {
    double w = 0;
    size_t j = i, end, next;
    size_t last_ok = (size_t)-1;
    for (;;) {
      if (j >= p->nchars) {
        end = next = j;
        break;
      }
      const S_char *c = &p->chars[j];
      if (c->flags & S_CH_NEWLINE) {
        end = j;
        next = j + 1;
        break;
      }
      if (box > 0 && !(c->flags & S_CH_SPACE) && c->adv > 0 && j > i &&
          w + c->adv > box + eps) {
        if (last_ok != (size_t)-1 && last_ok >= i) {
          end = next = last_ok + 1;
        } else {
          end = next = j;
        }
        break;
      }
      w += c->adv;
      if (c->brk == LINEBREAK_ALLOWBREAK)
        last_ok = j;
      j++;
    }
    if ((rc = S_add_line(h, p, &cap, i, end, end)))
      goto fail;
    i = next;
    /* Text ending in '\n' ends with an empty line, as pango's does. */
    if (i == p->nchars && (p->chars[i - 1].flags & S_CH_NEWLINE))
      if ((rc = S_add_line(h, p, &cap, i, i, i - 1)))
        goto fail;
  }
  for (size_t k = 0; k < p->nlines; k++) {
    S_lineinfo *l = &p->lines[k];
    double ad = l->height;
    l->height = spec->line_height > ad ? spec->line_height : ad;
    /* ascent of the tallest run, recomputed for half-leading */
    double asc = 0;
    size_t k0 = l->start, k1 = l->end > l->start ? l->end : l->start + 1;
    double best = -1;
    for (size_t m = k0; m < k1 && m < p->nchars; m++) {
      const S_char *c = &p->chars[m];
      const S_face *f = &h->faces[c->face];
      double size = p->runs[c->run].size;
      if ((f->ascent + f->descent) * size > best) {
        best = (f->ascent + f->descent) * size;
        asc = f->ascent * size;
      }
    }
    if (best < 0) {
      const S_face *f = &h->faces[p->nchars ? p->chars[p->nchars - 1].face : 0];
      double size = p->nruns ? p->runs[p->nruns - 1].size : 10;
      asc = f->ascent * size;
      ad = (f->ascent + f->descent) * size;
      l->height = spec->line_height > ad ? spec->line_height : ad;
    }
    l->baseline = (l->height - ad) / 2 + asc;
  }
  free(brks);
  *out = p;
  return 0;
fail:
  free(brks);
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

static void S_fill_rgb(quire__haru *h, quire__color c) {
  HPDF_Page_SetRGBFill(h->page, (HPDF_REAL)S_c(c.r), (HPDF_REAL)S_c(c.g),
                       (HPDF_REAL)S_c(c.b));
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

/* Remembers that cp was painted in face f (for the /W trim below). */
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
  /* The glyph goes into the subset: libharu marks glyphs in its own text
   * calls, which the TJ arrays bypass. */
  HPDF_TTFontDefAttr a = S_ttattr(f);
  unsigned g = S_gid(f, cp);
  if (a && a->glyph_tbl.flgs && g < a->num_glyphs)
    a->glyph_tbl.flgs[g] = 1;
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
      if (c->flags & (S_CH_DROP | S_CH_NEWLINE))
        continue;
      int32_t d = c->draw; /* mirrored by fribidi_shape where RTL */
      len += (size_t)snprintf(h->scratch + len, 5, "%04X", (unsigned)d);
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
      const S_face *f = &h->faces[CH(a)->face];
      HPDF_Page_SetFontAndSize(h->page, f->font, (HPDF_REAL)run->size);
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

/* libharu 2.3.0 embeds only the glyphs it marked as used, and its
 * composite-glyph check reads component indexes as signed 16-bit numbers
 * and does not recurse: components past glyph 32767 (most of WenQuanYi's
 * ideographs) or nested ones are left out and the characters print blank.
 * Before saving, walk every used glyph's components from the font file and
 * mark them too, through libharu's (installed, 2.3.0) font structures. */
static int S_u16at(FILE *fp, long off, unsigned *v) {
  unsigned char b[2];
  if (fseek(fp, off, SEEK_SET) != 0 || fread(b, 1, 2, fp) != 2)
    return -1;
  *v = ((unsigned)b[0] << 8) | b[1];
  return 0;
}

static void S_fix_composites(quire__haru *h, S_face *f) {
  if (f->state != 1 || !f->font)
    return;
  HPDF_FontAttr fattr = (HPDF_FontAttr)f->font->attr;
  if (!fattr || !fattr->fontdef ||
      fattr->fontdef->type != HPDF_FONTDEF_TYPE_TRUETYPE)
    return;
  HPDF_TTFontDefAttr a = (HPDF_TTFontDefAttr)fattr->fontdef->attr;
  if (!a || !a->glyph_tbl.flgs || !a->glyph_tbl.offsets)
    return;
  unsigned n = a->num_glyphs;
  unsigned *stack = quire__malloc((size_t)n * sizeof *stack);
  FILE *fp = stack ? fopen(f->file->path, "rb") : NULL;
  if (!fp) {
    free(stack);
    if (!stack)
      S_fail(h, QUIRE_ENOMEM, "out of memory");
    return;
  }
  size_t top = 0;
  for (unsigned g = 0; g < n; g++)
    if (a->glyph_tbl.flgs[g] == 1)
      stack[top++] = g;
  while (top > 0) {
    unsigned g = stack[--top], v;
    uint32_t o0 = a->glyph_tbl.offsets[g], o1 = a->glyph_tbl.offsets[g + 1];
    if (o1 <= o0)
      continue; /* empty glyph */
    long off = (long)o0 * (a->header.index_to_loc_format == 0 ? 2 : 1) +
               (long)a->glyph_tbl.base_offset;
    if (S_u16at(fp, off, &v) != 0 || v < 0x8000)
      continue; /* simple */
    long at = off + 10;
    for (int guard = 0; guard < 64; guard++) {
      unsigned flags, comp;
      if (S_u16at(fp, at, &flags) != 0 || S_u16at(fp, at + 2, &comp) != 0)
        break;
      at += 4 + ((flags & 1) ? 4 : 2);
      if (flags & 8)
        at += 2;
      else if (flags & 64)
        at += 4;
      else if (flags & 128)
        at += 8;
      if (comp < n && a->glyph_tbl.flgs[comp] != 1) {
        a->glyph_tbl.flgs[comp] = 1;
        stack[top++] = comp;
      }
      if (!(flags & 32))
        break;
    }
  }
  fclose(fp);
  free(stack);
}

/* libharu gives every UTF-8 font a /W array with the width of every
 * character the font has (some 24 KB per DejaVu face, most of a small
 * report's size). Readers need widths only for the characters drawn, so
 * the array is rebuilt from those before saving. */
static void S_trim_widths(quire__haru *h, S_face *f) {
  if (f->state != 1 || !f->font)
    return;
  HPDF_Array desc =
      HPDF_Dict_GetItem(f->font, "DescendantFonts", HPDF_OCLASS_ARRAY);
  HPDF_Dict cid = desc ? HPDF_Array_GetItem(desc, 0, HPDF_OCLASS_DICT) : NULL;
  if (!cid || !HPDF_Dict_GetItem(cid, "W", HPDF_OCLASS_ARRAY))
    return;
  HPDF_MMgr mm = h->pdf->mmgr;
  HPDF_Array w = HPDF_Array_New(mm);
  if (!w)
    return;
  for (int32_t cp = 0; f->used && cp <= 0xFFFF; cp++) {
    if (!((f->used[cp >> 3] >> (cp & 7)) & 1))
      continue;
    HPDF_Array run = HPDF_Array_New(mm);
    if (!run)
      break;
    HPDF_Array_AddNumber(w, cp);
    HPDF_Array_Add(w, run);
    while (cp <= 0xFFFF && ((f->used[cp >> 3] >> (cp & 7)) & 1)) {
      /* the exact advance the layout measured (S_advance), in 1/1000 em:
       * a reader places each glyph where the line was measured */
      HPDF_Array_AddReal(
          run, (HPDF_REAL)(S_advance(h, (int)(f - h->faces), cp) * 1000.0));
      cp++;
    }
  }
  HPDF_Dict_Add(cid, "W", w);

  /* Likewise its CIDToGIDMap holds a glyph for every character the font
   * has (~10 KB deflated); rewritten with only the painted ones, the rest
   * zeros, it deflates to almost nothing. */
  HPDF_Dict map = HPDF_Dict_GetItem(cid, "CIDToGIDMap", HPDF_OCLASS_DICT);
  HPDF_FontAttr fattr = (HPDF_FontAttr)f->font->attr;
  if (!map || !map->stream || !fattr || !fattr->fontdef ||
      map->stream->type != HPDF_STREAM_MEMORY)
    return;
  HPDF_MemStream_FreeData(map->stream);
  HPDF_BYTE buf[4096];
  for (int32_t base = 0; base <= 0xFFFF; base += 2048) {
    for (int32_t k = 0; k < 2048; k++) {
      int32_t cp = base + k;
      unsigned gid = 0;
      if (f->used && ((f->used[cp >> 3] >> (cp & 7)) & 1))
        gid = HPDF_TTFontDef_GetGlyphid(fattr->fontdef, (HPDF_UINT16)cp);
      buf[2 * k] = (HPDF_BYTE)(gid >> 8);
      buf[2 * k + 1] = (HPDF_BYTE)gid;
    }
    HPDF_Stream_Write(map->stream, buf, sizeof buf);
  }
}

static int S_end_document(void *self) {
  quire__haru *h = self;
  if (h->rc)
    return h->rc;
  if (!h->sink.write)
    return 0;
  /* Roles sharing a file share one libharu font (it loads a file once):
   * pool their painted characters into the first face holding it, and
   * fix each font once. */
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
  for (int i = 0; i < S_NFACES; i++) {
    if (alias[i])
      continue;
    S_fix_composites(h, &h->faces[i]);
    S_trim_widths(h, &h->faces[i]);
  }
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

  h->pdf = HPDF_NewEx(S_on_error, S_alloc, S_free, 0, h);
  if (!h->pdf) {
    free(h);
    return quire__error_set(err, QUIRE_ENOMEM, "libharu: out of memory");
  }
  /* Order matters: compression applies only to objects made after it. */
  HPDF_SetCompressionMode(h->pdf, HPDF_COMP_ALL);
  HPDF_UseUTFEncodings(h->pdf);
  HPDF_SetCurrentEncoder(h->pdf, "UTF-8");
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
    free(h->faces[i].cover);
    free(h->faces[i].wcache);
    free(h->faces[i].used);
    free(h->faces[i].kern_key);
    free(h->faces[i].kern_val);
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
