'use strict';
// Finding, loading and declaring libquire through koffi.
//
// Search order (the first that exists wins; a library that is there but
// fails to load or is too old is an error, never silently skipped):
//   1. the path given to quire.loadLibrary(path);
//   2. the QUIRE_LIBRARY environment variable (a path to libquire.so);
//   3. the system loader: libquire.so.0 by soname (LD_LIBRARY_PATH, the
//      ldconfig cache, the default directories), then the places
//      `make install` puts it (/usr/local/lib, /usr/lib) in case ldconfig
//      has not been run since.
//
// The struct layouts below must match quire.h field for field:
// test/library.test.js compares every size and offset with a C program
// compiled against the header. The option structs the caller fills in grow
// at their end as libquire adds fields (with a new QUIRE_*_OPTIONS_VERSION);
// each is declared with a zeroed tail (_reserved), so a newer libquire
// reading a field this binding does not know yet reads its default, 0,
// rather than memory past the struct. quire_subject has none: it travels in
// an array, whose stride must be exact.

const fs = require('node:fs');
const path = require('node:path');
const koffi = require('koffi');

const MIN_VERSION = [0, 1, 0];
const SONAME = 'libquire.so.0';
const ENV_VAR = 'QUIRE_LIBRARY';
const INSTALL_DIRS = ['/usr/local/lib', '/usr/lib'];

class LibraryError extends Error {
  constructor(message) {
    super(message);
    this.name = 'LibraryError';
  }
}

// koffi keeps one registry of type names per process: reuse a type a
// second copy of this module (or a test reset) already declared.
function named(kind, name, def) {
  try {
    return koffi.type(name);
  } catch {
    if (kind === koffi.proto) return koffi.proto(def);
    return def === undefined ? kind(name) : kind(name, def);
  }
}

