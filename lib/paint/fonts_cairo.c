/* Fonts for the pango/cairo engine (fonts_cairo.h). */
#include "paint/fonts_cairo.h"

#include <cairo.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static void S_warnf(quire__fontset *fs, const char *fmt, ...)
    QUIRE__PRINTF(2, 3);
static void S_warnf(quire__fontset *fs, const char *fmt, ...) {
  if (!fs->warn)
    return;
  char msg[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  fs->warn(msg, fs->warn_payload);
}

/* The family fontconfig picks for name, or "" when it picks nothing. */
static void S_resolve(FcConfig *cfg, const char *name, char *out, size_t size) {
  out[0] = '\0';
  FcPattern *pat = FcPatternCreate();
  if (!pat)
    return;
  FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)name);
  FcConfigSubstitute(cfg, pat, FcMatchPattern);
  FcDefaultSubstitute(pat);
  FcResult res;
  FcPattern *m = FcFontMatch(cfg, pat, &res);
  FcPatternDestroy(pat);
  if (!m)
    return;
  FcChar8 *fam;
  /* A font may list several family names (DejaVu Sans Condensed also
   * says DejaVu Sans); the asked-for name counts if any of them is it. */
  for (int i = 0; FcPatternGetString(m, FC_FAMILY, i, &fam) == FcResultMatch;
       i++) {
    if (i == 0 || strcasecmp((const char *)fam, name) == 0)
      snprintf(out, size, "%s", (const char *)fam);
    if (strcasecmp((const char *)fam, name) == 0)
      break;
  }
  FcPatternDestroy(m);
}

static FcCharSet *S_coverage(FcConfig *cfg) {
  FcCharSet *all = FcCharSetCreate();
  FcFontSet *set = FcConfigGetFonts(cfg, FcSetApplication);
  if (!all || !set)
    return all;
  for (int i = 0; i < set->nfont; i++) {
    FcCharSet *cs;
    if (FcPatternGetCharSet(set->fonts[i], FC_CHARSET, 0, &cs) == FcResultMatch)
      FcCharSetMerge(all, cs, NULL);
  }
  return all;
}

/* ---- the shared configuration ----
 *
 * Built once per process, then only read: renders on any thread take
 * references to it (FcConfigReference is atomic) and query it, never add to
 * it. The mutex guards building it (and the system configuration below);
 * a failed build stores nothing, so a later render tries again (fonts may
 * have been installed meanwhile, or the failure was out of memory). Both
 * live until the process exits, reachable from these statics. */
typedef struct S_base {
  FcConfig *config;
  FcCharSet *coverage;
  char first[64]; /* first mapped family that has a file */
  char **files;   /* the files added, in order: a render's */
  size_t nfiles;  /* private copy re-adds exactly these */
} S_base;

static pthread_mutex_t S_lock = PTHREAD_MUTEX_INITIALIZER;
static S_base *S_shared;        /* NULL until built; immutable afterwards */
static int S_make_default;      /* quire__fonts_make_default was called */
static FcConfig *S_system;      /* the system configuration, loaded on the
                                   first character no mapped font has */
static FcCharSet *S_system_cov; /* every character of S_system's fonts */

static void S_base_free(S_base *b) {
  if (!b)
    return;
  if (b->coverage)
    FcCharSetDestroy(b->coverage);
  if (b->config)
    FcConfigDestroy(b->config);
  for (size_t i = 0; i < b->nfiles; i++)
    free(b->files[i]);
  free(b->files);
  free(b);
}

