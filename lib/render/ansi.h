/* SGR colour and attribute sequences for the terminal renderer, in the four
 * colour depths, and OSC 8 hyperlinks. The only escape bytes quire ever
 * writes to a terminal come from here. */
#ifndef QUIRE_ANSI_H
#define QUIRE_ANSI_H

#include "internal.h"

#define QUIRE__SGR_BOLD (1u << 0)
#define QUIRE__SGR_DIM (1u << 1)
#define QUIRE__SGR_ITALIC (1u << 2)
#define QUIRE__SGR_UNDERLINE (1u << 3)
#define QUIRE__SGR_STRIKE (1u << 4)

typedef struct quire__ansi_color {
  unsigned char set;     /* 0 = the terminal's default colour */
  unsigned char r, g, b; /* for 256 and true colour */
  signed char idx16;     /* 0-15 for 16-colour terminals; -1 = from rgb */
} quire__ansi_color;

typedef struct quire__sgr {
  unsigned attrs; /* QUIRE__SGR_* */
  quire__ansi_color fg, bg;
} quire__sgr;

/* Appends the SGR that switches from the default rendition to s ("\x1b[0;1;
 * 38;2;R;G;Bm"). Nothing at all for QUIRE_COLOR_NONE or a plain style. */
void quire__ansi_sgr(quire_buf *out, quire_color mode, const quire__sgr *s);
/* Appends "\x1b[0m" (nothing for QUIRE_COLOR_NONE). */
void quire__ansi_reset(quire_buf *out, quire_color mode);
/* Nearest xterm-256 index (the 6x6x6 cube or the grey ramp). */
int quire__ansi_to256(unsigned char r, unsigned char g, unsigned char b);
/* Nearest of the 16 basic colours. */
int quire__ansi_to16(unsigned char r, unsigned char g, unsigned char b);

/* 1 when url may become an OSC 8 hyperlink: http, https or mailto, and
 * nothing but printable ASCII (so it can never end the sequence early). */
int quire__ansi_link_ok(const char *url);
/* OSC 8 open ("\x1b]8;id=quireN;URL\x1b\\") and close. The caller checks
 * quire__ansi_link_ok first; open writes nothing for a URL that fails it. */
void quire__ansi_link_open(quire_buf *out, const char *url, unsigned id);
void quire__ansi_link_close(quire_buf *out);

#endif
