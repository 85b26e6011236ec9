#!/bin/sh
# make bench: quire against itself over a generated corpus, and against the
# tools people use instead (library against library, process against
# process), written to bench/RESULTS.md. Not part of `make test`.
# Everything generated goes to bench/out/ (gitignored). bench/compare.py
# does the timing (interleaved rounds, medians, load and idle cores, the
# scaling control); bench/report.py writes the page.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
case $BUILD in /*) B=$BUILD ;; *) B=$PWD/$BUILD ;; esac
Q=$B/quire
OUT=$PWD/bench/out
SUBSET_CORPUS=${SUBSET_CORPUS:-12} # corpus reports the slow tools also get
mkdir -p "$OUT"
rm -rf "$OUT/compare.json" "$OUT/subset" "$OUT/subset-md" "$OUT/subset-html" \
  "$OUT/proc" "$OUT/proc-md" "$OUT/lib"
log() { echo "bench: $*" >&2; }
T0=$(date +%s)

log "generating the corpus (1,000 reports, fixed seed)"
python3 bench/gen_corpus.py -o "$OUT/corpus" || exit 1

log "building the library driver and the process meter"
cc -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O2 -Wall -Wextra -Werror \
  -Ilib/include -pthread -o "$OUT/bench" bench/bench.c -L"$B/lib" -lquire \
  -Wl,-rpath,"$B/lib" || exit 1
cc -std=c11 -O2 -Wall -Wextra -Werror -o "$OUT/measure" bench/measure.c || exit 1

if [ ! -d bench/node_modules/playwright-core ] && command -v npm >/dev/null; then
  log "installing playwright-core into bench/node_modules (no browser download)"
  (cd bench && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund \
    --silent >/dev/null 2>&1) || log "npm install failed: warm Chromium will be skipped"
fi

# The comparison subset: the first reports of the corpus and every sample,
# with quire's HTML of each (what the HTML-to-PDF tools are given) and its
# markdown (what pandoc is given).
mkdir -p "$OUT/subset" "$OUT/subset-md"
i=0
for f in "$OUT"/corpus/[0-9]*.json; do
  i=$((i + 1)); [ $i -gt "$SUBSET_CORPUS" ] && break
  n=$(basename "$f" .json)
  cp "$f" "$OUT/subset/c$n.json"
  cp "$OUT/corpus/md/$n.md" "$OUT/subset-md/c$n.md"
done
for s in samples/*/*.json; do
  n=sample-$(basename "$s" .json)
  cp "$s" "$OUT/subset/$n.json"
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); m=d.get("markdown") or (d.get("output") or {}).get("markdown") or ""; open(sys.argv[2],"w").write(m)' \
    "$s" "$OUT/subset-md/$n.md"
done
# shellcheck disable=SC2046
"$Q" render -q -j 2 -f html -o "$OUT/subset-html" $(ls "$OUT"/subset/*.json) ||
  log "some HTML renders failed"

# WeasyPrint comes from Debian's package, so it imports only in Debian's
# interpreter; `python3` on PATH may be another one (pyenv).
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
"$PY" bench/compare.py "$OUT" "$Q" "$OUT/bench" "$OUT/measure" || exit 1

python3 bench/report.py "$OUT" bench/RESULTS.md || exit 1
log "wrote bench/RESULTS.md in $(($(date +%s) - T0)) s"

# Decode time of each pathological Markdown pattern (bench/MARKDOWN.md).
BUILD=$B bench/markdown.sh || log "the Markdown benchmark failed"

# The Python and Node bindings against C (bench/BINDINGS.md).
BUILD=$B bench/bindings.sh || log "the bindings benchmark failed"
