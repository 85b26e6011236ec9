#include "args.h"

#include "msg.h"

#include <stdio.h>
#include <string.h>

/* The option as the user typed it, without any "=VALUE". */
static void S_typed(char *out, size_t size, const char *arg) {
  snprintf(out, size, "%.*s", (int)strcspn(arg, "="), arg);
}

/* Whether getopt's '?' came from "--name=VALUE" for an option that takes
 * no value: getopt then sets optopt to that option's val. An unknown short
 * option also sets optopt, and inside a cluster ("-zq") getopt has not
 * moved past it, so argv[optind - 1] may be an older "--name=VALUE"; the
 * val must match too. */
static int S_value_not_taken(const char *last, const struct option *longopts) {
  if (strncmp(last, "--", 2) != 0 || !strchr(last, '='))
    return 0;
  size_t n = strcspn(last + 2, "=");
  for (const struct option *o = longopts; o && o->name; o++)
    if (o->has_arg == no_argument && o->val == optopt && !o->flag &&
        strncmp(o->name, last + 2, n) == 0)
      return 1;
  return 0;
}

int cli_getopt(const char *cmd, int argc, char **argv, const char *shortopts,
               const struct option *longopts) {
  /* A leading ':' makes getopt return ':' for a missing value, apart from
   * '?' for an unknown option. */
  char spec[128];
  snprintf(spec, sizeof spec, ":%s", shortopts);
  opterr = 0;
  optopt = 0;
  int opt = getopt_long(argc, argv, spec, longopts, NULL);
  if (opt != '?' && opt != ':')
    return opt;
  /* After a long option, and after a short one that ends its word,
   * getopt has moved past it: argv[optind - 1] is what was typed. */
  const char *last = optind > 0 && optind <= argc ? argv[optind - 1] : "";
  int help = (int)strcspn(cmd, " "); /* "webhook verify" -> help webhook */
  char typed[256];
  if (opt == ':' ? strncmp(last, "--", 2) == 0
                 : optopt == 0 || S_value_not_taken(last, longopts))
    S_typed(typed, sizeof typed, last);
  else
    snprintf(typed, sizeof typed, "-%c", optopt);
  if (opt == ':')
    cli_errorf("%s: option '%s' needs a value; see 'quire help %.*s'", cmd,
               typed, help, cmd);
  else if (optopt != 0 && typed[1] == '-')
    cli_errorf("%s: option '%s' takes no value; see 'quire help %.*s'", cmd,
               typed, help, cmd);
  else
    cli_errorf("%s: unrecognized option '%s'; see 'quire help %.*s'", cmd,
               typed, help, cmd);
  return '?';
}
