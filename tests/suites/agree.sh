#!/bin/sh
# Cross-format agreement: for every sample and a small generated corpus,
# the words a reader sees in the terminal text, in the HTML (headless
# Chromium's innerText, one browser for all files) and in the PDF
# (pdftotext) are the same words in the same order, modulo the layout
# furniture tests/tools/agree.py lists. Outputs stay in TEST_OUT.
. "$(dirname "$0")/../lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${TEST_OUT:-/tmp/quire-agree}
mkdir -p "$OUT"
BROWSER_DIR="$ROOT/tests/browser"
if [ ! -d "$BROWSER_DIR/node_modules/playwright-core" ]; then
  (cd "$BROWSER_DIR" && npm ci --no-audit --no-fund >/dev/null 2>&1 ||
    npm install --no-audit --no-fund >/dev/null 2>&1)
fi
for tool in node pdftotext python3; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    fail "$tool is needed (make test installs it)"
    done_suite
    exit 1
  fi
done
python3 "$ROOT/tests/tools/agree.py" "$QUIRE" "$ROOT" "$OUT"
