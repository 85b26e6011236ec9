# The library, the CLI, the unit tests and the fuzz harnesses build with
# clang under the same -Werror warnings as with gcc. `make fuzz` builds with
# clang, and clang warns where gcc does not: a /* fall through */ comment
# satisfies gcc's -Wimplicit-fallthrough but not clang's, and that once left
# every libFuzzer harness unbuildable while make test, all gcc, stayed green.
# No sanitizers and -O0 here: this is about what the compiler accepts; the
# sanitized runs are make SANITIZE=1 test and make fuzz.
. tests/lib.sh
if ! command -v clang >/dev/null 2>&1; then
  fail "clang is not installed (scripts/deps.sh test installs it)"
  done_suite
  exit 1
fi
b=$TEST_OUT/build
# The PDF configuration of the run (make test sets PDF), never SANITIZE.
expect_status 0 "make CC=clang all tests-build (PDF=${PDF:-all})" \
  make --no-print-directory -j2 CC=clang OPT=-O0 SANITIZE=0 PDF="${PDF:-all}" BUILD="$b" \
  all tests-build >"$TEST_OUT/make.log" 2>&1
grep -E 'error|warning' "$TEST_OUT/make.log" | head -n 20
check "the clang build made the CLI" test -x "$b/quire"
check "the clang build made the unit tests" test -n "$(ls "$b"/tests/test_* 2>/dev/null)"

# The harnesses both ways: with QUIRE_LIBFUZZER (make fuzz: no main, libFuzzer
# supplies it) and without (the replay programs of the fuzz_replay suite).
for h in tests/fuzz/fuzz_*.c; do
  n=$(basename "$h" .c)
  for mode in "" -DQUIRE_LIBFUZZER; do
    # shellcheck disable=SC2046,SC2086
    if clang -std=c11 -O0 -Wall -Wextra -Werror -Wimplicit-fallthrough $mode \
        -Ilib/include -Ilib $(pkg-config --cflags jansson) \
        -c "$h" -o "$TEST_OUT/$n${mode:+.libfuzzer}.o" 2>"$TEST_OUT/$n${mode:+.libfuzzer}.log"; then
      ok
    else
      fail "$h does not compile with clang ${mode:-(replay mode)}"
      head -n 5 "$TEST_OUT/$n${mode:+.libfuzzer}.log"
    fi
  done
done
rm -rf "$b"
done_suite
