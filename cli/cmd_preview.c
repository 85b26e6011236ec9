/* quire preview: the edit-to-view loop for template authors. The report
 * is rendered to HTML, served on a loopback address, and, with --watch,
 * rendered again whenever the report or any file of the template
 * directory changes (inotify); the open browser tab shows the new version
 * by itself. */
#define _GNU_SOURCE /* inotify, getrandom, accept4 */
#include "args.h"
#include "commands.h"
#include "exitcodes.h"
#include "msg.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

const char cmd_preview_usage[] =
    "usage: quire preview REPORT --watch [-o FILE] [options]\n"
    "\n"
    "Renders REPORT as HTML and serves it on http://127.0.0.1:PORT/TOKEN/\n"
    "(printed on stderr; TOKEN is random, so other local users cannot\n"
    "guess the address). With --watch it renders again whenever REPORT or\n"
    "any file under the template directory changes; the open page reloads\n"
    "itself. A change that breaks the template keeps the last good page and\n"
    "says why on stderr. Stop it with Ctrl-C.\n"
    "\n"
    "      --watch          keep rendering on every change (inotify)\n"
    "  -o, --output FILE    also write each good render to FILE atomically\n"
    "      --template NAME  render with this template instead of the report's\n"
    "      --templates DIR  user templates (default: $QUIRE_TEMPLATES)\n"
    "      --port N         the port to listen on (default: any free one)\n";

#define S_MAX_CLIENTS 64
#define S_POLL_TIMEOUT_MS 25000

typedef struct S_client {
  int fd;
  int waiting;          /* a long poll: answered on the next version */
  unsigned long since;  /* the version the page has */
  struct timespec when; /* when the long poll started */
  char req[2048];
  size_t len;
} S_client;

typedef struct S_preview {
  const char *report;
  const char *out;
  quire_render_options ro;
  quire_buf html;        /* the last good render */
  unsigned long version; /* bumped on every good render */
  char token[33];
  int report_wd;           /* the watch on the report's directory */
  const char *report_base; /* the report's name in it */
} S_preview;

static double S_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void S_warn(const char *message, void *payload) {
  (void)payload;
  cli_warnf("%s", message);
}

/* Renders once; keeps the last good page on failure (and says why). */
static int S_render(S_preview *p) {
  quire_doc *doc = NULL;
  quire_error err;
  quire_error_clear(&err);
  quire_parse_options po = QUIRE_PARSE_OPTIONS_INIT;
  int rc = quire_doc_parse_file(&doc, p->report, &po, &err);
  quire_buf b = QUIRE_BUF_INIT;
  if (rc == 0)
    rc = quire_render_buf(&b, doc, QUIRE_FORMAT_HTML, &p->ro, &err);
  quire_doc_free(doc);
  if (rc == 0 && p->out) {
    quire_atomic *f;
    if ((rc = quire_atomic_open(&f, p->out, &err)) == 0) {
      quire_sink s = quire_atomic_sink(f);
      s.write(s.payload, b.ptr, b.size);
      rc = quire_atomic_commit(f, &err);
    }
  }
  if (rc != 0) {
    int st = cli_report_error(&err);
    cli_notef("keeping the last good page (version %lu)", p->version);
    quire_buf_dispose(&b);
    return st;
  }
  quire_buf_dispose(&p->html);
  p->html = b;
  p->version++;
  cli_notef("rendered version %lu", p->version);
  return EXIT_OK;
}

/* ---- watching ---------------------------------------------------------- */

