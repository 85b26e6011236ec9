/* fonts_haru.c - fonts for the libharu engine, by path, no fontconfig.
 *
 * The font map lists candidate paths per family and face; the first
 * that exists and holds TrueType outlines wins. Coverage (which face
 * draws a character) is the line model's: paint/linemodel.c reads each
 * font's cmap once per process. */
#include "paint/fonts_haru.h"

#include <hpdf.h>
#include <hpdf_fontdef.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned S_u16(const unsigned char *p) {
  return ((unsigned)p[0] << 8) | p[1];
}
static unsigned long S_u32(const unsigned char *p) {
  return ((unsigned long)p[0] << 24) | ((unsigned long)p[1] << 16) |
         ((unsigned long)p[2] << 8) | p[3];
}

static int S_read_at(FILE *fp, long off, void *buf, size_t len) {
  if (off < 0 || fseek(fp, off, SEEK_SET) != 0)
    return -1;
  return fread(buf, 1, len, fp) == len ? 0 : -1;
}

/* Finds table `tag` of face `index`; *is_tt tells whether the face has
 * TrueType outlines. Returns 0 and offset/length, or -1. */
static int S_find_table(FILE *fp, int index, const char *tag,
                        unsigned long *off, unsigned long *len, int *is_tt) {
  unsigned char h[12];
  long base = 0;
  if (S_read_at(fp, 0, h, 12) != 0)
    return -1;
  if (memcmp(h, "ttcf", 4) == 0) {
    unsigned char o[4];
    unsigned long n = S_u32(h + 8);
    if (index < 0 || (unsigned long)index >= n)
      return -1;
    if (S_read_at(fp, 12 + 4L * index, o, 4) != 0)
      return -1;
    base = (long)S_u32(o);
    if (S_read_at(fp, base, h, 12) != 0)
      return -1;
  } else if (index != 0) {
    return -1;
  }
  /* 'OTTO' is CFF, which libharu 2.3.0 cannot load. */
  *is_tt = S_u32(h) == 0x00010000UL || memcmp(h, "true", 4) == 0;
  unsigned ntables = S_u16(h + 4);
  int found = -1, glyf = 0;
  for (unsigned i = 0; i < ntables; i++) {
    unsigned char e[16];
    if (S_read_at(fp, base + 12 + 16L * (long)i, e, 16) != 0)
      return -1;
    if (memcmp(e, "glyf", 4) == 0)
      glyf = 1;
    if (memcmp(e, tag, 4) == 0) {
      *off = S_u32(e + 8);
      *len = S_u32(e + 12);
      found = 0;
    }
  }
  *is_tt = *is_tt && glyf;
  return found;
}

int quire__hfont_usable(const char *path, int index) {
  FILE *fp = fopen(path, "rb");
  if (!fp)
    return 0;
  unsigned long off, len;
  int is_tt = 0;
  int rc = S_find_table(fp, index, "cmap", &off, &len, &is_tt);
  fclose(fp);
  return rc == 0 && is_tt;
}

int quire__hfont_vmetrics(double *ascent, double *descent, const char *path,
                          int index) {
  FILE *fp = fopen(path, "rb");
  if (!fp)
    return QUIRE_EFONT;
  unsigned long hoff, hlen, aoff, alen;
  unsigned char head[20], hhea[8];
  int is_tt = 0, rc = QUIRE_EFONT;
  if (S_find_table(fp, index, "head", &hoff, &hlen, &is_tt) == 0 &&
      S_find_table(fp, index, "hhea", &aoff, &alen, &is_tt) == 0 &&
      hlen >= 20 && alen >= 8 && S_read_at(fp, (long)hoff, head, 20) == 0 &&
      S_read_at(fp, (long)aoff, hhea, 8) == 0) {
    unsigned upem = S_u16(head + 18);
    int asc = (int)S_u16(hhea + 4), desc = (int)S_u16(hhea + 6);
    if (asc >= 0x8000)
      asc -= 0x10000;
    if (desc >= 0x8000)
      desc -= 0x10000;
    if (upem >= 16) {
      *ascent = (double)asc / upem;
      *descent = (double)(desc < 0 ? -desc : desc) / upem;
      rc = 0;
    }
  }
  fclose(fp);
  return rc;
}

/* The first existing TrueType-outline file among a font map path list. */
static int S_pick(quire__hfont_file *out, const quire__font_paths *list) {
  out->path[0] = '\0';
  out->index = 0;
  for (size_t i = 0; i < list->n; i++) {
    const char *p = list->v[i];
    size_t n = strlen(p);
    if (n == 0 || n >= sizeof out->path)
      continue;
    if (quire__hfont_usable(p, 0)) {
      memcpy(out->path, p, n + 1);
      return 1;
    }
  }
  return 0;
}

static void S_copy(char *dst, size_t dstsz, const char *src) {
  size_t n = strlen(src);
  if (n >= dstsz)
    n = dstsz - 1;
  memcpy(dst, src, n);
  dst[n] = '\0';
}

