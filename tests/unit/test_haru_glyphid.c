/* quire's HPDF_TTFontDef_GetGlyphid (paint/fonts_haru.c) in place of
 * libharu's: it must be the one the process uses (libharu builds every
 * font's CIDToGIDMap through it, 65,536 calls per font and render), and
 * it must answer exactly as libharu's own for every BMP code point of
 * every font quire maps. */
#define _GNU_SOURCE 1 /* RTLD_DEFAULT, RTLD_NOLOAD */
#include "harness.h"

#include <dlfcn.h>
#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_fontdef.h>
#include <stdint.h>
#include <unistd.h>

typedef HPDF_UINT16 (*S_lookup)(HPDF_FontDef, HPDF_UINT16);

/* The fonts of fonts/fontmap.json on Debian; those not installed are
 * skipped (the fontmap falls back the same way). */
static const struct {
  const char *path;
  unsigned index;
} S_fonts[] = {
    {"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 0},
    {"/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 0},
    {"/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf", 0},
    {"/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", 0},
    {"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0},
    {"/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf", 0},
};

static void S_no_error(HPDF_STATUS e, HPDF_STATUS d, void *p) {
  (void)e;
  (void)d;
  (void)p;
}

int main(void) {
  /* libharu's own definition, from its library; the process's, by name. */
  void *lib = dlopen("libhpdf-2.3.0.so", RTLD_LAZY | RTLD_NOLOAD);
  if (!lib)
    lib = dlopen("libhpdf.so", RTLD_LAZY | RTLD_NOLOAD);
  T_CHECK(lib != NULL, "libharu is not loaded: %s", dlerror());
  if (!lib)
    return T_done("haru_glyphid");
  S_lookup theirs =
      (S_lookup)(uintptr_t)dlsym(lib, "HPDF_TTFontDef_GetGlyphid");
  S_lookup used =
      (S_lookup)(uintptr_t)dlsym(RTLD_DEFAULT, "HPDF_TTFontDef_GetGlyphid");
  T_CHECK(theirs && used, "HPDF_TTFontDef_GetGlyphid not found");
  if (!theirs || !used)
    return T_done("haru_glyphid");
  T_CHECK(used != theirs,
          "the process uses libharu's linear glyph lookup, not quire's");
  T_CHECK(used == HPDF_TTFontDef_GetGlyphid, "quire's lookup is not the one "
                                             "the process resolves");

  int tested = 0;
  for (size_t f = 0; f < sizeof S_fonts / sizeof S_fonts[0]; f++) {
    if (access(S_fonts[f].path, R_OK) != 0) {
      printf("# skip %s: not installed\n", S_fonts[f].path);
      continue;
    }
    HPDF_Doc pdf = HPDF_New(S_no_error, NULL);
    const char *name =
        strstr(S_fonts[f].path, ".ttc")
            ? HPDF_LoadTTFontFromFile2(pdf, S_fonts[f].path, S_fonts[f].index,
                                       HPDF_FALSE)
            : HPDF_LoadTTFontFromFile(pdf, S_fonts[f].path, HPDF_FALSE);
    HPDF_FontDef def = name ? HPDF_GetFontDef(pdf, name) : NULL;
    T_CHECK(def != NULL, "%s: libharu did not load it", S_fonts[f].path);
    if (def) {
      int differ = 0, mapped = 0;
      for (unsigned cp = 0; cp <= 0xFFFF; cp++) {
        HPDF_UINT16 a = theirs(def, (HPDF_UINT16)cp);
        HPDF_UINT16 b = used(def, (HPDF_UINT16)cp);
        mapped += a != 0;
        if (a != b && differ++ < 3)
          T_CHECK(0, "%s U+%04X: libharu says glyph %u, quire %u",
                  S_fonts[f].path, cp, a, b);
      }
      T_CHECK(differ == 0, "%s: %d code points differ", S_fonts[f].path,
              differ);
      T_CHECK(mapped > 100, "%s: only %d code points mapped", S_fonts[f].path,
              mapped);
      printf("# %s: 65,536 code points, %d with a glyph, same answers\n",
             S_fonts[f].path, mapped);
      tested++;
    }
    HPDF_Free(pdf);
  }
  T_CHECK(tested > 0, "no mapped font is installed");
  return T_done("haru_glyphid");
}
