#include "batch.h"

#include "exitcodes.h"
#include "json_out.h"
#include "msg.h"
#include "outdir.h"

#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------------ */
/* Line reader                                                         */
/* ------------------------------------------------------------------ */

void cli_lines_init(cli_lines *r, FILE *fp) {
  memset(r, 0, offsetof(cli_lines, chunk));
  r->fp = fp;
}

void cli_lines_dispose(cli_lines *r) {
  free(r->pre);
  r->pre = NULL;
}

/* Makes data[pos..len) non-empty; 0 at the end of input. */
static int S_fill(cli_lines *r) {
  if (r->pos < r->len)
    return 1;
  if (r->pre && !r->pre_done) {
    r->pre_done = 1;
    r->data = r->pre;
    r->pos = 0;
    r->len = r->pre_len;
    if (r->len)
      return 1;
  }
  if (r->eof || r->stopped)
    return 0;
  r->data = r->chunk;
  r->pos = 0;
  r->len = fread(r->chunk, 1, sizeof r->chunk, r->fp);
  if (r->len == 0) {
    r->eof = 1;
    if (ferror(r->fp))
      r->read_errno = errno ? errno : EIO;
    return 0;
  }
  return 1;
}

int cli_lines_next(cli_lines *r, quire_buf *line, int *too_long) {
  int started = 0;
  quire_buf_clear(line);
  line->max = CLI_BATCH_MAX_LINE;
  *too_long = 0;
  while (S_fill(r)) {
    const char *p = r->data + r->pos;
    size_t avail = r->len - r->pos;
    const char *nl = memchr(p, '\n', avail);
    size_t n = nl ? (size_t)(nl - p) : avail;
    started = 1;
    /* Past the cap nothing more is read: one huge line must cost neither
     * more memory than the cap nor unbounded time. */
    if (quire_buf_put(line, p, n) != 0) {
      *too_long = 1;
      r->stopped = 1;
      r->line++;
      return 1;
    }
    r->pos += n;
    if (nl) {
      r->pos++;
      r->line++;
      return 1;
    }
  }
  if (started)
    r->line++;
  return started;
}

int cli_lines_peek(cli_lines *r) {
  while (S_fill(r)) {
    unsigned char c = (unsigned char)r->data[r->pos];
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
      return c;
    if (c == '\n')
      r->line++;
    r->pos++;
  }
  return EOF;
}

int cli_lines_rest(cli_lines *r, quire_buf *out) {
  while (S_fill(r)) {
    if (quire_buf_put(out, r->data + r->pos, r->len - r->pos) != 0)
      return quire_buf_failed(out);
    r->pos = r->len;
  }
  return r->read_errno ? QUIRE_EIO : 0;
}

/* ------------------------------------------------------------------ */
/* Claimed output names                                                */
/* ------------------------------------------------------------------ */

typedef struct S_name {
  char *name;
  unsigned long next_suffix; /* next "-N" to try when name is asked again */
} S_name;

typedef struct S_names {
  S_name *slots;
  size_t cap, used; /* cap is a power of two, or 0 */
} S_names;

static uint64_t S_hash(const char *s) {
  uint64_t h = 1469598103934665603u; /* FNV-1a */
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211u;
  return h;
}

static S_name *S_names_find(S_names *t, const char *name) {
  if (!t->cap)
    return NULL;
  for (size_t i = S_hash(name) & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
    if (!t->slots[i].name)
      return NULL;
    if (strcmp(t->slots[i].name, name) == 0)
      return &t->slots[i];
  }
}

