"""Threads: the GIL is released inside libquire (shown without any timing:
a call blocked on a FIFO that only the main Python thread serves), and
concurrent renders of one document and one Renderer give exactly the
serial output.

How fast N threads go is for `make bench`; these tests assert behaviour
only (with generous hang guards)."""

import json
import os
import subprocess
import sys
import threading
import time

import pytest

import quire
from conftest import PKG, big_report, pdf_engine, sample, supported


# Run in a child process, so that a GIL held inside libquire makes the
# child hang (and be killed at the timeout) instead of the test suite. The
# worker thread is inside libquire, blocked on a FIFO that only the main
# Python thread serves: the call can return only if the main thread runs
# Python while it is in progress, which it can only do if the call
# released the GIL. No timing is involved.
_FIFO_CHILD = r"""
import ctypes, fcntl, json, os, select, sys, threading
import quire

kind, held, fifo, report = sys.argv[1], sys.argv[2] == "held", sys.argv[3], sys.argv[4]
os.mkfifo(fifo)
raw = open(report, "rb").read()
state = {"inside_when_served": None}
done = threading.Event()

if held:
    # The same C calls through ctypes.PyDLL, which keeps the GIL.
    quire.version()  # loads libquire, so that library_path() names it
    dll = ctypes.PyDLL(quire.library_path())
    class Sink(ctypes.Structure):
        _fields_ = [("write", ctypes.c_void_p), ("payload", ctypes.c_void_p)]
    dll.quire_doc_parse.argtypes = [ctypes.POINTER(ctypes.c_void_p),
        ctypes.c_char_p, ctypes.c_size_t, ctypes.c_void_p, ctypes.c_void_p]
    dll.quire_doc_parse_file.argtypes = [ctypes.POINTER(ctypes.c_void_p),
        ctypes.c_char_p, ctypes.c_void_p, ctypes.c_void_p]
    dll.quire_atomic_open.argtypes = [ctypes.POINTER(ctypes.c_void_p),
        ctypes.c_char_p, ctypes.c_void_p]
    dll.quire_atomic_sink.argtypes = [ctypes.c_void_p]
    dll.quire_atomic_sink.restype = Sink
    dll.quire_atomic_commit.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    dll.quire_render.argtypes = [ctypes.c_void_p, ctypes.c_int,
        ctypes.c_void_p, Sink, ctypes.c_void_p]

def work():
    try:
        if kind == "parse" and not held:
            state["doc"] = quire.parse_file(fifo)
        elif kind == "parse":
            d = ctypes.c_void_p()
            assert dll.quire_doc_parse_file(ctypes.byref(d), fifo.encode(), None, None) == 0
        elif not held:
            quire.Renderer().render_to(fifo, quire.parse(raw), "html")
        else:
            d = ctypes.c_void_p()
            assert dll.quire_doc_parse(ctypes.byref(d), raw, len(raw), None, None) == 0
            a = ctypes.c_void_p()
            assert dll.quire_atomic_open(ctypes.byref(a), fifo.encode(), None) == 0
            assert dll.quire_render(d, 2, None, dll.quire_atomic_sink(a), None) == 0
            assert dll.quire_atomic_commit(a, None) == 0
    finally:
        done.set()

if kind == "parse":
    t = threading.Thread(target=work)
    t.start()
    # Opening for writing completes only once the worker's fopen(), inside
    # quire_doc_parse_file, has opened the other end.
    fd = os.open(fifo, os.O_WRONLY)
    state["inside_when_served"] = not done.is_set()
    view = memoryview(raw)
    while view:
        view = view[os.write(fd, view[:4096]):]
    os.close(fd)
    t.join()
    ok = state["doc"].title if "doc" in state else "?"
    print(json.dumps({"inside": state["inside_when_served"], "bytes": len(raw),
                      "title": ok}))
else:
    rfd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        fcntl.fcntl(rfd, 1031, 4096)  # F_SETPIPE_SZ: the writer blocks sooner
    except OSError:
        pass
    t = threading.Thread(target=work)
    t.start()
    got = []
    while True:
        select.select([rfd], [], [], 0.05)
        try:
            chunk = os.read(rfd, 65536)
        except BlockingIOError:
            continue
        if chunk:
            if state["inside_when_served"] is None:
                state["inside_when_served"] = not done.is_set()
            got.append(chunk)
        elif done.is_set():
            break  # EOF after the writer closed
    t.join()
    out = b"".join(got)
    want = quire.render(quire.parse(raw), "html")
    print(json.dumps({"inside": state["inside_when_served"], "bytes": len(out),
                      "same": out == want}))
"""


