#!/usr/bin/env python3
"""Turns bench/out/compare.json (written by bench/compare.py) into
bench/RESULTS.md. No number on the page is typed by hand.

  report.py OUTDIR RESULTS.md
"""
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys

L = []
w = L.append


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True,
                              timeout=20).stdout.strip()
    except Exception:
        return ""


def ms(v):
    if v is None:
        return "–"
    return "%.3f" % v if v < 1 else "%.2f" % v if v < 100 else "%.0f" % v


def mmm(s, f=ms):
    """median (min–max)"""
    if not s:
        return "–"
    return "%s (%s–%s)" % (f(s["median"]), f(s["min"]), f(s["max"]))


def mb(v):
    return "%.1f" % v


def mach(m):
    if not m:
        return "–"
    return "load %.1f → %.1f, idle cores %.1f before, %.1f during" % (
        m["load_before"], m["load_after"], m["idle_cores_before"] or 0,
        m["idle_cores_during"] or 0)


def numeric(c):
    c = str(c).strip("*")
    return not c or c[0].isdigit() or c[0] in "–-"


def table(head, rows):
    """Columns of numbers align right, text left."""
    w("| " + " | ".join(head) + " |")
    w("|" + "|".join("---:" if i and all(numeric(r[i]) for r in rows) else "---"
                     for i in range(len(head))) + "|")
    for r in rows:
        w("| " + " | ".join(str(c) for c in r) + " |")
    w("")


def paired(rows, a, b):
    """Median over the reports both tools did of a's time over b's."""
    pa, pb = rows[a].get("per_report", {}), rows[b].get("per_report", {})
    r = [pa[n] / pb[n] for n in pa if n in pb and pb[n] > 0]
    return statistics.median(r) if r else None


def per_report(runs_rows, label):
    return runs_rows[label].get("per_report") or {}


def header(res):
    cpu = sh("lscpu | sed -n 's/^Model name: *//p'")
    n = res["ncpu"]
    w("# quire benchmark results")
    w("")
    w("Written by `make bench` (bench/run.sh → bench/compare.py → bench/report.py) on %s UTC "
      "in %.0f s. Machine: %s, %d online cores, %s. Everything below comes from this one run; "
      "no number was edited by hand." % (
          datetime.datetime.utcfromtimestamp(res["finished"]).strftime("%Y-%m-%d %H:%M"),
          res["finished"] - res["started"], cpu or platform.processor(), n,
          platform.platform()))
    w("")
    secs = [(k, v["machine"]) for k, v in section_list(res)]
    busy = [k for k, m in secs if (m["idle_cores_before"] or 0) < n - 0.5]
    worst = max((m["load_before"] for _, m in secs), default=0)
    if busy:
        w("**This run did not have the machine to itself.** Before %d of %d sections fewer "
          "than %.1f cores were idle (highest load average seen: %.1f on %d cores): other "
          "work shared the CPUs, every wall time is inflated by it and scaling is capped by "
          "it. Instruction counts (callgrind) and CPU times are the numbers to compare across "
          "runs; the ratios below are fair only because every tool was timed in the same "
          "interleaved rounds. Sections run on a busy machine: %s." % (
              len(busy), len(secs), n - 0.5, worst, n, ", ".join(busy)))
    else:
        w("The machine was quiet: at least %.1f of %d cores were idle before every section "
          "(highest load average seen: %.1f)." % (n - 0.5, n, worst))
    w("")
    params = res.get("params") or {k: os.environ[k] for k in (
        "SUBSET_CORPUS", "CORPUS_SLOW", "LIB_SECONDS", "LIB_ROUNDS", "PROC_ROUNDS",
        "CLI_ROUNDS", "BATCH_ROUNDS", "SPIN", "SKIP") if k in os.environ}
    if params:
        w("Run with settings other than the defaults (bench/compare.py): %s." % ", ".join(
            "%s=%s" % kv for kv in sorted(params.items())))
        w("")
    w("Tools: %s; %s; %s; %s; node %s; %s." % (
        sh("weasyprint --version") or "WeasyPrint missing",
        sh("wkhtmltopdf --version") or "wkhtmltopdf missing",
        sh("chromium --version") or "Chromium missing",
        (sh("pandoc --version").splitlines() or ["pandoc missing"])[0],
        sh("node --version") or "missing",
        (sh("valgrind --version") or "valgrind missing")))
    w("")


def section_list(res):
    out = []
    for r in res.get("lib_corpus", []):
        out.append(("library corpus %s (%s)" % (r.get("format"), r.get("engine")), r))
    for k in ("lib_samples", "instructions", "cli", "batch", "lib_pdf", "proc_pdf", "proc_md"):
        if k in res:
            out.append((k, res[k]))
    return out


