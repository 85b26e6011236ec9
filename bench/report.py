#!/usr/bin/env python3
"""Turns bench/out/* (written by bench/run.sh) into bench/RESULTS.md.

  report.py OUTDIR RESULTS.md
"""
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys


def load_jsonl(p):
    rows = []
    if os.path.exists(p):
        for line in open(p):
            line = line.strip()
            if line:
                rows.append(json.loads(line))
    return rows


def key(r):
    return r["format"] + ("" if r["format"] not in ("pdf",) else " (%s)" % r["engine"])


def fmt_ms(v):
    if v is None:
        return "–"
    return "%.3f" % v if v < 1 else "%.2f" % v if v < 100 else "%.0f" % v


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True,
                              timeout=20).stdout.strip()
    except Exception:
        return ""


def main():
    out, dest = sys.argv[1], sys.argv[2]
    L = []
    w = L.append
    corpus = load_jsonl(os.path.join(out, "lib-corpus.jsonl"))
    subset = {key(r): r for r in load_jsonl(os.path.join(out, "lib-subset.jsonl"))
              if "error" not in r}
    ext = json.load(open(os.path.join(out, "ext.json"))) if os.path.exists(
        os.path.join(out, "ext.json")) else {}
    cpu = sh("lscpu | sed -n 's/^Model name: *//p'")
    w("# quire benchmark results")
    w("")
    w("Written by `make bench` (bench/run.sh → bench/report.py) on %s UTC. Machine: %s, "
      "%s online cores, %s. Everything below comes from this one run; no number was "
      "edited by hand." % (datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M"),
                           cpu or platform.processor(), os.cpu_count(),
                           platform.platform()))
    w("")
    la = os.getloadavg()
    w("Load average when the report was written: %.1f / %.1f / %.1f (1/5/15 min) on %s "
      "cores. A load above the core count means other work shared the machine and every "
      "time below is inflated by it; compare ratios taken in the same run, not absolute "
      "numbers across runs." % (la[0], la[1], la[2], os.cpu_count()))
    w("")
    w("Tools: %s; %s; %s; %s; %s; %s." % (
        sh("weasyprint --version") or "WeasyPrint missing",
        sh("wkhtmltopdf --version") or "wkhtmltopdf missing",
        sh("chromium --version") or "Chromium missing",
        (sh("pandoc --version").splitlines() or ["pandoc missing"])[0],
        sh("hyperfine --version") or "hyperfine missing",
        "node " + (sh("node --version") or "missing")))
    w("")
    w("## quire, library: the 1,000-report corpus")
    w("")
    w("`bench/bench.c` links libquire and times `quire_doc_parse` + `quire_render_buf` "
      "to memory per report (one untimed warm-up render first, which loads fonts and "
      "templates once per process). The corpus comes from `bench/gen_corpus.py` (seed "
      "20260318): 60% v2 (json sections + markdown), 25% legacy sections, 15% markdown "
      "only; 3–70 sections, long-tailed. Reports/s are parse+render over the corpus on "
      "1 and on 2 threads.")
    w("")
    w("| format | median ms/report | p95 ms | parse median ms | render median ms | "
      "reports/s, 1 core | reports/s, 2 cores | mean output bytes |")
    w("|---|---:|---:|---:|---:|---:|---:|---:|")
    lib = {}
    for r in corpus:
        if "error" in r:
            w("| %s | %s (QUIRE_E %d) | | | | | | |" % (key(r), r["error"], r["code"]))
            continue
        lib[key(r)] = r
        w("| %s | %s | %s | %s | %s | %.0f | %.0f | %.0f |" % (
            key(r), fmt_ms(r["total_ms_median"]), fmt_ms(r["total_ms_p95"]),
            fmt_ms(r["parse_ms_median"]), fmt_ms(r["render_ms_median"]),
            r["rps_1"], r["rps_2"], r["bytes_mean"]))
    w("")

    # Per sample.
    per = {}
    cases = []
    p = os.path.join(out, "lib-samples.tsv")
    if os.path.exists(p):
        for line in open(p):
            f, _, js = line.rstrip("\n").partition("\t")
            if not js.strip():
                continue
            r = json.loads(js)
            k = key(r)
            if k not in cases:
                cases.append(k)
            per.setdefault(f, {})[k] = r
    if per:
        w("## quire, library: each sample")
        w("")
        w("Median ms per report (parse + render) and output bytes.")
        w("")
        w("| sample | " + " | ".join(cases) + " |")
        w("|---|" + "---:|" * len(cases))
        for f in sorted(per):
            cells = []
            for k in cases:
                r = per[f].get(k)
                if not r or "error" in r:
                    cells.append(r["error"] if r else "–")
                else:
                    cells.append("%s ms, %.0f B" % (fmt_ms(r["total_ms_median"]), r["bytes_mean"]))
            w("| `%s` | %s |" % (f, " | ".join(cells)))
        w("")

    # CLI.
    w("## quire, whole process (CLI)")
    w("")
    w("`quire render -f FMT -o FILE samples/v2/sales_playbook.json`, timed with "
      "hyperfine (30 runs, 3 warm-up, no shell); peak RSS from `/usr/bin/time -v`.")
    w("")
    w("| format | mean ms | ± σ | peak RSS MB |")
    w("|---|---:|---:|---:|")
    rss = {}
    p = os.path.join(out, "rss.tsv")
    if os.path.exists(p):
        for line in open(p):
            c, _, v = line.rstrip("\n").partition("\t")
            if v.strip():
                rss[c] = int(v) / 1024.0
    p = os.path.join(out, "cli.tsv")
    cli = {}
    if os.path.exists(p):
        for line in open(p):
            parts = line.rstrip("\n").split("\t")
            c = parts[0]
            if parts[1] == "unsupported":
                w("| %s | unsupported | | |" % c)
                continue
            if parts[1] == "hyperfine" and os.path.exists(parts[2]):
                hr = json.load(open(parts[2]))["results"][0]
                mean, sd = hr["mean"] * 1e3, hr["stddev"] * 1e3
            else:
                mean, sd = float(parts[2]) / 1e3 if parts[1] == "loop" else None, None
            cli[c] = mean
            w("| %s | %s | %s | %s |" % (c, fmt_ms(mean), fmt_ms(sd),
                                         "%.1f" % rss[c] if c in rss else "–"))
    w("")
    p = os.path.join(out, "batch.tsv")
    if os.path.exists(p):
        w("Batch CLI over the whole corpus as NDJSON (`quire render -j N --ndjson`, "
          "each output written atomically with fsync):")
        w("")
        w("| format | -j | wall s | reports/s | exit | files |")
        w("|---|---:|---:|---:|---:|---:|")
        for line in open(p):
            f, j, ms, st, n = line.split()
            w("| %s | %s | %.2f | %.0f | %s | %s |" % (f, j, int(ms) / 1e3,
                                                       1000 / (int(ms) / 1e3), st, n))
        w("")

    # Comparison.
    names = ext.get("names", [])
    md_names = ext.get("md_names", [])
    w("## Against the tools people use instead")
    w("")
    w("Same run, same reports: a fixed subset of %d reports (the first %d of the corpus "
      "plus every sample), because the other tools take up to a second per report. "
      "The HTML-to-PDF tools get quire's own HTML of each report. Ratios are the "
      "tool's median per report over quire's median per report (parse + render, "
      "library) on the same subset; above 1 means quire is faster." % (
          len(names), len([n for n in names if n.startswith("c")])))
    w("")
    w("| tool | how | median ms | p95 ms | vs quire PDF (cairo) | vs quire PDF (haru) | "
      "median PDF bytes | note |")
    w("|---|---|---:|---:|---:|---:|---:|---|")
    qc = subset.get("pdf (cairo)")
    qh = subset.get("pdf (haru)")

    def ratio(t, q):
        if not t or not q:
            return "–"
        return "%.0f×" % (t["median_ms"] / q["total_ms_median"])

    for k in ("weasyprint", "wkhtmltopdf", "chromium_cold", "chromium_warm"):
        t = ext.get(k)
        if not t:
            continue
        st = t.get("stats")
        sz = list(t.get("sizes", {}).values())
        w("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
            k.replace("_", " "), t.get("mode", ""),
            fmt_ms(st["median_ms"]) if st else "–", fmt_ms(st["p95_ms"]) if st else "–",
            ratio(st, qc), ratio(st, qh),
            "%.0f" % statistics.median(sz) if sz else "–",
            ("skipped: " + t["error"]) if t.get("error") else ""))
    for k, label in (("pdf (cairo)", "quire PDF, cairo"), ("pdf (haru)", "quire PDF, haru")):
        q = subset.get(k)
        if q:
            w("| **%s** | library, parse + render | %s | %s | 1× | | %.0f (mean) | |" % (
                label, fmt_ms(q["total_ms_median"]), fmt_ms(q["total_ms_p95"]),
                q["bytes_mean"]))
    w("")
    w("Markdown (%d reports of the subset that have markdown): pandoc converts only the "
      "markdown (`-f gfm`), quire renders the whole report; both one process per report."
      % len(md_names))
    w("")
    w("| tool | median ms | p95 ms | vs quire process | vs quire library |")
    w("|---|---:|---:|---:|---:|")
    for k, qk, lk in (("pandoc_html", "quire_proc_html", "html"),
                      ("pandoc_plain", "quire_proc_text", "text")):
        t, q = ext.get(k, {}), ext.get(qk, {})
        st, qs = t.get("stats"), q.get("stats")
        lq = subset.get(lk)
        w("| %s | %s | %s | %s | %s |" % (
            k.replace("_", " → "), fmt_ms(st["median_ms"]) if st else "–",
            fmt_ms(st["p95_ms"]) if st else "–",
            "%.1f×" % (st["median_ms"] / qs["median_ms"]) if st and qs else "–",
            "%.0f×" % (st["median_ms"] / lq["total_ms_median"]) if st and lq else "–"))
        if qs:
            w("| quire %s (process) | %s | %s | 1× | |" % (
                lk, fmt_ms(qs["median_ms"]), fmt_ms(qs["p95_ms"])))
        if t.get("error"):
            w("| (%s skipped: %s) | | | | |" % (k, t["error"]))
    w("")

    # Targets.
    w("## Targets from issue 8")
    w("")
    w("| target | measured | status |")
    w("|---|---|---|")
    rows = []
    cw = (ext.get("chromium_warm") or {}).get("stats")
    wp = (ext.get("weasyprint") or {}).get("stats")
    for lab, q in (("cairo", qc), ("haru", qh)):
        if q and cw:
            r = cw["median_ms"] / q["total_ms_median"]
            rows.append(("PDF (%s) ≥ 50× faster than warm Chromium per report" % lab,
                         "%.0f× (Chromium %s ms, quire %s ms)" % (
                             r, fmt_ms(cw["median_ms"]), fmt_ms(q["total_ms_median"])),
                         "met" if r >= 50 else "**missed**"))
        else:
            rows.append(("PDF (%s) ≥ 50× faster than warm Chromium" % lab, "not measured",
                         "**not measured**"))
        if q and wp:
            r = wp["median_ms"] / q["total_ms_median"]
            rows.append(("PDF (%s) ≥ 200× faster than WeasyPrint per report" % lab,
                         "%.0f× (WeasyPrint %s ms, quire %s ms)" % (
                             r, fmt_ms(wp["median_ms"]), fmt_ms(q["total_ms_median"])),
                         "met" if r >= 200 else "**missed**"))
        else:
            rows.append(("PDF (%s) ≥ 200× faster than WeasyPrint" % lab, "not measured",
                         "**not measured**"))
    h = lib.get("html")
    if h:
        rows.append(("HTML ≥ 5,000 reports/s per core (corpus, parse + render)",
                     "%.0f reports/s on 1 core, %.0f on 2" % (h["rps_1"], h["rps_2"]),
                     "met" if h["rps_1"] >= 5000 else "**missed**"))
        # The same target read as rendering an already-parsed document (a
        # backend that renders one report to several formats parses once).
        rr = 1000.0 / h["render_ms_median"] if h.get("render_ms_median") else 0
        rows.append(("HTML ≥ 5,000 reports/s per core (corpus, render of a parsed document)",
                     "%.0f reports/s (1 / median render time %s ms)" % (rr, fmt_ms(h["render_ms_median"])),
                     "met" if rr >= 5000 else "**missed**"))
    else:
        rows.append(("HTML ≥ 5,000 reports/s per core", "not measured", "**not measured**"))
    for c in ("pdf:cairo", "pdf:haru"):
        if c in rss:
            rows.append(("CLI peak RSS for one PDF (%s) < 40 MB" % c.split(":")[1],
                         "%.1f MB" % rss[c], "met" if rss[c] < 40 else "**missed**"))
        else:
            rows.append(("CLI peak RSS for one PDF (%s) < 40 MB" % c.split(":")[1],
                         "not measured", "**not measured**"))
    cws = (ext.get("chromium_warm") or {}).get("sizes") or (
        ext.get("chromium_cold") or {}).get("sizes") or {}
    for lab, d in (("cairo", "subset-pdf"), ("haru", "subset-pdf-haru")):
        qs = {}
        for n in names:
            fp = os.path.join(out, d, n + ".pdf")
            if os.path.exists(fp):
                qs[n] = os.path.getsize(fp)
        both = [n for n in names if n in qs and n in cws]
        if both:
            smaller = sum(1 for n in both if qs[n] < cws[n])
            mq = statistics.median(qs[n] for n in both)
            mc = statistics.median(cws[n] for n in both)
            rows.append(("quire PDF (%s) smaller than Chromium's for the same report" % lab,
                         "smaller for %d of %d reports; median %.0f B vs %.0f B" % (
                             smaller, len(both), mq, mc),
                         "met" if smaller == len(both) else "**missed**"))
        else:
            rows.append(("quire PDF (%s) smaller than Chromium's" % lab, "not measured",
                         "**not measured**"))
    for r in rows:
        w("| %s | %s | %s |" % r)
    w("")
    notes = os.path.join(os.path.dirname(os.path.abspath(__file__)), "notes.md")
    if os.path.exists(notes):
        w(open(notes).read().rstrip())
        w("")
    open(dest, "w").write("\n".join(L) + "\n")


if __name__ == "__main__":
    main()
