/* quire_atomic_group: files made durable together. Until the group commit
 * every PATH keeps its old content; after it, each has the whole new one,
 * no temporary is left, and a file that can no longer be replaced is an
 * error naming it while the others still land. Files are committed into
 * one group from two threads. Uses only quire.h. */
#include "harness.h"
#include "quire.h"

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char S_dir[256];

static void S_path(char *out, size_t size, const char *name) {
  snprintf(out, size, "%s/%s", S_dir, name);
}

static int S_write(quire_atomic_group *g, const char *name, const char *text) {
  char p[512];
  S_path(p, sizeof p, name);
  quire_atomic *f;
  quire_error err;
  if (quire_atomic_open_in(&f, g, p, &err) != 0)
    return -1;
  quire_sink s = quire_atomic_sink(f);
  if (s.write(s.payload, text, strlen(text)) != 0) {
    quire_atomic_abort(f);
    return -1;
  }
  return quire_atomic_commit(f, &err);
}

/* The file's content ("" when missing), in a static buffer. */
static const char *S_read(const char *name) {
  static char buf[256];
  char p[512];
  S_path(p, sizeof p, name);
  buf[0] = '\0';
  FILE *fp = fopen(p, "rb");
  if (fp) {
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    buf[n] = '\0';
    fclose(fp);
  }
  return buf;
}

/* Entries in the directory, temporaries included. */
static int S_count(void) {
  DIR *d = opendir(S_dir);
  int n = 0;
  for (struct dirent *e; d && (e = readdir(d));)
    n += e->d_name[0] != '.';
  if (d)
    closedir(d);
  return n;
}

static void S_basic(void) {
  quire_atomic_group *g;
  quire_error err;
  T_INT_EQ(quire_atomic_group_new(&g, &err), 0);
  T_INT_EQ(S_write(g, "a.txt", "old a"), 0);
  T_INT_EQ(quire_atomic_group_commit(g, &err), 0);
  T_STR_EQ(S_read("a.txt"), "old a");

  T_INT_EQ(S_write(g, "a.txt", "new a"), 0);
  T_INT_EQ(S_write(g, "b.txt", "new b"), 0);
  /* Committed into the group, not yet published. */
  T_STR_EQ(S_read("a.txt"), "old a");
  T_STR_EQ(S_read("b.txt"), "");
  T_INT_EQ(S_count(), 3); /* a.txt and two temporaries */
  T_INT_EQ(quire_atomic_group_commit(g, &err), 0);
  T_STR_EQ(S_read("a.txt"), "new a");
  T_STR_EQ(S_read("b.txt"), "new b");
  T_INT_EQ(S_count(), 2);
  T_INT_EQ(quire_atomic_group_commit(g, &err), 0); /* nothing pending */

  /* Freed before its commit: the old content stays, no temporary left. */
  T_INT_EQ(S_write(g, "a.txt", "lost"), 0);
  quire_atomic_group_free(g);
  T_STR_EQ(S_read("a.txt"), "new a");
  T_INT_EQ(S_count(), 2);
}

/* A path that became a directory meanwhile is not replaced and is named;
 * the other files of the group still land. */
static void S_not_replaceable(void) {
  quire_atomic_group *g;
  quire_error err;
  char p[512];
  T_INT_EQ(quire_atomic_group_new(&g, &err), 0);
  T_INT_EQ(S_write(g, "c.txt", "c"), 0);
  T_INT_EQ(S_write(g, "d.txt", "d"), 0);
  S_path(p, sizeof p, "c.txt");
  T_INT_EQ(mkdir(p, 0777), 0);
  quire_error_clear(&err);
  T_INT_EQ(quire_atomic_group_commit(g, &err), QUIRE_EIO);
  T_OK(strstr(err.source, "c.txt") != NULL);
  T_OK(strstr(err.message, "no longer a regular file") != NULL);
  T_STR_EQ(S_read("d.txt"), "d");
  T_INT_EQ(S_count(), 4); /* a, b, the c directory, d: no temporary */
  rmdir(p);
  quire_atomic_group_free(g);
  T_INT_EQ(quire_atomic_group_commit(NULL, &err), QUIRE_EINVAL);
}

typedef struct S_arg {
  quire_atomic_group *g;
  int base, failed;
} S_arg;

static void *S_thread(void *p) {
  S_arg *a = p;
  for (int i = 0; i < 200; i++) {
    char name[32], text[32];
    snprintf(name, sizeof name, "t%d.txt", a->base + i);
    snprintf(text, sizeof text, "file %d", a->base + i);
    a->failed += S_write(a->g, name, text) != 0;
  }
  return NULL;
}

static void S_threads(void) {
  quire_atomic_group *g;
  quire_error err;
  T_INT_EQ(quire_atomic_group_new(&g, &err), 0);
  S_arg a[2] = {{g, 0, 0}, {g, 200, 0}};
  pthread_t th[2];
  for (int i = 0; i < 2; i++)
    pthread_create(&th[i], NULL, S_thread, &a[i]);
  for (int i = 0; i < 2; i++)
    pthread_join(th[i], NULL);
  T_INT_EQ(a[0].failed + a[1].failed, 0);
  T_INT_EQ(quire_atomic_group_commit(g, &err), 0);
  quire_atomic_group_free(g);
  T_STR_EQ(S_read("t0.txt"), "file 0");
  T_STR_EQ(S_read("t399.txt"), "file 399");
  T_INT_EQ(S_count(), 403); /* a, b, d and 400 files */
}

int main(void) {
  snprintf(S_dir, sizeof S_dir, "%s/quire-atomic-XXXXXX",
           getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  if (!mkdtemp(S_dir)) {
    perror("mkdtemp");
    return 1;
  }
  S_basic();
  S_not_replaceable();
  S_threads();
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", S_dir);
  if (system(cmd) != 0)
    T_OK(!"cleanup");
  return T_done("atomic_group");
}
