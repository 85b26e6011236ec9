/* quire fetch: get a report (or a matching result) from the Conduit API and
 * render it. */
#include "args.h"
#include "client_opts.h"
#include "commands.h"
#include "exitcodes.h"
#include "msg.h"
#include "output.h"
#include "progress.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char cmd_fetch_usage[] =
    "usage: quire fetch REPORT_ID [options]\n"
    "       quire fetch --job JOB_ID [--wait[=SECONDS]] [options]\n"
    "       quire fetch --matching MATCHING_ID [options]\n"
    "\n"
    "Fetch a report from the Conduit API and render it like 'quire render'.\n"
    "\n"
    "      --job JOB_ID       the report a job produced (GET\n"
    "                         /v1/reports/by-job/JOB_ID)\n"
    "  -w, --wait[=SECONDS]   with --job: wait for the job to finish (default\n"
    "                         300 s), following its event stream, polling\n"
    "                         every 3 s when the stream is unavailable; a\n"
    "                         matching job gives its matching result\n"
    "      --matching         the id is a matching result's (GET\n"
    "                         /v1/matching/ID); with --job, the matching\n"
    "                         result of that job (/v1/matching/by-job/JOB_ID)\n"
    "      --strict           refuse a report that breaks the Conduit\n"
    "                         contract (as 'quire validate --strict')\n"
    "  -q, --quiet            no warnings and no progress line\n"
    "  -h, --help             this text\n"
    "\n"
    "Render options, as for 'quire render' (see 'quire help render'):\n"
    "  -f, --format FMT       text, html, pdf, png or json (default: from -o,\n"
    "                         else text); json writes the report JSON\n"
    "                         exactly as received, for caching; 'quire\n"
    "                         render' reads it later\n"
    "  -o, --output FILE      write FILE atomically, only when everything\n"
    "                         succeeded (- = stdout)\n"
    "      --width, --color, --ascii, --no-pager, --template, --templates,\n"
    "      --body, --lang, --paper, --pdf-engine, --dpi, --pages\n"
    "\n" CLI_CLIENT_USAGE "\n"
    "Exit status: 0 done, 1 the report is invalid, 2 usage, 3 I/O error,\n"
    "4 the report is not ready yet, 5 network or server failure, 6 the API\n"
    "refused (authentication, credits, not found, validation, rate limit or\n"
    "another 4xx), 7 the job failed, 8 the job was canceled, 9 --wait timed\n"
    "out.\n";

static void S_usage(FILE *fp) { fputs(cmd_fetch_usage, fp); }

/* Not ready: say why, from the job itself (failed and canceled jobs get
 * their own exit status instead of "not ready"). */
static int S_explain_not_ready(quire_client *client, const char *job_id,
                               const char *noun, const quire_error *not_ready) {
  quire_job *job = NULL;
  quire_error err;
  quire_error_clear(&err);
  if (quire_client_get_job(&job, client, job_id, &err) != 0) {
    cli_report_error(not_ready);
    return EXIT_NOT_READY;
  }
  quire_job_status st = quire_job_status_of(job);
  int rc;
  if (st == QUIRE_JOB_FAILED || st == QUIRE_JOB_CANCELED) {
    const char *code = quire_job_error_code(job);
    const char *msg = quire_job_error_message(job);
    if (st == QUIRE_JOB_FAILED)
      cli_errorf("job %s failed: %s%s%s", job_id, code ? code : "job_failed",
                 msg ? ": " : "", msg ? msg : "");
    else
      cli_errorf("job %s was canceled%s%s", job_id, msg ? ": " : "",
                 msg ? msg : "");
    rc = st == QUIRE_JOB_FAILED ? EXIT_JOB_FAILED : EXIT_JOB_CANCELED;
  } else {
    const char *stage = quire_job_stage_name(quire_job_stage_of(job));
    double p = quire_job_progress(job);
    char state[96];
    int n = snprintf(state, sizeof state, "%s",
                     quire_job_status_name(st) ? quire_job_status_name(st)
                                               : "unknown");
    if (stage && n > 0 && (size_t)n < sizeof state)
      n += snprintf(state + n, sizeof state - (size_t)n, ", %s", stage);
    if (p >= 0 && n > 0 && (size_t)n < sizeof state)
      snprintf(state + n, sizeof state - (size_t)n, ", %d%%",
               (int)(p * 100 + 0.5));
    cli_errorf("the %s of job %s is not ready yet (job %s); wait for it "
               "with --wait",
               noun, job_id, state);
    rc = EXIT_NOT_READY;
  }
  quire_job_free(job);
  return rc;
}

