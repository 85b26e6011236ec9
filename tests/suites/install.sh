# make install into a staging root, then build and run a program against the
# installed shared library through pkg-config, and run the installed CLI.
. tests/lib.sh
root=$TEST_OUT/root
prefix=/usr/local
make --no-print-directory BUILD="$BUILD" PDF="${PDF:-all}" FETCH="${FETCH:-1}" SANITIZE="${SANITIZE:-0}" install DESTDIR="$root" PREFIX=$prefix >"$TEST_OUT/install.log" 2>&1
check "make install succeeds" [ $? -eq 0 ]
check "header installed" [ -f "$root$prefix/include/quire.h" ]
check "static library installed" [ -f "$root$prefix/lib/libquire.a" ]
check "shared library soname link" [ -L "$root$prefix/lib/libquire.so.0" ]
check "quire.pc installed" [ -f "$root$prefix/lib/pkgconfig/quire.pc" ]
check "CLI installed" [ -x "$root$prefix/bin/quire" ]
export PKG_CONFIG_PATH="$root$prefix/lib/pkgconfig"
cflags=$(pkg-config --cflags quire | sed "s|-I$prefix|-I$root$prefix|g")
libs=$(pkg-config --libs quire | sed "s|-L$prefix|-L$root$prefix|g")
check "pkg-config knows quire" pkg-config --exists quire
san=
[ "${SANITIZE:-0}" = 1 ] && san="-fsanitize=address,undefined"
# shellcheck disable=SC2086
cc -std=c11 -Wall -Werror $san $cflags tests/install/consumer.c $libs -o "$TEST_OUT/consumer" 2>"$TEST_OUT/cc.log"
check "consumer builds against the installed library" [ $? -eq 0 ]
out=$(LD_LIBRARY_PATH="$root$prefix/lib" "$TEST_OUT/consumer" samples/v2/general_report.json)
check "consumer runs with the shared library" [ -n "$out" ]
check "shared library has the soname" sh -c "objdump -p '$root$prefix/lib/libquire.so.0.1.0' | grep -q 'SONAME *libquire.so.0'"
check "only quire_ symbols exported" sh -c "! nm -D --defined-only '$root$prefix/lib/libquire.so.0.1.0' | awk '{print \$3}' | grep -v '^quire_' | grep -v '^_' | grep -q ."
check "installed CLI runs" sh -c "LD_LIBRARY_PATH='$root$prefix/lib' '$root$prefix/bin/quire' --version | grep -q quire"
done_suite
