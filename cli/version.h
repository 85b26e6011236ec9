#ifndef QUIRE_CLI_VERSION_H
#define QUIRE_CLI_VERSION_H
/* quire --version / -V: the version and the build, like curl -V. */
int cli_version(void);
#endif
