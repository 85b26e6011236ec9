'use strict';
// Uploads, files, entities and webhook headers against the fake server
// (127.0.0.1), with the routes of the CLI's scenarios in tests/http/.

const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { quire, scenario, startServer, header, tmpdir, testClient: client, withServer } = require('./helpers');

const expected = (name, i = 0) => scenario(name).expect.requests[i].body;
const bodyOf = (s, i) => JSON.parse(s.requests()[i].body);

/** A sparse file: big without costing disk. */
function mediaFile(size = 3 << 20, name = 'call.mp3') {
  const dir = tmpdir();
  const p = path.join(dir, name);
  fs.writeFileSync(p, Buffer.concat([Buffer.from('ID3'), crypto.randomBytes(1024)]));
  fs.truncateSync(p, size);
  return p;
}

test('upload streams the file with its label, progress and key', () => withServer(scenario('upload_file'), async (s) => {
  const { c, apiKey } = client(s);
  const seen = [];
  const f = await c.upload({ path: mediaFile(), label: 'Q1 call', progress: (sent, total) => seen.push([sent, total]) });
  assert.ok(f instanceof quire.MediaFile);
  assert.deepEqual([f.mediaId, f.label, f.contentType, f.size, f.createdAt], ['med_up1', 'Q1 call', 'audio/mpeg', 3000000, '2026-03-18T14:22:05Z']);
  assert.deepEqual([f.deleted, f.duration, f.retentionLocked], [false, null, null]);
  assert.match(f.idempotencyKey, /^idem_[0-9a-f-]{36}$/);
  assert.deepEqual(s.lines(), ['POST /v1/files']);
  const req = s.requests()[0];
  assert.deepEqual(header(req, 'Idempotency-Key'), [f.idempotencyKey]);
  assert.deepEqual(header(req, 'Mappa-Api-Key'), [apiKey]);
  assert.match(header(req, 'Content-Type')[0], /^multipart\/form-data/);
  assert.ok(req.body_size > 3 << 20, `${req.body_size} bytes`);
  assert.ok(req.body.includes('name="file"; filename="call.mp3"'));
  assert.match(req.body, /name="label"\r\n\r\nQ1 call\r\n--/);
  assert.ok(seen.length > 0 && seen[seen.length - 1][0] >= 3 << 20);
  assert.equal(JSON.parse(f.json).mediaId, 'med_up1');
}));

test('upload options, a missing file, bad arguments', () => withServer(scenario('upload_file'), async (s) => {
  const { c } = client(s);
  const f = await c.upload({ path: mediaFile(1000, 'raw.bin'), filename: 'named.wav', contentType: 'audio/wav', idempotencyKey: 'idem_mine_1' });
  assert.equal(f.idempotencyKey, 'idem_mine_1');
  assert.ok(s.requests()[0].body.includes('filename="named.wav"'));
  assert.ok(s.requests()[0].body.includes('Content-Type: audio/wav'));
  await assert.rejects(c.upload('/nonexistent/missing.mp3'), (e) => e instanceof quire.QuireIOError && /missing\.mp3/.test(e.message));
  await assert.rejects(c.upload({}), quire.InvalidArgumentError);
  await assert.rejects(c.upload({ path: 'a.mp3', url: 'https://example.com/a.mp3' }), quire.InvalidArgumentError);
  await assert.rejects(c.upload({ path: 'a.mp3', progress: 3 }), TypeError);
  assert.equal(s.requests().length, 1);
}));

test('an upload failure carries code, message, status, request id and key', () => withServer({
  routes: [{ method: 'POST', path: '/v1/files', replies: [{ status: 415, headers: { 'X-Request-Id': 'req_srv_415' }, json: { error: { code: 'unsupported_media_type', message: 'not audio' } } }] }],
}, async (s) => {
  const { c } = client(s);
  await assert.rejects(c.upload(mediaFile(5000)), (e) => {
    assert.ok(e instanceof quire.RefusedError);
    assert.deepEqual([e.httpStatus, e.requestId, e.code], [415, 'req_srv_415', 'EREFUSED']);
    assert.ok(e.detail.includes('not audio') && /\/v1\/files$/.test(e.source));
    assert.match(e.idempotencyKey, /^idem_/);
    return true;
  });
}));

