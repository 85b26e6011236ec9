#!/usr/bin/env python3
"""A fake Conduit API for quire's tests: it follows a scenario file,
misbehaves on demand and records every request it sees.

Loopback only: it binds 127.0.0.1 on an ephemeral port. Python 3 standard
library only.

A scenario (tests/http/*.scenario, JSON) lists routes; each route has
replies that are used in order, the last one repeating:

  {"method": "GET", "path": "/v1/reports/rep_1", "server": "main",
   "replies": [{"status": 503, "json": {...}}, {"body_file": "data/x.json"}]}

A reply may have:
  status         HTTP status (200)
  headers        {name: value}; values may use {SELF}, {OTHER} (the base URL
                 of this or the other server) and {HTTPDATE+N} (an HTTP-date
                 N seconds from now)
  json / body / body_file   the body (body_file is relative to tests/http/)
  repeat_body    send the body this many times (a big body from a small file)
  chunked        send with Transfer-Encoding: chunked (chunk_size bytes each)
  delay          seconds to wait before answering
  trickle        {"bytes": N, "interval": S}: send the body N bytes at a time
  drop_after     close the connection after this many body bytes
  echo_key       replace {KEY} with the Mappa-Api-Key received, and
                 {KEY_ESC} with it spelled in JSON \\u escapes, in the
                 body, the header values and the sse frames
  A route's path may hold {KEY}: the key the request carried.
  {PAD:N}        anywhere in a body, header value or frame: N letters 'x'
                 (to put a value just across a length cap)
  status_line    the reason phrase to send after the status code
  fail_after     for an upload: read this many body bytes, then answer with
                 this reply at once and close (a 503 in mid-upload)

A request body over 1 MiB is read and thrown away as it arrives (an upload
of gigabytes costs the server no memory); the log keeps its first and last
4 KiB, joined by "...", and its size as body_size.
  sse            a list of frames for an event stream: {"id", "event",
                 "data" (JSON value or string), "comment", "retry", "delay",
                 "raw"}; sse_newline ("\\n" or "\\r\\n"), sse_end ("end": a
                 clean end of the stream; "drop": cut mid-stream)

Used standalone it serves one scenario until killed:

  conduit_server.py --scenario F --log L [--port-file P]

writing "MAIN_PORT OTHER_PORT" to the port file. The test runner
(run_scenarios.py) imports it instead.
"""

import argparse
import email.utils
import http.server
import json
import os
import re
import socketserver
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
HTTP_DIR = os.path.join(os.path.dirname(HERE), "http")


class Recorder:
    """Every request any server of one scenario saw, in order."""

    def __init__(self, log_path=None):
        self.lock = threading.Lock()
        self.entries = []
        self.log_path = log_path

    def add(self, entry):
        with self.lock:
            self.entries.append(entry)
            if self.log_path:
                with open(self.log_path, "a", encoding="utf-8") as f:
                    f.write(json.dumps(entry) + "\n")


class Script:
    """The routes of a scenario with the position in each reply list."""

    def __init__(self, scenario):
        self.lock = threading.Lock()
        self.routes = []
        for r in scenario.get("routes", []):
            self.routes.append({"route": r, "next": 0})
        self.bases = {}

    def next_reply(self, server, method, path, key=None):
        bare = path.split("?", 1)[0]
        with self.lock:
            for st in self.routes:
                r = st["route"]
                if r.get("server", "main") != server:
                    continue
                if r.get("method", "GET") != method or \
                        r["path"].replace("{KEY}", key or "{KEY}") != bare:
                    continue
                replies = r["replies"]
                i = min(st["next"], len(replies) - 1)
                st["next"] += 1
                return replies[i]
        return None


def expand(value, bases):
    if not isinstance(value, str):
        return value
    out = value.replace("{SELF}", bases.get("self", "")).replace(
        "{OTHER}", bases.get("other", ""))
    while "{HTTPDATE" in out:
        start = out.index("{HTTPDATE")
        end = out.index("}", start)
        spec = out[start + len("{HTTPDATE"):end]
        when = time.time() + (float(spec) if spec else 0)
        out = out[:start] + email.utils.formatdate(when, usegmt=True) + out[end + 1:]
    return out


