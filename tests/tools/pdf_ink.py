#!/usr/bin/env python3
"""How much ink each occurrence of a word has on page 1 of a PDF:

  pdf_ink.py FILE.pdf WORD

Finds WORD's boxes with `pdftotext -bbox`, rasterises each box at 144 dpi
as greyscale (pdftoppm -gray) and prints, per occurrence in reading order,
the sum of darkness (255 - grey) over the box, one number a line. Used to
check that bold text is heavier than regular text where a face has no
bold (synthetic emboldening).
"""
import re
import subprocess
import sys

pdf, word = sys.argv[1], sys.argv[2]
DPI = 144
bbox = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-bbox", pdf, "-"],
                      capture_output=True, text=True).stdout
pat = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                 r'yMax="([\d.]+)">([^<]*)</word>')
for m in pat.finditer(bbox):
    if m.group(5) != word:
        continue
    x0, y0, x1, y1 = (float(m.group(i)) * DPI / 72 for i in range(1, 5))
    pgm = subprocess.run(
        ["pdftoppm", "-f", "1", "-l", "1", "-r", str(DPI), "-gray",
         "-x", str(int(x0)), "-y", str(int(y0)), "-W", str(int(x1 - x0) + 1),
         "-H", str(int(y1 - y0) + 1), pdf], capture_output=True).stdout
    # binary PGM: "P5\nW H\n255\n" then bytes
    parts = pgm.split(b"\n", 3)
    w, h = (int(v) for v in parts[1].split())
    data = parts[3][:w * h]
    print(sum(255 - b for b in data))
