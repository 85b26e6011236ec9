/* Two halves. First, every sample parsed from 4 threads at once, over and
 * over: each thread's model dump must equal a single-threaded parse (this
 * caught cmark-gfm's process-global inline tables, which one parser's
 * finish edits under another's feet: autolinks vanished at random in a
 * 2-core batch). Second, one parsed document rendered from 4 threads at
 * once, in every format and PDF engine the library has: each thread's
 * output must equal a single-threaded render byte for byte (quire.h: "a
 * parsed quire_doc is immutable: several threads may render it at once").
 * Formats that answer QUIRE_EUNSUPPORTED are skipped with the reason
 * printed. Every thread renders both through the simple call and through
 * one quire_renderer shared by all threads (quire.h: a built renderer is
 * immutable and needs no lock). Last, the renderer's own contract: errors
 * at build time, strings copied, a look that never changes once built. */
#include "harness.h"
#include "quire.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define S_THREADS 4
#define S_ROUNDS 3

typedef struct S_case {
  const char *label;
  quire_format fmt;
  quire_pdf_engine engine;
} S_case;

static const S_case S_cases[] = {
    {"text", QUIRE_FORMAT_TEXT, QUIRE_PDF_CAIRO},
    {"html", QUIRE_FORMAT_HTML, QUIRE_PDF_CAIRO},
    {"pdf (cairo)", QUIRE_FORMAT_PDF, QUIRE_PDF_CAIRO},
    {"pdf (haru)", QUIRE_FORMAT_PDF, QUIRE_PDF_HARU},
    {"png", QUIRE_FORMAT_PNG, QUIRE_PDF_CAIRO},
};

static const char *const S_samples[] = {
    "samples/v2/sales_playbook.json",
    "samples/legacy/all_blocks.json",
    "samples/intl/multiscript.json",
};

typedef struct S_arg {
  const quire_doc *doc;
  const quire_renderer *renderer; /* shared by every thread */
  const S_case *c;
  const quire_buf *want;
  int mismatches; /* rounds whose output differed */
  int failures;   /* rounds whose render failed */
  char message[512];
} S_arg;

static void S_opts(quire_render_options *o, const S_case *c) {
  quire_render_options d = QUIRE_RENDER_OPTIONS_INIT;
  *o = d;
  o->engine = c->engine;
  o->color = c->fmt == QUIRE_FORMAT_TEXT ? QUIRE_COLOR_256 : QUIRE_COLOR_NONE;
  o->width = 72;
}

static int S_same(const quire_buf *a, const quire_buf *b) {
  return a->size == b->size && memcmp(a->ptr, b->ptr, a->size) == 0;
}

static void *S_thread(void *p) {
  S_arg *a = p;
  quire_render_options o;
  S_opts(&o, a->c);
  for (int r = 0; r < S_ROUNDS; r++) {
    quire_buf out = QUIRE_BUF_INIT;
    quire_error err;
    quire_error_clear(&err);
    if (quire_render_buf(&out, a->doc, a->c->fmt, &o, &err) != 0) {
      a->failures++;
      snprintf(a->message, sizeof a->message, "%s", err.message);
    } else if (!S_same(&out, a->want)) {
      a->mismatches++;
    }
    quire_buf_clear(&out);
    if (quire_renderer_render_buf(&out, a->renderer, a->doc, a->c->fmt, &o,
                                  &err) != 0) {
      a->failures++;
      snprintf(a->message, sizeof a->message, "renderer: %.400s", err.message);
    } else if (!S_same(&out, a->want)) {
      a->mismatches++;
    }
    if (a->c->fmt == QUIRE_FORMAT_PDF || a->c->fmt == QUIRE_FORMAT_PNG) {
      int pages = 0;
      if (quire_render_page_count(&pages, a->doc, &o, NULL) == 0 && pages < 1)
        a->failures++;
    }
    quire_buf_dispose(&out);
  }
  return NULL;
}

