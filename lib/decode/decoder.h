/*
 * decoder.h - state and helpers shared by the decoder's files (internal).
 *
 * One decode walks the JSON once, top to bottom, with a quire__dec: the
 * document being built, the JSON path of the value in hand (for every
 * warning and every node's origin) and two sticky flags. Each file owns one
 * part of a report:
 *
 *   shape.c     which generation a report is (the one detection, used by
 *               decoding and by --strict's choice of schema)
 *   envelope.c  the top-level fields of every generation
 *   v2.c        the `json` payload (schemaVersion 2 sections, matching's 1)
 *   sections.c  legacy sections: card, text, grid, illustration
 *   markdown.c  cmark-gfm -> quire nodes
 *   data.c      JSON kept as data: facts and unknown blocks
 *   json_get.c  JSON paths, typed getters, warnings
 *   strict.c    the contract check behind QUIRE_PARSE_STRICT
 *   json_fast.c bytes -> json_t without jansson's lexer, for the common
 *               case (jansson still judges every other text)
 *   decode.c    the entry points: bytes -> json_t -> document
 */
#ifndef QUIRE_DECODE_DECODER_H
#define QUIRE_DECODE_DECODER_H

#include "model/model.h"

#include <jansson.h>

/* A JSON path being built while walking ("$.json.sections[2].items"). */
typedef struct quire__jpath {
  char buf[512];
  size_t len;
} quire__jpath;

typedef struct quire__dec {
  quire_doc *doc;
  size_t max_markdown;
  quire__jpath path;
  int oom;      /* an allocation failed: the decode fails with ENOMEM */
  int too_many; /* the block cap was reached (warned once) */
} quire__dec;

/* ---- json_get.c: paths, getters, warnings -------------------------- */

/* Push a member name or an array index onto d->path; each returns the old
 * length for quire__dec_pop. */
size_t quire__dec_push_key(quire__dec *d, const char *key);
size_t quire__dec_push_index(quire__dec *d, size_t i);
void quire__dec_pop(quire__dec *d, size_t old);

/* "an object", "a string", ... for messages. */
const char *quire__json_type_name(const json_t *v);

/* Records a warning at d->path (sets d->oom when that fails). */
void quire__dec_warn(quire__dec *d, const char *fmt, ...) QUIRE__PRINTF(2, 3);

/* A copy in the document's arena (sets d->oom on failure). */
const char *quire__dec_dup(quire__dec *d, const char *s, size_t len);

/* The member's string when it is a string with something other than
 * whitespace in it, else NULL. Pure: no warning, no copy. */
const char *quire__json_text(const json_t *obj, const char *key);

/* A string member copied into the arena: NULL when absent, null, empty or
 * whitespace-only (as the Rust SDK reads it). A wrong type is a warning. */
const char *quire__dec_str(quire__dec *d, const json_t *obj, const char *key);

/* The member when it is an object, else NULL. */
const json_t *quire__json_obj(const json_t *obj, const char *key);

/* 1 when key is in the NULL-terminated list. */
int quire__key_in(const char *key, const char *const *list);

/* Warns about each member of obj not in known ("unknown key in WHAT"). */
void quire__dec_check_keys(quire__dec *d, const json_t *obj,
                           const char *const *known, const char *what);

/* ---- data.c: blocks and JSON kept as data -------------------------- */

/* A new node appended under parent, at d->path; NULL past the block cap
 * (warned once) or when out of memory. */
quire_node *quire__dec_node(quire__dec *d, quire_node *parent,
                            quire_node_kind kind);

/* Markdown text parsed into blocks under parent, at d->path. */
void quire__dec_markdown(quire__dec *d, quire_node *parent, const char *text);

/* obj[key] as Markdown under parent, with key on the path. */
void quire__dec_markdown_member(quire__dec *d, quire_node *parent,
                                const json_t *obj, const char *key);

/* An UNKNOWN block holding v (type: the block's "type", may be NULL). */
void quire__dec_unknown(quire__dec *d, quire_node *parent, const json_t *v,
                        const char *type);

/* v flattened into facts of group g named below name; objects nest up to a
 * bounded depth. */
/* Warns at its JSON path of every number in v (under key; scores: below a
 * score name) that is not what its name says (core/values.h): a negative
 * duration, a ratio outside 0-1, a score off its scale. The value is
 * shown as given; the warning is what `quire validate` prints. */
void quire__dec_check_values(quire__dec *d, const json_t *v, const char *key,
                             int scores);
void quire__dec_fact(quire__dec *d, quire_fact_group g, const char *name,
                     const json_t *v, int depth);

/* ---- sections.c: legacy sections ----------------------------------- */

/* One {section_title, section_content}; d->path is the section's. */
void quire__decode_legacy_section(quire__dec *d, quire_node *parent,
                                  const json_t *s);
/* An array of them, each under its index. */
void quire__decode_legacy_sections(quire__dec *d, quire_node *parent,
                                   const json_t *secs);

/* ---- v2.c: the json payload ---------------------------------------- */

/* The `json` object (d->path is its path): title, summary, template, meta
 * and sections. Returns 1 when it had at least one section. */
int quire__decode_payload(quire__dec *d, const json_t *json);

/* ---- envelope.c: top-level fields ---------------------------------- */

struct quire__shape_info;

/* Ids, dates, entity, media, output and links: everything the body does
 * not depend on, read before it. */
void quire__decode_envelope(quire__dec *d, const json_t *root,
                            const struct quire__shape_info *sh);

/* Facts (provenance, metrics, usage, matching subjects), unknown top-level
 * keys and template checks, read after the body. */
void quire__decode_envelope_tail(quire__dec *d, const json_t *root,
                                 const struct quire__shape_info *sh);

#endif
