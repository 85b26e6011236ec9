#!/bin/sh
# Scripts on the page, in each engine this build has, for every sample:
# no line ends with an opening guillemet or starts with a closing one or a
# separator (paint/engine.c ties them with no-break spaces, for both
# engines alike); tests/tools/pdf_lines.py reads the lines.
. "$(dirname "$0")/../lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${TEST_OUT:-/tmp/quire-pdf-scripts}
mkdir -p "$OUT"
PDF=${PDF:-all}
engines=haru
[ "$PDF" = all ] && engines="cairo haru"

for e in $engines; do
  for f in "$ROOT"/samples/*/*.json; do
    n=$(basename "$f" .json)
    p="$OUT/$n.$e.pdf"
    if ! "$QUIRE" render -q "$f" -f pdf --pdf-engine "$e" -o "$p"; then
      fail "$e $n: render"
      continue
    fi
    check "$e $n: line starts and ends" python3 "$ROOT/tests/tools/pdf_lines.py" "$p"
  done
done
done_suite