static void S_one(const char *path, const quire_doc *doc, const S_case *c) {
  quire_render_options o;
  S_opts(&o, c);
  quire_buf want = QUIRE_BUF_INIT, again = QUIRE_BUF_INIT;
  quire_error err;
  quire_error_clear(&err);
  int rc = quire_render_buf(&want, doc, c->fmt, &o, &err);
  if (rc == QUIRE_EUNSUPPORTED) {
    printf("# skip %s on %s: %s\n", c->label, path, err.message);
    quire_buf_dispose(&want);
    return;
  }
  T_CHECK(rc == 0, "%s %s: single-threaded render failed: %s", path, c->label,
          err.message);
  if (rc != 0) {
    quire_buf_dispose(&want);
    return;
  }
  /* Without this, a renderer that stamps the time would read as a race. */
  T_CHECK(quire_render_buf(&again, doc, c->fmt, &o, NULL) == 0 &&
              S_same(&want, &again),
          "%s %s: two single-threaded renders differ (not deterministic)", path,
          c->label);
  quire_buf_dispose(&again);

  quire_renderer_options ro = QUIRE_RENDERER_OPTIONS_INIT;
  ro.engine = c->engine;
  quire_renderer *r = NULL;
  rc = quire_renderer_new(&r, &ro, &err);
  T_CHECK(rc == 0, "%s: quire_renderer_new: %s", c->label, err.message);
  if (rc != 0) {
    quire_buf_dispose(&want);
    return;
  }
  pthread_t th[S_THREADS];
  S_arg args[S_THREADS];
  int started[S_THREADS] = {0};
  for (int i = 0; i < S_THREADS; i++) {
    memset(&args[i], 0, sizeof args[i]);
    args[i].doc = doc;
    args[i].renderer = r;
    args[i].c = c;
    args[i].want = &want;
    started[i] = pthread_create(&th[i], NULL, S_thread, &args[i]) == 0;
    T_CHECK(started[i], "pthread_create %d", i);
  }
  for (int i = 0; i < S_THREADS; i++) {
    if (!started[i])
      continue;
    pthread_join(th[i], NULL);
    T_CHECK(args[i].failures == 0, "%s %s: thread %d: %d failed renders (%s)",
            path, c->label, i, args[i].failures, args[i].message);
    T_CHECK(args[i].mismatches == 0,
            "%s %s: thread %d: %d of %d renders differ from single-threaded",
            path, c->label, i, args[i].mismatches, 2 * S_ROUNDS);
  }
  quire_renderer_free(r);
  printf("# %s %s: %d threads x %d renders (half with one shared renderer), "
         "%zu bytes each\n",
         path, c->label, S_THREADS, 2 * S_ROUNDS, want.size);
  quire_buf_dispose(&want);
}

/* --- concurrent parsing ------------------------------------------------ */

#define S_PARSE_ROUNDS 40

static const char *const S_parse_samples[] = {
    "samples/v2/sales_playbook.json", "samples/legacy/all_blocks.json",
    "samples/intl/multiscript.json",  "samples/legacy/markdown_only.json",
    "samples/node-era/pdf_type.json",
};
#define S_NPARSE (sizeof S_parse_samples / sizeof *S_parse_samples)

typedef struct S_parg {
  quire_buf *want; /* S_NPARSE single-threaded dumps */
  int mismatches, failures;
  char message[512];
} S_parg;

static int S_dump_file(quire_buf *out, const char *path, quire_error *err) {
  quire_doc *doc = NULL;
  int rc = quire_doc_parse_file(&doc, path, NULL, err);
  if (rc == 0)
    rc = quire_doc_dump(out, doc);
  quire_doc_free(doc);
  return rc;
}

static void *S_parse_thread(void *p) {
  S_parg *a = p;
  for (int r = 0; r < S_PARSE_ROUNDS; r++) {
    for (size_t s = 0; s < S_NPARSE; s++) {
      quire_buf got = QUIRE_BUF_INIT;
      quire_error err;
      quire_error_clear(&err);
      if (S_dump_file(&got, S_parse_samples[s], &err) != 0) {
        a->failures++;
        snprintf(a->message, sizeof a->message, "%s", err.message);
      } else if (!S_same(&got, &a->want[s])) {
        a->mismatches++;
        snprintf(a->message, sizeof a->message, "%s", S_parse_samples[s]);
      }
      quire_buf_dispose(&got);
    }
  }
  return NULL;
}

