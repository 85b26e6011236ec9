'use strict';
// Verifying and reading Conduit webhook deliveries (no network needed).
// These calls take microseconds, so they are synchronous.

const crypto = require('node:crypto');
const { native } = require('./native');
const { fromBuffer, newErrorBuf, invalid } = require('./errors');

const KINDS = { 0: 'unknown', 1: 'report.completed', 2: 'report.failed', 3: 'matching.completed', 4: 'matching.failed' };

function bytes(value, what) {
  if (Buffer.isBuffer(value)) return value;
  if (ArrayBuffer.isView(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  throw new TypeError(`${what} must be a Buffer or a string`);
}

// Headers as node:http gives them (req.headers, or better req.rawHeaders,
// which keeps duplicates), a Headers object, a plain object, [name, value]
// pairs or 'Name: value' lines.
function headerLines(headers) {
  const lines = [];
  const add = (name, value) => {
    if (Array.isArray(value)) {
      for (const v of value) add(name, v);
      return;
    }
    lines.push(`${name}: ${value}`);
  };
  if (headers === null || typeof headers !== 'object' || typeof headers === 'string') {
    throw new TypeError('headers must be an object, a Headers, an array of [name, value] pairs or lines, or rawHeaders');
  }
  if (Array.isArray(headers)) {
    if (headers.length && headers.every((h) => typeof h === 'string')) {
      // rawHeaders ([name, value, name, value...]) or 'Name: value' lines
      if (headers.every((h) => h.includes(':'))) headers.forEach((h) => lines.push(h));
      else {
        if (headers.length % 2 !== 0) throw new TypeError('rawHeaders must hold name, value pairs');
        for (let i = 0; i < headers.length; i += 2) add(headers[i], headers[i + 1]);
      }
    } else {
      for (const h of headers) {
        if (!Array.isArray(h) || h.length !== 2) throw new TypeError('header pairs must be [name, value]');
        add(h[0], h[1]);
      }
    }
  } else if (typeof headers.entries === 'function' && typeof headers.get === 'function') {
    for (const [k, v] of headers.entries()) add(k, v);
  } else {
    for (const [k, v] of Object.entries(headers)) add(k, v);
  }
  for (const l of lines) {
    // A header line cannot hold a line break or NUL; one that does was built
    // by the caller, and would let a value pose as another header.
    if (/[\r\n\0]/.test(l)) throw invalid('a webhook header contains a line break or NUL');
  }
  return lines;
}

/**
 * Checks the conduit-signature header (or the legacy mappa-signature):
 * t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">, with secret, within
 * tolerance seconds (300) of now (default: the clock), in constant time.
 * body must be the raw request body, byte for byte. Throws SignatureError
 * (missing, duplicated, malformed, stale or wrong: the message says which).
 */
function verifySignature({ headers, body, secret, tolerance = 300, now } = {}) {
  const { fn } = native();
  const lines = headerLines(headers);
  const raw = bytes(body, 'body');
  const key = bytes(secret, 'secret');
  const opts = { version: 1, tolerance: Math.trunc(tolerance), now: now === undefined ? 0 : Math.trunc(now) };
  const err = newErrorBuf();
  const rc = fn.quire_webhook_verify(lines, lines.length, raw, raw.length, key, key.length, opts, err);
  if (rc !== 0) throw fromBuffer(rc, err);
}

/** Reads a (verified) webhook body: {kind, type, id, createdAt, jobId,
 * reportId, matchingId, status, errorCode, errorMessage, data}. Throws
 * JSONSyntaxError, or SchemaError for a known type missing its ids. */
function parseEvent(body) {
  const { fn } = native();
  const raw = bytes(body, 'body');
  const out = [null];
  const err = newErrorBuf();
  const rc = fn.quire_webhook_parse_event(out, raw, raw.length, err);
  if (rc !== 0) throw fromBuffer(rc, err);
  const ev = out[0];
  try {
    let data = {};
    try {
      data = JSON.parse(fn.quire_webhook_event_data(ev) || '{}');
    } catch {
      data = {};
    }
    return {
      kind: KINDS[fn.quire_webhook_event_kind(ev)] || 'unknown',
      type: fn.quire_webhook_event_type(ev),
      id: fn.quire_webhook_event_id(ev),
      createdAt: fn.quire_webhook_event_created_at(ev),
      jobId: fn.quire_webhook_event_job_id(ev),
      reportId: fn.quire_webhook_event_report_id(ev),
      matchingId: fn.quire_webhook_event_matching_id(ev),
      status: fn.quire_webhook_event_status(ev),
      errorCode: fn.quire_webhook_event_error_code(ev),
      errorMessage: fn.quire_webhook_event_error_message(ev),
      data: data && typeof data === 'object' && !Array.isArray(data) ? data : {},
    };
  } finally {
    fn.quire_webhook_event_free(ev);
  }
}

/** verifySignature, then parseEvent: the one call a webhook endpoint
 * makes. Answer 400/401 on a QuireError, 2xx otherwise. */
function verifyWebhook(args) {
  verifySignature(args);
  return parseEvent(args.body);
}

/** The conduit-signature value Conduit would send (tests, local tools). */
function sign(body, secret, timestamp) {
  const t = timestamp === undefined ? Math.floor(Date.now() / 1000) : Math.trunc(timestamp);
  const mac = crypto.createHmac('sha256', bytes(secret, 'secret')).update(`${t}.`).update(bytes(body, 'body')).digest('hex');
  return `t=${t},v1=${mac}`;
}

module.exports = { verifySignature, parseEvent, verifyWebhook, sign };
