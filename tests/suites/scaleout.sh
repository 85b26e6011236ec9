# docs/scale-out.md, run: each block marked "<!-- scaleout-test: NAME -->"
# there is taken from the document as written and run here on one machine:
# GNU parallel with local slots, the Kubernetes Job's manifest against the
# Kubernetes API schema and its script once per index, the queue worker
# against the test server in tests/server/. Nothing started here outlives
# the suite.
. tests/lib.sh
T=$TEST_OUT
DOC=docs/scale-out.md
PATH=$(dirname "$QUIRE"):$PATH
export PATH
# GNU parallel's citation notice is for people.
PARALLEL=--will-cite
export PARALLEL

# block NAME: the fenced block after the marker NAME.
block() {
  awk -v m="<!-- scaleout-test: $1 -->" '
    $0 == m { f = 1; next }
    f && /^```/ && !p { p = 1; next }
    p && /^```/ { exit }
    p' "$DOC"
}
for b in parallel-ssh parallel-shards k8s-job queue-worker; do
  block "$b" >"$T/$b.block"
  check "$DOC has the block '$b'" [ -s "$T/$b.block" ]
done
check "$DOC has no MEASUREMENTS placeholder left" sh -c "! grep -q '^MEASUREMENTS\$' $DOC"

# A directory of reports: the bundled v2 samples under several names.
corpus() {
  mkdir -p "$1/reports/sub"
  n=0
  for i in 1 2 3; do
    for f in samples/v2/*.json; do
      n=$((n + 1))
      cp "$f" "$1/reports/r$n-$(basename "$f")"
    done
  done
  cp samples/v2/general_report.json "$1/reports/sub/nested.json"
}
# pdfs DIR N: DIR holds exactly N files, all PDFs poppler can read.
pdfs() {
  [ "$(find "$1" -type f | wc -l)" -eq "$2" ] || return 1
  for p in "$1"/*; do
    pdfinfo "$p" >/dev/null 2>&1 || return 1
  done
}

if command -v parallel >/dev/null 2>&1; then
  # parallel-ssh: hosts.txt names the local machine with 3 slots.
  W=$T/pssh
  corpus "$W"
  want=$(find "$W/reports" -name '*.json' | wc -l)
  echo "3/:" >"$W/hosts.txt"
  (cd "$W" && sh -e "$T/parallel-ssh.block") >"$T/pssh.log" 2>&1
  check "parallel over ssh logins: exit 0 (tests/out/scaleout/pssh.log)" [ $? -eq 0 ]
  check "parallel over ssh logins: $want valid PDFs, one per report" pdfs "$W/out" "$want"
  check "parallel: the reports are still there" [ "$(find "$W/reports" -name '*.json' | wc -l)" -eq "$want" ]

  # parallel-shards: two "hosts" (local, one slot each), one shard each.
  W=$T/pshards
  corpus "$W"
  printf '1/:\n1/:\n' >"$W/hosts.txt"
  (cd "$W" && sh -e "$T/parallel-shards.block") >"$T/pshards.log" 2>&1
  check "parallel shards: exit 0 (tests/out/scaleout/pshards.log)" [ $? -eq 0 ]
  check "parallel shards: two shards" [ "$(ls "$W"/shards/part.* | wc -l)" -eq 2 ]
  check "parallel shards: the shards hold every report once" \
    sh -c "cat '$W'/shards/part.* | sort | cmp -s - '$W/shards/all'"
  # batch mode names outputs by base name: nested.json -> nested.pdf
  check "parallel shards: $want valid PDFs" pdfs "$W/out" "$want"
else
  fail "GNU parallel is not installed (scripts/deps.sh test installs it)"
fi

# k8s-job: the manifest against the Kubernetes API schema (npm's
# kubernetes-models, installed from tests/scaleout/package-lock.json).
SO=tests/scaleout
if [ ! -d "$SO/node_modules/kubernetes-models" ]; then
  (cd "$SO" && npm ci --no-audit --no-fund >"$T/npm.log" 2>&1)
fi
awk '/^```yaml/ { next } { print }' "$T/k8s-job.block" >"$T/job.yaml"
if [ -d "$SO/node_modules/kubernetes-models" ]; then
  node "$SO/validate-job.js" <"$T/job.yaml" >"$T/validate.log" 2>&1
  check "the Job manifest is a valid batch/v1 Job: $(cat "$T/validate.log")" [ $? -eq 0 ]
  # The validator does fail a manifest that is wrong.
  sed 's/completions: 8/completions: eight/' "$T/job.yaml" | node "$SO/validate-job.js" >"$T/invalid.log" 2>&1
  check "a Job with completions: eight fails the schema" [ $? -eq 1 ]
  sed 's/completionMode: Indexed/completionMode: Sometimes/' "$T/job.yaml" | node "$SO/validate-job.js" >>"$T/invalid.log" 2>&1
  check "a Job with an unknown completionMode fails the schema" [ $? -eq 1 ]
else
  fail "npm ci in $SO failed (tests/out/scaleout/npm.log)"
fi
# The container's script, once per index, over /data replaced by a directory.
W=$T/k8s
corpus "$W/data"
want=$(find "$W/data/reports" -name '*.json' | wc -l)
python3 - "$T/job.yaml" >"$T/job.sh" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
m = re.search(r"^( *)- \|\n((?:\1  .*\n|\n)+)", text, re.M)
print("\n".join(l[len(m.group(1)) + 2:] for l in m.group(2).splitlines()))
PY
shards=$(sed -n 's/^  completions: //p' "$T/job.yaml")
check "the Job's script was found" grep -q 'JOB_COMPLETION_INDEX' "$T/job.sh"
sed "s|/data|$W/data|g" "$T/job.sh" >"$T/job-local.sh"
ok_all=1
i=0
while [ "$i" -lt "$shards" ]; do
  mkdir -p "$W/out-$i"
  JOB_COMPLETION_INDEX=$i SHARDS=$shards sh "$T/job-local.sh" >"$T/k8s-$i.log" 2>&1 || ok_all=0
  # what this index rendered, then move it aside to see the next shard's
  ls "$W/data/out" >"$T/k8s-$i.list" 2>/dev/null
  mv "$W/data/out"/* "$W/out-$i/" 2>/dev/null
  i=$((i + 1))
done
check "the Job's script exits 0 for every index 0..$((shards - 1))" [ $ok_all -eq 1 ]
all=$(cat "$T"/k8s-*.list | wc -l)
uniq=$(cat "$T"/k8s-*.list | sort -u | wc -l)
check "the shards are disjoint ($all files, $uniq distinct)" [ "$all" -eq "$uniq" ]
check "together they render every report ($all of $want)" [ "$all" -eq "$want" ]
mkdir -p "$W/all"
cp "$W"/out-*/* "$W/all/" 2>/dev/null
check "every PDF of every shard is valid" pdfs "$W/all" "$want"

# queue-worker: the test server serves rep_01..rep_12 and knows no rep_gone.
W=$T/queue
mkdir -p "$W"
python3 - "$W/scenario.json" <<'PY'
import json, sys
routes = [{"method": "GET", "path": "/v1/reports/rep_%02d" % i,
           "replies": [{"body_file": "data/report_v2.json"}]} for i in range(1, 13)]
routes.append({"method": "GET", "path": "/v1/reports/rep_gone",
               "replies": [{"status": 404, "json": {"error": {"code": "not_found",
                                                               "message": "no such report"}}}]})
json.dump({"routes": routes}, open(sys.argv[1], "w"))
PY
python3 tests/server/conduit_server.py --scenario "$W/scenario.json" --log "$W/requests.jsonl" \
  --port-file "$W/port" >"$W/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null' EXIT
n=0
while [ ! -s "$W/port" ] && [ $n -lt 100 ]; do
  sleep 0.1
  n=$((n + 1))
done
port=$(cut -d' ' -f1 "$W/port" 2>/dev/null)
check "the test server started" [ -n "$port" ]
mkdir -p "$W/queue/todo"
for i in 01 02 03 04 05 06 07 08 09 10 11 12 gone; do : >"$W/queue/todo/rep_$i"; done
(cd "$W" && CONDUIT_BASE_URL=http://127.0.0.1:$port CONDUIT_API_KEY=sk_scaleout_test \
  sh "$T/queue-worker.block") >"$T/queue.log" 2>&1
check "the workers finish (tests/out/scaleout/queue.log)" [ $? -eq 0 ]
kill $server 2>/dev/null
wait $server 2>/dev/null
trap - EXIT
check "12 ids done" [ "$(ls "$W/queue/done" | wc -l)" -eq 12 ]
check "the unknown id failed" [ "$(ls "$W/queue/failed")" = rep_gone ]
check "nothing left in todo or doing" [ -z "$(find "$W/queue/todo" "$W/queue/doing" -type f)" ]
check "12 valid PDFs" pdfs "$W/out" 12
got=$(grep -c '"path": "/v1/reports/rep_[0-9]' "$W/requests.jsonl")
check "each report fetched exactly once ($got requests for 12)" [ "$got" -eq 12 ]
done_suite