def lib_by(res):
    return {"%s:%s" % (r["format"], r["engine"]): r for r in res.get("lib_corpus", [])
            if "format" in r}


def targets(res):
    w("## Targets (issue 15)")
    w("")
    w("Each row says where its number comes from; the sections below give the detail.")
    w("")
    rows = []
    cli = (res.get("cli") or {}).get("rows", {})
    ver = cli.get("quire help", {}).get("cpu_ms")

    def why_start(total):
        # Start-up is the reason only when it is: since the cairo stack became a
        # module loaded on first use, `help` is a small part of a PDF.
        if not ver:
            return ""
        if ver["median"] * 2 >= total:
            return ("`quire help` alone takes %s ms CPU: start-up (loading and relocating "
                    "shared libraries) is most of it" % ms(ver["median"]))
        return ("`quire help` alone takes %s ms CPU; the rest is loading the cairo module "
                "and its fonts and the render itself (the library rows below)"
                % ms(ver["median"]))

    def row(target, measured, ok, why):
        rows.append((target, measured, "met" if ok else "**missed**", "" if ok else why))

    for k, lim, lab in (("pdf:cairo", 15, "one PDF (cairo)"), ("text:cairo", 5, "text"),
                        ("html:cairo", 5, "HTML")):
        c = cli.get(k, {}).get("cpu_ms")
        if c:
            row("whole CLI, %s ≤ %d ms CPU" % (lab, lim), "%s ms CPU median (min %s, max %s)" % (
                ms(c["median"]), ms(c["min"]), ms(c["max"])), c["median"] <= lim,
                why_start(c["median"]))
    samples = (res.get("lib_samples") or {}).get("rows", {})
    one = samples.get("samples/v2/sales_playbook.json", {})
    pages = {e: cli.get("pdf:" + e, {}).get("pages") for e in ("cairo", "haru")}
    for e, lim in (("cairo", 3), ("haru", 8)):
        r = one.get("pdf:" + e)
        if r and "total_ms" in r:
            fast = min((s["pdf:" + e]["cpu_ms"][0] for s in samples.values()
                        if "pdf:" + e in s and "total_ms" in s["pdf:" + e]), default=None)
            # CPU time: a busy machine inflates the wall time, not this.
            row("library PDF (%s) ≤ %d ms (sales_playbook, %s pages)" % (e, lim, pages[e]),
                "%s ms CPU median (wall %s ms)" % (ms(r["cpu_ms"][0]), ms(r["total_ms"][0])),
                r["cpu_ms"][0] <= lim,
                "the fastest sample takes %s ms CPU; where the time goes: the notes at the "
                "end" % ms(fast))
    lp = (res.get("lib_pdf") or {}).get("rows", {})
    if "quire cairo" in lp and (lp.get("chromium warm") or {}).get("ms"):
        r = paired(lp, "chromium warm", "quire cairo")
        rm = lp["chromium warm"]["ms"]["median"] / lp["quire cairo"]["ms"]["median"]
        row("library PDF (cairo) ≥ 50× warm Chromium, same run", "%.0f× (paired median over "
            "%d reports; %.0f× medians)" % (r, len(lp["quire cairo"]["per_report"]), rm),
            r >= 50, "Chromium %s ms against quire %s ms per report" % (
                ms(lp["chromium warm"]["ms"]["median"]), ms(lp["quire cairo"]["ms"]["median"])))
    else:
        rows.append(("library PDF (cairo) ≥ 50× warm Chromium", "not measured",
                     "**not measured**", (lp.get("chromium warm") or {}).get("error") or ""))
    lib = lib_by(res)
    for k, lim, lab in (("html:cairo", 5000, "HTML"), ("text:cairo", 6000, "text")):
        r = lib.get(k)
        if r and "rps_cpu_1" in r:
            share = r["parse_ms_median"] / r["total_ms"][0] if r["total_ms"][0] else 0
            ir = ((res.get("instructions") or {}).get("corpus_pass") or {}).get(k)
            row("library %s, parse + render, 1,000-report corpus ≥ %s reports per CPU-second" % (
                lab, format(lim, ",")), "%.0f per CPU-second%s" % (
                    r["rps_cpu_1"], " (%s M instructions a pass)" % format(round(ir / 1e6), ",")
                    if ir else ""),
                r["rps_cpu_1"] >= lim,
                "parsing is %.0f%% of the median report (%s of %s ms); measured at %s" % (
                    100 * share, ms(r["parse_ms_median"]), ms(r["total_ms"][0]),
                    mach(r.get("machine"))))
    for e in ("cairo", "haru"):
        c = cli.get("pdf:" + e, {}).get("rss_mb")
        if c:
            row("CLI peak RSS, one PDF (%s) ≤ 20 MB" % e, "%s MB" % mb(c["median"]),
                c["median"] <= 20, "see the CLI table: shared libraries and fonts mapped")
    b = (res.get("batch") or {}).get("rows", {}).get("pdf -j2")
    if b:
        row("CLI peak RSS, batch -j2 PDF ≤ 30 MB", "%s MB (1,000 reports)" % mb(b["rss_mb"]["median"]),
            b["rss_mb"]["median"] <= 30, "two renders in flight, each with its own font maps")
    table(["target", "measured", "status", "why, when missed"], rows)


