/*
 * mustache.c - Mustache compiler and renderer (spec v1.x + ~inheritance +
 * ~dynamic-names). See mustache.h for the contract.
 *
 * A compiled template is one array of nodes in document order. Containers
 * (sections, parents, blocks) store the index just past their subtree in
 * `end`, so walking children is "i = nodes[i].end" and neither compiling nor
 * rendering needs C recursion: the parser keeps an explicit stack of open
 * containers and the renderer an explicit stack of frames.
 *
 * Whitespace follows the spec's standalone rules, with the inheritance
 * module's extras as set out in the spec's whitespace.md:
 *  - a parent is standalone when its start tag has only whitespace before
 *    it and either the start tag or the end tag ends its line;
 *  - an argument block ({{$b}} directly inside a parent) whose start tag
 *    ends its line takes that line end, and its content loses the
 *    "intrinsic indentation" (the leading whitespace of its first line);
 *  - a parameter block (any other {{$b}}) standing alone on its line passes
 *    the leading whitespace of the following line to an override; one whose
 *    start tag has only whitespace before it and whose end tag ends its
 *    line passes the start tag's leading whitespace.
 */
#include "template/mustache.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum {
  S_TEXT = 1, /* literal bytes */
  S_ETAG,     /* {{name}}: escaped */
  S_UTAG,     /* {{{name}}} / {{&name}}: raw */
  S_SECTION,  /* {{#name}} */
  S_INVERTED, /* {{^name}} */
  S_PARTIAL,  /* {{>name}} */
  S_PARENT,   /* {{<name}} */
  S_BLOCK     /* {{$name}} */
};

#define S_DYNAMIC 0x01     /* partial/parent name is looked up in the view */
#define S_STANDALONE 0x02  /* partial/parent: ind starts every line */
#define S_LEAD 0x04        /* parent: ind is literal text to emit first */
#define S_LINE_INDENT 0x08 /* block: override lines start with ind */
#define S_PAIR_INDENT 0x10 /* block: ind follows each override newline */

typedef struct S_node {
  uint8_t type;     /* S_TEXT ... */
  uint8_t flags;    /* S_DYNAMIC ... */
  uint32_t end;     /* index just past this node's subtree */
  uint32_t str;     /* pool offset: text, or name NUL then its parts */
  uint32_t len;     /* text: bytes; names: dotted parts (0 for ".") */
  uint32_t ind;     /* pool offset of the indentation (see flags) */
  uint32_t ind_len; /* its length */
  uint32_t line;    /* 1-based position of the tag, for messages */
  uint32_t col;
} S_node;

struct quire__mustache {
  S_node *nodes;  /* document order */
  uint32_t count; /* nodes used */
  char *pool;     /* text, names and indentation, NUL-separated */
  char *name;     /* for messages */
};

/* ------------------------------------------------------------------ */
/* Compiling                                                           */
/* ------------------------------------------------------------------ */

/* An open container on the parse stack. */
typedef struct S_open {
  uint32_t node;      /* its index in nodes */
  size_t lead;        /* source offset of the whitespace before the tag */
  size_t lead_len;    /* its length (0 unless left_clear) */
  size_t strip;       /* source offset of the indentation removed from */
  size_t strip_len;   /*   the start of content lines (argument blocks) */
  uint8_t left_clear; /* only whitespace before the start tag on its line */
  uint8_t line_mode;  /* start tag stood alone on its line */
} S_open;

typedef struct S_parser {
  const char *src;  /* the source */
  size_t len;       /* its length */
  size_t pos;       /* next byte to scan */
  size_t ls;        /* offset where the current line starts */
  uint32_t line;    /* that line's number */
  size_t col_ls;    /* ls of the line col_at is on */
  size_t col_at;    /* offset whose column is known */
  uint32_t col;     /* that column */
  size_t tag_ls;    /* ls of the line the last kept tag ended on */
  const char *otag; /* current delimiters (static or inside src) */
  size_t olen;
  const char *ctag;
  size_t clen;
  S_node *nodes; /* growing node array */
  size_t count;
  size_t cap;
  int last_text; /* the last node is a TEXT ending at the pool's end */
  quire_buf pool;
  S_open *stack; /* QUIRE__MUSTACHE_MAX_NESTING entries */
  size_t depth;
  const char *name; /* template name for messages */
  quire_error *err;
} S_parser;

/* A parsed tag, before it becomes a node. */
typedef struct S_tag {
  char sigil;   /* 0 for plain interpolation */
  int dynamic;  /* {{>*name}} / {{<*name}} */
  size_t start; /* offset of the open delimiter */
  size_t end;   /* offset just past the close delimiter */
  size_t name;  /* offset of the trimmed name */
  size_t name_len;
  uint32_t line; /* position of start */
  uint32_t col;
} S_tag;

static int S_is_ws(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
         c == '\f';
}

static size_t S_find(const char *hay, size_t from, size_t hlen,
                     const char *needle, size_t nlen) {
  if (nlen == 0 || hlen < nlen)
    return SIZE_MAX;
  size_t last = hlen - nlen;
  while (from <= last) {
    const char *p = memchr(hay + from, needle[0], last - from + 1);
    if (!p)
      return SIZE_MAX;
    size_t at = (size_t)(p - hay);
    if (memcmp(hay + at, needle, nlen) == 0)
      return at;
    from = at + 1;
  }
  return SIZE_MAX;
}

/* Column of offset at on the current line, counting UTF-8 characters.
 * Counting resumes from the last answer, so a megabyte-long line of tags
 * costs linear time, not quadratic. */
static uint32_t S_col(S_parser *P, size_t at) {
  if (P->col_ls != P->ls || P->col_at > at) {
    P->col_ls = P->ls;
    P->col_at = P->ls;
    P->col = 1;
  }
  for (size_t i = P->col_at; i < at; i++)
    if (((unsigned char)P->src[i] & 0xC0) != 0x80)
      P->col++;
  P->col_at = at;
  return P->col;
}

/* Moves the line bookkeeping over the bytes [from, to). */
static void S_lines(S_parser *P, size_t from, size_t to) {
  while (from < to) {
    const char *nl = memchr(P->src + from, '\n', to - from);
    if (!nl)
      break;
    from = (size_t)(nl - P->src) + 1;
    P->line++;
    P->ls = from;
  }
}

static int S_perr(S_parser *P, int code, uint32_t line, uint32_t col,
                  const char *fmt, ...) QUIRE__PRINTF(5, 6);

