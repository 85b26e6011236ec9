'use strict';
// Webhook verification: every way a delivery can be wrong.

const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { quire, HTTP_DIR } = require('./helpers');

const SECRET = `whsec_${'ab'.repeat(12)}`;
const BODY = fs.readFileSync(path.join(HTTP_DIR, 'data', 'webhook_report_completed.json'));

function sig(body = BODY, secret = SECRET, t = Math.floor(Date.now() / 1000)) {
  const mac = crypto.createHmac('sha256', secret).update(`${t}.`).update(body).digest('hex');
  return `t=${t},v1=${mac}`;
}

test('a good delivery in every header form', () => {
  const s = sig();
  const forms = [
    { 'content-type': 'application/json', 'conduit-signature': s },
    [['Content-Type', 'application/json'], ['Conduit-Signature', s]],
    ['Content-Type', 'application/json', 'Conduit-Signature', s], // req.rawHeaders
    ['Content-Type: application/json', `conduit-signature: ${s}`],
    new Headers({ 'conduit-signature': s }),
  ];
  for (const headers of forms) {
    const ev = quire.verifyWebhook({ headers, body: BODY, secret: SECRET });
    assert.equal(ev.kind, 'report.completed');
    assert.deepEqual([ev.id, ev.jobId, ev.reportId], ['evt_01HQ', 'job_1', 'rep_1']);
    assert.equal(ev.data.reportId, 'rep_1');
  }
  assert.equal(quire.sign(BODY, SECRET, 1700000000), sig(BODY, SECRET, 1700000000));
});

test('bad deliveries throw SignatureError, never echoing the secret', () => {
  const now = Math.floor(Date.now() / 1000);
  const cases = [
    [{ 'conduit-signature': sig() }, Buffer.concat([BODY, Buffer.from(' ')]), /does not match/],
    [{ 'conduit-signature': sig(BODY, 'other') }, BODY, /does not match/],
    [{ 'conduit-signature': sig(BODY, SECRET, now - 3600) }, BODY, /./],
    [{ 'content-type': 'application/json' }, BODY, /./],
    [{ 'conduit-signature': 't=1,v1=zz' }, BODY, /./],
    [['conduit-signature', sig(), 'Conduit-Signature', sig()], BODY, /./],
    [{ 'conduit-signature': [sig(), sig()] }, BODY, /./],
  ];
  for (const [headers, body, why] of cases) {
    assert.throws(() => quire.verifyWebhook({ headers, body, secret: SECRET }), (e) => {
      assert.ok(e instanceof quire.SignatureError, e.message);
      assert.equal(e.code, 'ESIGNATURE');
      assert.match(e.message, why);
      assert.ok(!e.message.includes(SECRET));
      return true;
    });
  }
});

test('legacy header, tolerance and now', () => {
  quire.verifyWebhook({ headers: { 'mappa-signature': sig() }, body: BODY, secret: SECRET });
  const old = Math.floor(Date.now() / 1000) - 1000;
  assert.throws(() => quire.verifyWebhook({ headers: { 'conduit-signature': sig(BODY, SECRET, old) }, body: BODY, secret: SECRET }), quire.SignatureError);
  quire.verifyWebhook({ headers: { 'conduit-signature': sig(BODY, SECRET, old) }, body: BODY, secret: SECRET, tolerance: 2000 });
  quire.verifyWebhook({ headers: { 'conduit-signature': sig(BODY, SECRET, 1000) }, body: BODY, secret: SECRET, now: 1100 });
});

test('header injection and bad arguments are refused', () => {
  assert.throws(() => quire.verifyWebhook({ headers: { x: `a\r\nconduit-signature: ${sig()}` }, body: BODY, secret: SECRET }), quire.InvalidArgumentError);
  assert.throws(() => quire.verifyWebhook({ headers: 'conduit-signature: x', body: BODY, secret: SECRET }), TypeError);
  assert.throws(() => quire.verifyWebhook({ headers: {}, body: 5, secret: SECRET }), TypeError);
});

test('parseEvent: errors and kinds', () => {
  assert.throws(() => quire.parseEvent('{'), quire.JSONSyntaxError);
  assert.throws(() => quire.parseEvent('{"id":"e","type":"report.completed","data":{}}'), (e) => e instanceof quire.SchemaError && e.path.startsWith('$.data'));
  const ev = quire.parseEvent('{"id":"e","type":"report.failed","data":{"jobId":"j","error":{"code":"boom","message":"no"}}}');
  assert.deepEqual([ev.kind, ev.jobId, ev.errorCode, ev.errorMessage], ['report.failed', 'j', 'boom', 'no']);
  const other = quire.parseEvent('{"id":"e","type":"something.new","data":{"x":1}}');
  assert.equal(other.kind, 'unknown');
  assert.deepEqual(other.data, { x: 1 });
});
