/* quire create: create a report job (or a matching job), optionally wait
 * for its result. */
#include "args.h"
#include "client_opts.h"
#include "commands.h"
#include "exitcodes.h"
#include "msg.h"
#include "output.h"
#include "progress.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char cmd_create_usage[] =
    "usage: quire create --media MEDIA_ID --template TEMPLATE [options]\n"
    "       quire create --matching --subject SUBJECT --subject SUBJECT...\n"
    "\n"
    "Create a report job (POST /v1/reports/jobs) and print its id; with\n"
    "--wait, wait for it and render the report like 'quire fetch'.\n"
    "\n"
    "      --matching           create a matching job instead (POST\n"
    "                           /v1/matching/jobs): how well the first\n"
    "                           --subject fits with each of the others\n"
    "      --subject SUBJECT    entity:ENTITY_ID, or media:MEDIA_ID with an\n"
    "                           optional :TARGET as for --target (e.g.\n"
    "                           media:med_1:speaker_index:2); the first is\n"
    "                           the target, the rest the group (1 to 64)\n"
    "      --context NAME       matching context (default\n"
    "                           behavioral_compatibility)\n"
    "\n"
    "  -m, --media ID           the uploaded media to analyse\n"
    "      --file PATH          or upload PATH first, as 'quire upload'\n"
    "      --url URL            or stream URL into the upload\n"
    "  -t, --template NAME      general_report, sales_playbook,\n"
    "                           hiring_report or profile_alignment\n"
    "                           (required)\n"
    "      --target STRATEGY    who to profile: dominant (default),\n"
    "                           timerange, entity_id, magic_hint or\n"
    "                           speaker_index; the value may follow a\n"
    "                           colon (entity_id:ENT, timerange:START-END,\n"
    "                           speaker_index:N, magic_hint:TEXT) or come\n"
    "                           from the options below\n"
    "      --start SECONDS      timerange start\n"
    "      --end SECONDS        timerange end\n"
    "      --entity ID          entity_id target\n"
    "      --hint TEXT          magic_hint target\n"
    "      --speaker N          speaker_index target (0-based)\n"
    "      --fallback-dominant  profile the dominant speaker when the\n"
    "                           target is not found (default: fail)\n"
    "      --template-params JSON  template parameters, a JSON object\n"
    "      --webhook URL        have report.completed / report.failed\n"
    "                           POSTed to URL\n"
    "      --webhook-header 'NAME: VALUE'  a header for each delivery\n"
    "                           (repeatable; control characters refused)\n"
    "      --label TEXT         a label for the report (1-64 characters)\n"
    "      --entity-label TEXT  a label for the person profiled\n"
    "      --idempotency-key KEY  send the job under KEY: the same key\n"
    "                           cannot make a second job (default: a new\n"
    "                           idem_<uuid>, shown on stderr)\n"
    "  -w, --wait[=SECONDS]     wait for the job (default 300 s), then\n"
    "                           render its report (-f, -o and the render\n"
    "                           options of 'quire render';\n"
    "                           --render-template NAME)\n"
    "      --strict             with --wait: refuse a report that breaks\n"
    "                           the Conduit contract\n"
    "  -q, --quiet              no notes, warnings or progress line\n"
    "  -h, --help               this text\n"
    "\n" CLI_CLIENT_USAGE "\n"
    "Exit status: as 'quire fetch'; 7 the job failed, 8 it was canceled,\n"
    "9 --wait timed out.\n";

static int S_num(const char *opt, const char *s, double lo, double hi,
                 double *out) {
  char *end;
  errno = 0;
  double v = s && *s ? strtod(s, &end) : 0;
  if (!s || !*s || errno || *end || !(v >= lo && v <= hi)) {
    /* %.15g: "1000000000", not %g's "1e+09". */
    cli_errorf("%s: expected a number from %.15g to %.15g, got '%s'", opt, lo,
               hi, s ? s : "");
    return -1;
  }
  *out = v;
  return 0;
}

/* --target NAME or NAME:VALUE (also the TARGET of --subject media:ID:TARGET).
 */
