/**
 * long-wait: N commands sent at once (dji-command, platform timeout 300 s) to docks that answer
 * only after a long delay (60 s), with or without the event stream; the status queries the process
 * makes while they wait are recorded for a measuring window shorter than the wait.
 *
 * - status_calls_per_s: status queries per second from the moment the platform has accepted every
 *   command to the end of the window.
 * - status_calls_per_command (for a command that lasts the docks' delay) and
 *   status_calls_per_300s_command: estimated from the window by the command's age. Each status
 *   query is placed in the one-second bin of its command's age (query time - the platform's
 *   accepted_at); a bin's rate is its queries / the commands observed through that whole second.
 *   Seconds of age beyond what the window observed (for at least half the commands) take the mean
 *   rate of the last ten observed seconds, and one query is added for reading the result (after
 *   the event, or the first poll after the dock answered). With polling that backs off, the
 *   extrapolation overstates the count; a window as long as the wait (cut 1 s before the docks
 *   answer) measures the command whole but for its last second.
 */
'use strict';
const { now, sleep, nextMacrotask, waitFor, startRuntime, waitForEventStream, simControl, errorLog, dockId } = require('./runtime');
const { commandFlows } = require('./flows');
const { round } = require('../stats');

const COMMAND = 'debug_mode_open';
const CHUNK = 200;
const TAIL_SECONDS = 10;

/** Calls per command over the first horizonS seconds of age, +1 for reading the result. */
function estimatePerCommand(rates, tail, horizonS) {
  let sum = 1;
  for (let k = 0; k < horizonS; k++) sum += k < rates.length ? rates[k] : tail;
  return sum;
}

/** Per-second-of-age query rates of the commands (accepted: id -> ms) observed until windowEnd. */
function ageRates(accepted, statusCalls, windowEnd) {
  const coverage = new Map([...accepted].map(([id, a]) => [id, windowEnd - a]));
  const maxBins = Math.max(0, Math.floor(Math.max(0, ...coverage.values()) / 1000));
  const exposure = new Array(maxBins).fill(0);
  for (const c of coverage.values()) for (let k = 0; k < Math.min(maxBins, Math.floor(c / 1000)); k++) exposure[k]++;
  const calls = new Array(maxBins).fill(0);
  for (const { t, id } of statusCalls) {
    const a = accepted.get(id);
    if (a === undefined) continue;
    const k = Math.floor(Math.max(0, t - a) / 1000);
    if (k < maxBins && coverage.get(id) >= (k + 1) * 1000) calls[k]++;
  }
  const rates = [];
  for (let k = 0; k < maxBins && exposure[k] >= Math.max(1, accepted.size / 2); k++) rates.push(calls[k] / exposure[k]);
  const last = rates.slice(-TAIL_SECONDS);
  const tail = last.length ? last.reduce((a, b) => a + b, 0) / last.length : NaN;
  return { rates, tail };
}

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
  const { rates, tail } = ageRates(accepted, statusCalls, windowEnd);
  const horizonS = Math.round(cfg.replyDelayMs / 1000);
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
    status_calls_per_command: round(estimatePerCommand(rates, tail, horizonS), 2),
    status_calls_per_300s_command: round(estimatePerCommand(rates, tail, 300), 2),
    status_calls_by_age_s: rates.map((r) => round(r, 3)),
    finished_in_window: finished,
    ...errors.report(),
    rss_mb: memory.rssMb(),
  };
}

module.exports = { runLongWait, estimatePerCommand, ageRates };
