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
  if (argc != 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    fputs(cmd_inspect_usage, argc == 2 ? stdout : stderr);
    return argc == 2 ? EXIT_OK : EXIT_USAGE;
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
    fwrite(b.ptr, 1, b.size, stdout);
  }
  quire_buf_dispose(&b);
  quire_doc_free(doc);
  return rc;
}
