/**
 * BENCH_TRACE=1 (poll / push only): per-command stage times relative to the simulator's terminal
 * status (create sent / answered, event hint received, status query sent / answered, output) and
 * the gap from a dock's output to its next create through Node-RED. Wraps the connection's
 * client and tracker methods, so it follows their names; the regular figures never need it.
 */
'use strict';
const { now } = require('./runtime');
const { percentile, round } = require('../stats');

function installTrace(RED) {
  const trace = new Map();
  const lastOutByDock = new Map();
  const gaps = [];
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
  return {
    /** A command's output left dji-command at time t. */
    output(msg, t) {
      lastOutByDock.set(msg.device_id, t);
    },
    /** p50/p90/p99 of each stage, ms after the terminal status; terminal: id -> terminal_at_ms. */
    stages(terminal, emitted) {
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
      const stages = { hint_hist_10ms: {} };
      for (const v of rows.hint) {
        const b = Math.floor(v / 10) * 10;
        stages.hint_hist_10ms[b] = (stages.hint_hist_10ms[b] || 0) + 1;
      }
      rows.output_to_next_create = gaps;
      for (const [k, v] of Object.entries(rows)) {
        v.sort((a, b) => a - b);
        stages[k] = { p50: round(percentile(v, 50)), p90: round(percentile(v, 90)), p99: round(percentile(v, 99)) };
      }
      return stages;
    },
  };
}

module.exports = { installTrace };
