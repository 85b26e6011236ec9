#include "safety/text_lang.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

/* Right-to-left strong letters (bidi classes R and AL), by block. */
static int S_rtl_letter(int32_t cp) {
  return (cp >= 0x05D0 && cp <= 0x05FF) || /* Hebrew letters */
         (cp >= 0x0600 && cp <= 0x08FF && !(cp >= 0x064B && cp <= 0x065F) &&
          !(cp >= 0x0660 && cp <= 0x0669) && cp != 0x0670 &&
          !(cp >= 0x06D6 && cp <= 0x06ED) && !(cp >= 0x06F0 && cp <= 0x06F9) &&
          !(cp >= 0x0600 && cp <= 0x061F && cp != 0x061B && cp != 0x061F)) ||
         (cp >= 0xFB1D && cp <= 0xFDFF) || (cp >= 0xFE70 && cp <= 0xFEFC) ||
         (cp >= 0x10800 && cp <= 0x10FFF) || (cp >= 0x1E800 && cp <= 0x1EFFF);
}

/* Characters that are not strong letters (digits, punctuation, symbols,
 * marks, spaces) outside ASCII and the right-to-left blocks. */
static int S_neutral(int32_t cp) {
  if (cp < 0x80)
    return !((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z'));
  if (cp < 0xC0)
    return cp != 0xAA && cp != 0xB5 && cp != 0xBA;
  return cp == 0xD7 || cp == 0xF7 || (cp >= 0x02B9 && cp <= 0x02FF) ||
         (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x0591 && cp <= 0x05CF) ||
         (cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x3004) ||
         (cp >= 0x3008 && cp <= 0x3020) || cp == 0x3030 || cp == 0x30FB ||
         (cp >= 0xFE00 && cp <= 0xFE6F) || (cp >= 0xFF00 && cp <= 0xFF20) ||
         (cp >= 0xFF3B && cp <= 0xFF40) || (cp >= 0xFF5B && cp <= 0xFF65) ||
         cp >= 0xFFF0;
}

int quire__text_rtl(const char *s, size_t len) {
  for (size_t i = 0; s && i < len;) {
    int32_t cp;
    int n = quire__utf8_decode(s + i, len - i, &cp);
    if (n < 1) {
      i++;
      continue;
    }
    i += (size_t)n;
    if (S_rtl_letter(cp))
      return 1;
    if (!(cp >= 0x0590 && cp <= 0x08FF) && !S_neutral(cp))
      return 0;
  }
  return 0;
}

/* ---- language ---- */

enum { S_EN, S_FR, S_DE, S_ES, S_PT, S_IT, S_NL, S_NLATIN };
static const char *const S_latin_tag[S_NLATIN] = {"en", "fr", "de", "es",
                                                  "pt", "it", "nl"};

/* Common function words, space-separated, lower case. A word several
 * languages share ("de", "la") scores for each. */
static const char *const S_words[S_NLATIN] = {
    " the and of to in is with for on that she he her his it as by at be "
    "was from this how what are you your we not they their has have ",
    " le la les des du de et un une est en que qui dans pour pas sur au aux "
    "avec elle il ce sont nous vous mais ou son sa ses cette ",
    " der die das und ist nicht mit ein eine zu den dem von auf für sie es "
    "sich auch im wir ich ",
    " el la los las de y que en un una es por con para del al no se lo su "
    "pero como ",
    " o a os as de e que em um uma do da dos das para com não no na por se "
    "mas como ",
    " il la le di e che in un una per con non del della è sono al gli ",
    " de het een en van is dat op te met voor niet zijn ik je ook ",
};

/* Letters a language uses often and its neighbours rarely. */
static int S_letter_lang(int32_t cp) {
  switch (cp) {
  case 0xE9:
  case 0xE8:
  case 0xEA:
  case 0xEB:
  case 0xEE:
  case 0xEF:
  case 0x153:
  case 0xE7:
  case 0xF9:
  case 0xFB: return S_FR;
  case 0xE4:
  case 0xF6:
  case 0xFC:
  case 0xDF: return S_DE;
  case 0xF1:
  case 0xE1:
  case 0xED:
  case 0xF3:
  case 0xFA:
  case 0xBF:
  case 0xA1: return S_ES;
  case 0xE3:
  case 0xF5: return S_PT;
  case 0xF2:
  case 0xEC: return S_IT;
  default: return -1;
  }
}

enum {
  S_LATIN,
  S_ARABIC,
  S_HEBREW,
  S_GREEK,
  S_CYRILLIC,
  S_HANGUL,
  S_KANA,
  S_HAN,
  S_THAI,
  S_DEVANAGARI,
  S_ARMENIAN,
  S_GEORGIAN,
  S_NSCRIPT
};
static const char *const S_script_tag[S_NSCRIPT] = {
    NULL, "ar", "he", "el", "ru", "ko", "ja", "zh", "th", "hi", "hy", "ka"};

static int S_script(int32_t cp) {
  if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
      (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
      (cp >= 0x1E00 && cp <= 0x1EFF))
    return S_LATIN;
  if ((cp >= 0x0620 && cp <= 0x064A) || (cp >= 0x0671 && cp <= 0x06D3) ||
      (cp >= 0xFB50 && cp <= 0xFDFF) || (cp >= 0xFE70 && cp <= 0xFEFC))
    return S_ARABIC;
  if (cp >= 0x05D0 && cp <= 0x05EA)
    return S_HEBREW;
  if (cp >= 0x0370 && cp <= 0x03FF && cp != 0x037E && cp != 0x0387)
    return S_GREEK;
  if (cp >= 0x0400 && cp <= 0x04FF)
    return S_CYRILLIC;
  if ((cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0x1100 && cp <= 0x11FF))
    return S_HANGUL;
  if ((cp >= 0x3041 && cp <= 0x3096) || (cp >= 0x30A1 && cp <= 0x30FA))
    return S_KANA;
  if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF))
    return S_HAN;
  if (cp >= 0x0E01 && cp <= 0x0E2E)
    return S_THAI;
  if (cp >= 0x0904 && cp <= 0x0939)
    return S_DEVANAGARI;
  if (cp >= 0x0531 && cp <= 0x0587)
    return S_ARMENIAN;
  if (cp >= 0x10D0 && cp <= 0x10FA)
    return S_GEORGIAN;
  return -1;
}

