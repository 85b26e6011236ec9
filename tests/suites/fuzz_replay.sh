# Replays the fuzz harnesses over samples/ and the decoder cases (and any
# saved crash reproducers) with the normal compiler, as part of make test.
. tests/lib.sh
pkgs="jansson libcmark-gfm libpng"
[ "${PDF:-all}" = haru ] || pkgs="$pkgs cairo pangocairo pangoft2 fontconfig"
[ -f "$BUILD/lib/libquire.a" ] || { fail "no library"; done_suite; exit 1; }
curl_libs=$(pkg-config --exists libcurl && nm "$BUILD/lib/libquire.a" 2>/dev/null | grep -q curl_easy && pkg-config --libs libcurl)
san=
[ "${SANITIZE:-0}" = 1 ] && san="-fsanitize=address,undefined -fno-omit-frame-pointer"
for h in tests/fuzz/fuzz_*.c; do
  n=$(basename "$h" .c)
  # shellcheck disable=SC2086
  if cc -std=c11 -g -O1 $san -Ilib/include -Ilib "$h" "$BUILD/lib/libquire.a" $(pkg-config --libs $pkgs) $curl_libs \
      -lcmark-gfm-extensions -lhpdf -lunibreak -lpthread -lm -o "$TEST_OUT/$n" 2>"$TEST_OUT/$n.build.log"; then
    ok
  else
    fail "$n does not build"; cat "$TEST_OUT/$n.build.log"; continue
  fi
  case $n in
    fuzz_decode) inputs="samples/*/*.json tests/decode/*/*/input.json" ;;
    fuzz_mustache) inputs="templates/*/*.mustache templates/*/partials/*.mustache tests/fuzz/seeds/mustache/* tests/fuzz/corpus/mustache/*" ;;
    *) inputs="tests/fuzz/corpus/${n#fuzz_}/* tests/fuzz/seeds/${n#fuzz_}/*" ;;
  esac
  files=$(ls $inputs 2>/dev/null) || true
  [ -n "$files" ] || continue
  # shellcheck disable=SC2086
  check "$n replays its corpus" "$TEST_OUT/$n" $files
done
done_suite
