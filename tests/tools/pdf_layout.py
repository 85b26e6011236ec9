#!/usr/bin/env python3
"""Checks the page flow of a quire PDF from the outside, with poppler and qpdf.

usage: pdf_layout.py [--json] [--margin-mm 18] FILE.pdf...

For each PDF it reads the text lines with their boxes (pdftotext
-bbox-layout), the bookmarks (qpdf --json) and the page count, and checks:

  heading-end  no page ends with a heading: every bookmark's title is
               followed, on its own page, by at least one more line;
  last-fill    the last page's flow area is at least 15 % full (from the
               flow's top to the bottom of its last line of text);
  contents     a report of 3 pages or more, or with 8 sections or more,
               has a "Contents" list on its first pages whose entries give
               each top-level bookmark's page, and whose links go there;
  qpdf         qpdf --check passes.

It prints one line per PDF ("file pages=N fill=0.42 ok" or the problems)
and exits 1 when any PDF has a problem. The page geometry is quire's:
the flow runs from margin + 6 pt to the page height - margin - 4 pt; the
running header and footer sit outside it and are ignored.
"""
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

NS = "{http://www.w3.org/1999/xhtml}"
MIN_FILL = 0.15
CONTENTS_TITLE = "Contents"


def lines_of(path):
    """Per page: (width, height, [(yMin, yMax, xMin, text)]) sorted top-down."""
    out = subprocess.run(["pdftotext", "-bbox-layout", path, "-"],
                         capture_output=True, check=True).stdout
    root = ET.fromstring(out)
    pages = []
    for page in root.iter(NS + "page"):
        ls = []
        for line in page.iter(NS + "line"):
            words = [w.text or "" for w in line.iter(NS + "word")]
            ls.append((float(line.get("yMin")), float(line.get("yMax")),
                       float(line.get("xMin")), " ".join(words)))
        ls.sort()
        pages.append((float(page.get("width")), float(page.get("height")), ls))
    return pages


def outlines_of(path):
    """Top-level and nested bookmarks: (level, title, page from 1, y from top or None)."""
    out = subprocess.run(["qpdf", "--json", "--json-key=outlines",
                          "--json-key=pages", path],
                         capture_output=True, check=True).stdout
    j = json.loads(out)
    heights = {}
    for i, p in enumerate(j.get("pages", [])):
        heights[i + 1] = None
    res = []

    def walk(items, level):
        for o in items:
            d = o.get("dest") or []
            y = None
            if len(d) >= 3 and d[1] == "/XYZ":
                y = d[3]
            elif len(d) >= 3 and d[1] == "/FitH":
                y = d[2]
            res.append((level, o.get("title", ""), o.get("destpageposfrom1"), y))
            walk(o.get("kids", []), level + 1)

    walk(j.get("outlines", []), 1)
    return res


def link_targets(path, page_no):
    """Pages (from 1) that the internal links on page page_no go to."""
    out = subprocess.run(["qpdf", "--json", "--json-key=pages",
                          "--json-key=objects", path],
                         capture_output=True, check=True).stdout
    j = json.loads(out)
    objs = j.get("objects", {})
    pages = [p["object"] for p in j.get("pages", [])]
    index = {ref: i + 1 for i, ref in enumerate(pages)}
    if page_no > len(pages):
        return []
    page = objs.get("obj:" + pages[page_no - 1], {})
    annots = page.get("/Annots", [])
    if isinstance(annots, str):
        annots = objs.get("obj:" + annots, [])
    got = []
    for a in annots:
        ad = objs.get("obj:" + a, {}) if isinstance(a, str) else a
        dest = ad.get("/Dest")
        act = ad.get("/A")
        if isinstance(act, str):
            act = objs.get("obj:" + act, {})
        if dest is None and isinstance(act, dict) and act.get("/S") == "/GoTo":
            dest = act.get("/D")
        if isinstance(dest, str) and dest.endswith(" R"):
            dest = objs.get("obj:" + dest, dest)
        if isinstance(dest, list) and dest and dest[0] in index:
            got.append(index[dest[0]])
        elif isinstance(dest, (str, bytes)):
            got.append(named_dest_page(objs, j, dest, index))
    return got


