/**
 * The embedded Node-RED runtime of one bench worker (RED.init/RED.start, nodesDir = the package
 * root) and the small tools every workload shares: clocks, waiting, the simulator's control
 * surface, peak memory sampling and process CPU time.
 */
'use strict';
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const v8 = require('v8');

/** The clock the simulator stamps terminal_at_ms with (same machine, another process). */
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const nextMacrotask = () => new Promise((r) => setImmediate(r));

async function waitFor(cond, timeoutMs, what) {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/**
 * Starts Node-RED with the spec's flows; rt.api records every platform API call from the start
 * (bench/worker/api-calls.js) until rt.stop().
 */
async function startRuntime(cfg, spec) {
  const { apiCallRecorder } = require('./api-calls');
  const api = apiCallRecorder();
  const RED = require('node-red');
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), `utmos-bench-${String(cfg.variant).replace(/[^A-Za-z0-9-]/g, '-')}-`));
  fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(spec.flows));
  fs.writeFileSync(path.join(userDir, 'flows_cred.json'), JSON.stringify(spec.credentials));
  const server = http.createServer();
  RED.init(server, {
    userDir,
    flowFile: 'flows.json',
    credentialSecret: false,
    httpAdminRoot: false,
    httpNodeRoot: false,
    uiHost: '127.0.0.1',
    nodesDir: [cfg.pkgRoot],
    functionExternalModules: true,
    // A workload that stops with waits pending (long-wait) asks for 'fatal': it records errors itself.
    logging: { console: { level: process.env.BENCH_NR_LOG || spec.logLevel || 'warn' } },
    editorTheme: { tours: false },
    telemetry: { enabled: false },
    diagnostics: { enabled: false },
    externalModules: { autoInstall: false },
  });
  await RED.start();
  // Flows start after RED.start() resolves: wait until every node of the flow file exists.
  const ids = spec.flows.filter((n) => n.type !== 'tab').map((n) => n.id);
  await waitFor(() => ids.every((id) => RED.nodes.getNode(id)), 20_000, 'flows to start');
  const beforeStop = [];
  return {
    RED,
    api,
    /** fn runs at stop(), before the flows stop (and end pending waits with errors). */
    beforeStop: (fn) => beforeStop.push(fn),
    async stop() {
      api.stop();
      for (const fn of beforeStop) fn();
      await RED.stop();
      server.close();
      fs.rmSync(userDir, { recursive: true, force: true });
    },
  };
}

/** Waits until the config node's event stream is connected (the push workloads start from there). */
function waitForEventStream(RED, configId = 'bench-config') {
  const conf = RED.nodes.getNode(configId);
  return waitFor(() => conf.connection && conf.connection.eventState === 'connected', 10_000, 'event stream');
}

/** The simulator's /__sim control surface (not signed, never counted as an API call). */
function simControl(sim) {
  const call = async (method, p, body) => {
    const res = await fetch(`${sim.http}/__sim/${p}`, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} /__sim/${p} -> ${res.status}`);
    return res.json();
  };
  return {
    get: (p) => call('GET', p),
    post: (p, body = {}) => call('POST', p, body),
    /** Every command of the run (internal view: accepted_at, terminal_at_ms, ...), by command_id. */
    async commands() {
      const { items } = await call('GET', 'commands');
      return new Map(items.map((c) => [c.command_id, c]));
    },
  };
}

/** Peak RSS since the process started, as the kernel keeps it (Linux), or undefined. */
function kernelPeakRss() {
  try {
    const kb = Number(/^VmHWM:\s*(\d+)\s*kB/m.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1]);
    return kb > 0 ? kb * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Peak RSS and heap for the whole life of the worker. The heap is sampled every 250 ms with
 * v8.getHeapStatistics() and RSS comes from the kernel's high-water mark, because the sampler runs
 * inside the process whose CPU is measured: process.memoryUsage() every 50 ms cost an idle push
 * worker 33.5 ms of CPU a second (3.7 with memoryUsage.rss(), 4.5 with getHeapStatistics(), 3.0
 * for the bare timer), a third of what the fleet runs reported as the commands' CPU.
 */
function memorySampler() {
  const peak = { rss: 0, heap: 0 };
  const sample = () => {
    const heap = v8.getHeapStatistics().used_heap_size;
    if (heap > peak.heap) peak.heap = heap;
  };
  const timer = setInterval(sample, 250);
  const sampleRss = () => {
    const rss = kernelPeakRss() ?? process.memoryUsage.rss();
    if (rss > peak.rss) peak.rss = rss;
  };
  return {
    sample: () => {
      sample();
      sampleRss();
    },
    stop: () => clearInterval(timer),
    rssMb: () => {
      sampleRss();
      return Math.round((peak.rss / 2 ** 20) * 10) / 10;
    },
    heapMb: () => Math.round((peak.heap / 2 ** 20) * 10) / 10,
  };
}

function gcHeap() {
  if (global.gc) for (let i = 0; i < 3; i++) global.gc();
  return process.memoryUsage().heapUsed;
}

/** CPU time (user + system, ms) this process spends from now until the returned function is called. */
function cpuMeter() {
  const start = process.cpuUsage();
  return () => {
    const d = process.cpuUsage(start);
    return (d.user + d.system) / 1000;
  };
}

/**
 * Errors the given nodes end a message with (done(err)), kept for the result until rt.stop()
 * (stopping the flows ends pending waits with errors that are not news); skip(msg) leaves some out.
 */
function errorLog(rt, nodeIds, { skip = () => false, onError = () => undefined } = {}) {
  const list = [];
  let recording = true;
  rt.beforeStop(() => (recording = false));
  rt.RED.hooks.add('onComplete.benchErrors', (ev) => {
    if (!recording || !ev.error || !nodeIds.includes(ev.node.id) || skip(ev.msg)) return;
    list.push(String(ev.error.message || ev.error));
    onError();
  });
  return {
    get count() {
      return list.length;
    },
    /** error_count and the first five messages. */
    report: () => ({ error_count: list.length, errors: list.slice(0, 5) }),
  };
}

const dockId = (i) => `dock-${String(i + 1).padStart(3, '0')}`;

module.exports = { now, sleep, nextMacrotask, waitFor, startRuntime, waitForEventStream, simControl, memorySampler, gcHeap, cpuMeter, errorLog, dockId };