/* ---- fontconfig's directory caches ----
 *
 * Adding a file makes fontconfig open it with FreeType and compute its
 * character set: for the twelve DejaVu faces and the CJK fallback that was
 * 44 of the 174 million instructions of `quire render -f pdf` (callgrind),
 * in every process. fontconfig keeps the same patterns in per-directory
 * caches (written by fc-cache when font packages change, or by any
 * fontconfig program into the user's cache), valid while the directory's
 * modification time matches. So the configuration names those cache
 * directories and the mapped files as the only fonts it accepts, and loads
 * each font directory through its cache: the same patterns (compared with
 * FcNameUnparse) at a fraction of the cost. Where a directory has no valid
 * cache, its files are added one by one as before, and the cache is
 * rebuilt for the next process when a cache directory is writable. */
#define S_SYSTEM_CACHE "/var/cache/fontconfig"

/* Appends s to x with XML's five special characters escaped. */
static void S_xml_put(quire_buf *x, const char *s) {
  for (; *s; s++) {
    const char *e = *s == '&'    ? "&amp;"
                    : *s == '<'  ? "&lt;"
                    : *s == '>'  ? "&gt;"
                    : *s == '"'  ? "&quot;"
                    : *s == '\'' ? "&apos;"
                                 : NULL;
    if (e)
      quire_buf_puts(x, e);
    else
      quire_buf_putc(x, *s);
  }
}

/* The first readable candidate of paths, or NULL. */
static const char *S_first(const quire__font_paths *paths) {
  for (size_t i = 0; i < paths->n; i++)
    if (access(paths->v[i], R_OK) == 0)
      return paths->v[i];
  return NULL;
}

/* Calls fn on the first readable candidate of every face the map names,
 * in the order S_base_build adds them. */
static void S_each_wanted(const quire__fontmap *map,
                          void (*fn)(const char *, void *), void *payload) {
  for (size_t i = 0; i < map->nfamilies; i++)
    for (int f = 0; f < QUIRE__FONT_FACES; f++) {
      const char *p = S_first(&map->families[i].faces[f]);
      if (p)
        fn(p, payload);
    }
  for (size_t i = 0; i < map->nfallbacks; i++) {
    const char *p = S_first(&map->fallbacks[i].faces[0]);
    if (p)
      fn(p, payload);
  }
}

/* fontconfig globs know '*' and '?' and no escape: such a path could
 * accept other files, so it is added by itself instead. */
static int S_globbable(const char *path) {
  return path[0] == '/' && !strpbrk(path, "*?");
}

static void S_accept(const char *path, void *x) {
  if (!S_globbable(path))
    return;
  quire_buf_puts(x, "<glob>");
  S_xml_put(x, path);
  quire_buf_puts(x, "</glob>");
}

/* The configuration: the cache directories, and only the mapped files. */
static FcConfig *S_config_new(const quire__fontmap *map) {
  FcConfig *cfg = FcConfigCreate();
  quire_buf x = QUIRE_BUF_INIT;
  quire_buf_puts(&x, "<fontconfig><cachedir>" S_SYSTEM_CACHE "</cachedir>"
                     "<cachedir prefix=\"xdg\">fontconfig</cachedir>"
                     "<selectfont><rejectfont><glob>*</glob></rejectfont>"
                     "<acceptfont>");
  S_each_wanted(map, S_accept, &x);
  /* Synthetic bold, as fontconfig's own 90-synthetic.conf does: bold
   * asked of a face that has none (WenQuanYi, the CJK fallback) is
   * emboldened by cairo instead of set regular; pango's advances do not
   * change, so neither do line breaks (haru.c strokes the same faces). */
  quire_buf_puts(&x, "</acceptfont></selectfont>"
                     "<match target=\"font\"><test name=\"weight\" "
                     "compare=\"less_eq\"><const>medium</const></test><test "
                     "target=\"pattern\" name=\"weight\" compare=\"more_eq\">"
                     "<const>bold</const></test><edit name=\"embolden\" "
                     "mode=\"assign\"><bool>true</bool></edit><edit "
                     "name=\"weight\" mode=\"assign\"><const>bold</const>"
                     "</edit></match></fontconfig>");
  if (cfg &&
      (quire_buf_failed(&x) ||
       !FcConfigParseAndLoadFromMemory(cfg, (const FcChar8 *)x.ptr, FcFalse))) {
    FcConfigDestroy(cfg);
    cfg = NULL;
  }
  quire_buf_dispose(&x);
  return cfg;
}

