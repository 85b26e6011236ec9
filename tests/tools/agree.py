#!/usr/bin/env python3
"""Every format shows the reader the same words in the same order.

  agree.py QUIRE REPO_DIR OUTDIR

For every sample in samples/ and a small generated corpus (written to
OUTDIR/corpus), renders terminal text (--color never), HTML and PDF, and
extracts the words a reader sees:

  text  the output itself;
  html  document.body.innerText in headless Chromium (agree_dom.js, one
        browser for all files);
  pdf   `pdftotext -raw` (content-stream order, which is the order quire
        lays the document out in, so side-by-side cards read card by card).

Words are runs of letters and digits (NFKC, case-folded: CSS may upper-case
a kicker). The three word sequences must be equal, after removing the layout
furniture listed below, which belongs to one format's medium rather than to
the report. Prints "ok - ..." / "not ok - ..." and "N passed, N failed".

EXPECTED lists documents known to disagree today, each with the reason; a
listed document that agrees is a failure too, so the list only shrinks.
"""
import difflib
import json
import os
import re
import subprocess
import sys
import unicodedata

# ---- layout furniture: what one format adds for its medium ----
# HTML: the skip link, the table of contents (the PDF has it as bookmarks,
# text has none) and the generator line.
HTML_DROP = ".skip, nav.toc, .generator"
# Text: a link's URL after its text, "<https://...>" (HTML and PDF carry it
# as a hyperlink instead).
TEXT_FURNITURE = [re.compile(r" ?<(?:https?://|mailto:)[^>\s]*>")]
# PDF: the footer (template name, person, "N / M") and the running header
# (the title) that every page repeats; quire paints them after the page's
# content, so each page is cut at its footer line.
PDF_FOOTER = re.compile(r".* \d+ / \d+$")

# ---- documents known to disagree: name -> reason ----
EXPECTED = {}


def words(s):
    s = unicodedata.normalize("NFKC", s).casefold()
    # Combining marks (Arabic shadda, vowel signs) split \w runs and are
    # dropped by some extractions: compare the letters they sit on.
    s = "".join(ch for ch in s if unicodedata.category(ch) != "Mn")
    return re.findall(r"[^\W_]+", s)


ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]+")


def stream(ws):
    """The letters of a word list, for comparing formats. pdftotext gives
    the parts of an Arabic ligature (lam-alef) in either order and splits
    Arabic words at joining boundaries, so each run of Arabic letters is
    compared as the letters it holds, in sorted order."""
    return ARABIC.sub(lambda m: "".join(sorted(m.group(0))), "".join(ws))


