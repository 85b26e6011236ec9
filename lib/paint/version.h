#ifndef QUIRE_PAINT_VERSION_H
#define QUIRE_PAINT_VERSION_H
#include "core/component.h"
#include <stddef.h>
/* The libraries the engines of this build call; sets *n. */
const quire__component *quire__paint_components(size_t *n);
#endif
