#!/bin/sh
# Terminal text renderer through the CLI: golden files (plain for every
# sample, coloured for two), colour and width decisions, --ascii, safety.
# Regenerate goldens only on purpose:  UPDATE_GOLDEN=1 sh tests/suites/text.sh
# (then review the diff). The normal run never writes them.
. "$(dirname "$0")/../lib.sh"
G=tests/golden/text
OUT=${TEST_OUT:-/tmp/quire-text}
mkdir -p "$OUT"

name_of() { echo "$1" | sed 's|^samples/||; s|\.json$||; s|/|__|g'; }

golden() { # golden NAME FILE ARGS... (env set by caller)
  n=$1
  f=$2
  shift 2
  "$QUIRE" render -q --no-pager "$@" "$f" >"$OUT/$n" 2>"$OUT/$n.err"
  rc=$?
  if [ "$rc" -ne 0 ]; then
    fail "$n: quire render exited $rc: $(head -n 1 "$OUT/$n.err")"
    return
  fi
  if [ -n "${UPDATE_GOLDEN:-}" ]; then
    mkdir -p "$G"
    cp "$OUT/$n" "$G/$n"
    ok
  elif [ ! -f "$G/$n" ]; then
    fail "$n: no golden file $G/$n (UPDATE_GOLDEN=1 to create it)"
  elif cmp -s "$OUT/$n" "$G/$n"; then
    ok
  else
    fail "$n: differs from $G/$n"
    diff -u "$G/$n" "$OUT/$n" | head -n 20
  fi
}

for f in $(find samples -name '*.json' | sort); do
  golden "$(name_of "$f").txt" "$f" --color=never --width 80
done
COLORTERM=truecolor golden v2__sales_playbook.truecolor.ans samples/v2/sales_playbook.json --color=always --width 80
COLORTERM= TERM=xterm-256color golden legacy__all_blocks.256.ans samples/legacy/all_blocks.json --color=always --width 100
golden legacy__all_blocks.ascii.txt samples/legacy/all_blocks.json --color=never --ascii --width 60

S=samples/v2/sales_playbook.json
esc=$(printf '\033')
has_esc() { grep -q "$esc" "$1"; }

# auto colour: never when not a terminal, never with NO_COLOR
"$QUIRE" render -q "$S" >"$OUT/auto.txt"
check "--color=auto to a pipe has no escapes" sh -c "! grep -q '$esc' '$OUT/auto.txt'"
NO_COLOR=1 "$QUIRE" render -q --color=always "$S" >"$OUT/always.txt"
check "--color=always colours even with NO_COLOR" has_esc "$OUT/always.txt"
"$QUIRE" render -q --color=never "$S" >"$OUT/never.txt"
check "--color=never has no escape bytes" sh -c "! grep -q '$esc' '$OUT/never.txt'"
COLORTERM=truecolor "$QUIRE" render -q --color=always "$S" >"$OUT/tc.txt"
check "COLORTERM=truecolor gives 24-bit SGR" grep -q '38;2;' "$OUT/tc.txt"
COLORTERM= TERM=xterm-256color "$QUIRE" render -q --color=always "$S" >"$OUT/256.txt"
check "TERM=*256color gives 256-colour SGR" grep -q '38;5;' "$OUT/256.txt"
COLORTERM= TERM=xterm "$QUIRE" render -q --color=always "$S" >"$OUT/16.txt"
check "plain TERM gives 16-colour SGR" sh -c "grep -q '$esc\[0;1;3[0-7]m' '$OUT/16.txt' && ! grep -q '38;[25];' '$OUT/16.txt'"
"$QUIRE" render -q --color=always samples/legacy/markdown_only.json >"$OUT/links.txt"
check "links become OSC 8 hyperlinks with colour" grep -q "$esc]8;id=" "$OUT/links.txt"
"$QUIRE" render -q --color=never samples/legacy/markdown_only.json >"$OUT/links-plain.txt"
check "plain links show their URL" grep -q 'https://' "$OUT/links-plain.txt"

# width: --width, else COLUMNS, else 80
# (the header rule spans the width exactly; compared as bytes)
rule() { printf '\342\224\201%.0s' $(seq "$1"); }
COLUMNS=50 "$QUIRE" render -q --color=never "$S" >"$OUT/cols.txt"
check "COLUMNS=50 is honoured off a terminal" env LC_ALL=C grep -qxF "$(rule 50)" "$OUT/cols.txt"
COLUMNS=50 "$QUIRE" render -q --color=never --width 70 "$S" >"$OUT/w70.txt"
check "--width beats COLUMNS" env LC_ALL=C grep -qxF "$(rule 70)" "$OUT/w70.txt"
env -u COLUMNS "$QUIRE" render -q --color=never "$S" >"$OUT/w80.txt"
check "80 columns by default" env LC_ALL=C grep -qxF "$(rule 80)" "$OUT/w80.txt"
expect_status 2 "--width 5 is refused" "$QUIRE" render -q --width 5 "$S" 2>/dev/null

# --ascii: no box drawing, bullets or rules outside ASCII
"$QUIRE" render -q --color=never --ascii samples/legacy/all_blocks.json >"$OUT/ascii.txt"
check "--ascii draws ASCII boxes" grep -q '^+---' "$OUT/ascii.txt"
check "--ascii has no box-drawing characters" sh -c "! grep -q '[─│╭╮╰╯━┌┐└┘]' '$OUT/ascii.txt'"

# stdin and -o
"$QUIRE" render -q --color=never - <"$S" >"$OUT/stdin.txt"
check "- reads stdin" cmp -s "$OUT/stdin.txt" "$OUT/never.txt"
"$QUIRE" render -q -o "$OUT/o.txt" "$S"
check "-o FILE writes plain text" sh -c "cmp -s '$OUT/o.txt' '$OUT/never.txt'"

# safety through the CLI: nothing from the report acts on the terminal
for f in tests/data/hostile/*.json; do
  for mode in never always; do
    "$QUIRE" render -q --color=$mode --width 60 "$f" >"$OUT/hostile.$mode" 2>/dev/null
    check "$f --color=$mode: no OSC 0/52, clear screen or DCS" \
      sh -c "! grep -q '$esc\][05]' '$OUT/hostile.$mode' && ! grep -q '$esc\[2J' '$OUT/hostile.$mode' && ! grep -q '${esc}P' '$OUT/hostile.$mode'"
    check "$f --color=$mode: no CR or backspace" sh -c "! tr -d '\n' <'$OUT/hostile.$mode' | grep -q '[[:cntrl:]]' || [ $mode = always ]"
    check "$f --color=$mode: no javascript: hyperlink" sh -c "! grep -q '$esc]8;[^;]*;javascript' '$OUT/hostile.$mode'"
  done
done

done_suite
