/* One outside library in the build information (quire_build_component):
 * each module lists the libraries it calls, with the version its headers
 * had when libquire was compiled and a way to ask the loaded library. */
#ifndef QUIRE_CORE_COMPONENT_H
#define QUIRE_CORE_COMPONENT_H

typedef struct quire__component {
  const char *name;  /* "cairo" */
  const char *built; /* from the headers; "" when they do not say */
  /* The loaded library's version, static storage; "" when it does not
   * say. load: may load a library loaded on first use (libcurl); without
   * it such a library not loaded yet answers NULL. */
  const char *(*running)(int load);
} quire__component;

#define QUIRE__STR_(x) #x
#define QUIRE__STR(x) QUIRE__STR_(x)

#endif