typedef struct S_tally {
  double latin[S_NLATIN];
  long script[S_NSCRIPT];
} S_tally;

/* The lists as one table, word -> the languages that list it, built once
 * per process: looking a word up in each list with strstr was most of an
 * HTML render (issue 15). No list word is longer than S_WORD_MAX bytes, so
 * a word fits a 64-bit key with its length. */
#define S_WORD_MAX 5
#define S_SLOTS 512 /* a power of two, well over the lists' 138 words */
typedef struct S_slot {
  uint64_t key; /* 0: empty */
  unsigned mask;
} S_slot;
static S_slot S_table[S_SLOTS];
static pthread_once_t S_table_once = PTHREAD_ONCE_INIT;

static uint64_t S_key(const char *w, size_t n) {
  uint64_t k = (uint64_t)n << 40;
  for (size_t i = 0; i < n; i++)
    k |= (uint64_t)(unsigned char)w[i] << (8 * i);
  return k;
}

static S_slot *S_find(uint64_t key) {
  size_t i = (size_t)((key * 0x9E3779B97F4A7C15u) >> 55) & (S_SLOTS - 1);
  while (S_table[i].key && S_table[i].key != key)
    i = (i + 1) & (S_SLOTS - 1);
  return &S_table[i];
}

static void S_table_build(void) {
  for (int l = 0; l < S_NLATIN; l++) {
    const char *p = S_words[l];
    while (*p) {
      while (*p == ' ')
        p++;
      size_t n = strcspn(p, " ");
      if (n > 0 && n <= S_WORD_MAX) {
        S_slot *sl = S_find(S_key(p, n));
        sl->key = S_key(p, n);
        sl->mask |= 1u << l;
      }
      p += n;
    }
  }
}

/* A lower-case word (ASCII letters folded; others as they are) scored
 * against each list. */
static void S_word(S_tally *t, const char *w, size_t n) {
  if (n == 0 || n > S_WORD_MAX)
    return;
  unsigned mask = S_find(S_key(w, n))->mask;
  for (int l = 0; l < S_NLATIN; l++)
    if (mask & (1u << l))
      t->latin[l] += 1;
}

/* At most this much of a text is read: the guess needs a few hundred
 * words, and a report can be megabytes. */
