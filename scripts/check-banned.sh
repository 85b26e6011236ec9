#!/bin/sh
# House-rule gates: banned calls, library printing/exiting, and layering
# (scripts/check-layers.sh, from the tables in docs/architecture.md).
cd "$(dirname "$0")/.."
bad=0
hits=$(grep -nE '\b(sprintf|strcpy|strcat|strncpy|strtok|atoi|gets)\s*\(' lib/*/*.c lib/*/*.h cli/*.c 2>/dev/null | grep -v 'snprintf\|vsnprintf')
[ -n "$hits" ] && { echo "banned calls:"; echo "$hits"; bad=1; }
hits=$(grep -nE '\b(exit|abort|printf|puts|perror)\s*\(|fprintf\s*\(\s*std(err|out)' lib/*/*.c 2>/dev/null | grep -vE 'snprintf|vsnprintf|buf_printf|quire_buf_printf|_printf\(')
[ -n "$hits" ] && { echo "printing or exiting in lib/:"; echo "$hits"; bad=1; }
# quire__para_spec is built with designated initializers only: its fields
# are all numbers and pointers, so a field added in the middle (ltr was)
# shifts a positional initializer's values without a warning.
hits=$(grep -nE 'quire__para_spec +[A-Za-z_]+ *= *\{ *[^.} ]' lib/*/*.c cli/*.c tests/unit/*.c tests/fuzz/*.c bench/*.c 2>/dev/null)
[ -n "$hits" ] && { echo "quire__para_spec with a positional initializer (use .field =):"; echo "$hits"; bad=1; }
# Layering: generated from the tables in docs/architecture.md.
scripts/check-layers.sh >/dev/null || { scripts/check-layers.sh; bad=1; }
[ $bad -eq 0 ] && echo "check-banned: clean"
exit $bad
