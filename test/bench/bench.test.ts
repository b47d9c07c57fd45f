// Keeps `npm run bench` working: runs the real benchmark (simulator process, one Node-RED process per
// variant) with tiny numbers and checks the shape of its last line. Untimed: no speed is asserted
// here; the figures belong to the benchmark's own output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
// The compiled tree this test belongs to (dist, or e.g. dist-bench), so the bench runs that code.
const DIST = path.relative(ROOT, path.resolve(__dirname, '..', '..'));

test('bench: diy, poll, push, the fast-docks pass and inflight print one JSON line with every field, every command emitted once', { timeout: 240_000 }, () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'utmos-bench-test-'));
  try {
    const r = spawnSync(
      process.execPath,
      [
        path.join(ROOT, 'bench', 'run.js'),
        '--dist', DIST,
        '--n', '12',
        '--docks', '3',
        '--reply-delay-ms', '50',
        '--fast-reply-delay-ms', '20',
        '--inflight', '40',
        '--inflight-docks', '4',
        '--inflight-reply-delay-ms', '1500',
        '--out', out,
      ],
      { cwd: ROOT, encoding: 'utf8', timeout: 230_000 },
    );
    assert.equal(r.status, 0, `bench exited with ${r.status}\n${r.stderr}`);
    const lines = r.stdout.trim().split('\n');
    const result = JSON.parse(lines[lines.length - 1]);
    assert.deepEqual(Object.keys(result).sort(), ['diy', 'inflight', 'poll', 'push']);
    for (const v of ['diy', 'poll', 'push']) {
      const x = result[v];
      for (const k of ['throughput_per_s', 'detect_ms_p50', 'detect_ms_p99', 'http_per_command', 'rss_mb']) {
        assert.equal(typeof x[k], 'number', `${v}.${k} is ${x[k]}`);
        assert.ok(Number.isFinite(x[k]) && x[k] >= 0 || k.startsWith('detect'), `${v}.${k} = ${x[k]}`);
      }
      assert.equal(x.emitted_once, true, `${v}: not every command emitted exactly once`);
      assert.ok(x.http_per_command >= 2, `${v}: a command costs at least a create and one status query`);
    }
    // The pass with fast docks (what the flows carry when the docks are not the limit) rides along.
    for (const v of ['diy', 'push']) assert.ok(result[v].throughput_fast_docks_per_s > 0, `${v}.throughput_fast_docks_per_s`);
    assert.ok(lines.some((l) => l.startsWith('| push-fast')), 'table row for the fast-docks pass');
    const f = result.inflight;
    assert.equal(f.commands, 40);
    for (const k of ['heap_kb_per_command', 'loop_delay_p99_ms', 'peak_requests_per_s', 'request_cap_per_s']) {
      assert.equal(typeof f[k], 'number', `inflight.${k} is ${f[k]}`);
    }
    assert.equal(f.emitted_once, true);
    assert.ok(f.peak_requests_per_s <= f.request_cap_per_s);
    // A table on stdout before the JSON line, and the results saved.
    assert.ok(lines.some((l) => l.startsWith('| diy')), 'table row for diy');
    assert.ok(fs.existsSync(path.join(out, 'latest.json')));
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