static int S_perr(S_parser *P, int code, uint32_t line, uint32_t col,
                  const char *fmt, ...) {
  if (P->err) {
    va_list ap;
    va_start(ap, fmt);
    quire__error_setv(P->err, code, fmt, ap);
    va_end(ap);
    quire__error_source(P->err, P->name);
    P->err->line = line;
    P->err->column = col;
  }
  return code;
}

static int S_nomem(S_parser *P) {
  quire__error_set(P->err, QUIRE_ENOMEM, "out of memory");
  return QUIRE_ENOMEM;
}

static int S_pool_put(S_parser *P, const char *s, size_t n, uint32_t *off) {
  *off = (uint32_t)P->pool.size;
  if (quire_buf_put(&P->pool, s, n) || quire_buf_putc(&P->pool, '\0'))
    return S_nomem(P);
  return 0;
}

static int S_add_node(S_parser *P, int type, S_node **out) {
  if (P->count == P->cap) {
    size_t ncap = P->cap ? P->cap + P->cap / 2 : 32;
    if (ncap > UINT32_MAX / 2)
      return S_nomem(P);
    S_node *n = quire__realloc(P->nodes, ncap * sizeof *n);
    if (!n)
      return S_nomem(P);
    P->nodes = n;
    P->cap = ncap;
  }
  S_node *nd = &P->nodes[P->count];
  memset(nd, 0, sizeof *nd);
  nd->type = (uint8_t)type;
  P->count++;
  nd->end = (uint32_t)P->count;
  P->last_text = 0;
  *out = nd;
  return 0;
}

static const S_open *S_top(const S_parser *P) {
  return P->depth ? &P->stack[P->depth - 1] : NULL;
}

/* Appends one line piece [a, e) of literal text (e is just past a newline
 * or the end of the run). */
static int S_text_piece(S_parser *P, size_t a, size_t e) {
  const S_open *top = S_top(P);
  /* Text directly inside a parent is not rendered (~inheritance). */
  if (top && P->nodes[top->node].type == S_PARENT)
    return 0;
  if (top && top->strip_len && (a == 0 || P->src[a - 1] == '\n') &&
      e - a >= top->strip_len &&
      memcmp(P->src + a, P->src + top->strip, top->strip_len) == 0)
    a += top->strip_len;
  if (a == e)
    return 0;
  if (P->last_text) {
    /* Extend the previous text node: drop its NUL, append, re-terminate. */
    S_node *nd = &P->nodes[P->count - 1];
    quire_buf_truncate(&P->pool, P->pool.size - 1);
    if (quire_buf_put(&P->pool, P->src + a, e - a) ||
        quire_buf_putc(&P->pool, '\0'))
      return S_nomem(P);
    nd->len += (uint32_t)(e - a);
    return 0;
  }
  S_node *nd;
  int rc = S_add_node(P, S_TEXT, &nd);
  if (rc)
    return rc;
  rc = S_pool_put(P, P->src + a, e - a, &nd->str);
  if (rc)
    return rc;
  nd->len = (uint32_t)(e - a);
  P->last_text = 1;
  return 0;
}

static int S_text(S_parser *P, size_t a, size_t b) {
  while (a < b) {
    const char *nl = memchr(P->src + a, '\n', b - a);
    size_t e = nl ? (size_t)(nl - P->src) + 1 : b;
    int rc = S_text_piece(P, a, e);
    if (rc)
      return rc;
    a = e;
  }
  return 0;
}

/* Stores an indentation taken from the source, made relative to the
 * enclosing argument block (whose own indentation is removed from its
 * lines). */
static int S_set_indent(S_parser *P, S_node *nd, size_t off, size_t n) {
  const S_open *top = S_top(P);
  if (top && top->strip_len && top->strip_len <= n &&
      memcmp(P->src + off, P->src + top->strip, top->strip_len) == 0) {
    off += top->strip_len;
    n -= top->strip_len;
  }
  nd->ind_len = (uint32_t)n;
  return S_pool_put(P, P->src + off, n, &nd->ind);
}

/* Leading spaces and tabs of the line starting at off. */
static size_t S_lead_ws(const S_parser *P, size_t off) {
  size_t i = off;
  while (i < P->len && (P->src[i] == ' ' || P->src[i] == '\t'))
    i++;
  return i - off;
}

/* Checks and stores a tag name: non-empty, no whitespace or NUL, dotted
 * parts non-empty ("." alone is the implicit iterator). */
static int S_name(S_parser *P, const S_tag *t, S_node *nd) {
  const char *s = P->src + t->name;
  size_t n = t->name_len;
  if (n == 0)
    return S_perr(P, QUIRE_ETEMPLATE, t->line, t->col, "empty tag name");
  int bad = 0;
  for (size_t i = 0; i < n; i++)
    if (S_is_ws(s[i]) || s[i] == '\0')
      bad = 1;
  if (!(n == 1 && s[0] == '.') && !bad)
    bad =
        s[0] == '.' || s[n - 1] == '.' || S_find(s, 0, n, "..", 2) != SIZE_MAX;
  if (bad)
    return S_perr(P, QUIRE_ETEMPLATE, t->line, t->col,
                  "invalid tag name \"%.*s\"", (int)(n > 80 ? 80 : n), s);
  int rc = S_pool_put(P, s, n, &nd->str);
  if (rc)
    return rc;
  nd->len = 0;
  if (n == 1 && s[0] == '.')
    return 0;
  size_t a = 0;
  for (size_t i = 0; i <= n; i++) {
    if (i == n || s[i] == '.') {
      uint32_t off;
      if ((rc = S_pool_put(P, s + a, i - a, &off)) != 0)
        return rc;
      nd->len++;
      a = i + 1;
    }
  }
  return 0;
}

static const char *S_kind_word(int type) {
  switch (type) {
  case S_INVERTED: return "inverted section";
  case S_PARENT: return "parent";
  case S_BLOCK: return "block";
  default: return "section";
  }
}

