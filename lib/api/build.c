/* quire_build_component: what this build is made of, module by module (each
 * lists the outside libraries it calls), for `quire --version`. */
#include "internal.h"

#include "decode/version.h"
#include "fetch/version.h"
#include "paint/version.h"

const char *quire_build_component(size_t index, unsigned flags,
                                  const char **built, const char **running) {
  const quire__component *(*const lists[])(size_t *) = {
      quire__decode_components, quire__paint_components,
      quire__fetch_components};
  for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++) {
    size_t n;
    const quire__component *c = lists[l](&n);
    if (index >= n) {
      index -= n;
      continue;
    }
    if (built)
      *built = c[index].built;
    if (running)
      *running = c[index].running((flags & QUIRE_BUILD_LOAD) != 0);
    return c[index].name;
  }
  if (built)
    *built = NULL;
  if (running)
    *running = NULL;
  return NULL;
}
