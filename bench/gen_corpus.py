#!/usr/bin/env python3
"""Generates the benchmark corpus: 1,000 Conduit reports of varied shapes and
lengths from a fixed seed, so every run (and every machine) benches the same
bytes.

Shapes, in a fixed mix: current REST v2 (json sections + markdown, 60%),
legacy sections (cards, grids, text, illustrations, 25%) and markdown-only
(15%). Lengths follow a long-tailed distribution: most reports have 4-12
sections, a few have 40+.

Writes OUT/NNNN.json (one pretty report each), OUT/corpus.ndjson (the same
reports one per line) and OUT/md/NNNN.md (each report's markdown, for pandoc).
Only the standard library is used.
"""
import argparse
import json
import os
import random

WORDS = (
    "she he they the team call pricing renewal pilot depot metric number "
    "evidence decision risk budget timeline customer partner contract scope "
    "quarter forecast churn margin volume lane route fleet driver schedule "
    "question answer objection concession agenda summary follow-up deadline "
    "trust rapport detail context pressure priority trade-off exclusivity "
    "baseline sample review plan owner stakeholder approval signal pattern "
    "steady calm direct brief careful warm sceptical precise practical firm"
).split()
INTL = ["café", "naïve", "Zürich", "São Paulo", "Ελλάδα", "Москва", "北京",
        "東京", "مرحبا", "Ærø"]
ICONS = ["star", "target", "lightbulb", "users", "message", "heart", "shield",
         "clock", "trending-up", "chart"]
ILLUS = ["conversation", "growth", "connection", "analysis"]
V2_KEYS = ["how_they_think", "how_they_operate", "what_drives_them",
           "how_they_connect", "how_they_handle_feedback", "pressure_response",
           "what_drives_a_yes", "how_to_build_rapport_fast", "buying_tendencies",
           "how_they_handle_pushback_and_objections"]
ACTION_KEYS = ["how_to_close", "how_to_follow_up", "how_to_get_their_best",
               "how_to_handle_the_hard_parts"]


def sentence(rng, lo=6, hi=22):
    n = rng.randint(lo, hi)
    w = [rng.choice(WORDS) for _ in range(n)]
    if rng.random() < 0.08:
        w.insert(rng.randrange(len(w)), rng.choice(INTL))
    if rng.random() < 0.15:
        w.insert(rng.randrange(len(w)), "%d%%" % rng.randint(1, 99))
    s = " ".join(w)
    return s[0].upper() + s[1:] + "."


def para(rng, lo=2, hi=6):
    return " ".join(sentence(rng) for _ in range(rng.randint(lo, hi)))


def title(rng):
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 5))).capitalize()


def n_sections(rng):
    # Long tail: ~85% short/medium, ~15% long, a few very long.
    r = rng.random()
    if r < 0.55:
        return rng.randint(3, 8)
    if r < 0.85:
        return rng.randint(9, 16)
    if r < 0.97:
        return rng.randint(17, 40)
    return rng.randint(41, 70)


def markdown(rng, heading, n):
    out = ["# " + heading, "", "*" + sentence(rng) + "*", ""]
    for i in range(n):
        out += ["## " + title(rng), "", para(rng), ""]
        k = rng.random()
        if k < 0.25:
            out += ["- " + sentence(rng, 4, 10) for _ in range(rng.randint(2, 6))] + [""]
        elif k < 0.35:
            out += ["| Item | Owner | Score |", "|:--|:-:|--:|"]
            out += ["| %s | %s | %d |" % (title(rng), rng.choice(WORDS), rng.randint(1, 10))
                    for _ in range(rng.randint(2, 8))] + [""]
        elif k < 0.42:
            out += ["- [x] " + sentence(rng, 3, 8), "- [ ] " + sentence(rng, 3, 8), ""]
        elif k < 0.48:
            out += ["> " + sentence(rng), ""]
        elif k < 0.52:
            out += ["See [the notes](https://example.com/notes/%d) and `code`." % i, ""]
    return "\n".join(out)


