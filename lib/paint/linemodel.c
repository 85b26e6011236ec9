/* linemodel.c - the one width model and line breaker of both PDF engines
 * (linemodel.h says why). */
#include "paint/linemodel.h"

#include <linebreak.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* fonts: the tables that decide a width, read once per process        */
/* ------------------------------------------------------------------ */

#define S_MAX_FONTS 32
#define S_MAX_TABLE ((unsigned long)16 << 20)
#define S_MAX_KERN 65536 /* pairs kept per face; DejaVu Sans has 2,727 */

struct quire__lm_font {
  char path[QUIRE__HFONT_PATH];
  int index;
  int ok;
  unsigned upem;
  int ascender, descender; /* hhea, font units (descender < 0) */
  unsigned nglyphs;
  uint16_t *adv;    /* advance per glyph, font units */
  uint16_t *bmp;    /* glyph per BMP code point (0: none), from the (3,1)
                       format 4 cmap, the one libharu draws with */
  uint32_t *groups; /* format 12 groups (start, end, glyph) outside the BMP */
  size_t ngroups;
  uint32_t *kern_key; /* left << 16 | right, sorted */
  int16_t *kern_val;  /* font units */
  size_t nkern;
  /* The pairs of left glyph g are kern_key[kern_at[g] .. kern_at[g + 1]),
   * for g < nkern_at - 1; NULL when a key repeats (several subtables), so
   * that a lookup always finds the entry a search of all pairs finds. */
  uint32_t *kern_at;
  size_t nkern_at;
};

static pthread_mutex_t S_lock = PTHREAD_MUTEX_INITIALIZER;
static quire__lm_font *S_fonts[S_MAX_FONTS];
static size_t S_nfonts;

static unsigned S_u16(const unsigned char *p) {
  return ((unsigned)p[0] << 8) | p[1];
}
static unsigned long S_u32(const unsigned char *p) {
  return ((unsigned long)p[0] << 24) | ((unsigned long)p[1] << 16) |
         ((unsigned long)p[2] << 8) | p[3];
}

/* Table `tag` of the face at dir (its table directory) read whole, or
 * NULL; *len its length. Every read is bounds-checked: the file is
 * outside data. */
static unsigned char *S_table(FILE *fp, long dir, const char *tag,
                              unsigned long *len) {
  unsigned char h[12];
  if (fseek(fp, dir, SEEK_SET) != 0 || fread(h, 1, 12, fp) != 12)
    return NULL;
  unsigned n = S_u16(h + 4);
  for (unsigned i = 0; i < n && i < 256; i++) {
    unsigned char e[16];
    if (fseek(fp, dir + 12 + 16L * (long)i, SEEK_SET) != 0 ||
        fread(e, 1, 16, fp) != 16)
      return NULL;
    if (memcmp(e, tag, 4) != 0)
      continue;
    unsigned long off = S_u32(e + 8), l = S_u32(e + 12);
    if (l == 0 || l > S_MAX_TABLE)
      return NULL;
    unsigned char *t = quire__malloc(l);
    if (!t)
      return NULL;
    if (fseek(fp, (long)off, SEEK_SET) != 0 || fread(t, 1, l, fp) != l) {
      free(t);
      return NULL;
    }
    *len = l;
    return t;
  }
  return NULL;
}

static void S_cmap4(quire__lm_font *f, const unsigned char *t, size_t n) {
  if (n < 14)
    return;
  size_t seg = S_u16(t + 6) / 2;
  size_t ends = 14, starts = ends + 2 * seg + 2, deltas = starts + 2 * seg,
         ranges = deltas + 2 * seg;
  if (ranges + 2 * seg > n)
    return;
  for (size_t i = 0; i < seg; i++) {
    unsigned end = S_u16(t + ends + 2 * i), start = S_u16(t + starts + 2 * i);
    unsigned delta = S_u16(t + deltas + 2 * i);
    unsigned roff = S_u16(t + ranges + 2 * i);
    for (unsigned c = start; c <= end && c < 0xFFFF; c++) {
      unsigned gid;
      if (roff == 0) {
        gid = (c + delta) & 0xFFFF;
      } else {
        size_t at = ranges + 2 * i + roff + 2 * (size_t)(c - start);
        if (at + 2 > n)
          break;
        gid = S_u16(t + at);
        if (gid)
          gid = (gid + delta) & 0xFFFF;
      }
      f->bmp[c] = (uint16_t)(gid < f->nglyphs ? gid : 0);
    }
  }
}

