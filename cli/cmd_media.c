/* quire upload, quire files, quire entities: media files and the people in
 * them, through the library's calls. Server text is printed through
 * cli_outf / cli_out_text (sanitised, the key redacted). */
#include "args.h"
#include "client_opts.h"
#include "commands.h"
#include "exitcodes.h"
#include "msg.h"
#include "progress.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const char cmd_upload_usage[] =
    "usage: quire upload FILE [--label TEXT] [options]\n"
    "\n"
    "Upload a recording (POST /v1/files, multipart: part 'file' with its\n"
    "name, text field 'label') and print its media id. The file is read as\n"
    "it is sent, so a recording of any size uploads in constant memory; a\n"
    "retried upload starts again from the beginning under the same\n"
    "idempotency key. On a terminal, a progress line shows bytes, rate and\n"
    "time left.\n"
    "\n"
    "      --label TEXT         a label for the file\n"
    "      --content-type TYPE  the file's media type (default: guessed\n"
    "                           from its name)\n"
    "      --idempotency-key KEY  send the upload under KEY (default: a new\n"
    "                           idem_<uuid>)\n"
    "      --json               print the server's whole answer\n"
    "  -q, --quiet              no progress line\n"
    "  -h, --help               this text\n"
    "\n" CLI_CLIENT_USAGE;

const char cmd_files_usage[] =
    "usage: quire files [--limit N] [--cursor C] [--all] [--include-deleted]\n"
    "       quire files get MEDIA_ID\n"
    "       quire files delete MEDIA_ID\n"
    "       quire files retention MEDIA_ID --lock|--unlock\n"
    "\n"
    "List the uploaded media files (GET /v1/files), one per line: media\n"
    "id, created, size in bytes, label (two spaces apart). Without --all, a "
    "page that has more\n"
    "ends with a note giving the --cursor of the next. 'get' prints one\n"
    "file, 'delete' deletes it, 'retention' locks or unlocks its retention\n"
    "(PATCH /v1/files/MEDIA_ID/retention). A deleted file's answer\n"
    "('gone') exits 6 and says it was deleted.\n"
    "\n"
    "      --limit N            files per page (1-100; default: the\n"
    "                           server's, 20)\n"
    "      --cursor C           start at this page\n"
    "      --all                follow nextCursor while hasMore (at most\n"
    "                           10000 pages; a cursor that repeats is the\n"
    "                           server's fault: exit 5)\n"
    "      --include-deleted    list deleted files too\n"
    "      --lock, --unlock     with 'retention'\n"
    "      --json               print the JSON: one object per line\n"
    "  -h, --help               this text\n"
    "\n" CLI_CLIENT_USAGE;

const char cmd_entities_usage[] =
    "usage: quire entities [--limit N] [--cursor C] [--all]\n"
    "       quire entities get ENTITY_ID\n"
    "       quire entities label ENTITY_ID TEXT|--clear\n"
    "\n"
    "List the entities, the people recognised across recordings (GET\n"
    "/v1/entities), one per line: id, created, last seen, media count,\n"
    "label. 'get' prints one; 'label' sets its label (1 to 64 characters\n"
    "after trimming, checked before sending) or clears it.\n"
    "\n"
    "      --limit N            entities per page (1-100)\n"
    "      --cursor C           start at this page (the 'cursor' of the\n"
    "                           previous)\n"
    "      --all                follow the cursor while hasMore (as files)\n"
    "      --clear              with 'label': remove the label\n"
    "      --json               print the JSON: one object per line\n"
    "  -h, --help               this text\n"
    "\n" CLI_CLIENT_USAGE;

/* ---- uploads ---- */

int cli_upload_file(quire_file **out, quire_client *client, const char *path,
                    const char *url, const char *label, int quiet) {
  return cli_upload(out, client, path, url, label, NULL, NULL, quiet);
}

int cli_upload(quire_file **out, quire_client *client, const char *path,
               const char *url, const char *label, const char *type,
               const char *idem, int quiet) {
  cli_show show;
  cli_show_init(&show, quiet);
  if (show.mode == CLI_SHOW_LINES) /* quire upload: a line on a terminal only */
    show.mode = CLI_SHOW_QUIET;
  show.name = path ? path : url;
  int rc = cli_upload_show(out, client, path, url, label, type, idem, &show);
  cli_show_done(&show);
  return rc;
}