/* Reads the tag whose open delimiter is at p into t. */
static int S_scan_tag(S_parser *P, size_t p, S_tag *t) {
  memset(t, 0, sizeof *t);
  t->start = p;
  t->line = P->line;
  t->col = S_col(P, p);
  size_t i = p + P->olen;
  while (i < P->len && S_is_ws(P->src[i]))
    i++;
  if (i < P->len && strchr("#^/!=>{&<$", P->src[i]) && P->src[i] != '\0')
    t->sigil = P->src[i++];
  /* Comments, set-delimiter and triple mustaches end with a marker right
   * before the close delimiter. */
  char mark = t->sigil == '=' ? '=' : t->sigil == '{' ? '}' : 0;
  size_t close = i;
  for (;;) {
    close = S_find(P->src, close, P->len, P->ctag, P->clen);
    if (close == SIZE_MAX) {
      if (mark)
        return S_perr(P, QUIRE_ETEMPLATE, t->line, t->col,
                      "unclosed tag: no \"%c%.*s\" after \"%.*s%c\"", mark,
                      (int)P->clen, P->ctag, (int)P->olen, P->otag, t->sigil);
      return S_perr(P, QUIRE_ETEMPLATE, t->line, t->col,
                    "unclosed tag: no \"%.*s\" after \"%.*s\"", (int)P->clen,
                    P->ctag, (int)P->olen, P->otag);
    }
    if (!mark || (close > i && P->src[close - 1] == mark))
      break;
    close++;
  }
  t->end = close + P->clen;
  size_t ce = mark ? close - 1 : close;
  if (t->sigil == '>' || t->sigil == '<') {
    while (i < ce && S_is_ws(P->src[i]))
      i++;
    if (i < ce && P->src[i] == '*') {
      t->dynamic = 1;
      i++;
    }
  }
  while (i < ce && S_is_ws(P->src[i]))
    i++;
  while (ce > i && S_is_ws(P->src[ce - 1]))
    ce--;
  t->name = i;
  t->name_len = ce - i;
  return 0;
}

/* {{=OPEN CLOSE=}}: two delimiters without whitespace or "=". */
static int S_set_delims(S_parser *P, const S_tag *t) {
  const char *s = P->src + t->name;
  size_t n = t->name_len, a = 0;
  while (a < n && !S_is_ws(s[a]))
    a++;
  size_t b = a;
  while (b < n && S_is_ws(s[b]))
    b++;
  int ok = a > 0 && b < n && b > a;
  for (size_t i = 0; ok && i < n; i++)
    if (s[i] == '=' || (i >= b && S_is_ws(s[i])) || s[i] == '\0')
      ok = 0;
  if (!ok)
    return S_perr(P, QUIRE_ETEMPLATE, t->line, t->col,
                  "invalid set-delimiter tag: expected \"%.*s=OPEN CLOSE=%.*s\""
                  " with two delimiters free of spaces and \"=\"",
                  (int)P->olen, P->otag, (int)P->clen, P->ctag);
  P->otag = s;
  P->olen = a;
  P->ctag = s + b;
  P->clen = n - b;
  return 0;
}

static int S_push(S_parser *P, const S_tag *t, int type, S_open **out) {
  if (P->depth >= QUIRE__MUSTACHE_MAX_NESTING)
    return S_perr(P, QUIRE_ETEMPLATE, t->line, t->col,
                  "sections nested deeper than %d levels",
                  QUIRE__MUSTACHE_MAX_NESTING);
  S_node *nd;
  int rc = S_add_node(P, type, &nd);
  if (rc)
    return rc;
  nd->line = t->line;
  nd->col = t->col;
  if (t->dynamic)
    nd->flags |= S_DYNAMIC;
  if ((rc = S_name(P, t, nd)) != 0)
    return rc;
  const S_open *up = S_top(P);
  S_open *o = &P->stack[P->depth++];
  memset(o, 0, sizeof *o);
  o->node = (uint32_t)(P->count - 1);
  if (up) {
    o->strip = up->strip;
    o->strip_len = up->strip_len;
  }
  *out = o;
  return 0;
}

/* Closes the innermost container. Returns 1 when the end tag takes its line
 * end (a standalone parent), 0, or a negative error code. */
static int S_close(S_parser *P, const S_tag *t, int rc_clear) {
  if (!P->depth)
    return S_perr(P, QUIRE_ETEMPLATE, t->line, t->col,
                  "closing tag \"%.*s\" has no open section",
                  (int)(t->name_len > 80 ? 80 : t->name_len), P->src + t->name);
  S_open *o = &P->stack[P->depth - 1];
  S_node *nd = &P->nodes[o->node];
  const char *open = P->pool.ptr + nd->str;
  size_t olen = strlen(open);
  const char *cn = P->src + t->name;
  size_t cl = t->name_len;
  if ((nd->flags & S_DYNAMIC) && cl && cn[0] == '*') {
    /* A closing tag may repeat the star of {{<*name}}. */
    cn++, cl--;
    while (cl && S_is_ws(*cn))
      cn++, cl--;
  }
  if (olen != cl || memcmp(open, cn, olen) != 0)
    return S_perr(P, QUIRE_ETEMPLATE, t->line, t->col,
                  "closing tag \"%.*s\" does not match open %s \"%s\" opened "
                  "at line %u",
                  (int)(t->name_len > 80 ? 80 : t->name_len), P->src + t->name,
                  S_kind_word(nd->type), open, (unsigned)nd->line);
  int rc = 0;
  int consume = 0;
  if (nd->type == S_PARENT && o->left_clear && (o->line_mode || rc_clear)) {
    nd->flags |= S_STANDALONE;
    rc = S_set_indent(P, nd, o->lead, o->lead_len);
    consume = rc_clear;
  } else if (nd->type == S_PARENT && o->left_clear) {
    nd->flags |= S_LEAD;
    rc = S_set_indent(P, nd, o->lead, o->lead_len);
  } else if (nd->type == S_BLOCK && o->left_clear && !o->line_mode &&
             rc_clear) {
    nd->flags |= S_PAIR_INDENT;
    rc = S_set_indent(P, nd, o->lead, o->lead_len);
  }
  nd->end = (uint32_t)P->count;
  P->depth--;
  P->last_text = 0;
  return rc ? rc : consume;
}

/* Handles one tag. Returns 1 when it consumed its line, 0 when not, or a
 * negative error code. */