function declareTypes() {
  const t = {};
  t.error = named(koffi.struct, 'quire_error', {
    code: 'int',
    source: 'char[256]',
    line: 'uint',
    column: 'uint',
    path: 'char[256]',
    message: 'char[512]',
    request_id: 'char[96]',
    http_status: 'int',
  });
  // ptr as void *: a BigInt address, read with koffi.view (never as a
  // NUL-terminated string: PDF and PNG output holds NUL bytes).
  t.buf = named(koffi.struct, 'quire_buf', {
    ptr: 'void *',
    size: 'size_t',
    asize: 'size_t',
    max: 'size_t',
    err: 'int',
  });
  for (const name of ['quire_doc', 'quire_renderer', 'quire_client', 'quire_job', 'quire_webhook_event', 'quire_atomic', 'quire_file', 'quire_entity', 'quire_page']) {
    named(koffi.opaque, name);
  }
  t.parseOptions = named(koffi.struct, 'quire_parse_options', {
    version: 'uint',
    flags: 'uint',
    source: 'const char *',
    max_input: 'size_t',
    max_markdown: 'size_t',
    max_blocks: 'size_t',
    max_diagnostics: 'size_t',
    _reserved: 'uint8[64]',
  });
  t.diag = named(koffi.struct, 'quire_diag', {
    severity: 'int',
    path: 'const char *',
    message: 'const char *',
  });
  t.fact = named(koffi.struct, 'quire_fact', {
    group: 'int',
    name: 'const char *',
    value: 'const char *',
  });
  t.diagFn = named(koffi.proto, 'quire_diag_fn', 'void quire_diag_fn(const quire_diag *diag, void *payload)');
  t.warnFn = named(koffi.proto, 'quire_warn_fn', 'void quire_warn_fn(const char *message, void *payload)');
  t.pageFn = named(koffi.proto, 'quire_page_fn', 'int quire_page_fn(int page, int count, const void *png, size_t len, void *payload)');
  t.writeFn = named(koffi.proto, 'quire_write_fn', 'int quire_write_fn(void *payload, const void *data, size_t len)');
  t.progressFn = named(koffi.proto, 'quire_job_progress_fn', 'void quire_job_progress_fn(const quire_job *job, void *payload)');
  t.eventFn = named(koffi.proto, 'quire_job_event_fn',
    'void quire_job_event_fn(const char *type, const char *id, const void *data, size_t len, const quire_job *job, void *payload)');
  t.sink = named(koffi.struct, 'quire_sink', {
    write: 'quire_write_fn *',
    payload: 'void *',
  });
  t.renderOptions = named(koffi.struct, 'quire_render_options', {
    version: 'uint',
    flags: 'uint',
    width: 'int',
    color: 'int',
    template_name: 'const char *',
    template_dir: 'const char *',
    paper: 'int',
    engine: 'int',
    dpi: 'double',
    page: 'int',
    max_output: 'size_t',
    warn: 'quire_warn_fn *',
    warn_payload: 'void *',
    body: 'int',
    lang: 'const char *',
    _reserved: 'uint8[64]',
  });
  t.rendererOptions = named(koffi.struct, 'quire_renderer_options', {
    version: 'uint',
    template_name: 'const char *',
    template_dir: 'const char *',
    engine: 'int',
    _reserved: 'uint8[64]',
  });
  t.clientOptions = named(koffi.struct, 'quire_client_options', {
    version: 'uint',
    base_url: 'const char *',
    api_key: 'const char *',
    user_agent: 'const char *',
    max_retries: 'int',
    connect_timeout_ms: 'long',
    timeout_ms: 'long',
    low_speed_limit: 'long',
    low_speed_time: 'long',
    max_response: 'size_t',
    max_redirects: 'int',
    poll_interval_ms: 'long',
    time_scale: 'double',
    _reserved: 'uint8[64]',
  });
  t.jobRequest = named(koffi.struct, 'quire_job_request', {
    version: 'uint',
    media_id: 'const char *',
    template_name: 'const char *',
    template_params: 'const char *',
    target: 'int',
    target_start: 'double',
    target_end: 'double',
    target_entity_id: 'const char *',
    target_hint: 'const char *',
    target_speaker_index: 'long',
    target_fallback_dominant: 'int',
    webhook_url: 'const char *',
    label: 'const char *',
    entity_label: 'const char *',
    idempotency_key: 'const char *',
    webhook_headers: 'const char **',
    webhook_header_count: 'size_t',
    _reserved: 'uint8[64]',
  });
  t.subject = named(koffi.struct, 'quire_subject', {
    entity_id: 'const char *',
    media_id: 'const char *',
    strategy: 'int',
    start: 'double',
    end: 'double',
    entity_sel: 'const char *',
    hint: 'const char *',
    speaker_index: 'long',
    fallback_dominant: 'int',
  });
  t.matchingRequest = named(koffi.struct, 'quire_matching_request', {
    version: 'uint',
    context: 'const char *',
    target: 'quire_subject',
    group: 'const quire_subject *',
    group_count: 'size_t',
    webhook_url: 'const char *',
    idempotency_key: 'const char *',
    webhook_headers: 'const char **',
    webhook_header_count: 'size_t',
    _reserved: 'uint8[64]',
  });
  t.waitOptions = named(koffi.struct, 'quire_wait_options', {
    version: 'uint',
    flags: 'uint',
    timeout_ms: 'long',
    progress: 'quire_job_progress_fn *',
    payload: 'void *',
    _reserved: 'uint8[64]',
  });
  t.waitHooks = named(koffi.struct, 'quire_wait_hooks', {
    version: 'uint',
    event: 'quire_job_event_fn *',
    cancel: 'void *',
    abort_flag: 'void *',
    payload: 'void *',
  });
  t.uploadProgressFn = named(koffi.proto, 'quire_upload_progress_fn', 'void quire_upload_progress_fn(long long sent, long long total, void *payload)');
  t.uploadRequest = named(koffi.struct, 'quire_upload_request', {
    version: 'uint',
    path: 'const char *',
    filename: 'const char *',
    content_type: 'const char *',
    label: 'const char *',
    idempotency_key: 'const char *',
    progress: 'quire_upload_progress_fn *',
    payload: 'void *',
    url: 'const char *',
    _reserved: 'uint8[64]',
  });
  t.listRequest = named(koffi.struct, 'quire_list_request', {
    version: 'uint',
    limit: 'int',
    cursor: 'const char *',
    include_deleted: 'int',
    _reserved: 'uint8[64]',
  });
  t.webhookOptions = named(koffi.struct, 'quire_webhook_options', {
    version: 'uint',
    tolerance: 'long',
    now: 'long long',
    _reserved: 'uint8[64]',
  });
  return t;
}

