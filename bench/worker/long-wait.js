/**
 * long-wait: N commands sent at once (dji-command, platform timeout 300 s) to docks that answer
 * only after a long delay (60 s), with or without the event stream; the status queries the process
 * makes while they wait are recorded for a measuring window shorter than the wait.
 *
 * - status_calls_per_s: status queries per second from the moment the platform has accepted every
 *   command to the end of the window.
 * - status_calls_per_command (for a command that lasts the docks' delay) and
 *   status_calls_per_300s_command: from the queries by command age, bench/long-wait-estimate.js.
 */
'use strict';
const { now, sleep, nextMacrotask, waitFor, startRuntime, waitForEventStream, simControl, errorLog, dockId } = require('./runtime');
const { commandFlows } = require('./flows');
const { round } = require('../stats');
const { ageRates, longWaitEstimates } = require('../long-wait-estimate');

const COMMAND = 'debug_mode_open';
const CHUNK = 200;

async function runLongWait(cfg, memory) {
  const N = cfg.n;
  const sim = simControl(cfg.sim);
  // Stopping the runtime ends every wait with an error; those are not news, so the log stays quiet.
  const spec = { ...commandFlows(cfg, cfg.events, { timeoutSeconds: 300 }), logLevel: 'fatal' };
  const rt = await startRuntime(cfg, spec);
  const { api } = rt;
  const { RED } = rt;
  const entry = RED.nodes.getNode(spec.entry);
  if (cfg.events) await waitForEventStream(RED);
  let outputs = 0;
  RED.hooks.add('onSend.bench', (events) => {
    for (const ev of events) if (ev.source.id === 'bench-cmd') outputs++;
  });
  const errors = errorLog(rt, ['bench-cmd']);
  await sim.post('counters/reset');
  api.reset();

  const t0 = now();
  for (let i = 0; i < N; i += CHUNK) {
    for (let j = i; j < Math.min(N, i + CHUNK); j++) entry.receive({ device_id: dockId(j % cfg.docks), command_type: COMMAND, payload: {} });
    await nextMacrotask();
  }
  await waitFor(() => api.answered('create') + errors.count >= N, cfg.timeoutMs, 'all commands accepted');
  const acceptedAt = now();
  // The window ends after windowMs, at least 2 s after the last create, and 1 s before any dock answers.
  const windowEnd = Math.min(Math.max(t0 + cfg.windowMs, acceptedAt + 2000), t0 + cfg.replyDelayMs - 1000);
  await sleep(Math.max(0, windowEnd - now()));
  memory.sample();

  const records = await sim.commands();
  const accepted = new Map([...records.values()].map((c) => [c.command_id, Date.parse(c.accepted_at)]));
  const statusCalls = api.select('status', t0, windowEnd);
  const steadyCalls = statusCalls.filter((c) => c.t >= acceptedAt).length;
  const otherCalls = api.count(undefined, acceptedAt, windowEnd) - steadyCalls - api.count('create', acceptedAt, windowEnd);
  const rates = ageRates(accepted, statusCalls, windowEnd);
  const finished = outputs;
  await rt.stop();
  return {
    waits: N,
    events: cfg.events,
    docks: cfg.docks,
    reply_delay_ms: cfg.replyDelayMs,
    accept_s: round((acceptedAt - t0) / 1000, 2),
    window_s: round((windowEnd - t0) / 1000, 2),
    whole_wait: windowEnd >= t0 + cfg.replyDelayMs - 1000,
    observed_age_s: rates.length,
    status_calls_in_window: statusCalls.length,
    status_calls_per_s: round((steadyCalls * 1000) / (windowEnd - acceptedAt), 1),
    other_api_calls_while_waiting: otherCalls,
    ...longWaitEstimates(rates, cfg.replyDelayMs),
    status_calls_by_age_s: rates,
    finished_in_window: finished,
    ...errors.report(),
    rss_mb: memory.rssMb(),
  };
}

module.exports = { runLongWait };
