#ifndef QUIRE_DECODE_VERSION_H
#define QUIRE_DECODE_VERSION_H
#include "core/component.h"
#include <stddef.h>
/* The libraries decode/ calls (jansson, cmark-gfm); sets *n. */
const quire__component *quire__decode_components(size_t *n);
#endif