static int S_tag_node(S_parser *P, const S_tag *t, size_t lead, int lc, int rcl,
                      size_t line_end) {
  int standalone = lc && rcl;
  size_t lead_len = t->start - lead;
  S_node *nd;
  S_open *o;
  int rc;
  switch (t->sigil) {
  case '!': return standalone ? 1 : S_text(P, lead, t->start);
  case '=':
    if ((rc = S_set_delims(P, t)) != 0)
      return rc;
    return standalone ? 1 : S_text(P, lead, t->start);
  case 0:
  case '{':
  case '&':
    if ((rc = S_text(P, lead, t->start)) != 0)
      return rc;
    if ((rc = S_add_node(P, t->sigil ? S_UTAG : S_ETAG, &nd)) != 0)
      return rc;
    nd->line = t->line;
    nd->col = t->col;
    return S_name(P, t, nd);
  case '#':
  case '^':
    if (!standalone && (rc = S_text(P, lead, t->start)) != 0)
      return rc;
    rc = S_push(P, t, t->sigil == '#' ? S_SECTION : S_INVERTED, &o);
    return rc ? rc : standalone;
  case '/':
    /* A standalone closing tag's leading whitespace goes; otherwise it is
     * content of the section being closed. */
    if (!standalone && (rc = S_text(P, lead, t->start)) != 0)
      return rc;
    rc = S_close(P, t, rcl);
    return rc < 0 ? rc : (rc || standalone);
  case '>':
    if (!standalone && (rc = S_text(P, lead, t->start)) != 0)
      return rc;
    if ((rc = S_add_node(P, S_PARTIAL, &nd)) != 0)
      return rc;
    nd->line = t->line;
    nd->col = t->col;
    if (t->dynamic)
      nd->flags |= S_DYNAMIC;
    if ((rc = S_name(P, t, nd)) != 0)
      return rc;
    if (standalone) {
      nd->flags |= S_STANDALONE;
      if ((rc = S_set_indent(P, nd, lead, lead_len)) != 0)
        return rc;
    }
    return standalone;
  case '<':
    /* Whether the leading whitespace is indentation or text is known only
     * at the end tag, so it is held back until then. */
    if (!lc && (rc = S_text(P, lead, t->start)) != 0)
      return rc;
    if ((rc = S_push(P, t, S_PARENT, &o)) != 0)
      return rc;
    o->left_clear = (uint8_t)lc;
    o->lead = lead;
    o->lead_len = lc ? lead_len : 0;
    o->line_mode = (uint8_t)standalone;
    return standalone;
  case '$': {
    const S_open *up = S_top(P);
    int arg = up && P->nodes[up->node].type == S_PARENT;
    if (arg) {
      /* An argument block's start tag owns the line end after it, and its
       * content's intrinsic indentation is not part of the content. */
      if ((rc = S_push(P, t, S_BLOCK, &o)) != 0)
        return rc;
      if (rcl) {
        o->strip = line_end;
        o->strip_len = S_lead_ws(P, line_end);
      }
      return rcl;
    }
    if (!standalone && (rc = S_text(P, lead, t->start)) != 0)
      return rc;
    if ((rc = S_push(P, t, S_BLOCK, &o)) != 0)
      return rc;
    o->left_clear = (uint8_t)lc;
    o->lead = lead;
    o->lead_len = lc ? lead_len : 0;
    o->line_mode = (uint8_t)standalone;
    if (standalone) {
      nd = &P->nodes[o->node];
      nd->flags |= S_LINE_INDENT;
      /* The indentation an override gets is that of the default content's
       * first line (the spec's "intrinsic indentation"). */
      if ((rc = S_set_indent(P, nd, line_end, S_lead_ws(P, line_end))) != 0)
        return rc;
    }
    return standalone;
  }
  default: return S_perr(P, QUIRE_ETEMPLATE, t->line, t->col, "unknown tag");
  }
}

static int S_parse(S_parser *P) {
  for (;;) {
    size_t p = S_find(P->src, P->pos, P->len, P->otag, P->olen);
    if (p == SIZE_MAX) {
      S_lines(P, P->pos, P->len);
      return S_text(P, P->pos, P->len);
    }
    /* Text up to the tag's line start is plain; the rest may be the
     * leading whitespace of a standalone tag. */
    S_lines(P, P->pos, p);
    size_t lead = P->pos > P->ls ? P->pos : P->ls;
    int rc = S_text(P, P->pos, lead);
    if (rc)
      return rc;
    size_t tag_ls = P->ls;
    S_tag t;
    if ((rc = S_scan_tag(P, p, &t)) != 0)
      return rc;
    int lc = P->tag_ls != tag_ls && lead == tag_ls;
    for (size_t i = lead; lc && i < p; i++)
      if (P->src[i] != ' ' && P->src[i] != '\t')
        lc = 0;
    S_lines(P, p, t.end);
    size_t q = t.end;
    while (q < P->len && (P->src[q] == ' ' || P->src[q] == '\t'))
      q++;
    int rcl = 1;
    size_t line_end = q;
    if (q == P->len)
      line_end = q;
    else if (P->src[q] == '\n')
      line_end = q + 1;
    else if (P->src[q] == '\r' && q + 1 < P->len && P->src[q + 1] == '\n')
      line_end = q + 2;
    else
      rcl = 0;
    P->pos = t.end;
    rc = S_tag_node(P, &t, lead, lc, rcl, line_end);
    if (rc < 0)
      return rc;
    if (rc == 1) {
      S_lines(P, P->pos, line_end);
      P->pos = line_end;
      P->tag_ls = SIZE_MAX;
    } else {
      P->tag_ls = P->ls;
    }
  }
}

int quire__mustache_compile(quire__mustache **out, const char *src, size_t len,
                            const char *name, quire_error *err) {
  if (!out || (!src && len))
    return quire__error_set(err, QUIRE_EINVAL,
                            "quire__mustache_compile: NULL argument");
  *out = NULL;
  if (!name)
    name = "<template>";
  if (len > QUIRE__MUSTACHE_MAX_SOURCE) {
    quire__error_set(err, QUIRE_ETOOBIG, "template is larger than %zu bytes",
                     QUIRE__MUSTACHE_MAX_SOURCE);
    quire__error_source(err, name);
    return QUIRE_ETOOBIG;
  }
  S_parser P;
  memset(&P, 0, sizeof P);
  P.src = src ? src : "";
  P.len = len;
  P.line = 1;
  P.tag_ls = SIZE_MAX;
  P.col_ls = SIZE_MAX;
  P.otag = "{{";
  P.olen = 2;
  P.ctag = "}}";
  P.clen = 2;
  P.name = name;
  P.err = err;
  quire_buf_init(&P.pool, 0);
  int rc = 0;
  P.stack = quire__calloc(QUIRE__MUSTACHE_MAX_NESTING, sizeof *P.stack);
  quire__mustache *tpl = quire__calloc(1, sizeof *tpl);
  if (!P.stack || !tpl)
    rc = S_nomem(&P);
  if (!rc)
    rc = S_parse(&P);
  if (!rc && P.depth) {
    const S_open *o = &P.stack[P.depth - 1];
    const S_node *nd = &P.nodes[o->node];
    rc = S_perr(&P, QUIRE_ETEMPLATE, P.line, S_col(&P, P.len),
                "unclosed %s \"%s\" opened at line %u", S_kind_word(nd->type),
                P.pool.ptr + nd->str, (unsigned)nd->line);
  }
  if (!rc && P.pool.size == 0 && quire_buf_putc(&P.pool, '\0'))
    rc = S_nomem(&P);
  if (!rc && !(tpl->name = quire__strdup(name)))
    rc = S_nomem(&P);
  free(P.stack);
  if (rc) {
    free(P.nodes);
    quire_buf_dispose(&P.pool);
    if (tpl)
      free(tpl->name);
    free(tpl);
    return rc;
  }
  tpl->nodes = P.nodes;
  tpl->count = (uint32_t)P.count;
  tpl->pool = quire_buf_detach(&P.pool, NULL);
  *out = tpl;
  return 0;
}

