/*
 * mustache.h - a Mustache engine for the HTML renderer (internal).
 *
 * Implements the official spec (interpolation, sections, inverted sections,
 * comments, set-delimiter, partials with standalone indentation) plus the
 * optional ~inheritance ({{<parent}} / {{$block}}) and ~dynamic-names
 * ({{>*name}}, also {{<*name}}) modules. No lambdas: views are plain data
 * (view.h).
 *
 * Compile once, render many: quire__mustache_compile() turns a source into
 * an immutable token array that any number of threads may render at once.
 * Rendering walks that array with an explicit stack (no C recursion), so
 * every kind of nesting is bounded by the limits below rather than by the
 * size of the C stack.
 *
 * Ownership:
 *  - A compiled template (quire__mustache) is the caller's, freed with
 *    quire__mustache_free(). It copies what it needs from the source.
 *  - Partials come from a loader callback and stay owned by whoever caches
 *    them (for example a quire__mustache_set); they must outlive the render.
 *  - Views are borrowed: the engine never changes or keeps a view.
 *  - Output is appended to the caller's quire_buf; its max caps the output.
 */
#ifndef QUIRE_MUSTACHE_H
#define QUIRE_MUSTACHE_H

#include "internal.h"
#include "template/view.h"

#include <jansson.h>

/* Partials, parents and block overrides expanded inside each other. */
#define QUIRE__MUSTACHE_MAX_PARTIAL_DEPTH 64
/* Sections, blocks and parents nested inside one template source. */
#define QUIRE__MUSTACHE_MAX_NESTING 256
/* Values on the context stack at once (sections nested across partials). */
#define QUIRE__MUSTACHE_MAX_CONTEXT 1024
/* Nodes a render may visit unless the options say otherwise: far above a
 * real page (thousands), far below "forever". */
#define QUIRE__MUSTACHE_MAX_STEPS_DEFAULT ((size_t)200000000)
/* Bytes accepted by quire__mustache_compile(). */
#define QUIRE__MUSTACHE_MAX_SOURCE ((size_t)16 << 20)

typedef struct quire__mustache quire__mustache;

/*
 * Compiles len bytes of Mustache source (need not be NUL-terminated) into
 * *out. name labels the template in messages ("partials/card.mustache") and
 * is copied; NULL means "<template>".
 *
 * Errors: QUIRE_ETEMPLATE with err->source = name and err->line/column at
 * the fault (unclosed section or tag, mismatched closing tag, bad
 * set-delimiter tag, bad tag name, nesting deeper than
 * QUIRE__MUSTACHE_MAX_NESTING); QUIRE_ETOOBIG; QUIRE_ENOMEM; QUIRE_EINVAL.
 * On error *out is NULL.
 */
int quire__mustache_compile(quire__mustache **out, const char *src, size_t len,
                            const char *name, quire_error *err);

/* Frees a compiled template. NULL is allowed. */
void quire__mustache_free(quire__mustache *tpl);

/* The name given at compile time (borrowed, lives as long as tpl). */
const char *quire__mustache_name(const quire__mustache *tpl);

/* Calls fn for every name tpl looks up in the view, in document order:
 * interpolations, sections and inverted sections (section 1), and the
 * names of dynamic partials and parents; name is the whole dotted name
 * ("doc.title", "." for the current value), line and col the tag's. */
typedef void (*quire__mustache_name_fn)(const char *name, int section,
                                        unsigned line, unsigned col,
                                        void *payload);
void quire__mustache_names(const quire__mustache *tpl,
                           quire__mustache_name_fn fn, void *payload);

/*
 * Finds the partial called name (NUL-terminated, as written in the tag or
 * resolved from the view for {{>*name}}) and stores it in *out, borrowed:
 * the loader or its cache keeps ownership. Return 0 with *out = NULL when
 * there is no such partial (rendered as empty, or an error with
 * QUIRE__MUSTACHE_STRICT_PARTIALS); return a negative QUIRE_E* code, with
 * err filled, to abort the render (a partial that fails to compile).
 */
typedef int (*quire__mustache_load_fn)(const quire__mustache **out,
                                       const char *name, void *payload,
                                       quire_error *err);

/*
 * Appends len bytes of interpolated text to out, escaped for the output
 * format. Returns 0 or a negative QUIRE_E* code (usually out's failure).
 */
