/**
 * Detection latency of a fleet run: when each command's result left the flow (or the bare client)
 * minus the simulator's terminal_at_ms for that command, both on this machine's clock.
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

module.exports = { detectionFigures };