def _fifo_child(tmp_path, kind, held, timeout):
    script = tmp_path / "child.py"
    script.write_text(_FIFO_CHILD)
    report = tmp_path / "report.json"
    report.write_bytes(big_report(8))
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [PKG] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    return subprocess.run(
        [sys.executable, str(script), kind, "held" if held else "free",
         str(tmp_path / "fifo"), str(report)],
        capture_output=True, timeout=timeout, env=env, check=True)


def test_render_releases_the_gil(tmp_path):
    """A worker renders (through a Renderer) into a FIFO whose pipe holds
    4 KiB; only the main Python thread reads it. The render finishes, with
    every byte the simple call gives, and the main thread's first read
    happened while the worker was still inside libquire."""
    p = _fifo_child(tmp_path, "render", False, 300)
    r = json.loads(p.stdout)
    assert r["same"] and r["bytes"] > 65536, r
    assert r["inside"] is True, r


def test_parse_releases_the_gil(tmp_path):
    """quire.parse_file on a FIFO that only the main Python thread writes
    (a 4 KiB chunk at a time, the report being far larger): the parse
    returns the document, so Python ran while libquire was reading."""
    p = _fifo_child(tmp_path, "parse", False, 300)
    r = json.loads(p.stdout)
    assert r["inside"] is True and r["bytes"] > 65536, r
    assert r["title"] != "?", r


def test_the_fifo_check_sees_a_held_gil(tmp_path):
    """The control: the same render and parse through ctypes.PyDLL, which
    keeps the GIL, never finish (the main thread cannot run to serve the
    FIFO), so the child is killed at the timeout."""
    for kind in ("render", "parse"):
        d = tmp_path / kind
        d.mkdir()
        with pytest.raises(subprocess.TimeoutExpired):
            _fifo_child(d, kind, True, 5)


def test_concurrent_renders_match_serial():
    """Threads rendering one Document with one Renderer get the serial
    bytes, every time, for every format this build has."""
    doc = quire.parse_file(sample("v2/general_report.json"))
    other = quire.parse_file(sample("legacy/all_blocks.json"))
    r = quire.Renderer(engine=pdf_engine())
    fmts = [f for f in ("text", "html", "pdf", "png") if supported(f, pdf_engine())]
    expect = {(id(d), f): r.render(d, f) for d in (doc, other) for f in fmts
              if f != "pdf"}
    pdf_len = {id(d): len(r.render(d, "pdf")) for d in (doc, other)}
    errors = []
    lock = threading.Lock()

    def worker(k):
        try:
            for i in range(6):
                d = (doc, other)[(k + i) % 2]
                f = fmts[(k + i) % len(fmts)]
                out = r.render(d, f)
                if f == "pdf":  # carries its creation time
                    ok = out.startswith(b"%PDF-") and abs(len(out) - pdf_len[id(d)]) < 64
                else:
                    ok = out == expect[(id(d), f)]
                if not ok:
                    with lock:
                        errors.append((k, i, f))
        except BaseException as e:  # pragma: no cover - reported below
            with lock:
                errors.append(e)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert not any(t.is_alive() for t in threads)
    assert errors == []


def test_close_while_rendering_is_safe():
    """close() during a render on another thread defers the free."""
    doc = quire.parse(big_report(4))
    r = quire.Renderer(engine=pdf_engine())
    out = {}
    go = threading.Event()

    def worker():
        go.set()
        out["pdf"] = r.render(doc, "pdf")

    t = threading.Thread(target=worker)
    t.start()
    go.wait(30)
    time.sleep(0.01)
    doc.close()
    t.join(120)
    assert doc.closed
    assert out.get("pdf", b"").startswith(b"%PDF-")
