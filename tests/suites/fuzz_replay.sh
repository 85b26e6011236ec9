# Replays every fuzz harness (tests/fuzz/fuzz_*.c), built with the normal
# compiler, over its seeds: those derived from the repository
# (tests/fuzz/seeds.sh: samples, decoder cases, templates, the test server's
# scenarios) and the committed ones in tests/fuzz/seeds/HARNESS/ (every
# crash the fuzzers found). FUZZ_CORPUS=1 adds the local corpora that make fuzz
# grew (tests/fuzz/corpus/, not in git; slower).
#
# In a build without cairo (PDF=haru) the paged and theme harnesses still
# run: fuzz_paged serves cairo PDF requests with libharu and checks that PNG
# is refused as not built in; its summary line says which engines ran, and
# this suite checks that line, so nothing is skipped silently.
. tests/lib.sh
. tests/fuzz/seeds.sh
pkgs="jansson libcmark-gfm libpng zlib fribidi"
# -u quire__cairo_builtin (and its pango half): the cairo engine linked in
# from libquire.a, not loaded as a module (lib/paint/cairo_module.h).
builtin=
[ "${PDF:-all}" = haru ] || { pkgs="$pkgs cairo pangocairo pangoft2 fontconfig"; builtin="-Wl,-u,quire__cairo_builtin -Wl,-u,quire__cairo_pango_builtin"; }
[ -f "$BUILD/lib/libquire.a" ] || { fail "no library"; done_suite; exit 1; }
curl_libs=$(pkg-config --exists libcurl && nm "$BUILD/lib/libquire.a" 2>/dev/null | grep -q curl_easy && pkg-config --libs libcurl)
san=
[ "${SANITIZE:-0}" = 1 ] && san="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
for h in tests/fuzz/fuzz_*.c; do
  n=$(basename "$h" .c)
  short=${n#fuzz_}
  # shellcheck disable=SC2046,SC2086
  if cc -std=c11 -g -O1 -Wall -Wextra -Werror $san -Ilib/include -Ilib $(pkg-config --cflags jansson) \
      $builtin "$h" "$BUILD/lib/libquire.a" $(pkg-config --libs $pkgs) $curl_libs \
      -lcmark-gfm-extensions -lhpdf -lunibreak -lpthread -lm -ldl -o "$TEST_OUT/$n" 2>"$TEST_OUT/$n.build.log"; then
    ok
  else
    fail "$n does not build"
    cat "$TEST_OUT/$n.build.log"
    continue
  fi
  fuzz_seeds "$short" "$TEST_OUT/seeds/$short"
  inputs="$TEST_OUT/seeds/$short/* tests/fuzz/seeds/$short/*"
  [ "${FUZZ_CORPUS:-0}" = 1 ] && inputs="$inputs tests/fuzz/corpus/$short/*"
  # shellcheck disable=SC2086
  files=$(ls -d $inputs 2>/dev/null) || true
  if [ -z "$files" ]; then
    fail "$n has no seeds"
    continue
  fi
  start=$(date +%s)
  # shellcheck disable=SC2086
  check "$n replays its seeds" "$TEST_OUT/$n" $files >"$TEST_OUT/$n.out" 2>&1
  end=$(date +%s)
  # What ran, for the log (the harness's own summary first).
  grep -v ' passed, ' "$TEST_OUT/$n.out" | tail -n 5
  echo "$n: $(echo "$files" | wc -w) inputs in $((end - start))s"
done

# The paged harness must say which engines ran in this build.
sum=$(grep '^fuzz_paged: [0-9]' "$TEST_OUT/fuzz_paged.out" 2>/dev/null)
haru=$(echo "$sum" | sed -n 's/.*libharu PDF \([0-9]*\).*/\1/p')
cairo=$(echo "$sum" | sed -n 's/.*cairo PDF \([0-9]*\),.*/\1/p')
png=$(echo "$sum" | sed -n 's/.*, PNG \([0-9]*\),.*/\1/p')
check "fuzz_paged ran libharu (${haru:-?} PDFs)" test "${haru:-0}" -gt 0
if [ "${PDF:-all}" = haru ]; then
  check "fuzz_paged without cairo says so" grep -q 'cairo not built in.*refused with QUIRE_EUNSUPPORTED' "$TEST_OUT/fuzz_paged.out"
  check "fuzz_paged without cairo painted no cairo PDF or PNG" test "${cairo:-1}" -eq 0 -a "${png:-1}" -eq 0
else
  check "fuzz_paged ran cairo (${cairo:-?} PDFs, ${png:-?} PNGs)" test "${cairo:-0}" -gt 0 -a "${png:-0}" -gt 0
fi
done_suite
