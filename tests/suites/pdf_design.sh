#!/bin/sh
# The HTML's design on paper, read back from the PDF with pdftotext -bbox
# (tests/tools/pdf_design.py), in each PDF engine the build has: the fact
# grid of the Conduit templates (labels in capitals over their values),
# sales_playbook's "STEP n" badges, profile_alignment's criterion rows.
# With issue 14's type, the default theme's (10.5/15 pt body, 33 mm side
# margins): the measure of body text (65-75 characters a line) and the
# grid rule (a grid too narrow for its columns drops to fewer, so no word
# breaks inside). tests/data/themes/wide is the type before it (10 pt,
# 18 mm sides), where a 3-card grid still fits in 3 columns.
. tests/lib.sh
: "${QUIRE:?}" "${TEST_OUT:?}"
D=tests/tools/pdf_design.py
engines="cairo haru"
[ "${PDF:-all}" = haru ] && engines=haru
for e in $engines; do
  for n in sales_playbook hiring_report profile_alignment general_report; do
    check "$n ($e): renders" "$QUIRE" render "samples/v2/$n.json" -f pdf \
      --pdf-engine=$e -o "$TEST_OUT/$n.$e.pdf"
  done
  check "sales_playbook ($e): fact grid" python3 $D factgrid \
    "$TEST_OUT/sales_playbook.$e.pdf" REPORT,PERSON,DATE,CONVERSATION
  check "hiring_report ($e): fact grid" python3 $D factgrid \
    "$TEST_OUT/hiring_report.$e.pdf" CANDIDATE,INTERVIEW,CONVERSATION
  check "profile_alignment ($e): fact grid" python3 $D factgrid \
    "$TEST_OUT/profile_alignment.$e.pdf" PROFILE,ASSESSED,BASED
  check "sales_playbook ($e): seven step badges" python3 $D stack \
    "$TEST_OUT/sales_playbook.$e.pdf" STEP 7
  check "sales_playbook ($e): summary panel label" python3 $D stack \
    "$TEST_OUT/sales_playbook.$e.pdf" SUMMARY 1
  check "profile_alignment ($e): criterion rows" python3 $D criterion \
    "$TEST_OUT/profile_alignment.$e.pdf" Coaching Aiko
  for n in sales_playbook hiring_report general_report; do
    check "$n ($e): measure 65-75 characters" python3 $D \
      measure "$TEST_OUT/$n.$e.pdf" 65 75
  done
  for f in matching/matching legacy/all_blocks; do
    n=$(basename $f)
    "$QUIRE" render "samples/$f.json" -f text -o "$TEST_OUT/$n.txt"
    check "$n ($e): renders" "$QUIRE" render \
      "samples/$f.json" -f pdf --pdf-engine=$e -o "$TEST_OUT/$n.$e.pdf"
    check "$n ($e): no word broken inside" python3 $D words \
      "$TEST_OUT/$n.$e.pdf" "$TEST_OUT/$n.txt"
  done
  check "matching ($e): a 3-card grid in 2 columns" \
    python3 $D columns "$TEST_OUT/matching.$e.pdf" Outcome,Direct,High 2
  "$QUIRE" render --templates tests/data/themes/wide \
    samples/matching/matching.json -f pdf --pdf-engine=$e \
    -o "$TEST_OUT/matching.w.$e.pdf"
  check "matching ($e): 3 columns where they fit (wide theme)" \
    python3 $D columns "$TEST_OUT/matching.w.$e.pdf" Outcome,Direct,High 3
  # Right to left in small places: a fact label over a right-to-left
  # value sits on the value's side of its cell; a right-to-left table runs
  # right to left; an Arabic contents entry hangs from the list's left
  # edge like the others (multiscript).
  python3 - "$TEST_OUT" <<'PY'
import json, sys
d = json.load(open("samples/v2/sales_playbook.json"))
d["entity"]["label"] = "\u064a\u0648\u0633\u0641 \u0627\u0644\u062d\u062f\u0627\u062f"
json.dump(d, open(sys.argv[1] + "/sp_rtl.json", "w"))
md = ("# \u062a\u0642\u0631\u064a\u0631\n\n| \u0627\u0644\u0627\u0633\u0645 | \u0627\u0644\u062f\u0648\u0631 | "
      "\u0627\u0644\u0645\u062f\u064a\u0646\u0629 |\n|---|---|---|\n| \u064a\u0648\u0633\u0641 | \u0645\u062f\u064a\u0631 | "
      "\u0639\u0645\u0627\u0646 |\n| Sam | Lead | London |\n")
json.dump({"id": "r_rtl_table", "createdAt": "2026-03-01T10:00:00Z",
           "markdown": md}, open(sys.argv[1] + "/md_rtl.json", "w"))
PY
  "$QUIRE" render -q "$TEST_OUT/sp_rtl.json" -f pdf --pdf-engine=$e -o "$TEST_OUT/sp_rtl.$e.pdf"
  check "right-to-left person ($e): its label on its side" python3 $D \
    sameside "$TEST_OUT/sp_rtl.$e.pdf" PERSON
  check "left-to-right date ($e): its label on its side" python3 $D \
    sameside "$TEST_OUT/sp_rtl.$e.pdf" DATE
  "$QUIRE" render -q "$TEST_OUT/md_rtl.json" -f pdf --pdf-engine=$e -o "$TEST_OUT/md_rtl.$e.pdf"
  check "right-to-left table ($e): first column on the right" python3 $D \
    rtltable "$TEST_OUT/md_rtl.$e.pdf" Sam London
  "$QUIRE" render -q samples/intl/multiscript.json -f pdf --pdf-engine=$e -o "$TEST_OUT/multiscript.$e.pdf"
  # "About this report": a label column as wide as its labels, so
  # "Render · Attempts" is one line beside its value (at a fixed 36 % of
  # the narrow column it wrapped)
  check "hiring_report ($e): About labels on one line" python3 $D \
    oneline "$TEST_OUT/hiring_report.$e.pdf" "·" Attempts
  check "multiscript ($e): the Arabic contents entry hangs from the left" \
    python3 $D hangs "$TEST_OUT/multiscript.$e.pdf" handling pressure
done
done_suite
