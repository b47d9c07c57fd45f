// Keeps `npm run bench` working: runs the real benchmark (simulator processes, one Node-RED process
// per workload run) once with tiny numbers and checks the shape of its last line and its tables.
// Untimed: no speed is asserted here; the figures belong to the benchmark's own output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
// The compiled tree this test belongs to (dist, or e.g. dist-bench), so the bench runs that code.
const DIST = path.relative(ROOT, path.resolve(__dirname, '..', '..'));

const FLEET_NUMBERS = ['throughput_per_s', 'detect_ms_p50', 'detect_ms_p99', 'http_per_command', 'rss_mb', 'heap_mb', 'cpu_ms_per_command'];

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** Every number of a section has a [min, median, max] range around it. */
function assertRanges(where: string, section: Record<string, any>, fields: string[]): void {
  for (const k of fields) {
    const r = section.range?.[k];
    assert.ok(Array.isArray(r) && r.length === 3 && r.every(isNum), `${where}.range.${k} = ${JSON.stringify(r)}`);
    const [min, median, max] = r as [number, number, number];
    assert.ok(min <= median && median <= max, `${where}.range.${k} ordered`);
    assert.equal(median, section[k], `${where}.${k} is the median`);
  }
}

function assertFleet(where: string, x: Record<string, any>): void {
  for (const k of FLEET_NUMBERS) {
    assert.ok(isNum(x[k]) && x[k] >= 0, `${where}.${k} = ${x[k]}`);
  }
  assert.ok(x.cpu_ms_per_command > 0, `${where}: a command costs some CPU`);
  assert.equal(x.emitted_once, true, `${where}: not every command emitted exactly once`);
  assert.ok(x.http_per_command >= 2, `${where}: a command costs at least a create and one status query`);
  assertRanges(where, x, FLEET_NUMBERS);
}

