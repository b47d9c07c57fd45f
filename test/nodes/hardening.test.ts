// Hardening in a real Node-RED runtime against the simulator: one failure seen by several nodes,
// URLs with user info, and a broker URL that carries a password.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { ALL_NODES, collect, commandFlow, credsFor, flowWith, helper, nodeRedForFile } from '../helpers/harness';
import { simulatorForFile } from '../helpers/simulator';

const sim = simulatorForFile({ docks: 1, replyDelayMs: 20 });
nodeRedForFile();

/** Everything the runtime showed: log lines, status badges of the given nodes. */
function shown(nodeIds: string[]): string {
  const logs = helper.log().args.map((a: unknown[]) => inspect(a, { depth: 6 }));
  const statuses = nodeIds.flatMap((id) => helper.getNode(id).status.args.map((a: unknown[]) => JSON.stringify(a)));
  return [...logs, ...statuses].join('\n');
}

test('two dji-status-wait nodes waiting for the same command that fails: each error names the command once', async () => {
  const wait = (id: string) => ({ id, type: 'dji-status-wait', server: 'c1', commandId: 'command_id', commandIdType: 'msg', until: 'terminal', timeout: '10', timeoutType: 'num', wires: [[], [], []] });
  await helper.load(
    ALL_NODES,
    flowWith({
      sim,
      nodes: [wait('w1'), wait('w2'), { id: 'k1', type: 'catch', scope: ['w1', 'w2'], uncaught: false, wires: [['caught']] }, { id: 'caught', type: 'helper' }],
    }),
    credsFor(sim),
  );
  const caught = collect('caught');
  const id = '00000000-0000-0000-0000-00000000dead';
  helper.getNode('w1').receive({ command_id: id });
  helper.getNode('w2').receive({ command_id: id });
  const msgs = await caught.waitFor(2);
  for (const m of msgs) {
    assert.equal(m.error.message.split(`command ${id}:`).length - 1, 1, m.error.message);
    assert.equal(m.error.message, `The platform knows no command ${id}: check the command_id`);
    assert.equal(m.utmos_error.code, 'COMMAND_NOT_FOUND');
    assert.equal(m.utmos_error.http_status, 404);
  }
  assert.deepEqual(msgs.map((m) => m.error.source.id).sort(), ['w1', 'w2']);
});

test('a baseUrl with user info and an invalid port: the password is in no error text, badge or log line', async () => {
  const secret = 'pw-in-base-url-4242';
  await helper.load(ALL_NODES, commandFlow({ sim, config: { baseUrl: `https://operator:${secret}@dev.utmos.dev:99999` }, props: { timeoutSeconds: 10 } }), credsFor(sim));
  const caught = collect('caught');
  helper.getNode('n1').receive({ payload: 1 });
  const msg = await caught.next();
  assert.match(msg.error.message, /^The UTMOS connection cannot be used: The base URL must not contain user info/);
  assert.equal(msg.utmos_error.code, 'CONNECTION_INVALID');
  assert.ok(!JSON.stringify(msg).includes(secret), JSON.stringify(msg));
  assert.ok(helper.getNode('n1').status.calledWithMatch({ fill: 'red' }));
  assert.ok(!shown(['n1']).includes(secret), 'no log line or badge shows the password');
});

test('a broker URL with a password is refused with a message that says where the password goes', async () => {
  const secret = 'pw-in-broker-url-4242';
  const brokerUrl = sim.mqtt.replace('mqtt://', `mqtt://events:${secret}@`);
  await helper.load(ALL_NODES, commandFlow({ sim, config: { eventBrokerUrl: brokerUrl }, props: { timeoutSeconds: 10 } }), credsFor(sim));
  const caught = collect('caught');
  const outputs = [collect('ok'), collect('bad')];
  helper.getNode('n1').receive({ payload: 1 });
  const msg = await caught.next();
  assert.match(msg.error.message, /The event broker URL must not contain a password/);
  assert.match(msg.error.message, /Password field of the event stream in the utmos-config node/);
  assert.ok(!JSON.stringify(msg).includes(secret), JSON.stringify(msg));
  assert.equal(outputs[0].messages.length + outputs[1].messages.length, 0, 'nothing was sent with a refused configuration');
  assert.ok(!shown(['n1']).includes(secret), 'no log line or badge shows the password');
});
