/* Process measurements for bench/compare.py, in a program small enough not
 * to disturb them. Not linked with libquire.
 *
 *   measure CMD [ARG...]
 *       Runs CMD (stdout to /dev/null, stderr inherited) and prints
 *       "WALL_MS CPU_MS MAXRSS_KB STATUS": wall time, user + sys CPU of CMD
 *       and the children it waited for, and its peak RSS, from wait4.
 *       Peak RSS counts what the process held before exec, so the parent
 *       must be small: a Python driver forking directly would add its own
 *       RSS (tens of MB) to every tool's.
 *   measure --spin N
 *       The scaling control: N rounds of register-only integer work; prints
 *       the wall seconds. Two at once on an idle 2-core machine take as long
 *       as one alone.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double S_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int S_spin(long rounds) {
  double t0 = S_now();
  volatile uint64_t x = 88172645463325252u;
  for (long i = 0; i < rounds; i++) {
    uint64_t v = x; /* xorshift */
    for (int k = 0; k < 1000; k++) {
      v ^= v << 13;
      v ^= v >> 7;
      v ^= v << 17;
    }
    x = v;
  }
  printf("%.6f\n", S_now() - t0);
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "--spin") == 0)
    return S_spin(strtol(argv[2], NULL, 10));
  if (argc < 2) {
    fprintf(stderr, "usage: measure CMD [ARG...] | measure --spin N\n");
    return 2;
  }
  double t0 = S_now();
  pid_t pid = fork();
  if (pid < 0) {
    perror("measure: fork");
    return 1;
  }
  if (pid == 0) {
    int fd = open("/dev/null", O_WRONLY);
    if (fd >= 0)
      dup2(fd, 1);
    execvp(argv[1], argv + 1);
    perror(argv[1]);
    _exit(127);
  }
  int status;
  struct rusage ru;
  if (wait4(pid, &status, 0, &ru) < 0) {
    perror("measure: wait4");
    return 1;
  }
  double wall = S_now() - t0;
  double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
               (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  printf("%.4f %.4f %ld %d\n", wall * 1e3, cpu * 1e3, ru.ru_maxrss, code);
  return 0;
}
