// dji-status-wait in a real Node-RED runtime against the simulator.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { UtmosClient } from '../../src/core/client';
import { ALL_NODES, badgeShown, collect, credsFor, flowWith, helper, nodeRedForFile } from '../helpers/harness';
import { simulatorForFile } from '../helpers/simulator';
import { setUp } from '../helpers/setup';

const sim = simulatorForFile({ docks: 2, replyDelayMs: 30 });
nodeRedForFile({
  afterEach: async () => {
    for (const sn of sim.dockSns) await sim.control.configureDock(sn, { silent: false });
  },
});
let client: UtmosClient;
let seq = 0;
setUp(() => {
  client = new UtmosClient({ baseUrl: sim.http, apiId: sim.apiId, apiKey: sim.apiKey });
});
after(() => client.close());

function waitFlow(props: Record<string, unknown> = {}) {
  return flowWith({
    sim,
    nodes: [
      { id: 'w1', type: 'dji-status-wait', server: 'c1', commandId: 'command_id', commandIdType: 'msg', until: 'terminal', timeout: '10', timeoutType: 'num', wires: [['reached'], ['failed'], ['timeout']], ...props },
      { id: 'reached', type: 'helper' },
      { id: 'failed', type: 'helper' },
      { id: 'timeout', type: 'helper' },
      { id: 'k1', type: 'catch', scope: ['w1'], uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
      { id: 'cp', type: 'complete', scope: ['w1'], uncaught: false, wires: [['completed']] },
      { id: 'completed', type: 'helper' },
    ],
  });
}

async function send(command_type: string, device_id: string, payload: Record<string, unknown> = {}, timeout_seconds = 30): Promise<string> {
  const created = await client.createCommand({ device_id, command_type, payload, idempotency_key: `wait-${Date.now()}-${seq++}`, timeout_seconds });
  return created.command_id;
}

test('terminal success goes to output 1 with the status object', async () => {
  await helper.load(ALL_NODES, waitFlow(), credsFor(sim));
  const reached = collect('reached');
  const id = await send('debug_mode_open', 'dock-001');
  helper.getNode('w1').receive({ command_id: id, tag: 'x' });
  const msg = await reached.next();
  assert.equal(msg.status, 'SUCCEEDED');
  assert.equal(msg.payload.command_id, id);
  assert.equal(msg.tag, 'x');
});

test('a failed command goes to output 2', async () => {
  await helper.load(ALL_NODES, waitFlow(), credsFor(sim));
  const failed = collect('failed');
  const id = await send('camera_recording_stop', 'dock-002', { payload_index: '80-0-0' });
  helper.getNode('w1').receive({ command_id: id });
  const msg = await failed.next();
  assert.equal(msg.status, 'FAILED');
  assert.equal(msg.payload.response_code, '327008');
});

test('until DELIVERED emits as soon as the command is delivered', async () => {
  await sim.control.configureDock('dock-001', { silent: true });
  await helper.load(ALL_NODES, waitFlow({ until: 'DELIVERED' }), credsFor(sim));
  const reached = collect('reached');
  const id = await send('debug_mode_open', 'dock-001');
  helper.getNode('w1').receive({ command_id: id });
  const msg = await reached.next();
  assert.equal(msg.status, 'DELIVERED');
});

test('the local timeout goes to output 3 with status WAIT_TIMEOUT', async () => {
  await sim.control.configureDock('dock-001', { silent: true });
  await helper.load(ALL_NODES, waitFlow({ timeout: 'wait', timeoutType: 'msg' }), credsFor(sim));
  const timeout = collect('timeout');
  const completed = collect('completed');
  const id = await send('debug_mode_open', 'dock-001');
  // A longer wait on the same command learns its status first (waits on one command share one
  // poll stream), so the short one below has a last known status however slow the first poll is.
  helper.getNode('w1').receive({ command_id: id, wait: 60 });
  await badgeShown('w1', { text: 'waiting for dock-001 (DELIVERED)' });
  helper.getNode('w1').receive({ command_id: id, wait: 0.4, short: true });
  const msg = await timeout.next();
  assert.equal(msg.short, true);
  assert.equal(msg.status, 'WAIT_TIMEOUT');
  assert.equal(msg.payload.status, 'DELIVERED', 'the last known status rides along');
  assert.equal((await completed.next()).short, true);
});

test('msg.reset cancels the waits on that command_id; every held message still gets done()', async () => {
  await sim.control.configureDock('dock-001', { silent: true });
  await helper.load(ALL_NODES, waitFlow({ timeout: '60' }), credsFor(sim));
  const reached = collect('reached');
  const timeout = collect('timeout');
  const completed = collect('completed');
  const a = await send('debug_mode_open', 'dock-001');
  const b = await send('debug_mode_close', 'dock-001');
  const w1 = helper.getNode('w1');
  w1.receive({ command_id: a, n: 1 });
  w1.receive({ command_id: a, n: 2 });
  w1.receive({ command_id: b, n: 3 });
  await badgeShown('w1', { text: 'waiting for 3 commands' });
  assert.ok(w1.status.calledWithMatch({ text: 'waiting for 3 commands' }));
  w1.receive({ command_id: a, reset: true });
  const done = await completed.waitFor(3);
  assert.deepEqual(done.map((m) => m.n ?? 'reset').sort(), [1, 2, 'reset']);
  // A reset without a command id cancels the rest.
  w1.receive({ reset: true });
  await completed.waitFor(5);
  assert.equal(reached.messages.length + timeout.messages.length, 0);
});

test('bad input: missing command_id, bad timeout, unknown command (404) reach Catch with the field named', async () => {
  await helper.load(ALL_NODES, waitFlow({ timeout: 'wait', timeoutType: 'msg' }), credsFor(sim));
  const caught = collect('caught');
  const w1 = helper.getNode('w1');
  w1.receive({});
  w1.receive({ command_id: 'abc', wait: -1 });
  w1.receive({ command_id: 'abc', wait: 'soon' });
  w1.receive({ command_id: '00000000-0000-0000-0000-000000000000', wait: 5 });
  const msgs = await caught.waitFor(4);
  const texts = msgs.map((m) => m.error.message).sort();
  assert.ok(texts.some((t) => /^Command ID is required/.test(t)));
  assert.equal(texts.filter((t) => /^Timeout \(s\) must be/.test(t)).length, 2);
  assert.ok(texts.includes('The platform knows no command 00000000-0000-0000-0000-000000000000: check the command_id'));
  const notFound = msgs.find((m) => m.utmos_error.code === 'COMMAND_NOT_FOUND');
  assert.equal(notFound?.utmos_error.http_status, 404);
  assert.deepEqual(msgs.map((m) => m.utmos_error.field ?? '-').sort(), ['-', 'commandId', 'timeout', 'timeout']);
});

test('a timeout beyond the 2^31-1 ms timer limit does not fire early', async () => {
  await sim.control.configureDock('dock-001', { silent: true });
  await helper.load(ALL_NODES, waitFlow({ timeout: String(25 * 24 * 3600), timeoutType: 'num' }), credsFor(sim));
  const timeout = collect('timeout');
  const id = await send('debug_mode_open', 'dock-001');
  helper.getNode('w1').receive({ command_id: id });
  // An overflowing timer would fire after 1 ms; the wait seeing the command delivered comes later.
  await badgeShown('w1', { text: 'waiting for dock-001 (DELIVERED)' });
  assert.equal(timeout.messages.length, 0);
});