// Every function this binding calls. Pointers to caller-owned structs
// (quire_error, quire_buf) are declared void * and passed as Buffers, so
// async calls write straight into memory the caller reads afterwards.
const SIGNATURES = [
  'void quire_error_clear(void *err)',
  'const char *quire_strerror(int code)',
  'int quire_global_init(void)',
  'const char *quire_version(void)',
  'uint quire_features(void)',
  'void quire_buf_init(void *buf, size_t max)',
  'void quire_buf_dispose(void *buf)',
  'int quire_doc_parse(_Out_ quire_doc **out, const uint8_t *data, size_t len, const quire_parse_options *opts, void *err)',
  'int quire_doc_parse_file(_Out_ quire_doc **out, const char *path, const quire_parse_options *opts, void *err)',
  'void quire_doc_free(quire_doc *doc)',
  'int quire_validate(const uint8_t *data, size_t len, const quire_parse_options *opts, quire_diag_fn *cb, void *payload, void *err)',
  'size_t quire_doc_diag_count(const quire_doc *doc)',
  'const quire_diag *quire_doc_diag(const quire_doc *doc, size_t i)',
  'int quire_doc_shape(const quire_doc *doc)',
  'const char *quire_doc_id(const quire_doc *doc)',
  'const char *quire_doc_created_at(const quire_doc *doc)',
  'const char *quire_doc_job_id(const quire_doc *doc)',
  'const char *quire_doc_label(const quire_doc *doc)',
  'const char *quire_doc_template(const quire_doc *doc)',
  'const char *quire_doc_entity_id(const quire_doc *doc)',
  'const char *quire_doc_entity_label(const quire_doc *doc)',
  'const char *quire_doc_media_id(const quire_doc *doc)',
  'const char *quire_doc_media_url(const quire_doc *doc)',
  'const char *quire_doc_title(const quire_doc *doc)',
  'const char *quire_doc_summary(const quire_doc *doc)',
  'const char *quire_doc_report_url(const quire_doc *doc)',
  'const char *quire_doc_pdf_url(const quire_doc *doc)',
  'const char *quire_doc_markdown(const quire_doc *doc)',
  'size_t quire_doc_fact_count(const quire_doc *doc)',
  'const quire_fact *quire_doc_fact(const quire_doc *doc, size_t i)',
  'int quire_doc_dump(void *out, const quire_doc *doc)',
  'int quire_render(const quire_doc *doc, int fmt, const quire_render_options *opts, quire_sink sink, void *err)',
  'int quire_render_buf(void *out, const quire_doc *doc, int fmt, const quire_render_options *opts, void *err)',
  'int quire_render_page_count(_Out_ int *out, const quire_doc *doc, const quire_render_options *opts, void *err)',
  'int quire_render_png_pages(const quire_doc *doc, const quire_render_options *opts, int first, int last, quire_page_fn *fn, void *payload, void *err)',
  'int quire_renderer_new(_Out_ quire_renderer **out, const quire_renderer_options *opts, void *err)',
  'void quire_renderer_free(quire_renderer *renderer)',
  'int quire_renderer_render(const quire_renderer *renderer, const quire_doc *doc, int fmt, const quire_render_options *opts, quire_sink sink, void *err)',
  'int quire_renderer_render_buf(void *out, const quire_renderer *renderer, const quire_doc *doc, int fmt, const quire_render_options *opts, void *err)',
  'int quire_renderer_page_count(_Out_ int *out, const quire_renderer *renderer, const quire_doc *doc, const quire_render_options *opts, void *err)',
  'int quire_renderer_png_pages(const quire_renderer *renderer, const quire_doc *doc, const quire_render_options *opts, int first, int last, quire_page_fn *fn, void *payload, void *err)',
  'int quire_atomic_open(_Out_ quire_atomic **out, const char *path, void *err)',
  'quire_sink quire_atomic_sink(quire_atomic *file)',
  'int quire_atomic_commit(quire_atomic *file, void *err)',
  'void quire_atomic_abort(quire_atomic *file)',
  'const char *quire_template_name(size_t i)',
  'int quire_client_new(_Out_ quire_client **out, const quire_client_options *opts, void *err)',
  'void quire_client_free(quire_client *client)',
  'int quire_client_get_report(void *out, quire_client *client, const char *report_id, void *err)',
  'int quire_client_get_report_by_job(void *out, quire_client *client, const char *job_id, void *err)',
  'int quire_client_get_matching(void *out, quire_client *client, const char *matching_id, void *err)',
  'int quire_client_get_matching_by_job(void *out, quire_client *client, const char *job_id, void *err)',
  'int quire_client_get_job(_Out_ quire_job **out, quire_client *client, const char *job_id, void *err)',
  'int quire_client_cancel_job(_Out_ quire_job **out, quire_client *client, const char *job_id, void *err)',
  'int quire_client_get_job_report(void *out, quire_client *client, const quire_job *job, void *err)',
  'int quire_client_create_job(_Out_ quire_job **out, void *idem_out, quire_client *client, const quire_job_request *req, void *err)',
  'int quire_client_create_matching_job(_Out_ quire_job **out, void *idem_out, quire_client *client, const quire_matching_request *req, void *err)',
  'int quire_client_wait_job(_Out_ quire_job **out, quire_client *client, const char *job_id, const quire_wait_options *opts, void *err)',
  'int quire_client_wait_report(void *out, quire_client *client, const char *job_id, const quire_wait_options *opts, void *err)',
  'int quire_client_wait_job_hooks(_Out_ quire_job **out, quire_client *client, const char *job_id, const quire_wait_options *opts, const quire_wait_hooks *hooks, void *err)',
  'int quire_client_wait_report_hooks(void *out, quire_client *client, const char *job_id, const quire_wait_options *opts, const quire_wait_hooks *hooks, void *err)',
  'void quire_job_free(quire_job *job)',
  'const char *quire_job_id(const quire_job *job)',
  'const char *quire_job_type(const quire_job *job)',
  'int quire_job_status_of(const quire_job *job)',
  'int quire_job_stage_of(const quire_job *job)',
  'double quire_job_progress(const quire_job *job)',
  'const char *quire_job_report_id(const quire_job *job)',
  'const char *quire_job_matching_id(const quire_job *job)',
  'const char *quire_job_error_code(const quire_job *job)',
  'const char *quire_job_error_message(const quire_job *job)',
  'const char *quire_job_created_at(const quire_job *job)',
  'const char *quire_job_updated_at(const quire_job *job)',
  'double quire_job_estimated_wait(const quire_job *job)',
  'const char *quire_job_json(const quire_job *job)',
  'const char *quire_job_stage_name(int stage)',
  'const char *quire_build_component(size_t index, uint flags, _Out_ const char **built, _Out_ const char **running)',
  'int quire_client_upload(_Out_ quire_file **out, void *idem_out, quire_client *client, const quire_upload_request *req, void *err)',
  'int quire_client_get_file(_Out_ quire_file **out, quire_client *client, const char *media_id, void *err)',
  'int quire_client_delete_file(_Out_ quire_file **out, quire_client *client, const char *media_id, void *err)',
  'int quire_client_set_file_retention(_Out_ quire_file **out, quire_client *client, const char *media_id, int lock, void *err)',
  'int quire_client_list_files(_Out_ quire_page **out, quire_client *client, const quire_list_request *req, void *err)',
  'int quire_client_list_entities(_Out_ quire_page **out, quire_client *client, const quire_list_request *req, void *err)',
  'int quire_client_list_files_all(_Out_ quire_page **out, quire_client *client, const quire_list_request *req, void *err)',
  'int quire_client_list_entities_all(_Out_ quire_page **out, quire_client *client, const quire_list_request *req, void *err)',
  'int quire_client_get_entity(_Out_ quire_entity **out, quire_client *client, const char *id, void *err)',
  'int quire_client_set_entity_label(_Out_ quire_entity **out, quire_client *client, const char *id, const char *label, void *err)',
  'void quire_file_free(quire_file *file)',
  'const char *quire_file_media_id(const quire_file *file)',
  'const char *quire_file_label(const quire_file *file)',
  'const char *quire_file_content_type(const quire_file *file)',
  'const char *quire_file_created_at(const quire_file *file)',
  'long long quire_file_size(const quire_file *file)',
  'double quire_file_duration(const quire_file *file)',
  'int quire_file_retention_lock(const quire_file *file)',
  'int quire_file_deleted(const quire_file *file)',
  'const char *quire_file_json(const quire_file *file)',
  'void quire_entity_free(quire_entity *entity)',
  'const char *quire_entity_id(const quire_entity *entity)',
  'const char *quire_entity_label(const quire_entity *entity)',
  'const char *quire_entity_created_at(const quire_entity *entity)',
  'const char *quire_entity_last_seen_at(const quire_entity *entity)',
  'long long quire_entity_media_count(const quire_entity *entity)',
  'const char *quire_entity_json(const quire_entity *entity)',
  'void quire_page_free(quire_page *page)',
  'size_t quire_page_count(const quire_page *page)',
  'const quire_file *quire_page_file(const quire_page *page, size_t i)',
  'const quire_entity *quire_page_entity(const quire_page *page, size_t i)',
  'int quire_page_has_more(const quire_page *page)',
  'const char *quire_page_next_cursor(const quire_page *page)',
  'const char *quire_page_json(const quire_page *page)',
  'int quire_webhook_verify(const char **headers, size_t nheaders, const uint8_t *body, size_t body_len, const uint8_t *secret, size_t secret_len, const quire_webhook_options *opts, void *err)',
  'int quire_webhook_parse_event(_Out_ quire_webhook_event **out, const uint8_t *body, size_t len, void *err)',
  'void quire_webhook_event_free(quire_webhook_event *event)',
  'int quire_webhook_event_kind(const quire_webhook_event *event)',
  'const char *quire_webhook_event_id(const quire_webhook_event *event)',
  'const char *quire_webhook_event_type(const quire_webhook_event *event)',
  'const char *quire_webhook_event_created_at(const quire_webhook_event *event)',
  'const char *quire_webhook_event_job_id(const quire_webhook_event *event)',
  'const char *quire_webhook_event_report_id(const quire_webhook_event *event)',
  'const char *quire_webhook_event_matching_id(const quire_webhook_event *event)',
  'const char *quire_webhook_event_status(const quire_webhook_event *event)',
  'const char *quire_webhook_event_error_code(const quire_webhook_event *event)',
  'const char *quire_webhook_event_error_message(const quire_webhook_event *event)',
  'const char *quire_webhook_event_data(const quire_webhook_event *event)',
];

