/* quire_global_fontconfig_default: after it, the cairo engine's font
 * configuration (quire's mapped fonts only) is fontconfig's current one, so
 * pango's first font map does not load the system's; without it, a host's
 * default configuration is never quire's. Each case runs in a child
 * process, as both are process-wide and decided by the first render. */
#include "harness.h"

#include <quire.h>

#ifdef QUIRE_HAVE_CAIRO
#include <fontconfig/fontconfig.h>
#endif
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#ifdef QUIRE_HAVE_CAIRO
static const char S_report[] =
    "{\"id\":\"r1\",\"title\":\"Fonts\",\"markdown\":\"# Fonts\\n\\nSome "
    "text.\"}";

/* Exit status: 0 when a PDF was made and fontconfig's current
 * configuration holds application fonts and no system font (quire's), 1
 * when it holds system fonts and no application font (the system's), 2
 * otherwise, 3 when rendering failed. */
static int S_child(int make_default) {
  if (make_default)
    quire_global_fontconfig_default();
  quire_doc *doc = NULL;
  quire_error err;
  quire_buf pdf = QUIRE_BUF_INIT;
  if (quire_doc_parse(&doc, S_report, sizeof S_report - 1, NULL, &err) ||
      quire_render_buf(&pdf, doc, QUIRE_FORMAT_PDF, NULL, &err) ||
      pdf.size < 1000)
    return 3;
  quire_buf_dispose(&pdf);
  quire_doc_free(doc);
  FcConfig *cur = FcConfigGetCurrent();
  FcFontSet *app = FcConfigGetFonts(cur, FcSetApplication);
  FcFontSet *sys = FcConfigGetFonts(cur, FcSetSystem);
  int napp = app ? app->nfont : 0, nsys = sys ? sys->nfont : 0;
  if (napp > 0 && nsys == 0)
    return 0;
  if (napp == 0 && nsys > 0)
    return 1;
  return 2;
}

static int S_run(int make_default) {
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0)
    _exit(S_child(make_default));
  int st = 0;
  if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
    return -1;
  return WEXITSTATUS(st);
}

#endif

int main(void) {
#ifndef QUIRE_HAVE_CAIRO
  quire_global_fontconfig_default(); /* a no-op there, but it exists */
  printf("# skip: built without the cairo engine\n");
  T_OK(!(quire_features() & QUIRE_FEATURE_CAIRO));
  return T_done("fontconfig_default");
#else
  T_INT_EQ(S_run(1), 0); /* quire's fonts are the default */
  T_INT_EQ(S_run(0), 1); /* the system's stay the host's default */
  return T_done("fontconfig_default");
#endif
}
