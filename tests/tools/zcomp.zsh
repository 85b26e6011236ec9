# zcomp.zsh DIR 'COMMAND LINE': what zsh's completion system offers for the
# command line with the cursor at its end, one candidate per line, using the
# completion function DIR/_quire. zsh completes only in an interactive shell
# with a line editor, so this starts one on a pseudo-terminal (zsh/zpty),
# presses Tab there, and records every candidate that reaches compadd.
zmodload zsh/zpty || { print -u2 'zcomp: no zsh/zpty'; exit 2 }
dir=$1
line=$2
tmp=$(mktemp -d) || exit 2
trap 'rm -rf $tmp' EXIT

cat >$tmp/init.zsh <<EOF
PS1= PROMPT= RPROMPT=
fpath=($dir \$fpath)
autoload -U compinit
compinit -u -D
zstyle ':completion:*' list-grouped false
zstyle ':completion:*' insert-tab false
bindkey '^I' complete-word
bindkey '^M' undefined
bindkey '^J' undefined
# Each candidate compadd is given, after its own matching against the
# word under the cursor, goes to the output between two marker lines.
compadd() {
  if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
    builtin compadd "\$@"
    return
  fi
  local -a __hits
  builtin compadd -A __hits "\$@"
  local h
  for h in \$__hits; do print -r -- "ZC:\$h"; done
  builtin compadd "\$@"
}
zc_end() { print -r -- ZC-END; exit }
comppostfuncs=(zc_end)
print -r -- ZC-READY
EOF

zpty z zsh -f -i
zpty -w z "source $tmp/init.zsh"
local out
integer n=0
while zpty -r -t z out 2>/dev/null || (( n++ < 50 )); do
  [[ $out == *ZC-READY* ]] && break
  [[ -z $out ]] && sleep 0.1
done
zpty -w -n z "$line"$'\t'
integer tries=0
while (( tries++ < 200 )); do
  if zpty -r -t z out 2>/dev/null; then
    [[ $out == *ZC-END* ]] && break
    # the first one follows the echo of the typed line, without a newline
    [[ $out == *ZC:* ]] && print -r -- ${${out##*ZC:}%$'\r'*}
  else
    sleep 0.05
  fi
done
zpty -d z
