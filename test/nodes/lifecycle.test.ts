// Redeploys leave nothing behind: no timers, sockets or listeners beyond the live nodes', no
// duplicate messages, and the shared connection is reference-counted.
import { after, afterEach, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { pooledAgentCount } from '../../src/core/http-transport';
import { ALL_NODES, SimProcess, collect, credsFor, flowWith, helper, simControl, sleep, startSimulatorProcess } from '../helpers/harness';

// The simulator runs in its own process here, so that every timer and socket counted below is ours.
let sim: SimProcess;

before(async () => {
  sim = await startSimulatorProcess(['--docks', '2', '--reply-delay-ms', '20']);
});
after(async () => {
  await sim.close();
});
beforeEach(() => helper.startServer());
afterEach(async () => {
  await simControl(sim, 'POST', 'docks/dock-002', { silent: false });
  await helper.unload();
  await helper.stopServer();
});

function resources(): { timers: number; sockets: number } {
  const info = process.getActiveResourcesInfo();
  return {
    timers: info.filter((r) => r === 'Timeout').length,
    sockets: info.filter((r) => r === 'TCPSocketWrap').length,
  };
}

async function settle(): Promise<void> {
  // Let closing sockets finish their FIN exchange.
  await sleep(300);
}

function fullFlow(label: string) {
  return flowWith({
    sim,
    config: { eventBrokerUrl: sim.mqtt },
    nodes: [
      { id: 'cmd', type: 'dji-command', name: label, server: 'c1', deviceId: 'dock-001', deviceIdType: 'str', commandType: 'debug_mode_open', commandTypeType: 'str', payload: '{}', payloadType: 'json', idempotencyKeyType: 'auto', timeoutSeconds: 30, waitForResult: true, wires: [['ok'], ['bad']] },
      { id: 'slow', type: 'dji-command', server: 'c1', deviceId: 'dock-002', deviceIdType: 'str', commandType: 'debug_mode_open', commandTypeType: 'str', payload: '{}', payloadType: 'json', idempotencyKeyType: 'auto', timeoutSeconds: 30, waitForResult: true, wires: [[], []] },
      { id: 'wait', type: 'dji-status-wait', server: 'c1', commandId: 'command_id', commandIdType: 'msg', until: 'terminal', timeout: '60', timeoutType: 'num', wires: [[], [], []] },
      { id: 'in', type: 'dji-request-in', server: 'c1', vendor: 'dji', pendingOnly: true, pollInterval: 1, wires: [['req']] },
      { id: 'rep', type: 'dji-request-reply', server: 'c1', requestId: 'request_id', requestIdType: 'msg', replyCode: 'APPROVED', replyCodeType: 'str', payloadType: 'none', wires: [[]] },
      { id: 'wl', type: 'dji-wayline', server: 'c1', bucket: 'tenant-media', objectKeyPrefix: 'waylines/', aircraft: 'M3D', speed: 10, height: 60, finishAction: 'goHome', lostLinkAction: 'goBack', takeOffSecurityHeight: 20, returnHomeHeight: 100, urlLifetime: 3600, wires: [[]] },
      { id: 'ok', type: 'helper' },
      { id: 'bad', type: 'helper' },
      { id: 'req', type: 'helper' },
    ],
  });
}

test('redeploys with commands and waits in flight leave no timers, sockets or listeners behind', async () => {
  await settle();
  const baseline = resources();
  const agentsBefore = pooledAgentCount();
  await simControl(sim, 'POST', 'docks/dock-002', { silent: true });
  const types: Array<'full' | 'flows' | 'nodes'> = ['full', 'flows', 'nodes'];
  await helper.load(ALL_NODES, fullFlow('v0'), credsFor(sim));
  for (let i = 1; i <= 12; i++) {
    // Work in flight at the moment of the redeploy.
    helper.getNode('slow').receive({ i });
    helper.getNode('wait').receive({ command_id: '00000000-0000-4000-8000-00000000000' + (i % 10) });
    // an upload (presign, PUT to storage, presign) in flight too
    helper.getNode('wl').receive({ payload: [{ latitude: 22.9, longitude: 113.7 }, { latitude: 22.901, longitude: 113.7 + i / 1e4 }] });
    await sleep(30);
    await helper.setFlows(fullFlow(`v${i}`), types[i % 3], credsFor(sim));
  }
  const config = helper.getNode('c1');
  assert.equal(config.userCount, 6, 'one registration per live user node');
  await sleep(500); // the event stream connects

  // The live flow still works, and emits once per message.
  const ok = collect('ok');
  helper.getNode('cmd').receive({ once: true });
  await ok.next();
  await sleep(400);
  assert.equal(ok.messages.length, 1, 'no duplicate output after 12 redeploys');

  await helper.unload();
  await settle();
  const now = resources();
  assert.equal(pooledAgentCount(), agentsBefore, 'the keep-alive agent was released');
  assert.ok(now.timers <= baseline.timers, `timers: ${now.timers} now vs ${baseline.timers} before`);
  assert.ok(now.sockets <= baseline.sockets, `sockets: ${now.sockets} now vs ${baseline.sockets} before`);
});

test('the config node opens one connection for all its users and closes it with the last one', async () => {
  await helper.load(ALL_NODES, fullFlow('v0'), credsFor(sim));
  const config = helper.getNode('c1');
  const connection = config.connection;
  assert.ok(connection, 'connection open while nodes use it');
  assert.equal(config.userCount, 6);
  // Remove every user node: the connection closes.
  await helper.setFlows(fullFlow('v0').filter((n: any) => ['t1', 'c1'].includes(n.id)), 'nodes', credsFor(sim));
  const config2 = helper.getNode('c1');
  assert.equal(config2.userCount, 0);
  assert.equal(config2.connection, undefined);
  assert.equal(connection.tracker.size, 0);
});

test('close finishes quickly even with waits in flight and the event broker unreachable', async () => {
  const flow = flowWith({
    sim,
    config: { eventBrokerUrl: 'mqtt://127.0.0.1:1' },
    nodes: [{ id: 'wait', type: 'dji-status-wait', server: 'c1', commandId: 'command_id', commandIdType: 'msg', until: 'terminal', timeout: '600', timeoutType: 'num', wires: [[], [], []] }],
  });
  await helper.load(ALL_NODES, flow, credsFor(sim));
  helper.getNode('wait').receive({ command_id: '00000000-0000-4000-8000-000000000001' });
  await sleep(100);
  const started = Date.now();
  await helper.unload();
  assert.ok(Date.now() - started < 3_000, `close took ${Date.now() - started} ms`);
});
