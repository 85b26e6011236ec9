'use strict';
// Errors carrying a quire_error: one class per error code.
//
// Every failed libquire call rejects (or throws) a subclass of QuireError
// whose properties are the fields of the C quire_error, named as Node's
// own system errors are: code ('ESYNTAX'), errno (the negative QUIRE_E*
// number, -4), message (the one-line form the
// CLI prints: 'SOURCE:LINE:COL: message'), detail (the bare message),
// source (file or URL, never with the API key), line/column (JSON syntax
// errors), path (JSON path of a shape error), requestId and httpStatus
// (API calls).

const { koffi, native } = require('./native');

const CODE_NAMES = {
  [-1]: 'ERROR', [-2]: 'ENOMEM', [-3]: 'EINVAL', [-4]: 'ESYNTAX', [-5]: 'ESCHEMA',
  [-6]: 'ETOOBIG', [-7]: 'EIO', [-8]: 'ENOTREADY', [-9]: 'ETEMPLATE', [-10]: 'ENET',
  [-11]: 'EAUTH', [-12]: 'ECREDITS', [-13]: 'ENOTFOUND', [-14]: 'EVALIDATION',
  [-15]: 'ERATELIMIT', [-16]: 'ESERVER', [-17]: 'ETIMEOUT', [-18]: 'EJOBFAILED',
  [-19]: 'EJOBCANCELED', [-20]: 'EUNSUPPORTED', [-21]: 'EFONT', [-22]: 'ESIGNATURE',
  [-23]: 'EREFUSED', [-24]: 'EABORTED',
};

class QuireError extends Error {
  constructor(code, detail, fields = {}) {
    super(fields.formatted || detail || CODE_NAMES[code] || 'ERROR');
    this.name = new.target.name;
    this.code = CODE_NAMES[code] || 'ERROR';
    this.errno = code;
    this.detail = detail || '';
    this.source = fields.source || '';
    this.line = fields.line || 0;
    this.column = fields.column || 0;
    this.path = fields.path || '';
    this.requestId = fields.requestId || '';
    this.httpStatus = fields.httpStatus || 0;
  }
}

const classes = {};
// Class names by code name; the Python binding uses the same ones.
const NAMES = {
  ENOMEM: 'QuireMemoryError', EINVAL: 'InvalidArgumentError', ESYNTAX: 'JSONSyntaxError',
  ESCHEMA: 'SchemaError', ETOOBIG: 'TooBigError', EIO: 'QuireIOError', ENOTREADY: 'NotReadyError',
  ETEMPLATE: 'TemplateError', ENET: 'NetworkError', EAUTH: 'AuthError', ECREDITS: 'CreditsError',
  ENOTFOUND: 'NotFoundError', EVALIDATION: 'APIValidationError', ERATELIMIT: 'RateLimitError',
  ESERVER: 'ServerError', ETIMEOUT: 'QuireTimeoutError', EJOBFAILED: 'JobFailedError',
  EJOBCANCELED: 'JobCanceledError', EUNSUPPORTED: 'UnsupportedError', EFONT: 'FontError',
  ESIGNATURE: 'SignatureError', EREFUSED: 'RefusedError', EABORTED: 'AbortedError',
};
const byCode = {};
for (const [code, codeName] of Object.entries(CODE_NAMES)) {
  const name = NAMES[codeName];
  if (!name) continue;
  // A named class per code, so callers can `instanceof` or switch on name.
  const cls = { [name]: class extends QuireError {} }[name];
  classes[name] = cls;
  byCode[code] = cls;
}

function errorClass(code) {
  return byCode[code] || QuireError;
}

function invalid(message) {
  return new classes.InvalidArgumentError(-3, message, { formatted: message });
}

/** A fresh zeroed quire_error to pass to a call. */
function newErrorBuf() {
  return Buffer.alloc(native().types.error.size);
}

function formatted(e, message) {
  const src = e.source || null;
  if (src && e.line) return `${src}:${e.line}:${e.column}: ${message}`;
  if (src && e.path) return `${src}: ${e.path}: ${message}`;
  if (src) return `${src}: ${message}`;
  if (e.path) return `${e.path}: ${message}`;
  return message;
}

/** The exception for return code rc from a filled quire_error Buffer. */
function fromBuffer(rc, buf) {
  const { types, fn } = native();
  const e = koffi.decode(buf, types.error);
  const code = e.code !== 0 ? e.code : rc;
  const message = e.message || fn.quire_strerror(code);
  return new (errorClass(code))(code, message, {
    source: e.source,
    line: e.line,
    column: e.column,
    path: e.path,
    requestId: e.request_id,
    httpStatus: e.http_status,
    formatted: formatted(e, message),
  });
}

module.exports = { QuireError, CODE_NAMES, errorClass, fromBuffer, newErrorBuf, invalid, classes, ...classes };
