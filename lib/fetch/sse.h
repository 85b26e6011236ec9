/* An incremental Server-Sent Events parser (WHATWG HTML "Interpreting an
 * event stream"): bytes arrive in any chunking; LF, CRLF and lone CR end
 * lines; ':' lines are comments; data lines join with LF; a UTF-8 BOM at
 * the start is skipped; an id containing NUL is ignored; the last event id
 * is committed at every blank line, for Last-Event-ID on reconnect. */
#ifndef QUIRE_FETCH_SSE_H
#define QUIRE_FETCH_SSE_H

#include "internal.h"

typedef struct quire__sse_event {
  const char *type; /* "message" when the event had no event: field */
  const char *data; /* data lines joined with '\n'; NUL-terminated */
  size_t data_len;
  const char *id; /* last event id so far; "" when none */
} quire__sse_event;

/* Returns 0 to go on, anything else to stop the parse with that value. */
typedef int (*quire__sse_fn)(const quire__sse_event *ev, void *payload);

typedef struct quire__sse {
  quire_buf line;    /* the line being read */
  quire_buf data;    /* data buffer of the pending event */
  quire_buf event;   /* event type buffer */
  quire_buf id;      /* last event id buffer */
  quire_buf last_id; /* committed last event id */
  long retry_ms;     /* last retry: field, or -1 */
  int after_cr;      /* the previous byte was CR: skip one LF */
  int bom;           /* BOM bytes matched so far; 3 = done with the BOM */
  int stopped;       /* sticky result of a failure or a callback stop */
  quire__sse_fn cb;
  void *payload;
} quire__sse;

/* max caps one line and one event's data (0 = QUIRE__SSE_MAX_EVENT). */
void quire__sse_init(quire__sse *p, size_t max, quire__sse_fn cb,
                     void *payload);
/* Feeds len bytes. Returns 0, QUIRE_ETOOBIG (a line or event over the cap),
 * QUIRE_ENOMEM, or the callback's non-zero value; after a non-zero return
 * further feeds return the same value and do nothing. */
int quire__sse_feed(quire__sse *p, const char *data, size_t len);
/* Sets the committed last event id (a resumed stream starts from it). */
int quire__sse_set_last_id(quire__sse *p, const char *id);
const char *quire__sse_last_id(const quire__sse *p);
void quire__sse_dispose(quire__sse *p);

#endif