int cli_upload_show(quire_file **out, quire_client *client, const char *path,
                    const char *url, const char *label, const char *type,
                    const char *idem, cli_show *show) {
  quire_upload_request r = QUIRE_UPLOAD_REQUEST_INIT;
  quire_buf key = QUIRE_BUF_INIT;
  quire_error err;
  quire_error_clear(&err);
  r.path = path;
  r.url = url;
  r.label = label;
  r.content_type = type;
  r.idempotency_key = idem;
  /* QUIRE_MAX_MEDIA: the most bytes a --url may give (default 5 GiB). */
  const char *mm = getenv("QUIRE_MAX_MEDIA");
  if (url && mm && *mm) {
    char *end;
    errno = 0;
    long long v = strtoll(mm, &end, 10);
    if (errno || *end || v < 1) {
      cli_errorf("QUIRE_MAX_MEDIA: expected a number of bytes, got '%s'", mm);
      return EXIT_USAGE;
    }
    quire_error e;
    quire_error_clear(&e);
    quire_client_set_max_media(client, v, &e);
  }
  if (show->mode != CLI_SHOW_QUIET) {
    r.progress = cli_show_upload;
    r.payload = show;
  }
  int rc = quire_client_upload(out, &key, client, &r, &err);
  if (rc) {
    int st = rc == QUIRE_EINVAL ? (cli_errorf("%s", err.message), EXIT_USAGE)
                                : cli_report_client_error(&err);
    if (rc == QUIRE_ENET || rc == QUIRE_ESERVER || rc == QUIRE_ERATELIMIT ||
        rc == QUIRE_ETIMEOUT)
      cli_errorf("to try again without risking a second file, add "
                 "--idempotency-key %s",
                 key.ptr);
    quire_buf_dispose(&key);
    return st;
  }
  quire_buf_dispose(&key);
  return EXIT_OK;
}

static void S_json_line(const char *json) {
  cli_out_bytes(json, strlen(json));
  cli_out_bytes("\n", 1);
}

int cmd_upload(int argc, char **argv) {
  static const struct option longopts[] = {
      {"label", required_argument, NULL, 2100},
      {"content-type", required_argument, NULL, 2101},
      {"idempotency-key", required_argument, NULL, 2102},
      {"json", no_argument, NULL, 2103},
      {"quiet", no_argument, NULL, 'q'},
      {"help", no_argument, NULL, 'h'},
      CLI_CLIENT_LONGOPTS,
      {NULL, 0, NULL, 0}};
  cli_client cc;
  const char *label = NULL, *type = NULL, *idem = NULL;
  int json = 0, quiet = 0, opt;
  cli_client_init(&cc);
  optind = 1;
  while ((opt = cli_getopt("upload", argc, argv, "qh", longopts)) != -1) {
    switch (opt) {
    case 2100: label = optarg; break;
    case 2101: type = optarg; break;
    case 2102: idem = optarg; break;
    case 2103: json = 1; break;
    case 'q': quiet = cli_quiet = 1; break;
    case 'h': fputs(cmd_upload_usage, stdout); return EXIT_OK;
    default:
      if (cli_client_option(&cc, opt, optarg) <= 0)
        return EXIT_USAGE;
    }
  }
  if (argc - optind != 1) {
    cli_errorf("give one FILE; see 'quire help upload'");
    return EXIT_USAGE;
  }
  quire_client *client;
  int rc = cli_client_open(&client, &cc);
  if (rc)
    return rc;
  quire_file *f = NULL;
  rc = cli_upload(&f, client, argv[optind], NULL, label, type, idem, quiet);
  quire_client_free(client);
  if (rc)
    return rc;
  if (json)
    S_json_line(quire_file_json(f));
  else
    cli_outf("%s", quire_file_media_id(f));
  quire_file_free(f);
  return cli_stdout_check();
}

/* ---- lists ---- */

static void S_file_row(const quire_file *f) {
  char size[32] = "-";
  if (quire_file_size(f) >= 0)
    snprintf(size, sizeof size, "%lld", quire_file_size(f));
  cli_outf("%s  %s  %s  %s%s",
           quire_file_media_id(f) ? quire_file_media_id(f) : "?",
           quire_file_created_at(f) ? quire_file_created_at(f) : "-", size,
           quire_file_label(f) ? quire_file_label(f) : "",
           quire_file_deleted(f) ? "  (deleted)" : "");
}

