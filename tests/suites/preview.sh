#!/bin/sh
# quire preview --watch (issue 12): served on 127.0.0.1 with a random token,
# rendered again on every change of the report or a template file, the open
# tab following by itself (headless Chromium, tests/browser/preview.js),
# the last good page kept when a template breaks.
. tests/lib.sh
: "${QUIRE:?}" "${TEST_OUT:?}"
Q=$QUIRE
T=$TEST_OUT
BROWSER_DIR=$PWD/tests/browser
mkdir -p "$T/tpl"
cp samples/v2/general_report.json "$T/r.json"

expect_status 2 "preview without --watch says what to use" "$Q" preview "$T/r.json" 2>/dev/null
"$Q" preview "$T/r.json" --watch --templates "$T/tpl" -o "$T/out.html" 2>"$T/err.txt" &
pid=$!
n=0
while [ $n -lt 100 ] && ! grep -q 'serving http' "$T/err.txt"; do
  sleep 0.1
  n=$((n + 1))
done
url=$(grep -o 'http://[^ ]*' "$T/err.txt" | head -n 1)
check "preview prints its address" [ -n "$url" ]
check "bound to 127.0.0.1 with a 32-hex-digit token" sh -c "echo '$url' | grep -Eq '^http://127\.0\.0\.1:[0-9]+/[0-9a-f]{32}/\$'"
port=$(echo "$url" | sed 's|http://127.0.0.1:\([0-9]*\)/.*|\1|')
check "listening on loopback only" sh -c "ss -ltn | grep -q '127.0.0.1:$port ' && ! ss -ltn | grep -q '0.0.0.0:$port '"
check "-o written on the first render" grep -q 'Q2 platform planning' "$T/out.html"
check "a wrong token is 404" sh -c "curl -s -o /dev/null -w '%{http_code}' 'http://127.0.0.1:$port/00000000000000000000000000000000/doc' | grep -qx 404"
check "the page is served" sh -c "curl -s '${url}doc' | grep -q 'Q2 platform planning'"

if [ -d "$BROWSER_DIR/node_modules/playwright-core" ] && command -v node >/dev/null 2>&1; then
  node "$BROWSER_DIR/preview.js" "$url" "$T/r.json" "$T/tpl" "$T/err.txt" >"$T/browser.txt" 2>&1
  st=$?
  cat "$T/browser.txt"
  check "headless Chromium follows the edits (tests/out/preview/browser.txt)" [ $st -eq 0 ]
  check "-o holds the last good render" grep -q 'Edited label two' "$T/out.html"
else
  echo "# browser checks skipped: no tests/browser/node_modules"
fi
kill "$pid"
wait "$pid" 2>/dev/null
done_suite
