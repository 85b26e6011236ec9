/* Media files and entities: upload (streamed from disk), get, delete,
 * retention, lists with their cursors, entity labels. The objects are read
 * from bodies quire__http has already redacted; their strings are
 * sanitised and any piece of the key left is masked as well. */
#include "fetch.h"

#ifdef QUIRE_HAVE_CURL
#include <curl/curl.h>
#endif
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct quire_file {
  char *media_id, *label, *content_type, *created_at, *json;
  long long size;
  double duration;
  int retention_lock; /* -1 unknown */
  int deleted;
};

struct quire_entity {
  char *id, *label, *created_at, *last_seen_at, *json;
  long long media_count;
};

struct quire_page {
  size_t n;
  quire_file **files;
  quire_entity **entities;
  int has_more;
  char *next_cursor;
  char *json;
};

void quire_file_free(quire_file *f) {
  if (!f)
    return;
  free(f->media_id);
  free(f->label);
  free(f->content_type);
  free(f->created_at);
  free(f->json);
  free(f);
}

void quire_entity_free(quire_entity *e) {
  if (!e)
    return;
  free(e->id);
  free(e->label);
  free(e->created_at);
  free(e->last_seen_at);
  free(e->json);
  free(e);
}

void quire_page_free(quire_page *p) {
  if (!p)
    return;
  for (size_t i = 0; i < p->n; i++) {
    if (p->files)
      quire_file_free(p->files[i]);
    if (p->entities)
      quire_entity_free(p->entities[i]);
  }
  free(p->files);
  free(p->entities);
  free(p->next_cursor);
  free(p->json);
  free(p);
}

/* Getters. */
const char *quire_file_media_id(const quire_file *f) {
  return f ? f->media_id : NULL;
}
const char *quire_file_label(const quire_file *f) {
  return f ? f->label : NULL;
}
const char *quire_file_content_type(const quire_file *f) {
  return f ? f->content_type : NULL;
}
const char *quire_file_created_at(const quire_file *f) {
  return f ? f->created_at : NULL;
}
long long quire_file_size(const quire_file *f) { return f ? f->size : -1; }
double quire_file_duration(const quire_file *f) { return f ? f->duration : -1; }
int quire_file_retention_lock(const quire_file *f) {
  return f ? f->retention_lock : -1;
}
int quire_file_deleted(const quire_file *f) { return f ? f->deleted : 0; }
const char *quire_file_json(const quire_file *f) {
  return f && f->json ? f->json : "{}";
}
const char *quire_entity_id(const quire_entity *e) { return e ? e->id : NULL; }
const char *quire_entity_label(const quire_entity *e) {
  return e ? e->label : NULL;
}
const char *quire_entity_created_at(const quire_entity *e) {
  return e ? e->created_at : NULL;
}
const char *quire_entity_last_seen_at(const quire_entity *e) {
  return e ? e->last_seen_at : NULL;
}
long long quire_entity_media_count(const quire_entity *e) {
  return e ? e->media_count : -1;
}
const char *quire_entity_json(const quire_entity *e) {
  return e && e->json ? e->json : "{}";
}
size_t quire_page_count(const quire_page *p) { return p ? p->n : 0; }
const quire_file *quire_page_file(const quire_page *p, size_t i) {
  return p && p->files && i < p->n ? p->files[i] : NULL;
}
const quire_entity *quire_page_entity(const quire_page *p, size_t i) {
  return p && p->entities && i < p->n ? p->entities[i] : NULL;
}
int quire_page_has_more(const quire_page *p) { return p ? p->has_more : 0; }
const char *quire_page_next_cursor(const quire_page *p) {
  return p ? p->next_cursor : NULL;
}
const char *quire_page_json(const quire_page *p) {
  return p && p->json ? p->json : "{}";
}

#ifdef QUIRE_HAVE_CURL

/* A sanitised, key-free copy of a non-empty string member, or NULL. */
static char *S_str(json_t *o, const char *key, const char *secret, int *oom) {
  json_t *v = json_object_get(o, key);
  if (!json_is_string(v) || json_string_length(v) == 0)
    return NULL;
  char *s = quire__strndup(json_string_value(v), json_string_length(v));
  if (!s) {
    *oom = 1;
    return NULL;
  }
  quire__sanitize(s);
  quire__redact(s, strlen(s) + 1, secret);
  return s;
}

static char *S_dump(json_t *o, int *oom) {
  char *s = json_dumps(o, JSON_COMPACT);
  if (!s)
    *oom = 1;
  return s;
}