/* Whether fontconfig can write a cache for the next process: the system
 * cache directory (as root) or the user's. */
static int S_cache_writable(void) {
  if (access(S_SYSTEM_CACHE, W_OK) == 0)
    return 1;
  const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
  char dir[4096];
  if (xdg && xdg[0] == '/')
    snprintf(dir, sizeof dir, "%s", xdg);
  else if (home && home[0] == '/')
    snprintf(dir, sizeof dir, "%s/.cache", home);
  else
    return 0;
  return access(dir, W_OK) == 0;
}

typedef struct S_loader {
  FcConfig *cfg;
  quire_buf done; /* directories seen, each followed by '\n' */
} S_loader;

/* Loads the directory of a mapped file through its cache, once per
 * directory; a directory without a valid cache is left to S_base_add. */
static void S_load_dir(const char *path, void *payload) {
  S_loader *l = payload;
  const char *slash = strrchr(path, '/');
  size_t n = (size_t)(slash - path);
  char dir[4096];
  if (!S_globbable(path) || n >= sizeof dir || strchr(path, '\n'))
    return;
  memcpy(dir, path, n);
  dir[n] = '\0';
  for (const char *d = l->done.ptr; (d = strstr(d, dir)); d++)
    if ((d == l->done.ptr || d[-1] == '\n') && d[n] == '\n')
      return;
  quire_buf_put(&l->done, dir, n);
  quire_buf_putc(&l->done, '\n');
  FcCache *cache = FcDirCacheLoad((const FcChar8 *)dir, l->cfg, NULL);
  if (cache) {
    FcDirCacheUnload(cache);
    FcConfigAppFontAddDir(l->cfg, (const FcChar8 *)dir);
  } else if (S_cache_writable()) {
    /* Stale or missing: scan the directory once and write its cache, so
     * the next process loads it. This process adds its files one by one. */
    cache = FcDirCacheRead((const FcChar8 *)dir, FcFalse, l->cfg);
    if (cache)
      FcDirCacheUnload(cache);
  }
}

/* Whether the configuration already holds file (loaded from a cache). */
static int S_has_file(FcConfig *cfg, const char *file) {
  FcFontSet *set = FcConfigGetFonts(cfg, FcSetApplication);
  for (int i = 0; set && i < set->nfont; i++) {
    FcChar8 *f;
    if (FcPatternGetString(set->fonts[i], FC_FILE, 0, &f) == FcResultMatch &&
        strcmp((const char *)f, file) == 0)
      return 1;
  }
  return 0;
}

/* Adds the first existing path of a list of candidates to b (already there
 * when its directory's cache was loaded). */
static int S_base_add(S_base *b, const quire__font_paths *paths) {
  for (size_t i = 0; i < paths->n; i++) {
    const char *s = paths->v[i];
    if (access(s, R_OK) != 0 ||
        (!S_has_file(b->config, s) &&
         !FcConfigAppFontAddFile(b->config, (const FcChar8 *)s)))
      continue;
    char **v = quire__realloc(b->files, (b->nfiles + 1) * sizeof *v);
    if (!v)
      return -1;
    b->files = v;
    if (!(v[b->nfiles] = quire__strdup(s)))
      return -1;
    b->nfiles++;
    return 1;
  }
  return 0;
}

