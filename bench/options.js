/**
 * npm run bench [-- options]
 *
 * Every workload runs --runs times (interleaved: run 1 of everything, then run 2, ...), each run in
 * its own Node-RED process against a fresh simulator process; every figure is reported as the
 * median with min and max. Prints tables (with the targets of issue 14 beside the measured figures)
 * and, as the LAST line, one JSON object. Results also go to bench-results/ (git-ignored).
 *
 * Options:
 *   --runs N              runs of every workload (default 3)
 *   --n N                 commands per fleet variant (default 2000)
 *   --docks N             docks of the fleet variants (default 50)
 *   --reply-delay-ms N    typical dock duration (default 1000): the -fixed variants' docks all take
 *                         exactly this; the main variants' docks take it +- --reply-spread-ms
 *   --reply-spread-ms N   main workload: each reply takes a duration drawn uniformly from
 *                         reply-delay +- N (default 500, i.e. 0.5-1.5 s)
 *   --cap N               maxRequestsPerSecond of utmos-config for poll/push/long-wait (default: not
 *                         set, i.e. the node's own default)
 *   --fast-reply-delay-ms N  diy-fast / push-fast: docks that answer after N ms (default 50; 0 = skip)
 *   --fast-cap N          maxRequestsPerSecond for push-fast (default 1000)
 *   --inflight N          commands at once in the inflight run (default 10000; 0 = skip)
 *   --inflight-docks N    (default 100)
 *   --inflight-reply-delay-ms N  (default 60000)
 *   --inflight-cap N      maxRequestsPerSecond for the inflight run (default 200)
 *   --request-in-nodes L  idle dji-request-in nodes on one connection, comma list (default 1,10,50)
 *   --request-in-window-s S  measuring window without events (default 20, four 5 s poll intervals)
 *   --request-in-events-window-s S  with the event stream (default 60, one safety-net interval)
 *   --long-wait L         commands waiting at once, comma list (default 100,1000,5000)
 *   --long-wait-docks N   (default 100)
 *   --long-wait-reply-delay-ms N  how long those docks take (default 60000)
 *   --long-wait-window-s S  measuring window from the first message for the larger counts
 *                         (default 20; per-command figures beyond it are extrapolated, see
 *                         bench/worker/long-wait.js)
 *   --long-wait-whole-up-to N  counts up to N are measured over the whole wait instead, until 1 s
 *                         before the docks answer (default 100; 0 = none)
 *   --silent N            commands in the silent-stream run (default 100; 0 = skip)
 *   --silent-docks N      (default 100)
 *   --silent-reply-delay-ms N  (default 10000)
 *   --silent-timeout-s S  dji-command timeout there (default 60)
 *   --silent-grace-s S    one poll interval allowed beyond the timeout (default 5)
 *   --variants a,b        subset of floor,diy,poll,push,diy-fixed,poll-fixed,push-fixed,diy-fast,push-fast,
 *                         inflight,request-in,long-wait,silent-stream
 *   --dist DIR            compiled output to benchmark (default dist; e.g. dist-bench)
 *   --out DIR             results folder (default bench-results)
 *   --no-save             do not write results
 *   --report FILE         run nothing: print the tables and the JSON line again from a results file
 *                         that an earlier run saved (bench-results/bench-*.json)
 *
 * Environment: BENCH_TRACE=1 (stage times of poll/push), BENCH_CPU_PROF=dir (V8 CPU profiles of
 * the workers and simulators; BENCH_CPU_PROF_INTERVAL_US=N samples the workers every N us, and
 * bench/profile-layers.js sums a worker's profile by layer), BENCH_HEAP_SNAPSHOT=dir (inflight heap
 * snapshots), BENCH_NR_LOG=level.
 */
'use strict';
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const FLEET = ['floor', 'diy', 'poll', 'push', 'diy-fixed', 'poll-fixed', 'push-fixed', 'diy-fast', 'push-fast'];
const VARIANTS = [...FLEET, 'inflight', 'request-in', 'long-wait', 'silent-stream'];

function helpText() {
  return fs.readFileSync(__filename, 'utf8').split('*/')[0] + '*/\n';
}

