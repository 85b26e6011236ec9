/*
 * quire.h - the whole public API of libquire.
 *
 * libquire decodes a Conduit report (any generation of its JSON) into one
 * typed document model and renders that model to terminal text, HTML, PDF
 * and PNG.
 *
 * Ownership, stated once:
 *  - Objects handed out through `**out` are the caller's, freed with their
 *    own quire_<type>_free(), which accepts NULL and returns void.
 *  - Strings returned by getters are borrowed and live as long as the
 *    quire_doc they came from.
 *  - Caller-allocated structs (quire_buf) are released with _dispose().
 *
 * Errors: fallible functions return 0 or a negative QUIRE_E* code and fill
 * the caller's quire_error (which may be NULL). The library never prints
 * and never exits.
 *
 * Threads: every function is reentrant, and a parsed quire_doc and a
 * built quire_renderer are immutable, so several threads may render one
 * document, with one renderer, at once. Besides quire_global_init()'s
 * one-time setup, the only process-wide data are caches of built-in,
 * read-only material — the renderers of the built-in looks that the
 * simple render calls use, the font configuration (and one pango font map
 * per process, or per thread with cairo 1.18 on) — each filled once under a
 * lock and never changed afterwards, so no render can see another's state and
 * output never depends on what was rendered before.
 *
 * One library beneath us is not reentrant: cmark-gfm keeps its inline
 * parser tables in process-global arrays that every parse edits. libquire
 * serialises its own Markdown parses behind a lock (the rest of decoding
 * runs in parallel), but a host program that calls cmark-gfm itself from
 * another thread while libquire parses can still corrupt either parse.
 * Such a program must not run its own cmark-gfm parses concurrently with
 * quire_doc_parse*().
 */
#ifndef QUIRE_H
#define QUIRE_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) && !defined(QUIRE_STATIC_HEADER)
#define QUIRE_EXTERN __attribute__((visibility("default")))
#else
#define QUIRE_EXTERN
#endif

#define QUIRE_VERSION_MAJOR 0
#define QUIRE_VERSION_MINOR 1
#define QUIRE_VERSION_PATCH 0
#define QUIRE_VERSION_STRING "0.1.0"

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

typedef enum quire_error_code {
  QUIRE_OK = 0,
  QUIRE_ERROR = -1,         /* generic failure */
  QUIRE_ENOMEM = -2,        /* out of memory */
  QUIRE_EINVAL = -3,        /* bad argument from the caller */
  QUIRE_ESYNTAX = -4,       /* input is not well-formed JSON (line/column) */
  QUIRE_ESCHEMA = -5,       /* input does not satisfy its contract (path) */
  QUIRE_ETOOBIG = -6,       /* an input or output exceeded its size cap */
  QUIRE_EIO = -7,           /* reading or writing a file or stream failed */
  QUIRE_ENOTREADY = -8,     /* the report does not exist yet (by-job null) */
  QUIRE_ETEMPLATE = -9,     /* a template file is broken (file:line) */
  QUIRE_ENET = -10,         /* connection, TLS or protocol failure */
  QUIRE_EAUTH = -11,        /* HTTP 401/403 */
  QUIRE_ECREDITS = -12,     /* HTTP 402 insufficient credits */
  QUIRE_ENOTFOUND = -13,    /* HTTP 404, or a missing template/file */
  QUIRE_EVALIDATION = -14,  /* HTTP 422 */
  QUIRE_ERATELIMIT = -15,   /* HTTP 429 after every retry */
  QUIRE_ESERVER = -16,      /* HTTP 5xx after every retry, or bad response */
  QUIRE_ETIMEOUT = -17,     /* a deadline passed */
  QUIRE_EJOBFAILED = -18,   /* the job ended in status failed */
  QUIRE_EJOBCANCELED = -19, /* the job ended in status canceled */
  QUIRE_EUNSUPPORTED = -20, /* feature not built into this library */
  QUIRE_EFONT = -21,        /* no usable font */
  QUIRE_ESIGNATURE = -22,   /* webhook signature missing, stale or wrong */
  QUIRE_EREFUSED = -23,     /* any other HTTP 4xx (400, 405, 409, 410...) */
  QUIRE_EABORTED = -24      /* the caller aborted the call (wait cancel) */
} quire_error_code;

/*
 * A caller-owned error value. Every field is plain storage: nothing to free.
 * Unused fields are empty strings or 0.
 */
typedef struct quire_error {
  int code;            /* a quire_error_code */
  char source[256];    /* file name or URL (never with a secret in it) */
  unsigned line;       /* 1-based line of a syntax error, else 0 */
  unsigned column;     /* 1-based column of a syntax error, else 0 */
  char path[256];      /* JSON path of a shape error ("$.json.sections[2]") */
  char message[512];   /* one line, no trailing newline */
  char request_id[96]; /* request id the server echoed (fetch only) */
  int http_status;     /* HTTP status of a failed call (fetch only) */
} quire_error;

/* Resets every field of err. NULL is allowed. */
QUIRE_EXTERN void quire_error_clear(quire_error *err);

/* Static fallback text for a code ("out of memory"). Never NULL. */
QUIRE_EXTERN const char *quire_strerror(int code);

/*
 * Formats err as one line for people: "SOURCE:LINE:COL: message",
 * "SOURCE: $.path: message" or "SOURCE: message". Writes at most size
 * bytes including the NUL; returns out.
 */
QUIRE_EXTERN char *quire_error_format(const quire_error *err, char *out,
                                      size_t size);

/* ------------------------------------------------------------------ */
/* Library setup and version                                           */
/* ------------------------------------------------------------------ */

/*
 * One-time process-wide setup (cmark-gfm extension registration, libcurl).
 * Idempotent and thread-safe; every other function calls it as needed, so
 * calling it explicitly only moves the cost to a time of your choosing.
 */
QUIRE_EXTERN int quire_global_init(void);

/*
 * For a program that uses fontconfig only through libquire, as the quire
 * command does: the font configuration the cairo engine builds (only
 * quire's own fonts) becomes fontconfig's default for the process. pango
 * otherwise loads the system's default configuration on its first font
 * map, which quire never uses: 15 % of the CPU of a one-PDF `quire render`.
 * Output is the same. A program that uses fontconfig, pango or a toolkit
 * itself must not call it: its own font lookups would see only quire's
 * fonts. Takes effect when called before the first cairo PDF or PNG
 * render; thread-safe; does nothing in a build without cairo.
 */
QUIRE_EXTERN void quire_global_fontconfig_default(void);

/* "0.1.0". */
QUIRE_EXTERN const char *quire_version(void);

/* Bitmask of optional features compiled in (QUIRE_FEATURE_*). */
#define QUIRE_FEATURE_CAIRO (1u << 0) /* pango/cairo PDF and PNG */
#define QUIRE_FEATURE_HARU (1u << 1)  /* libharu PDF */
#define QUIRE_FEATURE_FETCH (1u << 2) /* libcurl client */
QUIRE_EXTERN unsigned quire_features(void);

/*
 * What this build is made of, like `curl -V`: the index-th outside library
 * libquire uses (index from 0), with the version of its headers when
 * libquire was built in *built and the version this process has loaded in
 * *running ("" when the library does not say). Returns its name ("cairo",
 * "libcurl"), or NULL past the last one. libcurl is loaded on first use:
 * until then its *running is NULL, unless flags has QUIRE_BUILD_LOAD, which
 * loads it (NULL then means it cannot be loaded). built and running may be
 * NULL. The strings are static; thread-safe.
 */
#define QUIRE_BUILD_LOAD (1u << 0)
QUIRE_EXTERN const char *quire_build_component(size_t index, unsigned flags,
                                               const char **built,
                                               const char **running);

/* ------------------------------------------------------------------ */
/* quire_buf: the one growable byte buffer                            */
/* ------------------------------------------------------------------ */

/*
 * ptr is never NULL and always NUL-terminated. A buffer with max > 0 never
 * grows past max bytes. After any failure (no memory, cap reached) the
 * buffer is "failed": further appends are no-ops and quire_buf_failed()
 * tells, so callers check once at the end.
 */
typedef struct quire_buf {
  char *ptr;    /* contents, NUL-terminated */
  size_t size;  /* bytes used, excluding the NUL */
  size_t asize; /* bytes allocated; 0 while ptr points at static storage */
  size_t max;   /* cap on size; 0 means no cap */
  int err;      /* 0, or the QUIRE_E* code of the first failure */
} quire_buf;

QUIRE_EXTERN extern char quire_buf__initbyte[];
#define QUIRE_BUF_INIT                                                         \
  { quire_buf__initbyte, 0, 0, 0, 0 }

/* Initialises an empty buffer capped at max bytes (0 = uncapped). */
QUIRE_EXTERN void quire_buf_init(quire_buf *buf, size_t max);
/* Frees the contents; the buffer is empty and usable again. */
QUIRE_EXTERN void quire_buf_dispose(quire_buf *buf);
/* Makes room for at least size more bytes. Returns 0 or QUIRE_ENOMEM /
 * QUIRE_ETOOBIG (and marks the buffer failed). */