void quire__mustache_free(quire__mustache *tpl) {
  if (!tpl)
    return;
  free(tpl->nodes);
  free(tpl->pool);
  free(tpl->name);
  free(tpl);
}

const char *quire__mustache_name(const quire__mustache *tpl) {
  return tpl ? tpl->name : NULL;
}

void quire__mustache_names(const quire__mustache *tpl,
                           quire__mustache_name_fn fn, void *payload) {
  for (uint32_t i = 0; tpl && i < tpl->count; i++) {
    const S_node *nd = &tpl->nodes[i];
    int section = nd->type == S_SECTION || nd->type == S_INVERTED;
    if (nd->type == S_ETAG || nd->type == S_UTAG || section ||
        ((nd->type == S_PARTIAL || nd->type == S_PARENT) &&
         (nd->flags & S_DYNAMIC)))
      fn(tpl->pool + nd->str, section, nd->line, nd->col, payload);
  }
}

/* ------------------------------------------------------------------ */
/* Rendering                                                           */
/* ------------------------------------------------------------------ */

enum {
  S_F_SEQ = 1, /* walk nodes [pos, end) */
  S_F_LIST,    /* the same once per element of list */
  S_F_NEST     /* a partial, parent or override: counts toward depth */
};

typedef struct S_frame {
  const quire__mustache *tpl;   /* template whose nodes are walked */
  uint32_t pos;                 /* next node */
  uint32_t start;               /* first node (S_F_LIST restarts here) */
  uint32_t end;                 /* node just past the walk */
  int kind;                     /* S_F_* */
  const quire__view_item *item; /* S_F_LIST: element being rendered */
  size_t ctx_mark;              /* sizes to restore when the frame ends */
  size_t args_mark;
  size_t indent_mark;
} S_frame;

/* A block override in scope: the {{$name}} inside a {{<parent}}. */
typedef struct S_arg {
  const char *name;           /* in tpl's pool */
  const quire__mustache *tpl; /* template holding the argument block */
  uint32_t node;              /* its index */
} S_arg;

typedef struct S_render {
  quire_buf *out;
  unsigned flags; /* QUIRE__MUSTACHE_* */
  const quire__mustache_options *opts;
  quire__mustache_escape_fn escape;
  void *escape_payload;
  quire_error *err;
  const quire__mustache *root; /* for output errors */
  S_frame *frames;
  size_t nframes, cframes;
  const quire__view **ctx; /* context stack, top last */
  size_t nctx, cctx;
  S_arg *args; /* oldest first: outer overrides win */
  size_t nargs, cargs;
  quire_buf indent; /* current indentation */
  int pending;      /* at a template line start: indent due */
  int fail;         /* first error code, sticky */
  unsigned depth;   /* S_F_NEST frames open */
  size_t steps;     /* nodes visited */
  size_t max_steps; /* budget for steps */
} S_render;

static int S_rerr(S_render *R, int code, const quire__mustache *tpl,
                  const S_node *nd, const char *fmt, ...) QUIRE__PRINTF(5, 6);

static int S_rerr(S_render *R, int code, const quire__mustache *tpl,
                  const S_node *nd, const char *fmt, ...) {
  if (R->err) {
    va_list ap;
    va_start(ap, fmt);
    quire__error_setv(R->err, code, fmt, ap);
    va_end(ap);
    quire__error_source(R->err, tpl->name);
    R->err->line = nd ? nd->line : 0;
    R->err->column = nd ? nd->col : 0;
  }
  R->fail = code;
  return code;
}

/* Grows an array of elem-sized items to hold n + 1. */
static int S_reserve(void **arr, size_t *cap, size_t n, size_t elem) {
  if (n < *cap)
    return 0;
  size_t ncap = *cap ? *cap * 2 : 16;
  if (ncap > SIZE_MAX / elem)
    return QUIRE_ENOMEM;
  void *p = quire__realloc(*arr, ncap * elem);
  if (!p)
    return QUIRE_ENOMEM;
  *arr = p;
  *cap = ncap;
  return 0;
}

static int S_push_frame(S_render *R, int kind, const quire__mustache *tpl,
                        uint32_t start, uint32_t end, const S_node *at,
                        const quire__mustache *at_tpl) {
  if (kind == S_F_NEST && R->depth >= QUIRE__MUSTACHE_MAX_PARTIAL_DEPTH) {
    if (at->type == S_BLOCK)
      return S_rerr(R, QUIRE_ETEMPLATE, at_tpl, at,
                    "block \"%s\" nested deeper than %d levels "
                    "(recursive block?)",
                    at_tpl->pool + at->str, QUIRE__MUSTACHE_MAX_PARTIAL_DEPTH);
    return S_rerr(R, QUIRE_ETEMPLATE, at_tpl, at,
                  "partials nested deeper than %d levels (recursive partial?)",
                  QUIRE__MUSTACHE_MAX_PARTIAL_DEPTH);
  }
  if (S_reserve((void **)&R->frames, &R->cframes, R->nframes,
                sizeof *R->frames))
    return S_rerr(R, QUIRE_ENOMEM, at_tpl, at, "out of memory");
  S_frame *f = &R->frames[R->nframes++];
  memset(f, 0, sizeof *f);
  f->tpl = tpl;
  f->pos = f->start = start;
  f->end = end;
  f->kind = kind;
  f->ctx_mark = R->nctx;
  f->args_mark = R->nargs;
  f->indent_mark = R->indent.size;
  if (kind == S_F_NEST)
    R->depth++;
  return 0;
}

static void S_pop_frame(S_render *R) {
  S_frame *f = &R->frames[--R->nframes];
  R->nctx = f->ctx_mark;
  R->nargs = f->args_mark;
  quire_buf_truncate(&R->indent, f->indent_mark);
  if (f->kind == S_F_NEST)
    R->depth--;
}

