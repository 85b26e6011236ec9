'use strict';
// Shared by the tests: the repository, the built library, the fake Conduit
// server (tests/server/conduit_server.py on 127.0.0.1, run standalone).

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');

const PKG = path.resolve(__dirname, '..');
const ROOT = path.resolve(PKG, '..', '..');
const BUILD = path.resolve(ROOT, process.env.BUILD || 'build');
process.env.QUIRE_LIBRARY = process.env.QUIRE_LIBRARY || path.join(BUILD, 'lib', 'libquire.so');

const quire = require('..');

const SAMPLES = fs.readdirSync(path.join(ROOT, 'samples'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => fs.readdirSync(path.join(ROOT, 'samples', d.name))
    .filter((f) => f.endsWith('.json'))
    .map((f) => path.join(ROOT, 'samples', d.name, f)))
  .sort();
const HTTP_DIR = path.join(ROOT, 'tests', 'http');
const QUIRE_CLI = path.join(BUILD, 'quire');
const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

const sample = (name) => path.join(ROOT, 'samples', name);
const has = (f) => quire.features().has(f);
const pdfEngine = () => (has('cairo') ? 'cairo' : 'haru');
// A build without cairo (make PDF=haru) paints every PDF with libharu and
// has no PNG.
function supported(fmt, engine = 'cairo') {
  if (fmt === 'png') return has('cairo');
  if (fmt === 'pdf') return has(engine) || (engine === 'cairo' && has('haru'));
  return true;
}

function tmpdir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'quire-node-'));
}

/** The long sample with its sections repeated: a render long enough to
 * watch the event loop during. */
function bigReport(copies = 8) {
  const d = JSON.parse(fs.readFileSync(sample('long/sixty_sections.json'), 'utf8'));
  d.json.sections = Array(copies).fill(d.json.sections).flat();
  return Buffer.from(JSON.stringify(d));
}

function scenario(name) {
  return JSON.parse(fs.readFileSync(path.join(HTTP_DIR, `${name}.scenario`), 'utf8'));
}

/** Starts the fake server on a scenario; resolves with {base, other (the
 * second server's base), requests(), lines(), stop()}. */
async function startServer(sc) {
  const dir = tmpdir();
  const file = path.join(dir, 'scenario.json');
  const log = path.join(dir, 'requests.jsonl');
  const portFile = path.join(dir, 'ports');
  fs.writeFileSync(file, JSON.stringify(sc));
  const proc = spawn(PYTHON, [path.join(ROOT, 'tests', 'server', 'conduit_server.py'),
    '--scenario', file, '--log', log, '--port-file', portFile], { stdio: ['ignore', 'ignore', 'inherit'] });
  const deadline = Date.now() + 30000;
  while (!fs.existsSync(portFile)) {
    if (Date.now() > deadline || proc.exitCode !== null) {
      proc.kill();
      throw new Error('fake Conduit server did not start');
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const [main, other] = fs.readFileSync(portFile, 'utf8').trim().split(/\s+/);
  const requests = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map(JSON.parse) : [])
    .filter((e) => e.server === 'main');
  return {
    base: `http://127.0.0.1:${main}`,
    other: `http://127.0.0.1:${other}`,
    requests,
    lines: () => requests().map((e) => `${e.method} ${e.path.split('?')[0]}`),
    stop: () => {
      proc.kill();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function header(entry, name) {
  return entry.headers.filter(([k]) => k.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
}

/** A client of the fake server with a fresh key (delays scaled by 0.01). */
function testClient(server, extra = {}) {
  const apiKey = `sk_test_${require('node:crypto').randomBytes(16).toString('hex')}`;
  return { c: new quire.Client({ apiKey, baseUrl: server.base, timeScale: 0.01, userAgent: 'bindings-test', ...extra }), apiKey };
}

/** Runs fn(server) with a fake server of scenario sc, stopped afterwards. */
async function withServer(sc, fn) {
  const s = await startServer(sc);
  try {
    await fn(s);
  } finally {
    s.stop();
  }
}

function runCli(...args) {
  const r = spawnSync(QUIRE_CLI, args, { timeout: 120000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

module.exports = {
  quire, PKG, ROOT, BUILD, SAMPLES, HTTP_DIR, QUIRE_CLI, PYTHON, sample, has, pdfEngine, supported,
  tmpdir, bigReport, scenario, startServer, header, runCli, testClient, withServer,
};
