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

RUNNERS = [("c", 2, "C (bench/bindings_c.c), 2 threads"),
           ("python", 2, "Python, 2 threads"),
           ("node-async", 2, "Node, await parse + render, 2 in flight")]
PAIRED = [("python", "Python (cffi), one thread"),
          ("node-sync", "Node, parseSync + renderSync"),
          ("node-async", "Node, await parse + await render, 1 in flight")]


def paired_table(w, rows, key, title):
    """Per runner and format: the C library's and the binding's reports per
    second of CPU (or wall) time, and the binding's overhead: the median
    over every pair of passes of binding time / C time - 1."""
    w("| %s | HTML: C | binding | overhead | PDF: C | binding | overhead |"
      % title)
    w("|---|---:|---:|---:|---:|---:|---:|")
    for runner, label in PAIRED:
        cells = []
        for fmt in ("html", "pdf"):
            rs = [r for r in rows if r.get("mode") == "paired"
                  and r["runner"] == runner and r["format"] == fmt]
            if not rs:
                cells += ["–"] * 3
                continue
            c = [x for r in rs for x in r["c_" + key]]
            b = [x for r in rs for x in r["binding_" + key]]
            n = rs[0]["per_pass"]
            ratios = [y / x for x, y in zip(c, b) if x > 0]
            cells.append(rate(n / statistics.median(c)))
            cells.append(rate(n / statistics.median(b)))
            cells.append("%+.1f %%" % ((statistics.median(ratios) - 1) * 100))
        w("| %s | %s |" % (label, " | ".join(cells)))
    w("")


def instructions(ir_dir):
    """(runner, format) -> {"c": Ir, "binding": Ir} from callgrind's dumps
    (bench/bindings.sh: DIR/RUNNER-FORMAT.N, one per bracket)."""
    out = {}
    if not ir_dir or not os.path.isdir(ir_dir):
        return out
    for name in sorted(os.listdir(ir_dir)):
        stem, _, n = name.rpartition(".")
        if n == "json":
            try:
                meta = json.load(open(os.path.join(ir_dir, name)))
            except ValueError:
                continue
            out.setdefault((meta["runner"], meta["format"]), {})[
                "reports"] = meta["ir_passes"] * meta["per_pass"]
            continue
        if not n.isdigit() or "-" not in stem:
            continue
        runner, fmt = stem.rsplit("-", 1)
        side = total = None
        for line in open(os.path.join(ir_dir, name), errors="replace"):
            if line.startswith("desc: Trigger: Client Request: "):
                side = line.split(": ")[-1].strip()
            elif line.startswith("totals: "):
                total = int(line.split()[1])
        if side in ("c", "binding") and total:
            out.setdefault((runner, fmt), {})[side] = total
    return out


def ir_table(w, ir):
    w("| instructions per report | HTML: C | binding | overhead "
      "| PDF: C | binding | overhead |")
    w("|---|---:|---:|---:|---:|---:|---:|")
    for runner, label in PAIRED:
        cells = []
        for fmt in ("html", "pdf"):
            v = ir.get((runner, fmt), {})
            if "c" not in v or "binding" not in v or not v.get("reports"):
                cells += ["–"] * 3
                continue
            n = v["reports"]
            cells.append("%.2f M" % (v["c"] / n / 1e6))
            cells.append("%.2f M" % (v["binding"] / n / 1e6))
            cells.append("%+.1f %%" % ((v["binding"] / v["c"] - 1) * 100))
        w("| %s | %s |" % (label, " | ".join(cells)))
    w("")


