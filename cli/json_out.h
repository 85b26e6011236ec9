/* Machine-readable output (--json): JSON text built into a quire_buf, and
 * the line and column of a JSON path in a document's source. */
#ifndef QUIRE_CLI_JSON_OUT_H
#define QUIRE_CLI_JSON_OUT_H

#include "quire.h"

#include <stddef.h>

/* Appends s as a JSON string literal (NULL: null). Control characters are
 * escaped and invalid UTF-8 bytes become U+FFFD, so the output is always
 * valid JSON whatever the input held. */
void cli_json_str(quire_buf *b, const char *s);
/* Appends "key": before a value (a comma first unless *first). */
void cli_json_key(quire_buf *b, int *first, const char *key);

/*
 * The 1-based line and column where the value at path ("$.a.b[2]",
 * "$[\"odd key\"]", the form of quire_diag paths) starts in the JSON text
 * data. A path that goes on past what the text holds (a missing key) gives
 * the deepest value it does reach. Returns 0, or -1 when data is not JSON
 * (line and column are then 0).
 */
int cli_json_locate(const char *data, size_t len, const char *path,
                    unsigned *line, unsigned *column);

#endif
