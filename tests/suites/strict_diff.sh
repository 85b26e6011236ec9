#!/bin/sh
# validate --strict is the contract exactly (issue 16): a differential test
# against python3-jsonschema on 500 generated payloads per report schema
# (tests/decode/strict_diff.py, fixed seed), then the CLI's modes: quire's
# own concerns are warnings in every mode, -W makes them fatal, and plain
# validate warns about every missing required field.
. "$(dirname "$0")/../lib.sh"
OUT=${TEST_OUT:-/tmp/quire-strict-diff}
mkdir -p "$OUT"
# Debian's interpreter: python3-jsonschema is a Debian package.
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

"$PY" tests/decode/strict_diff.py "$QUIRE" "$OUT/payloads" 500 >"$OUT/diff.log" 2>&1
diff_rc=$?
grep -E '^(not ok|#)' "$OUT/diff.log" | head -n 40
line=$(tail -n 1 "$OUT/diff.log")
if [ "$diff_rc" -eq 0 ] && echo "$line" | grep -Eq '^[0-9]+ passed, 0 failed$'; then
  ok
else
  fail "differential test: $line"
fi

# Two trait phrases: the schema accepts them, quire warns.
"$PY" - samples/v2/sales_playbook.json "$OUT/two.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
for s in d["json"]["sections"]:
    if s.get("kind") == "traits":
        s["phrases"] = s["phrases"][:2]
json.dump(d, open(sys.argv[2], "w"))
PYEOF
expect_status 0 "strict accepts two phrases" "$QUIRE" validate --strict "$OUT/two.json"
"$QUIRE" validate --strict "$OUT/two.json" >"$OUT/two.out" 2>&1
check "strict still warns about the phrases" grep -q 'warning: expected exactly 3 phrases' "$OUT/two.out"
expect_status 1 "-W makes the warning fatal" "$QUIRE" validate -W "$OUT/two.json"
expect_status 1 "--warnings-as-errors with --strict" "$QUIRE" validate --strict --warnings-as-errors "$OUT/two.json"
expect_status 0 "a clean sample passes -W" "$QUIRE" validate -W --strict samples/v2/general_report.json

# Plain validate warns about every missing required field.
printf '{"id":"r1","output":{"template":"general_report"},"markdown":"# Hi"}' >"$OUT/missing.json"
"$QUIRE" validate "$OUT/missing.json" >"$OUT/missing.out" 2>&1
check "plain validate passes a report missing fields" test $? -eq 0
check "createdAt missing is a warning" grep -q 'warning: missing required key "createdAt"' "$OUT/missing.out"
check "media missing is a warning" grep -q 'warning: missing required key "media"' "$OUT/missing.out"
expect_status 1 "strict refuses it" "$QUIRE" validate --strict "$OUT/missing.json"
done_suite