static void S_entity_row(const quire_entity *e) {
  char count[32] = "-";
  if (quire_entity_media_count(e) >= 0)
    snprintf(count, sizeof count, "%lld", quire_entity_media_count(e));
  cli_outf("%s  %s  %s  %s  %s", quire_entity_id(e) ? quire_entity_id(e) : "?",
           quire_entity_created_at(e) ? quire_entity_created_at(e) : "-",
           quire_entity_last_seen_at(e) ? quire_entity_last_seen_at(e) : "-",
           count, quire_entity_label(e) ? quire_entity_label(e) : "");
}

/* One page's rows (or JSON lines). */
typedef struct S_rows {
  int files, json;
} S_rows;

static int S_page_rows(const quire_page *p, void *payload) {
  const S_rows *r = payload;
  for (size_t i = 0; i < quire_page_count(p); i++) {
    if (r->json)
      S_json_line(r->files ? quire_file_json(quire_page_file(p, i))
                           : quire_entity_json(quire_page_entity(p, i)));
    else if (r->files)
      S_file_row(quire_page_file(p, i));
    else
      S_entity_row(quire_page_entity(p, i));
  }
  return 0;
}

/* One page, or every page with --all: the library's walk stops a list that
 * would not end (a cursor that repeats, hasMore without one, 10000 pages)
 * as the server's fault, QUIRE_ESERVER (exit 5). */
static int S_list(quire_client *c, quire_list_request *r, int files, int all,
                  int json) {
  S_rows rows = {files, json};
  quire_error err;
  quire_error_clear(&err);
  int rc, st = EXIT_OK;
  if (all) {
    rc = files
             ? quire_client_list_files_each(c, r, S_page_rows, &rows, &err)
             : quire_client_list_entities_each(c, r, S_page_rows, &rows, &err);
  } else {
    quire_page *p = NULL;
    rc = files ? quire_client_list_files(&p, c, r, &err)
               : quire_client_list_entities(&p, c, r, &err);
    if (!rc) {
      S_page_rows(p, &rows);
      if (quire_page_has_more(p) && quire_page_next_cursor(p))
        cli_notef("more: --cursor %s (or --all)", quire_page_next_cursor(p));
      quire_page_free(p);
    }
  }
  if (rc)
    st = rc == QUIRE_EINVAL ? (cli_errorf("%s", err.message), EXIT_USAGE)
                            : cli_report_client_error(&err);
  int out = cli_stdout_check();
  return st ? st : out;
}

static int S_limit(const char *arg, int *out) {
  char *end;
  errno = 0;
  long v = strtol(arg, &end, 10);
  if (errno || *end || v < 1 || v > 100) {
    cli_errorf("--limit: expected a number from 1 to 100, got '%s'", arg);
    return -1;
  }
  *out = (int)v;
  return 0;
}

