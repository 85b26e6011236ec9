#!/bin/sh
# What a command loads at start-up. The cairo engine (cairo, fontconfig,
# freetype and what they need) is a module loaded by the first PDF or PNG
# render (lib/paint/cairo_module.h), and its pango half (pango, harfbuzz,
# glib) a second one, loaded by the first paragraph that needs it; so text,
# HTML, validation and help never map it; and a missing or broken module
# is a clear error with exit status 10, not a crash.
. tests/lib.sh
S=samples/v2/sales_playbook.json
# loads FILE COMMAND...: whether the command maps a library named FILE
# (the dynamic loader's own account: LD_DEBUG=files; into a file, so the
# command runs to its end whatever grep does).
loads() {
  f=$1
  shift
  LD_DEBUG=files "$@" >/dev/null 2>"$TEST_OUT/ld.txt"
  grep -q "file=[^ ]*$f" "$TEST_OUT/ld.txt"
}
for cmd in "help" "render -q -f text -o $TEST_OUT/t.txt $S" \
  "render -q -f html -o $TEST_OUT/t.html $S" "validate $S" "inspect $S"; do
  # shellcheck disable=SC2086
  check "quire $cmd runs" loads libc.so "$QUIRE" $cmd
  check "quire $cmd does not load libcairo" sh -c "! grep -q 'file=[^ ]*libcairo' '$TEST_OUT/ld.txt'"
  check "quire $cmd does not load fontconfig" sh -c "! grep -q 'file=[^ ]*libfontconfig' '$TEST_OUT/ld.txt'"
done
# The loader really reports what it maps: the same check sees libjansson.
check "LD_DEBUG=files shows what is mapped (libjansson)" loads libjansson "$QUIRE" validate "$S"

if [ "${PDF:-all}" = haru ]; then
  check "lean build: no module built" [ ! -e "$BUILD/lib/quire0/cairo.so" ]
  done_suite
  exit
fi

mod=$BUILD/lib/quire0/cairo.so
check "the module is built" [ -f "$mod" ]
check "the module exports one symbol" sh -c "[ \"\$(nm -D --defined-only '$mod' | awk '{print \$3}')\" = quire_paint_cairo_module ]"
check "libquire.so does not link libcairo" sh -c "! objdump -p '$BUILD/lib/libquire.so' | grep NEEDED | grep -q cairo"
check "the command does not link libcairo" sh -c "! objdump -p '$QUIRE' | grep NEEDED | grep -q cairo"
check "a PDF render loads the module" loads quire0/cairo.so "$QUIRE" render -q -f pdf -o "$TEST_OUT/t.pdf" "$S"
check "and with it libcairo" loads libcairo "$QUIRE" render -q -f pdf -o "$TEST_OUT/t.pdf" "$S"
check "the PDF is made" sh -c "pdfinfo '$TEST_OUT/t.pdf' | grep -q '^Pages:'"
check "a PNG render loads the module" loads quire0/cairo.so "$QUIRE" render -q -f png -o "$TEST_OUT/t.png" "$S"
loads libcairo "$QUIRE" render -q -f pdf --pdf-engine haru -o "$TEST_OUT/h.pdf" "$S"
rc=$?
check "--pdf-engine haru does not load it" [ "$rc" -ne 0 ]
check "--pdf-engine haru made its PDF" [ -s "$TEST_OUT/h.pdf" ]
check "-V loads it to say what runs" sh -c "'$QUIRE' -V | grep -E '^cairo ' | grep -qv 'not found'"

# The engine's pango half (lib/paint/cairo_pango.h) is a second module,
# loaded by the first paragraph that needs pango: cairo.so links none of
# pango, HarfBuzz, glib or gobject, and a Latin report (links included)
# never maps them.
pmod=$BUILD/lib/quire0/cairo-pango.so
check "the pango module is built" [ -f "$pmod" ]
check "the pango module exports one symbol" sh -c "[ \"\$(nm -D --defined-only '$pmod' | awk '{print \$3}')\" = quire_paint_cairo_pango_module ]"
for lib in pango harfbuzz glib gobject; do
  check "cairo.so does not link $lib" sh -c "! readelf -d '$mod' | grep NEEDED | grep -q 'lib$lib'"
done
check "the pango module links pango" sh -c "readelf -d '$pmod' | grep NEEDED | grep -q libpango-1.0"
for fmt in pdf png; do
  loads quire0/cairo.so "$QUIRE" render -q -f $fmt -o "$TEST_OUT/l.$fmt" "$S"
  check "a Latin $fmt render loads the engine" [ $? -eq 0 ]
  for lib in quire0/cairo-pango.so libpango libharfbuzz libglib libgobject; do
    check "a Latin $fmt render (links too) does not load $lib" sh -c "! grep -q 'file=[^ ]*$lib' '$TEST_OUT/ld.txt'"
  done
done
A=samples/intl/multiscript.json
check "an Arabic render loads the pango module" loads quire0/cairo-pango.so "$QUIRE" render -q -f pdf -o "$TEST_OUT/a.pdf" "$A"
check "and with it pango" grep -q 'file=[^ ]*libpango-1.0' "$TEST_OUT/ld.txt"
check "-V loads it to say what pango runs" sh -c "'$QUIRE' -V | grep -E '^pango ' | grep -qv 'not found'"

