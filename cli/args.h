/* getopt_long with quire's one-line usage errors. getopt's own messages
 * name the program "render:" and the commands used to add their whole
 * usage after them; a typo deserves one line that says where help is. */
#ifndef QUIRE_CLI_ARGS_H
#define QUIRE_CLI_ARGS_H

#include <getopt.h>

/*
 * getopt_long over argv for command cmd ("render", "webhook verify"), with
 * getopt's printing turned off. An unknown option, a missing value or a
 * value given to an option that takes none prints one line, e.g.
 * "quire: render: unrecognized option '--bogus'; see 'quire help render'",
 * and returns '?'. Otherwise returns what getopt_long returns.
 */
int cli_getopt(const char *cmd, int argc, char **argv, const char *shortopts,
               const struct option *longopts);

#endif
