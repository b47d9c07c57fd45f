// The package's public API is what src/core/index.ts lists by name, reached through package.json
// "exports" (the package requires itself by name here); internals and test hooks are not part of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  main: string;
  types: string;
  exports: Record<string, unknown>;
};

test('the package name resolves to the core index, and only the index is exported', () => {
  assert.equal(require.resolve(pkg.name), path.join(ROOT, pkg.main));
  assert.deepEqual(Object.keys(pkg.exports).sort(), ['.', './package.json']);
  assert.ok(fs.existsSync(path.join(ROOT, pkg.types)), 'the type declarations are built');
  assert.throws(() => require.resolve(`${pkg.name}/dist/src/core/tracker`), { code: 'ERR_PACKAGE_PATH_NOT_EXPORTED' });
});

test('the index lists its exports by name, and test hooks are not among them', () => {
  const source = fs.readFileSync(path.join(ROOT, 'src', 'core', 'index.ts'), 'utf8');
  assert.doesNotMatch(source, /export \*/);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the package is loaded by its name, as a user loads it
  const api = require(pkg.name) as Record<string, unknown>;
  for (const name of [
    'UtmosClient',
    'UtmosConnection',
    'StatusTracker',
    'DeviceRequestFeed',
    'EventStream',
    'UtmosError',
    'signRequest',
    'validateDjiPayload',
    'describeDjiResultCode',
  ]) {
    assert.equal(typeof api[name], 'function', name);
  }
  for (const hook of ['pooledAgentCount', 'sendAttempt', 'acquireAgent', 'MinHeap', 'RateGate']) assert.equal(api[hook], undefined, `${hook} is not public`);
});
