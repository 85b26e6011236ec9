#include "args.h"
#include "commands.h"
#include "exitcodes.h"
#include "msg.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char cmd_templates_usage[] =
    "usage: quire templates [--templates DIR] [NAME]\n"
    "       quire templates --export DIR NAME\n"
    "       quire templates --check [DIR]\n"
    "\n"
    "Lists the built-in templates. With NAME, lists every file that template\n"
    "uses and where it comes from: DIR/NAME/FILE, DIR/default/FILE, the\n"
    "built-in templates/NAME/FILE, then templates/default/FILE, first found\n"
    "wins (theme.json merges all of them, weakest last).\n"
    "\n"
    "      --templates DIR  user templates (default: $QUIRE_TEMPLATES)\n"
    "      --export DIR     copy every file template NAME uses into "
    "DIR/NAME/,\n"
    "                       to edit and preview with --templates DIR "
    "(existing\n"
    "                       files are never overwritten)\n"
    "      --check          compile every file of every template set (the\n"
    "                       built-in ones and each directory in DIR, else\n"
    "                       --templates or $QUIRE_TEMPLATES), partials no\n"
    "                       report uses included, and report every variable\n"
    "                       not in the documented view ({{titel}}) as\n"
    "                       FILE:LINE:COLUMN; exit 1 when any set fails\n";

/* Each set falls back to the default template's files, so one problem in
 * them would be found once per set: each line is printed once. */
static char *S_seen[512];
static size_t S_nseen;

static void S_print_once(const char *line) {
  for (size_t i = 0; i < S_nseen; i++)
    if (strcmp(S_seen[i], line) == 0)
      return;
  if (S_nseen < sizeof S_seen / sizeof S_seen[0])
    S_seen[S_nseen++] = strdup(line);
  cli_outf("%s", line);
}

static void S_problem(const quire_template_problem *p, void *payload) {
  int *n = payload;
  char line[1400];
  (*n)++;
  snprintf(line, sizeof line, "%s:%u:%u: %s", p->file, p->line, p->column,
           p->message);
  S_print_once(line);
}

/* Checks one set; returns 1 when it has problems (printed). */
static int S_check_one(const char *dir, const char *name) {
  quire_error err;
  int n = 0;
  quire_error_clear(&err);
  int rc = quire_template_check(dir, name, S_problem, &n, &err);
  if (rc == 0)
    return 0;
  if (!n) { /* a file that does not compile, or the set itself */
    char line[1200];
    S_print_once(quire_error_format(&err, line, sizeof line));
  }
  return 1;
}

static int S_check(const char *dir) {
  int sets = 0, bad = 0;
  for (size_t i = 0; quire_template_name(i); i++, sets++)
    bad += S_check_one(dir, quire_template_name(i));
  DIR *d = dir ? opendir(dir) : NULL;
  if (dir && !d) {
    cli_errorf("%s: cannot open the template directory: %s", dir,
               strerror(errno));
    return EXIT_IO;
  }
  struct dirent *de;
  while (d && (de = readdir(d)) != NULL) {
    if (de->d_name[0] == '.')
      continue;
    int builtin = 0;
    for (size_t i = 0; quire_template_name(i); i++)
      builtin |= strcmp(quire_template_name(i), de->d_name) == 0;
    char sub[4200];
    struct stat st;
    snprintf(sub, sizeof sub, "%s/%s", dir, de->d_name);
    if (builtin || stat(sub, &st) != 0 || !S_ISDIR(st.st_mode))
      continue;
    bad += S_check_one(dir, de->d_name);
    sets++;
  }
  if (d)
    closedir(d);
  for (size_t i = 0; i < S_nseen; i++)
    free(S_seen[i]);
  fprintf(stderr, "quire: %d template set%s checked, %d with problems\n", sets,
          sets == 1 ? "" : "s", bad);
  return bad ? EXIT_INVALID : EXIT_OK;
}

static void S_files(const char *dir, const char *name) {
  quire_buf b = QUIRE_BUF_INIT;
  for (size_t i = 0; quire_template_file(i); i++) {
    const char *file = quire_template_file(i);
    quire_buf_clear(&b);
    if (quire_template_origin(&b, dir, name, file) == 0)
      cli_outf("  %-32s %s", file, b.ptr);
  }
  quire_buf_dispose(&b);
}