static int S_push_ctx(S_render *R, const quire__view *v,
                      const quire__mustache *tpl, const S_node *nd) {
  if (R->nctx >= QUIRE__MUSTACHE_MAX_CONTEXT)
    return S_rerr(R, QUIRE_ETEMPLATE, tpl, nd,
                  "context stack deeper than %d levels",
                  QUIRE__MUSTACHE_MAX_CONTEXT);
  if (S_reserve((void **)&R->ctx, &R->cctx, R->nctx, sizeof *R->ctx))
    return S_rerr(R, QUIRE_ENOMEM, tpl, nd, "out of memory");
  R->ctx[R->nctx++] = v;
  return 0;
}

/* Spec name resolution: "." is the top of the stack; otherwise the first
 * part is looked up from the top down, and each further part only in the
 * value found so far. */
static const quire__view *
S_lookup(const S_render *R, const quire__mustache *tpl, const S_node *nd) {
  if (nd->len == 0)
    return R->nctx ? R->ctx[R->nctx - 1] : NULL;
  const char *part = tpl->pool + nd->str;
  part += strlen(part) + 1;
  size_t plen = strlen(part);
  const quire__view *v = NULL;
  for (size_t i = R->nctx; i-- > 0;) {
    if ((v = quire__view_get(R->ctx[i], part, plen)) != NULL)
      break;
  }
  for (uint32_t k = 1; v && k < nd->len; k++) {
    part += plen + 1;
    plen = strlen(part);
    v = quire__view_get(v, part, plen);
  }
  return v;
}

static int S_truthy(const S_render *R, const quire__view *v) {
  if (!v || v->type == QUIRE__VIEW_NULL || v->type == QUIRE__VIEW_FALSE)
    return 0;
  if (v->type == QUIRE__VIEW_ARRAY)
    return v->n > 0;
  if (v->type == QUIRE__VIEW_STRING &&
      (R->flags & QUIRE__MUSTACHE_EMPTY_STRING_FALSEY))
    return v->n > 0;
  return 1;
}

/* Writes len bytes of output, indenting first at a template line start. */
static void S_emit(S_render *R, const char *s, size_t len, int escape) {
  if (!len)
    return;
  if (R->pending) {
    R->pending = 0;
    if (R->indent.size)
      quire_buf_put(R->out, R->indent.ptr, R->indent.size);
  }
  if (!escape) {
    quire_buf_put(R->out, s, len);
    return;
  }
  int rc = R->escape(R->out, s, len, R->escape_payload);
  if (rc < 0 && !R->fail)
    R->fail = rc;
}

/* Literal template text: every line of it starts with the indentation. */
static void S_emit_text(S_render *R, const char *s, size_t len) {
  if (!len)
    return;
  if (!R->indent.size) {
    S_emit(R, s, len, 0);
    R->pending = s[len - 1] == '\n';
    return;
  }
  while (len) {
    const char *nl = memchr(s, '\n', len);
    size_t n = nl ? (size_t)(nl - s) + 1 : len;
    S_emit(R, s, n, 0);
    s += n;
    len -= n;
    R->pending = nl != NULL;
  }
}

/* Shortest decimal form that reads back as the same double, with a '.'
 * whatever the locale. */
static size_t S_format_real(char *buf, size_t size, double d) {
  int n = 0;
  for (int prec = 15; prec <= 17; prec++) {
    n = snprintf(buf, size, "%.*g", prec, d);
    if (n < 0 || (size_t)n >= size)
      return 0;
    if (strtod(buf, NULL) == d)
      break;
  }
  for (int i = 0; i < n; i++) {
    char c = buf[i];
    if (!((c >= '0' && c <= '9') || c == 'e' || c == 'E' || c == '-' ||
          c == '+' || c == 'i' || c == 'n' || c == 'f' || c == 'a'))
      buf[i] = '.';
  }
  return (size_t)n;
}

static void S_interpolate(S_render *R, const quire__view *v, int escape) {
  char num[64];
  switch (v ? v->type : QUIRE__VIEW_NULL) {
  case QUIRE__VIEW_STRING: S_emit(R, v->u.s, v->n, escape); break;
  case QUIRE__VIEW_INT: {
    int n = snprintf(num, sizeof num, "%lld", v->u.i);
    if (n > 0 && (size_t)n < sizeof num)
      S_emit(R, num, (size_t)n, escape);
    break;
  }
  case QUIRE__VIEW_REAL:
    S_emit(R, num, S_format_real(num, sizeof num, v->u.r), escape);
    break;
  case QUIRE__VIEW_TRUE: S_emit(R, "true", 4, escape); break;
  case QUIRE__VIEW_FALSE: S_emit(R, "false", 5, escape); break;
  default: /* null, objects and arrays have no text form */ break;
  }
}

/* Name of the partial or parent at nd: as written, or for {{>*name}} the
 * string the view gives (NULL when it gives none). */
static const char *S_partial_name(const S_render *R, const quire__mustache *tpl,
                                  const S_node *nd) {
  if (!(nd->flags & S_DYNAMIC))
    return tpl->pool + nd->str;
  const quire__view *v = S_lookup(R, tpl, nd);
  if (!v || v->type != QUIRE__VIEW_STRING || strlen(v->u.s) != v->n)
    return NULL;
  return v->u.s;
}

/* Loads the partial or parent at nd. *out stays NULL when it is missing
 * and that is allowed. */
static int S_load(S_render *R, const quire__mustache *tpl, const S_node *nd,
                  const quire__mustache **out) {
  *out = NULL;
  const char *name = S_partial_name(R, tpl, nd);
  const char *what = nd->type == S_PARENT ? "parent" : "partial";
  if (!name) {
    if (R->flags & QUIRE__MUSTACHE_STRICT_PARTIALS)
      return S_rerr(R, QUIRE_ETEMPLATE, tpl, nd,
                    "dynamic %s name \"%s\" is not a string in the view", what,
                    tpl->pool + nd->str);
    return 0;
  }
  if (R->opts && R->opts->load) {
    int rc = R->opts->load(out, name, R->opts->load_payload, R->err);
    if (rc < 0) {
      *out = NULL;
      if (R->err && R->err->code != rc)
        S_rerr(R, rc, tpl, nd, "loading %s \"%s\" failed", what, name);
      R->fail = rc;
      return rc;
    }
  }
  if (!*out && (R->flags & QUIRE__MUSTACHE_STRICT_PARTIALS))
    return S_rerr(R, QUIRE_ETEMPLATE, tpl, nd, "%s \"%s\" not found", what,
                  name);
  return 0;
}

