// The visible text of HTML files, as a reader's browser lays it out: one
// warm headless Chromium for every file, document.body.innerText (which
// honours display:none, closed <details> and CSS text-transform) after the
// elements named by --drop (layout furniture, listed in agree.py) are
// removed.
//
// usage: node agree_dom.js --drop SELECTORS OUTDIR FILE.html...
// Writes OUTDIR/NAME.dom.txt for each FILE; exits non-zero on any failure.
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require(path.join(__dirname, '..', 'browser',
  'node_modules', 'playwright-core'));

const args = process.argv.slice(2);
let drop = '';
if (args[0] === '--drop') {
  args.shift();
  drop = args.shift();
}
const outDir = args.shift();

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run',
      '--disable-background-networking', '--disable-component-update',
      '--disable-sync'],
  });
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    javaScriptEnabled: true,
  });
  const page = await context.newPage();
  let rc = 0;
  for (const file of args) {
    try {
      await page.goto('file://' + path.resolve(file));
      const text = await page.evaluate((sel) => {
        if (sel) document.querySelectorAll(sel).forEach((e) => e.remove());
        // An ordered list's numbers are ::marker boxes, which innerText
        // leaves out although the reader sees them: write them in.
        document.querySelectorAll('ol').forEach((ol) => {
          if (getComputedStyle(ol).listStyleType === 'none') return;
          let n = ol.start || 1;
          for (const li of ol.children) {
            if (li.tagName === 'LI') li.prepend(`${n++}. `);
          }
        });
        return document.body.innerText;
      }, drop);
      const name = path.basename(file, '.html');
      fs.writeFileSync(path.join(outDir, name + '.dom.txt'), text);
    } catch (e) {
      console.error(`${file}: ${e.message}`);
      rc = 1;
    }
  }
  await browser.close();
  process.exit(rc);
})();
