#!/usr/bin/env node
// Runs every compiled test file with Node's own test runner so that results are counted.
// Optional arguments filter test files by substring, e.g. `npm test -- signer client`.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const testRoot = path.resolve(__dirname, '..', 'dist', 'test');
const filters = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const passThrough = process.argv.slice(2).filter((a) => a.startsWith('--'));

function collect(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...collect(p));
    else if (entry.name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const files = collect(testRoot)
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
// No single test may hang the run: 5 minutes per test, 45 minutes for everything.
const hasTimeout = passThrough.some((a) => a.startsWith('--test-timeout'));
const args = ['--test', ...(hasTimeout ? [] : ['--test-timeout=300000']), ...passThrough, ...files];
const result = spawnSync(process.execPath, args, { stdio: 'inherit', timeout: 45 * 60 * 1000, killSignal: 'SIGKILL' });
if (result.error) console.error(`test run stopped: ${result.error.message}`);
process.exit(result.status === null ? 1 : result.status);