static int S_indent_push(S_render *R, const quire__mustache *tpl,
                         const S_node *nd) {
  if (!nd->ind_len ||
      !quire_buf_put(&R->indent, tpl->pool + nd->ind, nd->ind_len))
    return 0;
  if (quire_buf_failed(&R->indent) == QUIRE_ENOMEM)
    return S_rerr(R, QUIRE_ENOMEM, tpl, nd, "out of memory");
  return S_rerr(R, QUIRE_ETOOBIG, tpl, nd, "indentation longer than %zu bytes",
                R->indent.max);
}

static int S_partial(S_render *R, const quire__mustache *tpl, const S_node *nd,
                     uint32_t at) {
  const quire__mustache *sub;
  int rc = S_load(R, tpl, nd, &sub);
  if (rc)
    return rc;
  if (nd->flags & S_LEAD)
    S_emit_text(R, tpl->pool + nd->ind, nd->ind_len);
  if (!sub)
    return 0;
  if ((rc = S_push_frame(R, S_F_NEST, sub, 0, sub->count, nd, tpl)) != 0)
    return rc;
  if (nd->type == S_PARENT) {
    /* Direct block children are the arguments; earlier (outer) ones stay
     * first, so the top-level template's overrides win. */
    for (uint32_t i = at + 1; i < nd->end; i = tpl->nodes[i].end) {
      if (tpl->nodes[i].type != S_BLOCK)
        continue;
      if (S_reserve((void **)&R->args, &R->cargs, R->nargs, sizeof *R->args))
        return S_rerr(R, QUIRE_ENOMEM, tpl, nd, "out of memory");
      S_arg *a = &R->args[R->nargs++];
      a->name = tpl->pool + tpl->nodes[i].str;
      a->tpl = tpl;
      a->node = i;
    }
  }
  if (nd->flags & S_STANDALONE) {
    if ((rc = S_indent_push(R, tpl, nd)) != 0)
      return rc;
    R->pending = 1;
  }
  return 0;
}

static int S_block(S_render *R, const quire__mustache *tpl, const S_node *nd,
                   uint32_t at) {
  const char *name = tpl->pool + nd->str;
  const S_arg *a = NULL;
  size_t i;
  for (i = 0; i < R->nargs; i++)
    if (strcmp(R->args[i].name, name) == 0) {
      a = &R->args[i];
      break;
    }
  /* Charged to the step budget: a template with thousands of blocks must
   * not make each lookup a hidden loop. */
  R->steps += i;
  if (!a)
    return S_push_frame(R, S_F_SEQ, tpl, at + 1, nd->end, nd, tpl);
  const quire__mustache *atpl = a->tpl;
  uint32_t anode = a->node;
  int rc = S_push_frame(R, S_F_NEST, atpl, anode + 1, atpl->nodes[anode].end,
                        nd, tpl);
  if (rc)
    return rc;
  if (nd->flags & (S_LINE_INDENT | S_PAIR_INDENT)) {
    if ((rc = S_indent_push(R, tpl, nd)) != 0)
      return rc;
    if (nd->flags & S_LINE_INDENT)
      R->pending = 1;
  }
  return 0;
}

static int S_out_error(S_render *R) {
  int code = quire_buf_failed(R->out);
  if (code == QUIRE_ETOOBIG)
    return S_rerr(R, code, R->root, NULL, "output exceeds %zu bytes",
                  R->out->max);
  return S_rerr(R, code, R->root, NULL, "out of memory");
}

static int S_run(S_render *R) {
  while (R->nframes) {
    if (R->fail)
      return R->fail;
    if (quire_buf_failed(R->out))
      return S_out_error(R);
    S_frame *f = &R->frames[R->nframes - 1];
    /* Nested loops over view lists can mean unbounded work with no output
     * for the output cap to stop, so every step counts, list turns too. */
    if (++R->steps > R->max_steps)
      return S_rerr(R, QUIRE_ETOOBIG, f->tpl,
                    f->pos < f->end ? &f->tpl->nodes[f->pos] : NULL,
                    "rendering took more than %zu steps", R->max_steps);
    if (f->pos >= f->end) {
      if (f->kind == S_F_LIST && (f->item = f->item->next) != NULL) {
        R->ctx[f->ctx_mark] = f->item->val;
        f->pos = f->start;
      } else {
        S_pop_frame(R);
      }
      continue;
    }
    const quire__mustache *tpl = f->tpl;
    uint32_t at = f->pos;
    const S_node *nd = &tpl->nodes[at];
    /* Advance before anything is pushed: pushing may move the frames. */
    f->pos = nd->end;
    const quire__view *v;
    switch (nd->type) {
    case S_TEXT: S_emit_text(R, tpl->pool + nd->str, nd->len); break;
    case S_ETAG:
    case S_UTAG:
      S_interpolate(R, S_lookup(R, tpl, nd), nd->type == S_ETAG);
      break;
    case S_SECTION:
      v = S_lookup(R, tpl, nd);
      if (!S_truthy(R, v))
        break;
      if (v->type == QUIRE__VIEW_ARRAY) {
        if (S_push_frame(R, S_F_LIST, tpl, at + 1, nd->end, nd, tpl))
          break;
        R->frames[R->nframes - 1].item = v->u.l.head;
        v = v->u.l.head->val;
      } else if (S_push_frame(R, S_F_SEQ, tpl, at + 1, nd->end, nd, tpl)) {
        break;
      }
      S_push_ctx(R, v, tpl, nd);
      break;
    case S_INVERTED:
      if (!S_truthy(R, S_lookup(R, tpl, nd)))
        S_push_frame(R, S_F_SEQ, tpl, at + 1, nd->end, nd, tpl);
      break;
    case S_PARTIAL:
    case S_PARENT: S_partial(R, tpl, nd, at); break;
    case S_BLOCK: S_block(R, tpl, nd, at); break;
    default: break;
    }
  }
  if (!R->fail && quire_buf_failed(R->out))
    return S_out_error(R);
  return R->fail;
}

