/*
 * text_lang.h - what a text's own letters say about it: the direction it
 * runs in and the language it is probably written in. Pure functions over
 * UTF-8 (invalid bytes are skipped), no tables beyond Unicode blocks.
 */
#ifndef QUIRE_TEXT_LANG_H
#define QUIRE_TEXT_LANG_H

#include "internal.h"

/* 1 when the first strong letter of s (Unicode bidi classes L, R, AL,
 * judged by block) is right to left: Hebrew, Arabic, Syriac, Thaana, N'Ko
 * and the other right-to-left blocks. Digits, punctuation, symbols and
 * marks are skipped, as the bidi algorithm does when it picks a
 * paragraph's base direction (rule P2); no letter at all: 0. Both PDF
 * engines set a paragraph in this direction (layout/backend.h), so a
 * renderer uses it to put what goes with the text (a heading's accent
 * bar) on the text's own side. */
int quire__text_rtl(const char *s, size_t len);

/*
 * A BCP 47 language tag for a report ("en", "fr", "ar", ...), guessed
 * from its letters, or NULL when they say too little. `head` is what the
 * report calls itself (title, label, section titles): it decides when it
 * is clear, because a report written in one language often quotes others
 * (samples/intl/multiscript.json is a French report with an English
 * body of quotes and summaries). `body` (its text) decides otherwise.
 *
 * The rule, in order:
 *  1. a script other than Latin holding most letters names the language
 *     (Arabic ar, Hebrew he, Greek el, Cyrillic ru, Hangul ko, kana ja,
 *     Han without kana zh, Thai th, Devanagari hi, Armenian hy, Georgian
 *     ka);
 *  2. Latin text: each of en, fr, de, es, pt, it, nl scores a point per
 *     common function word ("the", "de", "und", ...) and half a point per
 *     letter only it uses often (é è ê ï œ ç for fr, ä ö ü ß for de, ñ á
 *     for es, ã õ for pt, ...); the best wins when it has at least 2
 *     points and more than any other.
 * head is tried first, then head and body together; NULL when neither
 * decides.
 */
const char *quire__text_lang(const char *head, size_t head_len,
                             const char *body, size_t body_len);

/* 1 when s can be a BCP 47 language tag as quire writes one (PDF /Lang,
 * HTML lang): 1 to 35 bytes of ASCII letters, digits and '-', starting
 * with a letter. Nothing else reaches a PDF string or an attribute. */
int quire__lang_tag_ok(const char *s);

#endif
