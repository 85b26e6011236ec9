#include "output.h"

#include "exitcodes.h"
#include "msg.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
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
      cli_errorf("unknown format '%s' (expected text, html, pdf or png)", arg);
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
  const char *out_path;
  int last;   /* as asked: 0 = the document's last page */
  int status; /* the CLI exit status of a failed write, reported already */
} S_pages;

static int S_page_cb(int page, int count, const char *png, size_t len,
                     void *payload) {
  S_pages *p = payload;
  int digits = 1;
  for (int n = p->last ? p->last : count; n >= 10; n /= 10)
    digits++;
  char path[PATH_MAX];
  S_page_path(path, sizeof path, p->out_path, page, digits);
  p->status = S_write_file(path, png, len);
  return p->status ? QUIRE_EIO : 0;
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

int cli_output_write(cli_output *o, const quire_doc *doc) {
  quire_format fmt = S_infer_format(o);
  if (!fmt)
    return EXIT_USAGE;
  int to_stdout = !o->out_path || strcmp(o->out_path, "-") == 0;
  int to_tty = to_stdout && isatty(STDOUT_FILENO);
  o->ropts.warn = S_warn_cb;
  if (fmt == QUIRE_FORMAT_TEXT)
    S_terminal_setup(o, to_tty);
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
  S_pages pages = {o->out_path, last, 0};
  quire_error err;
  quire_error_clear(&err);
  if (quire_render_png_pages(doc, &o->ropts, first, last, S_page_cb, &pages,
                             &err) != 0)
    return pages.status ? pages.status : cli_report_error(&err);
  return EXIT_OK;
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