static int S_target(quire_job_request *req, const char *arg) {
  static const char *const names[] = {"dominant", "timerange", "entity_id",
                                      "magic_hint", "speaker_index"};
  const char *colon = strchr(arg, ':');
  size_t n = colon ? (size_t)(colon - arg) : strlen(arg);
  const char *v = colon ? colon + 1 : NULL;
  for (int i = 0; i < 5; i++) {
    if (strlen(names[i]) != n || strncmp(arg, names[i], n) != 0)
      continue;
    req->target = (quire_target)i;
    if (!v)
      return 0;
    double d;
    switch (req->target) {
    case QUIRE_TARGET_ENTITY_ID: req->target_entity_id = v; return 0;
    case QUIRE_TARGET_MAGIC_HINT: req->target_hint = v; return 0;
    case QUIRE_TARGET_SPEAKER_INDEX:
      if (S_num("--target speaker_index", v, 0, 1e9, &d))
        return -1;
      req->target_speaker_index = (long)d;
      return 0;
    case QUIRE_TARGET_TIMERANGE: {
      char a[64], b[64];
      const char *dash = strchr(v, '-');
      if (!dash || (size_t)(dash - v) >= sizeof a ||
          strlen(dash + 1) >= sizeof b) {
        cli_errorf("--target timerange:START-END, got '%s'", arg);
        return -1;
      }
      snprintf(a, sizeof a, "%.*s", (int)(dash - v), v);
      snprintf(b, sizeof b, "%s", dash + 1);
      if ((*a &&
           S_num("--target timerange start", a, 0, 1e9, &req->target_start)) ||
          (*b && S_num("--target timerange end", b, 0, 1e9, &req->target_end)))
        return -1;
      return 0;
    }
    case QUIRE_TARGET_DOMINANT:
      cli_errorf("--target dominant takes no value");
      return -1;
    }
  }
  cli_errorf("--target: expected dominant, timerange, entity_id, magic_hint "
             "or speaker_index, got '%.*s'",
             (int)n, arg);
  return -1;
}

/* Labels are 1 to 64 characters (code points, not bytes) in the API: a
 * longer one is refused here rather than after a round trip. Counting
 * lead bytes is enough; the server judges the UTF-8 itself. */
#define S_MAX_LABEL 64
static int S_label(const char *opt, const char *s) {
  size_t chars = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    chars += (*p & 0xc0) != 0x80;
  if (chars >= 1 && chars <= S_MAX_LABEL)
    return 0;
  cli_errorf("%s: expected 1 to %d characters, got %zu", opt, S_MAX_LABEL,
             chars);
  return -1;
}

#define S_MAX_SUBJECTS 65 /* the target and a group of up to 64 */
#define S_MAX_WEBHOOK_HEADERS 32

/* --webhook-header 'Name: value': checked here too, so a bad one is a
 * usage error before any request (the library checks the same). */
static int S_webhook_header(const char *arg) {
  const char *colon = strchr(arg, ':');
  for (const unsigned char *p = (const unsigned char *)arg; *p; p++)
    if ((*p < 0x20 && *p != '\t') || *p == 0x7f) {
      cli_errorf("--webhook-header: control characters (CR, LF...) are not "
                 "allowed");
      return -1;
    }
  if (!colon || colon == arg) {
    cli_errorf("--webhook-header: expected 'NAME: VALUE', got '%s'", arg);
    return -1;
  }
  return 0;
}

/* --subject entity:ID | media:ID[:TARGET] */
static int S_subject(quire_subject *out, const char *arg) {
  quire_subject d = QUIRE_SUBJECT_INIT;
  *out = d;
  if (strncmp(arg, "entity:", 7) == 0 && arg[7]) {
    out->entity_id = arg + 7;
    return 0;
  }
  if (strncmp(arg, "media:", 6) == 0 && arg[6] && arg[6] != ':') {
    const char *id = arg + 6, *colon = strchr(id, ':');
    /* The id is cut out in place: argv strings are ours to edit. */
    if (colon) {
      quire_job_request sel = QUIRE_JOB_REQUEST_INIT;
      if (S_target(&sel, colon + 1))
        return -1;
      *(char *)colon = '\0';
      out->strategy = sel.target;
      out->start = sel.target_start;
      out->end = sel.target_end;
      out->entity_sel = sel.target_entity_id;
      out->hint = sel.target_hint;
      out->speaker_index = sel.target_speaker_index;
    }
    out->media_id = id;
    return 0;
  }
  cli_errorf("--subject: expected entity:ENTITY_ID or media:MEDIA_ID[:TARGET], "
             "got '%s'",
             arg);
  return -1;
}

