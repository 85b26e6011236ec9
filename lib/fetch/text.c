/* Small helpers for text and time in the client. */
#include "fetch.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

void quire__sanitize(char *s) {
  unsigned char *p = (unsigned char *)s;
  while (*p) {
    if (*p < 0x20 || *p == 0x7f) {
      *p++ = '?';
    } else if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) {
      p[0] = '?'; /* C1 control: U+0080..U+009F, CSI among them */
      p[1] = '?';
      p += 2;
    } else if (p[0] == 0xE2 && p[1] &&
               ((p[1] == 0x80 && p[2] >= 0xAA && p[2] <= 0xAE) ||
                (p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9))) {
      /* Bidi embeddings, overrides and isolates reorder what a terminal
       * shows ("Trojan Source"). */
      p[0] = p[1] = p[2] = '?';
      p += 3;
    } else {
      p++;
    }
  }
}

void quire__redact(char *s, size_t size, const char *secret) {
  static const char mark[] = "[redacted]";
  size_t sl = secret ? strlen(secret) : 0;
  if (!s || !sl)
    return;
  char *hit, *from = s;
  /* Search on after each replacement: the mark itself may contain the
   * secret (a key "red" would otherwise loop for ever). */
  while ((hit = strstr(from, secret)) != NULL) {
    size_t len = strlen(s);
    size_t ml = sizeof mark - 1;
    if (len - sl + ml < size) {
      memmove(hit + ml, hit + sl, len - (size_t)(hit - s) - sl + 1);
      memcpy(hit, mark, ml);
      from = hit + ml;
    } else {
      memset(hit, '*', sl);
      from = hit + sl;
    }
  }
}

void quire__random(void *out, size_t n) {
  unsigned char *p = out;
  size_t got = 0;
  while (got < n) {
    ssize_t r = getrandom(p + got, n - got, 0);
    if (r < 0) {
      if (errno == EINTR)
        continue;
      break;
    }
    got += (size_t)r;
  }
  if (got < n) {
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    while (fd >= 0 && got < n) {
      ssize_t r = read(fd, p + got, n - got);
      if (r <= 0)
        break;
      got += (size_t)r;
    }
    if (fd >= 0)
      close(fd);
  }
  if (got < n) { /* last resort: ids only need to be unlikely to repeat */
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t x = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^
                 ((uint64_t)getpid() << 40) ^ (uint64_t)(uintptr_t)out;
    for (; got < n; got++) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      p[got] = (unsigned char)x;
    }
  }
}

void quire__hex(char *out, const unsigned char *in, size_t n) {
  static const char hex[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    out[2 * i] = hex[in[i] >> 4];
    out[2 * i + 1] = hex[in[i] & 15];
  }
  out[2 * n] = '\0';
}

double quire__now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void quire__sleep_ms(long ms) {
  if (ms <= 0)
    return;
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L}, rem;
  while (nanosleep(&ts, &rem) != 0 && errno == EINTR)
    ts = rem;
}