/* A count or a length the server may omit or send wrong: -1 when it is not
 * a non-negative number, so callers can tell "unknown" from zero. */
static double S_nonneg(json_t *o, const char *key) {
  json_t *v = json_object_get(o, key);
  return json_is_number(v) && json_number_value(v) >= 0 ? json_number_value(v)
                                                        : -1;
}

/* The same for a whole count: also -1 past what a long long holds, where
 * the conversion would be undefined. */
static long long S_count(json_t *o, const char *key) {
  double d = S_nonneg(o, key);
  return d < 9.2e18 ? (long long)d : -1;
}

static quire_file *S_file(json_t *o, const char *secret) {
  int oom = 0;
  quire_file *f = quire__calloc(1, sizeof *f);
  if (!f)
    return NULL;
  f->media_id = S_str(o, "mediaId", secret, &oom);
  f->label = S_str(o, "label", secret, &oom);
  f->content_type = S_str(o, "contentType", secret, &oom);
  f->created_at = S_str(o, "createdAt", secret, &oom);
  f->json = S_dump(o, &oom);
  f->size = S_count(o, "sizeBytes");
  f->duration = S_nonneg(o, "durationSeconds");
  json_t *v = json_object_get(o, "retentionLock");
  f->retention_lock = json_is_boolean(v) ? json_is_true(v) : -1;
  f->deleted = json_is_true(json_object_get(o, "deleted")) ||
               json_is_string(json_object_get(o, "deletedAt"));
  if (oom) {
    quire_file_free(f);
    return NULL;
  }
  return f;
}

static quire_entity *S_entity(json_t *o, const char *secret) {
  int oom = 0;
  quire_entity *e = quire__calloc(1, sizeof *e);
  if (!e)
    return NULL;
  e->id = S_str(o, "id", secret, &oom);
  e->label = S_str(o, "label", secret, &oom);
  e->created_at = S_str(o, "createdAt", secret, &oom);
  e->last_seen_at = S_str(o, "lastSeenAt", secret, &oom);
  e->json = S_dump(o, &oom);
  e->media_count = S_count(o, "mediaCount");
  if (oom) {
    quire_entity_free(e);
    return NULL;
  }
  return e;
}

/* A body as a JSON object, or QUIRE_ESERVER saying what it is not. */
static int S_object(json_t **out, const quire_buf *body, const char *what,
                    quire_error *err) {
  json_error_t je;
  *out = json_loadb(body->ptr, body->size, 0, &je);
  if (json_is_object(*out))
    return 0;
  json_decref(*out);
  *out = NULL;
  return quire__error_set(err, QUIRE_ESERVER, "the %s is not a JSON object",
                          what);
}

/* One call: method, path, an optional JSON body; the answer's body. A 410
 * (a deleted file's {error: "gone"}) becomes QUIRE_ENOTFOUND, saying so. */
static int S_call(quire_buf *out, quire_client *c, const char *method,
                  const char *path, const char *body, const char *idem,
                  quire_error *err) {
  quire__request req = QUIRE__REQUEST_INIT;
  quire__response resp;
  req.method = method;
  req.path = path;
  req.body = body;
  req.body_len = body ? strlen(body) : 0;
  req.idempotency_key = idem;
  quire__response_init(&resp, c->max_response);
  int rc = quire__http(&resp, c, &req, err);
  if (rc == QUIRE_EREFUSED && err && err->http_status == 410) {
    char msg[sizeof err->message];
    snprintf(msg, sizeof msg, "%s", err->message);
    quire__error_set(err, QUIRE_ENOTFOUND, "it was deleted: %s", msg);
    rc = quire__client_error(c, err, QUIRE_ENOTFOUND, path, &resp);
  }
  if (!rc && quire_buf_put(out, resp.body.ptr, resp.body.size))
    rc = quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  quire__response_dispose(&resp);
  return rc;
}

static int S_path(quire_buf *p, const char *prefix, const char *id,
                  const char *suffix, quire_error *err) {
  if (!id || !*id)
    return quire__error_set(err, QUIRE_EINVAL, "no id given");
  quire_buf_puts(p, prefix);
  quire__url_escape_segment(p, id);
  if (suffix)
    quire_buf_puts(p, suffix);
  return quire_buf_failed(p)
             ? quire__error_set(err, QUIRE_ENOMEM, "out of memory")
             : 0;
}

