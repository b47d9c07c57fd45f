// Redeploys leave nothing behind: no timers, sockets or listeners beyond the live nodes', no
// duplicate messages, and the shared connection is reference-counted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pooledAgentCount } from '../../src/core/http-transport';
import { ALL_NODES, badgeShown, collect, connectionOf, credsFor, flowWith, helper, nodeRedForFile } from '../helpers/harness';
import { DJI_COMMAND_DEFAULTS, DJI_WAYLINE_DEFAULTS } from '../helpers/node-defs';
import { leftBehind, resources } from '../helpers/resources';
import { callCount, simControl, simulatorForFile } from '../helpers/simulator';
import { eventStreamState, waitUntil } from '../helpers/wait';

// The simulator runs in its own process here, so that every timer and socket counted below is ours.
const sim = simulatorForFile({ docks: 2, replyDelayMs: 20 }, 'child process');
nodeRedForFile({ afterEach: () => simControl(sim, 'POST', 'docks/dock-002', { silent: false }) });

const CREATE = 'POST /api/v1/open/downlink/commands';
const PRESIGN = 'POST /api/v1/open/objects/presign';

function fullFlow(label: string) {
  return flowWith({
    sim,
    config: { eventBrokerUrl: sim.mqtt },
    nodes: [
      { id: 'cmd', ...DJI_COMMAND_DEFAULTS, name: label, wires: [['ok'], ['bad']] },
      { id: 'slow', ...DJI_COMMAND_DEFAULTS, deviceId: 'dock-002', wires: [[], []] },
      {
        id: 'wait',
        type: 'dji-status-wait',
        server: 'c1',
        commandId: 'command_id',
        commandIdType: 'msg',
        until: 'terminal',
        timeout: '60',
        timeoutType: 'num',
        wires: [[], [], []],
      },
      { id: 'in', type: 'dji-request-in', server: 'c1', vendor: 'dji', pendingOnly: true, pollInterval: 1, wires: [['req']] },
      {
        id: 'rep',
        type: 'dji-request-reply',
        server: 'c1',
        requestId: 'request_id',
        requestIdType: 'msg',
        replyCode: 'APPROVED',
        replyCodeType: 'str',
        payloadType: 'none',
        wires: [[]],
      },
      {
        ...DJI_WAYLINE_DEFAULTS,
        id: 'wl',
        wires: [[]],
      },
      { id: 'ok', type: 'helper' },
      { id: 'bad', type: 'helper' },
      { id: 'req', type: 'helper' },
    ],
  });
}

test('redeploys with commands and waits in flight leave no timers, sockets or listeners behind', async () => {
  const baseline = resources();
  const agentsBefore = pooledAgentCount();
  await simControl(sim, 'POST', 'docks/dock-002', { silent: true });
  const types: Array<'full' | 'flows' | 'nodes'> = ['full', 'flows', 'nodes'];
  await helper.load(ALL_NODES, fullFlow('v0'), credsFor(sim));
  for (let i = 1; i <= 12; i++) {
    const creates = await callCount(sim, CREATE);
    const presigns = await callCount(sim, PRESIGN);
    // Work in flight at the moment of the redeploy: a create, a wait, an upload (presign, PUT to
    // storage, presign), each of them under way at the platform.
    helper.getNode('slow').receive({ i });
    helper.getNode('wait').receive({ command_id: '00000000-0000-4000-8000-00000000000' + (i % 10) });
    helper.getNode('wl').receive({
      payload: [
        { latitude: 22.9, longitude: 113.7 },
        { latitude: 22.901, longitude: 113.7 + i / 1e4 },
      ],
    });
    await waitUntil(
      async () => (await callCount(sim, CREATE)) > creates && (await callCount(sim, PRESIGN)) > presigns,
      `redeploy ${i}: the create and the upload under way`,
    );
    await helper.setFlows(fullFlow(`v${i}`), types[i % types.length]!, credsFor(sim));
  }
  const config = helper.getNode('c1');
  assert.equal(config.userCount, 6, 'one registration per live user node');
  await eventStreamState(connectionOf());

  // The live flow still works, and emits once per message: a second message's output comes after
  // any duplicate of the first would have.
  const ok = collect('ok');
  helper.getNode('cmd').receive({ once: true });
  await ok.next();
  helper.getNode('cmd').receive({ later: true });
  await ok.waitFor(2);
  assert.equal(ok.messages.filter((m) => m.once).length, 1, 'no duplicate output after 12 redeploys');
  assert.equal(ok.messages.length, 2);

  await helper.unload();
  assert.equal(pooledAgentCount(), agentsBefore, 'the keep-alive agent was released');
  await leftBehind(baseline);
});

test('the config node opens one connection for all its users and closes it with the last one', async () => {
  await helper.load(ALL_NODES, fullFlow('v0'), credsFor(sim));
  const config = helper.getNode('c1');
  const connection = config.connection;
  assert.ok(connection, 'connection open while nodes use it');
  assert.equal(config.userCount, 6);
  // Remove every user node: the connection closes.
  await helper.setFlows(
    fullFlow('v0').filter((n: any) => ['t1', 'c1'].includes(n.id)),
    'nodes',
    credsFor(sim),
  );
  const config2 = helper.getNode('c1');
  assert.equal(config2.userCount, 0);
  assert.equal(config2.connection, undefined);
  assert.equal(connection.tracker.size, 0);
});

test('close finishes quickly even with waits in flight and the event broker unreachable', async () => {
  const flow = flowWith({
    sim,
    config: { eventBrokerUrl: 'mqtt://127.0.0.1:1' },
    nodes: [
      {
        id: 'wait',
        type: 'dji-status-wait',
        server: 'c1',
        commandId: 'command_id',
        commandIdType: 'msg',
        until: 'terminal',
        timeout: '600',
        timeoutType: 'num',
        wires: [[], [], []],
      },
    ],
  });
  await helper.load(ALL_NODES, flow, credsFor(sim));
  helper.getNode('wait').receive({ command_id: '00000000-0000-4000-8000-000000000001' });
  await badgeShown('wait', { text: 'waiting for the command' });
  const started = Date.now();
  await helper.unload();
  assert.ok(Date.now() - started < 3_000, `close took ${Date.now() - started} ms`);
});
