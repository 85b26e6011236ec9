#!/bin/sh
# HTML output, checked with real tools: the Nu Html Checker (vnu-jar, on
# Java), headless Chromium (tests/browser/check.js, one warm browser for all
# pages), an XSS corpus in every string field, golden files, and user
# template errors/overrides. Screenshots and rendered files stay in TEST_OUT.
#
# UPDATE_GOLDEN=1 rewrites tests/golden/html/ from the current output.
. "$(dirname "$0")/../lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${TEST_OUT:-/tmp/quire-html}
mkdir -p "$OUT/html" "$OUT/xss" "$OUT/shots" "$OUT/tpl"

# ---- render every sample ----
for f in "$ROOT"/samples/*/*.json; do
  n=$(basename "$f" .json)
  check "render $n" "$QUIRE" render -q "$f" -f html -o "$OUT/html/$n.html"
done
check "-o - writes HTML to stdout" sh -c \
  "'$QUIRE' render -q '$ROOT/samples/v2/sales_playbook.json' -f html -o - | cmp -s - '$OUT/html/sales_playbook.html'"

# ---- golden files ----
for f in "$OUT"/html/*.html; do
  n=$(basename "$f")
  g="$ROOT/tests/golden/html/$n"
  if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
    cp "$f" "$g"
    ok
  elif [ -f "$g" ]; then
    if cmp -s "$f" "$g"; then ok; else fail "golden $n differs (diff $g $f; UPDATE_GOLDEN=1 to accept)"; fi
  else
    fail "golden $n missing (run with UPDATE_GOLDEN=1)"
  fi
done

# ---- tools ----
BROWSER_DIR="$ROOT/tests/browser"
if [ ! -d "$BROWSER_DIR/node_modules/playwright-core" ] || [ ! -d "$BROWSER_DIR/node_modules/vnu-jar" ]; then
  (cd "$BROWSER_DIR" && npm ci --no-audit --no-fund >/dev/null 2>&1 ||
    npm install --no-audit --no-fund >/dev/null 2>&1)
fi
VNU="$BROWSER_DIR/node_modules/vnu-jar/build/dist/vnu.jar"

# ---- Nu Html Checker ----
if [ -f "$VNU" ] && command -v java >/dev/null 2>&1; then
  if java -jar "$VNU" --errors-only --format gnu "$OUT"/html/*.html >"$OUT/vnu.txt" 2>&1; then
    ok
  else
    fail "Nu Html Checker errors (see $OUT/vnu.txt):"
    head -n 20 "$OUT/vnu.txt"
  fi
else
  fail "Nu Html Checker not available (npm install in tests/browser, default-jre-headless)"
fi

# ---- XSS corpus ----
python3 "$ROOT/tests/data/xss/make_reports.py" "$OUT/xss" \
  "$ROOT/samples/v2/sales_playbook.json" "$ROOT/samples/legacy/all_blocks.json" \
  "$ROOT/samples/legacy/markdown_only.json" "$ROOT/samples/normalized/sdk_dump.json"
for f in "$OUT"/xss/*.json; do
  h=${f%.json}.html
  check "render xss $(basename "$f")" "$QUIRE" render -q "$f" -f html -o "$h"
  # The same page without its CSP: escaping alone must stop every payload.
  sed 's/<meta http-equiv="Content-Security-Policy"[^>]*>//' "$h" >"${f%.json}-nocsp.html"
done
if python3 "$ROOT/tests/data/xss/check_static.py" "$OUT"/xss/*.html "$OUT"/html/*.html >"$OUT/static.txt"; then
  ok
else
  fail "static HTML checks (see $OUT/static.txt):"
  head -n 20 "$OUT/static.txt"
fi
check "CSP meta present" grep -q "default-src 'none'" "$OUT/html/sales_playbook.html"

# ---- Chromium ----
if [ -d "$BROWSER_DIR/node_modules/playwright-core" ] && command -v node >/dev/null 2>&1; then
  node "$BROWSER_DIR/check.js" "$OUT/shots" "$OUT"/html/*.html >"$OUT/browser.txt" 2>&1
  node "$BROWSER_DIR/check.js" "$OUT/shots" --xss "$OUT"/xss/*.html >"$OUT/browser-xss.txt" 2>&1
  for log in "$OUT/browser.txt" "$OUT/browser-xss.txt"; do
    p=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$log")
    f=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$log")
    T_PASS=$((T_PASS + ${p:-0}))
    if [ -z "$p" ]; then fail "browser run $(basename "$log") crashed"; tail -n 5 "$log"; fi
    T_FAIL=$((T_FAIL + ${f:-0}))
    grep '^not ok' "$log" | head -n 20
  done
else
  fail "playwright-core/node not available"
fi

# ---- user templates: errors with file:line, one-file overrides ----
T="$OUT/tpl"
mkdir -p "$T/unclosed/default/partials" "$T/missing/default" "$T/override/default/partials"
printf '<article class="card">\n{{#title}}\n<h3>{{title}}</h3>\n</article>\n' \
  >"$T/unclosed/default/partials/card.mustache"
"$QUIRE" render -q "$ROOT/samples/legacy/all_blocks.json" -f html --templates "$T/unclosed" \
  -o "$T/unclosed.html" 2>"$T/unclosed.err"
rc=$?
check "unclosed section: non-zero exit" [ "$rc" -ne 0 ]
check "unclosed section: file:line: message ($(cat "$T/unclosed.err"))" \
  grep -Eq 'partials/card\.mustache:[0-9]+(:[0-9]+)?: .*(unclosed|not closed|title)' "$T/unclosed.err"
check "unclosed section: no output file left" [ ! -e "$T/unclosed.html" ]
sed 's/{{>partials\/footer}}/{{>partials\/no_such_partial}}/' "$ROOT/templates/default/layout.mustache" \
  >"$T/missing/default/layout.mustache"
"$QUIRE" render -q "$ROOT/samples/v2/sales_playbook.json" -f html --templates "$T/missing" \
  -o "$T/missing.html" 2>"$T/missing.err"
rc=$?
check "missing partial: non-zero exit" [ "$rc" -ne 0 ]
check "missing partial: file:line: message ($(cat "$T/missing.err"))" \
  grep -Eq 'layout\.mustache:[0-9]+(:[0-9]+)?: .*no_such_partial' "$T/missing.err"
{ echo '<!-- override -->'; cat "$ROOT/templates/default/partials/traits.mustache"; } \
  >"$T/override/default/partials/traits.mustache"
QUIRE_TEMPLATES="$T/override" "$QUIRE" render -q "$ROOT/samples/v2/sales_playbook.json" -f html \
  -o "$T/override.html"
check "override via QUIRE_TEMPLATES renders" [ -s "$T/override.html" ]
diff "$OUT/html/sales_playbook.html" "$T/override.html" >"$T/override.diff"
check "override changes only that partial" sh -c \
  "[ \$(grep -c '^>' '$T/override.diff') -eq 1 ] && [ \$(grep -c '^<' '$T/override.diff') -eq 0 ] && grep -q '^> <!-- override -->' '$T/override.diff'"
"$QUIRE" render -q "$ROOT/samples/v2/sales_playbook.json" -f html --templates "$T/override" \
  -o "$T/override2.html"
check "--templates DIR gives the same result" cmp -s "$T/override.html" "$T/override2.html"
check "quire templates lists built-ins" sh -c "'$QUIRE' templates | grep -q sales_playbook"

# ---- hostile or mistaken template options and files ----
S="$ROOT/samples/v2/sales_playbook.json"
tpl_fails() { # DESCRIPTION WANT_STATUS MESSAGE_REGEX ARGS...
  d=$1 want=$2 re=$3
  shift 3
  echo keep >"$T/keep.html"
  timeout 20 "$QUIRE" render -q "$S" -f html -o "$T/keep.html" "$@" 2>"$T/err.txt"
  got=$?
  check "$d: exit $want" [ "$got" -eq "$want" ]
  check "$d: one line saying why ($(head -c 200 "$T/err.txt"))" \
    sh -c "[ \$(wc -l <'$T/err.txt') -eq 1 ] && grep -Eq '$re' '$T/err.txt'"
  check "$d: existing output kept" grep -qx keep "$T/keep.html"
}
tpl_fails "--template nosuch" 2 'no template named "nosuch"' --template nosuch
tpl_fails "--templates missing dir" 2 '/nonexistent: template directory' --templates /nonexistent
tpl_fails "--templates a file" 2 'template directory: not a directory' --templates "$S"
mkdir -p "$T/fifo/default/partials" "$T/dirfile/default/layout.mustache" "$T/big/default" \
  "$T/theme/default"
mkfifo "$T/fifo/default/partials/footer.mustache"
tpl_fails "a FIFO as a partial (would block)" 1 'footer\.mustache: .*not a FIFO' --templates "$T/fifo"
tpl_fails "a directory as the layout" 1 'layout\.mustache: .*not a directory' --templates "$T/dirfile"
head -c 9000000 /dev/zero | tr '\0' 'x' >"$T/big/default/layout.mustache"
tpl_fails "a 9 MB layout" 1 'layout\.mustache: .*over the 8388608-byte limit' --templates "$T/big"
printf '{"palette": {"accent": "red"}}' >"$T/theme/default/theme.json"
tpl_fails "a theme colour that is not #rgb" 1 'theme\.json: \$\.palette\.accent: expected a colour' \
  --templates "$T/theme"
mkdir -p "$T/fifocss/default"
mkfifo "$T/fifocss/default/extra.css"
tpl_fails "a FIFO as extra.css" 1 'extra\.css: .*not a FIFO' --templates "$T/fifocss"
# An inlined stylesheet cannot close its <style> and let markup in.
mkdir -p "$T/css/default"
{ cat "$ROOT/templates/default/style.css"; printf '\n/* </style><script>alert(1)</script> */\n'; } \
  >"$T/css/default/style.css"
"$QUIRE" render -q "$S" -f html --templates "$T/css" -o "$T/css.html"
check "a '</style' in a user stylesheet stays inside <style>" python3 -c '
import sys
h = open(sys.argv[1]).read()
i = h.index("alert(1)")
sys.exit(not (h.rfind("<style", 0, i) > h.rfind("</style", 0, i) and "<\\/style>" in h))
' "$T/css.html"
printf '{"fonts": 7}' >"$T/theme/default/theme.json"
tpl_fails "a theme group of the wrong type" 1 'theme\.json: \$\.fonts: expected an object' \
  --templates "$T/theme"

done_suite
