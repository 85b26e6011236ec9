#define _GNU_SOURCE /* syncfs */
#include "outdir.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct cli_outfile {
  cli_outdir *dir;
  int fd;                   /* the temporary, open until finish */
  int failed;               /* first write errno, sticky */
  char *name;               /* final name in dir */
  char *tmp;                /* NAME.XXXXXX in dir */
  cli_outfile *prev, *next; /* S_live: every temporary that exists */
  cli_outfile *pnext;       /* dir's pending list, once finished */
};

struct cli_outdir {
  int fd;
  char *path;         /* for messages */
  pthread_mutex_t mu; /* guards pending */
  cli_outfile *pending, **ptail;
};

/* Every temporary of every set that exists on disk, and the lock held
 * around each create, rename and unlink of one: the signal thread takes
 * it and keeps it, so nothing is created after it cleaned up. */
static pthread_mutex_t S_live_mu = PTHREAD_MUTEX_INITIALIZER;
static cli_outfile *S_live;

static void S_live_add(cli_outfile *f) {
  f->prev = NULL;
  f->next = S_live;
  if (S_live)
    S_live->prev = f;
  S_live = f;
}

static void S_live_remove(cli_outfile *f) {
  if (f->prev)
    f->prev->next = f->next;
  else if (S_live == f)
    S_live = f->next;
  if (f->next)
    f->next->prev = f->prev;
  f->prev = f->next = NULL;
}

/* what (may be "") then why, e.g. "cannot create output file: " + errno. */
static int S_fail(quire_error *err, const cli_outdir *d, const char *name,
                  int code, const char *what, const char *why) {
  quire_error_clear(err);
  if (strcmp(d->path, ".") == 0)
    snprintf(err->source, sizeof err->source, "%s", name);
  else
    snprintf(err->source, sizeof err->source, "%s%s%s", d->path,
             d->path[strlen(d->path) - 1] == '/' ? "" : "/", name);
  snprintf(err->message, sizeof err->message, "%s%s", what, why);
  err->code = code;
  return code;
}

int cli_outdir_open(cli_outdir **out, const char *dir, quire_error *err) {
  *out = NULL;
  cli_outdir *d = calloc(1, sizeof *d);
  if (d)
    d->path = strdup(dir);
  if (!d || !d->path) {
    free(d);
    quire_error_clear(err);
    err->code = QUIRE_ENOMEM;
    snprintf(err->message, sizeof err->message, "out of memory");
    return QUIRE_ENOMEM;
  }
  d->fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (d->fd < 0) {
    int e = errno;
    quire_error_clear(err);
    snprintf(err->source, sizeof err->source, "%s", dir);
    snprintf(err->message, sizeof err->message,
             "cannot open output directory: %s", strerror(e));
    err->code = QUIRE_EIO;
    free(d->path);
    free(d);
    return QUIRE_EIO;
  }
  pthread_mutex_init(&d->mu, NULL);
  d->ptail = &d->pending;
  *out = d;
  return 0;
}

int cli_outdir_fd(const cli_outdir *d) { return d->fd; }

static void S_file_free(cli_outfile *f) {
  free(f->name);
  free(f->tmp);
  free(f);
}

/* Unlinks f's temporary (if it still exists) and frees f. */
static void S_discard(cli_outfile *f) {
  if (f->fd >= 0)
    close(f->fd);
  pthread_mutex_lock(&S_live_mu);
  if (f->tmp)
    unlinkat(f->dir->fd, f->tmp, 0);
  S_live_remove(f);
  pthread_mutex_unlock(&S_live_mu);
  S_file_free(f);
}

void cli_outdir_close(cli_outdir *d) {
  if (!d)
    return;
  for (cli_outfile *f = d->pending, *next; f; f = next) {
    next = f->pnext;
    S_discard(f);
  }
  close(d->fd);
  pthread_mutex_destroy(&d->mu);
  free(d->path);
  free(d);
}

/* What is at name decides whether it may be replaced: nothing, or a
 * regular file the caller may write (the rename needs only a writable
 * directory, which would replace a read-only file silently). Returns 0, or
 * an error with *st filled when something is there. */
