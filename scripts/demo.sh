#!/bin/sh
# make demo: render a bundled sample to terminal text, HTML and PDF, and
# check every bundled sample, so a new user sees what quire does.
set -u
BUILD=${1:-build}
Q=$BUILD/quire
out=demo-out
mkdir -p "$out"
sample=samples/v2/sales_playbook.json
echo "== quire validate samples/*/*.json"
"$Q" validate --quiet samples/*/*.json
echo
echo "== quire render $sample (terminal text)"
"$Q" render --no-pager --width "${COLUMNS:-100}" "$sample"
echo
for fmt in html pdf png; do
  if "$Q" render "$sample" -o "$out/sales_playbook.$fmt" 2>"$out/err.txt"; then
    echo "wrote $out/sales_playbook.$fmt"
  else
    echo "($fmt: $(cat "$out/err.txt"))"
  fi
done
rm -f "$out/err.txt"
echo
echo "Open $out/sales_playbook.html in a browser, or $out/sales_playbook.pdf in a PDF viewer."
