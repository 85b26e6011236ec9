#include "commands.h"
#include "exitcodes.h"
#include "msg.h"
#include "output.h"

#include <stdio.h>
#include <string.h>

const char cmd_inspect_usage[] =
    "usage: quire inspect FILE\n"
    "\n"
    "Prints the decoded document model of a report, one node per line, with\n"
    "the JSON path each came from. For debugging and bug reports.\n";

int cmd_inspect(int argc, char **argv) {
  if (argc == 2 &&
      (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
    fputs(cmd_inspect_usage, stdout);
    return EXIT_OK;
  }
  /* "-" is stdin; anything else starting with '-' is an option we lack. */
  for (int i = 1; i < argc; i++)
    if (argv[i][0] == '-' && argv[i][1]) {
      cli_errorf("inspect: unrecognized option '%s'; see 'quire help inspect'",
                 argv[i]);
      return EXIT_USAGE;
    }
  if (argc != 2) {
    cli_errorf("inspect: give one FILE; see 'quire help inspect'");
    return EXIT_USAGE;
  }
  quire_doc *doc;
  cli_quiet = 1; /* the dump lists warnings itself */
  int rc = cli_load_doc(&doc, argv[1], 0);
  if (rc)
    return rc;
  quire_buf b = QUIRE_BUF_INIT;
  if (quire_doc_dump(&b, doc) != 0) {
    cli_errorf("out of memory");
    rc = EXIT_INTERNAL;
  } else {
    /* The dump escapes ESC itself; C1 and bidi controls it passes are
     * escaped here, as in every other line the CLI prints. */
    cli_out_text(b.ptr, b.size);
  }
  quire_buf_dispose(&b);
  quire_doc_free(doc);
  return rc;
}
