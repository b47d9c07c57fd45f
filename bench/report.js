/**
 * The tables `npm run bench` prints for people: every figure as "median (min-max)" over the runs,
 * then every target beside its measured figure and whether it is met.
 */
'use strict';
const { fig } = require('./targets');
const { onOff } = require('./jobs');

const cell = (v) => (v === null || v === undefined ? '-' : String(v));
function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => cell(r[i]).length)));
  const line = (r) => '| ' + r.map((c, i) => cell(c).padEnd(widths[i])).join(' | ') + ' |';
  return [line(rows[0]), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...rows.slice(1).map(line)];
}

/** Folded job -> "median (min-max)" of one field. */
const f = (job, field, unit = '') => (job && job.value ? fig(job.value[field], job.range?.[field], unit) : '-');

function fleetTable(folded, variants, ceiling) {
  const rows = [['variant', 'throughput/s', '% of ceiling', 'detect p50 ms', 'detect p99 ms', 'HTTP/cmd', 'CPU ms/cmd', 'peak RSS MB', 'emitted once']];
  for (const v of variants) {
    const job = folded[v];
    const share = job.value.throughput_per_s === null ? null : Math.round((1000 * job.value.throughput_per_s) / ceiling) / 10;
    rows.push([
      v,
      f(job, 'throughput_per_s'),
      share,
      f(job, 'detect_ms_p50'),
      f(job, 'detect_ms_p99'),
      f(job, 'http_per_command'),
      f(job, 'cpu_ms_per_command'),
      f(job, 'rss_mb'),
      f(job, 'emitted_once'),
    ]);
  }
  return table(rows);
}

const ceilingPerSecond = (docks, meanMs) => Math.round((docks * 1000 * 10) / meanMs) / 10;

function fleetSections(o, folded) {
  const lines = [];
  const settings = o.cap ? `maxRequestsPerSecond ${o.cap}` : 'utmos-config and dji-command at their defaults';
  const ceiling = ceilingPerSecond(o.docks, o.replyDelayMs);
  const diyNote = `diy waits ${o.replyDelayMs} ms (the typical duration) before its first query, then every 1 s, keep-alive on`;
  const sections = [
    [
      ['floor', 'diy', 'poll', 'push'],
      `main workload: N=${o.n} commands over ${o.docks} docks that answer in ${o.replyDelayMs - o.replySpreadMs}-${o.replyDelayMs + o.replySpreadMs} ms (uniform), each dock one command at a time; poll/push: ${settings}; ${diyNote}; floor: the same protocol from a bare client, no Node-RED (create, then one status query on the completed event)`,
      ceiling,
    ],
    [['diy-fixed', 'poll-fixed', 'push-fixed'], `second line: the same with every dock answering after exactly ${o.replyDelayMs} ms`, ceiling],
    [
      ['diy-fast', 'push-fast'],
      `docks not the limit: N=${o.n} over ${o.docks} docks that answer after ${o.fastReplyDelayMs} ms; push-fast: maxRequestsPerSecond ${o.fastCap}; diy-fast waits ${o.fastReplyDelayMs} ms before its first query`,
      ceilingPerSecond(o.docks, o.fastReplyDelayMs || 1),
    ],
  ];
  for (const [variants, title, ceil] of sections) {
    const present = variants.filter((v) => folded[v]?.value);
    if (!present.length) continue;
    if (lines.length) lines.push('');
    lines.push(title, `ceiling: ${o.docks} docks / mean duration = ${ceil} commands/s if every result were seen the instant the dock replied`);
    lines.push(...fleetTable(folded, present, ceil));
  }
  return lines;
}

function inflightSection(folded) {
  const job = folded.inflight;
  if (!job?.value) return [];
  const v = job.value;
  const rows = [['in flight', 'median (min-max)']];
  const add = (label, field, unit) => rows.push([label, f(job, field, unit)]);
  add('heap per command KB', 'heap_kb_per_command');
  add('burst: first message to every create answered, s', 'burst_s');
  add('event-loop delay p99 during the burst, ms', 'loop_delay_burst_p99_ms');
  add('event-loop delay max during the burst, ms', 'loop_delay_burst_max_ms');
  add('event-loop delay p99 over the whole run, ms', 'loop_delay_p99_ms');
  add('peak API calls in one second (all calls, going out)', 'peak_api_calls_per_s');
  add('peak creates in one second (going out)', 'peak_creates_per_s');
  add('peak status queries in one second (going out)', 'peak_status_queries_out_per_s');
  add('peak status queries in one second (asked of the client)', 'peak_requests_per_s');
  add('cap (maxRequestsPerSecond)', 'request_cap_per_s');
  add('API calls within the cap every second', 'api_calls_within_cap');
  add('CPU per command, ms', 'cpu_ms_per_command');
  add('HTTP calls per command', 'http_per_command');
  add('peak RSS MB', 'rss_mb');
  add('emitted once', 'emitted_once');
  return ['', `in flight: ${v.commands} commands at once over ${v.docks} docks, reply delay ${v.reply_delay_ms} ms, event stream on`, ...table(rows)];
}

