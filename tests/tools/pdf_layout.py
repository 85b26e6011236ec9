#!/usr/bin/env python3
"""Checks the page flow of a quire PDF from the outside, with poppler and qpdf.

usage: pdf_layout.py [--json] [--margin-mm 18] FILE.pdf...

For each PDF it reads the text lines with their boxes (pdftotext
-bbox-layout), the bookmarks (qpdf --json) and the page count, and checks:

  heading-end  no page ends with a heading: every bookmark's title is
               followed, on its own page, by at least one more line or by
               a picture (ink below the heading, from the page rendered
               in grey by pdftoppm);
  figure-top   no page opens with a picture (no text for 80 pt) above a
               section's heading: an illustration stays with its section;
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
RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


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


def ink_below(path, page, y0, y1, width):
    """Whether anything is painted on page (from 1) between y0 and y1 pt
    from the top: an illustration has no text for pdftotext to find."""
    dpi = 36
    if y1 - y0 < 4:
        return False
    s = dpi / 72
    args = ["pdftoppm", "-r", str(dpi), "-gray", "-f", str(page), "-l",
            str(page), "-x", "0", "-y", str(int(y0 * s)), "-W",
            str(int(width * s)), "-H", str(max(1, int((y1 - y0) * s))), path]
    pgm = subprocess.run(args, capture_output=True, check=True).stdout
    # binary PGM: P5, width, height, maxval, one whitespace, then one byte
    # a pixel
    m = re.match(rb"P5\s+\d+\s+\d+\s+\d+\s", pgm)
    return bool(m) and any(b < 245 for b in pgm[m.end():])


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
    """Pages (from 1) that the internal links on page page_no go to: by an
    explicit destination, a GoTo action, or a named destination."""
    out = subprocess.run(["qpdf", "--json", "--json-key=pages",
                          "--json-key=qpdf", path],
                         capture_output=True, check=True).stdout
    j = json.loads(out)
    objs = {k[4:]: (v.get("value", v) if isinstance(v, dict) else v)
            for k, v in j["qpdf"][1].items() if k.startswith("obj:")}
    pages = [p["object"] for p in j.get("pages", [])]
    index = {ref: i + 1 for i, ref in enumerate(pages)}
    if page_no > len(pages):
        return []
    names = {}
    for o in objs.values():
        if isinstance(o, dict) and isinstance(o.get("/Names"), list):
            v = o["/Names"]
            for k in range(0, len(v) - 1, 2):
                names[v[k]] = v[k + 1]

    def deref(x):
        while isinstance(x, str) and x.endswith(" R") and x in objs:
            x = objs[x]
        return x

    page = deref(pages[page_no - 1])
    got = []
    for a in deref(page.get("/Annots", [])) or []:
        ad = deref(a)
        if not isinstance(ad, dict) or ad.get("/Subtype") != "/Link":
            continue
        dest = ad.get("/Dest")
        act = deref(ad.get("/A"))
        if dest is None and isinstance(act, dict) and act.get("/S") == "/GoTo":
            dest = act.get("/D")
        dest = deref(dest)
        if isinstance(dest, str) and dest in names:
            dest = deref(names[dest])
        if isinstance(dest, dict):
            dest = dest.get("/D")
        if isinstance(dest, list) and dest and dest[0] in index:
            got.append(index[dest[0]])
    return got


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
            y_end = after[k - 1][1] if k else ytop
            if not ink_below(path, pg, y_end + 4, bottom, pages[pg - 1][0]):
                problems.append(f"heading-end: \"{title}\" ends page {pg}")
    # figure-top: a page that opens with a picture (no text for over
    # 80 pt) and then a section's heading: the picture, left behind by its
    # own section, reads as part of the next one.
    starts = {}
    for level, title, pg, y in marks:
        if pg and y is not None and pg <= n:
            starts.setdefault(pg, []).append(pages[pg - 1][1] - y)
    for p in range(1, n):
        fl, top, bottom = flow_lines(p)
        if not fl or fl[0][0] < top + 80:
            continue
        if any(abs(s - fl[0][0]) < 40 or top + 40 < s < fl[0][0]
               for s in starts.get(p + 1, [])):
            problems.append(f"figure-top: page {p + 1} opens with a picture "
                            f"above the heading \"{fl[0][3]}\"")
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
        # Entries: the first line of each title on the contents pages, and
        # the page number set on the same baseline to its right.
        cand = []
        for p in range(cpg - 1, min(n, cpg + 2)):
            cand += [(p, l) for l in flow_lines(p)[0]]
        # in reading order: down the first column, then the second
        cand.sort(key=lambda c: (c[0], c[1][2] > pages[c[0]][0] / 2, c[1][0]))
        used = set()

        def nl(x):
            return re.sub(r"\s+", " ", x).strip()

        def number_beside(p, l):
            for p2, l2 in cand:
                if p2 == p and abs(l2[0] - l[0]) < 2.5 and l2[2] > l[2] and \
                        re.fullmatch(r"\d+", nl(l2[3])):
                    return int(nl(l2[3]))
            return None

        def entry(want, exact):
            for k, (p, l) in enumerate(cand):
                if k in used:
                    continue
                t = nl(l[3])
                m = re.fullmatch(r"(.*) (\d+)", t)
                if exact:
                    if m and m.group(1) == want:
                        return k, int(m.group(2))
                    if t == want:
                        num = number_beside(p, l)
                        if num is not None:
                            return k, num
                    continue
                # a wrapped title: its first line, with the number beside it
                # (separate), else ending in it (merged by the extraction)
                if exact is None:
                    head, num = t, number_beside(p, l)
                elif m:
                    head, num = m.group(1), int(m.group(2))
                else:
                    continue
                if num is not None and len(head) >= min(len(want), 6) and \
                        want.startswith(head) and \
                        (want[len(head):len(head) + 1] == " " or
                         head.endswith("-")):
                    return k, num
            return None

        for level, title, pg, y in sections:
            want = nl(title)
            if RTL.search(title):
                continue  # extraction reorders it: no reliable prefix
            found = entry(want, True) or entry(want, None) or entry(want, False)
            if not found:
                problems.append(f"contents: no entry for \"{title}\"")
                continue
            used.add(found[0])
            if found[1] != pg:
                problems.append(
                    f"contents: \"{title}\" says page {found[1]}, is on {pg}")
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