int quire__mustache_render_view(quire_buf *out, const quire__mustache *tpl,
                                const quire__view *view,
                                const quire__mustache_options *opts,
                                quire_error *err) {
  if (!out || !tpl)
    return quire__error_set(err, QUIRE_EINVAL,
                            "quire__mustache_render: NULL argument");
  if (quire_buf_failed(out))
    return quire__error_set(err, QUIRE_EINVAL,
                            "quire__mustache_render: output buffer has failed");
  S_render R;
  memset(&R, 0, sizeof R);
  R.out = out;
  R.opts = opts;
  R.flags = opts ? opts->flags : 0;
  R.escape = opts && opts->escape ? opts->escape : quire__mustache_escape_html;
  R.escape_payload = opts && opts->escape ? opts->escape_payload : NULL;
  R.err = err;
  R.root = tpl;
  R.max_steps = opts && opts->max_steps ? opts->max_steps
                                        : QUIRE__MUSTACHE_MAX_STEPS_DEFAULT;
  /* Indentation only grows through nested standalone partials; the cap
   * keeps a hostile template set from multiplying it. */
  quire_buf_init(&R.indent, 64 * 1024);
  int rc = S_push_frame(&R, S_F_SEQ, tpl, 0, tpl->count, NULL, tpl);
  if (!rc && view)
    rc = S_push_ctx(&R, view, tpl, NULL);
  if (!rc)
    rc = S_run(&R);
  free(R.frames);
  free(R.ctx);
  free(R.args);
  quire_buf_dispose(&R.indent);
  return rc;
}

int quire__mustache_render(quire_buf *out, const quire__mustache *tpl,
                           const json_t *view,
                           const quire__mustache_options *opts,
                           quire_error *err) {
  quire__view_pool pool = QUIRE__VIEW_POOL_INIT;
  const quire__view *v = NULL;
  int rc = quire__view_from_json(&v, &pool, view);
  if (rc)
    rc = quire__error_set(err, rc, "%s",
                          rc == QUIRE_ENOMEM ? "out of memory"
                                             : "view nested too deeply");
  else
    rc = quire__mustache_render_view(out, tpl, v, opts, err);
  quire__view_pool_free(&pool);
  return rc;
}

/* ------------------------------------------------------------------ */
/* HTML escaping                                                       */
/* ------------------------------------------------------------------ */

int quire__mustache_escape_html(quire_buf *out, const char *s, size_t len,
                                void *payload) {
  (void)payload;
  size_t run = 0;
  for (size_t i = 0; i < len; i++) {
    const char *rep;
    size_t n;
    switch (s[i]) {
    case '&': rep = "&amp;", n = 5; break;
    case '<': rep = "&lt;", n = 4; break;
    case '>': rep = "&gt;", n = 4; break;
    case '"': rep = "&quot;", n = 6; break;
    case '\'': rep = "&#39;", n = 5; break;
    default: continue;
    }
    quire_buf_put(out, s + run, i - run);
    quire_buf_put(out, rep, n);
    run = i + 1;
  }
  quire_buf_put(out, s + run, len - run);
  return quire_buf_failed(out);
}

/* ------------------------------------------------------------------ */
/* Template sets                                                       */
/* ------------------------------------------------------------------ */

typedef struct S_entry {
  char *name;           /* owned */
  quire__mustache *tpl; /* owned */
} S_entry;

struct quire__mustache_set {
  S_entry *items; /* unsorted: sets hold tens of partials */
  size_t count;
  size_t cap;
};

int quire__mustache_set_new(quire__mustache_set **out, quire_error *err) {
  if (!out)
    return quire__error_set(err, QUIRE_EINVAL,
                            "quire__mustache_set_new: NULL argument");
  *out = quire__calloc(1, sizeof **out);
  if (!*out)
    return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  return 0;
}

void quire__mustache_set_free(quire__mustache_set *set) {
  if (!set)
    return;
  for (size_t i = 0; i < set->count; i++) {
    free(set->items[i].name);
    quire__mustache_free(set->items[i].tpl);
  }
  free(set->items);
  free(set);
}

static S_entry *S_set_find(const quire__mustache_set *set, const char *name) {
  for (size_t i = 0; i < set->count; i++)
    if (strcmp(set->items[i].name, name) == 0)
      return &set->items[i];
  return NULL;
}

int quire__mustache_set_add(quire__mustache_set *set, const char *name,
                            const char *src, size_t len, quire_error *err) {
  if (!set || !name || !name[0])
    return quire__error_set(err, QUIRE_EINVAL,
                            "quire__mustache_set_add: missing set or name");
  quire__mustache *tpl = NULL;
  int rc = quire__mustache_compile(&tpl, src, len, name, err);
  if (rc || !tpl)
    return rc ? rc : QUIRE_ERROR;
  S_entry *e = S_set_find(set, name);
  if (e) {
    quire__mustache_free(e->tpl);
    e->tpl = tpl;
    return 0;
  }
  char *copy = quire__strdup(name);
  if (!copy ||
      S_reserve((void **)&set->items, &set->cap, set->count, sizeof *e)) {
    free(copy);
    quire__mustache_free(tpl);
    return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  }
  set->items[set->count].name = copy;
  set->items[set->count].tpl = tpl;
  set->count++;
  return 0;
}

const quire__mustache *quire__mustache_set_get(const quire__mustache_set *set,
                                               const char *name) {
  if (!set || !name)
    return NULL;
  const S_entry *e = S_set_find(set, name);
  return e ? e->tpl : NULL;
}

int quire__mustache_set_load(const quire__mustache **out, const char *name,
                             void *payload, quire_error *err) {
  (void)err;
  *out = quire__mustache_set_get(payload, name);
  return 0;
}

int quire__mustache_set_from_json(quire__mustache_set **out,
                                  const json_t *sources, quire_error *err) {
  if (!out)
    return quire__error_set(err, QUIRE_EINVAL,
                            "quire__mustache_set_from_json: NULL argument");
  *out = NULL;
  if (sources && !json_is_object(sources))
    return quire__error_set(err, QUIRE_EINVAL,
                            "partials must be a JSON object of strings");
  quire__mustache_set *set = NULL;
  int rc = quire__mustache_set_new(&set, err);
  if (rc || !set)
    return rc ? rc : QUIRE_ERROR;
  const char *key;
  json_t *val;
  json_object_foreach((json_t *)sources, key, val) {
    if (!json_is_string(val)) {
      rc = quire__error_set(err, QUIRE_EINVAL, "partial \"%s\" is not a string",
                            key);
      break;
    }
    rc = quire__mustache_set_add(set, key, json_string_value(val),
                                 json_string_length(val), err);
    if (rc)
      break;
  }
  if (rc) {
    quire__mustache_set_free(set);
    return rc;
  }
  *out = set;
  return 0;
}
