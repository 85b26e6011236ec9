// Prints quire's HTML files to PDF in one warm headless Chromium, as a user
// pressing "Save as PDF" would (A4, no browser header/footer, the page's own
// @page rules). The shell suite (tests/suites/print.sh) reads the PDFs with
// poppler-utils.
//
// usage: node print.js OUTDIR FILE.html...   writes OUTDIR/NAME.pdf
'use strict';
const path = require('path');
const { chromium } = require('playwright-core');

const args = process.argv.slice(2);
const outDir = args.shift();

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run',
           '--disable-background-networking', '--disable-component-update',
           '--disable-sync'],
  });
  let rc = 0;
  for (const a of args) {
    const file = path.resolve(a);
    const name = path.basename(file, '.html');
    const context = await browser.newContext();
    // Loopback-free: the files are local and their CSP forbids fetching.
    await context.route('**/*', (route) =>
      route.request().url().startsWith('file:') ? route.continue() : route.abort());
    const page = await context.newPage();
    try {
      await page.goto('file://' + file, { waitUntil: 'load' });
      await page.emulateMedia({ media: 'print' });
      await page.pdf({ path: path.join(outDir, name + '.pdf'), format: 'A4',
                       printBackground: true, displayHeaderFooter: false });
    } catch (e) {
      console.error(`${name}: ${e.message}`);
      rc = 1;
    }
    await context.close();
  }
  await browser.close();
  process.exit(rc);
})();
