// 100 redeploys (full, flows and nodes in turn) with commands and waits in flight. The simulator
// runs in its own process so every timer and socket counted is ours. Afterwards: timers and sockets
// back at the baseline, one MQTT connection (one event client, hence one set of subscriptions at
// the broker) while the flow is live and none after, no process listeners or warnings added, no
// duplicate output, and every message a superseded node held got exactly one done() (counted with
// the runtime's onComplete hook, which fires for done() and done(err) alike, and a Complete node).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { UtmosClient } from '../../src/core/client';
import { pooledAgentCount } from '../../src/core/http-transport';
import { ALL_NODES, collect, connectionOf, credsFor, flowWith, helper, nodeRedForFile, showedBadge } from '../helpers/harness';
import { DJI_COMMAND_DEFAULTS } from '../helpers/node-defs';
import { leftBehind, resources, socketsTo } from '../helpers/resources';
import { callCount, simControl, simulatorForFile } from '../helpers/simulator';
import { eventStreamState, waitUntil } from '../helpers/wait';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const hooks = require('@node-red/util').hooks;

const sim = simulatorForFile({ docks: 2, replyDelayMs: 20 }, 'child process');
nodeRedForFile();
after(() => hooks.remove('onComplete.lifecycle100'));

/** Waits (bounded) for a count that settles asynchronously, e.g. sockets finishing their close handshake. */
async function settledCount(read: () => number, want: number, maxMs = 10_000): Promise<number> {
  await waitUntil(() => read() === want, `${want}`, maxMs).catch(() => undefined);
  return read();
}

const mqttSockets = () => socketsTo(Number(new URL(sim.mqtt).port));
const httpSockets = () => socketsTo(Number(new URL(sim.http).port));
const CREATE = 'POST /api/v1/open/downlink/commands';
const LISTENED = ['exit', 'SIGINT', 'SIGTERM', 'uncaughtException', 'unhandledRejection', 'warning', 'beforeExit'] as const;
const processListeners = () => Object.fromEntries(LISTENED.map((e) => [e, process.listenerCount(e)]));

function flow(v: number) {
  const label = `v${v}`;
  return flowWith({
    sim,
    config: { eventBrokerUrl: sim.mqtt },
    nodes: [
      { id: 'cmd', ...DJI_COMMAND_DEFAULTS, name: `fast ${label}`, wires: [['ok'], ['ok']] },
      { id: 'slow', ...DJI_COMMAND_DEFAULTS, name: `slow ${label}`, deviceId: 'dock-002', timeoutSeconds: 300, wires: [['ok'], ['ok']] },
      { id: 'wait', type: 'dji-status-wait', name: `wait ${label}`, server: 'c1', commandId: 'command_id', commandIdType: 'msg', until: 'terminal', timeout: '600', timeoutType: 'num', wires: [['ok'], ['ok'], ['ok']] },
      { id: 'in', type: 'dji-request-in', name: `in ${label}`, server: 'c1', vendor: 'dji', pendingOnly: true, pollInterval: 1, wires: [['req']] },
      { id: 'rep', type: 'dji-request-reply', name: `reply ${label}`, server: 'c1', requestId: 'request_id', requestIdType: 'msg', replyCode: 'APPROVED', replyCodeType: 'str', payloadType: 'none', wires: [['ok']] },
      { id: 'ok', type: 'helper' },
      { id: 'req', type: 'helper' },
      { id: 'done', type: 'complete', scope: ['slow', 'wait'], uncaught: false, wires: [['completed']] },
      { id: 'completed', type: 'helper' },
    ],
  });
}

