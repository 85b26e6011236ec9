/* One line breaker for both PDF engines (paint/linemodel.c): the cairo and
 * haru engines, measuring the same paragraph at any box width, give the
 * same number of lines with the same widths. Before the line model pango
 * and haru measured each their own way, and somewhere in a sweep of widths
 * a sub-point difference put a word on another line. */
#include "harness.h"
#include "paint/paint.h"
#include "template/fontmap.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const S_fams[3] = {"DejaVu Sans", "DejaVu Sans",
                                      "DejaVu Sans Mono"};

static const char *const S_texts[] = {
    "The recording picks up laughter around the table here, and the tension "
    "of the previous item eased. Office effort affluent: fjord, waffle, "
    "Taiwan AV To; sample_4Gv9NbCy7TsH2fWe https://api.example.com/v2/"
    "reports/report_7Hk2QmVx9RtL4pNa/artifacts getElementByIdAndRegister.",
    "Rapport g\xC3\xA9n\xC3\xA9ral : Ana\xC3\xAFs \xE2\x80\x94 (\xCE\x91\xCE"
    "\xB8\xCE\xAE\xCE\xBD\xCE\xB1 \xC2\xB7 \xD0\x95\xD1\x80\xD0\xB5\xD0\xB2"
    "\xD0\xB0\xD0\xBD \xC2\xB7 \xE4\xB8\x8A\xE6\xB5\xB7\xE8\xBF\x99\xE6\x98"
    "\xAF\xE4\xB8\x80\xE6\xAE\xB5\xE5\xBE\x88\xE9\x95\xBF\xE7\x9A\x84\xE4"
    "\xB8\xAD\xE6\x96\x87\xE6\x96\x87\xE5\xAD\x97\xE3\x80\x82 \xC2\xB7 "
    "\xD8\xB9\xD9\x85\xD9\x91\xD8\xA7\xD9\x86 \xC2\xB7 Lisboa) "
    "\xD9\x87\xD8\xB0\xD8\xA7 \xD9\x86\xD8\xB5 \xD8\xB9\xD8\xB1\xD8\xA8\xD9"
    "\x8A \xD8\xB7\xD9\x88\xD9\x8A\xD9\x84 end.\nA forced break.",
};

typedef struct S_lines {
  size_t n;
  double w[64];
} S_lines;

static int S_measure(const quire__backend *be, const char *text, double size,
                     double width, S_lines *out) {
  quire__run r[2];
  memset(r, 0, sizeof r);
  /* two runs: a bold lead-in, then the text */
  r[0].text = "Lead-in: ";
  r[0].len = strlen(r[0].text);
  r[0].style = QUIRE__RUN_BOLD;
  r[1].text = text;
  r[1].len = strlen(text);
  for (int i = 0; i < 2; i++) {
    r[i].role = QUIRE__FONT_BODY;
    r[i].size = size;
    r[i].color.a = 255;
  }
  quire__para_spec spec = {.runs = r,
                           .nruns = 2,
                           .width = width,
                           .line_height = size * 1.43,
                           .align = QUIRE__ALIGN_LEFT};
  quire__para *p = NULL;
  int rc = be->para_new(be->self, &p, &spec);
  if (rc)
    return rc;
  out->n = be->para_line_count(be->self, p);
  for (size_t i = 0; i < out->n && i < 64; i++) {
    quire__line l;
    be->para_line(be->self, p, i, &l);
    out->w[i] = l.width;
  }
  be->para_free(be->self, p);
  return 0;
}

static quire__engine *S_engine(quire__engine_kind kind, quire_error *err) {
  quire__engine_opts o;
  memset(&o, 0, sizeof o);
  if (quire__fontmap_builtin(&o.fonts, err) != 0)
    return NULL;
  for (int i = 0; i < 3; i++)
    o.families[i] = S_fams[i];
  o.paper.r = o.paper.g = o.paper.b = o.paper.a = 255;
  quire__engine *e = NULL;
  return quire__engine_new(&e, kind, &o, err) == 0 ? e : NULL;
}

int main(void) {
  quire_error err;
  quire_error_clear(&err);
  quire__engine *c = S_engine(QUIRE__ENGINE_CAIRO_PDF, &err);
  quire__engine *h = S_engine(QUIRE__ENGINE_HARU_PDF, &err);
  if (!c || !h) {
    printf("# both engines are needed (%s)\n", err.message);
    T_CHECK(h != NULL, "haru engine: %s", err.message);
    quire__engine_free(c);
    quire__engine_free(h);
    return T_done("linemodel");
  }
  const quire__backend *bc = quire__engine_backend(c);
  const quire__backend *bh = quire__engine_backend(h);
  int widths = 0, same = 0;
  for (size_t t = 0; t < sizeof S_texts / sizeof S_texts[0]; t++)
    for (double size = 10; size <= 11; size += 0.5)
      for (double w = 60; w < 420; w += 0.73) {
        S_lines a, b;
        memset(&a, 0, sizeof a);
        memset(&b, 0, sizeof b);
        int ra = S_measure(bc, S_texts[t], size, w, &a);
        int rb = S_measure(bh, S_texts[t], size, w, &b);
        widths++;
        int ok = !ra && !rb && a.n == b.n;
        for (size_t i = 0; ok && i < a.n && i < 64; i++)
          ok = fabs(a.w[i] - b.w[i]) < 1e-9 && a.w[i] <= w + 1e-6;
        same += ok;
        if (!ok && widths - same <= 3)
          T_CHECK(0, "text %zu at %.2f pt, %.1f pt: cairo %zu lines, haru %zu",
                  t, w, size, a.n, b.n);
      }
  T_CHECK(same == widths, "%d of %d widths break alike", same, widths);
  quire__engine_free(c);
  quire__engine_free(h);
  return T_done("linemodel");
}
