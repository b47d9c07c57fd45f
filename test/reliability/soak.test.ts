// The fault soak, short version (npm run soak runs 1,000 commands over 20 docks): every message
// ends in exactly one output or one catchable error, the platform never holds two commands for one
// message, and no secret shows up in anything the run captured.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSoak } from './soak-lib';

test('soak: 150 commands over 20 docks under random faults and one simulator restart', { timeout: 150_000 }, async () => {
  const log = process.env.SOAK_LOG ? (line: string) => console.log(line) : undefined;
  const { summary, details } = await runSoak({ commands: 150, docks: 20, seed: 6150, log });
  const line = JSON.stringify(summary);
  console.log(JSON.stringify({ details }));
  console.log(line);
  assert.equal(summary.lost, 0, `lost messages: ${line}`);
  assert.equal(summary.duplicates_at_platform, 0, `duplicates: ${details.duplicate_keys.join(' | ')}`);
  assert.equal(summary.outputs + summary.errors, summary.commands, line);
  assert.equal(details.multiple_outcomes, 0, 'no message ended twice');
  assert.equal(details.stray_errors, 0, 'every output and error belongs to an input message');
  assert.equal(details.platform_instances, 2, 'the simulator was restarted once');
  // The faults really happened: every kind at least once, and the platform answered injected errors.
  for (const kind of [
    '5xx',
    '429',
    'latency',
    'drop_before',
    'drop_after',
    'dock_failure',
    'dock_silent',
    'dock_offline',
    'broker_restart',
    'simulator_restart',
  ]) {
    assert.ok((details.faults_by_kind[kind] ?? 0) >= 1, `fault ${kind} injected (${JSON.stringify(details.faults_by_kind)})`);
  }
  assert.ok(details.sim_injected_http_faults > 0);
  assert.equal(details.nonce_replayed, 0, 'no nonce was ever reused');
  assert.deepEqual(details.secret_hits, [], 'the API key and event password appear nowhere');
  assert.ok(details.scanned_chars > 10_000, 'the scan saw the captured messages, statuses and logs');
});
