/* quire job: print a job's status, or cancel it. */
#include "args.h"
#include "client_opts.h"
#include "commands.h"
#include "exitcodes.h"
#include "msg.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

const char cmd_job_usage[] =
    "usage: quire job JOB_ID [--cancel] [--json] [options]\n"
    "\n"
    "Print the status of a job (GET /v1/jobs/JOB_ID): status, stage,\n"
    "progress, the report id once it succeeded, the error once it failed,\n"
    "and what it cost when the server says (credits, model version).\n"
    "The exit status is 0 whatever the job's status; 'quire fetch --job'\n"
    "gets its report.\n"
    "\n"
    "      --cancel          ask the server to cancel the job (POST\n"
    "                        /v1/jobs/JOB_ID/cancel), then print it as the\n"
    "                        server answered; a job that already finished\n"
    "                        keeps its status\n"
    "      --json            print the job as the API sent it\n"
    "  -h, --help            this text\n"
    "\n" CLI_CLIENT_USAGE;

static void S_row(const char *name, const char *value) {
  if (value)
    cli_outf("%-9s %s", name, value); /* values come from the server */
}

int cmd_job(int argc, char **argv) {
  static const struct option longopts[] = {{"json", no_argument, NULL, 'J'},
                                           {"cancel", no_argument, NULL, 'C'},
                                           {"help", no_argument, NULL, 'h'},
                                           CLI_CLIENT_LONGOPTS,
                                           {NULL, 0, NULL, 0}};
  cli_client cc;
  int json = 0, cancel = 0, opt, r;
  cli_client_init(&cc);
  optind = 1;
  while ((opt = cli_getopt("job", argc, argv, "h", longopts)) != -1) {
    if (opt == 'J') {
      json = 1;
    } else if (opt == 'C') {
      cancel = 1;
    } else if (opt == 'h') {
      fputs(cmd_job_usage, stdout);
      return EXIT_OK;
    } else if ((r = cli_client_option(&cc, opt, optarg)) <= 0) {
      return EXIT_USAGE; /* '?': cli_getopt said why; -1: so did the option */
    }
  }
  if (argc - optind != 1) {
    cli_errorf("give one JOB_ID; see 'quire help job'");
    return EXIT_USAGE;
  }
  const char *job_id = argv[optind];
  quire_client *client;
  int rc = cli_client_open(&client, &cc);
  if (rc)
    return rc;
  quire_job *job = NULL;
  quire_error err;
  quire_error_clear(&err);
  rc = cancel ? quire_client_cancel_job(&job, client, job_id, &err)
              : quire_client_get_job(&job, client, job_id, &err);
  quire_client_free(client);
  if (rc)
    return cli_report_client_error(&err);
  if (json) {
    /* As the API sent it (JSON escapes every control character itself). */
    const char *text = quire_job_json(job);
    cli_out_bytes(text, strlen(text));
    cli_out_bytes("\n", 1);
  } else {
    char progress[16] = "", error[600] = "";
    double p = quire_job_progress(job);
    if (p >= 0)
      snprintf(progress, sizeof progress, "%d%%", (int)(p * 100 + 0.5));
    if (quire_job_error_code(job) || quire_job_error_message(job))
      snprintf(
          error, sizeof error, "%s%s%s",
          quire_job_error_code(job) ? quire_job_error_code(job) : "",
          quire_job_error_code(job) && quire_job_error_message(job) ? ": " : "",
          quire_job_error_message(job) ? quire_job_error_message(job) : "");
    S_row("job", quire_job_id(job));
    S_row("type", quire_job_type(job));
    S_row("status", quire_job_status_name(quire_job_status_of(job)));
    S_row("stage", quire_job_stage_name(quire_job_stage_of(job)));
    S_row("progress", progress[0] ? progress : NULL);
    S_row("report", quire_job_report_id(job));
    S_row("matching", quire_job_matching_id(job));
    S_row("error", error[0] ? error : NULL);
    S_row("created", quire_job_created_at(job));
    S_row("updated", quire_job_updated_at(job));
    /* What it cost: usage (once it ran) and the credits reservation. */
    char credits[160] = "";
    int n = 0;
    if (quire_job_credits_used(job) >= 0)
      n = snprintf(credits, sizeof credits, "used %g",
                   quire_job_credits_used(job));
    if (quire_job_credits_net_used(job) >= 0 && n >= 0 &&
        (size_t)n < sizeof credits)
      n += snprintf(credits + n, sizeof credits - (size_t)n, "%snet %g",
                    n ? ", " : "", quire_job_credits_net_used(job));
    if (quire_job_credits_reserved(job) >= 0 && n >= 0 &&
        (size_t)n < sizeof credits)
      n += snprintf(
          credits + n, sizeof credits - (size_t)n, "%sreserved %g%s%s%s",
          n ? ", " : "", quire_job_credits_reserved(job),
          quire_job_reservation_status(job) ? " (" : "",
          quire_job_reservation_status(job) ? quire_job_reservation_status(job)
                                            : "",
          quire_job_reservation_status(job) ? ")" : "");
    if (quire_job_credits_released(job) >= 0 && n >= 0 &&
        (size_t)n < sizeof credits)
      snprintf(credits + n, sizeof credits - (size_t)n, "%sreleased %g",
               n ? ", " : "", quire_job_credits_released(job));
    S_row("credits", credits[0] ? credits : NULL);
    S_row("model", quire_job_model_version(job));
  }
  quire_job_free(job);
  return cli_stdout_check();
}
