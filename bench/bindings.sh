#!/bin/sh
# make bench, the bindings' part: reports per second through the Python and
# Node bindings against the C library directly, for HTML and PDF (cairo),
# on the same reports with the same per-report work (parse from memory +
# render to memory, the same loop in bench/bindings_pass.c, bindings_c.c,
# bindings_py.py and bindings_node.js). The boundary's cost is measured in
# pairs of passes inside each binding's process (C loop, binding loop,
# alternately; see bindings_report.py), so other work on a shared machine
# weighs on both sides alike. Writes bench/BINDINGS.md. Runs alone too:
#
#   BUILD=build bench/bindings.sh   (after make; ROUNDS, SECONDS_EACH,
#                                    REPORTS, PDF_REPORTS)
set -u
cd "$(dirname "$0")/.." || exit 1
BUILD=${BUILD:-build}
case $BUILD in /*) B=$BUILD ;; *) B=$PWD/$BUILD ;; esac
OUT=$PWD/bench/out
ROUNDS=${ROUNDS:-3}             # interleaved rounds; the report takes medians
SECONDS_EACH=${SECONDS_EACH:-3} # time budget per measurement
REPORTS=${REPORTS:-60}          # corpus reports per pass, HTML
PDF_REPORTS=${PDF_REPORTS:-12}  # and PDF (a PDF costs ~20 HTMLs)
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
log() { echo "bench bindings: $*" >&2; }
mkdir -p "$OUT"

[ -d "$OUT/corpus" ] || python3 bench/gen_corpus.py -o "$OUT/corpus" || exit 1
files() { find "$OUT/corpus" -name '[0-9]*.json' | sort | head -n "$1"; }
cc -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O2 -Wall -Wextra -Werror \
  -Ilib/include -pthread -o "$OUT/bindings_c" bench/bindings_c.c -L"$B/lib" -lquire \
  -Wl,-rpath,"$B/lib" || exit 1
# With valgrind and its headers, the pass library can bracket passes for
# callgrind, which counts each side's instructions: a measure the load on
# a shared machine cannot move.
IR=
if command -v valgrind >/dev/null 2>&1 && [ -f /usr/include/valgrind/callgrind.h ]; then
  IR=-DQUIRE_BENCH_CALLGRIND
fi
cc -std=c11 -O2 -Wall -Wextra -Werror -Ilib/include $IR -shared -fPIC \
  -o "$OUT/libbindings_pass.so" bench/bindings_pass.c -L"$B/lib" -lquire \
  -Wl,-rpath,"$B/lib" || exit 1
PASS=$OUT/libbindings_pass.so
if [ ! -d bindings/node/node_modules/koffi ]; then
  (cd bindings/node && npm ci --no-audit --no-fund >/dev/null 2>&1) || {
    log "npm ci in bindings/node failed"
    exit 1
  }
fi
QUIRE_LIBRARY=$B/lib/libquire.so
PYTHONPATH=$PWD/bindings/python
PYTHONDONTWRITEBYTECODE=1
export QUIRE_LIBRARY PYTHONPATH PYTHONDONTWRITEBYTECODE

R=$OUT/bindings.jsonl
: >"$R"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
t=$SECONDS_EACH
for fmt in html pdf; do
  if [ "$fmt" = pdf ]; then FILES=$(files "$PDF_REPORTS"); else FILES=$(files "$REPORTS"); fi
  for round in $(seq 1 "$ROUNDS"); do
    log "$fmt, round $round of $ROUNDS"
    # shellcheck disable=SC2086
    {
      "$PY" bench/bindings_py.py -p "$PASS" -f "$fmt" -t "$t" $FILES
      node bench/bindings_node.js -p "$PASS" -f "$fmt" -t "$t" -m sync $FILES
      node bench/bindings_node.js -p "$PASS" -f "$fmt" -t "$t" -m async $FILES
      "$OUT/bindings_c" -f "$fmt" -t "$t" -j 2 $FILES
      "$PY" bench/bindings_py.py -f "$fmt" -t "$t" -j 2 $FILES
      node bench/bindings_node.js -f "$fmt" -t "$t" -m async -j 2 $FILES
    } >>"$R"
  done
done
if [ -n "$IR" ]; then
  rm -rf "$OUT/ir"
  mkdir -p "$OUT/ir"
  # Under callgrind a PDF costs ~50 times an HTML: fewer of them.
  for fmt in html pdf; do
    if [ "$fmt" = pdf ]; then FILES=$(files 4) n=1; else FILES=$(files "$REPORTS") n=2; fi
    log "$fmt, instruction counts (callgrind)"
    vg() {
      name=$1
      shift
      valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$OUT/ir/$name-$fmt" \
        "$@" >"$OUT/ir/$name-$fmt.json" 2>>"$OUT/ir/log" ||
        log "callgrind: $name $fmt failed (see $OUT/ir/log)"
    }
    # shellcheck disable=SC2086
    vg python "$PY" bench/bindings_py.py -p "$PASS" -i "$n" -f "$fmt" $FILES
    # shellcheck disable=SC2086
    vg node-sync node bench/bindings_node.js -p "$PASS" -i "$n" -m sync -f "$fmt" $FILES
    # shellcheck disable=SC2086
    vg node-async node bench/bindings_node.js -p "$PASS" -i "$n" -m async -f "$fmt" $FILES
  done
fi
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
"$PY" bench/bindings_report.py "$R" bench/BINDINGS.md "$load_before" "$load_after" \
  "$REPORTS" "$ROUNDS" "$t" "$PDF_REPORTS" "$OUT/ir" || exit 1
log "wrote bench/BINDINGS.md"
