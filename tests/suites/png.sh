#!/bin/sh
# PNG page images: first page by default, --pages all (one file per page,
# as many as the PDF has), --dpi, and the same line breaks as the PDF.
. tests/lib.sh
: "${QUIRE:?}" "${TEST_OUT:?}"
S=samples/v2/sales_playbook.json

# PNG pages come from cairo: a build without it (make PDF=haru) must say so
# clearly rather than write anything.
if [ "${PDF:-all}" = haru ]; then
  "$QUIRE" render -q "$S" -o "$TEST_OUT/first.png" 2>"$TEST_OUT/err.txt"
  st=$?
  check "PNG without cairo: exit 10 (not built in)" [ "$st" -eq 10 ]
  check "PNG without cairo: says why" grep -q 'png' "$TEST_OUT/err.txt"
  check "PNG without cairo: no file written" [ ! -e "$TEST_OUT/first.png" ]
  echo "# PNG checks skipped: this build has no cairo (PDF=haru)"
  done_suite
  exit $?
fi

png_size() { # FILE -> "W H" from the IHDR chunk
  od -An -tu1 -j16 -N8 "$1" | awk '{print $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8}'
}
is_png() { [ "$(od -An -c -N4 "$1" | tr -d ' ')" = "211PNG" ]; }

"$QUIRE" render -q "$S" -o "$TEST_OUT/first.png"
check "-o x.png writes a PNG" is_png "$TEST_OUT/first.png"
check "default 96 dpi A4: 794 x 1123" test "$(png_size "$TEST_OUT/first.png")" = "794 1123"
"$QUIRE" render -q "$S" -f png --dpi 48 -o "$TEST_OUT/small.png"
check "--dpi 48: 397 x 561" test "$(png_size "$TEST_OUT/small.png")" = "397 561"
"$QUIRE" render -q "$S" -f png --dpi 150 --paper letter -o "$TEST_OUT/letter.png"
check "--dpi 150 letter: 1275 x 1650" test "$(png_size "$TEST_OUT/letter.png")" = "1275 1650"

"$QUIRE" render -q "$S" -o "$TEST_OUT/ref.pdf"
pages=$(pdfinfo "$TEST_OUT/ref.pdf" | awk '/^Pages:/ {print $2}')
mkdir -p "$TEST_OUT/all"
"$QUIRE" render -q "$S" -f png --pages all -o "$TEST_OUT/all/page.png"
check "--pages all: one file per page ($pages)" test "$(ls "$TEST_OUT/all" | wc -l)" -eq "$pages"
check "--pages all: last page exists" is_png "$TEST_OUT/all/page-$pages.png"
mkdir -p "$TEST_OUT/range"
"$QUIRE" render -q "$S" -f png --pages 2-3 -o "$TEST_OUT/range/p.png"
check "--pages 2-3: two files" test "$(ls "$TEST_OUT/range" | wc -l)" -eq 2
expect_status 0 "png to stdout" sh -c "'$QUIRE' render -q '$S' -f png -o - | head -c 4 | od -c | grep -q P"
"$QUIRE" render -q "$S" -f png --pages 99 -o "$TEST_OUT/none.png" 2>"$TEST_OUT/none.err"
check "page past the end fails" test ! -s "$TEST_OUT/none.png"
# A range past the end fails before any page is written, and says how many
# pages there are.
mkdir -p "$TEST_OUT/past"
expect_status 2 "--pages 2-9 on a $pages-page report fails" \
  "$QUIRE" render -q "$S" -f png --pages 2-9 -o "$TEST_OUT/past/p.png"
check "--pages 2-9: no file written" test -z "$(ls "$TEST_OUT/past")"
"$QUIRE" render -q "$S" -f png --pages 2-9 -o "$TEST_OUT/past/p.png" 2>"$TEST_OUT/past.err"
check "--pages 2-9: the message gives the page count" grep -q "has $pages pages" "$TEST_OUT/past.err"

# Many pages: named so they sort in page order (p-01 .. p-12, as pdftoppm
# does), each the same bytes as that page painted alone.
L=samples/long/sixty_sections.json
mkdir -p "$TEST_OUT/long"
"$QUIRE" render -q "$L" -f png --dpi 30 --pages all -o "$TEST_OUT/long/p.png"
n=$(ls "$TEST_OUT/long" | wc -l)
check "--pages all on the long sample: $n files, more than 9" test "$n" -gt 9
check "--pages all: zero-padded names sort in page order" \
  test "$(ls "$TEST_OUT/long" | head -n 1)" = "p-01.png"
for p in 1 7 "$n"; do
  "$QUIRE" render -q "$L" -f png --dpi 30 --pages "$p" -o "$TEST_OUT/long-alone-$p.png"
  check "--pages all: page $p equals page $p painted alone" \
    cmp -s "$TEST_OUT/long-alone-$p.png" "$TEST_OUT/long/p-$(printf %02d "$p").png"
done

# Same input, same bytes.
"$QUIRE" render -q "$S" -o "$TEST_OUT/again.png"
check "png deterministic" cmp -s "$TEST_OUT/first.png" "$TEST_OUT/again.png"

# The PDF page rasterised by poppler at the same dpi has our size.
for s in samples/v2/general_report.json samples/intl/multiscript.json; do
  n=$(basename "$s" .json)
  "$QUIRE" render -q "$s" -f png --dpi 50 -o "$TEST_OUT/$n.png"
  "$QUIRE" render -q "$s" -o "$TEST_OUT/$n.pdf"
  pdftoppm -r 50 -f 1 -l 1 -png "$TEST_OUT/$n.pdf" "$TEST_OUT/$n.ref"
  # pdftoppm rounds the pixel size up, we round to nearest: 1 px apart.
  check "$n: png size matches pdftoppm" sh -c "echo $(png_size "$TEST_OUT/$n.png") $(png_size "$TEST_OUT/$n.ref-1.png") | awk '{d=\$1-\$3; e=\$2-\$4; exit !(d*d<=1 && e*e<=1)}'"
done
done_suite