static void S_parse_concurrently(void) {
  quire_buf want[S_NPARSE];
  for (size_t s = 0; s < S_NPARSE; s++) {
    quire_buf_init(&want[s], 0);
    quire_error err;
    quire_error_clear(&err);
    T_CHECK(S_dump_file(&want[s], S_parse_samples[s], &err) == 0,
            "parse %s: %s", S_parse_samples[s], err.message);
  }
  pthread_t th[S_THREADS];
  S_parg args[S_THREADS];
  int started[S_THREADS] = {0};
  for (int i = 0; i < S_THREADS; i++) {
    memset(&args[i], 0, sizeof args[i]);
    args[i].want = want;
    started[i] = pthread_create(&th[i], NULL, S_parse_thread, &args[i]) == 0;
    T_CHECK(started[i], "pthread_create %d", i);
  }
  for (int i = 0; i < S_THREADS; i++) {
    if (!started[i])
      continue;
    pthread_join(th[i], NULL);
    T_CHECK(args[i].failures == 0, "parse thread %d: %d failed parses (%s)", i,
            args[i].failures, args[i].message);
    T_CHECK(args[i].mismatches == 0,
            "parse thread %d: %d of %d parses differ from single-threaded "
            "(last: %s)",
            i, args[i].mismatches, S_PARSE_ROUNDS * (int)S_NPARSE,
            args[i].message);
  }
  printf("# parse: %d threads x %d rounds x %zu samples\n", S_THREADS,
         S_PARSE_ROUNDS, S_NPARSE);
  for (size_t s = 0; s < S_NPARSE; s++)
    quire_buf_dispose(&want[s]);
}

/* --- the renderer's contract ------------------------------------------ */

static void S_write(const char *path, const char *text) {
  FILE *fp = fopen(path, "w");
  T_CHECK(fp != NULL, "cannot write %s", path);
  if (fp) {
    fputs(text, fp);
    fclose(fp);
  }
}

static int S_html_has(const quire_renderer *r, const quire_doc *doc,
                      const char *needle) {
  quire_buf out = QUIRE_BUF_INIT;
  int rc =
      quire_renderer_render_buf(&out, r, doc, QUIRE_FORMAT_HTML, NULL, NULL);
  int has = rc == 0 && strstr(out.ptr, needle) != NULL;
  quire_buf_dispose(&out);
  return has;
}

