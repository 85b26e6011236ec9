/*
 * facts.h - how every renderer names a report's facts (metrics, subject,
 * usage, provenance, generation meta, other kept keys), so a fact reads
 * the same in the terminal, the HTML page and the PDF.
 */
#ifndef QUIRE_RENDER_FACTS_H
#define QUIRE_RENDER_FACTS_H

#include "internal.h"

/* The groups in the order renderers show them. */
extern const quire_fact_group quire__fact_groups[];
extern const size_t quire__fact_group_count;

/* "Metrics", "Subject", "Usage", "Provenance", "Generation", "Other". */
const char *quire__fact_group_label(quire_fact_group g);

/* Appends a fact's name as a label: "talkRatio" -> "Talk ratio",
 * "on_miss" -> "On miss"; a nested name's parts are joined with sep:
 * "sentiment.positive" -> "Sentiment · Positive" with " · ", and
 * "Sentiment positive" with " " (for one-line lists that already use "·"
 * between facts). Bytes outside ASCII letters pass through unchanged. */
void quire__fact_label(quire_buf *b, const char *name, const char *sep);

#endif
