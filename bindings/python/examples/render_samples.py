#!/usr/bin/env python3
"""Renders every report given to every format and verifies a webhook —
written from README.md alone, as a check that the README is enough.

    python3 render_samples.py OUTDIR REPORT.json...

Writes OUTDIR/NAME.txt, .html, .pdf and .png (every page: NAME-1.png, ...);
a format the loaded libquire lacks is reported and skipped. Exits 1 if any
report fails.
"""

import pathlib
import sys

import quire


def main() -> int:
    out = pathlib.Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    renderer = quire.Renderer()
    failed = 0
    for name in sys.argv[2:]:
        path = pathlib.Path(name)
        try:
            doc = quire.parse(path)
        except quire.QuireError as e:
            print("%s: %s" % (name, e), file=sys.stderr)
            failed += 1
            continue
        with doc:
            for fmt, ext in (("text", "txt"), ("html", "html"), ("pdf", "pdf")):
                renderer.render_to(out / ("%s.%s" % (path.stem, ext)), doc)
            try:
                pages = renderer.render_pages(doc)
            except quire.UnsupportedError as e:
                print("%s: png: %s" % (name, e), file=sys.stderr)
                pages = []
            for i, png in enumerate(pages, 1):
                (out / ("%s-%d.png" % (path.stem, i))).write_bytes(png)
            print("%s: %s (%s), %d pages" % (name, doc.title, doc.shape,
                                             len(pages)))

    body = (b'{"id":"evt_1","type":"report.completed",'
            b'"createdAt":"2026-03-18T14:22:06Z",'
            b'"data":{"jobId":"job_1","reportId":"rep_1"}}')
    secret = "whsec_readme_check"
    headers = {"Content-Type": "application/json",
               "Conduit-Signature": quire.sign(body, secret)}
    event = quire.verify_webhook(headers, body, secret)
    print("webhook: %s %s report %s" % (event.kind, event.id, event.report_id))
    try:
        quire.verify_webhook(headers, body + b" ", secret)
        print("webhook: a tampered body was accepted", file=sys.stderr)
        failed += 1
    except quire.SignatureError as e:
        print("webhook: tampered body refused: %s" % e.message)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