test('bench: every workload once with tiny numbers prints the tables and one JSON line with every key', { timeout: 420_000 }, () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'utmos-bench-test-'));
  try {
    const r = spawnSync(
      process.execPath,
      [
        path.join(ROOT, 'bench', 'run.js'),
        '--dist',
        DIST,
        '--runs',
        '1',
        '--n',
        '12',
        '--docks',
        '3',
        '--reply-delay-ms',
        '200',
        '--reply-spread-ms',
        '100',
        '--fast-reply-delay-ms',
        '20',
        '--inflight',
        '40',
        '--inflight-docks',
        '4',
        '--inflight-reply-delay-ms',
        '1500',
        '--request-in-nodes',
        '2',
        '--request-in-window-s',
        '1',
        '--request-in-events-window-s',
        '1.5',
        '--long-wait',
        '4,8',
        '--long-wait-docks',
        '4',
        '--long-wait-reply-delay-ms',
        '4000',
        '--long-wait-window-s',
        '1.5',
        '--long-wait-whole-up-to',
        '4',
        '--silent',
        '4',
        '--silent-docks',
        '2',
        '--silent-reply-delay-ms',
        '500',
        '--silent-timeout-s',
        '5',
        '--silent-grace-s',
        '5',
        '--out',
        out,
      ],
      { cwd: ROOT, encoding: 'utf8', timeout: 400_000 },
    );
    assert.equal(r.status, 0, `bench exited with ${r.status}\n${r.stderr}`);
    const lines = r.stdout.trim().split('\n');
    const result = JSON.parse(lines.at(-1)!); // split always returns at least one line
    assert.deepEqual(Object.keys(result).sort(), [
      'diy',
      'floor',
      'inflight',
      'long_wait',
      'poll',
      'push',
      'request_in',
      'runs',
      'settings',
      'silent_stream',
      'targets',
    ]);
    assert.equal(result.runs, 1);
    assert.deepEqual(result.settings.reply_ms, [100, 300], 'the main workload spreads durations around the typical one');

    // The bare client (no Node-RED) runs the main workload only: it is the CPU targets' yardstick.
    assertFleet('floor', result.floor);
    assert.equal(result.floor.http_per_command, 2, 'floor: one create and one status query per command');
    for (const v of ['diy', 'poll', 'push']) {
      assertFleet(v, result[v]);
      assertFleet(`${v}.fixed_delay`, result[v].fixed_delay);
    }
    // The pass with fast docks (what the flows carry when the docks are not the limit) rides along.
    for (const v of ['diy', 'push']) {
      assert.ok(result[v].throughput_fast_docks_per_s > 0, `${v}.throughput_fast_docks_per_s`);
      assertFleet(`${v}.fast_docks`, result[v].fast_docks);
    }

    const f = result.inflight;
    assert.equal(f.commands, 40);
    const inflightNumbers = [
      'heap_kb_per_command',
      'loop_delay_p99_ms',
      'loop_delay_burst_p99_ms',
      'burst_s',
      'peak_requests_per_s',
      'peak_status_queries_out_per_s',
      'peak_creates_per_s',
      'peak_api_calls_per_s',
      'request_cap_per_s',
      'cpu_ms_per_command',
    ];
    for (const k of inflightNumbers) assert.ok(isNum(f[k]), `inflight.${k} is ${f[k]}`);
    assertRanges('inflight', f, inflightNumbers);
    assert.equal(f.emitted_once, true);
    assert.ok(f.burst_s > 0 && f.cpu_ms_per_command > 0);
    assert.ok(f.peak_creates_per_s >= 1, 'the burst creates commands');
    assert.ok(
      f.peak_api_calls_per_s >= f.peak_creates_per_s && f.peak_api_calls_per_s >= f.peak_status_queries_out_per_s,
      'all calls include creates and status queries',
    );
    assert.ok(f.peak_status_queries_out_per_s >= 1 && f.peak_requests_per_s >= 1, 'status queries seen going out and as asked of the client');
    assert.equal(f.api_calls_within_cap, f.peak_api_calls_per_s <= f.request_cap_per_s);
    assert.ok(f.peak_requests_per_s <= f.request_cap_per_s);

    const ri = result.request_in;
    assert.equal(ri.window_s, 1);
    assert.equal(ri.events_window_s, 1.5);
    for (const side of ['events_off', 'events_on']) {
      assert.ok(isNum(ri[side]['2']) && ri[side]['2'] >= 0, `request_in.${side}.2 = ${ri[side]['2']}`);
      assert.ok(Array.isArray(ri.range[side]['2']), `request_in.range.${side}.2`);
    }

    const lw = result.long_wait;
    assert.equal(lw.reply_delay_ms, 4000);
    for (const side of ['events_on', 'events_off']) {
      for (const waits of ['4', '8']) {
        const x = lw[side][waits];
        assert.ok(x, `long_wait.${side}.${waits}`);
        assert.ok(isNum(x.status_calls_per_s) && x.status_calls_per_s >= 0, `${side}.${waits}.status_calls_per_s`);
        assert.ok(isNum(x.status_calls_per_command) && x.status_calls_per_command >= 1, `${side}.${waits}: at least the query that reads the result`);
        assert.ok(x.status_calls_per_300s_command >= x.status_calls_per_command, `${side}.${waits}: a longer command costs no fewer calls`);
        assert.ok(isNum(x.observed_age_s) && x.observed_age_s >= 1, `${side}.${waits}.observed_age_s`);
        assert.equal(x.whole_wait, waits === '4', `${side}.${waits}: whole wait up to --long-wait-whole-up-to`);
        assert.ok(Array.isArray(lw.range[side][waits].status_calls_per_command));
      }
    }

    const ss = result.silent_stream;
    assert.equal(ss.commands, 4);
    assert.equal(ss.bound_s, 10);
    assert.equal(typeof ss.all_within_bound, 'boolean');
    assert.ok(Number.isInteger(ss.results_within_bound) && ss.results_within_bound >= 0 && ss.results_within_bound <= 4);
    assert.ok(isNum(ss.latest_result_s_after_dock));
    assert.ok(isNum(ss.status_calls_while_silent));

    // Every target of issue 14 is measured and judged, each shown in the table with its verdict.
    const t14 = result.targets.filter((t: any) => t.issue === 14);
    assert.equal(t14.length, 9);
    for (const t of result.targets) {
      assert.equal(typeof t.target, 'string');
      assert.equal(typeof t.measured, 'string');
      if (t.issue === 14) assert.equal(typeof t.met, 'boolean', `measured and judged: ${t.target}`);
      const row = lines.find((l) => l.includes(t.target));
      assert.ok(row, `table row for target ${t.target}`);
      assert.match(row!, t.met === true ? /\| met +\|$/ : t.met === false ? /\| NOT MET +\|$/ : /\| not measured +\|$/);
    }
    const cpuTargets = t14.filter((t: any) => /CPU per command/.test(t.target));
    assert.equal(cpuTargets.length, 2);
    for (const t of cpuTargets) assert.match(t.measured, /bare-client floor \d/, 'the CPU targets are shown beside the floor');
    assert.ok(
      result.targets.some((t: any) => t.issue === 5),
      'what the performance page already meets is checked too',
    );

    // Tables on stdout before the JSON line, and the results saved.
    for (const row of ['| floor ', '| diy ', '| poll-fixed ', '| push-fast ', '| 8     | off '])
      assert.ok(
        lines.some((l) => l.startsWith(row)),
        `table row ${row}`,
      );
    assert.ok(
      lines.some((l) => /load average .* before .* after /.test(l)),
      'the load average is reported',
    );
    const saved = JSON.parse(fs.readFileSync(path.join(out, 'latest.json'), 'utf8'));
    assert.equal(saved.runs['long-wait/off/8'].length, 1, 'every run of every workload is kept in the results file');
    // --report renders a saved results file again, to the same JSON line, without running anything.
    const file = fs.readdirSync(out).find((f) => /^bench-.*\.json$/.test(f));
    const again = spawnSync(process.execPath, [path.join(ROOT, 'bench', 'run.js'), '--report', path.join(out, file!)], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(again.status, 0, again.stderr);
    const againLines = again.stdout.trim().split('\n');
    assert.deepEqual(JSON.parse(againLines.at(-1)!), result);
    assert.ok(againLines.some((l) => l.startsWith('rendered again from bench-')));
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test('bench: the do-it-yourself flow is what a careful user writes, with core nodes only', () => {
  const flows: any[] = JSON.parse(fs.readFileSync(path.join(ROOT, 'bench', 'flows', 'diy.json'), 'utf8'));
  const core = new Set(['tab', 'function', 'http request', 'delay', 'switch', 'debug']);
  for (const n of flows) assert.ok(core.has(n.type), `${n.id} is a core node (${n.type})`);
  const byId = new Map(flows.map((n) => [n.id, n]));
  for (const n of flows.filter((x) => x.type === 'http request')) assert.equal(n.persist, true, `${n.id}: connection keep-alive on`);
  // POST -> a wait of about the typical duration -> the first status query.
  const first = byId.get(byId.get('diy-http-create').wires[0][0]);
  assert.equal(first.type, 'delay');
  assert.equal(first.pauseType, 'delayv', 'msg.delay (from UTMOS_FIRST_QUERY_DELAY_MS) may set it to the typical duration');
  assert.equal(Number(first.timeout), 1, 'one second by default');
  assert.deepEqual(first.wires, [['diy-get']]);
  assert.match(byId.get('diy-create').func, /createHmac\('sha256'/, 'signed in a function node');
  // Not terminal yet: again after 1 s.
  const loop = byId.get(byId.get('diy-switch').wires[1][0]);
  assert.equal(loop.type, 'delay');
  assert.deepEqual([loop.pauseType, Number(loop.timeout), loop.timeoutUnits], ['delay', 1, 'seconds']);
  assert.deepEqual(loop.wires, [['diy-get']]);
});

test('bench: runs fold into medians with [min, median, max]; long-wait extrapolation by command age', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a module of the benchmark (JavaScript, outside the TypeScript build)
  const { foldRuns, peakInWindow } = require(path.join(ROOT, 'bench', 'stats.js'));
  const folded = foldRuns([
    { a: 3, ok: true, nested: { b: 1.25 } },
    { a: 1, ok: true, nested: { b: 2.5 } },
    { a: 2, ok: false, nested: { b: 0.5 } },
  ]);
  assert.deepEqual(folded.value, { a: 2, ok: false, nested: { b: 1.25 } });
  assert.deepEqual(folded.range, { a: [1, 2, 3], nested: { b: [0.5, 1.25, 2.5] } });
  assert.equal(peakInWindow([0, 100, 999, 1000, 1050, 1999.5]), 4, 'the busiest sliding second');

  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a module of the benchmark (JavaScript, outside the TypeScript build)
  const { ageRates, tailRate, estimatePerCommand } = require(path.join(ROOT, 'bench', 'long-wait-estimate.js'));
  // Two commands accepted at 0 and 1000 ms, each queried every 2 s of age, observed until 20 s.
  const accepted = new Map([
    ['a', 0],
    ['b', 1000],
  ]);
  const calls: Array<{ t: number; id: string }> = [];
  for (const [id, at] of accepted) for (let age = 500; at + age < 20_000; age += 2000) calls.push({ t: at + age, id });
  const rates = ageRates(accepted, calls, 20_000);
  assert.equal(rates.length, 20, 'ages observed through a whole second by at least half the commands');
  assert.equal(tailRate(rates), 0.5);
  // 60 s of age at one query per 2 s, plus the one that reads the result.
  assert.equal(estimatePerCommand(rates, 60), 31);
  assert.equal(estimatePerCommand(rates, 300), 151);
  // Queries 12 s apart late in a 58 s observation: the tail (the trailing half) still sees them.
  const sparse = Array.from({ length: 58 }, (_, k) => (k === 33 || k === 45 ? 1 : 0));
  assert.equal(tailRate(sparse), 2 / 29);
  assert.ok(estimatePerCommand(sparse, 300) > estimatePerCommand(sparse, 60) + 10, 'a 300 s command keeps being queried');
});
