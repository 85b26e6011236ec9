'use strict';
// Validation, tolerant and strict, agrees with `quire validate`.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { quire, SAMPLES, sample, runCli, tmpdir } = require('./helpers');

test('every sample agrees with the CLI, line for line', async () => {
  for (const file of SAMPLES) {
    for (const strict of [false, true]) {
      const v = await quire.validate(fs.readFileSync(file), { strict, source: file });
      const cli = runCli('validate', ...(strict ? ['--strict'] : []), file);
      assert.equal(v.valid, cli.status === 0, `${file} strict=${strict}`);
      const lines = cli.stdout.toString().split('\n').filter(Boolean);
      assert.deepEqual(v.problems.map(String), lines, `${file} strict=${strict}`);
    }
  }
});

test('problems carry paths; sync and async agree', async () => {
  const data = fs.readFileSync(sample('v2/hiring_report.json'));
  const v = await quire.validate(data, { strict: true });
  assert.equal(v.valid, false);
  assert.deepEqual(v.errors.map((p) => p.path), ['$.output.template', '$.json.template']);
  assert.deepEqual(v.warnings, []);
  assert.deepEqual(quire.validateSync(data, { strict: true }).problems.map(String), v.problems.map(String));
  assert.equal((await quire.validate(data)).valid, true);
});

test('a syntax error is one problem with its place', async () => {
  const dir = tmpdir();
  const bad = path.join(dir, 'bad.json');
  fs.writeFileSync(bad, '{"id": "x",\n "json": [1, 2,, 3]}');
  const v = await quire.validate(fs.readFileSync(bad), { source: bad });
  assert.equal(v.valid, false);
  assert.equal(v.problems.length, 1);
  const [p] = v.problems;
  assert.deepEqual([p.line, p.column, p.code], [2, 16, 'ESYNTAX']);
  const cli = runCli('validate', bad);
  assert.equal(cli.stderr.toString().split('\n')[0], `quire: ${p}`);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('null cannot be checked', async () => {
  await assert.rejects(quire.validate('null'), quire.NotReadyError);
});