# The command makes quire's own font set fontconfig's default
# (quire_global_fontconfig_default), so pango does not load the system's
# configuration: with FONTCONFIG_FILE naming no file, that load would say
# "Fontconfig error: Cannot load default config file".
for fmt in pdf png; do
  FONTCONFIG_FILE=$TEST_OUT/none.conf "$QUIRE" render -q -f $fmt -o "$TEST_OUT/fc.$fmt" "$S" 2>"$TEST_OUT/fc-$fmt.err"
  rc=$?
  check "$fmt: rendered without the system's fontconfig configuration" [ "$rc" -eq 0 ]
  check "$fmt: made" [ -s "$TEST_OUT/fc.$fmt" ]
  check "$fmt: fontconfig did not look for it" sh -c "! grep -q 'Fontconfig error' '$TEST_OUT/fc-$fmt.err'"
done
cmp -s "$TEST_OUT/fc.pdf" "$TEST_OUT/t.pdf"
check "the same PDF as with it" [ $? -eq 0 ]

# A program whose module is broken: the command alone in a directory with
# a lib/quire0/cairo.so that is not a shared object. The first module found
# is the one used, so an installed one elsewhere cannot hide the error.
bad=$TEST_OUT/bad
mkdir -p "$bad/lib/quire0"
cp "$QUIRE" "$bad/quire"
echo "not a shared object" >"$bad/lib/quire0/cairo.so"
expect_status 10 "a broken module: exit 10" "$bad/quire" render -q -f pdf -o "$TEST_OUT/b.pdf" "$S" 2>"$TEST_OUT/bad.err"
check "a broken module: the error names the module" grep -q "cairo engine module: .*$bad/lib/quire0/cairo.so" "$TEST_OUT/bad.err"
check "a broken module: no PDF written" [ ! -e "$TEST_OUT/b.pdf" ]
expect_status 0 "a broken module: text still renders" "$bad/quire" render -q -f text -o "$TEST_OUT/b.txt" "$S"
expect_status 0 "a broken module: haru PDF still renders" "$bad/quire" render -q -f pdf --pdf-engine haru -o "$TEST_OUT/b-haru.pdf" "$S"
check "a broken module: -V says the running cairo is not found" sh -c "'$bad/quire' -V | grep -E '^cairo ' | grep -q 'not found'"

# A broken pango module beside a good engine: Latin still renders (it never
# loads it), text that needs pango is an error naming the file.
pbad=$TEST_OUT/pbad
mkdir -p "$pbad/lib/quire0"
cp "$QUIRE" "$pbad/quire"
cp "$mod" "$pbad/lib/quire0/cairo.so"
echo "not a shared object" >"$pbad/lib/quire0/cairo-pango.so"
expect_status 0 "a broken pango module: Latin still renders" "$pbad/quire" render -q -f pdf -o "$TEST_OUT/pb.pdf" "$S"
expect_status 10 "a broken pango module: Arabic is an error" "$pbad/quire" render -q -f pdf -o "$TEST_OUT/pa.pdf" "$A" 2>"$TEST_OUT/pbad.err"
check "a broken pango module: the error names it" grep -q "pango module: .*$pbad/lib/quire0/cairo-pango.so" "$TEST_OUT/pbad.err"
check "a broken pango module: no PDF written" [ ! -e "$TEST_OUT/pa.pdf" ]
check "a broken pango module: -V says the running pango is not found" sh -c "'$pbad/quire' -V | grep -E '^pango ' | grep -q 'not found'"
check "a broken pango module: -V still finds cairo" sh -c "'$pbad/quire' -V | grep -E '^cairo ' | grep -qv 'not found'"
# A shared object that is not the pango module (here cairo.so under its
# name): refused by its entry point, not called.
cp "$mod" "$pbad/lib/quire0/cairo-pango.so"
expect_status 10 "another library as the pango module: Arabic is an error" "$pbad/quire" render -q -f pdf -o "$TEST_OUT/pm.pdf" "$A" 2>"$TEST_OUT/pmis.err"
check "another library as the pango module: refused as not this quire's" grep -q "pango module: .*cairo-pango.so: not the module of this libquire" "$TEST_OUT/pmis.err"
expect_status 0 "another library as the pango module: Latin still renders" "$pbad/quire" render -q -f pdf -o "$TEST_OUT/pm-latin.pdf" "$S"

# A missing module: the command alone, where nothing is beside it; only
# when the LIBDIR it was built for has none either (not installed here).
gone=$TEST_OUT/gone
mkdir -p "$gone"
cp "$QUIRE" "$gone/quire"
expect_status 10 "no module: exit 10" "$gone/quire" render -q -f png -o "$TEST_OUT/g.png" "$S" 2>"$TEST_OUT/gone.err"
if grep -q "not found" "$TEST_OUT/gone.err"; then
  check "no module: the error says where it looked" grep -q "cairo engine module: /.*/quire0/cairo.so: not found" "$TEST_OUT/gone.err"
else
  echo "# skip: a module is installed where this build looks last"
fi
done_suite
