#include "client_opts.h"
#include "output.h"

#include "exitcodes.h"
#include "msg.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void cli_client_init(cli_client *c) {
  memset(c, 0, sizeof *c);
  c->retries = -1;
}

int cli_parse_seconds(const char *s, double lo, double hi, double *out) {
  char *end;
  if (!s || !*s)
    return -1;
  errno = 0;
  double v = strtod(s, &end);
  if (errno || *end || !(v >= lo && v <= hi))
    return -1;
  *out = v;
  return 0;
}

static int S_parse_long(const char *s, long lo, long hi, long *out) {
  char *end;
  if (!s || !*s)
    return -1;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || *end || v < lo || v > hi)
    return -1;
  *out = v;
  return 0;
}

int cli_client_option(cli_client *c, int opt, const char *arg) {
  long v;
  double d;
  switch (opt) {
  case 1100: c->base_url = arg; return 1;
  case 1101: c->key_file = arg; return 1;
  case 1102:
    /* Never echo the value: it is the secret. */
    cli_errorf("--api-key is refused: a key on the command line can be read "
               "by other users (ps, /proc/PID/cmdline) and stays in shell "
               "history; set CONDUIT_API_KEY or use --api-key-file FILE "
               "(mode 0600)");
    return -1;
  case 1103:
    if (S_parse_long(arg, 0, 10, &v)) {
      cli_errorf("--retries: expected a number from 0 to 10, got '%s'", arg);
      return -1;
    }
    c->retries = (int)v;
    return 1;
  case 1104:
    if (cli_parse_seconds(arg, 1, 86400, &d)) {
      cli_errorf("--timeout: expected seconds from 1 to 86400, got '%s'", arg);
      return -1;
    }
    c->timeout_s = (long)d;
    return 1;
  default: return 0;
  }
}

/* Reads a key file: one line, trailing whitespace dropped. Warns when
 * others may read it, as ssh does for private keys. */
static int S_read_key(char *out, size_t size, const char *path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    cli_errorf("%s: cannot open the API key file: %s", path, strerror(errno));
    return EXIT_IO;
  }
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 077))
    cli_warnf("%s: the API key file is readable by other users; "
              "chmod 600 it",
              path);
  size_t n = 0;
  ssize_t r = 0;
  while (n + 1 < size && (r = read(fd, out + n, size - 1 - n)) > 0)
    n += (size_t)r;
  /* A directory opens fine and fails on read (EISDIR): that is not an
   * empty key file. */
  if (r < 0) {
    int e = errno;
    close(fd);
    memset(out, 0, size);
    cli_errorf("%s: cannot read the API key file: %s", path, strerror(e));
    return EXIT_IO;
  }
  char extra;
  int more = n + 1 >= size && read(fd, &extra, 1) == 1;
  close(fd);
  out[n] = '\0';
  while (n && (out[n - 1] == '\n' || out[n - 1] == '\r' || out[n - 1] == ' ' ||
               out[n - 1] == '\t'))
    out[--n] = '\0';
  if (more) {
    cli_errorf("%s: the API key file is too large to hold one key", path);
    return EXIT_USAGE;
  }
  if (n == 0) {
    cli_errorf("%s: the API key file is empty", path);
    return EXIT_USAGE;
  }
  return EXIT_OK;
}

static int S_env_long(const char *name, long lo, long hi, long *out) {
  const char *v = getenv(name);
  if (!v || !*v)
    return 0;
  if (S_parse_long(v, lo, hi, out)) {
    cli_errorf("%s: expected a number from %ld to %ld, got '%s'", name, lo, hi,
               v);
    return -1;
  }
  return 0;
}