/* The object a call on one file or entity answers with: method on
 * prefix + id + suffix (+ body). */
static int S_object_call(json_t **o, quire_client *c, const char *method,
                         const char *prefix, const char *id, const char *suffix,
                         const char *body, const char *what, quire_error *err) {
  if (!c)
    return quire__error_set(err, QUIRE_EINVAL, "no client given");
  quire_buf path = QUIRE_BUF_INIT, b = QUIRE_BUF_INIT;
  int rc = S_path(&path, prefix, id, suffix, err);
  if (!rc)
    rc = S_call(&b, c, method, path.ptr, body, NULL, err);
  if (!rc)
    rc = S_object(o, &b, what, err);
  quire_buf_dispose(&path);
  quire_buf_dispose(&b);
  return rc;
}

/* A file from method + path (+ body): get, delete, retention. The server
 * may leave out the id it was asked about: it is the one asked. */
static int S_file_call(quire_file **out, quire_client *c, const char *method,
                       const char *id, const char *suffix, const char *body,
                       quire_error *err) {
  if (!out)
    return quire__error_set(err, QUIRE_EINVAL, "no place for the file");
  *out = NULL;
  json_t *o = NULL;
  int rc =
      S_object_call(&o, c, method, "/v1/files/", id, suffix, body, "file", err);
  if (!rc && (!(*out = S_file(o, c->key)) ||
              (!(*out)->media_id && !((*out)->media_id = quire__strdup(id))))) {
    rc = quire__error_set(err, QUIRE_ENOMEM, "out of memory");
    quire_file_free(*out);
    *out = NULL;
  }
  json_decref(o);
  return rc && c ? quire__client_scrub(c, err, rc) : rc;
}

int quire_client_get_file(quire_file **out, quire_client *client,
                          const char *media_id, quire_error *err) {
  return S_file_call(out, client, "GET", media_id, NULL, NULL, err);
}

int quire_client_delete_file(quire_file **out, quire_client *client,
                             const char *media_id, quire_error *err) {
  int rc = S_file_call(out, client, "DELETE", media_id, NULL, NULL, err);
  if (!rc)
    (*out)->deleted = 1; /* {mediaId, deleted: true} */
  return rc;
}

int quire_client_set_file_retention(quire_file **out, quire_client *client,
                                    const char *media_id, int lock,
                                    quire_error *err) {
  return S_file_call(out, client, "PATCH", media_id, "/retention",
                     lock ? "{\"lock\":true}" : "{\"lock\":false}", err);
}

typedef struct S_up {
  const quire_upload_request *req;
} S_up;

static void S_on_upload(void *payload, long long sent, long long total) {
  const quire_upload_request *r = ((S_up *)payload)->req;
  r->progress(sent, total, r->payload);
}

#define S_MAX_URL_MEDIA ((long long)5 << 30) /* the SDKs' 5 GiB */

/* Checks a media URL: https, or http only to loopback (the fetch never
 * carries the API key, and plain http elsewhere could be tampered with).
 * *name_out: its last path segment, or "media" (malloc'd, sanitised). */
static int S_check_url(char **name_out, int *loop_out, const char *url,
                       quire_error *err) {
  *name_out = NULL;
  CURLU *u = curl_url();
  char *scheme = NULL, *host = NULL, *upath = NULL;
  int ok = u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
           curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
           curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK;
  int loop = ok && quire__host_is_loopback(host);
  ok = ok &&
       (strcmp(scheme, "https") == 0 || (strcmp(scheme, "http") == 0 && loop));
  if (ok &&
      curl_url_get(u, CURLUPART_PATH, &upath, CURLU_URLDECODE) == CURLUE_OK &&
      upath) {
    const char *slash = strrchr(upath, '/');
    const char *base = slash ? slash + 1 : upath;
    *name_out = quire__strdup(*base ? base : "media");
  }
  curl_free(scheme);
  curl_free(host);
  curl_free(upath);
  curl_url_cleanup(u);
  if (!ok) {
    free(*name_out);
    *name_out = NULL;
    return quire__error_set(err, QUIRE_EINVAL,
                            "the media URL must be https (or http to "
                            "127.0.0.1, ::1 or localhost)");
  }
  if (!*name_out && !(*name_out = quire__strdup("media")))
    return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  quire__sanitize(*name_out);
  *loop_out = loop;
  return 0;
}

static int S_upload(quire_file **out, quire_buf *idem_out, quire_client *client,
                    const quire_upload_request *r, quire_error *err);
