#include "paint/pdf_catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* An object larger than this (a font or page stream) cannot be the catalog:
 * stop keeping it and wait for the next header. */
#define S_TAIL_MAX (1u << 20)

static const char S_hdr[] = " 0 obj\n";

/* memmem is a GNU extension; this is the only search the file needs. */
static const char *S_find(const char *s, size_t n, const char *w, size_t wn) {
  if (wn == 0 || n < wn)
    return NULL;
  for (const char *p = s, *last = s + n - wn; p <= last; p++) {
    p = memchr(p, w[0], (size_t)(last - p) + 1);
    if (!p)
      return NULL;
    if (memcmp(p, w, wn) == 0)
      return p;
  }
  return NULL;
}

void quire__pdf_catalog_init(quire__pdf_catalog *c) {
  memset(c, 0, sizeof *c);
  quire_buf_init(&c->tail, 0);
  quire_buf_init(&c->whole, 0);
}

void quire__pdf_catalog_dispose(quire__pdf_catalog *c) {
  quire_buf_dispose(&c->tail);
  quire_buf_dispose(&c->whole);
  for (size_t i = 0; i < c->nalt; i++)
    free(c->alts[i]);
  free(c->alts);
  memset(c, 0, sizeof *c);
}

/* Start of the "N 0 obj\n" header whose " 0 obj\n" ends at p+len in s:
 * back over the digits of N. */
static size_t S_header_start(const char *s, size_t at) {
  while (at > 0 && s[at - 1] >= '0' && s[at - 1] <= '9')
    at--;
  return at;
}

/* Follows the object headers through data, the next bytes of the PDF (a
 * chunk as written, or all that was kept at once). */
static void S_feed_tail(quire__pdf_catalog *c, const void *data, size_t len) {
  const char *d = data;
  /* A header split across two chunks: look in carry + head of this one. */
  size_t restart = (size_t)-1; /* offset in d where a new tail begins */
  if (c->ncarry) {
    char joint[32];
    size_t head = len < 15 ? len : 15;
    memcpy(joint, c->carry, c->ncarry);
    memcpy(joint + c->ncarry, d, head);
    size_t jl = c->ncarry + head;
    for (size_t i = 0; i + sizeof S_hdr - 1 <= jl; i++) {
      if (memcmp(joint + i, S_hdr, sizeof S_hdr - 1) == 0 &&
          i + sizeof S_hdr - 1 > c->ncarry) {
        /* The digits may sit in the carry: the tail restarts with them. */
        size_t st = S_header_start(joint, i);
        quire_buf_clear(&c->tail);
        c->overflow = 0;
        if (st < c->ncarry)
          quire_buf_put(&c->tail, joint + st, c->ncarry - st);
        restart = 0;
      }
    }
  }
  /* The last header wholly inside this chunk wins. */
  const char *p = d, *end = d + len, *last = NULL;
  while (p < end) {
    const char *m = S_find(p, (size_t)(end - p), S_hdr, sizeof S_hdr - 1);
    if (!m)
      break;
    last = m;
    p = m + 1;
  }
  if (last) {
    size_t st = S_header_start(d, (size_t)(last - d));
    quire_buf_clear(&c->tail);
    c->overflow = 0;
    restart = st;
  }
  if (restart == (size_t)-1)
    restart = 0;
  if (!c->overflow) {
    if (c->tail.size + (len - restart) > S_TAIL_MAX) {
      c->overflow = 1;
      quire_buf_clear(&c->tail);
    } else {
      quire_buf_put(&c->tail, d + restart, len - restart);
    }
  }
  /* Keep the last bytes for a header that straddles the next boundary. */
  if (len >= sizeof c->carry - 1) {
    c->ncarry = sizeof c->carry - 1;
    memcpy(c->carry, d + len - c->ncarry, c->ncarry);
  } else {
    size_t keep = c->ncarry + len > sizeof c->carry - 1
                      ? sizeof c->carry - 1 - len
                      : c->ncarry;
    memmove(c->carry, c->carry + c->ncarry - keep, keep);
    memcpy(c->carry + keep, d, len);
    c->ncarry = keep + len;
  }
}

