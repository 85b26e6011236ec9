/*
 * values.h - what a report's values mean, decided in one place: dates,
 * durations, ratios and scores. The decoder checks them (a value that is
 * not what its name says is a warning with its JSON path, which `quire
 * validate` prints) and lib/present formats them; both ask here, so a
 * value is never valid to one and invalid to the other. An invalid value
 * is shown as given, never invented.
 */
#ifndef QUIRE_CORE_VALUES_H
#define QUIRE_CORE_VALUES_H

#include "internal.h"

/* A date as the report gave it, parsed once. When raw is not an RFC 3339
 * date (or a plain YYYY-MM-DD) valid is 0 and every renderer shows raw
 * itself: a date is never invented. */
typedef struct quire__date {
  const char *raw; /* NULL when the report has none */
  int valid;
  char day[40];   /* "18 March 2026" */
  char when[128]; /* "18 March 2026, 16:41 UTC" (the day without a time) */
  char iso[40];   /* "2026-03-18" */
} quire__date;

/* Parses raw ("2026-03-18T16:41:07.512Z", "2026-03-18"): checks digits,
 * month length (leap years included), hour and minute. */
void quire__date_parse(quire__date *out, const char *raw);

/* What a number means by its key's name ("durationMs", "talk_ratio",
 * "overallScore"). *cut is set to the length of the unit suffix to drop
 * from the name ("Ms", "_sec") for durations, else 0. */
typedef enum quire__num_kind {
  QUIRE__NUM_PLAIN = 0,
  QUIRE__NUM_MS,    /* a duration in milliseconds: never negative */
  QUIRE__NUM_SEC,   /* a duration in seconds: never negative */
  QUIRE__NUM_RATIO, /* "ratio", "rate", "share": a percentage when 0-1 */
} quire__num_kind;
quire__num_kind quire__num_kind_of(const char *name, size_t *cut);

/* A name that says it is a score ("scores", "overallScore"). */
int quire__is_score_name(const char *name);
/* A name that says it is a ratio ("talkRatio"): from 0 to 1. */
int quire__is_ratio_name(const char *name);

/* A score's place on its scale from 0 to 1, or -1 when it is not on it.
 * A number written with a decimal point (integral 0) is on a 0-1 scale, a
 * whole number under a score name on 0-100: 0.78 and 78 are both 0.78,
 * while 1.7, -0.2 and 140 are shown as given, without a bar. */
double quire__score_place(double v, int integral);

/* "1 h 2 min 3 s", "47 min 54 s", "28 s" for seconds >= 0. */
void quire__duration_format(quire_buf *b, double seconds);

#endif
