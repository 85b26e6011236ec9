#!/usr/bin/env python3
"""WCAG 2 contrast of every text/background pair the templates use, light
and dark, for every built-in theme (templates/*/theme.json over default).
Prints one line per pair below 4.5:1 (AA for body text) and the summary
line "N passed, N failed"."""
import copy
import glob
import json
import os


def lum(h):
    h = h.lstrip('#')
    r, g, b = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    f = lambda c: c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b)


def ratio(a, b):
    la, lb = lum(a), lum(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def merge(a, b):
    for k, v in b.items():
        if isinstance(v, dict) and isinstance(a.get(k), dict):
            merge(a[k], v)
        else:
            a[k] = v


base = json.load(open('templates/default/theme.json'))
passed = failed = 0
for path in sorted(glob.glob('templates/*/theme.json')):
    name = os.path.basename(os.path.dirname(path))
    th = copy.deepcopy(base)
    if name != 'default':
        merge(th, json.load(open(path)))
    p = th['palette']
    d = dict(p)
    d.update(th.get('dark', {}))
    pairs = [('ink on paper', p['ink'], p['paper']),
             ('ink on surface', p['ink'], p['surface']),
             ('muted on paper', p['muted'], p['paper']),
             ('muted on surface', p['muted'], p['surface']),
             ('heading on paper', p['heading'], p['paper']),
             ('accent on paper', p['accent'], p['paper']),
             ('accent on accentSoft', p['accent'], p['accentSoft']),
             ('link on paper', p['link'], p['paper']),
             ('white on accent', '#ffffff', p['accent'])]
    pairs += [('chip %d on paper' % i, c, p['paper']) for i, c in enumerate(p['chips'])]
    pairs += [('dark ink on paper', d['ink'], d['paper']),
              ('dark muted on surface', d['muted'], d['surface']),
              ('dark heading on paper', d['heading'], d['paper']),
              ('dark link on paper', d['link'], d['paper']),
              ('dark accent on accentSoft', d['accent'], d['accentSoft'])]
    for label, fg, bg in pairs:
        r = ratio(fg, bg)
        if r >= 4.5:
            passed += 1
        else:
            failed += 1
            print('not ok: %s: %s %s on %s is %.2f:1, under 4.5:1' % (name, label, fg, bg, r))
print('%d passed, %d failed' % (passed, failed))
