#!/usr/bin/env node
'use strict';
// A Conduit webhook endpoint with node:http alone: verify the signature,
// fetch the finished report, answer with its PDF.
//
//   CONDUIT_API_KEY=sk_... CONDUIT_WEBHOOK_SECRET=whsec_... node webhook-server.js
//
// Environment: CONDUIT_API_KEY and CONDUIT_WEBHOOK_SECRET (required),
// CONDUIT_BASE_URL (default https://api.mappa.ai), PORT (8080; 0 picks a
// free one), BIND (127.0.0.1). Prints "listening on http://HOST:PORT".
//
// POST /webhook answers:
//   200 application/pdf   report.completed: the report's PDF
//   202                   report.failed and other events (acknowledged)
//   401                   the signature is missing, stale or wrong
//   400                   a verified body that is not a Conduit event
//   502                   the report could not be fetched or rendered
// Parsing, rendering and fetching run on libquire's side of the worker
// pool: the event loop keeps serving other requests meanwhile.

const http = require('node:http');
const quire = require('quire');

const MAX_BODY = 1 << 20; // webhook bodies are small; refuse anything bigger
const { CONDUIT_API_KEY: apiKey, CONDUIT_WEBHOOK_SECRET: secret } = process.env;
const baseUrl = process.env.CONDUIT_BASE_URL || undefined;

if (!apiKey || !secret) {
  process.stderr.write('webhook: set CONDUIT_API_KEY and CONDUIT_WEBHOOK_SECRET\n');
  process.exit(2);
}

// One look for every report, built once. A client runs one call at a time,
// so keep a small pool of them for concurrent deliveries.
const renderer = new quire.Renderer({ paper: 'a4' });
const idle = [];
async function withClient(fn) {
  const c = idle.pop() || new quire.Client({ apiKey, baseUrl, userAgent: 'webhook-example' });
  try {
    return await fn(c);
  } finally {
    idle.push(c);
  }
}

function reply(res, status, body, type = 'application/json') {
  const data = Buffer.isBuffer(body) ? body : Buffer.from(`${JSON.stringify(body)}\n`);
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': data.length });
  res.end(data);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
      } else {
        chunks.push(c);
      }
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function handle(req, res) {
  if (req.url !== '/webhook') return reply(res, 404, { error: 'not found' });
  if (req.method !== 'POST') return reply(res, 405, { error: 'POST a Conduit webhook to /webhook' });
  let body;
  try {
    body = await readBody(req);
  } catch {
    return reply(res, 413, { error: 'body too large' });
  }
  let event;
  try {
    // rawHeaders keeps every header line, duplicates included.
    event = quire.verifyWebhook({ headers: req.rawHeaders, body, secret });
  } catch (e) {
    if (e instanceof quire.SignatureError) return reply(res, 401, { error: e.detail });
    if (e instanceof quire.QuireError) return reply(res, 400, { error: e.message });
    throw e;
  }
  if (event.kind !== 'report.completed' || !event.reportId) {
    return reply(res, 202, { status: 'ignored', event: event.kind });
  }
  try {
    const pdf = await withClient(async (c) => {
      const doc = await c.fetchReport(event.reportId);
      try {
        return await renderer.render(doc, 'pdf');
      } finally {
        doc.close();
      }
    });
    return reply(res, 200, pdf, 'application/pdf');
  } catch (e) {
    if (!(e instanceof quire.QuireError)) throw e;
    // e.requestId is the id to quote to Conduit's support.
    return reply(res, 502, { error: e.message, requestId: e.requestId });
  }
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((e) => {
    process.stderr.write(`webhook: ${e.stack || e}\n`);
    if (!res.headersSent) reply(res, 500, { error: 'internal error' });
  });
});
server.listen(Number(process.env.PORT ?? 8080), process.env.BIND || '127.0.0.1', () => {
  const { address, port } = server.address();
  process.stdout.write(`listening on http://${address}:${port}\n`);
});
