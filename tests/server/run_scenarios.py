#!/usr/bin/env python3
"""Runs tests/http/*.scenario against the quire CLI and the fake server.

For each scenario: start the fake Conduit servers on 127.0.0.1, run the
command the scenario names with a fresh API key, then check

  - the exit status and the stderr (and stdout) patterns;
  - the requests the main server saw, in order (method, path, headers,
    request ids kept across retries), and the other server's (redirects);
  - that every request carried the key, a req_<hex> id, Accept and
    User-Agent, and that the key went nowhere else;
  - that the key (and a webhook secret) appears in no output: stdout,
    stderr, any file written, the other server's log;
  - that the output directory holds exactly the files expected (no
    partial or temporary output), with the content expected.

Prints "ok - ..." / "not ok - ..." per check and "N passed, N failed" last.
Scenario keys are documented in tests/http/README.md.
"""

import argparse
import concurrent.futures
import glob
import hashlib
import hmac
import json
import os
import pty
import re
import secrets
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, HERE)
import conduit_server  # noqa: E402

HTTP_DIR = conduit_server.HTTP_DIR
REQ_ID = re.compile(r"^req_[0-9a-f]{32}$")


def header(entry, name):
    vals = [v for k, v in entry["headers"] if k.lower() == name.lower()]
    return vals


class Result:
    def __init__(self, name):
        self.name = name
        self.lines = []
        self.passed = 0
        self.failed = 0

    def check(self, cond, what, detail=""):
        if cond:
            self.passed += 1
            self.lines.append("ok - %s: %s" % (self.name, what))
        else:
            self.failed += 1
            self.lines.append("not ok - %s: %s%s" % (self.name, what,
                                                     (": " + detail) if detail else ""))


def subst(s, vars_):
    if not isinstance(s, str):
        return s
    for k, v in vars_.items():
        s = s.replace("{" + k + "}", v)
    return s


def webhook_setup(sc, out_dir, vars_):
    """Signs a body as Conduit would; returns the stdin bytes."""
    w = sc["webhook"]
    secret = w.get("secret", "whsec_" + secrets.token_hex(12))
    with open(os.path.join(HTTP_DIR, w["body_file"]), "rb") as f:
        body = f.read()
    t = int(time.time()) + int(w.get("t_offset", 0))
    signed = body if not w.get("tamper") else body + b" "
    sig = hmac.new(secret.encode(), str(t).encode() + b"." + signed,
                   hashlib.sha256).hexdigest()
    if w.get("wrong_secret"):
        sig = hmac.new(b"not-the-secret", str(t).encode() + b"." + body,
                       hashlib.sha256).hexdigest()
    secret_file = os.path.join(out_dir, "..", os.path.basename(out_dir) + ".secret")
    with open(secret_file, "w") as f:
        f.write(secret + "\n")
    vars_["SECRET_FILE"] = secret_file
    vars_["T"] = str(t)
    vars_["SIG"] = sig
    for i, h in enumerate(w.get("headers", ["conduit-signature: t={T},v1={SIG}"])):
        vars_["H%d" % i] = subst(h, vars_)
    return body, secret


