#ifndef QUIRE_DECODE_MARKDOWN_H
#define QUIRE_DECODE_MARKDOWN_H

#include "model/model.h"

/*
 * Parses text as GitHub-flavoured Markdown (table, strikethrough, autolink,
 * tagfilter, tasklist) and appends the blocks under parent, converted into
 * quire nodes once so no renderer ever sees cmark-gfm. Raw HTML is dropped
 * and unsafe link targets are cleared (both with a warning at path).
 *
 * Text longer than max_len is not parsed: it becomes one plain paragraph,
 * since Debian's cmark-gfm 0.29.0.gfm.6 has super-linear cases (wide tables,
 * nested link brackets) that a hostile report could use to stall us.
 * Returns 0 or QUIRE_ENOMEM.
 */
int quire__markdown_append(quire_doc *doc, quire_node *parent, const char *text,
                           size_t len, const char *path, size_t max_len);

/* Registers cmark-gfm's core extensions (process-wide, once; thread-safe).
 * quire__markdown_append calls it; quire_global_init does it up front. */
void quire__markdown_global_init(void);

#endif
