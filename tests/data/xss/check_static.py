#!/usr/bin/env python3
"""Static checks of rendered HTML: no event-handler attribute in any real
tag, no script-capable element, every href http(s)/mailto/#fragment, no
src attribute pointing anywhere. Report text is always escaped, so every
literal '<' in the file starts a real tag; quoted attribute values are
removed before looking for attribute names, so escaped payload text inside
them cannot give false alarms. usage: check_static.py FILE.html...
Prints one line per problem; exit 1 when any."""
import re, sys

bad = 0
for path in sys.argv[1:]:
    html = open(path, encoding='utf-8').read()
    for m in re.finditer(r'<([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>', html):
        tag, attrs = m.group(1).lower(), m.group(2)
        bare = re.sub(r'"[^"]*"|\'[^\']*\'', '""', attrs)
        problems = []
        if re.search(r'(^|[\s/"])on[a-z]+\s*=', bare, re.I):
            problems.append('event-handler attribute')
        if tag in ('script', 'iframe', 'object', 'embed', 'base', 'link', 'img', 'form', 'frame', 'applet'):
            problems.append('forbidden element')
        if tag == 'meta' and 'http-equiv' in attrs.lower() and 'Content-Security-Policy' not in attrs:
            problems.append('meta http-equiv other than CSP')
        for h in re.findall(r'\s(?:href|src|xlink:href|action|formaction)\s*=\s*"([^"]*)"', attrs, re.I):
            if not re.match(r'(https?://|mailto:|#)', h):
                problems.append('unsafe URL ' + h[:60])
        if re.search(r'\ssrc\s*=', bare, re.I):
            problems.append('src attribute')
        for p in problems:
            bad += 1
            print(f'{path}: <{tag}{attrs[:80]}>: {p}')
sys.exit(1 if bad else 0)