static int S_names_add(S_names *t, const char *name) {
  if ((t->used + 1) * 2 > t->cap) {
    size_t ncap = t->cap ? t->cap * 2 : 64;
    S_name *ns = calloc(ncap, sizeof *ns);
    if (!ns)
      return -1;
    for (size_t i = 0; i < t->cap; i++) {
      if (!t->slots[i].name)
        continue;
      size_t j = S_hash(t->slots[i].name) & (ncap - 1);
      while (ns[j].name)
        j = (j + 1) & (ncap - 1);
      ns[j] = t->slots[i];
    }
    free(t->slots);
    t->slots = ns;
    t->cap = ncap;
  }
  size_t i = S_hash(name) & (t->cap - 1);
  while (t->slots[i].name)
    i = (i + 1) & (t->cap - 1);
  t->slots[i].name = strdup(name);
  if (!t->slots[i].name)
    return -1;
  t->slots[i].next_suffix = 2;
  t->used++;
  return 0;
}

static void S_names_dispose(S_names *t) {
  for (size_t i = 0; i < t->cap; i++)
    free(t->slots[i].name);
  free(t->slots);
  memset(t, 0, sizeof *t);
}

/* ------------------------------------------------------------------ */
/* The pool                                                            */
/* ------------------------------------------------------------------ */

typedef struct S_fail {
  unsigned long k; /* job index: failures print in input order */
  int status;      /* exit status for this failure */
  char *msg;       /* "SOURCE: message"; --json records: the message */
  char *src;       /* --json records: the input's name */
  char *out;       /* --json records: the file written, else NULL */
} S_fail;

typedef struct S_pool {
  const cli_batch *b;
  quire_format fmt;
  const char *ext; /* "txt", "html", "pdf", "png" */
  const char *outdir;
  quire_render_options ropts; /* shared base; each job copies it */
  quire_renderer *renderer;   /* the look, built once for every report */
  char **files;               /* file mode */
  int nfiles;
  cli_lines *lines;   /* NDJSON mode */
  const char *source; /* NDJSON: name of the input */

  pthread_mutex_t mu;       /* guards everything below */
  pthread_cond_t named_cv;  /* named_upto moved */
  unsigned long next_job;   /* index of the next job to hand out */
  unsigned long named_upto; /* jobs below this have claimed a name */
  int input_done;           /* no more jobs */
  int input_failed;         /* reading the NDJSON stream failed */
  unsigned long done;       /* jobs finished */
  S_names names;
  S_fail *fails;
  size_t nfails, afails;
  S_fail *recs; /* --json: every report, failed or not */
  size_t nrecs, arecs;
  int oom;                 /* bookkeeping ran out of memory */
  cli_outdir *dir;         /* OUTDIR: outputs published together */
  unsigned long ungrouped; /* outputs written since the last group sync */
  char group_error[1200];  /* first failed group sync, for the summary */

  int progress; /* draw a bar on stderr */
  double t0, last_draw;
  int bar_shown;
} S_pool;

typedef struct S_job {
  unsigned long k;
  unsigned long lineno; /* NDJSON: physical line */
  const char *path;     /* file mode */
  quire_buf *line;      /* NDJSON: the line (worker-owned buffer) */
  int too_long;
  char src[240];      /* name in messages (fits err.source) */
  quire_buf warnings; /* lines to print */
} S_job;

static double S_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void S_fmt_secs(char *out, size_t size, double s) {
  if (s < 0 || s > 359999)
    snprintf(out, size, "--:--");
  else if (s >= 3600)
    snprintf(out, size, "%d:%02d:%02d", (int)s / 3600, ((int)s / 60) % 60,
             (int)s % 60);
  else
    snprintf(out, size, "%d:%02d", (int)s / 60, (int)s % 60);
}

/* Call with mu held. */
static void S_bar_clear(S_pool *p) {
  if (p->bar_shown) {
    fputs("\r\033[K", stderr);
    p->bar_shown = 0;
  }
}

