'use strict';
// The Conduit API client: the calls a reporting backend makes. Every call
// runs on koffi's worker pool, so the event loop never waits on the network.

const { koffi, native } = require('./native');
const { fromBuffer, newErrorBuf, invalid, classes } = require('./errors');
const { callAsync, newBuf, takeBuf, disposeBuf, cstr, Handle } = require('./util');
const { parse } = require('./document');

const STATUS = { 0: 'unknown', 1: 'queued', 2: 'running', 3: 'succeeded', 4: 'failed', 5: 'canceled' };
const TARGETS = { dominant: 0, timerange: 1, entity_id: 2, magic_hint: 3, speaker_index: 4 };
const WAIT_POLL = 1;

function ms(seconds, what) {
  if (seconds === undefined || seconds === null) return 0;
  if (typeof seconds !== 'number' || !(seconds > 0)) throw invalid(`${what} must be a positive number of seconds`);
  return Math.max(1, Math.round(seconds * 1000));
}

function int(v, what, dflt = 0) {
  if (v === undefined || v === null) return dflt;
  if (!Number.isSafeInteger(v)) throw invalid(`${what} must be an integer`);
  return v;
}

/** A snapshot of a job as the server last described it. */
class Job {
  constructor(ptr, owned, idempotencyKey = null) {
    const { fn } = native();
    this.id = fn.quire_job_id(ptr);
    this.type = fn.quire_job_type(ptr);
    this.status = STATUS[fn.quire_job_status_of(ptr)] || 'unknown';
    this.stage = fn.quire_job_stage_name(fn.quire_job_stage_of(ptr));
    const p = fn.quire_job_progress(ptr);
    this.progress = p < 0 ? null : p;
    this.reportId = fn.quire_job_report_id(ptr);
    this.matchingId = fn.quire_job_matching_id(ptr);
    this.errorCode = fn.quire_job_error_code(ptr);
    this.errorMessage = fn.quire_job_error_message(ptr);
    this.createdAt = fn.quire_job_created_at(ptr);
    this.updatedAt = fn.quire_job_updated_at(ptr);
    const w = fn.quire_job_estimated_wait(ptr);
    this.estimatedWait = w < 0 ? null : w;
    this.json = fn.quire_job_json(ptr) || '{}';
    this.idempotencyKey = idempotencyKey;
    Object.defineProperty(this, '_h', { value: owned ? new Handle(ptr, fn.quire_job_free, 'job', this) : null });
  }

  /** True once the job succeeded, failed or was canceled. */
  get terminal() {
    return ['succeeded', 'failed', 'canceled'].includes(this.status);
  }
}

/** One event of a job's stream as received (what the Conduit SDKs'
 * stream() gives): type is 'status', 'stage', 'terminal', 'heartbeat',
 * 'error' or any other the server sends; id the event id ('' when none);
 * data its data with the API key redacted; job the Job as known after it.
 * While polling, each GET /v1/jobs/{id} answer comes as type 'job' with
 * the job's JSON as data. */
class JobEvent {
  constructor(type, id, data, job) {
    this.type = type;
    this.id = id;
    this.data = data;
    this.job = job;
  }
}

function aborted(signal) {
  const e = new classes.AbortedError(-24, 'the wait was aborted', { formatted: 'the wait was aborted' });
  if (signal && signal.reason !== undefined) e.cause = signal.reason;
  return e;
}

/** A media file on the server, as a snapshot. size (bytes), duration
 * (seconds) and retentionLocked are null when the server did not say. */
class MediaFile {
  constructor(ptr, idempotencyKey = null) {
    const { fn } = native();
    this.mediaId = fn.quire_file_media_id(ptr);
    this.label = fn.quire_file_label(ptr);
    this.contentType = fn.quire_file_content_type(ptr);
    this.createdAt = fn.quire_file_created_at(ptr);
    const n = Number(fn.quire_file_size(ptr));
    this.size = n < 0 ? null : n;
    const d = fn.quire_file_duration(ptr);
    this.duration = d < 0 ? null : d;
    const r = fn.quire_file_retention_lock(ptr);
    this.retentionLocked = r < 0 ? null : r === 1;
    this.deleted = fn.quire_file_deleted(ptr) === 1;
    this.json = fn.quire_file_json(ptr) || '{}';
    this.idempotencyKey = idempotencyKey;
  }
}

