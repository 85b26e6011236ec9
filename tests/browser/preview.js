// quire preview --watch in headless Chromium: the page the browser opens
// shows each new render by itself, and keeps the last good one when a
// change breaks the template.
//
// usage: node preview.js URL REPORT TEMPLATE_DIR ERRFILE
// Prints "ok - ..." / "not ok - ..." lines, then "N passed, N failed".
'use strict';
const fs = require('fs');
const { chromium } = require('playwright-core');
const [url, report, tplDir, errFile] = process.argv.slice(2);

let passed = 0;
let failed = 0;
function check(ok, what) {
  if (ok) { passed++; console.log(`ok - ${what}`); }
  else { failed++; console.log(`not ok - ${what}`); }
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The frame's text once it holds want (or after ms), without the test
// reloading anything: the page must do it.
async function frameText(page, want, ms) {
  const end = Date.now() + ms;
  let text = '';
  while (Date.now() < end) {
    try {
      const f = page.frames().find((x) => x !== page.mainFrame());
      text = f ? await f.evaluate(() => document.body.innerText) : '';
    } catch (e) { text = ''; }
    if (want && text.includes(want)) return text;
    await sleep(100);
  }
  return text;
}

function setLabel(label) {
  const d = JSON.parse(fs.readFileSync(report, 'utf8'));
  d.label = label;
  // As editors save: a new file renamed over the old one.
  fs.writeFileSync(report + '.tmp', JSON.stringify(d));
  fs.renameSync(report + '.tmp', report);
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  const page = await browser.newPage();
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(url);
  let text = await frameText(page, 'Q2 platform planning', 10000);
  check(text.includes('Q2 platform planning'), 'the first render is shown');

  let t0 = Date.now();
  setLabel('Edited label one');
  text = await frameText(page, 'Edited label one', 10000);
  check(text.includes('Edited label one'), `a report edit shows without a manual reload (${Date.now() - t0} ms)`);

  // A template edit: visible text added to the layout.
  fs.mkdirSync(`${tplDir}/default`, { recursive: true });
  const layout = fs.readFileSync('templates/default/layout.mustache', 'utf8');
  t0 = Date.now();
  fs.writeFileSync(`${tplDir}/default/layout.mustache`,
    layout.replace(/(<body[^>]*>)/, '$1<p>TEMPLATE MARKER</p>'));
  text = await frameText(page, 'TEMPLATE MARKER', 10000);
  check(text.includes('TEMPLATE MARKER'), `a template edit shows (${Date.now() - t0} ms)`);

  // A broken template: the last good page stays, stderr says why.
  fs.writeFileSync(`${tplDir}/default/layout.mustache`, '{{#doc}}unclosed\n');
  await sleep(1500);
  text = await frameText(page, null, 300);
  check(text.includes('TEMPLATE MARKER'), 'a broken template keeps the last good page');
  const err = fs.readFileSync(errFile, 'utf8');
  check(/layout\.mustache:\d+:\d+: unclosed section/.test(err), 'stderr says why the template broke');

  // Fixed again: the page follows.
  fs.writeFileSync(`${tplDir}/default/layout.mustache`, layout);
  setLabel('Edited label two');
  text = await frameText(page, 'Edited label two', 10000);
  check(text.includes('Edited label two') && !text.includes('TEMPLATE MARKER'), 'after the fix the page follows again');
  check(requests.every((u) => u.startsWith('http://127.0.0.1:')), 'every request stays on the loopback server');
  await browser.close();
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})().catch((e) => { console.log(`not ok - ${e}`); console.log(`${passed} passed, ${failed + 1} failed`); process.exit(1); });