function parseArgs(argv) {
  const o = {
    runs: 3,
    n: 2000,
    docks: 50,
    replyDelayMs: 1000,
    replySpreadMs: 500,
    cap: 0,
    fastReplyDelayMs: 50,
    fastCap: 1000,
    inflight: 10000,
    inflightDocks: 100,
    inflightReplyDelayMs: 60000,
    inflightCap: 200,
    requestInNodes: [1, 10, 50],
    requestInWindowS: 20,
    requestInEventsWindowS: 60,
    longWait: [100, 1000, 5000],
    longWaitDocks: 100,
    longWaitReplyDelayMs: 60000,
    longWaitWindowS: 20,
    longWaitWholeUpTo: 100,
    silent: 100,
    silentDocks: 100,
    silentReplyDelayMs: 10000,
    silentTimeoutS: 60,
    silentGraceS: 5,
    variants: undefined,
    dist: 'dist',
    out: path.join(ROOT, 'bench-results'),
    save: true,
  };
  const whole = (name, v) => {
    if (!/^\d+$/.test(String(v))) throw new Error(`${name} needs a whole number, got ${v}`);
    return Number(v);
  };
  const seconds = (name, v) => {
    if (!/^\d+(\.\d+)?$/.test(String(v)) || Number(v) <= 0) throw new Error(`${name} needs a number of seconds above 0, got ${v}`);
    return Number(v);
  };
  const list = (name, v) => {
    const items = String(v)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    return items.map((s) => whole(name, s)).filter((x) => x > 0);
  };
  const setters = {
    '--runs': (v) => (o.runs = whole('--runs', v)),
    '--n': (v) => (o.n = whole('--n', v)),
    '--docks': (v) => (o.docks = whole('--docks', v)),
    '--reply-delay-ms': (v) => (o.replyDelayMs = whole('--reply-delay-ms', v)),
    '--reply-spread-ms': (v) => (o.replySpreadMs = whole('--reply-spread-ms', v)),
    '--cap': (v) => (o.cap = whole('--cap', v)),
    '--fast-reply-delay-ms': (v) => (o.fastReplyDelayMs = whole('--fast-reply-delay-ms', v)),
    '--fast-cap': (v) => (o.fastCap = whole('--fast-cap', v)),
    '--inflight': (v) => (o.inflight = whole('--inflight', v)),
    '--inflight-docks': (v) => (o.inflightDocks = whole('--inflight-docks', v)),
    '--inflight-reply-delay-ms': (v) => (o.inflightReplyDelayMs = whole('--inflight-reply-delay-ms', v)),
    '--inflight-cap': (v) => (o.inflightCap = whole('--inflight-cap', v)),
    '--request-in-nodes': (v) => (o.requestInNodes = list('--request-in-nodes', v)),
    '--request-in-window-s': (v) => (o.requestInWindowS = seconds('--request-in-window-s', v)),
    '--request-in-events-window-s': (v) => (o.requestInEventsWindowS = seconds('--request-in-events-window-s', v)),
    '--long-wait': (v) => (o.longWait = list('--long-wait', v)),
    '--long-wait-docks': (v) => (o.longWaitDocks = whole('--long-wait-docks', v)),
    '--long-wait-reply-delay-ms': (v) => (o.longWaitReplyDelayMs = whole('--long-wait-reply-delay-ms', v)),
    '--long-wait-window-s': (v) => (o.longWaitWindowS = seconds('--long-wait-window-s', v)),
    '--long-wait-whole-up-to': (v) => (o.longWaitWholeUpTo = whole('--long-wait-whole-up-to', v)),
    '--silent': (v) => (o.silent = whole('--silent', v)),
    '--silent-docks': (v) => (o.silentDocks = whole('--silent-docks', v)),
    '--silent-reply-delay-ms': (v) => (o.silentReplyDelayMs = whole('--silent-reply-delay-ms', v)),
    '--silent-timeout-s': (v) => (o.silentTimeoutS = whole('--silent-timeout-s', v)),
    '--silent-grace-s': (v) => (o.silentGraceS = seconds('--silent-grace-s', v)),
    '--variants': (v) =>
      (o.variants = String(v)
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)),
    '--dist': (v) => (o.dist = String(v)),
    '--out': (v) => (o.out = path.resolve(String(v))),
  };
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    let v;
    const eq = a.indexOf('=');
    if (eq > 0) [a, v] = [a.slice(0, eq), a.slice(eq + 1)];
    if (a === '--help' || a === '-h') return { help: true };
    if (a === '--no-save') {
      o.save = false;
      continue;
    }
    if (a === '--report') {
      const file = v ?? argv[++i];
      if (!file) throw new Error('--report needs a results file');
      return { report: path.resolve(file) };
    }
    const set = setters[a];
    if (!set) throw new Error(`unknown option ${a}`);
    if (v === undefined) v = argv[++i];
    if (v === undefined) throw new Error(`${a} needs a value`);
    set(v);
  }
  const docksOk = (d) => d >= 1 && d <= 999;
  if (o.runs < 1) throw new Error('--runs must be at least 1');
  if (o.n < 1 || !docksOk(o.docks)) throw new Error('--n must be >= 1 and --docks 1..999');
  if (!docksOk(o.inflightDocks) || !docksOk(o.longWaitDocks) || !docksOk(o.silentDocks)) throw new Error('every --*-docks must be 1..999');
  if (o.replySpreadMs >= o.replyDelayMs) throw new Error('--reply-spread-ms must be below --reply-delay-ms');
  if (Math.max(0, ...o.requestInNodes) > 999) throw new Error('--request-in-nodes: at most 999 (one dock each)');
  if (!o.variants) {
    o.variants = VARIANTS.filter(
      (v) =>
        (!v.endsWith('-fast') || o.fastReplyDelayMs > 0) &&
        (v !== 'inflight' || o.inflight > 0) &&
        (v !== 'request-in' || o.requestInNodes.length > 0) &&
        (v !== 'long-wait' || o.longWait.length > 0) &&
        (v !== 'silent-stream' || o.silent > 0),
    );
  }
  for (const v of o.variants) if (!VARIANTS.includes(v)) throw new Error(`unknown variant ${v}`);
  if (o.fastReplyDelayMs === 0 && o.variants.some((v) => v.endsWith('-fast'))) throw new Error('the -fast variants need --fast-reply-delay-ms > 0');
  if (o.variants.includes('inflight') && o.inflight === 0) o.inflight = 10000;
  if (o.variants.includes('silent-stream') && o.silent === 0) o.silent = 100;
  return o;
}

module.exports = { parseArgs, helpText, ROOT, FLEET, VARIANTS };