test('upload from a url: fetched without the key, then uploaded', async () => {
  const s = await startServer({ routes: scenario('create_from_url').routes });
  try {
    const { c } = client(s);
    const f = await c.upload({ url: `${s.other}/media/call%201.mp3` });
    assert.equal(f.mediaId, 'med_url1');
    const up = s.requests()[0];
    assert.ok(up.body.includes('name="file"; filename="call 1.mp3"'));
    assert.ok(up.body_size >= 200000);
  } finally {
    s.stop();
  }
});

test('createJob from a file uploads first, then creates on its mediaId', () => withServer(scenario('create_from_file'), async (s) => {
  const { c } = client(s);
  const job = await c.createJob({ template: 'general_report', file: mediaFile(200000), label: 'Q1' });
  assert.deepEqual([job.id, job.mediaId, job.uploaded.mediaId], ['job_f1', 'med_up1', 'med_up1']);
  assert.deepEqual(s.lines(), ['POST /v1/files', 'POST /v1/reports/jobs']);
  assert.deepEqual(bodyOf(s, 1), expected('create_from_file', 1));
  await assert.rejects(c.createJob({ mediaId: 'med_1', file: 'x.mp3', template: 'general_report' }), quire.InvalidArgumentError);
  await assert.rejects(c.createJob({ template: 'general_report' }), quire.InvalidArgumentError);
  await assert.rejects(c.createJob({ mediaId: 'med_1' }), quire.InvalidArgumentError);
  assert.equal(s.requests().length, 2);
}));

test('a failed create after an upload keeps the upload and the key', () => withServer({
  routes: [scenario('create_from_file').routes[0],
    { method: 'POST', path: '/v1/reports/jobs', replies: [{ status: 402, json: { error: { code: 'insufficient_credits', message: 'Insufficient credits' } } }] }],
}, async (s) => {
  const { c } = client(s);
  await assert.rejects(c.createJob({ template: 'general_report', file: mediaFile(1000) }), (e) => {
    assert.ok(e instanceof quire.CreditsError);
    assert.equal(e.uploaded.mediaId, 'med_up1');
    assert.match(e.idempotencyKey, /^idem_/);
    return true;
  });
}));

for (const [kind, headers] of [
  ['an object', { 'X-Trace': 'abc 123', Authorization: 'Bearer t0k' }],
  ['a Map', new Map([['X-Trace', 'abc 123'], ['Authorization', 'Bearer t0k']])],
  ['pairs', [['X-Trace', 'abc 123'], ['Authorization', 'Bearer t0k']]],
  ['lines', ['X-Trace: abc 123', 'Authorization:Bearer t0k']],
]) {
  test(`createJob sends webhook headers given as ${kind}`, () => withServer(scenario('create_webhook_headers'), async (s) => {
    const { c } = client(s);
    await c.createJob({ mediaId: 'med_1', template: 'hiring_report', webhookUrl: 'https://hooks.example/c', webhookHeaders: headers });
    assert.deepEqual(bodyOf(s, 0), expected('create_webhook_headers'));
  }));
}

test('webhook headers are checked before anything is sent', () => withServer(scenario('create_webhook_headers'), async (s) => {
  const { c } = client(s);
  const req = { mediaId: 'med_1', template: 'hiring_report', webhookUrl: 'https://hooks.example/c' };
  for (const bad of [{ 'X-Bad': 'a\r\nInjected: 1' }, { 'Bad Name': 'x' }, ['no colon']]) {
    await assert.rejects(c.createJob({ ...req, webhookHeaders: bad }), quire.InvalidArgumentError);
  }
  await assert.rejects(c.createJob({ mediaId: 'med_1', template: 'hiring_report', webhookHeaders: { 'X-A': '1' } }), quire.InvalidArgumentError);
  await assert.rejects(c.createJob({ ...req, webhookHeaders: 'X-A: 1' }), TypeError);
  assert.deepEqual(s.requests(), []);
}));

