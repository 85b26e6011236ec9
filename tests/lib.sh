# Sourced by the shell suites in tests/suites/: checks and the summary line.
# tests/run.sh sets TEST_OUT; suites write under it (and DESTDIR=$TEST_OUT/...),
# so never run one without it.
: "${TEST_OUT:?run the suites through tests/run.sh, which sets TEST_OUT}"
T_PASS=0
T_FAIL=0
ok() { T_PASS=$((T_PASS + 1)); }
fail() { T_FAIL=$((T_FAIL + 1)); echo "not ok: $*"; }
# check DESCRIPTION COMMAND...: passes when the command succeeds.
check() {
  d=$1
  shift
  if "$@"; then ok; else fail "$d"; fi
}
# expect_status WANT DESCRIPTION COMMAND...
expect_status() {
  want=$1
  d=$2
  shift 2
  "$@"
  got=$?
  if [ "$got" -eq "$want" ]; then ok; else fail "$d (exit $got, want $want)"; fi
}
done_suite() {
  echo "$T_PASS passed, $T_FAIL failed"
  [ "$T_FAIL" -eq 0 ]
}
