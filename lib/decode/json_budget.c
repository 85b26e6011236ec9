/* What jansson will allocate for a JSON text, estimated before it builds
 * anything (issue 11: 64 MiB of `{}` took 5.1 GB). */
#include "decode/json_budget.h"

#include <jansson.h>
#include <string.h>

#define S_OBJECT QUIRE__JSON_COST_OBJECT
#define S_ARRAY QUIRE__JSON_COST_ARRAY
#define S_STRING QUIRE__JSON_COST_STRING
#define S_NUMBER QUIRE__JSON_COST_NUMBER
#define S_SLOT QUIRE__JSON_COST_SLOT

void quire__json_estimate(const char *s, size_t len, quire__json_cost *out) {
  memset(out, 0, sizeof *out);
  uint64_t bytes = 0, values = 0;
  size_t depth = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    switch (c) {
    case '{':
    case '[':
      values++;
      bytes += (c == '{' ? S_OBJECT : S_ARRAY) + S_SLOT;
      if (++depth > out->depth)
        out->depth = depth;
      /* jansson stops here with "maximum parsing depth reached": what it
       * built is what was counted so far. */
      if (depth > JSON_PARSER_MAX_DEPTH)
        goto done;
      break;
    case '}':
    case ']': depth -= depth > 0; break;
    case '"': {
      /* A string (or a key, costed alike): skip to its closing quote. */
      size_t j = i + 1;
      while (j < len && s[j] != '"')
        j += s[j] == '\\' ? 2 : 1;
      values++;
      bytes += S_STRING + S_SLOT + (j - i);
      i = j;
      break;
    }
    case 't':
    case 'f':
    case 'n':
      values++;
      bytes += S_SLOT;
      while (i + 1 < len && s[i + 1] >= 'a' && s[i + 1] <= 'z')
        i++;
      break;
    default:
      if (c == '-' || (c >= '0' && c <= '9')) {
        values++;
        bytes += S_NUMBER + S_SLOT;
        while (i + 1 < len &&
               (s[i + 1] == '.' || s[i + 1] == '-' || s[i + 1] == '+' ||
                s[i + 1] == 'e' || s[i + 1] == 'E' ||
                (s[i + 1] >= '0' && s[i + 1] <= '9')))
          i++;
      }
      break;
    }
  }
done:
  out->values = values;
  out->bytes = bytes;
}

uint64_t quire__json_memory_limit(size_t len) {
  uint64_t ratio = (uint64_t)len * QUIRE__JSON_MEMORY_RATIO + (1u << 20);
  return ratio < QUIRE__JSON_MEMORY_MAX ? ratio : QUIRE__JSON_MEMORY_MAX;
}