/* Call with mu held. */
static void S_bar_draw(S_pool *p, int force) {
  if (!p->progress)
    return;
  double now = S_now();
  if (!force && now - p->last_draw < 0.1)
    return;
  p->last_draw = now;
  double el = now - p->t0;
  double rate = el > 0 ? (double)p->done / el : 0;
  char line[160], eta[32];
  if (p->input_done) {
    unsigned long total = p->next_job;
    char bar[31];
    size_t fill = total ? (size_t)(30.0 * (double)p->done / (double)total) : 30;
    for (size_t i = 0; i < 30; i++)
      bar[i] = i < fill ? '#' : '.';
    bar[30] = '\0';
    S_fmt_secs(eta, sizeof eta,
               rate > 0 ? (double)(total - p->done) / rate : -1);
    snprintf(line, sizeof line, "%lu/%lu [%s] %.1f/s ETA %s", p->done, total,
             bar, rate, eta);
  } else {
    S_fmt_secs(eta, sizeof eta, el);
    snprintf(line, sizeof line, "%lu done %.1f/s %s", p->done, rate, eta);
  }
  fprintf(stderr, "\r\033[K%s", line);
  fflush(stderr);
  p->bar_shown = 1;
}

/* Appends a record to v; NULL after running out of memory. */
static S_fail *S_push(S_pool *p, S_fail **v, size_t *n, size_t *a) {
  if (*n == *a) {
    size_t na = *a ? *a * 2 : 16;
    S_fail *nv = realloc(*v, na * sizeof *nv);
    if (!nv) {
      p->oom = 1;
      return NULL;
    }
    *v = nv;
    *a = na;
  }
  S_fail *f = &(*v)[(*n)++];
  memset(f, 0, sizeof *f);
  return f;
}

static void S_add_fail(S_pool *p, unsigned long k, int status,
                       const char *msg) {
  S_fail *f = S_push(p, &p->fails, &p->nfails, &p->afails);
  if (!f)
    return;
  f->k = k;
  f->status = status;
  f->msg = strdup(msg);
  if (!f->msg) {
    p->oom = 1;
    p->nfails--;
  }
}

/* --json: what became of report k (out: the file written, or NULL). */
static void S_add_rec(S_pool *p, unsigned long k, int status, const char *src,
                      const char *out, const char *msg) {
  S_fail *f = S_push(p, &p->recs, &p->nrecs, &p->arecs);
  if (!f)
    return;
  f->k = k;
  f->status = status;
  f->src = strdup(src);
  f->out = out ? strdup(out) : NULL;
  f->msg = msg ? strdup(msg) : NULL;
  if (!f->src || (out && !f->out) || (msg && !f->msg))
    p->oom = 1;
}

/* File names from the file system only lose control bytes; names from
 * report ids are untrusted and keep only [A-Za-z0-9._-], never start with
 * a dot (no "..", no hidden files) and are capped. */
static void S_base_from_path(char *out, size_t size, const char *path) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  const char *dot = strrchr(base, '.');
  size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
  if (n >= size)
    n = size - 1;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)base[i];
    out[i] = c < 0x20 || c == 0x7f ? '_' : (char)c;
  }
  out[n] = '\0';
  if (!n)
    snprintf(out, size, "report");
}

static void S_base_from_id(char *out, size_t size, const char *id,
                           unsigned long lineno) {
  size_t n = 0;
  for (; id && id[n] && n < 100 && n + 1 < size; n++) {
    unsigned char c = (unsigned char)id[n];
    int safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               (c >= '0' && c <= '9') || c == '_' || c == '-' ||
               (c == '.' && n > 0);
    out[n] = safe ? (char)c : '_';
  }
  out[n] = '\0';
  if (!n)
    snprintf(out, size, "line-%lu", lineno);
}

/*
 * Claims a unique output name for job k. Claims happen strictly in job
 * order, so a clash ("a" twice) always names the earlier input "a" and the
 * later "a-2", whatever -j is and whichever thread finishes first. Waiting
 * cannot deadlock: every job below k was handed out before k, and its
 * worker reaches this point without waiting on anything above it.
 */