int cli_client_open(quire_client **out, const cli_client *c) {
  quire_client_options o = QUIRE_CLIENT_OPTIONS_INIT;
  char key[4096];
  long v;
  *out = NULL;
  key[0] = '\0';
  if (c->key_file) {
    int rc = S_read_key(key, sizeof key, c->key_file);
    if (rc) {
      memset(key, 0, sizeof key);
      return rc;
    }
  } else {
    const char *k = getenv("CONDUIT_API_KEY");
    if (!k || !*k) {
      cli_errorf("no API key: set CONDUIT_API_KEY or use --api-key-file FILE");
      return EXIT_USAGE;
    }
    if (strlen(k) >= sizeof key) {
      cli_errorf("CONDUIT_API_KEY is too long to be an API key");
      return EXIT_USAGE;
    }
    snprintf(key, sizeof key, "%s", k);
  }
  o.api_key = key;
  cli_secret_set(key);
  o.base_url = c->base_url;
  if (!o.base_url) {
    o.base_url = getenv("CONDUIT_BASE_URL");
    if (o.base_url && !*o.base_url)
      o.base_url = NULL;
  }
  if (c->retries >= 0)
    o.max_retries = c->retries;
  o.timeout_ms = c->timeout_s * 1000;
  v = 0;
  if (S_env_long("QUIRE_MAX_RESPONSE", 1024, 1L << 40, &v))
    return EXIT_USAGE;
  o.max_response = (size_t)v;
  if (S_env_long("QUIRE_LOW_SPEED_LIMIT", 1, 1L << 30, &o.low_speed_limit) ||
      S_env_long("QUIRE_LOW_SPEED_TIME", 1, 3600, &o.low_speed_time))
    return EXIT_USAGE;
  const char *scale = getenv("QUIRE_TEST_TIME_SCALE");
  if (scale && *scale && cli_parse_seconds(scale, 0.0001, 100, &o.time_scale)) {
    cli_errorf("QUIRE_TEST_TIME_SCALE: expected a number from 0.0001 to 100, "
               "got '%s'",
               scale);
    return EXIT_USAGE;
  }
  quire_error err;
  quire_error_clear(&err);
  int rc = quire_client_new(out, &o, &err);
  memset(key, 0, sizeof key);
  if (rc == QUIRE_EINVAL) {
    cli_errorf("%s", err.message);
    return EXIT_USAGE;
  }
  return rc ? cli_report_client_error(&err) : EXIT_OK;
}

int cli_report_client_error(const quire_error *err) {
  int st = cli_report_error(err);
  /* Past a cap on what the server sent (a body over the response limit, a
   * stream event over 1 MiB, a header line over libcurl's): the server's
   * fault, as a broken connection is, not an invalid report. */
  return err->code == QUIRE_ETOOBIG ? EXIT_NETWORK : st;
}

static int S_write_json(const cli_output *o, const quire_buf *body) {
  if (!o->out_path || strcmp(o->out_path, "-") == 0) {
    cli_out_bytes(body->ptr, body->size);
    return cli_stdout_check();
  }
  quire_atomic *f;
  quire_error err;
  quire_error_clear(&err);
  if (quire_atomic_open(&f, o->out_path, &err) != 0)
    return cli_report_error(&err);
  quire_sink s = quire_atomic_sink(f);
  /* A failed write is remembered by the file; commit reports its reason. */
  s.write(s.payload, body->ptr, body->size);
  if (quire_atomic_commit(f, &err) != 0)
    return cli_report_error(&err);
  return EXIT_OK;
}

int cli_write_report(cli_output *o, int json, unsigned parse_flags,
                     const quire_buf *body, const char *source,
                     const quire_error *fetch_err) {
  quire_parse_options po = QUIRE_PARSE_OPTIONS_INIT;
  quire_doc *doc = NULL;
  quire_error err;
  quire_error_clear(&err);
  po.source = source;
  po.flags = parse_flags;
  /* Decoded even for -f json: a cached file must be one that `quire
   * render` accepts later. */
  int rc = quire_doc_parse(&doc, body->ptr, body->size, &po, &err);
  if (rc != 0) {
    if (!err.source[0])
      snprintf(err.source, sizeof err.source, "%s", source);
    if (!err.request_id[0] && fetch_err)
      snprintf(err.request_id, sizeof err.request_id, "%s",
               fetch_err->request_id);
    return cli_report_error(&err);
  }
  for (size_t i = 0; i < quire_doc_diag_count(doc); i++) {
    const quire_diag *d = quire_doc_diag(doc, i);
    cli_warnf("%s: %s: %s", source, d->path, d->message);
  }
  rc = json ? S_write_json(o, body) : cli_output_write(o, doc);
  quire_doc_free(doc);
  return rc;
}

int cli_fetch_render_option(cli_client *c, struct cli_output *o, int opt,
                            const char *arg) {
  int r = cli_client_option(c, opt, arg);
  return r != 0 ? r : cli_output_option(o, opt, arg);
}

int cli_wants_json(const struct cli_output *o, int json) {
  if (json || o->format_name || !o->out_path)
    return json;
  const char *dot = strrchr(o->out_path, '.');
  return dot && strcmp(dot, ".json") == 0;
}
