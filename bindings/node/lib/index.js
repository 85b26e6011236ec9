'use strict';
// quire: render Conduit reports in process, over libquire.
//
//   const quire = require('quire');
//   const doc = await quire.parse(json);                    // Buffer or string
//   const pdf = await new quire.Renderer({ template: 'sales_playbook' }).render(doc, 'pdf');
//   const { valid, problems } = await quire.validate(json, { strict: true });
//   const client = new quire.Client({ apiKey, baseUrl });
//   const event = quire.verifyWebhook({ headers: req.rawHeaders, body, secret });
//
// Long work (parse, render, validate, every API call) runs on koffi's
// worker pool and returns a Promise; *Sync variants run on the caller's
// thread. libquire is found by loadLibrary's search: an explicit path,
// $QUIRE_LIBRARY, then the system loader (see native.js).

const native = require('./native');
const errors = require('./errors');
const document = require('./document');
const render = require('./render');
const client = require('./client');
const webhook = require('./webhook');

/** The version of the loaded libquire ('0.1.0'). */
function version() {
  return native.native().fn.quire_version();
}

/** What this libquire was built with: a Set of 'cairo', 'haru', 'fetch'. */
function features() {
  const bits = native.native().fn.quire_features();
  const out = new Set();
  if (bits & 1) out.add('cairo');
  if (bits & 2) out.add('haru');
  if (bits & 4) out.add('fetch');
  return out;
}

/**
 * What the loaded libquire is made of, as `quire -V` prints it: an array
 * of {name, built, running} (cairo, pango, libharu, libcurl...). built is
 * the version of its headers when libquire was built, running the one this
 * process has loaded ('' when the library does not say; null when not
 * loaded, as libcurl is until the first API call unless load is true).
 */
function buildInfo({ load = false } = {}) {
  const { fn } = native.native();
  const out = [];
  for (let i = 0; ; i++) {
    const built = [null];
    const running = [null];
    const name = fn.quire_build_component(i, load ? 1 : 0, built, running);
    if (name === null) return out;
    out.push({ name, built: built[0] ?? '', running: running[0] });
  }
}

/** The built-in template names ('default', 'sales_playbook', ...). */
function templates() {
  const { fn } = native.native();
  const out = [];
  for (let i = 0; ; i++) {
    const name = fn.quire_template_name(i);
    if (name === null) return out;
    out.push(name);
  }
}

module.exports = {
  version,
  features,
  templates,
  buildInfo,
  loadLibrary: native.loadLibrary,
  libraryPath: native.libraryPath,
  LibraryError: native.LibraryError,
  MIN_VERSION: native.MIN_VERSION,
  QuireError: errors.QuireError,
  CODE_NAMES: errors.CODE_NAMES,
  errorClass: errors.errorClass,
  ...errors.classes,
  Document: document.Document,
  Problem: document.Problem,
  parse: document.parse,
  parseSync: document.parseSync,
  parseFile: document.parseFile,
  parseFileSync: document.parseFileSync,
  validate: document.validate,
  validateSync: document.validateSync,
  Renderer: render.Renderer,
  render: render.render,
  renderSync: render.renderSync,
  formatForPath: render.formatForPath,
  FORMATS: render.FORMATS,
  Client: client.Client,
  Job: client.Job,
  JobEvent: client.JobEvent,
  MediaFile: client.MediaFile,
  Entity: client.Entity,
  Page: client.Page,
  verifyWebhook: webhook.verifyWebhook,
  verifySignature: webhook.verifySignature,
  parseEvent: webhook.parseEvent,
  sign: webhook.sign,
};