static int S_claim(S_pool *p, unsigned long k, char *name, size_t size) {
  int rc = 0;
  pthread_mutex_lock(&p->mu);
  while (p->named_upto != k)
    pthread_cond_wait(&p->named_cv, &p->mu);
  if (name) {
    S_name *e = S_names_find(&p->names, name);
    if (e) {
      char base[200], cand[220];
      snprintf(base, sizeof base, "%.199s", name); /* room for "-N" */
      for (;;) {
        snprintf(cand, sizeof cand, "%s-%lu", base, e->next_suffix++);
        if (!S_names_find(&p->names, cand))
          break;
      }
      snprintf(name, size, "%s", cand);
    }
    if (S_names_add(&p->names, name) != 0)
      rc = -1;
  }
  p->named_upto++;
  pthread_cond_broadcast(&p->named_cv);
  pthread_mutex_unlock(&p->mu);
  return rc;
}

static void S_warn_cb(const char *message, void *payload) {
  S_job *j = payload;
  quire_buf_printf(&j->warnings, "%s: %s\n", j->src, message);
}

/* Renders doc into OUTDIR/name: a new temporary, published with the
 * rest of its group (cli/outdir.h: no symlink at name is followed, only a
 * regular file is replaced). */
static int S_render_to(const S_pool *p, const quire_doc *doc,
                       const quire_render_options *ro, const char *name,
                       quire_error *err) {
  cli_outfile *f = NULL;
  int rc = cli_outfile_open(&f, p->dir, name, err);
  if (rc != 0)
    return rc;
  rc = quire_renderer_render(p->renderer, doc, p->fmt, ro, cli_outfile_sink(f),
                             err);
  if (rc != 0 && !cli_outfile_write_errno(f)) {
    cli_outfile_abort(f);
    return rc;
  }
  /* A failed write is remembered by the file: finish reports it with its
   * reason ("No space left on device") rather than the renderer's. */
  return cli_outfile_finish(f, err);
}

/* NDJSON places read like a file's, "SOURCE:LINE:COLUMN": a line holds
 * one report, so the report's own line is always 1 and its column is the
 * column in the input. Everything else is quire_error_format's. */
static void S_format_error(const S_job *j, const quire_error *err, char *out,
                           size_t size) {
  const char *m = err->message[0] ? err->message : quire_strerror(err->code);
  if (!j->path && err->line == 1)
    snprintf(out, size, "%s:%u: %s", j->src, err->column, m);
  else if (!j->path && err->line > 1)
    snprintf(out, size, "%s: line %u of the report, column %u: %s", j->src,
             err->line, err->column, m);
  else
    quire_error_format(err, out, size);
}

/* Outputs are written and closed, then made durable a group at a time:
 * one sync of the file system, the renames, one sync of the directory
 * (cli_outdir_publish). 256 files keep the temporaries and the
 * work a crash would leave unpublished bounded; one fsync per file made the
 * HTML of 200 reports take 0.66 s wall for 0.22 s of CPU. */
#define S_GROUP_FILES 256

static void S_group_sync(S_pool *p) {
  quire_error err;
  quire_error_clear(&err);
  if (cli_outdir_publish(p->dir, &err) == 0)
    return;
  pthread_mutex_lock(&p->mu);
  if (!p->group_error[0])
    quire_error_format(&err, p->group_error, sizeof p->group_error);
  pthread_mutex_unlock(&p->mu);
}