static int S_lang_ok(const char *s) {
  size_t n = s ? strlen(s) : 0;
  if (n == 0 || n > 35)
    return 0;
  for (size_t i = 0; i < n; i++) {
    char ch = s[i];
    if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
          (ch >= '0' && ch <= '9') || ch == '-'))
      return 0;
  }
  return 1;
}

/* The unsigned number after key in s (before limit), or -1. */
static long long S_number_after(const char *s, const char *limit,
                                const char *key) {
  const char *k = S_find(s, (size_t)(limit - s), key, strlen(key));
  if (!k)
    return -1;
  k += strlen(key);
  while (k < limit && (*k == ' ' || *k == '\n' || *k == '\r'))
    k++;
  if (k >= limit || *k < '0' || *k > '9')
    return -1;
  return strtoll(k, NULL, 10);
}

static int S_update(quire__pdf_catalog *c, const char *lang, quire__out *out) {
  if (c->overflow || quire_buf_failed(&c->tail) || c->tail.size == 0)
    return 0;
  /* NUL-terminate a copy's worth: the tail is text from here on. */
  if (quire_buf_putc(&c->tail, '\0'))
    return 0;
  const char *t = c->tail.ptr, *end = t + c->tail.size - 1;
  long long num = strtoll(t, NULL, 10);
  const char *open = strstr(t, S_hdr);
  const char *endobj = strstr(t, "\nendobj");
  const char *trailer = strstr(t, "\ntrailer");
  const char *sx = strstr(t, "\nstartxref");
  if (num <= 0 || !open || !endobj || !trailer || !sx || endobj > trailer ||
      trailer > sx)
    return 0;
  const char *dict = open + sizeof S_hdr - 1;
  const char *dend = endobj;
  while (dend > dict && (dend[-1] == ' ' || dend[-1] == '\n'))
    dend--;
  if (strncmp(dict, "<< /Type /Catalog", 17) != 0 || dend - dict < 4 ||
      strncmp(dend - 2, ">>", 2) != 0)
    return 0;
  long long size = S_number_after(trailer, sx, "/Size");
  long long info = S_number_after(trailer, sx, "/Info");
  long long prev = S_number_after(sx, end, "startxref");
  if (size <= num || prev <= 0)
    return 0;
  /* What cairo already wrote is kept; only what it lacks is added. */
  size_t inner = (size_t)(dend - 2 - dict);
  int has_lang = S_find(dict, inner, "/Lang", 5) != NULL;
  int has_mode = S_find(dict, inner, "/PageMode", 9) != NULL;
  int outlines = S_find(dict, inner, "/Outlines", 9) != NULL;
  int add_lang = !has_lang && S_lang_ok(lang);
  int add_mode = !has_mode && outlines;
  if (!add_lang && !add_mode)
    return 0;
  quire_buf u = QUIRE_BUF_INIT;
  unsigned long long at = c->size;
  quire_buf_printf(&u, "%lld 0 obj\n", num);
  quire_buf_put(&u, dict, inner);
  if (add_lang)
    quire_buf_printf(&u, "   /Lang (%s)\n", lang);
  if (add_mode)
    quire_buf_puts(&u, "   /PageMode /UseOutlines\n");
  quire_buf_puts(&u, ">>\nendobj\n");
  unsigned long long xref = at + u.size;
  quire_buf_printf(&u, "xref\n%lld 1\n%010llu 00000 n \n", num, at);
  quire_buf_printf(&u, "trailer\n<< /Size %lld\n   /Root %lld 0 R\n", size,
                   num);
  if (info > 0)
    quire_buf_printf(&u, "   /Info %lld 0 R\n", info);
  quire_buf_printf(&u, "   /Prev %lld\n>>\nstartxref\n%llu\n%%%%EOF\n", prev,
                   xref);
  int ok = !quire_buf_failed(&u);
  if (ok)
    quire__out_write(out, u.ptr, u.size);
  quire_buf_dispose(&u);
  return ok && !out->err;
}

