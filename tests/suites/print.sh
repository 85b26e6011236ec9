#!/bin/sh
# The HTML printed from a browser: every sample printed to PDF by headless
# Chromium (tests/browser/print.js) and read back with poppler-utils. What a
# reader of the paper copy needs from the print stylesheet: page numbers
# ("k / n") on every page, the report title as a running head from page 2
# on, the contents kept, no page left mostly empty before the last, and a
# title that cannot break out of the CSS string it is placed in.
. "$(dirname "$0")/../lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${TEST_OUT:-/tmp/quire-print}
mkdir -p "$OUT/html" "$OUT/pdf"
BROWSER_DIR="$ROOT/tests/browser"
if [ ! -d "$BROWSER_DIR/node_modules/playwright-core" ]; then
  (cd "$BROWSER_DIR" && npm ci --no-audit --no-fund >/dev/null 2>&1 ||
    npm install --no-audit --no-fund >/dev/null 2>&1)
fi

for f in "$ROOT"/samples/*/*.json; do
  n=$(basename "$f" .json)
  check "render $n" "$QUIRE" render -q "$f" -f html -o "$OUT/html/$n.html"
done
# A title made to break out: quotes, a backslash, </style>, a script, a
# line break. It must print literally in the running head.
python3 - "$ROOT/samples/v2/sales_playbook.json" "$OUT/hostile.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["json"]["title"] = 'Q "quoted" \\ back </style><script>alert(1)</script>\nnext'
json.dump(d, open(sys.argv[2], "w"))
PY
check "render hostile title" "$QUIRE" render -q "$OUT/hostile.json" -f html -o "$OUT/html/hostile.html"
n_style=$(grep -c '</style>' "$OUT/html/hostile.html")
[ "$n_style" = 1 ] && ok || fail "hostile title: $n_style </style> tags in the HTML, want 1"
grep -q '<script' "$OUT/html/hostile.html" && fail "hostile title: a <script> tag in the HTML" || ok

if ! node "$BROWSER_DIR/print.js" "$OUT/pdf" "$OUT"/html/*.html >"$OUT/print.txt" 2>&1; then
  fail "Chromium could not print (see $OUT/print.txt)"
  head -n 5 "$OUT/print.txt"
fi

python3 - "$OUT" "$OUT/html" <<'PY' >"$OUT/checks.txt"
import os, re, subprocess, sys, html as H
out, hdir = sys.argv[1], sys.argv[2]
def run(*a):
    return subprocess.run(a, capture_output=True, text=True).stdout
for name in sorted(os.listdir(hdir)):
    n = name[:-5]
    pdf = os.path.join(out, "pdf", n + ".pdf")
    if not os.path.exists(pdf):
        print(f"not ok {n}: no PDF"); continue
    src = open(os.path.join(hdir, name), encoding="utf-8").read()
    title = H.unescape(re.search(r"<title>(.*?)</title>", src, re.S).group(1))
    pages = int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", pdf)).group(1))
    # Page furniture: the footer on every page, the running head from 2 on.
    for k in range(1, pages + 1):
        t = run("pdftotext", "-f", str(k), "-l", str(k), pdf, "-")
        flat = re.sub(r"\s+", "", t)
        if f"{k}/{pages}" not in flat:
            print(f"not ok {n}: page {k} has no '{k} / {pages}'")
        else:
            print(f"ok {n}: page {k} numbered")
        if k >= 2:
            head = re.sub(r"\s+", "", title)[:20]
            if head in flat:
                print(f"ok {n}: page {k} running title")
            else:
                print(f"not ok {n}: page {k} lacks the running title {title[:20]!r}")
    # The contents are kept on paper.
    if 'class="toc"' in src:
        t = run("pdftotext", pdf, "-")
        print(("ok" if "CONTENTS" in t.upper() else "not ok") + f" {n}: contents printed")
    # No page before the last ends in its top half: the lowest text on
    # each page (pdftotext -bbox) reaches at least 55 % of the page height.
    bbox = run("pdftotext", "-bbox", pdf, "-")
    for k, pg in enumerate(re.findall(r"<page[^>]*height=\"([\d.]+)\">(.*?)</page>", bbox, re.S), 1):
        if k == pages:
            break
        h = float(pg[0])
        ys = [float(y) for y in re.findall(r'yMax="([\d.]+)"', pg[1])]
        # The footer's page number sits in the bottom margin: ignore it.
        ys = [y for y in ys if y < h - 20 * 72 / 25.4]
        low = max(ys) / h if ys else 0
        print(("ok" if low >= 0.55 else "not ok") + f" {n}: page {k} filled to {low:.0%}")
    # "About this report": each group on one page (its title and its last
    # row's label printed on the same page; fails without the print
    # stylesheet's break-inside on .fact-group), and the last page not a line
    # or two alone (at least 15 % of the page, as quire's PDF).
    # compared without spaces: letter-spaced capitals come out "METRIC S"
    texts = [re.sub(r"\s+", "", run("pdftotext", "-f", str(k), "-l", str(k), pdf, "-")).upper()
             for k in range(1, pages + 1)]
    for g in re.findall(r'<section class="fact-group">(.*?)</section>', src, re.S):
        gt = re.search(r'<h3 class="fact-title">(.*?)</h3>', g, re.S)
        dts = re.findall(r"<dt[^>]*>(.*?)</dt>", g, re.S)
        if not gt or not dts:
            continue
        first = re.sub(r"\s+", "", H.unescape(gt.group(1))).upper()
        # the last label's longest word: a label that wraps is read
        # between the words of its value
        last = max(re.findall(r"\w+", H.unescape(dts[-1])), key=len).upper()
        on = [k for k, t in enumerate(texts, 1) if first in t and last in t]
        print(("ok" if on else "not ok") + f" {n}: About group {first!r} on one page")
    if bbox and pages > 1:
        pg = re.findall(r"<page[^>]*height=\"([\d.]+)\">(.*?)</page>", bbox, re.S)[-1]
        h = float(pg[0])
        mm = 72 / 25.4
        boxes = [(float(a), float(b)) for a, b in re.findall(
            r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', pg[1])]
        # the flow only: not the running head (top margin), not the page
        # number (bottom margin)
        body = [b for a, b in boxes if a > 16 * mm and b < h - 19 * mm]
        fill = (max(body) - 18 * mm) / (h - 38 * mm) if body else 0
        print(("ok" if fill >= 0.15 else "not ok") + f" {n}: last page {fill:.0%} full")
    if n == "hostile":
        t = run("pdftotext", "-f", "2", "-l", "2", pdf, "-")
        want = 'Q "quoted" \\ back </style><script>alert(1)</script>'
        print(("ok" if want in t else "not ok") + f" hostile: running head printed literally")
PY
while read -r line; do
  case $line in
  ok*) ok ;;
  *) fail "$line" ;;
  esac
done <"$OUT/checks.txt"
done_suite
