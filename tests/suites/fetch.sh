#!/bin/sh
# The Conduit client end to end: every tests/http/*.scenario against the
# fake server in tests/server/ (127.0.0.1 only), then a few command-line
# checks that need no server. Prints "N passed, N failed" last.
set -u
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.."
: "${QUIRE:=$PWD/build/quire}"
: "${TEST_OUT:=$PWD/tests/out/fetch}"
mkdir -p "$TEST_OUT"

if ! "$QUIRE" help fetch >/dev/null 2>&1; then
  fail "quire help fetch (is $QUIRE built with the fetch commands?)"
  done_suite
  exit 1
fi

# The scenarios: the runner prints ok/not ok lines and its own summary.
# With them, the key-echo matrix (tests/server/key_matrix.py): the key in
# every field, at lengths either side of every cap.
rm -rf "$TEST_OUT/key_matrix"
python3 tests/server/key_matrix.py "$TEST_OUT/key_matrix" >/dev/null
python3 tests/server/run_scenarios.py --quire "$QUIRE" --out "$TEST_OUT/scenarios" \
  tests/http/*.scenario "$TEST_OUT"/key_matrix/*.scenario >"$TEST_OUT/scenarios.log" 2>&1
rc=$?
grep -E '^(not ok|#)' "$TEST_OUT/scenarios.log"
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$TEST_OUT/scenarios.log" | tail -n 1)
sp=$(echo "$line" | sed -n 's/^\([0-9]*\) passed.*/\1/p')
sf=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
if [ -z "$line" ]; then
  fail "scenario runner printed no summary (exit $rc)"
  tail -n 20 "$TEST_OUT/scenarios.log"
else
  T_PASS=$((T_PASS + sp))
  T_FAIL=$((T_FAIL + sf))
fi