/* ---- the rewrite: every object that is not a stream into object streams */

/* Up to this many bytes the PDF is kept whole and rewritten; beyond it, it
 * passes through and only the catalog update is appended. */
#define S_WHOLE_MAX ((size_t)32 << 20)
/* Objects per object stream: a reader inflates one stream to reach one
 * object, so not all of a long document's in one. */
#define S_OBJSTM_N 400

typedef struct S_obj {
  size_t off, end;   /* "N 0 obj" .. after "endobj" in the old file */
  size_t body, bend; /* the object itself, trimmed */
  int used, stream;
  size_t nstm, idx; /* packed: which object stream, at which index */
  size_t noff;      /* copied: offset in the new file */
} S_obj;

static int S_ws(char ch) {
  return ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t' || ch == '\f' ||
         ch == '\0';
}

/* Past the dictionary at p (which starts with "<<"), or NULL: nested
 * dictionaries, arrays, literal strings with escapes and nesting, hex
 * strings. */
static const char *S_skip_dict(const char *p, const char *end) {
  int depth = 0;
  while (p < end) {
    if (*p == '(') {
      int n = 1;
      for (p++; p < end && n; p++) {
        if (*p == '\\')
          p++;
        else if (*p == '(')
          n++;
        else if (*p == ')')
          n--;
      }
      continue;
    }
    if (*p == '<' && p + 1 < end && p[1] == '<') {
      depth++;
      p += 2;
      continue;
    }
    if (*p == '>' && p + 1 < end && p[1] == '>') {
      p += 2;
      if (--depth == 0)
        return p;
      continue;
    }
    if (*p == '<') {
      const char *q = memchr(p, '>', (size_t)(end - p));
      if (!q)
        return NULL;
      p = q + 1;
      continue;
    }
    p++;
  }
  return NULL;
}

static int S_cmp_off(const void *a, const void *b) {
  const S_obj *x = *(S_obj *const *)a, *y = *(S_obj *const *)b;
  return x->off < y->off ? -1 : x->off > y->off;
}

/* alt as a PDF text string: literal when printable ASCII, else UTF-16BE
 * with its byte order mark, in hex. */
static void S_text_string(quire_buf *u, const char *s) {
  int ascii = 1;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (*p < 0x20 || *p > 0x7e)
      ascii = 0;
  if (ascii) {
    quire_buf_putc(u, '(');
    for (const char *p = s; *p; p++) {
      if (*p == '(' || *p == ')' || *p == '\\')
        quire_buf_putc(u, '\\');
      quire_buf_putc(u, *p);
    }
    quire_buf_putc(u, ')');
    return;
  }
  quire_buf_puts(u, "<FEFF");
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    unsigned cp;
    int n = (*p < 0x80) ? 1 : (*p >> 5) == 6 ? 2 : (*p >> 4) == 14 ? 3 : 4;
    cp = n == 1 ? *p : n == 2 ? *p & 0x1f : n == 3 ? *p & 0x0f : *p & 0x07;
    int k = 1;
    for (; k < n && (p[k] & 0xc0) == 0x80; k++)
      cp = (cp << 6) | (p[k] & 0x3f);
    p += k;
    if (k < n || cp > 0x10ffff)
      cp = 0xfffd; /* the text policy has run; never expected */
    if (cp >= 0x10000) {
      cp -= 0x10000;
      quire_buf_printf(u, "%04X%04X", 0xd800 + (cp >> 10),
                       0xdc00 + (cp & 0x3ff));
    } else {
      quire_buf_printf(u, "%04X", cp);
    }
  }
  quire_buf_putc(u, '>');
}