static void S_cmap12(quire__lm_font *f, const unsigned char *t, size_t n) {
  if (n < 16)
    return;
  unsigned long ng = S_u32(t + 12);
  if (ng > (n - 16) / 12)
    return;
  f->groups = quire__malloc((ng ? ng : 1) * 3 * sizeof *f->groups);
  if (!f->groups)
    return;
  for (unsigned long i = 0; i < ng; i++) {
    const unsigned char *g = t + 16 + 12 * i;
    unsigned long s = S_u32(g), e = S_u32(g + 4);
    if (e < 0x10000 || s > e)
      continue;
    f->groups[3 * f->ngroups] = (uint32_t)(s < 0x10000 ? 0x10000 : s);
    f->groups[3 * f->ngroups + 1] = (uint32_t)e;
    f->groups[3 * f->ngroups + 2] =
        (uint32_t)(S_u32(g + 8) + (s < 0x10000 ? 0x10000 - s : 0));
    f->ngroups++;
  }
}

static void S_kern_read(quire__lm_font *f, const unsigned char *t, size_t n) {
  if (n < 4 || S_u16(t) != 0)
    return;
  unsigned nsub = S_u16(t + 2);
  size_t at = 4;
  for (unsigned sub = 0; sub < nsub && sub < 16 && at + 14 <= n; sub++) {
    unsigned len = S_u16(t + at + 2), cov = S_u16(t + at + 4);
    if (len < 14)
      break;
    /* format 0, horizontal, kerning values (not minimum, not
     * cross-stream, not override) */
    unsigned npairs = S_u16(t + at + 6);
    if ((cov >> 8) == 0 && (cov & 0x0F) == 1 && npairs > 0 &&
        f->nkern + npairs <= S_MAX_KERN && at + 14 + 6 * (size_t)npairs <= n) {
      uint32_t *k =
          quire__realloc(f->kern_key, (f->nkern + npairs) * sizeof *k);
      if (!k)
        return;
      f->kern_key = k;
      int16_t *v = quire__realloc(f->kern_val, (f->nkern + npairs) * sizeof *v);
      if (!v)
        return;
      f->kern_val = v;
      for (unsigned i = 0; i < npairs; i++) {
        const unsigned char *b = t + at + 14 + 6 * (size_t)i;
        f->kern_key[f->nkern] = (uint32_t)S_u32(b);
        f->kern_val[f->nkern] = (int16_t)S_u16(b + 4);
        f->nkern++;
      }
    }
    at += len;
  }
  /* The pairs of one subtable are sorted; several are rare: insertion
   * sort over an already sorted list is linear. */
  for (size_t i = 1; i < f->nkern; i++)
    for (size_t j = i; j > 0 && f->kern_key[j - 1] > f->kern_key[j]; j--) {
      uint32_t k = f->kern_key[j];
      f->kern_key[j] = f->kern_key[j - 1];
      f->kern_key[j - 1] = k;
      int16_t v = f->kern_val[j];
      f->kern_val[j] = f->kern_val[j - 1];
      f->kern_val[j - 1] = v;
    }
  /* Where each left glyph's pairs start: a pair is looked up for every
   * two letters drawn side by side, and most left glyphs have no pair or a
   * few, so the search is over those few instead of all 2,727. */
  if (!f->nkern)
    return;
  for (size_t i = 1; i < f->nkern; i++)
    if (f->kern_key[i] == f->kern_key[i - 1])
      return;
  size_t nat = (size_t)(f->kern_key[f->nkern - 1] >> 16) + 2;
  uint32_t *at_ = quire__malloc(nat * sizeof *at_);
  if (!at_)
    return; /* every lookup searches all pairs */
  for (size_t g = 0, i = 0; g < nat; g++) {
    while (i < f->nkern && (f->kern_key[i] >> 16) < g)
      i++;
    at_[g] = (uint32_t)i;
  }
  f->kern_at = at_;
  f->nkern_at = nat;
}

