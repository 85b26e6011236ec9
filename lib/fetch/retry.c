/* The retry policy: what is retried, and how long to wait before trying
 * again. Pure functions, so that tests pin them down without a server. */
#include "fetch.h"

#include <string.h>

/* 429 and every 5xx. Other 4xx say the request itself is wrong and would
 * fail the same way again. */
int quire__status_retryable(long status) {
  return status == 429 || (status >= 500 && status <= 599);
}

static int S_ieq(const char *a, const char *b, size_t n) {
  for (size_t i = 0; i < n; i++) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z')
      x = (char)(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z')
      y = (char)(y - 'A' + 'a');
    if (x != y || !x)
      return 0;
  }
  return 1;
}

static int S_month(const char *s) {
  static const char m[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
  for (int i = 0; i < 12; i++)
    if (S_ieq(s, m + 3 * i, 3))
      return i + 1;
  return 0;
}

/* Reads exactly n digits (or 1..n when min1). */
static int S_num(const char **sp, int lo_digits, int hi_digits, int *out) {
  const char *s = *sp;
  int v = 0, n = 0;
  while (n < hi_digits && s[n] >= '0' && s[n] <= '9')
    v = v * 10 + (s[n++] - '0');
  if (n < lo_digits)
    return -1;
  *sp = s + n;
  *out = v;
  return 0;
}

static int S_lit(const char **sp, const char *lit) {
  size_t n = strlen(lit);
  if (!S_ieq(*sp, lit, n))
    return -1;
  *sp += n;
  return 0;
}

static int S_time(const char **sp, int *h, int *mi, int *se) {
  if (S_num(sp, 2, 2, h) || S_lit(sp, ":") || S_num(sp, 2, 2, mi) ||
      S_lit(sp, ":") || S_num(sp, 2, 2, se))
    return -1;
  return *h > 23 || *mi > 59 || *se > 60 ? -1 : 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's
 * days_from_civil): no timegm, no time zone, no locale. */
static long long S_days(int y, int m, int d) {
  y -= m <= 2;
  long long era = (y >= 0 ? y : y - 399) / 400;
  long long yoe = y - era * 400;
  long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static int S_mdays(int y, int m) {
  static const int md[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : md[m - 1];
}

long long quire__http_date_parse(const char *s) {
  static const char *const wd[7] = {"Monday",   "Tuesday", "Wednesday",
                                    "Thursday", "Friday",  "Saturday",
                                    "Sunday"};
  int y = 0, mo, d, h, mi, se;
  size_t wl = 0;
  if (!s)
    return -1;
  while (*s == ' ' || *s == '\t')
    s++;
  while ((s[wl] >= 'A' && s[wl] <= 'Z') || (s[wl] >= 'a' && s[wl] <= 'z'))
    wl++;
  int known = 0;
  for (int i = 0; i < 7; i++)
    if ((wl == 3 && S_ieq(s, wd[i], 3)) ||
        (wl == strlen(wd[i]) && S_ieq(s, wd[i], wl)))
      known = 1;
  if (!known)
    return -1;
  int long_name = wl > 3;
  s += wl;
  if (*s == ',') {
    s++;
    if (S_lit(&s, " "))
      return -1;
    if (!long_name) { /* IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT */
      if (S_num(&s, 1, 2, &d) || S_lit(&s, " ") || !(mo = S_month(s)))
        return -1;
      s += 3;
      if (S_lit(&s, " ") || S_num(&s, 4, 4, &y) || S_lit(&s, " ") ||
          S_time(&s, &h, &mi, &se) || S_lit(&s, " GMT"))
        return -1;
    } else { /* RFC 850: Sunday, 06-Nov-94 08:49:37 GMT */
      int yy;
      if (S_num(&s, 2, 2, &d) || S_lit(&s, "-") || !(mo = S_month(s)))
        return -1;
      s += 3;
      if (S_lit(&s, "-") || S_num(&s, 2, 2, &yy) || S_lit(&s, " ") ||
          S_time(&s, &h, &mi, &se) || S_lit(&s, " GMT"))
        return -1;
      y = yy < 70 ? 2000 + yy : 1900 + yy;
    }
  } else if (!long_name && *s == ' ') { /* asctime: Sun Nov  6 08:49:37 1994 */
    s++;
    if (!(mo = S_month(s)))
      return -1;
    s += 3;
    if (S_lit(&s, " "))
      return -1;
    if (*s == ' ')
      s++;
    if (S_num(&s, 1, 2, &d) || S_lit(&s, " ") || S_time(&s, &h, &mi, &se) ||
        S_lit(&s, " ") || S_num(&s, 4, 4, &y))
      return -1;
  } else {
    return -1;
  }
  while (*s == ' ' || *s == '\t')
    s++;
  if (*s || d < 1 || d > S_mdays(y, mo))
    return -1;
  return S_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + (se > 59 ? 59 : se);
}

int quire__retry_after_parse(long *out_ms, const char *value, long long now,
                             long long date_hdr) {
  const char *s = value;
  size_t n;
  if (!s)
    return -1;
  while (*s == ' ' || *s == '\t')
    s++;
  n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
    n--;
  if (n == 0)
    return -1;
  size_t digits = 0;
  while (digits < n && s[digits] >= '0' && s[digits] <= '9')
    digits++;
  if (digits == n) {
    long long secs = 0;
    for (size_t i = 0; i < n; i++)
      if (secs < 100000000LL) /* clamp: anything this long is "too long" */
        secs = secs * 10 + (s[i] - '0');
    *out_ms = (long)(secs * 1000);
    return 0;
  }
  char tmp[64];
  if (n >= sizeof tmp)
    return -1;
  memcpy(tmp, s, n);
  tmp[n] = '\0';
  long long when = quire__http_date_parse(tmp);
  if (when < 0)
    return -1;
  long long ref = date_hdr >= 0 ? date_hdr : now;
  long long delta = when - ref;
  if (delta < 0)
    delta = 0;
  if (delta > 100000000LL)
    delta = 100000000LL;
  *out_ms = (long)(delta * 1000);
  return 0;
}

long quire__backoff_ms(int attempt, uint32_t rnd) {
  long base = QUIRE__BACKOFF_BASE_MS;
  for (int i = 0; i < attempt && base < QUIRE__BACKOFF_CAP_MS; i++)
    base *= 2;
  if (base > QUIRE__BACKOFF_CAP_MS)
    base = QUIRE__BACKOFF_CAP_MS;
  /* Jitter spreads out clients that failed together (thundering herd). */
  long ms = base * 3 / 4 + (long)(rnd % 1000u) * base / 2000;
  return ms > QUIRE__BACKOFF_CAP_MS ? QUIRE__BACKOFF_CAP_MS : ms;
}
