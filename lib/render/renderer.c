/* quire_renderer: a look (templates, themes, fonts) built once and shared.
 *
 * Everything a render needs besides the document and its per-call options
 * is loaded here, when the renderer is built, and never changed afterwards:
 * the merged theme of each template directory the renderer may use, every
 * Mustache file of a user template directory compiled and its stylesheets
 * read, the font map. Built-in templates are compiled by the first HTML
 * render instead (S_look_init says why), once, under the look's lock.
 * Renders only read the rest, so threads share one renderer without a
 * lock, and a batch pays for its look once instead of once per report.
 *
 * The simple calls (quire_render() and friends) go through renderers too:
 * one per built-in template directory, built on first use and kept for the
 * life of the process (they hold only built-in, read-only material), and a
 * short-lived one for each call with a user template directory, so that a
 * designer's edit shows on the next render. */
#include "render/render.h"

#include "safety/text_lang.h"
#include "template/fontmap.h"

#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* The template directories a report's own template maps to
 * (quire__template_dir_name): a renderer that follows each report's
 * template has a look for each. */
static const char *const S_dirs[] = {"default", "sales_playbook",
                                     "general_report", "hiring_report",
                                     "profile_alignment"};
#define S_NDIRS (sizeof S_dirs / sizeof S_dirs[0])

struct quire_renderer {
  char *template_dir;      /* NULL: built-in templates only */
  char *template_name;     /* NULL: each report's own template */
  quire_pdf_engine engine; /* the PDF engine of every render */
  size_t nlooks;
  quire__look looks[S_NDIRS];
};

static void S_look_dispose(quire__look *l) {
  json_decref(l->theme_json);
  quire__template_free(atomic_load(&l->set));
  pthread_mutex_destroy(&l->set_lock);
}

/* A set of tname's templates, every file compiled. */
static int S_set_new(quire__template **out, const char *user_dir,
                     const char *tname, quire_error *err) {
  int rc = quire__template_new(out, user_dir, tname, err);
  if (!rc)
    rc = quire__template_complete(*out, err);
  if (rc) {
    quire__template_free(*out);
    *out = NULL;
  }
  return rc;
}

/* A user template directory is read and compiled here, so that a broken
 * file is reported by quire_renderer_new() (a designer finds it before any
 * report goes out) and no render reads the directory again (quire.h).
 * Built-in templates are part of the library, compiled by its tests, and
 * needed only by HTML: they are compiled by the first HTML render. */
static int S_look_init(quire__look *l, const char *user_dir, const char *tname,
                       const quire__fontmap *fonts, quire_error *err) {
  memset(l, 0, sizeof *l);
  pthread_mutex_init(&l->set_lock, NULL);
  atomic_init(&l->set, NULL);
  snprintf(l->tname, sizeof l->tname, "%s", tname);
  l->fonts = fonts;
  int rc = quire__theme_json(&l->theme_json, user_dir, tname, err);
  if (!rc)
    quire__theme_fill(&l->theme, l->theme_json, tname);
  if (!rc && user_dir) {
    quire__template *set = NULL;
    rc = S_set_new(&set, user_dir, tname, err);
    atomic_init(&l->set, set);
  }
  return rc;
}

int quire__look_templates(const quire__template **out, const quire__look *look,
                          quire_error *err) {
  /* The one field of a built look that changes, once, under its lock: the
   * look lives in a non-const quire_renderer. */
  quire__look *l = (quire__look *)look;
  quire__template *set = atomic_load_explicit(&l->set, memory_order_acquire);
  int rc = 0;
  if (!set) {
    pthread_mutex_lock(&l->set_lock);
    set = atomic_load_explicit(&l->set, memory_order_relaxed);
    if (!set) {
      rc = S_set_new(&set, NULL, l->tname, err);
      if (!rc)
        atomic_store_explicit(&l->set, set, memory_order_release);
    }
    pthread_mutex_unlock(&l->set_lock);
  }
  *out = set;
  return rc;
}

void quire_renderer_free(quire_renderer *r) {
  if (!r)
    return;
  for (size_t i = 0; i < r->nlooks; i++)
    S_look_dispose(&r->looks[i]);
  free(r->template_dir);
  free(r->template_name);
  free(r);
}

