'use strict';
// Parsing: every input form, every error's fields, the document's data.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { quire, SAMPLES, sample, runCli, tmpdir } = require('./helpers');

const SALES = sample('v2/sales_playbook.json');

test('Buffer, string, typed array, file: one document', async () => {
  const raw = fs.readFileSync(SALES);
  const docs = [
    await quire.parse(raw), await quire.parse(raw.toString('utf8')), quire.parseSync(raw),
    await quire.parse(new Uint8Array(raw)), await quire.parseFile(SALES), quire.parseFileSync(SALES),
    await quire.parseFile(new URL(`file://${SALES}`)),
  ];
  const dumps = new Set(docs.map((d) => d.dump()));
  assert.equal(dumps.size, 1);
  assert.equal(docs[4].source, SALES);
  assert.equal(docs[0].source, null);
});

test('every sample parses; its dump is `quire inspect`', async () => {
  for (const file of SAMPLES) {
    const doc = await quire.parseFile(file);
    assert.ok(doc.title, file);
    const cli = runCli('inspect', file);
    if (cli.status === 0) assert.equal(cli.stdout.toString().trim(), doc.dump().trim(), file);
  }
});

test('metadata of a v2 report', () => {
  const doc = quire.parseFileSync(SALES);
  const raw = JSON.parse(fs.readFileSync(SALES, 'utf8'));
  assert.equal(doc.id, raw.id);
  assert.equal(doc.template, 'sales_playbook');
  assert.equal(doc.shape, 'v2');
  assert.match(doc.title, /^Sales playbook: /);
  assert.ok(doc.markdown.startsWith(raw.markdown.slice(0, 20)));
  assert.ok(doc.facts.length > 0 && doc.facts.every((f) => f.name && typeof f.value === 'string'));
  assert.deepEqual(doc.warnings, []);
});

test('tolerant warnings have paths; strict refuses with the path', async () => {
  const raw = JSON.parse(fs.readFileSync(SALES, 'utf8'));
  raw.surprise = { x: 1 };
  const doc = await quire.parse(JSON.stringify(raw));
  assert.ok(doc.warnings.some((w) => w.path && w.path.startsWith('$.surprise')));
  await assert.rejects(quire.parse(JSON.stringify(raw), { strict: true, source: 'r.json' }), (e) => {
    assert.ok(e instanceof quire.SchemaError && e instanceof quire.QuireError);
    assert.equal(e.code, 'ESCHEMA');
    assert.equal(e.errno, -5);
    assert.match(e.path, /^\$\.surprise/);
    assert.match(e.message, /^r\.json: \$\.surprise/);
    return true;
  });
});

test('syntax errors carry line and column', async () => {
  await assert.rejects(quire.parse('{\n  "id": "x",\n  oops\n}', { source: 'in.json' }), (e) => {
    assert.ok(e instanceof quire.JSONSyntaxError);
    assert.deepEqual([e.line, e.column, e.source], [3, 6, 'in.json']);
    assert.match(e.message, /^in\.json:3:6: /);
    return true;
  });
  assert.equal(quire.errorClass(-4), quire.JSONSyntaxError);
});

test('shape errors, null, limits, bad input types', async () => {
  await assert.rejects(quire.parse('[]'), (e) => e instanceof quire.SchemaError && e.path === '$');
  await assert.rejects(quire.parse('null'), quire.NotReadyError);
  await assert.rejects(quire.parse(fs.readFileSync(SALES), { maxInput: 100 }), quire.TooBigError);
  await assert.rejects(quire.parse(12), TypeError);
  await assert.rejects(quire.parse('{}', { maxInput: -1 }), quire.InvalidArgumentError);
});

test('file errors', async () => {
  const dir = tmpdir();
  await assert.rejects(quire.parseFile(`${dir}/missing.json`), (e) => e instanceof quire.QuireIOError && e.message.includes('missing.json'));
  await assert.rejects(quire.parseFile(dir), quire.QuireIOError);
  await assert.rejects(quire.parseFile('a\0b'), quire.InvalidArgumentError);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a closed document refuses use', async () => {
  const doc = quire.parseFileSync(SALES);
  doc.close();
  assert.ok(doc.closed);
  assert.throws(() => doc.title, /closed/);
  await assert.rejects(doc.render('html'), /closed/);
  doc.close();
});
