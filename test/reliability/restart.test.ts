// A Node-RED restart with a persistent context store (localfilesystem in a temp userDir), the real
// runtime loading the real package: dji-request-in emits nothing again that it emitted before the
// restart, and emits what the docks raised while Node-RED was down.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RuntimeProcess, startRuntimeProcess } from '../helpers/runtime-process';
import { callCount, simControl, simulatorForFile } from '../helpers/simulator';
import { setUp } from '../helpers/setup';
import { waitUntil } from '../helpers/wait';

/** A request type the platform answers itself: its event starts a round of the feed, with nothing to emit. */
const ANSWERED_TYPE = 'airport_bind_status';
const sim = simulatorForFile({ docks: 2, replyDelayMs: 20, autoReplyRequestTypes: [ANSWERED_TYPE] }, 'child process');
let userDir: string;
setUp(() => {
  userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'utmos-restart-'));
});
after(() => {
  fs.rmSync(userDir, { recursive: true, force: true });
});

const LIST = 'GET /api/v1/open/device-requests';

const contextStorage = { default: { module: 'localfilesystem' } };

function flows() {
  return [
    { id: 't1', type: 'tab', label: 'restart' },
    { id: 'c1', type: 'utmos-config', name: 'sim', baseUrl: sim.http, eventBrokerUrl: sim.mqtt, credentials: { apiId: sim.apiId, apiKey: sim.apiKey } },
    { id: 'in1', z: 't1', type: 'dji-request-in', server: 'c1', vendor: 'dji', pendingOnly: true, pollInterval: 1, wires: [['d1']] },
    { id: 'd1', z: 't1', type: 'debug', active: true, tosidebar: false, console: false, complete: 'true', wires: [] },
  ];
}

/** Messages delivered to any node of the runtime. */
function deliveries(rt: RuntimeProcess): number {
  return [...rt.delivered.values()].reduce((n, list) => n + list.length, 0);
}

async function raise(n: number, tag: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await simControl(sim, 'POST', `docks/dock-00${1 + (i % 2)}/requests`, {
      request_type: 'config',
      data: { scope: 'dock', items: ['network', 'storage'], tag: `${tag}-${i}` },
    });
    ids.push(r.request_id);
  }
  return ids;
}

/**
 * `n` more rounds of the request feed, each a list call. With the event stream connected the feed
 * polls only once a minute, so each round is started by the event of a request the platform has
 * already answered (pendingOnly: not emitted).
 */
async function moreRounds(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const from = await callCount(sim, LIST);
    await simControl(sim, 'POST', 'docks/dock-001/requests', { request_type: ANSWERED_TYPE, data: {} });
    await waitUntil(async () => (await callCount(sim, LIST)) > from, `a list call after the event of an answered request (${from} before)`, 15_000, 50);
  }
}

test('restart with localfilesystem context: nothing emitted twice, nothing raised while down is missed', { timeout: 90_000 }, async () => {
  // Run 1: deploy, emit the first requests.
  const first = await startRuntimeProcess({ userDir, settings: { contextStorage, credentialSecret: 'reliability-test-secret' } });
  let beforeIds: string[];
  try {
    await first.deploy(flows());
    beforeIds = await raise(4, 'before');
    const got = await first.waitFor('d1', 4, 15_000);
    assert.deepEqual(got.map((m) => m.request_id).sort(), [...beforeIds].sort());
    await moreRounds(2); // a few more rounds: still nothing new
    assert.equal(deliveries(first), 4, 'each request emitted once before the restart');
  } finally {
    await first.stop();
  }
  const contextFiles = fs.readdirSync(path.join(userDir, 'context'), { recursive: true }).map(String);
  assert.ok(
    contextFiles.some((f) => f.endsWith('.json')),
    `the context store wrote to disk: ${contextFiles.join(', ')}`,
  );

  // While Node-RED is down, docks raise more requests.
  const whileDown = await raise(3, 'down');

  // Run 2: same userDir, flows and credentials from disk.
  const second = await startRuntimeProcess({ userDir, settings: { contextStorage, credentialSecret: 'reliability-test-secret' } });
  try {
    const got = await second.waitFor('d1', 3, 20_000);
    assert.deepEqual(got.map((m) => m.request_id).sort(), [...whileDown].sort(), 'exactly the requests raised while down');
    const after = await raise(1, 'after');
    await second.waitFor('d1', 4, 10_000);
    await moreRounds(3); // several rounds: nothing from before the restart shows up again
    assert.equal(deliveries(second), (second.delivered.get('d1') ?? []).length, 'only d1 receives messages');
    const all = (second.delivered.get('d1') ?? []).map((m) => m.request_id);
    assert.deepEqual(all.sort(), [...whileDown, ...after].sort());
    for (const id of beforeIds) assert.ok(!all.includes(id), `${id} was emitted before the restart and not again`);
    assert.equal(new Set(all).size, all.length, 'no duplicates');
  } finally {
    await second.stop();
  }
});
