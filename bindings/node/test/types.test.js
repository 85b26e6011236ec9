'use strict';
// index.d.ts compiles under tsc --strict against a program written the way
// the README shows, and refuses the misuses marked @ts-expect-error.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const fs = require('node:fs');
const { spawnSync } = require('node:child_process');
const { PKG } = require('./helpers');

test('the TypeScript declarations type-check a real program', () => {
  const tsc = path.join(PKG, 'node_modules', '.bin', 'tsc');
  assert.ok(fs.existsSync(tsc), 'typescript is a devDependency: run npm ci in bindings/node');
  const r = spawnSync(tsc, ['-p', path.join(__dirname, 'types', 'tsconfig.json')], { encoding: 'utf8', timeout: 120000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});
