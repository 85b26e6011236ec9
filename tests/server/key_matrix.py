#!/usr/bin/env python3
"""Writes the key-echo matrix: scenarios in which the fake server repeats
the API key back in every field quire prints or returns, at lengths that
straddle every cap the value meets on its way (the 95 bytes of a request
id, the 63 of an error code, the 319 of a server message, the 511 of an
error message, the 1199 of a printed line), with short and long keys.

Each scenario is an ordinary tests/http scenario; run_scenarios.py checks
that the key, and every 12-byte piece of it, appears in no output (stdout,
stderr, files written). The server's other misbehaviour is not the point:
the exit statuses are those of the plain cases.

  key_matrix.py OUT_DIR     writes OUT_DIR/key_*.scenario
"""

import json
import os
import sys

# Padding before the key: none, either side of each cap, and far past.
PADS = [0, 50, 60, 63, 80, 90, 94, 95, 100, 250, 290, 300, 310, 319, 400,
        470, 500, 511, 1000, 1190, 1300]
KEYS = [None, 200]  # the default 40-byte key, and one longer than a cap


def pad(n):
    return "{PAD:%d}" % n if n else ""


def error_reply(status, code, message, extra=None):
    r = {"status": status, "echo_key": True,
         "body": json.dumps({"error": {"code": code, "message": message,
                                       "details": {"required": 1, "echo": "{KEY}"}}})}
    if extra:
        r.update(extra)
    return r


def scenarios():
    out = {}

    def add(name, sc, key_len):
        if key_len:
            sc["key_len"] = key_len
            name += "_long"
        sc.setdefault("description", name.replace("_", " "))
        out["key_" + name] = sc

    for kl in KEYS:
        for n in PADS:
            # An API error: the key in the message and the code, after n bytes.
            add("error_message_%d" % n, {
                "routes": [{"path": "/v1/reports/rep_1", "replies": [
                    error_reply(403, "forbidden", pad(n) + "{KEY} tail")]}],
                "args": ["fetch", "rep_1"],
                "expect": {"status": 6}}, kl)
            add("error_code_%d" % n, {
                "routes": [{"path": "/v1/reports/rep_1", "replies": [
                    error_reply(422, pad(n) + "{KEY}", "bad")]}],
                "args": ["fetch", "rep_1"],
                "expect": {"status": 6}}, kl)
            # A text body (not JSON) and a 5xx after every retry.
            add("error_text_%d" % n, {
                "routes": [{"path": "/v1/reports/rep_1", "replies": [
                    {"status": 502, "echo_key": True,
                     "headers": {"Content-Type": "text/plain"},
                     "body": pad(n) + "{KEY} upstream"}]}],
                "args": ["fetch", "rep_1", "--retries", "0"],
                "expect": {"status": 5}}, kl)
            # The request id the server echoes.
            add("request_id_%d" % n, {
                "routes": [{"path": "/v1/reports/rep_1", "replies": [
                    {"status": 404, "echo_key": True,
                     "headers": {"X-Request-Id": pad(n) + "{KEY}",
                                 "Content-Type": pad(n) + "{KEY}"},
                     "json": {"error": {"code": "not_found", "message": "no"}}}]}],
                "args": ["fetch", "rep_1"],
                "expect": {"status": 6}}, kl)
            # The job id of a create receipt, with the stage and type.
            add("create_job_id_%d" % n, {
                "routes": [{"method": "POST", "path": "/v1/reports/jobs", "replies": [
                    {"status": 202, "echo_key": True,
                     "json": {"jobId": "job_" + pad(n) + "{KEY}", "status": "queued",
                              "stage": "{KEY}", "estimatedWaitSec": 5}}]}],
                "args": ["create", "-m", "med_1", "-t", "general_report"],
                "expect": {"status": 0}}, kl)
            # A job: every field, printed as rows and as JSON.
            job = {"id": "job_1", "type": "report.generate" + pad(n) + "{KEY}",
                   "status": "failed", "stage": "{KEY}",
                   "reportId": "rep_" + pad(n) + "{KEY}",
                   "createdAt": pad(n) + "{KEY}",
                   "error": {"code": pad(n) + "{KEY}", "message": pad(n) + "{KEY_ESC}"}}
            for js in ([], ["--json"]):
                add("job_fields_%d%s" % (n, "_json" if js else ""), {
                    "routes": [{"path": "/v1/jobs/job_1", "replies": [
                        {"echo_key": True, "json": job}]}],
                    "args": ["job", "job_1"] + js,
                    "expect": {"status": 0}}, kl)
            # The job's error in a terminal event, and in an error event.
            add("sse_terminal_%d" % n, {
                "routes": [{"path": "/v1/jobs/job_1/stream", "replies": [
                    {"echo_key": True, "sse": [
                        {"id": "{KEY}", "event": "status",
                         "data": {"status": "running", "stage": "{KEY}"}},
                        {"id": "2", "event": "terminal",
                         "data": {"status": "failed",
                                  "error": {"code": pad(n) + "{KEY}",
                                            "message": pad(n) + "{KEY} tail"}}}]}]}],
                "args": ["fetch", "--job", "job_1", "--wait", "-o", "{OUT}/r.html"],
                "expect": {"status": 7}}, kl)
            add("sse_error_event_%d" % n, {
                "routes": [{"path": "/v1/jobs/job_1/stream", "replies": [
                    {"echo_key": True, "sse": [
                        {"event": "error",
                         "data": {"code": "not_found",
                                  "message": pad(n) + "{KEY_ESC} tail"}}]}]}],
                "args": ["fetch", "--job", "job_1", "--wait", "-o", "{OUT}/r.html"],
                "expect": {"status": 6}}, kl)
        # An event that is not JSON: the parser's error text quotes it.
        add("sse_bad_event", {
            "routes": [
                {"path": "/v1/jobs/job_1/stream", "replies": [
                    {"echo_key": True, "sse": [
                        {"event": "status", "data": "{KEY} not json"}],
                     "sse_end": "end"}]},
                {"path": "/v1/jobs/job_1", "replies": [
                    {"echo_key": True, "body": "{KEY}"}]}],
            "args": ["fetch", "--job", "job_1", "--wait", "-o", "{OUT}/r.html"],
            "expect": {"status": 5}}, kl)
        # A report that holds the key: the output files must not.
        report = json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                             "..", "http", "data", "report_v2.json")))
        report["label"] = "{KEY}"
        report["markdown"] = "# {KEY}\n\n" + "x" * 300 + "{KEY_ESC}"
        report["entity"]["label"] = "{KEY_ESC}"
        for fmt in ("html", "json", "txt"):
            add("report_%s" % fmt, {
                "routes": [{"path": "/v1/reports/rep_1", "replies": [
                    {"echo_key": True, "body": json.dumps(report)}]}],
                "args": ["fetch", "rep_1", "-o", "{OUT}/r." + fmt],
                "expect": {"status": 0, "files": {"r." + fmt: {}}}}, kl)
        # A redirect to another origin whose name holds the key.
        add("redirect_origin", {
            "routes": [{"path": "/v1/reports/rep_1", "replies": [
                {"status": 302, "echo_key": True,
                 "headers": {"Location": "http://{PAD:100}{KEY}.invalid/x"}}]}],
            "args": ["fetch", "rep_1"],
            "expect": {"status": 5}}, kl)
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    os.makedirs(sys.argv[1], exist_ok=True)
    for name, sc in scenarios().items():
        with open(os.path.join(sys.argv[1], name + ".scenario"), "w") as f:
            json.dump(sc, f, indent=1)
    print(len(scenarios()))


if __name__ == "__main__":
    main()
