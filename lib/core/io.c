#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int quire__read_file(quire_buf *out, const char *path, size_t max,
                     quire_error *err) {
  int is_stdin = strcmp(path, "-") == 0;
  FILE *fp = is_stdin ? stdin : fopen(path, "rb");
  quire__error_source(err, is_stdin ? "<stdin>" : path);
  if (!fp)
    return quire__error_set(err, QUIRE_EIO, "cannot open: %s", strerror(errno));
  out->max = max;
  char chunk[65536];
  size_t n;
  int rc = 0;
  /* Read in chunks against the cap rather than trusting st_size: stdin and
   * pipes have none, and a file may grow while we read it. */
  while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) {
    if (quire_buf_put(out, chunk, n) != 0) {
      rc =
          quire_buf_failed(out) == QUIRE_ETOOBIG
              ? quire__error_set(err, QUIRE_ETOOBIG,
                                 "input is larger than the %zu-byte limit", max)
              : quire__error_set(err, QUIRE_ENOMEM, "out of memory");
      break;
    }
  }
  if (!rc && ferror(fp))
    rc = quire__error_set(err, QUIRE_EIO, "read error: %s", strerror(errno));
  if (!is_stdin)
    fclose(fp);
  return rc;
}
