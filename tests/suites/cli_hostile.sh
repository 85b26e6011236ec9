# The quire command against hostile surroundings: -o on devices, FIFOs,
# directories, sockets, symlinks and read-only files; stdout on a full
# device; escape sequences in every message; usage errors; endless NDJSON.
# Device nodes are made here, under $TEST_OUT, never the system's: a bug
# in -o could replace them (it once replaced /dev/null).
. tests/lib.sh
Q=$QUIRE
T=$TEST_OUT
G=samples/v2/general_report.json
S=samples/v2/sales_playbook.json

is_root=0
[ "$(id -u)" -eq 0 ] && is_root=1
# No raw terminal controls: C0 but newline, DEL, C1, bidi, invalid UTF-8.
no_controls() {
  python3 - "$1" <<'EOF'
import re, sys
data = open(sys.argv[1], "rb").read()
try:
    text = data.decode("utf-8")
except UnicodeDecodeError:
    sys.exit(1)
bad = re.compile("[\x00-\x09\x0b-\x1f\x7f\x80-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
sys.exit(1 if bad.search(text) else 0)
EOF
}
mode_of() { stat -c %a "$1"; }
owner_of() { stat -c %U:%G "$1"; }

mkdir -p "$T/dev"
if [ $is_root -eq 1 ]; then
  mknod -m 666 "$T/dev/full" c 1 7
  mknod -m 666 "$T/dev/null" c 1 3
fi
have_dev() { [ -c "$T/dev/full" ] && [ -c "$T/dev/null" ]; }

# --- B1: -o on something that is not a regular file ----------------------
if have_dev; then
  expect_status 3 "-o on a full device: I/O status" "$Q" render -q "$G" -f html -o "$T/dev/full" 2>"$T/full.err"
  check "-o full device: one line naming the path and the reason" sh -c \
    "[ \$(wc -l <'$T/full.err') -eq 1 ] && grep -q '^quire: $T/dev/full: .*No space left on device' '$T/full.err'"
  check "-o full device: still a character device" [ -c "$T/dev/full" ]
  fmts="text html pdf png"
  [ "${PDF:-all}" = haru ] && fmts="text html pdf" # PNG needs cairo
  for fmt in $fmts; do
    expect_status 0 "-o null device ($fmt)" "$Q" render -q "$G" -f "$fmt" -o "$T/dev/null"
    check "-o null device ($fmt): still a character device" [ -c "$T/dev/null" ]
  done
  ln -s "$T/dev/null" "$T/null-link"
  expect_status 0 "-o symlink to a device" "$Q" render -q "$G" -f html -o "$T/null-link"
  check "-o symlink to a device: link and device kept" sh -c "[ -L '$T/null-link' ] && [ -c '$T/dev/null' ]"
  check "no temporary files next to the devices" sh -c "[ \$(ls '$T/dev' | wc -l) -eq 2 ]"
  # Batch: OUTDIR/NAME.EXT already a device, or a directory: batch output
  # replaces only regular files (issue 11).
  mkdir -p "$T/bo/sales_playbook.html"
  mknod -m 666 "$T/bo/general_report.html" c 1 7
  "$Q" render -q -j 2 -f html -o "$T/bo" "$G" "$S" samples/v2/hiring_report.json 2>"$T/bo.err"
  st=$?
  check "batch onto a device: I/O status" [ "$st" -eq 3 ]
  check "batch: the device named with its reason" grep -q "bo/general_report.html: is not a regular file; not replaced" "$T/bo.err"
  check "batch: the directory named" grep -q "bo/sales_playbook.html: is a directory; not replaced" "$T/bo.err"
  check "batch: device and directory kept" sh -c "[ -c '$T/bo/general_report.html' ] && [ -d '$T/bo/sales_playbook.html' ]"
  check "batch: the other report written" [ -s "$T/bo/hiring_report.html" ]
  check "batch: no temporary files" sh -c "[ \$(ls '$T/bo' | wc -l) -eq 3 ]"
else
  echo "# skip device tests: not root (mknod)"
fi
mkfifo "$T/fifo"
timeout 30 cat "$T/fifo" >"$T/fifo.out" &
reader=$!
expect_status 0 "-o on a FIFO" "$Q" render -q "$G" -f html -o "$T/fifo"
wait $reader
check "-o FIFO: the reader got the HTML" grep -q '^<!DOCTYPE html>' "$T/fifo.out"
check "-o FIFO: still a FIFO" [ -p "$T/fifo" ]
mkdir "$T/outdir.html"
expect_status 3 "-o on a directory" "$Q" render -q "$G" -f html -o "$T/outdir.html" 2>"$T/dir.err"
check "-o directory: one line, says so" sh -c "[ \$(wc -l <'$T/dir.err') -eq 1 ] && grep -q 'Is a directory' '$T/dir.err'"
check "-o directory: untouched and empty" sh -c "[ -d '$T/outdir.html' ] && [ -z \"\$(ls '$T/outdir.html')\" ]"
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$T/sock"
expect_status 3 "-o on a socket" "$Q" render -q "$G" -f html -o "$T/sock" 2>"$T/sock.err"
check "-o socket: refused in one line, socket kept" sh -c "[ \$(wc -l <'$T/sock.err') -eq 1 ] && [ -S '$T/sock' ]"
"$Q" render -q "$G" -f html -o - >"$T/stdout.html"
check "-o - still writes stdout" grep -q '^<!DOCTYPE html>' "$T/stdout.html"

# --- B2: replacing an existing file keeps it what it was -----------------
echo ORIG >"$T/ro.html"
chmod 444 "$T/ro.html"
if [ $is_root -eq 1 ]; then
  expect_status 0 "root replaces a 0444 file" "$Q" render -q "$G" -o "$T/ro.html"
  check "0444 file keeps mode 444" [ "$(mode_of "$T/ro.html")" = 444 ]
  echo ORIG >"$T/theirs.html"
  chmod 640 "$T/theirs.html"
  chown nobody:nogroup "$T/theirs.html"
  expect_status 0 "root replaces another user's file" "$Q" render -q "$G" -o "$T/theirs.html"
  check "replaced file keeps owner and group" [ "$(owner_of "$T/theirs.html")" = nobody:nogroup ]
  check "replaced file keeps mode 640" [ "$(mode_of "$T/theirs.html")" = 640 ]
  check "replaced file has the new content" grep -q '<!DOCTYPE html>' "$T/theirs.html"
  # As an ordinary user, in a directory anyone may write: refused. The
  # user needs a path it may walk: a clone under /root (mode 700) is not
  # one, so the binary and the directory go under a fresh /tmp directory.
  NB=$(mktemp -d /tmp/quire-nobody.XXXXXX)
  chmod 755 "$NB"
  NQ=$Q
  if ! ldd "$Q" 2>/dev/null | grep -q libquire; then
    cp "$Q" "$NB/quire" && NQ=$NB/quire
  fi
  SH=$NB/shared
  mkdir -p "$SH"
  chmod 777 "$SH"
  echo ORIG >"$SH/r.html"
  chmod 444 "$SH/r.html"
  cp "$G" "$SH/in.json"
  chmod 644 "$SH/in.json"
  expect_status 3 "a read-only file is not replaced" runuser -u nobody -- "$NQ" render -q "$SH/in.json" -o "$SH/r.html" 2>"$T/ro.err"
  check "read-only: one line, permission denied" sh -c "[ \$(wc -l <'$T/ro.err') -eq 1 ] && grep -qi 'permission denied' '$T/ro.err'"
  check "read-only: content, owner and mode kept" sh -c "grep -qx ORIG '$SH/r.html' && [ \$(stat -c %U:%a '$SH/r.html') = root:444 ]"
  check "read-only: no temporary file" [ "$(ls "$SH" | wc -l)" -eq 2 ]
  rm -rf "$NB"
fi
echo old >"$T/target.html"
ln -s target.html "$T/link.html"
expect_status 0 "-o symlink to a file" "$Q" render -q "$G" -o "$T/link.html"
check "symlink kept" [ -L "$T/link.html" ]
check "symlink target replaced" grep -q '<!DOCTYPE html>' "$T/target.html"
ln -s made.html "$T/dangling.html"
expect_status 0 "-o dangling symlink" "$Q" render -q "$G" -o "$T/dangling.html"
check "dangling symlink: kept, its target created" sh -c "[ -L '$T/dangling.html' ] && grep -q '<!DOCTYPE html>' '$T/made.html'"

# --- B3: stdout write errors ------------------------------------------------
# A node of its own: the tests above must not be able to spoil this one.
mkdir -p "$T/dev3"
[ $is_root -eq 1 ] && mknod -m 666 "$T/dev3/full" c 1 7
if [ -c "$T/dev3/full" ]; then
  stdout_full() {
    d=$1
    shift
    "$@" >"$T/dev3/full" 2>"$T/stdout_full.err"
    st=$?
    if [ $st -eq 3 ] && grep -q '^quire: <stdout>: write error: No space left on device$' "$T/stdout_full.err"; then ok; else fail "$d onto a full stdout (exit $st)"; cat "$T/stdout_full.err"; fi
  }
  python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); d["json"]["extraKey"] = 1; json.dump(d, open(sys.argv[2], "w"))' "$G" "$T/warn.json"
  stdout_full "validate with a warning" "$Q" validate "$T/warn.json"
  stdout_full "validate --strict with an error" "$Q" validate --strict samples/v2/hiring_report.json
  stdout_full "inspect" "$Q" inspect "$G"
  stdout_full "templates" "$Q" templates
  stdout_full "templates NAME" "$Q" templates general_report
  stdout_full "render" "$Q" render -q "$G" -f html
  stdout_full "--version" "$Q" --version
  stdout_full "help render" "$Q" help render
  # webhook verify: sign a body as Conduit does.
  printf 'whsec_test' >"$T/secret"
  t=$(date +%s)
  sig=$(python3 -c 'import hmac, hashlib, sys
body = open(sys.argv[2], "rb").read()
print(hmac.new(b"whsec_test", sys.argv[1].encode() + b"." + body, hashlib.sha256).hexdigest())' "$t" tests/http/data/webhook_report_completed.json)
  stdout_full "webhook verify" sh -c "\"$Q\" webhook verify --secret-file '$T/secret' --header 'conduit-signature: t=$t,v1=$sig' < tests/http/data/webhook_report_completed.json"
  expect_status 0 "webhook verify (to a file) still works" sh -c "\"$Q\" webhook verify --secret-file '$T/secret' --header 'conduit-signature: t=$t,v1=$sig' < tests/http/data/webhook_report_completed.json >'$T/wh.out'"
  check "webhook verify prints the event" grep -q '^verified report.completed' "$T/wh.out"
fi

# --- B6: directories where a file is expected ---------------------------
mkdir -p "$T/adir.json"
expect_status 3 "validate DIR: I/O status" "$Q" validate "$T/adir.json" 2>"$T/vdir.err"
check "validate DIR: says it is a directory" grep -q "adir.json: read error: Is a directory" "$T/vdir.err"
check "validate DIR: not called empty" sh -c "! grep -q empty '$T/vdir.err'"
expect_status 3 "--api-key-file DIR: I/O status" "$Q" fetch rep_1 --api-key-file "$T/adir.json" 2>"$T/kdir.err"
check "--api-key-file DIR: says it is a directory" sh -c "grep -q 'Is a directory' '$T/kdir.err' && ! grep -q 'is empty' '$T/kdir.err'"

# --- C1: no terminal controls in any message --------------------------------
python3 - "$T" "$G" <<'EOF'
import json, sys
out, src = sys.argv[1], sys.argv[2]
d = json.load(open(src))
E = "\x1b]0;PWNED\x07\x1b[2J\u202eevil\u009b\u2066\u0085\x7f"
d["json"]["sections"][0]["kind"] = "k" + E
d["json"][E + "key"] = 1
d["output"]["template"] = "t" + E
d["json"]["template"] = "t" + E
json.dump(d, open(out + "/esc.json", "w"))
open(out + "/\x1b[2Jname\u202e.json", "wb").write(b'{"id": \xff,}')
EOF
"$Q" render "$T/esc.json" -f html -o "$T/esc.html" 2>"$T/esc_render.err"
check "render warnings: no raw controls" no_controls "$T/esc_render.err"
check "render warnings: controls shown escaped" sh -c "grep -qF '\\x1b]0;PWNED\\x07\\x1b[2J\\u202eevil\\u009b\\u2066\\u0085\\x7f' '$T/esc_render.err'"
"$Q" render "$T/esc.json" -f text -o "$T/esc.txt" 2>"$T/esc_text.err"
check "text render warnings: no raw controls" no_controls "$T/esc_text.err"
"$Q" validate "$T/esc.json" >"$T/esc_validate.out" 2>&1
check "validate lines: no raw controls" no_controls "$T/esc_validate.out"
check "validate lines: still there" grep -q 'unknown section kind' "$T/esc_validate.out"
"$Q" validate --strict "$T/esc.json" >"$T/esc_strict.out" 2>&1
check "validate --strict lines: no raw controls" no_controls "$T/esc_strict.out"
"$Q" inspect "$T/esc.json" >"$T/esc_inspect.out" 2>&1
check "inspect: no raw controls" no_controls "$T/esc_inspect.out"
check "inspect: still one node per line" grep -q '^warning ' "$T/esc_inspect.out"
"$Q" validate "$T"/*name*.json >"$T/esc_name.out" 2>&1
check "file names with controls: escaped" no_controls "$T/esc_name.out"
check "file names with controls: named" grep -qF '\x1b[2Jname\u202e.json' "$T/esc_name.out"
printf '{"id": "x"}\n{"id": 1,,}\n' >"$T/esc_nd.ndjson"
"$Q" render -q --ndjson -f html -o "$T/esc_nd" "$T/esc_nd.ndjson" 2>"$T/esc_nd.err"
check "batch messages: no raw controls" no_controls "$T/esc_nd.err"

# --- C4: usage errors are one line -----------------------------------------
usage_err() {
  d=$1
  want=$2
  shift 2
  "$@" >/dev/null 2>"$T/usage.err" </dev/null
  st=$?
  if [ $st -eq 2 ] && [ "$(wc -l <"$T/usage.err")" -eq 1 ] && grep -qF -- "$want" "$T/usage.err"; then ok; else fail "$d (exit $st)"; cat "$T/usage.err"; fi
}
usage_err "render --bogus" "quire: render: unrecognized option '--bogus'; see 'quire help render'" "$Q" render --bogus "$G"
usage_err "render -o without a value" "quire: render: option '-o' needs a value; see 'quire help render'" "$Q" render "$G" -o
usage_err "render --output without a value" "option '--output' needs a value" "$Q" render "$G" --output
usage_err "render -z" "unrecognized option '-z'" "$Q" render -z "$G"
usage_err "render --ascii=1" "option '--ascii' takes no value" "$Q" render --ascii=1 "$G"
usage_err "validate --bogus" "quire: validate: unrecognized option '--bogus'; see 'quire help validate'" "$Q" validate --bogus "$G"
usage_err "inspect --bogus" "quire: inspect: unrecognized option '--bogus'; see 'quire help inspect'" "$Q" inspect --bogus
usage_err "templates --bogus" "quire: templates: unrecognized option '--bogus'" "$Q" templates --bogus
usage_err "templates --export without a value" "option '--export' needs a value" "$Q" templates --export
usage_err "fetch --bogus" "quire: fetch: unrecognized option '--bogus'; see 'quire help fetch'" "$Q" fetch --bogus rep_1
usage_err "fetch -o without a value" "quire: fetch: option '-o' needs a value" "$Q" fetch rep_1 -o
usage_err "job --bogus" "quire: job: unrecognized option '--bogus'; see 'quire help job'" "$Q" job --bogus job_1
usage_err "create --bogus" "quire: create: unrecognized option '--bogus'; see 'quire help create'" "$Q" create --bogus
usage_err "create --label without a value" "quire: create: option '--label' needs a value" "$Q" create -m m -t general_report --label
usage_err "webhook verify --bogus" "quire: webhook verify: unrecognized option '--bogus'; see 'quire help webhook'" "$Q" webhook verify --bogus
"$Q" help render >"$T/help_render"
check "help render is still the full usage" sh -c "[ \$(wc -l <'$T/help_render') -gt 20 ] && grep -q '^usage: quire render' '$T/help_render'"
"$Q" render -h >"$T/render_h"
check "render -h is the full usage" cmp -s "$T/help_render" "$T/render_h"

# --- A5: an NDJSON line that never ends ------------------------------------
if [ "${SANITIZE:-0}" = 1 ]; then
  limit="" # ASan reserves terabytes of address space: no ulimit -v
else
  limit="ulimit -v 1000000;"
fi
sh -c "$limit exec timeout 60 \"$Q\" render --ndjson -f html -o '$T/zero' - </dev/zero" 2>"$T/zero.err"
st=$?
check "ndjson from /dev/zero ends with invalid input (1) (exit $st)" [ "$st" -eq 1 ]
check "ndjson from /dev/zero: the line is named with the cap" grep -q '<stdin>:1: longer than 67108864 bytes' "$T/zero.err"
check "ndjson from /dev/zero: nothing written" [ -z "$(ls "$T/zero" 2>/dev/null)" ]

# --- C6: smaller messages -------------------------------------------------
python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))))' "$S" >"$T/places.ndjson"
printf '{"id":"a","media":{,}}\n' >>"$T/places.ndjson"
"$Q" render -q --ndjson -f html -o "$T/places" - <"$T/places.ndjson" 2>"$T/places.err"
check "ndjson place: SOURCE:LINE:COLUMN" grep -q "^quire:   <stdin>:2:20: " "$T/places.err"
check "ndjson place: no mixed 'line 2:1:' form" sh -c "! grep -q ' line 2' '$T/places.err'"
"$Q" render -q --ndjson -f html -o "$T/places2" "$T/places.ndjson" 2>"$T/places2.err"
check "ndjson place from a file: FILE:LINE:COLUMN" grep -q "places.ndjson:2:20: " "$T/places2.err"
expect_status 2 "--pages 1-999999" "$Q" render -q "$G" -f png --pages 1-999999 -o "$T/p.png" 2>"$T/pages.err"
check "--pages names the real limit" grep -q '100000' "$T/pages.err"
expect_status 2 "create --speaker -1" "$Q" create -m m -t general_report --speaker -1 2>"$T/speaker.err"
check "--speaker range without exponent" sh -c "grep -q 'from 0 to 1000000000' '$T/speaker.err' && ! grep -q 'e+' '$T/speaker.err'"
long65=$(python3 -c 'print("\u00e9" * 65)')
long64=$(python3 -c 'print("\u00e9" * 64)')
expect_status 2 "create --label of 65 characters refused locally" env CONDUIT_API_KEY=k CONDUIT_BASE_URL=http://127.0.0.1:9 "$Q" create -m m -t general_report --label "$long65" --retries 0 2>"$T/label.err"
check "--label message" grep -q -- '--label: expected 1 to 64 characters, got 65' "$T/label.err"
expect_status 2 "create --entity-label of 65 characters refused locally" env CONDUIT_API_KEY=k CONDUIT_BASE_URL=http://127.0.0.1:9 "$Q" create -m m -t general_report --entity-label "$long65" --retries 0 2>/dev/null
expect_status 5 "create --label of 64 two-byte characters goes to the API" env CONDUIT_API_KEY=k CONDUIT_BASE_URL=http://127.0.0.1:9 "$Q" create -m m -t general_report --label "$long64" --retries 0 2>/dev/null

# --- D: an -o extension quire does not write --------------------------------
usage_err "-o x.docx refused" "x.docx: no format for the extension '.docx'; use .txt, .html, .pdf or .png, or -f text|html|pdf|png" "$Q" render -q "$G" -o "$T/x.docx"
check "-o x.docx: nothing written" [ ! -e "$T/x.docx" ]
expect_status 0 "-f text -o x.docx is what was asked" "$Q" render -q "$G" -f text -o "$T/x.docx"
mkdir -p "$T/a.b"
expect_status 0 "-o DIR.WITH.DOTS/name (no extension) is text" "$Q" render -q "$G" -o "$T/a.b/report"
expect_status 0 "-o X.PDF is PDF" "$Q" render -q "$G" -o "$T/upper.PDF"
check "-o X.PDF wrote a PDF" sh -c "head -c 5 '$T/upper.PDF' | grep -q '%PDF-'"
check "help render documents the refusal" grep -q 'any other' "$T/help_render"

done_suite
