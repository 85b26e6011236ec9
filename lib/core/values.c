/* Dates, durations, ratios and scores: see values.h. */
#include "core/values.h"

#include <stdio.h>
#include <string.h>

static int S_digits(const char *s, int n, int *out) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9')
      return -1;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return 0;
}

static int S_month_days(int y, int m) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : days[m - 1];
}

void quire__date_parse(quire__date *out, const char *raw) {
  static const char *const months[] = {
      "January", "February", "March",     "April",   "May",      "June",
      "July",    "August",   "September", "October", "November", "December"};
  memset(out, 0, sizeof *out);
  out->raw = raw;
  if (!raw)
    return;
  size_t n = strlen(raw);
  int y, mo, d, h, mi;
  if (n < 10 || S_digits(raw, 4, &y) || raw[4] != '-' ||
      S_digits(raw + 5, 2, &mo) || raw[7] != '-' || S_digits(raw + 8, 2, &d) ||
      y < 1 || mo < 1 || mo > 12 || d < 1 || d > S_month_days(y, mo))
    return;
  const char *p = raw + 10;
  char time[64] = "";
  if (*p) {
    /* A time must be whole: "T16:41[:07[.512]]" and a zone, or nothing. */
    if (!(*p == 'T' || *p == 't' || *p == ' ') || strlen(p) < 6 ||
        S_digits(p + 1, 2, &h) || p[3] != ':' || S_digits(p + 4, 2, &mi) ||
        h > 23 || mi > 59)
      return;
    p += 6;
    if (*p == ':') {
      int s;
      if (S_digits(p + 1, 2, &s) || s > 60)
        return;
      p += 3;
      if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9')
          return;
        while (*p >= '0' && *p <= '9')
          p++;
      }
    }
    int zh, zm;
    if ((*p == 'Z' || *p == 'z') && !p[1])
      snprintf(time, sizeof time, ", %02d:%02d UTC", h, mi);
    else if ((*p == '+' || *p == '-') && strlen(p) == 6 &&
             !S_digits(p + 1, 2, &zh) && p[3] == ':' &&
             !S_digits(p + 4, 2, &zm) && zh < 24 && zm < 60)
      snprintf(time, sizeof time, ", %02d:%02d UTC%c%02d:%02d", h, mi, *p, zh,
               zm);
    else
      return;
  }
  out->valid = 1;
  snprintf(out->day, sizeof out->day, "%d %s %d", d, months[mo - 1], y);
  snprintf(out->when, sizeof out->when, "%s%s", out->day, time);
  snprintf(out->iso, sizeof out->iso, "%04d-%02d-%02d", y, mo, d);
}

/* ---- numbers by name ---- */

/* Does the last part of name end with suffix (case-insensitive on the
 * suffix's first letter, so "durationMs" and "duration_ms" both match)? */
static size_t S_suffix(const char *name, const char *suffix) {
  size_t n = strlen(name), k = strlen(suffix);
  if (n <= k)
    return 0;
  const char *s = name + n - k;
  if (strcmp(s + 1, suffix + 1) != 0)
    return 0;
  char c0 = suffix[0];
  if (s[0] == c0 - 'a' + 'A' && s[-1] >= 'a' && s[-1] <= 'z')
    return k; /* camelCase */
  if (s[0] == c0 && (s[-1] == '_' || s[-1] == '-'))
    return k + 1; /* snake_case */
  return 0;
}

/* Does name hold the word w (lower case) as a word of its own: at the
 * start, after '_', '-', '.', or capitalised in camelCase ("talkRatio",
 * "talk_ratio", "ratio"), but not inside another ("duration")? */
static int S_has_word(const char *name, const char *w) {
  size_t k = strlen(w);
  for (const char *p = name; *p; p++) {
    size_t i = 0;
    while (i < k && p[i] &&
           (p[i] == w[i] || (i == 0 && p[i] == w[i] - 'a' + 'A')))
      i++;
    if (i < k)
      continue;
    if (p == name || !(p[-1] >= 'a' && p[-1] <= 'z') ||
        (p[0] >= 'A' && p[0] <= 'Z'))
      return 1;
  }
  return 0;
}

quire__num_kind quire__num_kind_of(const char *name, size_t *cut) {
  size_t k;
  *cut = 0;
  if ((k = S_suffix(name, "ms")) != 0) {
    *cut = k;
    return QUIRE__NUM_MS;
  }
  if ((k = S_suffix(name, "sec")) != 0 ||
      (k = S_suffix(name, "seconds")) != 0 ||
      (k = S_suffix(name, "secs")) != 0) {
    *cut = k;
    return QUIRE__NUM_SEC;
  }
  const char *last = strrchr(name, '.');
  last = last ? last + 1 : name;
  if (S_has_word(last, "ratio") || S_has_word(last, "rate") ||
      S_has_word(last, "share"))
    return QUIRE__NUM_RATIO;
  return QUIRE__NUM_PLAIN;
}

int quire__is_score_name(const char *name) {
  return name && S_has_word(name, "score");
}

int quire__is_ratio_name(const char *name) {
  return name && S_has_word(name, "ratio");
}

double quire__score_place(double v, int integral) {
  if (!integral)
    return v >= 0 && v <= 1 ? v : -1;
  return v >= 0 && v <= 100 ? v / 100 : -1;
}

void quire__duration_format(quire_buf *b, double seconds) {
  long s = (long)(seconds + 0.5);
  long h = s / 3600, m = s / 60 % 60, sec = s % 60;
  if (h)
    quire_buf_printf(b, "%ld h %ld min %ld s", h, m, sec);
  else if (m)
    quire_buf_printf(b, "%ld min %ld s", m, sec);
  else
    quire_buf_printf(b, "%ld s", sec);
}
