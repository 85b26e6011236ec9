/* quire_global_init: the process-wide setup of every module, done up
 * front. Each module also does its own on first use (pthread_once), so
 * this only chooses when the cost is paid. It sits above the modules it
 * calls (see docs/architecture.md): core never calls up into them. */
#include "internal.h"

#include "decode/markdown.h"
#ifdef QUIRE_HAVE_CURL
#include "fetch/fetch.h"
#endif

int quire_global_init(void) {
  quire__markdown_global_init();
#ifdef QUIRE_HAVE_CURL
  return quire__fetch_global_init();
#else
  return 0;
#endif
}