static int S_upload_url(quire_file **out, const char *key, quire_client *client,
                        const quire_upload_request *r, quire_error *err);
static int S_send(quire_file **out, quire_client *client,
                  const quire_upload_request *r, quire__request *reqp,
                  const char *key, quire_error *err);

int quire_client_upload(quire_file **out, quire_buf *idem_out,
                        quire_client *client, const quire_upload_request *r,
                        quire_error *err) {
  int rc = S_upload(out, idem_out, client, r, err);
  return rc && client ? quire__client_scrub(client, err, rc) : rc;
}

static int S_upload(quire_file **out, quire_buf *idem_out, quire_client *client,
                    const quire_upload_request *r, quire_error *err) {
  char gen[48];
  if (!out)
    return quire__error_set(err, QUIRE_EINVAL, "no place for the file");
  *out = NULL;
  if (!client)
    return quire__error_set(err, QUIRE_EINVAL, "no client given");
  if (!r || r->version != QUIRE_UPLOAD_REQUEST_VERSION)
    return quire__error_set(err, QUIRE_EINVAL,
                            "upload request missing or of another version");
  if (r->path && r->url)
    return quire__error_set(err, QUIRE_EINVAL,
                            "give a path or a url, not both");
  const char *key = NULL;
  int rc = quire__idem_key(&key, r->idempotency_key, gen, err);
  if (rc)
    return rc;
  if (idem_out)
    quire_buf_puts(idem_out, key);
  if (r->url)
    return S_upload_url(out, key, client, r, err);
  if (!r->path || !*r->path)
    return quire__error_set(err, QUIRE_EINVAL, "no file to upload");
  /* libcurl would only find out mid-request; say it now, with the cause. */
  struct stat st;
  int fd = open(r->path, O_RDONLY | O_CLOEXEC);
  if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    int e = fd < 0 ? errno : 0;
    if (fd >= 0)
      close(fd);
    quire__error_set(err, QUIRE_EIO, "cannot upload it: %s",
                     e ? strerror(e) : "not a regular file");
    quire__error_source(err, r->path);
    return QUIRE_EIO;
  }
  close(fd);
  const char *name = r->filename;
  if (!name) {
    const char *slash = strrchr(r->path, '/');
    name = slash ? slash + 1 : r->path;
  }
  quire__request req = QUIRE__REQUEST_INIT;
  req.upload_path = r->path;
  req.upload_filename = name;
  return S_send(out, client, r, &req, key, err);
}

/* The POST /v1/files itself, the part set up in req by the caller. */
static int S_send(quire_file **out, quire_client *client,
                  const quire_upload_request *r, quire__request *reqp,
                  const char *key, quire_error *err) {
  S_up up = {r};
  quire__request req = *reqp;
  quire__response resp;
  req.method = "POST";
  req.path = "/v1/files";
  req.idempotency_key = key;
  req.upload_type = r->content_type;
  req.upload_label = r->label;
  if (r->progress) {
    req.on_upload = S_on_upload;
    req.payload = &up;
  }
  quire__response_init(&resp, client->max_response);
  json_t *o = NULL;
  int rc = quire__http(&resp, client, &req, err);
  if (!rc)
    rc = S_object(&o, &resp.body, "upload's answer", err);
  if (!rc && !(*out = S_file(o, client->key)))
    rc = quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  if (!rc && !(*out)->media_id)
    rc = quire__error_set(err, QUIRE_ESERVER,
                          "the server's answer has no mediaId");
  if (rc && *out) {
    quire_file_free(*out);
    *out = NULL;
  }
  if (rc && err && !err->source[0])
    quire__client_error(client, err, rc, req.path, &resp);
  json_decref(o);
  quire__response_dispose(&resp);
  return rc ? quire__client_scrub(client, err, rc) : 0;
}

/* A media URL: fetched as it is uploaded (source.c), never stored. */
static int S_upload_url(quire_file **out, const char *key, quire_client *client,
                        const quire_upload_request *r, quire_error *err) {
  char *name = NULL, shown[200];
  int loop = 0;
  int rc = S_check_url(&name, &loop, r->url, err);
  if (rc)
    return rc;
  quire__clean_copy(shown, sizeof shown, r->url, strlen(r->url), client->key);
  quire__request req = QUIRE__REQUEST_INIT;
  req.upload_url = r->url;
  req.upload_url_shown = shown;
  req.upload_loopback = loop;
  req.upload_max = client->max_media > 0 ? client->max_media : S_MAX_URL_MEDIA;
  req.upload_filename = r->filename ? r->filename : name;
  rc = S_send(out, client, r, &req, key, err);
  free(name);
  return rc;
}

