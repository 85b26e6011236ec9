#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int S_buf_write(void *payload, const void *data, size_t len) {
  return quire_buf_put(payload, data, len);
}

quire_sink quire_sink_buf(quire_buf *buf) {
  quire_sink s = {S_buf_write, buf};
  return s;
}

static int S_file_write(void *payload, const void *data, size_t len) {
  if (len && fwrite(data, 1, len, (FILE *)payload) != len)
    return QUIRE_EIO;
  return 0;
}

quire_sink quire_sink_file(FILE *fp) {
  quire_sink s = {S_file_write, fp};
  return s;
}

struct quire_atomic {
  int fd;       /* the temporary file */
  int failed;   /* first write error (errno), sticky */
  char *path;   /* final name */
  char *tmp;    /* PATH.XXXXXX */
};

/* The temporary name's suffix. mkstemp would do, but it creates mode 0600
 * and fixing that needs the umask, which can only be read by setting it: a
 * race with every other thread. open(O_EXCL, 0666) applies the umask itself;
 * the suffix only has to be unlikely to exist, and O_EXCL catches the rest. */
static void S_suffix(char *out, unsigned long long seed) {
  static const char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  for (int i = 0; i < 6; i++) {
    seed ^= seed >> 33;
    seed *= 0xff51afd7ed558ccdULL;
    seed ^= seed >> 29;
    out[i] = digits[seed % 36];
  }
  out[6] = '\0';
}

int quire_atomic_open(quire_atomic **out, const char *path, quire_error *err) {
  *out = NULL;
  if (!path || !*path)
    return quire__error_set(err, QUIRE_EINVAL, "no output path given");
  quire_atomic *f = quire__calloc(1, sizeof *f);
  size_t n = strlen(path);
  if (f) {
    f->path = quire__strndup(path, n);
    f->tmp = quire__malloc(n + 8);
  }
  if (!f || !f->path || !f->tmp) {
    if (f) {
      free(f->path);
      free(f->tmp);
      free(f);
    }
    return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  }
  memcpy(f->tmp, path, n);
  f->tmp[n] = '.';
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  unsigned long long seed = (unsigned long long)ts.tv_nsec ^
                            ((unsigned long long)ts.tv_sec << 20) ^
                            ((unsigned long long)getpid() << 40) ^
                            (unsigned long long)(uintptr_t)f;
  f->fd = -1;
  int e = 0;
  for (int tries = 0; tries < 100 && f->fd < 0; tries++) {
    S_suffix(f->tmp + n + 1, seed + (unsigned long long)tries * 0x9e3779b97f4a7c15ULL);
    f->fd = open(f->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    e = errno;
    if (f->fd < 0 && e != EEXIST)
      break;
  }
  if (f->fd < 0) {
    quire__error_source(err, path);
    quire__error_set(err, QUIRE_EIO, "cannot create output file: %s",
                     strerror(e));
    free(f->path);
    free(f->tmp);
    free(f);
    return QUIRE_EIO;
  }
  *out = f;
  return 0;
}

static int S_atomic_write(void *payload, const void *data, size_t len) {
  quire_atomic *f = payload;
  const char *p = data;
  if (f->failed)
    return QUIRE_EIO;
  while (len) {
    ssize_t w = write(f->fd, p, len);
    if (w < 0) {
      if (errno == EINTR)
        continue;
      f->failed = errno;
      return QUIRE_EIO;
    }
    p += w;
    len -= (size_t)w;
  }
  return 0;
}

quire_sink quire_atomic_sink(quire_atomic *file) {
  quire_sink s = {S_atomic_write, file};
  return s;
}

static void S_atomic_free(quire_atomic *f) {
  free(f->path);
  free(f->tmp);
  free(f);
}

void quire_atomic_abort(quire_atomic *f) {
  if (!f)
    return;
  if (f->fd >= 0)
    close(f->fd);
  unlink(f->tmp);
  S_atomic_free(f);
}

int quire_atomic_commit(quire_atomic *f, quire_error *err) {
  if (!f)
    return quire__error_set(err, QUIRE_EINVAL, "no output file");
  int e = f->failed;
  if (!e && fsync(f->fd) != 0)
    e = errno;
  if (close(f->fd) != 0 && !e)
    e = errno;
  f->fd = -1;
  if (!e && rename(f->tmp, f->path) != 0)
    e = errno;
  if (e) {
    quire__error_source(err, f->path);
    quire__error_set(err, QUIRE_EIO, "cannot write output file: %s",
                     strerror(e));
    unlink(f->tmp);
    S_atomic_free(f);
    return QUIRE_EIO;
  }
  S_atomic_free(f);
  return 0;
}
