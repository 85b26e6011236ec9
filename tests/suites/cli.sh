# The quire command: exit statuses, messages, stdin, validate over samples,
# atomic output, hostile files. Uses only the CLI, as a user would.
. tests/lib.sh
Q=$QUIRE
T=$TEST_OUT

expect_status 0 "--version" "$Q" --version >"$T/version" 2>&1
check "--version names quire" grep -q '^quire [0-9]' "$T/version"
expect_status 0 "--help" "$Q" --help >"$T/help" 2>&1
check "--help lists validate" grep -q validate "$T/help"
expect_status 2 "no command" "$Q" 2>/dev/null
expect_status 2 "unknown command" "$Q" frobnicate 2>"$T/unknown"
check "unknown command message" grep -q "no such command 'frobnicate'" "$T/unknown"
expect_status 0 "help validate" "$Q" help validate >"$T/hv"
check "help validate shows usage" grep -q 'usage: quire validate' "$T/hv"
expect_status 2 "validate without files" "$Q" validate 2>/dev/null
expect_status 2 "validate bad option" "$Q" validate --bogus x 2>/dev/null

# Every sample decodes (tolerant); strict matches samples/README.md.
for f in samples/*/*.json; do
  expect_status 0 "validate $f" "$Q" validate -q "$f" 2>/dev/null
done
for f in samples/v2/sales_playbook.json samples/v2/general_report.json \
         samples/legacy/all_blocks.json samples/legacy/markdown_only.json \
         samples/intl/multiscript.json samples/long/sixty_sections.json \
         samples/matching/matching.json; do
  expect_status 0 "validate --strict $f" "$Q" validate --strict "$f" 2>/dev/null >/dev/null
done
for f in samples/v2/hiring_report.json samples/v2/profile_alignment.json \
         samples/normalized/sdk_dump.json samples/node-era/pdf_type.json; do
  expect_status 1 "validate --strict rejects tolerance sample $f" "$Q" validate --strict "$f" >/dev/null 2>&1
done
"$Q" validate --strict samples/v2/hiring_report.json >"$T/hiring" 2>&1
check "strict names the path and the enum" grep -q '^samples/v2/hiring_report.json: \$.output.template: expected one of "sales_playbook", "general_report", got "hiring_report"$' "$T/hiring"
check "strict summary" grep -q '1 file checked, 0 valid, 1 invalid' "$T/hiring"

# stdin
expect_status 0 "validate from stdin" sh -c "\"$Q\" validate - < samples/v2/sales_playbook.json" 2>/dev/null
printf '{"id": 1,,}' | "$Q" validate - >"$T/stdin_bad" 2>&1
check "stdin syntax error names <stdin>:line:col" grep -q '^quire: <stdin>:1:10: ' "$T/stdin_bad"

# JSON syntax errors point at line:column; all files are checked.
printf '{\n  "id": "x",\n  "media": {,}\n}\n' > "$T/bad.json"
"$Q" validate "$T/bad.json" samples/v2/sales_playbook.json >"$T/bad.out" 2>&1
st=$?
check "syntax error exit 1" [ "$st" -eq 1 ]
check "syntax error line:col" grep -q "bad.json:3:13: " "$T/bad.out"
check "second file still checked" grep -q '2 files checked, 1 valid, 1 invalid' "$T/bad.out"

expect_status 3 "missing file" "$Q" validate "$T/does-not-exist.json" 2>"$T/missing"
check "missing file message" grep -q 'does-not-exist.json: cannot open' "$T/missing"
printf 'null' > "$T/null.json"
expect_status 4 "by-job null is not-ready" "$Q" validate "$T/null.json" 2>"$T/null.out"
check "not-ready message" grep -q 'not ready yet' "$T/null.out"

# A 1 GB file (sparse) is refused at the cap, without reading it all.
truncate -s 1G "$T/huge.json"
expect_status 1 "1 GB input refused" "$Q" validate "$T/huge.json" 2>"$T/huge.out"
check "1 GB input message" grep -q 'larger than the' "$T/huge.out"
rm -f "$T/huge.json"
head -c 4096 /dev/urandom > "$T/garbage.bin"
"$Q" validate "$T/garbage.bin" >/dev/null 2>&1
st=$?
check "binary garbage: clean failure" [ "$st" -eq 1 ]

# inspect shows the model with paths.
"$Q" inspect samples/legacy/all_blocks.json > "$T/inspect" 2>&1
check "inspect shows grids" grep -q 'grid columns=4' "$T/inspect"
check "inspect shows paths" grep -q '@\$.sections\[' "$T/inspect"

# Atomic output: a failed render leaves an existing file untouched and no
# temporary files behind.
echo "precious" > "$T/out.txt"
"$Q" render "$T/bad.json" -o "$T/out.txt" 2>/dev/null
check "existing output untouched after failure" grep -q '^precious$' "$T/out.txt"
check "no temporary files left" sh -c "! ls '$T' | grep -q 'out.txt\.'"
"$Q" render samples/v2/sales_playbook.json -f text -o "$T/out.txt" 2>/dev/null
check "successful render replaces output" sh -c "! grep -q '^precious$' '$T/out.txt' && [ -s '$T/out.txt' ]"
check "no temporary files after success" sh -c "! ls '$T' | grep -q 'out.txt\.'"
expect_status 3 "unwritable output directory" "$Q" render samples/v2/sales_playbook.json -f text -o /nonexistent-dir/x.txt 2>/dev/null
expect_status 2 "bad --width" "$Q" render samples/v2/sales_playbook.json --width abc 2>/dev/null
expect_status 2 "bad --format" "$Q" render samples/v2/sales_playbook.json -f docx 2>/dev/null

# --body: a report with json and markdown shows the json unless asked.
MDLINE="Renewal and expansion call with Routewise"
"$Q" render -q --no-pager samples/v2/sales_playbook.json >"$T/body-default.txt"
"$Q" render -q --no-pager --body json samples/v2/sales_playbook.json >"$T/body-json.txt"
"$Q" render -q --no-pager --body markdown samples/v2/sales_playbook.json >"$T/body-md.txt"
"$Q" render -q --no-pager --body both samples/v2/sales_playbook.json >"$T/body-both.txt"
check "--body: json is the default" cmp -s "$T/body-default.txt" "$T/body-json.txt"
check "--body json: no markdown" sh -c "! grep -q '$MDLINE' '$T/body-json.txt'"
check "--body markdown: the markdown" grep -q "$MDLINE" "$T/body-md.txt"
check "--body markdown: not the json (its steps)" sh -c "! grep -q 'Step 1' '$T/body-md.txt'"
check "--body both: json, then markdown" sh -c "grep -q 'Step 1' '$T/body-both.txt' && grep -q '$MDLINE' '$T/body-both.txt'"
"$Q" render -q --body markdown samples/v2/sales_playbook.json -f html -o "$T/body-md.html"
check "--body markdown in HTML" grep -q "$MDLINE" "$T/body-md.html"
expect_status 2 "bad --body" "$Q" render samples/v2/sales_playbook.json --body all 2>/dev/null

# A designer's starting point: exported templates render exactly like the
# built-in ones, and an export never overwrites.
rm -rf "$T/tpl"
expect_status 0 "templates --export" "$Q" templates --export "$T/tpl" hiring_report 2>/dev/null
check "export wrote the layout" [ -f "$T/tpl/hiring_report/layout.mustache" ]
"$Q" render samples/v2/hiring_report.json -o "$T/builtin.html" 2>/dev/null
"$Q" render samples/v2/hiring_report.json -o "$T/exported.html" --templates "$T/tpl" 2>/dev/null
check "exported templates render identically" cmp -s "$T/builtin.html" "$T/exported.html"
expect_status 3 "export refuses to overwrite" "$Q" templates --export "$T/tpl" hiring_report 2>/dev/null
expect_status 2 "export needs a known template" "$Q" templates --export "$T/tpl2" nosuch 2>/dev/null

done_suite