# The progress display in a real terminal (tmux): one line updated in place
# through upload, job and render, read off the screen with capture-pane
# while the job runs (once, and again a second later: the estimated wait
# counts down between events) and after the command ended.
if command -v tmux >/dev/null 2>&1; then
  T=$TEST_OUT/tmux
  rm -rf "$T"
  mkdir -p "$T"
  truncate -s 3000000 "$T/call.mp3"
  python3 tests/server/conduit_server.py --scenario tests/http/lib/progress_tmux.json \
    --log "$T/requests.jsonl" --port-file "$T/ports" >/dev/null 2>&1 &
  srv=$!
  i=0
  while [ ! -s "$T/ports" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
  read -r MAIN _ <"$T/ports"
  sock=$T/sock
  tmux -S "$sock" new-session -d -x 150 -y 20 \
    "env CONDUIT_API_KEY=sk_test_tmux_0123456789abcdef CONDUIT_BASE_URL=http://127.0.0.1:$MAIN NO_COLOR=1 \
     \"$QUIRE\" create --file \"$T/call.mp3\" -t sales_playbook --wait -o \"$T/report.pdf\"; \
     echo EXIT=\$?; sleep 60"
  i=0
  while [ $i -lt 100 ]; do
    tmux -S "$sock" capture-pane -p >"$T/during.txt" 2>/dev/null
    grep -q 'job job_t: running, scoring' "$T/during.txt" && break
    sleep 0.1
    i=$((i + 1))
  done
  sleep 1.2
  tmux -S "$sock" capture-pane -p >"$T/later.txt" 2>/dev/null
  i=0
  while [ $i -lt 200 ]; do
    tmux -S "$sock" capture-pane -p >"$T/after.txt" 2>/dev/null
    grep -q '^EXIT=' "$T/after.txt" && break
    sleep 0.1
    i=$((i + 1))
  done
  tmux -S "$sock" kill-server 2>/dev/null
  kill "$srv" 2>/dev/null
  wait "$srv" 2>/dev/null
  check "tmux: the job's line on screen while it runs" \
    grep -qE '^quire: job job_t: running, scoring 40%, estimated wait [0-9]+ s of 30 s$' "$T/during.txt"
  check "tmux: one progress line, not one per update" \
    test "$(grep -c '^quire: \(job\|uploading\|rendering\)' "$T/during.txt")" -eq 1
  check "tmux: the notes stay above it" \
    grep -q '^quire: created job job_t (queued, stage queued, estimated wait 30 s)' "$T/during.txt"
  check "tmux: the estimated wait counts down between events" \
    sh -c "! cmp -s \"$T/during.txt\" \"$T/later.txt\" && grep -qE '^quire: job job_t: running, scoring 40%, estimated wait [0-9]+ s of 30 s$' \"$T/later.txt\""
  check "tmux: done, exit 0" grep -q '^EXIT=0$' "$T/after.txt"
  check "tmux: the line is gone at the end" \
    sh -c "! grep -q '^quire: \(job\|uploading\|rendering\)' \"$T/after.txt\""
  check "tmux: report.pdf written" sh -c "head -c 5 \"$T/report.pdf\" | grep -q '%PDF-'"
else
  fail "tmux is needed for the terminal progress check"
fi

# A signal while a job is waited for ends the wait at once (the library's
# abort flag): the job goes on, the command says how to get its result and
# exits 128 + the signal. SIGTERM: a background job of this shell ignores
# SIGINT, and quire leaves an ignored signal ignored.
T=$TEST_OUT/interrupt
rm -rf "$T"
mkdir -p "$T"
python3 tests/server/conduit_server.py --scenario tests/http/lib/interrupt.json \
  --log "$T/requests.jsonl" --port-file "$T/ports" >/dev/null 2>&1 &
srv=$!
i=0
while [ ! -s "$T/ports" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
read -r MAIN _ <"$T/ports"
for cmd in "create -m med_1 -t general_report --wait" "fetch --job job_i --wait"; do
  start=$(date +%s)
  # shellcheck disable=SC2086 # the words of $cmd are arguments
  CONDUIT_API_KEY=sk_test_interrupt_0123456789 CONDUIT_BASE_URL=http://127.0.0.1:$MAIN \
    "$QUIRE" $cmd >"$T/out" 2>"$T/err" &
  q=$!
  sleep 1.5
  kill -TERM "$q"
  wait "$q"
  st=$?
  took=$(($(date +%s) - start))
  check "quire $cmd: SIGTERM ends the wait, exit 143" test "$st" -eq 143
  check "quire $cmd: at once (${took}s, the next event is 30 s away)" test "$took" -le 6
  check "quire $cmd: says the job goes on" \
    grep -q "^quire: interrupted: job job_i goes on; 'quire fetch --job job_i --wait' gets its report later, 'quire job job_i --cancel' stops it$" "$T/err"
done
kill "$srv" 2>/dev/null
wait "$srv" 2>/dev/null

# Usage, without a server.
for cmd in fetch job create webhook upload files entities; do
  check "quire help $cmd" sh -c "\"$QUIRE\" help $cmd | grep -q '^usage: quire $cmd'"
  check "quire $cmd --help" sh -c "\"$QUIRE\" $cmd --help | grep -q '^usage: quire $cmd'"
done
expect_status 2 "fetch without an id" "$QUIRE" fetch
expect_status 2 "fetch with an id and --job" "$QUIRE" fetch rep_1 --job job_1
expect_status 2 "fetch --wait without --job" env CONDUIT_API_KEY=k "$QUIRE" fetch rep_1 --wait
check "--wait 20 (no '=') gets a hint" sh -c \
  "\"$QUIRE\" fetch --job j --wait 20 2>&1 | grep -q 'write --wait=20'"
expect_status 2 "create without --media" "$QUIRE" create --template general_report
expect_status 2 "create -o without --wait" "$QUIRE" create -m m -t general_report -o x.pdf
expect_status 2 "--webhook-header with CR/LF" env CONDUIT_API_KEY=k "$QUIRE" create -m m \
  -t general_report --webhook https://h.example/ --webhook-header "$(printf 'X-A: 1\r\nX-B: 2')"
expect_status 2 "--webhook-header without a name" env CONDUIT_API_KEY=k "$QUIRE" create -m m \
  -t general_report --webhook https://h.example/ --webhook-header ": v"
expect_status 2 "--webhook-header without --webhook" env CONDUIT_API_KEY=k "$QUIRE" create -m m \
  -t general_report --webhook-header "X-A: 1"
for t in general_report sales_playbook hiring_report profile_alignment; do
  check "help create lists $t" sh -c "\"$QUIRE\" help create | grep -q $t"
done
expect_status 2 "create with a bad --target" "$QUIRE" create -m m -t t --target everyone
expect_status 2 "fetch without a key" env -u CONDUIT_API_KEY "$QUIRE" fetch rep_1
expect_status 2 "--retries out of range" env CONDUIT_API_KEY=k "$QUIRE" fetch rep_1 --retries 11
expect_status 2 "webhook without a subcommand" "$QUIRE" webhook
expect_status 2 "webhook --header without a colon" "$QUIRE" webhook verify --header nope
check "--api-key=KEY is refused without echoing it" sh -c \
  "! \"$QUIRE\" fetch rep_1 --api-key=sk_hidden_123 2>&1 | grep -q sk_hidden_123"
printf 'sk_from_file\n' >"$TEST_OUT/key"
chmod 644 "$TEST_OUT/key"
check "a key file others can read draws a warning" sh -c \
  "CONDUIT_BASE_URL=http://api.mappa.ai \"$QUIRE\" fetch rep_1 --api-key-file \"$TEST_OUT/key\" 2>&1 | grep -q 'readable by other users'"
: >"$TEST_OUT/empty-key"
expect_status 2 "an empty key file" "$QUIRE" fetch rep_1 --api-key-file "$TEST_OUT/empty-key"
expect_status 3 "a missing key file" "$QUIRE" fetch rep_1 --api-key-file "$TEST_OUT/none"

# No usable libcurl.so.4 (an empty file found first): the error says so.
mkdir -p "$TEST_OUT/nocurl"
: >"$TEST_OUT/nocurl/libcurl.so.4"
LD_LIBRARY_PATH="$TEST_OUT/nocurl" CONDUIT_API_KEY=sk_test_nocurl CONDUIT_BASE_URL=http://127.0.0.1:9 \
  "$QUIRE" fetch rep_1 >"$TEST_OUT/nocurl.out" 2>&1
st=$?
check "without libcurl.so.4: exit 10" test "$st" -eq 10
check "without libcurl.so.4: the error names it" \
  grep -q 'libcurl.so.4 could not be loaded' "$TEST_OUT/nocurl.out"
check "without libcurl.so.4: not 'out of memory'" \
  sh -c "! grep -qi 'out of memory' \"$TEST_OUT/nocurl.out\""

done_suite
