/**
 * The JSON line: the runs of every job folded into medians (booleans: true in every run), each
 * section with a `range` of [min, median, max] for its numbers. The keys diy / poll / push /
 * inflight and their fields are the ones the line has always had; the rest is issue 14's.
 */
'use strict';
const { foldRuns } = require('./stats');
const { onOff } = require('./jobs');
const { longWaitEstimates } = require('./long-wait-estimate');

const FLEET_FIELDS = ['throughput_per_s', 'detect_ms_p50', 'detect_ms_p99', 'http_per_command', 'rss_mb', 'heap_mb', 'emitted_once', 'cpu_ms_per_command'];
const INFLIGHT_FIELDS = [
  'commands',
  'heap_kb_per_command',
  'loop_delay_p99_ms',
  'peak_requests_per_s',
  'request_cap_per_s',
  'emitted_once',
  'loop_delay_burst_p99_ms',
  'burst_s',
  'peak_api_calls_per_s',
  'peak_creates_per_s',
  'peak_status_queries_out_per_s',
  'api_calls_within_cap',
  'cpu_ms_per_command',
];
const LONG_WAIT_FIELDS = ['status_calls_per_s', 'status_calls_per_command', 'status_calls_per_300s_command', 'observed_age_s', 'whole_wait'];
const SILENT_FIELDS = ['commands', 'bound_s', 'all_within_bound', 'results_within_bound', 'latest_result_s_after_dock', 'status_calls_while_silent'];

/** The chosen fields of a folded job, with their ranges under `range`. */
function pick(folded, fields) {
  if (!folded || !folded.value) return null;
  const out = {};
  const range = {};
  for (const f of fields) {
    out[f] = folded.value[f] ?? null;
    if (folded.range && folded.range[f]) range[f] = folded.range[f];
  }
  out.range = range;
  return out;
}

function fleet(folded, flow) {
  const main = pick(folded[flow], FLEET_FIELDS);
  if (!main) return null;
  const fast = pick(folded[`${flow}-fast`], FLEET_FIELDS);
  if (fast) {
    main.throughput_fast_docks_per_s = fast.throughput_per_s;
    if (fast.range.throughput_per_s) main.range.throughput_fast_docks_per_s = fast.range.throughput_per_s;
    main.fast_docks = fast;
  }
  const fixed = pick(folded[`${flow}-fixed`], FLEET_FIELDS);
  if (fixed) main.fixed_delay = fixed;
  return main;
}

/** { events_off: { <n>: value }, events_on: {...}, range: same shape with [min, median, max] }. */
function byEventsAndCount(folded, prefix, counts, valueOf) {
  const out = { events_off: {}, events_on: {}, range: { events_off: {}, events_on: {} } };
  let any = false;
  for (const events of [false, true]) {
    for (const n of counts) {
      const f = folded[`${prefix}/${onOff(events)}/${n}`];
      if (!f || !f.value) continue;
      any = true;
      const side = `events_${onOff(events)}`;
      const { value, range } = valueOf(f);
      out[side][n] = value;
      if (range) out.range[side][n] = range;
    }
  }
  return any ? out : null;
}

function buildSummary(o, results) {
  const folded = {};
  for (const [key, runs] of Object.entries(results)) {
    // Per-command long-wait figures are derived from the measured rates by age (also when a saved
    // results file is rendered again, so the estimate is always the current one).
    if (key.startsWith('long-wait/')) for (const r of runs) Object.assign(r, longWaitEstimates(r.status_calls_by_age_s, r.reply_delay_ms));
    folded[key] = foldRuns(runs);
  }
  const requestIn = byEventsAndCount(folded, 'request-in', o.requestInNodes, (f) => ({ value: f.value.list_calls_per_s, range: f.range.list_calls_per_s }));
  if (requestIn) {
    requestIn.window_s = o.requestInWindowS;
    requestIn.events_window_s = o.requestInEventsWindowS ?? o.requestInWindowS;
  }
  const longWait = byEventsAndCount(folded, 'long-wait', o.longWait, (f) => {
    const p = pick(f, LONG_WAIT_FIELDS);
    const { range } = p;
    delete p.range;
    return { value: p, range };
  });
  if (longWait) {
    longWait.reply_delay_ms = o.longWaitReplyDelayMs;
    longWait.window_s = o.longWaitWindowS;
    longWait.whole_wait_up_to = o.longWaitWholeUpTo;
  }
  return {
    folded,
    line: {
      floor: fleet(folded, 'floor'),
      diy: fleet(folded, 'diy'),
      poll: fleet(folded, 'poll'),
      push: fleet(folded, 'push'),
      inflight: pick(folded.inflight, INFLIGHT_FIELDS),
      request_in: requestIn,
      long_wait: longWait,
      silent_stream: pick(folded['silent-stream'], SILENT_FIELDS),
      runs: o.runs,
      settings: {
        commands: o.n,
        docks: o.docks,
        reply_ms: [o.replyDelayMs - o.replySpreadMs, o.replyDelayMs + o.replySpreadMs],
        fixed_reply_ms: o.replyDelayMs,
        fast_reply_ms: o.fastReplyDelayMs,
        cap: o.cap || null,
      },
    },
  };
}

module.exports = { buildSummary };