static int S_base_build(S_base **out, const quire__fontmap *map,
                        quire_error *err) {
  *out = NULL;
  S_base *b = quire__calloc(1, sizeof *b);
  /* An empty configuration otherwise: no system directories, no user
   * fonts.conf, no rules. Only the files named below. */
  if (!b || !(b->config = S_config_new(map))) {
    S_base_free(b);
    return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  }
  S_loader loader = {b->config, QUIRE_BUF_INIT};
  S_each_wanted(map, S_load_dir, &loader);
  quire_buf_dispose(&loader.done);
  int nomem = 0;
  for (size_t i = 0; i < map->nfamilies; i++) {
    const quire__font_family *fam = &map->families[i];
    int any = 0;
    for (int f = 0; f < QUIRE__FONT_FACES; f++) {
      int r = S_base_add(b, &fam->faces[f]);
      nomem |= r < 0;
      any |= r > 0;
    }
    if (any && fam->name[0] && !b->first[0])
      snprintf(b->first, sizeof b->first, "%s", fam->name);
  }
  for (size_t i = 0; i < map->nfallbacks; i++)
    nomem |= S_base_add(b, &map->fallbacks[i].faces[0]) < 0;
  if (!nomem && b->first[0])
    b->coverage = S_coverage(b->config);
  if (nomem || (b->first[0] && !b->coverage)) {
    S_base_free(b);
    return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  }
  if (!b->first[0]) {
    S_base_free(b);
    return quire__error_set(err, QUIRE_EFONT,
                            "no font from fonts/fontmap.json is installed "
                            "(install fonts-dejavu-core)");
  }
  /* The program said fontconfig is only ours (quire__fonts_make_default):
   * as the process default, the configuration spares pango's first font
   * map the load of the system one it never uses (FcInit in a thread of
   * its own: 24.8 of the 162 M instructions of `quire render -f pdf`).
   * Before S_shared is published, as this also completes b->config (its
   * empty set of system fonts). Failing leaves pango to load it. */
  if (S_make_default)
    FcConfigSetCurrent(b->config);
  *out = b;
  return 0;
}

void quire__fonts_make_default(void) {
  pthread_mutex_lock(&S_lock);
  S_make_default = 1;
  pthread_mutex_unlock(&S_lock);
}

/* The shared configuration, built on first use. */
static int S_base_get(const S_base **out, const quire__fontmap *map,
                      quire_error *err) {
  int rc = 0;
  pthread_mutex_lock(&S_lock);
  if (!S_shared) {
    S_base *b;
    rc = S_base_build(&b, map, err);
    if (!rc)
      S_shared = b;
  }
  *out = S_shared;
  pthread_mutex_unlock(&S_lock);
  return rc;
}

void quire__fonts_release(void) {
  pthread_mutex_lock(&S_lock);
  S_base_free(S_shared);
  S_shared = NULL;
  if (S_system)
    FcConfigDestroy(S_system);
  S_system = NULL;
  if (S_system_cov)
    FcCharSetDestroy(S_system_cov);
  S_system_cov = NULL;
  pthread_mutex_unlock(&S_lock);
}

int quire__fontset_init(quire__fontset *fs, const quire__fontmap *map,
                        const char *const families[3], quire_warn_fn warn,
                        void *warn_payload, quire_error *err) {
  memset(fs, 0, sizeof *fs);
  fs->map = map;
  fs->warn = warn;
  fs->warn_payload = warn_payload;
  const S_base *b;
  int rc = S_base_get(&b, map, err);
  if (rc)
    return rc;
  fs->config = FcConfigReference(b->config);
  fs->coverage = FcCharSetCopy(b->coverage);
  for (int r = 0; r < QUIRE__FONTFIND_ROLES; r++) {
    const char *want = families[r] && families[r][0] ? families[r] : b->first;
    char got[64];
    S_resolve(fs->config, want, got, sizeof got);
    if (strcasecmp(got, want) != 0) {
      S_warnf(fs, "font family '%s' is not available; using '%s'", want,
              b->first);
      want = b->first;
    }
    snprintf(fs->family[r], sizeof fs->family[r], "%s", want);
  }
  return 0;
}

void quire__fontset_dispose(quire__fontset *fs) {
  if (fs->coverage)
    FcCharSetDestroy(fs->coverage);
  if (fs->config)
    FcConfigDestroy(fs->config);
  fs->coverage = NULL;
  fs->config = NULL;
}

