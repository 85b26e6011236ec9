#!/usr/bin/env python3
"""Checks of the paged design, read back from a PDF with `pdftotext -bbox`.

  pdf_design.py CHECK FILE.pdf [ARGS...]

  factgrid LABEL,LABEL,...   the labels (their first words, in capitals) start
                             on one row, each with its value under it (same
                             left edge)
  stack WORD N               WORD (exact) appears N times, each at the left
                             edge of a badge (a step) - counts the badges
  criterion TITLE_WORD BODY_WORD
                             TITLE_WORD starts a line at the column's left
                             edge and BODY_WORD is beside it, on the same
                             row band, right of a quarter of the column
  columns WORD,WORD,... N    the words (each the first of a card title, on
                             one page) stand at N different left edges
  words TEXTFILE             every word of the PDF (pdftotext -raw, letters
                             only, 4 or more) is a word of TEXTFILE (the
                             same report as text): no word broken inside
  measure LO HI              the median characters per body line (lines of
                             the most common font height, page 1 to the end,
                             longer than 30 characters) lie in [LO, HI]
  sameside LABEL             on page 1, the fact LABEL's right edge is its
                             value's (the words under it): a label over a
                             right-to-left value is on the value's side
  rtltable FIRST LAST        on one page, the word FIRST (in a table's
                             first column) stands right of LAST (its last):
                             a right-to-left table runs right to left
  oneline WORD1 WORD2        on the last page, WORD1 with WORD2 after it on
                             one line (a label not wrapped: "Render",
                             "Attempts")
  hangs WORD REF             on page 1, the line holding WORD starts where
                             the line holding REF starts (contents entries
                             hang from one edge, whatever their direction)

Exits 0 when the check holds, 1 with a "not ok" line saying what was seen.
"""
import html
import re
import statistics
import subprocess
import sys


def words(path):
    out = subprocess.run(["pdftotext", "-bbox", path, "-"], capture_output=True,
                         text=True, check=True).stdout
    pages = []
    for m in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>',
                         out, re.S):
        ws = []
        for w in re.finditer(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" '
                             r'xMax="([-\d.]+)" yMax="([-\d.]+)">(.*?)</word>',
                             m.group(3)):
            x0, y0, x1, y1 = map(float, w.groups()[:4])
            ws.append((x0, y0, x1, y1, html.unescape(w.group(5))))
        pages.append((float(m.group(1)), ws))
    return pages


def fail(msg):
    print("not ok: " + msg)
    sys.exit(1)


def factgrid(pages, labels):
    ws = pages[0][1]
    firsts = [lab.split()[0] for lab in labels]
    for f in firsts:
        if not any(w[4] == f for w in ws):
            fail("label %r not in capitals on page 1" % f)
    # the grid's first row: a hit of the first label with the second beside
    # it (the kicker may repeat the first word above)
    start = [w for w in ws if w[4] == firsts[0] and
             any(v[4] == firsts[1] and abs(v[1] - w[1]) < 1.0 for v in ws)]
    if not start:
        fail("%r and %r not on one row" % (firsts[0], firsts[1]))
    found = [start[0]]
    for f in firsts[1:]:
        hit = [w for w in ws if w[4] == f and w[1] >= start[0][1] - 1.0]
        if not hit:
            fail("label %r not in the grid" % f)
        found.append(hit[0])
    labelwords = {x for lab in labels for x in lab.split()}
    for lab in found:
        below = [w for w in ws if abs(w[0] - lab[0]) < 1.0 and
                 0 < w[1] - lab[3] < 14 and
                 w[4] not in labelwords]
        if not below:
            fail("no value under label %r (x %.1f)" % (lab[4], lab[0]))
    print("ok: %d labels in a grid, values under them" % len(found))


def stack(pages, word, n):
    got = sum(1 for _, ws in pages for w in ws if w[4] == word)
    if got != n:
        fail("%r appears %d times, want %d" % (word, got, n))
    print("ok: %d x %r" % (got, word))


def criterion(pages, tword, bword):
    for pw, ws in pages:
        left = min(w[0] for w in ws)
        for t in ws:
            if t[4] != tword or abs(t[0] - left) > 1.0:
                continue
            for b in ws:
                if b[4] == bword and abs(b[1] - t[1]) < 4 and \
                        b[0] > left + (pw - 2 * left) * 0.25:
                    print("ok: %r left, %r beside it" % (tword, bword))
                    return
    fail("no row with %r at the left edge and %r beside it" % (tword, bword))


def columns(pages, names, n):
    for _, ws in pages:
        xs = {round(w[0]) for w in ws if w[4] in names}
        hits = {w[4] for w in ws if w[4] in names}
        if hits == set(names):
            if len(xs) != n:
                fail("%r at %d left edges %r, want %d" % (names, len(xs),
                                                         sorted(xs), n))
            print("ok: %d columns" % n)
            return
    fail("%r not on one page" % (names,))


def tokens(text):
    return re.findall(r"[^\W\d_]{4,}", text)


