// Opens quire's HTML files in one warm headless Chromium and checks what a
// reader's browser would do: no console errors, no network request, no
// horizontal overflow at 1280 px and 375 px, no script run (XSS mode).
// Saves a full-page PNG of each file at each width.
//
// usage: node check.js OUTDIR [--xss] FILE.html...
// Prints "ok - ..." / "not ok - ..." lines, then "N passed, N failed".
'use strict';
const path = require('path');
const { chromium } = require('playwright-core');

const args = process.argv.slice(2);
const outDir = args.shift();
let xss = false;
const files = [];
for (const a of args) {
  if (a === '--xss') xss = true;
  else files.push(path.resolve(a));
}

let passed = 0;
let failed = 0;
function check(ok, what) {
  if (ok) { passed++; console.log(`ok - ${what}`); }
  else { failed++; console.log(`not ok - ${what}`); }
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run',
           '--disable-background-networking', '--disable-component-update',
           '--disable-sync'],
  });
  const widths = xss ? [1280] : [1280, 375];
  for (const file of files) {
    const name = path.basename(file, '.html');
    for (const width of widths) {
      const context = await browser.newContext({
        viewport: { width, height: 900 },
        javaScriptEnabled: true,
      });
      // Payloads call quireXss(); if any of them ever runs, this marks it.
      await context.addInitScript(() => {
        window.__quireXss = 0;
        window.quireXss = () => { window.__quireXss++; };
        for (const f of ['alert', 'confirm', 'prompt', 'print'])
          window[f] = () => { window.__quireXss++; };
      });
      const page = await context.newPage();
      const problems = [];
      const requests = [];
      let dialogs = 0;
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning')
          problems.push(`${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      page.on('dialog', async (d) => { dialogs++; await d.dismiss(); });
      page.on('request', (r) => {
        const u = r.url();
        if (u !== 'file://' + file && !u.startsWith('data:')) requests.push(u);
      });
      const tag = `${name} @${width}px`;
      try {
        await page.goto('file://' + file, { waitUntil: 'load', timeout: 20000 });
        await page.waitForTimeout(50);
        const m = await page.evaluate(() => ({
          scroll: document.documentElement.scrollWidth,
          inner: window.innerWidth,
          xss: window.__quireXss,
          h1: document.querySelectorAll('h1').length,
          main: document.querySelectorAll('main').length,
          handlers: [...document.querySelectorAll('*')].flatMap((el) =>
            [...el.attributes].filter((a) => /^on/i.test(a.name))
              .map((a) => `${el.tagName}.${a.name}`)),
          scripts: document.querySelectorAll('script, iframe, object, embed').length,
          skipped: (() => {
            let last = 1, bad = [];
            for (const h of document.querySelectorAll('h1,h2,h3,h4,h5,h6')) {
              const l = +h.tagName[1];
              if (l > last + 1) bad.push(`${h.tagName} after h${last}`);
              last = l;
            }
            return bad;
          })(),
        }));
        check(problems.length === 0, `${tag}: no console errors ${problems.join(' | ')}`);
        check(requests.length === 0, `${tag}: no network requests ${requests.join(' ')}`);
        check(m.scroll <= m.inner, `${tag}: no horizontal overflow (scrollWidth ${m.scroll}, viewport ${m.inner})`);
        check(m.h1 === 1 && m.main === 1, `${tag}: one h1 (${m.h1}) and one main (${m.main})`);
        check(m.skipped.length === 0, `${tag}: heading levels do not skip ${m.skipped.join(', ')}`);
        check(m.xss === 0 && dialogs === 0, `${tag}: no script ran (marker ${m.xss}, dialogs ${dialogs})`);
        check(m.handlers.length === 0 && m.scripts === 0,
              `${tag}: no event-handler attributes or script elements ${m.handlers.join(' ')}`);
        if (!xss)
          await page.screenshot({ path: path.join(outDir, `${name}-${width}.png`), fullPage: true });
      } catch (e) {
        check(false, `${tag}: loads (${e.message})`);
      }
      await context.close();
    }
  }
  await browser.close();
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})().catch((e) => {
  console.log(`not ok - browser run: ${e.message}`);
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
});
