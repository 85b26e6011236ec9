/* quire --version: what a bug report needs to know about this build. Like
 * curl -V: the version, what is compiled in (engines, formats, the API
 * client), then each library with the version quire was built with and the
 * one it runs with now, since a distribution may have upgraded one since. */
#include "version.h"

#include "exitcodes.h"
#include "msg.h"

#include "quire.h"

#include <stdio.h>

int cli_version(void) {
  unsigned f = quire_features();
  cli_outf("quire %s", quire_version());
  cli_outf("Engines: %s%s%s", (f & QUIRE_FEATURE_CAIRO) ? "cairo" : "",
           (f & QUIRE_FEATURE_CAIRO) && (f & QUIRE_FEATURE_HARU) ? " " : "",
           (f & QUIRE_FEATURE_HARU) ? "haru" : "");
  cli_outf("Formats: text html%s%s",
           (f & (QUIRE_FEATURE_CAIRO | QUIRE_FEATURE_HARU)) ? " pdf" : "",
           (f & QUIRE_FEATURE_CAIRO) ? " png" : "");
  cli_outf("Fetch: %s", (f & QUIRE_FEATURE_FETCH)
                            ? "yes (libcurl, loaded on first use)"
                            : "no (built with FETCH=0)");
  cli_outf("%-14s %-16s %s", "Library", "Built with", "Running");
  const char *name, *built, *running;
  /* QUIRE_BUILD_LOAD: the libcurl that would be used is the one worth
   * reporting, so load it (this costs --version its start-up time). */
  for (size_t i = 0;
       (name = quire_build_component(i, QUIRE_BUILD_LOAD, &built, &running));
       i++)
    cli_outf("%-14s %-16s %s", name, built && *built ? built : "-",
             !running   ? "not found"
             : *running ? running
                        : "-");
  return EXIT_OK;
}