static void S_run_job(S_pool *p, S_job *j) {
  quire_error err;
  quire_error_clear(&err);
  quire_doc *doc = NULL;
  quire_parse_options po = QUIRE_PARSE_OPTIONS_INIT;
  po.flags = p->b->parse_flags;
  po.source = j->src;
  int rc;
  if (j->path) {
    rc = quire_doc_parse_file(&doc, j->path, &po, &err);
  } else if (j->too_long) {
    snprintf(err.source, sizeof err.source, "%s", j->src);
    snprintf(err.message, sizeof err.message,
             "longer than %zu bytes; the rest of the input is not read",
             CLI_BATCH_MAX_LINE);
    err.code = rc = QUIRE_ETOOBIG;
  } else {
    size_t len = j->line->size;
    if (len && j->line->ptr[len - 1] == '\r')
      len--;
    rc = quire_doc_parse(&doc, j->line->ptr, len, &po, &err);
  }

  char name[220];
  if (j->path)
    S_base_from_path(name, sizeof name, j->path);
  else
    S_base_from_id(name, sizeof name, doc ? quire_doc_id(doc) : NULL,
                   j->lineno);
  if (S_claim(p, j->k, name, sizeof name) != 0 && rc == 0) {
    err.code = rc = QUIRE_ENOMEM;
    snprintf(err.message, sizeof err.message, "out of memory");
  }

  if (rc == 0) {
    for (size_t i = 0; i < quire_doc_diag_count(doc); i++) {
      const quire_diag *d = quire_doc_diag(doc, i);
      quire_buf_printf(&j->warnings, "%s: %s: %s\n", j->src, d->path,
                       d->message);
    }
    char path[PATH_MAX];
    int n = snprintf(path, sizeof path, "%s.%s", name, p->ext);
    quire_render_options ro = p->ropts;
    ro.warn = S_warn_cb;
    ro.warn_payload = j;
    if (n < 0 || (size_t)n >= sizeof path) {
      err.code = rc = QUIRE_EIO;
      snprintf(err.message, sizeof err.message, "output path is too long");
    } else {
      rc = S_render_to(p, doc, &ro, path, &err);
    }
  }
  quire_doc_free(doc);

  char msg[1200];
  if (rc != 0) {
    /* Render and output errors may carry no source: name the input. */
    if (!err.source[0])
      snprintf(err.source, sizeof err.source, "%s", j->src);
    if (!err.code)
      err.code = rc;
    S_format_error(j, &err, msg, sizeof msg);
  }

  pthread_mutex_lock(&p->mu);
  if (j->warnings.size && !cli_quiet) {
    S_bar_clear(p);
    char *s = j->warnings.ptr;
    for (char *nl; (nl = strchr(s, '\n')) != NULL; s = nl + 1)
      cli_warnf("%.*s", (int)(nl - s), s);
  }
  if (rc != 0)
    S_add_fail(p, j->k, cli_exit_for_error(&err), msg);
  if (p->b->json) {
    char out[PATH_MAX];
    snprintf(out, sizeof out, "%s/%s.%s", p->outdir, name, p->ext);
    S_add_rec(p, j->k, rc ? cli_exit_for_error(&err) : 0, j->src,
              rc ? NULL : out, rc ? msg : NULL);
  }
  p->done++;
  int sync = rc == 0 && ++p->ungrouped >= S_GROUP_FILES;
  if (sync)
    p->ungrouped = 0;
  S_bar_draw(p, 0);
  pthread_mutex_unlock(&p->mu);
  if (sync)
    S_group_sync(p);
}

/* Hands out the next job under the lock; 0 when the input is exhausted. */
static int S_next_job(S_pool *p, S_job *j) {
  int got = 0;
  pthread_mutex_lock(&p->mu);
  if (p->input_done)
    goto out;
  if (p->files) {
    j->k = p->next_job++;
    j->path = p->files[j->k];
    snprintf(j->src, sizeof j->src, "%s", j->path);
    if (p->next_job == (unsigned long)p->nfiles)
      p->input_done = 1;
    got = 1;
    goto out;
  }
  for (;;) {
    if (!cli_lines_next(p->lines, j->line, &j->too_long)) {
      p->input_done = 1;
      if (p->lines->read_errno)
        p->input_failed = p->lines->read_errno;
      goto out;
    }
    size_t i = 0;
    while (i < j->line->size && strchr(" \t\r", j->line->ptr[i]))
      i++;
    if (i < j->line->size || j->too_long)
      break; /* blank lines are not reports */
  }
  j->k = p->next_job++;
  j->lineno = p->lines->line;
  snprintf(j->src, sizeof j->src, "%s:%lu", p->source, j->lineno);
  got = 1;
out:
  pthread_mutex_unlock(&p->mu);
  return got;
}

