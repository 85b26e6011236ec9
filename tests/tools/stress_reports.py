#!/usr/bin/env python3
"""Writes reports that stress the page flow into a folder, the same bytes
every time (no clock, no randomness): a one-page report, a forty-page one,
long titles, many short sections, huge grids, illustrations after text,
each Conduit template, right-to-left and CJK-heavy contents.

usage: stress_reports.py OUTDIR

tests/suites/pdf_layout.sh renders each in both PDF engines and checks the
pages with tests/tools/pdf_layout.py; EXPECT below says what each must give.
"""
import json
import os
import sys

WORDS = ("the team reviewed pipeline numbers before the quarterly call and "
         "agreed on a plan with owners dates and one clear risk to watch "
         "closely while the budget vote approached").split()

# name -> (pages: exact int, or (lo, hi) inclusive; contents expected)
EXPECT = {}


def text(n, seed=0):
    return " ".join(WORDS[(seed * 7 + i) % len(WORDS)] for i in range(n)) + "."


def envelope(rid, title, template, sections, summary=None, label="Stress"):
    body = {"schemaVersion": 2, "title": title, "template": template,
            "sections": sections}
    if summary:
        body["summary"] = summary
    return {"id": rid, "createdAt": "2026-02-03T10:00:00Z", "jobId": "job_s",
            "label": label,
            "entity": {"id": "entity_s", "label": "Sam Stress"},
            "media": {"mediaId": "media_s",
                      "url": "https://storage.example.com/media/media_s"},
            "output": {"template": template}, "json": body, "markdown": None}


def para(key, title, n, seed=0):
    return {"kind": "paragraph", "key": key, "title": title,
            "body": text(n, seed)}


def actions(key, title, k, n):
    return {"kind": "actions", "key": key, "title": title,
            "items": [{"title": f"Step title {i + 1}", "context": text(n, i)}
                      for i in range(k)]}


def legacy(rid, title, sections):
    return {"id": rid, "createdAt": "2026-02-03T10:00:00Z", "jobId": "job_s",
            "label": title, "summary": text(40),
            "media": {"mediaId": "media_s",
                      "url": "https://storage.example.com/media/media_s"},
            "output": {"template": "general_report"},
            "entity": {"id": "entity_s", "label": "Sam Stress"},
            "markdown": None, "sections": sections}


def forty_range(secs):
    """The page range a long report's content should fill, from its length
    at the default type (templates/default/theme.json: 10.5 pt body on
    15 pt leading, 65-75 characters a line; text set at another measure
    makes this fail, which is the point). An A4 page's flow, between the
    running header and the footer, holds 48 body lines (725 pt). Each
    heading with the space around it takes about three lines; step cards
    are set narrower (their padding: about 60 characters a line) and each
    has a title line and padding, another two; the contents list of a
    50-section report and the closing "About this report" take two to three
    pages; keeping headings with their text and cards whole leaves up to a
    tenth of the flow empty."""
    lines_per_page = 48
    body = sum(len(s["body"]) + 1 for s in secs if s["kind"] == "paragraph")
    cards = [i["context"] for s in secs if s["kind"] == "actions"
             for i in s["items"]]
    card_chars = sum(len(c) + 1 for c in cards)
    overhead = 3 * len(secs) + 2 * len(cards)
    lo = (body / 75 + card_chars / 70 + overhead) / lines_per_page + 2
    hi = (body / 65 + card_chars / 55 + overhead) / lines_per_page * 1.1 + 3
    return (int(lo), int(hi + 0.999))