def corpus(out):
    """Small reports, each aimed at a place where formats used to differ."""
    os.makedirs(out, exist_ok=True)
    cols = 80
    wide = "|" + "|".join("h%d" % i for i in range(1, cols + 1)) + "|\n"
    wide += "|" + "|".join("-" for _ in range(cols)) + "|\n"
    wide += "|" + "|".join("v%d" % i for i in range(1, cols + 1)) + "|\n"
    docs = {
        "wide_table": {
            "id": "report_wideTable01",
            "createdAt": "2026-02-03T10:00:00Z",
            "label": "Wide table",
            "markdown": "# Wide table\n\nbefore\n\n" + wide + "\nafter\n",
        },
        "bad_date": {
            "id": "report_badDate01",
            "createdAt": "20x6-03-04",
            "label": "Quarterly review",
            "entity": {"id": "entity_badDate01", "label": "Ines Duarte"},
            "media": {"mediaId": "media_badDate01"},
            "output": {"template": "general_report"},
            "sections": [{"section_title": "Notes",
                          "section_content": {"type": "text",
                                              "content": "One paragraph."}}],
        },
        "fields": {
            "id": "report_fields01",
            "createdAt": "2026-04-05T08:30:00Z",
            "jobId": "job_fields01",
            "label": "Renewal call",
            "entity": {"id": "entity_fields01", "label": "Ola Nordmann",
                       "tags": []},
            "media": {"mediaId": "media_fields01"},
            "output": {"template": "general_report"},
            "json": {"schemaVersion": 2, "title": "Renewal call with Ola",
                     "template": "general_report",
                     "sections": [{"kind": "paragraph", "key": "bottom_line",
                                   "title": "Bottom line",
                                   "body": "Renew with a two-year term."}]},
        },
        "unknown_block": {
            "id": "report_unknown01",
            "createdAt": "2026-05-06T09:00:00Z",
            "label": "Radar",
            "output": {"template": "general_report"},
            "sections": [{"section_title": "Radar",
                          "section_content": {"type": "radar",
                                              "axes": {"pace": 0.4,
                                                       "warmth": {"self": 0.8, "peer": 0.6}},
                                              "labels": ["calm", "direct"]}}],
        },
        "grid5": {
            "id": "report_grid01",
            "createdAt": "2026-06-07T12:00:00Z",
            "label": "Five cards",
            "output": {"template": "general_report"},
            "sections": [{"section_title": "Five",
                          "section_content": {"type": "grid", "columns": 5,
                                              "items": [{"type": "card", "icon": "star",
                                                         "title": "Card %d" % i,
                                                         "content": "Body %d." % i}
                                                        for i in range(1, 6)]}}],
        },
        "bad_values": {
            "id": "report_badValues01",
            "createdAt": "20x6-03-04",
            "label": "Pipeline review",
            "output": {"template": "general_report"},
            "metrics": {"durationMs": -5000, "talkRatio": 1.7},
            "sections": [{"section_title": "Scores",
                          "section_content": {"type": "radar",
                                              "scores": {"overall": 1.7,
                                                         "pace": 0.4,
                                                         "calls": 140}}}],
        },
        "md_title": {
            "id": "report_mdTitle01",
            "createdAt": "2026-07-08T15:00:00Z",
            "output": {"type": "url", "template": "sales_playbook"},
            "entity": {"id": "entity_mdTitle01", "tags": ["lead"]},
            "usage": {"durationMs": 2874000, "creditsUsed": 3},
            "metrics": {"talkRatio": 0.44, "durationSec": 2874},
            "markdown": "# Call with Sam Lee, Northwind\n\n> Sam wants a pilot.\n\n"
                        "## Next steps\n\n- Send the pilot plan\n",
        },
    }
    names = []
    for name, doc in docs.items():
        with open(os.path.join(out, name + ".json"), "w") as f:
            json.dump(doc, f, indent=1)
        names.append(os.path.join(out, name + ".json"))
    return names


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          check=False, **kw)


def pdf_text(path):
    raw = run(["pdftotext", "-raw", "-enc", "UTF-8", path, "-"]).stdout
    pages = raw.decode("utf-8", "replace").split("\f")
    kept = []
    for p in pages:
        lines = p.rstrip("\n").split("\n")
        # The footer is painted after the page's content and the running
        # header after the footer (pdftotext may split a header with
        # right-to-left text over several lines): cut at the last footer.
        for k in range(len(lines) - 1, -1, -1):
            if PDF_FOOTER.match(lines[k]):
                del lines[k:]
                break
        kept.append("\n".join(lines))
    return "\n".join(drop_contents("\n".join(kept).split("\n")))


def drop_contents(lines):
    """The PDF's contents list (the HTML's nav.toc is dropped likewise):
    the line "Contents", then entries, each ending with its page number
    (a long title wraps over up to three lines before it: haru's Arabic
    entry takes "— <Arabic>", "handling the hard", "parts"). pdftotext -raw
    gives right-to-left text one letter per line: such lines do not count
    towards the wrap."""
    def letter(line):
        return len(re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069\\s]",
                          "", line)) <= 2 and not re.search(r"\d", line)

    for i, line in enumerate(lines):
        if line.strip() != "Contents":
            continue
        j = i + 1
        while True:
            end = j
            while end < len(lines) and letter(lines[end]):
                end += 1
            nums = [k for k in range(j, min(end + 4, len(lines)))
                    if re.search(r"(^|\s)\d+$", lines[k])]
            if not nums:
                break
            j = nums[0] + 1
        return lines[:i] + lines[j:]
    return lines


