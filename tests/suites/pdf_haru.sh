# The lean libharu PDF engine (--pdf-engine=haru) over every sample: qpdf
# clean, fonts embedded, byte-identical on a second run, and the same words
# in the same order as the cairo engine's PDF (in a build with cairo).
# Runs in both configurations (PDF=all and PDF=haru).
. tests/lib.sh
Q=$QUIRE
T=$TEST_OUT
PDF=${PDF:-all}

# Words of a PDF's text, one per line. Characters outside the BMP are
# removed on both sides (libharu cannot set them; it warns instead), and so
# are Arabic letters: pango's glyph clusters (lam-alef, shadda) come back
# from pdftotext split or reordered ("مان ع" for "عمّان"), libharu's
# presentation forms do not, so the two cannot agree there.
# Words without a letter or digit ("—", "·") go too: bidi moves such
# neutral punctuation to the other side of a right-to-left run.
# Only the flow area (A4: below the running header, above the footer) and
# in painting order (-raw): a paragraph cut across pages then reads the
# same in both engines wherever each broke its lines.
words() {
  pdftotext -raw -y 45 -H 760 -x 0 -W 2000 -enc UTF-8 "$1" - 2>/dev/null |
    perl -CSD -pe 's/[^\x{0}-\x{FFFF}]//g; s/[\x{200E}\x{200F}\x{202A}-\x{202E}\x{2066}-\x{2069}]//g; s/[\x{0600}-\x{06FF}\x{FB50}-\x{FDFF}\x{FE70}-\x{FEFF}]+//g' |
    tr -s '[:space:]' '\n' | perl -CSD -ne 'print if /[\p{L}\p{N}]/'
}

have_cairo=1
if [ "$PDF" = haru ]; then
  have_cairo=0
  echo "# PDF=haru: no cairo engine in this build; the word-order comparison"
  echo "# with the cairo PDF is skipped (the text checks below still run)."
fi

for f in samples/*/*.json; do
  n=$(basename "$f" .json)
  out=$T/$n.haru.pdf
  expect_status 0 "render $f with haru" \
    "$Q" render --pdf-engine=haru "$f" -o "$out" 2>"$T/$n.haru.stderr"
  [ -s "$out" ] || { fail "$f: no haru PDF"; continue; }
  check "$f: qpdf --check" sh -c "qpdf --check '$out' >'$T/$n.qpdf' 2>&1"
  pdffonts "$out" >"$T/$n.fonts" 2>/dev/null
  check "$f: fonts embedded" awk 'NR>2{n++; if ($(NF-4)!="yes") bad=1} END{exit bad || n<1}' "$T/$n.fonts"
  "$Q" render --pdf-engine=haru "$f" -o "$T/$n.haru2.pdf" 2>/dev/null
  check "$f: byte-identical second render" cmp -s "$out" "$T/$n.haru2.pdf"
  rm -f "$T/$n.haru2.pdf"
  words "$out" >"$T/$n.haru.words"
  check "$f: text extracted" test "$(wc -l <"$T/$n.haru.words")" -gt 20
  title=$(pdfinfo "$out" 2>/dev/null | sed -n 's/^Title: *//p')
  check "$f: title in metadata" test -n "$title"
  check "$f: creation date from the report" sh -c "pdfinfo '$out' | grep -q '^CreationDate:'"
  if [ "$have_cairo" = 1 ]; then
    "$Q" render --pdf-engine=cairo "$f" -o "$T/$n.cairo.pdf" 2>/dev/null
    words "$T/$n.cairo.pdf" >"$T/$n.cairo.words"
    if cmp -s "$T/$n.haru.words" "$T/$n.cairo.words"; then ok; else
      fail "$f: words differ from the cairo PDF"
      diff "$T/$n.cairo.words" "$T/$n.haru.words" | head -n 10
    fi
    # The same pages and the same line breaks: haru measures as pango does
    # (exact advances, the font's kerning pairs and ligatures), so every
    # line holds the same words. multiscript's lines are compared by page
    # count only: pdftotext splits pango's Arabic clusters into lines.
    pc=$(pdfinfo "$T/$n.cairo.pdf" 2>/dev/null | awk '/^Pages:/{print $2}')
    ph=$(pdfinfo "$out" 2>/dev/null | awk '/^Pages:/{print $2}')
    check "$f: same page count as cairo ($pc, haru $ph)" test "$pc" = "$ph"
    if [ "$n" != multiscript ]; then
      pdftotext -raw "$T/$n.cairo.pdf" "$T/$n.cairo.lines" 2>/dev/null
      pdftotext -raw "$out" "$T/$n.haru.lines" 2>/dev/null
      if cmp -s "$T/$n.cairo.lines" "$T/$n.haru.lines"; then ok; else
        fail "$f: lines break differently from the cairo PDF"
        diff "$T/$n.cairo.lines" "$T/$n.haru.lines" | head -n 6
      fi
    fi
  fi