static void S_renderer_contract(const quire_doc *doc) {
  char dir[] = "/tmp/quire-renderer-XXXXXX";
  T_OK(mkdtemp(dir) != NULL);
  char path[256], file[300];
  snprintf(path, sizeof path, "%s/default", dir);
  T_OK(mkdir(path, 0755) == 0);
  snprintf(file, sizeof file, "%s/extra.css", path);
  S_write(file, ".first-look { color: red }\n");

  quire_error err;
  quire_error_clear(&err);
  quire_renderer *r = NULL;

  /* Errors come when building, not on some later render. */
  quire_renderer_options o = QUIRE_RENDERER_OPTIONS_INIT;
  o.template_dir = "/nonexistent/quire-templates";
  T_INT_EQ(quire_renderer_new(&r, &o, &err), QUIRE_EINVAL);
  T_OK(r == NULL);
  T_OK(strstr(err.message, "template directory") != NULL);
  o.template_dir = file; /* a file, not a directory */
  T_INT_EQ(quire_renderer_new(&r, &o, &err), QUIRE_EINVAL);
  o.template_dir = NULL;
  /* quire.h: a missing template is QUIRE_ENOTFOUND, from the renderer and
   * from the simple call alike; a malformed name is the caller's EINVAL. */
  o.template_name = "no_such_template";
  T_INT_EQ(quire_renderer_new(&r, &o, &err), QUIRE_ENOTFOUND);
  T_OK(r == NULL);
  T_OK(strstr(err.message, "no_such_template") != NULL);
  quire_render_options bad = QUIRE_RENDER_OPTIONS_INIT;
  quire_buf junk = QUIRE_BUF_INIT;
  bad.template_name = "no_such_template";
  T_INT_EQ(quire_render_buf(&junk, doc, QUIRE_FORMAT_TEXT, &bad, &err),
           QUIRE_ENOTFOUND);
  bad.template_name = "../etc";
  T_INT_EQ(quire_render_buf(&junk, doc, QUIRE_FORMAT_TEXT, &bad, &err),
           QUIRE_EINVAL);
  T_OK(junk.size == 0);
  quire_buf_dispose(&junk);
  o.template_name = NULL;
  o.engine = (quire_pdf_engine)7;
  T_INT_EQ(quire_renderer_new(&r, &o, &err), QUIRE_EINVAL);
  o.version = 99;
  T_INT_EQ(quire_renderer_new(&r, &o, &err), QUIRE_EINVAL);
  T_INT_EQ(quire_renderer_new(NULL, NULL, &err), QUIRE_EINVAL);

  /* A broken partial fails the build even if no report has used it yet,
   * naming the file and the place. */
  char broken[300];
  snprintf(broken, sizeof broken, "%s/default/partials", dir);
  T_OK(mkdir(broken, 0755) == 0);
  snprintf(broken, sizeof broken, "%s/default/partials/unused.mustache", dir);
  S_write(broken, "line one\n{{#open}}\n");
  quire_renderer_options ob = QUIRE_RENDERER_OPTIONS_INIT;
  ob.template_dir = dir;
  quire_error_clear(&err);
  T_INT_EQ(quire_renderer_new(&r, &ob, &err), QUIRE_ETEMPLATE);
  T_OK(strstr(err.source, "unused.mustache") != NULL);
  T_INT_EQ(err.line, 3);
  T_OK(unlink(broken) == 0);

  /* Ownership: the option strings are copied. */
  char *dircopy = strdup(dir);
  char *name = strdup("sales_playbook");
  quire_renderer_options oo = QUIRE_RENDERER_OPTIONS_INIT;
  oo.template_dir = dircopy;
  oo.template_name = name;
  quire_error_clear(&err);
  T_INT_EQ(quire_renderer_new(&r, &oo, &err), 0);
  memset(dircopy, 'x', strlen(dircopy));
  memset(name, 'x', strlen(name));
  free(dircopy);
  free(name);
  T_OK(r && S_html_has(r, doc, ".first-look"));

  /* The look is fixed when built: editing the files changes renderers
   * built afterwards, never this one (no render reads a file). */
  S_write(file, ".second-look { color: blue }\n");
  T_OK(r && S_html_has(r, doc, ".first-look"));
  T_OK(r && !S_html_has(r, doc, ".second-look"));
  quire_renderer *r2 = NULL;
  T_INT_EQ(quire_renderer_new(&r2, &ob, &err), 0);
  T_OK(r2 && S_html_has(r2, doc, ".second-look"));
  quire_renderer_free(r2);

  /* The per-render options may not ask for another look. */
  quire_render_options ro = QUIRE_RENDER_OPTIONS_INIT;
  quire_buf out = QUIRE_BUF_INIT;
  ro.template_name = "hiring_report";
  T_INT_EQ(
      quire_renderer_render_buf(&out, r, doc, QUIRE_FORMAT_TEXT, &ro, &err),
      QUIRE_EINVAL);
  ro.template_name = "sales_playbook"; /* the renderer's own: fine */
  ro.template_dir = dir;
  T_INT_EQ(
      quire_renderer_render_buf(&out, r, doc, QUIRE_FORMAT_TEXT, &ro, &err), 0);
  T_OK(out.size > 0);
  quire_buf_dispose(&out);
  T_INT_EQ(
      quire_renderer_render_buf(&out, NULL, doc, QUIRE_FORMAT_TEXT, NULL, &err),
      QUIRE_EINVAL);
  T_INT_EQ(
      quire_renderer_render_buf(&out, r, NULL, QUIRE_FORMAT_TEXT, NULL, &err),
      QUIRE_EINVAL);
  T_OK(out.size == 0);
  quire_renderer_free(r);
  quire_renderer_free(NULL);

  unlink(file);
  snprintf(path, sizeof path, "%s/default/partials", dir);
  rmdir(path);
  snprintf(path, sizeof path, "%s/default", dir);
  rmdir(path);
  rmdir(dir);
}

int main(void) {
  T_INT_EQ(quire_global_init(), 0);
  S_parse_concurrently();
  for (size_t s = 0; s < sizeof S_samples / sizeof *S_samples; s++) {
    quire_doc *doc = NULL;
    quire_error err;
    quire_error_clear(&err);
    int rc = quire_doc_parse_file(&doc, S_samples[s], NULL, &err);
    T_CHECK(rc == 0, "parse %s: %s", S_samples[s], err.message);
    if (rc != 0)
      continue;
    for (size_t c = 0; c < sizeof S_cases / sizeof *S_cases; c++)
      S_one(S_samples[s], doc, &S_cases[c]);
    if (s == 0)
      S_renderer_contract(doc);
    quire_doc_free(doc);
  }
  return T_done("threads");
}
