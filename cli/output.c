#include "output.h"

#include "exitcodes.h"
#include "msg.h"
#include "outdir.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

const char cli_render_usage[] = CLI_RENDER_USAGE;

void cli_output_init(cli_output *o) {
  memset(o, 0, sizeof *o);
  quire_render_options d = QUIRE_RENDER_OPTIONS_INIT;
  o->ropts = d;
  o->color_mode = "auto";
  o->pager = 1;
  o->ropts.template_dir = getenv("QUIRE_TEMPLATES");
  if (o->ropts.template_dir && !*o->ropts.template_dir)
    o->ropts.template_dir = NULL;
}

static int S_parse_int(const char *s, long lo, long hi, long *out) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || end == s || *end || v < lo || v > hi)
    return -1;
  *out = v;
  return 0;
}

int cli_output_option(cli_output *o, int opt, const char *arg) {
  long v;
  switch (opt) {
  case 'f':
    if (!quire_format_from_name(arg)) {
      cli_errorf("unknown format '%s' (expected text, html, pdf%s)", arg,
                 o->json_ok ? ", png or json" : " or png");
      return -1;
    }
    o->format_name = arg;
    return 1;
  case 'o': o->out_path = arg; return 1;
  case 1000:
    if (S_parse_int(arg, 20, 1000, &v)) {
      cli_errorf("--width: expected a number from 20 to 1000, got '%s'", arg);
      return -1;
    }
    o->ropts.width = (int)v;
    o->width_set = 1;
    return 1;
  case 1001:
    if (!arg)
      arg = "always";
    if (strcmp(arg, "auto") && strcmp(arg, "always") && strcmp(arg, "never")) {
      cli_errorf("--color: expected auto, always or never, got '%s'", arg);
      return -1;
    }
    o->color_mode = arg;
    return 1;
  case 1002: o->ropts.flags |= QUIRE_RENDER_ASCII; return 1;
  case 1003: o->pager = 0; return 1;
  case 1004: o->ropts.template_name = arg; return 1;
  case 1005: o->ropts.template_dir = arg; return 1;
  case 1006:
    if (strcmp(arg, "a4") == 0 || strcmp(arg, "A4") == 0)
      o->ropts.paper = QUIRE_PAPER_A4;
    else if (strcmp(arg, "letter") == 0)
      o->ropts.paper = QUIRE_PAPER_LETTER;
    else {
      cli_errorf("--paper: expected a4 or letter, got '%s'", arg);
      return -1;
    }
    return 1;
  case 1007:
    if (strcmp(arg, "cairo") == 0)
      o->ropts.engine = QUIRE_PDF_CAIRO;
    else if (strcmp(arg, "haru") == 0)
      o->ropts.engine = QUIRE_PDF_HARU;
    else {
      cli_errorf("--pdf-engine: expected cairo or haru, got '%s'", arg);
      return -1;
    }
    return 1;
  case 1008:
    if (S_parse_int(arg, 10, 1200, &v)) {
      cli_errorf("--dpi: expected a number from 10 to 1200, got '%s'", arg);
      return -1;
    }
    o->ropts.dpi = (double)v;
    return 1;
  case 1009: o->pages = arg; return 1;
  case 1011: o->strict_variables = 1; return 1;
  case 1012: {
    /* What the library accepts (quire_render_options.lang), checked here
     * so a typo is a usage error before any report is read. */
    size_t n = strlen(arg),
           ok = n > 0 && n <= 35 && isalpha((unsigned char)arg[0]);
    for (size_t i = 0; ok && i < n; i++)
      ok = isalnum((unsigned char)arg[i]) || arg[i] == '-';
    if (!ok) {
      cli_errorf("--lang: expected a language tag such as fr or pt-BR, got "
                 "'%s'",
                 arg);
      return -1;
    }
    o->ropts.lang = arg;
    return 1;
  }
  case 1010:
    if (strcmp(arg, "json") == 0)
      o->ropts.body = QUIRE_BODY_STRUCTURED;
    else if (strcmp(arg, "markdown") == 0)
      o->ropts.body = QUIRE_BODY_MARKDOWN;
    else if (strcmp(arg, "both") == 0)
      o->ropts.body = QUIRE_BODY_BOTH;
    else {
      cli_errorf("--body: expected json, markdown or both, got '%s'", arg);
      return -1;
    }
    return 1;
  default: return 0;
  }
}