def columns(line):
    """The line as one entry per display column (a wide character fills
    two: itself and an empty string), so box edges found on a border line
    index the lines below."""
    out = []
    for ch in line:
        if unicodedata.combining(ch) and out:
            out[-1] += ch
            continue
        out.append(ch)
        if unicodedata.east_asian_width(ch) in "WF":
            out.append("")
    return out


def boxes(lines, i, top, bottom, seps):
    """Reads the boxes side by side that start at lines[i] (a border with
    corner `top`) box by box, as the other formats order them: cards of a
    grid card by card, the cells of a table row cell by cell. Returns the
    text and the index after the bottom border."""
    border = columns(lines[i])
    edges = [k for k, ch in enumerate(border) if ch in seps]
    spans = list(zip(edges, edges[1:]))
    if top == "\u256d":  # cards: each box has its own corners
        starts = [k for k, ch in enumerate(border) if ch == "\u256d"]
        ends = [k for k, ch in enumerate(border) if ch == "\u256e"]
        spans = list(zip(starts, ends))
    groups, group = [], []
    j = i + 1
    while j < len(lines):
        row = columns(lines[j])
        if any(ch == bottom for ch in row):
            j += 1
            break
        if top == "\u250c" and any(ch == "\u251c" for ch in row):
            groups.append(group)  # a rule under the header or between rows
            group = []
        else:
            group.append(row)
        j += 1
    groups.append(group)
    # quire rules between body rows only when some cell wraps; without
    # those rules each body line is a row (a blank first cell would be the
    # continuation of a wrapped one).
    if top == "\u250c" and len(groups) == 2 and spans and all(
            "".join(r[spans[0][0] + 1:spans[0][1]]).strip() for r in groups[1]):
        groups = [groups[0]] + [[r] for r in groups[1]]
    out = []
    for g in groups:
        for a, b in spans:
            out.append(" ".join("".join(row[a + 1:b]) for row in g))
    return "\n".join(out), j


def text_text(s):
    # Bidi isolates around each field (FSI ... PDI) take no column: gone
    # before the boxes are read by column.
    s = re.sub("[\u2066-\u2069]", "", s)
    for r in TEXT_FURNITURE:
        s = r.sub("", s)
    lines = s.split("\n")
    out, i = [], 0
    while i < len(lines):
        if "\u256d" in lines[i]:  # cards, side by side in a grid
            t, i = boxes(lines, i, "\u256d", "\u2570", "\u256d\u256e")
            out.append(t)
        elif re.fullmatch("\u2500+\u252c\u2500+", lines[i]):
            # a criterion row: the criterion beside its evidence, read
            # as the other formats order them (criterion, then evidence)
            col = columns(lines[i]).index("\u252c")
            left, right = [], []
            i += 1
            while i < len(lines) and lines[i].strip():
                row = columns(lines[i])
                left.append("".join(row[:col]))
                right.append("".join(row[col + 1:]))
                i += 1
            out.append(" ".join(left) + "\n" + " ".join(right))
        elif "\u250c" in lines[i]:  # a table
            t, i = boxes(lines, i, "\u250c", "\u2514", "\u250c\u252c\u2510")
            out.append(t)
        else:
            out.append(lines[i])
            i += 1
    return "\n".join(out)


def first_diff(a, b, na, nb):
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            continue
        ctx = " ".join(a[max(0, i1 - 4):i1])
        return "after '%s': %s has '%s', %s has '%s'" % (
            ctx, na, " ".join(a[i1:min(i2, i1 + 12)]), nb,
            " ".join(b[j1:min(j2, j1 + 12)]))
    return "same"


