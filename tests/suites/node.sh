#!/bin/sh
# The Node.js binding (bindings/node): its node --test suite against this
# build's libquire and the fake Conduit server (127.0.0.1 only). koffi and
# the TypeScript checker come from the npm registry at the versions the
# committed package-lock.json pins (npm ci), once per clone. Prints
# "N passed, N failed" last; a skipped, cancelled or todo test counts as a
# failure here, so nothing is skipped silently.
set -u
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.."
: "${BUILD:=build}"
: "${TEST_OUT:=$PWD/tests/out/node}"
mkdir -p "$TEST_OUT"
case $BUILD in /*) B=$BUILD ;; *) B=$PWD/$BUILD ;; esac
PKG=bindings/node

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  fail "node and npm are needed (scripts/deps.sh test installs npm)"
  done_suite
  exit 1
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 18 ]; then
  fail "node $(node --version) is too old: the binding needs 18 or newer"
  done_suite
  exit 1
fi
# npm ci again whenever the lockfile changed since the last install.
stamp=$PKG/node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ "$PKG/package-lock.json" -nt "$stamp" ] ||
  [ ! -d "$PKG/node_modules/koffi" ]; then
  if ! (cd "$PKG" && npm ci --no-audit --no-fund >"$TEST_OUT/npm.log" 2>&1); then
    fail "npm ci in $PKG failed (see $TEST_OUT/npm.log)"
    tail -n 5 "$TEST_OUT/npm.log"
    done_suite
    exit 1
  fi
fi

QUIRE_LIBRARY=$B/lib/libquire.so
BUILD=$B
export QUIRE_LIBRARY BUILD
if [ "${SANITIZE:-0}" = 1 ]; then
  # An ASan-built library loads only after the ASan runtime; node's own
  # allocations are not ours to judge, so leak checking stays with the C
  # suites.
  LD_PRELOAD="$(cc -print-file-name=libasan.so) $(cc -print-file-name=libubsan.so)"
  ASAN_OPTIONS=detect_leaks=0
  export LD_PRELOAD ASAN_OPTIONS
fi

(cd "$PKG" && node --test --test-reporter=tap test/) >"$TEST_OUT/tap.txt" 2>&1
rc=$?
grep -E '^not ok' "$TEST_OUT/tap.txt" | sed 's/^/  /'
count() { sed -n "s/^# $1 \([0-9]*\)$/\1/p" "$TEST_OUT/tap.txt" | tail -n 1; }
pass=$(count pass)
bad=0
for k in fail cancelled skipped todo; do
  n=$(count "$k")
  n=${n:-0}
  [ "$n" -gt 0 ] && echo "not ok: $n test(s) $k"
  bad=$((bad + n))
done
T_PASS=${pass:-0}
T_FAIL=$bad
if [ -z "$pass" ]; then
  fail "node --test printed no summary (exit $rc; see $TEST_OUT/tap.txt)"
elif [ "$rc" -ne 0 ] && [ "$T_FAIL" -eq 0 ]; then
  fail "node --test exited $rc (see $TEST_OUT/tap.txt)"
fi
done_suite
