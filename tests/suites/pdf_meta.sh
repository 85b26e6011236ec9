#!/bin/sh
# The PDF's catalog, in each engine this build has, for every sample: the
# document language (/Lang) and bookmarks open by default (/PageMode
# /UseOutlines), which cairo 1.16 has no call for (paint/pdf_catalog.c adds
# them as an incremental update) and libharu writes itself; the file still
# passes qpdf --check, and the same input gives the same bytes. With cairo
# the PDF is tagged (cairo 1.16 writes the structure tree; libharu has no
# API for one), every illustration a Figure with /Alt, the dictionaries in
# object streams: pdfinfo -struct must show one H1 first, headings, paragraphs,
# lists and tables nested as PDF's standard structure types require (LI in
# L, TD/TH in TR, TR in Table), and every heading of the text in a heading
# element.
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
    # The language is guessed from the report (render/lang.h): the French
    # report (samples/intl/multiscript, its title and label in French, its
    # body of English summaries and quotes) is fr, every other sample en.
    want=en
    [ "$n" = multiscript ] && want=fr
    case $cat in *"/Lang ($want)"*) ok ;; *) fail "$e $n: want /Lang ($want) in the catalog: $cat" ;; esac
    case $cat in *"/PageMode /UseOutlines"*) ok ;; *) fail "$e $n: bookmarks not open: $cat" ;; esac
    if [ "$e" = cairo ]; then
      pdfinfo -struct "$p" >"$OUT/$n.struct.txt" 2>&1
      if python3 - "$OUT/$n.struct.txt" <<'PY'; then ok; else fail "$e $n: structure tree (see $OUT/$n.struct.txt)"; fi
import re, sys
lines = [l.rstrip("\n") for l in open(sys.argv[1]) if l.strip()]
stack, bad, seen = [], [], []
parent_of = {"LI": {"L"}, "TD": {"TR"}, "TH": {"TR"}, "TR": {"Table"}}
for l in lines:
    depth = (len(l) - len(l.lstrip(" "))) // 2
    name = l.strip().split(" ")[0]
    if name in ("Object", '""') or name.startswith('"'):
        continue
    del stack[depth:]
    par = stack[-1] if stack else None
    if name in parent_of and par not in parent_of[name]:
        bad.append(f"{name} under {par}")
    if name in ("L", "Table") and par == "P":
        bad.append(f"{name} inside a paragraph")
    stack.append(name)
    seen.append(name)
if not seen or seen[0] != "Document":
    bad.append("no Document root")
heads = [x for x in seen if re.fullmatch(r"H[1-6]", x)]
if not heads or heads[0] != "H1" or heads.count("H1") != 1:
    bad.append(f"want one H1 first, got {heads[:3]}")
if seen.count("P") < 3:
    bad.append("fewer than 3 paragraphs")
for b in bad[:5]:
    print(b)
sys.exit(1 if bad else 0)
PY
    fi
    if [ "$e" = cairo ]; then
      # cairo's PDF is rewritten after cairo (paint/pdf_catalog.c): its
      # dictionaries packed into object streams, each Figure given /Alt.
      # qpdf and poppler must both read it, and agree on the pages.
      qn=$(qpdf --show-npages "$p" 2>/dev/null)
      pn=$(pdfinfo "$p" 2>/dev/null | sed -n 's/^Pages: *//p')
      check "$e $n: poppler reads the pages qpdf reads ($pn, $qn)" test -n "$qn" -a "$qn" = "$pn"
      if qpdf --json=2 --json-key=qpdf "$p" | python3 -c '
import json, sys
objs = json.load(sys.stdin)["qpdf"][1]
vals = [v.get("value") for v in objs.values()]
figs = [v for v in vals if isinstance(v, dict) and v.get("/S") == "/Figure"]
bad = [v for v in figs if not str(v.get("/Alt", "")).startswith("u:Illustration: ")]
packed = any(isinstance(v, dict) and v.get("/Type") == "/ObjStm"
             for v in (o.get("stream", {}).get("dict") for o in objs.values()))
print(len(figs), "figures,", len(bad), "without /Alt; object streams:", packed)
sys.exit(1 if bad or not packed else 0)' >"$OUT/$n.alt.txt" 2>&1; then
        ok
      else
        fail "$e $n: figures and object streams: $(cat "$OUT/$n.alt.txt")"
      fi
    fi
    if [ "$e" = cairo ]; then
      # "About this report": each group a table, each row a TR of a TH (the
      # label) and a TD (the value), group labels H3; no paragraph.
      pdfinfo -struct-text "$p" >"$OUT/$n.struct-text.txt" 2>&1
      if python3 - "$OUT/$n.struct-text.txt" <<'PY'; then ok; else fail "$e $n: About is not a tagged table (see $OUT/$n.struct-text.txt)"; fi
import sys
lines = [l.rstrip("\n") for l in open(sys.argv[1]) if l.strip()]
at = [i for i, l in enumerate(lines) if l.strip() == '"About this report"']
if not at:
    print("no About heading"); sys.exit(1)
names = [l.strip().split(" ")[0] for l in lines[at[-1] + 1:]
         if not l.strip().startswith(('"', "Object"))]
rows = names.count("TR")
bad = [x for x in names if x not in ("Table", "TR", "TH", "TD", "H3", "Link")]
ok = rows >= 2 and names.count("TH") == rows and names.count("TD") == rows
print(rows, "rows;", "other elements:", bad[:5])
sys.exit(0 if ok and not bad else 1)
PY
    fi
    "$QUIRE" render -q "$f" -f pdf --pdf-engine "$e" -o - >"$OUT/$n.$e.again.pdf"
    check "$e $n: same bytes twice, file and stdout" cmp -s "$p" "$OUT/$n.$e.again.pdf"
  done
done
# --lang names the language instead of the guess, in both engines; a value
# that is not a language tag is a usage error (exit 2), never written.
for e in $engines; do
  p="$OUT/lang.$e.pdf"
  if "$QUIRE" render -q "$ROOT/samples/intl/multiscript.json" -f pdf \
    --pdf-engine "$e" --lang pt-BR -o "$p"; then
    case $(catalog "$p") in *"/Lang (pt-BR)"*) ok ;; *) fail "$e: --lang pt-BR not in the catalog" ;; esac
  else
    fail "$e: render --lang pt-BR"
  fi
  "$QUIRE" render -q "$ROOT/samples/v2/sales_playbook.json" -f pdf \
    --pdf-engine "$e" --lang 'en)/Foo (' -o "$OUT/badlang.pdf" 2>/dev/null
  check "$e: --lang with PDF syntax is refused (exit 2)" test $? -eq 2
done
done_suite
