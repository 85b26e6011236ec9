'use strict';
// Rendering: every sample to every format, every option, the CLI's bytes,
// and the event loop running while libquire works.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const { spawnSync } = require('node:child_process');
const { quire, SAMPLES, sample, has, pdfEngine, supported, runCli, tmpdir, bigReport } = require('./helpers');

const SALES = sample('v2/sales_playbook.json');
const MAGIC = { pdf: '%PDF-', png: '\x89PNG\r\n\x1a\n', html: '<!DOCTYPE html>' };
const pngSize = (b) => [b.readUInt32BE(16), b.readUInt32BE(20)];

/** The inflated IDAT stream of a PNG: its filtered scanlines. */
function pngPixels(b) {
  const parts = [];
  for (let off = 8; off + 8 <= b.length;) {
    const len = b.readUInt32BE(off);
    const type = b.toString('latin1', off + 4, off + 8);
    if (type === 'IDAT') parts.push(b.subarray(off + 8, off + 8 + len));
    off += 12 + len;
  }
  return zlib.inflateSync(Buffer.concat(parts));
}

test('every sample to every format', async () => {
  const r = new quire.Renderer({ engine: pdfEngine() });
  for (const file of SAMPLES) {
    const doc = await quire.parseFile(file);
    const word = doc.title.split(' ')[0];
    for (const fmt of quire.FORMATS) {
      if (!supported(fmt, pdfEngine())) {
        await assert.rejects(r.render(doc, fmt), quire.UnsupportedError);
        continue;
      }
      const out = await r.render(doc, fmt);
      assert.ok(out.length > 0, `${file} ${fmt}`);
      if (MAGIC[fmt]) assert.equal(out.subarray(0, MAGIC[fmt].length).toString('latin1'), MAGIC[fmt], `${file} ${fmt}`);
      if (fmt === 'text') assert.ok(out.toString().includes(word), file);
    }
    doc.close();
  }
});

