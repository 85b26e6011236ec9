"""The webhook example end to end: a signed delivery in, the PDF out."""

import os
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

import quire
from conftest import HTTP_DATA, PKG

EXAMPLE = os.path.join(PKG, "examples", "webhook_server.py")
SECRET = "whsec_example_0123456789"
KEY = "sk_test_example_key_0123456789"
with open(os.path.join(HTTP_DATA, "webhook_report_completed.json"), "rb") as f:
    BODY = f.read()


@pytest.fixture
def example(conduit):
    api = conduit({"routes": [{"path": "/v1/reports/rep_1",
                               "replies": [{"body_file": "data/report_v2.json"}]}]})
    env = dict(os.environ, CONDUIT_API_KEY=KEY, CONDUIT_WEBHOOK_SECRET=SECRET,
               CONDUIT_BASE_URL=api.base, PORT="0",
               PYTHONPATH=PKG, PYTHONDONTWRITEBYTECODE="1")
    p = subprocess.Popen([sys.executable, EXAMPLE], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
    try:
        line = p.stdout.readline()
        assert line.startswith("listening on http://"), p.stderr.read()
        yield line.split()[-1], api
    finally:
        p.terminate()
        p.wait(30)


def post(url, body, headers):
    req = urllib.request.Request(url + "/webhook", data=body, headers=headers,
                                 method="POST")
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.headers.get("Content-Type"), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type"), e.read()


def test_signed_delivery_returns_the_pdf(example, tmp_path):
    url, api = example
    status, ctype, body = post(url, BODY, {
        "Content-Type": "application/json",
        "Conduit-Signature": quire.sign(BODY, SECRET)})
    assert (status, ctype) == (200, "application/pdf"), body[:200]
    assert body.startswith(b"%PDF-")
    assert api.lines() == ["GET /v1/reports/rep_1"]
    f = tmp_path / "r.pdf"
    f.write_bytes(body)
    text = subprocess.run(["pdftotext", str(f), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Dana Okafor" in text


def test_bad_deliveries_are_refused(example):
    url, api = example
    good = quire.sign(BODY, SECRET)
    status, _, body = post(url, BODY + b" ", {"Conduit-Signature": good})
    assert status == 401 and b"does not match" in body
    status, _, _ = post(url, BODY, {})
    assert status == 401
    status, _, _ = post(url, BODY, {"Conduit-Signature": quire.sign(BODY, "nope")})
    assert status == 401
    other = b'{"id":"e2","type":"report.failed","data":{"jobId":"j","error":{"code":"x","message":"y"}}}'
    status, _, body = post(url, other, {"Conduit-Signature": quire.sign(other, SECRET)})
    assert status == 202 and b"report.failed" in body
    assert api.lines() == []  # nothing fetched for any of these


def test_readme_program_renders_every_sample(tmp_path):
    """examples/render_samples.py, written from the README alone."""
    from conftest import SAMPLES, has
    env = dict(os.environ, PYTHONPATH=PKG, PYTHONDONTWRITEBYTECODE="1")
    p = subprocess.run([sys.executable,
                        os.path.join(PKG, "examples", "render_samples.py"),
                        str(tmp_path), *SAMPLES], env=env, capture_output=True,
                       text=True, timeout=600)
    assert p.returncode == 0, p.stderr
    assert "webhook: report.completed evt_1 report rep_1" in p.stdout
    assert "tampered body refused" in p.stdout
    for s in SAMPLES:
        stem = os.path.splitext(os.path.basename(s))[0]
        for ext, magic in (("txt", b""), ("html", b"<!DOCTYPE html>"),
                           ("pdf", b"%PDF-")):
            data = (tmp_path / ("%s.%s" % (stem, ext))).read_bytes()
            assert data.startswith(magic) and data, (stem, ext)
        pngs = list(tmp_path.glob(stem + "-*.png"))
        assert (len(pngs) >= 1) == has("cairo"), stem
