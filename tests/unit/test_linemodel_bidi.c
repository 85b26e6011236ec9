/* The line model's bidi levels and glyphs (paint/linemodel.c) against
 * fribidi's own answer. The model skips fribidi for paragraphs that hold
 * no right-to-left or Arabic-number character and no embedding, override
 * or isolate control; this checks that the levels, types, base direction
 * and drawn characters are then exactly what the full fribidi pipeline
 * (types, brackets, levels, Arabic joining and shaping, mirroring) gives:
 * every code point that takes the short way, in a context of letters,
 * digits, spaces and copies of itself, and generated mixes of scripts,
 * numbers, brackets, controls and isolated runs, in both base-direction
 * modes. */
#include "harness.h"
#include "paint/linemodel.h"
#include "template/fontmap.h"

#include <stdlib.h>
#include <string.h>

static const FriBidiCharType S_busy = FRIBIDI_MASK_RTL | FRIBIDI_MASK_ARABIC |
                                      FRIBIDI_MASK_EXPLICIT |
                                      FRIBIDI_MASK_ISOLATE;

static int S_checked, S_bad;

static size_t S_put(char *out, int32_t cp) {
  if (cp < 0x80) {
    out[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (char)(0xC0 | cp >> 6);
    out[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (char)(0xE0 | cp >> 12);
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | cp >> 18);
  out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

/* The model's paragraph of runs against fribidi run over its characters
 * the way the model ran it before it had a short way. */
static void S_check(quire__lm_fonts *fonts, const quire__run *runs,
                    size_t nruns, int ltr, const char *what) {
  quire__para_spec spec = {.runs = runs,
                           .nruns = nruns,
                           .width = 300,
                           .line_height = 14,
                           .ltr = ltr};
  quire__lm_para p;
  int rc = quire__lm_para_new(&p, fonts, &spec);
  if (rc) {
    T_CHECK(0, "%s: quire__lm_para_new: %d", what, rc);
    quire__lm_para_dispose(&p);
    return;
  }
  size_t n = p.nchars;
  FriBidiChar *u = malloc((n + 1) * sizeof *u);
  FriBidiCharType *ty = malloc((n + 1) * sizeof *ty);
  FriBidiBracketType *bt = malloc((n + 1) * sizeof *bt);
  FriBidiArabicProp *ar = malloc((n + 1) * sizeof *ar);
  FriBidiLevel *lev = malloc((n + 1) * sizeof *lev);
  int ok = u && ty && bt && ar && lev;
  FriBidiParType base = FRIBIDI_PAR_LTR;
  if (ok && n) {
    for (size_t k = 0; k < n; k++)
      u[k] = (FriBidiChar)p.chars[k].cp;
    FriBidiStrIndex len = (FriBidiStrIndex)n;
    fribidi_get_bidi_types(u, len, ty);
    fribidi_get_bracket_types(u, len, ty, bt);
    for (size_t k = 0; !ltr && k < n; k++)
      if (FRIBIDI_IS_LETTER(ty[k])) {
        base = FRIBIDI_IS_RTL(ty[k]) ? FRIBIDI_PAR_RTL : FRIBIDI_PAR_LTR;
        break;
      }
    ok = fribidi_get_par_embedding_levels_ex(ty, bt, len, &base, lev) != 0;
    fribidi_get_joining_types(u, len, ar);
    fribidi_join_arabic(ty, len, lev, ar);
    fribidi_shape(FRIBIDI_FLAGS_DEFAULT | FRIBIDI_FLAGS_ARABIC, lev, len, ar,
                  u);
  }
  int same = ok && (p.rtl != 0) == (FRIBIDI_IS_RTL(base) != 0);
  size_t at = 0;
  for (size_t k = 0; same && k < n; k++) {
    const quire__lm_char *c = &p.chars[k];
    at = k;
    same = p.levels[k] == lev[k] && p.types[k] == ty[k];
    if (!same || c->cp == '\t' || (c->flags & QUIRE__LM_NEWLINE))
      continue;
    if (u[k] == FRIBIDI_CHAR_FILL && c->cp != FRIBIDI_CHAR_FILL)
      same = (c->flags & QUIRE__LM_DROP) != 0;
    else if (!(c->flags & QUIRE__LM_DROP) &&
             !(c->cp == 'f' && c->draw >= 0xFB00 && c->draw <= 0xFB04))
      same = c->draw == (int32_t)u[k]; /* (an f may start a ligature) */
  }
  S_checked++;
  if (!same && ++S_bad <= 5)
    T_CHECK(0, "%s (ltr %d): differs from fribidi at char %zu (U+%04X)", what,
            ltr, at, n ? (unsigned)p.chars[at].cp : 0u);
  free(u);
  free(ty);
  free(bt);
  free(ar);
  free(lev);
  quire__lm_para_dispose(&p);
}

static quire__run S_run(const char *text, size_t len, unsigned style) {
  quire__run r;
  memset(&r, 0, sizeof r);
  r.text = text;
  r.len = len;
  r.role = QUIRE__FONT_BODY;
  r.style = style;
  r.size = 10;
  r.color.a = 255;
  return r;
}

/* Every code point that takes the short way, 32 to a paragraph, each as
 * "a<c>1 <c><c><c> (<c>)" so that joining, number and bracket rules
 * see it beside letters, digits, itself and brackets. */
static void S_every_code_point(quire__lm_fonts *fonts) {
  char buf[32 * 32];
  size_t len = 0;
  int in = 0, plain = 0;
  for (int32_t cp = 1; cp <= 0x10FFFF; cp++) {
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp == 'f')
      continue; /* not UTF-8; 'f' starts a ligature (checked elsewhere) */
    if (fribidi_get_bidi_type((FriBidiChar)cp) & S_busy)
      continue; /* takes fribidi's way */
    plain++;
    len += S_put(buf + len, 'a');
    len += S_put(buf + len, cp);
    len += S_put(buf + len, '1');
    len += S_put(buf + len, ' ');
    for (int i = 0; i < 3; i++)
      len += S_put(buf + len, cp);
    len += S_put(buf + len, ' ');
    len += S_put(buf + len, '(');
    len += S_put(buf + len, cp);
    len += S_put(buf + len, ')');
    if (++in == 32 || cp == 0x10FFFF) {
      quire__run r = S_run(buf, len, 0);
      S_check(fonts, &r, 1, 0, "every code point");
      in = 0;
      len = 0;
    }
  }
  if (in) {
    quire__run r = S_run(buf, len, 0);
    S_check(fonts, &r, 1, 0, "every code point");
  }
  T_CHECK(plain > 1000000, "%d code points take the short way", plain);
}

/* Mixes of everything the rules look at, some runs isolated. */
static void S_generated(quire__lm_fonts *fonts) {
  static const int32_t alphabet[] = {
      'a',    'Z',    'f',    'i',    'l',     '1',     '9',    ' ',    ' ',
      '\t',   '\n',   '\r',   '(',    ')',     '[',     ']',    '{',    '}',
      '<',    '>',    '.',    ',',    ':',     '/',     '+',    '-',    '$',
      '%',    '#',    '!',    '"',    0xAD,    0xA0,    0x200B, 0x200D, 0x2060,
      0xFEFF, 0x0301, 0x0300, 0x00E9, 0x03B1,  0x0436,  0x4E2D, 0x3000, 0x2014,
      0x201C, 0x201D, 0x00B2, 0x2212, 0x05D0,  0x05D1,  0x05B4, 0x0627, 0x0644,
      0x0628, 0x064A, 0x0660, 0x0669, 0x06F1,  0x066B,  0x200E, 0x200F, 0x061C,
      0x202A, 0x202B, 0x202C, 0x202D, 0x202E,  0x2066,  0x2067, 0x2068, 0x2069,
      0x1820, 0x1821, 0x07CA, 0x0710, 0x1F600, 0x10900, 0x2329, 0x232A};
  const size_t na = sizeof alphabet / sizeof alphabet[0];
  unsigned long seed = 12345;
  char text[3][256];
  for (int round = 0; round < 20000; round++) {
    quire__run runs[3];
    size_t nruns = 1 + (size_t)(round % 3);
    /* Half the rounds draw from the left-to-right part of the alphabet
     * only (up to U+2212), so that the short way is taken often. */
    size_t limit = round % 2 ? 49 : na;
    for (size_t r = 0; r < nruns; r++) {
      size_t len = 0, count = 1 + (size_t)(round % 23);
      for (size_t i = 0; i < count; i++) {
        seed = seed * 6364136223846793005UL + 1442695040888963407UL;
        len += S_put(text[r] + len, alphabet[(seed >> 33) % limit]);
      }
      seed = seed * 6364136223846793005UL + 1442695040888963407UL;
      runs[r] =
          S_run(text[r], len, (seed >> 40) % 4 == 0 ? QUIRE__RUN_ISOLATE : 0);
    }
    S_check(fonts, runs, nruns, round % 5 == 0, "generated");
  }
}

int main(void) {
  quire_error err;
  quire_error_clear(&err);
  const quire__fontmap *map = NULL;
  static const char *const fams[3] = {"DejaVu Sans", "DejaVu Sans",
                                      "DejaVu Sans Mono"};
  static quire__hfont_paths paths;
  int rc = quire__fontmap_builtin(&map, &err);
  if (!rc)
    rc = quire__hfont_find(&paths, map, fams, NULL, NULL, &err);
  T_CHECK(rc == 0, "fonts: %s", err.message);
  if (rc)
    return T_done("linemodel_bidi");
  quire__lm_fonts fonts;
  quire__lm_fonts_init(&fonts, &paths);
  S_every_code_point(&fonts);
  S_generated(&fonts);
  T_CHECK(S_bad == 0, "%d of %d paragraphs differ from fribidi", S_bad,
          S_checked);
  return T_done("linemodel_bidi");
}
