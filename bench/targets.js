/**
 * The targets of issue 14 ("Targets"), and the figures docs/performance.md already meets (issue 5's
 * targets, on docks that all take the typical duration), checked against the JSON line. A target
 * is judged on the median of the runs; `met` is null when the bench did not measure it.
 */
'use strict';

/** "median (min-max)" when the runs differ, else the value. */
function fig(value, range, unit = '') {
  if (value === null || value === undefined) return '-';
  const text = typeof value === 'boolean' ? String(value) : `${value}${unit}`;
  if (!Array.isArray(range) || range[0] === range[2]) return text;
  return `${text} (${range[0]}-${range[2]})`;
}

const has = (...xs) => xs.every((x) => x !== null && x !== undefined);
const lastKey = (obj) =>
  Object.keys(obj || {})
    .map(Number)
    .sort((a, b) => a - b)
    .pop();
const firstKey = (obj) =>
  Object.keys(obj || {})
    .map(Number)
    .sort((a, b) => a - b)[0];

function issue14(s) {
  const out = [];
  const add = (target, measured, met) => out.push({ issue: 14, target, measured, met: met === undefined ? null : met });

  const ri = s.request_in;
  const n = lastKey(ri?.events_off) ?? lastKey(ri?.events_on);
  if (ri && n !== undefined) {
    const off = ri.events_off[n];
    const on = ri.events_on[n];
    add(
      `idle device-request list calls, ${n} dji-request-in nodes on one connection${n === 50 ? '' : ' (50 in the issue)'}: <= 0.2/s`,
      `events off ${fig(off, ri.range.events_off[n], '/s')}, on ${fig(on, ri.range.events_on[n], '/s')}`,
      has(off, on) ? off <= 0.2 && on <= 0.2 : undefined,
    );
  } else add('idle list calls, 50 dji-request-in nodes on one connection: <= 0.2/s', 'not measured');

  const lw = s.long_wait;
  if (lw && Object.keys(lw.events_on).length) {
    const counts = Object.keys(lw.events_on)
      .map(Number)
      .sort((a, b) => a - b);
    const per = counts.map((c) => lw.events_on[c].status_calls_per_command);
    add(
      `status calls per ${lw.reply_delay_ms / 1000} s command, event stream healthy: <= 3 (at ${counts.join(' / ')} waits)`,
      counts.map((c, i) => fig(per[i], lw.range.events_on[c]?.status_calls_per_command)).join(' / '),
      per.every((x) => x !== null) ? per.every((x) => x <= 3) : undefined,
    );
  } else add('status calls per 60 s command, event stream healthy: <= 3', 'not measured');
  const few = firstKey(lw?.events_off);
  if (lw && few !== undefined) {
    const x = lw.events_off[few].status_calls_per_300s_command;
    add(
      `status calls per 300 s command without events: <= 12 (${few} waits; beyond the ${lw.events_off[few].whole_wait ? `${lw.reply_delay_ms / 1000} s wait` : `${lw.window_s} s window`} at its trailing rate: an upper bound when polling backs off)`,
      fig(x, lw.range.events_off[few]?.status_calls_per_300s_command),
      x === null ? undefined : x <= 12,
    );
  } else add('status calls per 300 s command without events: <= 12', 'not measured');

  const { poll, push, diy, floor, inflight: f } = s;
  // The same protocol from a bare client with no Node-RED: below it no implementation goes.
  const floorNote = floor ? `; bare-client floor ${fig(floor.cpu_ms_per_command, floor.range.cpu_ms_per_command, ' ms')}` : '';
  if (poll && diy) {
    add(
      'spread durations: poll HTTP calls/command and detection p50 both below diy (1 s loop)',
      `poll ${fig(poll.http_per_command, poll.range.http_per_command)} calls, p50 ${fig(poll.detect_ms_p50, poll.range.detect_ms_p50, ' ms')}; diy ${fig(diy.http_per_command, diy.range.http_per_command)} calls, p50 ${fig(diy.detect_ms_p50, diy.range.detect_ms_p50, ' ms')}`,
      has(poll.http_per_command, diy.http_per_command, poll.detect_ms_p50, diy.detect_ms_p50)
        ? poll.http_per_command < diy.http_per_command && poll.detect_ms_p50 < diy.detect_ms_p50
        : undefined,
    );
  } else add('spread durations: poll HTTP calls/command and p50 below diy', 'not measured');
  if (push) {
    add(
      'Node-RED CPU per command with events (push, spread durations): <= 1.0 ms',
      fig(push.cpu_ms_per_command, push.range.cpu_ms_per_command, ' ms') + floorNote,
      has(push.cpu_ms_per_command) ? push.cpu_ms_per_command <= 1.0 : undefined,
    );
  } else add('Node-RED CPU per command with events: <= 1.0 ms', 'not measured');
  if (push && diy) {
    const ratio =
      has(push.cpu_ms_per_command, diy.cpu_ms_per_command) && diy.cpu_ms_per_command > 0
        ? Math.round((100 * push.cpu_ms_per_command) / diy.cpu_ms_per_command) / 100
        : null;
    add(
      'push CPU per command <= 1/5 of diy',
      `push/diy ${fig(ratio)} (diy ${fig(diy.cpu_ms_per_command, diy.range.cpu_ms_per_command, ' ms')})${floorNote}`,
      ratio === null ? undefined : ratio <= 0.2,
    );
  } else add('push CPU per command <= 1/5 of diy', 'not measured');
  if (f) {
    add(
      `${f.commands} at once: event-loop p99 during the burst < 50 ms`,
      `${fig(f.loop_delay_burst_p99_ms, f.range.loop_delay_burst_p99_ms, ' ms')} over a ${fig(f.burst_s, f.range.burst_s, ' s')} burst`,
      has(f.loop_delay_burst_p99_ms) ? f.loop_delay_burst_p99_ms < 50 : undefined,
    );
    add(
      `${f.commands} at once: no second with more API calls going out (creates included) than the cap`,
      `peak ${fig(f.peak_api_calls_per_s, f.range.peak_api_calls_per_s, '/s')} (creates ${fig(f.peak_creates_per_s, f.range.peak_creates_per_s, '/s')}), cap ${f.request_cap_per_s}/s`,
      f.api_calls_within_cap,
    );
  } else add('10,000 at once: loop p99 < 50 ms during the burst; API calls within the cap', 'not measured');
  const ss = s.silent_stream;
  if (ss) {
    add(
      `event stream silently stops: every result still emitted, within its timeout + one poll interval (${ss.bound_s} s)`,
      `${fig(ss.results_within_bound)} of ${ss.commands}; latest ${fig(ss.latest_result_s_after_dock, ss.range.latest_result_s_after_dock, ' s')} after its dock answered`,
      ss.all_within_bound,
    );
  } else add('event stream silently stops: every wait ends within its timeout + one poll interval', 'not measured');
  return out;
}

