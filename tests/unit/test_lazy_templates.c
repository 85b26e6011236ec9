/* A renderer over built-in templates compiles them on its first HTML
 * render, never for text, PDF or page counts (quire.h), and exactly once
 * when several threads make that first HTML render at once; a renderer
 * over a user template directory compiles it when built, so a broken file
 * is reported by quire_renderer_new() (tests/unit/test_threads.c checks the
 * error itself). quire__template_completed() counts the compiled sets. */
#include "harness.h"

#include "internal.h"
#include "template/template.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define S_THREADS 4

typedef struct S_arg {
  const quire_renderer *r;
  const quire_doc *doc;
  quire_buf out;
  int rc;
} S_arg;

static void *S_html(void *p) {
  S_arg *a = p;
  quire_error err;
  quire_error_clear(&err);
  a->rc = quire_renderer_render_buf(&a->out, a->r, a->doc, QUIRE_FORMAT_HTML,
                                    NULL, &err);
  return NULL;
}

static void S_write(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  T_OK(f != NULL);
  if (f) {
    fputs(text, f);
    fclose(f);
  }
}

int main(void) {
  T_INT_EQ(quire_global_init(), 0);
  quire_doc *doc = NULL;
  quire_error err;
  quire_error_clear(&err);
  T_INT_EQ(
      quire_doc_parse_file(&doc, "samples/v2/sales_playbook.json", NULL, &err),
      0);
  if (!doc)
    return T_done("lazy_templates");

  unsigned long before = quire__template_completed();
  quire_renderer *r = NULL;
  T_INT_EQ(quire_renderer_new(&r, NULL, &err), 0);
  T_INT_EQ(quire__template_completed(), before);

  /* Text, page counts and PDF read no template. */
  quire_buf b = QUIRE_BUF_INIT;
  T_INT_EQ(quire_renderer_render_buf(&b, r, doc, QUIRE_FORMAT_TEXT, NULL, &err),
           0);
  T_OK(b.size > 0);
  int pages = 0;
  T_INT_EQ(quire_renderer_page_count(&pages, r, doc, NULL, &err), 0);
  T_OK(pages > 0);
  quire_buf_clear(&b);
  int prc = quire_renderer_render_buf(&b, r, doc, QUIRE_FORMAT_PDF, NULL, &err);
  T_CHECK(prc == 0 || prc == QUIRE_EUNSUPPORTED, "pdf: %s", err.message);
  T_INT_EQ(quire__template_completed(), before);

  /* The first HTML renders, from several threads at once: one compile,
   * and every thread's page equal to the simple call's. */
  S_arg args[S_THREADS];
  pthread_t th[S_THREADS];
  for (int i = 0; i < S_THREADS; i++) {
    args[i] = (S_arg){r, doc, QUIRE_BUF_INIT, -1};
    T_INT_EQ(pthread_create(&th[i], NULL, S_html, &args[i]), 0);
  }
  for (int i = 0; i < S_THREADS; i++)
    pthread_join(th[i], NULL);
  T_INT_EQ(quire__template_completed(), before + 1);
  quire_buf want = QUIRE_BUF_INIT;
  T_INT_EQ(quire_render_buf(&want, doc, QUIRE_FORMAT_HTML, NULL, &err), 0);
  for (int i = 0; i < S_THREADS; i++) {
    T_INT_EQ(args[i].rc, 0);
    T_OK(args[i].out.size == want.size &&
         memcmp(args[i].out.ptr, want.ptr, want.size) == 0);
    quire_buf_dispose(&args[i].out);
  }
  unsigned long after = quire__template_completed();
  quire_buf_clear(&b);
  T_INT_EQ(quire_renderer_render_buf(&b, r, doc, QUIRE_FORMAT_HTML, NULL, &err),
           0);
  T_INT_EQ(quire__template_completed(), after); /* compiled once */
  quire_renderer_free(r);

  /* A user template directory is compiled when the renderer is built. */
  char dir[] = "/tmp/quire-lazy-XXXXXX";
  T_OK(mkdtemp(dir) != NULL);
  char path[300];
  snprintf(path, sizeof path, "%s/default", dir);
  T_OK(mkdir(path, 0755) == 0);
  snprintf(path, sizeof path, "%s/default/extra.css", dir);
  S_write(path, ".user-look { color: red }\n");
  quire_renderer_options o = QUIRE_RENDERER_OPTIONS_INIT;
  o.template_dir = dir;
  o.template_name = "sales_playbook";
  T_INT_EQ(quire_renderer_new(&r, &o, &err), 0);
  T_INT_EQ(quire__template_completed(), after + 1);
  quire_buf_clear(&b);
  T_INT_EQ(quire_renderer_render_buf(&b, r, doc, QUIRE_FORMAT_HTML, NULL, &err),
           0);
  T_INT_EQ(quire__template_completed(), after + 1);
  T_OK(b.size && strstr(b.ptr, ".user-look") != NULL);
  quire_renderer_free(r);
  unlink(path);
  snprintf(path, sizeof path, "%s/default", dir);
  rmdir(path);
  rmdir(dir);

  quire_buf_dispose(&b);
  quire_buf_dispose(&want);
  quire_doc_free(doc);
  return T_done("lazy_templates");
}