static int S_check_name(cli_outdir *d, const char *name, struct stat *st,
                        int *exists, quire_error *err) {
  *exists = 0;
  if (fstatat(d->fd, name, st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT)
      return 0;
    return S_fail(err, d, name, QUIRE_EIO,
                  "cannot write output file: ", strerror(errno));
  }
  *exists = 1;
  if (S_ISLNK(st->st_mode))
    return S_fail(err, d, name, QUIRE_EIO, "",
                  "is a symbolic link: not followed (batch and page-set "
                  "output replaces only regular files)");
  if (S_ISDIR(st->st_mode))
    return S_fail(err, d, name, QUIRE_EIO, "", "is a directory; not replaced");
  if (!S_ISREG(st->st_mode))
    return S_fail(err, d, name, QUIRE_EIO, "",
                  "is not a regular file; not replaced");
  if (faccessat(d->fd, name, W_OK, 0) != 0)
    return S_fail(err, d, name, QUIRE_EIO,
                  "cannot replace output file: ", strerror(errno));
  return 0;
}

/* The temporary's suffix: open(O_EXCL) catches a clash, so it only has to
 * be unlikely to exist (mkstemp would give mode 0600 regardless of the
 * umask, and the umask cannot be read without a race with other threads). */
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

int cli_outfile_open(cli_outfile **out, cli_outdir *d, const char *name,
                     quire_error *err) {
  *out = NULL;
  if (!*name || strchr(name, '/') || strlen(name) > 240)
    return S_fail(err, d, name, QUIRE_EIO, "", "not a usable output file name");
  struct stat st;
  int exists, rc = S_check_name(d, name, &st, &exists, err);
  if (rc)
    return rc;
  cli_outfile *f = calloc(1, sizeof *f);
  size_t n = strlen(name);
  if (f) {
    f->name = strdup(name);
    f->tmp = malloc(n + 8);
  }
  if (!f || !f->name || !f->tmp) {
    if (f)
      S_file_free(f);
    return S_fail(err, d, name, QUIRE_ENOMEM, "", "out of memory");
  }
  f->dir = d;
  f->fd = -1;
  memcpy(f->tmp, name, n);
  f->tmp[n] = '.';
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  unsigned long long seed =
      (unsigned long long)ts.tv_nsec ^ ((unsigned long long)ts.tv_sec << 20) ^
      ((unsigned long long)getpid() << 40) ^ (unsigned long long)(uintptr_t)f;
  int e = 0;
  pthread_mutex_lock(&S_live_mu);
  for (int tries = 0; tries < 100 && f->fd < 0; tries++) {
    S_suffix(f->tmp + n + 1,
             seed + (unsigned long long)tries * 0x9e3779b97f4a7c15ULL);
    f->fd = openat(d->fd, f->tmp,
                   O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    e = errno;
    if (f->fd < 0 && e != EEXIST)
      break;
  }
  if (f->fd >= 0)
    S_live_add(f);
  pthread_mutex_unlock(&S_live_mu);
  if (f->fd < 0) {
    S_file_free(f);
    return S_fail(err, d, name, QUIRE_EIO,
                  "cannot create output file: ", strerror(e));
  }
  /* The replaced file's mode (and, for root, owner) before any data is in
   * the temporary: a 0600 report is never readable by others, even for a
   * moment. Best effort: a file system without owners still gets data. */
  if (exists) {
    if (geteuid() == 0 && fchown(f->fd, st.st_uid, st.st_gid) != 0) {
      /* best effort, as said above */
    }
    if (fchmod(f->fd, st.st_mode & 0777) != 0) {
      /* best effort, as said above */
    }
  }
  *out = f;
  return 0;
}

static int S_write(void *payload, const void *data, size_t len) {
  cli_outfile *f = payload;
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

quire_sink cli_outfile_sink(cli_outfile *f) {
  quire_sink s = {S_write, f};
  return s;
}

int cli_outfile_write_errno(const cli_outfile *f) { return f->failed; }

void cli_outfile_abort(cli_outfile *f) {
  if (f)
    S_discard(f);
}

int cli_outfile_finish(cli_outfile *f, quire_error *err) {
  int e = f->failed;
  if (close(f->fd) != 0 && !e)
    e = errno;
  f->fd = -1;
  if (e) {
    S_fail(err, f->dir, f->name, QUIRE_EIO, "write error: ", strerror(e));
    S_discard(f);
    return QUIRE_EIO;
  }
  cli_outdir *d = f->dir;
  pthread_mutex_lock(&d->mu);
  f->pnext = NULL;
  *d->ptail = f;
  d->ptail = &f->pnext;
  pthread_mutex_unlock(&d->mu);
  return 0;
}

int cli_outdir_publish(cli_outdir *d, quire_error *err) {
  pthread_mutex_lock(&d->mu);
  cli_outfile *list = d->pending;
  d->pending = NULL;
  d->ptail = &d->pending;
  pthread_mutex_unlock(&d->mu);
  if (!list)
    return 0;
  /* Data on disk before any name points to it, for the whole set at once
   * (one fsync per file made 200 small reports wait on the journal). */
  int first = syncfs(d->fd) == 0 ? 0 : errno;
  const char *bad = list->name;
  size_t nbad = 0;
  for (cli_outfile *f = list; f; f = f->pnext) {
    int e = first;
    if (!e) {
      struct stat st;
      pthread_mutex_lock(&S_live_mu);
      if (fstatat(d->fd, f->name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        e = errno == ENOENT ? 0 : errno;
      else if (!S_ISREG(st.st_mode))
        e = EEXIST;
      if (!e && renameat(d->fd, f->tmp, d->fd, f->name) != 0)
        e = errno;
      if (!e) {
        free(f->tmp);
        f->tmp = NULL; /* renamed: nothing left to remove */
        S_live_remove(f);
      }
      pthread_mutex_unlock(&S_live_mu);
    }
    if (e && !nbad++) {
      if (!first)
        first = e;
      bad = f->name;
    }
  }
  if (fsync(d->fd) != 0 && !first) {
    first = errno;
    bad = list->name;
    nbad++;
  }
  int rc = 0;
  if (first) {
    char why[160];
    snprintf(why, sizeof why, "%s%s",
             first == EEXIST ? "it is no longer a regular file; not replaced"
                             : strerror(first),
             nbad > 1 ? " (and other files of the set)" : "");
    rc = S_fail(err, d, bad, QUIRE_EIO, "cannot write output file: ", why);
  }
  for (cli_outfile *f = list, *next; f; f = next) {
    next = f->pnext;
    S_discard(f);
  }
  return rc;
}

/* ------------------------------------------------------------------ */
/* Signals                                                             */
/* ------------------------------------------------------------------ */

static sigset_t S_sigs;

static void *S_signal_thread(void *arg) {
  (void)arg;
  int sig = 0;
  while (sigwait(&S_sigs, &sig) != 0) {
  }
  /* Kept locked: no temporary is created or renamed after this. */
  pthread_mutex_lock(&S_live_mu);
  for (cli_outfile *f = S_live; f; f = f->next)
    if (f->tmp)
      unlinkat(f->dir->fd, f->tmp, 0);
  /* Die of the signal, as the caller expects (status 128 + sig). */
  signal(sig, SIG_DFL);
  sigset_t one;
  sigemptyset(&one);
  sigaddset(&one, sig);
  pthread_sigmask(SIG_UNBLOCK, &one, NULL);
  raise(sig);
  _exit(128 + sig); /* not reached */
}

void cli_signals_start(void) {
  static int started;
  if (started)
    return;
  started = 1;
  sigemptyset(&S_sigs);
  sigaddset(&S_sigs, SIGINT);
  sigaddset(&S_sigs, SIGTERM);
  sigaddset(&S_sigs, SIGHUP);
  /* A signal ignored by whoever started us (nohup) stays ignored. */
  int sigs[] = {SIGINT, SIGTERM, SIGHUP};
  for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
    struct sigaction sa;
    if (sigaction(sigs[i], NULL, &sa) == 0 && sa.sa_handler == SIG_IGN)
      sigdelset(&S_sigs, sigs[i]);
  }
  pthread_sigmask(SIG_BLOCK, &S_sigs, NULL);
  pthread_t th;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  if (pthread_create(&th, &attr, S_signal_thread, NULL) != 0)
    pthread_sigmask(SIG_UNBLOCK, &S_sigs, NULL); /* die as before */
  pthread_attr_destroy(&attr);
}