/* GET a list page; key_items "files" / "entities", key_cursor "nextCursor"
 * / "cursor". */
static int S_list(quire_page **out, quire_client *c,
                  const quire_list_request *r, int files, quire_error *err) {
  if (!out)
    return quire__error_set(err, QUIRE_EINVAL, "no place for the page");
  *out = NULL;
  if (!c)
    return quire__error_set(err, QUIRE_EINVAL, "no client given");
  static const quire_list_request defaults = QUIRE_LIST_REQUEST_INIT;
  if (!r)
    r = &defaults;
  if (r->version != QUIRE_LIST_REQUEST_VERSION)
    return quire__error_set(err, QUIRE_EINVAL,
                            "list request of another version");
  if (r->limit < 0 || r->limit > 100)
    return quire__error_set(err, QUIRE_EINVAL,
                            "limit must be from 1 to 100, got %d", r->limit);
  quire_buf path = QUIRE_BUF_INIT, b = QUIRE_BUF_INIT;
  const char *sep = "?";
  quire_buf_puts(&path, files ? "/v1/files" : "/v1/entities");
  if (r->limit) {
    quire_buf_printf(&path, "%slimit=%d", sep, r->limit);
    sep = "&";
  }
  if (r->cursor && *r->cursor) {
    quire_buf_printf(&path, "%scursor=", sep);
    quire__url_escape_segment(&path, r->cursor);
    sep = "&";
  }
  if (files && r->include_deleted)
    quire_buf_printf(&path, "%sincludeDeleted=true", sep);
  int rc = quire_buf_failed(&path)
               ? quire__error_set(err, QUIRE_ENOMEM, "out of memory")
               : S_call(&b, c, "GET", path.ptr, NULL, NULL, err);
  json_t *o = NULL;
  if (!rc)
    rc = S_object(&o, &b, "page", err);
  json_t *items = o ? json_object_get(o, files ? "files" : "entities") : NULL;
  if (!rc && !json_is_array(items))
    rc = quire__error_set(err, QUIRE_ESERVER, "the page has no %s array",
                          files ? "files" : "entities");
  quire_page *p = NULL;
  if (!rc && !(p = quire__calloc(1, sizeof *p)))
    rc = quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  if (!rc) {
    size_t n = json_array_size(items);
    if (files)
      p->files = quire__calloc(n ? n : 1, sizeof *p->files);
    else
      p->entities = quire__calloc(n ? n : 1, sizeof *p->entities);
    if (!p->files && !p->entities)
      rc = quire__error_set(err, QUIRE_ENOMEM, "out of memory");
    for (size_t i = 0; !rc && i < n; i++) {
      json_t *it = json_array_get(items, i);
      if (!json_is_object(it)) {
        rc = quire__error_set(err, QUIRE_ESERVER,
                              "item %zu of the page is not an object", i);
        break;
      }
      void *x =
          files ? (void *)S_file(it, c->key) : (void *)S_entity(it, c->key);
      if (!x) {
        rc = quire__error_set(err, QUIRE_ENOMEM, "out of memory");
        break;
      }
      if (files)
        p->files[p->n++] = x;
      else
        p->entities[p->n++] = x;
    }
  }
  if (!rc) {
    int oom = 0;
    p->has_more = json_is_true(json_object_get(o, "hasMore"));
    p->next_cursor = S_str(o, files ? "nextCursor" : "cursor", c->key, &oom);
    p->json = quire__strndup(b.ptr, b.size);
    if (oom || !p->json)
      rc = quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  }
  if (rc) {
    quire_page_free(p);
    if (err && !err->source[0])
      quire__client_error(c, err, rc, path.ptr, NULL);
  } else {
    *out = p;
  }
  json_decref(o);
  quire_buf_dispose(&path);
  quire_buf_dispose(&b);
  return rc ? quire__client_scrub(c, err, rc) : 0;
}

int quire_client_list_files(quire_page **out, quire_client *client,
                            const quire_list_request *req, quire_error *err) {
  return S_list(out, client, req, 1, err);
}

int quire_client_list_entities(quire_page **out, quire_client *client,
                               const quire_list_request *req,
                               quire_error *err) {
  return S_list(out, client, req, 0, err);
}

/* ---- every page: the cursor followed, with the guards a loop needs ---- */

