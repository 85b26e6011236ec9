'use strict';
// Parsing and validating Conduit reports.

const { koffi, native } = require('./native');
const { fromBuffer, newErrorBuf, invalid } = require('./errors');
const { callAsync, newBuf, takeBuf, disposeBuf, bytesOf, cstr, Handle } = require('./util');

const PARSE_STRICT = 1;
const SEVERITY_ERROR = 2;
const ESCHEMA = -5;
const SHAPES = { 1: 'v2', 2: 'sections', 3: 'markdown', 4: 'sdk', 5: 'node', 6: 'matching', 7: 'empty' };
const FACT_GROUPS = { 1: 'metrics', 2: 'provenance', 3: 'meta', 4: 'usage', 5: 'subject', 6: 'extra' };

function parseOptions(o = {}) {
  const n = (v, what) => {
    if (v === undefined || v === null) return 0;
    if (!Number.isSafeInteger(v) || v < 0) throw invalid(`${what} must be a non-negative integer`);
    return v;
  };
  return {
    version: 1,
    flags: o.strict ? PARSE_STRICT : 0,
    source: cstr(o.source, 'source'),
    max_input: n(o.maxInput, 'maxInput'),
    max_markdown: n(o.maxMarkdown, 'maxMarkdown'),
    max_blocks: n(o.maxBlocks, 'maxBlocks'),
    max_diagnostics: n(o.maxDiagnostics, 'maxDiagnostics'),
  };
}

const severity = (c) => (c === SEVERITY_ERROR ? 'error' : 'warning');

/**
 * One problem found in a report: severity 'error' or 'warning', message,
 * path (JSON path of a shape problem), line/column (JSON syntax), source,
 * code ('ESCHEMA', 'ESYNTAX', 'ETOOBIG'...).
 */
class Problem {
  constructor(sev, message, { path = null, line = null, column = null, source = null, code = 'ESCHEMA' } = {}) {
    this.severity = sev;
    this.message = message;
    this.path = path;
    this.line = line;
    this.column = column;
    this.source = source;
    this.code = code;
  }

  toString() {
    let where = this.source || '<report>';
    if (this.line) where += `:${this.line}:${this.column || 0}`;
    if (this.path) where += `: ${this.path}`;
    return `${where}: ${this.severity === 'warning' ? 'warning: ' : ''}${this.message}`;
  }
}

/**
 * A parsed report: immutable, renderable by many calls at once. Free its C
 * memory with close() (or let the garbage collector do it); closing while
 * a render is in flight is safe: the free waits for that render.
 */
class Document {
  constructor(ptr, source) {
    const { fn } = native();
    this._h = new Handle(ptr, fn.quire_doc_free, 'document', this);
    this.source = source ?? null;
  }

  close() {
    this._h.close();
  }

  get closed() {
    return this._h.closed;
  }

  _str(getter) {
    return this._h.use((p) => getter(p) ?? null);
  }

  /** 'v2', 'sections', 'markdown', 'sdk', 'node', 'matching' or 'empty'. */
  get shape() {
    return this._h.use((p) => SHAPES[native().fn.quire_doc_shape(p)] || 'unknown');
  }
  get title() { return this._str(native().fn.quire_doc_title) || ''; }
  get id() { return this._str(native().fn.quire_doc_id); }
  get createdAt() { return this._str(native().fn.quire_doc_created_at); }
  get jobId() { return this._str(native().fn.quire_doc_job_id); }
  get label() { return this._str(native().fn.quire_doc_label); }
  get template() { return this._str(native().fn.quire_doc_template); }
  get entityId() { return this._str(native().fn.quire_doc_entity_id); }
  get entityLabel() { return this._str(native().fn.quire_doc_entity_label); }
  get mediaId() { return this._str(native().fn.quire_doc_media_id); }
  get mediaUrl() { return this._str(native().fn.quire_doc_media_url); }
  get summary() { return this._str(native().fn.quire_doc_summary); }
  get reportUrl() { return this._str(native().fn.quire_doc_report_url); }
  get pdfUrl() { return this._str(native().fn.quire_doc_pdf_url); }
  get markdown() { return this._str(native().fn.quire_doc_markdown); }

  /** Non-fatal problems met while decoding, each with its JSON path. */
  get warnings() {
    const { fn, types } = native();
    return this._h.use((p) => {
      const out = [];
      const n = Number(fn.quire_doc_diag_count(p));
      for (let i = 0; i < n; i++) {
        const d = koffi.decode(fn.quire_doc_diag(p, i), types.diag);
        out.push(new Problem(severity(d.severity), d.message || '', { path: d.path, source: this.source }));
      }
      return out;
    });
  }

  /** Metrics, provenance, meta, usage... as {group, name, value}. */
  get facts() {
    const { fn, types } = native();
    return this._h.use((p) => {
      const out = [];
      const n = Number(fn.quire_doc_fact_count(p));
      for (let i = 0; i < n; i++) {
        const f = koffi.decode(fn.quire_doc_fact(p, i), types.fact);
        out.push({ group: FACT_GROUPS[f.group] || 'extra', name: f.name || '', value: f.value || '' });
      }
      return out;
    });
  }