let state = null; // {lib, fn, types, path, version}

function parseVersion(text) {
  const nums = String(text).split('-')[0].split('.').slice(0, 3).map(Number);
  if (nums.some((n) => !Number.isInteger(n))) {
    throw new LibraryError(`libquire reports an unreadable version ${JSON.stringify(text)}`);
  }
  while (nums.length < 3) nums.push(0);
  return nums;
}

function cmp(a, b) {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

// libquire keeps a per-thread font cache whose destructor runs when a
// thread exits. koffi unloads a library when its handle is collected (at
// the latest when the process ends), before its worker threads exit: the
// destructor would then jump into unmapped code (a crash on exit after
// any PDF or PNG render on the worker pool). Opening the library once more
// with RTLD_NODELETE keeps it mapped until the process is gone.
function pin(file) {
  if (process.platform !== 'linux') return;
  try {
    const libc = koffi.load('libc.so.6');
    const dlopen = libc.func('void *dlopen(const char *file, int mode)');
    const RTLD_NOW = 0x2;
    const RTLD_NODELETE = 0x1000;
    dlopen(file, RTLD_NOW | RTLD_NODELETE);
  } catch {
    // not glibc: nothing to pin with, and nothing known to need it
  }
}

// koffi runs C code on stacks of its own: 2 MiB for calls on the main
// thread, 128 KiB on its worker pool. libharu and pango need more than
// 128 KiB (a haru PDF overflowed it and crashed); give both the 8 MiB a C
// program's threads get by default. Only the pages touched become resident.
const STACK = 8 << 20;
function configure() {
  const c = koffi.config();
  if (c.async_stack_size >= STACK && c.sync_stack_size >= STACK) return;
  koffi.config({ ...c, sync_stack_size: Math.max(c.sync_stack_size, STACK), async_stack_size: Math.max(c.async_stack_size, STACK) });
}

function open(file) {
  configure();
  let lib;
  try {
    lib = koffi.load(file);
  } catch (e) {
    const err = new LibraryError(`cannot load libquire from ${file}: ${e.message}`);
    err.cannotLoad = true;
    throw err;
  }
  let versionText;
  try {
    versionText = lib.func('const char *quire_version(void)')();
  } catch (e) {
    throw new LibraryError(`${file} is not libquire (no quire_version)`);
  }
  const have = parseVersion(versionText);
  const want = MIN_VERSION.join('.');
  if (cmp(have, MIN_VERSION) < 0) {
    throw new LibraryError(`libquire ${versionText} at ${file} is too old: this binding needs ${want} or newer`);
  }
  if (have[0] !== MIN_VERSION[0]) {
    throw new LibraryError(`libquire ${versionText} at ${file} is a different major version: this binding is for ${MIN_VERSION[0]}.x`);
  }
  const types = declareTypes();
  const fn = {};
  for (const sig of SIGNATURES) {
    const name = /\b(quire_\w+)\(/.exec(sig)[1];
    try {
      fn[name] = lib.func(sig);
    } catch (e) {
      throw new LibraryError(`libquire ${versionText} at ${file} lacks ${name}: too old (${e.message})`);
    }
  }
  // Output leaves C memory through memcpy into a Buffer of the right size:
  // one copy, and cheaper than koffi.view (an external ArrayBuffer per
  // call) followed by a copy. dlsym through libquire's handle finds the C
  // library's memcpy among its dependencies.
  fn.memcpy = lib.func('void *memcpy(void *dst, const void *src, size_t n)');
  pin(file);
  fn.quire_global_init();
  return { lib, fn, types, path: file, version: versionText };
}

/**
 * Loads libquire now and returns where it came from. With a path, exactly
 * that file (it must be the first load). Throws LibraryError when the
 * library is missing, is not libquire, or is older than MIN_VERSION.
 */
function loadLibrary(file) {
  if (state) {
    if (file !== undefined && path.resolve(file) !== path.resolve(state.path)) {
      throw new LibraryError(`libquire is already loaded from ${state.path}; call loadLibrary() before any other quire call`);
    }
    return state.path;
  }
  if (file !== undefined) {
    if (!fs.existsSync(file)) throw new LibraryError(`libquire not found at ${file}`);
    state = open(file);
    return file;
  }
  const env = process.env[ENV_VAR];
  if (env) {
    if (!fs.existsSync(env)) throw new LibraryError(`libquire not found at ${env} (from $${ENV_VAR})`);
    state = open(env);
    return env;
  }
  const tried = [];
  try {
    state = open(SONAME);
    return SONAME;
  } catch (e) {
    if (!e.cannotLoad) throw e;
    tried.push(`${SONAME} (system loader)`);
  }
  for (const dir of INSTALL_DIRS) {
    const cand = path.join(dir, SONAME);
    if (!fs.existsSync(cand)) {
      tried.push(cand);
      continue;
    }
    state = open(cand);
    return cand;
  }
  throw new LibraryError(
    `libquire not found (looked for ${tried.join(', ')}); build it with \`make\` and set ` +
      `${ENV_VAR}=/path/to/libquire.so, call quire.loadLibrary(path), or \`make install\` it (then run ldconfig)`,
  );
}

function native() {
  if (!state) loadLibrary();
  return state;
}

module.exports = { koffi, native, loadLibrary, LibraryError, MIN_VERSION, SONAME, ENV_VAR, libraryPath: () => (state ? state.path : null) };