int quire_renderer_new(quire_renderer **out, const quire_renderer_options *opts,
                       quire_error *err) {
  if (!out)
    return quire__error_set(err, QUIRE_EINVAL, "out is NULL");
  *out = NULL;
  quire_renderer_options defaults = QUIRE_RENDERER_OPTIONS_INIT;
  if (!opts)
    opts = &defaults;
  if (opts->version != QUIRE_RENDERER_OPTIONS_VERSION)
    return quire__error_set(err, QUIRE_EINVAL,
                            "unsupported renderer options version %u",
                            opts->version);
  if (opts->engine != QUIRE_PDF_CAIRO && opts->engine != QUIRE_PDF_HARU)
    return quire__error_set(err, QUIRE_EINVAL, "unknown PDF engine %d",
                            (int)opts->engine);
  /* A build without cairo makes every PDF with libharu (render/paged.c);
   * one without libharu cannot honour a renderer that asks for it. */
  if (opts->engine == QUIRE_PDF_HARU &&
      !(quire_features() & QUIRE_FEATURE_HARU))
    return quire__error_set(err, QUIRE_EUNSUPPORTED,
                            "this libquire has no libharu PDF engine");
  const char *dir =
      opts->template_dir && *opts->template_dir ? opts->template_dir : NULL;
  int rc = quire__template_check(dir, opts->template_name, err);
  if (rc)
    return rc;
  const quire__fontmap *fonts = NULL;
  rc = quire__fontmap_builtin(&fonts, err);
  if (rc)
    return rc;
  quire_renderer *r = quire__calloc(1, sizeof *r);
  if (!r)
    return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  r->engine = opts->engine;
  if ((dir && !(r->template_dir = quire__strdup(dir))) ||
      (opts->template_name &&
       !(r->template_name = quire__strdup(opts->template_name)))) {
    quire_renderer_free(r);
    return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  }
  size_t n = opts->template_name ? 1 : S_NDIRS;
  for (size_t i = 0; i < n && !rc; i++) {
    const char *tname =
        opts->template_name
            ? quire__template_dir_name(NULL, opts->template_name)
            : S_dirs[i];
    rc = S_look_init(&r->looks[i], dir, tname, fonts, err);
    r->nlooks = i + 1;
  }
  if (rc) {
    quire_renderer_free(r);
    return rc;
  }
  *out = r;
  return 0;
}

/* The look doc is rendered with: the renderer's template, else the one
 * the report names (mapped as quire__template_dir_name does). */
static const quire__look *S_look(const quire_renderer *r,
                                 const quire_doc *doc) {
  if (r->template_name)
    return &r->looks[0];
  const char *tname = quire__template_dir_name(quire_doc_template(doc), NULL);
  for (size_t i = 0; i < r->nlooks; i++)
    if (strcmp(r->looks[i].tname, tname) == 0)
      return &r->looks[i];
  return &r->looks[0]; /* "default": every name maps to one of S_dirs */
}

/* Per-call options for a renderer: defaults for NULL; the fields that
 * choose a look belong to the renderer, so opts may leave them unset or
 * repeat the renderer's, but not ask for another. */
static int S_read_opts(quire_render_options *o,
                       const quire_render_options *opts, quire_error *err);

static int S_opts(quire_render_options *o, const quire_renderer *r,
                  const quire_doc *doc, const quire_render_options *opts,
                  quire_error *err) {
  if (!r)
    return quire__error_set(err, QUIRE_EINVAL, "renderer is NULL");
  if (!doc)
    return quire__error_set(err, QUIRE_EINVAL, "doc is NULL");
  int vrc = S_read_opts(o, opts, err);
  if (vrc)
    return vrc;
  const char *dir =
      o->template_dir && *o->template_dir ? o->template_dir : NULL;
  if ((o->template_name &&
       (!r->template_name || strcmp(o->template_name, r->template_name))) ||
      (dir && (!r->template_dir || strcmp(dir, r->template_dir))) ||
      (o->engine != QUIRE_PDF_CAIRO && o->engine != r->engine))
    return quire__error_set(err, QUIRE_EINVAL,
                            "template, templates directory and PDF engine "
                            "are the renderer's: set them in "
                            "quire_renderer_options");
  o->engine = r->engine;
  return 0;
}

