'use strict';
// The Conduit client against the fake server (127.0.0.1), reusing the
// routes of the CLI's scenarios in tests/http/.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { quire, HTTP_DIR, scenario, header, testClient: client, withServer } = require('./helpers');

const REPORT_V2 = fs.readFileSync(path.join(HTTP_DIR, 'data', 'report_v2.json'));

test('getReport and fetchReport; every request carries key, id, agent', () => withServer(
  { routes: [{ path: '/v1/reports/rep_1', replies: [{ body_file: 'data/report_v2.json' }] }] }, async (s) => {
    const { c, apiKey } = client(s);
    assert.ok((await c.getReport('rep_1')).equals(REPORT_V2));
    const doc = await c.fetchReport('rep_1');
    assert.ok((await doc.render('text')).toString().includes('Dana Okafor'));
    assert.deepEqual(s.lines(), ['GET /v1/reports/rep_1', 'GET /v1/reports/rep_1']);
    for (const e of s.requests()) {
      assert.deepEqual(header(e, 'Mappa-Api-Key'), [apiKey]);
      assert.match(header(e, 'X-Request-Id')[0], /^req_[0-9a-f]{32}$/);
      assert.match(header(e, 'User-Agent')[0], /^quire\/.*bindings-test/);
    }
    assert.ok(!JSON.stringify(c).includes(apiKey));
    c.close();
    await assert.rejects(c.getReport('rep_1'), /closed/);
  }));

test('errors carry request id, status and source, never the key', () => withServer(scenario('auth_401'), async (s) => {
  const { c, apiKey } = client(s);
  await assert.rejects(c.getReport('rep_1'), (e) => {
    assert.ok(e instanceof quire.AuthError);
    assert.deepEqual([e.httpStatus, e.requestId, e.code], [401, 'req_srv_401', 'EAUTH']);
    assert.match(e.source, /\/v1\/reports\/rep_1$/);
    assert.ok(e.message.includes('Invalid API key') && !e.message.includes(apiKey));
    return true;
  });
}));

test('a key echoed by a hostile server is redacted', () => withServer(scenario('auth_403_key_echoed'), async (s) => {
  const { c, apiKey } = client(s);
  await assert.rejects(c.getReport('rep_1'), (e) => e instanceof quire.AuthError && !e.message.includes(apiKey) && !e.detail.includes(apiKey));
}));

test('404 and retries', async () => {
  await withServer({ routes: [] }, async (s) => {
    const { c } = client(s);
    await assert.rejects(c.getReport('rep_missing'), (e) => e instanceof quire.NotFoundError && e.httpStatus === 404);
  });
  await withServer(scenario('server_503_then_ok'), async (s) => {
    const { c } = client(s);
    assert.equal((await c.getReport('rep_1'))[0], '{'.charCodeAt(0));
    const ids = s.requests().map((e) => header(e, 'X-Request-Id')[0]);
    assert.equal(ids.length, 2);
    assert.equal(ids[0], ids[1]);
  });
});

test('by job: not ready, then the job', () => withServer(scenario('byjob_not_ready'), async (s) => {
  const { c } = client(s);
  await assert.rejects(c.getReportByJob('job_1'), quire.NotReadyError);
  const job = await c.getJob('job_1');
  assert.deepEqual([job.id, job.status, job.stage, job.progress, job.terminal], ['job_1', 'running', 'scoring', 0.4, false]);
  assert.equal(JSON.parse(job.json).id, 'job_1');
}));

test('create, wait on the stream with progress, fetch the job report', () => withServer(scenario('create_wait_render'), async (s) => {
  const { c } = client(s);
  const job = await c.createJob({ mediaId: 'med_1', template: 'sales_playbook' });
  assert.deepEqual([job.id, job.status], ['job_1', 'queued']);
  assert.match(job.idempotencyKey, /^idem_/);
  const seen = [];
  const done = await c.waitJob('job_1', { progress: (j) => seen.push([j.status, j.stage]) });
  assert.deepEqual([done.status, done.reportId], ['succeeded', 'rep_1']);
  assert.ok(seen.some(([st, sg]) => st === 'running' && sg === 'scoring'), JSON.stringify(seen));
  assert.ok((await c.getJobReport(done)).includes('Dana Okafor'));
  assert.deepEqual(s.lines(), ['POST /v1/reports/jobs', 'GET /v1/jobs/job_1/stream', 'GET /v1/reports/rep_1']);
  assert.deepEqual(header(s.requests()[0], 'Idempotency-Key'), [job.idempotencyKey]);
}));

test('the event loop runs while a fetch waits on the network', () => withServer(
  { routes: [{ path: '/v1/reports/rep_1', replies: [{ body_file: 'data/report_v2.json', delay: 0.5 }] }] }, async (s) => {
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
    const raw = await c.getReport('rep_1');
    running = false;
    assert.ok(raw.equals(REPORT_V2));
    assert.ok(ticks >= 5, `${ticks} ticks during a 0.5 s wait`);
  }));

