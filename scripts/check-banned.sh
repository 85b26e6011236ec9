#!/bin/sh
# House-rule gates: banned calls, library printing/exiting, and layering.
cd "$(dirname "$0")/.."
bad=0
hits=$(grep -nE '\b(sprintf|strcpy|strcat|strncpy|strtok|atoi|gets)\s*\(' lib/*/*.c lib/*/*.h cli/*.c 2>/dev/null | grep -v 'snprintf\|vsnprintf')
[ -n "$hits" ] && { echo "banned calls:"; echo "$hits"; bad=1; }
hits=$(grep -nE '\b(exit|abort|printf|puts|perror)\s*\(|fprintf\s*\(\s*std(err|out)' lib/*/*.c 2>/dev/null | grep -vE 'snprintf|vsnprintf|buf_printf|quire_buf_printf|_printf\(')
[ -n "$hits" ] && { echo "printing or exiting in lib/:"; echo "$hits"; bad=1; }
hits=$(grep -lE '#include <(jansson|curl/curl|cmark-gfm)' lib/render/*.c lib/layout/*.c 2>/dev/null | grep -vE 'html\.c')
[ -n "$hits" ] && { echo "layering: render/layout include jansson/curl/cmark:"; echo "$hits"; bad=1; }
hits=$(grep -lE '#include <curl/curl.h>' lib/*/*.c | grep -v '^lib/fetch/')
[ -n "$hits" ] && { echo "layering: curl outside lib/fetch:"; echo "$hits"; bad=1; }
hits=$(grep -lE '#include <(hpdf|cairo)' lib/decode/*.c 2>/dev/null)
[ -n "$hits" ] && { echo "layering: decode includes a PDF engine:"; echo "$hits"; bad=1; }
hits=$(grep -nE '#include "(internal|model/|decode/|render/|template/|fetch/|core/)' cli/*.c cli/*.h 2>/dev/null)
[ -n "$hits" ] && { echo "layering: the CLI includes library internals:"; echo "$hits"; bad=1; }
[ $bad -eq 0 ] && echo "check-banned: clean"
exit $bad
