/* Report JSON -> document model: the entry points. Bytes become a json_t
 * (jansson, under the input limits), shape.c says which generation it is,
 * and the envelope, the payload, legacy sections and the markdown are
 * decoded by their own files. */
#include "decode/decoder.h"
#include "decode/json_budget.h"
#include "decode/json_fast.h"
#include "decode/markdown.h"
#include "decode/shape.h"
#include "decode/strict.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The report markdown under doc->markdown (a MARKDOWN node), at the path
 * recorded in doc->md_path. Returns 0 or QUIRE_ENOMEM. */
static int S_parse_markdown(quire_doc *doc) {
  const char *markdown = doc->markdown_text;
  quire_node *n = quire__node_new(doc, QUIRE_NODE_MARKDOWN, doc->md_path);
  if (!n)
    return QUIRE_ENOMEM;
  int rc = quire__markdown_append(doc, n, markdown, strlen(markdown),
                                  doc->md_path, doc->md_max);
  doc->markdown = n;
  return rc;
}

/* The report's own markdown. When the report has no blocks it is the
 * body, parsed now. Otherwise it repeats them and is parsed only when a
 * caller asks for it (quire_doc_markdown_node): cmark-gfm on a markdown
 * nobody shows was half of an HTML parse + render (issue 15). The
 * exception is a report still without a title, whose markdown's first
 * heading becomes one. */
static void S_report_markdown(quire__dec *d, const quire__shape_info *sh,
                              int have_blocks) {
  quire_doc *doc = d->doc;
  if (!doc->markdown_text)
    return;
  size_t old =
      sh->markdown_from_output ? quire__dec_push_key(d, "output") : d->path.len;
  quire__dec_push_key(d, "markdown");
  doc->md_path = quire__dec_dup(d, d->path.buf, d->path.len);
  doc->md_max = d->max_markdown;
  quire__dec_pop(d, old);
  if (!doc->md_path)
    return;
  int untitled = strcmp(doc->title, "Untitled report") == 0;
  if (have_blocks && !untitled) {
    doc->md_parse = S_parse_markdown;
    atomic_store(&doc->md_pending, 1);
    return;
  }
  if (S_parse_markdown(doc) != 0 || !doc->markdown) {
    d->oom = 1;
    return;
  }
  /* A markdown report's first heading is its title, also when the report
   * has blocks besides (node-era reports with sections and markdown). */
  const quire_node *h = doc->markdown->first;
  int h1 = untitled && h && h->kind == QUIRE_NODE_MD_HEADING && h->level == 1 &&
           h->first && h->first->kind == QUIRE_NODE_MD_TEXT && !h->first->next;
  if (h1)
    doc->title = h->first->literal;
  if (have_blocks)
    return;
  quire__node_append(doc->root, doc->markdown);
  /* ... and so is not shown twice. */
  if (h1) {
    doc->markdown->first = h->next;
    if (h->next)
      h->next->prev = NULL;
    else
      doc->markdown->last = NULL;
  }
}

/* Legacy top-level sections. Returns 1 when there was at least one. */
static int S_top_sections(quire__dec *d, const json_t *secs) {
  if (!secs)
    return 0;
  size_t old = quire__dec_push_key(d, "sections");
  if (json_is_array(secs)) {
    quire__decode_legacy_sections(d, d->doc->root, secs);
  } else {
    quire__dec_warn(d, "expected an array of sections, got %s; shown as data",
                    quire__json_type_name(secs));
    quire__dec_unknown(d, d->doc->root, secs, NULL);
  }
  quire__dec_pop(d, old);
  return json_array_size(secs) > 0;
}

static void S_decode(quire__dec *d, const json_t *root) {
  quire__shape_info sh;
  quire__shape_detect(&sh, root);
  d->doc->shape = sh.shape;
  quire__decode_envelope(d, root, &sh);
  int have_blocks = 0;
  if (sh.json) {
    size_t old =
        sh.json_from_output ? quire__dec_push_key(d, "output") : d->path.len;
    quire__dec_push_key(d, "json");
    have_blocks = quire__decode_payload(d, sh.json);
    quire__dec_pop(d, old);
  }
  have_blocks |= S_top_sections(d, sh.sections);
  S_report_markdown(d, &sh, have_blocks);
  quire__decode_envelope_tail(d, root, &sh);
}

/* ---- entry points --------------------------------------------------- */

/* jansson stops at a raw NUL with a baffling "end of file expected"; say
 * what it is and where. */
