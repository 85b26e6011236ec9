// Warm headless Chromium: one browser, one page, printing every HTML file
// given to PDF through the DevTools protocol (playwright-core, driving the
// system /usr/bin/chromium; no browser download). Prints one JSON object:
// per-report milliseconds and PDF sizes.
//   node chromium_warm.js OUTDIR FILE.html...
'use strict';
const { chromium } = require('playwright-core');
const fs = require('fs');
const path = require('path');
const url = require('url');

(async () => {
  const [outdir, ...files] = process.argv.slice(2);
  const t0 = process.hrtime.bigint();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run',
           '--disable-background-networking', '--disable-component-update',
           '--disable-sync'],
  });
  const page = await browser.newPage();
  const launchMs = Number(process.hrtime.bigint() - t0) / 1e6;
  // One untimed page first: the first print pays for loading fonts.
  await page.goto(url.pathToFileURL(files[0]).href);
  await page.pdf({ format: 'A4', printBackground: true });
  const ms = [], bytes = [];
  for (const f of files) {
    const out = path.join(outdir, path.basename(f, '.html') + '.pdf');
    const s = process.hrtime.bigint();
    await page.goto(url.pathToFileURL(f).href, { waitUntil: 'load' });
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    fs.writeFileSync(out, pdf);
    ms.push(Number(process.hrtime.bigint() - s) / 1e6);
    bytes.push(pdf.length);
  }
  await browser.close();
  process.stdout.write(JSON.stringify({ launch_ms: launchMs, ms, bytes }) + '\n');
})().catch((e) => { console.error(String(e)); process.exit(1); });
