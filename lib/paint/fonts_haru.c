/* fonts_haru.c - fonts for the libharu engine, by path, no fontconfig.
 *
 * The font map lists candidate paths per family and face; the first
 * that exists and holds TrueType outlines wins. Coverage (which face
 * draws a character) is the line model's: paint/linemodel.c reads each
 * font's cmap once per process. */
#include "paint/fonts_haru.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* ---- embedding ----
 *
 * Each face's file is mapped once per process and never written; a
 * document's subset is built from it with plain copies. Every offset read
 * from the file is checked against the file: it is outside data. */

enum {
  S_T_OS2,
  S_T_CVT,
  S_T_FPGM,
  S_T_GLYF,
  S_T_HEAD,
  S_T_HHEA,
  S_T_HMTX,
  S_T_LOCA,
  S_T_MAXP,
  S_T_POST,
  S_T_PREP,
  S_T_NAME,
  S_NT
};
/* The subset's tables in its directory's (tag) order, then the tables
 * only read here. No cmap (a CIDToGIDMap maps instead) and no name: PDF
 * readers do not need them in an embedded CIDFontType2 program. */
static const char S_tags[S_NT][5] = {"OS/2", "cvt ", "fpgm", "glyf",
                                     "head", "hhea", "hmtx", "loca",
                                     "maxp", "post", "prep", "name"};
#define S_NOUT S_T_NAME
#define S_MAX_PROGS 32

struct quire__hfont_prog {
  char path[QUIRE__HFONT_PATH];
  int index, ok;
  unsigned char *data; /* the file, mapped read-only */
  size_t size;
  size_t off[S_NT], len[S_NT]; /* len 0: absent */
  unsigned upem, nhm, loca_long;
  quire__hfont_desc desc;
};

static pthread_mutex_t S_prog_lock = PTHREAD_MUTEX_INITIALIZER;
static quire__hfont_prog *S_progs[S_MAX_PROGS];
static size_t S_nprogs;

static int S_i16(const unsigned char *p) {
  unsigned v = S_u16(p);
  return v >= 0x8000 ? (int)v - 0x10000 : (int)v;
}
static void S_put16(unsigned char *p, unsigned v) {
  p[0] = (unsigned char)(v >> 8);
  p[1] = (unsigned char)v;
}
static void S_put32(unsigned char *p, unsigned long v) {
  p[0] = (unsigned char)(v >> 24);
  p[1] = (unsigned char)(v >> 16);
  p[2] = (unsigned char)(v >> 8);
  p[3] = (unsigned char)v;
}
/* font units to 1/1000 em, truncated as libharu does */
static int S_em(const quire__hfont_prog *p, int v) {
  return (int)((long)v * 1000 / (long)p->upem);
}

/* Glyph g's bytes [*a, *b) in glyf; 0, or -1 when out of range. */
static int S_glyph(const quire__hfont_prog *p, unsigned g, size_t *a,
                   size_t *b) {
  if (g >= p->desc.nglyphs)
    return -1;
  const unsigned char *l = p->data + p->off[S_T_LOCA];
  size_t o0, o1;
  if (p->loca_long) {
    o0 = S_u32(l + 4 * (size_t)g);
    o1 = S_u32(l + 4 * (size_t)g + 4);
  } else {
    o0 = 2 * (size_t)S_u16(l + 2 * (size_t)g);
    o1 = 2 * (size_t)S_u16(l + 2 * (size_t)g + 2);
  }
  if (o1 < o0 || o1 > p->len[S_T_GLYF])
    return -1;
  *a = o0;
  *b = o1;
  return 0;
}

/* A name record's text (nameID id; Macintosh Roman or Windows UTF-16 of
 * ASCII) into buf, only characters allowed in a PDF name. */
static size_t S_name(const quire__hfont_prog *p, unsigned id, char *buf,
                     size_t cap) {
  size_t tl = p->len[S_T_NAME];
  const unsigned char *t = p->data + p->off[S_T_NAME];
  if (tl < 6)
    return 0;
  unsigned n = S_u16(t + 2), so = S_u16(t + 4);
  for (int want = 0; want < 2; want++)
    for (unsigned i = 0; i < n && 6 + 12 * (size_t)i + 12 <= tl; i++) {
      const unsigned char *r = t + 6 + 12 * (size_t)i;
      unsigned pid = S_u16(r), nid = S_u16(r + 6);
      size_t len = S_u16(r + 8), off = (size_t)so + S_u16(r + 10);
      if (nid != id || off + len > tl || (want == 0 ? pid != 1 : pid != 3))
        continue;
      size_t k = 0, step = pid == 3 ? 2 : 1;
      for (size_t j = pid == 3 ? 1 : 0; j < len && k + 1 < cap; j += step) {
        unsigned char c = t[off + j];
        if (c > 0x20 && c < 0x7f && !strchr("()<>[]{}/%#", c))
          buf[k++] = (char)c;
      }
      buf[k] = '\0';
      if (k)
        return k;
    }
  return 0;
}

