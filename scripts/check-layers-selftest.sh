#!/bin/sh
# The layering gate must fail when an arrow runs the wrong way: plants one
# violation at a time in a copy of the tree (a header and a .c file
# including upwards, core calling into fetch/, an outside library where
# the table does not allow it, cli/ reaching a private header or being
# compiled with another include path) and checks that
# scripts/check-layers.sh fails and names the file. The untouched copy
# must pass.
cd "$(dirname "$0")/.."
tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-layers.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$tmp/docs" "$tmp/scripts"
cp docs/architecture.md "$tmp/docs/"
cp scripts/check-layers.sh "$tmp/scripts/"
cp Makefile "$tmp/"
cp -R lib cli "$tmp/"
fails=0

# plant FILE LINE EXPECT: adds LINE at the top of FILE (a copy), runs the
# gate, restores FILE; the gate must fail and print EXPECT.
plant() {
  f=$tmp/$1
  cp "$f" "$f.orig"
  { printf '%s\n' "$2"; cat "$f.orig"; } >"$f"
  out=$("$tmp/scripts/check-layers.sh" 2>&1)
  rc=$?
  mv "$f.orig" "$f"
  if [ $rc -eq 0 ]; then
    echo "not caught: $1: $2"
    fails=$((fails + 1))
  elif ! printf '%s\n' "$out" | grep -qF "$3"; then
    echo "caught but not named ($3): $1: $2"
    printf '%s\n' "$out" | sed 's/^/  | /'
    fails=$((fails + 1))
  fi
}

if ! "$tmp/scripts/check-layers.sh" >/dev/null 2>&1; then
  echo "the untouched copy fails the gate"
  "$tmp/scripts/check-layers.sh"
  fails=$((fails + 1))
fi

plant lib/model/model.h '#include "render/render.h"' 'lib/model/model.h'
plant lib/layout/page.h '#include "paint/paint.h"' 'lib/layout/page.h'
plant lib/core/buf.c '#include "fetch/fetch.h"' 'lib/core/buf.c'
plant lib/safety/escape_html.c '#include "decode/decoder.h"' 'lib/safety/escape_html.c'
plant lib/paint/paint.h '#include "layout/page.h"' 'lib/paint/paint.h'
plant lib/render/render.h '#include "api/nothing.h"' 'lib/render/render.h'
plant lib/core/out.c '#include <curl/curl.h>' 'lib/core/out.c'
plant lib/model/doc.c '#include <jansson.h>' 'lib/model/doc.c'
plant lib/internal.h '#include "model/model.h"' 'lib/internal.h'
plant lib/include/quire.h '#include "internal.h"' 'lib/include/quire.h'
plant cli/main.c '#include "internal.h"' 'cli/main.c'
plant cli/main.c '#include "render/render.h"' 'cli/main.c'
plant lib/safety/url_policy.c 'static void f(void) { quire_doc_root(0); }' 'lib/safety/'

# cli/ compiled with a private include path.
cp "$tmp/Makefile" "$tmp/Makefile.orig"
sed 's|^CLI_CFLAGS = \$(BASE_CFLAGS) -Ilib/include|& -Ilib|' "$tmp/Makefile.orig" >"$tmp/Makefile"
if cmp -s "$tmp/Makefile" "$tmp/Makefile.orig"; then
  echo "cannot plant -Ilib in the Makefile's CLI_CFLAGS"
  fails=$((fails + 1))
elif "$tmp/scripts/check-layers.sh" >/dev/null 2>&1; then
  echo "not caught: cli/ compiled with -Ilib"
  fails=$((fails + 1))
fi
mv "$tmp/Makefile.orig" "$tmp/Makefile"

[ $fails -eq 0 ] && echo "check-layers-selftest: every planted violation caught"
exit $((fails != 0))
