#include "sse.h"

#include "fetch.h"

#include <string.h>

void quire__sse_init(quire__sse *p, size_t max, quire__sse_fn cb,
                     void *payload) {
  memset(p, 0, sizeof *p);
  if (!max)
    max = QUIRE__SSE_MAX_EVENT;
  quire_buf_init(&p->line, max);
  quire_buf_init(&p->data, max);
  quire_buf_init(&p->event, max);
  quire_buf_init(&p->id, max);
  quire_buf_init(&p->last_id, max);
  p->retry_ms = -1;
  p->cb = cb;
  p->payload = payload;
}

void quire__sse_dispose(quire__sse *p) {
  quire_buf_dispose(&p->line);
  quire_buf_dispose(&p->data);
  quire_buf_dispose(&p->event);
  quire_buf_dispose(&p->id);
  quire_buf_dispose(&p->last_id);
}

int quire__sse_set_last_id(quire__sse *p, const char *id) {
  quire_buf_clear(&p->last_id);
  quire_buf_clear(&p->id);
  if (id && (quire_buf_puts(&p->last_id, id) || quire_buf_puts(&p->id, id)))
    return p->stopped = quire_buf_failed(&p->id) ? quire_buf_failed(&p->id)
                                                 : QUIRE_ENOMEM;
  return 0;
}

const char *quire__sse_last_id(const quire__sse *p) { return p->last_id.ptr; }

static int S_fail(quire__sse *p, const quire_buf *b) {
  p->stopped = quire_buf_failed(b) ? quire_buf_failed(b) : QUIRE_ENOMEM;
  return p->stopped;
}

static int S_set(quire__sse *p, quire_buf *b, const char *v, size_t n) {
  quire_buf_clear(b);
  if (quire_buf_put(b, v, n))
    return S_fail(p, b);
  return 0;
}

/* "If the data buffer is an empty string, set the data buffer and the event
 * type buffer to the empty string and return" -- but the last event id is
 * committed first, even then. */
static int S_dispatch(quire__sse *p) {
  if (S_set(p, &p->last_id, p->id.ptr, p->id.size))
    return p->stopped;
  if (p->data.size == 0) {
    quire_buf_clear(&p->event);
    return 0;
  }
  quire_buf_truncate(&p->data, p->data.size - 1); /* the last '\n' */
  quire__sse_event ev;
  ev.type = p->event.size ? p->event.ptr : "message";
  ev.data = p->data.ptr;
  ev.data_len = p->data.size;
  ev.id = p->last_id.ptr;
  int rc = p->cb ? p->cb(&ev, p->payload) : 0;
  quire_buf_clear(&p->data);
  quire_buf_clear(&p->event);
  if (rc)
    p->stopped = rc;
  return rc;
}

static int S_field(const char *f, size_t n, const char *name) {
  return strlen(name) == n && memcmp(f, name, n) == 0;
}

static int S_line(quire__sse *p) {
  const char *l = p->line.ptr;
  size_t n = p->line.size;
  int rc = 0;
  if (n == 0)
    return S_dispatch(p);
  if (l[0] == ':') { /* comment: servers use these as keep-alives */
    quire_buf_clear(&p->line);
    return 0;
  }
  const char *colon = memchr(l, ':', n);
  size_t flen = colon ? (size_t)(colon - l) : n;
  const char *v = colon ? colon + 1 : l + n;
  size_t vlen = colon ? n - flen - 1 : 0;
  if (vlen && *v == ' ') { /* exactly one space after the colon */
    v++;
    vlen--;
  }
  if (S_field(l, flen, "event")) {
    rc = S_set(p, &p->event, v, vlen);
  } else if (S_field(l, flen, "data")) {
    if (quire_buf_put(&p->data, v, vlen) || quire_buf_putc(&p->data, '\n'))
      rc = S_fail(p, &p->data);
  } else if (S_field(l, flen, "id")) {
    if (!memchr(v, '\0', vlen))
      rc = S_set(p, &p->id, v, vlen);
  } else if (S_field(l, flen, "retry")) {
    long ms = 0;
    size_t i;
    for (i = 0; i < vlen && v[i] >= '0' && v[i] <= '9'; i++)
      if (ms < 100000000L)
        ms = ms * 10 + (v[i] - '0');
    if (vlen && i == vlen)
      p->retry_ms = ms;
  }
  /* Other fields are ignored, as the spec says. */
  quire_buf_clear(&p->line);
  return rc;
}

int quire__sse_feed(quire__sse *p, const char *data, size_t len) {
  static const char bom[3] = {'\xEF', '\xBB', '\xBF'};
  size_t i = 0;
  if (p->stopped)
    return p->stopped;
  while (i < len) {
    if (p->bom < 3) {
      if (data[i] == bom[p->bom]) {
        p->bom++;
        i++;
        continue;
      }
      /* Not a BOM after all: what matched is ordinary text. */
      int matched = p->bom;
      p->bom = 3;
      if (matched && quire_buf_put(&p->line, bom, (size_t)matched))
        return S_fail(p, &p->line);
      continue;
    }
    if (p->after_cr) {
      p->after_cr = 0;
      if (data[i] == '\n') {
        i++;
        continue;
      }
    }
    size_t j = i;
    while (j < len && data[j] != '\n' && data[j] != '\r')
      j++;
    if (j > i && quire_buf_put(&p->line, data + i, j - i))
      return S_fail(p, &p->line);
    if (j == len)
      break;
    p->after_cr = data[j] == '\r';
    i = j + 1;
    int rc = S_line(p);
    if (rc)
      return rc;
  }
  return 0;
}