def reports():
    r = {}
    r["one_page"] = envelope("r_one", "One page", "general_report",
                             [para("a", "Only section", 60),
                              para("b", "Second", 40, 1)], text(30))
    EXPECT["one_page"] = (1, False)

    secs = []
    for i in range(40):
        secs.append(para(f"p{i}", f"Section {i + 1}: a long look at part {i}",
                         380 + (i * 37) % 300, i))
        if i % 4 == 3:
            secs.append(actions(f"a{i}", f"Next steps {i + 1}", 4, 60))
    r["forty_pages"] = envelope("r_forty", "Forty pages", "general_report",
                                secs, text(60))
    EXPECT["forty_pages"] = (forty_range(secs), True)

    long_title = " ".join(["An extraordinarily long report title"] * 8)
    r["long_titles"] = envelope(
        "r_long", long_title, "sales_playbook",
        [para(f"l{i}", ("Section heading that goes on and on " * 5).strip()
              + f" {i}", 90, i) for i in range(9)], text(80))
    EXPECT["long_titles"] = ((3, 6), True)

    r["many_short"] = envelope(
        "r_many", "Many short sections", "general_report",
        [para(f"s{i}", f"Short {i + 1}", 12, i) for i in range(45)], text(20))
    EXPECT["many_short"] = ((3, 8), True)

    grids = []
    for g in range(3):
        grids.append({"section_title": f"Grid {g + 1}", "section_content": {
            "type": "grid", "columns": 2 + g,
            "items": [{"type": "card", "icon": "star",
                       "title": f"Card {g}.{k}", "content": text(25 + 9 * (k % 5), k)}
                      for k in range(24)]}})
    r["huge_grids"] = legacy("r_grids", "Huge grids", grids)
    EXPECT["huge_grids"] = ((6, 16), True)

    ill = []
    for i in range(8):
        ill.append({"section_title": f"Watch-outs {i + 1}", "section_content": [
            {"type": "text", "content": text(120 + 35 * i, i)},
            {"type": "illustration", "variant": ["growth", "conversation",
                                                 "connection", "analysis"][i % 4]}]})
        ill.append({"section_title": f"Team fit {i + 1}", "section_content": {
            "type": "text", "content": text(70, i + 3)}})
    r["illustrations"] = legacy("r_ill", "Illustrations after text", ill)
    EXPECT["illustrations"] = ((4, 9), True)

    for tpl in ("general_report", "hiring_report", "sales_playbook",
                "profile_alignment"):
        r[f"tpl_{tpl}"] = envelope(
            f"r_{tpl}", f"Template {tpl}", tpl,
            [para(f"t{i}", f"{tpl} part {i + 1}", 150, i) for i in range(6)]
            + [actions("act", "What to do", 5, 40)], text(50))
        EXPECT[f"tpl_{tpl}"] = ((2, 5), None)

    rtl = ["\u0643\u064a\u0641 \u064a\u0641\u0643\u0631", "\u0627\u0644\u062e\u0644\u0627\u0635\u0629",
           "\u6838\u5fc3\u4f18\u52bf", "\u538b\u529b\u4e4b\u4e0b", "\u6c9f\u901a\u98ce\u683c"]
    r["rtl_cjk"] = envelope(
        "r_intl", "\u0627\u0644\u062a\u0642\u0631\u064a\u0631 \u2014 \u62a5\u544a",
        "general_report",
        [{"kind": "paragraph", "key": f"i{i}",
          "title": f"{rtl[i % len(rtl)]} {i + 1}",
          "body": ("\u0647\u0630\u0627 \u0646\u0635 \u0639\u0631\u0628\u064a \u0637\u0648\u064a\u0644 " * 20
                   if i % 2 else "\u8fd9\u662f\u4e00\u6bb5\u5f88\u957f\u7684\u4e2d\u6587\u6587\u5b57\u3002" * 30)}
         for i in range(10)], text(20))
    EXPECT["rtl_cjk"] = ((2, 6), True)
    return r


def main(argv):
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    os.makedirs(argv[0], exist_ok=True)
    for name, doc in reports().items():
        with open(os.path.join(argv[0], name + ".json"), "w",
                  encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False, indent=1, sort_keys=True)
            f.write("\n")
    with open(os.path.join(argv[0], "expect.txt"), "w") as f:
        for name, (pages, toc) in sorted(EXPECT.items()):
            lo, hi = pages if isinstance(pages, tuple) else (pages, pages)
            f.write(f"{name} {lo} {hi} "
                    f"{'-' if toc is None else 'yes' if toc else 'no'}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
