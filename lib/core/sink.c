#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
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
  memcpy(f->tmp + n, ".XXXXXX", 8);
  f->fd = mkstemp(f->tmp);
  if (f->fd < 0) {
    int e = errno;
    quire__error_source(err, path);
    quire__error_set(err, QUIRE_EIO, "cannot create output file: %s",
                     strerror(e));
    free(f->path);
    free(f->tmp);
    free(f);
    return QUIRE_EIO;
  }
  /* mkstemp makes 0600; an output file should get the usual umask mode. */
  mode_t um = umask(0);
  umask(um);
  fchmod(f->fd, 0666 & ~um);
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