done

# One line breaker for both engines (paint/linemodel.c): at any box width,
# every line breaks at the same place. Before it, pango and haru measured
# each their own way and a sub-point difference flipped a word at some
# width: these four (side margin mm, body pt) each broke one paragraph of
# sixty_sections differently ("laughter" fit in haru, not in cairo).
if [ "$have_cairo" = 1 ]; then
  for mb in 18:10.5 33:10.5 37:10.5 37:11; do
    m=${mb%%:*} b=${mb##*:}
    d="$T/widths_${m}_${b}/default"
    mkdir -p "$d"
    printf '{"sizes":{"body":%s,"lineHeight":1.43},"spacing":{"sideMarginMm":%s}}\n' \
      "$b" "$m" >"$d/theme.json"
    for f in samples/long/sixty_sections.json samples/v2/sales_playbook.json \
      samples/legacy/all_blocks.json; do
      n=$(basename "$f" .json)
      for e in cairo haru; do
        "$Q" render --templates "$T/widths_${m}_${b}" "$f" --pdf-engine=$e \
          -o "$T/$n.w.$e.pdf" 2>/dev/null
        pdftotext -raw "$T/$n.w.$e.pdf" "$T/$n.w.$e.lines" 2>/dev/null
      done
      if [ -s "$T/$n.w.cairo.lines" ] &&
        cmp -s "$T/$n.w.cairo.lines" "$T/$n.w.haru.lines"; then ok; else
        fail "$n at ${m} mm margins, ${b} pt: lines break differently"
        diff "$T/$n.w.cairo.lines" "$T/$n.w.haru.lines" | head -n 6
      fi
    done
  done
fi

# A heading that starts in Arabic ("التعامل مع الصعوبات — handling the hard
# parts") is placed right to left but written to the page in logical
# order, so text extraction reads its Arabic first, as the text output
# does (pdftotext -raw keeps the content stream's order).
pdftotext -raw -enc UTF-8 "$T/multiscript.haru.pdf" "$T/multiscript.haru.raw" 2>/dev/null
check "multiscript: an Arabic-first heading extracts Arabic first" \
  perl -CSD -0777 -ne 'exit(/[\x{0600}-\x{06FF}\x{FE70}-\x{FEFF}][^a-z]*handling the hard parts(?![^a-z]*[\x{0600}-\x{06FF}\x{FE70}-\x{FEFF}])/ ? 0 : 1)' "$T/multiscript.haru.raw"

# Characters with no glyph and outside the BMP: a warning each, once.
cat >"$T/emoji.json" <<'JSON'
{"id":"report_haruEmoji01","createdAt":"2026-03-04T10:00:00Z","label":"Glyphs",
 "entity":{"id":"entity_haruEmoji01","label":"Test"},
 "markdown":"# Glyphs\n\nSmile \ud83d\ude00 and again \ud83d\ude00; Tibetan \u0f40\u0f41 here.\n"}
JSON
expect_status 0 "render emoji sample" "$Q" render --pdf-engine=haru "$T/emoji.json" -o "$T/emoji.pdf" 2>"$T/emoji.stderr"
check "non-BMP warned once" test "$(grep -c 'U+1F600' "$T/emoji.stderr")" -eq 1
check "missing glyph warned" grep -q 'U+0F40' "$T/emoji.stderr"
check "emoji sample: qpdf --check" sh -c "qpdf --check '$T/emoji.pdf' >/dev/null 2>&1"

# The engine writes its fonts itself (paint/fonts_haru.c, haru.c): each
# program a TrueType subset of the glyphs drawn, deflated by the engine
# (libharu embedded whole tables, 146-151 KB a DejaVu face). qpdf decodes
# every stream, so each program must start with the TrueType tag and be
# small; the ToUnicode maps still give the text (words above).
qpdf --qdf --object-streams=disable "$T/sales_playbook.haru.pdf" "$T/sp.qdf.pdf" 2>/dev/null
check "sales_playbook: font programs decode to TrueType subsets" \
  perl -0777 -ne '$n = 0; while (/\/Length1 (\d+)[^>]*>>\s*stream\n(....)/sg) { $n++; exit 1 if $1 > 40000 || $2 ne "\0\1\0\0" } exit($n >= 2 ? 0 : 1)' "$T/sp.qdf.pdf"
# Ligatures (U+FB00-FB04) are drawn as codes 1-5 (haru.c S_code): a Latin
# document's CIDToGIDMaps end at its highest character, not at U+FB0x
# (128 KB each), and the text still reads "fi" (the words above).
check "sales_playbook: CIDToGIDMaps under 32 KB" \
  perl -0777 -ne '@ids = /\/CIDToGIDMap (\d+) 0 R/g; $bad = 0; for $i (@ids) { /\n$i 0 obj\n<<\n  \/Length (\d+) 0 R/ or $bad = 1; $l = $1; /\n$l 0 obj\n(\d+)\n/ or $bad = 1; $bad = 1 if $1 >= 32768 } exit($bad || @ids < 2)' "$T/sp.qdf.pdf"
check "sales_playbook: ligatures read as letters" sh -c "pdftotext '$T/sales_playbook.haru.pdf' - | grep -q 'first'"
check "sales_playbook: under 60 KB" test "$(wc -c <"$T/sales_playbook.haru.pdf")" -lt 60000

# A second reader: MuPDF draws every page of both engines' PDFs without an
# error or warning (poppler is lenient about font programs; MuPDF says
# "FT_New_Memory_Face(...): unknown file format" and falls back to a system
# font for a broken one, which poppler may render without a word). Its
# "ICC support is not available" line is about the mutool build, not us.
for p in "$T"/*.haru.pdf "$T"/*.cairo.pdf; do
  [ -f "$p" ] || continue
  mutool draw -q -o /dev/null "$p" 2>&1 | grep -v 'ICC support is not available' >"$p.mupdf"
  if [ -s "$p.mupdf" ]; then
    fail "$(basename "$p"): MuPDF: $(head -n 1 "$p.mupdf")"
  else ok; fi
done
# ... and the check itself finds a font program cut short.
perl -0777 -pe 's/(\/Length1 \d+[^>]*>>\s*stream\n).{300}/$1 . ("\0" x 300)/se' \
  "$T/sp.qdf.pdf" >"$T/sp.broken.qdf.pdf"
fix-qdf "$T/sp.broken.qdf.pdf" >"$T/sp.broken.pdf" 2>/dev/null
check "MuPDF reports a broken font program" sh -c \
  "mutool draw -q -o /dev/null '$T/sp.broken.pdf' 2>&1 | grep -q 'FT_New_Memory_Face'"

# PDF straight to stdout works too.
"$Q" render --pdf-engine=haru -f pdf -o - samples/v2/sales_playbook.json >"$T/stdout.pdf" 2>/dev/null
check "pdf to stdout" cmp -s "$T/stdout.pdf" "$T/sales_playbook.haru.pdf"

# Page images for people to look at (first pages, 60 dpi).
for n in sales_playbook multiscript all_blocks markdown_only; do
  [ -f "$T/$n.haru.pdf" ] && pdftoppm -r 60 -png -f 1 -l 2 "$T/$n.haru.pdf" "$T/$n.haru" 2>/dev/null
  [ -f "$T/$n.cairo.pdf" ] && pdftoppm -r 60 -png -f 1 -l 2 "$T/$n.cairo.pdf" "$T/$n.cairo" 2>/dev/null
done
done_suite