#define S_READ_MAX (64 * 1024)

static void S_count(S_tally *t, const char *s, size_t len) {
  char w[16];
  size_t wn = 0;
  int too_long = 0;
  long letters = 0; /* ASCII letters, added to the tally at the end */
  if (len > S_READ_MAX)
    len = S_READ_MAX;
  pthread_once(&S_table_once, S_table_build);
  for (size_t i = 0; s && i <= len;) {
    if (i < len && (unsigned char)s[i] < 0x80) {
      /* ASCII, most of any text, the way the general case below takes it
       * (no ASCII character is one of S_letter_lang's letters), a run at
       * a time. */
      do {
        unsigned char c = (unsigned char)s[i++], lc = c | 0x20;
        if ((unsigned char)(lc - 'a') < 26) {
          letters++;
          if (wn + 1 < sizeof w)
            w[wn++] = (char)lc;
          else
            too_long = 1;
          continue;
        }
        if (c != '\'' && !too_long)
          S_word(t, w, wn);
        wn = 0;
        too_long = 0;
      } while (i < len && (unsigned char)s[i] < 0x80);
      continue;
    }
    int32_t cp = ' ';
    int n = 1;
    if (i < len) {
      n = quire__utf8_decode(s + i, len - i, &cp);
      if (n < 1) {
        cp = '?';
        n = 1;
      }
    }
    i += (size_t)n;
    int sc = S_script(cp);
    if (sc >= 0)
      t->script[sc]++;
    int ll = S_letter_lang(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
    if (ll < 0 && cp >= 0xC0 && cp <= 0xDE)
      ll = S_letter_lang(cp + 32); /* capitals of the same letters */
    if (ll >= 0)
      t->latin[ll] += 0.5;
    if (sc == S_LATIN) {
      /* a word: letters, folded to lower case, kept in UTF-8 */
      int32_t lc = cp >= 'A' && cp <= 'Z'                   ? cp + 32
                   : cp >= 0xC0 && cp <= 0xDE && cp != 0xD7 ? cp + 32
                                                            : cp;
      char enc[4];
      int m = quire__utf8_encode(lc, enc);
      if (wn + (size_t)m < sizeof w)
        memcpy(w + wn, enc, (size_t)m), wn += (size_t)m;
      else
        too_long = 1;
      continue;
    }
    if (cp == '\'' || cp == 0x2019) {
      wn = 0; /* "l'équipe", "d'un": the part after the apostrophe */
      too_long = 0;
      continue;
    }
    if (!too_long)
      S_word(t, w, wn);
    wn = 0;
    too_long = 0;
  }
  t->script[S_LATIN] += letters;
}

static const char *S_decide(const S_tally *t) {
  long letters = 0, best_script = 0;
  int bs = -1;
  for (int k = 0; k < S_NSCRIPT; k++) {
    letters += t->script[k];
    if (t->script[k] > best_script) {
      best_script = t->script[k];
      bs = k;
    }
  }
  if (letters == 0)
    return NULL;
  /* Japanese writes with Han and kana together. */
  if (t->script[S_KANA] > 0 &&
      2 * (t->script[S_KANA] + t->script[S_HAN]) > letters)
    return "ja";
  if (bs > S_LATIN && 2 * best_script > letters)
    return S_script_tag[bs];
  if (bs != S_LATIN)
    return NULL;
  int best = -1;
  double top = 0, second = 0;
  for (int l = 0; l < S_NLATIN; l++) {
    if (t->latin[l] > top) {
      second = top;
      top = t->latin[l];
      best = l;
    } else if (t->latin[l] > second) {
      second = t->latin[l];
    }
  }
  return best >= 0 && top >= 2 && top > second ? S_latin_tag[best] : NULL;
}

const char *quire__text_lang(const char *head, size_t head_len,
                             const char *body, size_t body_len) {
  S_tally t;
  memset(&t, 0, sizeof t);
  S_count(&t, head, head_len);
  const char *lang = S_decide(&t);
  if (lang)
    return lang;
  S_count(&t, body, body_len);
  return S_decide(&t);
}

int quire__lang_tag_ok(const char *s) {
  size_t n = s ? strlen(s) : 0;
  if (n == 0 || n > 35 ||
      !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
    return 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
          (c >= '0' && c <= '9') || c == '-'))
      return 0;
  }
  return 1;
}