def base(rng, i, template):
    return {
        "id": "report_bench%05d" % i,
        "createdAt": "2026-%02d-%02dT%02d:%02d:00.000Z" % (
            rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59)),
        "jobId": "job_bench%05d" % i,
        "label": title(rng),
        "entity": {"id": "entity_bench%05d" % i, "label": title(rng)},
        "media": {"mediaId": "media_bench%05d" % i},
        "output": {"template": template},
    }


def v2(rng, i):
    template = rng.choice(["sales_playbook", "general_report"])
    d = base(rng, i, template)
    n = n_sections(rng)
    secs = [{"kind": "traits", "key": "dominating_traits", "title": "Dominating traits",
             "body": para(rng, 1, 3), "phrases": [title(rng) for _ in range(3)]}]
    for _ in range(n - 1):
        r = rng.random()
        if r < 0.7:
            secs.append({"kind": "paragraph", "key": rng.choice(V2_KEYS),
                         "title": title(rng), "body": para(rng)})
        else:
            secs.append({"kind": "actions", "key": rng.choice(ACTION_KEYS), "title": title(rng),
                         "items": [{"title": sentence(rng, 3, 8), "context": para(rng, 1, 3)}
                                   for _ in range(rng.randint(2, 5))]})
    secs.append({"kind": "paragraph", "key": "bottom_line", "title": "Bottom line",
                 "body": para(rng, 1, 3)})
    heading = title(rng)
    d["json"] = {"schemaVersion": 2, "title": heading, "summary": sentence(rng),
                 "template": template, "sections": secs,
                 "meta": {"prompt": {"labels": ["production", "en"],
                                    "name": "reports/" + template, "version": 3},
                         "render": {"provider": "anthropic", "model": "claude",
                                    "attempts": 1}}}
    d["markdown"] = markdown(rng, heading, max(2, n // 2))
    return d


def block(rng, depth=0):
    r = rng.random()
    if r < 0.35:
        return {"type": "card", "icon": rng.choice(ICONS), "title": title(rng),
                "content": para(rng, 1, 3)}
    if r < 0.65:
        b = {"type": "text", "content": para(rng)}
        if rng.random() < 0.6:
            b["title"] = title(rng)
        return b
    if r < 0.85:
        cols = rng.choice([2, 3, 4])
        return {"type": "grid", "columns": cols,
                "items": [{"type": "card", "icon": rng.choice(ICONS), "title": title(rng),
                           "content": para(rng, 1, 2)} for _ in range(cols)]}
    return {"type": "illustration", "variant": rng.choice(ILLUS)}


def legacy(rng, i):
    d = base(rng, i, "general_report")
    n = n_sections(rng)
    secs = []
    for _ in range(n):
        content = block(rng) if rng.random() < 0.6 else [block(rng) for _ in range(rng.randint(2, 4))]
        secs.append({"section_title": title(rng), "section_content": content})
    d["summary"] = sentence(rng)
    d["sections"] = secs
    d["markdown"] = None
    d["metrics"] = {"durationSec": rng.randint(300, 4000), "talkRatio": round(rng.random(), 2)}
    return d


def md_only(rng, i):
    d = base(rng, i, "general_report")
    d["markdown"] = markdown(rng, title(rng), n_sections(rng))
    return d


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-o", "--out", default="bench/out/corpus")
    ap.add_argument("-n", "--count", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=20260318)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    os.makedirs(os.path.join(a.out, "md"), exist_ok=True)
    with open(os.path.join(a.out, "corpus.ndjson"), "w", encoding="utf-8") as nd:
        for i in range(1, a.count + 1):
            r = rng.random()
            d = v2(rng, i) if r < 0.60 else legacy(rng, i) if r < 0.85 else md_only(rng, i)
            with open(os.path.join(a.out, "%04d.json" % i), "w", encoding="utf-8") as f:
                json.dump(d, f, ensure_ascii=False, indent=2)
                f.write("\n")
            nd.write(json.dumps(d, ensure_ascii=False, separators=(",", ":")) + "\n")
            with open(os.path.join(a.out, "md", "%04d.md" % i), "w", encoding="utf-8") as f:
                f.write(d.get("markdown") or "")


if __name__ == "__main__":
    main()
