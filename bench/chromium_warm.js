// Warm headless Chromium as a library: one browser and one page, kept for the
// whole run, printing HTML files to PDF through the DevTools protocol
// (playwright-core driving the system /usr/bin/chromium; no browser
// download). Serve mode, so bench/compare.py can interleave it with the
// other tools: reads "IN.html<TAB>OUT.pdf" lines on stdin, answers each with
// one JSON line {ms, bytes} (ms: page.goto + page.pdf, the file write
// excluded). The first line after start-up is "ready" with the launch time.
//   node chromium_warm.js
'use strict';
const { chromium } = require('playwright-core');
const fs = require('fs');
const readline = require('readline');
const url = require('url');

(async () => {
  const t0 = process.hrtime.bigint();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run',
           '--disable-background-networking', '--disable-component-update',
           '--disable-sync'],
  });
  const page = await browser.newPage();
  const launchMs = Number(process.hrtime.bigint() - t0) / 1e6;
  process.stdout.write(JSON.stringify({ ready: true, launch_ms: launchMs }) + '\n');
  const rl = readline.createInterface({ input: process.stdin });
  for await (const line of rl) {
    const [inp, out] = line.split('\t');
    try {
      const s = process.hrtime.bigint();
      await page.goto(url.pathToFileURL(inp).href, { waitUntil: 'load' });
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      const ms = Number(process.hrtime.bigint() - s) / 1e6;
      fs.writeFileSync(out, pdf);
      process.stdout.write(JSON.stringify({ ms, bytes: pdf.length }) + '\n');
    } catch (e) {
      process.stdout.write(JSON.stringify({ error: String(e).slice(0, 200) }) + '\n');
    }
  }
  await browser.close();
})().catch((e) => { console.error(String(e)); process.exit(1); });
