/* A program built against the installed library through pkg-config, as a
 * backend would: parse a report and render it to memory (with "pdf" after
 * the file: as a PDF, through the installed engine modules). */
#include <quire.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
  if (argc != 2 && !(argc == 3 && strcmp(argv[2], "pdf") == 0))
    return 2;
  quire_doc *doc;
  quire_error err;
  if (quire_doc_parse_file(&doc, argv[1], NULL, &err) != 0) {
    char line[1200];
    fprintf(stderr, "%s\n", quire_error_format(&err, line, sizeof line));
    return 1;
  }
  quire_buf b = QUIRE_BUF_INIT;
  if (argc == 3) {
    int rc = quire_render_buf(&b, doc, QUIRE_FORMAT_PDF, NULL, &err);
    if (rc) {
      char line[1200];
      fprintf(stderr, "%s\n", quire_error_format(&err, line, sizeof line));
    } else {
      printf("pdf %zu\n", b.size);
    }
    quire_buf_dispose(&b);
    quire_doc_free(doc);
    return rc ? 1 : 0;
  }
  quire_doc_dump(&b, doc);
  printf("%s %s %zu\n", quire_version(), quire_doc_title(doc), b.size);
  quire_buf_dispose(&b);
  quire_doc_free(doc);
  return 0;
}