/* The extension of path's last component ("" for none; a leading dot, as
 * in ".profile", is part of the name, not an extension). */
static const char *S_extension(const char *path) {
  const char *slash = strrchr(path, '/');
  const char *base = slash ? slash + 1 : path;
  const char *dot = strrchr(base, '.');
  return dot && dot != base ? dot : "";
}

/* The format from -f, else from -o's extension; 0 after printing an error
 * for an extension we do not write. Guessing text for "report.docx" would
 * quietly give a file no program opens as what its name says. */
static quire_format S_infer_format(const cli_output *o) {
  if (o->format_name)
    return quire_format_from_name(o->format_name);
  if (!o->out_path || strcmp(o->out_path, "-") == 0)
    return QUIRE_FORMAT_TEXT;
  const char *ext = S_extension(o->out_path);
  if (!*ext || strcasecmp(ext, ".txt") == 0)
    return QUIRE_FORMAT_TEXT;
  if (strcasecmp(ext, ".html") == 0 || strcasecmp(ext, ".htm") == 0)
    return QUIRE_FORMAT_HTML;
  if (strcasecmp(ext, ".pdf") == 0)
    return QUIRE_FORMAT_PDF;
  if (strcasecmp(ext, ".png") == 0)
    return QUIRE_FORMAT_PNG;
  cli_errorf("%s: no format for the extension '%s'; use .txt, .html, .pdf "
             "or .png, or -f text|html|pdf|png",
             o->out_path, ext);
  return (quire_format)0;
}

/* The terminal decisions live here, not in the library: the library's
 * defaults never depend on the environment. */
static void S_terminal_setup(cli_output *o, int to_tty) {
  const char *no_color = getenv("NO_COLOR");
  int color = strcmp(o->color_mode, "always") == 0 ||
              (strcmp(o->color_mode, "auto") == 0 && to_tty &&
               !(no_color && *no_color));
  const char *term = getenv("TERM");
  if (strcmp(o->color_mode, "auto") == 0 && term && strcmp(term, "dumb") == 0)
    color = 0;
  if (color) {
    const char *ct = getenv("COLORTERM");
    if (ct && (strcmp(ct, "truecolor") == 0 || strcmp(ct, "24bit") == 0))
      o->ropts.color = QUIRE_COLOR_TRUE;
    else if (term && strstr(term, "256color"))
      o->ropts.color = QUIRE_COLOR_256;
    else
      o->ropts.color = QUIRE_COLOR_16;
    o->ropts.flags |= QUIRE_RENDER_HYPERLINKS;
  } else {
    o->ropts.color = QUIRE_COLOR_NONE;
  }
  if (!o->width_set) {
    struct winsize ws;
    const char *cols = getenv("COLUMNS");
    long v;
    if (to_tty && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
      o->ropts.width = ws.ws_col;
    else if (cols && S_parse_int(cols, 20, 1000, &v) == 0)
      o->ropts.width = (int)v;
    else
      o->ropts.width = 80;
    if (o->ropts.width < 20)
      o->ropts.width = 20;
  }
}

static void S_warn_cb(const char *message, void *payload) {
  (void)payload;
  cli_warnf("%s", message);
}

static size_t S_count_lines(const quire_buf *b) {
  size_t n = 0;
  for (size_t i = 0; i < b->size; i++)
    n += b->ptr[i] == '\n';
  return n;
}

/* Pages long text output through $QUIRE_PAGER, $PAGER or "less -R" when
 * stdout is a terminal and the text does not fit, as git does. */
static int S_write_stdout(const cli_output *o, const quire_buf *b, int to_tty) {
  if (to_tty && o->pager) {
    struct winsize ws;
    int rows = 0;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0)
      rows = ws.ws_row;
    const char *pager = getenv("QUIRE_PAGER");
    if (!pager)
      pager = getenv("PAGER");
    if (!pager)
      pager = "less -R";
    if (rows > 0 && S_count_lines(b) >= (size_t)rows && *pager &&
        strcmp(pager, "cat") != 0) {
      if (!getenv("LESS"))
        setenv("LESS", "FRX", 1);
      fflush(stdout);
      FILE *p = popen(pager, "w");
      if (p) {
        void (*old)(int) = signal(SIGPIPE, SIG_IGN);
        fwrite(b->ptr, 1, b->size, p);
        pclose(p);
        signal(SIGPIPE, old);
        return EXIT_OK;
      }
    }
  }
  cli_out_bytes(b->ptr, b->size);
  return cli_stdout_check();
}