/* The object's text, with the entries added before its closing ">>". */
static void S_put_body(quire_buf *u, const char *b, size_t n, const char *add) {
  if (!add || !*add || n < 2 || memcmp(b + n - 2, ">>", 2) != 0) {
    quire_buf_put(u, b, n);
    return;
  }
  quire_buf_put(u, b, n - 2);
  quire_buf_puts(u, add);
  quire_buf_puts(u, ">>");
}

/* zlib's default level (6), the one cairo deflates its own streams at.
 * Measured on the whole CLI (callgrind, cairo PDF of the 12 samples, and
 * bytes of the samples and 150 generated reports): level 9 1,167.2 M
 * instructions, 627,372 B and 7,586,568 B; level 6 1,129.4 M (-3.2 %),
 * +0.33 % and +0.30 % bytes; level 1 1,106.4 M, +2.1 % and +2.0 %. From 9
 * to 6 a byte costs 18,000 instructions to save, from 6 to 1 about 2,000:
 * below 6 the text of the object streams grows for little time. */
#define S_LEVEL 6

static int S_deflate(quire_buf *out, const char *s, size_t n) {
  uLongf cap = compressBound((uLong)n);
  if (quire_buf_grow(out, (size_t)cap))
    return -1;
  if (compress2((Bytef *)out->ptr + out->size, &cap, (const Bytef *)s, (uLong)n,
                S_LEVEL) != Z_OK)
    return -1;
  out->size += cap;
  return 0;
}

/* The whole of cairo's PDF in c->whole, rewritten into u. Returns 1 when
 * done, 0 when the file is not what cairo writes (u is then left as it
 * was: the caller keeps the file and appends the catalog update). */
