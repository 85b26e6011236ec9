#!/usr/bin/env python3
"""Reports per second through the Python binding: parse (from bytes in
memory) + render to bytes, per report, the loop of bindings_c.c.

  bindings_py.py -f FMT [-e ENGINE] [-t SECONDS] [-j THREADS] FILE...
  bindings_py.py -p LIBBINDINGS_PASS.so -f FMT [-e ENGINE] [-t SECONDS] FILE...

Prints one JSON object. With -p (paired), one thread alternates a pass of
the C loop (bench/bindings_pass.c, called once per pass) and a pass of
this loop over the same reports, taking turns at going first, and reports
each side's CPU time per pass (time.thread_time: this thread alone).
With -p and -i N, under valgrind --tool=callgrind --instr-atstart=no: N
passes of each side, each side bracketed for callgrind (bench_ir_begin /
bench_ir_end), which dumps its instruction count. Run with Debian's /usr/bin/python3 (python3-cffi);
QUIRE_LIBRARY and PYTHONPATH=bindings/python come from bench/bindings.sh.
"""
import argparse
import json
import os
import threading
import time

import quire


def rss_kib():
    """Resident memory now (not the peak), from /proc."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * (os.sysconf("SC_PAGE_SIZE") // 1024)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-f", dest="fmt", required=True)
    ap.add_argument("-e", dest="engine", default="cairo")
    ap.add_argument("-t", dest="seconds", type=float, default=3.0)
    ap.add_argument("-j", dest="threads", type=int, default=1)
    ap.add_argument("-p", dest="pass_lib")
    ap.add_argument("-i", dest="ir_passes", type=int, default=0)
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    data = []
    for path in a.files:
        with open(path, "rb") as f:
            data.append(f.read())
    r = quire.Renderer(engine=a.engine)
    # Warm-up: fonts and templates load once per process, as in bench.c.
    with quire.parse(data[0]) as d:
        r.render(d, a.fmt)

    if a.pass_lib:
        paired(a, data, r)
        return
    rss0 = rss_kib()
    lock = threading.Lock()
    state = {"next": 0, "done": 0, "bytes": 0}
    deadline = time.perf_counter() + a.seconds

    def worker():
        while True:
            with lock:
                i = state["next"]
                state["next"] += 1
            # Whole passes over the inputs until the time is spent.
            if i >= len(data) and time.perf_counter() > deadline:
                return
            with quire.parse(data[i % len(data)]) as d:
                out = r.render(d, a.fmt)
            with lock:
                state["done"] += 1
                state["bytes"] += len(out)

    t0 = time.perf_counter()
    c0 = time.process_time()
    ts = [threading.Thread(target=worker) for _ in range(a.threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    wall = time.perf_counter() - t0
    cpu = time.process_time() - c0
    print(json.dumps({"runner": "python", "format": a.fmt, "engine": a.engine,
                      "threads": a.threads, "reports": state["done"],
                      "seconds": round(wall, 3), "cpu_seconds": round(cpu, 3),
                      "rps": round(state["done"] / wall, 2),
                      "rpcpus": round(state["done"] / cpu, 2) if cpu else 0,
                      "bytes_mean": state["bytes"] / max(1, state["done"]),
                      "rss_kib_start": rss0, "rss_kib_end": rss_kib()}))


def paired(a, data, r):
    from quire import ffi
    ffi.cdef("int bench_pass_init(int engine);"
             "long long bench_pass(const char *blob, const uint32_t *off,"
             " size_t n, int fmt);"
             "void bench_ir_begin(void); void bench_ir_end(const char *);")
    c = ffi.dlopen(a.pass_lib)
    if c.bench_pass_init(1 if a.engine == "haru" else 0) != 0:
        raise SystemExit("bindings_py: bench_pass_init failed")
    blob = b"".join(data)
    offs = [0]
    for d in data:
        offs.append(offs[-1] + len(d))
    cblob = ffi.from_buffer(blob)
    coff = ffi.new("uint32_t[]", offs)
    fmt = quire._cdef.FORMATS[a.fmt]

    def c_pass():
        if c.bench_pass(cblob, coff, len(data), fmt) < 0:
            raise SystemExit("bindings_py: a C pass failed")

    def py_pass():
        for d in data:
            with quire.parse(d) as doc:
                r.render(doc, a.fmt)

    c_pass()  # warm both loops over every report once
    py_pass()
    if a.ir_passes:
        for name, fn in (("c", c_pass), ("binding", py_pass)):
            c.bench_ir_begin()
            for _ in range(a.ir_passes):
                fn()
            c.bench_ir_end(name.encode())
        print(json.dumps({"runner": "python", "format": a.fmt,
                          "ir_passes": a.ir_passes, "per_pass": len(data)}))
        return
    rss0 = rss_kib()
    sides = {"c": [], "binding": []}
    walls = {"c": [], "binding": []}
    deadline = time.perf_counter() + a.seconds
    k = 0
    while k < 4 or time.perf_counter() < deadline:
        order = (("c", c_pass), ("binding", py_pass))
        for name, fn in (order if k % 2 == 0 else order[::-1]):
            w0, c0 = time.perf_counter(), time.thread_time()
            fn()
            sides[name].append(time.thread_time() - c0)
            walls[name].append(time.perf_counter() - w0)
        k += 1
    print(json.dumps({"runner": "python", "mode": "paired",
                      "format": a.fmt, "engine": a.engine, "threads": 1,
                      "per_pass": len(data), "pairs": k,
                      "c_cpu": sides["c"], "binding_cpu": sides["binding"],
                      "c_wall": walls["c"], "binding_wall": walls["binding"],
                      "rss_kib_start": rss0, "rss_kib_end": rss_kib()}))


if __name__ == "__main__":
    main()