/* This render's private configuration: the shared one's files again (in
 * the same order, so fonts rank as they do there), then file. Scanning
 * them again costs what the shared build did, but only documents with a
 * script no mapped font has pay it. */
static FcConfig *S_private(const S_base *b, const FcChar8 *file) {
  FcConfig *cfg = FcConfigCreate();
  if (!cfg)
    return NULL;
  for (size_t i = 0; i < b->nfiles; i++)
    FcConfigAppFontAddFile(cfg, (const FcChar8 *)b->files[i]);
  if (!FcConfigAppFontAddFile(cfg, file)) {
    FcConfigDestroy(cfg);
    return NULL;
  }
  return cfg;
}

/* An installed font file that has cp, from the system configuration. */
static int S_system_font(int32_t cp, FcChar8 **file) {
  /* Loaded once (reading fontconfig's caches takes milliseconds) and only
   * read afterwards, like the shared configuration. */
  pthread_mutex_lock(&S_lock);
  if (!S_system)
    S_system = FcInitLoadConfigAndFonts();
  /* The union of every system font's characters, once: a character none
   * has (unassigned, private use, a noncharacter) is answered without
   * listing every font (FcFontList per character made 16,000 unassigned
   * code points cost seconds). */
  if (S_system && !S_system_cov) {
    FcPattern *any = FcPatternCreate();
    FcObjectSet *cso = FcObjectSetBuild(FC_CHARSET, (char *)0);
    FcFontSet *fonts = any && cso ? FcFontList(S_system, any, cso) : NULL;
    FcCharSet *u = fonts ? FcCharSetCreate() : NULL;
    for (int i = 0; u && i < fonts->nfont; i++) {
      FcCharSet *c;
      if (FcPatternGetCharSet(fonts->fonts[i], FC_CHARSET, 0, &c) ==
          FcResultMatch)
        FcCharSetMerge(u, c, NULL);
    }
    S_system_cov = u;
    if (fonts)
      FcFontSetDestroy(fonts);
    if (cso)
      FcObjectSetDestroy(cso);
    if (any)
      FcPatternDestroy(any);
  }
  FcConfig *system = S_system;
  int none = S_system_cov && !FcCharSetHasChar(S_system_cov, (FcChar32)cp);
  pthread_mutex_unlock(&S_lock);
  if (!system || none)
    return 0;
  FcCharSet *cs = FcCharSetCreate();
  FcPattern *pat = FcPatternCreate();
  int found = 0;
  if (cs && pat && FcCharSetAddChar(cs, (FcChar32)cp) &&
      FcPatternAddCharSet(pat, FC_CHARSET, cs)) {
    FcObjectSet *os = FcObjectSetBuild(FC_FILE, FC_CHARSET, (char *)0);
    FcFontSet *set = os ? FcFontList(system, pat, os) : NULL;
    /* FcFontList's order depends on the cache; take the smallest path so
     * the same machine always picks the same file. */
    for (int i = 0; set && i < set->nfont; i++) {
      FcChar8 *f;
      if (FcPatternGetString(set->fonts[i], FC_FILE, 0, &f) == FcResultMatch &&
          (!found || strcmp((const char *)f, (const char *)*file) < 0)) {
        free(found ? *file : NULL);
        *file = (FcChar8 *)quire__strdup((const char *)f);
        found = *file != NULL;
      }
    }
    if (set)
      FcFontSetDestroy(set);
    if (os)
      FcObjectSetDestroy(os);
  }
  if (pat)
    FcPatternDestroy(pat);
  if (cs)
    FcCharSetDestroy(cs);
  return found;
}

