#!/usr/bin/env python3
"""Runs the tools people use instead of quire over the same reports, timing
each report, and writes one JSON object (bench/run.sh feeds it to
report.py).

  ext.py OUT.json WORKDIR QUIRE HTMLDIR MDDIR JSONDIR NAMES...

NAMES are report base names: HTMLDIR/NAME.html is quire's HTML of that
report (the input for the HTML-to-PDF tools), MDDIR/NAME.md its markdown
(pandoc), JSONDIR/NAME.json the report (quire's whole-process timings).
Each tool is skipped, with the reason recorded, when it is missing or fails.
"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

TIMEOUT = 120


def stats(ms):
    if not ms:
        return None
    s = sorted(ms)
    return {"n": len(s), "median_ms": statistics.median(s),
            "p95_ms": s[min(len(s) - 1, int(round(0.95 * (len(s) - 1))))],
            "mean_ms": statistics.fmean(s)}


def run_each(cmd_for, names, outdir, ext):
    """Times one process per report; returns (ms list, sizes dict, error)."""
    os.makedirs(outdir, exist_ok=True)
    ms, sizes = [], {}
    for n in names:
        out = os.path.join(outdir, n + "." + ext)
        cmd = cmd_for(n, out)
        t = time.perf_counter()
        try:
            p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               timeout=TIMEOUT)
        except (OSError, subprocess.TimeoutExpired) as e:
            return ms, sizes, "%s: %s" % (cmd[0], e)
        dt = (time.perf_counter() - t) * 1e3
        if p.returncode != 0 or not os.path.exists(out):
            err = p.stderr.decode("utf-8", "replace").strip().splitlines()
            return ms, sizes, "%s exited %d: %s" % (cmd[0], p.returncode,
                                                   err[-1] if err else "")
        ms.append(dt)
        sizes[n] = os.path.getsize(out)
    return ms, sizes, None


def tool(res, key, fn):
    print("bench: %s ..." % key, file=sys.stderr, flush=True)
    try:
        ms, sizes, err, extra = fn()
    except Exception as e:  # a broken tool must not sink the whole run
        ms, sizes, err, extra = [], {}, "%s" % e, {}
    res[key] = {"stats": stats(ms), "sizes": sizes, "error": err}
    res[key].update(extra or {})


def main():
    out_json, work, quire, htmldir, mddir, jsondir = sys.argv[1:7]
    names = sys.argv[7:]
    md_names = [n for n in names
                if os.path.exists(os.path.join(mddir, n + ".md"))
                and os.path.getsize(os.path.join(mddir, n + ".md")) > 0]
    res = {"names": names, "md_names": md_names}
    H = lambda n: os.path.join(htmldir, n + ".html")

    def weasy():
        if not shutil.which("weasyprint"):
            return [], {}, "weasyprint is not installed", {}
        # In-process, after one untimed warm-up document: the fairest case
        # for WeasyPrint (no Python start-up per report).
        from weasyprint import HTML  # noqa: E402
        d = os.path.join(work, "weasyprint")
        os.makedirs(d, exist_ok=True)
        HTML(filename=H(names[0])).write_pdf(os.path.join(d, "warmup.pdf"))
        os.unlink(os.path.join(d, "warmup.pdf"))
        ms, sizes = [], {}
        for n in names:
            out = os.path.join(d, n + ".pdf")
            t = time.perf_counter()
            HTML(filename=H(n)).write_pdf(out)
            ms.append((time.perf_counter() - t) * 1e3)
            sizes[n] = os.path.getsize(out)
        return ms, sizes, None, {"mode": "in-process Python API, warm"}

    def wk():
        exe = shutil.which("wkhtmltopdf")
        if not exe:
            return [], {}, "wkhtmltopdf is not installed", {}
        env_note = "one process per report, QT_QPA_PLATFORM=offscreen"
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        ms, sizes, err = run_each(
            lambda n, o: [exe, "-q", "--enable-local-file-access", H(n), o],
            names, os.path.join(work, "wkhtmltopdf"), "pdf")
        return ms, sizes, err, {"mode": env_note}

    def cold():
        exe = shutil.which("chromium")
        if not exe:
            return [], {}, "chromium is not installed", {}
        base = tempfile.mkdtemp(prefix="quire-bench-chromium-")
        counter = [0]

        def cmd(n, o):
            counter[0] += 1
            prof = os.path.join(base, "p%d" % counter[0])
            return [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--user-data-dir=" + prof, "--no-pdf-header-footer",
                    "--print-to-pdf=" + o, "file://" + os.path.abspath(H(n))]
        try:
            ms, sizes, err = run_each(cmd, names, os.path.join(work, "chromium-cold"), "pdf")
        finally:
            shutil.rmtree(base, ignore_errors=True)
        return ms, sizes, err, {"mode": "one process and fresh profile per report"}

    def warm():
        here = os.path.dirname(os.path.abspath(__file__))
        if not os.path.isdir(os.path.join(here, "node_modules", "playwright-core")):
            return [], {}, "playwright-core is not installed in bench/node_modules", {}
        d = os.path.join(work, "chromium-warm")
        os.makedirs(d, exist_ok=True)
        p = subprocess.run(["node", os.path.join(here, "chromium_warm.js"), d] +
                           [os.path.abspath(H(n)) for n in names],
                           capture_output=True, timeout=600)
        if p.returncode != 0:
            return [], {}, "chromium_warm.js: " + p.stderr.decode()[-300:], {}
        r = json.loads(p.stdout)
        return r["ms"], dict(zip(names, r["bytes"])), None, {
            "mode": "one browser, one page, DevTools page.pdf() per report",
            "launch_ms": r["launch_ms"]}

    def pandoc(to, ext):
        def fn():
            exe = shutil.which("pandoc")
            if not exe:
                return [], {}, "pandoc is not installed", {}
            ms, sizes, err = run_each(
                lambda n, o: [exe, "-f", "gfm", "-t", to, "-o", o,
                              os.path.join(mddir, n + ".md")],
                md_names, os.path.join(work, "pandoc-" + to), ext)
            return ms, sizes, err, {"mode": "one process per report (markdown only)"}
        return fn

    def quire_proc(fmt, ext):
        def fn():
            ms, sizes, err = run_each(
                lambda n, o: [quire, "render", "-q", "-f", fmt, "-o", o,
                              os.path.join(jsondir, n + ".json")],
                md_names, os.path.join(work, "quire-proc-" + fmt), ext)
            return ms, sizes, err, {"mode": "one quire process per report (whole report)"}
        return fn

    tool(res, "weasyprint", weasy)
    tool(res, "wkhtmltopdf", wk)
    tool(res, "chromium_cold", cold)
    tool(res, "chromium_warm", warm)
    tool(res, "pandoc_html", pandoc("html5", "html"))
    tool(res, "pandoc_plain", pandoc("plain", "txt"))
    tool(res, "quire_proc_html", quire_proc("html", "html"))
    tool(res, "quire_proc_text", quire_proc("text", "txt"))
    with open(out_json, "w") as f:
        json.dump(res, f, indent=1)


if __name__ == "__main__":
    main()
