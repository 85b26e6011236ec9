#include "paint/pdf_catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
}

void quire__pdf_catalog_dispose(quire__pdf_catalog *c) {
  quire_buf_dispose(&c->tail);
}

/* Start of the "N 0 obj\n" header whose " 0 obj\n" ends at p+len in s:
 * back over the digits of N. */
static size_t S_header_start(const char *s, size_t at) {
  while (at > 0 && s[at - 1] >= '0' && s[at - 1] <= '9')
    at--;
  return at;
}

void quire__pdf_catalog_feed(quire__pdf_catalog *c, const void *data,
                             size_t len) {
  const char *d = data;
  c->size += len;
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

int quire__pdf_catalog_finish(quire__pdf_catalog *c, const char *lang,
                              quire__out *out) {
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