function requestInSection(o, folded) {
  const rows = [['dji-request-in nodes', 'list calls/s, events off', 'list calls/s, events on']];
  for (const n of o.requestInNodes) {
    const off = folded[`request-in/off/${n}`];
    const on = folded[`request-in/on/${n}`];
    if (!off?.value && !on?.value) continue;
    rows.push([n, f(off, 'list_calls_per_s'), f(on, 'list_calls_per_s')]);
  }
  if (rows.length === 1) return [];
  return [
    '',
    `request-in scaling: N idle dji-request-in nodes on one connection, one dock each, palette defaults (5 s poll); list calls in a window after 2 s of settling: ${o.requestInWindowS} s without events, ${o.requestInEventsWindowS ?? o.requestInWindowS} s with them (the feed's safety net polls once a minute while events flow)`,
    ...table(rows),
  ];
}

function longWaitSection(o, folded) {
  const rows = [
    [
      'waits',
      'events',
      'status calls/s',
      `calls per ${o.longWaitReplyDelayMs / 1000} s command`,
      'calls per 300 s command',
      'window',
      'age observed s',
      'accept s',
    ],
  ];
  for (const events of [true, false]) {
    for (const n of o.longWait) {
      const job = folded[`long-wait/${onOff(events)}/${n}`];
      if (!job?.value) continue;
      const window = job.value.whole_wait ? 'whole wait' : `${o.longWaitWindowS} s`;
      rows.push([
        n,
        onOff(events),
        f(job, 'status_calls_per_s'),
        f(job, 'status_calls_per_command'),
        f(job, 'status_calls_per_300s_command'),
        window,
        f(job, 'observed_age_s'),
        f(job, 'accept_s'),
      ]);
    }
  }
  if (rows.length === 1) return [];
  return [
    '',
    `long waits: N commands at once (platform timeout 300 s) on ${o.longWaitDocks} docks that answer after ${o.longWaitReplyDelayMs} ms; measured from the first message`,
    `over the whole wait (until 1 s before the docks answer) up to ${o.longWaitWholeUpTo} waits, over a ${o.longWaitWindowS} s window above. calls/s: status queries per second once`,
    "every create is answered. Per command: by the command's age; seconds of age the window did not observe at the mean rate of the trailing half of",
    'the observed seconds, at least 10 (an upper bound when polling backs off), +1 for reading the result (bench/long-wait-estimate.js).',
    ...table(rows),
  ];
}

function silentSection(folded) {
  const job = folded['silent-stream'];
  if (!job?.value) return [];
  const v = job.value;
  return [
    '',
    `silent event stream: ${v.commands} commands, docks answer after ${v.reply_delay_ms} ms, events stop after every create is answered (connection kept): ` +
      `results within ${v.bound_s} s: ${f(job, 'results_within_bound')} of ${v.commands}, latest ${f(job, 'latest_result_s_after_dock', ' s')} after its dock answered, ` +
      `${f(job, 'status_calls_while_silent')} status calls while silent`,
  ];
}

function targetsSection(targets) {
  const mark = (m) => (m === true ? 'met' : m === false ? 'NOT MET' : 'not measured');
  return [
    '',
    'targets (issue 14, then what docs/performance.md already meets), judged on the median:',
    ...table([['issue', 'target', 'measured', ''], ...targets.map((t) => [t.issue, t.target, t.measured, mark(t.met)])]),
  ];
}

function renderReport(o, folded, targets) {
  return [
    ...fleetSections(o, folded),
    ...inflightSection(folded),
    ...requestInSection(o, folded),
    ...longWaitSection(o, folded),
    ...silentSection(folded),
    ...targetsSection(targets),
  ].join('\n');
}

module.exports = { renderReport };