/** A person the server recognises across recordings, as a snapshot. */
class Entity {
  constructor(ptr) {
    const { fn } = native();
    this.id = fn.quire_entity_id(ptr);
    this.label = fn.quire_entity_label(ptr);
    this.createdAt = fn.quire_entity_created_at(ptr);
    this.lastSeenAt = fn.quire_entity_last_seen_at(ptr);
    const n = Number(fn.quire_entity_media_count(ptr));
    this.mediaCount = n < 0 ? null : n;
    this.json = fn.quire_entity_json(ptr) || '{}';
  }
}

/** One page of a list: items, hasMore, nextCursor (null on the last), json. */
class Page {
  constructor(items, hasMore, nextCursor, json) {
    this.items = items;
    this.hasMore = hasMore;
    this.nextCursor = nextCursor;
    this.json = json;
  }

  [Symbol.iterator]() {
    return this.items[Symbol.iterator]();
  }
}

// Custom webhook headers: an object {name: value}, a Map, [name, value]
// pairs or 'Name: value' lines. libquire checks each line.
function headerLines(headers) {
  if (headers === undefined || headers === null) return [];
  if (typeof headers === 'string') throw new TypeError('webhookHeaders must be an object or an array, not a string');
  const entries = Array.isArray(headers) ? headers
    : headers instanceof Map ? [...headers.entries()]
      : typeof headers === 'object' ? Object.entries(headers) : null;
  if (!entries) throw new TypeError('webhookHeaders must be an object, a Map or an array');
  return entries.map((h, i) => {
    const line = typeof h === 'string' ? h
      : Array.isArray(h) && h.length === 2 ? `${h[0]}: ${h[1]}` : null;
    if (line === null) throw new TypeError(`webhookHeaders[${i}] must be 'Name: value' or [name, value]`);
    return cstr(line, 'webhookHeaders');
  });
}

// {strategy, start, end, entityId, hint, speakerIndex, fallbackDominant}
function targetFields(t = {}) {
  const strategy = t.strategy ?? 'dominant';
  if (!Object.prototype.hasOwnProperty.call(TARGETS, strategy)) throw invalid(`unknown target strategy ${JSON.stringify(strategy)}`);
  const num = (v) => (v === undefined || v === null ? -1 : Number(v));
  return {
    strategy: TARGETS[strategy],
    start: num(t.start),
    end: num(t.end),
    entityId: cstr(t.entityId, 'target.entityId'),
    hint: cstr(t.hint, 'target.hint'),
    speakerIndex: int(t.speakerIndex, 'target.speakerIndex', -1),
    fallbackDominant: t.fallbackDominant ? 1 : 0,
  };
}

function subject(s, what) {
  if (!s || typeof s !== 'object') throw new TypeError(`${what} must be {entityId} or {mediaId, target}`);
  const t = targetFields(s.target);
  return {
    entity_id: cstr(s.entityId, `${what}.entityId`),
    media_id: cstr(s.mediaId, `${what}.mediaId`),
    strategy: t.strategy,
    start: t.start,
    end: t.end,
    entity_sel: t.entityId,
    hint: t.hint,
    speaker_index: t.speakerIndex,
    fallback_dominant: t.fallbackDominant,
  };
}

/**
 * A connection to the Conduit API. apiKey is required (sent only in the
 * Mappa-Api-Key header, only to baseUrl's origin, never in errors);
 * baseUrl defaults to https://api.mappa.ai (plain http only for loopback).
 * Timeouts are in seconds. Failures reject with a QuireError subclass
 * carrying requestId and httpStatus; 429 and 5xx are retried maxRetries
 * times with back-off first.
 *
 * The C client holds one connection and is not thread-safe, so one Client
 * runs one call at a time (concurrent calls queue); create several
 * clients to fetch in parallel.
 */
