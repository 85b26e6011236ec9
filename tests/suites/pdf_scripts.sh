#!/bin/sh
# Scripts on the page, in each engine this build has, for every sample:
# no line ends with an opening guillemet or starts with a closing one or a
# separator (paint/engine.c ties them with no-break spaces, for both
# engines alike); tests/tools/pdf_lines.py reads the lines. Bold CJK is
# bold although its face (WenQuanYi Micro Hei) has no bold: cairo
# emboldens it, haru strokes it; tests/tools/pdf_ink.py weighs the ink.
# Long URLs and identifiers in narrow cards (tests/data/scripts/
# long_tokens.json) break at the same readable places in both engines:
# after / . _ and between a small and a capital letter, never with a
# hyphen added (pango added "Regist-er"; pdftotext cannot see that
# hyphen, so the places are checked).
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
# The cards of tests/data/themes/wide (the type before issue 14's measure:
# 10 pt, 18 mm sides) are three to a row, narrow enough that every token
# must break; the default's are two to a row.
for e in $engines; do
  "$QUIRE" render -q --templates "$ROOT/tests/data/themes/wide" \
    "$ROOT/tests/data/scripts/long_tokens.json" -f pdf \
    --pdf-engine "$e" -o "$OUT/tokens.$e.pdf" || fail "$e tokens: render"
  pdftotext -raw "$OUT/tokens.$e.pdf" "$OUT/tokens.$e.txt"
  for want in "getElementByIdAnd" "RegisterCustomElement" "goes_on_and_on_and_on_" \
    "See https://api.conduit." "example.com/v2/reports/" "Call element.set"; do
    check "$e tokens: a line is '$want'" grep -q -x -F -e "$want" -e "$want " "$OUT/tokens.$e.txt"
  done
done
if [ "$PDF" = all ]; then
  check "tokens: cairo and haru break every line alike" \
    cmp -s "$OUT/tokens.cairo.txt" "$OUT/tokens.haru.txt"
fi

# A long URL or identifier is cut at one of those places only when it does
# not fit on a line of its own (paint/linemodel.c S_word_fits): the About
# block's list of sample ids moves each id down whole ("sample_" ended a
# line before), and a URL that fits the measure is never split
# ("report." / "pdf" before).
for e in $engines; do
  for n in sales_playbook general_report profile_alignment; do
    pdftotext -raw "$OUT/$n.$e.pdf" "$OUT/$n.$e.raw" 2>/dev/null
    check "$e $n: no line ends inside a sample id" sh -c "! grep -q 'sample_\$' '$OUT/$n.$e.raw'"
    check "$e $n: every sample id whole on a line" sh -c "test \$(grep -c -E '(^| )sample_[A-Za-z0-9]{16}(,|\$)' '$OUT/$n.$e.raw') -ge 2"
  done
  pdftotext -raw "$OUT/pdf_type.$e.pdf" "$OUT/pdf_type.$e.raw" 2>/dev/null
  check "$e pdf_type: the report's URL whole on one line" \
    grep -q -x -F "https://storage.mappa.ai/reports/report_9Fk4WcTn2HvQ7yLs/report.pdf" "$OUT/pdf_type.$e.raw"
done

cat >"$OUT/cjk.json" <<'JSON'
{"id":"report_cjkBold01","createdAt":"2026-02-03T10:00:00Z","label":"CJK bold",
 "output":{"template":"general_report"},
 "markdown":"# CJK\n\n**\u538b\u529b\u4e4b\u4e0b** bold\n\n\u538b\u529b\u4e4b\u4e0b regular\n"}
JSON
for e in $engines; do
  p="$OUT/cjk.$e.pdf"
  "$QUIRE" render -q "$OUT/cjk.json" -f pdf --pdf-engine "$e" -o "$p" || fail "$e cjk: render"
  ink=$(python3 "$ROOT/tests/tools/pdf_ink.py" "$p" "$(printf '\345\216\213\345\212\233\344\271\213\344\270\213')" | tr '\n' ' ')
  set -- $ink
  check "$e: bold CJK has more ink than regular (${1:-?} vs ${2:-?})" \
    test "${1:-0}" -gt $(( ${2:-0} * 5 / 4 ))
done

# A right-to-left trait pill holds its text: the Arabic phrase sits between
# the pills before and after it, not at the column's right edge, where the
# full-width layout of its paragraph put it.
for e in $engines; do
  p="$OUT/rtl_pill.$e.pdf"
  "$QUIRE" render -q "$ROOT/tests/data/scripts/rtl_pill.json" -f pdf --pdf-engine "$e" -o "$p" ||
    fail "$e rtl pill: render"
  check "$e: a right-to-left pill's text is inside its pill" python3 - "$p" <<'PY'
import re, subprocess, sys
xml = subprocess.run(["pdftotext", "-bbox", sys.argv[1], "-"],
                     capture_output=True, text=True).stdout
words = re.findall(r'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)<', xml)
right_of = max(float(b) for a, b, w in words if w == "first")
left_of = min(float(a) for a, b, w in words if w == "Gamma")
arabic = [(float(a), float(b)) for a, b, w in words if re.search("[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]", w)]
ok = arabic and all(right_of < a and b < left_of for a, b in arabic)
print(right_of, left_of, arabic[:2])
sys.exit(0 if ok else 1)
PY
done
done_suite
