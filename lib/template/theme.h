/* The look of a template, shared by every renderer: palette, fonts, sizes
 * and spacing from templates/<name>/theme.json over templates/default/. */
#ifndef QUIRE_THEME_H
#define QUIRE_THEME_H

#include "internal.h"

#include <jansson.h>

typedef struct quire__rgb {
  unsigned char r, g, b;
} quire__rgb;

typedef struct quire__theme {
  char name[64];         /* template directory used ("sales_playbook") */
  char display_name[96]; /* "Sales playbook" */
  /* palette (light scheme; HTML also has a dark one in the JSON) */
  quire__rgb accent;      /* headings rules, numbers, card icons */
  quire__rgb accent_soft; /* tinted backgrounds */
  quire__rgb ink;         /* body text */
  quire__rgb muted;       /* secondary text, footer */
  quire__rgb paper;       /* page background */
  quire__rgb surface;     /* card background */
  quire__rgb border;      /* card borders, rules */
  quire__rgb heading;     /* heading text */
  quire__rgb link;        /* links */
  quire__rgb code_bg;     /* code background */
  quire__rgb chips[3];    /* the three trait phrases */
  quire__rgb illus[4];    /* illustration colours */
  /* type, in points */
  char font_body[64], font_heading[64], font_mono[64];
  double size_body, size_small, size_h1, size_h2, size_h3;
  double line_height; /* multiple of the font size */
  /* spacing */
  double margin_mm;    /* page margin, top and bottom */
  double side_mm;      /* left and right: sets the measure of body text */
  double block_gap;    /* pt between blocks */
  double card_radius;  /* pt */
  double card_padding; /* pt */
  /* terminal: ANSI 16-colour indexes (0-15) for terminals without 256 */
  int term_accent16, term_muted16, term_chip16[3];
} quire__theme;

/*
 * The template directory name for a report template: the four Conduit
 * templates map to themselves, anything else (matching, unknown, NULL) to
 * "default". override (from options) wins when not NULL.
 */
const char *quire__template_dir_name(const char *report_template,
                                     const char *override);

/*
 * Finds FILE for template tname: user_dir/tname/FILE, user_dir/default/FILE,
 * then the built-in templates/tname/FILE and templates/default/FILE. On
 * success *data is malloc'ed (caller frees), *origin names where it came
 * from ("/my/dir/sales_playbook/layout.mustache" or
 * "built-in:templates/default/layout.mustache") in a static-lifetime or
 * caller buffer of originsz bytes. A user's file must be a regular file of
 * at most 8 MiB. Returns 0, QUIRE_ENOTFOUND (err untouched), or QUIRE_EIO,
 * QUIRE_ETOOBIG, QUIRE_ETEMPLATE (not a regular file), QUIRE_ENOMEM with
 * err naming the file and the reason.
 */
int quire__template_file(char **data, size_t *len, char *origin,
                         size_t originsz, const char *user_dir,
                         const char *tname, const char *file, quire_error *err);

/*
 * Checks render options before any work: user_dir, when set, must be a
 * directory; name, when set, a built-in template or a directory in
 * user_dir. Errors: QUIRE_EINVAL (not a directory, a malformed name),
 * QUIRE_ENOTFOUND (no template of that name).
 */
int quire__template_check(const char *user_dir, const char *name,
                          quire_error *err);

/*
 * Loads the merged theme JSON (default theme.json, then the template's, then
 * the user's copies of each) into *out (caller json_decref()s).
 * Errors: QUIRE_ETEMPLATE with file:line:column for a broken theme file.
 */
int quire__theme_json(json_t **out, const char *user_dir, const char *tname,
                      quire_error *err);

/* Loads and fills the struct (defaults for anything missing). */
int quire__theme_load(quire__theme *out, const char *user_dir,
                      const char *tname, quire_error *err);

/* Fills the struct from merged theme JSON (defaults for anything missing). */
void quire__theme_fill(quire__theme *out, const json_t *j, const char *tname);

/* Fills defaults only (no files); used when loading fails non-fatally. */
void quire__theme_defaults(quire__theme *out);

#endif