class Client {
  constructor(options = {}) {
    const { fn } = native();
    if (!options || typeof options.apiKey !== 'string' || !options.apiKey) {
      throw invalid('Client needs an apiKey');
    }
    const o = {
      version: 1,
      base_url: cstr(options.baseUrl, 'baseUrl'),
      api_key: cstr(options.apiKey, 'apiKey'),
      user_agent: cstr(options.userAgent, 'userAgent'),
      max_retries: int(options.maxRetries, 'maxRetries', 2),
      connect_timeout_ms: ms(options.connectTimeout, 'connectTimeout'),
      timeout_ms: ms(options.timeout, 'timeout'),
      low_speed_limit: int(options.lowSpeedLimit, 'lowSpeedLimit'),
      low_speed_time: int(options.lowSpeedTime, 'lowSpeedTime'),
      max_response: int(options.maxResponse, 'maxResponse'),
      max_redirects: int(options.maxRedirects, 'maxRedirects'),
      poll_interval_ms: ms(options.pollInterval, 'pollInterval'),
      time_scale: Number(options.timeScale ?? 0),
    };
    const out = [null];
    const err = newErrorBuf();
    const rc = fn.quire_client_new(out, o, err);
    if (rc !== 0) throw fromBuffer(rc, err);
    Object.defineProperty(this, '_h', { value: new Handle(out[0], fn.quire_client_free, 'client', this) });
    Object.defineProperty(this, '_queue', { value: { tail: Promise.resolve() }, writable: false });
    this.baseUrl = options.baseUrl || 'https://api.mappa.ai';
  }

  close() {
    this._h.close();
  }

  // One call at a time on the C client, in the order they were made.
  _serial(work) {
    const q = this._queue;
    const run = q.tail.then(() => this._h.use(work));
    q.tail = run.then(() => undefined, () => undefined);
    return run;
  }

  _fetch(f, ident, what) {
    const id = cstr(ident, what);
    if (!id) return Promise.reject(invalid(`${what} must be a non-empty string`));
    return this._serial(async (c) => {
      const b = newBuf();
      const err = newErrorBuf();
      let rc;
      try {
        rc = await callAsync(f, b, c, id, err);
      } catch (e) {
        disposeBuf(b);
        throw e;
      }
      if (rc !== 0) {
        disposeBuf(b);
        throw fromBuffer(rc, err);
      }
      return takeBuf(b);
    });
  }

  _job(f, jobId) {
    const id = cstr(jobId, 'jobId');
    if (!id) return Promise.reject(invalid('jobId must be a non-empty string'));
    return this._serial(async (c) => {
      const out = [null];
      const err = newErrorBuf();
      const rc = await callAsync(f, out, c, id, err);
      if (rc !== 0) throw fromBuffer(rc, err);
      return new Job(out[0], true);
    });
  }

  /** GET /v1/reports/{id}: the report JSON (a Buffer) exactly as received. */
  getReport(reportId) { return this._fetch(native().fn.quire_client_get_report, reportId, 'reportId'); }
  /** GET /v1/reports/by-job/{id}; rejects with NotReadyError while the report does not exist. */
  getReportByJob(jobId) { return this._fetch(native().fn.quire_client_get_report_by_job, jobId, 'jobId'); }
  /** GET /v1/matching/{id}. */
  getMatching(matchingId) { return this._fetch(native().fn.quire_client_get_matching, matchingId, 'matchingId'); }
  /** GET /v1/matching/by-job/{id}. */
  getMatchingByJob(jobId) { return this._fetch(native().fn.quire_client_get_matching_by_job, jobId, 'jobId'); }

  /** getReport, parsed: a Document ready to render. */
  async fetchReport(reportId, { strict = false } = {}) {
    return parse(await this.getReport(reportId), { strict, source: `report ${reportId}` });
  }

  /** getReportByJob, parsed. */
  async fetchReportByJob(jobId, { strict = false } = {}) {
    return parse(await this.getReportByJob(jobId), { strict, source: `job ${jobId}` });
  }

  /** GET /v1/jobs/{id}. */
  getJob(jobId) { return this._job(native().fn.quire_client_get_job, jobId); }
  /** POST /v1/jobs/{id}/cancel (idempotent); a finished job keeps its status. */
  cancelJob(jobId) { return this._job(native().fn.quire_client_cancel_job, jobId); }

