'use strict';
// The Conduit API client: the calls a reporting backend makes. Every call
// runs on koffi's worker pool, so the event loop never waits on the network.

const { koffi, native } = require('./native');
const { fromBuffer, newErrorBuf, invalid } = require('./errors');
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
   * POST /v1/reports/jobs: starts a report on an uploaded media file with a
   * template. {mediaId, template, params (object or JSON text), target
   * ({strategy, start, end, entityId, hint, speakerIndex, fallbackDominant}),
   * webhookUrl, label, entityLabel, idempotencyKey}. Sent with an
   * Idempotency-Key (given or new) and retried safely under it; the job
   * (and a rejection's error) carries idempotencyKey, so creating again
   * with it cannot make a second job.
   */
  createJob(req = {}) {
    try {
      return this._create(native().fn.quire_client_create_job, this._jobRequest(req));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  _jobRequest(req) {
    const t = targetFields(req.target);
    const params = req.params === undefined || req.params === null ? null
      : typeof req.params === 'string' ? req.params : JSON.stringify(req.params);
    const r = {
      version: 1,
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
      label: cstr(req.label, 'label'),
      entity_label: cstr(req.entityLabel, 'entityLabel'),
      idempotency_key: cstr(req.idempotencyKey, 'idempotencyKey'),
    };
    return r;
  }

  /**
   * POST /v1/matching/jobs: compares target with each of group (1 to 64),
   * each {entityId} or {mediaId, target}. {target, group, context,
   * webhookUrl, idempotencyKey}; idempotent as createJob.
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
    const r = {
      version: 1,
      context: cstr(req.context, 'context'),
      target: subject(req.target, 'target'),
      group: group.length ? koffi.as(group, koffi.pointer(types.subject)) : null,
      group_count: group.length,
      webhook_url: cstr(req.webhookUrl, 'webhookUrl'),
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

  _waitOptions({ timeout, poll = false, progress } = {}) {
    const o = { version: 1, flags: poll ? WAIT_POLL : 0, timeout_ms: ms(timeout, 'timeout'), progress: null, payload: null };
    let cb = null;
    if (progress !== undefined && progress !== null) {
      if (typeof progress !== 'function') throw new TypeError('progress must be a function');
      const { types } = native();
      cb = koffi.register((jobPtr) => {
        try {
          progress(new Job(jobPtr, false));
        } catch {
          // a throwing listener must not unwind through C
        }
      }, koffi.pointer(types.progressFn));
      o.progress = cb;
    }
    return { o, cb };
  }

  /**
   * Waits until the job ends (its event stream, polling as the fallback;
   * poll: true polls only) and resolves with the succeeded Job. timeout is
   * the overall deadline in seconds (300); progress(job) is called at each
   * new status, stage or progress. Rejects with JobFailedError (the message
   * has the job's error), JobCanceledError, QuireTimeoutError.
   */
  waitJob(jobId, options = {}) {
    const id = cstr(jobId, 'jobId');
    if (!id) return Promise.reject(invalid('jobId must be a non-empty string'));
    const { fn } = native();
    let o;
    let cb;
    try {
      ({ o, cb } = this._waitOptions(options));
    } catch (e) {
      return Promise.reject(e);
    }
    return this._serial(async (c) => {
      const out = [null];
      const err = newErrorBuf();
      try {
        const rc = await callAsync(fn.quire_client_wait_job, out, c, id, o, err);
        if (rc !== 0) throw fromBuffer(rc, err);
        return new Job(out[0], true);
      } finally {
        if (cb) koffi.unregister(cb);
      }
    });
  }

  /** waitJob, then the report JSON (asking again while it is not ready),
   * within the one deadline. */
  waitReport(jobId, options = {}) {
    const id = cstr(jobId, 'jobId');
    if (!id) return Promise.reject(invalid('jobId must be a non-empty string'));
    const { fn } = native();
    let o;
    let cb;
    try {
      ({ o, cb } = this._waitOptions(options));
    } catch (e) {
      return Promise.reject(e);
    }
    return this._serial(async (c) => {
      const b = newBuf();
      const err = newErrorBuf();
      try {
        const rc = await callAsync(fn.quire_client_wait_report, b, c, id, o, err);
        if (rc !== 0) {
          disposeBuf(b);
          throw fromBuffer(rc, err);
        }
        return takeBuf(b);
      } finally {
        if (cb) koffi.unregister(cb);
      }
    });
  }

  toJSON() {
    return { baseUrl: this.baseUrl }; // never the key
  }
}

module.exports = { Client, Job };