int cmd_create(int argc, char **argv) {
  /* Ours come first: getopt_long takes the first exact match, so --template
   * is the job's template here; --render-template overrides the look. */
  static const struct option longopts[] = {
      {"media", required_argument, NULL, 'm'},
      {"template", required_argument, NULL, 't'},
      {"target", required_argument, NULL, 2000},
      {"start", required_argument, NULL, 2001},
      {"end", required_argument, NULL, 2002},
      {"entity", required_argument, NULL, 2003},
      {"hint", required_argument, NULL, 2004},
      {"speaker", required_argument, NULL, 2005},
      {"fallback-dominant", no_argument, NULL, 2006},
      {"template-params", required_argument, NULL, 2007},
      {"webhook", required_argument, NULL, 2008},
      {"label", required_argument, NULL, 2009},
      {"entity-label", required_argument, NULL, 2010},
      {"idempotency-key", required_argument, NULL, 2011},
      {"matching", no_argument, NULL, 2012},
      {"subject", required_argument, NULL, 2013},
      {"context", required_argument, NULL, 2014},
      {"webhook-header", required_argument, NULL, 2015},
      {"file", required_argument, NULL, 2016},
      {"url", required_argument, NULL, 2017},
      {"render-template", required_argument, NULL, 1004},
      {"wait", optional_argument, NULL, 'w'},
      {"quiet", no_argument, NULL, 'q'},
      {"strict", no_argument, NULL, 'S'},
      {"help", no_argument, NULL, 'h'},
      CLI_RENDER_LONGOPTS,
      CLI_CLIENT_LONGOPTS,
      {NULL, 0, NULL, 0}};
  quire_job_request req = QUIRE_JOB_REQUEST_INIT;
  quire_matching_request mreq = QUIRE_MATCHING_REQUEST_INIT;
  quire_subject subjects[S_MAX_SUBJECTS];
  size_t nsubjects = 0;
  const char *upload = NULL, *upload_url = NULL;
  const char *whdrs[S_MAX_WEBHOOK_HEADERS];
  size_t nwhdrs = 0;
  cli_output o;
  cli_client cc;
  int wait = 0, json = 0, quiet = 0, strict = 0, matching = 0, report_opts = 0;
  int opt, r;
  double wait_s = 300, d;
  cli_output_init(&o);
  o.json_ok = 1;
  cli_client_init(&cc);
  optind = 1;
  while ((opt = cli_getopt("create", argc, argv,
                           "m:t:w::qh" CLI_RENDER_SHORTOPTS, longopts)) != -1) {
    if ((opt == 'm' || opt == 't' || (opt >= 2000 && opt <= 2007) ||
         opt == 2009 || opt == 2010))
      report_opts = 1;
    switch (opt) {
    case 'm': req.media_id = optarg; continue;
    case 't': req.template_name = optarg; continue;
    case 2000:
      if (S_target(&req, optarg))
        return EXIT_USAGE;
      continue;
    case 2001:
      if (S_num("--start", optarg, 0, 1e9, &req.target_start))
        return EXIT_USAGE;
      continue;
    case 2002:
      if (S_num("--end", optarg, 0, 1e9, &req.target_end))
        return EXIT_USAGE;
      continue;
    case 2003: req.target_entity_id = optarg; continue;
    case 2004: req.target_hint = optarg; continue;
    case 2005:
      if (S_num("--speaker", optarg, 0, 1e9, &d))
        return EXIT_USAGE;
      req.target_speaker_index = (long)d;
      continue;
    case 2006: req.target_fallback_dominant = 1; continue;
    case 2007: req.template_params = optarg; continue;
    case 2008: req.webhook_url = optarg; continue;
    case 2009:
      if (S_label("--label", optarg))
        return EXIT_USAGE;
      req.label = optarg;
      continue;
    case 2010:
      if (S_label("--entity-label", optarg))
        return EXIT_USAGE;
      req.entity_label = optarg;
      continue;
    case 2011: req.idempotency_key = optarg; continue;
    case 2012: matching = 1; continue;
    case 2013:
      if (nsubjects == S_MAX_SUBJECTS) {
        cli_errorf("--subject: at most %d (a target and a group of 64)",
                   S_MAX_SUBJECTS);
        return EXIT_USAGE;
      }
      if (S_subject(&subjects[nsubjects], optarg))
        return EXIT_USAGE;
      nsubjects++;
      continue;
    case 2014: mreq.context = optarg; continue;
    case 2016:
      upload = optarg;
      report_opts = 1;
      continue;
    case 2017:
      upload_url = optarg;
      report_opts = 1;
      continue;
    case 2015:
      if (nwhdrs == S_MAX_WEBHOOK_HEADERS) {
        cli_errorf("--webhook-header: at most %d", S_MAX_WEBHOOK_HEADERS);
        return EXIT_USAGE;
      }
      if (S_webhook_header(optarg))
        return EXIT_USAGE;
      whdrs[nwhdrs++] = optarg;
      continue;
    case 'w':
      wait = 1;
      if (optarg && cli_parse_seconds(optarg, 1, 86400, &wait_s)) {
        cli_errorf("--wait: expected seconds from 1 to 86400, got '%s'",
                   optarg);
        return EXIT_USAGE;
      }
      continue;
    case 'q': quiet = cli_quiet = 1; continue;
    case 'S': strict = 1; continue;
    case 'h': fputs(cmd_create_usage, stdout); return EXIT_OK;
    case 'f':
      json = strcmp(optarg, "json") == 0;
      if (json)
        continue;
      break;
    case '?': return EXIT_USAGE;
    default: break;
    }
    r = cli_fetch_render_option(&cc, &o, opt, optarg);
    if (r < 0)
      return EXIT_USAGE;
    if (r == 0) {
      fputs(cmd_create_usage, stderr);
      return EXIT_USAGE;
    }
  }
  if (optind < argc) {
    cli_errorf("unexpected argument '%s'; see 'quire help create'",
               argv[optind]);
    return EXIT_USAGE;
  }
  if (matching) {
    if (report_opts) {
      cli_errorf("--matching takes --subject, not the report job's --media, "
                 "--template, --target and labels; see 'quire help create'");
      return EXIT_USAGE;
    }
    if (nsubjects < 2) {
      cli_errorf("--matching needs at least two --subject: the target, then "
                 "who to match it with");
      return EXIT_USAGE;
    }
    mreq.target = subjects[0];
    mreq.group = subjects + 1;
    mreq.group_count = nsubjects - 1;
    mreq.webhook_url = req.webhook_url;
    mreq.idempotency_key = req.idempotency_key;
    mreq.webhook_headers = whdrs;
    mreq.webhook_header_count = nwhdrs;
  } else if (nsubjects || mreq.context) {
    cli_errorf("--subject and --context need --matching");
    return EXIT_USAGE;
  } else if (upload && upload_url) {
    cli_errorf("--file and --url: give one of them");
    return EXIT_USAGE;
  } else if ((!req.media_id && !upload && !upload_url) || !req.template_name) {
    cli_errorf("--media (or --file) and --template are required; see 'quire "
               "help create'");
    return EXIT_USAGE;
  } else if (req.media_id && (upload || upload_url)) {
    cli_errorf("--media and --file: give one of them");
    return EXIT_USAGE;
  }
  if (nwhdrs && !req.webhook_url) {
    cli_errorf("--webhook-header needs --webhook URL");
    return EXIT_USAGE;
  }
  req.webhook_headers = whdrs;
  req.webhook_header_count = nwhdrs;
  if (!wait && (o.out_path || o.format_name || json)) {
    cli_errorf("-f and -o need --wait: without it there is no report yet");
    return EXIT_USAGE;
  }
  json = cli_wants_json(&o, json); /* -o x.json means JSON */

  quire_client *client;
  int rc = cli_client_open(&client, &cc);
  if (rc)
    return rc;
  /* One display from the upload to the rendered file (progress.h). */
  cli_show show;
  cli_show_init(&show, quiet);
  show.name = upload ? upload : upload_url;
  quire_file *uploaded = NULL;
  if (upload || upload_url) {
    /* The upload has its own idempotency key; the job's stays the one
     * given (or a new one). */
    rc = cli_upload_show(&uploaded, client, upload, upload_url, NULL, NULL,
                         NULL, &show);
    if (rc) {
      cli_show_done(&show);
      quire_client_free(client);
      return rc;
    }
    req.media_id = quire_file_media_id(uploaded);
    if (!quiet)
      cli_notef("uploaded %s as %s", upload ? upload : upload_url,
                req.media_id);
  }
  quire_job *job = NULL;
  quire_buf idem = QUIRE_BUF_INIT;
  quire_error err;
  quire_error_clear(&err);
  rc = matching
           ? quire_client_create_matching_job(&job, &idem, client, &mreq, &err)
           : quire_client_create_job(&job, &idem, client, &req, &err);
  quire_file_free(uploaded); /* req.media_id pointed into it */
  req.media_id = NULL;
  if (rc) {
    int st = rc == QUIRE_EINVAL ? (cli_errorf("%s", err.message), EXIT_USAGE)
                                : cli_report_client_error(&err);
    /* The request may have reached the server: the same key makes trying
     * again safe. */
    if (rc == QUIRE_ENET || rc == QUIRE_ESERVER || rc == QUIRE_ERATELIMIT ||
        rc == QUIRE_ETIMEOUT)
      cli_errorf("to try again without risking a second job, add "
                 "--idempotency-key %s",
                 idem.ptr);
    quire_buf_dispose(&idem);
    quire_client_free(client);
    return st;
  }
  const char *job_id = quire_job_id(job);
  if (!quire_job_id(job)) { /* the library guarantees one; be safe anyway */
    quire_job_free(job);
    quire_buf_dispose(&idem);
    quire_client_free(client);
    return EXIT_NETWORK;
  }
  if (!quiet) {
    /* Where the job stands and how long the server expects it to wait. */
    const char *stage = quire_job_stage_name(quire_job_stage_of(job));
    double eta = quire_job_estimated_wait(job);
    char extra[96] = "";
    int n = 0;
    if (stage)
      n = snprintf(extra, sizeof extra, ", stage %s", stage);
    if (eta >= 0 && n >= 0 && (size_t)n < sizeof extra)
      snprintf(extra + n, sizeof extra - (size_t)n, ", estimated wait %.0f s",
               eta);
    cli_notef("created job %s (%s%s), idempotency key %s", job_id,
              quire_job_status_name(quire_job_status_of(job)), extra, idem.ptr);
  }
  quire_buf_dispose(&idem);
  if (!wait) {
    cli_show_done(&show);
    cli_outf("%s", job_id); /* the server's id: sanitized like any text */
    quire_job_free(job);
    quire_client_free(client);
    return cli_stdout_check();
  }
  char source[300];
  quire_wait_options wo = QUIRE_WAIT_OPTIONS_INIT;
  quire_wait_hooks hooks = QUIRE_WAIT_HOOKS_INIT;
  quire_buf body = QUIRE_BUF_INIT;
  snprintf(source, sizeof source, "%s of job %s",
           matching ? "matching result" : "report", job_id);
  cli_show_job_created(&show, job);
  wo.timeout_ms = (long)(wait_s * 1000);
  wo.progress = cli_show_job;
  wo.payload = &show;
  hooks.cancel = cli_show_tick; /* never cancels: moves the times shown */
  hooks.abort_flag = cli_interrupt_flag(); /* Ctrl-C ends the wait */
  hooks.payload = &show;
  cli_interrupt_arm();
  rc = quire_client_wait_report_hooks(&body, client, job_id, &wo, &hooks, &err);
  cli_interrupt_disarm();
  quire_client_free(client);
  if (rc) {
    cli_show_done(&show);
    quire_buf_dispose(&body);
    int st = rc == QUIRE_EABORTED ? cli_interrupted(quire_job_id(job), matching)
                                  : cli_report_client_error(&err);
    quire_job_free(job);
    return st;
  }
  quire_job_free(job);
  /* A file being written: say so. Text for stdout is not announced (on a
   * terminal it would land on the progress line's row). */
  if (o.out_path && strcmp(o.out_path, "-") != 0) {
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