PAD = re.compile(r"\{PAD:(\d+)\}")


def fill(text, key):
    """Expands {PAD:N}, and {KEY} / {KEY_ESC} when key is not None."""
    text = PAD.sub(lambda m: "x" * int(m.group(1)), text)
    if key is not None:
        esc = "".join("\\u%04x" % ord(c) for c in key)
        text = text.replace("{KEY_ESC}", esc).replace("{KEY}", key)
    return text


def body_of(reply):
    if "json" in reply:
        data = json.dumps(reply["json"]).encode()
    elif "body_file" in reply:
        with open(os.path.join(HTTP_DIR, reply["body_file"]), "rb") as f:
            data = f.read()
    else:
        data = reply.get("body", "").encode()
    return data * int(reply.get("repeat_body", 1))


def sse_bytes(frame, nl):
    if "raw" in frame:
        return frame["raw"].encode()
    lines = []
    if "comment" in frame:
        lines.append(":" + frame["comment"])
    if "id" in frame:
        lines.append("id: " + str(frame["id"]))
    if "event" in frame:
        lines.append("event: " + frame["event"])
    if "retry" in frame:
        lines.append("retry: " + str(frame["retry"]))
    if "data" in frame:
        d = frame["data"]
        text = d if isinstance(d, str) else json.dumps(d)
        for line in text.split("\n"):
            lines.append("data: " + line)
    return (nl.join(lines) + nl + nl).encode()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-conduit/1"

    def log_message(self, fmt, *args):  # quiet: the recorder keeps the log
        pass

    def _record(self, body, size=None):
        self.server.recorder.add({
            "server": self.server.name,
            "method": self.command,
            "path": self.path,
            "headers": [[k, v] for k, v in self.headers.items()],
            "body": body.decode("utf-8", "replace"),
            "body_size": len(body) if size is None else size,
            "t": time.time(),
        })

    def _read_body(self, n, stop):
        """Reads n bytes (at most stop, when given), keeping only the ends of
        a big body. Returns (kept bytes, bytes read)."""
        if n <= (1 << 20) and stop is None:
            return (self.rfile.read(n) if n else b""), n
        head, tail, got = b"", b"", 0
        want = n if stop is None else min(n, stop)
        while got < want:
            chunk = self.rfile.read(min(1 << 20, want - got))
            if not chunk:
                break
            if len(head) < 4096:
                head += chunk[:4096 - len(head)]
            tail = (tail + chunk)[-4096:]
            got += len(chunk)
        return head + b"..." + tail, got

    def _handle(self):
        n = int(self.headers.get("Content-Length") or 0)
        reply = self.server.script.next_reply(self.server.name, self.command, self.path,
                                              self.headers.get("Mappa-Api-Key"))
        stop = reply.get("fail_after") if reply else None
        body, size = self._read_body(n, stop)
        self._record(body, size)
        if stop is not None:
            self.close_connection = True
        if reply is None:
            data = json.dumps({"error": {"code": "no_route",
                                         "message": "fake server: no route for "
                                         + self.command + " " + self.path}}).encode()
            self.send_response(404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        if reply.get("delay"):
            time.sleep(float(reply["delay"]))
        bases = dict(self.server.script.bases)
        bases["self"] = bases[self.server.name]
        if "sse" in reply:
            self._sse(reply, bases)
            return
        key = self._echo(reply)
        data = body_of(reply)
        if key is not None or b"{PAD:" in data:
            # A hostile or buggy server that repeats the key back.
            data = fill(data.decode("utf-8", "surrogateescape"), key).encode(
                "utf-8", "surrogateescape")
        status = int(reply.get("status", 200))
        self.send_response(status, reply.get("status_line"))
        headers = {k: fill(expand(v, bases), key)
                   for k, v in reply.get("headers", {}).items()}
        if "Content-Type" not in headers and not reply.get("no_content_type") and data:
            headers["Content-Type"] = "application/json"
        for k, v in headers.items():
            self.send_header(k, v)
        chunked = reply.get("chunked", False)
        drop_after = reply.get("drop_after")
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(len(data)))
        if drop_after is not None or reply.get("trickle"):
            self.send_header("Connection", "close")
            self.close_connection = True
        try:
            self.end_headers()
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up on the headers (a line over its cap).
            self.close_connection = True
            return
        if drop_after is not None:
            data = data[:int(drop_after)]
        trickle = reply.get("trickle")
        step = int(trickle["bytes"]) if trickle else int(reply.get("chunk_size", 65536))
        try:
            for i in range(0, len(data), max(step, 1)):
                piece = data[i:i + step]
                if chunked:
                    self.wfile.write(b"%x\r\n" % len(piece) + piece + b"\r\n")
                else:
                    self.wfile.write(piece)
                self.wfile.flush()
                if trickle:
                    time.sleep(float(trickle["interval"]))
            if chunked and drop_after is None:
                self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
            return
        if drop_after is not None:
            self.close_connection = True

    def _echo(self, reply):
        """The key to echo back, or None."""
        if reply.get("echo_key"):
            return self.headers.get("Mappa-Api-Key") or ""
        return None

    def _sse(self, reply, bases):
        nl = reply.get("sse_newline", "\n")
        key = self._echo(reply)
        self.send_response(int(reply.get("status", 200)))
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Connection", "close")
        for k, v in reply.get("headers", {}).items():
            self.send_header(k, fill(expand(v, bases), key))
        self.end_headers()
        self.close_connection = True
        try:
            for frame in reply["sse"]:
                if frame.get("delay"):
                    time.sleep(float(frame["delay"]))
                piece = fill(sse_bytes(frame, nl).decode("utf-8", "surrogateescape"),
                             key).encode("utf-8", "surrogateescape")
                # Split every frame in two chunks so the client's parser sees
                # events cut at arbitrary points.
                half = max(1, len(piece) // 2)
                for part in (piece[:half], piece[half:]):
                    if part:
                        self.wfile.write(b"%x\r\n" % len(part) + part + b"\r\n")
                        self.wfile.flush()
            if reply.get("sse_end", "end") == "end":
                self.wfile.write(b"0\r\n\r\n")
                self.wfile.flush()
            # "drop": close without the last chunk, as a lost connection does
        except (BrokenPipeError, ConnectionResetError):
            pass

    do_GET = _handle
    do_POST = _handle
    do_PUT = _handle
    do_DELETE = _handle
    do_PATCH = _handle


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def start(scenario, recorder):
    """Starts the main and the other server of a scenario on 127.0.0.1.
    Returns (servers, bases)."""
    script = Script(scenario)
    servers = {}
    for name in ("main", "other"):
        srv = Server(("127.0.0.1", 0), Handler)
        srv.name = name
        srv.script = script
        srv.recorder = recorder
        servers[name] = srv
        script.bases[name] = "http://127.0.0.1:%d" % srv.server_address[1]
        threading.Thread(target=srv.serve_forever, daemon=True).start()
    return servers, script.bases


def stop(servers):
    for srv in servers.values():
        srv.shutdown()
        srv.server_close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scenario", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--port-file")
    a = ap.parse_args()
    with open(a.scenario, encoding="utf-8") as f:
        scenario = json.load(f)
    servers, bases = start(scenario, Recorder(a.log))
    ports = "%d %d\n" % (servers["main"].server_address[1],
                         servers["other"].server_address[1])
    if a.port_file:
        tmp = a.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(ports)
        os.rename(tmp, a.port_file)
    sys.stdout.write(ports)
    sys.stdout.flush()
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        stop(servers)


if __name__ == "__main__":
    main()
