/* One function per subcommand, one file each (cmd_<name>.c). Each takes the
 * arguments after the command name (argv[0] is the command name) and returns
 * an exit status from exitcodes.h. */
#ifndef QUIRE_CLI_COMMANDS_H
#define QUIRE_CLI_COMMANDS_H

typedef struct cli_command {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *summary; /* one line for `quire --help` */
  const char *usage;   /* full text for `quire help NAME` */
} cli_command;

int cmd_render(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_fetch(int argc, char **argv);
int cmd_job(int argc, char **argv);
int cmd_create(int argc, char **argv);
int cmd_webhook(int argc, char **argv);
int cmd_templates(int argc, char **argv);
int cmd_preview(int argc, char **argv);
int cmd_upload(int argc, char **argv);
int cmd_files(int argc, char **argv);
int cmd_entities(int argc, char **argv);

extern const char cmd_render_usage[];
extern const char cmd_validate_usage[];
extern const char cmd_inspect_usage[];
extern const char cmd_fetch_usage[];
extern const char cmd_job_usage[];
extern const char cmd_create_usage[];
extern const char cmd_webhook_usage[];
extern const char cmd_templates_usage[];
extern const char cmd_preview_usage[];
extern const char cmd_upload_usage[];
extern const char cmd_files_usage[];
extern const char cmd_entities_usage[];

#endif