/* Watches dir and every directory below it (a few levels deep). */
static void S_watch_tree(int ifd, const char *dir, int depth) {
  const uint32_t mask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE |
                        IN_MOVED_FROM | IN_ATTRIB;
  if (inotify_add_watch(ifd, dir, mask | IN_ONLYDIR) < 0 || depth >= 4)
    return;
  DIR *d = opendir(dir);
  struct dirent *e;
  while (d && (e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    char sub[4200];
    struct stat st;
    snprintf(sub, sizeof sub, "%s/%s", dir, e->d_name);
    if (stat(sub, &st) == 0 && S_ISDIR(st.st_mode))
      S_watch_tree(ifd, sub, depth + 1);
  }
  if (d)
    closedir(d);
}

/* The report's directory is watched rather than the file: editors save by
 * writing a new file and renaming it over the old one. */
static int S_watch_start(S_preview *p) {
  int ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (ifd < 0)
    return -1;
  char dir[4200];
  const char *slash = strrchr(p->report, '/');
  snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - p->report) : 1,
           slash ? p->report : ".");
  if (slash == p->report)
    snprintf(dir, sizeof dir, "/");
  p->report_base = slash ? slash + 1 : p->report;
  p->report_wd = inotify_add_watch(
      ifd, dir, IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_ATTRIB);
  if (p->ro.template_dir)
    S_watch_tree(ifd, p->ro.template_dir, 0);
  return ifd;
}

/* Drains the inotify queue; 1 when anything changed. New directories in
 * the template tree get watches of their own. */
static int S_watch_drain(const S_preview *p, int ifd) {
  char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
  int changed = 0;
  ssize_t n;
  while ((n = read(ifd, buf, sizeof buf)) > 0) {
    for (char *q = buf; q < buf + n;) {
      struct inotify_event *ev = (struct inotify_event *)q;
      /* In the report's directory only the report counts: -o may write
       * there, and its own writes must not start another render. */
      if (ev->wd != p->report_wd ||
          (ev->len && strcmp(ev->name, p->report_base) == 0))
        changed = 1;
      if ((ev->mask & IN_ISDIR) && (ev->mask & IN_CREATE) && p->ro.template_dir)
        S_watch_tree(ifd, p->ro.template_dir, 0);
      q += sizeof *ev + ev->len;
    }
  }
  return changed;
}

/* ---- serving ----------------------------------------------------------- */

static void S_send(int fd, const char *status, const char *type,
                   const char *body, size_t len) {
  char head[512];
  int n = snprintf(head, sizeof head,
                   "HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
                   "Cache-Control: no-store\r\nConnection: close\r\n"
                   "Referrer-Policy: no-referrer\r\n\r\n",
                   status, type, len);
  /* Blocking sends on a loopback socket: a page is a few hundred KB. */
  int fl = fcntl(fd, F_GETFL);
  fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
  if (send(fd, head, (size_t)n, MSG_NOSIGNAL) == n) {
    while (len) {
      ssize_t w = send(fd, body, len, MSG_NOSIGNAL);
      if (w <= 0)
        break;
      body += w;
      len -= (size_t)w;
    }
  }
}

/* The page the browser opens: the report in a frame (it keeps its own
 * Content-Security-Policy, which forbids scripts) and a script that waits
 * for the next version and reloads the frame. */
static void S_send_shell(const S_preview *p, int fd) {
  quire_buf b = QUIRE_BUF_INIT;
  quire_buf_printf(
      &b,
      "<!doctype html><html><head><meta charset=\"utf-8\">"
      "<title>quire preview</title><style>html,body,iframe{margin:0;"
      "border:0;width:100%%;height:100%%}</style></head><body>"
      "<iframe id=\"doc\" src=\"doc\"></iframe><script>\n"
      "let v = %lu;\n"
      "async function wait() {\n"
      "  for (;;) {\n"
      "    try {\n"
      "      const r = await fetch('wait?v=' + v, {cache: 'no-store'});\n"
      "      const n = parseInt(await r.text(), 10);\n"
      "      if (n > v) { v = n; document.getElementById('doc').src = "
      "'doc?v=' + n; }\n"
      "    } catch (e) { await new Promise(s => setTimeout(s, 1000)); }\n"
      "  }\n"
      "}\n"
      "wait();\n"
      "</script></body></html>\n",
      p->version);
  S_send(fd, "200 OK", "text/html; charset=utf-8", b.ptr, b.size);
  quire_buf_dispose(&b);
}

