#include "paint/icons.h"

#include <string.h>

/* Stroke icons on a 24 x 24 grid, width 2, in the spirit of the common
 * open icon sets; drawn here from primitives so no font or file is needed. */
#define CIR(X, Y, R)                                                           \
  { QUIRE__SHAPE_CIRCLE, -1, 0, 100, 2, X, Y, 0, 0, R, NULL }
#define DOT(X, Y, R)                                                           \
  { QUIRE__SHAPE_CIRCLE, 0, -1, 100, 0, X, Y, 0, 0, R, NULL }
#define REC(X, Y, W, H, R)                                                     \
  { QUIRE__SHAPE_RECT, -1, 0, 100, 2, X, Y, W, H, R, NULL }
#define PTH(D)                                                                 \
  { QUIRE__SHAPE_PATH, -1, 0, 100, 2, 0, 0, 0, 0, 0, D }

static const quire__shape S_target[] = {CIR(12, 12, 10), CIR(12, 12, 6),
                                        DOT(12, 12, 2)};
static const quire__shape S_bar_chart[] = {
    PTH("M12 20 L12 10 M18 20 L18 4 M6 20 L6 16")};
static const quire__shape S_users[] = {
    CIR(9, 7, 4),
    PTH("M1 21 L1 19 C1 16.8 2.8 15 5 15 L13 15 C15.2 15 17 16.8 17 19 L17 "
        "21 M23 21 L23 19 C23 17.2 21.8 15.6 20 15.1 M16 3.1 C17.8 3.6 19 "
        "5.2 19 7 C19 8.8 17.8 10.4 16 10.9")};
static const quire__shape S_user[] = {
    CIR(12, 7, 4), PTH("M20 21 L20 19 C20 16.8 18.2 15 16 15 L8 15 C5.8 15 4 "
                       "16.8 4 19 L4 21")};
static const quire__shape S_lightbulb[] = {
    PTH("M9 18 L15 18 M10 22 L14 22 M12 2 C8.1 2 5 5.1 5 9 C5 11.4 6.2 13.3 "
        "8 14.5 L8 15.5 C8 15.8 8.2 16 8.5 16 L15.5 16 C15.8 16 16 15.8 16 "
        "15.5 L16 14.5 C17.8 13.3 19 11.4 19 9 C19 5.1 15.9 2 12 2 Z")};
static const quire__shape S_shield[] = {
    PTH("M12 22 C12 22 20 18 20 12 L20 5 L12 2 L4 5 L4 12 C4 18 12 22 12 22 "
        "Z")};
static const quire__shape S_clock[] = {CIR(12, 12, 10),
                                       PTH("M12 6 L12 12 L16 14")};
static const quire__shape S_message[] = {
    PTH("M21 15 C21 16.1 20.1 17 19 17 L7 17 L3 21 L3 5 C3 3.9 3.9 3 5 3 L19 "
        "3 C20.1 3 21 3.9 21 5 Z")};
static const quire__shape S_star[] = {
    PTH("M12 2 L15.09 8.26 L22 9.27 L17 14.14 L18.18 21.02 L12 17.77 L5.82 "
        "21.02 L7 14.14 L2 9.27 L8.91 8.26 Z")};
static const quire__shape S_heart[] = {
    PTH("M12 20.5 C12 20.5 3 15 3 8.8 C3 5.8 5.3 3.5 8.1 3.5 C9.8 3.5 11.2 "
        "4.4 12 5.8 C12.8 4.4 14.2 3.5 15.9 3.5 C18.7 3.5 21 5.8 21 8.8 C21 "
        "15 12 20.5 12 20.5 Z")};
static const quire__shape S_trending_up[] = {
    PTH("M23 6 L13.5 15.5 L8.5 10.5 L1 18 M17 6 L23 6 L23 12")};
static const quire__shape S_trending_down[] = {
    PTH("M23 18 L13.5 8.5 L8.5 13.5 L1 6 M17 18 L23 18 L23 12")};
static const quire__shape S_check[] = {PTH("M20 6 L9 17 L4 12")};
static const quire__shape S_check_circle[] = {
    CIR(12, 12, 10), PTH("M16.5 8.5 L10.5 15 L7.5 12")};