static int S_write_file(const char *path, const char *data, size_t len) {
  quire_atomic *f;
  quire_error err;
  quire_error_clear(&err);
  if (quire_atomic_open(&f, path, &err) != 0)
    return cli_report_error(&err);
  quire_sink s = quire_atomic_sink(f);
  /* A failed write is remembered by the file: commit then reports it with
   * its reason ("No space left on device") and removes the temporary. */
  s.write(s.payload, data, len);
  if (quire_atomic_commit(f, &err) != 0)
    return cli_report_error(&err);
  return EXIT_OK;
}

/* "report.png" + page 3 -> "report-3.png", or "report-03.png" when the
 * last page needs two digits, as pdftoppm names them: the files then sort
 * in page order. */
static void S_page_path(char *out, size_t size, const char *path, int page,
                        int digits) {
  const char *dot = strrchr(path, '.');
  const char *slash = strrchr(path, '/');
  if (!dot || (slash && dot < slash))
    dot = path + strlen(path);
  snprintf(out, size, "%.*s-%0*d%s", (int)(dot - path), path, digits, page,
           dot);
}

typedef struct S_pages {
  cli_outdir *dir;
  const char *base; /* the -o name without its directory */
  int last;         /* as asked: 0 = the document's last page */
  int count;        /* the document's page count */
  int digits;       /* of each page number in the names */
  quire_error err;  /* of a failed write */
} S_pages;

static int S_page_cb(int page, int count, const char *png, size_t len,
                     void *payload) {
  S_pages *p = payload;
  p->count = count;
  p->digits = 1;
  for (int n = p->last ? p->last : count; n >= 10; n /= 10)
    p->digits++;
  char name[PATH_MAX];
  S_page_path(name, sizeof name, p->base, page, p->digits);
  cli_outfile *f;
  if (cli_outfile_open(&f, p->dir, name, &p->err) != 0)
    return p->err.code;
  quire_sink s = cli_outfile_sink(f);
  s.write(s.payload, png, len);
  return cli_outfile_finish(f, &p->err) != 0 ? p->err.code : 0;
}

/* PNG file signature: a stale page is only removed when it is one. */
static int S_is_png_at(int dirfd, const char *name) {
  static const unsigned char sig[8] = {0x89, 'P',  'N',  'G',
                                       '\r', '\n', 0x1a, '\n'};
  int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0)
    return 0;
  unsigned char got[8];
  struct stat st;
  int ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
           read(fd, got, sizeof got) == (ssize_t)sizeof got &&
           memcmp(got, sig, sizeof sig) == 0;
  close(fd);
  return ok;
}

/*
 * After --pages all: removes the pages of an earlier, longer render, so the
 * directory holds exactly the new set. A stale page is a regular PNG file
 * named STEM-N.EXT (N digits, any width: an earlier set of 10 or more pages
 * was zero-padded) that is not one of the names just written. Symlinks and
 * anything else are left alone. Returns how many could not be removed.
 */