static void S_answer_wait(const S_preview *p, S_client *c) {
  char body[32];
  int n = snprintf(body, sizeof body, "%lu", p->version);
  S_send(c->fd, "200 OK", "text/plain", body, (size_t)n);
  close(c->fd);
  c->fd = -1;
}

/* Handles a whole request line; the request is closed unless it waits. */
static void S_handle(S_preview *p, S_client *c) {
  char path[1024];
  if (sscanf(c->req, "GET %1023s HTTP/", path) != 1) {
    S_send(c->fd, "400 Bad Request", "text/plain", "bad request\n", 12);
    goto done;
  }
  size_t tl = strlen(p->token);
  if (path[0] != '/' || strncmp(path + 1, p->token, tl) != 0 ||
      path[1 + tl] != '/') {
    S_send(c->fd, "404 Not Found", "text/plain", "not found\n", 10);
    goto done;
  }
  const char *rest = path + 2 + tl;
  if (*rest == '\0') {
    S_send_shell(p, c->fd);
  } else if (strncmp(rest, "doc", 3) == 0 && (!rest[3] || rest[3] == '?')) {
    S_send(c->fd, "200 OK", "text/html; charset=utf-8", p->html.ptr,
           p->html.size);
  } else if (strncmp(rest, "wait?v=", 7) == 0) {
    c->since = strtoul(rest + 7, NULL, 10);
    if (p->version > c->since) {
      S_answer_wait(p, c);
      return;
    }
    c->waiting = 1;
    clock_gettime(CLOCK_MONOTONIC, &c->when);
    return;
  } else {
    S_send(c->fd, "404 Not Found", "text/plain", "not found\n", 10);
  }
done:
  close(c->fd);
  c->fd = -1;
}

static int S_listen(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0)
    return -1;
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK); /* loopback only */
  if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 16) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

static int S_serve(S_preview *p, int lfd, int ifd) {
  S_client cl[S_MAX_CLIENTS];
  for (int i = 0; i < S_MAX_CLIENTS; i++)
    cl[i].fd = -1;
  double pending = 0; /* when a change was seen, 0 when none */
  for (;;) {
    struct pollfd fds[2 + S_MAX_CLIENTS];
    int map[2 + S_MAX_CLIENTS];
    int n = 0;
    fds[n] = (struct pollfd){lfd, POLLIN, 0};
    map[n++] = -1;
    if (ifd >= 0) {
      fds[n] = (struct pollfd){ifd, POLLIN, 0};
      map[n++] = -2;
    }
    for (int i = 0; i < S_MAX_CLIENTS; i++)
      if (cl[i].fd >= 0 && !cl[i].waiting) {
        fds[n] = (struct pollfd){cl[i].fd, POLLIN, 0};
        map[n++] = i;
      }
    /* Changes come in bursts (an editor writes, renames, sets modes):
     * render 50 ms after the last one. */
    int timeout = pending ? 50 : 1000;
    if (poll(fds, (nfds_t)n, timeout) < 0 && errno != EINTR)
      return EXIT_IO;
    for (int k = 0; k < n; k++) {
      if (!fds[k].revents)
        continue;
      if (map[k] == -1) {
        int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
        int slot = -1;
        for (int i = 0; fd >= 0 && i < S_MAX_CLIENTS && slot < 0; i++)
          if (cl[i].fd < 0)
            slot = i;
        if (slot < 0) {
          if (fd >= 0)
            close(fd);
          continue;
        }
        memset(&cl[slot], 0, sizeof cl[slot]);
        cl[slot].fd = fd;
      } else if (map[k] == -2) {
        if (S_watch_drain(p, ifd))
          pending = S_now();
      } else {
        S_client *c = &cl[map[k]];
        ssize_t r = read(c->fd, c->req + c->len, sizeof c->req - 1 - c->len);
        if (r <= 0) {
          close(c->fd);
          c->fd = -1;
          continue;
        }
        c->len += (size_t)r;
        c->req[c->len] = '\0';
        if (strstr(c->req, "\r\n\r\n") || c->len == sizeof c->req - 1)
          S_handle(p, c);
      }
    }
    if (pending && S_now() - pending >= 0.05) {
      pending = 0;
      unsigned long before = p->version;
      S_render(p);
      for (int i = 0; i < S_MAX_CLIENTS && p->version != before; i++)
        if (cl[i].fd >= 0 && cl[i].waiting)
          S_answer_wait(p, &cl[i]);
    }
    /* Long polls are answered after a while anyway: proxies and browsers
     * give up on requests that hang for minutes. */
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    for (int i = 0; i < S_MAX_CLIENTS; i++)
      if (cl[i].fd >= 0 && cl[i].waiting &&
          (now.tv_sec - cl[i].when.tv_sec) * 1000 > S_POLL_TIMEOUT_MS)
        S_answer_wait(p, &cl[i]);
  }
}

