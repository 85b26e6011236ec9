/* What PDF compression costs and saves: an LD_PRELOAD shim that makes every
 * zlib stream in the process use the level in $ZLEVEL (0-9), whatever level
 * cairo or libharu asked for (neither has a setting for it). Not part of
 * `make bench`; bench/notes.md has the numbers and the commands:
 *
 *   cc -shared -fPIC -O2 bench/zlevel.c -o zlevel.so -ldl
 *   ZLEVEL=1 LD_PRELOAD=./zlevel.so valgrind --tool=callgrind \
 *     --toggle-collect=quire_render_buf bench/out/bench -f pdf -n 2 FILE
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <zlib.h>

static int S_level(int asked) {
  const char *e = getenv("ZLEVEL");
  return e && *e ? atoi(e) : asked;
}

int deflateInit_(z_streamp s, int level, const char *v, int n) {
  int (*real)(z_streamp, int, const char *, int);
  *(void **)&real = dlsym(RTLD_NEXT, "deflateInit_");
  return real(s, S_level(level), v, n);
}

int deflateInit2_(z_streamp s, int level, int method, int bits, int mem,
                  int strategy, const char *v, int n) {
  int (*real)(z_streamp, int, int, int, int, int, const char *, int);
  *(void **)&real = dlsym(RTLD_NEXT, "deflateInit2_");
  return real(s, S_level(level), method, bits, mem, strategy, v, n);
}

int compress2(Bytef *d, uLongf *dl, const Bytef *s, uLong sl, int level) {
  int (*real)(Bytef *, uLongf *, const Bytef *, uLong, int);
  *(void **)&real = dlsym(RTLD_NEXT, "compress2");
  return real(d, dl, s, sl, S_level(level));
}

int compress(Bytef *d, uLongf *dl, const Bytef *s, uLong sl) {
  return compress2(d, dl, s, sl, Z_DEFAULT_COMPRESSION);
}
