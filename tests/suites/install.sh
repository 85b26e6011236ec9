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
if [ "${PDF:-all}" != haru ]; then
  # libquire.so finds cairo.so beside it, which finds cairo-pango.so.
  LD_LIBRARY_PATH="$root$prefix/lib" "$TEST_OUT/consumer" samples/intl/multiscript.json pdf >"$TEST_OUT/arabic.txt" 2>&1
  check "the consumer sets Arabic as a PDF (both modules load)" grep -q '^pdf [0-9]' "$TEST_OUT/arabic.txt"
fi
check "shared library has the soname" sh -c "objdump -p '$root$prefix/lib/libquire.so.0.1.0' | grep -q 'SONAME *libquire.so.0'"
check "only quire_ symbols exported" sh -c "! nm -D --defined-only '$root$prefix/lib/libquire.so.0.1.0' | awk '{print \$3}' | grep -v '^quire_' | grep -v '^_' | grep -q ."
if [ "${PDF:-all}" != haru ]; then
  # The cairo engine's module (lib/paint/cairo_module.h), beside libquire.so.
  mod=$root$prefix/lib/quire0/cairo.so
  check "cairo engine module installed" [ -f "$mod" ]
  check "the module exports only its entry point" sh -c "[ \"\$(nm -D --defined-only '$mod' | awk '{print \$3}')\" = quire_paint_cairo_module ]"
  check "libquire.so does not link cairo" sh -c "! objdump -p '$root$prefix/lib/libquire.so.0.1.0' | grep NEEDED | grep -q cairo"
  # Its pango half (lib/paint/cairo_pango.h), beside it, found by it.
  pmod=$root$prefix/lib/quire0/cairo-pango.so
  check "the engine's pango module installed" [ -f "$pmod" ]
  check "the installed cairo.so does not link pango" sh -c "! readelf -d '$mod' | grep NEEDED | grep -q pango"
fi
check "installed CLI runs" sh -c "LD_LIBRARY_PATH='$root$prefix/lib' '$root$prefix/bin/quire' --version | grep -q quire"
check "quire(1) installed" [ -s "$root$prefix/share/man/man1/quire.1" ]
check "libquire(3) installed" [ -s "$root$prefix/share/man/man3/libquire.3" ]
check "man finds the installed quire(1)" sh -c "MANPATH='$root$prefix/share/man' man -w quire | grep -q man1/quire.1"
check "bash completion installed" [ -s "$root$prefix/share/bash-completion/completions/quire" ]
check "zsh completion installed" [ -s "$root$prefix/share/zsh/site-functions/_quire" ]
check "fish completion installed" [ -s "$root$prefix/share/fish/vendor_completions.d/quire.fish" ]

# pkg-config --static --libs gives a line that links a program with
# libquire.a: only the archive is installed here, so -lquire can only find
# it. The libraries libquire uses stay shared: Debian has no .a of pango,
# harfbuzz, libhpdf or libunibreak, so a fully static (-static) program
# cannot be built from Debian's packages (the README says so).
sroot=$TEST_OUT/static
rm -rf "$sroot"
cp -a "$root" "$sroot"
rm -f "$sroot$prefix"/lib/libquire.so*
slibs=$(PKG_CONFIG_PATH="$sroot$prefix/lib/pkgconfig" pkg-config --static --libs quire | sed "s|-L$prefix|-L$sroot$prefix|g")
# shellcheck disable=SC2086
cc -std=c11 -Wall -Werror $san $cflags tests/install/consumer.c $slibs -o "$TEST_OUT/consumer-static" 2>"$TEST_OUT/cc-static.log"
check "pkg-config --static --libs quire links a program with libquire.a" [ $? -eq 0 ]
cat "$TEST_OUT/cc-static.log"
sout=$("$TEST_OUT/consumer-static" samples/v2/general_report.json)
check "the program linked with libquire.a runs" [ -n "$sout" ] && [ "$sout" = "$out" ]
check "it does not load libquire.so" sh -c "! ldd '$TEST_OUT/consumer-static' | grep -q libquire"

# Each directory on its own: BINDIR, MANDIR, INCLUDEDIR, the completions'.
droot=$TEST_OUT/dirs
# shellcheck disable=SC2086
make --no-print-directory BUILD="$BUILD" PDF="${PDF:-all}" FETCH="${FETCH:-1}" SANITIZE="${SANITIZE:-0}" install DESTDIR="$droot" \
  PREFIX=/opt/q BINDIR=/opt/bin MANDIR=/opt/man INCLUDEDIR=/opt/inc BASHCOMPDIR=/opt/bc ZSHCOMPDIR=/opt/zc FISHCOMPDIR=/opt/fc \
  >"$TEST_OUT/install-dirs.log" 2>&1
check "make install with every directory set" [ $? -eq 0 ]
for f in /opt/bin/quire /opt/man/man1/quire.1 /opt/man/man3/libquire.3 /opt/inc/quire.h /opt/q/lib/libquire.a \
  /opt/q/lib/pkgconfig/quire.pc /opt/bc/quire /opt/zc/_quire /opt/fc/quire.fish; do
  check "installed $f" [ -e "$droot$f" ]
done
check "quire.pc's includedir is INCLUDEDIR" grep -qx "includedir=/opt/inc" "$droot/opt/q/lib/pkgconfig/quire.pc"
# shellcheck disable=SC2086
make --no-print-directory BUILD="$BUILD" uninstall DESTDIR="$droot" \
  PREFIX=/opt/q BINDIR=/opt/bin MANDIR=/opt/man INCLUDEDIR=/opt/inc BASHCOMPDIR=/opt/bc ZSHCOMPDIR=/opt/zc FISHCOMPDIR=/opt/fc \
  >"$TEST_OUT/uninstall-dirs.log" 2>&1
check "make uninstall with every directory set leaves no file" [ -z "$(find "$droot" -type f -o -type l)" ]

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

# Quiet builds: one short line per step; V=1 prints the command. One object
# into a scratch build directory, so the real one is left alone.
qb=$TEST_OUT/qb
mk() { make --no-print-directory PDF="${PDF:-all}" FETCH="${FETCH:-1}" SANITIZE="${SANITIZE:-0}" BUILD="$qb" "$@"; }
mk "$qb/lib/core/buf.o" >"$TEST_OUT/quiet.log" 2>&1
check "a quiet build prints '  CC  ...buf.o'" grep -qE "^  CC +$qb/lib/core/buf.o\$" "$TEST_OUT/quiet.log"
check "a quiet build prints no compiler command" sh -c "! grep -q -- '-std=c11' '$TEST_OUT/quiet.log'"
rm -rf "$qb"
mk V=1 "$qb/lib/core/buf.o" >"$TEST_OUT/verbose.log" 2>&1
check "V=1 prints the compiler command" grep -q -- "-std=c11 .*-c lib/core/buf.c -o $qb/lib/core/buf.o" "$TEST_OUT/verbose.log"
rm -rf "$qb"
done_suite
