#include "commands.h"
#include "exitcodes.h"
#include "msg.h"
#include "version.h"

#include "quire.h"

#include <stdio.h>
#include <string.h>

static const cli_command S_commands[] = {
    {"render", cmd_render, "render report JSON to text, HTML, PDF or PNG",
     cmd_render_usage},
    {"validate", cmd_validate, "check report JSON against the Conduit contract",
     cmd_validate_usage},
    {"inspect", cmd_inspect, "print the decoded document model of a report",
     cmd_inspect_usage},
    {"templates", cmd_templates,
     "list HTML templates and where each file comes from", cmd_templates_usage},
    {"preview", cmd_preview,
     "serve a report's HTML and render it again on every change",
     cmd_preview_usage},
    {"fetch", cmd_fetch,
     "fetch a report or matching result from the Conduit API", cmd_fetch_usage},
    {"job", cmd_job, "print the status of a Conduit job, or cancel it",
     cmd_job_usage},
    {"create", cmd_create, "create a report or matching job (and wait for it)",
     cmd_create_usage},
    {"webhook", cmd_webhook, "verify a Conduit webhook signature",
     cmd_webhook_usage},
    {"upload", cmd_upload, "upload a recording to the Conduit API",
     cmd_upload_usage},
    {"files", cmd_files, "list, show, delete or lock uploaded media files",
     cmd_files_usage},
    {"entities", cmd_entities, "list, show or label entities (people)",
     cmd_entities_usage},
    /* more commands register here */
};
#define S_NCOMMANDS (sizeof S_commands / sizeof S_commands[0])

static const cli_command *S_find(const char *name) {
  for (size_t i = 0; i < S_NCOMMANDS; i++)
    if (strcmp(S_commands[i].name, name) == 0)
      return &S_commands[i];
  return NULL;
}

static void S_usage(FILE *fp) {
  fprintf(fp, "usage: quire [-V|--version] [-h|--help] COMMAND [ARGS]\n\n"
              "Render Conduit behavioural reports as terminal text, HTML, PDF "
              "and PNG.\n\nCommands:\n");
  for (size_t i = 0; i < S_NCOMMANDS; i++)
    fprintf(fp, "  %-10s %s\n", S_commands[i].name, S_commands[i].summary);
  fprintf(fp, "\n'quire help COMMAND' describes a command and its options.\n");
}

/* Every command's stdout passes here last: output lost to a full disk or a
 * closed device must not end in status 0 (validate, inspect, templates,
 * job, help...). A command that already reported it is not reported
 * twice (cli_stdout_check remembers). */
static int S_finish(int status) {
  int st = cli_stdout_check();
  return st != EXIT_OK ? st : status;
}

static int S_main(int argc, char **argv) {
  if (argc < 2) {
    S_usage(stderr);
    return EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
    S_usage(stdout);
    return EXIT_OK;
  }
  if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0 ||
      strcmp(cmd, "version") == 0) {
    return cli_version();
  }
  if (strcmp(cmd, "help") == 0) {
    if (argc < 3) {
      S_usage(stdout);
      return EXIT_OK;
    }
    if (strcmp(argv[2], "help") == 0) {
      fputs("usage: quire help [COMMAND]\n\n"
            "Prints the commands, or every option of COMMAND (the same as\n"
            "'quire COMMAND --help').\n",
            stdout);
      return EXIT_OK;
    }
    const cli_command *c = S_find(argv[2]);
    if (!c) {
      cli_errorf("no such command '%s'; see 'quire --help'", argv[2]);
      return EXIT_USAGE;
    }
    fputs(c->usage, stdout);
    return EXIT_OK;
  }
  const cli_command *c = S_find(cmd);
  if (!c) {
    cli_errorf("no such command '%s'; see 'quire --help'", cmd);
    return EXIT_USAGE;
  }
  /* This program uses fontconfig only through libquire, so quire's own
   * font set may be the process default: pango then never loads the
   * system's configuration, which quire does not use (quire.h). */
  quire_global_fontconfig_default();
  if (quire_global_init() != 0) {
    cli_errorf("library initialisation failed");
    return EXIT_INTERNAL;
  }
  return c->run(argc - 1, argv + 1);
}

int main(int argc, char **argv) { return S_finish(S_main(argc, argv)); }
