/**
 * silent-stream: N commands (one per dock, dji-command timeout T s) with the event stream on; once
 * the platform has accepted them all, the simulator's broker stops delivering events while every
 * connection stays open (POST /__sim/broker/events {forwarding:false}). The docks then answer.
 * No result may be lost: every command must leave output 1 (SUCCEEDED) exactly once, no later than
 * its timeout plus one poll interval (the grace) after its input message.
 */
'use strict';
const { now, sleep, nextMacrotask, waitFor, startRuntime, waitForEventStream, simControl, errorLog, dockId } = require('./runtime');
const { commandFlows } = require('./flows');
const { round } = require('../stats');

const COMMAND = 'debug_mode_open';

async function runSilentStream(cfg, memory) {
  const N = cfg.n;
  const sim = simControl(cfg.sim);
  const spec = commandFlows(cfg, true, { timeoutSeconds: cfg.timeoutSeconds });
  const rt = await startRuntime(cfg, spec);
  const { api } = rt;
  const { RED } = rt;
  const entry = RED.nodes.getNode(spec.entry);
  await waitForEventStream(RED);
  const sentAt = new Map(); // bench_index -> input time
  const results = new Map(); // command_id -> { at, count, ok, index }
  RED.hooks.add('onSend.bench', (events) => {
    for (const ev of events) {
      if (ev.source.id !== 'bench-cmd') continue;
      const rec = results.get(ev.msg.command_id);
      if (rec) rec.count++;
      else results.set(ev.msg.command_id, { at: now(), count: 1, ok: ev.source.port === 0 && ev.msg.status === 'SUCCEEDED', index: ev.msg.bench_index });
    }
  });
  const errors = errorLog(rt, ['bench-cmd']);

  const boundMs = (cfg.timeoutSeconds + cfg.graceSeconds) * 1000;
  for (let i = 0; i < N; i++) {
    sentAt.set(i, now());
    entry.receive({ device_id: dockId(i % cfg.docks), command_type: COMMAND, payload: {}, bench_index: i });
    if (i % 200 === 199) await nextMacrotask();
  }
  await waitFor(() => api.answered('create') + errors.count >= N, 60_000, 'all commands accepted');
  await sleep(300); // the accepted events reach the node while the stream still delivers
  await sim.post('broker/events', { forwarding: false });
  const silencedAt = now();
  const lastSent = Math.max(...sentAt.values());
  await waitFor(() => results.size + errors.count >= N || now() > lastSent + boundMs + 5000, boundMs + 10_000, 'the waits to end').catch(() => undefined);
  await sleep(500); // duplicates would show up here
  memory.sample();

  const records = await sim.commands();
  let within = 0;
  let okOnce = 0;
  let latestAfterDock = 0;
  for (const [id, r] of results) {
    if (r.ok && r.count === 1) okOnce++;
    if (r.ok && r.at - sentAt.get(r.index) <= boundMs) within++;
    const terminal = records.get(id)?.terminal_at_ms;
    if (typeof terminal === 'number') latestAfterDock = Math.max(latestAfterDock, r.at - terminal);
  }
  const statusCalls = api.count('status', silencedAt, now());
  await rt.stop();
  return {
    commands: N,
    docks: cfg.docks,
    reply_delay_ms: cfg.replyDelayMs,
    timeout_s: cfg.timeoutSeconds,
    bound_s: boundMs / 1000,
    results_emitted_once: okOnce,
    results_within_bound: within,
    all_within_bound: within === N && okOnce === N && errors.count === 0,
    latest_result_s_after_dock: round(latestAfterDock / 1000, 2),
    status_calls_while_silent: statusCalls,
    ...errors.report(),
    rss_mb: memory.rssMb(),
  };
}

module.exports = { runSilentStream };