static void S_font_read(quire__lm_font *f) {
  FILE *fp = fopen(f->path, "rb");
  if (!fp)
    return;
  unsigned char h[12];
  long dir = 0;
  unsigned long hl = 0, hhl = 0, ml = 0, hml = 0, cl = 0, kl = 0;
  unsigned char *head = NULL, *hhea = NULL, *maxp = NULL, *hmtx = NULL,
                *cmap = NULL, *kern = NULL;
  if (fread(h, 1, 12, fp) != 12)
    goto done;
  if (memcmp(h, "ttcf", 4) == 0) {
    unsigned char o[4];
    if (f->index < 0 || (unsigned long)f->index >= S_u32(h + 8) ||
        fseek(fp, 12 + 4L * f->index, SEEK_SET) != 0 || fread(o, 1, 4, fp) != 4)
      goto done;
    dir = (long)S_u32(o);
  }
  head = S_table(fp, dir, "head", &hl);
  hhea = S_table(fp, dir, "hhea", &hhl);
  maxp = S_table(fp, dir, "maxp", &ml);
  hmtx = S_table(fp, dir, "hmtx", &hml);
  cmap = S_table(fp, dir, "cmap", &cl);
  kern = S_table(fp, dir, "kern", &kl);
  if (!head || hl < 20 || !hhea || hhl < 36 || !maxp || ml < 6 || !hmtx ||
      !cmap || cl < 4)
    goto done;
  f->upem = S_u16(head + 18);
  f->nglyphs = S_u16(maxp + 4);
  f->ascender = (int16_t)S_u16(hhea + 4);
  f->descender = (int16_t)S_u16(hhea + 6);
  unsigned nhm = S_u16(hhea + 34);
  if (f->upem < 16 || f->nglyphs == 0 || nhm == 0 || nhm > f->nglyphs ||
      (size_t)nhm * 4 > hml)
    goto done;
  f->adv = quire__malloc(f->nglyphs * sizeof *f->adv);
  f->bmp = quire__calloc(0x10000, sizeof *f->bmp);
  if (!f->adv || !f->bmp)
    goto done;
  for (unsigned g = 0; g < f->nglyphs; g++)
    f->adv[g] = (uint16_t)S_u16(hmtx + 4 * (size_t)(g < nhm ? g : nhm - 1));
  /* (3,1) Windows BMP first, as libharu; then (0,3) Unicode BMP; (3,10) or
   * (0,4) format 12 for the rest. */
  unsigned n = S_u16(cmap + 2);
  unsigned long best4 = 0, best12 = 0;
  int rank4 = 0, rank12 = 0;
  for (unsigned i = 0; i < n && 4 + 8 * (size_t)i + 8 <= cl; i++) {
    const unsigned char *r = cmap + 4 + 8 * (size_t)i;
    unsigned pid = S_u16(r), eid = S_u16(r + 2);
    unsigned long so = S_u32(r + 4);
    if (so + 4 > cl)
      continue;
    unsigned fmt = S_u16(cmap + so);
    int rank = (pid == 3 && (eid == 1 || eid == 10)) ? 2 : (pid == 0) ? 1 : 0;
    if (fmt == 4 && rank > rank4)
      rank4 = rank, best4 = so;
    if (fmt == 12 && rank > rank12)
      rank12 = rank, best12 = so;
  }
  if (!rank4)
    goto done;
  size_t slen = S_u16(cmap + best4 + 2);
  if (best4 + slen > cl)
    slen = cl - best4;
  S_cmap4(f, cmap + best4, slen);
  if (rank12 && best12 + 16 <= cl) {
    unsigned long l12 = S_u32(cmap + best12 + 4);
    if (best12 + l12 > cl)
      l12 = cl - best12;
    S_cmap12(f, cmap + best12, l12);
  }
  if (kern)
    S_kern_read(f, kern, kl);
  f->ok = 1;
done:
  if (!f->ok) { /* kept, unusable, so it is not read again */
    free(f->adv);
    free(f->bmp);
    free(f->groups);
    free(f->kern_key);
    free(f->kern_val);
    free(f->kern_at);
    f->adv = f->bmp = NULL;
    f->groups = f->kern_key = f->kern_at = NULL;
    f->kern_val = NULL;
    f->ngroups = f->nkern = f->nkern_at = 0;
  }
  free(head);
  free(hhea);
  free(maxp);
  free(hmtx);
  free(cmap);
  free(kern);
  fclose(fp);
}

/* The process's reading of file/index, made on first use. Never changes
 * after it is made, so readers need no lock. */
