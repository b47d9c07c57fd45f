/**
 * diy / poll / push: each dock works through its share of N commands one after another (a dock
 * executes one service at a time); the next command for a dock enters the flow when the previous
 * one's message leaves it. The docks' first commands are spread over one typical reply duration.
 *
 * Detection latency = our output (Node-RED onSend hook) minus the simulator's terminal_at_ms;
 * HTTP calls per command = the simulator's signed-API counter / N; CPU per command = this Node-RED
 * process's CPU time (user + system) from the first input to the last output / N.
 */
'use strict';
const { now, sleep, startRuntime, waitForEventStream, simControl, cpuMeter, errorLog, dockId } = require('./runtime');
const { diyFlows, commandFlows } = require('./flows');
const { installTrace } = require('./trace');
const { fleetFigures } = require('./fleet-figures');
const { dockPlan } = require('./dock-plan');
const { peakInWindow } = require('../stats');

const COMMAND = 'debug_mode_open';

async function runFleet(cfg, memory) {
  const sim = simControl(cfg.sim);
  const spec = cfg.flow === 'diy' ? diyFlows(cfg) : commandFlows(cfg, cfg.flow === 'push');
  const rt = await startRuntime(cfg, spec);
  const { api } = rt;
  const { RED } = rt;
  const entry = RED.nodes.getNode(spec.entry);
  if (!entry) throw new Error(`flow did not start: no node ${spec.entry}`);
  if (cfg.flow === 'push') await waitForEventStream(RED);
  const trace = process.env.BENCH_TRACE && cfg.flow !== 'diy' ? installTrace(RED) : undefined;

  const N = cfg.n;
  const emitted = new Map(); // command_id -> { at, count }
  let outputs = 0;
  let lastOut = 0;
  let cpuMs = 0;
  let finish;
  const finished = new Promise((r) => (finish = r));

  const plan = dockPlan(N, cfg.docks, cfg.typicalReplyMs, (d) => entry.receive({ device_id: dockId(d), command_type: COMMAND, payload: {}, bench_dock: d }));

  RED.hooks.add('onSend.bench', (events) => {
    for (const ev of events) {
      if (!spec.isOutput(ev.source)) continue;
      const t = now();
      const msg = ev.msg;
      const rec = emitted.get(msg.command_id);
      if (rec) {
        rec.count++;
        continue; // a duplicate: counted, never re-triggers the dock's next command
      }
      emitted.set(msg.command_id, { at: t, count: 1 });
      trace?.output(msg, t);
      outputs++;
      lastOut = t;
      const d = msg.bench_dock;
      setImmediate(() => {
        plan.next(d);
        if (outputs >= N) finish();
      });
    }
  });
  // Errors (Catch-able or logged) would stall a dock's sequence: record and move on.
  const errors = errorLog(rt, spec.failing);

  memory.sample();
  api.reset();
  const cpu = cpuMeter();
  const firstIn = now();
  plan.start();
  const timeout = setTimeout(() => finish('timeout'), cfg.timeoutMs);
  const why = await finished;
  cpuMs = cpu();
  clearTimeout(timeout);
  const elapsedS = (lastOut - firstIn) / 1000;
  // Let duplicates (if any) show up before counting.
  await sleep(cfg.flow === 'diy' ? 1500 : 500);
  memory.sample();
  const counters = await sim.get('counters');
  const apiPeak = peakInWindow(api.times(undefined, firstIn, lastOut + 1));

  const records = await sim.commands();
  const dupes = [...emitted.values()].filter((r) => r.count !== 1).length;
  let trackerStats;
  if (cfg.flow !== 'diy') {
    const tracker = RED.nodes.getNode('bench-config').connection?.tracker;
    if (tracker) trackerStats = { ...tracker.stats, request_cap_per_s: tracker.requestCapPerSecond };
  }
  await rt.stop();
  return {
    ...fleetFigures(cfg, {
      outputs,
      why,
      elapsedS,
      emitted,
      records,
      counters,
      cpuMs,
      apiPeak,
      memory,
      emittedOnce: outputs === N && dupes === 0 && errors.count === 0,
    }),
    duplicates: dupes,
    ...errors.report(),
    tracker: trackerStats,
    stages: trace?.stages(new Map([...records].map(([id, c]) => [id, c.terminal_at_ms])), emitted),
  };
}

module.exports = { runFleet };
