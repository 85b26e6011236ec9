#ifndef QUIRE_DECODE_MARKDOWN_H
#define QUIRE_DECODE_MARKDOWN_H

#include "model/model.h"

#include <stdint.h>

/*
 * Parses text as GitHub-flavoured Markdown (table, strikethrough, autolink,
 * tagfilter, tasklist) and appends the blocks under parent, converted into
 * quire nodes once so no renderer ever sees cmark-gfm. Raw HTML is dropped
 * and unsafe link targets are cleared (both with a warning at path).
 *
 * Debian's cmark-gfm 0.29.0.gfm.6 has super-linear cases (wide tables,
 * nested link brackets, emphasis in deep containers) that a hostile report
 * could use to stall us, so the text is pre-scanned first and becomes one
 * plain paragraph, with a warning, when it is longer than max_len, nests
 * containers too deep, has too many brackets in one paragraph, or would
 * take more work than is left of the document's budget (doc->md_work_max;
 * every field of a document draws on the one budget).
 * Returns 0 or QUIRE_ENOMEM.
 */
int quire__markdown_append(quire_doc *doc, quire_node *parent, const char *text,
                           size_t len, const char *path, size_t max_len);

/* 1 when cmark-gfm would make text one paragraph holding exactly the
 * text (one line, nothing inline, nothing to trim): quire__markdown_append
 * then builds that paragraph without cmark-gfm. */
int quire__markdown_is_plain(const char *text, size_t len);

/* The units of work quire__markdown_append charges text to the document's
 * budget. A plain text's work is counted in the pass that finds it plain;
 * full = 1 always takes the line-by-line scan instead (tests compare the
 * two). */
uint64_t quire__markdown_work(const char *text, size_t len, int full);

/* Registers cmark-gfm's core extensions (process-wide, once; thread-safe).
 * quire__markdown_append calls it; quire_global_init does it up front. */
void quire__markdown_global_init(void);

#endif
