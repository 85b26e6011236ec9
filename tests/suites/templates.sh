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

done_suite
