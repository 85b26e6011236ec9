#!/usr/bin/env python3
"""Every timed measurement of `make bench`, written to OUT/compare.json for
report.py. Run by bench/run.sh after it has built the driver, generated the
corpus and the subset, and rendered quire's HTML of the subset.

  compare.py OUT QUIRE BENCH MEASURE

Rules this file keeps (issue 15):
- library against library and process against process, never mixed;
- rounds interleaved: each round runs every tool once on a report before
  the next report, so a burst of load from elsewhere hits every tool alike;
- medians with min and max, never a mean ± σ;
- every section records the load average and the idle cores before it (a
  1 s sample with nothing of ours running) and while it ran;
- scaling claims come with a control: a spinning process alone, then two at
  once, in the same minute; their ratio is what the machine could give.

Environment: LIB_SECONDS (budget per corpus measurement), CLI_ROUNDS,
BATCH_ROUNDS, PROC_ROUNDS, LIB_ROUNDS, SPIN (control rounds), SKIP (comma-
separated sections to leave out, for quick checks).
"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

OUT, QUIRE, BENCH, MEASURE = sys.argv[1:5]
HERE = os.path.dirname(os.path.abspath(__file__))
NCPU = os.cpu_count() or 1
ENV = os.environ.get
SKIP = set(filter(None, ENV("SKIP", "").split(",")))
CASES = [("text", "cairo"), ("html", "cairo"), ("pdf", "cairo"), ("pdf", "haru"),
         ("png", "cairo")]
EXT = {"text": "txt", "html": "html", "pdf": "pdf", "png": "png"}
ONE = "samples/v2/sales_playbook.json"


def log(msg):
    print("bench: " + msg, file=sys.stderr, flush=True)


def stats(v):
    v = [x for x in v if x is not None]
    if not v:
        return None
    return {"n": len(v), "median": statistics.median(v), "min": min(v), "max": max(v)}


# --- the machine -------------------------------------------------------------

def cpu_snapshot():
    with open("/proc/stat") as f:
        vals = [int(x) for x in f.readline().split()[1:]]
    return vals[3] + vals[4], sum(vals[:8])  # idle + iowait, all but guest


def idle_cores(a, b):
    di, dt = b[0] - a[0], b[1] - a[1]
    return NCPU * di / dt if dt > 0 else None


class Section:
    """Load and idle cores around one measurement."""

    def __init__(self, name):
        self.name = name

    def __enter__(self):
        log(self.name)
        a = cpu_snapshot()
        time.sleep(1.0)
        self.info = {"load_before": os.getloadavg()[0],
                     "idle_cores_before": idle_cores(a, cpu_snapshot())}
        self.t0, self.s0 = time.time(), cpu_snapshot()
        return self

    def __exit__(self, *exc):
        self.info.update({"idle_cores_during": idle_cores(self.s0, cpu_snapshot()),
                          "load_after": os.getloadavg()[0],
                          "seconds": time.time() - self.t0})
        return False


# --- processes -----------------------------------------------------------------

def run(cmd, env=None, timeout=300):
    """Runs cmd under bench/measure.c; returns wall ms, CPU ms (user + sys,
    with the children it waited for), peak RSS in MB and the exit status."""
    p = subprocess.Popen([MEASURE] + cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=env, text=True, start_new_session=True)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, 9)
        out, err = p.communicate()
        err += "\ntimed out after %d s" % timeout
    err = err.strip()
    try:
        wall, cpu, rss, code = out.split()
    except ValueError:
        return {"ms": None, "cpu_ms": None, "rss_mb": None, "exit": -1,
                "err": err.splitlines()[-1] if err else "measure failed"}
    return {"ms": float(wall), "cpu_ms": float(cpu), "rss_mb": int(rss) / 1024.0,
            "exit": int(code), "err": err.splitlines()[-1] if err else ""}


def pages(path):
    try:
        out = subprocess.run(["pdfinfo", path], capture_output=True, text=True,
                             timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    for line in out.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return None


def control(rounds):
    """Two spinning processes against one: the scaling the machine gave."""
    one = float(subprocess.run([MEASURE, "--spin", str(rounds)], capture_output=True,
                               text=True).stdout)
    ps = [subprocess.Popen([MEASURE, "--spin", str(rounds)], stdout=subprocess.PIPE, text=True)
          for _ in range(2)]
    two = max(float(p.communicate()[0]) for p in ps)
    return {"one_s": one, "two_s": two, "scaling": 2 * one / two}


SPIN = int(ENV("SPIN", "300000"))
# The knobs run.sh and this file read, recorded with the results.
PARAMS = ("SUBSET_CORPUS", "CORPUS_SLOW", "LIB_SECONDS", "LIB_ROUNDS", "PROC_ROUNDS",
          "CLI_ROUNDS", "BATCH_ROUNDS", "SPIN", "SKIP")


# --- quire, library, the corpus -----------------------------------------------

def lib_corpus(res):
    corpus = sorted(os.path.join(OUT, "corpus", f) for f in os.listdir(os.path.join(OUT, "corpus"))
                    if f.endswith(".json"))
    rows = []
    # The slow cases (about 25-60 ms a report) get the first reports only,
    # which keeps `make bench` well under 20 minutes.
    slow = int(ENV("CORPUS_SLOW", "250"))
    for fmt, eng in CASES:
        files = corpus[:slow] if (fmt, eng) in (("pdf", "haru"), ("png", "cairo")) else corpus
        with Section("library, %s (%s), the corpus" % (fmt, eng)) as s:
            p = subprocess.run([BENCH, "-f", fmt, "-e", eng, "-t", ENV("LIB_SECONDS", "3")] + files,
                               capture_output=True, text=True)
            r = json.loads(p.stdout) if p.stdout.strip() else {"error": p.stderr[-200:]}
            r["control"] = control(SPIN)
        r["machine"] = s.info
        rows.append(r)
    res["lib_corpus"] = rows


def lib_samples(res):
    rows = {}
    samples = sorted(os.path.join("samples", d, f) for d in os.listdir("samples")
                     if os.path.isdir(os.path.join("samples", d))
                     for f in os.listdir(os.path.join("samples", d)) if f.endswith(".json"))
    with Section("library, each sample") as s:
        for fmt, eng in CASES:
            for f in samples:
                p = subprocess.run([BENCH, "-f", fmt, "-e", eng, "-t", "0.3", f],
                                   capture_output=True, text=True)
                if p.stdout.strip():
                    rows.setdefault(f, {})["%s:%s" % (fmt, eng)] = json.loads(p.stdout)
    res["lib_samples"] = {"rows": rows, "machine": s.info}


# --- instructions (callgrind): repeatable whatever else runs ----------------

def callgrind(cmd):
    if not shutil.which("valgrind"):
        return None
    p = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"] + cmd,
                       capture_output=True, text=True)
    for line in p.stderr.splitlines():
        if "Collected :" in line:
            return int(line.split(":")[-1])
    return None


def instructions(res):
    d = tempfile.mkdtemp(prefix="quire-bench-ir-")
    cli, lib, pas = {}, {}, {}
    with Section("instructions (callgrind)") as s:
        cli["true (an empty process)"] = callgrind(["/bin/true"])
        cli["quire help"] = callgrind([QUIRE, "help"])
        for fmt, eng in CASES:
            o = os.path.join(d, "one." + EXT[fmt])
            cli["%s:%s" % (fmt, eng)] = callgrind(
                [QUIRE, "render", "-q", "-f", fmt, "--pdf-engine", eng, "-o", o, ONE])
            a = callgrind([BENCH, "-f", fmt, "-e", eng, "-n", "0", ONE])
            b = callgrind([BENCH, "-f", fmt, "-e", eng, "-n", "4", ONE])
            lib["%s:%s" % (fmt, eng)] = (b - a) / 4 if a and b else None
        # One parse + render of every corpus report, text and HTML: the
        # throughput targets' work in a number no other load changes.
        corpus = sorted(os.path.join(OUT, "corpus", f)
                        for f in os.listdir(os.path.join(OUT, "corpus")) if f.endswith(".json"))
        for fmt in ("text", "html"):
            a = callgrind([BENCH, "-f", fmt, "-n", "0"] + corpus)
            b = callgrind([BENCH, "-f", fmt, "-n", "1"] + corpus)
            pas["%s:cairo" % fmt] = b - a if a and b else None
    shutil.rmtree(d, ignore_errors=True)
    res["instructions"] = {"cli": cli, "lib": lib, "corpus_pass": pas, "reports": len(corpus),
                           "machine": s.info, "valgrind": shutil.which("valgrind") is not None}


# --- quire CLI: start-up, one report ---------------------------------------------

def cli_one(res):
    d = tempfile.mkdtemp(prefix="quire-bench-cli-")
    cmds = [("true (an empty process)", ["/bin/true"]),
            ("quire help", [QUIRE, "help"])]
    for fmt, eng in CASES:
        cmds.append(("%s:%s" % (fmt, eng), [QUIRE, "render", "-q", "-f", fmt, "--pdf-engine", eng,
                                          "-o", os.path.join(d, "one-%s.%s" % (eng, EXT[fmt])), ONE]))
    runs = {k: [] for k, _ in cmds}
    with Section("CLI, one report, interleaved") as s:
        for _ in range(int(ENV("CLI_ROUNDS", "30"))):
            for k, c in cmds:
                runs[k].append(run(c))
    out = {}
    for k, _ in cmds:
        rs = runs[k]
        out[k] = {"ms": stats([r["ms"] for r in rs]), "cpu_ms": stats([r["cpu_ms"] for r in rs]),
                  "rss_mb": stats([r["rss_mb"] for r in rs]),
                  "failed": sum(1 for r in rs if r["exit"] != 0)}
    for eng in ("cairo", "haru"):
        out["pdf:" + eng]["pages"] = pages(os.path.join(d, "one-%s.pdf" % eng))
    res["cli"] = {"rows": out, "machine": s.info, "report": ONE}
    shutil.rmtree(d, ignore_errors=True)


# --- quire CLI: batch ---------------------------------------------------------------

def batch(res):
    nd = os.path.join(OUT, "corpus", "corpus.ndjson")
    runs = {}
    with Section("CLI batch over the corpus, -j1 and -j2 interleaved") as s:
        for _ in range(int(ENV("BATCH_ROUNDS", "2"))):
            runs.setdefault("control", []).append(control(SPIN))
            for fmt in ("html", "pdf"):
                for j in (1, 2):
                    od = os.path.join(OUT, "batch-%s-%d" % (fmt, j))
                    shutil.rmtree(od, ignore_errors=True)
                    r = run([QUIRE, "render", "-q", "-j", str(j), "-f", fmt, "-o", od, "--ndjson", nd],
                            timeout=600)
                    r["files"] = sum(len(f) for _, _, f in os.walk(od))
                    runs.setdefault("%s -j%d" % (fmt, j), []).append(r)
    out = {}
    for k, rs in runs.items():
        if k == "control":
            out[k] = {"scaling": stats([c["scaling"] for c in rs])}
            continue
        out[k] = {"ms": stats([r["ms"] for r in rs]), "cpu_ms": stats([r["cpu_ms"] for r in rs]),
                  "rss_mb": stats([r["rss_mb"] for r in rs]),
                  "exit": sorted(set(r["exit"] for r in rs)),
                  "files": sorted(set(r["files"] for r in rs))}
    res["batch"] = {"rows": out, "machine": s.info, "reports": sum(1 for _ in open(nd))}


# --- process against process: PDF -----------------------------------------------

def chromium_cold(html, out, prof):
    return ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--user-data-dir=" + prof, "--no-pdf-header-footer", "--print-to-pdf=" + out,
            "file://" + os.path.abspath(html)]


def proc_tools(names, work):
    """(tool, how, command builder or the reason it is missing)."""
    H = lambda n: os.path.join(OUT, "subset-html", n + ".html")
    J = lambda n: os.path.join(OUT, "subset", n + ".json")
    prof = tempfile.mkdtemp(prefix="quire-bench-chromium-")
    counter = [0]

    def cold(n, o):
        counter[0] += 1
        return chromium_cold(H(n), o, os.path.join(prof, "p%d" % counter[0]))
    t = [("quire cairo", "quire render -f pdf (the report JSON)",
          lambda n, o: [QUIRE, "render", "-q", "-f", "pdf", "-o", o, J(n)]),
         ("quire haru", "quire render -f pdf --pdf-engine haru (the report JSON)",
          lambda n, o: [QUIRE, "render", "-q", "-f", "pdf", "--pdf-engine", "haru", "-o", o, J(n)])]
    for exe, label, how, fn in (
            ("wkhtmltopdf", "wkhtmltopdf", "wkhtmltopdf (quire's HTML), QT_QPA_PLATFORM=offscreen",
             lambda n, o: ["wkhtmltopdf", "-q", "--enable-local-file-access", H(n), o]),
            ("chromium", "chromium cold", "chromium --headless --print-to-pdf (quire's HTML), "
             "fresh profile each time", cold),
            ("weasyprint", "weasyprint", "weasyprint CLI (quire's HTML)",
             lambda n, o: ["weasyprint", H(n), o])):
        t.append((label, how, fn if shutil.which(exe) else "%s is not installed" % exe))
    return t, prof


def proc_pdf(res, names):
    work = os.path.join(OUT, "proc")
    tools, prof = proc_tools(names, work)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    runs = {t[0]: [] for t in tools}
    outp = {t[0]: {} for t in tools}
    with Section("process against process: PDF, interleaved") as s:
        for rnd in range(int(ENV("PROC_ROUNDS", "2"))):
            for n in names:
                for label, _, fn in tools:
                    if isinstance(fn, str):
                        continue
                    o = os.path.join(work, label.replace(" ", "-"), n + ".pdf")
                    os.makedirs(os.path.dirname(o), exist_ok=True)
                    r = run(fn(n, o), env=env)
                    r["report"] = n
                    runs[label].append(r)
                    if rnd == 0 and r["exit"] == 0 and os.path.exists(o):
                        outp[label][n] = {"bytes": os.path.getsize(o), "pages": pages(o)}
    shutil.rmtree(prof, ignore_errors=True)
    out = {}
    for label, how, fn in tools:
        rs = [r for r in runs[label] if r["exit"] == 0]
        bad = [r for r in runs[label] if r["exit"] != 0]
        out[label] = {"how": how, "ms": stats([r["ms"] for r in rs]),
                      "cpu_ms": stats([r["cpu_ms"] for r in rs]),
                      "rss_mb": stats([r["rss_mb"] for r in rs]), "outputs": outp[label],
                      "failed": len(bad), "error": fn if isinstance(fn, str) else
                      (bad[0]["err"] if bad else None)}
    res["proc_pdf"] = {"rows": out, "machine": s.info, "names": names}


def proc_md(res, names):
    md = lambda n: os.path.join(OUT, "subset-md", n + ".md")
    names = [n for n in names if os.path.exists(md(n)) and os.path.getsize(md(n)) > 0]
    work = os.path.join(OUT, "proc-md")
    os.makedirs(work, exist_ok=True)
    J = lambda n: os.path.join(OUT, "subset", n + ".json")
    tools = [("quire html", lambda n: [QUIRE, "render", "-q", "-f", "html", "-o",
                                       os.path.join(work, n + ".q.html"), J(n)]),
             ("quire text", lambda n: [QUIRE, "render", "-q", "-f", "text", "-o",
                                       os.path.join(work, n + ".q.txt"), J(n)])]
    if shutil.which("pandoc"):
        tools += [("pandoc html", lambda n: ["pandoc", "-f", "gfm", "-t", "html5", "-o",
                                             os.path.join(work, n + ".p.html"), md(n)]),
                  ("pandoc plain", lambda n: ["pandoc", "-f", "gfm", "-t", "plain", "-o",
                                              os.path.join(work, n + ".p.txt"), md(n)])]
    runs = {t[0]: [] for t in tools}
    with Section("process against process: markdown, interleaved") as s:
        for _ in range(int(ENV("PROC_ROUNDS", "2"))):
            for n in names:
                for label, fn in tools:
                    runs[label].append(run(fn(n)))
    out = {k: {"ms": stats([r["ms"] for r in v if r["exit"] == 0]),
               "cpu_ms": stats([r["cpu_ms"] for r in v if r["exit"] == 0]),
               "failed": sum(1 for r in v if r["exit"] != 0)} for k, v in runs.items()}
    res["proc_md"] = {"rows": out, "machine": s.info, "names": names,
                      "pandoc": shutil.which("pandoc") is not None}


# --- library against library: PDF ----------------------------------------------------

class Server:
    """A tool kept warm in its own process, one request per line."""

    def __init__(self, cmd, ready=False, cwd=None):
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, cwd=cwd)
        self.info = json.loads(self.p.stdout.readline()) if ready else {}

    def ask(self, inp, out):
        self.p.stdin.write("%s\t%s\n" % (inp, out))
        self.p.stdin.flush()
        line = self.p.stdout.readline()
        if not line:
            raise RuntimeError(self.p.stderr.read()[-300:] or "the server exited")
        return json.loads(line)

    def close(self):
        self.p.stdin.close()
        self.p.wait(timeout=60)


def lib_tools():
    """(label, how, ask(n, out) -> ms, or the reason it is missing)."""
    H = lambda n: os.path.join(OUT, "subset-html", n + ".html")
    J = lambda n: os.path.abspath(os.path.join(OUT, "subset", n + ".json"))
    tools, closers = [], []
    for eng in ("cairo", "haru"):
        sv = Server([BENCH, "-f", "pdf", "-e", eng, "-s"])
        closers.append(sv)
        tools.append(("quire " + eng, "libquire: quire_doc_parse + quire_render_buf (the JSON)",
                      lambda n, o, sv=sv: sv.ask(J(n), o)))
    try:
        if not os.path.isdir(os.path.join(HERE, "node_modules", "playwright-core")):
            raise RuntimeError("playwright-core is not installed in bench/node_modules")
        sv = Server(["node", os.path.join(HERE, "chromium_warm.js")], ready=True, cwd=HERE)
        closers.append(sv)
        tools.append(("chromium warm", "one browser and page: page.goto + page.pdf() "
                      "(quire's HTML)", lambda n, o, sv=sv: sv.ask(os.path.abspath(H(n)), o)))
    except Exception as e:  # a missing tool must not sink the run
        tools.append(("chromium warm", "", "%s" % e))
    try:
        from weasyprint import HTML  # Debian's package, Debian's python3

        def weasy(n, o):
            t = time.perf_counter()
            HTML(filename=H(n)).write_pdf(o)
            return {"ms": (time.perf_counter() - t) * 1e3}
        tools.append(("weasyprint", "in-process Python API: HTML().write_pdf() (quire's HTML)",
                      weasy))
    except Exception as e:
        tools.append(("weasyprint", "", "weasyprint does not import: %s" % e))
    return tools, closers


def lib_pdf(res, names):
    work = os.path.join(OUT, "lib")
    tools, closers = lib_tools()
    runs = {t[0]: [] for t in tools}
    outp = {t[0]: {} for t in tools}
    errs = {}
    with Section("library against library: PDF, interleaved") as s:
        for label, _, fn in tools:  # one untimed warm-up each
            if not isinstance(fn, str):
                fn(names[0], os.path.join(work + "-warmup-" + label.replace(" ", "-") + ".pdf"))
        for rnd in range(int(ENV("LIB_ROUNDS", "3"))):
            for n in names:
                for label, _, fn in tools:
                    if isinstance(fn, str) or label in errs:
                        continue
                    o = os.path.join(work, label.replace(" ", "-"), n + ".pdf")
                    os.makedirs(os.path.dirname(o), exist_ok=True)
                    try:
                        r = fn(n, o)
                    except Exception as e:
                        errs[label] = "%s" % e
                        continue
                    if r.get("error"):
                        errs[label] = r["error"]
                        continue
                    r["report"] = n
                    runs[label].append(r)
                    if rnd == 0:
                        outp[label][n] = {"bytes": os.path.getsize(o), "pages": pages(o)}
    for c in closers:
        c.close()
    res["lib_pdf"] = {"machine": s.info, "names": names, "rows": {
        label: {"how": how, "ms": stats([r["ms"] for r in runs[label]]),
                "cpu_ms": stats([r.get("cpu_ms") for r in runs[label]]),
                "per_report": {n: statistics.median([r["ms"] for r in runs[label]
                                                     if r["report"] == n])
                               for n in names if any(r["report"] == n for r in runs[label])},
                "outputs": outp[label],
                "error": fn if isinstance(fn, str) else errs.get(label)}
        for label, how, fn in tools}}


def main():
    res = {"ncpu": NCPU, "started": time.time(),
           "params": {k: ENV(k) for k in PARAMS if ENV(k) is not None}}
    names = sorted(f[:-5] for f in os.listdir(os.path.join(OUT, "subset")) if f.endswith(".json"))
    for name, fn in (("lib_corpus", lambda: lib_corpus(res)),
                     ("lib_samples", lambda: lib_samples(res)),
                     ("instructions", lambda: instructions(res)),
                     ("cli", lambda: cli_one(res)),
                     ("batch", lambda: batch(res)),
                     ("lib_pdf", lambda: lib_pdf(res, names)),
                     ("proc_pdf", lambda: proc_pdf(res, names)),
                     ("proc_md", lambda: proc_md(res, names))):
        if name not in SKIP:
            fn()
            save(res)  # an interrupted run keeps the sections it finished
    save(res)


def save(res):
    res["finished"] = time.time()
    tmp = os.path.join(OUT, "compare.json.tmp")
    with open(tmp, "w") as f:
        json.dump(res, f, indent=1)
    os.replace(tmp, os.path.join(OUT, "compare.json"))


if __name__ == "__main__":
    main()