test('createMatchingJob sends webhook headers', () => withServer(scenario('create_matching_webhook_headers'), async (s) => {
  const { c } = client(s);
  const job = await c.createMatchingJob({ target: { entityId: 'ent_1' }, group: [{ entityId: 'ent_2' }], webhookUrl: 'https://hooks.example/m', webhookHeaders: { 'X-Team': 'blue' } });
  assert.equal(job.id, 'job_m');
  assert.deepEqual(bodyOf(s, 0), expected('create_matching_webhook_headers'));
}));

test('listFiles: one page, its cursor, the query', () => withServer(scenario('files_list_page'), async (s) => {
  const { c } = client(s);
  const page = await c.listFiles({ limit: 5, includeDeleted: true });
  assert.ok(page instanceof quire.Page);
  assert.deepEqual(page.items.map((f) => [f.mediaId, f.label, f.size]), [['med_1', 'one', 1234]]);
  assert.deepEqual([page.hasMore, page.nextCursor], [true, 'c2']);
  assert.deepEqual([...page].map((f) => f.mediaId), ['med_1']);
  await c.listFiles({ cursor: 'c2' });
  const paths = s.requests().map((e) => e.path);
  assert.match(paths[0], /limit=5/);
  assert.match(paths[0], /includeDeleted=true/);
  assert.match(paths[1], /cursor=c2/);
  await assert.rejects(c.listFiles({ limit: 101 }), quire.InvalidArgumentError);
}));

test('getFile, deleteFile, setFileRetention; a deleted file is gone', () => withServer({
  routes: [...scenario('files_delete_retention').routes, ...scenario('files_retention_lock').routes, ...scenario('files_gone').routes],
}, async (s) => {
  const { c } = client(s);
  const d = await c.deleteFile('med_1');
  assert.deepEqual([d.mediaId, d.deleted], ['med_1', true]);
  assert.equal((await c.setFileRetention('med_1', true)).retentionLocked, true);
  assert.deepEqual(bodyOf(s, 1), { lock: true });
  await assert.rejects(c.getFile('med_9'), (e) => e instanceof quire.NotFoundError && e.httpStatus === 410 && /deleted/.test(e.message));
  assert.deepEqual(s.lines(), ['DELETE /v1/files/med_1', 'PATCH /v1/files/med_1/retention', 'GET /v1/files/med_9']);
  await assert.rejects(c.getFile(''), quire.InvalidArgumentError);
  await assert.rejects(c.setFileRetention('med_1', 'yes'), TypeError);
}));

test('entities: pages by cursor, get', () => withServer({
  routes: [...scenario('entities_list_all').routes, ...scenario('entities_get').routes],
}, async (s) => {
  const { c } = client(s);
  const p1 = await c.listEntities({ limit: 1 });
  assert.deepEqual(p1.items.map((e) => [e.id, e.label, e.mediaCount, e.lastSeenAt]), [['ent_1', 'Dana', 3, '2026-03-05T10:00:00Z']]);
  assert.deepEqual([p1.hasMore, p1.nextCursor], [true, 'e2']);
  const p2 = await c.listEntities({ cursor: p1.nextCursor });
  assert.deepEqual(p2.items.map((e) => [e.id, e.label]), [['ent_2', null]]);
  assert.deepEqual([p2.hasMore, p2.nextCursor], [false, null]);
  const e = await c.getEntity('ent_1');
  assert.ok(e instanceof quire.Entity && e.id === 'ent_1');
  assert.match(s.requests()[1].path, /cursor=e2/);
}));

