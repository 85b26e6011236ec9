"""Threads: the GIL is released inside libquire, and concurrent renders of
one document and one Renderer give exactly the serial output.

How fast N threads go is for `make bench`; these tests assert behaviour
only (with generous hang guards)."""

import ctypes
import threading
import time

import quire
from conftest import big_report, pdf_engine, sample, supported


def _inside(call, margin_ns):
    """Runs call() on a thread and returns how many distinct readings of
    that thread's CPU clock the main thread took strictly inside the call
    (margin_ns of the thread's CPU time from either end)."""
    state = {}
    ready = threading.Event()
    release = threading.Event()
    done = threading.Event()

    def worker():
        clock = time.pthread_getcpuclockid(threading.get_ident())
        state["clock"] = clock
        ready.set()
        try:
            state["t0"] = time.clock_gettime_ns(clock)
            call()
            state["t1"] = time.clock_gettime_ns(clock)
        finally:
            done.set()
            # Stay alive until the main thread stops reading this thread's
            # clock: the clock of a thread that has exited is invalid.
            release.wait(120)

    t = threading.Thread(target=worker)
    t.start()
    assert ready.wait(30)
    samples = []
    try:
        while not done.is_set():
            samples.append(time.clock_gettime_ns(state["clock"]))
    finally:
        release.set()
        t.join(120)
    t0, t1 = state["t0"], state["t1"]
    assert t1 - t0 > 4 * margin_ns, "call too short to observe"
    return len({s for s in samples if t0 + margin_ns < s < t1 - margin_ns})


def test_python_runs_while_a_render_is_inside_libquire():
    """While one thread is inside quire_render_buf, the main thread runs
    Python: it reads that thread's CPU clock at moments strictly inside the
    call (5 ms of its CPU time from either end). Were the GIL held for the
    call, the main thread could not run at all in that span."""
    doc = quire.parse(big_report(8))
    r = quire.Renderer(engine=pdf_engine())
    out = {}

    def render():
        out["pdf"] = r.render(doc, "pdf")

    assert _inside(render, 5_000_000) >= 2
    assert out["pdf"].startswith(b"%PDF-")


def test_parse_releases_the_gil_and_the_check_would_see_it_held():
    """quire.parse lets Python run during the parse; the same parse through
    ctypes.PyDLL, which keeps the GIL, lets nothing run: the observation
    tells the two apart."""
    raw = big_report(120)  # one call of ~0.1 s
    assert _inside(lambda: quire.parse(raw).close(), 2_000_000) >= 2
    held = ctypes.PyDLL(quire.library_path())
    held.quire_doc_parse.argtypes = [ctypes.POINTER(ctypes.c_void_p),
                                     ctypes.c_char_p, ctypes.c_size_t,
                                     ctypes.c_void_p, ctypes.c_void_p]
    held.quire_doc_free.argtypes = [ctypes.c_void_p]
    out = ctypes.c_void_p()

    def parse_holding_the_gil():
        assert held.quire_doc_parse(ctypes.byref(out), raw, len(raw), None,
                                    None) == 0

    assert _inside(parse_holding_the_gil, 2_000_000) == 0
    held.quire_doc_free(out)


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