int cmd_fetch(int argc, char **argv) {
  static const struct option longopts[] = {
      {"job", required_argument, NULL, 'j'},
      {"wait", optional_argument, NULL, 'w'},
      {"matching", no_argument, NULL, 'm'},
      {"quiet", no_argument, NULL, 'q'},
      {"strict", no_argument, NULL, 'S'},
      {"help", no_argument, NULL, 'h'},
      CLI_RENDER_LONGOPTS,
      CLI_CLIENT_LONGOPTS,
      {NULL, 0, NULL, 0}};
  cli_output o;
  cli_client cc;
  const char *job_id = NULL;
  int wait = 0, json = 0, quiet = 0, strict = 0, matching = 0, opt, r;
  double wait_s = 300;
  cli_output_init(&o);
  o.json_ok = 1;
  cli_client_init(&cc);
  optind = 1;
  while ((opt = cli_getopt("fetch", argc, argv, "w::qh" CLI_RENDER_SHORTOPTS,
                           longopts)) != -1) {
    switch (opt) {
    case 'j': job_id = optarg; continue;
    case 'w':
      wait = 1;
      if (optarg && cli_parse_seconds(optarg, 1, 86400, &wait_s)) {
        cli_errorf("--wait: expected seconds from 1 to 86400, got '%s'",
                   optarg);
        return EXIT_USAGE;
      }
      continue;
    case 'm': matching = 1; continue;
    case 'q': quiet = cli_quiet = 1; continue;
    case 'S': strict = 1; continue;
    case 'h': S_usage(stdout); return EXIT_OK;
    case 'f':
      if (strcmp(optarg, "json") == 0) {
        json = 1;
        continue;
      }
      json = 0;
      break;
    case '?': return EXIT_USAGE;
    default: break;
    }
    r = cli_fetch_render_option(&cc, &o, opt, optarg);
    if (r < 0)
      return EXIT_USAGE;
    if (r == 0) {
      S_usage(stderr);
      return EXIT_USAGE;
    }
  }
  const char *report_id = optind < argc ? argv[optind] : NULL;
  if (wait && job_id && report_id &&
      strspn(report_id, "0123456789.") == strlen(report_id)) {
    cli_errorf("write --wait=%s, with '=' (--wait takes an optional value)",
               report_id);
    return EXIT_USAGE;
  }
  if (argc - optind > 1 || (!report_id && !job_id) || (report_id && job_id)) {
    cli_errorf("give one %s, or --job JOB_ID; see 'quire help fetch'",
               matching ? "MATCHING_ID" : "REPORT_ID");
    return EXIT_USAGE;
  }
  if (wait && !job_id) {
    cli_errorf("--wait needs --job JOB_ID (a report id names a finished "
               "report)");
    return EXIT_USAGE;
  }
  json = cli_wants_json(&o, json); /* -o x.json means JSON */

  quire_client *client;
  int rc = cli_client_open(&client, &cc);
  if (rc)
    return rc;
  quire_buf body = QUIRE_BUF_INIT;
  quire_error err;
  quire_error_clear(&err);
  cli_show show;
  cli_show_init(&show, quiet);
  char source[300];
  const char *noun = matching ? "matching result" : "report";
  if (!job_id) {
    snprintf(source, sizeof source, "%s %s", noun, report_id);
    rc = matching ? quire_client_get_matching(&body, client, report_id, &err)
                  : quire_client_get_report(&body, client, report_id, &err);
  } else if (!wait) {
    snprintf(source, sizeof source, "%s of job %s", noun, job_id);
    rc = matching
             ? quire_client_get_matching_by_job(&body, client, job_id, &err)
             : quire_client_get_report_by_job(&body, client, job_id, &err);
    if (rc == QUIRE_ENOTREADY) {
      int st = S_explain_not_ready(client, job_id, noun, &err);
      quire_buf_dispose(&body);
      quire_client_free(client);
      return st;
    }
  } else {
    /* The display quire create --wait shows, from the job on. */
    quire_wait_options wo = QUIRE_WAIT_OPTIONS_INIT;
    quire_wait_hooks hooks = QUIRE_WAIT_HOOKS_INIT;
    snprintf(source, sizeof source, "%s of job %s", noun, job_id);
    wo.timeout_ms = (long)(wait_s * 1000);
    wo.progress = cli_show_job;
    wo.payload = &show;
    hooks.cancel = cli_show_tick; /* never cancels: moves the times shown */
    hooks.abort_flag = cli_interrupt_flag(); /* Ctrl-C ends the wait */
    hooks.payload = &show;
    cli_interrupt_arm();
    rc = quire_client_wait_report_hooks(&body, client, job_id, &wo, &hooks,
                                        &err);
    cli_interrupt_disarm();
  }
  quire_client_free(client);
  if (rc == QUIRE_EABORTED) {
    cli_show_done(&show);
    quire_buf_dispose(&body);
    return cli_interrupted(job_id, matching);
  }
  if (rc != 0) {
    cli_show_done(&show);
    quire_buf_dispose(&body);
    return cli_report_client_error(&err);
  }
  /* A file being written after a wait: say so, as create does. */
  if (wait && o.out_path && strcmp(o.out_path, "-") != 0) {
    const char *slash = strrchr(o.out_path, '/');
    cli_show_render(&show, slash ? slash + 1 : o.out_path);
  } else {
    cli_show_done(&show);
  }
  rc = cli_write_report(&o, json, strict ? QUIRE_PARSE_STRICT : 0, &body,
                        source, &err);
  cli_show_done(&show);
  quire_buf_dispose(&body);
  return rc;
}