int quire__hfont_find(quire__hfont_paths *out, const quire__fontmap *map,
                      const char *const families[3], quire_warn_fn warn,
                      void *warn_payload, quire_error *err) {
  memset(out, 0, sizeof *out);
  for (int role = 0; role < QUIRE__HFONT_ROLES; role++) {
    const char *want = families ? families[role] : NULL;
    const quire__font_family *chosen = NULL, *first_installed = NULL;
    for (size_t i = 0; i < map->nfamilies; i++) {
      const quire__font_family *fam = &map->families[i];
      quire__hfont_file probe;
      if (!S_pick(&probe, &fam->faces[0]))
        continue;
      if (!first_installed)
        first_installed = fam;
      if (want && strcmp(want, fam->name) == 0)
        chosen = fam;
    }
    if (!first_installed)
      return quire__error_set(
          err, QUIRE_EFONT,
          "no font from fonts/fontmap.json is installed (install "
          "fonts-dejavu-core)");
    if (!chosen) {
      chosen = first_installed;
      if (want && warn) {
        char msg[256];
        snprintf(msg, sizeof msg,
                 "font family \"%s\" is not installed; using \"%s\"", want,
                 chosen->name);
        warn(msg, warn_payload);
      }
    }
    /* A mono role asked for a proportional family is the theme's call; we
     * only make sure every face exists, falling back to regular. */
    S_copy(out->family[role], sizeof out->family[role], chosen->name);
    S_pick(&out->face[role][0], &chosen->faces[0]);
    for (int f = 1; f < QUIRE__HFONT_FACES; f++)
      if (!S_pick(&out->face[role][f], &chosen->faces[f]))
        out->face[role][f] = out->face[role][0];
  }
  for (size_t i = 0; i < map->nfallbacks; i++) {
    if (out->nfallback >= QUIRE__HFONT_FALLBACKS)
      break;
    quire__hfont_file *f = &out->fallback[out->nfallback];
    if (!S_pick(f, &map->fallbacks[i].faces[0]))
      continue;
    S_copy(out->fallback_family[out->nfallback], sizeof out->fallback_family[0],
           map->fallbacks[i].name);
    out->nfallback++;
  }
  return 0;
}

/* ---- libharu's glyph lookup ----
 *
 * libharu 2.3.0 builds every UTF-8 font's widths and CIDToGIDMap by asking
 * HPDF_TTFontDef_GetGlyphid for all 65,536 BMP code points, and that
 * function walks the cmap's segments one by one: with DejaVu's ~700
 * segments that was 45% of a haru render's instructions (callgrind, a
 * 3-page report: 140 of 310 million), in every render, for every face.
 * This definition takes its place in the process (libharu calls it
 * through its PLT, so the executable's or libquire's definition wins; a
 * libharu linked with -Bsymbolic keeps its own, slower, and the output
 * is the same). It gives libharu's answer for every input, found by
 * binary search on the segments' end codes, which the TrueType format
 * requires in ascending order, as libharu's own search_range fields
 * assume. test_haru_glyphid compares it with libharu's for every BMP code
 * point of every mapped font. */
__attribute__((visibility("default"))) HPDF_UINT16
HPDF_TTFontDef_GetGlyphid(HPDF_FontDef fontdef, HPDF_UINT16 unicode) {
  HPDF_TTFontDefAttr attr = (HPDF_TTFontDefAttr)fontdef->attr;
  const HPDF_TTF_CmapRange *c = &attr->cmap;
  if (c->format == 0)
    return c->glyph_id_array[unicode & 0xFF];
  if (c->seg_count_x2 == 0) {
    HPDF_SetError(fontdef->error, HPDF_TTF_INVALID_CMAP, 0);
    return 0;
  }
  size_t nseg = c->seg_count_x2 / 2u, lo = 0, hi = nseg;
  /* The first segment whose end is at or past unicode. */
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (c->end_count[mid] < unicode)
      lo = mid + 1;
    else
      hi = mid;
  }
  /* No segment ends past it: libharu reads one past the table here; a
   * valid cmap's last segment ends at 0xFFFF, so only a broken one gets
   * here, and it gets "no glyph". */
  if (lo == nseg || c->start_count[lo] > unicode)
    return 0;
  if (c->id_range_offset[lo] == 0)
    return (HPDF_UINT16)(unicode + c->id_delta[lo]);
  size_t idx = c->id_range_offset[lo] / 2u +
               (size_t)(unicode - c->start_count[lo]) - (nseg - lo);
  /* libharu tests idx > count, reading one past the array at idx ==
   * count; that element does not exist, so it is "no glyph" here. */
  if (idx >= c->glyph_id_array_count)
    return 0;
  return (HPDF_UINT16)(c->glyph_id_array[idx] + c->id_delta[lo]);
}