static const quire__lm_font *S_font_get(const quire__hfont_file *file) {
  if (!file || !file->path[0])
    return NULL;
  const quire__lm_font *out = NULL;
  pthread_mutex_lock(&S_lock);
  for (size_t i = 0; i < S_nfonts; i++)
    if (S_fonts[i]->index == file->index &&
        strcmp(S_fonts[i]->path, file->path) == 0) {
      out = S_fonts[i];
      break;
    }
  if (!out && S_nfonts < S_MAX_FONTS) {
    quire__lm_font *f = quire__calloc(1, sizeof *f);
    if (f) {
      memcpy(f->path, file->path, sizeof f->path);
      f->index = file->index;
      S_font_read(f);
      S_fonts[S_nfonts++] = f;
      out = f;
    }
  }
  pthread_mutex_unlock(&S_lock);
  return out && out->ok ? out : NULL;
}

void quire__lm_fonts_init(quire__lm_fonts *fonts,
                          const quire__hfont_paths *paths) {
  memset(fonts, 0, sizeof *fonts);
  fonts->paths = paths;
}

static const quire__hfont_file *S_file(const quire__lm_fonts *fonts, int i) {
  if (i < QUIRE__LM_FIRST_FALLBACK)
    return &fonts->paths->face[i / QUIRE__HFONT_FACES][i % QUIRE__HFONT_FACES];
  int k = i - QUIRE__LM_FIRST_FALLBACK;
  return k < fonts->paths->nfallback ? &fonts->paths->fallback[k] : NULL;
}

static const quire__lm_font *S_face_read(quire__lm_fonts *fonts, int i) {
  fonts->face[i] = S_font_get(S_file(fonts, i));
  fonts->state[i] = fonts->face[i] ? 1 : -1;
  return fonts->face[i];
}

/* Called a few times for every character: the face already read inline,
 * the first reading (a lock, a search, maybe the file) out of line. */
static inline const quire__lm_font *S_face(quire__lm_fonts *fonts, int i) {
  if (i < 0 || i >= QUIRE__LM_FACES)
    return NULL;
  if (fonts->state[i])
    return fonts->face[i];
  return S_face_read(fonts, i);
}

int quire__lm_face_ok(quire__lm_fonts *fonts, int i) {
  return S_face(fonts, i) != NULL;
}

static inline unsigned S_gid(const quire__lm_font *f, int32_t cp) {
  if (!f || cp < 0)
    return 0;
  if (cp < 0x10000)
    return f->bmp[cp];
  size_t lo = 0, hi = f->ngroups;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (f->groups[3 * mid + 1] < (uint32_t)cp)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo < f->ngroups && f->groups[3 * lo] <= (uint32_t)cp) {
    uint32_t g = f->groups[3 * lo + 2] + ((uint32_t)cp - f->groups[3 * lo]);
    return g < f->nglyphs ? g : 0;
  }
  return 0;
}

