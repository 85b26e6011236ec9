#include "commands.h"
#include "exitcodes.h"
#include "msg.h"
#include "output.h"

#include <stdio.h>
#include <string.h>

const char cmd_render_usage_head[] =
    "usage: quire render [OPTIONS] FILE...\n"
    "\n"
    "Renders Conduit report JSON (- reads stdin) as terminal text (default),\n"
    "HTML, PDF or PNG. The format follows -f, else the -o extension.\n"
    "\n"
    "  --strict             refuse reports that break their contract\n"
    "  -q, --quiet          do not print decoder warnings\n";

const char cmd_render_usage[] =
    "usage: quire render [OPTIONS] FILE...\n"
    "\n"
    "Renders Conduit report JSON (- reads stdin) as terminal text (default),\n"
    "HTML, PDF or PNG. The format follows -f, else the -o extension.\n"
    "\n"
    "  --strict             refuse reports that break their contract\n"
    "  -q, --quiet          do not print decoder warnings\n"
    "(see also the output options below)\n";

int cmd_render(int argc, char **argv) {
  static const struct option longopts[] = {
      CLI_RENDER_LONGOPTS,
      {"strict", no_argument, NULL, 's'},
      {"quiet", no_argument, NULL, 'q'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  cli_output o;
  cli_output_init(&o);
  unsigned flags = 0;
  int opt;
  optind = 1;
  while ((opt = getopt_long(argc, argv, CLI_RENDER_SHORTOPTS "qh", longopts,
                            NULL)) != -1) {
    int r = cli_output_option(&o, opt, optarg);
    if (r < 0)
      return EXIT_USAGE;
    if (r > 0)
      continue;
    switch (opt) {
    case 's': flags |= QUIRE_PARSE_STRICT; break;
    case 'q': cli_quiet = 1; break;
    case 'h':
      fputs(cmd_render_usage_head, stdout);
      fputs(cli_render_usage, stdout);
      return EXIT_OK;
    default:
      fputs(cmd_render_usage_head, stderr);
      fputs(cli_render_usage, stderr);
      return EXIT_USAGE;
    }
  }
  if (optind >= argc) {
    cli_errorf("render: no input files (use - for stdin)");
    return EXIT_USAGE;
  }
  if (argc - optind > 1) {
    cli_errorf("render: one input file at a time");
    return EXIT_USAGE;
  }
  quire_doc *doc;
  int rc = cli_load_doc(&doc, argv[optind], flags);
  if (rc)
    return rc;
  rc = cli_output_write(&o, doc);
  quire_doc_free(doc);
  return rc;
}
