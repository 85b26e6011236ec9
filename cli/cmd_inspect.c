#include "args.h"
#include "commands.h"
#include "exitcodes.h"
#include "msg.h"
#include "output.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

const char cmd_inspect_usage[] =
    "usage: quire inspect [-q] FILE\n"
    "\n"
    "Prints the decoded document model of a report, one node per line, with\n"
    "the JSON path each came from. For debugging and bug reports.\n"
    "\n"
    "  -q, --quiet   leave the decoder's warning lines out of the model\n";

int cmd_inspect(int argc, char **argv) {
  static const struct option longopts[] = {{"quiet", no_argument, NULL, 'q'},
                                           {"help", no_argument, NULL, 'h'},
                                           {NULL, 0, NULL, 0}};
  int quiet = 0, opt;
  optind = 1;
  while ((opt = cli_getopt("inspect", argc, argv, "qh", longopts)) != -1) {
    switch (opt) {
    case 'q': quiet = 1; break;
    case 'h': fputs(cmd_inspect_usage, stdout); return EXIT_OK;
    default: return EXIT_USAGE; /* cli_getopt said why */
    }
  }
  if (argc - optind != 1) {
    cli_errorf("inspect: give one FILE; see 'quire help inspect'");
    return EXIT_USAGE;
  }
  quire_doc *doc;
  cli_quiet = 1; /* the dump lists warnings itself */
  int rc = cli_load_doc(&doc, argv[optind], 0);
  if (rc)
    return rc;
  quire_buf b = QUIRE_BUF_INIT;
  if (quire_doc_dump(&b, doc) != 0) {
    cli_errorf("out of memory");
    rc = EXIT_INTERNAL;
  } else {
    /* The dump escapes ESC itself; C1 and bidi controls it passes are
     * escaped here, as in every other line the CLI prints. Its warning
     * lines start with "warning " at the start of a line. */
    for (size_t i = 0; i < b.size;) {
      const char *nl = memchr(b.ptr + i, '\n', b.size - i);
      size_t end = nl ? (size_t)(nl - b.ptr) + 1 : b.size;
      if (!(quiet && strncmp(b.ptr + i, "warning ", 8) == 0))
        cli_out_text(b.ptr + i, end - i);
      i = end;
    }
  }
  quire_buf_dispose(&b);
  quire_doc_free(doc);
  return rc;
}
