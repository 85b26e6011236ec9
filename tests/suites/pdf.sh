#!/bin/sh
# PDF output of every sample, checked with real tools: qpdf --check,
# pdffonts (all embedded), pdfinfo (pages, metadata), pdftotext (every
# title, phrase and paragraph, sections in order; no word outside the
# page), byte-identical second render. Page images go to TEST_OUT for
# people to look at.
. tests/lib.sh
: "${QUIRE:?}" "${TEST_OUT:?}"
for tool in qpdf pdffonts pdfinfo pdftotext pdftoppm python3; do
  command -v $tool >/dev/null 2>&1 || { echo "missing $tool"; fail "$tool installed"; done_suite; exit 1; }
done

CHECK=$TEST_OUT/check_text.py
cat >"$CHECK" <<'PY'
# usage: check_text.py INSPECT_DUMP PDFTOTEXT_OUT BBOX_HTML
import re, sys, html
dump = open(sys.argv[1], encoding="utf-8").read().splitlines()
text = open(sys.argv[2], encoding="utf-8").read()
def norm(s):
    # pdftotext drops a hyphen where a line broke after it
    return re.sub(r"[\s\-\u00ad]+", "", html.unescape(s))
flat = norm(text)
rtl = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
def unq(s):
    return s.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")
bad = 0
pos = 0
for line in dump:
    body = line.strip()
    kind = body.split(" ", 1)[0]
    wanted = []
    for key, val in re.findall(r' (title|phrase|literal)="((?:[^"\\]|\\.)*)"', body):
        if key == "literal" and kind != "md_text":
            continue
        wanted.append((key, unq(val)))
    for key, val in wanted:
        v = val if key != "literal" else val[:40]
        n = norm(v)
        if not n or rtl.search(v):
            continue  # right-to-left text comes out of pdftotext reordered
        top = line.startswith("  ") and not line.startswith("    ") and key == "title"
        at = flat.find(n, pos if top else 0)
        if at < 0:
            print("not ok: missing %s %r" % (key, v[:60]))
            bad += 1
        elif top:
            pos = at  # top-level section titles must come in order
# every word box inside the page
bb = open(sys.argv[3], encoding="utf-8").read()
for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', bb, re.S):
    W, H = float(page.group(1)), float(page.group(2))
    for w in re.finditer(r'xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)"', page.group(3)):
        x0, y0, x1, y1 = map(float, w.groups())
        if x0 < 0 or y0 < 0 or x1 > W + 0.5 or y1 > H + 0.5:
            print("not ok: word outside the page", w.groups())
            bad += 1
            break
sys.exit(1 if bad else 0)
PY

