/* Prints, as JSON, the size and field offsets of every quire.h struct the
 * bindings lay out themselves (cffi's ABI mode and koffi see only their own
 * declarations, not the header), and the constants they copy. Each
 * binding's layout test compiles this against quire.h and compares. */
#include "quire.h"

#include <stddef.h>
#include <stdio.h>

static int S_first = 1;

static void S_num(const char *name, long long v) {
  printf("%s\n  \"%s\": %lld", S_first ? "" : ",", name, v);
  S_first = 0;
}

#define SIZE(T) S_num("sizeof " #T, (long long)sizeof(T))
#define OFF(T, f) S_num(#T "." #f, (long long)offsetof(T, f))
#define CONST(c) S_num(#c, (long long)(c))

static void S_structs(void) {
  SIZE(quire_error);
  OFF(quire_error, code);
  OFF(quire_error, source);
  OFF(quire_error, line);
  OFF(quire_error, column);
  OFF(quire_error, path);
  OFF(quire_error, message);
  OFF(quire_error, request_id);
  OFF(quire_error, http_status);
  SIZE(quire_buf);
  OFF(quire_buf, ptr);
  OFF(quire_buf, size);
  OFF(quire_buf, asize);
  OFF(quire_buf, max);
  OFF(quire_buf, err);
  SIZE(quire_sink);
  OFF(quire_sink, write);
  OFF(quire_sink, payload);
  SIZE(quire_parse_options);
  OFF(quire_parse_options, version);
  OFF(quire_parse_options, flags);
  OFF(quire_parse_options, source);
  OFF(quire_parse_options, max_input);
  OFF(quire_parse_options, max_markdown);
  OFF(quire_parse_options, max_blocks);
  OFF(quire_parse_options, max_diagnostics);
  SIZE(quire_diag);
  OFF(quire_diag, severity);
  OFF(quire_diag, path);
  OFF(quire_diag, message);
  SIZE(quire_fact);
  OFF(quire_fact, group);
  OFF(quire_fact, name);
  OFF(quire_fact, value);
  SIZE(quire_render_options);
  OFF(quire_render_options, version);
  OFF(quire_render_options, flags);
  OFF(quire_render_options, width);
  OFF(quire_render_options, color);
  OFF(quire_render_options, template_name);
  OFF(quire_render_options, template_dir);
  OFF(quire_render_options, paper);
  OFF(quire_render_options, engine);
  OFF(quire_render_options, dpi);
  OFF(quire_render_options, page);
  OFF(quire_render_options, max_output);
  OFF(quire_render_options, warn);
  OFF(quire_render_options, warn_payload);
  OFF(quire_render_options, body);
  OFF(quire_render_options, lang);
  SIZE(quire_renderer_options);
  OFF(quire_renderer_options, version);
  OFF(quire_renderer_options, template_name);
  OFF(quire_renderer_options, template_dir);
  OFF(quire_renderer_options, engine);
}

static void S_client_structs(void) {
  SIZE(quire_client_options);
  OFF(quire_client_options, version);
  OFF(quire_client_options, base_url);
  OFF(quire_client_options, api_key);
  OFF(quire_client_options, user_agent);
  OFF(quire_client_options, max_retries);
  OFF(quire_client_options, connect_timeout_ms);
  OFF(quire_client_options, timeout_ms);
  OFF(quire_client_options, low_speed_limit);
  OFF(quire_client_options, low_speed_time);
  OFF(quire_client_options, max_response);
  OFF(quire_client_options, max_redirects);
  OFF(quire_client_options, poll_interval_ms);
  OFF(quire_client_options, time_scale);
  SIZE(quire_job_request);
  OFF(quire_job_request, version);
  OFF(quire_job_request, media_id);
  OFF(quire_job_request, template_name);
  OFF(quire_job_request, template_params);
  OFF(quire_job_request, target);
  OFF(quire_job_request, target_start);
  OFF(quire_job_request, target_end);
  OFF(quire_job_request, target_entity_id);
  OFF(quire_job_request, target_hint);
  OFF(quire_job_request, target_speaker_index);
  OFF(quire_job_request, target_fallback_dominant);
  OFF(quire_job_request, webhook_url);
  OFF(quire_job_request, label);
  OFF(quire_job_request, entity_label);
  OFF(quire_job_request, idempotency_key);
  OFF(quire_job_request, webhook_headers);
  OFF(quire_job_request, webhook_header_count);
  SIZE(quire_subject);
  OFF(quire_subject, entity_id);
  OFF(quire_subject, media_id);
  OFF(quire_subject, strategy);
  OFF(quire_subject, start);
  OFF(quire_subject, end);
  OFF(quire_subject, entity_sel);
  OFF(quire_subject, hint);
  OFF(quire_subject, speaker_index);
  OFF(quire_subject, fallback_dominant);
  SIZE(quire_matching_request);
  OFF(quire_matching_request, version);
  OFF(quire_matching_request, context);
  OFF(quire_matching_request, target);
  OFF(quire_matching_request, group);
  OFF(quire_matching_request, group_count);
  OFF(quire_matching_request, webhook_url);
  OFF(quire_matching_request, idempotency_key);
  OFF(quire_matching_request, webhook_headers);
  OFF(quire_matching_request, webhook_header_count);
  SIZE(quire_wait_options);
  OFF(quire_wait_options, version);
  OFF(quire_wait_options, flags);
  OFF(quire_wait_options, timeout_ms);
  OFF(quire_wait_options, progress);
  OFF(quire_wait_options, payload);
  SIZE(quire_wait_hooks);
  OFF(quire_wait_hooks, version);
  OFF(quire_wait_hooks, event);
  OFF(quire_wait_hooks, cancel);
  OFF(quire_wait_hooks, abort_flag);
  OFF(quire_wait_hooks, payload);
  SIZE(quire_upload_request);
  OFF(quire_upload_request, version);
  OFF(quire_upload_request, path);
  OFF(quire_upload_request, filename);
  OFF(quire_upload_request, content_type);
  OFF(quire_upload_request, label);
  OFF(quire_upload_request, idempotency_key);
  OFF(quire_upload_request, progress);
  OFF(quire_upload_request, payload);
  OFF(quire_upload_request, url);
  SIZE(quire_list_request);
  OFF(quire_list_request, version);
  OFF(quire_list_request, limit);
  OFF(quire_list_request, cursor);
  OFF(quire_list_request, include_deleted);
  SIZE(quire_webhook_options);
  OFF(quire_webhook_options, version);
  OFF(quire_webhook_options, tolerance);
  OFF(quire_webhook_options, now);
}

