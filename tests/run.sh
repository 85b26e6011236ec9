#!/bin/sh
# Runs every test: the C test programs built from tests/unit/test_*.c and the
# shell suites tests/suites/*.sh. Each prints "N passed, N failed" last; this
# adds them up and prints the total the same way.
#
# Environment for the suites: BUILD (build dir), QUIRE (the CLI), TEST_OUT
# (tests/out/<suite>, kept for people to look at).
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
case $BUILD in /*) QUIRE=$BUILD/quire ;; *) QUIRE=$PWD/$BUILD/quire ;; esac
export BUILD QUIRE
if [ "${SANITIZE:-0}" = 1 ]; then
  LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
  # GCC 12's LeakSanitizer on glibc 2.36 can record a bogus dynamic-TLS
  # range (here "DTLS 5 at 0x8b6-0x10000019b8") and its tracer dies reading
  # it at exit ("Tracer caught signal 11", a fatal error and exit 1):
  # `quire fetch ID -o out/ID.pdf` in the scaleout suite did, for a heap
  # layout as harmless as a realloc (valgrind's memcheck: 0 errors). Not
  # intercepting __tls_get_addr leaves dynamic TLS blocks as the ordinary
  # heap blocks they are, reached from the thread's DTV, and leaks are
  # still found (checked: the same run reports no leak and exits 0).
  ASAN_OPTIONS="intercept_tls_get_addr=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
  export LSAN_OPTIONS ASAN_OPTIONS
fi
ONLY=${1:-}

total_pass=0
total_fail=0
failed_suites=""

run_one() {
  name=$1
  shift
  TEST_OUT=$PWD/tests/out/$name
  export TEST_OUT
  rm -rf "$TEST_OUT"
  mkdir -p "$TEST_OUT"
  log=$TEST_OUT/log.txt
  start=$(date +%s)
  "$@" >"$log" 2>&1
  rc=$?
  end=$(date +%s)
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
  p=$(echo "$line" | sed -n 's/^\([0-9]*\) passed.*/\1/p')
  f=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
  p=${p:-0}
  f=${f:-0}
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    f=1 # crashed or exited non-zero without saying what failed
  fi
  if [ -z "$line" ] && [ "$rc" -eq 0 ]; then
    f=1
    echo "  (no summary line)" >>"$log"
  fi
  total_pass=$((total_pass + p))
  total_fail=$((total_fail + f))
  printf '%-28s %5d passed, %d failed  (%ss)\n' "$name" "$p" "$f" "$((end - start))"
  if [ "$f" -ne 0 ]; then
    failed_suites="$failed_suites $name"
    grep -E '^(not ok|FAIL|ERROR)' "$log" | head -n 30 | sed 's/^/    /'
    tail -n 5 "$log" | sed 's/^/    | /'
  fi
}

for t in "$BUILD"/tests/test_*; do
  [ -x "$t" ] || continue
  n=$(basename "$t")
  [ -n "$ONLY" ] && [ "$n" != "$ONLY" ] && continue
  run_one "$n" "$t"
done
for s in tests/suites/*.sh; do
  [ -f "$s" ] || continue
  n=$(basename "$s" .sh)
  [ -n "$ONLY" ] && [ "$n" != "$ONLY" ] && continue
  run_one "$n" sh "$s"
done

echo
[ -n "$failed_suites" ] && echo "failing:$failed_suites"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