static int S_remove_stale(const S_pages *p) {
  const char *dot = strrchr(p->base, '.');
  if (!dot || dot == p->base)
    dot = p->base + strlen(p->base);
  size_t stem = (size_t)(dot - p->base);
  int fd = dup(cli_outdir_fd(p->dir));
  DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
  if (!dir) {
    if (fd >= 0)
      close(fd);
    return 1;
  }
  int failed = 0;
  struct dirent *e;
  while ((e = readdir(dir)) != NULL) {
    const char *n = e->d_name;
    if (strncmp(n, p->base, stem) != 0 || n[stem] != '-')
      continue;
    const char *d = n + stem + 1;
    size_t nd = 0;
    while (isdigit((unsigned char)d[nd]))
      nd++;
    if (nd == 0 || nd > 6 || strcmp(d + nd, dot) != 0)
      continue;
    long v = strtol(d, NULL, 10);
    if (v >= 1 && v <= p->count && (int)nd == p->digits)
      continue; /* one of ours */
    if (!S_is_png_at(cli_outdir_fd(p->dir), n))
      continue;
    if (unlinkat(cli_outdir_fd(p->dir), n, 0) != 0) {
      cli_errorf("%s: cannot remove the stale page: %s", n, strerror(errno));
      failed++;
    }
  }
  closedir(dir);
  fsync(cli_outdir_fd(p->dir));
  return failed;
}

/*
 * Several PNG pages, all or nothing: every page goes to a temporary in the
 * directory of -o, and only when all of them are written are they renamed
 * over their names (cli/outdir.h: no symlink at a page name is followed).
 * A failure leaves every earlier page as it was. With --pages all, pages
 * of an earlier longer render that the new set does not replace are
 * removed afterwards.
 */
static int S_write_pages(cli_output *o, const quire_doc *doc, int first,
                         int last, int all) {
  char dirbuf[PATH_MAX];
  const char *slash = strrchr(o->out_path, '/');
  const char *dirname = ".";
  if (slash) {
    snprintf(dirbuf, sizeof dirbuf, "%.*s",
             slash == o->out_path ? 1 : (int)(slash - o->out_path),
             o->out_path);
    dirname = dirbuf;
  }
  S_pages pages;
  memset(&pages, 0, sizeof pages);
  pages.base = slash ? slash + 1 : o->out_path;
  pages.last = last;
  if (!*pages.base) {
    cli_errorf("%s: --pages needs a file name, not a directory", o->out_path);
    return EXIT_USAGE;
  }
  quire_error err;
  quire_error_clear(&err);
  quire_error_clear(&pages.err);
  if (cli_outdir_open(&pages.dir, dirname, &err) != 0)
    return cli_report_error(&err);
  cli_signals_start();
  int rc = quire_render_png_pages(doc, &o->ropts, first, last, S_page_cb,
                                  &pages, &err);
  if (rc == 0 && cli_outdir_publish(pages.dir, &err) != 0)
    rc = err.code;
  int status = EXIT_OK;
  if (rc != 0)
    status = cli_report_error(pages.err.code ? &pages.err : &err);
  else if (all && S_remove_stale(&pages) != 0)
    status = EXIT_IO;
  cli_outdir_close(pages.dir); /* removes the temporaries of a failure */
  return status;
}

/* --pages N or N-M, each from 1 to S_MAX_PAGE; prints what is wrong. */
#define S_MAX_PAGE 100000
static int S_parse_pages(const char *s, int *first, int *last) {
  char *end;
  errno = 0;
  long a = strtol(s, &end, 10), b = a;
  if (end != s && *end == '-' && end[1] >= '0' && end[1] <= '9')
    b = strtol(end + 1, &end, 10);
  if (end == s || *end || s[0] == '-' || s[0] == '+') {
    cli_errorf("--pages: expected N, N-M or all, got '%s'", s);
    return -1;
  }
  if (errno == ERANGE || a < 1 || b > S_MAX_PAGE) {
    cli_errorf("--pages: pages are numbered from 1 to %d, got '%s'", S_MAX_PAGE,
               s);
    return -1;
  }
  if (b < a) {
    cli_errorf("--pages: the first page comes after the last in '%s'", s);
    return -1;
  }
  *first = (int)a;
  *last = (int)b;
  return 0;
}