  /** The report (or matching result) JSON a succeeded job produced. */
  getJobReport(job) {
    if (!(job instanceof Job) || !job._h) return Promise.reject(invalid('getJobReport needs a Job from a Client'));
    const { fn } = native();
    return this._serial((c) => job._h.use(async (j) => {
      const b = newBuf();
      const err = newErrorBuf();
      const rc = await callAsync(fn.quire_client_get_job_report, b, c, j, err);
      if (rc !== 0) {
        disposeBuf(b);
        throw fromBuffer(rc, err);
      }
      return takeBuf(b);
    }));
  }

  /**
   * POST /v1/reports/jobs: starts a report with a template on a media file:
   * one already uploaded (mediaId), or a local file path (file) or a url
   * uploaded first as upload() does; give exactly one. {mediaId | file |
   * url, template, params (object or JSON text), target ({strategy, start,
   * end, entityId, hint, speakerIndex, fallbackDominant}), webhookUrl,
   * webhookHeaders ({name: value}, [name, value] pairs or 'Name: value'
   * lines, attached to each delivery), label, entityLabel, idempotencyKey,
   * uploadProgress(sent, total)}. Sent with an Idempotency-Key (given or
   * new) and retried safely under it; the job carries idempotencyKey and
   * mediaId (and uploaded, the MediaFile, after an upload). A rejection's
   * error carries idempotencyKey and uploaded, so creating again with them
   * makes no second job and uploads nothing again.
   */
  async createJob(req = {}) {
    const sources = ['mediaId', 'file', 'url'].filter((k) => req[k] !== undefined && req[k] !== null);
    if (sources.length !== 1) throw invalid('createJob needs exactly one of mediaId, file and url');
    if (req.template === undefined || req.template === null) throw invalid('createJob needs a template');
    let r = this._jobRequest(req); // checks the arguments before any upload
    let uploaded = null;
    if (sources[0] !== 'mediaId') {
      uploaded = await this.upload({ path: req.file, url: req.url, progress: req.uploadProgress });
      r = { ...r, media_id: uploaded.mediaId };
    }
    let job;
    try {
      job = await this._create(native().fn.quire_client_create_job, r);
    } catch (e) {
      e.uploaded = uploaded;
      throw e;
    }
    job.mediaId = r.media_id;
    job.uploaded = uploaded;
    return job;
  }

  _jobRequest(req) {
    const t = targetFields(req.target);
    const params = req.params === undefined || req.params === null ? null
      : typeof req.params === 'string' ? req.params : JSON.stringify(req.params);
    const headers = headerLines(req.webhookHeaders);
    const r = {
      version: 2,
      media_id: cstr(req.mediaId, 'mediaId'),
      template_name: cstr(req.template, 'template'),
      template_params: cstr(params, 'params'),
      target: t.strategy,
      target_start: t.start,
      target_end: t.end,
      target_entity_id: t.entityId,
      target_hint: t.hint,
      target_speaker_index: t.speakerIndex,
      target_fallback_dominant: t.fallbackDominant,
      webhook_url: cstr(req.webhookUrl, 'webhookUrl'),
      webhook_headers: headers.length ? headers : null,
      webhook_header_count: headers.length,
      label: cstr(req.label, 'label'),
      entity_label: cstr(req.entityLabel, 'entityLabel'),
      idempotency_key: cstr(req.idempotencyKey, 'idempotencyKey'),
    };
    return r;
  }