test('100 redeploys with work in flight: nothing left behind, one done() per message, no duplicates', { timeout: 180_000 }, async () => {
  const baseline = resources();
  const listenersBefore = processListeners();
  const agentsBefore = pooledAgentCount();
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
  process.on('warning', onWarning);

  await simControl(sim, 'POST', 'docks/dock-002', { silent: true });
  // A real command that will not finish during the test (silent dock, 300 s), for the waits to hold.
  const api = new UtmosClient({ baseUrl: sim.http, apiId: sim.apiId, apiKey: sim.apiKey });
  const longRunning = (await api.createCommand({ device_id: 'dock-002', command_type: 'debug_mode_open', payload: {}, idempotency_key: 'lifecycle-100', timeout_seconds: 300 })).command_id;
  api.close();

  // Every done()/done(err) of the nodes under test, per message.
  const completions = new Map<number, number>();
  const sent = new Set<number>();
  hooks.add('onComplete.lifecycle100', (evt: any) => {
    const i = evt.msg?.lc_i;
    // Only the nodes under test (the Complete node completes the messages it receives too).
    if (typeof i === 'number' && (evt.node?.id === 'slow' || evt.node?.id === 'wait')) completions.set(i, (completions.get(i) ?? 0) + 1);
  });
  let completeNodeCount = 0;
  let n = 0;
  const types: Array<'full' | 'flows' | 'nodes'> = ['full', 'flows', 'nodes'];
  await helper.load(ALL_NODES, flow(0), credsFor(sim));
  helper.getNode('completed').on('input', () => completeNodeCount++);
  for (let v = 1; v <= 100; v++) {
    const creates = await callCount(sim, CREATE);
    for (const id of ['slow', 'wait']) {
      const i = n++;
      sent.add(i);
      helper.getNode(id).receive({ lc_i: i, command_id: longRunning });
    }
    // The create of `slow` has reached the platform (every tenth time: it was accepted) when the
    // redeploy comes.
    const accepted = v % 10 === 0;
    await waitUntil(
      async () => (accepted ? showedBadge('slow', { text: 'waiting for dock-002 (not delivered yet)' }) : (await callCount(sim, CREATE)) > creates),
      `redeploy ${v}: the create of slow ${accepted ? 'accepted' : 'at the platform'}`,
    );
    await helper.setFlows(flow(v), types[v % 3], credsFor(sim));
    helper.getNode('completed').on('input', () => completeNodeCount++);
  }
  assert.equal(helper.getNode('c1').userCount, 5, 'one registration per live user node');
  await eventStreamState(connectionOf());
  // A superseded event client may still be finishing its graceful MQTT disconnect (bounded at 2 s,
  // plus the broker's side of the close on a loaded machine).
  const liveMqtt = await settledCount(mqttSockets, 1);
  assert.equal(liveMqtt, 1, 'exactly one MQTT connection (the live event client) after 100 redeploys');

  // The live flow works and emits once.
  const ok = collect('ok');
  helper.getNode('cmd').receive({ once: true });
  await ok.waitFor(1, 15_000);
  // A duplicate of the first output would come before the output of a message sent after it.
  helper.getNode('cmd').receive({ later: true });
  await ok.waitUntil((m) => m.later, 15_000);
  assert.equal(ok.messages.filter((m) => m.once).length, 1, 'no duplicate output after 100 redeploys');
  assert.equal(ok.messages.filter((m) => typeof m.lc_i === 'number').length, 0, 'no superseded message was emitted late');

  await helper.unload();
  hooks.remove('onComplete.lifecycle100');
  process.off('warning', onWarning);

  const missing = [...sent].filter((i) => (completions.get(i) ?? 0) === 0);
  const twice = [...sent].filter((i) => (completions.get(i) ?? 0) > 1);
  assert.deepEqual(missing, [], `messages without done(): ${missing.length} of ${sent.size}`);
  assert.deepEqual(twice, [], 'no message completed twice');
  assert.ok(completeNodeCount > 0, `the Complete node saw the waits that ended with done() (${completeNodeCount})`);

  assert.equal(await settledCount(mqttSockets, 0), 0, 'no MQTT connection left');
  assert.equal(await settledCount(httpSockets, 0), 0, 'no HTTP connection to the platform left');
  assert.equal(pooledAgentCount(), agentsBefore, 'the keep-alive agent was released');
  await leftBehind(baseline);
  assert.deepEqual(processListeners(), listenersBefore, 'no process listeners added');
  assert.deepEqual(warnings, [], 'no MaxListenersExceeded or other process warnings');
  await simControl(sim, 'POST', 'docks/dock-002', { silent: false });
});