#define S_MAX_PAGES 10000

/* 64 bits of SHA-256: cursors seen, to tell a loop from a long list. */
static uint64_t S_cursor_hash(const char *s) {
  quire__sha256 h;
  unsigned char d[32];
  uint64_t v = 0;
  quire__sha256_init(&h);
  quire__sha256_update(&h, s, strlen(s));
  quire__sha256_final(&h, d);
  for (int i = 0; i < 8; i++)
    v = v << 8 | d[i];
  return v;
}

typedef int (*S_take_fn)(quire_page *page, void *payload);

static int S_walk(quire_client *c, const quire_list_request *r, int files,
                  S_take_fn take, void *payload, quire_error *err) {
  static const quire_list_request defaults = QUIRE_LIST_REQUEST_INIT;
  if (!c)
    return quire__error_set(err, QUIRE_EINVAL, "no client given");
  if (!r)
    r = &defaults;
  quire_list_request cur = *r; /* S_list checks the version */
  uint64_t *seen = NULL;
  size_t nseen = 0;
  char *cursor = NULL, shown[96];
  int rc = 0;
  seen = quire__calloc(64, sizeof *seen);
  size_t cap = 64;
  if (!seen)
    return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  if (cur.cursor && *cur.cursor)
    seen[nseen++] = S_cursor_hash(cur.cursor);
  for (int page = 0;; page++) {
    quire_page *p = NULL;
    rc = S_list(&p, c, &cur, files, err);
    if (rc)
      break;
    int more = p->has_more;
    char *next = NULL;
    if (p->next_cursor && !(next = quire__strdup(p->next_cursor))) {
      quire_page_free(p);
      rc = quire__error_set(err, QUIRE_ENOMEM, "out of memory");
      break;
    }
    int stop = take(p, payload); /* the page is given away here */
    if (stop || !more) {
      free(next);
      rc = stop;
      break;
    }
    const char *why = NULL;
    uint64_t h = next ? S_cursor_hash(next) : 0;
    if (!next) {
      why = "hasMore without a cursor";
    } else if (cur.cursor && strcmp(cur.cursor, next) == 0) {
      why = "the same cursor twice in a row";
    } else {
      for (size_t i = 0; i < nseen && !why; i++)
        if (seen[i] == h)
          why = "a cursor it sent before (the pages loop)";
    }
    if (!why && page + 1 >= S_MAX_PAGES)
      why = "more than 10000 pages";
    if (why) {
      quire__clean_copy(shown, sizeof shown, next ? next : "",
                        next ? strlen(next) : 0, c->key);
      rc = quire__error_set(
          err, QUIRE_ESERVER, "the server's list does not end: %s%s%s%s", why,
          next ? " (cursor '" : "", next ? shown : "", next ? "')" : "");
      quire__client_error(c, err, rc, files ? "/v1/files" : "/v1/entities",
                          NULL);
      free(next);
      break;
    }
    if (nseen == cap) {
      uint64_t *bigger = realloc(seen, 2 * cap * sizeof *seen);
      if (!bigger) {
        free(next);
        rc = quire__error_set(err, QUIRE_ENOMEM, "out of memory");
        break;
      }
      seen = bigger;
      cap *= 2;
    }
    seen[nseen++] = h;
    free(cursor);
    cursor = next;
    cur.cursor = cursor;
  }
  free(cursor);
  free(seen);
  return rc ? quire__client_scrub(c, err, rc) : 0;
}

typedef struct S_each {
  quire_list_page_fn each;
  void *payload;
} S_each;

static int S_take_each(quire_page *p, void *payload) {
  S_each *e = payload;
  int rc = e->each ? e->each(p, e->payload) : 0;
  quire_page_free(p);
  return rc;
}

int quire_client_list_files_each(quire_client *client,
                                 const quire_list_request *req,
                                 quire_list_page_fn each, void *payload,
                                 quire_error *err) {
  S_each e = {each, payload};
  return S_walk(client, req, 1, S_take_each, &e, err);
}

int quire_client_list_entities_each(quire_client *client,
                                    const quire_list_request *req,
                                    quire_list_page_fn each, void *payload,
                                    quire_error *err) {
  S_each e = {each, payload};
  return S_walk(client, req, 0, S_take_each, &e, err);
}

/* Gathers the items of every page into one. */
typedef struct S_all {
  quire_page *acc;
  size_t cap;
  quire_buf json; /* the items' JSON, comma-separated; capped */
  int files;
  int code; /* what went wrong inside the gatherer */
} S_all;

