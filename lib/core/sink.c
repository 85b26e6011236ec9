#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
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
  int fd;     /* the temporary file, or the device/FIFO itself */
  int failed; /* first write error (errno), sticky */
  int direct; /* writing straight into a device or FIFO: no rename */
  char *path; /* final name, symlinks resolved */
  char *tmp;  /* PATH.XXXXXX; NULL when direct */
  quire_atomic_group *group; /* commit hands the file to it; may be NULL */
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

static void S_atomic_free(quire_atomic *f) {
  if (!f)
    return;
  free(f->path);
  free(f->tmp);
  free(f);
}

/* Sets err for path and returns QUIRE_EIO. */
static int S_fail(quire_error *err, const char *path, const char *what,
                  const char *why) {
  quire__error_source(err, path);
  return quire__error_set(err, QUIRE_EIO, "%s: %s", what, why);
}

/*
 * Follows symlinks at the end of path (up to 40, as the kernel does), so
 * that the rename replaces the file a link points to and keeps the link.
 * A dangling link resolves to the file it names. Directory components need
 * no resolving: rename follows them itself. Returns a malloc'd path, or
 * NULL with *e set.
 */
static char *S_resolve(const char *path, int *e) {
  char *cur = quire__strndup(path, strlen(path));
  for (int hops = 0; cur && hops < 40; hops++) {
    struct stat st;
    if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode))
      return cur;
    char target[4096];
    ssize_t n = readlink(cur, target, sizeof target - 1);
    if (n < 0) {
      *e = errno;
      free(cur);
      return NULL;
    }
    target[n] = '\0';
    const char *slash = strrchr(cur, '/');
    size_t dir = target[0] == '/' || !slash ? 0 : (size_t)(slash - cur) + 1;
    char *next = quire__malloc(dir + (size_t)n + 1);
    if (next) {
      memcpy(next, cur, dir);
      memcpy(next + dir, target, (size_t)n + 1);
    }
    free(cur);
    cur = next;
  }
  *e = cur ? ELOOP : ENOMEM;
  free(cur);
  return NULL;
}

/* A character device (/dev/null, a terminal) or a FIFO cannot be replaced
 * and need not be: the data goes straight into it, and nothing is ever
 * renamed over or unlinked. */
static int S_open_direct(quire_atomic *f, const char *path, quire_error *err) {
  f->direct = 1;
  f->path = quire__strndup(path, strlen(path));
  if (!f->path)
    return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  f->fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
  if (f->fd < 0)
    return S_fail(err, path, "cannot open output", strerror(errno));
  return 0;
}

/* Gives the temporary file the mode of the file it will replace (and, for
 * root, its owner and group, best effort), before any data is in it: a
 * 0600 report must never be readable by others, even for a moment. Only
 * the permission bits are kept; set-id bits make no sense on a document. */
static void S_copy_owner(int fd, const struct stat *old) {
  if (geteuid() == 0 && fchown(fd, old->st_uid, old->st_gid) != 0) {
    /* best effort: e.g. a file system without owners */
  }
  if (fchmod(fd, old->st_mode & 0777) != 0) {
    /* best effort, as above: the data is still written */
  }
}

