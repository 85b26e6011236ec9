#!/bin/sh
# Machine-readable output (issue 12): validate --json, inspect --json and
# the batch summary --json, read back with a real JSON parser (python3's
# json module; jq too when it is installed), and the README's examples.
. tests/lib.sh
: "${QUIRE:?}" "${TEST_OUT:?}"
Q=$QUIRE
T=$TEST_OUT
SAMPLES=$(ls samples/*/*.json)
NSAMPLES=$(echo "$SAMPLES" | wc -l)

# --- validate --json ---------------------------------------------------------
printf '{\n  "id": "r",\n  "media": {,}\n}\n' >"$T/syntax.json"
printf '{\n  "id": "r",\n  "bogus": {\n    "x": 1\n  },\n  "sections": []\n}\n' >"$T/warn.json"
# shellcheck disable=SC2086
"$Q" validate --strict --json $SAMPLES "$T/syntax.json" "$T/nope.json" >"$T/strict.ndjson" 2>"$T/strict.err"
check "validate --strict --json: exit 3 (a file is missing)" [ $? -eq 3 ]
python3 - "$T/strict.ndjson" "$NSAMPLES" "$T/syntax.json" "$T/nope.json" >"$T/strict.check" 2>&1 <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
n = int(sys.argv[2])
recs = [json.loads(l) for l in lines]           # every line is JSON
assert len(recs) == n + 2, len(recs)
for r in recs:
    assert set(r) == {"path", "valid", "status", "strict", "errors", "warnings"}, r
    assert r["valid"] == (r["status"] == 0) == (r["errors"] == []), r
    for p in r["errors"] + r["warnings"]:
        assert set(p) == {"path", "line", "column", "message"}, p
byname = {r["path"]: r for r in recs}
bad = [r for r in recs[:n] if not r["valid"]]
assert len(bad) == 5, [r["path"] for r in bad]   # what the README says
s = byname[sys.argv[3]]
assert s["status"] == 1 and s["errors"][0]["line"] == 3, s
m = byname[sys.argv[4]]
assert m["status"] == 3 and m["errors"][0]["line"] is None, m
node = byname["samples/node-era/pdf_type.json"]
subj = [p for p in node["errors"] if p["path"] == "$.subject"][0]
src = open("samples/node-era/pdf_type.json").read().splitlines()
# the line and column point at the value of "subject"
assert src[subj["line"] - 1][subj["column"] - 1] == "{", subj
print("ok")
PY
check "validate --json: NDJSON, one record per file, lines and columns right" grep -qx ok "$T/strict.check"
cat "$T/strict.check"
check "validate --json: the summary stays on stderr" grep -q "files checked" "$T/strict.err"
"$Q" validate --json "$T/warn.json" >"$T/warn.ndjson"
check "validate --json: warnings with their place" python3 -c "
import json,sys
r = json.loads(open('$T/warn.ndjson').read())
w = [w for w in r['warnings'] if w['path'] == '\$.bogus'][0]
assert r['valid'] and (w['line'], w['column']) == (3, 12), r"
"$Q" validate -q --json "$T/warn.json" >"$T/warn-q.ndjson"
check "validate -q --json: no warnings" python3 -c "
import json; assert json.loads(open('$T/warn-q.ndjson').read())['warnings'] == []"
# Hostile text stays valid JSON: control bytes, quotes and invalid UTF-8 in
# a key the message names.
printf '{"id":"r","sections":[],"a\\u0001\\"\\\\b\\u001b[31m":1}' >"$T/hostile.json"
printf '{"id":"r","sections":[],"\377\376":1}' >"$T/badutf8.json"
"$Q" validate --json "$T/hostile.json" "$T/badutf8.json" >"$T/hostile.ndjson" 2>/dev/null
check "validate --json: hostile keys and bad UTF-8 still give valid JSON" python3 -c "
import json
for l in open('$T/hostile.ndjson', 'rb').read().decode('utf-8').splitlines(): json.loads(l)"
if command -v jq >/dev/null 2>&1; then
  check "jq reads validate --json" sh -c "jq -e . '$T/strict.ndjson' >/dev/null"
fi
"$Q" validate samples/*/*.json >/dev/null 2>&1
check "README: quire validate samples/*/*.json passes" [ $? -eq 0 ]
check "README says why --strict fails 5 samples" grep -q '5 of the 12' README.md

# --- inspect --json ------------------------------------------------------------
for s in $SAMPLES; do
  n=$(basename "$s" .json)
  "$Q" inspect --json "$s" >"$T/inspect-$n.json"
  nodes=$("$Q" inspect "$s" | grep -vc '^shape\|^meta\|^fact\|^warning')
  check "inspect --json $n: JSON with as many nodes as the dump ($nodes)" python3 -c "
import json
d = json.load(open('$T/inspect-$n.json'))
def count(x): return 1 + sum(count(c) for c in x.get('children', []))
assert d['root']['kind'] == 'document' and count(d['root']) == $nodes, count(d['root'])
assert d['source'] == '$s' and d['shape'] and d['meta']['title']"
done
"$Q" inspect --json "$T/warn.json" >"$T/inspect-warn.json"
check "inspect --json: warnings" python3 -c "
import json; d = json.load(open('$T/inspect-warn.json')); assert d['warnings'][0]['path'] == '\$.bogus'"

# --- render --json (batch summary) -------------------------------------------
# shellcheck disable=SC2086
"$Q" render -q --json -f html -o "$T/batch" $SAMPLES "$T/syntax.json" >"$T/batch.ndjson" 2>/dev/null
check "render --json: exit 1 (one bad report)" [ $? -eq 1 ]
check "render --json: one record per report, in order, then the summary" python3 - "$T/batch.ndjson" "$NSAMPLES" "$T/syntax.json" $SAMPLES <<'PY'
import json, os, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
n, syntax, samples = int(sys.argv[2]), sys.argv[3], sys.argv[4:]
reports, summary = recs[:-1], recs[-1]
assert [r["input"] for r in reports] == samples + [syntax]
for r in reports[:n]:
    assert r["type"] == "report" and r["status"] == 0 and os.path.getsize(r["output"]) > 0, r
bad = reports[n]
assert bad["status"] == 1 and bad["output"] is None and "syntax.json:3:" in bad["error"], bad
assert summary == {"type": "summary", "reports": n + 1, "written": n, "failed": 1,
                   "outdir": summary["outdir"], "error": None, "status": 1}, summary
PY
expect_status 2 "render --json without a batch is refused" "$Q" render --json samples/v2/general_report.json
done_suite
