# The man pages: they build, lint clean, read as a man page, and agree with
# the program (tests/tools/man_agree.py: every command's options in its help,
# in quire(1) and in what it accepts; every quire.h function in libquire(3)).
. tests/lib.sh
make --no-print-directory BUILD="$BUILD" PDF="${PDF:-all}" FETCH="${FETCH:-1}" \
  SANITIZE="${SANITIZE:-0}" man >"$TEST_OUT/make.log" 2>&1
check "make man builds the pages with scdoc" [ $? -eq 0 ]
for page in quire.1 libquire.3; do
  f=$BUILD/man/$page
  check "$page built" [ -s "$f" ]
  # scdoc opens every paragraph with .PP, even right after .SH/.SS, which
  # mandoc reports as "skipping paragraph macro"; nothing else may remain.
  mandoc -Tlint -W warning "$f" 2>&1 | grep -v 'skipping paragraph macro' >"$TEST_OUT/$page.mandoc"
  check "$page: mandoc -Tlint -W warning is clean" [ ! -s "$TEST_OUT/$page.mandoc" ]
  cat "$TEST_OUT/$page.mandoc"
  groff -ww -z -man "$f" >"$TEST_OUT/$page.groff" 2>&1
  check "$page: groff -ww -z is clean" [ ! -s "$TEST_OUT/$page.groff" ]
  cat "$TEST_OUT/$page.groff"
  MANWIDTH=80 man -l "$f" 2>"$TEST_OUT/$page.man.err" | col -b >"$TEST_OUT/$page.txt"
  check "$page: man -l renders it" [ -s "$TEST_OUT/$page.txt" ] && [ ! -s "$TEST_OUT/$page.man.err" ]
done
for s in NAME SYNOPSIS DESCRIPTION COMMANDS "EXIT STATUS" ENVIRONMENT FILES EXAMPLES "SEE ALSO"; do
  check "quire(1) has $s" grep -q "^$s\$" "$TEST_OUT/quire.1.txt"
done
for s in NAME SYNOPSIS DESCRIPTION CONVENTIONS FUNCTIONS "SEE ALSO"; do
  check "libquire(3) has $s" grep -q "^$s\$" "$TEST_OUT/libquire.3.txt"
done
for s in Ownership Errors Threads; do
  check "libquire(3) has a $s subsection" grep -qE "^ +$s\$" "$TEST_OUT/libquire.3.txt"
done
# The CLI is compiled the same in every configuration (no #if in cli/), so
# the option agreement, which runs the program some 900 times, runs once:
# in the default configuration.
if [ "${PDF:-all}" = all ]; then
  python3 tests/tools/man_agree.py "$QUIRE" "$PWD" >"$TEST_OUT/agree.log" 2>&1
  rc=$?
  grep '^not ok' "$TEST_OUT/agree.log"
  tail -n 1 "$TEST_OUT/agree.log"
  check "help, quire(1), libquire(3) and the program agree (tests/out/man/agree.log)" [ $rc -eq 0 ]
fi
done_suite
