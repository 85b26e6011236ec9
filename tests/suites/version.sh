# quire --version / -V: the version, what is built in, and each library with
# the version it was built with (checked against pkg-config) and the one it
# runs with (checked by preloading a library that says another version).
. tests/lib.sh
Q=$QUIRE
T=$TEST_OUT
PDF=${PDF:-all}
FETCH=${FETCH:-1}

expect_status 0 "quire -V" "$Q" -V >"$T/V" 2>"$T/V.err"
expect_status 0 "quire --version" "$Q" --version >"$T/version" 2>&1
check "-V and --version print the same" cmp -s "$T/V" "$T/version"
check "nothing on stderr" [ ! -s "$T/V.err" ]
cat "$T/V"
want=$(sed -n 's/^VERSION = //p' Makefile)
check "first line is 'quire $want' (the Makefile's VERSION)" [ "$(head -n 1 "$T/V")" = "quire $want" ]

# built-with column: "NAME BUILT RUNNING" rows after the header.
col() { awk -v n="$1" -v c="$2" '$1 == n { print $c }' "$T/V"; }
row() { grep -q "^$1 " "$T/V"; }
norow() { ! row "$1"; }

if [ "$PDF" = all ]; then
  check "engines: cairo and haru" grep -qx 'Engines: cairo haru' "$T/V"
  check "formats include png" grep -qx 'Formats: text html pdf png' "$T/V"
  libs="jansson:jansson cmark-gfm:libcmark-gfm cairo:cairo pango:pango harfbuzz:harfbuzz glib:glib-2.0 fontconfig:fontconfig libpng:libpng fribidi:fribidi"
else
  check "engines: haru only" grep -qx 'Engines: haru' "$T/V"
  check "formats: no png" grep -qx 'Formats: text html pdf' "$T/V"
  for l in cairo pango fontconfig libpng glib harfbuzz; do
    check "lean build lists no $l" norow "$l"
  done
  libs="jansson:jansson cmark-gfm:libcmark-gfm"
fi
for pair in $libs; do
  name=${pair%%:*}
  pc=${pair#*:}
  check "$name listed" row "$name"
  built=$(col "$name" 2)
  check "$name built with $(pkg-config --modversion "$pc") (pkg-config): '$built'" \
    [ "$built" = "$(pkg-config --modversion "$pc")" ]
  check "$name runs the same version here: '$(col "$name" 3)'" [ "$(col "$name" 3)" = "$built" ]
done
check "libharu 2.3.0 built and running" grep -qE '^libharu +2\.3\.0 +2\.3\.0$' "$T/V"
check "libunibreak's running version" grep -qE '^libunibreak +- +[0-9]+\.[0-9]+$' "$T/V"

if [ "$FETCH" = 1 ]; then
  check "fetch compiled in" grep -q '^Fetch: yes' "$T/V"
  cv=$(curl-config --version 2>/dev/null | sed 's/^libcurl //')
  check "libcurl built with $cv (curl-config)" [ "$(col libcurl 2)" = "$cv" ]
  # libcurl is loaded on first use; -V loads it to say which one runs.
  check "libcurl running version" [ "$(col libcurl 3)" = "$cv" ]
  check "libcurl's TLS library" grep -qE '^libcurl-tls +- +[A-Za-z]+/[0-9]' "$T/V"
else
  check "fetch not compiled in" grep -q '^Fetch: no' "$T/V"
  check "no libcurl without FETCH" norow libcurl
fi

# The running column asks the loaded library: a library preloaded in front
# of jansson that says 9.99 shows there, while the built column stays.
cat >"$T/fakejansson.c" <<'C'
const char *jansson_version_str(void);
const char *jansson_version_str(void) { return "9.99"; }
C
if cc -shared -fPIC -o "$T/fakejansson.so" "$T/fakejansson.c" 2>"$T/cc.log"; then
  ASAN_OPTIONS=verify_asan_link_order=0${ASAN_OPTIONS:+:$ASAN_OPTIONS} \
    LD_PRELOAD="$T/fakejansson.so" "$Q" -V >"$T/V.preload" 2>&1
  check "running column comes from the loaded library" \
    grep -qE "^jansson +$(pkg-config --modversion jansson) +9\.99$" "$T/V.preload"
else
  fail "cc builds the preload library: $(cat "$T/cc.log")"
fi
done_suite
