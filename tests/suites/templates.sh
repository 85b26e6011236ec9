#!/bin/sh
# User template directories: what may be read from them (issue 11: a
# symlink is followed only when it resolves inside the directory).
. tests/lib.sh
: "${QUIRE:?}" "${TEST_OUT:?}"
Q=$QUIRE
T=$TEST_OUT
G=samples/v2/general_report.json

# --- symlinks ---------------------------------------------------------------
mkdir -p "$T/my/default/partials" "$T/outside"
printf 'SECRET-SHADOW-LINE\n' >"$T/outside/shadow" # stands for /etc/shadow
chmod 600 "$T/outside/shadow"
ln -s "$T/outside/shadow" "$T/my/default/extra.css"
expect_status 1 "a template file linked outside the directory is refused" \
  "$Q" render -q "$G" --templates "$T/my" -o "$T/out1.html" 2>"$T/out1.err"
check "refusal names the file" grep -q "my/default/extra.css: a symlink that leads outside the template directory" "$T/out1.err"
check "nothing written" [ ! -e "$T/out1.html" ]
check "the secret is not in any output" sh -c "! grep -rq SECRET-SHADOW $T/out1.html $T/out1.err 2>/dev/null"
rm "$T/my/default/extra.css"
# Through a directory link, and through a relative link with ..
printf 'SECRET-SHADOW-LINE\n' >"$T/outside/extra.css"
ln -s "$T/outside" "$T/my/general_report"
expect_status 1 "a template directory linked outside is refused" \
  "$Q" render -q "$G" --templates "$T/my" -o "$T/out2.html" 2>"$T/out2.err"
check "directory link: refusal names the file" grep -q "general_report/extra.css: a symlink that leads outside" "$T/out2.err"
rm "$T/my/general_report"
ln -s ../../outside/shadow "$T/my/default/layout.mustache"
expect_status 1 "a relative ../ link out of the directory is refused" \
  "$Q" render -q "$G" --templates "$T/my" -o "$T/out3.html" 2>/dev/null
rm "$T/my/default/layout.mustache"
# theme.json is read the same way.
ln -s "$T/outside/shadow" "$T/my/default/theme.json"
expect_status 1 "theme.json linked outside is refused" \
  "$Q" render -q "$G" --templates "$T/my" -o "$T/out4.html" 2>"$T/out4.err"
check "theme.json: says why" grep -q "theme.json: a symlink that leads outside" "$T/out4.err"
rm "$T/my/default/theme.json"
# A link inside the directory is followed: a file shared by two names.
printf '.marker-inside { color: red }\n' >"$T/my/default/shared.css"
ln -s shared.css "$T/my/default/extra.css"
expect_status 0 "a link inside the template directory is followed" \
  "$Q" render -q "$G" --templates "$T/my" -o "$T/in.html"
check "the linked file is used" grep -q 'marker-inside' "$T/in.html"
# The directory itself may be reached through a link.
ln -s "$T/my" "$T/my-link"
expect_status 0 "--templates through a symlinked directory" \
  "$Q" render -q "$G" --templates "$T/my-link" -o "$T/in2.html"
check "through a symlinked directory: the file is used" grep -q 'marker-inside' "$T/in2.html"
check "templates/README.md documents the rule" grep -q 'symlink' templates/README.md

# --- templates --check and --strict-variables (issue 12) ----------------------
expect_status 0 "templates --check: the built-in sets are clean" "$Q" templates --check
mkdir -p "$T/chk/default/partials"
printf '{{#title}}<p>{{title}}</p>\n' >"$T/chk/default/partials/never_used.mustache"
expect_status 1 "templates --check: an unclosed section in an unused partial fails" \
  "$Q" templates --check "$T/chk" >"$T/chk1.out" 2>/dev/null
check "unclosed section: FILE:LINE:COL named once" \
  test "$(grep -c 'never_used.mustache:2:1: unclosed section' "$T/chk1.out")" -eq 1
rm "$T/chk/default/partials/never_used.mustache"
mkdir -p "$T/chk/mine"
printf '<h1>{{titel}}</h1>\n<p>{{doc.title}} {{doc.summry}}</p>{{#blocks}}{{>*partial}}{{/blocks}}\n' >"$T/chk/mine/layout.mustache"
expect_status 1 "templates --check: unknown variables fail" "$Q" templates --check "$T/chk" >"$T/chk2.out" 2>/dev/null
check "{{titel}} reported with its place" grep -q 'mine/layout.mustache:1:5: unknown variable "titel"' "$T/chk2.out"
check "{{doc.summry}} reported" grep -q 'unknown variable "doc.summry"' "$T/chk2.out"
check "{{doc.title}} is known" sh -c "! grep -q '\"doc.title\"' '$T/chk2.out'"
expect_status 0 "render without --strict-variables renders {{titel}} as nothing" \
  "$Q" render -q "$G" --templates "$T/chk" --template mine -o "$T/loose.html"
expect_status 1 "render --strict-variables fails on {{titel}}" \
  "$Q" render -q "$G" --templates "$T/chk" --template mine --strict-variables -o "$T/strictv.html" 2>"$T/strictv.err"
check "--strict-variables: says where" grep -q 'layout.mustache:1:5: unknown variable "titel"' "$T/strictv.err"
check "--strict-variables: nothing written" [ ! -e "$T/strictv.html" ]
expect_status 0 "render --strict-variables with the built-in templates" \
  "$Q" render -q "$G" --strict-variables -o "$T/builtin.html"
check "every variable the checker knows is documented in templates/README.md" python3 -c "
import re
src = open('lib/template/check.c').read()
names = set()
for arr in re.findall(r'S_(?:names|doc|theme)\[\] = \{(.*?)\};', src, re.S):
    names |= set(re.findall(r'\"([a-z_]+)\"', arr))
doc = open('templates/README.md').read()
missing = sorted(n for n in names if not re.search(r'[\x60{ ,.]' + n + r'[\x60}:, .\]]', doc))
assert not missing, missing
"
check "templates/README.md documents --check" grep -q 'templates --check' templates/README.md

done_suite