test('waitReport falls back to polling; poll: true polls only', async () => {
  await withServer(scenario('sse_fallback_to_polling'), async (s) => {
    const { c } = client(s);
    assert.ok((await c.waitReport('job_1', { timeout: 60 })).includes('Evidence before enthusiasm'));
    assert.equal(s.lines().at(-1), 'GET /v1/reports/rep_1');
  });
  await withServer(scenario('sse_fallback_to_polling'), async (s) => {
    const { c } = client(s);
    await c.waitJob('job_1', { poll: true });
    assert.ok(!s.lines().includes('GET /v1/jobs/job_1/stream'));
  });
});

test('failed, canceled, timed out', async () => {
  await withServer(scenario('job_failed'), async (s) => {
    await assert.rejects(client(s).c.waitReport('job_1'), (e) => e instanceof quire.JobFailedError && e.message.includes('no_speech'));
  });
  await withServer(scenario('job_canceled'), async (s) => {
    await assert.rejects(client(s).c.waitJob('job_1'), quire.JobCanceledError);
  });
  await withServer(scenario('wait_timeout'), async (s) => {
    await assert.rejects(client(s).c.waitJob('job_1', { timeout: 0.5 }), quire.QuireTimeoutError);
  });
});

test('createJob sends the contract body; failures keep the key', async () => {
  await withServer(scenario('create_idempotency_key'), async (s) => {
    const { c } = client(s);
    const job = await c.createJob({
      mediaId: 'med_1', template: 'general_report', params: { tone: 'brief' },
      target: { strategy: 'timerange', start: 12.5, end: 90, fallbackDominant: true },
      webhookUrl: 'https://hooks.example/conduit', label: 'Q1 review', entityLabel: 'Dana', idempotencyKey: 'idem_fixed_123',
    });
    assert.deepEqual([job.id, job.idempotencyKey, job.estimatedWait], ['job_9', 'idem_fixed_123', 40]);
    const want = scenario('create_idempotency_key').expect.requests[0].body;
    assert.deepEqual(JSON.parse(s.requests()[0].body), want);
  });
  await withServer({ routes: [{ method: 'POST', path: '/v1/reports/jobs', replies: [{ status: 422, json: { error: { code: 'validation_error', message: 'mediaId unknown' } } }] }] }, async (s) => {
    const { c } = client(s);
    await assert.rejects(c.createJob({ mediaId: 'med_x', template: 'general_report' }), (e) => {
      assert.ok(e instanceof quire.APIValidationError);
      assert.equal(e.httpStatus, 422);
      assert.match(e.idempotencyKey, /^idem_/);
      return true;
    });
    await assert.rejects(c.createJob({ mediaId: 'm', template: 't', params: '[1]' }), quire.InvalidArgumentError);
    await assert.rejects(c.createJob({ mediaId: 'm', template: 't', target: { strategy: 'everyone' } }), quire.InvalidArgumentError);
  });
});

test('createMatchingJob and matching results', async () => {
  await withServer(scenario('create_matching'), async (s) => {
    const { c } = client(s);
    const job = await c.createMatchingJob({
      target: { entityId: 'ent_1' },
      group: [{ mediaId: 'med_2' }, { mediaId: 'med_3', target: { strategy: 'speaker_index', speakerIndex: 1 } }],
      webhookUrl: 'https://hooks.example/m', idempotencyKey: 'idem_m_1',
    });
    assert.equal(job.id, 'job_m');
    assert.deepEqual(JSON.parse(s.requests()[0].body), scenario('create_matching').expect.requests[0].body);
  });
  const sc = scenario('matching_by_id');
  const mid = sc.routes.map((r) => r.path).find((p) => p.startsWith('/v1/matching/')).split('/').pop();
  await withServer(sc, async (s) => {
    const doc = await quire.parse(await client(s).c.getMatching(mid));
    assert.equal(doc.shape, 'matching');
  });
});

test('cancelJob', () => {
  const sc = scenario('job_cancel');
  const id = sc.routes.find((r) => r.method === 'POST').path.split('/')[3];
  return withServer(sc, async (s) => {
    const job = await client(s).c.cancelJob(id);
    assert.ok(['canceled', 'running', 'queued', 'succeeded'].includes(job.status));
    assert.ok(header(s.requests()[0], 'Idempotency-Key').length === 1);
  });
});

