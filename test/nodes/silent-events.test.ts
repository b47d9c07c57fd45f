// The event stream stays connected but the broker stops forwarding the platform's events: no result
// may be lost. A real Node-RED runtime, the simulator's HTTP API and its MQTT broker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_NODES, collect, commandFlow, connectionOf, credsFor, helper, nodeRedForFile } from '../helpers/harness';
import { simControl, simulatorForFile } from '../helpers/simulator';
import { waitUntil } from '../helpers/wait';

const sim = simulatorForFile({ docks: 1, replyDelayMs: 200 });
nodeRedForFile({ afterEach: () => simControl(sim, 'POST', 'broker/events', { forwarding: true }) });

test('the broker silently stops forwarding: every command still ends with its result, found by the check after its timeout', async () => {
  const flow = commandFlow({ sim, props: { deviceId: 'dock-001', timeoutSeconds: 2 }, config: { eventBrokerUrl: sim.mqtt } });
  await helper.load(ALL_NODES, flow, credsFor(sim));
  const connection = connectionOf();
  await waitUntil(() => connection.tracker.eventHealth === 'healthy', 'the event stream connects');
  const ok = collect('ok');
  const bad = collect('bad');
  const caught = collect('caught');
  const n1 = helper.getNode('n1');
  // With events flowing, a result comes on its event.
  n1.receive({ seq: 'events' });
  await ok.next();
  assert.equal(connection.tracker.stats.endChecks, 0, 'the first result came on its event, not from the end check');
  // Forwarding stops; the connection stays up.
  await simControl(sim, 'POST', 'broker/events', { forwarding: false });
  assert.equal(connection.eventState, 'connected');
  for (let i = 0; i < 3; i++) n1.receive({ seq: i });
  const results = await ok.waitFor(4, 20_000);
  assert.deepEqual(results.slice(1).map((m) => m.seq).sort(), [0, 1, 2]);
  assert.ok(results.every((m) => m.status === 'SUCCEEDED'));
  assert.equal(bad.messages.length + caught.messages.length, 0, 'no wait ended at its deadline or with an error');
  // Each of the three was found by the one query just after its 2 s platform timeout (its deadline is 32 s).
  assert.ok(connection.tracker.stats.endChecks >= 3, `end checks: ${connection.tracker.stats.endChecks}`);
});
