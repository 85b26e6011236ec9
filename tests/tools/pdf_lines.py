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
# A separator pdftotext puts before right-to-left letters: in a left-to-
# right line "<Arabic> — English" it reads the dash with the Arabic run and
# writes it first; on the page the Arabic is first (a contents entry).
RTL_AFTER = re.compile("^[\u2014\u2013\u00b7] ?[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
bad = 0
for f in sys.argv[1:]:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", f, "-"],
                         capture_output=True, text=True).stdout
    for line in out.split("\n"):
        s = BIDI.sub("", line).strip()
        if not s:
            continue
        why = None
        if s[-1] in "«‹":
            why = "ends with an opening guillemet"
        elif s[0] in "»›·—–" and not RTL_AFTER.match(s):
            why = "starts with a separator"
        if why:
            print("%s: line %s: %r" % (f, why, s[:70]))
            bad += 1
sys.exit(1 if bad else 0)