def words_check(path, textfile):
    known = {t.casefold() for t in tokens(open(textfile, encoding="utf-8").read())}
    raw = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", path, "-"],
                         capture_output=True, text=True, check=True).stdout
    # the PDF's own furniture: the contents box's heading
    known |= {"contents"}
    bad = sorted({t for t in tokens(raw) if t.casefold() not in known})
    if bad:
        fail("words not in the report: %r" % bad[:12])
    print("ok: every word whole")


def lines(pages):
    """(height, characters) of every text line: words of one page with the
    same baseline band, joined by single spaces."""
    out = []
    for _, ws in pages:
        rows = {}
        for w in ws:
            key = (round(w[3]), round(w[3] - w[1], 1))
            rows.setdefault(key, []).append(w)
        for (_, h), r in rows.items():
            r.sort()
            out.append((h, len(" ".join(w[4] for w in r))))
    return out


def measure(pages, lo, hi):
    ls = lines(pages)
    heights = [h for h, n in ls if n > 30]
    if not heights:
        fail("no body lines")
    body = statistics.mode(heights)
    n = sorted(c for h, c in ls if h == body and c > 30)
    p50 = statistics.median(n)
    p90 = n[int(len(n) * 0.9) - 1] if len(n) >= 10 else n[-1]
    msg = "body lines %d, p50 %d, p90 %d characters (want %d-%d)" % (
        len(n), p50, p90, lo, hi)
    if not lo <= p50 <= hi or p90 > hi + 5:
        fail(msg)
    print("ok: " + msg)


def _run(ws, w0, gap=12):
    """The words of w0's line joined to it by gaps under `gap` pt: its
    phrase, not the line of the column beside it."""
    row = sorted((w for w in ws if abs(w[1] - w0[1]) < 2), key=lambda w: w[0])
    k = row.index(w0)
    a = b = k
    while a > 0 and row[a][0] - row[a - 1][2] < gap:
        a -= 1
    while b + 1 < len(row) and row[b + 1][0] - row[b][2] < gap:
        b += 1
    return row[a:b + 1]


def sameside(pages, label):
    ws = pages[0][1]
    labs = [w for w in ws if w[4] == label]
    if not labs:
        fail("label %r not on page 1" % label)
    lab = labs[-1]
    under = [w for w in ws if 0 < w[1] - lab[3] < 14]
    near = [w for w in under if w[0] < lab[2] + 2 and w[2] > lab[0] - 2]
    if not near:
        fail("no value under %r" % label)
    val = _run(ws, near[0])
    x0, x1 = val[0][0], val[-1][2]
    if abs(x0 - lab[0]) > 1.5 and abs(x1 - lab[2]) > 1.5:
        fail("%r at x %.1f-%.1f, its value at %.1f-%.1f: on no common edge" %
             (label, lab[0], lab[2], x0, x1))
    print("ok: %r at x %.1f-%.1f, its value at %.1f-%.1f" %
          (label, lab[0], lab[2], x0, x1))


def rtltable(pages, first, last):
    for _, ws in pages:
        f = [w for w in ws if w[4] == first]
        l_ = [w for w in ws if w[4] == last and f and abs(w[1] - f[0][1]) < 2]
        if f and l_:
            if f[0][0] <= l_[0][0]:
                fail("first column at x %.1f, left of the last at %.1f" %
                     (f[0][0], l_[0][0]))
            print("ok: first column at x %.1f, last at %.1f" %
                  (f[0][0], l_[0][0]))
            return
    fail("%r and %r not on one row" % (first, last))


def hangs(pages, word, ref):
    ws = pages[0][1]
    a = [w for w in ws if w[4] == word]
    b = [w for w in ws if w[4] == ref]
    if not a or not b:
        fail("%r or %r not on page 1" % (word, ref))
    xa, xb = _run(ws, a[0])[0][0], _run(ws, b[0])[0][0]
    if abs(xa - xb) > 2:
        fail("the line of %r starts at x %.1f, that of %r at %.1f" %
             (word, xa, ref, xb))
    print("ok: both lines start at x %.1f" % xa)


def oneline(pages, w1, w2):
    ws = pages[-1][1]
    for a in (w for w in ws if w[4] == w1):
        for b in (w for w in ws if w[4] == w2):
            if abs(a[1] - b[1]) < 2 and 0 < b[0] - a[2] < 20:
                print("ok: %r %r on one line" % (w1, w2))
                return
    fail("%r and %r not on one line of the last page" % (w1, w2))


def main():
    check, path, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    pages = words(path)
    if check == "factgrid":
        factgrid(pages, args[0].split(","))
    elif check == "stack":
        stack(pages, args[0], int(args[1]))
    elif check == "criterion":
        criterion(pages, args[0], args[1])
    elif check == "columns":
        columns(pages, args[0].split(","), int(args[1]))
    elif check == "words":
        words_check(path, args[0])
    elif check == "measure":
        measure(pages, int(args[0]), int(args[1]))
    elif check == "sameside":
        sameside(pages, args[0])
    elif check == "rtltable":
        rtltable(pages, args[0], args[1])
    elif check == "oneline":
        oneline(pages, args[0], args[1])
    elif check == "hangs":
        hangs(pages, args[0], args[1])
    else:
        fail("unknown check " + check)


if __name__ == "__main__":
    main()
