# Batch rendering (`quire render -j N -o OUTDIR FILES...`, NDJSON on stdin):
# one output per input, bad inputs reported by name without stopping the
# batch, deterministic names and bytes whatever -j is. CLI only.
. tests/lib.sh
Q=$QUIRE
T=$TEST_OUT
SAMPLES=$(ls samples/*/*.json)
NSAMPLES=$(echo "$SAMPLES" | wc -l)

ext_of() { if [ "$1" = text ]; then echo txt; else echo "$1"; fi; }
count_files() { find "$1" -maxdepth 1 -type f | wc -l; }

# Formats this build can render (a renderer may still be a placeholder).
fmts=""
for f in text html pdf; do
  if "$Q" render -q -f "$f" -o "$T/probe.$f" samples/v2/sales_playbook.json 2>"$T/probe.$f.err"; then
    fmts="$fmts $f"
  else
    echo "# skip $f: $(cat "$T/probe.$f.err")"
  fi
done
first_fmt=$(echo $fmts | cut -d' ' -f1)

# Usage errors.
expect_status 2 "several files need -o" "$Q" render samples/v2/sales_playbook.json samples/v2/general_report.json 2>"$T/no_o"
check "several files without -o: message" grep -q 'need -o OUTDIR' "$T/no_o"
expect_status 2 "-j 0 refused" "$Q" render -j 0 -o "$T/x" samples/v2/sales_playbook.json 2>/dev/null
expect_status 2 "-j abc refused" "$Q" render -j abc -o "$T/x" samples/v2/sales_playbook.json 2>/dev/null
expect_status 2 "- mixed with files refused" "$Q" render -o "$T/x" - samples/v2/sales_playbook.json 2>/dev/null </dev/null
expect_status 2 "--pages in a batch refused" "$Q" render -f png --pages all -o "$T/x" samples/v2/sales_playbook.json samples/v2/general_report.json 2>/dev/null
printf 'not a dir' >"$T/afile"
expect_status 3 "OUTDIR that is a file" "$Q" render -o "$T/afile" samples/v2/sales_playbook.json samples/v2/general_report.json 2>"$T/afile.err"
check "OUTDIR that is a file: message" grep -q 'cannot create output directory' "$T/afile.err"

for fmt in $fmts; do
  ext=$(ext_of "$fmt")
  out=$T/all-$fmt/nested
  # shellcheck disable=SC2086
  expect_status 0 "batch $fmt over all samples (-j 2)" "$Q" render -q -j 2 -f "$fmt" -o "$out" $SAMPLES
  for s in $SAMPLES; do
    b=$(basename "$s" .json)
    check "$fmt: $b.$ext written and not empty" [ -s "$out/$b.$ext" ]
  done
  check "$fmt: exactly one output per input, no temp files left" [ "$(count_files "$out")" -eq "$NSAMPLES" ]
  # shellcheck disable=SC2086
  expect_status 0 "batch $fmt -j 1" "$Q" render -q -j 1 -f "$fmt" -o "$T/j1-$fmt" $SAMPLES
  check "$fmt: -j 1 and -j 2 give identical outputs" diff -r "$out" "$T/j1-$fmt"
  # The batch writes what a single render writes.
  "$Q" render -q -f "$fmt" -o "$T/single.$ext" samples/intl/multiscript.json
  check "$fmt: batch output equals the single-file render" cmp -s "$T/single.$ext" "$out/multiscript.$ext"
done

# A corrupt file in the middle: reported by name, the rest still written.
mkdir -p "$T/in"
i=0
for s in $SAMPLES; do
  i=$((i + 1))
  cp "$s" "$T/in/$(printf '%02d' $i)_$(basename "$s")"
  [ $i -eq 6 ] && printf '{\n  "id": "report_x",\n  "media": {,}\n}\n' >"$T/in/06b_corrupt.json"
done
fmt=${first_fmt:-html}
ext=$(ext_of "$fmt")
"$Q" render -q -j 2 -f "$fmt" -o "$T/corrupt-out" "$T"/in/*.json 2>"$T/corrupt.err"
st=$?
check "corrupt file: exit status non-zero" [ "$st" -ne 0 ]
check "corrupt file named with line:col at the end" grep -q "06b_corrupt.json:3:13: " "$T/corrupt.err"
check "corrupt file: its output is not written" [ ! -e "$T/corrupt-out/06b_corrupt.$ext" ]
if [ -n "$first_fmt" ]; then
  check "corrupt file: exit status is invalid input (1)" [ "$st" -eq 1 ]
  check "corrupt file: failure summary" grep -q "1 of $((NSAMPLES + 1)) reports failed" "$T/corrupt.err"
  check "corrupt file: every other input still rendered" [ "$(count_files "$T/corrupt-out")" -eq "$NSAMPLES" ]
  check "corrupt file: the one after it was written" [ -s "$T/corrupt-out/07_$(basename "$(echo "$SAMPLES" | sed -n 7p)" .json).$ext" ]
fi
expect_status 3 "missing file in a batch: I/O status" "$Q" render -q -f "$fmt" -o "$T/missing-out" "$T/nope.json" 2>"$T/missing.err" -j 1
check "missing file named" grep -q "nope.json: cannot open" "$T/missing.err"

# NDJSON: one compact report per line, a blank line, a bad line, a report
# without an id, a duplicated id, and a hostile id.
python3 - "$T/reports.ndjson" $SAMPLES <<'EOF'
import json, sys
out = open(sys.argv[1], "w")
docs = [json.load(open(p)) for p in sys.argv[2:]]
for i, d in enumerate(docs):
    out.write(json.dumps(d, separators=(",", ":")) + "\n")
    if i == 2:
        out.write("\n")
        out.write('{"id": "bad", "media": {,}}\n')
noid = dict(docs[0]); noid.pop("id", None)
out.write(json.dumps(noid) + "\n")
out.write(json.dumps(docs[0]) + "\n")
evil = dict(docs[0]); evil["id"] = "../../evil/\u00e9x"
out.write(json.dumps(evil) + "\r\n")
EOF
nlines=$(wc -l <"$T/reports.ndjson")
noid_line=$((nlines - 2))
first_id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$(echo "$SAMPLES" | head -n 1)")
"$Q" render -q -j 2 -f "$fmt" --ndjson -o "$T/nd" - <"$T/reports.ndjson" 2>"$T/nd.err"
st=$?
check "ndjson: bad line makes the status non-zero" [ "$st" -ne 0 ]
check "ndjson: bad line named by line number" grep -q '^quire:   <stdin>:5:[0-9]*: ' "$T/nd.err"
if [ -n "$first_fmt" ]; then
  check "ndjson: bad line gives invalid input (1)" [ "$st" -eq 1 ]
  check "ndjson: one failure" grep -q "1 of $((NSAMPLES + 4)) reports failed" "$T/nd.err"
  check "ndjson: one output per good line" [ "$(count_files "$T/nd")" -eq "$((NSAMPLES + 3))" ]
  check "ndjson: named by report id" [ -s "$T/nd/$first_id.$ext" ]
  check "ndjson: a report without id is line-K" [ -s "$T/nd/line-$noid_line.$ext" ]
  check "ndjson: a repeated id gets -2" [ -s "$T/nd/$first_id-2.$ext" ]
  check "ndjson: a hostile id stays inside OUTDIR" [ -s "$T/nd/_._.._evil___x.$ext" ]
  check "ndjson: nothing written outside OUTDIR" [ ! -e "$T/evil" ]
  "$Q" render -q -j 1 -f "$fmt" -o "$T/nd-auto" - <"$T/reports.ndjson" 2>/dev/null
  check "ndjson auto-detected without --ndjson, -j 1 identical" diff -r "$T/nd" "$T/nd-auto"
  expect_status 1 "ndjson from a file with --ndjson" "$Q" render -q -f "$fmt" --ndjson -o "$T/nd-file" "$T/reports.ndjson" 2>/dev/null
  check "ndjson from a file: same outputs" diff -r "$T/nd" "$T/nd-file"
  # A pretty-printed document on stdin is still one report, rendered as before.
  "$Q" render -q -f "$fmt" -o "$T/stdin-single.$ext" - <samples/intl/multiscript.json
  check "single document on stdin unchanged" cmp -s "$T/stdin-single.$ext" "$T/single.$ext"
  # One compact document on one line (no more lines) is a single report too.
  python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))))' samples/intl/multiscript.json >"$T/one.json"
  "$Q" render -q -f "$fmt" -o "$T/stdin-one.$ext" - <"$T/one.json"
  check "one-line document on stdin is a single report" cmp -s "$T/stdin-one.$ext" "$T/single.$ext"
fi
printf '\n\n' | "$Q" render -q --ndjson -o "$T/nd-empty" - 2>"$T/nd-empty.err"
check "ndjson: empty input is an error" [ $? -ne 0 ]
printf '{"id": 1,,}' | "$Q" render - >/dev/null 2>"$T/stdin_bad"
check "stdin syntax error still names <stdin>:line:col" grep -q '^quire: <stdin>:1:10: ' "$T/stdin_bad"

done_suite
