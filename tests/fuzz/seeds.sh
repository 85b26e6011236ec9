# Sourced by tests/fuzz/run.sh (make fuzz) and tests/suites/fuzz_replay.sh
# (make test): fuzz_seeds HARNESS DIR writes the seeds that are derived from
# files in the repository (samples, decoder cases, templates) into DIR, each
# with the harness's control byte in front, and those mkseeds.py makes from
# the test server's scenarios (tests/http/). Seeds that are not derived
# (hand-written, crash reproducers) live in tests/fuzz/seeds/HARNESS/.

# fuzz_prefix BYTE_OCTAL FILE OUT: OUT is the byte, then FILE.
fuzz_prefix() {
  { printf "\\$1"; cat "$2"; } >"$3"
}

fuzz_seeds() {
  h=$1
  dir=$2
  mkdir -p "$dir"
  case $h in
  decode)
    # control byte 0: tolerant, width 20, no colour
    for f in samples/*/*.json tests/decode/*/*/input.json; do
      fuzz_prefix 000 "$f" "$dir/$(echo "$f" | tr '/' '_')"
    done
    ;;
  json_fast)
    # every sample and decoder case as it is (no control byte)
    for f in samples/*/*.json tests/decode/*/*/input.json; do
      cp "$f" "$dir/$(echo "$f" | tr '/' '_')"
    done
    ;;
  paged)
    # 003: cairo PDF, libharu PDF and PNG pages 1-2 of every sample and
    # valid decoder case; a few more with 117 (0x4f: all three, Letter,
    # the default template, the last page) and 221 (0x91: strict, libharu only, the
    # second built-in template)
    for f in samples/*/*.json tests/decode/valid/*/input.json; do
      fuzz_prefix 003 "$f" "$dir/$(echo "$f" | tr '/' '_')"
    done
    for f in samples/v2/sales_playbook.json samples/intl/multiscript.json samples/long/sixty_sections.json; do
      fuzz_prefix 117 "$f" "$dir/letter_$(basename "$f")"
    done
    for f in samples/v2/*.json; do
      fuzz_prefix 221 "$f" "$dir/strict_haru_$(basename "$f")"
    done
    ;;
  theme)
    # the built-in themes as the user's: bits 0-2 the template, 0x70 HTML,
    # text and a libharu PDF; 0xf8 the same as default/ with a cairo PDF
    i=0
    for f in templates/*/theme.json; do
      t=$(basename "$(dirname "$f")")
      fuzz_prefix "$(printf %o $((0x70 + i % 8)))" "$f" "$dir/${t}_haru"
      fuzz_prefix "$(printf %o $((0xf8 + i % 8)))" "$f" "$dir/${t}_cairo"
      i=$((i + 1))
    done
    ;;
  sse | api_error | webhook)
    if command -v python3 >/dev/null 2>&1; then
      python3 tests/fuzz/mkseeds.py "$h" "$dir"
    else
      echo "fuzz_seeds: no python3: no seeds from the test server's scenarios for $h"
    fi
    ;;
  mustache)
    for f in templates/*/*.mustache templates/*/partials/*.mustache; do
      [ -f "$f" ] && cp "$f" "$dir/$(echo "$f" | tr '/' '_')"
    done
    ;;
  esac
  return 0
}
