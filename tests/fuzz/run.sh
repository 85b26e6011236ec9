#!/bin/sh
# make fuzz: builds the libFuzzer harnesses with clang and runs each for a
# bounded time (seconds, default 60), corpus seeded from samples/ and the
# decoder test cases. Crashes land in tests/fuzz/artifacts/.
set -eu
cd "$(dirname "$0")/../.."
secs=${1:-60}
BUILD=${BUILD:-build}
out=build-fuzz
command -v clang >/dev/null 2>&1 || { echo "fuzz: installing clang" >&2; apt-get install -y -qq clang >/dev/null; }
# The library itself must be instrumented for coverage, or libFuzzer sees
# only the harness and mutates blind.
make --no-print-directory CC=clang BUILD=$out SANITIZE=1 CFLAGS=-fsanitize=fuzzer-no-link $out/lib/libquire.a >/dev/null
pkgs="jansson libcmark-gfm libpng cairo pangocairo pangoft2 fontconfig libcurl"
mkdir -p tests/fuzz/corpus/decode tests/fuzz/artifacts
for f in samples/*/*.json tests/decode/*/*/input.json; do
  # the first byte is the harness's control byte
  name=$(echo "$f" | tr '/' '_')
  { printf '\000'; cat "$f"; } > tests/fuzz/corpus/decode/"$name"
done
mkdir -p tests/fuzz/corpus/mustache
for f in templates/*/*.mustache templates/*/partials/*.mustache; do
  [ -f "$f" ] && cp "$f" tests/fuzz/corpus/mustache/"$(echo "$f" | tr '/' '_')"
done
for h in tests/fuzz/fuzz_*.c; do
  n=$(basename "$h" .c)
  clang -g -O1 -fsanitize=fuzzer,address,undefined -DQUIRE_LIBFUZZER -Ilib/include -Ilib \
    "$h" $out/lib/libquire.a $(pkg-config --libs $pkgs) -lcmark-gfm-extensions -lhpdf -lunibreak -lpthread -lm \
    -o $out/$n
  corpus=tests/fuzz/corpus/${n#fuzz_}
  mkdir -p "$corpus"
  echo "fuzz: $n for ${secs}s"
  seeds=tests/fuzz/seeds/${n#fuzz_}
  [ -d "$seeds" ] || seeds=
  # shellcheck disable=SC2086
  $out/$n -max_total_time="$secs" -max_len=262144 -artifact_prefix=tests/fuzz/artifacts/ "$corpus" $seeds
done