/* Reports cp once per render (the list is bounded; past it, silence). */
static void S_warn_missing(quire__fontset *fs, int32_t cp) {
  if (fs->nwarned < (int)(sizeof fs->warned / sizeof fs->warned[0])) {
    fs->warned[fs->nwarned++] = cp;
    S_warnf(fs, "no installed font has a glyph for U+%04X", (unsigned)cp);
  }
}

int quire__fontset_cover(quire__fontset *fs, int32_t cp) {
  if (cp < 0x20 || FcCharSetHasChar(fs->coverage, (FcChar32)cp))
    return 0;
  /* Format and invisible characters need no glyph. */
  if ((cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) ||
      (cp >= 0x2060 && cp <= 0x206F) || cp == 0xFEFF ||
      (cp >= 0xFE00 && cp <= 0xFE0F))
    return 0;
  for (int i = 0; i < fs->nwarned; i++)
    if (fs->warned[i] == cp)
      return 0;
  FcChar8 *file = NULL;
  if (fs->extra < QUIRE__FONTFIND_MAX_EXTRA && S_system_font(cp, &file)) {
    int added = 0;
    if (fs->own) {
      added = FcConfigAppFontAddFile(fs->config, file);
    } else {
      /* Never add to the shared configuration: the next render (on any
       * thread) would see the file and could lay out differently. */
      const S_base *b;
      FcConfig *cfg = S_base_get(&b, fs->map, NULL) ? NULL : S_private(b, file);
      if (cfg) {
        FcConfigDestroy(fs->config);
        fs->config = cfg;
        fs->own = added = 1;
      }
    }
    free(file);
    if (added) {
      fs->extra++;
      FcCharSet *cov = S_coverage(fs->config);
      if (cov) {
        FcCharSetDestroy(fs->coverage);
        fs->coverage = cov;
      }
      if (!FcCharSetHasChar(fs->coverage, (FcChar32)cp))
        S_warn_missing(fs, cp);
      return 1;
    }
  }
  S_warn_missing(fs, cp);
  return 0;
}

/* ---- cairo's glyph cache ----
 *
 * cairo 1.16 keeps every scaled font's glyphs in pages on one global cache
 * of fixed size with its own mutex. When the cache is full, the thread that
 * adds a page evicts a random page of any font while holding the cache's
 * mutex, and takes that font's mutex to free it; a thread that has just
 * taken that font's mutex (to measure or draw with it) and needs a page
 * waits for the cache's mutex: each waits for the other for ever. 1.16
 * checks whether the font is busy without its lock; 1.18 takes it with a
 * trylock and skips busy fonts. Font maps per thread cannot help (the
 * page may be any font's), so quire's glyph work takes turns instead:
 * tests/unit/test_cairo_threads.c hung in 3 runs of 3 without this.
 * Layout, drawing and subsetting wait; parsing, templating, compression
 * and PNG encoding do not. */
static pthread_once_t S_glyph_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t S_glyph_mutex;
static int S_glyph_locking; /* written once, inside pthread_once */

static void S_glyph_init(void) {
  if (cairo_version() >= CAIRO_VERSION_ENCODE(1, 18, 0))
    return;
  pthread_mutexattr_t a;
  /* glibc cannot fail these; elsewhere, no lock beats no render. */
  if (pthread_mutexattr_init(&a) != 0)
    return;
  if (pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE) == 0 &&
      pthread_mutex_init(&S_glyph_mutex, &a) == 0)
    S_glyph_locking = 1;
  pthread_mutexattr_destroy(&a);
}

void quire__cairo_glyphs_lock(void) {
  pthread_once(&S_glyph_once, S_glyph_init);
  if (S_glyph_locking)
    pthread_mutex_lock(&S_glyph_mutex);
}

int quire__cairo_glyphs_serialized(void) {
  pthread_once(&S_glyph_once, S_glyph_init);
  return S_glyph_locking;
}

void quire__cairo_glyphs_unlock(void) {
  if (S_glyph_locking)
    pthread_mutex_unlock(&S_glyph_mutex);
}
