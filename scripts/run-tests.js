#!/usr/bin/env node
// Runs the compiled tests (dist/, from `npm run build`) with Node's own test runner.
//
//   node scripts/run-tests.js                the whole suite, as CI runs it: every test against
//                                            the node-red devDependency (4.x) on this Node and,
//                                            at the same time, the Node-RED 5 pass (test-nr5.sh)
//   node scripts/run-tests.js --unit         the unit tier: test/core and test/unit (no network,
//                                            no Node-RED runtime, no browser)
//   node scripts/run-tests.js --integration  every other test, against Node-RED 4
//   node scripts/run-tests.js signer client  only the files whose path contains a filter (4.x)
//
// UTMOS_SKIP_NR5=1 leaves out the Node-RED 5 pass; UTMOS_TEST_CONCURRENCY sets how many test
// files run at once (default 2: most of their time is spent waiting on sockets and timers).
// Other arguments starting with -- go to node --test (e.g. --test-reporter=spec).
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');

const testRoot = path.resolve(__dirname, '..', 'dist', 'test');
const args = process.argv.slice(2);
const tier = args.includes('--unit') ? 'unit' : args.includes('--integration') ? 'integration' : 'all';
const filters = args.filter((a) => !a.startsWith('--'));
const passThrough = args.filter((a) => a.startsWith('--') && a !== '--unit' && a !== '--integration');

/** The unit tier: folders whose tests open no socket and start no Node-RED. */
const UNIT_DIRS = ['core', 'unit'];
/** The longest files start first, so that the others fill the time beside them. */
const LONGEST_FIRST = ['editor/editor.test.js', 'bench/bench.test.js', 'e2e/request-in-conformance.test.js', 'reliability/soak.test.js', 'e2e/examples.test.js'];

const sourceRoot = path.resolve(__dirname, '..', 'test');

/** The compiled test files whose source still exists (a build leaves the output of a deleted or moved test behind). */
function collect(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...collect(p));
    else if (entry.name.endsWith('.test.js') && fs.existsSync(path.join(sourceRoot, path.relative(testRoot, p)).replace(/\.js$/, '.ts'))) out.push(p);
  }
  return out;
}

const isUnit = (file) => UNIT_DIRS.some((d) => path.relative(testRoot, file).startsWith(d + path.sep));
const rank = (file) => {
  const i = LONGEST_FIRST.findIndex((name) => file.endsWith(path.join(...name.split('/'))));
  return i < 0 ? LONGEST_FIRST.length : i;
};
const files = collect(testRoot)
  .filter((f) => tier === 'all' || (tier === 'unit') === isUnit(f))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}

/**
 * Runs a command to its end (bounded); resolves with its exit status. Its output goes to ours as it
 * comes, or, when `held` is given, once `held` has resolved (so two runs do not interleave).
 */
function run(label, command, commandArgs, timeoutMs, held) {
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { stdio: held ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    if (held) {
      const chunks = [];
      let live = false;
      void held.then(() => {
        live = true;
        for (const [stream, chunk] of chunks.splice(0)) stream.write(chunk);
      });
      const forward = (stream) => (chunk) => (live ? stream.write(chunk) : chunks.push([stream, chunk]));
      child.stdout.on('data', forward(process.stdout));
      child.stderr.on('data', forward(process.stderr));
    }
    const timer = setTimeout(() => {
      console.error(`${label} stopped after ${timeoutMs / 60000} minutes`);
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (err) => console.error(`${label} did not run: ${err.message}`));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code === null ? 1 : code);
    });
  });
}

const concurrency = process.env.UTMOS_TEST_CONCURRENCY || '2';
// No single test may hang the run: 5 minutes per test, 45 minutes for everything.
const hasTimeout = passThrough.some((a) => a.startsWith('--test-timeout'));
const nodeArgs = ['--test', `--test-concurrency=${concurrency}`, ...(hasTimeout ? [] : ['--test-timeout=300000']), ...passThrough, ...files];

async function main() {
  const nr4 = run('the Node-RED 4 run', process.execPath, nodeArgs, 45 * 60 * 1000);
  const runs = [nr4];
  if (tier === 'all' && filters.length === 0 && !process.env.UTMOS_SKIP_NR5) {
    // The Node-RED 5 pass runs beside it; its output follows the Node-RED 4 run's.
    runs.push(run('the Node-RED 5 run', 'bash', [path.join(__dirname, 'test-nr5.sh')], 30 * 60 * 1000, nr4));
  }
  const statuses = await Promise.all(runs);
  process.exit(statuses.find((s) => s !== 0) ?? 0);
}

void main();
