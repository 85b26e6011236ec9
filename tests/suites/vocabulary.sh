#!/bin/sh
# One CLI vocabulary (issue 12): a short option means the same thing in
# every command. Every command's --help is parsed; each "-x, --long" (or a
# bare "-x") definition is collected, and no short option may stand for two
# long ones, nor be defined twice in one help.
. tests/lib.sh
: "${QUIRE:?}" "${TEST_OUT:?}"
Q=$QUIRE
T=$TEST_OUT

cmds=$("$Q" --help | awk '/^Commands:/ {on=1; next} on && /^  [a-z]/ {print $1}')
check "quire --help lists commands" [ -n "$cmds" ]
for c in $cmds; do
  "$Q" help "$c" >"$T/help-$c.txt"
  check "quire help $c" [ -s "$T/help-$c.txt" ]
  "$Q" "$c" --help >"$T/help2-$c.txt"
  check "quire $c --help is quire help $c" cmp -s "$T/help-$c.txt" "$T/help2-$c.txt"
done
python3 - "$T" $cmds >"$T/vocab.txt" <<'PY'
import re, sys
out, cmds = sys.argv[1], sys.argv[2:]
defn = re.compile(r"^\s+-([A-Za-z0-9])(?:,\s+--([a-z0-9][a-z0-9-]*))?(?=[\s\[=]|$)")
meaning, bad = {}, 0
for c in cmds:
    seen = {}
    for line in open(f"{out}/help-{c}.txt"):
        m = defn.match(line)
        if not m:
            continue
        short, long_ = "-" + m.group(1), "--" + (m.group(2) or "?")
        if short in seen:
            print(f"not ok: {c}: {short} is defined twice in its help")
            bad += 1
        seen[short] = long_
        meaning.setdefault(short, {}).setdefault(long_, []).append(c)
for short, longs in sorted(meaning.items()):
    desc = "; ".join(f"{l} in {', '.join(cs)}" for l, cs in sorted(longs.items()))
    if len(longs) > 1:
        print(f"not ok: {short} has {len(longs)} meanings: {desc}")
        bad += 1
    else:
        print(f"ok: {short}: {desc}")
sys.exit(1 if bad else 0)
PY
st=$?
grep '^not ok' "$T/vocab.txt"
check "no short option has two meanings (tests/out/vocabulary/vocab.txt)" [ $st -eq 0 ]
check "the parser found short options" [ "$(grep -c '^ok: ' "$T/vocab.txt")" -gt 5 ]
check "-j is --jobs" grep -q '^ok: -j: --jobs in render' "$T/vocab.txt"

expect_status 0 "quire help help" "$Q" help help
"$Q" help help >"$T/helphelp.txt"
check "quire help help describes help" grep -q 'usage: quire help' "$T/helphelp.txt"
expect_status 2 "fetch -j 4 is no longer a job id" "$Q" fetch -j 4 2>"$T/fetch-j.err"
check "fetch -j: unrecognized" grep -q "unrecognized option '-j'" "$T/fetch-j.err"
check "render --help defines -o once" [ "$(grep -cE '^ +-o[, ]' "$T/help-render.txt")" -eq 1 ]
check "validate --help documents -q" grep -qE '^ +-q, --quiet' "$T/help-validate.txt"
check "inspect --help documents -q" grep -qE '^ +-q, --quiet' "$T/help-inspect.txt"
printf '{"id":"x","bogus":1,"sections":[]}' >"$T/warn.json"
"$Q" inspect "$T/warn.json" >"$T/inspect.txt"
"$Q" inspect -q "$T/warn.json" >"$T/inspect-q.txt"
check "inspect lists the warning" grep -q '^warning ' "$T/inspect.txt"
check "inspect -q leaves it out" sh -c "! grep -q '^warning ' '$T/inspect-q.txt' && grep -q '^document' '$T/inspect-q.txt'"
expect_status 2 "fetch -f zzz" "$Q" fetch -f zzz x 2>"$T/fetch-f.err"
check "fetch -f zzz lists json among the formats" grep -q 'png or json' "$T/fetch-f.err"
done_suite