def named_dest_page(objs, j, name, index):
    """A named destination's page, from the catalog's /Dests or /Names tree."""
    name = name.lstrip("/")
    if name.startswith("u:"):
        name = name[2:]
    for key, o in objs.items():
        if not isinstance(o, dict):
            continue
        names = o.get("/Names")
        if isinstance(names, list):
            for k in range(0, len(names) - 1, 2):
                n = names[k]
                if isinstance(n, str) and n.startswith("u:"):
                    n = n[2:]
                if n == name:
                    d = names[k + 1]
                    if isinstance(d, str) and d.endswith(" R"):
                        d = objs.get("obj:" + d, d)
                    if isinstance(d, dict):
                        d = d.get("/D")
                    if isinstance(d, list) and d and d[0] in index:
                        return index[d[0]]
    return None


def norm(s):
    return re.sub(r"\s+", "", s)


def check(path, margin_mm):
    problems = []
    pages = lines_of(path)
    n = len(pages)
    marks = outlines_of(path)
    m = margin_mm * 72 / 25.4
    info = {"file": path, "pages": n}

    def flow_lines(p):
        w, h, ls = pages[p]
        top, bottom = m + 6, h - m - 4
        return [l for l in ls if l[0] >= top - 3 and l[1] <= bottom + 3], top, bottom

    # heading-end: a bookmark's title then at least one line after it.
    for level, title, pg, y in marks:
        if not pg or y is None or pg > n:
            continue
        fl, top, bottom = flow_lines(pg - 1)
        h = pages[pg - 1][1]
        ytop = h - y
        after = [l for l in fl if l[0] >= ytop - 2]
        want = norm(title)
        got = ""
        k = 0
        while k < len(after) and want.startswith(norm(got + after[k][3])) and len(norm(got)) < len(want):
            got += after[k][3]
            k += 1
        if k >= len(after) and pg < n:
            problems.append(f"heading-end: \"{title}\" ends page {pg}")
    # last-fill
    fl, top, bottom = flow_lines(n - 1)
    fill = 0.0
    if fl:
        fill = (max(l[1] for l in fl) - top) / (bottom - top)
    info["fill"] = round(fill, 3)
    if n > 1 and fill < MIN_FILL:
        problems.append(f"last-fill: the last page is {fill:.0%} full")
    # contents
    tops = [o for o in marks if o[0] == 1]
    sections = [o for o in tops if o[1] not in (CONTENTS_TITLE,)]
    has = [o for o in tops if o[1] == CONTENTS_TITLE]
    info["sections"] = len(sections)
    # The end matter ("About this report") is not a section of the report.
    body = sections[:-1] if sections and len(sections) > 1 else sections
    need = n >= 3 or len(body) >= 8
    info["contents"] = bool(has)
    if need and not has:
        problems.append("contents: missing")
    if has:
        cpg = has[0][2]
        # Entries: "Title ... N" lines on the contents pages, in order.
        text = []
        for p in range(cpg - 1, min(n, cpg + 2)):
            text += [(p + 1, l[3]) for l in flow_lines(p)[0]]
        joined = " ".join(t for _, t in text)
        flat = norm(joined)
        pos = 0
        for level, title, pg, y in sections:
            pat = re.escape(norm(title)) + r"(\.*)(\d+)"
            mt = re.compile(pat).search(flat, pos)
            if not mt:
                problems.append(f"contents: no entry for \"{title}\"")
                continue
            if int(mt.group(2)) != pg:
                problems.append(
                    f"contents: \"{title}\" says page {mt.group(2)}, is on {pg}")
            pos = mt.end()
        targets = []
        for p in range(cpg, min(n, cpg + 2) + 1):
            targets += [t for t in link_targets(path, p) if t]
        want = sorted(o[2] for o in sections)
        if sorted(targets) != want:
            problems.append(f"contents: links go to pages {sorted(targets)}, "
                            f"want {want}")
    # qpdf --check
    q = subprocess.run(["qpdf", "--check", path], capture_output=True)
    if q.returncode != 0:
        problems.append("qpdf: --check failed")
    info["problems"] = problems
    return info


def main(argv):
    as_json = False
    margin = 18.0
    files = []
    it = iter(argv)
    for a in it:
        if a == "--json":
            as_json = True
        elif a == "--margin-mm":
            margin = float(next(it))
        else:
            files.append(a)
    bad = 0
    for f in files:
        try:
            info = check(f, margin)
        except (subprocess.CalledProcessError, ET.ParseError, ValueError) as e:
            info = {"file": f, "pages": 0, "problems": [f"unreadable: {e}"]}
        bad += bool(info["problems"])
        if as_json:
            print(json.dumps(info))
        else:
            status = "ok" if not info["problems"] else "; ".join(info["problems"])
            print(f"{f} pages={info['pages']} fill={info.get('fill', 0):.2f} "
                  f"contents={'yes' if info.get('contents') else 'no'} {status}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
