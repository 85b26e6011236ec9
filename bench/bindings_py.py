#!/usr/bin/env python3
"""Reports per second through the Python binding: parse (from bytes in
memory) + render to bytes, per report, the loop of bindings_c.c.

  bindings_py.py -f FMT [-e ENGINE] [-t SECONDS] [-j THREADS] FILE...

Prints one JSON object. Run with Debian's /usr/bin/python3 (python3-cffi);
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


if __name__ == "__main__":
    main()
