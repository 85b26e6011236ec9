#include "render/lang.h"

#include "safety/text_lang.h"

#include <string.h>

/* The guess reads at most this much of the body (text_lang.c reads no
 * more either): enough words for any report, bounded for a huge one. */
#define S_BODY_MAX (64 * 1024)

static void S_add(quire_buf *b, const char *s) {
  if (!s || !*s || b->size >= S_BODY_MAX)
    return;
  size_t n = strlen(s);
  if (n > S_BODY_MAX - b->size)
    n = S_BODY_MAX - b->size;
  quire_buf_put(b, s, n);
  quire_buf_putc(b, '\n');
}

const char *quire__render_lang(const char *given, const quire_doc *doc,
                               const quire__present *pres) {
  if (given && *given)
    return given;
  quire_buf head = QUIRE_BUF_INIT, body = QUIRE_BUF_INIT;
  S_add(&head, quire__present_title(pres));
  S_add(&head, quire_doc_label(doc));
  S_add(&body, quire__present_summary(pres));
  quire_iter *it = NULL;
  const quire_node *root = quire_doc_root(doc);
  if (root && quire_iter_new(&it, root) == 0) {
    quire_event ev;
    while (body.size < S_BODY_MAX &&
           (ev = quire_iter_next(it)) != QUIRE_EVENT_DONE) {
      if (ev != QUIRE_EVENT_ENTER)
        continue;
      const quire_node *n = quire_iter_node(it);
      S_add(&body, quire_node_title(n));
      S_add(&body, quire_node_literal(n));
      for (size_t i = 0; i < quire_node_phrase_count(n); i++)
        S_add(&body, quire_node_phrase(n, i));
    }
    quire_iter_free(it);
  }
  /* Out of memory only loses the guess. */
  const char *lang =
      quire_buf_failed(&head) || quire_buf_failed(&body)
          ? NULL
          : quire__text_lang(head.ptr, head.size, body.ptr, body.size);
  quire_buf_dispose(&head);
  quire_buf_dispose(&body);
  return lang ? lang : "en";
}
