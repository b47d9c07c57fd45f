#!/usr/bin/env node
/**
 * One benchmark variant in one real, embedded Node-RED runtime (RED.init/RED.start, nodesDir =
 * the package root), against a simulator that runs in another process.
 *
 *   node --expose-gc bench/worker.js '<json config>'
 *
 * Prints exactly one JSON line (the measurements) on stdout. Logs go to stderr.
 *
 * Variants:
 *   diy      bench/flows/diy.json (core nodes only)
 *   poll     dji-command, default settings, no event stream
 *   push     dji-command, the simulator's event stream configured on utmos-config
 *   inflight push with N commands in flight at once (heap, loop delay, request rate, emitted once)
 *
 * diy/poll/push: each dock works through its share of the N commands one after another (a dock
 * executes one service at a time); the next command for a dock enters the flow when the previous
 * one's message leaves it. The docks' first commands are spread over one reply delay. Times are performance.timeOrigin + performance.now(), the clock the
 * simulator stamps terminal_at_ms with.
 */
'use strict';
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const { monitorEventLoopDelay } = require('perf_hooks');

const cfg = JSON.parse(process.argv[2]);
const now = () => performance.timeOrigin + performance.now();
const log = (line) => process.stderr.write(`[bench ${cfg.variant}] ${line}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// -------------------------------------------------------------------------------- memory sampling
const peak = { rss: 0, heap: 0 };
function sampleMemory() {
  const m = process.memoryUsage();
  if (m.rss > peak.rss) peak.rss = m.rss;
  if (m.heapUsed > peak.heap) peak.heap = m.heapUsed;
}
const memTimer = setInterval(sampleMemory, 50);

function gcHeap() {
  if (global.gc) for (let i = 0; i < 3; i++) global.gc();
  return process.memoryUsage().heapUsed;
}

// -------------------------------------------------------------------------------- flows
function diyFlows() {
  const flows = JSON.parse(fs.readFileSync(path.join(__dirname, 'flows', 'diy.json'), 'utf8'));
  return { flows, credentials: {}, entry: 'diy-create', isOutput: (src) => src.id === 'diy-switch' && src.port === 0 };
}

function nodeFlows(withEvents, extra = {}) {
  const config = {
    id: 'bench-config',
    type: 'utmos-config',
    name: 'simulator',
    baseUrl: cfg.sim.http,
    ...(withEvents ? { eventBrokerUrl: cfg.sim.mqtt } : {}),
    ...(cfg.cap ? { maxRequestsPerSecond: cfg.cap } : {}),
  };
  const flows = [
    { id: 'bench-tab', type: 'tab', label: 'bench' },
    config,
    {
      id: 'bench-cmd',
      z: 'bench-tab',
      type: 'dji-command',
      name: 'command',
      server: 'bench-config',
      deviceId: 'device_id',
      deviceIdType: 'msg',
      commandType: 'command_type',
      commandTypeType: 'msg',
      payload: 'payload',
      payloadType: 'msg',
      idempotencyKeyType: 'auto',
      timeoutSeconds: extra.timeoutSeconds ?? 60,
      waitForResult: true,
      wires: [['bench-ok'], ['bench-fail']],
    },
    { id: 'bench-ok', z: 'bench-tab', type: 'debug', active: false, tosidebar: true, complete: 'payload', wires: [] },
    { id: 'bench-fail', z: 'bench-tab', type: 'debug', active: false, tosidebar: true, complete: 'payload', wires: [] },
  ];
  return {
    flows,
    credentials: { 'bench-config': { apiId: cfg.sim.api_id, apiKey: cfg.sim.api_key } },
    entry: 'bench-cmd',
    isOutput: (src) => src.id === 'bench-cmd',
  };
}

// -------------------------------------------------------------------------------- runtime
async function startRuntime(spec) {
  const RED = require('node-red');
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), `utmos-bench-${cfg.variant}-`));
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
    logging: { console: { level: process.env.BENCH_NR_LOG || 'warn' } },
    editorTheme: { tours: false },
    telemetry: { enabled: false },
    diagnostics: { enabled: false },
    externalModules: { autoInstall: false },
  });
  await RED.start();
  // Flows start after RED.start() resolves: wait until every node of the flow file exists.
  const ids = spec.flows.filter((n) => n.type !== 'tab').map((n) => n.id);
  await waitFor(() => ids.every((id) => RED.nodes.getNode(id)), 20_000, 'flows to start');
  return {
    RED,
    async stop() {
      await RED.stop();
      server.close();
      fs.rmSync(userDir, { recursive: true, force: true });
    },
  };
}

async function waitFor(cond, timeoutMs, what) {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

async function simGet(p) {
  const res = await fetch(`${cfg.sim.http}/__sim/${p}`);
  if (!res.ok) throw new Error(`GET /__sim/${p} -> ${res.status}`);
  return res.json();
}

/** terminal_at_ms of every command (after the measurement; /__sim calls are not counted). */
async function terminalTimes(ids) {
  const out = new Map();
  let i = 0;
  const worker = async () => {
    while (i < ids.length) {
      const id = ids[i++];
      const rec = await simGet(`commands/${encodeURIComponent(id)}`);
      out.set(id, rec.terminal_at_ms);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return out;
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

const round = (x, d = 1) => (x === null || x === undefined || !Number.isFinite(x) ? null : Math.round(x * 10 ** d) / 10 ** d);
const dockId = (i) => `dock-${String(i + 1).padStart(3, '0')}`;
const COMMAND = 'debug_mode_open';

// -------------------------------------------------------------------------------- diy / poll / push
async function runFleet() {
  const spec = cfg.variant === 'diy' ? diyFlows() : nodeFlows(cfg.variant === 'push');
  if (cfg.variant === 'diy') {
    process.env.UTMOS_BASE_URL = cfg.sim.http;
    process.env.UTMOS_API_ID = cfg.sim.api_id;
    process.env.UTMOS_API_KEY = cfg.sim.api_key;
  }
  const rt = await startRuntime(spec);
  const { RED } = rt;
  const entry = RED.nodes.getNode(spec.entry);
  if (!entry) throw new Error(`flow did not start: no node ${spec.entry}`);
  if (cfg.variant === 'push') {
    const conf = RED.nodes.getNode('bench-config');
    await waitFor(() => conf.connection && conf.connection.eventState === 'connected', 10_000, 'event stream');
  }
  // BENCH_TRACE=1: per-command stage times (create sent / answered, event hint received, status query
  // sent / answered, output) relative to the terminal status, and output -> next create per dock.
  const trace = new Map();
  const lastOutByDock = new Map(); // device_id -> time its last output was sent (BENCH_TRACE)
  const gaps = []; // output of a dock's command -> create of its next one, through Node-RED (BENCH_TRACE)
  if (process.env.BENCH_TRACE && cfg.variant !== 'diy') {
    const conn = RED.nodes.getNode('bench-config').connection;
    const stage = (id, k) => {
      let t = trace.get(id);
      if (!t) trace.set(id, (t = {}));
      if (t[k] === undefined) t[k] = now();
    };
    const hint = conn.tracker.hint.bind(conn.tracker);
    conn.tracker.hint = (id, claimed) => {
      if (claimed === 'SUCCEEDED') stage(id, 'hint');
      return hint(id, claimed);
    };
    const create = conn.client.createCommand.bind(conn.client);
    conn.client.createCommand = (...args) => {
      const started = now();
      const prevOut = lastOutByDock.get(args[0].device_id);
      if (prevOut !== undefined) gaps.push(started - prevOut);
      return create(...args).then((r) => {
        const t = trace.get(r.command_id) || {};
        trace.set(r.command_id, Object.assign(t, { create_sent: started, create_answered: now() }));
        return r;
      });
    };
    const get = conn.client.getCommand.bind(conn.client);
    conn.client.getCommand = (id, o) => {
      const t = trace.get(id);
      if (t) t.sent = now();
      return get(id, o).then((r) => {
        if (t) t.answered = now();
        return r;
      });
    };
  }

  const N = cfg.n;
  const docks = cfg.docks;
  const perDock = Array.from({ length: docks }, (_, d) => Math.floor(N / docks) + (d < N % docks ? 1 : 0));
  const emitted = new Map(); // command_id -> { at, count }
  const errors = [];
  let injected = 0;
  let outputs = 0;
  let firstIn = 0;
  let lastOut = 0;
  let finish;
  const finished = new Promise((r) => (finish = r));

  const inject = (d) => {
    if (perDock[d] === 0) return;
    perDock[d]--;
    injected++;
    entry.receive({ device_id: dockId(d), command_type: COMMAND, payload: {}, bench_dock: d });
  };

  RED.hooks.add('onSend.bench', (events) => {
    for (const ev of events) {
      if (!spec.isOutput(ev.source)) continue;
      const t = now();
      const msg = ev.msg;
      const id = msg.command_id;
      const rec = emitted.get(id);
      if (rec) {
        rec.count++;
        continue; // a duplicate: counted, never re-triggers the dock's next command
      }
      emitted.set(id, { at: t, count: 1 });
      if (trace.size) lastOutByDock.set(msg.device_id, t);
      outputs++;
      lastOut = t;
      const d = msg.bench_dock;
      setImmediate(() => {
        inject(d);
        if (outputs >= N) finish();
      });
    }
  });
  // Errors (Catch-able or logged) would stall a dock's sequence: record and move on.
  RED.hooks.add('onComplete.bench', (ev) => {
    if (ev.error && (ev.node.id === spec.entry || ev.node.id === 'diy-get')) errors.push(String(ev.error.message || ev.error));
  });

  sampleMemory();
  firstIn = now();
  // Docks start spread over one reply delay (dock d after d/docks of it), as a fleet whose docks are
  // not synchronised; then each dock's next command follows its previous one's output.
  for (let d = 0; d < docks; d++) {
    const at = (d * cfg.replyDelayMs) / docks;
    if (at === 0) inject(d);
    else setTimeout(() => inject(d), at);
  }
  const timeout = setTimeout(() => finish('timeout'), cfg.timeoutMs);
  const why = await finished;
  clearTimeout(timeout);
  const elapsedS = (lastOut - firstIn) / 1000;
  // Let duplicates (if any) show up before counting.
  await sleep(cfg.variant === 'diy' ? 1500 : 500);
  sampleMemory();
  const counters = await simGet('counters');

  const terminal = await terminalTimes([...emitted.keys()]);
  const detect = [];
  let missingTerminal = 0;
  for (const [id, rec] of emitted) {
    const t = terminal.get(id);
    if (typeof t !== 'number') missingTerminal++;
    else detect.push(rec.at - t);
  }
  detect.sort((a, b) => a - b);
  let stages;
  if (trace.size) {
    const rows = { create_sent: [], create_answered: [], hint: [], sent: [], answered: [], out: [] };
    for (const [id, t] of trace) {
      const term = terminal.get(id);
      const out = emitted.get(id)?.at;
      if (typeof term !== 'number' || t.hint === undefined || t.sent === undefined || out === undefined) continue;
      if (t.create_sent !== undefined) {
        rows.create_sent.push(t.create_sent - term);
        rows.create_answered.push(t.create_answered - term);
      }
      rows.hint.push(t.hint - term);
      rows.sent.push(t.sent - term);
      rows.answered.push(t.answered - term);
      rows.out.push(out - term);
    }
    stages = { hint_hist_10ms: {} };
    for (const v of rows.hint) {
      const b = Math.floor(v / 10) * 10;
      stages.hint_hist_10ms[b] = (stages.hint_hist_10ms[b] || 0) + 1;
    }
    rows.output_to_next_create = gaps;
    for (const [k, v] of Object.entries(rows)) {
      v.sort((a, b) => a - b);
      stages[k] = { p50: round(percentile(v, 50)), p90: round(percentile(v, 90)), p99: round(percentile(v, 99)) };
    }
  }
  const dupes = [...emitted.values()].filter((r) => r.count !== 1).length;
  let trackerStats;
  if (cfg.variant !== 'diy') {
    const tracker = RED.nodes.getNode('bench-config').connection?.tracker;
    if (tracker) trackerStats = { ...tracker.stats, request_cap_per_s: tracker.requestCapPerSecond };
  }
  await rt.stop();
  return {
    variant: cfg.variant,
    commands: N,
    docks,
    reply_delay_ms: cfg.replyDelayMs,
    completed: outputs,
    timed_out: why === 'timeout',
    throughput_per_s: round(outputs / elapsedS, 1),
    detect_ms_p50: round(percentile(detect, 50), 1),
    detect_ms_p99: round(percentile(detect, 99), 1),
    detect_ms_min: round(detect[0], 1),
    detect_ms_max: round(detect[detect.length - 1], 1),
    http_per_command: round(counters.total_calls / N, 2),
    http_calls: counters.calls,
    rss_mb: round(peak.rss / 2 ** 20, 1),
    heap_mb: round(peak.heap / 2 ** 20, 1),
    emitted_once: outputs === N && dupes === 0 && errors.length === 0,
    duplicates: dupes,
    errors: errors.slice(0, 5),
    error_count: errors.length,
    missing_terminal_at: missingTerminal,
    elapsed_s: round(elapsedS, 2),
    tracker: trackerStats,
    stages,
  };
}

// -------------------------------------------------------------------------------- inflight
async function runInflight() {
  const N = cfg.n;
  const spec = nodeFlows(true, { timeoutSeconds: 300 });
  const rt = await startRuntime(spec);
  const { RED } = rt;
  const entry = RED.nodes.getNode(spec.entry);
  const conf = RED.nodes.getNode('bench-config');
  await waitFor(() => conf.connection && conf.connection.eventState === 'connected', 10_000, 'event stream');
  const conn = conf.connection;
  const tracker = conn.tracker;

  // Independent record of every status query the tracker sends (send times), for the sliding window.
  const sendTimes = [];
  const client = conn.client;
  const slotTimes = [];
  if (process.env.BENCH_TRACE) {
    const take = tracker.takeSendSlot.bind(tracker);
    tracker.takeSendSlot = () => {
      take();
      slotTimes.push(tracker.sendTimes[(tracker.sendIndex + tracker.sendTimes.length - 1) % tracker.sendTimes.length]);
    };
  }
  const original = client.getCommand.bind(client);
  client.getCommand = (id, options) => {
    sendTimes.push(performance.now());
    return original(id, options);
  };

  const emitted = new Map();
  const errors = [];
  let outputs = 0;
  let warmOutputs = 0;
  let finish;
  const finished = new Promise((r) => (finish = r));
  RED.hooks.add('onSend.bench', (events) => {
    for (const ev of events) {
      if (ev.source.id !== 'bench-cmd') continue;
      if (ev.msg.bench_warm) {
        warmOutputs++;
        continue;
      }
      const id = ev.msg.command_id;
      const c = (emitted.get(id) ?? 0) + 1;
      emitted.set(id, c);
      if (c === 1 && ++outputs >= N) setImmediate(finish);
    }
  });
  RED.hooks.add('onComplete.bench', (ev) => {
    if (ev.error && ev.node.id === 'bench-cmd' && !ev.msg?.bench_warm) {
      errors.push(String(ev.error.message || ev.error));
      if (outputs + errors.length >= N) setImmediate(finish);
    }
  });

  // Warm-up: the same flow, command and code paths, on one dock answering fast, so that one-off costs
  // (JIT-compiled code, pools, sockets) are in the baseline rather than charged to in-flight commands.
  const warmDock = dockId(cfg.docks - 1);
  const setDelay = (ms) =>
    fetch(`${cfg.sim.http}/__sim/docks/${warmDock}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reply_delay_ms: ms }),
    }).then((r) => {
      if (!r.ok) throw new Error(`sim dock control -> ${r.status}`);
    });
  const WARM = Math.min(1000, N);
  await setDelay(20);
  for (let i = 0; i < WARM; i += 200) {
    for (let j = i; j < Math.min(WARM, i + 200); j++) {
      entry.receive({ device_id: warmDock, command_type: COMMAND, payload: {}, bench_warm: true });
    }
    await new Promise((r) => setImmediate(r));
  }
  await waitFor(() => warmOutputs >= WARM, 120_000, 'warm-up commands');
  await setDelay(cfg.replyDelayMs);
  await fetch(`${cfg.sim.http}/__sim/counters/reset`, { method: 'POST' });
  sendTimes.length = 0;
  const statsBefore = { ...tracker.stats };

  // The messages are built first and stay referenced by `messages` for the whole run, so the
  // baseline already contains them: the difference below is what the runtime and our nodes hold
  // per in-flight command beyond the message object itself.
  const messages = Array.from({ length: N }, (_, i) => ({
    device_id: dockId(i % cfg.docks),
    command_type: COMMAND,
    payload: {},
    bench_index: i,
  }));
  const loop = monitorEventLoopDelay({ resolution: 10 });
  await sleep(200);
  const baseline = gcHeap();
  if (process.env.BENCH_HEAP_SNAPSHOT) {
    fs.mkdirSync(process.env.BENCH_HEAP_SNAPSHOT, { recursive: true });
    require('v8').writeHeapSnapshot(path.join(process.env.BENCH_HEAP_SNAPSHOT, 'inflight-baseline.heapsnapshot'));
  }
  sampleMemory();

  loop.enable();
  const t0 = now();
  // Everything at once, in chunks of 200 per macrotask (a burst of input messages).
  for (let i = 0; i < N; i += 200) {
    for (let j = i; j < Math.min(N, i + 200); j++) entry.receive(messages[j]);
    await new Promise((r) => setImmediate(r));
  }
  await waitFor(() => tracker.size + outputs + errors.length >= N, cfg.timeoutMs, 'all commands accepted');
  const acceptedAt = now();
  const inflightAtMeasure = tracker.size;
  const acceptedHeap = gcHeap();
  // BENCH_HEAP_SNAPSHOT=dir: heap snapshots at the baseline and with every command in flight.
  if (process.env.BENCH_HEAP_SNAPSHOT) {
    const v8 = require('v8');
    fs.mkdirSync(process.env.BENCH_HEAP_SNAPSHOT, { recursive: true });
    v8.writeHeapSnapshot(path.join(process.env.BENCH_HEAP_SNAPSHOT, 'inflight-accepted.heapsnapshot'));
  }
  const completedEarly = outputs;
  const timeout = setTimeout(() => finish('timeout'), cfg.timeoutMs);
  const why = await finished;
  clearTimeout(timeout);
  const t1 = now();
  loop.disable();
  await sleep(1000); // duplicates would show up here
  const counters = await simGet('counters');

  // Peak number of status queries in any sliding 1 s window (two pointers over sorted send times).
  let peakPerS = 0;
  for (let lo = 0, hi = 0; hi < sendTimes.length; hi++) {
    while (sendTimes[hi] - sendTimes[lo] >= 1000) lo++;
    if (hi - lo + 1 > peakPerS && process.env.BENCH_TRACE) log(`window ${hi - lo + 1}: ${sendTimes[lo].toFixed(3)} .. ${sendTimes[hi].toFixed(3)} = ${(sendTimes[hi] - sendTimes[lo]).toFixed(3)} ms; sends ${sendTimes.length} slots ${slotTimes.length}; slot lo ${slotTimes[lo - (sendTimes.length - slotTimes.length)]} hi ${slotTimes[hi - (sendTimes.length - slotTimes.length)]}`);
    peakPerS = Math.max(peakPerS, hi - lo + 1);
  }
  const dupes = [...emitted.values()].filter((c) => c !== 1).length;
  const stats = {};
  for (const [k, v] of Object.entries(tracker.stats)) stats[k] = k === 'peakPerSecond' ? v : v - (statsBefore[k] ?? 0);
  const cap = tracker.requestCapPerSecond;
  await rt.stop();
  return {
    commands: N,
    docks: cfg.docks,
    reply_delay_ms: cfg.replyDelayMs,
    heap_kb_per_command: round((acceptedHeap - baseline) / inflightAtMeasure / 1024, 2),
    heap_baseline_mb: round(baseline / 2 ** 20, 1),
    heap_accepted_mb: round(acceptedHeap / 2 ** 20, 1),
    inflight_at_measure: inflightAtMeasure,
    completed_before_measure: completedEarly,
    loop_delay_p99_ms: round(loop.percentile(99) / 1e6, 1),
    loop_delay_max_ms: round(loop.max / 1e6, 1),
    peak_requests_per_s: peakPerS,
    request_cap_per_s: cap,
    tracker_stats: stats,
    emitted_once: why !== 'timeout' && outputs === N && dupes === 0 && errors.length === 0,
    completed: outputs,
    duplicates: dupes,
    error_count: errors.length,
    errors: errors.slice(0, 5),
    warm_up_commands: WARM,
    accept_s: round((acceptedAt - t0) / 1000, 2),
    total_s: round((t1 - t0) / 1000, 2),
    http_per_command: round(counters.total_calls / N, 2),
    rss_mb: round(peak.rss / 2 ** 20, 1),
    heap_mb: round(peak.heap / 2 ** 20, 1),
  };
}

(async () => {
  const result = cfg.variant === 'inflight' ? await runInflight() : await runFleet();
  clearInterval(memTimer);
  process.stdout.write(JSON.stringify(result) + '\n');
  process.exit(0);
})().catch((err) => {
  process.stderr.write(`[bench ${cfg.variant}] FAILED: ${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
