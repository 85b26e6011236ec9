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


def version(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True,
                              timeout=20).stdout.strip()
    except OSError:
        return "?"


def main():
    src, dest, before, after, reports, rounds, secs = sys.argv[1:8]
    rows = [json.loads(x) for x in open(src) if x.strip()]
    # (format, runner, threads) -> [reports/s per round]
    got = {}
    for r in rows:
        if "error" in r:
            continue
        fmt = r["format"]
        if r["runner"] == "c":
            got.setdefault((fmt, "c", 1), []).append(r["rps_1"])
            got.setdefault((fmt, "c", 2), []).append(r["rps_2"])
        else:
            got.setdefault((fmt, r["runner"], r["threads"]), []).append(r["rps"])
    med = {k: statistics.median(v) for k, v in got.items()}
    names = [("c", 1, "C (bench/bench.c), 1 thread"),
             ("python", 1, "Python, 1 thread"),
             ("node-sync", 1, "Node, parseSync + renderSync"),
             ("node-async", 1, "Node, await parse + render, 1 in flight"),
             ("c", 2, "C, 2 threads"),
             ("python", 2, "Python, 2 threads"),
             ("node-async", 2, "Node, await parse + render, 2 in flight")]
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
    w("Load average (1/5/15 min) before the run: %s; after: %s. Other work on "
      "the machine inflates every time below; the ratios to C are taken from "
      "the same interleaved rounds, so they hold better than the absolute "
      "numbers." % (before, after))
    w("")
    w("Each measurement parses report JSON already in memory and renders it "
      "to memory, report after report, over the first %s reports of the "
      "benchmark corpus (bench/gen_corpus.py) in whole passes, for %s s, "
      "after one warm-up render. The bindings return the output as a "
      "Python `bytes` / a Node `Buffer` (a copy); C reuses one buffer. "
      "Every runner ran in each of %s interleaved rounds; the table gives "
      "the median reports per second." % (reports, secs, rounds))
    w("")
    w("| runner | HTML reports/s | vs C | PDF (cairo) reports/s | vs C |")
    w("|---|---:|---:|---:|---:|")
    for runner, th, label in names:
        cells = []
        for fmt in ("html", "pdf"):
            v = med.get((fmt, runner, th))
            c = med.get((fmt, "c", th))
            if v is None:
                cells += ["–", "–"]
                continue
            cells.append("%.0f" % v)
            cells.append("%+.1f %%" % ((v / c - 1) * 100) if c else "–")
        w("| %s | %s |" % (label, " | ".join(cells)))
    w("")
    w("Resident memory of the binding processes after the warm-up → at the "
      "end of their last round (KiB): a leak per report would show as growth "
      "with the number of reports rendered.")
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
    w("Spread over the rounds (min–max reports/s):")
    w("")
    for (fmt, runner, th), v in sorted(got.items()):
        w("- %s, %s, %d: %.0f–%.0f (%d rounds)" % (fmt, runner, th, min(v),
                                                  max(v), len(v)))
    open(dest, "w").write("\n".join(L) + "\n")


if __name__ == "__main__":
    main()