static int S_open_temp(quire_atomic *f, const char *shown,
                       const struct stat *old, quire_error *err) {
  size_t n = strlen(f->path);
  f->tmp = quire__malloc(n + 8);
  if (!f->tmp)
    return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  memcpy(f->tmp, f->path, n);
  f->tmp[n] = '.';
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  unsigned long long seed =
      (unsigned long long)ts.tv_nsec ^ ((unsigned long long)ts.tv_sec << 20) ^
      ((unsigned long long)getpid() << 40) ^ (unsigned long long)(uintptr_t)f;
  int e = 0;
  for (int tries = 0; tries < 100 && f->fd < 0; tries++) {
    S_suffix(f->tmp + n + 1,
             seed + (unsigned long long)tries * 0x9e3779b97f4a7c15ULL);
    f->fd = open(f->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    e = errno;
    if (f->fd < 0 && e != EEXIST)
      break;
  }
  if (f->fd < 0) {
    free(f->tmp);
    f->tmp = NULL; /* nothing of ours to unlink */
    return S_fail(err, shown, "cannot create output file", strerror(e));
  }
  if (old)
    S_copy_owner(f->fd, old);
  return 0;
}

/* An existing regular file is replaced only when the caller may write it:
 * the rename needs only a writable directory, which would let a read-only
 * file be replaced silently. */
static int S_open_replace(quire_atomic *f, const char *path,
                          const struct stat *old, quire_error *err) {
  int e = 0;
  if (old && access(path, W_OK) != 0)
    return S_fail(err, path, "cannot replace output file", strerror(errno));
  f->path = S_resolve(path, &e);
  if (!f->path)
    return e == ENOMEM
               ? quire__error_set(err, QUIRE_ENOMEM, "out of memory")
               : S_fail(err, path, "cannot create output file", strerror(e));
  return S_open_temp(f, path, old, err);
}

int quire_atomic_open(quire_atomic **out, const char *path, quire_error *err) {
  return quire_atomic_open_in(out, NULL, path, err);
}

int quire_atomic_open_in(quire_atomic **out, quire_atomic_group *group,
                         const char *path, quire_error *err) {
  *out = NULL;
  if (!path || !*path)
    return quire__error_set(err, QUIRE_EINVAL, "no output path given");
  quire_atomic *f = quire__calloc(1, sizeof *f);
  if (!f)
    return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  f->fd = -1;
  /* What is there decides how to write: stat follows symlinks, so
   * /dev/stdout and a link to /dev/null count as the device. */
  struct stat st;
  int rc;
  if (stat(path, &st) != 0) {
    rc = errno == ENOENT
             ? S_open_replace(f, path, NULL, err)
             : S_fail(err, path, "cannot create output file", strerror(errno));
  } else if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) {
    rc = S_open_direct(f, path, err);
  } else if (S_ISDIR(st.st_mode)) {
    rc = S_fail(err, path, "cannot write output file", strerror(EISDIR));
  } else if (!S_ISREG(st.st_mode)) {
    rc = S_fail(err, path, "cannot write output file",
                "not a regular file, character device or FIFO; not replaced");
  } else {
    rc = S_open_replace(f, path, &st, err);
  }
  if (rc != 0) {
    if (f->fd >= 0)
      close(f->fd);
    S_atomic_free(f);
    return rc;
  }
  f->group = group;
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

void quire_atomic_abort(quire_atomic *f) {
  if (!f)
    return;
  if (f->fd >= 0)
    close(f->fd);
  if (f->tmp)
    unlink(f->tmp);
  S_atomic_free(f);
}

/* The rename must not land on something that became a device, directory
 * or socket since the open: only a regular file (or nothing) is replaced. */
static int S_still_replaceable(const char *path) {
  struct stat st;
  if (lstat(path, &st) != 0)
    return errno == ENOENT ? 0 : errno;
  return S_ISREG(st.st_mode) ? 0 : EEXIST;
}

int quire_atomic_commit(quire_atomic *f, quire_error *err) {
  if (!f)
    return quire__error_set(err, QUIRE_EINVAL, "no output file");
  int e = f->failed;
  /* fsync means nothing on a device or pipe (and fails there: EINVAL). A
   * group syncs its files together later. */
  if (!e && !f->direct && !f->group && fsync(f->fd) != 0)
    e = errno;
  if (close(f->fd) != 0 && !e)
    e = errno;
  f->fd = -1;
  if (!e && !f->direct && f->group) {
    int rc = quire__atomic_group_add(f->group, f->tmp, f->path);
    f->tmp = f->path = NULL; /* the group's now, freed by it */
    S_atomic_free(f);
    return rc ? quire__error_set(err, rc, "out of memory") : 0;
  }
  if (!e && !f->direct)
    e = S_still_replaceable(f->path);
  if (!e && !f->direct && rename(f->tmp, f->path) != 0)
    e = errno;
  if (e) {
    quire__error_source(err, f->path);
    quire__error_set(err, QUIRE_EIO, "cannot write output file: %s",
                     e == EEXIST
                         ? "it is no longer a regular file; not replaced"
                         : strerror(e));
    if (f->tmp)
      unlink(f->tmp);
    S_atomic_free(f);
    return QUIRE_EIO;
  }
  S_atomic_free(f);
  return 0;
}