static int S_take_all(quire_page *p, void *payload) {
  S_all *a = payload;
  if (a->acc->n + p->n > a->cap) {
    size_t cap = a->cap ? a->cap : 64;
    while (cap < a->acc->n + p->n)
      cap *= 2;
    void *grown = a->files
                      ? realloc(a->acc->files, cap * sizeof(quire_file *))
                      : realloc(a->acc->entities, cap * sizeof(quire_entity *));
    if (!grown) {
      quire_page_free(p);
      return a->code = QUIRE_ENOMEM;
    }
    if (a->files)
      a->acc->files = grown;
    else
      a->acc->entities = grown;
    a->cap = cap;
  }
  for (size_t i = 0; i < p->n; i++) {
    const char *j = a->files ? p->files[i]->json : p->entities[i]->json;
    if (a->json.size)
      quire_buf_put(&a->json, ",", 1);
    quire_buf_puts(&a->json, j ? j : "{}");
    if (a->files) {
      a->acc->files[a->acc->n++] = p->files[i];
      p->files[i] = NULL;
    } else {
      a->acc->entities[a->acc->n++] = p->entities[i];
      p->entities[i] = NULL;
    }
  }
  p->n = 0;
  quire_page_free(p);
  if (quire_buf_failed(&a->json))
    return a->code = quire_buf_failed(&a->json);
  return 0;
}

static int S_list_all(quire_page **out, quire_client *c,
                      const quire_list_request *r, int files,
                      quire_error *err) {
  if (!out)
    return quire__error_set(err, QUIRE_EINVAL, "no place for the list");
  *out = NULL;
  if (!c)
    return quire__error_set(err, QUIRE_EINVAL, "no client given");
  S_all a;
  memset(&a, 0, sizeof a);
  a.files = files;
  quire_buf_init(&a.json, c->max_response);
  a.acc = quire__calloc(1, sizeof *a.acc);
  if (!a.acc)
    return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  int rc = S_walk(c, r, files, S_take_all, &a, err);
  if (rc && rc == a.code)
    rc = rc == QUIRE_ETOOBIG
             ? quire__error_set(err, rc,
                                "the list is larger than the %zu-byte limit",
                                c->max_response)
             : quire__error_set(err, rc, "out of memory");
  if (!rc) {
    quire_buf doc = QUIRE_BUF_INIT;
    quire_buf_printf(&doc, "{\"%s\":[", files ? "files" : "entities");
    quire_buf_put(&doc, a.json.ptr ? a.json.ptr : "", a.json.size);
    quire_buf_puts(&doc, "],\"hasMore\":false}");
    a.acc->json = quire_buf_failed(&doc) ? NULL : quire_buf_detach(&doc, NULL);
    quire_buf_dispose(&doc);
    if (!a.acc->json)
      rc = quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  }
  if (!rc && files && !a.acc->files)
    a.acc->files = quire__calloc(1, sizeof *a.acc->files);
  if (!rc && !files && !a.acc->entities)
    a.acc->entities = quire__calloc(1, sizeof *a.acc->entities);
  if (!rc && !a.acc->files && !a.acc->entities)
    rc = quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  quire_buf_dispose(&a.json);
  if (rc) {
    quire_page_free(a.acc);
    return quire__client_scrub(c, err, rc);
  }
  *out = a.acc;
  return 0;
}

int quire_client_list_files_all(quire_page **out, quire_client *client,
                                const quire_list_request *req,
                                quire_error *err) {
  return S_list_all(out, client, req, 1, err);
}

int quire_client_list_entities_all(quire_page **out, quire_client *client,
                                   const quire_list_request *req,
                                   quire_error *err) {
  return S_list_all(out, client, req, 0, err);
}

static int S_entity_call(quire_entity **out, quire_client *c,
                         const char *method, const char *id, const char *body,
                         quire_error *err) {
  if (!out)
    return quire__error_set(err, QUIRE_EINVAL, "no place for the entity");
  *out = NULL;
  json_t *o = NULL;
  int rc = S_object_call(&o, c, method, "/v1/entities/", id, NULL, body,
                         "entity", err);
  if (!rc && (!(*out = S_entity(o, c->key)) ||
              (!(*out)->id && !((*out)->id = quire__strdup(id))))) {
    rc = quire__error_set(err, QUIRE_ENOMEM, "out of memory");
    quire_entity_free(*out);
    *out = NULL;
  }
  json_decref(o);
  return rc && c ? quire__client_scrub(c, err, rc) : rc;
}