static int S_media_cmd(int files, int argc, char **argv) {
  /* Each command accepts only its own options. */
  static const struct option file_opts[] = {
      {"limit", required_argument, NULL, 2200},
      {"cursor", required_argument, NULL, 2201},
      {"all", no_argument, NULL, 2202},
      {"include-deleted", no_argument, NULL, 2203},
      {"lock", no_argument, NULL, 2204},
      {"unlock", no_argument, NULL, 2205},
      {"json", no_argument, NULL, 2207},
      {"help", no_argument, NULL, 'h'},
      CLI_CLIENT_LONGOPTS,
      {NULL, 0, NULL, 0}};
  static const struct option entity_opts[] = {
      {"limit", required_argument, NULL, 2200},
      {"cursor", required_argument, NULL, 2201},
      {"all", no_argument, NULL, 2202},
      {"clear", no_argument, NULL, 2206},
      {"json", no_argument, NULL, 2207},
      {"help", no_argument, NULL, 'h'},
      CLI_CLIENT_LONGOPTS,
      {NULL, 0, NULL, 0}};
  const struct option *longopts = files ? file_opts : entity_opts;
  const char *name = files ? "files" : "entities";
  const char *usage = files ? cmd_files_usage : cmd_entities_usage;
  quire_list_request lr = QUIRE_LIST_REQUEST_INIT;
  cli_client cc;
  int all = 0, json = 0, lock = -1, clear = 0, opt;
  cli_client_init(&cc);
  optind = 1;
  while ((opt = cli_getopt(name, argc, argv, "h", longopts)) != -1) {
    switch (opt) {
    case 2200:
      if (S_limit(optarg, &lr.limit))
        return EXIT_USAGE;
      break;
    case 2201: lr.cursor = optarg; break;
    case 2202: all = 1; break;
    case 2203: lr.include_deleted = 1; break;
    case 2204: lock = 1; break;
    case 2205: lock = 0; break;
    case 2206: clear = 1; break;
    case 2207: json = 1; break;
    case 'h': fputs(usage, stdout); return EXIT_OK;
    default:
      if (cli_client_option(&cc, opt, optarg) <= 0)
        return EXIT_USAGE;
    }
  }
  int npos = argc - optind;
  const char *sub = npos ? argv[optind] : "list";
  const char *id = npos > 1 ? argv[optind + 1] : NULL;
  int want; /* positional arguments the subcommand takes */
  if (strcmp(sub, "list") == 0)
    want = npos ? 1 : 0;
  else if (strcmp(sub, "get") == 0 ||
           (files &&
            (strcmp(sub, "delete") == 0 || strcmp(sub, "retention") == 0)))
    want = 2;
  else if (!files && strcmp(sub, "label") == 0)
    want = clear ? 2 : 3;
  else {
    cli_errorf("unknown '%s'; see 'quire help %s'", sub, name);
    return EXIT_USAGE;
  }
  if (npos != want) {
    cli_errorf("wrong number of arguments for '%s'; see 'quire help %s'", sub,
               name);
    return EXIT_USAGE;
  }
  if (files && strcmp(sub, "retention") == 0 && lock < 0) {
    cli_errorf("retention needs --lock or --unlock");
    return EXIT_USAGE;
  }
  if (strcmp(sub, "retention") != 0 && lock >= 0) {
    cli_errorf("--lock and --unlock go with 'retention'");
    return EXIT_USAGE;
  }
  if (strcmp(sub, "list") != 0 && (all || lr.cursor || lr.limit)) {
    cli_errorf("--limit, --cursor and --all go with the list");
    return EXIT_USAGE;
  }
  quire_client *client;
  int rc = cli_client_open(&client, &cc);
  if (rc)
    return rc;
  if (strcmp(sub, "list") == 0) {
    rc = S_list(client, &lr, files, all, json);
    quire_client_free(client);
    return rc;
  }
  quire_error err;
  quire_error_clear(&err);
  quire_file *f = NULL;
  quire_entity *e = NULL;
  if (files && strcmp(sub, "get") == 0)
    rc = quire_client_get_file(&f, client, id, &err);
  else if (files && strcmp(sub, "delete") == 0)
    rc = quire_client_delete_file(&f, client, id, &err);
  else if (files)
    rc = quire_client_set_file_retention(&f, client, id, lock, &err);
  else if (strcmp(sub, "get") == 0)
    rc = quire_client_get_entity(&e, client, id, &err);
  else
    rc = quire_client_set_entity_label(&e, client, id,
                                       clear ? NULL : argv[optind + 2], &err);
  quire_client_free(client);
  if (rc)
    return rc == QUIRE_EINVAL ? (cli_errorf("%s", err.message), EXIT_USAGE)
                              : cli_report_client_error(&err);
  if (json)
    S_json_line(f ? quire_file_json(f) : quire_entity_json(e));
  else if (f && strcmp(sub, "retention") == 0)
    cli_outf("%s  retention %s", quire_file_media_id(f),
             quire_file_retention_lock(f) == 0 ? "unlocked"
             : quire_file_retention_lock(f) == 1
                 ? "locked"
                 : (lock ? "locked" : "unlocked"));
  else if (f && strcmp(sub, "delete") == 0)
    cli_outf("%s  deleted", quire_file_media_id(f));
  else if (f)
    S_file_row(f);
  else
    S_entity_row(e);
  quire_file_free(f);
  quire_entity_free(e);
  return cli_stdout_check();
}

int cmd_files(int argc, char **argv) { return S_media_cmd(1, argc, argv); }

int cmd_entities(int argc, char **argv) { return S_media_cmd(0, argc, argv); }