test('the same bytes as `quire render` with the same options', async () => {
  const dir = tmpdir();
  const cases = [
    ['text', ['--width', '60'], { width: 60 }],
    ['html', ['--template', 'general_report'], { template: 'general_report' }],
    ['text', ['--ascii', '--width', '50'], { ascii: true, width: 50 }],
    ['pdf', ['--pdf-engine', 'haru', '--paper', 'letter'], { engine: 'haru', paper: 'letter' }],
  ];
  if (has('cairo')) cases.push(['png', ['--dpi', '48'], { dpi: 48 }]);
  for (const [fmt, args, opts] of cases) {
    const out = path.join(dir, `cli.${fmt === 'text' ? 'txt' : fmt}`);
    const cli = runCli('render', '-q', '-f', fmt, ...args, '-o', out, SALES);
    assert.equal(cli.status, 0, cli.stderr.toString());
    const mine = await quire.render(fs.readFileSync(SALES), fmt, opts);
    if (fmt === 'pdf') {
      // The file id differs, and libharu's streams are compressed by the
      // zlib it resolves in this process (node's own): compare the content.
      const f = path.join(dir, 'mine.pdf');
      fs.writeFileSync(f, mine);
      const text = (p) => spawnSync('pdftotext', ['-layout', p, '-'], { encoding: 'utf8' }).stdout;
      const pages = (p) => /Pages:\s+(\d+)/.exec(spawnSync('pdfinfo', [p], { encoding: 'utf8' }).stdout)[1];
      assert.equal(text(f), text(out));
      assert.equal(pages(f), pages(out));
    } else if (fmt === 'png') {
      // The same: compare the size and the decompressed scanlines.
      const theirs = fs.readFileSync(out);
      assert.deepEqual(pngSize(mine), pngSize(theirs));
      assert.ok(pngPixels(mine).equals(pngPixels(theirs)), 'png pixels');
    } else {
      assert.ok(mine.equals(fs.readFileSync(out)), `${fmt} ${args}`);
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

test('text width, colour, templates, templates directory', async () => {
  const doc = await quire.parseFile(SALES);
  const narrow = (await new quire.Renderer({ width: 40 }).render(doc, 'text')).toString();
  const wide = (await new quire.Renderer({ width: 120 }).render(doc, 'text')).toString();
  assert.ok(narrow.split('\n').length > wide.split('\n').length);
  assert.ok(!(await doc.render('text')).includes('\x1b['));
  assert.ok((await doc.render('text', { color: '256' })).includes('\x1b['));
  assert.throws(() => new quire.Renderer({ color: 'pink' }), quire.InvalidArgumentError);
  assert.ok(!(await doc.render('html')).equals(await doc.render('html', { template: 'general_report' })));
  // An unknown template is QUIRE_ENOTFOUND (quire.h): from the simple
  // call, and from a Renderer when it is built.
  await assert.rejects(doc.render('html', { template: 'no_such' }), (e) => e instanceof quire.NotFoundError && e.code === 'ENOTFOUND' && e.errno === -13 && e.message.includes('sales_playbook'));
  assert.throws(() => new quire.Renderer({ template: 'no_such' }), quire.NotFoundError);
  await assert.rejects(quire.Renderer.create({ template: 'no_such' }), quire.NotFoundError);
  const dir = tmpdir();
  assert.throws(() => new quire.Renderer({ templatesDir: path.join(dir, 'missing') }), quire.InvalidArgumentError);
  fs.mkdirSync(path.join(dir, 'default'));
  fs.writeFileSync(path.join(dir, 'default', 'style.css'), '/* quire-node-marker */\n');
  assert.ok((await doc.render('html', { templatesDir: dir })).includes('quire-node-marker'));
  assert.ok((await new quire.Renderer({ templatesDir: dir }).render(doc, 'html')).includes('quire-node-marker'));
  fs.writeFileSync(path.join(dir, 'default', 'layout.mustache'), '{{#broken}}\n');
  await assert.rejects(doc.render('html', { templatesDir: dir }), (e) => e instanceof quire.TemplateError && e.message.includes('layout.mustache'));
  assert.throws(() => new quire.Renderer({ templatesDir: dir }), (e) => e instanceof quire.TemplateError && e.message.includes('layout.mustache'));
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a Renderer is built once: later template edits do not reach it', async () => {
  const doc = await quire.parseFile(SALES);
  const dir = tmpdir();
  fs.mkdirSync(path.join(dir, 'default'));
  fs.writeFileSync(path.join(dir, 'default', 'extra.css'), '.first-look {}\n');
  const r = await quire.Renderer.create({ templatesDir: dir });
  assert.ok((await r.render(doc, 'html')).includes('.first-look'));
  fs.writeFileSync(path.join(dir, 'default', 'extra.css'), '.second-look {}\n');
  const again = await r.render(doc, 'html');
  assert.ok(again.includes('.first-look') && !again.includes('.second-look'));
  assert.ok(r.renderSync(doc, 'html').equals(again));
  assert.ok((await new quire.Renderer({ templatesDir: dir }).render(doc, 'html')).includes('.second-look'));
  // A broken partial no report has used yet still fails the build.
  fs.mkdirSync(path.join(dir, 'default', 'partials'));
  fs.writeFileSync(path.join(dir, 'default', 'partials', 'unused.mustache'), 'x\n{{#open}}\n');
  assert.throws(() => new quire.Renderer({ templatesDir: dir }), (e) => e instanceof quire.TemplateError && e.line === 3);
  assert.ok((await r.render(doc, 'html')).equals(again));
  // close() frees it after renders in flight; rendering afterwards fails.
  const pending = r.render(doc, 'pdf');
  r.close();
  assert.ok(r.closed);
  assert.ok((await pending).subarray(0, 5).toString() === '%PDF-');
  await assert.rejects(r.render(doc, 'text'), /closed/);
  assert.throws(() => r.renderSync(doc, 'text'), /closed/);
  r.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('body: the structured body, the markdown, or both', async () => {
  const doc = await quire.parseFile(SALES);
  const md = 'Renewal and expansion call with Routewise';
  const text = async (body) => (await doc.render('text', body ? { body } : {})).toString();
  assert.ok(!(await text()).includes(md));
  assert.ok(!(await text('structured')).includes(md));
  assert.ok((await text('markdown')).includes(md));
  assert.ok(!(await text('markdown')).includes('Step 1'));
  const both = await text('both');
  assert.ok(both.includes(md) && both.includes('Step 1'));
  assert.throws(() => new quire.Renderer({ body: 'all' }), quire.InvalidArgumentError);
});

test('PNG pages, dpi, paper, page count', async () => {
  const doc = await quire.parseFile(SALES);
  const r = new quire.Renderer();
  const n = await r.pageCount(doc);
  assert.ok(n >= 2);
  if (!has('cairo')) {
    await assert.rejects(r.render(doc, 'png'), quire.UnsupportedError);
    await assert.rejects(r.renderPages(doc), quire.UnsupportedError);
    return;
  }
  const pages = await r.renderPages(doc);
  assert.equal(pages.length, n);
  for (let i = 0; i < n; i++) assert.ok(pages[i].equals(await r.render(doc, 'png', { page: i + 1 })));
  assert.deepEqual((await r.renderPages(doc, 2, 2)).map((b) => b.length), [pages[1].length]);
  const [w96] = pngSize(pages[0]);
  const [w48] = pngSize(await doc.render('png', { dpi: 48 }));
  assert.ok(Math.abs(w48 * 2 - w96) <= 2);
  assert.notDeepEqual(pngSize(await doc.render('png', { paper: 'letter' })), pngSize(pages[0]));
  await assert.rejects(r.renderPages(doc, n + 1), (e) => e instanceof quire.InvalidArgumentError && e.message.includes(String(n)));
  await assert.rejects(r.render(doc, 'png', { page: 0 }), quire.InvalidArgumentError);
});

test('PDF engines and paper sizes (pdfinfo, pdftotext)', async () => {
  const doc = await quire.parseFile(SALES);
  const dir = tmpdir();
  for (const engine of ['cairo', 'haru']) {
    for (const [paper, width] of [['a4', '595'], ['letter', '612']]) {
      const pdf = await doc.render('pdf', { engine, paper });
      const f = path.join(dir, `${engine}-${paper}.pdf`);
      fs.writeFileSync(f, pdf);
      const info = spawnSync('pdfinfo', [f], { encoding: 'utf8' });
      assert.equal(info.status, 0, info.stderr);
      assert.ok(info.stdout.includes(`Page size:       ${width}`), `${engine} ${paper}`);
      assert.ok(spawnSync('pdftotext', [f, '-'], { encoding: 'utf8' }).stdout.includes('Marguerite'));
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

test('renderTo: atomic files and streams', async () => {
  const doc = await quire.parseFile(SALES);
  const r = new quire.Renderer();
  const dir = tmpdir();
  const out = path.join(dir, 'report.html');
  await r.renderTo(out, doc);
  assert.ok(fs.readFileSync(out).equals(await r.render(doc, 'html')));
  fs.writeFileSync(out, 'keep me');
  await assert.rejects(new quire.Renderer({ maxOutput: 100 }).renderTo(out, doc), quire.TooBigError);
  assert.equal(fs.readFileSync(out, 'utf8'), 'keep me');
  assert.deepEqual(fs.readdirSync(dir), ['report.html']);
  await assert.rejects(r.renderTo(path.join(dir, 'x.docx'), doc), quire.InvalidArgumentError);
  await assert.rejects(r.renderTo(path.join(dir, 'no', 'dir.html'), doc), quire.QuireIOError);
  const stream = fs.createWriteStream(path.join(dir, 's.txt'));
  await r.renderTo(stream, doc, 'text');
  await new Promise((res) => stream.end(res));
  assert.ok(fs.readFileSync(path.join(dir, 's.txt')).equals(await r.render(doc, 'text')));
  fs.rmSync(dir, { recursive: true, force: true });
});

test('output cap, bad format, raw JSON input, sync and async agree', async () => {
  const raw = fs.readFileSync(SALES);
  await assert.rejects(quire.render(raw, 'html', { maxOutput: 1000 }), quire.TooBigError);
  await assert.rejects(quire.render(raw, 'docx'), quire.InvalidArgumentError);
  assert.throws(() => new quire.Renderer({ engine: 'gs' }), quire.InvalidArgumentError);
  assert.equal(quire.formatForPath('a/b.PDF'), 'pdf');
  assert.ok((await quire.render(raw, 'html')).equals(quire.renderSync(raw, 'html')));
  assert.ok((await quire.render(raw.toString(), 'text')).equals(quire.parseSync(raw).renderSync('text')));
});

test('the event loop keeps running during a long render', async () => {
  // A render of a few hundred milliseconds on koffi's worker pool: timers
  // fire meanwhile. Rendered synchronously, not one could fire before it
  // ended.
  const doc = await quire.parse(bigReport(8));
  const r = new quire.Renderer({ engine: pdfEngine() });
  let ticks = 0;
  let running = true;
  const tick = () => {
    if (!running) return;
    ticks++;
    setTimeout(tick, 1);
  };
  setTimeout(tick, 1);
  const t0 = process.hrtime.bigint();
  const pdf = await r.render(doc, 'pdf');
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  running = false;
  assert.ok(pdf.subarray(0, 5).toString() === '%PDF-');
  assert.ok(ms > 20, `render too short to observe (${ms} ms)`);
  assert.ok(ticks >= 3, `only ${ticks} timer ticks during a ${ms.toFixed(0)} ms render`);

  // The control: the same render on the main thread lets no timer fire.
  ticks = 0;
  running = true;
  setTimeout(tick, 1);
  r.renderSync(doc, 'pdf');
  const during = ticks;
  running = false;
  assert.equal(during, 0);
});

test('concurrent renders of one document match the serial output', async () => {
  const doc = await quire.parseFile(sample('v2/general_report.json'));
  const other = await quire.parseFile(sample('legacy/all_blocks.json'));
  const r = new quire.Renderer({ engine: pdfEngine() });
  const fmts = quire.FORMATS.filter((f) => supported(f, pdfEngine()) && f !== 'pdf');
  const expect = new Map();
  for (const d of [doc, other]) for (const f of fmts) expect.set(`${d === doc}-${f}`, r.renderSync(d, f));
  const jobs = [];
  for (let i = 0; i < 16; i++) {
    const d = i % 2 ? doc : other;
    const f = fmts[i % fmts.length];
    jobs.push(r.render(d, f).then((out) => assert.ok(out.equals(expect.get(`${d === doc}-${f}`)), `${i} ${f}`)));
    jobs.push(r.render(d, 'pdf').then((out) => assert.equal(out.subarray(0, 5).toString(), '%PDF-')));
  }
  await Promise.all(jobs);
});

test('close() during a render waits for it', async () => {
  const doc = await quire.parse(bigReport(4));
  const p = doc.render('pdf', { engine: pdfEngine() });
  doc.close();
  assert.ok(doc.closed);
  assert.equal((await p).subarray(0, 5).toString(), '%PDF-');
});

test('onWarning hears rendering problems', async () => {
  const text = fs.readFileSync(SALES, 'utf8').replace('Marguerite', 'Marguerite \u{1F9FF}\u{E0001}\u{1D400}');
  const seen = [];
  const r = new quire.Renderer({ engine: pdfEngine(), onWarning: (m) => seen.push(m) });
  await r.render(text, 'pdf');
  r.renderSync(text, 'pdf');
  assert.ok(seen.every((m) => typeof m === 'string' && m.length > 0));
  r.close();
});
