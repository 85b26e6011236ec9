'use strict';
// The webhook example end to end: a signed delivery in, the PDF out.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');
const { spawn, spawnSync } = require('node:child_process');
const { quire, PKG, HTTP_DIR, SAMPLES, has, startServer, tmpdir } = require('./helpers');

const SECRET = 'whsec_example_0123456789';
const KEY = 'sk_test_example_key_0123456789';
const BODY = fs.readFileSync(path.join(HTTP_DIR, 'data', 'webhook_report_completed.json'));

async function withExample(fn) {
  const api = await startServer({ routes: [{ path: '/v1/reports/rep_1', replies: [{ body_file: 'data/report_v2.json' }] }] });
  // The example requires 'quire' as an installed package would be: point
  // NODE_PATH at a folder where that name is this package.
  const mods = tmpdir();
  fs.symlinkSync(PKG, path.join(mods, 'quire'));
  const child = spawn(process.execPath, [path.join(PKG, 'examples', 'webhook-server.js')], {
    env: { ...process.env, CONDUIT_API_KEY: KEY, CONDUIT_WEBHOOK_SECRET: SECRET, CONDUIT_BASE_URL: api.base, PORT: '0', NODE_PATH: mods },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const line = await new Promise((resolve, reject) => {
      readline.createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`example exited ${code}`)));
    });
    assert.match(line, /^listening on http:\/\//);
    await fn(line.split(' ').pop(), api);
  } finally {
    child.kill();
    api.stop();
    fs.rmSync(mods, { recursive: true, force: true });
  }
}

async function post(url, body, headers) {
  const r = await fetch(`${url}/webhook`, { method: 'POST', body, headers });
  return { status: r.status, type: r.headers.get('content-type'), body: Buffer.from(await r.arrayBuffer()) };
}

test('a signed delivery returns the report PDF', () => withExample(async (url, api) => {
  const r = await post(url, BODY, { 'Content-Type': 'application/json', 'Conduit-Signature': quire.sign(BODY, SECRET) });
  assert.equal(r.status, 200, r.body.toString());
  assert.equal(r.type, 'application/pdf');
  assert.equal(r.body.subarray(0, 5).toString(), '%PDF-');
  assert.deepEqual(api.lines(), ['GET /v1/reports/rep_1']);
  const dir = tmpdir();
  fs.writeFileSync(path.join(dir, 'r.pdf'), r.body);
  assert.ok(spawnSync('pdftotext', [path.join(dir, 'r.pdf'), '-'], { encoding: 'utf8' }).stdout.includes('Dana Okafor'));
  fs.rmSync(dir, { recursive: true, force: true });
}));

test('bad deliveries are refused and fetch nothing', () => withExample(async (url, api) => {
  const good = quire.sign(BODY, SECRET);
  let r = await post(url, Buffer.concat([BODY, Buffer.from(' ')]), { 'Conduit-Signature': good });
  assert.equal(r.status, 401);
  assert.match(r.body.toString(), /does not match/);
  assert.equal((await post(url, BODY, {})).status, 401);
  assert.equal((await post(url, BODY, { 'Conduit-Signature': quire.sign(BODY, 'nope') })).status, 401);
  const other = Buffer.from('{"id":"e2","type":"report.failed","data":{"jobId":"j","error":{"code":"x","message":"y"}}}');
  r = await post(url, other, { 'Conduit-Signature': quire.sign(other, SECRET) });
  assert.equal(r.status, 202);
  assert.match(r.body.toString(), /report\.failed/);
  assert.equal((await fetch(`${url}/webhook`)).status, 405);
  assert.deepEqual(api.lines(), []);
}));

test('the README program renders every sample to every format', () => {
  const out = tmpdir();
  const mods = tmpdir();
  fs.symlinkSync(PKG, path.join(mods, 'quire'));
  const r = spawnSync(process.execPath, [path.join(PKG, 'examples', 'render-samples.js'), out, ...SAMPLES], {
    env: { ...process.env, NODE_PATH: mods }, encoding: 'utf8', timeout: 600000,
  });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^webhook: report\.completed evt_1 report rep_1$/m);
  assert.match(r.stdout, /^webhook: tampered body refused/m);
  for (const s of SAMPLES) {
    const stem = path.basename(s, '.json');
    for (const [ext, magic] of [['txt', ''], ['html', '<!DOCTYPE html>'], ['pdf', '%PDF-']]) {
      const data = fs.readFileSync(path.join(out, `${stem}.${ext}`));
      assert.ok(data.length > 0 && data.subarray(0, magic.length).toString() === magic, `${stem}.${ext}`);
    }
    const pngs = fs.readdirSync(out).filter((f) => f.startsWith(`${stem}-`) && f.endsWith('.png'));
    assert.equal(pngs.length >= 1, has('cairo'), stem);
  }
  fs.rmSync(out, { recursive: true, force: true });
  fs.rmSync(mods, { recursive: true, force: true });
});
