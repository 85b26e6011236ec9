#include "commands.h"
#include "exitcodes.h"
#include "msg.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char cmd_templates_usage[] =
    "usage: quire templates [--templates DIR] [NAME]\n"
    "\n"
    "Lists the built-in templates. With NAME, lists every file that template\n"
    "uses and where it comes from: DIR/NAME/FILE, DIR/default/FILE, the\n"
    "built-in templates/NAME/FILE, then templates/default/FILE, first found\n"
    "wins (theme.json merges all of them, weakest last).\n"
    "\n"
    "      --templates DIR  user templates (default: $QUIRE_TEMPLATES)\n";

static void S_files(const char *dir, const char *name) {
  quire_buf b = QUIRE_BUF_INIT;
  for (size_t i = 0; quire_template_file(i); i++) {
    const char *file = quire_template_file(i);
    quire_buf_clear(&b);
    if (quire_template_origin(&b, dir, name, file) == 0)
      printf("  %-32s %s\n", file, b.ptr);
  }
  quire_buf_dispose(&b);
}

int cmd_templates(int argc, char **argv) {
  static const struct option longopts[] = {
      {"templates", required_argument, NULL, 't'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  const char *dir = getenv("QUIRE_TEMPLATES");
  if (dir && !*dir)
    dir = NULL;
  int opt;
  optind = 1;
  while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
    switch (opt) {
    case 't': dir = optarg; break;
    case 'h': fputs(cmd_templates_usage, stdout); return EXIT_OK;
    default: fputs(cmd_templates_usage, stderr); return EXIT_USAGE;
    }
  }
  if (optind < argc) {
    const char *name = argv[optind];
    int known = 0;
    for (size_t i = 0; quire_template_name(i); i++)
      known |= strcmp(quire_template_name(i), name) == 0;
    if (!known && !dir) {
      cli_errorf("templates: no built-in template %s", name);
      return EXIT_USAGE;
    }
    printf("%s\n", name);
    S_files(dir, name);
    return EXIT_OK;
  }
  for (size_t i = 0; quire_template_name(i); i++)
    printf("%s\n", quire_template_name(i));
  if (dir)
    printf("(user templates: %s)\n", dir);
  printf("\n'quire templates NAME' lists the files of one template.\n");
  return EXIT_OK;
}