def lib_pdf(res):
    lp = res.get("lib_pdf")
    if not lp:
        return
    rows = lp["rows"]
    n = len(lp["names"])
    w("## Library against library: PDF")
    w("")
    w("Each tool kept warm in its own process (quire through libquire in `bench/bench.c -s`, "
      "Chromium as one browser and one page over DevTools, WeasyPrint in the driver's own "
      "Python), one untimed warm-up each, then %d reports × %s rounds, interleaved: every tool "
      "renders a report before the next report starts. quire gets the report JSON (parse + "
      "render); Chromium and WeasyPrint get quire's HTML of the same report, so they skip the "
      "parse and the templating. Times are wall, inside each tool's process, the output's "
      "write excluded. %s." % (n, os.environ.get("LIB_ROUNDS", "3"), mach(lp["machine"])))
    w("")
    ref = rows.get("quire cairo", {}).get("outputs", {})
    out = []
    for label, r in rows.items():
        o = r.get("outputs", {})
        pg = [o[k]["pages"] for k in o if o[k].get("pages")]
        more = sum(1 for k in o if k in ref and (o[k].get("pages") or 0) > (ref[k].get("pages") or 0))
        out.append((label, r.get("how", ""), mmm(r.get("ms")),
                    "%.0f×" % paired(rows, label, "quire cairo")
                    if r.get("per_report") and rows.get("quire cairo", {}).get("per_report") else "–",
                    "%.0f" % statistics.median(o[k]["bytes"] for k in o) if o else "–",
                    "%d" % sum(pg) if pg else "–",
                    "%d of %d" % (more, len(o)) if o and label != "quire cairo" else "",
                    ("skipped: " + r["error"]) if r.get("error") else ""))
    table(["tool", "how", "ms per report: median (min–max)", "× quire cairo (paired median)",
           "median PDF bytes", "pages, all reports", "reports on more pages than quire cairo",
           "note"], out)


def proc_pdf(res):
    pp = res.get("proc_pdf")
    if not pp:
        return
    rows = pp["rows"]
    w("## Process against process: PDF")
    w("")
    w("One process per report for every tool, %d reports × %s rounds, interleaved. Wall and "
      "CPU (user + sys of the process and the children it waited for) from `wait4`, peak RSS "
      "likewise. quire reads the report JSON; the others read quire's HTML of it. %s." % (
          len(pp["names"]), os.environ.get("PROC_ROUNDS", "2"), mach(pp["machine"])))
    w("")
    q = rows.get("quire cairo", {})
    out = []
    for label, r in rows.items():
        o = r.get("outputs", {})
        pg = [o[k]["pages"] for k in o if o[k].get("pages")]
        rat = (r["ms"]["median"] / q["ms"]["median"]) if r.get("ms") and q.get("ms") else None
        out.append((label, r.get("how", ""), mmm(r.get("ms")), mmm(r.get("cpu_ms")),
                    mb(r["rss_mb"]["median"]) if r.get("rss_mb") else "–",
                    "%.1f×" % rat if rat else "–",
                    "%.0f" % statistics.median(o[k]["bytes"] for k in o) if o else "–",
                    "%d" % sum(pg) if pg else "–",
                    ("skipped: " + r["error"]) if r.get("error") and not r.get("ms") else
                    ("%d failed: %s" % (r["failed"], r["error"])) if r.get("failed") else ""))
    table(["tool", "how", "wall ms: median (min–max)", "CPU ms: median (min–max)",
           "peak RSS MB", "wall × quire cairo", "median PDF bytes", "pages, all reports", "note"],
          out)
    md = res.get("proc_md")
    if md:
        w("Markdown: pandoc converts only each report's markdown (`-f gfm`), quire renders the "
          "whole report from its JSON; one process per report, %d reports, interleaved. %s." % (
              len(md["names"]), mach(md["machine"])))
        w("")
        r = md["rows"]
        out = []
        for k in r:
            base = "quire html" if "html" in k else "quire text"
            rat = r[k]["ms"]["median"] / r[base]["ms"]["median"] if r[k].get("ms") and r[base].get("ms") else None
            out.append((k, mmm(r[k]["ms"]), mmm(r[k]["cpu_ms"]), "%.1f×" % rat if rat else "–"))
        table(["tool", "wall ms: median (min–max)", "CPU ms: median (min–max)",
               "wall × quire, same format"], out)


