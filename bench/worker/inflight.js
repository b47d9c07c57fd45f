/**
 * inflight: N commands sent at once (chunks of 200 input messages per macrotask) to docks that
 * answer after a long delay, event stream on, a given maxRequestsPerSecond.
 *
 * - heap per command: (heap with every command accepted and waiting - baseline) / commands waiting,
 *   both after forced GC; the input messages exist before the baseline, so they are not counted.
 * - event-loop delay (monitorEventLoopDelay, 10 ms resolution) twice: for the burst (first input
 *   message until the platform has answered every create) and for the whole run (until the last output).
 * - API calls per sliding one-second window as they go out (bench/worker/api-calls.js), all calls
 *   and creates apart, against the cap; and, as before issue 14, the status queries per window as
 *   the package asks its client for them (client.getCommand calls), which is where its cap applies.
 */
'use strict';
const fs = require('fs');
const path = require('path');
const { monitorEventLoopDelay } = require('perf_hooks');
const { now, sleep, nextMacrotask, waitFor, startRuntime, waitForEventStream, simControl, gcHeap, cpuMeter, errorLog, dockId } = require('./runtime');
const { commandFlows } = require('./flows');
const { peakInWindow, round } = require('../stats');

const COMMAND = 'debug_mode_open';
const CHUNK = 200;

/** BENCH_HEAP_SNAPSHOT=dir: heap snapshots at the baseline and with every command in flight. */
function heapSnapshot(name) {
  if (!process.env.BENCH_HEAP_SNAPSHOT) return;
  fs.mkdirSync(process.env.BENCH_HEAP_SNAPSHOT, { recursive: true });
  require('v8').writeHeapSnapshot(path.join(process.env.BENCH_HEAP_SNAPSHOT, `inflight-${name}.heapsnapshot`));
}

async function sendInChunks(entry, messages) {
  for (let i = 0; i < messages.length; i += CHUNK) {
    for (let j = i; j < Math.min(messages.length, i + CHUNK); j++) entry.receive(messages[j]);
    await nextMacrotask();
  }
}

/** Times the package asks its client for a command's status (when it has that client method). */
function askedStatusTimes(RED) {
  const times = [];
  const client = RED.nodes.getNode('bench-config').connection?.client;
  if (typeof client?.getCommand !== 'function') return undefined;
  const getCommand = client.getCommand.bind(client);
  client.getCommand = (...args) => {
    times.push(now());
    return getCommand(...args);
  };
  return times;
}

/** Loop delay percentiles of a histogram, in ms. */
const loopMs = (h, p) => round((p === 'max' ? h.max : h.percentile(p)) / 1e6, 1);

async function runInflight(cfg, memory) {
  const N = cfg.n;
  const sim = simControl(cfg.sim);
  const spec = commandFlows(cfg, true, { timeoutSeconds: 300 });
  const rt = await startRuntime(cfg, spec);
  const { api } = rt;
  const { RED } = rt;
  const entry = RED.nodes.getNode(spec.entry);
  await waitForEventStream(RED);

  const emitted = new Map();
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
      const c = (emitted.get(ev.msg.command_id) ?? 0) + 1;
      emitted.set(ev.msg.command_id, c);
      // Done when every command has ended one way or the other (a create that failed never outputs).
      if (c === 1 && ++outputs + errors.count >= N) setImmediate(finish);
    }
  });
  const errors = errorLog(rt, ['bench-cmd'], {
    skip: (msg) => msg?.bench_warm,
    onError: () => outputs + errors.count >= N && setImmediate(finish),
  });

  // Warm-up: the same flow, command and code paths, on one dock answering fast, so that one-off costs
  // (JIT-compiled code, pools, sockets) are in the baseline rather than charged to in-flight commands.
  const warmDock = dockId(cfg.docks - 1);
  const WARM = Math.min(1000, N);
  await sim.post(`docks/${warmDock}`, { reply_delay_ms: 20 });
  await sendInChunks(
    entry,
    Array.from({ length: WARM }, () => ({ device_id: warmDock, command_type: COMMAND, payload: {}, bench_warm: true })),
  );
  await waitFor(() => warmOutputs >= WARM, 120_000, 'warm-up commands');
  await sim.post(`docks/${warmDock}`, { reply_delay_ms: cfg.replyDelayMs });
  await sim.post('counters/reset');
  api.reset();
  const asked = askedStatusTimes(RED);

  const messages = Array.from({ length: N }, (_, i) => ({ device_id: dockId(i % cfg.docks), command_type: COMMAND, payload: {}, bench_index: i }));
  const loopBurst = monitorEventLoopDelay({ resolution: 10 });
  const loopRun = monitorEventLoopDelay({ resolution: 10 });
  await sleep(200);
  const baseline = gcHeap();
  heapSnapshot('baseline');
  memory.sample();

  loopBurst.enable();
  loopRun.enable();
  const cpu = cpuMeter();
  const t0 = now();
  await sendInChunks(entry, messages);
  await waitFor(() => api.answered('create') + errors.count >= N, cfg.timeoutMs, 'all commands accepted');
  const acceptedAt = now();
  loopBurst.disable();
  const inflightAtMeasure = api.answered('create') - outputs;
  const acceptedHeap = gcHeap();
  heapSnapshot('accepted');
  const completedEarly = outputs;
  const timeout = setTimeout(() => finish('timeout'), cfg.timeoutMs);
  const why = await finished;
  clearTimeout(timeout);
  const t1 = now();
  const cpuMs = cpu();
  loopRun.disable();
  await sleep(1000); // duplicates would show up here
  const counters = await sim.get('counters');

  const all = api.times(undefined, t0, t1 + 1);
  const perSecond = [];
  for (const t of all) {
    const s = Math.floor((t - t0) / 1000);
    while (perSecond.length <= s) perSecond.push(0);
    perSecond[s]++;
  }
  const cap = cfg.cap || RED.nodes.getNode('bench-config').connection?.tracker?.requestCapPerSecond || null;
  const peakApi = peakInWindow(all);
  const dupes = [...emitted.values()].filter((c) => c !== 1).length;
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
    loop_delay_p99_ms: loopMs(loopRun, 99),
    loop_delay_max_ms: loopMs(loopRun, 'max'),
    loop_delay_burst_p99_ms: loopMs(loopBurst, 99),
    loop_delay_burst_max_ms: loopMs(loopBurst, 'max'),
    burst_s: round((acceptedAt - t0) / 1000, 2),
    peak_requests_per_s: asked ? peakInWindow(asked.filter((t) => t >= t0 && t <= t1)) : null,
    peak_status_queries_out_per_s: peakInWindow(api.times('status', t0, t1 + 1)),
    peak_creates_per_s: peakInWindow(api.times('create', t0, t1 + 1)),
    peak_api_calls_per_s: peakApi,
    request_cap_per_s: cap,
    api_calls_within_cap: peakApi <= cap,
    api_calls_per_second_from_start: perSecond.slice(0, 15),
    cpu_ms_per_command: round(cpuMs / N, 2),
    emitted_once: why !== 'timeout' && outputs === N && dupes === 0 && errors.count === 0,
    completed: outputs,
    duplicates: dupes,
    ...errors.report(),
    warm_up_commands: WARM,
    total_s: round((t1 - t0) / 1000, 2),
    http_per_command: round(counters.total_calls / N, 2),
    rss_mb: memory.rssMb(),
    heap_mb: memory.heapMb(),
  };
}

module.exports = { runInflight };
