'use strict';
// Rendering documents to text, HTML, PDF and PNG.

const pathMod = require('node:path');
const { koffi, native } = require('./native');
const { fromBuffer, newErrorBuf, invalid } = require('./errors');
const { callAsync, newBuf, takeBuf, copyOut, disposeBuf, cstr, Handle } = require('./util');
const { Document, parse, parseSync } = require('./document');

const FORMATS = { text: 1, html: 2, pdf: 3, png: 4 };
const COLORS = { none: 0, 16: 1, 256: 2, truecolor: 3 };
const PAPERS = { a4: 0, letter: 1 };
const ENGINES = { cairo: 0, haru: 1 };
const BODIES = { structured: 0, markdown: 1, both: 2 };
const EXT = { '.txt': 'text', '.html': 'html', '.htm': 'html', '.pdf': 'pdf', '.png': 'png' };
const RENDER_ASCII = 1;
const RENDER_HYPERLINKS = 2;

function choice(what, value, table) {
  const key = String(value);
  if (!Object.prototype.hasOwnProperty.call(table, key)) {
    throw invalid(`${what} must be one of ${Object.keys(table).join(', ')}, not ${JSON.stringify(value)}`);
  }
  return table[key];
}

/** The format an output file name asks for ('.pdf' -> 'pdf'). */
function formatForPath(file) {
  const ext = pathMod.extname(String(file)).toLowerCase();
  if (!EXT[ext]) throw invalid(`cannot tell the format from ${JSON.stringify(String(file))}: use .txt, .html, .pdf or .png, or pass a format`);
  return EXT[ext];
}

function count(v, what) {
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw invalid(`${what} must be a non-negative number`);
  return v;
}

const SIMPLE = Symbol('simple');
const BUILT = Symbol('built');

/**
 * A look — template, templates directory, engine — built once by
 * libquire's quire_renderer: every template file compiled, the themes and
 * the fonts loaded. Rendering only reads what was built, so one Renderer
 * renders any number of documents concurrently, and a broken template or
 * a wrong directory throws here, not on some later render. Edits to a
 * templates directory show in Renderers built afterwards.
 *
 * Options: template, templatesDir, engine ('cairo' | 'haru'), paper
 * ('a4' | 'letter'), dpi (PNG, 96), width (text columns, 80), color
 * ('none' | '16' | '256' | 'truecolor'), ascii, hyperlinks, maxOutput
 * (bytes, 0 = libquire's 256 MiB), body ('structured' | 'markdown' |
 * 'both': which body of a report that carries both, as --body),
 * onWarning(message) for non-fatal rendering problems.
 *
 * new Renderer(options) builds on the calling thread (milliseconds);
 * await Renderer.create(options) builds on the worker pool. Throws
 * InvalidArgumentError (templatesDir is not a directory, a bad option),
 * NotFoundError (no such template: the message lists them), TemplateError
 * (a broken template file, with its line and column), UnsupportedError.
 * close() frees it once renders in flight end (a dropped Renderer is
 * freed by the garbage collector).
 */
class Renderer {
  constructor(options = {}, mode = undefined, built = undefined) {
    const o = options;
    this.options = Object.freeze({ ...o });
    const simple = mode === SIMPLE;
    const engine = choice('engine', o.engine ?? 'cairo', ENGINES);
    const look = {
      version: 1,
      template_name: cstr(o.template, 'template'),
      template_dir: cstr(o.templatesDir, 'templatesDir'),
      engine,
    };
    this._base = {
      version: 2,
      flags: (o.ascii ? RENDER_ASCII : 0) | (o.hyperlinks ? RENDER_HYPERLINKS : 0),
      width: Math.trunc(count(o.width, 'width')),
      color: choice('color', o.color ?? 'none', COLORS),
      // The look belongs to the C renderer; the simple calls pass it here.
      template_name: simple ? look.template_name : null,
      template_dir: simple ? look.template_dir : null,
      paper: choice('paper', o.paper ?? 'a4', PAPERS),
      engine,
      dpi: count(o.dpi, 'dpi'),
      page: 0,
      max_output: Math.trunc(count(o.maxOutput, 'maxOutput')),
      warn: null,
      warn_payload: null,
      body: choice('body', o.body ?? 'structured', BODIES),
    };
    if (o.onWarning !== undefined && o.onWarning !== null && typeof o.onWarning !== 'function') {
      throw new TypeError('onWarning must be a function');
    }
    const { fn, types } = native();
    this._h = null;
    if (!simple) {
      let ptr = mode === BUILT ? built : null;
      if (ptr === null) {
        const out = [null];
        const err = newErrorBuf();
        const rc = fn.quire_renderer_new(out, look, err);
        if (rc !== 0) throw fromBuffer(rc, err);
        ptr = out[0];
      }
      this._h = new Handle(ptr, fn.quire_renderer_free, 'renderer', this);
    }
    this._warn = null;
    if (o.onWarning !== undefined && o.onWarning !== null) {
      const cb = o.onWarning;
      // Registered (not transient): the options struct outlives one call.
      this._warn = koffi.register((msg) => {
        try {
          cb(msg);
        } catch {
          // a throwing listener must not unwind through C
        }
      }, koffi.pointer(types.warnFn));
      this._base.warn = this._warn;
      Renderer.registry.register(this, this._warn, this);
    }
    Object.freeze(this._base);
  }

