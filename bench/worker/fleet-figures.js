/**
 * The figures every fleet run reports (diy / poll / push, and the bare-client floor). Detection
 * latency is when each command's result left the flow (or the bare client) minus the simulator's
 * terminal_at_ms for that command, both on this machine's clock.
 */
'use strict';
const { percentile, round } = require('../stats');

/** emitted: command_id -> { at }; records: the simulator's commands by command_id. */
function detectionFigures(emitted, records) {
  const detect = [];
  let missingTerminal = 0;
  for (const [id, rec] of emitted) {
    const t = records.get(id)?.terminal_at_ms;
    if (typeof t !== 'number') missingTerminal++;
    else detect.push(rec.at - t);
  }
  detect.sort((a, b) => a - b);
  return {
    detect_ms_p50: round(percentile(detect, 50), 1),
    detect_ms_p99: round(percentile(detect, 99), 1),
    detect_ms_min: round(detect[0], 1),
    detect_ms_max: round(detect[detect.length - 1], 1),
    missing_terminal_at: missingTerminal,
  };
}

/**
 * run: { outputs, why, elapsedS, emitted, records, counters (the simulator's), cpuMs, apiPeak,
 * memory, emittedOnce }.
 */
function fleetFigures(cfg, run) {
  const N = cfg.n;
  return {
    variant: cfg.variant,
    commands: N,
    docks: cfg.docks,
    reply_delay_ms: cfg.replyDelayMs,
    reply_delay_max_ms: cfg.replyDelayMaxMs || cfg.replyDelayMs,
    completed: run.outputs,
    timed_out: run.why === 'timeout',
    throughput_per_s: round(run.outputs / run.elapsedS, 1),
    ...detectionFigures(run.emitted, run.records),
    http_per_command: round(run.counters.total_calls / N, 2),
    http_calls: run.counters.calls,
    cpu_ms_per_command: round(run.cpuMs / N, 2),
    peak_api_calls_per_s: run.apiPeak,
    rss_mb: run.memory.rssMb(),
    heap_mb: run.memory.heapMb(),
    emitted_once: run.emittedOnce,
    elapsed_s: round(run.elapsedS, 2),
  };
}

module.exports = { fleetFigures };
