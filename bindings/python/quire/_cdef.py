"""The part of quire.h this binding calls, as cffi declarations (ABI mode).

cffi's ABI mode lays structs out from these declarations alone, so they must
match the header field for field: tests/test_library.py compiles a C program
against quire.h and compares every size and offset used here.

The option structs the caller fills in grow at their end as libquire adds
fields (with a new QUIRE_*_OPTIONS_VERSION). Each is declared here with a
zeroed tail (_reserved) so that a newer libquire reading a field this
binding does not know yet reads its default, 0, instead of memory past the
allocation. quire_subject has none: it is passed as an array, whose stride
must be exact.
"""

RESERVED = 64

CDEF = r"""
typedef struct quire_error {
  int code;
  char source[256];
  unsigned line;
  unsigned column;
  char path[256];
  char message[512];
  char request_id[96];
  int http_status;
} quire_error;

void quire_error_clear(quire_error *err);
const char *quire_strerror(int code);
char *quire_error_format(const quire_error *err, char *out, size_t size);

int quire_global_init(void);
const char *quire_version(void);
unsigned quire_features(void);
const char *quire_build_component(size_t index, unsigned flags,
                                  const char **built, const char **running);

typedef struct quire_buf {
  char *ptr;
  size_t size;
  size_t asize;
  size_t max;
  int err;
} quire_buf;

void quire_buf_init(quire_buf *buf, size_t max);
void quire_buf_dispose(quire_buf *buf);
int quire_buf_failed(const quire_buf *buf);

typedef int (*quire_write_fn)(void *payload, const void *data, size_t len);
typedef struct quire_sink {
  quire_write_fn write;
  void *payload;
} quire_sink;
quire_sink quire_sink_buf(quire_buf *buf);
quire_sink quire_sink_file(FILE *fp);

typedef struct quire_atomic quire_atomic;
int quire_atomic_open(quire_atomic **out, const char *path, quire_error *err);
quire_sink quire_atomic_sink(quire_atomic *file);
int quire_atomic_commit(quire_atomic *file, quire_error *err);
void quire_atomic_abort(quire_atomic *file);

typedef struct quire_doc quire_doc;

typedef struct quire_parse_options {
  unsigned version;
  unsigned flags;
  const char *source;
  size_t max_input;
  size_t max_markdown;
  size_t max_blocks;
  size_t max_diagnostics;
  char _reserved[64];
} quire_parse_options;

typedef struct quire_diag {
  int severity;
  const char *path;
  const char *message;
} quire_diag;

int quire_doc_parse(quire_doc **out, const char *data, size_t len,
                    const quire_parse_options *opts, quire_error *err);
int quire_doc_parse_file(quire_doc **out, const char *path,
                         const quire_parse_options *opts, quire_error *err);
void quire_doc_free(quire_doc *doc);

typedef void (*quire_diag_fn)(const quire_diag *diag, void *payload);
int quire_validate(const char *data, size_t len,
                   const quire_parse_options *opts, quire_diag_fn cb,
                   void *payload, quire_error *err);

size_t quire_doc_diag_count(const quire_doc *doc);
const quire_diag *quire_doc_diag(const quire_doc *doc, size_t i);
int quire_doc_shape(const quire_doc *doc);
const char *quire_doc_id(const quire_doc *doc);
const char *quire_doc_created_at(const quire_doc *doc);
const char *quire_doc_job_id(const quire_doc *doc);
const char *quire_doc_label(const quire_doc *doc);
const char *quire_doc_template(const quire_doc *doc);
const char *quire_doc_entity_id(const quire_doc *doc);
const char *quire_doc_entity_label(const quire_doc *doc);
const char *quire_doc_media_id(const quire_doc *doc);
const char *quire_doc_media_url(const quire_doc *doc);
const char *quire_doc_title(const quire_doc *doc);
const char *quire_doc_summary(const quire_doc *doc);
const char *quire_doc_report_url(const quire_doc *doc);
int quire_doc_report_url_is_media(const quire_doc *doc);
const char *quire_doc_pdf_url(const quire_doc *doc);
const char *quire_doc_markdown(const quire_doc *doc);

typedef struct quire_fact {
  int group;
  const char *name;
  const char *value;
} quire_fact;
size_t quire_doc_fact_count(const quire_doc *doc);
const quire_fact *quire_doc_fact(const quire_doc *doc, size_t i);
int quire_doc_dump(quire_buf *out, const quire_doc *doc);

typedef void (*quire_warn_fn)(const char *message, void *payload);

typedef struct quire_render_options {
  unsigned version;
  unsigned flags;
  int width;
  int color;
  const char *template_name;
  const char *template_dir;
  int paper;
  int engine;
  double dpi;
  int page;
  size_t max_output;
  quire_warn_fn warn;
  void *warn_payload;
  int body;
  const char *lang;
  char _reserved[64];
} quire_render_options;

int quire_render(const quire_doc *doc, int fmt,
                 const quire_render_options *opts, quire_sink sink,
                 quire_error *err);
int quire_render_buf(quire_buf *out, const quire_doc *doc, int fmt,
                     const quire_render_options *opts, quire_error *err);
int quire_render_page_count(int *out, const quire_doc *doc,
                            const quire_render_options *opts,
                            quire_error *err);
typedef int (*quire_page_fn)(int page, int count, const char *png,
                             size_t len, void *payload);
int quire_render_png_pages(const quire_doc *doc,
                           const quire_render_options *opts, int first,
                           int last, quire_page_fn fn, void *payload,
                           quire_error *err);

typedef struct quire_renderer quire_renderer;
typedef struct quire_renderer_options {
  unsigned version;
  const char *template_name;
  const char *template_dir;
  int engine;
  char _reserved[64];
} quire_renderer_options;
int quire_renderer_new(quire_renderer **out,
                       const quire_renderer_options *opts, quire_error *err);
void quire_renderer_free(quire_renderer *renderer);
int quire_renderer_render(const quire_renderer *renderer,
                          const quire_doc *doc, int fmt,
                          const quire_render_options *opts, quire_sink sink,
                          quire_error *err);
int quire_renderer_render_buf(quire_buf *out, const quire_renderer *renderer,
                              const quire_doc *doc, int fmt,
                              const quire_render_options *opts,
                              quire_error *err);
int quire_renderer_page_count(int *out, const quire_renderer *renderer,
                              const quire_doc *doc,
                              const quire_render_options *opts,
                              quire_error *err);
int quire_renderer_png_pages(const quire_renderer *renderer,
                             const quire_doc *doc,
                             const quire_render_options *opts, int first,
                             int last, quire_page_fn fn, void *payload,
                             quire_error *err);

const char *quire_template_name(size_t i);

typedef struct quire_client quire_client;
typedef struct quire_job quire_job;

typedef struct quire_client_options {
  unsigned version;
  const char *base_url;
  const char *api_key;
  const char *user_agent;
  int max_retries;
  long connect_timeout_ms;
  long timeout_ms;
  long low_speed_limit;
  long low_speed_time;
  size_t max_response;
  int max_redirects;
  long poll_interval_ms;
  double time_scale;
  char _reserved[64];
} quire_client_options;

int quire_client_new(quire_client **out, const quire_client_options *opts,
                     quire_error *err);
void quire_client_free(quire_client *client);
int quire_client_get_report(quire_buf *out, quire_client *client,
                            const char *report_id, quire_error *err);
int quire_client_get_report_by_job(quire_buf *out, quire_client *client,
                                   const char *job_id, quire_error *err);
int quire_client_get_matching(quire_buf *out, quire_client *client,
                              const char *matching_id, quire_error *err);
int quire_client_get_matching_by_job(quire_buf *out, quire_client *client,
                                     const char *job_id, quire_error *err);
int quire_client_get_job(quire_job **out, quire_client *client,
                         const char *job_id, quire_error *err);
int quire_client_cancel_job(quire_job **out, quire_client *client,
                            const char *job_id, quire_error *err);
int quire_client_get_job_report(quire_buf *out, quire_client *client,
                                const quire_job *job, quire_error *err);

typedef struct quire_job_request {
  unsigned version;
  const char *media_id;
  const char *template_name;
  const char *template_params;
  int target;
  double target_start;
  double target_end;
  const char *target_entity_id;
  const char *target_hint;
  long target_speaker_index;
  int target_fallback_dominant;
  const char *webhook_url;
  const char *label;
  const char *entity_label;
  const char *idempotency_key;
  const char *const *webhook_headers;
  size_t webhook_header_count;
  char _reserved[64];
} quire_job_request;

int quire_client_create_job(quire_job **out, quire_buf *idem_out,
                            quire_client *client,
                            const quire_job_request *req, quire_error *err);

typedef struct quire_subject {
  const char *entity_id;
  const char *media_id;
  int strategy;
  double start, end;
  const char *entity_sel;
  const char *hint;
  long speaker_index;
  int fallback_dominant;
} quire_subject;

typedef struct quire_matching_request {
  unsigned version;
  const char *context;
  quire_subject target;
  const quire_subject *group;
  size_t group_count;
  const char *webhook_url;
  const char *idempotency_key;
  const char *const *webhook_headers;
  size_t webhook_header_count;
  char _reserved[64];
} quire_matching_request;

int quire_client_create_matching_job(quire_job **out, quire_buf *idem_out,
                                     quire_client *client,
                                     const quire_matching_request *req,
                                     quire_error *err);

typedef void (*quire_job_progress_fn)(const quire_job *job, void *payload);
typedef struct quire_wait_options {
  unsigned version;
  unsigned flags;
  long timeout_ms;
  quire_job_progress_fn progress;
  void *payload;
  char _reserved[64];
} quire_wait_options;

int quire_client_wait_job(quire_job **out, quire_client *client,
                          const char *job_id, const quire_wait_options *opts,
                          quire_error *err);
int quire_client_wait_report(quire_buf *out, quire_client *client,
                             const char *job_id,
                             const quire_wait_options *opts,
                             quire_error *err);

typedef void (*quire_job_event_fn)(const char *type, const char *id,
                                   const char *data, size_t len,
                                   const quire_job *job, void *payload);
typedef int (*quire_wait_cancel_fn)(void *payload);
typedef struct quire_wait_hooks {
  unsigned version;
  quire_job_event_fn event;
  quire_wait_cancel_fn cancel;
  const volatile int *abort_flag;
  void *payload;
} quire_wait_hooks;

int quire_client_wait_job_hooks(quire_job **out, quire_client *client,
                                const char *job_id,
                                const quire_wait_options *opts,
                                const quire_wait_hooks *hooks,
                                quire_error *err);
int quire_client_wait_report_hooks(quire_buf *out, quire_client *client,
                                   const char *job_id,
                                   const quire_wait_options *opts,
                                   const quire_wait_hooks *hooks,
                                   quire_error *err);

void quire_job_free(quire_job *job);
const char *quire_job_id(const quire_job *job);
const char *quire_job_type(const quire_job *job);
int quire_job_status_of(const quire_job *job);
int quire_job_stage_of(const quire_job *job);
double quire_job_progress(const quire_job *job);
const char *quire_job_report_id(const quire_job *job);
const char *quire_job_matching_id(const quire_job *job);
const char *quire_job_error_code(const quire_job *job);
const char *quire_job_error_message(const quire_job *job);
const char *quire_job_created_at(const quire_job *job);
const char *quire_job_updated_at(const quire_job *job);
double quire_job_estimated_wait(const quire_job *job);
const char *quire_job_json(const quire_job *job);
const char *quire_job_status_name(int status);
const char *quire_job_stage_name(int stage);

typedef struct quire_file quire_file;
typedef struct quire_entity quire_entity;
typedef struct quire_page quire_page;
typedef void (*quire_upload_progress_fn)(long long sent, long long total,
                                         void *payload);
typedef struct quire_upload_request {
  unsigned version;
  const char *path;
  const char *filename;
  const char *content_type;
  const char *label;
  const char *idempotency_key;
  quire_upload_progress_fn progress;
  void *payload;
  const char *url;
  char _reserved[64];
} quire_upload_request;

int quire_client_upload(quire_file **out, quire_buf *idem_out,
                        quire_client *client, const quire_upload_request *req,
                        quire_error *err);
int quire_client_get_file(quire_file **out, quire_client *client,
                          const char *media_id, quire_error *err);
int quire_client_delete_file(quire_file **out, quire_client *client,
                             const char *media_id, quire_error *err);
int quire_client_set_file_retention(quire_file **out, quire_client *client,
                                    const char *media_id, int lock,
                                    quire_error *err);

typedef struct quire_list_request {
  unsigned version;
  int limit;
  const char *cursor;
  int include_deleted;
  char _reserved[64];
} quire_list_request;

int quire_client_list_files(quire_page **out, quire_client *client,
                            const quire_list_request *req, quire_error *err);
int quire_client_list_entities(quire_page **out, quire_client *client,
                               const quire_list_request *req,
                               quire_error *err);
int quire_client_list_files_all(quire_page **out, quire_client *client,
                                const quire_list_request *req,
                                quire_error *err);
int quire_client_list_entities_all(quire_page **out, quire_client *client,
                                   const quire_list_request *req,
                                   quire_error *err);
int quire_client_get_entity(quire_entity **out, quire_client *client,
                            const char *id, quire_error *err);
int quire_client_set_entity_label(quire_entity **out, quire_client *client,
                                  const char *id, const char *label,
                                  quire_error *err);

void quire_file_free(quire_file *file);
const char *quire_file_media_id(const quire_file *file);
const char *quire_file_label(const quire_file *file);
const char *quire_file_content_type(const quire_file *file);
const char *quire_file_created_at(const quire_file *file);
long long quire_file_size(const quire_file *file);
double quire_file_duration(const quire_file *file);
int quire_file_retention_lock(const quire_file *file);
int quire_file_deleted(const quire_file *file);
const char *quire_file_json(const quire_file *file);

void quire_entity_free(quire_entity *entity);
const char *quire_entity_id(const quire_entity *entity);
const char *quire_entity_label(const quire_entity *entity);
const char *quire_entity_created_at(const quire_entity *entity);
const char *quire_entity_last_seen_at(const quire_entity *entity);
long long quire_entity_media_count(const quire_entity *entity);
const char *quire_entity_json(const quire_entity *entity);

void quire_page_free(quire_page *page);
size_t quire_page_count(const quire_page *page);
const quire_file *quire_page_file(const quire_page *page, size_t i);
const quire_entity *quire_page_entity(const quire_page *page, size_t i);
int quire_page_has_more(const quire_page *page);
const char *quire_page_next_cursor(const quire_page *page);
const char *quire_page_json(const quire_page *page);

typedef struct quire_webhook_options {
  unsigned version;
  long tolerance;
  long long now;
  char _reserved[64];
} quire_webhook_options;

int quire_webhook_verify(const char *const *headers, size_t nheaders,
                         const char *body, size_t body_len,
                         const char *secret, size_t secret_len,
                         const quire_webhook_options *opts,
                         quire_error *err);

typedef struct quire_webhook_event quire_webhook_event;
int quire_webhook_parse_event(quire_webhook_event **out, const char *body,
                              size_t len, quire_error *err);
void quire_webhook_event_free(quire_webhook_event *event);
int quire_webhook_event_kind(const quire_webhook_event *event);
const char *quire_webhook_event_id(const quire_webhook_event *event);
const char *quire_webhook_event_type(const quire_webhook_event *event);
const char *quire_webhook_event_created_at(const quire_webhook_event *event);
const char *quire_webhook_event_job_id(const quire_webhook_event *event);
const char *quire_webhook_event_report_id(const quire_webhook_event *event);
const char *quire_webhook_event_matching_id(const quire_webhook_event *event);
const char *quire_webhook_event_status(const quire_webhook_event *event);
const char *quire_webhook_event_error_code(const quire_webhook_event *event);
const char *quire_webhook_event_error_message(const quire_webhook_event *event);
const char *quire_webhook_event_data(const quire_webhook_event *event);
"""