static const quire__shape S_alert[] = {
    PTH("M10.3 3.9 L1.8 18 C1.1 19.3 2 20.9 3.5 20.9 L20.5 20.9 C22 20.9 22.9 "
        "19.3 22.2 18 L13.7 3.9 C13 2.6 11 2.6 10.3 3.9 Z M12 9 L12 13"),
    DOT(12, 17, 1.2f)};
static const quire__shape S_info[] = {CIR(12, 12, 10), PTH("M12 16 L12 11"),
                                      DOT(12, 8, 1.2f)};
static const quire__shape S_flag[] = {
    PTH("M4 15 C4 15 5 14 8 14 C11 14 13 16 16 16 C19 16 20 15 20 15 L20 3 C20 "
        "3 19 4 16 4 C13 4 11 2 8 2 C5 2 4 3 4 3 Z M4 22 L4 15")};
static const quire__shape S_key[] = {
    CIR(7.5f, 15.5f, 4.5f),
    PTH("M10.7 12.3 L21 2 M15.5 7.5 L18.5 10.5 M18.5 4.5 L21 7")};
static const quire__shape S_compass[] = {
    CIR(12, 12, 10), PTH("M16.24 7.76 L14.12 14.12 L7.76 16.24 L9.88 9.88 Z")};
static const quire__shape S_book[] = {
    PTH("M4 19.5 C4 18.1 5.1 17 6.5 17 L20 17 M6.5 2 L20 2 L20 22 L6.5 22 C5.1 "
        "22 4 20.9 4 19.5 L4 4.5 C4 3.1 5.1 2 6.5 2 Z")};
static const quire__shape S_briefcase[] = {
    REC(2, 7, 20, 14, 2),
    PTH("M16 21 L16 5 C16 3.9 15.1 3 14 3 L10 3 C8.9 3 8 3.9 8 5 L8 21")};
static const quire__shape S_handshake[] = {
    PTH("M2 10 L6 6.5 L10 7.5 M22 10 L18 6.5 L13.5 6.5 L9 10.5 C8.4 11.1 8.6 "
        "12 9.4 12.3 C10.1 12.6 10.9 12.4 11.4 11.9 L13 10.5 L18 15 C18.6 15.6 "
        "18.6 16.4 18 17 C17.4 17.6 16.6 17.6 16 17 M6 6.5 L4 14 L10.5 19.5 "
        "C11.1 20 12 20 12.5 19.4 M16 17 L14.5 18.5 C14 19 13.2 19 12.7 18.5 "
        "M18 15 L20 13")};
static const quire__shape S_zap[] = {
    PTH("M13 2 L3 14 L12 14 L11 22 L21 10 L12 10 Z")};
static const quire__shape S_globe[] = {
    CIR(12, 12, 10),
    PTH("M2 12 L22 12 M12 2 C14.5 4.7 15.9 8.3 16 12 C15.9 15.7 14.5 19.3 12 "
        "22 C9.5 19.3 8.1 15.7 8 12 C8.1 8.3 9.5 4.7 12 2 Z")};
static const quire__shape S_calendar[] = {
    REC(3, 4, 18, 18, 2), PTH("M16 2 L16 6 M8 2 L8 6 M3 10 L21 10")};
static const quire__shape S_mail[] = {REC(2, 4, 20, 16, 2),
                                      PTH("M22 6 L12 13 L2 6")};
static const quire__shape S_phone[] = {REC(5, 2, 14, 20, 2.5f),
                                       DOT(12, 18, 1.2f)};
static const quire__shape S_search[] = {CIR(11, 11, 8),
                                        PTH("M21 21 L16.65 16.65")};
static const quire__shape S_settings[] = {
    CIR(12, 12, 3), CIR(12, 12, 7),
    PTH("M12 1 L12 5 M12 19 L12 23 M4.2 4.2 L7 7 M17 17 L19.8 19.8 M1 12 L5 "
        "12 M19 12 L23 12 M4.2 19.8 L7 17 M17 7 L19.8 4.2")};
static const quire__shape S_award[] = {
    CIR(12, 8, 6), PTH("M8.2 12.7 L7 22 L12 19 L17 22 L15.8 12.7")};