def main():
    quire, repo, out = sys.argv[1:4]
    for d in ("corpus", "text", "html", "pdf", "dom"):
        os.makedirs(os.path.join(out, d), exist_ok=True)
    files = sorted(os.path.join(dp, f)
                   for dp, _, fs in os.walk(os.path.join(repo, "samples"))
                   for f in fs if f.endswith(".json") and "tools" not in dp)
    files += corpus(os.path.join(out, "corpus"))
    cases = [(os.path.basename(f)[:-5], f, []) for f in files]
    # --body: the markdown of a report that has json too, alone and after
    # the json (the masthead's title and summary are not repeated).
    for f in files:
        if f.endswith(os.path.join("v2", "sales_playbook.json")) or \
           f.endswith(os.path.join("node-era", "url_type.json")):
            n = os.path.basename(f)[:-5]
            cases += [(n + "-markdown", f, ["--body", "markdown"]),
                      (n + "-both", f, ["--body", "both"])]
    passed = failed = 0
    docs = {}
    # Invalid values are shown as given, the same in every format.
    given = {"bad_values": ["20x6-03-04", "-5000", "1.7", "140"]}
    for name, f, extra in cases:
        t = os.path.join(out, "text", name + ".txt")
        h = os.path.join(out, "html", name + ".html")
        p = os.path.join(out, "pdf", name + ".pdf")
        bad = []
        r = run([quire, "render", "-q", "--no-pager", "--color=never",
                 "--width", "160", f, "-f", "text", "-o", t] + extra)
        bad += [] if r.returncode == 0 else ["text exit %d" % r.returncode]
        r = run([quire, "render", "-q", f, "-f", "html", "-o", h] + extra)
        bad += [] if r.returncode == 0 else ["html exit %d" % r.returncode]
        r = run([quire, "render", "-q", f, "-f", "pdf", "-o", p] + extra)
        bad += [] if r.returncode == 0 else ["pdf exit %d" % r.returncode]
        if bad:
            failed += 1
            print("not ok - %s: %s" % (name, ", ".join(bad)))
            continue
        docs[name] = (t, h, p)
    dom = run(["node", os.path.join(os.path.dirname(__file__), "agree_dom.js"),
               "--drop", HTML_DROP, os.path.join(out, "dom")] +
              [v[1] for v in docs.values()])
    if dom.returncode != 0:
        failed += 1
        print("not ok - chromium: %s" % dom.stderr.decode()[-500:])
    for name, (t, h, p) in docs.items():
        with open(t, encoding="utf-8") as fh:
            tw = words(text_text(fh.read()))
        dpath = os.path.join(out, "dom", name + ".dom.txt")
        hw = words(open(dpath, encoding="utf-8").read()) \
            if os.path.exists(dpath) else []
        pw = words(pdf_text(p))
        if name in given:
            raw = {"text": open(t, encoding="utf-8").read(),
                   "html": open(dpath, encoding="utf-8").read()
                   if os.path.exists(dpath) else "",
                   "pdf": pdf_text(p)}
            missing = ["%s lacks %r" % (fmt, v) for v in given[name]
                       for fmt, txt in raw.items() if v not in txt]
            if missing:
                failed += 1
                print("not ok - %s: not shown as given: %s" %
                      (name, ", ".join(missing)))
            else:
                passed += 1
                print("ok - %s: shown as given in every format" % name)
        with open(os.path.join(out, name + ".words"), "w") as fh:
            for fmt, w in (("text", tw), ("html", hw), ("pdf", pw)):
                fh.write("== %s\n%s\n" % (fmt, " ".join(w)))
        # pdftotext joins a word hyphenated across lines; compare the
        # letters, and name the first differing words.
        same = stream(tw) == stream(hw) == stream(pw)
        why = []
        if stream(tw) != stream(hw):
            why.append(first_diff(tw, hw, "text", "html"))
        if stream(tw) != stream(pw):
            why.append(first_diff(tw, pw, "text", "pdf"))
        if name in EXPECTED:
            if same:
                failed += 1
                print("not ok - %s agrees now: remove it from EXPECTED" % name)
            else:
                passed += 1
                print("ok - %s # expected to disagree: %s" %
                      (name, EXPECTED[name]))
        elif same:
            passed += 1
            print("ok - %s: %d words agree" % (name, len(tw)))
        else:
            failed += 1
            print("not ok - %s: %s" % (name, "; ".join(why)))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
