/* The built-in fonts/fontmap.json as plain data (core/fontmap.h) for the
 * engines. */
#ifndef QUIRE_TEMPLATE_FONTMAP_H
#define QUIRE_TEMPLATE_FONTMAP_H

#include "core/fontmap.h"

/*
 * The built-in font map, read once per process and then shared read-only
 * by every render (a failed read is retried by the next call). *out is
 * borrowed and lives until the process ends.
 * Errors: QUIRE_ETEMPLATE (the file is missing or broken), QUIRE_ENOMEM.
 */
int quire__fontmap_builtin(const quire__fontmap **out, quire_error *err);

#endif
