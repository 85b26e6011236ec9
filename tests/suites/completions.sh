# Shell completions, generated from man/quire.1.scd (completions/gen.py):
# bash through its completion function (what compgen offers), fish through
# `complete -C`, zsh through a real interactive shell on a pseudo-terminal.
# Each checks commands, options, option values (formats, engines, template
# names from `quire templates`) and files filtered by extension.
. tests/lib.sh
T=$TEST_OUT
make --no-print-directory BUILD="$BUILD" PDF="${PDF:-all}" FETCH="${FETCH:-1}" \
  SANITIZE="${SANITIZE:-0}" completions >"$T/make.log" 2>&1
check "make completions" [ $? -eq 0 ]
C=$PWD/$BUILD/completions
case $BUILD in /*) C=$BUILD/completions ;; esac
for f in quire.bash _quire quire.fish; do
  check "$f generated" [ -s "$C/$f" ]
done
check "bash -n quire.bash" bash -n "$C/quire.bash"

# The generated files follow the man page: an option added there appears in
# all three (a copy of the page with one more render option).
sed 's/^\*--ndjson\*$/*--ndjson*\n\tRead NDJSON.\n\n*--frobnicate* _FMT_\n\t*alpha* or *beta*./' \
  man/quire.1.scd >"$T/extra.scd"
python3 completions/gen.py "$T/extra.scd" "$T/extra" 2>"$T/extra.err"
check "gen.py reads a page with a new option" [ $? -eq 0 ]
for f in quire.bash _quire quire.fish; do
  check "a new option in the man page reaches $f" grep -q -- 'frobnicate' "$T/extra/$f"
done

# A directory to complete file names in.
W=$T/work
mkdir -p "$W/sub"
: >"$W/a.json"
: >"$W/b.ndjson"
: >"$W/c.txt"
: >"$W/d.pdf"
: >"$W/e.png"
: >"$W/f.html"
: >"$W/g.key"
PATH=$(dirname "$QUIRE"):$PATH
export PATH

# bcomp WORD...: what bash completes for the command line WORD... (the last
# word is the one under the cursor), one per line, sorted.
bcomp() {
  (cd "$W" && bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _quire; printf "%s\n" "${COMPREPLY[@]}"' \
    _ "$C/quire.bash" "$@" 2>/dev/null) | sort | tr '\n' ' ' | sed 's/ $//'
}
# has WANT GOT: every word of WANT is in GOT.
has() {
  for w in $1; do
    case " $2 " in *" $w "*) ;; *) return 1 ;; esac
  done
}
# hasnt WORD GOT
hasnt() { case " $2 " in *" $1 "*) return 1 ;; esac; }
bt() {
  want=$1
  shift
  got=$(bcomp "$@")
  check "bash: quire ${*%?} -> $want (got: $got)" has "$want" "$got"
}

cmds="render validate inspect templates fetch job create webhook help"
bt "$cmds" quire ''
bt "render" quire re
bt "-V --version -h --help" quire -
bt "--format --output --pdf-engine --jobs --template --templates" quire render --
bt "--job --matching --wait" quire fetch --
bt "text html pdf png" quire render -f ''
bt "text html pdf png json" quire fetch --format ''
bt "cairo haru" quire render --pdf-engine ''
bt "cairo haru" quire render --pdf-engine = ''
bt "a4 letter" quire fetch --paper ''
bt "auto always never" quire render --color = ''
bt "general_report sales_playbook" quire create --template ''
bt "dominant timerange entity_id magic_hint speaker_index" quire create --target ''
templates=$("$QUIRE" templates | awk 'NF == 1' | tr '\n' ' ')
check "quire templates lists templates" [ -n "$templates" ]
bt "$templates" quire render --template ''
bt "$templates" quire templates ''
bt "$templates" quire create --render-template ''
bt "verify" quire webhook ''
bt "--secret-file --header --tolerance" quire webhook verify --
bt "render fetch" quire help ''
got=$(bcomp quire render '')
check "bash: render FILE offers .json, .ndjson and directories (got: $got)" has "a.json b.ndjson sub" "$got"
check "bash: render FILE does not offer c.txt" hasnt c.txt "$got"
got=$(bcomp quire render -o '')
check "bash: render -o offers output extensions (got: $got)" has "c.txt d.pdf e.png f.html sub" "$got"
check "bash: render -o does not offer a.json" hasnt a.json "$got"
got=$(bcomp quire fetch -o '')
check "bash: fetch -o also offers .json (got: $got)" has "a.json d.pdf" "$got"
got=$(bcomp quire webhook verify --secret-file '')
check "bash: --secret-file offers any file (got: $got)" has "g.key a.json" "$got"
got=$(bcomp quire render --templates '')
check "bash: --templates offers directories only (got: $got)" [ "$got" = sub ]
got=$(bcomp quire fetch --job '')
check "bash: an id completes to nothing (got: $got)" [ -z "$got" ]

# fish: complete -C, as the shell itself completes.
if command -v fish >/dev/null 2>&1; then
  fcomp() {
    (cd "$W" && fish --no-config -c "source '$C/quire.fish'; complete -C '$1'" 2>&1) |
      cut -f1 | sort | tr '\n' ' ' | sed 's/ $//'
  }
  ft() {
    got=$(fcomp "$2")
    check "fish: $2 -> $1 (got: $got)" has "$1" "$got"
  }
  check "fish -n quire.fish" fish --no-config -n "$C/quire.fish"
  ft "$cmds" "quire "
  ft "--format --output --pdf-engine --jobs" "quire render --"
  ft "text html pdf png" "quire render -f "
  ft "text html pdf png json" "quire fetch --format "
  ft "cairo haru" "quire render --pdf-engine "
  ft "--pdf-engine=cairo --pdf-engine=haru" "quire render --pdf-engine="
  ft "$templates" "quire render --template "
  ft "$templates" "quire templates "
  ft "verify" "quire webhook "
  got=$(fcomp "quire render ")
  check "fish: render FILE offers .json, .ndjson and directories (got: $got)" has "a.json b.ndjson sub/" "$got"
  check "fish: render FILE does not offer c.txt" hasnt c.txt "$got"
  got=$(fcomp "quire render -o ")
  check "fish: render -o offers output extensions (got: $got)" has "c.txt d.pdf e.png f.html sub/" "$got"
  check "fish: render -o does not offer a.json" hasnt a.json "$got"
  got=$(fcomp "quire fetch --job ")
  check "fish: an id completes to nothing (got: $got)" [ -z "$got" ]
else
  fail "fish is not installed (scripts/deps.sh test installs it)"
fi

# zsh: an interactive zsh on a pseudo-terminal (tests/tools/zcomp.zsh).
if command -v zsh >/dev/null 2>&1; then
  check "zsh -n _quire" zsh -n "$C/_quire"
  zcomp() {
    (cd "$W" && zsh -f "$Z" "$C" "$1" 2>&1) | sort -u | tr '\n' ' ' | sed 's/ $//'
  }
  Z=$PWD/tests/tools/zcomp.zsh
  zt() {
    got=$(zcomp "$2")
    check "zsh: $2 -> $1 (got: $got)" has "$1" "$got"
  }
  zt "$cmds" "quire "
  zt "--format --output --pdf-engine --jobs" "quire render --"
  zt "text html pdf png" "quire render -f "
  zt "cairo haru" "quire render --pdf-engine "
  zt "$templates" "quire render --template "
  zt "verify" "quire webhook "
  got=$(zcomp "quire render ")
  check "zsh: render FILE offers .json, .ndjson and directories (got: $got)" has "a.json b.ndjson sub" "$got"
  check "zsh: render FILE does not offer c.txt" hasnt c.txt "$got"
else
  fail "zsh is not installed (scripts/deps.sh test installs it)"
fi
done_suite