/* Renders with options already checked (o->engine is the one to use). */
static int S_render(const quire__look *look, const quire_doc *doc,
                    quire_format fmt, const quire_render_options *o,
                    quire_sink sink, quire_error *err) {
  if (!sink.write)
    return quire__error_set(err, QUIRE_EINVAL, "sink has no write function");
  switch (fmt) {
  case QUIRE_FORMAT_TEXT: return quire__render_text(doc, look, o, sink, err);
  case QUIRE_FORMAT_HTML: return quire__render_html(doc, look, o, sink, err);
  case QUIRE_FORMAT_PDF: return quire__render_pdf(doc, look, o, sink, err);
  case QUIRE_FORMAT_PNG: return quire__render_png(doc, look, o, sink, err);
  }
  return quire__error_set(err, QUIRE_EINVAL, "unknown format %d", (int)fmt);
}

int quire_renderer_render(const quire_renderer *r, const quire_doc *doc,
                          quire_format fmt, const quire_render_options *opts,
                          quire_sink sink, quire_error *err) {
  quire_render_options o;
  int rc = S_opts(&o, r, doc, opts, err);
  return rc ? rc : S_render(S_look(r, doc), doc, fmt, &o, sink, err);
}

int quire_renderer_render_buf(quire_buf *out, const quire_renderer *r,
                              const quire_doc *doc, quire_format fmt,
                              const quire_render_options *opts,
                              quire_error *err) {
  if (!out)
    return quire__error_set(err, QUIRE_EINVAL, "out is NULL");
  size_t before = out->size;
  int rc = quire_renderer_render(r, doc, fmt, opts, quire_sink_buf(out), err);
  if (rc)
    quire_buf_truncate(out, before);
  return rc;
}

int quire_renderer_page_count(int *out, const quire_renderer *r,
                              const quire_doc *doc,
                              const quire_render_options *opts,
                              quire_error *err) {
  quire_render_options o;
  if (!out)
    return quire__error_set(err, QUIRE_EINVAL, "out is NULL");
  int rc = S_opts(&o, r, doc, opts, err);
  return rc ? rc : quire__render_page_count(out, doc, S_look(r, doc), &o, err);
}

int quire_renderer_png_pages(const quire_renderer *r, const quire_doc *doc,
                             const quire_render_options *opts, int first,
                             int last, quire_page_fn fn, void *payload,
                             quire_error *err) {
  quire_render_options o;
  if (!fn)
    return quire__error_set(err, QUIRE_EINVAL, "page callback is NULL");
  int rc = S_opts(&o, r, doc, opts, err);
  return rc ? rc
            : quire__render_png_pages(doc, S_look(r, doc), &o, first, last, fn,
                                      payload, err);
}

/* ---- the simple calls ---- */

/* Built-in looks, one renderer per template directory, built on first use
 * and never freed or changed: the lock guards only finding the slot. */
static pthread_mutex_t S_lock = PTHREAD_MUTEX_INITIALIZER;
static quire_renderer *S_builtin[8];

static int S_builtin_get(const quire_renderer **out, const char *tname,
                         quire_error *err) {
  int rc = 0;
  *out = NULL;
  pthread_mutex_lock(&S_lock);
  size_t i = 0;
  for (; i < sizeof S_builtin / sizeof S_builtin[0] && S_builtin[i]; i++)
    if (strcmp(S_builtin[i]->template_name, tname) == 0)
      break;
  if (i < sizeof S_builtin / sizeof S_builtin[0]) {
    if (!S_builtin[i]) {
      quire_renderer_options ro = QUIRE_RENDERER_OPTIONS_INIT;
      ro.template_name = tname;
      rc = quire_renderer_new(&S_builtin[i], &ro, err);
    }
    *out = S_builtin[i];
  }
  pthread_mutex_unlock(&S_lock);
  return rc;
}

/* The caller's options into *o: defaults for NULL; options of versions 1
 * and 2, from before body and lang existed, read as far as they go. */
