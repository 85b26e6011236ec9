#include "render/facts.h"

#include <string.h>

const quire_fact_group quire__fact_groups[] = {
    QUIRE_FACT_METRICS,    QUIRE_FACT_SUBJECT, QUIRE_FACT_USAGE,
    QUIRE_FACT_PROVENANCE, QUIRE_FACT_META,    QUIRE_FACT_EXTRA};
const size_t quire__fact_group_count =
    sizeof quire__fact_groups / sizeof quire__fact_groups[0];

const char *quire__fact_group_label(quire_fact_group g) {
  switch (g) {
  case QUIRE_FACT_METRICS: return "Metrics";
  case QUIRE_FACT_SUBJECT: return "Subject";
  case QUIRE_FACT_USAGE: return "Usage";
  case QUIRE_FACT_PROVENANCE: return "Provenance";
  case QUIRE_FACT_META: return "Generation";
  case QUIRE_FACT_EXTRA: return "Other";
  }
  return "Other";
}

void quire__fact_label(quire_buf *b, const char *name, const char *sep) {
  int first = 1;
  int caps_after_sep = strcmp(sep, " ") != 0;
  for (const char *p = name; *p; p++) {
    char ch = *p;
    if (ch == '.') {
      quire_buf_puts(b, sep);
      first = caps_after_sep ? 1 : -1; /* -1: a new part, not capitalised */
      continue;
    }
    if (ch == '_' || ch == '-') {
      quire_buf_putc(b, ' ');
      continue;
    }
    if (ch >= 'A' && ch <= 'Z' && first == 0 && p > name && p[-1] >= 'a' &&
        p[-1] <= 'z') {
      quire_buf_putc(b, ' ');
      ch = (char)(ch - 'A' + 'a');
    } else if (first == 1 && ch >= 'a' && ch <= 'z') {
      ch = (char)(ch - 'a' + 'A');
    }
    first = 0;
    quire_buf_putc(b, ch);
  }
}