  /**
   * POST /v1/matching/jobs: compares target with each of group (1 to 64),
   * each {entityId} or {mediaId, target}. {target, group, context,
   * webhookUrl, webhookHeaders, idempotencyKey}; webhookHeaders and
   * idempotency as createJob.
   */
  createMatchingJob(req = {}) {
    try {
      return this._create(native().fn.quire_client_create_matching_job, this._matchingRequest(req));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  _matchingRequest(req) {
    if (!Array.isArray(req.group)) throw new TypeError('group must be an array of subjects');
    const { types } = native();
    const group = req.group.map((s, i) => subject(s, `group[${i}]`));
    const headers = headerLines(req.webhookHeaders);
    const r = {
      version: 2,
      context: cstr(req.context, 'context'),
      target: subject(req.target, 'target'),
      group: group.length ? koffi.as(group, koffi.pointer(types.subject)) : null,
      group_count: group.length,
      webhook_url: cstr(req.webhookUrl, 'webhookUrl'),
      webhook_headers: headers.length ? headers : null,
      webhook_header_count: headers.length,
      idempotency_key: cstr(req.idempotencyKey, 'idempotencyKey'),
    };
    return r;
  }

  _create(f, req) {
    return this._serial(async (c) => {
      const out = [null];
      const idem = newBuf(256);
      const err = newErrorBuf();
      const rc = await callAsync(f, out, idem, c, req, err);
      const key = takeBuf(idem).toString('utf8') || null;
      if (rc !== 0) {
        const e = fromBuffer(rc, err);
        e.idempotencyKey = key;
        throw e;
      }
      return new Job(out[0], true, key);
    });
  }

  // The options and hooks of one wait. The C wait reads one flag between
  // events and every 50 ms while it sleeps: the signal sets it, and so does
  // a listener that throws, so that either stops the wait at once.
  _waitOptions({ timeout, poll = false, progress, onEvent, signal } = {}) {
    const o = { version: 1, flags: poll ? WAIT_POLL : 0, timeout_ms: ms(timeout, 'timeout'), progress: null, payload: null };
    for (const [name, f] of [['progress', progress], ['onEvent', onEvent]]) {
      if (f !== undefined && f !== null && typeof f !== 'function') throw new TypeError(`${name} must be a function`);
    }
    if (signal !== undefined && signal !== null &&
        (typeof signal.aborted !== 'boolean' || typeof signal.addEventListener !== 'function')) {
      throw new TypeError('signal must be an AbortSignal');
    }
    const { types } = native();
    const w = { error: null, cbs: [], flag: koffi.alloc('int', 1), signal };
    koffi.encode(w.flag, 'int', 0);
    w.stop = () => koffi.encode(w.flag, 'int', 1);
    const guard = (f) => (...args) => {
      if (w.error) return;
      try {
        f(...args);
      } catch (e) {
        // a throwing listener must not unwind through C: its error is
        // what the wait rejects with
        w.error = e;
        w.stop();
      }
    };
    if (progress) {
      o.progress = koffi.register(guard((jobPtr) => progress(new Job(jobPtr, false))), koffi.pointer(types.progressFn));
      w.cbs.push(o.progress);
    }
    const h = { version: 1, event: null, cancel: null, abort_flag: w.flag, payload: null };
    if (onEvent) {
      h.event = koffi.register(guard((type, id, data, len, jobPtr) => {
        const n = Number(len);
        onEvent(new JobEvent(type, id || '', n ? koffi.decode(data, 'char', n) : '', jobPtr ? new Job(jobPtr, false) : null));
      }), koffi.pointer(types.eventFn));
      w.cbs.push(h.event);
    }
    if (signal) signal.addEventListener('abort', w.stop, { once: true });
    w.release = () => {
      for (const cb of w.cbs) koffi.unregister(cb);
      if (signal) signal.removeEventListener('abort', w.stop);
      koffi.free(w.flag);
    };
    return { o, h, w };
  }

  // Runs one wait call: rejects with a listener's error, or for an abort
  // with AbortedError (cause: the signal's reason).
  _wait(jobId, options, call) {
    const id = cstr(jobId, 'jobId');
    if (!id) return Promise.reject(invalid('jobId must be a non-empty string'));
    if (options.signal && options.signal.aborted) return Promise.reject(aborted(options.signal));
    let hooks;
    try {
      hooks = this._waitOptions(options);
    } catch (e) {
      return Promise.reject(e);
    }
    const { o, h, w } = hooks;
    return this._serial(async (c) => {
      const err = newErrorBuf();
      try {
        return await call(c, id, o, h, err, (rc) => {
          if (w.error) throw w.error;
          if (rc === -24 && w.signal) throw aborted(w.signal);
          if (rc !== 0) throw fromBuffer(rc, err);
        });
      } finally {
        w.release();
      }
    });
  }

  /**
   * Waits until the job ends (its event stream, polling as the fallback;
   * poll: true polls only) and resolves with the succeeded Job. timeout is
   * the overall deadline in seconds (300); progress(job) is called at each
   * new status, stage or progress; onEvent(event) with every raw JobEvent.
   * signal (an AbortSignal) stops the wait: it rejects with AbortedError
   * (cause: the signal's reason) and the job goes on (cancelJob cancels
   * it). A listener that throws stops the wait, which rejects with its
   * error. Rejects with JobFailedError (the message has the job's error),
   * JobCanceledError, QuireTimeoutError.
   */
  waitJob(jobId, options = {}) {
    const { fn } = native();
    return this._wait(jobId, options, async (c, id, o, h, err, check) => {
      const out = [null];
      const rc = await callAsync(fn.quire_client_wait_job_hooks, out, c, id, o, h, err);
      try {
        check(rc);
      } catch (e) {
        if (rc === 0) fn.quire_job_free(out[0]);
        throw e;
      }
      return new Job(out[0], true);
    });
  }

  /** waitJob, then the report JSON (asking again while it is not ready),
   * within the one deadline; signal also stops the asking. */
  waitReport(jobId, options = {}) {
    const { fn } = native();
    return this._wait(jobId, options, async (c, id, o, h, err, check) => {
      const b = newBuf();
      const rc = await callAsync(fn.quire_client_wait_report_hooks, b, c, id, o, h, err);
      try {
        check(rc);
      } catch (e) {
        disposeBuf(b);
        throw e;
      }
      return takeBuf(b);
    });
  }

  /**
   * POST /v1/files: uploads a media file; resolves with the MediaFile
   * (mediaId is what createJob takes). {path (a local file, streamed from
   * disk as it is sent: any size in constant memory) | url (https, or http
   * to loopback: fetched first without the API key into a temporary file,
   * removed afterwards), filename, contentType, label, idempotencyKey,
   * progress(sent, total)}; total is null when unknown. Sent with an
   * Idempotency-Key and retried under it; the file (and a rejection's
   * error) carries idempotencyKey. Rejects with QuireIOError when the file
   * cannot be read, NetworkError when the url cannot be fetched.
   */
  upload(req = {}) {
    let r;
    let cb = null;
    try {
      if (typeof req === 'string') req = { path: req };
      r = {
        version: 1,
        path: cstr(req.path, 'path'),
        filename: cstr(req.filename, 'filename'),
        content_type: cstr(req.contentType, 'contentType'),
        label: cstr(req.label, 'label'),
        idempotency_key: cstr(req.idempotencyKey, 'idempotencyKey'),
        progress: null,
        payload: null,
        url: cstr(req.url, 'url'),
      };
      if (req.progress !== undefined && req.progress !== null) {
        if (typeof req.progress !== 'function') throw new TypeError('progress must be a function');
        const { types } = native();
        const progress = req.progress;
        // Called on koffi's worker thread: koffi runs it on the main thread
        // and the C side waits, so keep it short.
        cb = koffi.register((sent, total) => {
          try {
            progress(Number(sent), total > 0 ? Number(total) : null);
          } catch {
            // a throwing listener must not unwind through C
          }
        }, koffi.pointer(types.uploadProgressFn));
        r.progress = cb;
      }
    } catch (e) {
      if (cb) koffi.unregister(cb);
      return Promise.reject(e);
    }
    const { fn } = native();
    return this._serial(async (c) => {
      const out = [null];
      const idem = newBuf(256);
      const err = newErrorBuf();
      try {
        const rc = await callAsync(fn.quire_client_upload, out, idem, c, r, err);
        const key = takeBuf(idem).toString('utf8') || null;
        if (rc !== 0) {
          const e = fromBuffer(rc, err);
          e.idempotencyKey = key;
          throw e;
        }
        return takeFile(out[0], key);
      } finally {
        if (cb) koffi.unregister(cb);
      }
    });
  }

  _one(f, ident, what, make, free, ...extra) {
    const id = cstr(ident, what);
    if (!id) return Promise.reject(invalid(`${what} must be a non-empty string`));
    return this._serial(async (c) => {
      const out = [null];
      const err = newErrorBuf();
      const rc = await callAsync(f, out, c, id, ...extra, err);
      if (rc !== 0) throw fromBuffer(rc, err);
      try {
        return make(out[0]);
      } finally {
        free(out[0]);
      }
    });
  }

  _file(f, mediaId, ...extra) {
    const { fn } = native();
    return this._one(f, mediaId, 'mediaId', (p) => new MediaFile(p), fn.quire_file_free, ...extra);
  }

  /** GET /v1/files/{id}; a deleted file rejects with NotFoundError (HTTP 410). */
  getFile(mediaId) { return this._file(native().fn.quire_client_get_file, mediaId); }
  /** DELETE /v1/files/{id}; the answer has deleted true. */
  deleteFile(mediaId) { return this._file(native().fn.quire_client_delete_file, mediaId); }
  /** PATCH /v1/files/{id}/retention: lock true keeps it from automatic deletion. */
  setFileRetention(mediaId, lock) {
    if (typeof lock !== 'boolean') return Promise.reject(new TypeError('lock must be a boolean'));
    return this._file(native().fn.quire_client_set_file_retention, mediaId, lock ? 1 : 0);
  }

  _list(f, opts, files) {
    let r;
    try {
      r = {
        version: 1,
        limit: int(opts.limit, 'limit'),
        cursor: cstr(opts.cursor, 'cursor'),
        include_deleted: opts.includeDeleted ? 1 : 0,
      };
    } catch (e) {
      return Promise.reject(e);
    }
    const { fn } = native();
    return this._serial(async (c) => {
      const out = [null];
      const err = newErrorBuf();
      const rc = await callAsync(f, out, c, r, err);
      if (rc !== 0) throw fromBuffer(rc, err);
      const p = out[0];
      try {
        const n = Number(fn.quire_page_count(p));
        const items = [];
        for (let i = 0; i < n; i++) {
          items.push(files ? new MediaFile(fn.quire_page_file(p, i)) : new Entity(fn.quire_page_entity(p, i)));
        }
        return new Page(items, fn.quire_page_has_more(p) === 1, fn.quire_page_next_cursor(p), fn.quire_page_json(p) || '{}');
      } finally {
        fn.quire_page_free(p);
      }
    });
  }

  /** GET /v1/files: one Page of MediaFile. {limit (1..100; 0 = the
   * server's 20), cursor (the previous page's nextCursor), includeDeleted}. */
  listFiles(opts = {}) { return this._list(native().fn.quire_client_list_files, opts, true); }
  /** GET /v1/entities: one Page of Entity, as listFiles. */
  listEntities(opts = {}) { return this._list(native().fn.quire_client_list_entities, opts, false); }
  /** Every page of GET /v1/files from cursor on (limit per request),
   * gathered into one Page with no next cursor. A list that would not end
   * (hasMore without a cursor, a cursor seen before, over 10,000 pages)
   * rejects with ServerError; more items than the client's maxResponse
   * bytes, with TooBigError. */
  listAllFiles(opts = {}) { return this._list(native().fn.quire_client_list_files_all, opts, true); }
  /** Every page of GET /v1/entities, as listAllFiles. */
  listAllEntities(opts = {}) { return this._list(native().fn.quire_client_list_entities_all, opts, false); }

  /** GET /v1/entities/{id}. */
  getEntity(entityId) {
    const { fn } = native();
    return this._one(fn.quire_client_get_entity, entityId, 'entityId', (p) => new Entity(p), fn.quire_entity_free);
  }

  /** PATCH /v1/entities/{id}: sets the label (trimmed; 1 to 64 characters,
   * else InvalidArgumentError before anything is sent), or clears it
   * with null. */
  setEntityLabel(entityId, label) {
    const { fn } = native();
    let l;
    try {
      if (label !== null && typeof label !== 'string') throw new TypeError('label must be a string or null');
      l = cstr(label, 'label');
    } catch (e) {
      return Promise.reject(e);
    }
    return this._one(fn.quire_client_set_entity_label, entityId, 'entityId', (p) => new Entity(p), fn.quire_entity_free, l);
  }

  toJSON() {
    return { baseUrl: this.baseUrl }; // never the key
  }
}

function takeFile(ptr, key) {
  try {
    return new MediaFile(ptr, key);
  } finally {
    native().fn.quire_file_free(ptr);
  }
}

module.exports = { Client, Job, JobEvent, MediaFile, Entity, Page };