int cmd_preview(int argc, char **argv) {
  static const struct option longopts[] = {
      {"watch", no_argument, NULL, 'W'},
      {"output", required_argument, NULL, 'o'},
      {"template", required_argument, NULL, 1004},
      {"templates", required_argument, NULL, 1005},
      {"port", required_argument, NULL, 'P'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  S_preview p;
  memset(&p, 0, sizeof p);
  quire_render_options d = QUIRE_RENDER_OPTIONS_INIT;
  p.ro = d;
  p.ro.warn = S_warn;
  p.ro.template_dir = getenv("QUIRE_TEMPLATES");
  if (p.ro.template_dir && !*p.ro.template_dir)
    p.ro.template_dir = NULL;
  int watch = 0, port = 0, opt;
  optind = 1;
  while ((opt = cli_getopt("preview", argc, argv, "o:h", longopts)) != -1) {
    switch (opt) {
    case 'W': watch = 1; break;
    case 'o': p.out = optarg; break;
    case 1004: p.ro.template_name = optarg; break;
    case 1005: p.ro.template_dir = optarg; break;
    case 'P': {
      char *end;
      long v = strtol(optarg, &end, 10);
      if (end == optarg || *end || v < 0 || v > 65535) {
        cli_errorf("--port: expected a number from 0 to 65535, got '%s'",
                   optarg);
        return EXIT_USAGE;
      }
      port = (int)v;
      break;
    }
    case 'h': fputs(cmd_preview_usage, stdout); return EXIT_OK;
    default: return EXIT_USAGE; /* cli_getopt said why */
    }
  }
  if (argc - optind != 1 || strcmp(argv[optind], "-") == 0) {
    cli_errorf("preview: give one REPORT file; see 'quire help preview'");
    return EXIT_USAGE;
  }
  if (!watch) {
    cli_errorf("preview: --watch is the point of preview; to render once, "
               "use 'quire render REPORT -o FILE.html'");
    return EXIT_USAGE;
  }
  p.report = argv[optind];
  int st = S_render(&p);
  if (st != EXIT_OK && p.version == 0)
    return st; /* nothing good to show yet */
  unsigned char rnd[16];
  if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd) {
    cli_errorf("preview: no random bytes for the address token");
    return EXIT_INTERNAL;
  }
  for (int i = 0; i < 16; i++)
    snprintf(p.token + 2 * i, 3, "%02x", rnd[i]);
  int lfd = S_listen(port);
  if (lfd < 0) {
    cli_errorf("preview: cannot listen on 127.0.0.1:%d: %s", port,
               strerror(errno));
    return EXIT_IO;
  }
  struct sockaddr_in a;
  socklen_t al = sizeof a;
  getsockname(lfd, (struct sockaddr *)&a, &al);
  int ifd = S_watch_start(&p);
  if (ifd < 0) {
    cli_errorf("preview: cannot watch files: %s", strerror(errno));
    close(lfd);
    return EXIT_IO;
  }
  cli_notef("serving http://127.0.0.1:%d/%s/ (Ctrl-C stops)", ntohs(a.sin_port),
            p.token);
  fflush(stderr);
  signal(SIGPIPE, SIG_IGN);
  st = S_serve(&p, lfd, ifd);
  quire_buf_dispose(&p.html);
  close(lfd);
  close(ifd);
  return st;
}