/* mkdir -p for the directories above path's last component. */
static int S_parents(const char *path) {
  char buf[4096];
  size_t n = strlen(path);
  if (n >= sizeof buf)
    return -1;
  memcpy(buf, path, n + 1);
  for (char *p = buf + 1; *p; p++) {
    if (*p != '/')
      continue;
    *p = '\0';
    if (mkdir(buf, 0777) != 0 && errno != EEXIST)
      return -1;
    *p = '/';
  }
  return 0;
}

/* Writes the files of template name, as quire reads them, under
 * dir/name/. A starting point for a designer: edit, then preview with
 * --templates dir. */
static int S_export(const char *dir, const char *name) {
  quire_buf b = QUIRE_BUF_INIT;
  int status = EXIT_OK, written = 0;
  for (size_t i = 0; quire_template_file(i) && status == EXIT_OK; i++) {
    const char *file = quire_template_file(i);
    char path[4096];
    snprintf(path, sizeof path, "%s/%s/%s", dir, name, file);
    struct stat st;
    if (stat(path, &st) == 0) {
      cli_errorf("%s: already exists; not overwritten", path);
      status = EXIT_IO;
      break;
    }
    quire_buf_clear(&b);
    if (quire_template_read(&b, NULL, name, file) != 0) {
      cli_errorf("templates: cannot read built-in %s/%s", name, file);
      status = EXIT_INTERNAL;
      break;
    }
    quire_atomic *f;
    quire_error err;
    quire_error_clear(&err);
    if (S_parents(path) != 0) {
      cli_errorf("%s: cannot create its directory: %s", path, strerror(errno));
      status = EXIT_IO;
      break;
    }
    if (quire_atomic_open(&f, path, &err) != 0) {
      status = cli_report_error(&err);
      break;
    }
    quire_sink s = quire_atomic_sink(f);
    /* A failed write is remembered by the file; commit reports its
     * reason. */
    s.write(s.payload, b.ptr, b.size);
    if (quire_atomic_commit(f, &err) != 0) {
      status = cli_report_error(&err);
      break;
    }
    written++;
  }
  quire_buf_dispose(&b);
  if (status == EXIT_OK)
    cli_notef("wrote %d files to %s/%s; preview with: quire render "
              "REPORT.json -o preview.html --templates %s --template %s",
              written, dir, name, dir, name);
  return status;
}

int cmd_templates(int argc, char **argv) {
  static const struct option longopts[] = {
      {"templates", required_argument, NULL, 't'},
      {"export", required_argument, NULL, 'e'},
      {"check", no_argument, NULL, 'c'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  const char *dir = getenv("QUIRE_TEMPLATES");
  if (dir && !*dir)
    dir = NULL;
  const char *export_dir = NULL;
  int opt, check = 0;
  optind = 1;
  while ((opt = cli_getopt("templates", argc, argv, "h", longopts)) != -1) {
    switch (opt) {
    case 't': dir = optarg; break;
    case 'e': export_dir = optarg; break;
    case 'c': check = 1; break;
    case 'h': fputs(cmd_templates_usage, stdout); return EXIT_OK;
    default: return EXIT_USAGE; /* cli_getopt said why */
    }
  }
  if (check) {
    if (export_dir || optind + 1 < argc) {
      cli_errorf("templates --check: give at most one DIR");
      return EXIT_USAGE;
    }
    return S_check(optind < argc ? argv[optind] : dir);
  }
  if (export_dir && optind + 1 != argc) {
    cli_errorf("templates --export DIR: name one template");
    return EXIT_USAGE;
  }
  if (optind < argc) {
    const char *name = argv[optind];
    int known = 0;
    for (size_t i = 0; quire_template_name(i); i++)
      known |= strcmp(quire_template_name(i), name) == 0;
    if (!known && (!dir || export_dir)) {
      cli_errorf("templates: no built-in template %s", name);
      return EXIT_USAGE;
    }
    if (export_dir)
      return S_export(export_dir, name);
    cli_outf("%s", name);
    S_files(dir, name);
    return EXIT_OK;
  }
  for (size_t i = 0; quire_template_name(i); i++)
    cli_outf("%s", quire_template_name(i));
  if (dir)
    cli_outf("(user templates: %s)", dir);
  printf("\n'quire templates NAME' lists the files of one template.\n");
  return EXIT_OK;
}