static int S_kern(const quire__lm_font *f, unsigned left, unsigned right) {
  if (!f->nkern || !left || !right)
    return 0;
  uint32_t key = (uint32_t)left << 16 | right;
  size_t lo = 0, hi = f->nkern;
  if (f->kern_at) {
    if (left + 1 >= f->nkern_at)
      return 0;
    lo = f->kern_at[left];
    hi = f->kern_at[left + 1];
  }
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

unsigned quire__lm_glyph(quire__lm_fonts *fonts, int i, int32_t cp) {
  return S_gid(S_face(fonts, i), cp);
}

double quire__lm_advance(quire__lm_fonts *fonts, int i, int32_t cp) {
  const quire__lm_font *f = S_face(fonts, i);
  if (!f)
    return 0;
  return f->adv[S_gid(f, cp)] / (double)f->upem;
}

/* ------------------------------------------------------------------ */
/* characters                                                          */
/* ------------------------------------------------------------------ */

/* Default-ignorable characters: no glyph expected, nothing to draw. */
static int S_ignorable(int32_t cp) {
  return cp == 0xAD || (cp >= 0x200B && cp <= 0x200F) ||
         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2069) ||
         (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF ||
         (cp >= 0xE0000 && cp <= 0xE0FFF);
}

static int S_is_space(int32_t cp) {
  return cp == ' ' || cp == '\t' || cp == 0x3000;
}

/* The face a run's text is set in: its role's bold/italic face, or the
 * role's regular face when that one does not read. */
static int S_primary(quire__lm_fonts *fonts, quire__font_role role,
                     unsigned style) {
  int r = (int)role;
  if (r < 0 || r >= QUIRE__HFONT_ROLES)
    r = 0;
  int i = r * QUIRE__HFONT_FACES + ((style & QUIRE__RUN_BOLD) ? 1 : 0) +
          ((style & QUIRE__RUN_ITALIC) ? 2 : 0);
  if (S_face(fonts, i))
    return i;
  i = r * QUIRE__HFONT_FACES;
  return S_face(fonts, i) ? i : -1;
}

/* The face for one character of a run set in face `primary`: the first
 * that has it, fallbacks in font map order; -1 when none has it. */
static int S_face_for(quire__lm_fonts *fonts, int primary, int32_t cp) {
  if (S_gid(S_face(fonts, primary), cp))
    return primary;
  for (int k = 0; k < fonts->paths->nfallback; k++) {
    int i = QUIRE__LM_FIRST_FALLBACK + k;
    if (S_gid(S_face(fonts, i), cp))
      return i;
  }
  return -1;
}

/* quire__utf8_decode with ASCII inline: the model reads each character
 * twice (the copy for libunibreak, the characters). */
static inline int S_decode(const char *s, size_t len, int32_t *cp) {
  if ((unsigned char)s[0] < 0x80) {
    *cp = (unsigned char)s[0];
    return 1;
  }
  return quire__utf8_decode(s, len, cp);
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
    int n = S_decode(t + i, len - i, &cp);
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

/* Appends FSI (U+2068) or PDI (U+2069) of run r at byte off: no width, not
 * drawn. A PDI takes the break opportunity of the letter before it. */
static void S_isolate_mark(quire__lm_para *p, int32_t cp, unsigned r,
                           size_t off) {
  quire__lm_char *c = &p->chars[p->nchars];
  memset(c, 0, sizeof *c);
  c->off = off;
  c->cp = c->draw = cp;
  c->run = r;
  c->flags = QUIRE__LM_DROP | QUIRE__LM_MARK;
  c->brk = LINEBREAK_NOBREAK;
  if (cp == 0x2069 && p->nchars > 0) {
    c->face = p->chars[p->nchars - 1].face;
    c->brk = p->chars[p->nchars - 1].brk;
    p->chars[p->nchars - 1].brk = LINEBREAK_NOBREAK;
  }
  p->nchars++;
}

/* fribidi (no glib) gives what plain text needs: the Unicode bidi
 * algorithm (UAX #9, with brackets and isolates) for the paragraph's
 * levels, and Arabic joining with presentation forms and lam-alef
 * ligatures (DejaVu Sans has the Presentation Forms-B glyphs), mirrored
 * brackets in right-to-left runs. The base direction is the first strong
 * letter's, inside isolates too: what pango does; left to right when ltr
 * (quire__para_spec.ltr). */
static int S_bidi_shape(quire__lm_para *p, int ltr) {
  size_t n = p->nchars;
  if (n == 0)
    return 0;
  /* Most paragraphs are left-to-right text alone: no R, AL or AN character
   * and no embedding, override or isolate control (quire's own isolates
   * are FSI and PDI). Then the base direction is LTR (no R or AL letter to
   * make it RTL), every European number follows L or the paragraph start
   * and becomes L (W7), neutrals and brackets between L's or at the edges
   * take level 0 (N0-N2), nothing is raised (I1: only R, AN and EN on an
   * even level are), so fribidi would give level 0 to every character; and
   * its shaping changes nothing, since mirroring applies to odd levels and
   * Arabic presentation forms and ligatures to Arabic letters (AL).
   * Skipping fribidi there is a quarter of the line model's time;
   * tests/unit/test_linemodel.c checks the levels and glyphs against
   * fribidi's on every code point and on generated mixes. The types are
   * kept: haru reorders lines with them. */
  p->types = quire__malloc(n * sizeof *p->types);
  p->levels = quire__malloc(n * sizeof *p->levels);
  if (!p->types || !p->levels)
    return QUIRE_ENOMEM;
  const FriBidiCharType busy = FRIBIDI_MASK_RTL | FRIBIDI_MASK_ARABIC |
                               FRIBIDI_MASK_EXPLICIT | FRIBIDI_MASK_ISOLATE;
  FriBidiCharType seen = 0;
  for (size_t k = 0; k < n; k++)
    seen |= p->types[k] = fribidi_get_bidi_type((FriBidiChar)p->chars[k].cp);
  if (!(seen & busy)) {
    memset(p->levels, 0, n * sizeof *p->levels);
    p->base = FRIBIDI_PAR_LTR;
    p->rtl = 0;
    return 0;
  }
  FriBidiChar *u = quire__malloc(n * sizeof *u);
  FriBidiBracketType *bt = quire__malloc(n * sizeof *bt);
  FriBidiArabicProp *ar = quire__malloc(n * sizeof *ar);
  int rc = u && bt && ar ? 0 : QUIRE_ENOMEM;
  if (!rc) {
    for (size_t k = 0; k < n; k++)
      u[k] = (FriBidiChar)p->chars[k].cp;
    FriBidiStrIndex len = (FriBidiStrIndex)n;
    fribidi_get_bracket_types(u, len, p->types, bt);
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
        quire__lm_char *c = &p->chars[k];
        if (c->cp == '\t' || (c->flags & (QUIRE__LM_DROP | QUIRE__LM_NEWLINE)))
          continue;
        /* a ligature's second letter becomes FRIBIDI_CHAR_FILL */
        if (u[k] == FRIBIDI_CHAR_FILL && c->cp != FRIBIDI_CHAR_FILL)
          c->flags |= QUIRE__LM_DROP;
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

/* The ligatures pango (HarfBuzz) sets from DejaVu's 'liga' feature: ff,
 * ffi, ffl, fi, fl, as their presentation forms (U+FB00-U+FB04) when the
 * face has them, in left-to-right text of one run and face, not in
 * monospaced text. */
static void S_ligatures(quire__lm_fonts *fonts, quire__lm_para *p,
                        const quire__para_spec *spec) {
  for (size_t k = 0; k + 1 < p->nchars; k++) {
    quire__lm_char *c = &p->chars[k];
    if (c->cp != 'f' || (c->flags & (QUIRE__LM_DROP | QUIRE__LM_NEWLINE)) ||
        (p->levels[k] & 1) || spec->runs[c->run].role == QUIRE__FONT_MONO)
      continue;
    int32_t next[2] = {0, 0};
    size_t at[2] = {0, 0};
    for (size_t j = k + 1, n = 0; j < p->nchars && n < 2; j++, n++) {
      const quire__lm_char *d = &p->chars[j];
      if (d->run != c->run || d->face != c->face ||
          (d->flags & (QUIRE__LM_DROP | QUIRE__LM_NEWLINE)))
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
    if (!lig || !S_gid(S_face(fonts, c->face), lig))
      continue;
    c->draw = lig;
    for (int n = 0; n < len - 1; n++)
      p->chars[at[n]].flags |= QUIRE__LM_DROP;
    k = at[len - 2];
  }
}

/* Whether the token starting at chars[k] (up to the next space) fits in
 * width. engine.c puts U+200B inside long URLs and identifiers so that
 * they can be cut at a readable place; the line breaker cuts such a token
 * (there, or at a hyphen or slash inside it) only when it would not fit on
 * a line of its own: "sample_a…, sample_b…" moves the second id down
 * whole, not "sample_|b…", and a URL that fits a line is never split. */
static int S_word_fits(const quire__lm_para *p, size_t k, double width) {
  double w = 0;
  for (; k < p->nchars; k++) {
    const quire__lm_char *c = &p->chars[k];
    if (c->flags & (QUIRE__LM_NEWLINE | QUIRE__LM_SPACE))
      break;
    if ((w += c->adv) > width)
      return 0;
  }
  return 1;
}

/* Pair kerning between drawn characters next to each other in one run and
 * face, in left-to-right text: added to the first one's advance, as
 * HarfBuzz does. A dropped character (a ligature's tail, an isolate mark)
 * is skipped over. */
static void S_kern_chars(quire__lm_fonts *fonts, quire__lm_para *p,
                         const quire__para_spec *spec) {
  size_t prev = (size_t)-1;
  for (size_t k = 0; k < p->nchars; k++) {
    quire__lm_char *c = &p->chars[k];
    if (c->flags & QUIRE__LM_DROP)
      continue;
    if (c->flags & QUIRE__LM_NEWLINE) {
      prev = (size_t)-1;
      continue;
    }
    if (prev != (size_t)-1) {
      quire__lm_char *a = &p->chars[prev];
      const quire__lm_font *f = S_face(fonts, a->face);
      if (f && a->run == c->run && a->face == c->face &&
          !(p->levels[prev] & 1) && !(p->levels[k] & 1) && a->cp != '\t' &&
          c->cp != '\t') {
        int units = S_kern(f, S_gid(f, a->draw), S_gid(f, c->draw));
        if (units) {
          double em = units / (double)f->upem;
          a->kern = (float)(em * 1000);
          a->adv += (float)(em * spec->runs[a->run].size);
        }
      }
    }
    prev = k;
  }
}

static int S_add_line(quire__lm_para *p, size_t *cap, size_t start, size_t end,
                      size_t next) {
  size_t e = end;
  while (e > start && (p->chars[e - 1].flags & QUIRE__LM_SPACE))
    e--;
  if (p->nlines == *cap) {
    size_t ncap = *cap ? *cap * 2 : 4;
    quire__lm_line *nl = quire__realloc(p->lines, ncap * sizeof *nl);
    if (!nl)
      return QUIRE_ENOMEM;
    p->lines = nl;
    *cap = ncap;
  }
  quire__lm_line *l = &p->lines[p->nlines++];
  l->start = start;
  l->end = e;
  l->next = next;
  double w = 0;
  for (size_t k = start; k < e; k++)
    w += p->chars[k].adv;
  l->width = w;
  return 0;
}

static double S_size(const quire__run *r) { return r->size > 0 ? r->size : 1; }

int quire__lm_para_new(quire__lm_para *p, quire__lm_fonts *fonts,
                       const quire__para_spec *spec) {
  memset(p, 0, sizeof *p);
  size_t total = 0;
  for (size_t r = 0; r < spec->nruns; r++)
    total += spec->runs[r].len;
  p->text = quire__malloc(total + 1);
  /* a character a byte at most, and an isolate's FSI and PDI a run */
  p->chars = quire__calloc(total + 2 * spec->nruns + 1, sizeof *p->chars);
  char *brks = quire__malloc(total ? total : 1);
  int rc = 0;
  if (!p->text || !p->chars || !brks) {
    rc = QUIRE_ENOMEM;
    goto done;
  }
  p->len = total;
  size_t at = 0;
  for (size_t r = 0; r < spec->nruns; r++) {
    if (spec->runs[r].len)
      memcpy(p->text + at, spec->runs[r].text, spec->runs[r].len);
    at += spec->runs[r].len;
  }
  p->text[total] = '\0';
  pthread_once(&S_lb_once, S_lb_init);
  if (total) {
    char *safe = S_lb_safe(p->text, total);
    if (!safe) {
      rc = QUIRE_ENOMEM;
      goto done;
    }
    set_linebreaks_utf8((const utf8_t *)safe, total, NULL, brks);
    free(safe);
  }

  /* Characters and their break opportunities. A run that is a field of
   * its own (QUIRE__RUN_ISOLATE) is wrapped in FSI ... PDI for fribidi,
   * drawn as nothing; a break after the run's last letter moves after its
   * PDI. */
  size_t run_end = 0, r = 0, off = 0;
  int primary = -1;
  long iso_run = -1;
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
    if (primary < 0 && (primary = S_primary(fonts, spec->runs[r].role,
                                            spec->runs[r].style)) < 0) {
      rc = QUIRE_EFONT;
      goto done;
    }
    if (iso_run < 0 && (spec->runs[r].style & QUIRE__RUN_ISOLATE)) {
      S_isolate_mark(p, 0x2068, (unsigned)r, off);
      p->chars[p->nchars - 1].face = (unsigned char)primary;
      iso_run = (long)r;
    }
    int32_t cp;
    int n = S_decode(p->text + off, total - off, &cp);
    if (n < 1)
      n = 1;
    if (cp < 0)
      cp = 0xFFFD;
    quire__lm_char *c = &p->chars[p->nchars++];
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
    if (cp == '\n')
      c->flags = QUIRE__LM_NEWLINE;
    else if (cp == '\r' || S_ignorable(cp) || (cp < 0x20 && cp != '\t'))
      c->flags = QUIRE__LM_DROP;
    else if (S_is_space(cp))
      c->flags = QUIRE__LM_SPACE;
    off += (size_t)n;
  }
  if (iso_run >= 0)
    S_isolate_mark(p, 0x2069, (unsigned)iso_run, off);
  if ((rc = S_bidi_shape(p, spec->ltr)) != 0)
    goto done;
  /* Faces, after shaping chose the glyphs (a run's primary face found
   * once for its characters). */
  unsigned prim_run = (unsigned)-1;
  int prim = -1;
  for (size_t k = 0; k < p->nchars; k++) {
    quire__lm_char *c = &p->chars[k];
    if (c->flags & (QUIRE__LM_DROP | QUIRE__LM_NEWLINE))
      continue;
    if (c->run != prim_run) {
      const quire__run *run = &spec->runs[c->run];
      prim = S_primary(fonts, run->role, run->style);
      prim_run = c->run;
    }
    if (prim < 0) {
      rc = QUIRE_EFONT;
      goto done;
    }
    int face = S_face_for(fonts, prim, c->draw);
    if (face < 0) {
      c->flags |= QUIRE__LM_NOGLYPH;
      face = prim;
    }
    c->face = (unsigned char)face;
  }
  S_ligatures(fonts, p, spec);
  /* Advances. A character outside the BMP (an emoji) that no face has is
   * an em wide: what a fallback font the cairo engine finds gives it,
   * near enough (haru leaves the space blank). */
  for (size_t k = 0; k < p->nchars; k++) {
    quire__lm_char *c = &p->chars[k];
    if (c->flags & (QUIRE__LM_DROP | QUIRE__LM_NEWLINE))
      continue;
    double size = S_size(&spec->runs[c->run]);
    const quire__lm_font *f = S_face(fonts, c->face);
    if (c->cp > 0xFFFF && (c->flags & QUIRE__LM_NOGLYPH))
      c->adv = (float)size;
    else
      c->adv = (float)(f->adv[S_gid(f, c->draw)] / (double)f->upem * size);
  }
  S_kern_chars(fonts, p, spec);

  /* Greedy line filling. Spaces hang past the edge; a word that does not
   * fit moves down at the last opportunity, and a word wider than the box
   * is cut between characters, so no line is wider than the box. */
  size_t cap = 0, i = 0;
  double box = spec->width;
  const double eps = 1e-6;
  if (p->nchars == 0 && (rc = S_add_line(p, &cap, 0, 0, 0)))
    goto done;
  while (i < p->nchars) {
    double w = 0;
    size_t j = i, end, next;
    size_t last_ok = (size_t)-1;
    size_t last_word = (size_t)-1; /* last_ok at a space */
    int marked = 0; /* a U+200B since last_word: a long URL or identifier */
    for (;;) {
      if (j >= p->nchars) {
        end = next = j;
        break;
      }
      const quire__lm_char *c = &p->chars[j];
      if (c->flags & QUIRE__LM_NEWLINE) {
        end = j;
        next = j + 1;
        break;
      }
      if (box > 0 && !(c->flags & QUIRE__LM_SPACE) && c->adv > 0 && j > i &&
          w + c->adv > box + eps) {
        size_t cut = last_ok != (size_t)-1 && last_ok >= i ? last_ok : j;
        if (marked && last_word != (size_t)-1 && last_word >= i &&
            last_word != cut && S_word_fits(p, last_word + 1, box + eps))
          cut = last_word;
        end = next = cut == j ? j : cut + 1;
        break;
      }
      w += c->adv;
      if (c->cp == 0x200B)
        marked = 1;
      if (c->brk == LINEBREAK_ALLOWBREAK) {
        last_ok = j;
        if (c->flags & QUIRE__LM_SPACE) {
          last_word = j;
          marked = 0;
        }
      }
      j++;
    }
    if ((rc = S_add_line(p, &cap, i, end, next)))
      goto done;
    i = next;
    /* Text ending in '\n' ends with an empty line, as pango's does. */
    if (i == p->nchars && (p->chars[i - 1].flags & QUIRE__LM_NEWLINE) &&
        (rc = S_add_line(p, &cap, i, i, i)))
      goto done;
  }
done:
  free(brks);
  return rc;
}

void quire__lm_para_dispose(quire__lm_para *p) {
  if (!p)
    return;
  free(p->text);
  free(p->chars);
  free(p->lines);
  free(p->types);
  free(p->levels);
  memset(p, 0, sizeof *p);
}

/* ------------------------------------------------------------------ */
/* glyphs, for an engine that paints the model's characters itself     */
/* ------------------------------------------------------------------ */

int quire__lm_glyph_units(quire__lm_fonts *fonts, int i, int32_t cp,
                          quire__lm_glyph_info *out) {
  const quire__lm_font *f = S_face(fonts, i);
  if (!f)
    return QUIRE_EFONT;
  out->gid = S_gid(f, cp);
  out->adv = f->adv[out->gid];
  out->upem = f->upem;
  out->ascender = f->ascender;
  out->descender = f->descender;
  return 0;
}