for s in samples/*/*.json; do
  n=$(basename "$s" .json)
  out=$TEST_OUT/$n.pdf
  if ! "$QUIRE" render -q "$s" -o "$out" 2>"$TEST_OUT/$n.err"; then
    fail "$n: render"; continue
  fi
  ok
  check "$n: qpdf --check" sh -c "qpdf --check '$out' >'$TEST_OUT/$n.qpdf' 2>&1"
  check "$n: qpdf no warnings" sh -c "! grep -qi warning '$TEST_OUT/$n.qpdf'"
  pdffonts "$out" >"$TEST_OUT/$n.fonts" 2>&1
  check "$n: fonts embedded" sh -c "tail -n +3 '$TEST_OUT/$n.fonts' | awk '\$(NF-4) != \"yes\" {exit 1}'"
  check "$n: fonts listed" sh -c "[ \$(tail -n +3 '$TEST_OUT/$n.fonts' | wc -l) -gt 0 ]"
  pdfinfo "$out" >"$TEST_OUT/$n.info" 2>&1
  "$QUIRE" inspect "$s" >"$TEST_OUT/$n.tree" 2>/dev/null
  check "$n: pages > 0" sh -c "awk '/^Pages:/ {exit !(\$2 > 0)}' '$TEST_OUT/$n.info'"
  check "$n: creator" grep -q "^Creator: *quire [0-9]" "$TEST_OUT/$n.info"
  title=$(sed -n 's/^meta title="\(.*\)"$/\1/p' "$TEST_OUT/$n.tree" | sed 's/\\"/"/g')
  check "$n: title metadata" grep -qF "Title:           $title" "$TEST_OUT/$n.info"
  author=$(sed -n 's/^meta entity.label="\(.*\)"$/\1/p' "$TEST_OUT/$n.tree")
  [ -n "$author" ] && check "$n: author metadata" grep -qF "Author:          $author" "$TEST_OUT/$n.info"
  subj=$(sed -n 's/^meta template="\(.*\)"$/\1/p' "$TEST_OUT/$n.tree")
  [ -n "$subj" ] && check "$n: subject metadata" grep -qF "Subject:         $subj" "$TEST_OUT/$n.info"
  grep -q '^meta createdAt=' "$TEST_OUT/$n.tree" &&
    check "$n: creation date" grep -q "^CreationDate: *[A-Z][a-z][a-z] .* 2026" "$TEST_OUT/$n.info"
  pdftotext -enc UTF-8 "$out" "$TEST_OUT/$n.txt" 2>/dev/null
  pdftotext -enc UTF-8 -bbox "$out" "$TEST_OUT/$n.bbox.html" 2>/dev/null
  check "$n: text, order, bounds" python3 "$CHECK" "$TEST_OUT/$n.tree" "$TEST_OUT/$n.txt" "$TEST_OUT/$n.bbox.html"
  "$QUIRE" render -q "$s" -f pdf -o - >"$TEST_OUT/$n.again.pdf" 2>/dev/null
  check "$n: byte-identical second render" cmp -s "$out" "$TEST_OUT/$n.again.pdf"
  rm -f "$TEST_OUT/$n.again.pdf"
  mkdir -p "$TEST_OUT/pages"
  pdftoppm -r 50 -png "$out" "$TEST_OUT/pages/$n" 2>/dev/null
  check "$n: page images" sh -c "ls '$TEST_OUT/pages/$n'-*.png >/dev/null 2>&1"
done

# Letter paper and the engine switch.
"$QUIRE" render -q --paper letter samples/v2/sales_playbook.json -o "$TEST_OUT/letter.pdf"
check "letter: 612 x 792" grep -q "Page size: *612 x 792" "$(pdfinfo "$TEST_OUT/letter.pdf" >"$TEST_OUT/letter.info"; echo "$TEST_OUT/letter.info")"
"$QUIRE" render -q samples/v2/sales_playbook.json -o "$TEST_OUT/a4.pdf"
check "a4: 595 x 842" grep -q "Page size: *595.2[0-9]* x 841.8[0-9]*" "$(pdfinfo "$TEST_OUT/a4.pdf" >"$TEST_OUT/a4.info"; echo "$TEST_OUT/a4.info")"
check "outline present" sh -c "grep -aq '/Outlines' '$TEST_OUT/a4.pdf' || qpdf --qdf --object-streams=disable '$TEST_OUT/a4.pdf' - | grep -aq '/Outlines'"
check "report link annotation" sh -c "qpdf --qdf --object-streams=disable '$TEST_OUT/a4.pdf' - | grep -aq '/URI (https://'"
check "no javascript/file links" sh -c "! qpdf --qdf --object-streams=disable '$TEST_OUT/all_blocks.pdf' - 2>/dev/null | grep -aqiE '/URI \\((javascript|file|data):'"
expect_status 0 "stdout pdf" sh -c "'$QUIRE' render -q samples/v2/sales_playbook.json -f pdf -o - | head -c 5 | grep -q '%PDF-'"

# Text that once hung or broke the engines (robustness run): 100,000
# combining marks on one letter (pango past 25 s, libharu failed), two
# 100,000-character words (16 s), a 2 MB unbroken title (one title block 200
# pages tall), 200,000 trait phrases (20 s). Each must now make a valid PDF
# holding the text around it. The timeout only catches a hang.
H="$TEST_OUT/hostile"
mkdir -p "$H"
python3 - "$H" <<'PY'
import json, sys
out = sys.argv[1]
base = {"id": "rep_h", "createdAt": "2026-03-18T16:41:00Z", "media": {},
        "output": {"template": "general_report"}}
def report(name, title, sections):
    r = dict(base, title=title, json={"schemaVersion": 2, "sections": sections})
    with open(f"{out}/{name}.json", "w") as f:
        json.dump(r, f)
para = lambda body: {"kind": "paragraph", "key": "k", "title": "Before", "body": body}
report("marks", "Marks", [para("Zalgo a" + "\u0301" * 100000 + " after")])
report("words", "Words", [para("x" * 100000 + " middle " + "y" * 100000 + " after")])
report("title", "T" * 2000000, [para("after")])
report("phrases", "Phrases", [{"kind": "traits", "key": "t", "title": "Traits",
                                "body": "after", "phrases": ["p%d" % i for i in range(200000)]}])
PY
engines="cairo haru"
[ "${PDF:-all}" = haru ] && engines=haru
for e in $engines; do
  for n in marks words title phrases; do
    timeout 120 "$QUIRE" render -q "$H/$n.json" --pdf-engine "$e" -o "$H/$n.$e.pdf" 2>"$H/$n.$e.err"
    st=$?
    check "$n ($e): renders (exit $st)" [ "$st" -eq 0 ]
    check "$n ($e): qpdf --check" qpdf --check "$H/$n.$e.pdf"
    pdftotext -enc UTF-8 "$H/$n.$e.pdf" "$H/$n.$e.txt" 2>/dev/null
    check "$n ($e): the text after it is there" grep -q "after" "$H/$n.$e.txt"
  done
done
"$QUIRE" render "$H/phrases.json" -o "$H/phrases.warn.pdf" 2>"$H/phrases.warn"
check "200,000 phrases: a warning says the first 32 are kept" grep -q "the first 32 are kept" "$H/phrases.warn"
# The running header is one line: a title too long for it ends in "…" after
# the most whole words that fit (it was cut at its first line break, the rest
# dropped without a sign: multiscript's header ended "(Αθήνα · Ереван ·
# 上海 · 大"). Both engines cut at the same character.
python3 - "$H" <<'PY'
import json, sys
title = ("Quarterly behavioural review of the northern logistics account, "
         "with notes on procurement, dispatch, finance and the renewal plan")
para = {"kind": "paragraph", "key": "k", "title": "Section", "body": "word " * 400}
r = {"id": "rep_t", "createdAt": "2026-03-18T16:41:00Z", "media": {},
     "output": {"template": "general_report"}, "label": title,
     "json": {"schemaVersion": 2, "sections": [dict(para, key="k%d" % i) for i in range(6)]}}
json.dump(r, open(sys.argv[1] + "/long_title.json", "w"))
# A label of combining marks only: no character start to cut before.
r["label"] = "\u0301" * 3000
json.dump(r, open(sys.argv[1] + "/marks_title.json", "w"))
PY
for e in $engines; do
  "$QUIRE" render -q "$H/long_title.json" --pdf-engine "$e" -o "$H/long_title.$e.pdf"
  pdftotext -enc UTF-8 -layout -f 2 -l 2 "$H/long_title.$e.pdf" - 2>/dev/null | sed -n 1p | sed 's/ *$//' >"$H/long_title.$e.head"
  check "long title ($e): the running header ends in an ellipsis" grep -q '…$' "$H/long_title.$e.head"
  check "long title ($e): the header is the title's first whole words" python3 -c '
import sys
h = open(sys.argv[1], encoding="utf-8").read().strip()[:-1]
t = "Quarterly behavioural review of the northern logistics account, with notes on procurement"
sys.exit(not (len(h) > 40 and (t + " ").startswith(h + " ")))' "$H/long_title.$e.head"
done
for e in $engines; do
  "$QUIRE" render -q "$H/marks_title.json" --pdf-engine "$e" -o "$H/marks_title.$e.pdf"
  check "a label of 3,000 combining marks ($e): renders, header cut" qpdf --check "$H/marks_title.$e.pdf"
done
if [ "$engines" = "cairo haru" ]; then
  check "long title: both engines cut the header at the same place" cmp -s "$H/long_title.cairo.head" "$H/long_title.haru.head"
fi
done_suite