static int S_nul_error(const char *data, const char *nul, quire_error *err) {
  unsigned line = 1, col = 1;
  for (const char *p = data; p < nul; p++) {
    if (*p == '\n') {
      line++;
      col = 1;
    } else if (((unsigned char)*p & 0xC0) != 0x80) {
      col++;
    }
  }
  if (err) {
    err->line = line;
    err->column = col;
  }
  return quire__error_set(err, QUIRE_ESYNTAX,
                          "NUL byte in input; JSON text cannot contain one");
}

/* Texts up to this size are loaded before their estimate (see below). */
#define S_COUNT_AS_BUILT ((size_t)1 << 20)

static int S_load_json(json_t **out, const char *data, size_t len,
                       const quire_parse_options *opts, quire_error *err) {
  size_t max =
      opts && opts->max_input ? opts->max_input : QUIRE__MAX_INPUT_DEFAULT;
  const char *src = opts && opts->source ? opts->source : "<input>";
  quire__error_source(err, src);
  *out = NULL;
  if (len > max)
    return quire__error_set(err, QUIRE_ETOOBIG,
                            "input is %zu bytes, over the %zu-byte limit", len,
                            max);
  /* A UTF-8 byte order mark, as some Windows editors save files: RFC 8259
   * lets a parser ignore it, and jansson would call it an invalid token. */
  if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
    data += 3;
    len -= 3;
  }
  size_t i = 0;
  while (i < len && (data[i] == ' ' || data[i] == '\n' || data[i] == '\r' ||
                     data[i] == '\t'))
    i++;
  if (i == len)
    return quire__error_set(err, QUIRE_ESYNTAX,
                            "empty input; expected a report JSON object");
  const char *nul = memchr(data, '\0', len);
  if (nul)
    return S_nul_error(data, nul, err);
  /* jansson's tree costs up to 100 times the text (a `{}` is 3 bytes of
   * input and 248 of memory): what it would take is estimated, and the
   * text refused by its real cause before more than the limit is built
   * (a text over S_COUNT_AS_BUILT: before anything is). */
  uint64_t limit = quire__json_memory_limit(len);
  /* The common case without jansson's lexer; anything else (every error
   * among it) is jansson's to judge. A text up to S_COUNT_AS_BUILT is
   * loaded straight away: the fast loader counts the estimate as it
   * builds and stops at the limit, so at most the limit (33 MiB) is built
   * and freed before the refusal below; a pass less over every report. */
  json_t *root = NULL;
  if (len <= S_COUNT_AS_BUILT &&
      (root = quire__json_fast(data, len, limit, NULL)) != NULL) {
    *out = root;
    return 0;
  }
  quire__json_cost cost;
  quire__json_estimate(data, len, &cost);
  if (cost.bytes > limit)
    return quire__error_set(
        err, QUIRE_ETOOBIG,
        "too many JSON values: %llu values would take about %llu MiB to "
        "decode, over the limit of %llu MiB for this input",
        (unsigned long long)cost.values, (unsigned long long)(cost.bytes >> 20),
        (unsigned long long)(limit >> 20));
  if (len > S_COUNT_AS_BUILT &&
      (root = quire__json_fast(data, len, UINT64_MAX, NULL)) != NULL) {
    *out = root;
    return 0;
  }
  json_error_t je;
  /* Duplicate keys are rejected: two "title"s would make the result depend
   * on which one a consumer happens to read. */
  /* A malloc failure deep in jansson's lexer comes back as a syntax error
   * ("string or '}' expected"); malloc's ENOMEM in errno tells it apart. */
  errno = 0;
  root = json_loadb(data, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
  if (!root &&
      (errno == ENOMEM || json_error_code(&je) == json_error_out_of_memory))
    return quire__error_set(err, QUIRE_ENOMEM,
                            "out of memory decoding the JSON (%zu bytes)", len);
  if (!root) {
    if (err) {
      err->line = je.line > 0 ? (unsigned)je.line : 1;
      err->column = je.column > 0 ? (unsigned)je.column : 1;
    }
    return quire__error_set(err, QUIRE_ESYNTAX, "%s", je.text);
  }
  *out = root;
  return 0;
}

static int S_build(quire_doc **out, const json_t *root,
                   const quire_parse_options *opts, quire_error *err) {
  quire__dec d;
  memset(&d, 0, sizeof d);
  d.max_markdown = opts && opts->max_markdown ? opts->max_markdown
                                              : QUIRE__MAX_MARKDOWN_DEFAULT;
  d.path.buf[0] = '$';
  d.path.len = 1;
  d.doc = quire__doc_new();
  if (!d.doc)
    return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  if (opts && opts->max_blocks)
    d.doc->max_blocks = opts->max_blocks;
  if (opts && opts->max_diagnostics)
    d.doc->max_diags = opts->max_diagnostics;
  S_decode(&d, root);
  if (d.oom) {
    quire_doc_free(d.doc);
    return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  }
  *out = d.doc;
  return 0;
}

