#!/bin/sh
# make bench: quire against the tools people use instead, in one run, written
# to bench/RESULTS.md. Not part of `make test`. Everything generated goes to
# bench/out/ (gitignored); the comparison tools run over a fixed subset.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
case $BUILD in /*) B=$BUILD ;; *) B=$PWD/$BUILD ;; esac
Q=$B/quire
OUT=$PWD/bench/out
SUBSET_CORPUS=${SUBSET_CORPUS:-30} # corpus reports the slow tools also get
LIB_SECONDS=${LIB_SECONDS:-3}     # time budget per library measurement
mkdir -p "$OUT"
rm -rf "$OUT/lib-corpus.jsonl" "$OUT/lib-samples.tsv" "$OUT/lib-subset.jsonl" \
  "$OUT/cli.tsv" "$OUT/rss.tsv" "$OUT/batch.tsv" "$OUT"/hf-*.json
log() { echo "bench: $*" >&2; }

log "generating the corpus (1,000 reports, fixed seed)"
python3 bench/gen_corpus.py -o "$OUT/corpus" || exit 1

log "building the library driver"
cc -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O2 -Wall -Wextra -Werror \
  -Ilib/include -pthread -o "$OUT/bench" bench/bench.c -L"$B/lib" -lquire \
  -Wl,-rpath,"$B/lib" || exit 1

if [ ! -d bench/node_modules/playwright-core ] && command -v npm >/dev/null; then
  log "installing playwright-core into bench/node_modules (no browser download)"
  (cd bench && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund \
    --silent >/dev/null 2>&1) || log "npm install failed: warm Chromium will be skipped"
fi

CASES="text html pdf:cairo pdf:haru png"
ext_of() { case $1 in text) echo txt ;; *) echo "$1" ;; esac; }

# --- quire, library level -------------------------------------------------
CORPUS=$(ls "$OUT"/corpus/[0-9]*.json)
for c in $CASES; do
  f=${c%%:*}; e=cairo; [ "$c" != "$f" ] && e=${c#*:}
  log "library: $c over the corpus"
  # shellcheck disable=SC2086
  "$OUT/bench" -f "$f" -e "$e" -t "$LIB_SECONDS" $CORPUS >>"$OUT/lib-corpus.jsonl"
  for s in samples/*/*.json; do
    printf '%s\t%s\n' "$s" "$("$OUT/bench" -f "$f" -e "$e" -t 0.3 "$s" 2>/dev/null)" \
      >>"$OUT/lib-samples.tsv"
  done
done

# --- the comparison subset -------------------------------------------------
rm -rf "$OUT/subset" "$OUT/subset-md" "$OUT/subset-html" "$OUT/subset-pdf" "$OUT/ext"
mkdir -p "$OUT/subset" "$OUT/subset-md"
i=0
for f in $CORPUS; do
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
NAMES=$(cd "$OUT/subset" && ls ./*.json | sed 's|^\./||; s|\.json$||')
SUBSET=$(ls "$OUT"/subset/*.json)
for c in html pdf:cairo pdf:haru text; do
  f=${c%%:*}; e=cairo; [ "$c" != "$f" ] && e=${c#*:}
  # shellcheck disable=SC2086
  "$OUT/bench" -f "$f" -e "$e" -t "$LIB_SECONDS" $SUBSET >>"$OUT/lib-subset.jsonl" 2>/dev/null
done
log "quire batch: HTML and PDF of the subset"
# shellcheck disable=SC2086
"$Q" render -q -j 2 -f html -o "$OUT/subset-html" $SUBSET || log "some HTML renders failed"
# shellcheck disable=SC2086
"$Q" render -q -j 2 -f pdf -o "$OUT/subset-pdf" $SUBSET || log "some PDF renders failed"
# shellcheck disable=SC2086
"$Q" render -q -j 2 -f pdf --pdf-engine haru -o "$OUT/subset-pdf-haru" $SUBSET || true

# --- whole-process CLI ----------------------------------------------------
ONE=samples/v2/sales_playbook.json
for c in $CASES; do
  f=${c%%:*}; e=cairo; [ "$c" != "$f" ] && e=${c#*:}
  o=$OUT/cli-one.$(ext_of "$f")
  if ! "$Q" render -q -f "$f" --pdf-engine "$e" -o "$o" "$ONE" 2>/dev/null; then
    printf '%s\tunsupported\n' "$c" >>"$OUT/cli.tsv"
    continue
  fi
  if command -v hyperfine >/dev/null; then
    hyperfine -N --warmup 3 --runs 30 --export-json "$OUT/hf-$f-$e.json" \
      "$Q render -q -f $f --pdf-engine $e -o $o $ONE" >/dev/null 2>&1
    printf '%s\thyperfine\t%s\n' "$c" "$OUT/hf-$f-$e.json" >>"$OUT/cli.tsv"
  else
    t0=$(date +%s%N)
    for _ in 1 2 3 4 5 6 7 8 9 10; do "$Q" render -q -f "$f" --pdf-engine "$e" -o "$o" "$ONE"; done
    t1=$(date +%s%N)
    printf '%s\tloop\t%s\n' "$c" "$(( (t1 - t0) / 10000 ))" >>"$OUT/cli.tsv"
  fi
  rss=$(/usr/bin/time -v "$Q" render -q -f "$f" --pdf-engine "$e" -o "$o" "$ONE" 2>&1 >/dev/null |
    sed -n 's/.*Maximum resident set size (kbytes): //p')
  printf '%s\t%s\n' "$c" "${rss:-}" >>"$OUT/rss.tsv"
done

# Batch CLI over the whole corpus on 1 and 2 cores (atomic files, fsync).
for f in html pdf; do
  for j in 1 2; do
    rm -rf "$OUT/batch-$f"
    t0=$(date +%s%N)
    "$Q" render -q -j $j -f "$f" -o "$OUT/batch-$f" "$OUT/corpus/corpus.ndjson" --ndjson 2>/dev/null
    st=$?
    t1=$(date +%s%N)
    printf '%s\t%s\t%s\t%s\t%s\n' "$f" "$j" "$(( (t1 - t0) / 1000000 ))" "$st" \
      "$(find "$OUT/batch-$f" -type f 2>/dev/null | wc -l)" >>"$OUT/batch.tsv"
  done
done

# --- the tools people use instead ------------------------------------------
# WeasyPrint comes from Debian's package, so it imports only in Debian's
# interpreter; `python3` on PATH may be another one (pyenv).
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
log "comparison tools over $(echo "$NAMES" | wc -l) reports"
# shellcheck disable=SC2086
"$PY" bench/ext.py "$OUT/ext.json" "$OUT/ext" "$Q" "$OUT/subset-html" \
  "$OUT/subset-md" "$OUT/subset" $NAMES

python3 bench/report.py "$OUT" bench/RESULTS.md || exit 1
log "wrote bench/RESULTS.md"

# The Python and Node bindings against C (bench/BINDINGS.md).
BUILD=$B bench/bindings.sh || log "the bindings benchmark failed"
