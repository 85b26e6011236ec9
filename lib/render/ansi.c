#include "render/ansi.h"

#include <string.h>
#include <strings.h>

/* xterm's 16 basic colours, for picking the nearest. */
static const unsigned char S_basic16[16][3] = {
    {0, 0, 0},       {205, 0, 0},   {0, 205, 0},   {205, 205, 0},
    {0, 0, 238},     {205, 0, 205}, {0, 205, 205}, {229, 229, 229},
    {127, 127, 127}, {255, 0, 0},   {0, 255, 0},   {255, 255, 0},
    {92, 92, 255},   {255, 0, 255}, {0, 255, 255}, {255, 255, 255}};

static long S_dist(int r1, int g1, int b1, int r2, int g2, int b2) {
  long dr = r1 - r2, dg = g1 - g2, db = b1 - b2;
  return dr * dr * 3 + dg * dg * 4 + db * db * 2;
}

int quire__ansi_to16(unsigned char r, unsigned char g, unsigned char b) {
  int best = 0;
  long bd = -1;
  for (int i = 0; i < 16; i++) {
    long d = S_dist(r, g, b, S_basic16[i][0], S_basic16[i][1], S_basic16[i][2]);
    if (bd < 0 || d < bd) {
      bd = d;
      best = i;
    }
  }
  return best;
}

static int S_cube_level(int v) {
  /* cube steps are 0, 95, 135, 175, 215, 255 */
  if (v < 48)
    return 0;
  if (v < 115)
    return 1;
  return (v - 35) / 40;
}

int quire__ansi_to256(unsigned char r, unsigned char g, unsigned char b) {
  static const int step[6] = {0, 95, 135, 175, 215, 255};
  int cr = S_cube_level(r), cg = S_cube_level(g), cb = S_cube_level(b);
  int cube = 16 + 36 * cr + 6 * cg + cb;
  long cd = S_dist(r, g, b, step[cr], step[cg], step[cb]);
  int avg = (r + g + b) / 3;
  int gi = avg > 238 ? 23 : (avg - 3) / 10;
  if (gi < 0)
    gi = 0;
  int gv = 8 + 10 * gi;
  long gd = S_dist(r, g, b, gv, gv, gv);
  return gd < cd ? 232 + gi : cube;
}

static void S_color(quire_buf *out, quire_color mode,
                    const quire__ansi_color *c, int bg) {
  if (!c->set)
    return;
  if (mode == QUIRE_COLOR_TRUE) {
    quire_buf_printf(out, ";%d;2;%u;%u;%u", bg ? 48 : 38, c->r, c->g, c->b);
  } else if (mode == QUIRE_COLOR_256) {
    quire_buf_printf(out, ";%d;5;%d", bg ? 48 : 38,
                     quire__ansi_to256(c->r, c->g, c->b));
  } else {
    int i = c->idx16 >= 0 && c->idx16 < 16 ? c->idx16
                                           : quire__ansi_to16(c->r, c->g, c->b);
    int base = i < 8 ? (bg ? 40 : 30) : (bg ? 100 : 90);
    quire_buf_printf(out, ";%d", base + (i & 7));
  }
}

void quire__ansi_sgr(quire_buf *out, quire_color mode, const quire__sgr *s) {
  if (mode == QUIRE_COLOR_NONE || (!s->attrs && !s->fg.set && !s->bg.set))
    return;
  /* Always from a reset: each styled piece stands alone, so lines can be
   * cut, padded and put side by side without styles leaking. */
  quire_buf_puts(out, "\x1b[0");
  static const struct {
    unsigned bit;
    const char *code;
  } attrs[] = {{QUIRE__SGR_BOLD, ";1"},
               {QUIRE__SGR_DIM, ";2"},
               {QUIRE__SGR_ITALIC, ";3"},
               {QUIRE__SGR_UNDERLINE, ";4"},
               {QUIRE__SGR_STRIKE, ";9"}};
  for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++)
    if (s->attrs & attrs[i].bit)
      quire_buf_puts(out, attrs[i].code);
  S_color(out, mode, &s->fg, 0);
  S_color(out, mode, &s->bg, 1);
  quire_buf_putc(out, 'm');
}

void quire__ansi_reset(quire_buf *out, quire_color mode) {
  if (mode != QUIRE_COLOR_NONE)
    quire_buf_puts(out, "\x1b[0m");
}

int quire__ansi_link_ok(const char *url) {
  if (!url)
    return 0;
  if (strncasecmp(url, "https://", 8) && strncasecmp(url, "http://", 7) &&
      strncasecmp(url, "mailto:", 7))
    return 0;
  size_t n = 0;
  for (const unsigned char *p = (const unsigned char *)url; *p; p++, n++)
    if (*p <= 0x20 || *p >= 0x7F)
      return 0;
  /* Terminals cap OSC 8 URIs (VTE: 2083 bytes); longer ones stay text. */
  return n <= 2000;
}

void quire__ansi_link_open(quire_buf *out, const char *url, unsigned id) {
  if (!quire__ansi_link_ok(url))
    return;
  quire_buf_printf(out, "\x1b]8;id=quire%u;%s\x1b\\", id, url);
}

void quire__ansi_link_close(quire_buf *out) {
  quire_buf_puts(out, "\x1b]8;;\x1b\\");
}