static const quire__shape S_smile[] = {
    CIR(12, 12, 10), PTH("M8 14 C8 14 9.5 16 12 16 C14.5 16 16 14 16 14"),
    DOT(9, 9.5f, 1.2f), DOT(15, 9.5f, 1.2f)};
static const quire__shape S_eye[] = {
    PTH("M1 12 C1 12 5 4 12 4 C19 4 23 12 23 12 C23 12 19 20 12 20 C5 20 1 12 "
        "1 12 Z"),
    CIR(12, 12, 3)};
static const quire__shape S_lock[] = {
    REC(3, 11, 18, 11, 2),
    PTH("M7 11 L7 7 C7 4.2 9.2 2 12 2 C14.8 2 17 4.2 17 7 L17 11")};
static const quire__shape S_activity[] = {
    PTH("M22 12 L18 12 L15 21 L9 3 L6 12 L2 12")};
static const quire__shape S_pie_chart[] = {PTH(
    "M21.2 15.9 C19.2 20.6 13.9 23 9.1 21.4 C4.3 19.8 1.4 14.9 2.3 9.9 C3.2 "
    "4.9 7.5 1.6 12.5 2 M22 12 C22 6.5 17.5 2 12 2 L12 12 Z")};
static const quire__shape S_list[] = {
    PTH("M8 6 L21 6 M8 12 L21 12 M8 18 L21 18"), DOT(3.5f, 6, 1.2f),
    DOT(3.5f, 12, 1.2f), DOT(3.5f, 18, 1.2f)};
static const quire__shape S_help[] = {
    CIR(12, 12, 10),
    PTH("M9.1 9 C9.6 7.6 10.9 6.8 12.4 7 C13.8 7.2 14.9 8.5 14.9 10 C14.9 12 "
        "12 13 12 13 L12 14"),
    DOT(12, 17, 1.2f)};
static const quire__shape S_layers[] = {
    PTH("M12 2 L2 7 L12 12 L22 7 Z M2 17 L12 22 L22 17 M2 12 L12 17 L22 12")};
static const quire__shape S_default[] = {CIR(12, 12, 9), DOT(12, 12, 2.5f)};

typedef struct S_icon {
  const char *name; /* canonical name first, then its aliases */
  const quire__shape *shapes;
  size_t n;
} S_icon;

#define I(name, arr)                                                           \
  { name, arr, sizeof(arr) / sizeof((arr)[0]) }