/** What docs/performance.md already meets (issue 5), on docks that all take the typical duration. */
function kept(s) {
  const out = [];
  const add = (target, measured, met) => out.push({ issue: 5, target, measured, met: met === undefined ? null : met });
  const push = s.push?.fixed_delay;
  const poll = s.poll?.fixed_delay;
  const diy = s.diy?.fixed_delay;
  if (push) {
    add(
      'push detection p50 < 25 ms (fixed durations)',
      fig(push.detect_ms_p50, push.range.detect_ms_p50, ' ms'),
      has(push.detect_ms_p50) ? push.detect_ms_p50 < 25 : undefined,
    );
    add(
      'push detection p99 < 100 ms (fixed durations)',
      fig(push.detect_ms_p99, push.range.detect_ms_p99, ' ms'),
      has(push.detect_ms_p99) ? push.detect_ms_p99 < 100 : undefined,
    );
    add(
      'push HTTP calls per command <= 2.2 (fixed durations)',
      fig(push.http_per_command, push.range.http_per_command),
      has(push.http_per_command) ? push.http_per_command <= 2.2 : undefined,
    );
  }
  if (poll && diy) {
    add(
      'poll at defaults: detection p50 and HTTP calls/command below diy (fixed durations)',
      `poll ${fig(poll.detect_ms_p50, poll.range.detect_ms_p50, ' ms')}, ${fig(poll.http_per_command, poll.range.http_per_command)} calls; diy ${fig(diy.detect_ms_p50, diy.range.detect_ms_p50, ' ms')}, ${fig(diy.http_per_command, diy.range.http_per_command)} calls`,
      has(poll.detect_ms_p50, diy.detect_ms_p50, poll.http_per_command, diy.http_per_command)
        ? poll.detect_ms_p50 < diy.detect_ms_p50 && poll.http_per_command < diy.http_per_command
        : undefined,
    );
  }
  const f = s.inflight;
  if (f) {
    add(
      'inflight heap per command < 4 KB',
      fig(f.heap_kb_per_command, f.range.heap_kb_per_command, ' KB'),
      has(f.heap_kb_per_command) ? f.heap_kb_per_command < 4 : undefined,
    );
    add(
      'inflight event-loop p99 over the whole run < 50 ms',
      fig(f.loop_delay_p99_ms, f.range.loop_delay_p99_ms, ' ms'),
      has(f.loop_delay_p99_ms) ? f.loop_delay_p99_ms < 50 : undefined,
    );
    add(
      // The rate gate sits in the client since issue 14: the tracker may ask for more than the cap, and
      // the gate holds the rest back, so what goes out is what the platform sees.
      'inflight status queries per second going out <= the cap',
      `peak ${fig(f.peak_status_queries_out_per_s, f.range.peak_status_queries_out_per_s, '/s')}, cap ${f.request_cap_per_s}/s (asked of the client: ${fig(f.peak_requests_per_s, f.range.peak_requests_per_s, '/s')})`,
      has(f.peak_status_queries_out_per_s, f.request_cap_per_s) ? f.peak_status_queries_out_per_s <= f.request_cap_per_s : undefined,
    );
  }
  const onceSections = [s.diy, s.poll, s.push, s.diy?.fixed_delay, s.poll?.fixed_delay, s.push?.fixed_delay, s.diy?.fast_docks, s.push?.fast_docks, f].filter(
    Boolean,
  );
  if (onceSections.length) {
    const all = onceSections.every((x) => x.emitted_once === true);
    add('every command emitted exactly once (every fleet variant and inflight, every run)', all ? 'yes' : 'no', all);
  }
  return out;
}

function evaluateTargets(summary) {
  return [...issue14(summary), ...kept(summary)];
}

module.exports = { evaluateTargets, fig };