# Version numbers of the option structs this binding fills in.
PARSE_OPTIONS_VERSION = 1
RENDER_OPTIONS_VERSION = 3
RENDERER_OPTIONS_VERSION = 1
CLIENT_OPTIONS_VERSION = 1
JOB_REQUEST_VERSION = 2
MATCHING_REQUEST_VERSION = 2
WAIT_OPTIONS_VERSION = 1
WAIT_HOOKS_VERSION = 1
WEBHOOK_OPTIONS_VERSION = 1
UPLOAD_REQUEST_VERSION = 1
LIST_REQUEST_VERSION = 1

PARSE_STRICT = 1 << 0
RENDER_ASCII = 1 << 0
RENDER_HYPERLINKS = 1 << 1
WAIT_POLL = 1 << 0
BUILD_LOAD = 1 << 0

FEATURE_CAIRO = 1 << 0
FEATURE_HARU = 1 << 1
FEATURE_FETCH = 1 << 2

SEVERITY_WARNING = 1
SEVERITY_ERROR = 2

FORMATS = {"text": 1, "html": 2, "pdf": 3, "png": 4}
COLORS = {"none": 0, "16": 1, "256": 2, "truecolor": 3}
PAPERS = {"a4": 0, "letter": 1}
ENGINES = {"cairo": 0, "haru": 1}
BODIES = {"structured": 0, "markdown": 1, "both": 2}
TARGETS = {"dominant": 0, "timerange": 1, "entity_id": 2, "magic_hint": 3,
           "speaker_index": 4}
SHAPES = {1: "v2", 2: "sections", 3: "markdown", 4: "sdk", 5: "node",
          6: "matching", 7: "empty"}
FACT_GROUPS = {1: "metrics", 2: "provenance", 3: "meta", 4: "usage",
               5: "subject", 6: "extra"}
WEBHOOK_KINDS = {0: "unknown", 1: "report.completed", 2: "report.failed",
                 3: "matching.completed", 4: "matching.failed"}
