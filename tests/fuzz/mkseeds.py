#!/usr/bin/env python3
"""Writes fuzz seeds from the test server's scenarios (tests/http/*.scenario):
event streams for fuzz_sse, job and error bodies for fuzz_api_error, signed
deliveries for fuzz_webhook. tests/fuzz/seeds.sh runs it for make fuzz and
make test, so a new scenario is a new seed without a commit:

  python3 tests/fuzz/mkseeds.py HARNESS OUTDIR

Each harness's first byte is its control byte (see the harness). Files are
named scn_<scenario>[_<n>]."""

import glob
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "server"))
import conduit_server  # noqa: E402  (sse_bytes: the server's own framing)

HTTP = os.path.join(ROOT, "tests", "http")


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: mkseeds.py HARNESS OUTDIR")
    want, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    written = 0

    def put(harness, name, data):
        nonlocal written
        if harness != want:
            return
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
        written += 1

    for path in sorted(glob.glob(os.path.join(HTTP, "*.scenario"))):
        name = os.path.splitext(os.path.basename(path))[0]
        with open(path, encoding="utf-8") as f:
            sc = json.load(f)
        k = 0
        for route in sc.get("routes", []):
            for reply in route.get("replies", []):
                if "sse" in reply:
                    nl = reply.get("sse_newline", "\n")
                    stream = b"".join(conduit_server.sse_bytes(fr, nl)
                                      for fr in reply["sse"])
                    # fuzz_sse: chunk size (data[0] % 17) + 1; 2 = 3 bytes
                    put("sse", "scn_%s_%d" % (name, k), b"\x02" + stream)
                    k += 1
                elif "json" in reply:
                    put("api_error", "scn_%s_%d" % (name, k),
                        json.dumps(reply["json"]).encode())
                    k += 1
        w = sc.get("webhook")
        if w:
            with open(os.path.join(HTTP, w["body_file"]), "rb") as f:
                body = f.read()
            headers = w.get("headers", ["conduit-signature: t={T},v1={SIG}"])
            if w.get("t_offset"):
                headers = [h.replace("{T}", str(1767225600 + w["t_offset"]))
                           for h in headers]
            # fuzz_webhook: bit 0 fills {T}/{SIG}; bit 3 the other secret
            ctl = 1 | (8 if w.get("wrong_secret") else 0)
            if w.get("tamper"):
                body += b" "
            data = bytes([ctl]) + "\n".join(headers).encode() + b"\n\n" + body
            put("webhook", "scn_" + name, data)

    print("%s: %d seeds from the test server's scenarios" % (want, written))


if __name__ == "__main__":
    main()