def run_one(path, quire, out_root, base_env):
    name = os.path.splitext(os.path.basename(path))[0]
    res = Result(name)
    try:
        with open(path, encoding="utf-8") as f:
            sc = json.load(f)
    except (OSError, ValueError) as e:
        res.check(False, "scenario loads", str(e))
        return res
    out_dir = os.path.join(out_root, name)
    shutil.rmtree(out_dir, ignore_errors=True)
    os.makedirs(out_dir)
    key = "sk_test_" + secrets.token_hex(16)
    if sc.get("key_len"):  # a long key: longer than the caps it meets
        key = ("sk_test_" + secrets.token_hex(sc["key_len"]))[:sc["key_len"]]
    recorder = conduit_server.Recorder(os.path.join(out_root, name + ".requests.jsonl"))
    if os.path.exists(recorder.log_path):
        os.unlink(recorder.log_path)
    servers, bases = conduit_server.start(sc, recorder)
    vars_ = {"OUT": out_dir, "BASE": bases["main"], "OTHER": bases["other"],
             "HTTP": HTTP_DIR}
    if sc.get("key_in_args"):  # only to prove that it is refused unread
        vars_["KEY"] = key
    stdin = None
    secret = None
    if sc.get("sparse_files"):
        # Big inputs (an upload) made on the spot as sparse files, outside
        # the output directory: {DATA}/NAME.
        data_dir = os.path.join(out_root, name + ".data")
        shutil.rmtree(data_dir, ignore_errors=True)
        os.makedirs(data_dir)
        for fname, size in sc["sparse_files"].items():
            with open(os.path.join(data_dir, fname), "wb") as f:
                f.truncate(int(size))
        vars_["DATA"] = data_dir
    try:
        if "webhook" in sc:
            stdin, secret = webhook_setup(sc, out_dir, vars_)
        elif "stdin_file" in sc:
            with open(os.path.join(HTTP_DIR, sc["stdin_file"]), "rb") as f:
                stdin = f.read()
        env = dict(base_env)
        env["CONDUIT_API_KEY"] = key
        env["CONDUIT_BASE_URL"] = bases["main"]
        env["QUIRE_TEST_TIME_SCALE"] = "0.01"
        for k, v in sc.get("env", {}).items():
            if v is None:
                env.pop(k, None)
            else:
                env[k] = subst(v, vars_)
        if sc.get("key_file"):
            kf = os.path.join(out_root, name + ".key")
            with open(kf, "w") as f:
                f.write(key + "\n")
            os.chmod(kf, 0o600)
            vars_["KEY_FILE"] = kf
            env.pop("CONDUIT_API_KEY", None)
        args = [subst(a, vars_) for a in sc["args"]]
        t0 = time.monotonic()
        tty = None
        if sc.get("stderr_tty"):
            # stderr on a terminal (the progress line), stdout a pipe
            tty = pty.openpty()
        try:
            p = subprocess.run([quire] + args, input=stdin or b"", env=env,
                               cwd=out_dir, stdout=subprocess.PIPE,
                               stderr=tty[1] if tty else subprocess.PIPE,
                               timeout=float(sc.get("timeout", 30)))
            status, out, err = p.returncode, p.stdout, p.stderr or b""
        except subprocess.TimeoutExpired as e:
            status, out, err = "timeout", e.stdout or b"", e.stderr or b""
        if tty:
            os.close(tty[1])
            chunks = []
            while True:
                try:
                    chunk = os.read(tty[0], 65536)
                except OSError:
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            os.close(tty[0])
            err = b"".join(chunks).replace(b"\r\n", b"\n")
        elapsed = time.monotonic() - t0
    finally:
        time.sleep(0.05)  # let handler threads record a request in flight
        conduit_server.stop(servers)
    exp = sc.get("expect", {})
    stderr_text = err.decode("utf-8", "replace")
    stdout_text = out.decode("utf-8", "replace")

    res.check(status == exp.get("status", 0), "exit status %s" % exp.get("status", 0),
              "got %s; stderr: %s" % (status, stderr_text.strip()[:400]))
    for pat in ([exp["stderr"]] if isinstance(exp.get("stderr"), str) else exp.get("stderr", [])):
        pat = subst(pat, vars_)
        res.check(re.search(pat, stderr_text, re.M) is not None, "stderr matches /%s/" % pat,
                  "stderr was: %s" % stderr_text.strip()[:400])
    for pat in exp.get("stderr_not", []):
        res.check(re.search(pat, stderr_text, re.M) is None, "stderr lacks /%s/" % pat,
                  stderr_text.strip()[:300])
    if "stdout" in exp:
        pat = subst(exp["stdout"], vars_)
        res.check(re.search(pat, stdout_text, re.M) is not None, "stdout matches /%s/" % pat,
                  "stdout was: %s" % stdout_text.strip()[:300])
    if exp.get("stdout_empty"):
        res.check(out == b"", "stdout is empty", "%d bytes" % len(out))
    if "min_seconds" in exp:
        res.check(elapsed >= exp["min_seconds"], "took at least %ss" % exp["min_seconds"],
                  "took %.2fs" % elapsed)
    if "max_seconds" in exp:
        res.check(elapsed <= exp["max_seconds"], "took at most %ss" % exp["max_seconds"],
                  "took %.2fs" % elapsed)

    main = [e for e in recorder.entries if e["server"] == "main"]
    other = [e for e in recorder.entries if e["server"] == "other"]
    if "requests" in exp:
        want = exp["requests"]
        got = ["%s %s" % (e["method"], e["path"].split("?", 1)[0]) for e in main]
        wanted = [subst(w if isinstance(w, str) else w["req"], vars_) for w in want]
        res.check(got == wanted, "requests seen", "got %s, want %s" % (got, wanted))
        for i, w in enumerate(want):
            if isinstance(w, str) or i >= len(main):
                continue
            e = main[i]
            for hname, pat in w.get("headers", {}).items():
                vals = header(e, hname)
                ok = len(vals) == 1 and re.search(subst(pat, vars_), vals[0]) is not None
                res.check(ok, "request %d %s: %s" % (i, hname, pat), "got %s" % vals)
            for hname in w.get("absent_headers", []):
                res.check(not header(e, hname), "request %d has no %s" % (i, hname),
                          "got %s" % header(e, hname))
            if "query" in w:
                q = e["path"].split("?", 1)[1] if "?" in e["path"] else ""
                res.check(re.search(w["query"], q) is not None,
                          "request %d query /%s/" % (i, w["query"]), "got %r" % q)
            if "body_regex" in w:
                res.check(re.search(w["body_regex"], e["body"], re.S) is not None,
                          "request %d body /%s/" % (i, w["body_regex"]),
                          "got %r" % e["body"][:300])
            if "body_size_min" in w:
                res.check(e.get("body_size", 0) >= w["body_size_min"],
                          "request %d body of at least %d bytes" % (i, w["body_size_min"]),
                          "got %s" % e.get("body_size"))
            if "body" in w:
                try:
                    body = json.loads(e["body"])
                except ValueError:
                    body = None
                res.check(body == w["body"], "request %d body" % i,
                          "got %s" % e["body"][:300])
            if "same_headers" in w and w["same_headers"]["as"] < len(main):
                j = w["same_headers"]["as"]
                for hname in w["same_headers"]["names"]:
                    a, b = header(e, hname), header(main[j], hname)
                    res.check(a == b and len(a) == 1,
                              "request %d has the %s of request %d" % (i, hname, j),
                              "%s vs %s" % (a, b))
            if "same_id_as" in w and w["same_id_as"] < len(main):
                a = header(e, "X-Request-Id")
                b = header(main[w["same_id_as"]], "X-Request-Id")
                res.check(a == b, "request %d keeps the request id of %d" % (i, w["same_id_as"]),
                          "%s vs %s" % (a, b))
            if "new_id_from" in w and w["new_id_from"] < len(main):
                a = header(e, "X-Request-Id")
                b = header(main[w["new_id_from"]], "X-Request-Id")
                res.check(a != b, "request %d has a new request id" % i, "%s" % a)
    if "request_counts" in exp:
        got = ["%s %s" % (e["method"], e["path"].split("?", 1)[0]) for e in main]
        for req, n in exp["request_counts"].items():
            lo, hi = (n, n) if isinstance(n, int) else n
            c = got.count(req)
            res.check(lo <= c <= hi, "%s seen %s times" % (req, n), "seen %d times" % c)
        unknown = sorted(set(got) - set(exp["request_counts"]))
        res.check(not unknown, "no other requests", "%s" % unknown)
    # Every request to the API carries the key and the fixed headers.
    bad = []
    for i, e in enumerate(main):
        if header(e, "Mappa-Api-Key") != [key]:
            bad.append("%d: key %s" % (i, "missing" if not header(e, "Mappa-Api-Key") else "wrong"))
        rid = header(e, "X-Request-Id")
        if len(rid) != 1 or not REQ_ID.match(rid[0]):
            bad.append("%d: X-Request-Id %s" % (i, rid))
        if not header(e, "Accept"):
            bad.append("%d: no Accept" % i)
        ua = header(e, "User-Agent")
        if len(ua) != 1 or not ua[0].startswith("quire/"):
            bad.append("%d: User-Agent %s" % (i, ua))
        if header(e, "Authorization"):
            bad.append("%d: Authorization header" % i)
    if main:
        res.check(not bad, "every request has the key, a req_ id, Accept, User-Agent",
                  "; ".join(bad))
    other_want = exp.get("other_requests", [])
    got_other = ["%s %s" % (e["method"], e["path"].split("?", 1)[0]) for e in other]
    res.check(got_other == other_want, "requests to the other origin",
              "got %s, want %s" % (got_other, other_want))
    leaked = [e["path"] for e in other if key in json.dumps(e)]
    res.check(not leaked, "the key never reached the other origin", "%s" % leaked)

    # The key and the secret appear in no output.
    secrets_ = [key] + ([secret] if secret else [])
    files = {}
    for fp in glob.glob(os.path.join(out_dir, "**"), recursive=True):
        if os.path.isfile(fp):
            with open(fp, "rb") as f:
                files[os.path.relpath(fp, out_dir)] = f.read()
    leaks = []
    for s in secrets_:
        sb = s.encode()
        if sb in out:
            leaks.append("stdout")
        if sb in err:
            leaks.append("stderr")
        leaks += [n for n, d in files.items() if sb in d]
    res.check(not leaks, "no secret in any output", ", ".join(leaks))
    # Nor any piece of the key long enough to matter: a key cut short and
    # printed is a leak too (the client masks runs of 12 bytes or more).
    frag = 12
    pieces = [key[i:i + frag].encode() for i in range(len(key) - frag + 1)]
    outputs = [("stdout", out), ("stderr", err)] + sorted(files.items())
    cut = sorted({n for n, d in outputs for p in pieces if p in d})
    res.check(not cut, "no %d-byte piece of the key in any output" % frag,
              ", ".join(cut))

    # Exactly the expected files: no partial output, no temporary files.
    want_files = sorted(exp.get("files", {}).keys())
    res.check(sorted(files) == want_files, "output files %s" % want_files,
              "got %s" % sorted(files))
    for fname, spec in exp.get("files", {}).items():
        data = files.get(fname)
        if data is None:
            continue
        if "same_as" in spec:
            with open(os.path.join(HTTP_DIR, spec["same_as"]), "rb") as f:
                ref = f.read()
            res.check(data == ref, "%s is byte-identical to %s" % (fname, spec["same_as"]))
        for pat in spec.get("contains", []):
            res.check(pat.encode() in data, "%s contains %r" % (fname, pat))
        if "starts_with" in spec:
            res.check(data.startswith(spec["starts_with"].encode()),
                      "%s starts with %r" % (fname, spec["starts_with"]))
    if exp.get("then"):
        # A follow-up command on the outputs (quire render of a cached file).
        then = exp["then"]
        p2 = subprocess.run([quire] + [subst(a, vars_) for a in then["args"]],
                            env=base_env, cwd=out_dir, capture_output=True, timeout=30)
        res.check(p2.returncode == then.get("status", 0),
                  "then %s exits %s" % (" ".join(then["args"]), then.get("status", 0)),
                  "got %s: %s" % (p2.returncode, p2.stderr.decode()[:300]))
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quire", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--jobs", type=int, default=8)
    ap.add_argument("scenarios", nargs="+")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    base_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8",
                "HOME": a.out, "NO_COLOR": "1", "QUIRE_PAGER": "cat"}
    for k in ("QUIRE_TEMPLATES", "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
        if k in os.environ:
            base_env[k] = os.environ[k]
    t0 = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as pool:
        results = list(pool.map(lambda s: run_one(s, a.quire, a.out, base_env),
                                sorted(a.scenarios)))
    passed = failed = 0
    for r in results:
        for line in r.lines:
            print(line)
        passed += r.passed
        failed += r.failed
    print("# %d scenarios in %.1fs" % (len(results), time.monotonic() - t0))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
