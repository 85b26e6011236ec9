#!/usr/bin/env node
'use strict';
// Reports per second through the Node binding: parse (from a Buffer) +
// render to a Buffer, per report, the loop of bindings_c.c.
//
//   bindings_node.js -f FMT [-e ENGINE] [-t SECONDS] [-m sync|async] [-j N] FILE...
//   bindings_node.js -p LIBBINDINGS_PASS.so -f FMT [-m sync|async] FILE...
//
// sync: parseSync + renderSync on the main thread (the cost of the FFI
// crossing alone); async: await parse + await render on koffi's worker
// pool, N reports in flight (what a server does). Prints one JSON object.
// With -p (paired), the main thread alternates a pass of the C loop
// (bench/bindings_pass.c, one call per pass) and a pass of this loop (sync,
// or async with one report in flight) over the same reports, taking turns
// at going first, and reports each side's CPU time per pass
// (process.cpuUsage: every thread, koffi's pool included). With -p and
// -i N, under valgrind --tool=callgrind --instr-atstart=no: N passes of
// each side after three warm ones (V8 compiles the loop meanwhile), each
// side bracketed for callgrind, which dumps its instruction count.

const fs = require('node:fs');
const path = require('node:path');

const quire = require(path.join(__dirname, '..', 'bindings', 'node'));

function args() {
  const a = { fmt: null, engine: 'cairo', seconds: 3, mode: 'sync', jobs: 1, files: [] };
  const v = process.argv.slice(2);
  for (let i = 0; i < v.length; i++) {
    if (v[i] === '-f') a.fmt = v[++i];
    else if (v[i] === '-e') a.engine = v[++i];
    else if (v[i] === '-t') a.seconds = Number(v[++i]);
    else if (v[i] === '-m') a.mode = v[++i];
    else if (v[i] === '-j') a.jobs = Number(v[++i]);
    else if (v[i] === '-p') a.passLib = v[++i];
    else if (v[i] === '-i') a.irPasses = Number(v[++i]);
    else a.files.push(v[i]);
  }
  return a;
}

async function main() {
  const a = args();
  const data = a.files.map((f) => fs.readFileSync(f));
  const r = new quire.Renderer({ engine: a.engine });
  const warm = quire.parseSync(data[0]);
  r.renderSync(warm, a.fmt);
  await r.render(warm, a.fmt);
  warm.close();
  if (a.passLib) {
    await paired(a, data, r);
    return;
  }
  const rss0 = Math.round(process.memoryUsage().rss / 1024);
  let next = 0;
  let done = 0;
  let bytes = 0;
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const deadline = t0 + BigInt(Math.round(a.seconds * 1e9));
  // Whole passes over the inputs until the time is spent.
  const more = () => next < data.length || process.hrtime.bigint() < deadline;
  if (a.mode === 'sync') {
    while (more()) {
      const d = quire.parseSync(data[next++ % data.length]);
      bytes += r.renderSync(d, a.fmt).length;
      d.close();
      done++;
    }
  } else {
    const worker = async () => {
      while (more()) {
        const d = await quire.parse(data[next++ % data.length]);
        const out = await r.render(d, a.fmt); // (bytes += await ... would lose updates)
        bytes += out.length;
        d.close();
        done++;
      }
    };
    await Promise.all(Array.from({ length: a.jobs }, worker));
  }
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(c0); // every thread of the process: the pool too
  const cpu = (c.user + c.system) / 1e6;
  process.stdout.write(`${JSON.stringify({
    runner: `node-${a.mode}`, format: a.fmt, engine: a.engine, threads: a.jobs, reports: done,
    seconds: Number(wall.toFixed(3)), cpu_seconds: Number(cpu.toFixed(3)),
    rps: Number((done / wall).toFixed(2)), rpcpus: cpu ? Number((done / cpu).toFixed(2)) : 0, bytes_mean: bytes / Math.max(1, done),
    rss_kib_start: rss0, rss_kib_end: Math.round(process.memoryUsage().rss / 1024),
  })}\n`);
}

async function paired(a, data, r) {
  const { koffi } = require(path.join(__dirname, '..', 'bindings', 'node', 'lib', 'native'));
  const c = koffi.load(a.passLib);
  const init = c.func('int bench_pass_init(int engine)');
  const pass = c.func('long long bench_pass(const uint8_t *blob, const uint32_t *off, size_t n, int fmt)');
  if (init(a.engine === 'haru' ? 1 : 0) !== 0) throw new Error('bench_pass_init failed');
  const irBegin = c.func('void bench_ir_begin(void)');
  const irEnd = c.func('void bench_ir_end(const char *label)');
  const blob = Buffer.concat(data);
  const off = new Uint32Array(data.length + 1);
  data.forEach((d, i) => { off[i + 1] = off[i] + d.length; });
  const fmt = { text: 1, html: 2, pdf: 3, png: 4 }[a.fmt];
  const cPass = async () => {
    if (Number(pass(blob, off, data.length, fmt)) < 0) throw new Error('a C pass failed');
  };
  const nodePass = a.mode === 'sync'
    ? async () => {
      for (const d of data) {
        const doc = quire.parseSync(d);
        r.renderSync(doc, a.fmt);
        doc.close();
      }
    }
    : async () => {
      for (const d of data) {
        const doc = await quire.parse(d);
        await r.render(doc, a.fmt);
        doc.close();
      }
    };
  await cPass(); // warm both loops over every report once
  await nodePass();
  if (a.irPasses) {
    for (let k = 0; k < 2; k++) await nodePass();
    for (const [name, fn] of [['c', cPass], ['binding', nodePass]]) {
      irBegin();
      for (let k = 0; k < a.irPasses; k++) await fn();
      irEnd(name);
    }
    process.stdout.write(`${JSON.stringify({ runner: `node-${a.mode}`, format: a.fmt, ir_passes: a.irPasses, per_pass: data.length })}\n`);
    return;
  }
  const rss0 = Math.round(process.memoryUsage().rss / 1024);
  const cpu = { c: [], binding: [] };
  const wall = { c: [], binding: [] };
  const deadline = Date.now() + a.seconds * 1000;
  let k = 0;
  while (k < 4 || Date.now() < deadline) {
    const order = [['c', cPass], ['binding', nodePass]];
    for (const [name, fn] of k % 2 === 0 ? order : order.reverse()) {
      const w0 = process.hrtime.bigint();
      const c0 = process.cpuUsage();
      await fn();
      const u = process.cpuUsage(c0);
      cpu[name].push((u.user + u.system) / 1e6);
      wall[name].push(Number(process.hrtime.bigint() - w0) / 1e9);
    }
    k++;
  }
  process.stdout.write(`${JSON.stringify({
    runner: `node-${a.mode}`, mode: 'paired', format: a.fmt, engine: a.engine, threads: 1, per_pass: data.length, pairs: k,
    c_cpu: cpu.c, binding_cpu: cpu.binding, c_wall: wall.c, binding_wall: wall.binding,
    rss_kib_start: rss0, rss_kib_end: Math.round(process.memoryUsage().rss / 1024),
  })}\n`);
}

main().catch((e) => {
  process.stderr.write(`${e.stack || e}\n`);
  process.exit(1);
});
