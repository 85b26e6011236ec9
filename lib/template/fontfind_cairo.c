#include "template/fontfind.h"

#include "template/embedded.h"

#include <jansson.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static const char *const S_faces[] = {"regular", "bold", "italic",
                                      "boldItalic"};

/* Adds the first existing path of a JSON array of candidates. */
static int S_add_first(FcConfig *cfg, const json_t *paths) {
  size_t i;
  const json_t *p;
  json_array_foreach(paths, i, p) {
    const char *s = json_string_value(p);
    if (s && access(s, R_OK) == 0 &&
        FcConfigAppFontAddFile(cfg, (const FcChar8 *)s))
      return 1;
  }
  return 0;
}

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
static void S_resolve(FcConfig *cfg, const char *name, char *out,
                      size_t size) {
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
    if (FcPatternGetCharSet(set->fonts[i], FC_CHARSET, 0, &cs) ==
        FcResultMatch)
      FcCharSetMerge(all, cs, NULL);
  }
  return all;
}

int quire__fontset_init(quire__fontset *fs, const char *const families[3],
                        quire_warn_fn warn, void *warn_payload,
                        quire_error *err) {
  memset(fs, 0, sizeof *fs);
  fs->warn = warn;
  fs->warn_payload = warn_payload;
  const quire__embedded *e = quire__embedded_find("fonts/fontmap.json");
  if (!e)
    return quire__error_set(err, QUIRE_EFONT, "fonts/fontmap.json is missing");
  json_error_t je;
  json_t *map = json_loadb(e->data, e->len, JSON_REJECT_DUPLICATES, &je);
  if (!map)
    return quire__error_set(err, QUIRE_ETEMPLATE,
                            "fonts/fontmap.json:%d:%d: %s", je.line,
                            je.column, je.text);
  /* FcConfigCreate gives an empty configuration: no system directories,
   * no user fonts.conf, no cache lookups. Only the files named below. */
  fs->config = FcConfigCreate();
  if (!fs->config) {
    json_decref(map);
    return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  }
  char first[64] = "";
  size_t i;
  const json_t *fam;
  json_array_foreach(json_object_get(map, "families"), i, fam) {
    const char *name = json_string_value(json_object_get(fam, "family"));
    const json_t *faces = json_object_get(fam, "faces");
    int any = 0;
    for (size_t f = 0; f < sizeof S_faces / sizeof S_faces[0]; f++)
      any |= S_add_first(fs->config, json_object_get(faces, S_faces[f]));
    if (any && name && !first[0])
      snprintf(first, sizeof first, "%s", name);
  }
  json_array_foreach(json_object_get(map, "fallback"), i, fam) {
    S_add_first(fs->config, json_object_get(fam, "files"));
  }
  json_decref(map);
  if (!first[0]) {
    quire__fontset_dispose(fs);
    return quire__error_set(err, QUIRE_EFONT,
                            "no font from fonts/fontmap.json is installed "
                            "(install fonts-dejavu-core)");
  }
  for (int r = 0; r < QUIRE__FONTFIND_ROLES; r++) {
    const char *want = families[r] && families[r][0] ? families[r] : first;
    char got[64];
    S_resolve(fs->config, want, got, sizeof got);
    if (strcasecmp(got, want) != 0) {
      S_warnf(fs, "font family '%s' is not available; using '%s'", want,
              first);
      want = first;
    }
    snprintf(fs->family[r], sizeof fs->family[r], "%s", want);
  }
  fs->coverage = S_coverage(fs->config);
  if (!fs->coverage) {
    quire__fontset_dispose(fs);
    return quire__error_set(err, QUIRE_ENOMEM, "out of memory");
  }
  return 0;
}

void quire__fontset_dispose(quire__fontset *fs) {
  if (fs->coverage)
    FcCharSetDestroy(fs->coverage);
  if (fs->config)
    FcConfigDestroy(fs->config);
  if (fs->system)
    FcConfigDestroy(fs->system);
  fs->coverage = NULL;
  fs->config = fs->system = NULL;
}

/* An installed font file that has cp, from the system configuration. */
static int S_system_font(quire__fontset *fs, int32_t cp, FcChar8 **file) {
  if (!fs->system)
    fs->system = FcInitLoadConfigAndFonts();
  if (!fs->system)
    return 0;
  FcCharSet *cs = FcCharSetCreate();
  FcPattern *pat = FcPatternCreate();
  int found = 0;
  if (cs && pat && FcCharSetAddChar(cs, (FcChar32)cp) &&
      FcPatternAddCharSet(pat, FC_CHARSET, cs)) {
    FcObjectSet *os = FcObjectSetBuild(FC_FILE, FC_CHARSET, (char *)0);
    FcFontSet *set = os ? FcFontList(fs->system, pat, os) : NULL;
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
  if (fs->extra < QUIRE__FONTFIND_MAX_EXTRA && S_system_font(fs, cp, &file)) {
    int added = FcConfigAppFontAddFile(fs->config, file);
    free(file);
    if (added) {
      fs->extra++;
      FcCharSet *cov = S_coverage(fs->config);
      if (cov) {
        FcCharSetDestroy(fs->coverage);
        fs->coverage = cov;
      }
      if (FcCharSetHasChar(fs->coverage, (FcChar32)cp))
        return 1;
    }
  }
  if (fs->nwarned < (int)(sizeof fs->warned / sizeof fs->warned[0])) {
    fs->warned[fs->nwarned++] = cp;
    S_warnf(fs, "no installed font has a glyph for U+%04X", (unsigned)cp);
  }
  return 0;
}