static int S_render_one(cli_output *o, const quire_doc *doc, quire_format fmt,
                        const char *dest, int to_stdout, int to_tty) {
  quire_buf b = QUIRE_BUF_INIT;
  quire_error err;
  quire_error_clear(&err);
  int rc = quire_render_buf(&b, doc, fmt, &o->ropts, &err);
  if (rc != 0) {
    quire_buf_dispose(&b);
    return cli_report_error(&err);
  }
  rc = to_stdout ? S_write_stdout(o, &b, to_tty)
                 : S_write_file(dest, b.ptr, b.size);
  quire_buf_dispose(&b);
  return rc;
}

static void S_var_problem(const quire_template_problem *p, void *payload) {
  (void)payload;
  cli_errorf("%s:%u:%u: %s", p->file, p->line, p->column, p->message);
}

int cli_check_variables(const cli_output *o, const char *tname) {
  quire_error err;
  quire_error_clear(&err);
  if (quire_template_check(o->ropts.template_dir, tname, S_var_problem, NULL,
                           &err) == 0)
    return EXIT_OK;
  return cli_report_error(&err);
}

/* The template set a render of doc uses: --template, else the report's
 * when it is built in or a directory of --templates, else default. */
static const char *S_template_of(const cli_output *o, const quire_doc *doc) {
  if (o->ropts.template_name)
    return o->ropts.template_name;
  const char *t = quire_doc_template(doc);
  for (size_t i = 0; t && quire_template_name(i); i++)
    if (strcmp(quire_template_name(i), t) == 0)
      return t;
  return "default";
}

int cli_output_write(cli_output *o, const quire_doc *doc) {
  quire_format fmt = S_infer_format(o);
  if (!fmt)
    return EXIT_USAGE;
  int to_stdout = !o->out_path || strcmp(o->out_path, "-") == 0;
  int to_tty = to_stdout && isatty(STDOUT_FILENO);
  o->ropts.warn = S_warn_cb;
  if (fmt == QUIRE_FORMAT_TEXT)
    S_terminal_setup(o, to_tty);
  if (fmt == QUIRE_FORMAT_HTML && o->strict_variables) {
    int st = cli_check_variables(o, S_template_of(o, doc));
    if (st != EXIT_OK)
      return st;
  }
  if ((fmt == QUIRE_FORMAT_PDF || fmt == QUIRE_FORMAT_PNG) && to_tty) {
    cli_errorf("refusing to write %s to a terminal; use -o FILE or redirect",
               quire_format_name(fmt));
    return EXIT_USAGE;
  }
  if (fmt != QUIRE_FORMAT_PNG || !o->pages)
    return S_render_one(o, doc, fmt, o->out_path, to_stdout, to_tty);

  /* PNG page ranges: one file per page, from one layout. */
  int first = 1, last = 0;
  if (strcmp(o->pages, "all") != 0 && S_parse_pages(o->pages, &first, &last))
    return EXIT_USAGE;
  if (first == last) {
    o->ropts.page = first;
    return S_render_one(o, doc, fmt, o->out_path, to_stdout, to_tty);
  }
  if (to_stdout) {
    cli_errorf("--pages with several pages needs -o FILE (one file per page)");
    return EXIT_USAGE;
  }
  return S_write_pages(o, doc, first, last, strcmp(o->pages, "all") == 0);
}

int cli_load_doc(quire_doc **out, const char *path, unsigned parse_flags) {
  quire_parse_options po = QUIRE_PARSE_OPTIONS_INIT;
  quire_error err;
  quire_error_clear(&err);
  po.flags = parse_flags;
  int rc = quire_doc_parse_file(out, path, &po, &err);
  if (rc != 0)
    return cli_report_error(&err);
  const char *src = strcmp(path, "-") == 0 ? "<stdin>" : path;
  for (size_t i = 0; i < quire_doc_diag_count(*out); i++) {
    const quire_diag *d = quire_doc_diag(*out, i);
    cli_warnf("%s: %s: %s", src, d->path, d->message);
  }
  return EXIT_OK;
}
