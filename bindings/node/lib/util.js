'use strict';
// Shared plumbing: async calls, quire_buf handling, input conversion.

const { koffi, native } = require('./native');
const { invalid } = require('./errors');

/** Runs a koffi function on its worker pool; resolves with its result. */
function callAsync(f, ...args) {
  return new Promise((resolve, reject) => {
    f.async(...args, (err, rc) => (err ? reject(err) : resolve(rc)));
  });
}

/** A quire_buf (as a Buffer the C side writes into), initialised. */
function newBuf(max = 0) {
  const { types, fn } = native();
  const b = Buffer.alloc(types.buf.size);
  fn.quire_buf_init(b, max);
  return b;
}

/** Copies a quire_buf's contents into a new Buffer and disposes of it. */
function takeBuf(b) {
  const { types, fn } = native();
  try {
    const q = koffi.decode(b, types.buf);
    const size = Number(q.size);
    if (size === 0) return Buffer.alloc(0);
    return copyOut(q.ptr, size);
  } finally {
    fn.quire_buf_dispose(b);
  }
}

/** A new Buffer holding a copy of len bytes of C memory at ptr. */
function copyOut(ptr, len) {
  const out = Buffer.allocUnsafe(len);
  if (len > 0) native().fn.memcpy(out, ptr, len);
  return out;
}

function disposeBuf(b) {
  native().fn.quire_buf_dispose(b);
}

/** Report JSON as bytes for C: a Buffer or typed array as is, a string
 * encoded as UTF-8. */
function bytesOf(data, what = 'data') {
  if (Buffer.isBuffer(data)) return data;
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  throw new TypeError(`${what} must be a Buffer, a typed array or a string, not ${data === null ? 'null' : typeof data}`);
}

/** A string option for C: undefined/null pass as NULL; NUL bytes refused
 * (C would cut the string there). */
function cstr(value, what) {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new TypeError(`${what} must be a string`);
  if (value.includes('\0')) throw invalid(`${what} contains a NUL byte`);
  return value;
}

/** Counts the calls using a C object, so close() while a call is running
 * on the worker pool frees it only when that call ends. */
class Handle {
  constructor(ptr, free, what, owner) {
    this.ptr = ptr;
    this.free = free;
    this.what = what;
    this.busy = 0;
    this.closed = false;
    // The registry holds the handle, not the owner: an owner dropped while
    // a call is in flight is freed only when that call ends.
    if (owner) Handle.registry.register(owner, this, this);
  }

  acquire() {
    if (this.closed) throw new Error(`${this.what} is closed`);
    this.busy++;
    return this.ptr;
  }

  release() {
    this.busy--;
    if (this.busy === 0 && this.closed) this.free(this.ptr);
  }

  /** Runs fn(ptr) (sync or async) with the object kept alive. */
  use(fn) {
    const ptr = this.acquire();
    let r;
    try {
      r = fn(ptr);
    } catch (e) {
      this.release();
      throw e;
    }
    if (r && typeof r.then === 'function') {
      return r.finally(() => this.release());
    }
    this.release();
    return r;
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    Handle.registry.unregister(this);
    if (this.busy === 0) this.free(this.ptr);
  }
}
// Frees objects the program dropped without close().
Handle.registry = new FinalizationRegistry((handle) => handle.close());

module.exports = { callAsync, newBuf, takeBuf, copyOut, disposeBuf, bytesOf, cstr, Handle };