static int S_not_object(const json_t *root, quire_error *err) {
  if (json_is_null(root))
    return quire__error_set(err, QUIRE_ENOTREADY,
                            "report not ready yet (the API answered null)");
  quire__error_path(err, "$");
  return quire__error_set(err, QUIRE_ESCHEMA,
                          "expected a report object, got %s",
                          quire__json_type_name(root));
}

/* Argument checks, library set-up and JSON loading shared by parse and
 * validate: *root is an object on success. */
static int S_begin(json_t **root, const char *data, size_t len,
                   const quire_parse_options *opts, quire_error *err) {
  *root = NULL;
  if (!data && len)
    return quire__error_set(err, QUIRE_EINVAL, "data is NULL");
  if (opts && opts->version != QUIRE_PARSE_OPTIONS_VERSION)
    return quire__error_set(err, QUIRE_EINVAL,
                            "unsupported parse options version %u",
                            opts->version);
  int rc = S_load_json(root, data ? data : "", len, opts, err);
  if (rc)
    return rc;
  if (!json_is_object(*root)) {
    rc = S_not_object(*root, err);
    json_decref(*root);
    *root = NULL;
  }
  return rc;
}

int quire_doc_parse(quire_doc **out, const char *data, size_t len,
                    const quire_parse_options *opts, quire_error *err) {
  if (!out)
    return quire__error_set(err, QUIRE_EINVAL, "out is NULL");
  *out = NULL;
  json_t *root;
  int rc = S_begin(&root, data, len, opts, err);
  if (rc)
    return rc;
  if (opts && (opts->flags & QUIRE_PARSE_STRICT)) {
    quire__shape_info sh;
    quire__shape_detect(&sh, root);
    quire__strict_sink sink = {NULL, NULL, err, 0, 0};
    if (quire__strict_check(root, &sh, 1, &sink) > 0) {
      json_decref(root);
      return err ? err->code : QUIRE_ESCHEMA;
    }
  }
  rc = S_build(out, root, opts, err);
  json_decref(root);
  /* Strict is the contract schema exactly: the decoder's own concerns stay
   * warnings on the document. */
  return rc;
}

int quire_validate(const char *data, size_t len,
                   const quire_parse_options *opts, quire_diag_fn cb,
                   void *payload, quire_error *err) {
  json_t *root;
  int rc = S_begin(&root, data, len, opts, err);
  if (rc)
    return rc;
  size_t max = opts && opts->max_diagnostics ? opts->max_diagnostics
                                             : QUIRE__MAX_DIAG_DEFAULT;
  int strict = opts && (opts->flags & QUIRE_PARSE_STRICT);
  /* Strict: the payload against its contract schema, violations as
   * errors. Tolerant: only the schema's missing required keys, as
   * warnings. Either way the decoder's own concerns are warnings. */
  quire__strict_sink sink = {cb, payload, err, 0, !strict};
  quire__shape_info sh;
  quire__shape_detect(&sh, root);
  quire__strict_check(root, &sh, max, &sink);
  size_t errors = strict ? sink.count : 0, reported = sink.count;
  quire_doc *doc = NULL;
  rc = S_build(&doc, root, opts, err);
  json_decref(root);
  if (rc)
    return rc;
  /* validate checks everything, the markdown nobody shows included. */
  quire__doc_markdown_now(doc);
  for (size_t i = 0; i < doc->ndiags && reported < max; i++, reported++)
    if (cb)
      cb(&doc->diags[i], payload);
  quire_doc_free(doc);
  return errors ? QUIRE_ESCHEMA : 0;
}

int quire_doc_parse_file(quire_doc **out, const char *path,
                         const quire_parse_options *opts, quire_error *err) {
  if (!out || !path)
    return quire__error_set(err, QUIRE_EINVAL, "out or path is NULL");
  *out = NULL;
  quire_parse_options o = QUIRE_PARSE_OPTIONS_INIT;
  if (opts)
    o = *opts;
  if (!o.source)
    o.source = strcmp(path, "-") == 0 ? "<stdin>" : path;
  size_t max = o.max_input ? o.max_input : QUIRE__MAX_INPUT_DEFAULT;
  quire_buf b = QUIRE_BUF_INIT;
  int rc = quire__read_file(&b, path, max, err);
  if (rc == 0)
    rc = quire_doc_parse(out, b.ptr, b.size, &o, err);
  quire_buf_dispose(&b);
  return rc;
}