def rate(v):
    return "%.0f" % v if v >= 10 else "%.1f" % v


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
    pdf_reports = sys.argv[8] if len(sys.argv) > 8 else reports
    ir = instructions(sys.argv[9] if len(sys.argv) > 9 else None)
    rows = [json.loads(x) for x in open(src) if x.strip()]
    got = {}  # (metric, format, runner, threads) -> [value per round]
    for r in rows:
        if r.get("failed"):
            print("bindings_report: %s had failures" % r, file=sys.stderr)
        for metric in ("rps", "rpcpus"):
            if metric in r and r.get("mode") != "paired":
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
    w("Load average (1/5/15 min) before the run: %s; after: %s, on %s "
      "cores: a load above the core count means other work shared the "
      "machine while this ran." % (before, after, os.cpu_count()))
    w("")
    w("Per report, every runner parses report JSON already in memory and "
      "renders it to memory with one renderer built up front, the same "
      "loop in each language (`bench/bindings_pass.c` and "
      "`bindings_c.c`, `bindings_py.py`, `bindings_node.js`), over the "
      "first %s reports of the benchmark corpus (`bench/gen_corpus.py`) "
      "for HTML and the first %s for PDF (cairo). The bindings hand the "
      "output over as a Python `bytes` / a Node `Buffer` (one copy)." % (
          reports, pdf_reports))
    w("")
    w("## The cost of the boundary: paired passes in one process")
    w("")
    w("On a machine shared with other work, two processes measured seconds "
      "apart do not see the same machine, and their difference is mostly "
      "that. So each binding's runner loads the C loop "
      "(`bench/bindings_pass.c`, one call per pass) next to libquire and, "
      "in one thread, alternates a pass over the reports through the C "
      "library and a pass through the binding, taking turns at going "
      "first, for %s s in each of %s rounds interleaved with the other "
      "runners. The overhead is the median over all pairs of (binding's "
      "time / C's time − 1): the load weighs on both halves of a pair "
      "alike. The rates are reports per second of the medians of each "
      "side's pass times. CPU time is the thread's own for Python and the "
      "process's (every thread, koffi's pool included) for Node." % (
          secs, rounds))
    w("")
    paired_table(w, rows, "cpu", "per CPU second")
    paired_table(w, rows, "wall", "per wall second")
    w("## Instructions per report (callgrind: independent of the load)")
    w("")
    if ir:
        w("The same runners under `valgrind --tool=callgrind "
          "--instr-atstart=no`, after their warm-up passes (three for "
          "Node, so V8 has compiled the loop), count the instructions of "
          "each side's passes (HTML: two passes over the %s reports; PDF: "
          "one over the first 4), every thread of the process included "
          "(V8's and koffi's). Time on a shared machine moves with the "
          "load; these counts do not, though they do not see cache misses "
          "or thread hand-offs' waits. Node's include V8's background "
          "threads (garbage collection, compilation), which run when they "
          "run: a few percent either way in a Node row can be theirs (a "
          "trial of Node async PDF on its four reports counted 575 M for C "
          "and 620 M through the binding after three warm-up passes, and "
          "620 M and 627 M after ten)."
          % reports)
        w("")
        ir_table(w, ir)
    else:
        w("Not measured: valgrind or its headers "
          "(`/usr/include/valgrind/callgrind.h`) are missing.")
        w("")
    w("## Two at once, separate processes")
    w("")
    w("Two threads (Python, C) or two reports in flight (Node) over the "
      "same reports in whole passes for %s s, each runner its own process, "
      "in each of the %s rounds; medians over the rounds. These compare "
      "processes measured at different moments, so on a loaded machine "
      "they carry its noise (see the spread below); the paired table above "
      "is the measure of the boundary." % (secs, rounds))
    w("")
    table(w, med, "rpcpus", "reports per CPU second")
    table(w, med, "rps", "reports per wall second")
    w("Resident memory of the binding processes after the warm-up → at the "
      "end of their last round: a leak per report would show as growth with "
      "the number of reports rendered.")
    w("")
    last = {}
    for r in rows:
        if r.get("runner") != "c" and "rss_kib_start" in r:
            last[(r["format"], r["runner"] + (
                " paired" if r.get("mode") == "paired" else ""),
                r["threads"])] = r
    for (fmt, runner, th), r in sorted(last.items()):
        n = r["reports"] if "reports" in r else 2 * r["pairs"] * r["per_pass"]
        w("- %s, %s, %d: %d → %d KiB after %d reports" % (
            fmt, runner, th, r["rss_kib_start"], r["rss_kib_end"], n))
    w("")
    w("Spread over the rounds (min–max):")
    w("")
    for (metric, fmt, runner, th), v in sorted(got.items()):
        w("- %s %s, %s, %d: %.0f–%.0f" % (
            fmt, "reports/CPU s" if metric == "rpcpus" else "reports/s",
            runner, th, min(v), max(v)))
    for runner, _ in PAIRED:
        for fmt in ("html", "pdf"):
            per_round = []
            for r in rows:
                if r.get("mode") == "paired" and r["runner"] == runner \
                        and r["format"] == fmt:
                    ratios = [y / x for x, y in
                              zip(r["c_cpu"], r["binding_cpu"]) if x > 0]
                    per_round.append((statistics.median(ratios) - 1) * 100)
            if per_round:
                w("- %s paired CPU overhead, %s, median of each round: %s" % (
                    fmt, runner,
                    ", ".join("%+.1f %%" % x for x in per_round)))
    open(dest, "w").write("\n".join(L) + "\n")


if __name__ == "__main__":
    main()