test('bad arguments', async () => {
  assert.throws(() => new quire.Client({}), quire.InvalidArgumentError);
  assert.throws(() => new quire.Client({ apiKey: 'k', baseUrl: 'http://example.com' }), quire.InvalidArgumentError);
  assert.throws(() => new quire.Client({ apiKey: 'key\nInjected: 1' }), quire.InvalidArgumentError);
  const c = new quire.Client({ apiKey: 'k', baseUrl: 'http://127.0.0.1:9', maxRetries: 0 });
  await assert.rejects(c.getReport(''), quire.InvalidArgumentError);
  await assert.rejects(c.getReport('rep_1'), quire.NetworkError);
  await assert.rejects(c.waitJob('j', { timeout: -1 }), quire.InvalidArgumentError);
});

test('one client, concurrent calls: they queue and all succeed', () => withServer(
  { routes: [{ path: '/v1/reports/rep_1', replies: [{ body_file: 'data/report_v2.json', delay: 0.05 }] }] }, async (s) => {
    const { c } = client(s);
    const all = await Promise.all([1, 2, 3, 4].map(() => c.getReport('rep_1')));
    assert.ok(all.every((b) => b.equals(REPORT_V2)));
  }));

test('every error code of the header has its class', () => {
  // The binding keeps its own table of codes; one the header grows and it
  // misses would surface as a bare QuireError with code 'ERROR'.
  const header = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'lib', 'include', 'quire.h'), 'utf8');
  const codes = [...header.matchAll(/QUIRE_(E[A-Z]+)\s*=\s*(-\d+)/g)];
  assert.ok(codes.length >= 24);
  for (const [, name, n] of codes) {
    const cls = quire.errorClass(Number(n));
    assert.equal(new cls(Number(n), 'x').code, name);
    if (name !== 'ERROR') assert.notEqual(cls, quire.QuireError, name);
  }
  assert.equal(quire.errorClass(-24), quire.AbortedError);
});

test('onEvent gets every raw event', () => withServer(scenario('create_wait_render'), async (s) => {
  const events = [];
  await client(s).c.waitJob('job_1', { onEvent: (e) => events.push(e) });
  assert.deepEqual(events.map((e) => [e.type, e.id]), [['status', '1'], ['terminal', '2']]);
  assert.ok(events[0] instanceof quire.JobEvent);
  assert.equal(JSON.parse(events[0].data).stage, 'scoring');
  assert.deepEqual(events.map((e) => e.job.status), ['running', 'succeeded']);
}));

// wait_timeout polls a job that never ends: only the signal can stop the
// wait before its 60 s deadline (that would reject with QuireTimeoutError).
test('an AbortSignal stops waitJob and waitReport, not the job', () => withServer(scenario('wait_timeout'), async (s) => {
  const { c } = client(s);
  const ac = new AbortController();
  const polled = [];
  const p = c.waitJob('job_1', {
    timeout: 60,
    signal: ac.signal,
    onEvent: (e) => {
      polled.push(e);
      if (polled.length === 2) ac.abort(new Error('user went away'));
    },
  });
  await assert.rejects(p, (e) => e instanceof quire.AbortedError && e.code === 'EABORTED' && e.cause.message === 'user went away');
  assert.deepEqual([...new Set(polled.map((e) => e.type))], ['job']);
  assert.equal(JSON.parse(polled[0].data).id, 'job_1');
  assert.ok(!s.lines().some((l) => l.startsWith('POST')));
  const ac2 = new AbortController();
  setTimeout(() => ac2.abort(), 200);
  await assert.rejects(c.waitReport('job_1', { timeout: 60, signal: ac2.signal }), quire.AbortedError);
  await assert.rejects(c.waitJob('job_1', { signal: ac2.signal }), quire.AbortedError);
  await assert.rejects(c.waitJob('job_1', { signal: {} }), TypeError);
}));

test('a throwing listener stops the wait at once with its error', () => withServer(scenario('wait_timeout'), async (s) => {
  const { c } = client(s);
  const boom = () => { throw new Error('listener failed'); };
  await assert.rejects(c.waitJob('job_1', { timeout: 60, onEvent: boom }), /listener failed/);
  await assert.rejects(c.waitJob('job_1', { timeout: 60, progress: boom }), /listener failed/);
}));

test('listAllFiles and listAllEntities follow the cursor and refuse a loop', async () => {
  await withServer(scenario('files_list_all'), async (s) => {
    const page = await client(s).c.listAllFiles({ limit: 1, includeDeleted: true });
    assert.deepEqual(page.items.map((f) => f.mediaId), ['med_1', 'med_2']);
    assert.deepEqual([page.hasMore, page.nextCursor], [false, null]);
    assert.match(s.requests()[1].path, /cursor=cur(%20|\+)2/);
  });
  await withServer(scenario('entities_list_all'), async (s) => {
    assert.deepEqual((await client(s).c.listAllEntities()).items.map((e) => e.id), ['ent_1', 'ent_2']);
  });
  await withServer(scenario('files_cursor_never_ends'), async (s) => {
    await assert.rejects(client(s).c.listAllFiles(), quire.ServerError);
  });
});
