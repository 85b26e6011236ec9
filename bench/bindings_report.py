#!/usr/bin/env python3
"""Turns bench/out/bindings.jsonl (bench/bindings.sh) into bench/BINDINGS.md.

  bindings_report.py JSONL OUT.md LOAD_BEFORE LOAD_AFTER REPORTS ROUNDS SECONDS
"""
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys

RUNNERS = [("c", 1, "C (bench/bindings_c.c), 1 thread"),
           ("python", 1, "Python, 1 thread"),
           ("node-sync", 1, "Node, parseSync + renderSync"),
           ("node-async", 1, "Node, await parse + render, 1 in flight"),
           ("c", 2, "C, 2 threads"),
           ("python", 2, "Python, 2 threads"),
           ("node-async", 2, "Node, await parse + render, 2 in flight")]


def version(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True,
                              timeout=20).stdout.strip()
    except OSError:
        return "?"


def table(w, med, metric, title):
    w("| %s | HTML | vs C | PDF (cairo) | vs C |" % title)
    w("|---|---:|---:|---:|---:|")
    for runner, th, label in RUNNERS:
        cells = []
        for fmt in ("html", "pdf"):
            v = med.get((metric, fmt, runner, th))
            c = med.get((metric, fmt, "c", th))
            if v is None:
                cells += ["–", "–"]
                continue
            cells.append("%.0f" % v if v >= 10 else "%.1f" % v)
            cells.append("%+.1f %%" % ((v / c - 1) * 100) if c else "–")
        w("| %s | %s |" % (label, " | ".join(cells)))
    w("")


def main():
    src, dest, before, after, reports, rounds, secs = sys.argv[1:8]
    rows = [json.loads(x) for x in open(src) if x.strip()]
    got = {}  # (metric, format, runner, threads) -> [value per round]
    for r in rows:
        if r.get("failed"):
            print("bindings_report: %s had failures" % r, file=sys.stderr)
        for metric in ("rps", "rpcpus"):
            if metric in r:
                got.setdefault((metric, r["format"], r["runner"],
                                r["threads"]), []).append(r[metric])
    med = {k: statistics.median(v) for k, v in got.items()}
    L = []
    w = L.append
    w("# quire bindings: throughput against the C library")
    w("")
    w("Written by `bench/bindings.sh` (part of `make bench`) on %s UTC; %s "
      "online cores; %s; Python %s (cffi), Node %s (koffi). No number was "
      "edited by hand." % (
          datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M"),
          os.cpu_count(), platform.platform(),
          platform.python_version(), version(["node", "--version"])))
    w("")
    w("Load average (1/5/15 min) before the run: %s; after: %s. On %s cores, "
      "a load above that means other work shared the machine: wall-clock "
      "rates are then inflated by it, while reports per CPU second (the "
      "process's own CPU time, every thread counted) hold much better." % (
          before, after, os.cpu_count()))
    w("")
    w("Each measurement parses report JSON already in memory and renders it "
      "to memory, report after report, with the same loop in each language "
      "(`bench/bindings_c.c`, `bindings_py.py`, `bindings_node.js`): the "
      "first %s reports of the benchmark corpus (`bench/gen_corpus.py`) in "
      "whole passes for %s s, after one warm-up render. The bindings hand "
      "the output over as a Python `bytes` / a Node `Buffer` (one copy). "
      "Every runner ran in each of %s interleaved rounds; the tables give "
      "medians." % (reports, secs, rounds))
    w("")
    w("## Reports per CPU second (the cost of the boundary)")
    w("")
    table(w, med, "rpcpus", "runner")
    w("## Reports per second (wall clock)")
    w("")
    table(w, med, "rps", "runner")
    w("Resident memory of the binding processes after the warm-up → at the "
      "end of their last round: a leak per report would show as growth with "
      "the number of reports rendered.")
    w("")
    last = {}
    for r in rows:
        if r.get("runner") != "c" and "rss_kib_start" in r:
            last[(r["format"], r["runner"], r["threads"])] = r
    for (fmt, runner, th), r in sorted(last.items()):
        w("- %s, %s, %d: %d → %d KiB after %d reports" % (
            fmt, runner, th, r["rss_kib_start"], r["rss_kib_end"],
            r["reports"]))
    w("")
    w("Spread over the rounds (min–max):")
    w("")
    for (metric, fmt, runner, th), v in sorted(got.items()):
        w("- %s %s, %s, %d: %.0f–%.0f" % (
            fmt, "reports/CPU s" if metric == "rpcpus" else "reports/s",
            runner, th, min(v), max(v)))
    open(dest, "w").write("\n".join(L) + "\n")


if __name__ == "__main__":
    main()
