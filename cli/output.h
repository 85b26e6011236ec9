/* Shared by every command that writes a rendered report (render, fetch):
 * render options from the command line, format inference, the pager, and
 * atomic output files. */
#ifndef QUIRE_CLI_OUTPUT_H
#define QUIRE_CLI_OUTPUT_H

#include "quire.h"

#include <getopt.h>

typedef struct cli_output {
  const char *out_path;       /* -o; NULL or "-" means stdout */
  const char *format_name;    /* -f; NULL = infer from -o, else text */
  quire_render_options ropts; /* filled from the options below */
  const char *color_mode;     /* --color=auto|always|never (auto) */
  int width_set;              /* --width given */
  int pager;                  /* 0 after --no-pager */
  const char *pages;          /* --pages N, N-M or all (png) */
  int json_ok;                /* -f json is the command's own (fetch) */
  int strict_variables;       /* --strict-variables (render only) */
} cli_output;

/* Long options every rendering command accepts; ids start at 1000. */
#define CLI_RENDER_LONGOPTS                                                    \
  {"format", required_argument, NULL, 'f'},                                    \
      {"output", required_argument, NULL, 'o'},                                \
      {"width", required_argument, NULL, 1000},                                \
      {"color", optional_argument, NULL, 1001},                                \
      {"ascii", no_argument, NULL, 1002},                                      \
      {"no-pager", no_argument, NULL, 1003},                                   \
      {"template", required_argument, NULL, 1004},                             \
      {"templates", required_argument, NULL, 1005},                            \
      {"paper", required_argument, NULL, 1006},                                \
      {"pdf-engine", required_argument, NULL, 1007},                           \
      {"dpi", required_argument, NULL, 1008},                                  \
      {"pages", required_argument, NULL, 1009},                                \
      {"body", required_argument, NULL, 1010}, {                               \
    "lang", required_argument, NULL, 1012                                      \
  }
#define CLI_RENDER_SHORTOPTS "f:o:"
/* render only: fetch and create do not take it. */
#define CLI_STRICT_VARIABLES_LONGOPT                                           \
  { "strict-variables", no_argument, NULL, 1011 }
/* Checks the HTML templates a render of doc would use (--strict-variables:
 * every file of the set, unknown variables are errors). Returns an exit
 * status after printing the problems. */
int cli_check_variables(const cli_output *o, const char *tname);

/* Help text for those options, for the commands' usage; a literal so a
 * usage string can include it. */
#define CLI_RENDER_USAGE                                                       \
  "  -f, --format FMT     text, html, pdf or png (default: from the -o\n"      \
  "                       extension: .txt, .html, .pdf or .png, any other\n"   \
  "                       is refused; text with no extension or stdout)\n"     \
  "  -o, --output FILE    write to FILE atomically (- = stdout); a symlink\n"  \
  "                       is followed, a device or FIFO written directly;\n"   \
  "                       in a batch, the output directory (created when\n"    \
  "                       missing)\n"                                          \
  "      --width N        text width in columns (default: terminal, COLUMNS, " \
  "80)\n"                                                                      \
  "      --color[=WHEN]   auto, always or never (auto honours NO_COLOR)\n"     \
  "      --ascii          draw text borders and bullets in plain ASCII\n"      \
  "      --no-pager       never page long text output\n"                       \
  "      --template NAME  render with this template instead of the report's\n" \
  "      --body B         json (default), markdown or both: what a report\n"   \
  "                       that carries both a json/sections body and\n"        \
  "                       markdown shows\n"                                    \
  "      --lang TAG       the report's language (pdf /Lang, html lang), a\n"   \
  "                       BCP 47 tag such as fr or pt-BR (default: guessed\n"  \
  "                       from the report's words, else en)\n"                 \
  "      --templates DIR  user templates overriding the built-in ones\n"       \
  "                       (default: $QUIRE_TEMPLATES)\n"                       \
  "      --paper SIZE     a4 or letter (pdf, png)\n"                           \
  "      --pdf-engine E   cairo (default) or haru\n"                           \
  "      --dpi N          png resolution (default 96)\n"                       \
  "      --pages P        png pages: N, N-M or all (default 1); several\n"     \
  "                       pages go to FILE-1.png, FILE-2.png... "              \
  "(FILE-01.png\n"                                                             \
  "                       from 10 pages on), all or none: no page is\n"        \
  "                       replaced unless every page was written. With\n"      \
  "                       all, PNG files FILE-N.png of an earlier, longer\n"   \
  "                       set are removed. A symlink at a page name is\n"      \
  "                       never followed: only regular files are replaced\n"
extern const char cli_render_usage[];

void cli_output_init(cli_output *o);
/* Handles one getopt result; returns 1 if it was a render option, 0 if not,
 * -1 after printing an error for a bad value. */
int cli_output_option(cli_output *o, int opt, const char *arg);
/*
 * Renders doc to its destination (stdout, a pager, or an atomic file) and
 * prints any error. Returns an exit status. base_name, when not NULL, is
 * used for PNG page files ("report" -> report-2.png).
 */
int cli_output_write(cli_output *o, const quire_doc *doc);

/* Reads a report file ("-" = stdin) into a document, printing warnings
 * unless quiet and errors always. Returns an exit status; *out on success. */
int cli_load_doc(quire_doc **out, const char *path, unsigned parse_flags);

#endif