static void *S_worker(void *arg) {
  S_pool *p = arg;
  quire_buf line = QUIRE_BUF_INIT;
  S_job j;
  for (;;) {
    memset(&j, 0, sizeof j);
    j.line = &line;
    quire_buf_init(&j.warnings, (size_t)1 << 20);
    if (!S_next_job(p, &j)) {
      quire_buf_dispose(&j.warnings);
      break;
    }
    S_run_job(p, &j);
    quire_buf_dispose(&j.warnings);
  }
  quire_buf_dispose(&line);
  return NULL;
}

static int S_fail_cmp(const void *a, const void *b) {
  const S_fail *x = a, *y = b;
  return x->k < y->k ? -1 : x->k > y->k;
}

/* mkdir -p: the output directory is created when missing. */
static int S_mkdirs(const char *dir) {
  char buf[PATH_MAX];
  int n = snprintf(buf, sizeof buf, "%s", dir);
  if (n < 0 || (size_t)n >= sizeof buf) {
    errno = ENAMETOOLONG;
    return -1;
  }
  for (char *s = buf + 1; *s; s++) {
    if (*s != '/')
      continue;
    *s = '\0';
    if (mkdir(buf, 0777) != 0 && errno != EEXIST)
      return -1;
    *s = '/';
  }
  if (mkdir(buf, 0777) != 0 && errno != EEXIST)
    return -1;
  struct stat st;
  if (stat(buf, &st) != 0)
    return -1;
  if (!S_ISDIR(st.st_mode)) {
    errno = ENOTDIR;
    return -1;
  }
  return 0;
}

/* Text written to files: no terminal to ask, so 80 columns unless --width,
 * and colour only when asked for with --color=always. */
static void S_text_setup(S_pool *p) {
  cli_output *o = p->b->out;
  if (!o->width_set)
    p->ropts.width = 80;
  p->ropts.color = QUIRE_COLOR_NONE;
  if (strcmp(o->color_mode, "always") == 0) {
    const char *ct = getenv("COLORTERM"), *term = getenv("TERM");
    if (ct && (strcmp(ct, "truecolor") == 0 || strcmp(ct, "24bit") == 0))
      p->ropts.color = QUIRE_COLOR_TRUE;
    else if (term && strstr(term, "256color"))
      p->ropts.color = QUIRE_COLOR_256;
    else
      p->ropts.color = QUIRE_COLOR_16;
  }
}

/* --json: one line per report in input order, then the summary. */
static void S_print_json(S_pool *p, unsigned long total, int status) {
  qsort(p->recs, p->nrecs, sizeof *p->recs, S_fail_cmp);
  quire_buf b = QUIRE_BUF_INIT;
  for (size_t i = 0; i < p->nrecs; i++) {
    const S_fail *r = &p->recs[i];
    int first = 1;
    quire_buf_clear(&b);
    quire_buf_putc(&b, '{');
    cli_json_key(&b, &first, "type");
    cli_json_str(&b, "report");
    cli_json_key(&b, &first, "input");
    cli_json_str(&b, r->src);
    cli_json_key(&b, &first, "output");
    cli_json_str(&b, r->out);
    cli_json_key(&b, &first, "status");
    quire_buf_printf(&b, "%d", r->status);
    cli_json_key(&b, &first, "error");
    cli_json_str(&b, r->msg);
    quire_buf_puts(&b, "}\n");
    cli_out_bytes(b.ptr, b.size);
  }
  int first = 1;
  quire_buf_clear(&b);
  quire_buf_putc(&b, '{');
  cli_json_key(&b, &first, "type");
  cli_json_str(&b, "summary");
  cli_json_key(&b, &first, "reports");
  quire_buf_printf(&b, "%lu", total);
  cli_json_key(&b, &first, "written");
  quire_buf_printf(&b, "%lu", total - (unsigned long)p->nfails);
  cli_json_key(&b, &first, "failed");
  quire_buf_printf(&b, "%zu", p->nfails);
  cli_json_key(&b, &first, "outdir");
  cli_json_str(&b, p->outdir);
  cli_json_key(&b, &first, "error");
  cli_json_str(&b, p->group_error[0] ? p->group_error : NULL);
  cli_json_key(&b, &first, "status");
  quire_buf_printf(&b, "%d", status);
  quire_buf_puts(&b, "}\n");
  cli_out_bytes(b.ptr, b.size);
  quire_buf_dispose(&b);
}
static int S_pool_run(S_pool *p);

