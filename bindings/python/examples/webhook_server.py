#!/usr/bin/env python3
"""A Conduit webhook endpoint with the standard library's http.server:
verify the signature, fetch the finished report, answer with its PDF.

    CONDUIT_API_KEY=sk_... CONDUIT_WEBHOOK_SECRET=whsec_... \\
        python3 webhook_server.py            # listens on 127.0.0.1:8080

Environment: CONDUIT_API_KEY and CONDUIT_WEBHOOK_SECRET (required),
CONDUIT_BASE_URL (default https://api.mappa.ai), PORT (8080; 0 picks a free
one), BIND (127.0.0.1). It prints "listening on http://HOST:PORT" once
ready.

POST /webhook answers:
  200 application/pdf   report.completed: the report's PDF
  202                   report.failed and other events (acknowledged)
  401                   the signature is missing, stale or wrong
  400                   a verified body that is not a Conduit event
  502                   the report could not be fetched or rendered
"""

import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import quire

MAX_BODY = 1 << 20  # webhook bodies are small; refuse anything bigger

API_KEY = os.environ.get("CONDUIT_API_KEY", "")
SECRET = os.environ.get("CONDUIT_WEBHOOK_SECRET", "")
BASE_URL = os.environ.get("CONDUIT_BASE_URL") or None

# One look for every report, built once and shared by all threads.
RENDERER = quire.Renderer(paper="a4")
# A client holds one connection: one per thread, so fetches run in parallel.
_local = threading.local()


def client() -> quire.Client:
    if not hasattr(_local, "client"):
        _local.client = quire.Client(API_KEY, base_url=BASE_URL,
                                     user_agent="webhook-example")
    return _local.client


class Handler(BaseHTTPRequestHandler):
    server_version = "quire-webhook-example/1"

    def _reply(self, status: int, body: bytes = b"",
               ctype: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _json(self, code: int, **fields: str) -> None:
        self._reply(code, json.dumps(fields).encode() + b"\n")

    def do_GET(self) -> None:
        self._json(405, error="POST a Conduit webhook to /webhook")

    def do_POST(self) -> None:
        if self.path != "/webhook":
            return self._json(404, error="not found")
        try:
            length = int(self.headers.get("Content-Length") or -1)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            return self._json(413 if length > MAX_BODY else 411,
                              error="a body with Content-Length is required")
        body = self.rfile.read(length)
        try:
            # self.headers keeps every header line, duplicates included.
            event = quire.verify_webhook(self.headers, body, SECRET)
        except quire.SignatureError as e:
            return self._json(401, error=e.message)
        except quire.QuireError as e:
            return self._json(400, error=str(e))
        if event.kind != "report.completed" or not event.report_id:
            return self._json(202, status="ignored", event=event.kind)
        try:
            doc = client().fetch_report(event.report_id)
            with doc:
                pdf = RENDERER.render(doc, "pdf")
        except quire.QuireError as e:
            # e carries the request id to quote to Conduit's support.
            return self._json(502, error=str(e), request_id=e.request_id)
        self._reply(200, pdf, "application/pdf")

    def log_message(self, fmt: str, *args: object) -> None:
        sys.stderr.write("webhook: " + (fmt % args) + "\n")


def main() -> int:
    if not API_KEY or not SECRET:
        sys.stderr.write("webhook: set CONDUIT_API_KEY and "
                         "CONDUIT_WEBHOOK_SECRET\n")
        return 2
    host = os.environ.get("BIND", "127.0.0.1")
    port = int(os.environ.get("PORT", "8080"))
    httpd = ThreadingHTTPServer((host, port), Handler)
    httpd.daemon_threads = True
    print("listening on http://%s:%d" % (host, httpd.server_address[1]),
          flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