static void S_constants(void) {
  CONST(QUIRE_PARSE_OPTIONS_VERSION);
  CONST(QUIRE_RENDER_OPTIONS_VERSION);
  CONST(QUIRE_RENDERER_OPTIONS_VERSION);
  CONST(QUIRE_CLIENT_OPTIONS_VERSION);
  CONST(QUIRE_JOB_REQUEST_VERSION);
  CONST(QUIRE_MATCHING_REQUEST_VERSION);
  CONST(QUIRE_WAIT_OPTIONS_VERSION);
  CONST(QUIRE_WAIT_HOOKS_VERSION);
  CONST(QUIRE_WEBHOOK_OPTIONS_VERSION);
  CONST(QUIRE_UPLOAD_REQUEST_VERSION);
  CONST(QUIRE_LIST_REQUEST_VERSION);
  CONST(QUIRE_BUILD_LOAD);
  CONST(QUIRE_PARSE_STRICT);
  CONST(QUIRE_RENDER_ASCII);
  CONST(QUIRE_RENDER_HYPERLINKS);
  CONST(QUIRE_WAIT_POLL);
  CONST(QUIRE_FEATURE_CAIRO);
  CONST(QUIRE_FEATURE_HARU);
  CONST(QUIRE_FEATURE_FETCH);
  CONST(QUIRE_SEVERITY_WARNING);
  CONST(QUIRE_SEVERITY_ERROR);
  CONST(QUIRE_FORMAT_TEXT);
  CONST(QUIRE_FORMAT_HTML);
  CONST(QUIRE_FORMAT_PDF);
  CONST(QUIRE_FORMAT_PNG);
  CONST(QUIRE_COLOR_NONE);
  CONST(QUIRE_COLOR_16);
  CONST(QUIRE_COLOR_256);
  CONST(QUIRE_COLOR_TRUE);
  CONST(QUIRE_PAPER_A4);
  CONST(QUIRE_PAPER_LETTER);
  CONST(QUIRE_PDF_CAIRO);
  CONST(QUIRE_PDF_HARU);
  CONST(QUIRE_TARGET_DOMINANT);
  CONST(QUIRE_TARGET_TIMERANGE);
  CONST(QUIRE_TARGET_ENTITY_ID);
  CONST(QUIRE_TARGET_MAGIC_HINT);
  CONST(QUIRE_TARGET_SPEAKER_INDEX);
  CONST(QUIRE_ERROR);
  CONST(QUIRE_EABORTED);
  CONST(QUIRE_JOB_CANCELED);
  CONST(QUIRE_WEBHOOK_MATCHING_FAILED);
  CONST(QUIRE_SHAPE_EMPTY);
  CONST(QUIRE_FACT_EXTRA);
  /* Enums passed as int: the bindings declare them so. */
  CONST(sizeof(quire_format) == sizeof(int));
  CONST(sizeof(quire_shape) == sizeof(int));
}

int main(void) {
  printf("{");
  S_structs();
  S_client_structs();
  S_constants();
  printf("\n}\n");
  return 0;
}
