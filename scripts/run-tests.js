#!/usr/bin/env node
// Runs every compiled test file with Node's own test runner so that results are counted: first
// against the node-red devDependency (4.x) on this Node, then, for a full run, the node, example,
// editor and package tests again against Node-RED 5 on Node 22 (scripts/test-nr5.sh).
// Optional arguments filter test files by substring, e.g. `npm test -- signer client` (4.x only);
// UTMOS_SKIP_NR5=1 skips the Node-RED 5 pass.
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
let status = result.status === null ? 1 : result.status;
if (filters.length === 0 && !process.env.UTMOS_SKIP_NR5) {
  const nr5 = spawnSync('bash', [path.join(__dirname, 'test-nr5.sh')], { stdio: 'inherit', timeout: 30 * 60 * 1000, killSignal: 'SIGKILL' });
  if (nr5.error) console.error(`Node-RED 5 run stopped: ${nr5.error.message}`);
  const nr5Status = nr5.status === null ? 1 : nr5.status;
  if (status === 0) status = nr5Status;
}
process.exit(status);