  /** The canonical model tree, one node per line (as `quire inspect`). */
  dump() {
    const { fn } = native();
    const b = newBuf();
    const rc = this._h.use((p) => fn.quire_doc_dump(b, p));
    if (rc !== 0) {
      disposeBuf(b);
      const err = newErrorBuf();
      throw fromBuffer(rc, err);
    }
    return takeBuf(b).toString('utf8');
  }

  /** Renders through the simple call quire.render (Renderer's options,
   * plus page); see Renderer.render. */
  render(format = 'html', options = {}) {
    return require('./render').render(this, format, options);
  }

  renderSync(format = 'html', options = {}) {
    return require('./render').renderSync(this, format, options);
  }

  get [Symbol.toStringTag]() {
    return 'quire.Document';
  }
}
if (Symbol.dispose) Document.prototype[Symbol.dispose] = Document.prototype.close;

function finishParse(rc, out, err, source) {
  if (rc !== 0) throw fromBuffer(rc, err);
  return new Document(out[0], source);
}

/**
 * Decodes report JSON (a Buffer, typed array or string) into a Document,
 * on the worker pool. Options: strict, source (name in messages),
 * maxInput, maxMarkdown, maxBlocks, maxDiagnostics. Rejects with
 * JSONSyntaxError (line/column), SchemaError (path), NotReadyError (JSON
 * null), TooBigError.
 */
async function parse(data, options = {}) {
  const { fn } = native();
  const bytes = bytesOf(data);
  const opts = parseOptions(options);
  const out = [null];
  const err = newErrorBuf();
  const rc = await callAsync(fn.quire_doc_parse, out, bytes, bytes.length, opts, err);
  return finishParse(rc, out, err, options.source);
}

/** parse() on the calling thread (scripts, or when already off the loop). */
function parseSync(data, options = {}) {
  const { fn } = native();
  const bytes = bytesOf(data);
  const out = [null];
  const err = newErrorBuf();
  const rc = fn.quire_doc_parse(out, bytes, bytes.length, parseOptions(options), err);
  return finishParse(rc, out, err, options.source);
}

function filePath(file) {
  const p = file instanceof URL ? require('node:url').fileURLToPath(file) : file;
  if (typeof p !== 'string') throw new TypeError('path must be a string or a file: URL');
  return cstr(p, 'path');
}

/** parse() of the file at path (libquire reads it, off the main thread);
 * source defaults to the path. Rejects with QuireIOError when unreadable. */
async function parseFile(file, options = {}) {
  const { fn } = native();
  const p = filePath(file);
  const o = { ...options, source: options.source ?? p };
  const out = [null];
  const err = newErrorBuf();
  const rc = await callAsync(fn.quire_doc_parse_file, out, p, parseOptions(o), err);
  return finishParse(rc, out, err, o.source);
}

function parseFileSync(file, options = {}) {
  const { fn } = native();
  const p = filePath(file);
  const o = { ...options, source: options.source ?? p };
  const out = [null];
  const err = newErrorBuf();
  const rc = fn.quire_doc_parse_file(out, p, parseOptions(o), err);
  return finishParse(rc, out, err, o.source);
}

function validationResult(rc, err, problems, source) {
  const valid = rc === 0;
  const result = {
    valid,
    problems,
    get errors() { return problems.filter((p) => p.severity === 'error'); },
    get warnings() { return problems.filter((p) => p.severity === 'warning'); },
  };
  if (valid) return result;
  if (rc === ESCHEMA && problems.some((p) => p.severity === 'error')) return result;
  const e = fromBuffer(rc, err);
  if (['ENOTREADY', 'EIO', 'ENOMEM', 'EINVAL'].includes(e.code)) throw e;
  problems.push(new Problem('error', e.detail, {
    path: e.path || null, line: e.line || null, column: e.column || null, source: e.source || source || null, code: e.code,
  }));
  return result;
}

function validateArgs(data, options) {
  const { types } = native();
  const bytes = bytesOf(data);
  const opts = parseOptions({ strict: options.strict, source: options.source, maxInput: options.maxInput, maxDiagnostics: options.maxDiagnostics });
  const problems = [];
  const cb = (diagPtr) => {
    const d = koffi.decode(diagPtr, types.diag);
    problems.push(new Problem(severity(d.severity), d.message || '', { path: d.path, source: options.source ?? null }));
  };
  return { bytes, opts, problems, cb };
}

/**
 * Checks a report and resolves with {valid, problems, errors, warnings}.
 * Tolerant mode lists warnings; strict checks the contract schema and
 * counts every warning as an error (as `quire validate --strict`). A JSON
 * syntax error is one problem with line/column. Rejects only when the
 * report cannot be checked at all: NotReadyError for null, QuireMemoryError.
 */
async function validate(data, options = {}) {
  const { fn } = native();
  const { bytes, opts, problems, cb } = validateArgs(data, options);
  const err = newErrorBuf();
  const rc = await callAsync(fn.quire_validate, bytes, bytes.length, opts, cb, null, err);
  return validationResult(rc, err, problems, options.source);
}

function validateSync(data, options = {}) {
  const { fn } = native();
  const { bytes, opts, problems, cb } = validateArgs(data, options);
  const err = newErrorBuf();
  const rc = fn.quire_validate(bytes, bytes.length, opts, cb, null, err);
  return validationResult(rc, err, problems, options.source);
}

module.exports = { Document, Problem, parse, parseSync, parseFile, parseFileSync, validate, validateSync };
