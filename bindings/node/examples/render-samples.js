#!/usr/bin/env node
'use strict';
// Renders every report given to every format and verifies a webhook —
// written from README.md alone, as a check that the README is enough.
//
//   node render-samples.js OUTDIR REPORT.json...
//
// Writes OUTDIR/NAME.txt, .html, .pdf and .png (every page: NAME-1.png,
// ...); a format the loaded libquire lacks is reported and skipped. Exits 1
// if any report fails.

const fs = require('node:fs');
const path = require('node:path');
const quire = require('quire');

async function main() {
  const [out, ...files] = process.argv.slice(2);
  fs.mkdirSync(out, { recursive: true });
  const renderer = new quire.Renderer();
  let failed = 0;
  // Every report at once: the renders run on the worker pool.
  await Promise.all(files.map(async (file) => {
    const stem = path.basename(file, '.json');
    let doc;
    try {
      doc = await quire.parseFile(file);
    } catch (e) {
      if (!(e instanceof quire.QuireError)) throw e;
      console.error(`${file}: ${e.message}`);
      failed++;
      return;
    }
    try {
      for (const ext of ['txt', 'html', 'pdf']) await renderer.renderTo(path.join(out, `${stem}.${ext}`), doc);
      let pages = [];
      try {
        pages = await renderer.renderPages(doc);
      } catch (e) {
        if (!(e instanceof quire.UnsupportedError)) throw e;
        console.error(`${file}: png: ${e.message}`);
      }
      pages.forEach((png, i) => fs.writeFileSync(path.join(out, `${stem}-${i + 1}.png`), png));
      console.log(`${file}: ${doc.title} (${doc.shape}), ${pages.length} pages`);
    } finally {
      doc.close();
    }
  }));

  const body = Buffer.from('{"id":"evt_1","type":"report.completed","createdAt":"2026-03-18T14:22:06Z","data":{"jobId":"job_1","reportId":"rep_1"}}');
  const secret = 'whsec_readme_check';
  const headers = { 'content-type': 'application/json', 'conduit-signature': quire.sign(body, secret) };
  const event = quire.verifyWebhook({ headers, body, secret });
  console.log(`webhook: ${event.kind} ${event.id} report ${event.reportId}`);
  try {
    quire.verifyWebhook({ headers, body: Buffer.concat([body, Buffer.from(' ')]), secret });
    console.error('webhook: a tampered body was accepted');
    failed++;
  } catch (e) {
    if (!(e instanceof quire.SignatureError)) throw e;
    console.log(`webhook: tampered body refused: ${e.detail}`);
  }
  process.exitCode = failed ? 1 : 0;
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