def lib_corpus(res):
    rows = res.get("lib_corpus") or []
    if not rows:
        return
    w("## quire, library: the 1,000-report corpus")
    w("")
    w("`bench/bench.c` links libquire and times `quire_doc_parse` + `quire_render_buf` to memory "
      "per report, after one untimed warm-up render (fonts and templates load once per "
      "process). The corpus comes from `bench/gen_corpus.py` (seed 20260318): 60% v2 (json "
      "sections + markdown), 25% legacy sections, 15% markdown only; 3–70 sections, "
      "long-tailed. Reports per CPU-second = renders over their summed thread CPU time on one "
      "thread. Scaling = reports/s on two threads over one; the control is a spinning process "
      "alone against two at once, run right after: it is what the machine could give, and a "
      "scaling well below it is quire's own limit.")
    w("")
    out, mrows = [], []
    for r in rows:
        k = "%s (%s)" % (r.get("format"), r.get("engine")) if r.get("format") == "pdf" else r.get("format")
        if "error" in r:
            out.append((k, r["error"]) + ("",) * 8)
            continue
        sc = r["rps_wall_2"] / r["rps_wall_1"] if r["rps_wall_1"] else 0
        ctl = r["control"]["scaling"]
        flag = ("**below the control**" if sc < ctl - 0.15 else "") if ctl >= 1.6 else \
            "no claim: the control got %.2f×" % ctl
        out.append((k, mmm({"median": r["total_ms"][0], "min": r["total_ms"][1],
                            "max": r["total_ms"][2]}),
                    ms(r["parse_ms_median"]), ms(r["render_ms_median"]),
                    "%.0f" % r["rps_cpu_1"], "%.0f" % r["rps_wall_1"], "%.0f" % r["rps_wall_2"],
                    "%.2f× (control %.2f×) %s" % (sc, ctl, flag), "%.0f" % r["bytes_mean"],
                    "%d × %d" % (r["reports"], r["passes"])))
        mrows.append((k, mach(r["machine"])))
    table(["format", "ms per report: median (min–max)", "parse median ms", "render median ms",
           "reports per CPU-second", "reports/s, 1 thread", "reports/s, 2 threads",
           "scaling", "mean bytes", "reports × passes"], out)
    table(["format", "machine during the measurement"], mrows)


def lib_samples(res):
    s = res.get("lib_samples")
    if not s or not s["rows"]:
        return
    cases = sorted({k for r in s["rows"].values() for k in r},
                   key=lambda k: ["text", "html", "pdf", "png"].index(k.split(":")[0]) * 2 +
                   (k.endswith("haru")))
    w("## quire, library: each sample")
    w("")
    w("Median ms per report (parse + render) and output bytes; %s." % mach(s["machine"]))
    w("")
    out = []
    for f in sorted(s["rows"]):
        cells = []
        for k in cases:
            r = s["rows"][f].get(k)
            cells.append("–" if not r else r.get("error") or "%s ms, %.0f B" % (
                ms(r["total_ms"][0]), r["bytes_mean"]))
        out.append(["`%s`" % f] + cells)
    table(["sample"] + [k.replace(":cairo", "") if not k.startswith("pdf") else k for k in cases], out)