static void S_prog_read(quire__hfont_prog *p) {
  int fd = open(p->path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return;
  struct stat st;
  if (fstat(fd, &st) != 0 || st.st_size < 12 ||
      (unsigned long long)st.st_size > (size_t)-1 / 2) {
    close(fd);
    return;
  }
  void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if (m == MAP_FAILED)
    return;
  p->data = m;
  p->size = (size_t)st.st_size;
  const unsigned char *d = p->data;
  size_t dir = 0;
  if (memcmp(d, "ttcf", 4) == 0) {
    if (p->index < 0 || (unsigned long)p->index >= S_u32(d + 8) ||
        16 + 4 * (size_t)p->index > p->size)
      return;
    dir = S_u32(d + 12 + 4 * (size_t)p->index);
  } else if (p->index != 0) {
    return;
  }
  if (dir + 12 > p->size || S_u32(d + dir) != 0x00010000UL)
    return;
  unsigned nt = S_u16(d + dir + 4);
  if (dir + 12 + 16 * (size_t)nt > p->size)
    return;
  for (unsigned i = 0; i < nt; i++) {
    const unsigned char *e = d + dir + 12 + 16 * (size_t)i;
    size_t off = S_u32(e + 8), len = S_u32(e + 12);
    if (off > p->size || len > p->size - off)
      continue;
    for (int k = 0; k < S_NT; k++)
      if (memcmp(e, S_tags[k], 4) == 0) {
        p->off[k] = off;
        p->len[k] = len;
      }
  }
  const unsigned char *head = d + p->off[S_T_HEAD],
                      *hhea = d + p->off[S_T_HHEA],
                      *maxp = d + p->off[S_T_MAXP];
  if (p->len[S_T_HEAD] < 54 || p->len[S_T_HHEA] < 36 || p->len[S_T_MAXP] < 6 ||
      !p->len[S_T_GLYF] || !p->len[S_T_LOCA])
    return;
  p->upem = S_u16(head + 18);
  p->loca_long = S_u16(head + 50) == 1;
  p->nhm = S_u16(hhea + 34);
  quire__hfont_desc *ds = &p->desc;
  ds->nglyphs = S_u16(maxp + 4);
  if (p->upem < 16 || ds->nglyphs == 0 || p->nhm == 0 || p->nhm > ds->nglyphs ||
      p->len[S_T_HMTX] < 4 * (size_t)p->nhm ||
      p->len[S_T_LOCA] < (ds->nglyphs + 1) * (size_t)(p->loca_long ? 4 : 2))
    return;
  int asc = S_i16(hhea + 4), desc = S_i16(hhea + 6);
  ds->ascent_em = (double)asc / p->upem;
  ds->descent_em = (double)(desc < 0 ? -desc : desc) / p->upem;
  ds->ascent = S_em(p, asc);
  ds->descent = S_em(p, desc);
  if (ds->descent > 0)
    ds->descent = -ds->descent;
  for (int k = 0; k < 4; k++)
    ds->bbox[k] = S_em(p, S_i16(head + 36 + 2 * k));
  ds->missing_width = S_em(p, (int)S_u16(d + p->off[S_T_HMTX]));
  ds->flags = 32; /* nonsymbolic */
  if (p->len[S_T_POST] >= 16) {
    const unsigned char *post = d + p->off[S_T_POST];
    ds->italic_angle = S_i16(post + 4);
    if (S_u32(post + 12))
      ds->flags |= 1; /* fixed pitch */
  }
  unsigned mac_style = S_u16(head + 44);
  if (ds->italic_angle || (mac_style & 2))
    ds->flags |= 64; /* italic */
  if (mac_style & 1)
    ds->flags |= 1 << 18; /* force bold, as libharu marked bold faces */
  char ps[64] = "", sub[32] = "";
  if (!S_name(p, 6, ps, sizeof ps))
    snprintf(ps, sizeof ps, "Font");
  /* libharu's names: "DejaVuSans,Book", "DejaVuSans-Bold,Bold", but no
   * ",Regular" */
  if (S_name(p, 2, sub, sizeof sub) && strcmp(sub, "Regular") != 0)
    snprintf(ds->name, sizeof ds->name, "%s,%s", ps, sub);
  else
    snprintf(ds->name, sizeof ds->name, "%s", ps);
  p->ok = 1;
}

const quire__hfont_prog *quire__hfont_prog_get(const quire__hfont_file *file) {
  if (!file || !file->path[0])
    return NULL;
  const quire__hfont_prog *out = NULL;
  pthread_mutex_lock(&S_prog_lock);
  for (size_t i = 0; i < S_nprogs; i++)
    if (S_progs[i]->index == file->index &&
        strcmp(S_progs[i]->path, file->path) == 0) {
      out = S_progs[i];
      break;
    }
  if (!out && S_nprogs < S_MAX_PROGS) {
    quire__hfont_prog *p = quire__calloc(1, sizeof *p);
    if (p) {
      memcpy(p->path, file->path, sizeof p->path);
      p->index = file->index;
      S_prog_read(p);
      if (!p->ok && p->data) { /* kept, unusable, so it is not read again */
        munmap(p->data, p->size);
        p->data = NULL;
      }
      S_progs[S_nprogs++] = p;
      out = p;
    }
  }
  pthread_mutex_unlock(&S_prog_lock);
  return out && out->ok ? out : NULL;
}

const quire__hfont_desc *quire__hfont_prog_desc(const quire__hfont_prog *p) {
  return &p->desc;
}

int quire__hfont_glyph_top(const quire__hfont_prog *p, unsigned gid) {
  size_t a, b;
  if (gid == 0 || S_glyph(p, gid, &a, &b) != 0 || b - a < 10)
    return 0;
  return S_em(p, S_i16(p->data + p->off[S_T_GLYF] + a + 8));
}

/* Calls fn on each component of composite glyph data g[0, n) with the
 * offset of its glyph index; stops at the first malformed record. */
static void S_components(unsigned char *g, size_t n,
                         void (*fn)(unsigned char *at, void *ctx), void *ctx) {
  if (n < 10 || S_i16(g) >= 0)
    return; /* empty or simple */
  size_t at = 10;
  for (int guard = 0; guard < 1024 && at + 4 <= n; guard++) {
    unsigned flags = S_u16(g + at);
    fn(g + at + 2, ctx);
    at += 4 + ((flags & 1) ? 4 : 2);
    if (flags & 8)
      at += 2;
    else if (flags & 0x40)
      at += 4;
    else if (flags & 0x80)
      at += 8;
    if (!(flags & 0x20))
      break;
  }
}

typedef struct S_closure {
  unsigned char *keep;
  unsigned *stack;
  size_t top;
  unsigned nglyphs;
} S_closure;

static void S_keep_component(unsigned char *at, void *ctx) {
  S_closure *c = ctx;
  unsigned g = S_u16(at);
  if (g < c->nglyphs && !c->keep[g]) {
    c->keep[g] = 1;
    c->stack[c->top++] = g;
  }
}

static void S_renumber(unsigned char *at, void *ctx) {
  const uint16_t *newid = ctx;
  S_put16(at, newid[S_u16(at)]);
}

static unsigned long S_checksum(const unsigned char *t, size_t n) {
  unsigned long sum = 0;
  for (size_t i = 0; i + 4 <= n; i += 4)
    sum = (sum + S_u32(t + i)) & 0xFFFFFFFFUL;
  return sum;
}

int quire__hfont_subset(const quire__hfont_prog *p, unsigned char *keep,
                        unsigned char **out, size_t *outlen,
                        uint16_t **newid_out) {
  *out = NULL;
  *outlen = 0;
  *newid_out = NULL;
  unsigned ng = p->desc.nglyphs;
  const unsigned char *d = p->data;
  unsigned *stack = quire__malloc(ng * sizeof *stack);
  uint16_t *newid = quire__calloc(ng, sizeof *newid);
  if (!stack || !newid) {
    free(stack);
    free(newid);
    return QUIRE_ENOMEM;
  }
  /* 1. the glyphs kept: those asked for, .notdef, and every component of
   * a kept composite glyph, to any depth */
  S_closure c = {keep, stack, 0, ng};
  keep[0] = 1;
  for (unsigned g = 0; g < ng; g++)
    if (keep[g])
      stack[c.top++] = g;
  while (c.top > 0) {
    unsigned g = stack[--c.top];
    size_t a, b;
    if (S_glyph(p, g, &a, &b) == 0)
      S_components((unsigned char *)(uintptr_t)(d + p->off[S_T_GLYF] + a),
                   b - a, S_keep_component, &c);
  }
  free(stack);
  /* 2. their new numbers, in the old order, and the tables' sizes */
  unsigned n = 0;
  size_t glyf = 0;
  for (unsigned g = 0; g < ng; g++) {
    size_t a, b;
    if (!keep[g])
      continue;
    newid[g] = (uint16_t)n++;
    if (S_glyph(p, g, &a, &b) == 0)
      glyf += (b - a + 3) & ~(size_t)3;
  }
  size_t len[S_NOUT];
  for (int k = 0; k < S_NOUT; k++)
    len[k] = p->len[k];
  len[S_T_GLYF] = glyf;
  len[S_T_LOCA] = 4 * ((size_t)n + 1);
  len[S_T_HMTX] = 4 * (size_t)n;
  if (len[S_T_POST] >= 32)
    len[S_T_POST] = 32; /* version 3: no glyph names */
  else
    len[S_T_POST] = 0;
  int nt = 0;
  size_t total = 0;
  for (int k = 0; k < S_NOUT; k++)
    if (len[k]) {
      nt++;
      total += (len[k] + 3) & ~(size_t)3;
    }
  size_t dirlen = 12 + 16 * (size_t)nt;
  unsigned char *f = quire__calloc(1, dirlen + total);
  if (!f) {
    free(newid);
    return QUIRE_ENOMEM;
  }
  /* 3. the tables */
  size_t at = dirlen, ti = 0;
  unsigned es = 0;
  while ((2u << es) <= (unsigned)nt)
    es++;
  S_put32(f, 0x00010000UL);
  S_put16(f + 4, (unsigned)nt);
  S_put16(f + 6, 16u << es);
  S_put16(f + 8, es);
  S_put16(f + 10, (unsigned)nt * 16 - (16u << es));
  size_t head_at = 0;
  for (int k = 0; k < S_NOUT; k++) {
    if (!len[k])
      continue;
    unsigned char *t = f + at;
    if (k == S_T_GLYF || k == S_T_LOCA || k == S_T_HMTX) {
      const unsigned char *src = d + p->off[S_T_GLYF];
      const unsigned char *hm = d + p->off[S_T_HMTX];
      size_t hmlen = p->len[S_T_HMTX], go = 0;
      unsigned j = 0;
      for (unsigned g = 0; g < ng; g++) {
        if (!keep[g])
          continue;
        size_t a = 0, b = 0;
        if (S_glyph(p, g, &a, &b) != 0)
          a = b = 0;
        if (k == S_T_GLYF) {
          memcpy(t + go, src + a, b - a);
          S_components(t + go, b - a, S_renumber, newid);
          go += (b - a + 3) & ~(size_t)3;
        } else if (k == S_T_LOCA) {
          S_put32(t + 4 * (size_t)j, go);
          go += (b - a + 3) & ~(size_t)3;
          if (j + 1 == n)
            S_put32(t + 4 * (size_t)n, go);
        } else {
          unsigned m = g < p->nhm ? g : p->nhm - 1;
          size_t lsb = g < p->nhm
                           ? 4 * (size_t)g + 2
                           : 4 * (size_t)p->nhm + 2 * (size_t)(g - p->nhm);
          S_put16(t + 4 * (size_t)j, S_u16(hm + 4 * (size_t)m));
          S_put16(t + 4 * (size_t)j + 2,
                  lsb + 2 <= hmlen ? S_u16(hm + lsb) : 0);
        }
        j++;
      }
    } else {
      memcpy(t, d + p->off[k], len[k]);
      if (k == S_T_HEAD) {
        head_at = at;
        S_put32(t + 8, 0);  /* checkSumAdjustment, set below */
        S_put16(t + 50, 1); /* long loca */
      } else if (k == S_T_HHEA) {
        S_put16(t + 34, n);
      } else if (k == S_T_MAXP) {
        S_put16(t + 4, n);
      } else if (k == S_T_POST) {
        S_put32(t, 0x00030000UL);
      }
    }
    unsigned char *e = f + 12 + 16 * ti++;
    memcpy(e, S_tags[k], 4);
    S_put32(e + 4, S_checksum(t, (len[k] + 3) & ~(size_t)3));
    S_put32(e + 8, at);
    S_put32(e + 12, len[k]);
    at += (len[k] + 3) & ~(size_t)3;
  }
  S_put32(f + head_at + 8,
          (0xB1B0AFBAUL - S_checksum(f, dirlen + total)) & 0xFFFFFFFFUL);
  *out = f;
  *outlen = dirlen + total;
  *newid_out = newid;
  return 0;
}