  /** A Renderer built on the worker pool (the event loop keeps running). */
  static async create(options = {}) {
    const { fn } = native();
    const look = {
      version: 1,
      template_name: cstr(options.template, 'template'),
      template_dir: cstr(options.templatesDir, 'templatesDir'),
      engine: choice('engine', options.engine ?? 'cairo', ENGINES),
    };
    const out = [null];
    const err = newErrorBuf();
    const rc = await callAsync(fn.quire_renderer_new, out, look, err);
    if (rc !== 0) throw fromBuffer(rc, err);
    try {
      return new Renderer(options, BUILT, out[0]);
    } catch (e) {
      fn.quire_renderer_free(out[0]);
      throw e;
    }
  }

  /** Frees the C renderer once no render uses it, and the onWarning
   * callback slot. Idempotent; rendering afterwards throws. */
  close() {
    if (this._h) this._h.close();
    if (this._warn) {
      Renderer.registry.unregister(this);
      koffi.unregister(this._warn);
      this._warn = null;
    }
  }

  get closed() {
    return this._h ? this._h.closed : false;
  }

  _opts(page) {
    if (page !== undefined && page !== null && (!Number.isInteger(page) || page < 1)) {
      throw invalid('page must be a positive integer');
    }
    return { ...this._base, page: page || 0 };
  }

  /**
   * Runs fn(docPtr, rendererPtr) on doc's C document and this renderer (a
   * null rendererPtr for the simple calls): a Document is held from this
   * very call (so a close() right after it waits for fn), report JSON is
   * parsed (tolerantly) first and freed after.
   */
  _run(doc, fn) {
    if (this._h) {
      try {
        return this._h.use((r) => this._runDoc(doc, (p) => fn(p, r)));
      } catch (e) {
        return Promise.reject(e);
      }
    }
    return this._runDoc(doc, (p) => fn(p, null));
  }

  _runDoc(doc, fn) {
    if (doc instanceof Document) {
      try {
        return doc._h.use(fn);
      } catch (e) {
        return Promise.reject(e);
      }
    }
    return parse(doc).then((d) => d._h.use(fn).finally(() => d.close()));
  }

  _runSync(doc, fn) {
    const withDoc = (r) => {
      if (doc instanceof Document) return doc._h.use((p) => fn(p, r));
      const d = parseSync(doc);
      try {
        return d._h.use((p) => fn(p, r));
      } finally {
        d.close();
      }
    };
    return this._h ? this._h.use(withDoc) : withDoc(null);
  }