static const S_icon S_icons[] = {
    I("target", S_target),
    I("goal", S_target),
    I("bullseye", S_target),
    I("focus", S_target),
    I("bar-chart", S_bar_chart),
    I("chart", S_bar_chart),
    I("bar-chart-2", S_bar_chart),
    I("analytics", S_bar_chart),
    I("stats", S_bar_chart),
    I("metrics", S_bar_chart),
    I("users", S_users),
    I("team", S_users),
    I("people", S_users),
    I("group", S_users),
    I("user", S_user),
    I("person", S_user),
    I("profile", S_user),
    I("lightbulb", S_lightbulb),
    I("idea", S_lightbulb),
    I("bulb", S_lightbulb),
    I("light-bulb", S_lightbulb),
    I("insight", S_lightbulb),
    I("shield", S_shield),
    I("security", S_shield),
    I("protect", S_shield),
    I("trust", S_shield),
    I("clock", S_clock),
    I("time", S_clock),
    I("timer", S_clock),
    I("message", S_message),
    I("chat", S_message),
    I("comment", S_message),
    I("conversation", S_message),
    I("message-circle", S_message),
    I("message-square", S_message),
    I("speech", S_message),
    I("star", S_star),
    I("favorite", S_star),
    I("heart", S_heart),
    I("empathy", S_heart),
    I("love", S_heart),
    I("trending-up", S_trending_up),
    I("growth", S_trending_up),
    I("trend-up", S_trending_up),
    I("trending-down", S_trending_down),
    I("trend-down", S_trending_down),
    I("decline", S_trending_down),
    I("check", S_check),
    I("done", S_check),
    I("tick", S_check),
    I("check-circle", S_check_circle),
    I("success", S_check_circle),
    I("alert", S_alert),
    I("warning", S_alert),
    I("alert-triangle", S_alert),
    I("risk", S_alert),
    I("caution", S_alert),
    I("info", S_info),
    I("alert-circle", S_info),
    I("flag", S_flag),
    I("milestone", S_flag),
    I("key", S_key),
    I("compass", S_compass),
    I("direction", S_compass),
    I("navigation", S_compass),
    I("book", S_book),
    I("learning", S_book),
    I("book-open", S_book),
    I("briefcase", S_briefcase),
    I("work", S_briefcase),
    I("business", S_briefcase),
    I("handshake", S_handshake),
    I("deal", S_handshake),
    I("partnership", S_handshake),
    I("agreement", S_handshake),
    I("zap", S_zap),
    I("lightning", S_zap),
    I("energy", S_zap),
    I("bolt", S_zap),
    I("globe", S_globe),
    I("world", S_globe),
    I("international", S_globe),
    I("calendar", S_calendar),
    I("date", S_calendar),
    I("schedule", S_calendar),
    I("mail", S_mail),
    I("email", S_mail),
    I("e-mail", S_mail),
    I("envelope", S_mail),
    I("phone", S_phone),
    I("mobile", S_phone),
    I("call", S_phone),
    I("search", S_search),
    I("magnifier", S_search),
    I("find", S_search),
    I("settings", S_settings),
    I("gear", S_settings),
    I("cog", S_settings),
    I("award", S_award),
    I("trophy", S_award),
    I("medal", S_award),
    I("badge", S_award),
    I("smile", S_smile),
    I("happy", S_smile),
    I("eye", S_eye),
    I("vision", S_eye),
    I("view", S_eye),
    I("lock", S_lock),
    I("private", S_lock),
    I("activity", S_activity),
    I("pulse", S_activity),
    I("pie-chart", S_pie_chart),
    I("chart-pie", S_pie_chart),
    I("list", S_list),
    I("checklist", S_list),
    I("help", S_help),
    I("question", S_help),
    I("help-circle", S_help),
    I("layers", S_layers),
    I("stack", S_layers),
};
#undef I

/* Lower-cases and maps '_' and ' ' to '-'; returns 0 when the name is too
 * long or has bytes no icon name has (it then gets the neutral glyph). */
static int S_normalise(char *out, size_t size, const char *name) {
  size_t i = 0;
  for (; name[i]; i++) {
    unsigned char c = (unsigned char)name[i];
    if (i + 1 >= size)
      return 0;
    if (c >= 'A' && c <= 'Z')
      c = (unsigned char)(c - 'A' + 'a');
    else if (c == '_' || c == ' ')
      c = '-';
    else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
      return 0;
    out[i] = (char)c;
  }
  out[i] = '\0';
  return 1;
}

const quire__shape *quire__icon_shapes(const char *name, size_t *n,
                                       const char **canonical) {
  char key[40];
  if (name && S_normalise(key, sizeof key, name)) {
    for (size_t i = 0; i < sizeof S_icons / sizeof S_icons[0]; i++) {
      if (strcmp(S_icons[i].name, key) == 0) {
        /* The canonical name is the first entry sharing these shapes. */
        size_t c = i;
        while (c > 0 && S_icons[c - 1].shapes == S_icons[i].shapes)
          c--;
        if (canonical)
          *canonical = S_icons[c].name;
        *n = S_icons[i].n;
        return S_icons[i].shapes;
      }
    }
  }
  if (canonical)
    *canonical = "default";
  *n = sizeof S_default / sizeof S_default[0];
  return S_default;
}

void quire__icon_svg(quire_buf *out, const char *name) {
  size_t n;
  const char *canonical;
  const quire__shape *s = quire__icon_shapes(name, &n, &canonical);
  quire_buf_printf(out,
                   "<svg class=\"ic ic-%s\" viewBox=\"0 0 %d %d\" "
                   "width=\"%d\" height=\"%d\" aria-hidden=\"true\">",
                   canonical, QUIRE__ICON_SIZE, QUIRE__ICON_SIZE,
                   QUIRE__ICON_SIZE, QUIRE__ICON_SIZE);
  quire__shapes_svg(out, s, n);
  quire_buf_puts(out, "</svg>");
}
