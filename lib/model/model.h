/* Private layout of the document model; only lib/model and lib/decode
 * build it, everyone else reads it through quire.h getters. */
#ifndef QUIRE_MODEL_H
#define QUIRE_MODEL_H

#include "core/arena.h"
#include "internal.h"

#include <pthread.h>
#include <stdatomic.h>

struct quire_node {
  quire_node_kind kind;
  quire_node *parent, *first, *last, *next, *prev;
  const char *path;     /* JSON path of the input it came from */
  const char *title;    /* sections, blocks, actions, cards */
  const char *key;      /* v2 key */
  const char *icon;     /* card */
  const char *literal;  /* text, code, unknown JSON */
  const char *info;     /* code info, unknown block type */
  const char *url;      /* links, images: safe URL or NULL */
  const char **phrases; /* traits */
  size_t nphrases;
  unsigned char *align; /* table: one QUIRE_ALIGN_* per column */
  int level;            /* heading level, grid/table columns, list start */
  int flag;             /* list type, task state, row header, illustration */
  int tight;            /* list tightness */
};

struct quire_doc {
  quire__arena arena;
  quire_node *root;
  quire_node *markdown; /* parsed report markdown (also a block when it is
                           the only content), or NULL */
  quire_shape shape;
  const char *id, *created_at, *job_id, *label, *template_name;
  const char *entity_id, *entity_label, *media_id, *media_url;
  const char *title, *summary, *report_url, *pdf_url, *markdown_text;
  int report_url_is_media;
  quire_diag *diags;
  size_t ndiags, adiags, max_diags;
  quire_fact *facts;
  size_t nfacts, afacts;
  size_t nblocks, max_blocks;
  /* Markdown work spent and allowed in this document, in the units of
   * lib/decode/markdown.c (every field's parse draws on the one budget). */
  size_t md_work, md_work_max;
  /* A report markdown that only repeats the structured body is parsed on
   * first request (quire_doc_markdown_node), not while decoding: the
   * decoder sets md_parse and md_pending. The parse is the one write to a
   * decoded document; it happens once, under md_lock, and adds no
   * warnings then (diags_frozen), since other threads may be reading
   * them. */
  int (*md_parse)(quire_doc *doc);
  const char *md_path; /* where the markdown is, for its nodes and warnings */
  size_t md_max;       /* the per-field byte limit it is parsed under */
  atomic_int md_pending;
  pthread_mutex_t md_lock;
  int diags_frozen;
  /* The presentations built for this document (lib/present), one per set
   * of render options, kept until the document is freed: rendering one
   * document to several formats, or from several threads, builds each
   * once. Added to under pres_lock and never changed after; pres_free is
   * lib/present's, which the model may not call by name. */
  void *pres;
  void (*pres_free)(void *pres);
  pthread_mutex_t pres_lock;
};

/* Runs a pending lazy markdown parse now (the decoder's own callers, which
 * own the document, so its warnings are kept). */
void quire__doc_markdown_now(quire_doc *doc);

/* 1 while the report markdown waits for its lazy parse. Such a markdown
 * only repeats the blocks: it is in no block list until someone asks for
 * it, so a caller that only needs to know whether it is shown need not
 * parse it. */
int quire__doc_markdown_pending(const quire_doc *doc);

/* A document's Markdown work budget: about a second of cmark-gfm on the
 * worst input measured (bench/markdown.sh), and 900 times what the
 * longest sample report needs. */
#define QUIRE__MD_WORK_DEFAULT ((size_t)4000000)

/* Builders, used by the decoder. All allocate from doc's arena and return
 * NULL (and leave the tree unchanged) when out of memory. */
quire_node *quire__node_new(quire_doc *doc, quire_node_kind kind,
                            const char *path);
void quire__node_append(quire_node *parent, quire_node *child);
/* Records a warning; silently stops at the document's cap. Returns 0 or
 * QUIRE_ENOMEM. */
int quire__doc_warn(quire_doc *doc, const char *path, const char *fmt, ...)
    QUIRE__PRINTF(3, 4);
int quire__doc_fact(quire_doc *doc, quire_fact_group group, const char *name,
                    const char *value);
quire_doc *quire__doc_new(void);

#endif