  /**
   * Renders doc (a Document, or report JSON parsed first) to a Buffer of
   * format 'text', 'html', 'pdf' or 'png' (page: the 1-based PNG page), on
   * the worker pool: the event loop keeps running. Rejects with
   * UnsupportedError (format or engine not built in), TooBigError.
   */
  render(doc, format = 'html', { page } = {}) {
    let fmt;
    let opts;
    try {
      fmt = choice('format', format, FORMATS);
      opts = this._opts(page);
    } catch (e) {
      return Promise.reject(e);
    }
    const { fn } = native();
    return this._run(doc, async (p, r) => {
      const b = newBuf();
      const err = newErrorBuf();
      let rc;
      try {
        rc = r
          ? await callAsync(fn.quire_renderer_render_buf, b, r, p, fmt, opts, err)
          : await callAsync(fn.quire_render_buf, b, p, fmt, opts, err);
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

  /** render() on the calling thread. */
  renderSync(doc, format = 'html', { page } = {}) {
    const { fn } = native();
    const fmt = choice('format', format, FORMATS);
    const opts = this._opts(page);
    return this._runSync(doc, (p, r) => {
      const b = newBuf();
      const err = newErrorBuf();
      const rc = r
        ? fn.quire_renderer_render_buf(b, r, p, fmt, opts, err)
        : fn.quire_render_buf(b, p, fmt, opts, err);
      if (rc !== 0) {
        disposeBuf(b);
        throw fromBuffer(rc, err);
      }
      return takeBuf(b);
    });
  }

  /**
   * Renders to a file, atomically: a temporary file in the same directory,
   * renamed over the path on success, removed on failure (a FIFO or a
   * device is written directly). The format defaults to the extension. A
   * writable stream also works (the bytes are written once rendered;
   * resolves when the stream has taken them).
   */
  renderTo(out, doc, format, { page } = {}) {
    if (out && typeof out.write === 'function') {
      if (!format) return Promise.reject(invalid('a format is needed to render to a stream'));
      return this.render(doc, format, { page }).then((bytes) => new Promise((resolve, reject) => {
        out.write(bytes, (e) => (e ? reject(e) : resolve()));
      }));
    }
    const { fn } = native();
    let fmt;
    let opts;
    let file;
    try {
      file = cstr(out instanceof URL ? require('node:url').fileURLToPath(out) : out, 'path');
      if (!file) throw new TypeError('renderTo needs a path or a writable stream');
      fmt = choice('format', format || formatForPath(file), FORMATS);
      opts = this._opts(page);
    } catch (e) {
      return Promise.reject(e);
    }
    return this._run(doc, async (p, r) => {
      const err = newErrorBuf();
      const atom = [null];
      // Opening a FIFO waits for its reader: off the main thread.
      let rc = await callAsync(fn.quire_atomic_open, atom, file, err);
      if (rc !== 0) throw fromBuffer(rc, err);
      const sink = fn.quire_atomic_sink(atom[0]);
      try {
        rc = r
          ? await callAsync(fn.quire_renderer_render, r, p, fmt, opts, sink, err)
          : await callAsync(fn.quire_render, p, fmt, opts, sink, err);
      } catch (e) {
        fn.quire_atomic_abort(atom[0]);
        throw e;
      }
      if (rc !== 0) {
        fn.quire_atomic_abort(atom[0]);
        throw fromBuffer(rc, err);
      }
      rc = await callAsync(fn.quire_atomic_commit, atom[0], err);
      if (rc !== 0) throw fromBuffer(rc, err);
    });
  }

  /** How many pages doc lays out to (PDF, PNG) with this look. */
  pageCount(doc) {
    const { fn } = native();
    const opts = this._opts();
    return this._run(doc, async (p, r) => {
      const out = [0];
      const err = newErrorBuf();
      const rc = r
        ? await callAsync(fn.quire_renderer_page_count, out, r, p, opts, err)
        : await callAsync(fn.quire_render_page_count, out, p, opts, err);
      if (rc !== 0) throw fromBuffer(rc, err);
      return out[0];
    });
  }

  /**
   * PNG images (Buffers) of pages first..last (1-based, inclusive; last
   * omitted = the last page) from one layout: much cheaper than one
   * render(..., 'png', {page}) per page. A range outside the document
   * rejects with InvalidArgumentError.
   */
  renderPages(doc, first = 1, last = 0) {
    const { fn } = native();
    const opts = this._opts();
    return this._run(doc, async (p, r) => {
      const pages = [];
      // Called on the main thread while the worker waits, so the image
      // (valid only during the call) is copied before it returns.
      const onPage = (page, total, png, len) => {
        pages.push(copyOut(png, Number(len)));
        return 0;
      };
      const err = newErrorBuf();
      const rc = r
        ? await callAsync(fn.quire_renderer_png_pages, r, p, opts, first, last || 0, onPage, null, err)
        : await callAsync(fn.quire_render_png_pages, p, opts, first, last || 0, onPage, null, err);
      if (rc !== 0) throw fromBuffer(rc, err);
      return pages;
    });
  }
}
Renderer.registry = new FinalizationRegistry((cb) => koffi.unregister(cb));

/** The simple calls' look: libquire's quire_render_buf, whose built-in
 * looks are built once per process (a templatesDir is read every call). */
function simple(options) {
  return new Renderer(options, SIMPLE);
}

/** Parses (tolerantly) and renders in one call through libquire's simple
 * path; for many reports with one look (above all with a templatesDir),
 * build a Renderer once. */
function render(data, format = 'html', options = {}) {
  const { page, ...look } = options;
  let r;
  try {
    r = simple(look);
  } catch (e) {
    return Promise.reject(e);
  }
  return r.render(data, format, { page }).finally(() => r.close());
}

function renderSync(data, format = 'html', options = {}) {
  const { page, ...look } = options;
  const r = simple(look);
  try {
    return r.renderSync(data, format, { page });
  } finally {
    r.close();
  }
}

module.exports = { Renderer, render, renderSync, formatForPath, FORMATS: Object.keys(FORMATS) };
