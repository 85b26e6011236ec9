#!/bin/sh
# The Python binding (bindings/python): its pytest suite against this
# build's libquire and the fake Conduit server (127.0.0.1 only), with
# Debian's interpreter and its python3-cffi and python3-pytest (installed by
# scripts/deps.sh test; `python3` on PATH may be another interpreter without
# them). Prints "N passed, N failed" last; a skipped test counts as a
# failure here, so nothing is skipped silently.
set -u
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.."
: "${BUILD:=build}"
: "${TEST_OUT:=$PWD/tests/out/python}"
mkdir -p "$TEST_OUT"
case $BUILD in /*) B=$BUILD ;; *) B=$PWD/$BUILD ;; esac
PY=/usr/bin/python3

if ! "$PY" -c 'import cffi, pytest, mypy' 2>"$TEST_OUT/import.log"; then
  fail "Debian's python3 lacks cffi, pytest or mypy (scripts/deps.sh test installs python3-cffi python3-pytest mypy)"
  cat "$TEST_OUT/import.log"
  done_suite
  exit 1
fi

QUIRE_LIBRARY=$B/lib/libquire.so
BUILD=$B
PYTHONDONTWRITEBYTECODE=1
export QUIRE_LIBRARY BUILD PYTHONDONTWRITEBYTECODE
if [ "${SANITIZE:-0}" = 1 ]; then
  # An ASan-built library loads only into a process whose first library is
  # the ASan runtime; the interpreter's own allocations are not ours to
  # judge, so leak checking stays with the C suites.
  LD_PRELOAD="$(cc -print-file-name=libasan.so) $(cc -print-file-name=libubsan.so)"
  ASAN_OPTIONS=detect_leaks=0
  export LD_PRELOAD ASAN_OPTIONS
fi

"$PY" -m pytest -q -p no:cacheprovider --junitxml="$TEST_OUT/junit.xml" \
  -o junit_family=xunit1 bindings/python/tests >"$TEST_OUT/pytest.log" 2>&1
rc=$?
tail -n 3 "$TEST_OUT/pytest.log"
counts=$("$PY" - "$TEST_OUT/junit.xml" <<'EOF'
import sys
import xml.etree.ElementTree as ET
try:
    root = ET.parse(sys.argv[1]).getroot()
except (OSError, ET.ParseError) as e:
    print("0 1")
    print("not ok: no pytest report (%s)" % e, file=sys.stderr)
    sys.exit(0)
passed = failed = 0
for case in root.iter("testcase"):
    name = case.get("classname", "") + "::" + case.get("name", "")
    bad = [c for c in case if c.tag in ("failure", "error", "skipped")]
    if bad:
        failed += 1
        print("not ok: %s (%s)" % (name, bad[0].tag), file=sys.stderr)
    else:
        passed += 1
print(passed, failed)
EOF
)
T_PASS=${counts% *}
T_FAIL=${counts#* }
if [ "$rc" -ne 0 ] && [ "$T_FAIL" -eq 0 ]; then
  fail "pytest exited $rc (see $TEST_OUT/pytest.log)"
fi
done_suite