static int S_rewrite(quire__pdf_catalog *c, const char *lang, quire_buf *u) {
  const char *d = c->whole.ptr;
  size_t n = c->whole.size;
  if (n < 64 || memcmp(d, "%PDF-1.", 7) != 0 || d[7] < '5' || d[7] > '9')
    return 0;
  /* startxref N at the end, a classic table there, then the trailer */
  const char *sx = NULL;
  for (size_t i = n > 64 ? n - 64 : 0; i + 10 <= n; i++)
    if (memcmp(d + i, "startxref\n", 10) == 0)
      sx = d + i;
  if (!sx)
    return 0;
  unsigned long long xoff = strtoull(sx + 10, NULL, 10);
  if (xoff == 0 || xoff >= (unsigned long long)(sx - d) ||
      memcmp(d + xoff, "xref\n0 ", 7) != 0)
    return 0;
  char *e;
  unsigned long long size = strtoull(d + xoff + 7, &e, 10);
  if (*e != '\n' || size < 2 || size > (1u << 22) ||
      (size_t)(sx - d) - xoff < size * 20 + 8)
    return 0;
  const char *ent = e + 1;
  const char *tr = ent + size * 20;
  if ((size_t)(sx - tr) < 9 || memcmp(tr, "trailer\n", 8) != 0)
    return 0;
  /* Only what cairo 1.16 writes in its trailer: /Size, /Root, /Info. */
  long long tsize = S_number_after(tr, sx, "/Size");
  long long root = S_number_after(tr, sx, "/Root");
  long long info = S_number_after(tr, sx, "/Info");
  if (tsize != (long long)size || root <= 0 || root >= tsize || info >= tsize ||
      S_find(tr, (size_t)(sx - tr), "/Encrypt", 8) ||
      S_find(tr, (size_t)(sx - tr), "/ID", 3) ||
      S_find(tr, (size_t)(sx - tr), "/Prev", 5))
    return 0;
  S_obj *o = calloc(size, sizeof *o);
  S_obj **by = calloc(size, sizeof *by);
  char **add = calloc(size, sizeof *add);
  int ok = o && by && add;
  size_t nused = 0;
  for (size_t i = 1; ok && i < size; i++) {
    const char *r = ent + i * 20;
    if (r[17] == 'f')
      continue;
    if (r[17] != 'n' || memcmp(r + 10, " 00000 ", 7) != 0) {
      ok = 0;
      break;
    }
    o[i].off = strtoull(r, NULL, 10);
    o[i].used = 1;
    if (o[i].off < 9 || o[i].off >= xoff)
      ok = 0;
    by[nused++] = &o[i];
  }
  if (!ok || nused == 0)
    goto out;
  qsort(by, nused, sizeof *by, S_cmp_off);
  size_t first = by[0]->off;
  for (size_t k = 0; ok && k < nused; k++) {
    S_obj *b = by[k];
    size_t num = (size_t)(b - o);
    size_t end = k + 1 < nused ? by[k + 1]->off : xoff;
    char hdr[32];
    int hl = snprintf(hdr, sizeof hdr, "%zu 0 obj\n", num);
    if (end - b->off < (size_t)hl + 7 || memcmp(d + b->off, hdr, hl) != 0) {
      ok = 0;
      break;
    }
    size_t t = end;
    while (t > b->off && S_ws(d[t - 1]))
      t--;
    if (t - b->off < (size_t)hl + 6 || memcmp(d + t - 6, "endobj", 6) != 0) {
      ok = 0;
      break;
    }
    b->end = end;
    b->body = b->off + hl;
    b->bend = t - 6;
    while (b->bend > b->body && S_ws(d[b->bend - 1]))
      b->bend--;
    while (b->body < b->bend && S_ws(d[b->body]))
      b->body++;
    const char *bp = d + b->body, *be = d + b->bend;
    if (be - bp >= 2 && bp[0] == '<' && bp[1] == '<') {
      const char *q = S_skip_dict(bp, be);
      if (!q) {
        ok = 0;
        break;
      }
      while (q < be && S_ws(*q))
        q++;
      if (q < be) {
        if (be - q < 6 || memcmp(q, "stream", 6) != 0) {
          ok = 0;
          break;
        }
        b->stream = 1;
      }
    }
  }
  if (!ok)
    goto out;
  /* What cairo cannot write: the catalog's /Lang and /PageMode, and each
   * Figure's /Alt, the k-th Figure element (in cairo's numbering, which is
   * the order the tags were opened) getting the k-th text. */
  S_obj *cat = &o[root];
  if (!cat->used || cat->stream || cat->bend - cat->body < 4 ||
      memcmp(d + cat->body, "<< /Type /Catalog", 17) != 0)
    goto out;
  {
    const char *cb = d + cat->body;
    size_t cn = cat->bend - cat->body;
    quire_buf a = QUIRE_BUF_INIT;
    if (!S_find(cb, cn, "/Lang", 5) && S_lang_ok(lang))
      quire_buf_printf(&a, "   /Lang (%s)\n", lang);
    if (!S_find(cb, cn, "/PageMode", 9) && S_find(cb, cn, "/Outlines", 9))
      quire_buf_puts(&a, "   /PageMode /UseOutlines\n");
    if (quire_buf_failed(&a)) {
      quire_buf_dispose(&a);
      goto out;
    }
    add[root] = a.size ? quire_buf_detach(&a, NULL) : NULL;
    quire_buf_dispose(&a);
  }
  static const char fig[] = "<< /Type /StructElem\n   /S /Figure\n";
  size_t nfig = 0;
  for (size_t i = 1; i < size; i++)
    if (o[i].used && !o[i].stream && o[i].bend - o[i].body >= sizeof fig - 1 &&
        memcmp(d + o[i].body, fig, sizeof fig - 1) == 0 &&
        !S_find(d + o[i].body, o[i].bend - o[i].body, "/Alt", 4))
      nfig++;
  /* A count that does not match says the order cannot be trusted: no
   * figure gets a text then, rather than a wrong one. */
  if (nfig == c->nalt) {
    size_t k = 0;
    for (size_t i = 1; i < size && k < c->nalt; i++) {
      if (!o[i].used || o[i].stream || o[i].bend - o[i].body < sizeof fig - 1 ||
          memcmp(d + o[i].body, fig, sizeof fig - 1) != 0 ||
          S_find(d + o[i].body, o[i].bend - o[i].body, "/Alt", 4))
        continue;
      quire_buf a = QUIRE_BUF_INIT;
      quire_buf_puts(&a, "   /Alt ");
      S_text_string(&a, c->alts[k++]);
      quire_buf_putc(&a, '\n');
      add[i] = quire_buf_failed(&a) ? NULL : quire_buf_detach(&a, NULL);
      quire_buf_dispose(&a);
    }
  }
  /* The new file: cairo's header, its streams as they were, then the
   * object streams, then a cross-reference stream. */
  size_t u0 = u->size;
  quire_buf_put(u, d, first);
  size_t npack = 0;
  for (size_t k = 0; k < nused; k++) {
    S_obj *b = by[k];
    if (b->stream) {
      b->noff = u->size - u0;
      quire_buf_put(u, d + b->off, b->end - b->off);
    }
  }
  /* Packed in number order: the xref entry's index is the position in
   * its object stream, which readers such as poppler trust. */
  for (size_t i = 1; i < size; i++) {
    if (o[i].used && !o[i].stream) {
      o[i].nstm = npack / S_OBJSTM_N;
      o[i].idx = npack % S_OBJSTM_N;
      npack++;
    }
  }
  size_t nstm = (npack + S_OBJSTM_N - 1) / S_OBJSTM_N;
  size_t *stm_off = calloc(nstm + 1, sizeof *stm_off);
  quire_buf head = QUIRE_BUF_INIT, objs = QUIRE_BUF_INIT, z = QUIRE_BUF_INIT;
  ok = stm_off != NULL;
  for (size_t s = 0; ok && s < nstm; s++) {
    quire_buf_clear(&head);
    quire_buf_clear(&objs);
    quire_buf_clear(&z);
    size_t cnt = 0;
    for (size_t i = 1; i < size; i++) {
      if (!o[i].used || o[i].stream || o[i].nstm != s)
        continue;
      quire_buf_printf(&head, "%zu %zu ", i, objs.size);
      S_put_body(&objs, d + o[i].body, o[i].bend - o[i].body, add[i]);
      quire_buf_putc(&objs, '\n');
      cnt++;
    }
    quire_buf_put(&head, objs.ptr, objs.size);
    if (quire_buf_failed(&head) || quire_buf_failed(&objs) ||
        S_deflate(&z, head.ptr, head.size)) {
      ok = 0;
      break;
    }
    stm_off[s] = u->size - u0;
    quire_buf_printf(u,
                     "%llu 0 obj\n<< /Type /ObjStm /N %zu /First %zu "
                     "/Filter /FlateDecode /Length %zu >>\nstream\n",
                     size + s, cnt, head.size - objs.size, z.size);
    quire_buf_put(u, z.ptr, z.size);
    quire_buf_puts(u, "\nendstream\nendobj\n");
  }
  if (ok) {
    /* Entries: type (1 byte), offset or object stream (4), generation or
     * index (2). */
    unsigned long long xnum = size + nstm, xat = u->size - u0;
    quire_buf_clear(&head);
    for (unsigned long long i = 0; i <= xnum; i++) {
      unsigned char r[7] = {0};
      unsigned long long f2 = 0, f3 = 0;
      if (i == 0) {
        f3 = 65535;
      } else if (i < size && o[i].used && o[i].stream) {
        r[0] = 1, f2 = o[i].noff;
      } else if (i < size && o[i].used) {
        r[0] = 2, f2 = size + o[i].nstm, f3 = o[i].idx;
      } else if (i >= size && i < xnum) {
        r[0] = 1, f2 = stm_off[i - size];
      } else if (i == xnum) {
        r[0] = 1, f2 = xat;
      }
      r[1] = (unsigned char)(f2 >> 24), r[2] = (unsigned char)(f2 >> 16);
      r[3] = (unsigned char)(f2 >> 8), r[4] = (unsigned char)f2;
      r[5] = (unsigned char)(f3 >> 8), r[6] = (unsigned char)f3;
      quire_buf_put(&head, (const char *)r, sizeof r);
    }
    quire_buf_clear(&z);
    if (quire_buf_failed(&head) || S_deflate(&z, head.ptr, head.size) ||
        xat > 0xffffffffu) {
      ok = 0;
    } else {
      quire_buf_printf(u,
                       "%llu 0 obj\n<< /Type /XRef /Size %llu /W [1 4 2] "
                       "/Root %lld 0 R",
                       xnum, xnum + 1, root);
      if (info > 0)
        quire_buf_printf(u, " /Info %lld 0 R", info);
      quire_buf_printf(u, " /Filter /FlateDecode /Length %zu >>\nstream\n",
                       z.size);
      quire_buf_put(u, z.ptr, z.size);
      quire_buf_printf(u, "\nendstream\nendobj\nstartxref\n%llu\n%%%%EOF\n",
                       xat);
    }
  }
  quire_buf_dispose(&head);
  quire_buf_dispose(&objs);
  quire_buf_dispose(&z);
  free(stm_off);
  if (!ok || quire_buf_failed(u)) {
    ok = 0;
    u->size = u0;
  }
out:
  if (add)
    for (size_t i = 0; i < size; i++)
      free(add[i]);
  free(add);
  free(by);
  free(o);
  return ok;
}

