/*
 * text_policy.h - the one text policy: which code points of untrusted text
 * (reports, server messages, file names) may be shown as they are, for
 * every output (terminal text, HTML, PDF, PNG, diagnostics).
 *
 * Three kinds of code point never pass:
 *  - controls: C0 (except tab and newline, which callers choose), DEL and
 *    C1 (U+0080-U+009F: 8-bit CSI, OSC and DCS among them). A terminal acts
 *    on them; a PDF engine draws them as hex boxes.
 *  - bidi formatting characters: ALM (U+061C), LRM and RLM (U+200E,
 *    U+200F), embeddings and overrides (U+202A-U+202E), isolates
 *    (U+2066-U+2069). Report text reordering itself, or text after it in
 *    the next field ("Trojan Source"; "desrever" in a PDF), is never what
 *    the reader should see. Direction comes from the text's own letters,
 *    each field isolated (quire__text_field).
 *  - noncharacters: U+FDD0-U+FDEF and the last two of every plane
 *    (U+xFFFE, U+xFFFF). Unicode reserves them for internal use; cairo
 *    refuses them, libunibreak takes U+FFFF for its end of string.
 * Invalid UTF-8 never passes either.
 *
 * Documents show a control or noncharacter as U+FFFD (visible, harmless)
 * and drop bidi controls; diagnostics show every one of them as an escape
 * ("\x1b", "\u202e") so a user can see what the bytes were.
 */
#ifndef QUIRE_TEXT_POLICY_H
#define QUIRE_TEXT_POLICY_H

#include "internal.h"

/* What the policy makes of one code point. */
typedef enum quire__tp_class {
  QUIRE__TP_TEXT = 0, /* shown as it is */
  QUIRE__TP_NEWLINE,  /* '\n': kept or a space, as the caller says */
  QUIRE__TP_TAB,      /* '\t': likewise */
  QUIRE__TP_LINESEP,  /* U+2028, U+2029: a space (some terminals break) */
  QUIRE__TP_CONTROL,  /* C0 but tab and newline, DEL, C1 */
  QUIRE__TP_BIDI,     /* bidi marks, embeddings, overrides, isolates */
  QUIRE__TP_NONCHAR   /* noncharacters */
} quire__tp_class;

quire__tp_class quire__tp_classify(int32_t cp);

/* Flags for the functions below. */
#define QUIRE__TP_KEEP_NL (1u << 0)  /* keep '\n' (else a space) */
#define QUIRE__TP_KEEP_TAB (1u << 1) /* keep '\t' (else a space) */
/* Keep bidi isolates (U+2066-U+2069): for text that already went through
 * quire__text_field, whose own isolates must reach the engine. Report
 * text is never cleaned with this flag. */
#define QUIRE__TP_KEEP_ISOLATES (1u << 2)

/*
 * Appends s (len bytes, any content) to out for a document: controls and
 * noncharacters become U+FFFD, bidi controls are removed, U+2028/U+2029
 * become spaces, invalid UTF-8 becomes U+FFFD per bad byte. Returns
 * quire_buf_failed(out).
 */
int quire__text_clean(quire_buf *out, const char *s, size_t len,
                      unsigned flags);

/* 1 when quire__text_clean (with flags) would copy s unchanged. */
int quire__text_is_clean(const char *s, size_t len, unsigned flags);

/*
 * One field of a document whose neighbours are other fields ("name ·
 * date · label"): appends FSI (U+2068), the cleaned text, PDI (U+2069),
 * so the field takes its direction from its own first strong letter and
 * neither it nor its neighbours reorder across the separator. Empty text
 * appends nothing. Returns quire_buf_failed(out).
 */
int quire__text_field(quire_buf *out, const char *s, size_t len,
                      unsigned flags);

/*
 * Appends s to out for a diagnostic (one line on a terminal): every
 * control, bidi control and noncharacter is written as an escape, "\x1b"
 * for those below U+0100 and "\u202e" above; invalid bytes as "\xNN".
 * '\n' is kept with QUIRE__TP_KEEP_NL, else escaped too. Returns
 * quire_buf_failed(out).
 */
int quire__text_visible(quire_buf *out, const char *s, size_t len,
                        unsigned flags);

/*
 * The same policy in place, for fixed-size fields (server-derived strings
 * in error structs): each code point that does not pass, and each invalid
 * byte, becomes one '?'. The string only shrinks.
 */
void quire__text_clean_inplace(char *s);

#endif