static int S_run(S_pool *p) {
  const cli_batch *b = p->b;
  cli_output *o = b->out;
  if (!o->out_path || !*o->out_path || strcmp(o->out_path, "-") == 0) {
    cli_errorf("render: several reports need -o OUTDIR (one file each)");
    return EXIT_USAGE;
  }
  if (o->pages) {
    cli_errorf("render: --pages is not supported when rendering a batch");
    return EXIT_USAGE;
  }
  p->outdir = o->out_path;
  p->fmt = o->format_name ? quire_format_from_name(o->format_name)
                          : QUIRE_FORMAT_TEXT;
  p->ext = p->fmt == QUIRE_FORMAT_TEXT ? "txt" : quire_format_name(p->fmt);
  p->ropts = o->ropts;
  if (p->fmt == QUIRE_FORMAT_TEXT)
    S_text_setup(p);
  if (p->fmt == QUIRE_FORMAT_HTML && o->strict_variables) {
    /* Any report may pick any set: check each one a render could use. */
    if (o->ropts.template_name) {
      int st = cli_check_variables(o, o->ropts.template_name);
      if (st != EXIT_OK)
        return st;
    }
    for (size_t i = 0; !o->ropts.template_name && quire_template_name(i); i++) {
      int st = cli_check_variables(o, quire_template_name(i));
      if (st != EXIT_OK)
        return st;
    }
  }
  /* One renderer for the whole batch: templates, themes and fonts are
   * read and compiled once, not once per report, and a broken template
   * is one error rather than one per report. */
  quire_renderer_options rno = QUIRE_RENDERER_OPTIONS_INIT;
  rno.template_name = p->ropts.template_name;
  rno.template_dir = p->ropts.template_dir;
  rno.engine = p->ropts.engine;
  quire_error rerr;
  quire_error_clear(&rerr);
  if (quire_renderer_new(&p->renderer, &rno, &rerr) != 0) {
    char m[1200];
    cli_errorf("%s", quire_error_format(&rerr, m, sizeof m));
    return cli_exit_for_error(&rerr);
  }
  int status = S_pool_run(p);
  quire_renderer_free(p->renderer);
  return status;
}