void quire__pdf_catalog_feed(quire__pdf_catalog *c, const void *data,
                             size_t len, quire__out *out) {
  c->size += len;
  /* Kept whole, the PDF is rewritten at the end and its tail is not needed
   * (fed in one piece when it is): following the object headers
   * through every chunk cairo writes was 2 % of a render. */
  if (!c->streaming && c->whole.size + len <= S_WHOLE_MAX &&
      !quire_buf_put(&c->whole, data, len))
    return;
  /* Too large to keep (or no memory for it): what was kept goes out now,
   * and the rest as it comes. */
  if (!c->streaming) {
    c->streaming = 1;
    if (!quire_buf_failed(&c->whole)) {
      S_feed_tail(c, c->whole.ptr, c->whole.size);
      quire__out_write(out, c->whole.ptr, c->whole.size);
    } else {
      c->lost = 1;
    }
    quire_buf_dispose(&c->whole);
  }
  S_feed_tail(c, data, len);
  quire__out_write(out, data, len);
}

int quire__pdf_catalog_alt(quire__pdf_catalog *c, const char *alt) {
  if (c->nalt == c->aalt) {
    size_t n = c->aalt ? c->aalt * 2 : 8;
    char **p = realloc(c->alts, n * sizeof *p);
    if (!p)
      return QUIRE_ENOMEM;
    c->alts = p;
    c->aalt = n;
  }
  size_t l = strlen(alt);
  char *s = malloc(l + 1);
  if (!s)
    return QUIRE_ENOMEM;
  memcpy(s, alt, l + 1);
  c->alts[c->nalt++] = s;
  return 0;
}

int quire__pdf_catalog_finish(quire__pdf_catalog *c, const char *lang,
                              quire__out *out) {
  if (c->lost) {
    out->err = out->err ? out->err : QUIRE_ENOMEM;
    return 0;
  }
  if (!c->streaming) {
    quire_buf u = QUIRE_BUF_INIT;
    int done = S_rewrite(c, lang, &u);
    if (done)
      quire__out_write(out, u.ptr, u.size);
    quire_buf_dispose(&u);
    if (done)
      return 2;
    S_feed_tail(c, c->whole.ptr, c->whole.size);
    quire__out_write(out, c->whole.ptr, c->whole.size);
  }
  return S_update(c, lang, out);
}
