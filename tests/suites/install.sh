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
check "quire(1) installed" [ -s "$root$prefix/share/man/man1/quire.1" ]
check "libquire(3) installed" [ -s "$root$prefix/share/man/man3/libquire.3" ]
check "man finds the installed quire(1)" sh -c "MANPATH='$root$prefix/share/man' man -w quire | grep -q man1/quire.1"

# Debian's layout: /usr, the library in the multiarch directory.
mroot=$TEST_OUT/multiarch
multi=/usr/lib/$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
dirs="PREFIX=/usr LIBDIR=$multi"
# shellcheck disable=SC2086
make --no-print-directory BUILD="$BUILD" PDF="${PDF:-all}" FETCH="${FETCH:-1}" SANITIZE="${SANITIZE:-0}" install DESTDIR="$mroot" $dirs >"$TEST_OUT/install-multiarch.log" 2>&1
check "make install LIBDIR=$multi succeeds" [ $? -eq 0 ]
check "libraries in LIBDIR" [ -f "$mroot$multi/libquire.so.0" ] && [ -f "$mroot$multi/libquire.a" ]
check "nothing in PREFIX/lib itself" [ -z "$(find "$mroot/usr/lib" -maxdepth 1 -type f)" ]
check "quire.pc in LIBDIR/pkgconfig" [ -f "$mroot$multi/pkgconfig/quire.pc" ]
check "quire.pc's libdir is LIBDIR" grep -qx "libdir=$multi" "$mroot$multi/pkgconfig/quire.pc"
check "quire.pc's includedir" grep -qx "includedir=/usr/include" "$mroot$multi/pkgconfig/quire.pc"
check "man pages under /usr/share/man" [ -f "$mroot/usr/share/man/man1/quire.1" ]
# shellcheck disable=SC2086
make --no-print-directory BUILD="$BUILD" uninstall DESTDIR="$mroot" $dirs >"$TEST_OUT/uninstall.log" 2>&1
check "make uninstall succeeds" [ $? -eq 0 ]
left=$(find "$mroot" -type f -o -type l)
check "make uninstall removes every file install wrote" [ -z "$left" ]
[ -n "$left" ] && echo "left behind: $left"
done_suite