typedef int (*quire__mustache_escape_fn)(quire_buf *out, const char *s,
                                         size_t len, void *payload);

/* A missing partial or parent is an error naming it, not empty output. */
#define QUIRE__MUSTACHE_STRICT_PARTIALS (1u << 0)
/* Empty strings are falsey in sections (the spec says truthy). */
#define QUIRE__MUSTACHE_EMPTY_STRING_FALSEY (1u << 1)

typedef struct quire__mustache_options {
  unsigned flags;                   /* QUIRE__MUSTACHE_* */
  quire__mustache_load_fn load;     /* NULL: no partials exist */
  void *load_payload;               /* passed to load */
  quire__mustache_escape_fn escape; /* NULL: HTML (& < > " ') */
  void *escape_payload;             /* passed to escape */
  size_t max_steps; /* nodes visited per render (0 = the default above) */
} quire__mustache_options;

#define QUIRE__MUSTACHE_OPTIONS_INIT                                           \
  { 0, NULL, NULL, NULL, NULL, 0 }

/*
 * Renders tpl with view (any JSON value; NULL renders like an empty object)
 * and appends the result to out. opts may be NULL (no partials, HTML
 * escaping). Interpolation: strings as they are, integers in decimal, reals
 * in the shortest form that reads back the same (1.21), true/false as
 * words, null, objects and arrays as nothing.
 *
 * On error out holds the output made so far (the caller discards it).
 * Errors: QUIRE_ETEMPLATE (missing partial in strict mode, partials nested
 * deeper than QUIRE__MUSTACHE_MAX_PARTIAL_DEPTH, context deeper than
 * QUIRE__MUSTACHE_MAX_CONTEXT; err->source/line/column name the tag),
 * QUIRE_ETOOBIG (out->max reached, or more than max_steps nodes visited),
 * QUIRE_ENOMEM, QUIRE_EINVAL, or what the loader or escape function
 * returned.
 */
int quire__mustache_render(quire_buf *out, const quire__mustache *tpl,
                           const json_t *view,
                           const quire__mustache_options *opts,
                           quire_error *err);

/* The same for a view built as a quire__view (view.h), which the HTML
 * renderer uses; quire__mustache_render() copies its JSON into one first. */
int quire__mustache_render_view(quire_buf *out, const quire__mustache *tpl,
                                const quire__view *view,
                                const quire__mustache_options *opts,
                                quire_error *err);

/* The default escape function: & < > " ' as &amp; &lt; &gt; &quot; &#39;. */
int quire__mustache_escape_html(quire_buf *out, const char *s, size_t len,
                                void *payload);

/*
 * A named set of compiled templates: the simple partial cache. The set owns
 * its templates; quire__mustache_set_load is a quire__mustache_load_fn whose
 * payload is the set. Not thread-safe while being added to; safe to render
 * from many threads once filled.
 */
typedef struct quire__mustache_set quire__mustache_set;

/* An empty set. Errors: QUIRE_ENOMEM. */
int quire__mustache_set_new(quire__mustache_set **out, quire_error *err);

/* Frees the set and every template in it. NULL is allowed. */
void quire__mustache_set_free(quire__mustache_set *set);

/*
 * Compiles src under name (also the template's name in messages) and adds
 * it, replacing an earlier template of the same name. Errors: those of
 * quire__mustache_compile; QUIRE_EINVAL for an empty name.
 */
int quire__mustache_set_add(quire__mustache_set *set, const char *name,
                            const char *src, size_t len, quire_error *err);

/* The template called name, borrowed from the set; NULL when absent. */
const quire__mustache *quire__mustache_set_get(const quire__mustache_set *set,
                                               const char *name);

/* quire__mustache_load_fn over a set (payload = the set). */
int quire__mustache_set_load(const quire__mustache **out, const char *name,
                             void *payload, quire_error *err);

/*
 * A set compiled from a JSON object of {name: source string} (the spec
 * files' "partials"). sources may be NULL (an empty set). Errors: those of
 * quire__mustache_set_add; QUIRE_EINVAL when a value is not a string.
 */
int quire__mustache_set_from_json(quire__mustache_set **out,
                                  const json_t *sources, quire_error *err);

#endif