QUIRE_EXTERN int quire_buf_grow(quire_buf *buf, size_t extra);
QUIRE_EXTERN int quire_buf_put(quire_buf *buf, const void *data, size_t len);
QUIRE_EXTERN int quire_buf_puts(quire_buf *buf, const char *s);
QUIRE_EXTERN int quire_buf_putc(quire_buf *buf, int c);
QUIRE_EXTERN int quire_buf_printf(quire_buf *buf, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Keeps the first len bytes (no-op when len >= size). */
QUIRE_EXTERN void quire_buf_truncate(quire_buf *buf, size_t len);
/* Empties the buffer, keeps its memory, clears a failure. */
QUIRE_EXTERN void quire_buf_clear(quire_buf *buf);
/* 0 when every append so far succeeded, else the first failure's code. */
QUIRE_EXTERN int quire_buf_failed(const quire_buf *buf);
/* Hands the contents to the caller (free() them); buf becomes empty. Never
 * returns NULL unless out of memory. */
QUIRE_EXTERN char *quire_buf_detach(quire_buf *buf, size_t *len);

/* ------------------------------------------------------------------ */
/* Sinks: where renderers write                                       */
/* ------------------------------------------------------------------ */

/* Writes len bytes; returns 0 or a negative QUIRE_E* code. */
typedef int (*quire_write_fn)(void *payload, const void *data, size_t len);

typedef struct quire_sink {
  quire_write_fn write; /* called for every chunk of output */
  void *payload;        /* passed to write */
} quire_sink;

/* A sink appending to a caller's buffer. */
QUIRE_EXTERN quire_sink quire_sink_buf(quire_buf *buf);
/* A sink writing to a caller's stdio stream. */
QUIRE_EXTERN quire_sink quire_sink_file(FILE *fp);

/*
 * An atomic output file: data goes to "PATH.XXXXXX" in the same directory;
 * commit fsyncs and renames it over PATH, abort removes it. An existing
 * PATH is never left half-written. Both commit and abort free the object.
 * A symlink PATH is followed: the file it points to is replaced and the
 * link kept. An existing file keeps its permission bits (and, for root,
 * its owner), and one the caller may not write is refused (QUIRE_EIO).
 * A character device or FIFO (/dev/null, a pipe) is written directly, with
 * no temporary file and no rename; any other kind of file is refused.
 */
typedef struct quire_atomic quire_atomic;
QUIRE_EXTERN int quire_atomic_open(quire_atomic **out, const char *path,
                                   quire_error *err);
QUIRE_EXTERN quire_sink quire_atomic_sink(quire_atomic *file);
QUIRE_EXTERN int quire_atomic_commit(quire_atomic *file, quire_error *err);
QUIRE_EXTERN void quire_atomic_abort(quire_atomic *file);

/*
 * Atomic files made durable together, for batches: one fsync per file
 * makes many small outputs wait on the disk. A file opened in a group is
 * written and closed into its temporary by quire_atomic_commit (which then
 * only fails for a write error or QUIRE_ENOMEM) and PATH is left as it
 * was; quire_atomic_group_commit flushes every such file with one syncfs
 * per file system, renames each over its PATH, and syncs each directory
 * once. It returns 0 only when every file of the group is on disk under
 * its name; otherwise QUIRE_EIO naming the first file that is not (a file
 * system that fails to sync gets none of its files renamed). After a crash
 * each PATH holds its old content or the whole new file, never part of
 * one; PATH.XXXXXX temporaries may be left beside it. Files may be
 * committed into one group from several threads; quire_atomic_group_commit
 * may be called again for files committed since. quire_atomic_group_free
 * removes the temporaries of files not yet group-committed. Devices and
 * FIFOs opened in a group are written directly, as by quire_atomic_open.
 */
typedef struct quire_atomic_group quire_atomic_group;
QUIRE_EXTERN int quire_atomic_group_new(quire_atomic_group **out,
                                        quire_error *err);
QUIRE_EXTERN int quire_atomic_open_in(quire_atomic **out,
                                      quire_atomic_group *group,
                                      const char *path, quire_error *err);
QUIRE_EXTERN int quire_atomic_group_commit(quire_atomic_group *group,
                                           quire_error *err);
QUIRE_EXTERN void quire_atomic_group_free(quire_atomic_group *group);

/* ------------------------------------------------------------------ */
/* Document model                                                      */
/* ------------------------------------------------------------------ */

typedef struct quire_doc quire_doc;
typedef struct quire_node quire_node;

/* Which generation of report JSON a document came from. */
typedef enum quire_shape {
  QUIRE_SHAPE_V2 = 1,   /* current REST: json.schemaVersion 2 */
  QUIRE_SHAPE_SECTIONS, /* legacy REST: top-level sections */
  QUIRE_SHAPE_MARKDOWN, /* only markdown */
  QUIRE_SHAPE_SDK,      /* SDK-normalised dump: output.markdown/json */
  QUIRE_SHAPE_NODE,     /* node-era output.type reports */
  QUIRE_SHAPE_MATCHING, /* matching result: json.schemaVersion 1 */
  QUIRE_SHAPE_EMPTY     /* a report with no content at all */
} quire_shape;

typedef enum quire_node_kind {
  QUIRE_NODE_NONE = 0,
  QUIRE_NODE_DOCUMENT, /* root: children are the blocks in order */

  /* Report blocks */
  QUIRE_NODE_SECTION,   /* legacy section: title; children are blocks */
  QUIRE_NODE_PARAGRAPH, /* v2 paragraph: key, title; children = body */
  QUIRE_NODE_TRAITS,    /* v2 traits: key, title, 3 phrases; children = body */
  QUIRE_NODE_ACTIONS,   /* v2 actions: key, title; children are ACTIONs */
  QUIRE_NODE_ACTION,    /* one action: title; children = context */
  QUIRE_NODE_CARD,      /* icon, title; children = content */
  QUIRE_NODE_TEXT,      /* optional title; children = content */
  QUIRE_NODE_GRID,      /* columns (2-4); children are CARDs */
  QUIRE_NODE_ILLUSTRATION, /* variant */
  QUIRE_NODE_MARKDOWN,     /* a report's markdown; children are MD blocks */
  QUIRE_NODE_UNKNOWN,      /* anything else: literal = indented JSON */

  /* Markdown blocks (converted from cmark-gfm once, at decode time) */
  QUIRE_NODE_MD_HEADING,    /* level 1-6; children are inlines */
  QUIRE_NODE_MD_PARA,       /* children are inlines */
  QUIRE_NODE_MD_LIST,       /* bullet or ordered; children are MD_ITEMs */
  QUIRE_NODE_MD_ITEM,       /* task state; children are blocks */
  QUIRE_NODE_MD_QUOTE,      /* children are blocks */
  QUIRE_NODE_MD_CODE_BLOCK, /* literal, info */
  QUIRE_NODE_MD_RULE,       /* thematic break */
  QUIRE_NODE_MD_TABLE,      /* columns, alignments; children are rows */
  QUIRE_NODE_MD_TABLE_ROW,  /* header flag; children are cells */
  QUIRE_NODE_MD_TABLE_CELL, /* children are inlines */

  /* Markdown inlines */
  QUIRE_NODE_MD_TEXT, /* literal */
  QUIRE_NODE_MD_EMPH,
  QUIRE_NODE_MD_STRONG,
  QUIRE_NODE_MD_STRIKE,
  QUIRE_NODE_MD_CODE,  /* literal */
  QUIRE_NODE_MD_LINK,  /* url (NULL when the URL was unsafe); children */
  QUIRE_NODE_MD_IMAGE, /* url (NULL when unsafe); children are the alt */
  QUIRE_NODE_MD_SOFTBREAK,
  QUIRE_NODE_MD_LINEBREAK,

  QUIRE_NODE_KIND_COUNT
} quire_node_kind;

typedef enum quire_illustration {
  QUIRE_ILLUSTRATION_UNKNOWN = 0,
  QUIRE_ILLUSTRATION_CONVERSATION,
  QUIRE_ILLUSTRATION_GROWTH,
  QUIRE_ILLUSTRATION_CONNECTION,
  QUIRE_ILLUSTRATION_ANALYSIS
} quire_illustration;

typedef enum quire_list_type {
  QUIRE_LIST_BULLET = 1,
  QUIRE_LIST_ORDERED
} quire_list_type;

typedef enum quire_task {
  QUIRE_TASK_NONE = 0, /* an ordinary list item */
  QUIRE_TASK_OPEN,     /* [ ] */
  QUIRE_TASK_DONE      /* [x] */
} quire_task;

typedef enum quire_align {
  QUIRE_ALIGN_NONE = 0,
  QUIRE_ALIGN_LEFT,
  QUIRE_ALIGN_CENTER,
  QUIRE_ALIGN_RIGHT
} quire_align;

/* Parse options. Use QUIRE_PARSE_OPTIONS_INIT, then set fields. */
#define QUIRE_PARSE_STRICT (1u << 0) /* check the contract schema exactly */

typedef struct quire_parse_options {
  unsigned version;       /* QUIRE_PARSE_OPTIONS_VERSION */
  unsigned flags;         /* QUIRE_PARSE_* */
  const char *source;     /* file name or URL for messages; may be NULL */
  size_t max_input;       /* bytes of JSON accepted (0 = 64 MiB) */
  size_t max_markdown;    /* bytes per Markdown field (0 = 1 MiB) */
  size_t max_blocks;      /* blocks per report (0 = 100000) */
  size_t max_diagnostics; /* problems reported per document (0 = 100) */
} quire_parse_options;

#define QUIRE_PARSE_OPTIONS_VERSION 1
#define QUIRE_PARSE_OPTIONS_INIT                                               \
  { QUIRE_PARSE_OPTIONS_VERSION, 0, NULL, 0, 0, 0, 0 }

/* One problem found while checking or decoding a report. */
typedef enum quire_severity {
  QUIRE_SEVERITY_WARNING = 1, /* kept going: unknown key, degraded block */
  QUIRE_SEVERITY_ERROR        /* the report breaks its contract */
} quire_severity;

typedef struct quire_diag {
  quire_severity severity;
  const char *path;    /* JSON path, "$" for the whole document */
  const char *message; /* one line */
} quire_diag;

/*
 * Decodes report JSON (data, len bytes, not NUL-terminated) into *out.
 *
 * Tolerant by default: unknown keys, kinds and templates are kept and
 * recorded as warnings on the document. With QUIRE_PARSE_STRICT the
 * payload must also satisfy the contract schema of its shape, exactly as a
 * JSON Schema 2020-12 validator judges it ("format" is an annotation);
 * violations fail the call with QUIRE_ESCHEMA (the first one in err;
 * quire_validate lists them all). The decoder's own concerns stay warnings
 * in both modes.
 *
 * Errors: QUIRE_ESYNTAX (err->line/column), QUIRE_ESCHEMA (err->path),
 * QUIRE_ENOTREADY when the JSON is `null` (a by-job answer for a report
 * that does not exist yet), QUIRE_ETOOBIG, QUIRE_ENOMEM.
 */
QUIRE_EXTERN int quire_doc_parse(quire_doc **out, const char *data, size_t len,
                                 const quire_parse_options *opts,
                                 quire_error *err);

/* Reads a whole file (path "-" = stdin) and parses it; source defaults to
 * path. Adds QUIRE_EIO to quire_doc_parse's errors. */
QUIRE_EXTERN int quire_doc_parse_file(quire_doc **out, const char *path,
                                      const quire_parse_options *opts,
                                      quire_error *err);

QUIRE_EXTERN void quire_doc_free(quire_doc *doc);

/*
 * Checks report JSON and calls cb once per problem, at most
 * opts->max_diagnostics times: with QUIRE_PARSE_STRICT every contract
 * schema violation as an error, without it every required key the schema
 * names and the report lacks as a warning, and in both the decoder's
 * warnings. Returns 0 when there is no error (warnings do not count),
 * QUIRE_ESCHEMA when contract violations were reported, or the errors of
 * quire_doc_parse (err says where).
 */
typedef void (*quire_diag_fn)(const quire_diag *diag, void *payload);
QUIRE_EXTERN int quire_validate(const char *data, size_t len,
                                const quire_parse_options *opts,
                                quire_diag_fn cb, void *payload,
                                quire_error *err);

/* Warnings recorded while decoding (borrowed). */
QUIRE_EXTERN size_t quire_doc_diag_count(const quire_doc *doc);
QUIRE_EXTERN const quire_diag *quire_doc_diag(const quire_doc *doc, size_t i);

/* Report metadata. Each returns NULL when the report has no such value
 * (empty strings count as absent). */
QUIRE_EXTERN quire_shape quire_doc_shape(const quire_doc *doc);
QUIRE_EXTERN const char *quire_doc_id(const quire_doc *doc);
QUIRE_EXTERN const char *quire_doc_created_at(const quire_doc *doc);
QUIRE_EXTERN const char *quire_doc_job_id(const quire_doc *doc);
QUIRE_EXTERN const char *quire_doc_label(const quire_doc *doc);
/* The template name as given ("sales_playbook", "matching", ...). */
QUIRE_EXTERN const char *quire_doc_template(const quire_doc *doc);
QUIRE_EXTERN const char *quire_doc_entity_id(const quire_doc *doc);
QUIRE_EXTERN const char *quire_doc_entity_label(const quire_doc *doc);
QUIRE_EXTERN const char *quire_doc_media_id(const quire_doc *doc);
QUIRE_EXTERN const char *
quire_doc_media_url(const quire_doc *doc); /* http(s) only */
QUIRE_EXTERN const char *quire_doc_title(const quire_doc *doc); /* never NULL */
QUIRE_EXTERN const char *quire_doc_summary(const quire_doc *doc);
/* Report link, resolved reportUrl -> output.reportUrl -> media.url; only
 * http(s). quire_doc_report_url_is_media() tells when it came from media. */
QUIRE_EXTERN const char *quire_doc_report_url(const quire_doc *doc);
QUIRE_EXTERN int quire_doc_report_url_is_media(const quire_doc *doc);
QUIRE_EXTERN const char *quire_doc_pdf_url(const quire_doc *doc);
/* The raw markdown text of the report (the parsed form is a MARKDOWN block). */
QUIRE_EXTERN const char *quire_doc_markdown(const quire_doc *doc);

/* Named facts: metrics, provenance, meta and usage, flattened to
 * name/value strings in report order ("metrics.talkRatio" = "0.42",
 * "provenance.behaviorMapId" = "bm_1", "meta.render.model" = "gpt-5"). */
typedef enum quire_fact_group {
  QUIRE_FACT_METRICS = 1,
  QUIRE_FACT_PROVENANCE,
  QUIRE_FACT_META,
  QUIRE_FACT_USAGE,
  QUIRE_FACT_SUBJECT,
  QUIRE_FACT_EXTRA /* unknown top-level keys, kept rather than dropped */
} quire_fact_group;
typedef struct quire_fact {
  quire_fact_group group;
  const char *name;  /* dotted name below the group ("talkRatio") */
  const char *value; /* a JSON scalar as text, arrays joined with ", " */
} quire_fact;
QUIRE_EXTERN size_t quire_doc_fact_count(const quire_doc *doc);
QUIRE_EXTERN const quire_fact *quire_doc_fact(const quire_doc *doc, size_t i);

/* The report's parsed markdown (kind QUIRE_NODE_MARKDOWN), or NULL. It is
 * also one of the root's blocks when the report has no structured content;
 * when json/sections exist the markdown repeats them, so it is not rendered
 * twice and is parsed only on the first call here (safe from any thread;
 * its problems are not added to the document's warnings then, and
 * quire_validate reports them). NULL if that parse runs out of memory. */
QUIRE_EXTERN const quire_node *quire_doc_markdown_node(const quire_doc *doc);

/* The root node (kind QUIRE_NODE_DOCUMENT). */
QUIRE_EXTERN const quire_node *quire_doc_root(const quire_doc *doc);

/* Tree links; NULL at the ends. */
QUIRE_EXTERN quire_node_kind quire_node_kind_of(const quire_node *node);
QUIRE_EXTERN const char *quire_node_kind_name(quire_node_kind kind);
QUIRE_EXTERN const quire_node *quire_node_parent(const quire_node *node);
QUIRE_EXTERN const quire_node *quire_node_first_child(const quire_node *node);
QUIRE_EXTERN const quire_node *quire_node_last_child(const quire_node *node);
QUIRE_EXTERN const quire_node *quire_node_next(const quire_node *node);
QUIRE_EXTERN const quire_node *quire_node_prev(const quire_node *node);

/* Payload getters. Each returns NULL / 0 for kinds without that field. */
/* Title of SECTION, PARAGRAPH, TRAITS, ACTIONS, ACTION, CARD, TEXT (NULL
 * for an untitled TEXT). v2 blocks without a title get a friendly title
 * from their key. */
QUIRE_EXTERN const char *quire_node_title(const quire_node *node);
/* v2 section key ("how_they_think"). */
QUIRE_EXTERN const char *quire_node_key(const quire_node *node);
/* CARD icon name as given ("target"); renderers map unknown names to a
 * neutral glyph. */
QUIRE_EXTERN const char *quire_node_icon(const quire_node *node);
/* MD_TEXT, MD_CODE, MD_CODE_BLOCK text; UNKNOWN: the value as indented JSON. */
QUIRE_EXTERN const char *quire_node_literal(const quire_node *node);
/* MD_CODE_BLOCK info string; UNKNOWN: the block's "type" if it had one. */
QUIRE_EXTERN const char *quire_node_info(const quire_node *node);
/* MD_LINK / MD_IMAGE target; NULL when the URL was not http(s)/mailto. */
QUIRE_EXTERN const char *quire_node_url(const quire_node *node);
/* JSON path of the input this node came from ("$.json.sections[3]"). */
QUIRE_EXTERN const char *quire_node_path(const quire_node *node);
QUIRE_EXTERN int quire_node_heading_level(const quire_node *node);
QUIRE_EXTERN quire_list_type quire_node_list_type(const quire_node *node);
QUIRE_EXTERN int quire_node_list_start(const quire_node *node);
QUIRE_EXTERN int quire_node_list_tight(const quire_node *node);
QUIRE_EXTERN quire_task quire_node_task(const quire_node *node);
QUIRE_EXTERN int quire_node_table_columns(const quire_node *node);
/* Alignment of column col (0-based) of an MD_TABLE. */
QUIRE_EXTERN quire_align quire_node_table_align(const quire_node *node,
                                                int col);
QUIRE_EXTERN int quire_node_row_is_header(const quire_node *node);
QUIRE_EXTERN int quire_node_grid_columns(const quire_node *node);
QUIRE_EXTERN quire_illustration quire_node_illustration(const quire_node *node);
/* "conversation", "growth", ...; NULL for unknown. */
QUIRE_EXTERN const char *quire_illustration_name(quire_illustration variant);
/* TRAITS phrases (always 3 after a strict parse; tolerant: 0..n). */
QUIRE_EXTERN size_t quire_node_phrase_count(const quire_node *node);
QUIRE_EXTERN const char *quire_node_phrase(const quire_node *node, size_t i);

/* Depth-first walk over a subtree without recursion, like cmark's. */
typedef enum quire_event {
  QUIRE_EVENT_NONE = 0,
  QUIRE_EVENT_DONE,
  QUIRE_EVENT_ENTER,
  QUIRE_EVENT_EXIT
} quire_event;

/* Leaf kinds (text, code, rules, illustrations, unknown) get ENTER only. */
typedef struct quire_iter quire_iter;
QUIRE_EXTERN int quire_iter_new(quire_iter **out, const quire_node *root);
QUIRE_EXTERN void quire_iter_free(quire_iter *iter);
QUIRE_EXTERN quire_event quire_iter_next(quire_iter *iter);
QUIRE_EXTERN const quire_node *quire_iter_node(const quire_iter *iter);
/* Skips the children of the node just entered: the next event is its EXIT. */
QUIRE_EXTERN void quire_iter_skip_children(quire_iter *iter);
/* 1 when node kinds never have children (ENTER only). */
QUIRE_EXTERN int quire_node_kind_is_leaf(quire_node_kind kind);

/* Canonical dump of the model (like cmark's XML): one node per line,
 * indented, with every field. Used by tests and `quire inspect`. */
QUIRE_EXTERN int quire_doc_dump(quire_buf *out, const quire_doc *doc);

/* ------------------------------------------------------------------ */
/* Rendering                                                           */
/* ------------------------------------------------------------------ */

typedef enum quire_format {
  QUIRE_FORMAT_TEXT = 1, /* terminal / plain text */
  QUIRE_FORMAT_HTML,
  QUIRE_FORMAT_PDF,
  QUIRE_FORMAT_PNG
} quire_format;

typedef enum quire_color {
  QUIRE_COLOR_NONE = 0,
  QUIRE_COLOR_16,
  QUIRE_COLOR_256,
  QUIRE_COLOR_TRUE
} quire_color;

typedef enum quire_paper { QUIRE_PAPER_A4 = 0, QUIRE_PAPER_LETTER } quire_paper;

typedef enum quire_pdf_engine {
  QUIRE_PDF_CAIRO = 0, /* pango + cairo: shaping, kerning, fallback */
  QUIRE_PDF_HARU       /* libharu: no glib; simple scripts only */
} quire_pdf_engine;

#define QUIRE_RENDER_ASCII (1u << 0) /* text: ASCII borders/bullets */
#define QUIRE_RENDER_HYPERLINKS                                                \
  (1u << 1) /* text: OSC 8 links (with colour)                                 \
             */

/* Called for non-fatal problems while rendering (a glyph no font has).
 * It may run while the cairo engine holds its process-wide glyph lock
 * (cairo before 1.18; libquire(3), Threads): it may render on the same
 * thread, but must not wait for a render on another thread. */
typedef void (*quire_warn_fn)(const char *message, void *payload);

/* Which body a report that carries both a structured one (json or
 * sections) and markdown is rendered from. A report with only one of them
 * is rendered from that one whatever this says. */
typedef enum quire_body {
  QUIRE_BODY_STRUCTURED = 0, /* the json or sections (the default) */
  QUIRE_BODY_MARKDOWN,       /* the markdown */
  QUIRE_BODY_BOTH            /* the structured body, then the markdown */
} quire_body;

typedef struct quire_render_options {
  unsigned version;  /* QUIRE_RENDER_OPTIONS_VERSION */
  unsigned flags;    /* QUIRE_RENDER_* */
  int width;         /* text: columns (0 = 80) */
  quire_color color; /* text: colour depth */
  const char
      *template_name; /* overrides the report's template; NULL = its own */
  const char
      *template_dir; /* user templates overriding built-ins file by file */
  quire_paper paper; /* pdf/png */
  quire_pdf_engine engine; /* pdf */
  double dpi;              /* png (0 = 96) */
  int page;                /* png: 1-based page to paint (0 = 1) */
  size_t max_output;       /* bytes of output (0 = 256 MiB) */
  quire_warn_fn warn;      /* optional */
  void *warn_payload;
  quire_body body; /* version 2: QUIRE_BODY_* (version 1: structured) */
  /* version 3: the report's language as a BCP 47 tag ("fr", "pt-BR"), for
   * the PDF's /Lang and the HTML's lang; NULL: guessed from the report's
   * text (its title and label first, then its body; "en" when the letters
   * say too little). Letters, digits and '-' only, at most 35 bytes. */
  const char *lang;
} quire_render_options;

/* 2 added body, 3 lang; options of versions 1 and 2 are still read (body
 * structured, lang guessed). */
#define QUIRE_RENDER_OPTIONS_VERSION 3
#define QUIRE_RENDER_OPTIONS_INIT                                              \
  {                                                                            \
    QUIRE_RENDER_OPTIONS_VERSION, 0, 0, QUIRE_COLOR_NONE, NULL, NULL,          \
        QUIRE_PAPER_A4, QUIRE_PDF_CAIRO, 0, 0, 0, NULL, NULL,                  \
        QUIRE_BODY_STRUCTURED, NULL                                            \
  }

/*
 * Renders doc in format fmt to sink. opts may be NULL (defaults).
 * Errors: QUIRE_EINVAL, QUIRE_ENOTFOUND (no template named
 * opts->template_name), QUIRE_EUNSUPPORTED (format or engine not built in),
 * QUIRE_ETEMPLATE (a user template is broken), QUIRE_EIO (the sink failed),
 * QUIRE_ETOOBIG, QUIRE_ENOMEM.
 */
QUIRE_EXTERN int quire_render(const quire_doc *doc, quire_format fmt,
                              const quire_render_options *opts, quire_sink sink,
                              quire_error *err);

/* The same, appending to a caller's buffer. */
QUIRE_EXTERN int quire_render_buf(quire_buf *out, const quire_doc *doc,
                                  quire_format fmt,
                                  const quire_render_options *opts,
                                  quire_error *err);

/* Number of pages doc lays out to with these options (paper, template,
 * engine), for painting PNG pages one by one. */
QUIRE_EXTERN int quire_render_page_count(int *out, const quire_doc *doc,
                                         const quire_render_options *opts,
                                         quire_error *err);

/*
 * Receives one page image from quire_render_png_pages(): page (1-based) of
 * count pages; png/len is the whole PNG file, borrowed and valid only
 * during the call. Return 0 to go on, or a negative QUIRE_E* code to stop:
 * quire_render_png_pages() then returns that code.
 */
typedef int (*quire_page_fn)(int page, int count, const char *png, size_t len,
                             void *payload);

/*
 * PNG images of pages first..last (1-based, inclusive; last 0 means the
 * last page) from one layout of doc: much cheaper than one quire_render()
 * per page, which lays the whole document out each time. Each image is
 * byte-identical to quire_render() with opts->page set to that page;
 * opts->page itself is ignored. The range is checked against the page
 * count before any page is painted, so fn sees no page of a bad range.
 * Errors: those of quire_render(); QUIRE_EINVAL for a range outside the
 * document (the message gives its page count); QUIRE_EUNSUPPORTED without
 * the cairo engine; fn's own code.
 */
QUIRE_EXTERN int quire_render_png_pages(const quire_doc *doc,
                                        const quire_render_options *opts,
                                        int first, int last, quire_page_fn fn,
                                        void *payload, quire_error *err);

/*
 * A renderer: the look of a backend (templates, their themes and
 * stylesheets, the fonts, the PDF engine) built once, then used for any
 * number of renders. Building reads and compiles every file of a user
 * template directory up front, so a broken template or a missing directory
 * is an error here rather than on some later render, and no render reads a
 * template file again: edits to a user template directory show in
 * renderers built afterwards. Built-in templates are compiled by the
 * renderer's first HTML render (once, whichever thread comes first), so
 * PDF, PNG and text renders never pay for them. A built renderer never
 * changes what it renders: any number of threads may render with one
 * renderer at once, without a lock. It must outlive those renders; free it
 * with quire_renderer_free().
 *
 * The simple calls above (quire_render(), quire_render_buf(), ...) use
 * renderers internally: built-in looks are built once per process, and a
 * call with a template_dir builds (and frees) its own each time. A program
 * that renders many reports, and above all one with its own templates,
 * builds one renderer and keeps it.
 */
typedef struct quire_renderer quire_renderer;

typedef struct quire_renderer_options {
  unsigned version;          /* QUIRE_RENDERER_OPTIONS_VERSION */
  const char *template_name; /* every report in this template; NULL = each
                                report's own */
  const char *template_dir;  /* user templates overriding built-ins file by
                                file; NULL = built-in only */
  quire_pdf_engine engine;   /* pdf */
} quire_renderer_options;

#define QUIRE_RENDERER_OPTIONS_VERSION 1
#define QUIRE_RENDERER_OPTIONS_INIT                                            \
  { QUIRE_RENDERER_OPTIONS_VERSION, NULL, NULL, QUIRE_PDF_CAIRO }

/*
 * Builds a renderer into *out (the caller's). opts may be NULL (built-in
 * templates, each report's own, cairo). Strings are copied.
 * Errors: QUIRE_EINVAL (template_dir is not a directory, a malformed
 * template_name, an unknown engine), QUIRE_ENOTFOUND (template_name is
 * neither built in nor a directory in template_dir), QUIRE_ETEMPLATE (a
 * template file is broken: err names it, with line and column), QUIRE_EIO,
 * QUIRE_ETOOBIG, QUIRE_EUNSUPPORTED (engine not built in), QUIRE_EFONT,
 * QUIRE_ENOMEM.
 */
QUIRE_EXTERN int quire_renderer_new(quire_renderer **out,
                                    const quire_renderer_options *opts,
                                    quire_error *err);
QUIRE_EXTERN void quire_renderer_free(quire_renderer *renderer);

/*
 * quire_render(), quire_render_buf(), quire_render_page_count() and
 * quire_render_png_pages() with renderer's look. opts (may be NULL) gives
 * the per-render settings (width, colour, flags, paper, dpi, page,
 * max_output, warn); its template_name, template_dir and engine must be
 * left unset or equal the renderer's (QUIRE_EINVAL otherwise).
 */
QUIRE_EXTERN int quire_renderer_render(const quire_renderer *renderer,
                                       const quire_doc *doc, quire_format fmt,
                                       const quire_render_options *opts,
                                       quire_sink sink, quire_error *err);
QUIRE_EXTERN int
quire_renderer_render_buf(quire_buf *out, const quire_renderer *renderer,
                          const quire_doc *doc, quire_format fmt,
                          const quire_render_options *opts, quire_error *err);
QUIRE_EXTERN int quire_renderer_page_count(int *out,
                                           const quire_renderer *renderer,
                                           const quire_doc *doc,
                                           const quire_render_options *opts,
                                           quire_error *err);
QUIRE_EXTERN int quire_renderer_png_pages(const quire_renderer *renderer,
                                          const quire_doc *doc,
                                          const quire_render_options *opts,
                                          int first, int last, quire_page_fn fn,
                                          void *payload, quire_error *err);

/* "text", "html", "pdf", "png" <-> quire_format; 0 when unknown. */
QUIRE_EXTERN quire_format quire_format_from_name(const char *name);
QUIRE_EXTERN const char *quire_format_name(quire_format fmt);

/* ------------------------------------------------------------------ */
/* Text utilities shared with the CLI                                  */
/* ------------------------------------------------------------------ */

/* Display width in terminal columns of UTF-8 text (wide CJK 2, combining
 * marks 0, controls 0). Invalid bytes count 1 each. */
QUIRE_EXTERN size_t quire_text_width(const char *s, size_t len);

/* Keep '\n' as it is (multi-line output); otherwise it is escaped like
 * every other control, so one message stays one line. */
#define QUIRE_TEXT_KEEP_NEWLINES (1u << 0)

/*
 * Appends untrusted text (s, len bytes, any content) to out so that it is
 * safe to print in a diagnostic, by the same policy every renderer
 * applies to report text: C0 and C1 controls, DEL, bidi controls (U+061C,
 * U+200E, U+200F, U+202A-U+202E, U+2066-U+2069) and noncharacters are
 * written visibly ("\x1b", "\u202e"), bytes that are not UTF-8 as
 * "\xNN". Returns 0 or the buffer's failure code; QUIRE_EINVAL when out
 * is NULL.
 */
QUIRE_EXTERN int quire_text_sanitize(quire_buf *out, const char *s, size_t len,
                                     unsigned flags);

/* ------------------------------------------------------------------ */
/* Conduit API client (libcurl; QUIRE_FEATURE_FETCH)                   */
/* ------------------------------------------------------------------ */

/*
 * A client holds one connection (a libcurl handle), the base URL and the API
 * key. It is not thread-safe: use one client per thread. The key is sent
 * only in the Mappa-Api-Key header, only to the base URL's origin, and is
 * redacted from everything the server sends before the library reads it:
 * bodies (a report's JSON included, JSON-escaped spellings too), events and
 * header values, before anything is cut to length. So no error, job getter
 * or returned body carries it, and runs of 12 or more bytes of the key
 * left in an error are masked with '*'.
 *
 * Every call sends X-Request-Id: req_<hex>, kept across that call's
 * retries; errors carry the id the server echoed (or the one sent) in
 * err->request_id and the HTTP status in err->http_status, and err->source
 * is the URL called.
 *
 * Errors common to every call: QUIRE_ENET (connection, TLS, timeout, a
 * redirect to another origin), QUIRE_ESERVER (5xx after every retry, or a
 * response that breaks the contract), QUIRE_EAUTH (401/403), QUIRE_ECREDITS
 * (402), QUIRE_ENOTFOUND (404), QUIRE_EVALIDATION (422), QUIRE_ERATELIMIT
 * (429 after every retry), QUIRE_ETOOBIG (response over max_response),
 * QUIRE_ENOMEM, QUIRE_EUNSUPPORTED (built without libcurl, or libcurl.so.4
 * cannot be loaded: the message gives the loader's reason). A response
 * header line over libcurl's 100 KiB is QUIRE_ESERVER; a stream event over
 * 1 MiB is QUIRE_ETOOBIG with the cap in the message.
 */
typedef struct quire_client quire_client;
typedef struct quire_job quire_job;

#define QUIRE_CLIENT_DEFAULT_BASE_URL "https://api.mappa.ai"

typedef struct quire_client_options {
  unsigned version;        /* QUIRE_CLIENT_OPTIONS_VERSION */
  const char *base_url;    /* NULL = https://api.mappa.ai; http only to
                              loopback (127.0.0.0/8, ::1, localhost) */
  const char *api_key;     /* required; copied */
  const char *user_agent;  /* appended to "quire/<version>"; may be NULL */
  int max_retries;         /* retries after the first attempt (2); 0..10 */
  long connect_timeout_ms; /* per connection (0 = 10 s) */
  long timeout_ms;         /* per attempt, whole transfer (0 = 300 s) */
  long low_speed_limit;    /* bytes/s below which a transfer stalls (0 = 1) */
  long low_speed_time;     /* seconds a stall may last (0 = 30) */
  size_t max_response;     /* bytes of one response body (0 = 64 MiB) */
  int max_redirects;       /* same-origin redirects followed (0 = 5) */
  long poll_interval_ms;   /* job polling when streaming fails (0 = 3 s) */
  double time_scale;       /* multiplies every back-off and poll sleep;
                              tests use 0.01 (0 = 1.0) */
} quire_client_options;

#define QUIRE_CLIENT_OPTIONS_VERSION 1
#define QUIRE_CLIENT_OPTIONS_INIT                                              \
  { QUIRE_CLIENT_OPTIONS_VERSION, NULL, NULL, NULL, 2, 0, 0, 0, 0, 0, 0, 0, 0 }

/*
 * Creates a client. opts->api_key is required and must be printable ASCII.
 * Errors: QUIRE_EINVAL (no key, a key with control characters, a base URL
 * that is not https or loopback http, or that carries credentials, a query
 * or a fragment), QUIRE_EUNSUPPORTED, QUIRE_ENOMEM.
 */
QUIRE_EXTERN int quire_client_new(quire_client **out,
                                  const quire_client_options *opts,
                                  quire_error *err);
QUIRE_EXTERN void quire_client_free(quire_client *client);

/*
 * Makes every following call send X-Request-Id: request_id (kept across its
 * retries) instead of a new req_<hex> per call, so a caller can tie the
 * server's logs to its own; NULL goes back to generated ids. 1 to 64
 * printable ASCII characters without spaces (QUIRE_EINVAL otherwise).
 */
QUIRE_EXTERN int quire_client_set_request_id(quire_client *client,
                                             const char *request_id,
                                             quire_error *err);

/* The most bytes an upload's url may give (quire_upload_request.url);
 * 0 = the default, 5 GiB (the SDKs' cap). QUIRE_EINVAL when negative. */
QUIRE_EXTERN int quire_client_set_max_media(quire_client *client,
                                            long long bytes, quire_error *err);

/*
 * GET /v1/reports/{report_id}: appends the report JSON, as received (but
 * for the API key, redacted), to out (caller-owned; dispose it). Decode it with
 * quire_doc_parse(). Errors: the common ones; QUIRE_EINVAL for an empty id.
 */
QUIRE_EXTERN int quire_client_get_report(quire_buf *out, quire_client *client,
                                         const char *report_id,
                                         quire_error *err);

/*
 * GET /v1/reports/by-job/{job_id}: the report a job produced, as above.
 * Errors: QUIRE_ENOTREADY when the server answers JSON null or an empty
 * body (the report does not exist yet); the common ones.
 */
QUIRE_EXTERN int quire_client_get_report_by_job(quire_buf *out,
                                                quire_client *client,
                                                const char *job_id,
                                                quire_error *err);

/*
 * GET /v1/matching/{matching_id} and GET /v1/matching/by-job/{job_id}: a
 * matching result (two people's behavioural compatibility), as the two
 * calls above. quire_doc_parse() reads it like a report.
 */
QUIRE_EXTERN int quire_client_get_matching(quire_buf *out, quire_client *client,
                                           const char *matching_id,
                                           quire_error *err);
QUIRE_EXTERN int quire_client_get_matching_by_job(quire_buf *out,
                                                  quire_client *client,
                                                  const char *job_id,
                                                  quire_error *err);

/* GET /v1/jobs/{job_id}. *out is the caller's (quire_job_free). Errors: the
 * common ones; QUIRE_ESERVER for an answer that is not a job, has no status
 * or has one this library does not know. */
QUIRE_EXTERN int quire_client_get_job(quire_job **out, quire_client *client,
                                      const char *job_id, quire_error *err);

/*
 * POST /v1/jobs/{job_id}/cancel: asks the server to cancel a job and stores
 * the job as it answered in *out (the caller's; quire_job_free). A job that
 * had already finished keeps its status: read it. Sent with a generated
 * Idempotency-Key, so a retried cancel stays one cancel.
 * Errors: the common ones.
 */
QUIRE_EXTERN int quire_client_cancel_job(quire_job **out, quire_client *client,
                                         const char *job_id, quire_error *err);

/*
 * The report of a succeeded job: by job's report id when it has one, else
 * by job id (GET /v1/reports/by-job/{id}). A matching job (type
 * "matching.generate", or a matchingId) gives its matching result from
 * /v1/matching/ the same way. Appends it to out.
 * Errors: QUIRE_ENOTREADY, QUIRE_EJOBFAILED / QUIRE_EJOBCANCELED when the
 * job ended that way, the common ones.
 */
QUIRE_EXTERN int quire_client_get_job_report(quire_buf *out,
                                             quire_client *client,
                                             const quire_job *job,
                                             quire_error *err);

/* Report targets (the contract's target.strategy). */
typedef enum quire_target {
  QUIRE_TARGET_DOMINANT = 0, /* the dominant speaker (default) */
  QUIRE_TARGET_TIMERANGE,    /* target_start / target_end seconds */
  QUIRE_TARGET_ENTITY_ID,    /* target_entity_id */
  QUIRE_TARGET_MAGIC_HINT,   /* target_hint: free text */
  QUIRE_TARGET_SPEAKER_INDEX /* target_speaker_index */
} quire_target;

/* A report job to create. Strings are borrowed for the call only. */
typedef struct quire_job_request {
  unsigned version;            /* QUIRE_JOB_REQUEST_VERSION */
  const char *media_id;        /* required */
  const char *template_name;   /* required: "general_report", ... */
  const char *template_params; /* a JSON object as text, or NULL */
  quire_target target;         /* strategy */
  double target_start;         /* timerange seconds; < 0 = open */
  double target_end;           /* timerange seconds; < 0 = open */
  const char *target_entity_id;
  const char *target_hint;
  long target_speaker_index;    /* >= 0 with QUIRE_TARGET_SPEAKER_INDEX */
  int target_fallback_dominant; /* on_miss: 1 = "fallback_dominant",
                                   0 = "error" */
  const char *webhook_url;      /* or NULL */
  const char *label;            /* or NULL; 1..64 characters */
  const char *entity_label;     /* or NULL; 1..64 characters */
  const char *idempotency_key;  /* NULL = a new "idem_<uuid>" */
  /* Version 2: custom headers the server attaches to each webhook delivery
   * (webhook.headers), "Name: value" each; needs webhook_url. A name must
   * be an HTTP token and no line may hold CR, LF or another control
   * character. Version 1 requests (without these fields) are still read. */
  const char *const *webhook_headers;
  size_t webhook_header_count;
} quire_job_request;

#define QUIRE_JOB_REQUEST_VERSION 2
#define QUIRE_JOB_REQUEST_INIT                                                 \
  {                                                                            \
    QUIRE_JOB_REQUEST_VERSION, NULL, NULL, NULL, QUIRE_TARGET_DOMINANT, -1,    \
        -1, NULL, NULL, -1, 0, NULL, NULL, NULL, NULL, NULL, 0                 \
  }

/*
 * POST /v1/reports/jobs with an Idempotency-Key header (retried safely under
 * that key). *out is the new job (status queued or running; the caller's).
 * idem_out, when not NULL, gets the key used appended, even when the call
 * fails: creating again with that key cannot make a second job.
 * Errors: QUIRE_EINVAL (missing media or template, a template_params that
 * is not a JSON object, a target without its value, a webhook header that
 * is not "Name: value" or holds a control character, or comes without a
 * webhook_url), the common ones.
 */
QUIRE_EXTERN int quire_client_create_job(quire_job **out, quire_buf *idem_out,
                                         quire_client *client,
                                         const quire_job_request *req,
                                         quire_error *err);

/*
 * One subject of a matching job: a known entity (entity_id), or a speaker
 * in an uploaded media file (media_id) picked by the same selectors a
 * report job's target uses. Set exactly one of entity_id and media_id.
 */
typedef struct quire_subject {
  const char *entity_id;  /* {type: "entity_id", entityId} */
  const char *media_id;   /* {type: "media_target", mediaId, selector} */
  quire_target strategy;  /* media: how to pick the speaker */
  double start, end;      /* QUIRE_TARGET_TIMERANGE seconds; < 0 = open */
  const char *entity_sel; /* QUIRE_TARGET_ENTITY_ID */
  const char *hint;       /* QUIRE_TARGET_MAGIC_HINT */
  long speaker_index;     /* QUIRE_TARGET_SPEAKER_INDEX, >= 0 */
  int fallback_dominant;  /* on_miss "fallback_dominant" (else "error") */
} quire_subject;

#define QUIRE_SUBJECT_INIT                                                     \
  { NULL, NULL, QUIRE_TARGET_DOMINANT, -1, -1, NULL, NULL, -1, 0 }

/* A matching job to create: target compared with each group member.
 * Strings and the group array are borrowed for the call only. */
typedef struct quire_matching_request {
  unsigned version;    /* QUIRE_MATCHING_REQUEST_VERSION */
  const char *context; /* NULL = "behavioral_compatibility" */
  quire_subject target;
  const quire_subject *group; /* 1 to 64 members */
  size_t group_count;
  const char *webhook_url;     /* matching.completed / .failed, or NULL */
  const char *idempotency_key; /* NULL = a new "idem_<uuid>" */
  /* Version 2: webhook.headers, as in quire_job_request. */
  const char *const *webhook_headers;
  size_t webhook_header_count;
} quire_matching_request;

#define QUIRE_MATCHING_REQUEST_VERSION 2
#define QUIRE_MATCHING_REQUEST_INIT                                            \
  {                                                                            \
    QUIRE_MATCHING_REQUEST_VERSION, NULL, QUIRE_SUBJECT_INIT, NULL, 0, NULL,   \
        NULL, NULL, 0                                                          \
  }

/*
 * POST /v1/matching/jobs, as quire_client_create_job(): the key is sent as
 * Idempotency-Key (and in the body when the caller gave it), appended to
 * idem_out even when the call fails. The job's result comes from
 * quire_client_wait_report() or quire_client_get_matching().
 * Errors: QUIRE_EINVAL (no group, a subject with neither or both ids, a
 * selector without its value), the common ones.
 */
QUIRE_EXTERN int quire_client_create_matching_job(
    quire_job **out, quire_buf *idem_out, quire_client *client,
    const quire_matching_request *req, quire_error *err);

/* Called whenever a waited-for job reports a new status, stage or progress. */
typedef void (*quire_job_progress_fn)(const quire_job *job, void *payload);

/*
 * Called with every event of the job's stream as it arrives, what the SDKs'
 * stream() gives: type ("status", "stage", "terminal", "heartbeat", "error"
 * or any other the server sends), the event's id ("" when none) and its data
 * as received, the API key redacted; job is the job as known after it. While
 * polling (no stream), each GET /v1/jobs/{id} answer comes as type "job"
 * with the job's JSON as data.
 */
typedef void (*quire_job_event_fn)(const char *type, const char *id,
                                   const char *data, size_t len,
                                   const quire_job *job, void *payload);
/* Asked between events, during back-off and at least once a second during a
 * transfer; non-zero aborts the wait with QUIRE_EABORTED. */
typedef int (*quire_wait_cancel_fn)(void *payload);

/* What the SDKs' stream() and an abort signal give, for
 * quire_client_wait_job_hooks / quire_client_wait_report_hooks. */
typedef struct quire_wait_hooks {
  unsigned version;               /* QUIRE_WAIT_HOOKS_VERSION */
  quire_job_event_fn event;       /* every raw event; optional */
  quire_wait_cancel_fn cancel;    /* non-zero aborts; optional */
  const volatile int *abort_flag; /* non-zero aborts (a signal handler may
                                     set it); optional */
  void *payload;                  /* passed to event and cancel */
} quire_wait_hooks;

#define QUIRE_WAIT_HOOKS_VERSION 1
#define QUIRE_WAIT_HOOKS_INIT                                                  \
  { QUIRE_WAIT_HOOKS_VERSION, NULL, NULL, NULL, NULL }

#define QUIRE_WAIT_POLL                                                        \
  (1u << 0) /* poll GET /v1/jobs/{id}; no event stream                         \
             */

typedef struct quire_wait_options {
  unsigned version;               /* QUIRE_WAIT_OPTIONS_VERSION */
  unsigned flags;                 /* QUIRE_WAIT_* */
  long timeout_ms;                /* overall deadline (0 = 300 s) */
  quire_job_progress_fn progress; /* optional */
  void *payload;                  /* passed to progress */
} quire_wait_options;

#define QUIRE_WAIT_OPTIONS_VERSION 1
#define QUIRE_WAIT_OPTIONS_INIT                                                \
  { QUIRE_WAIT_OPTIONS_VERSION, 0, 0, NULL, NULL }

/*
 * Waits until a job reaches a terminal status. Follows the job's event
 * stream (GET /v1/jobs/{id}/stream), resuming with Last-Event-ID after a
 * drop; after 3 failed reconnects, or when the server has no stream, it
 * polls GET /v1/jobs/{id} every poll_interval_ms. *out is the succeeded job
 * (the caller's). Errors: QUIRE_EJOBFAILED (err->message has the job's error
 * code and message), QUIRE_EJOBCANCELED, QUIRE_ETIMEOUT (the deadline
 * passed), the common ones.
 */
QUIRE_EXTERN int quire_client_wait_job(quire_job **out, quire_client *client,
                                       const char *job_id,
                                       const quire_wait_options *opts,
                                       quire_error *err);
/*
 * The same with hooks (NULL = none): hooks->event gets every raw event;
 * hooks->cancel and hooks->abort_flag are asked between events, every 50 ms
 * of a back-off or poll interval and at least once a second during a
 * transfer, and stop the wait with QUIRE_EABORTED (the job itself goes on:
 * quire_client_cancel_job cancels it).
 */
QUIRE_EXTERN int
quire_client_wait_job_hooks(quire_job **out, quire_client *client,
                            const char *job_id, const quire_wait_options *opts,
                            const quire_wait_hooks *hooks, quire_error *err);

/*
 * quire_client_wait_job, then quire_client_get_job_report, asking again
 * every poll interval while the report is not ready, all within the one
 * deadline. Appends the report JSON to out. Errors: as those two.
 */
QUIRE_EXTERN int quire_client_wait_report(quire_buf *out, quire_client *client,
                                          const char *job_id,
                                          const quire_wait_options *opts,
                                          quire_error *err);
QUIRE_EXTERN int quire_client_wait_report_hooks(quire_buf *out,
                                                quire_client *client,
                                                const char *job_id,
                                                const quire_wait_options *opts,
                                                const quire_wait_hooks *hooks,
                                                quire_error *err);

typedef enum quire_job_status {
  QUIRE_JOB_UNKNOWN = 0,
  QUIRE_JOB_QUEUED,
  QUIRE_JOB_RUNNING,
  QUIRE_JOB_SUCCEEDED, /* terminal */
  QUIRE_JOB_FAILED,    /* terminal */
  QUIRE_JOB_CANCELED   /* terminal */
} quire_job_status;

/* Unknown stages from the server are ignored and read as NONE. */
typedef enum quire_job_stage {
  QUIRE_STAGE_NONE = 0,
  QUIRE_STAGE_UPLOADED,
  QUIRE_STAGE_QUEUED,
  QUIRE_STAGE_TRANSCODING,
  QUIRE_STAGE_EXTRACTING,
  QUIRE_STAGE_SCORING,
  QUIRE_STAGE_RENDERING,
  QUIRE_STAGE_FINALIZING
} quire_job_stage;

QUIRE_EXTERN void quire_job_free(quire_job *job);
/* Job getters. Strings are borrowed, live as long as the job, are free of
 * control characters, and are NULL when the server sent no such value. */
QUIRE_EXTERN const char *quire_job_id(const quire_job *job);
QUIRE_EXTERN const char *quire_job_type(const quire_job *job);
QUIRE_EXTERN quire_job_status quire_job_status_of(const quire_job *job);
QUIRE_EXTERN quire_job_stage quire_job_stage_of(const quire_job *job);
/* 0..1, or -1 when the server gave none. Advisory. */
QUIRE_EXTERN double quire_job_progress(const quire_job *job);
QUIRE_EXTERN const char *quire_job_report_id(const quire_job *job);
QUIRE_EXTERN const char *quire_job_matching_id(const quire_job *job);
QUIRE_EXTERN const char *quire_job_error_code(const quire_job *job);
QUIRE_EXTERN const char *quire_job_error_message(const quire_job *job);
QUIRE_EXTERN const char *quire_job_created_at(const quire_job *job);
QUIRE_EXTERN const char *quire_job_updated_at(const quire_job *job);
/* Seconds the server estimated on creation, or -1. */
QUIRE_EXTERN double quire_job_estimated_wait(const quire_job *job);
/* The job's usage {creditsUsed, creditsNetUsed, creditsDiscounted,
 * durationMs, modelVersion} and credits {reservedCredits,
 * reservationStatus}, releasedCredits: numbers are -1 and strings NULL when
 * the server sent none. */
QUIRE_EXTERN double quire_job_credits_used(const quire_job *job);
QUIRE_EXTERN double quire_job_credits_net_used(const quire_job *job);
QUIRE_EXTERN double quire_job_credits_discounted(const quire_job *job);
QUIRE_EXTERN double quire_job_duration_ms(const quire_job *job);
QUIRE_EXTERN const char *quire_job_model_version(const quire_job *job);
QUIRE_EXTERN double quire_job_credits_reserved(const quire_job *job);
/* "active", "released" or "applied", as the server sent it. */
QUIRE_EXTERN const char *quire_job_reservation_status(const quire_job *job);
QUIRE_EXTERN double quire_job_credits_released(const quire_job *job);
/* The JSON text the job was read from (a job, a create receipt, or the last
 * stream event). Never NULL. */
QUIRE_EXTERN const char *quire_job_json(const quire_job *job);
/* 1 for succeeded, failed and canceled. */
QUIRE_EXTERN int quire_job_status_is_terminal(quire_job_status status);
/* "queued", ..., "finalizing"; NULL for UNKNOWN / NONE. */
QUIRE_EXTERN const char *quire_job_status_name(quire_job_status status);
QUIRE_EXTERN const char *quire_job_stage_name(quire_job_stage stage);

/* ---- Media files and entities ---- */

typedef struct quire_file quire_file;     /* a media file */
typedef struct quire_entity quire_entity; /* a person across recordings */
typedef struct quire_page quire_page;     /* one page of a list */

/* Called as an upload goes: bytes sent so far and in all (0 = unknown). */
typedef void (*quire_upload_progress_fn)(long long sent, long long total,
                                         void *payload);

/* A file to upload. Strings are borrowed for the call only. */
typedef struct quire_upload_request {
  unsigned version;            /* QUIRE_UPLOAD_REQUEST_VERSION */
  const char *path;            /* required: read from disk as it is sent */
  const char *filename;        /* sent with the part; NULL = path's name */
  const char *content_type;    /* NULL = libcurl's guess from the name */
  const char *label;           /* the text field "label", or NULL */
  const char *idempotency_key; /* NULL = a new "idem_<uuid>" */
  quire_upload_progress_fn progress; /* optional */
  void *payload;                     /* passed to progress */
  /* Instead of path: a URL (https, or http to loopback), as the SDKs'
   * Source::url. quire fetches it without the API key and streams it into
   * the upload as it arrives (nothing stored, a 256 KiB buffer whatever
   * its size); each attempt fetches it again from the start. At most
   * quire_client_set_max_media() bytes (5 GiB). */
  const char *url;
} quire_upload_request;

#define QUIRE_UPLOAD_REQUEST_VERSION 1
#define QUIRE_UPLOAD_REQUEST_INIT                                              \
  {                                                                            \
    QUIRE_UPLOAD_REQUEST_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, NULL,    \
        NULL                                                                   \
  }

/*
 * POST /v1/files, multipart: part "file" (with its filename) streamed from
 * req->path as libcurl sends it, so a file of any size uploads in constant
 * memory, and the text field "label". Sent with an Idempotency-Key (appended
 * to idem_out, even when the call fails) and retried like any call: each
 * attempt sends the file again from its beginning under the same key.
 * *out is the file the server made (the caller's; quire_file_free).
 * Errors: QUIRE_EINVAL (no path or url, or both; a url that is not https
 * or loopback http), QUIRE_EIO (the file cannot be read), QUIRE_ENET (the
 * url could not be fetched: its HTTP status, or where its connection
 * broke, in the message; a 5xx or a broken connection is retried like
 * the upload), QUIRE_ETOOBIG (the url gives more than the client's media
 * cap), the common ones.
 */
QUIRE_EXTERN int quire_client_upload(quire_file **out, quire_buf *idem_out,
                                     quire_client *client,
                                     const quire_upload_request *req,
                                     quire_error *err);

/* GET /v1/files/{media_id}; DELETE /v1/files/{media_id} (*out says
 * deleted); PATCH /v1/files/{media_id}/retention {lock}. A file that was
 * deleted answers {error: "gone"} (HTTP 410): QUIRE_ENOTFOUND, saying so. */
QUIRE_EXTERN int quire_client_get_file(quire_file **out, quire_client *client,
                                       const char *media_id, quire_error *err);
QUIRE_EXTERN int quire_client_delete_file(quire_file **out,
                                          quire_client *client,
                                          const char *media_id,
                                          quire_error *err);
QUIRE_EXTERN int quire_client_set_file_retention(quire_file **out,
                                                 quire_client *client,
                                                 const char *media_id, int lock,
                                                 quire_error *err);

/* One page of a list. */
typedef struct quire_list_request {
  unsigned version;    /* QUIRE_LIST_REQUEST_VERSION */
  int limit;           /* 1..100; 0 = the server's default (20) */
  const char *cursor;  /* from the previous page, or NULL for the first */
  int include_deleted; /* files: list deleted ones too */
} quire_list_request;

#define QUIRE_LIST_REQUEST_VERSION 1
#define QUIRE_LIST_REQUEST_INIT                                                \
  { QUIRE_LIST_REQUEST_VERSION, 0, NULL, 0 }

/* GET /v1/files?limit&cursor&includeDeleted and GET /v1/entities?limit&
 * cursor: one page (the caller's; quire_page_free). The next page's cursor
 * is quire_page_next_cursor() (files: nextCursor; entities: cursor).
 * Errors: QUIRE_EINVAL (limit outside 0..100), QUIRE_ESERVER (not a page),
 * the common ones. */
QUIRE_EXTERN int quire_client_list_files(quire_page **out, quire_client *client,
                                         const quire_list_request *req,
                                         quire_error *err);
QUIRE_EXTERN int quire_client_list_entities(quire_page **out,
                                            quire_client *client,
                                            const quire_list_request *req,
                                            quire_error *err);

/* Called with each page of a list; non-zero stops the walk, and is what
 * the walk returns. */
typedef int (*quire_list_page_fn)(const quire_page *page, void *payload);

/*
 * Every page of a list, from req->cursor on, following the cursor while
 * the server says hasMore: each is called with each page in turn. A list
 * that would not end is the server's fault, QUIRE_ESERVER: hasMore
 * without a cursor, a cursor the walk has already sent (a loop), or more
 * than 10000 pages. A page over the client's max_response is
 * QUIRE_ETOOBIG, as for one page.
 */
QUIRE_EXTERN int quire_client_list_files_each(quire_client *client,
                                              const quire_list_request *req,
                                              quire_list_page_fn each,
                                              void *payload, quire_error *err);
QUIRE_EXTERN int quire_client_list_entities_each(quire_client *client,
                                                 const quire_list_request *req,
                                                 quire_list_page_fn each,
                                                 void *payload,
                                                 quire_error *err);
/*
 * The same walk gathered into one page (the caller's) holding every item,
 * without a next cursor; its JSON is {"files"|"entities": [...],
 * "hasMore": false}. Errors: as the walk, and QUIRE_ETOOBIG when the items
 * together pass max_response.
 */
QUIRE_EXTERN int quire_client_list_files_all(quire_page **out,
                                             quire_client *client,
                                             const quire_list_request *req,
                                             quire_error *err);
QUIRE_EXTERN int quire_client_list_entities_all(quire_page **out,
                                                quire_client *client,
                                                const quire_list_request *req,
                                                quire_error *err);

/* GET /v1/entities/{id}; PATCH /v1/entities/{id} {label}: label is trimmed
 * and must then be 1..64 characters (checked before sending: QUIRE_EINVAL);
 * NULL clears it (label: null). */
QUIRE_EXTERN int quire_client_get_entity(quire_entity **out,
                                         quire_client *client, const char *id,
                                         quire_error *err);
QUIRE_EXTERN int quire_client_set_entity_label(quire_entity **out,
                                               quire_client *client,
                                               const char *id,
                                               const char *label,
                                               quire_error *err);

/* Getters: borrowed strings, NULL when absent, free of control characters
 * and of the API key. Numbers are -1 when absent. */
QUIRE_EXTERN void quire_file_free(quire_file *file);
QUIRE_EXTERN const char *quire_file_media_id(const quire_file *file);
QUIRE_EXTERN const char *quire_file_label(const quire_file *file);
QUIRE_EXTERN const char *quire_file_content_type(const quire_file *file);
QUIRE_EXTERN const char *quire_file_created_at(const quire_file *file);
QUIRE_EXTERN long long quire_file_size(const quire_file *file);
QUIRE_EXTERN double quire_file_duration(const quire_file *file);
/* 1 locked, 0 not, -1 unknown; quire_file_deleted: 1 when deleted. */
QUIRE_EXTERN int quire_file_retention_lock(const quire_file *file);
QUIRE_EXTERN int quire_file_deleted(const quire_file *file);
/* The JSON the file was read from. Never NULL. */
QUIRE_EXTERN const char *quire_file_json(const quire_file *file);

QUIRE_EXTERN void quire_entity_free(quire_entity *entity);
QUIRE_EXTERN const char *quire_entity_id(const quire_entity *entity);
QUIRE_EXTERN const char *quire_entity_label(const quire_entity *entity);
QUIRE_EXTERN const char *quire_entity_created_at(const quire_entity *entity);
QUIRE_EXTERN const char *quire_entity_last_seen_at(const quire_entity *entity);
QUIRE_EXTERN long long quire_entity_media_count(const quire_entity *entity);
QUIRE_EXTERN const char *quire_entity_json(const quire_entity *entity);

QUIRE_EXTERN void quire_page_free(quire_page *page);
/* Items of a files page (quire_page_file) or an entities page
 * (quire_page_entity; the other one gives NULL). Borrowed from the page. */
QUIRE_EXTERN size_t quire_page_count(const quire_page *page);
QUIRE_EXTERN const quire_file *quire_page_file(const quire_page *page,
                                               size_t i);
QUIRE_EXTERN const quire_entity *quire_page_entity(const quire_page *page,
                                                   size_t i);
QUIRE_EXTERN int quire_page_has_more(const quire_page *page);
/* NULL on the last page. */
QUIRE_EXTERN const char *quire_page_next_cursor(const quire_page *page);
QUIRE_EXTERN const char *quire_page_json(const quire_page *page);

/* ---- Webhooks (no libcurl needed) ---- */

typedef struct quire_webhook_options {
  unsigned version; /* QUIRE_WEBHOOK_OPTIONS_VERSION */
  long tolerance;   /* seconds either side of now (<= 0 = 300) */
  long long now;    /* Unix time to check against (0 = the clock) */
} quire_webhook_options;

#define QUIRE_WEBHOOK_OPTIONS_VERSION 1
#define QUIRE_WEBHOOK_OPTIONS_INIT                                             \
  { QUIRE_WEBHOOK_OPTIONS_VERSION, 0, 0 }

/*
 * Verifies a webhook delivery. headers holds the request's header lines
 * ("Name: value"; others are ignored). The signature header is
 * conduit-signature (or the legacy mappa-signature), any case:
 * "t=<unix seconds>,v1=<hex>", an HMAC-SHA256 with key secret over
 * "<t>.<body>", compared in constant time. body is the raw request body.
 * opts may be NULL.
 * Errors: QUIRE_ESIGNATURE (missing, duplicated header or component,
 * malformed, stale or wrong; the message says which), QUIRE_EINVAL.
 */
QUIRE_EXTERN int quire_webhook_verify(const char *const *headers,
                                      size_t nheaders, const char *body,
                                      size_t body_len, const char *secret,
                                      size_t secret_len,
                                      const quire_webhook_options *opts,
                                      quire_error *err);

typedef enum quire_webhook_kind {
  QUIRE_WEBHOOK_UNKNOWN = 0,        /* another type; data passes through */
  QUIRE_WEBHOOK_REPORT_COMPLETED,   /* job_id, report_id */
  QUIRE_WEBHOOK_REPORT_FAILED,      /* job_id, error code/message */
  QUIRE_WEBHOOK_MATCHING_COMPLETED, /* job_id, matching_id */
  QUIRE_WEBHOOK_MATCHING_FAILED     /* job_id, error code/message */
} quire_webhook_kind;

typedef struct quire_webhook_event quire_webhook_event;

/*
 * Parses a verified webhook body: {id, type, createdAt, timestamp, data}
 * (legacy mappa deliveries have no id/createdAt). Deliveries are
 * at-least-once: dedupe on quire_webhook_event_id(). *out is the caller's.
 * Errors: QUIRE_ESYNTAX (not JSON), QUIRE_ESCHEMA (a known type whose data
 * lacks jobId, reportId / matchingId or error; err->path says where),
 * QUIRE_ETOOBIG, QUIRE_ENOMEM.
 */
QUIRE_EXTERN int quire_webhook_parse_event(quire_webhook_event **out,
                                           const char *body, size_t len,
                                           quire_error *err);
QUIRE_EXTERN void quire_webhook_event_free(quire_webhook_event *event);
/* Getters: borrowed strings, NULL when absent, free of control characters. */
QUIRE_EXTERN quire_webhook_kind
quire_webhook_event_kind(const quire_webhook_event *event);
QUIRE_EXTERN const char *
quire_webhook_event_id(const quire_webhook_event *event);
QUIRE_EXTERN const char *
quire_webhook_event_type(const quire_webhook_event *event);
/* createdAt, else timestamp. */
QUIRE_EXTERN const char *
quire_webhook_event_created_at(const quire_webhook_event *event);
QUIRE_EXTERN const char *
quire_webhook_event_job_id(const quire_webhook_event *event);
QUIRE_EXTERN const char *
quire_webhook_event_report_id(const quire_webhook_event *event);
QUIRE_EXTERN const char *
quire_webhook_event_matching_id(const quire_webhook_event *event);
QUIRE_EXTERN const char *
quire_webhook_event_status(const quire_webhook_event *event);
QUIRE_EXTERN const char *
quire_webhook_event_error_code(const quire_webhook_event *event);
QUIRE_EXTERN const char *
quire_webhook_event_error_message(const quire_webhook_event *event);
/* The data object as compact JSON text. Never NULL. */
QUIRE_EXTERN const char *
quire_webhook_event_data(const quire_webhook_event *event);

/* ------------------------------------------------------------------ */
/* Templates (HTML look; see templates/README.md)                     */
/* ------------------------------------------------------------------ */

/* The i-th built-in template directory name ("default", "sales_playbook",
 * ...), in a stable order; NULL when i is past the end. Borrowed, static. */
QUIRE_EXTERN const char *quire_template_name(size_t i);

/* The i-th file of the built-in default template, relative to its
 * directory ("layout.mustache", "partials/card.mustache", "style.css",
 * "theme.json"): every template can use or override each of them. NULL
 * when i is past the end. Borrowed, static. */
QUIRE_EXTERN const char *quire_template_file(size_t i);

/*
 * Appends to out where template name reads file from, following the search
 * order (user_dir/name, user_dir/default, built-in name, built-in default):
 * a path, or "built-in:templates/<dir>/<file>". user_dir may be NULL.
 * Errors: QUIRE_ENOTFOUND (no such file anywhere), QUIRE_EINVAL,
 * QUIRE_ENOMEM.
 */
QUIRE_EXTERN int quire_template_origin(quire_buf *out, const char *user_dir,
                                       const char *name, const char *file);

/*
 * Appends to out the contents of the file template name reads, by the same
 * search order (so a designer can start from the exact file in use).
 * Errors: QUIRE_ENOTFOUND, QUIRE_EIO, QUIRE_EINVAL, QUIRE_ENOMEM.
 */
QUIRE_EXTERN int quire_template_read(quire_buf *out, const char *user_dir,
                                     const char *name, const char *file);

/*
 * Checks template set name (a built-in template or a directory in
 * user_dir; user_dir may be NULL) as a render would use it: every
 * .mustache file of the set, the partials no report happens to use
 * included, is compiled, and every name a tag looks up is checked against
 * the documented view (templates/README.md). Each unknown name ({{titel}},
 * which Mustache renders as nothing) is passed to fn, which may be NULL.
 * Returns 0 when the set is clean; QUIRE_ETEMPLATE for a file that does
 * not compile (err: file, line, column, why) or after unknown names (err
 * counts them); QUIRE_EINVAL for a bad name or user_dir; QUIRE_EIO.
 */
typedef struct quire_template_problem {
  const char *file;    /* where the tag is: a path, or built-in:templates/... */
  unsigned line;       /* 1-based */
  unsigned column;     /* 1-based */
  const char *name;    /* the name as written in the tag */
  const char *message; /* one line */
} quire_template_problem;
typedef void (*quire_template_problem_fn)(const quire_template_problem *p,
                                          void *payload);
QUIRE_EXTERN int quire_template_check(const char *user_dir, const char *name,
                                      quire_template_problem_fn fn,
                                      void *payload, quire_error *err);

#ifdef __cplusplus
}
#endif

#endif
