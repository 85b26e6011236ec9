/* The report's language for a document's metadata (the PDF's /Lang, the
 * HTML's lang attribute), the same in every format and engine. */
#ifndef QUIRE_RENDER_LANG_H
#define QUIRE_RENDER_LANG_H

#include "internal.h"

#include "present/present.h"

/* given when the caller named one (the render option lang, --lang;
 * checked by quire__lang_tag_ok already); otherwise the language
 * safety/text_lang.h guesses from what the report calls itself (its title
 * and label) and then from its text (summary, section titles, every text
 * and phrase, the first 64 KB); "en" when the letters say too little.
 * Never NULL; the string lives as long as given or forever. */
const char *quire__render_lang(const char *given, const quire_doc *doc,
                               const quire__present *pres);

#endif