/* S_run's batch once the renderer is built. */
static int S_pool_run(S_pool *p) {
  const cli_batch *b = p->b;
  if (S_mkdirs(p->outdir) != 0) {
    cli_errorf("%s: cannot create output directory: %s", p->outdir,
               strerror(errno));
    return EXIT_IO;
  }

  long nthreads = b->jobs;
  if (nthreads <= 0) {
    nthreads = sysconf(_SC_NPROCESSORS_ONLN);
    if (nthreads < 1)
      nthreads = 1;
  }
  if (p->files && nthreads > p->nfiles)
    nthreads = p->nfiles;
  quire_error gerr;
  if (cli_outdir_open(&p->dir, p->outdir, &gerr) != 0)
    return cli_report_error(&gerr);
  /* Before any worker starts: they inherit the blocked signals. */
  cli_signals_start();
  p->progress = isatty(STDERR_FILENO);
  p->t0 = S_now();
  pthread_mutex_init(&p->mu, NULL);
  pthread_cond_init(&p->named_cv, NULL);

  /* libquire's cairo renders take turns within a process (cairo 1.16's
   * glyph cache; quire -V names the cairo), so the workers of a cairo PDF
   * or PNG batch share one malloc arena at no cost in time, and it keeps
   * less than one each: -j2 PDF over 200 reports peaked at 28.2-28.8
   * rather than 29.9-30.8 MiB. Other formats and haru render in parallel
   * and keep glibc's arena per worker. */
  if (nthreads > 1 && (quire_features() & QUIRE_FEATURE_CAIRO) &&
      (p->fmt == QUIRE_FORMAT_PNG ||
       (p->fmt == QUIRE_FORMAT_PDF && p->ropts.engine != QUIRE_PDF_HARU)))
    mallopt(M_ARENA_MAX, 1);
  pthread_t *th = calloc((size_t)nthreads, sizeof *th);
  long started = 0;
  for (long i = 0; th && i < nthreads; i++) {
    if (pthread_create(&th[i], NULL, S_worker, p) != 0)
      break;
    started++;
  }
  if (started == 0)
    S_worker(p); /* no threads to be had: still render, on this one */
  for (long i = 0; i < started; i++)
    pthread_join(th[i], NULL);
  free(th);
  S_group_sync(p);
  cli_outdir_close(p->dir);

  pthread_mutex_lock(&p->mu);
  S_bar_draw(p, 1);
  S_bar_clear(p);
  pthread_mutex_unlock(&p->mu);

  int status = EXIT_OK;
  unsigned long total = p->next_job;
  if (p->input_failed) {
    cli_errorf("%s: read error: %s", p->source, strerror(p->input_failed));
    status = EXIT_IO;
  }
  if (p->nfails) {
    qsort(p->fails, p->nfails, sizeof *p->fails, S_fail_cmp);
    cli_errorf("%zu of %lu report%s failed:", p->nfails, total,
               total == 1 ? "" : "s");
    for (size_t i = 0; i < p->nfails; i++)
      cli_errorf("  %s", p->fails[i].msg);
    if (status == EXIT_OK)
      status = p->fails[0].status;
  }
  if (p->group_error[0]) {
    cli_errorf("%s", p->group_error);
    if (status == EXIT_OK)
      status = EXIT_IO;
  }
  if (p->oom) {
    cli_errorf("out of memory while keeping track of the batch");
    status = EXIT_INTERNAL;
  }
  if (total == 0 && status == EXIT_OK && !p->files) {
    cli_errorf("%s: no reports in the input", p->source);
    status = EXIT_INVALID;
  }
  if (b->json)
    S_print_json(p, total, status);
  for (size_t i = 0; i < p->nfails; i++)
    free(p->fails[i].msg);
  free(p->fails);
  for (size_t i = 0; i < p->nrecs; i++) {
    free(p->recs[i].msg);
    free(p->recs[i].src);
    free(p->recs[i].out);
  }
  free(p->recs);
  S_names_dispose(&p->names);
  pthread_cond_destroy(&p->named_cv);
  pthread_mutex_destroy(&p->mu);
  return status;
}

int cli_batch_files(const cli_batch *b, char **files, int n) {
  S_pool p;
  memset(&p, 0, sizeof p);
  p.b = b;
  p.files = files;
  p.nfiles = n;
  if (n <= 0) {
    cli_errorf("render: no input files");
    return EXIT_USAGE;
  }
  return S_run(&p);
}

int cli_batch_ndjson(const cli_batch *b, cli_lines *r, const char *source) {
  S_pool p;
  memset(&p, 0, sizeof p);
  p.b = b;
  p.lines = r;
  p.source = source;
  return S_run(&p);
}
