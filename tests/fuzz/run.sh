#!/bin/sh
# make fuzz: builds the libFuzzer harnesses (tests/fuzz/fuzz_*.c) with clang
# against a coverage-instrumented ASan+UBSan library and runs each for a
# bounded time.
#
#   tests/fuzz/run.sh [SECONDS [HARNESS...]]     (default 60, every harness)
#   make fuzz FUZZ_SECONDS=600 FUZZ_HARNESSES="paged theme"
#
# Corpora grow in tests/fuzz/corpus/HARNESS/ (not in git), seeded from the
# repository (seeds.sh) and tests/fuzz/seeds/HARNESS/. Crashes, leaks and
# timeouts land in tests/fuzz/artifacts/, each fuzzer's output in
# tests/fuzz/artifacts/HARNESS.log. The last line per harness says how many
# inputs ran, the coverage reached and what was found; the exit status is
# non-zero when any harness found something.
set -eu
cd "$(dirname "$0")/../.."
secs=${1:-60}
[ $# -gt 0 ] && shift
only=$*
out=build-fuzz
command -v clang >/dev/null 2>&1 || { echo "fuzz: installing clang" >&2; apt-get install -y -qq clang >/dev/null; }
# The library itself must be instrumented for coverage, or libFuzzer sees
# only the harness and mutates blind.
make --no-print-directory CC=clang BUILD=$out SANITIZE=1 CFLAGS=-fsanitize=fuzzer-no-link $out/lib/libquire.a >/dev/null
pkgs="jansson libcmark-gfm libpng zlib fribidi cairo pangocairo pangoft2 fontconfig libcurl"
. tests/fuzz/seeds.sh
mkdir -p tests/fuzz/artifacts
LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
export LSAN_OPTIONS
found=""
for h in tests/fuzz/fuzz_*.c; do
  n=$(basename "$h" .c)
  short=${n#fuzz_}
  if [ -n "$only" ]; then
    case " $only " in *" $short "* | *" $n "*) ;; *) continue ;; esac
  fi
  # shellcheck disable=SC2046
  clang -g -O1 -fsanitize=fuzzer,address,undefined -DQUIRE_LIBFUZZER -Ilib/include -Ilib \
    $(pkg-config --cflags jansson) -Wl,-u,quire__cairo_builtin -Wl,-u,quire__cairo_pango_builtin "$h" $out/lib/libquire.a $(pkg-config --libs $pkgs) \
    -lcmark-gfm-extensions -lhpdf -lunibreak -lpthread -lm -ldl -o $out/$n
  corpus=tests/fuzz/corpus/$short
  fuzz_seeds "$short" "$corpus"
  seeds=tests/fuzz/seeds/$short
  [ -d "$seeds" ] || seeds=
  # Per harness: the longest input worth trying, and how long one input may
  # take before it counts as a hang (the paged path lays out and paints
  # with two engines under ASan).
  case $short in
  paged) opts="-max_len=131072 -timeout=60" ;;
  theme) opts="-max_len=16384 -timeout=30" ;;
  webhook | sse | api_error) opts="-max_len=65536 -timeout=10" ;;
  *) opts="-max_len=262144 -timeout=30" ;;
  esac
  case $short in
  decode | json_fast | paged | theme | webhook | api_error) opts="$opts -dict=tests/fuzz/json.dict" ;;
  esac
  log=tests/fuzz/artifacts/$n.log
  echo "fuzz: $n for ${secs}s (log: $log)"
  rc=0
  # shellcheck disable=SC2086
  $out/$n -max_total_time="$secs" $opts -print_final_stats=1 \
    -artifact_prefix=tests/fuzz/artifacts/$n- "$corpus" $seeds >"$log" 2>&1 || rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -n 1)
  corp=$(grep -o 'corp: [0-9]*/[0-9]*[a-zA-Z]*' "$log" | tail -n 1)
  echo "fuzz: $n: ${runs:-?} runs (${speed:-?}/s), ${cov:-no coverage line}, ${corp:-}, exit $rc"
  if [ "$rc" -ne 0 ]; then
    found="$found $n"
    grep -E '^(==[0-9]+==ERROR|SUMMARY|artifact_prefix|Test unit written)|ALARM|timeout' "$log" | head -n 8 | sed 's/^/  /'
  fi
done
if [ -n "$found" ]; then
  echo "fuzz: found something in:$found (tests/fuzz/artifacts/)"
  exit 1
fi
