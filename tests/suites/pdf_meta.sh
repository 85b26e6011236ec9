#!/bin/sh
# The PDF's catalog, in each engine this build has, for every sample: the
# document language (/Lang) and bookmarks open by default (/PageMode
# /UseOutlines), which cairo 1.16 has no call for (paint/pdf_catalog.c adds
# them as an incremental update) and libharu writes itself; the file still
# passes qpdf --check, and the same input gives the same bytes.
. "$(dirname "$0")/../lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${TEST_OUT:-/tmp/quire-pdf-meta}
mkdir -p "$OUT"
PDF=${PDF:-all}
engines=haru
[ "$PDF" = all ] && engines="cairo haru"

# The catalog as qpdf resolves it: the newest revision of /Root.
catalog() {
  root=$(qpdf --show-object=trailer "$1" | sed -n 's/.*\/Root \([0-9]*\) 0 R.*/\1/p')
  [ -n "$root" ] && qpdf --show-object="$root" "$1"
}

for e in $engines; do
  for f in "$ROOT"/samples/*/*.json; do
    n=$(basename "$f" .json)
    p="$OUT/$n.$e.pdf"
    if ! "$QUIRE" render -q "$f" -f pdf --pdf-engine "$e" -o "$p"; then
      fail "$e $n: render"
      continue
    fi
    check "$e $n: qpdf --check" sh -c "qpdf --check '$p' >/dev/null 2>&1"
    cat=$(catalog "$p")
    case $cat in *"/Lang (en)"*) ok ;; *) fail "$e $n: no /Lang in the catalog: $cat" ;; esac
    case $cat in *"/PageMode /UseOutlines"*) ok ;; *) fail "$e $n: bookmarks not open: $cat" ;; esac
    "$QUIRE" render -q "$f" -f pdf --pdf-engine "$e" -o - >"$OUT/$n.$e.again.pdf"
    check "$e $n: same bytes twice, file and stdout" cmp -s "$p" "$OUT/$n.$e.again.pdf"
  done
done
done_suite