static int S_read_opts(quire_render_options *o,
                       const quire_render_options *opts, quire_error *err) {
  quire_render_options d = QUIRE_RENDER_OPTIONS_INIT;
  *o = d;
  if (!opts)
    return 0;
  if (opts->version == 1)
    memcpy(o, opts, offsetof(quire_render_options, body));
  else if (opts->version == 2)
    memcpy(o, opts, offsetof(quire_render_options, lang));
  else if (opts->version == QUIRE_RENDER_OPTIONS_VERSION)
    *o = *opts;
  else
    return quire__error_set(err, QUIRE_EINVAL,
                            "unsupported render options version %u",
                            opts->version);
  o->version = QUIRE_RENDER_OPTIONS_VERSION;
  if (o->body < QUIRE_BODY_STRUCTURED || o->body > QUIRE_BODY_BOTH)
    return quire__error_set(err, QUIRE_EINVAL, "unknown body %d", (int)o->body);
  if (o->lang && !quire__lang_tag_ok(o->lang))
    return quire__error_set(err, QUIRE_EINVAL,
                            "lang: not a language tag (letters, digits and "
                            "'-', at most 35 bytes, like \"fr\" or \"pt-BR\")");
  return 0;
}

/* The renderer for a simple call: the process's built-in one for doc's
 * template directory, or (*owned) a new one over a user directory. */
static int S_simple(const quire_renderer **out, quire_renderer **owned,
                    const quire_doc *doc, const quire_render_options **opts,
                    quire_render_options *defaults, quire_error *err) {
  *out = NULL;
  *owned = NULL;
  if (!doc)
    return quire__error_set(err, QUIRE_EINVAL, "doc is NULL");
  int vrc = S_read_opts(defaults, *opts, err);
  if (vrc)
    return vrc;
  *opts = defaults;
  const char *dir = (*opts)->template_dir;
  /* A mistyped --template or --templates must not quietly give the
   * default look. */
  int rc = quire__template_check(dir, (*opts)->template_name, err);
  if (rc)
    return rc;
  const char *tname =
      quire__template_dir_name(quire_doc_template(doc), (*opts)->template_name);
  if (!dir || !*dir) {
    rc = S_builtin_get(out, tname, err);
    if (rc || *out)
      return rc;
  }
  quire_renderer_options ro = QUIRE_RENDERER_OPTIONS_INIT;
  ro.template_name = tname;
  ro.template_dir = dir;
  rc = quire_renderer_new(owned, &ro, err);
  *out = *owned;
  return rc;
}

int quire_render(const quire_doc *doc, quire_format fmt,
                 const quire_render_options *opts, quire_sink sink,
                 quire_error *err) {
  quire_render_options defaults;
  const quire_renderer *r;
  quire_renderer *owned;
  int rc = S_simple(&r, &owned, doc, &opts, &defaults, err);
  if (!rc)
    rc = S_render(&r->looks[0], doc, fmt, opts, sink, err);
  quire_renderer_free(owned);
  return rc;
}

int quire_render_png_pages(const quire_doc *doc,
                           const quire_render_options *opts, int first,
                           int last, quire_page_fn fn, void *payload,
                           quire_error *err) {
  quire_render_options defaults;
  const quire_renderer *r;
  quire_renderer *owned;
  if (!fn)
    return quire__error_set(err, QUIRE_EINVAL, "page callback is NULL");
  int rc = S_simple(&r, &owned, doc, &opts, &defaults, err);
  if (!rc)
    rc = quire__render_png_pages(doc, &r->looks[0], opts, first, last, fn,
                                 payload, err);
  quire_renderer_free(owned);
  return rc;
}

int quire_render_page_count(int *out, const quire_doc *doc,
                            const quire_render_options *opts,
                            quire_error *err) {
  quire_render_options defaults;
  const quire_renderer *r;
  quire_renderer *owned;
  if (!out)
    return quire__error_set(err, QUIRE_EINVAL, "out is NULL");
  int rc = S_simple(&r, &owned, doc, &opts, &defaults, err);
  if (!rc)
    rc = quire__render_page_count(out, doc, &r->looks[0], opts, err);
  quire_renderer_free(owned);
  return rc;
}