def cli(res):
    c = res.get("cli")
    if not c:
        return
    ir = (res.get("instructions") or {}).get("cli", {})
    w("## quire CLI: one report")
    w("")
    w("`quire render -q -f FMT [--pdf-engine E] -o FILE %s`, each command once per round, %s "
      "rounds interleaved, against `quire help` (start-up alone: `--version` loads libcurl) and an empty process. Wall and CPU "
      "(user + sys) and peak RSS from `wait4`; instructions from one run under `valgrind "
      "--tool=callgrind` (repeatable whatever else runs). %s." % (
          c["report"], os.environ.get("CLI_ROUNDS", "30"), mach(c["machine"])))
    w("")
    out = []
    for k, r in c["rows"].items():
        out.append((k, mmm(r["ms"]), mmm(r["cpu_ms"]), mb(r["rss_mb"]["median"]),
                    "{:,}".format(ir[k]) if ir.get(k) else "–",
                    r.get("pages") or "", r["failed"] or ""))
    table(["command", "wall ms: median (min–max)", "CPU ms: median (min–max)", "peak RSS MB",
           "instructions", "pages", "failed"], out)
    lib = (res.get("instructions") or {}).get("lib", {})
    if lib:
        w("Instructions of one library render of the same report (parse + render, after the "
          "warm-up; the difference between 4 renders and none, over 4):")
        w("")
        table(["format", "instructions per render"],
              [(k, "{:,.0f}".format(v) if v else "–") for k, v in lib.items()])
    pas = (res.get("instructions") or {}).get("corpus_pass", {})
    if pas:
        n = (res.get("instructions") or {}).get("reports")
        w("Instructions of one pass over the %s-report corpus (parse + render of every report, "
          "after the warm-up; one pass minus none), the work behind the throughput targets:" % (
              format(n, ",") if n else "?"))
        w("")
        table(["format", "instructions per pass", "per report"],
              [(k, "{:,.0f}".format(v) if v else "–",
                "{:,.0f}".format(v / n) if v and n else "–") for k, v in pas.items()])


def batch(res):
    b = res.get("batch")
    if not b:
        return
    rows = b["rows"]
    ctl = rows.get("control", {}).get("scaling")
    w("## quire CLI: batch")
    w("")
    w("`quire render -q -j N -f FMT -o DIR --ndjson corpus.ndjson` over the %d reports (each "
      "output written atomically), -j1 and -j2 interleaved, %s rounds, with the spinning "
      "control in each round (two spinners against one: %s). %s." % (
          b["reports"], os.environ.get("BATCH_ROUNDS", "2"),
          mmm(ctl, lambda v: "%.2f×" % v), mach(b["machine"])))
    w("")
    out = []
    for f in ("html", "pdf"):
        one, two = rows.get(f + " -j1"), rows.get(f + " -j2")
        for j, r in ((1, one), (2, two)):
            if not r:
                continue
            sc = ""
            if j == 2 and one and ctl:
                s = one["ms"]["median"] / r["ms"]["median"]
                c = ctl["median"]
                sc = "%.2f× (control %.2f×)%s" % (
                    s, c, (" **below the control**" if s < c - 0.15 else "") if c >= 1.6
                    else " no claim: the control got %.2f×" % c)
            out.append(("%s -j%d" % (f, j), mmm(r["ms"]), mmm(r["cpu_ms"]),
                        "%.0f" % (b["reports"] / (r["ms"]["median"] / 1e3)),
                        "%.0f" % (b["reports"] / (r["cpu_ms"]["median"] / 1e3)),
                        mb(r["rss_mb"]["median"]), sc,
                        ", ".join(str(x) for x in r["exit"]),
                        ", ".join(str(x) for x in r["files"])))
    table(["batch", "wall ms: median (min–max)", "CPU ms: median (min–max)", "reports/s",
           "reports per CPU-second", "peak RSS MB", "scaling -j2/-j1", "exit", "files"], out)


def machine(res):
    w("## The machine, section by section")
    w("")
    w("Idle cores before: a 1 s sample of /proc/stat with nothing of the benchmark running. "
      "During: the same over the section, the benchmark's own work included (a one-thread "
      "section on a quiet 2-core machine leaves about 1 idle).")
    w("")
    table(["section", "seconds", "load before → after", "idle cores before", "idle cores during"],
          [(k, "%.0f" % v["machine"]["seconds"], "%.1f → %.1f" % (
              v["machine"]["load_before"], v["machine"]["load_after"]),
            "%.2f" % (v["machine"]["idle_cores_before"] or 0),
            "%.2f" % (v["machine"]["idle_cores_during"] or 0)) for k, v in section_list(res)])


def main():
    out, dest = sys.argv[1], sys.argv[2]
    res = json.load(open(os.path.join(out, "compare.json")))
    header(res)
    targets(res)
    lib_pdf(res)
    proc_pdf(res)
    lib_corpus(res)
    lib_samples(res)
    cli(res)
    batch(res)
    machine(res)
    notes = os.path.join(os.path.dirname(os.path.abspath(__file__)), "notes.md")
    if os.path.exists(notes):
        w(open(notes).read().rstrip())
        w("")
    open(dest, "w").write("\n".join(L) + "\n")


if __name__ == "__main__":
    main()
