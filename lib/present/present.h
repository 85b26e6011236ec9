/*
 * present.h - what the reader sees, decided once for every format.
 *
 * The document model says what a report holds; a presentation says what a
 * reader is shown: the title and its fallbacks, the kicker and byline, the
 * summary and its heading, every date parsed once, the fields and facts
 * with human labels and values, structured data as key/value rows, which
 * blocks are shown (--body), and each Conduit template's section roles. The
 * text, HTML and paged renderers draw it; none of them decides any of it.
 *
 * A presentation is built once per document and set of render options
 * (quire__present_get keeps it with the document), is immutable
 * afterwards, and borrows the document (which must outlive it).
 */
#ifndef QUIRE_PRESENT_H
#define QUIRE_PRESENT_H

#include "internal.h"

#include "core/values.h"

/* A labelled value. url, when set, is a safe http(s) link the value
 * stands for (the value is then the URL's text). */
typedef struct quire__field {
  const char *label;
  const char *value;
  const char *url;
  int id; /* an identifier (report, job, entity, media ids): set as code */
} quire__field;

/* A group of facts under a heading ("Metrics", "Subject"...), each with a
 * human label and value ("Duration", "47 min 54 s"). */
typedef struct quire__fact_set {
  const char *label;
  quire__field *rows;
  size_t n;
} quire__fact_set;

/* Structured data as rows: a row with a value is "label  value"; a row
 * without one heads the rows of the next level below it. level counts
 * from 0 and stays below QUIRE__DATA_DEPTH; deeper data is one row with
 * its leaves joined. */
#define QUIRE__DATA_DEPTH 3
typedef struct quire__data_row {
  int level;
  const char *label;
  const char *value; /* NULL: a heading */
  double bar;        /* a score: its place from 0 to 1, drawn as a bar;
                        -1: not a score */
} quire__data_row;

typedef struct quire__data {
  quire__data_row *rows;
  size_t n;
} quire__data;

typedef struct quire__present_opts {
  const char *display_name; /* the theme's name: "Sales playbook" */
  const char *theme_dir;    /* the template directory used ("default") */
  int template_override;    /* --template was given */
  quire_body body;          /* which body: quire.h */
} quire__present_opts;

typedef struct quire__present quire__present;

int quire__present_new(quire__present **out, const quire_doc *doc,
                       const quire__present_opts *opts, quire_error *err);
void quire__present_free(quire__present *p);

/* The document's presentation for opts, built on the first request and
 * kept with the document (freed by quire_doc_free): every renderer asks
 * for it, so one document rendered to text, HTML and PDF, or from several
 * threads at once, builds it once. Safe from any number of threads; the
 * result is immutable and borrowed from doc. */
int quire__present_get(const quire__present **out, const quire_doc *doc,
                       const quire__present_opts *opts, quire_error *err);

/* ---- the masthead ---- */

/* The template's name above the title ("Hiring report"), or NULL when the
 * byline carries it (sales_playbook's "Report" item). */
const char *quire__present_kicker(const quire__present *p);
/* Never NULL: the report's title, else its label, else its markdown's
 * first heading, else "Untitled report". */
const char *quire__present_title(const quire__present *p);
/* The byline: who, when, which conversation. Labels are shown when
 * quire__present_byline_labelled() (the Conduit templates name each item:
 * "Candidate", "Interview date"...); otherwise the values alone. */
size_t quire__present_byline_count(const quire__present *p);
const quire__field *quire__present_byline(const quire__present *p, size_t i);
int quire__present_byline_labelled(const quire__present *p);
/* The summary (the report's, else its markdown's opening quote or
 * paragraph) and its heading ("Summary", "Debrief summary"), or NULL. */
const char *quire__present_summary(const quire__present *p);
const char *quire__present_summary_title(const quire__present *p);
const quire__date *quire__present_date(const quire__present *p);

/* ---- the body ---- */

/* The blocks shown, in order: children of the document root, and with
 * --body both or markdown the report's markdown. */
size_t quire__present_block_count(const quire__present *p);
const quire_node *quire__present_block(const quire__present *p, size_t i);
/* A node the masthead already shows (a markdown title or summary). */
int quire__present_hidden(const quire__present *p, const quire_node *n);
/* An unknown block's data as rows (NULL when it is not JSON data). */
const quire__data *quire__present_data(const quire__present *p,
                                       const quire_node *n);
/* A grid's columns as every renderer lays them out: 2 to 4. */
int quire__present_grid_columns(const quire_node *grid);
/* A table too wide to read as a grid in any format: more columns than
 * this are shown as records, each row a list of "header: value". */
#define QUIRE__TABLE_MAX_GRID 10
int quire__present_table_as_records(const quire_node *table);
/* The label of numbered actions: "Step" (sales_playbook) or NULL. */
const char *quire__present_step_label(const quire__present *p);

/* A block's role in its template, for every format to draw alike. */
typedef enum quire__role {
  QUIRE__ROLE_NONE = 0,
  /* profile_alignment: each titled top-level paragraph is a criterion
   * row, the criterion (its title) beside the evidence (its body) where
   * there is room, stacked where there is not. */
  QUIRE__ROLE_CRITERION
} quire__role;
quire__role quire__present_role(const quire__present *p, const quire_node *n);
/* "criterion", or NULL for QUIRE__ROLE_NONE (the HTML view's role). */
const char *quire__present_role_name(quire__role r);

/* ---- the end matter ---- */

/* "About this report" */
const char *quire__present_about(const quire__present *p);
/* Ids, dates and links: Report, Job, Entity, Entity id, Media id,
 * Template, Created, Report link, PDF, Recording. */
size_t quire__present_field_count(const quire__present *p);
const quire__field *quire__present_field(const quire__present *p, size_t i);
size_t quire__present_fact_set_count(const quire__present *p);
const quire__fact_set *quire__present_fact_set(const quire__present *p,
                                               size_t i);

/* "talkRatio" -> "Talk ratio", "on_miss" -> "On miss"; nested names
 * ("sentiment.positive") are joined with sep. Appends to b. */
void quire__present_label(quire_buf *b, const char *name, const char *sep);

#endif
