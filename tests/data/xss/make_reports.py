#!/usr/bin/env python3
"""Writes XSS test reports: every string field of each sample gets a payload
from payloads.txt, appended ("append" reports, which keep the structure) or
instead of the value ("replace" reports, which also put javascript: and
data: URLs into URL fields and break kinds into unknown blocks).

usage: make_reports.py OUTDIR SAMPLE.json..."""
import json, os, sys

here = os.path.dirname(os.path.abspath(__file__))
payloads = [l.rstrip('\n') for l in open(os.path.join(here, 'payloads.txt'), encoding='utf-8') if l.strip()]

def walk(v, fn, key=None):
    if isinstance(v, dict):
        return {k: walk(x, fn, k) for k, x in v.items()}
    if isinstance(v, list):
        return [walk(x, fn, key) for x in v]
    if isinstance(v, str):
        return fn(v, key)
    return v

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
for path in sys.argv[2:]:
    base = os.path.splitext(os.path.basename(path))[0]
    doc = json.load(open(path, encoding='utf-8'))
    for mode in ('append', 'replace'):
        for rot in range(0, len(payloads), 12):
            i = [rot]
            def fn(s, key, mode=mode):
                p = payloads[i[0] % len(payloads)]
                i[0] += 1
                if key == 'markdown' or key == 'body':
                    # markdown gets every payload, in text and as links
                    return s + '\n\n' + '\n\n'.join(payloads)
                return p if mode == 'replace' else s + p
            d = walk(doc, fn)
            name = f'{base}-{mode}-{rot}.json'
            json.dump(d, open(os.path.join(out, name), 'w', encoding='utf-8'), ensure_ascii=False, indent=1)