test('setEntityLabel trims, clears with null, refuses 65 characters unsent', async () => {
  await withServer(scenario('entities_label'), async (s) => {
    const { c } = client(s);
    assert.equal((await c.setEntityLabel('ent_1', '  Dana O.  ')).label, 'Dana O.');
    assert.deepEqual(bodyOf(s, 0), { label: 'Dana O.' });
  });
  await withServer(scenario('entities_label_clear'), async (s) => {
    const { c } = client(s);
    assert.equal((await c.setEntityLabel('ent_1', null)).label, null);
    assert.deepEqual(bodyOf(s, 0), { label: null });
    await assert.rejects(c.setEntityLabel('ent_1', `  ${'é'.repeat(65)}  `), (e) => e instanceof quire.InvalidArgumentError && /64/.test(e.message));
    assert.equal(s.requests().length, 1);
  });
});

test('the event loop runs while an upload is on the wire', () => withServer({
  routes: [{ method: 'POST', path: '/v1/files', replies: [{ status: 201, delay: 0.5, json: { mediaId: 'med_slow' } }] }],
}, async (s) => {
  const { c } = client(s);
  let ticks = 0;
  let running = true;
  const tick = () => {
    if (running) {
      ticks++;
      setTimeout(tick, 5);
    }
  };
  setTimeout(tick, 5);
  const started = Date.now();
  const progress = [];
  const f = await c.upload({ path: mediaFile(2 << 20), progress: (sent) => progress.push(sent) });
  running = false;
  const ms = Date.now() - started;
  assert.equal(f.mediaId, 'med_slow');
  assert.ok(ms >= 450, `${ms} ms`);
  // A blocked loop would tick at most once; 5 ms timers over >= 0.5 s tick
  // dozens of times even on a loaded machine.
  assert.ok(ticks >= 10, `${ticks} ticks during a ${ms} ms upload`);
  assert.ok(progress.length > 0);
}));

const README_ROUTES = [
  { method: 'POST', path: '/v1/files', replies: [{ status: 201, json: { mediaId: 'med_1', sizeBytes: 5000 } }] },
  { method: 'POST', path: '/v1/reports/jobs', replies: [{ status: 202, json: { jobId: 'job_1', status: 'queued' } }] },
  { path: '/v1/files', replies: [{ json: { files: [{ mediaId: 'med_1', label: 'Q1 call' }], hasMore: false, nextCursor: null } }] },
  { path: '/v1/files/med_1', replies: [{ json: { mediaId: 'med_1' } }] },
  { method: 'PATCH', path: '/v1/files/med_1/retention', replies: [{ json: { mediaId: 'med_1', retentionLock: true } }] },
  { method: 'DELETE', path: '/v1/files/med_1', replies: [{ json: { mediaId: 'med_1', deleted: true } }] },
  { path: '/v1/entities', replies: [{ json: { entities: [{ id: 'ent_1' }], hasMore: false, cursor: null } }] },
  { path: '/v1/entities/ent_1', replies: [{ json: { id: 'ent_1' } }] },
  { method: 'PATCH', path: '/v1/entities/ent_1', replies: [{ json: { id: 'ent_1', label: 'Dana O.' } }] },
];

test("the README's media section runs as written", () => withServer({ routes: README_ROUTES }, async (s) => {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  const section = readme.split('### Media files, entities, webhook headers')[1];
  const code = section.split('```js\n')[1].split('```')[0];
  const { c } = client(s);
  const dir = path.dirname(mediaFile(5000));
  const cwd = process.cwd();
  const log = console.log;
  process.chdir(dir);
  console.log = () => {};
  try {
    const AsyncFunction = (async () => {}).constructor;
    await new AsyncFunction('client', 'quire', code)(c, quire);
  } finally {
    console.log = log;
    process.chdir(cwd);
  }
  assert.deepEqual(s.lines(), [
    'POST /v1/files', 'POST /v1/files', 'POST /v1/reports/jobs',
    'GET /v1/files', 'GET /v1/files', 'GET /v1/files/med_1', 'PATCH /v1/files/med_1/retention', 'DELETE /v1/files/med_1',
    'GET /v1/entities', 'GET /v1/entities/ent_1', 'PATCH /v1/entities/ent_1']);
  assert.deepEqual(bodyOf(s, 2).webhook.headers, { Authorization: 'Bearer s3cret' });
}));
