/* Memory within the input cap (issue 11): a 64 MiB report of 22 million
 * `{}` took 5.1 GB and, under a memory limit, said "invalid JSON". The
 * tree jansson would build is now estimated first and refused by its real
 * cause; a real allocation failure is reported as out of memory. Each case
 * runs in a child with an address-space limit, so a regression fails the
 * check instead of taking the machine's memory. */
#include "harness.h"
#include "quire.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define S_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define S_ASAN 1
#endif
#endif
#ifndef S_ASAN
#define S_ASAN 0
#endif

#define S_MIB ((size_t)1 << 20)

static const char S_head[] =
    "{\"id\":\"x\",\"createdAt\":\"t\",\"media\":{},\"output\":{\"template\":"
    "\"general_report\"},\"sections\":[";

/* sections holding `unit` repeated to about size bytes. */
static char *S_report(const char *unit, size_t size, size_t *len) {
  quire_buf b = QUIRE_BUF_INIT;
  quire_buf_puts(&b, S_head);
  size_t u = strlen(unit);
  for (size_t i = 0; b.size + u + 3 < size; i++) {
    if (i)
      quire_buf_puts(&b, ",");
    quire_buf_put(&b, unit, u);
  }
  quire_buf_puts(&b, "]}");
  return quire_buf_detach(&b, len);
}

/* Parses data in a child limited to limit_mb of address space; the child
 * writes its error code and message to the pipe. Returns the code. */
static int S_child_parse(const char *data, size_t len, size_t limit_mb,
                         char *msg, size_t msg_size) {
  int fd[2];
  if (pipe(fd) != 0)
    return 1;
  pid_t pid = fork();
  if (pid == 0) {
    close(fd[0]);
    if (limit_mb) {
      struct rlimit rl = {limit_mb * S_MIB, limit_mb * S_MIB};
      setrlimit(RLIMIT_AS, &rl);
    }
    quire_doc *doc = NULL;
    quire_error err;
    quire_error_clear(&err);
    int rc = quire_doc_parse(&doc, data, len, NULL, &err);
    char out[600];
    int n = snprintf(out, sizeof out, "%d %s", rc, rc ? err.message : "");
    if (write(fd[1], out, (size_t)n) < 0)
      _exit(2);
    _exit(0);
  }
  close(fd[1]);
  char in[600] = "";
  ssize_t n = read(fd[0], in, sizeof in - 1);
  close(fd[0]);
  int status;
  waitpid(pid, &status, 0);
  if (n <= 0)
    return 1; /* the child died: no answer */
  in[n] = '\0';
  char *sp = strchr(in, ' ');
  snprintf(msg, msg_size, "%s", sp ? sp + 1 : "");
  return atoi(in);
}

static void S_too_many_values(void) {
  size_t len;
  char msg[600];
  /* The report: 64 MiB of `{}`, and the same of `[]`. Refused
   * before jansson builds anything, inside 256 MiB of address space
   * (the input itself is 64 MiB). */
  static const char *const units[] = {"{}", "[]"};
  for (int i = 0; i < 2; i++) {
    char *data = S_report(units[i], 64 * S_MIB - 16, &len);
    int rc = S_child_parse(data, len, S_ASAN ? 0 : 256, msg, sizeof msg);
    T_CHECK(rc == QUIRE_ETOOBIG, "%s: rc %d: %s", units[i], rc, msg);
    T_CHECK(strstr(msg, "too many JSON values") != NULL, "%s: %s", units[i],
            msg);
    free(data);
  }
  /* An ordinary report of many sections is not refused. */
  char *data = S_report("{\"section_title\":\"Item\",\"section_content\":{"
                        "\"type\":\"text\",\"content\":\"Some words about "
                        "the item, with **bold**.\"}}",
                        4 * S_MIB, &len);
  quire_doc *doc = NULL;
  T_INT_EQ(quire_doc_parse(&doc, data, len, NULL, NULL), 0);
  quire_doc_free(doc);
  free(data);
}

/* Under a memory limit an accepted report that cannot be built says out
 * of memory, not "invalid JSON" (ASan reserves its shadow memory up
 * front, so an address-space limit cannot be used there). */
static void S_out_of_memory(void) {
  if (S_ASAN) {
    T_OK(1);
    return;
  }
  size_t len;
  char msg[600];
  char *data = S_report("{\"section_title\":\"Item\",\"section_content\":{"
                        "\"type\":\"text\",\"content\":\"Some words about "
                        "the item, with **bold**.\"}}",
                        48 * S_MIB, &len);
  int rc = S_child_parse(data, len, 200, msg, sizeof msg);
  T_CHECK(rc == QUIRE_ENOMEM, "rc %d: %s", rc, msg);
  T_CHECK(strstr(msg, "out of memory") != NULL, "%s", msg);
  free(data);
}

int main(void) {
  quire_global_init();
  S_too_many_values();
  S_out_of_memory();
  return T_done("json_budget");
}