int quire_client_get_entity(quire_entity **out, quire_client *client,
                            const char *id, quire_error *err) {
  return S_entity_call(out, client, "GET", id, NULL, err);
}

int quire_client_set_entity_label(quire_entity **out, quire_client *client,
                                  const char *id, const char *label,
                                  quire_error *err) {
  if (out)
    *out = NULL;
  json_t *o = json_object();
  if (!o)
    return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  int bad;
  if (label) {
    /* The API trims, then wants 1..64 characters: check that here. */
    const char *s = label, *e = label + strlen(label);
    while (s < e && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
      s++;
    while (e > s &&
           (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
      e--;
    size_t chars = 0;
    for (const char *p = s; p < e; p++)
      chars += ((unsigned char)*p & 0xC0) != 0x80;
    if (chars < 1 || chars > 64) {
      json_decref(o);
      return quire__error_set(err, QUIRE_EINVAL,
                              "an entity label is 1 to 64 characters after "
                              "trimming; got %zu",
                              chars);
    }
    bad = json_object_set_new(o, "label", json_stringn(s, (size_t)(e - s)));
  } else {
    bad = json_object_set_new(o, "label", json_null());
  }
  char *body = bad ? NULL : json_dumps(o, JSON_COMPACT);
  json_decref(o);
  if (!body)
    return quire__error_set(err, QUIRE_EINVAL,
                            "cannot encode the label (invalid UTF-8?)");
  int rc = S_entity_call(out, client, "PATCH", id, body, err);
  free(body);
  return rc;
}

#else /* built without libcurl */

static int S_unsupported(quire_error *err) {
  return quire__error_set(err, QUIRE_EUNSUPPORTED,
                          "this libquire was built without libcurl: no "
                          "Conduit API client");
}

int quire_client_upload(quire_file **out, quire_buf *idem_out,
                        quire_client *client, const quire_upload_request *r,
                        quire_error *err) {
  (void)idem_out, (void)client, (void)r;
  if (out)
    *out = NULL;
  return S_unsupported(err);
}
int quire_client_get_file(quire_file **out, quire_client *client,
                          const char *media_id, quire_error *err) {
  (void)client, (void)media_id;
  if (out)
    *out = NULL;
  return S_unsupported(err);
}
int quire_client_delete_file(quire_file **out, quire_client *client,
                             const char *media_id, quire_error *err) {
  return quire_client_get_file(out, client, media_id, err);
}
int quire_client_set_file_retention(quire_file **out, quire_client *client,
                                    const char *media_id, int lock,
                                    quire_error *err) {
  (void)lock;
  return quire_client_get_file(out, client, media_id, err);
}
int quire_client_list_files(quire_page **out, quire_client *client,
                            const quire_list_request *req, quire_error *err) {
  (void)client, (void)req;
  if (out)
    *out = NULL;
  return S_unsupported(err);
}
int quire_client_list_entities(quire_page **out, quire_client *client,
                               const quire_list_request *req,
                               quire_error *err) {
  return quire_client_list_files(out, client, req, err);
}
int quire_client_list_files_each(quire_client *client,
                                 const quire_list_request *req,
                                 quire_list_page_fn each, void *payload,
                                 quire_error *err) {
  (void)client, (void)req, (void)each, (void)payload;
  return S_unsupported(err);
}
int quire_client_list_entities_each(quire_client *client,
                                    const quire_list_request *req,
                                    quire_list_page_fn each, void *payload,
                                    quire_error *err) {
  return quire_client_list_files_each(client, req, each, payload, err);
}
int quire_client_list_files_all(quire_page **out, quire_client *client,
                                const quire_list_request *req,
                                quire_error *err) {
  return quire_client_list_files(out, client, req, err);
}
int quire_client_list_entities_all(quire_page **out, quire_client *client,
                                   const quire_list_request *req,
                                   quire_error *err) {
  return quire_client_list_files(out, client, req, err);
}
int quire_client_get_entity(quire_entity **out, quire_client *client,
                            const char *id, quire_error *err) {
  (void)client, (void)id;
  if (out)
    *out = NULL;
  return S_unsupported(err);
}
int quire_client_set_entity_label(quire_entity **out, quire_client *client,
                                  const char *id, const char *label,
                                  quire_error *err) {
  (void)label;
  return quire_client_get_entity(out, client, id, err);
}

#endif
