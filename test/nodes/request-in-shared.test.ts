// Several dji-request-in nodes on one connection, in a real Node-RED runtime against the simulator:
// the connection polls the platform's list once per round for all of them (counted by the
// simulator), and each node emits each request that matches its own filters exactly once.
// Rounds are observed as users see them: a status node reports every node's badge after each round.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { UtmosConnection } from '../../src/core/connection';
import { ALL_NODES, collect, connectionOf, credsFor, flowWith, helper, nodeRedForFile } from '../helpers/harness';
import { simulatorForFile } from '../helpers/simulator';
import { eventStreamState } from '../helpers/wait';

const LIST_CALLS = 'GET /api/v1/open/device-requests';
const DOCKS = 6;

const sim = simulatorForFile({ docks: DOCKS, replyDelayMs: 50 });
nodeRedForFile();

const listCalls = (): number => sim.control.counters().calls[LIST_CALLS] ?? 0;
const dock = (k: number) => `dock-00${k}`;

/** One node per dock (in1..in6, each to helper got1..got6), one for `config` from every dock (inAll → gotAll), and a status node on in1. */
function fleetFlow(pollInterval: number | undefined, config: Record<string, unknown> = {}): object[] {
  const requestIn = (id: string, deviceId: string, requestType: string, got: string) => ({
    id,
    type: 'dji-request-in',
    server: 'c1',
    vendor: 'dji',
    deviceId,
    requestType,
    pendingOnly: true,
    ...(pollInterval === undefined ? {} : { pollInterval }),
    wires: [[got]],
  });
  const nodes: object[] = [];
  for (let k = 1; k <= DOCKS; k++) nodes.push(requestIn(`in${k}`, dock(k), '', `got${k}`), { id: `got${k}`, type: 'helper' });
  nodes.push(requestIn('inAll', '', 'config', 'gotAll'), { id: 'gotAll', type: 'helper' });
  nodes.push({ id: 'st', type: 'status', scope: ['in1'], wires: [['rounds']] }, { id: 'rounds', type: 'helper' });
  return flowWith({ sim, config, nodes });
}

/** Counts the rounds that served in1 (its green "pending · emitted" badge) and waits for more, bounded. */
function roundsWatcher() {
  const rounds = collect('rounds');
  const served = () => rounds.messages.filter((m) => m.status?.fill === 'green' && m.status?.source?.id === 'in1').length;
  return {
    served,
    async next(n: number, timeoutMs = 15_000): Promise<void> {
      const target = served() + n;
      while (served() < target) await rounds.waitFor(rounds.messages.length + 1, timeoutMs);
    },
  };
}

const idsOf = (messages: any[]) => messages.map((m) => m.request_id).sort();

test('seven nodes on one connection: one list call per round for all, each node emits exactly its own requests once', async () => {
  await helper.load(ALL_NODES, fleetFlow(1), credsFor(sim));
  const rounds = roundsWatcher();
  // One collector per dock: got[k - 1] exists for every dock k of 1..DOCKS.
  const got = Array.from({ length: DOCKS }, (_, i) => collect(`got${i + 1}`));
  const gotAll = collect('gotAll');
  await rounds.next(1);
  const connection: UtmosConnection = connectionOf();
  assert.equal(connection.feed.subscriberCount, DOCKS + 1);

  const idleFrom = listCalls();
  await rounds.next(5);
  const idle = listCalls() - idleFrom;
  // Five rounds; one more call may be in flight when the count is read. Per-node polling would make 35.
  assert.ok(idle >= 5 && idle <= 6, `list calls over 5 idle rounds with 7 nodes: ${idle}`);

  const busyFrom = { calls: listCalls(), rounds: rounds.served() };
  const r1Config = await sim.control.raiseDeviceRequest(dock(1), { request_type: 'config' });
  const r2Resource = await sim.control.raiseDeviceRequest(dock(2), { request_type: 'flighttask_resource_get', data: { flight_id: 'f-1' } });
  const r3Config = await sim.control.raiseDeviceRequest(dock(3), { request_type: 'config' });
  const r1Topo = await sim.control.raiseDeviceRequest(dock(1), { request_type: 'update_topo' });
  await got[0]!.waitFor(2);
  await got[1]!.waitFor(1);
  await got[2]!.waitFor(1);
  await gotAll.waitFor(2);
  // Three more rounds after everything arrived: nothing may come twice or to a node it does not match.
  await rounds.next(3);

  assert.deepEqual(idsOf(got[0]!.messages), [r1Config.request_id, r1Topo.request_id].sort());
  assert.deepEqual(idsOf(got[1]!.messages), [r2Resource.request_id]);
  assert.deepEqual(idsOf(got[2]!.messages), [r3Config.request_id]);
  for (let k = 4; k <= DOCKS; k++) assert.deepEqual(got[k - 1]!.messages, [], `${dock(k)} had no request`);
  assert.deepEqual(idsOf(gotAll.messages), [r1Config.request_id, r3Config.request_id].sort(), 'config from every dock, once each');
  for (const [i, node] of got.entries()) for (const msg of node.messages) assert.equal(msg.device_id, dock(i + 1));

  const busyCalls = listCalls() - busyFrom.calls;
  const busyRounds = rounds.served() - busyFrom.rounds;
  assert.ok(busyCalls <= busyRounds + 1, `list calls ${busyCalls} for ${busyRounds} rounds while requests came in`);
});

test('with the event stream connected, rounds become a 60 s safety net and an event fetches the request at once', async () => {
  // The palette's default interval (5 s): without the event's round the waits below would not end in time.
  await helper.load(ALL_NODES, fleetFlow(undefined, { eventBrokerUrl: sim.mqtt }), credsFor(sim));
  const got4 = collect('got4');
  const gotAll = collect('gotAll');
  const rounds = roundsWatcher();
  const connection: UtmosConnection = connectionOf();
  await eventStreamState(connection);
  assert.equal(connection.feed.pollIntervalMs, 60_000);
  // The round a (re)connected stream starts, in case an event was missed meanwhile.
  await rounds.next(1);

  for (const type of ['config', 'update_topo']) {
    const before = { calls: listCalls(), rounds: rounds.served() };
    const raised = await sim.control.raiseDeviceRequest(dock(4), { request_type: type });
    const msg = await got4.next();
    assert.equal(msg.request_id, raised.request_id);
    await rounds.next(rounds.served() > before.rounds ? 0 : 1);
    assert.ok(listCalls() - before.calls <= 2, `one round for the event (${listCalls() - before.calls} list calls)`);
  }
  assert.equal(got4.messages.length, 2);
  assert.equal(gotAll.messages.length, 1, 'the config request reached the config node too, once');
});

test('a redeploy that removes nodes unsubscribes them; the ones left share the poll and still get each request once', async () => {
  const flow = fleetFlow(1);
  await helper.load(ALL_NODES, flow, credsFor(sim));
  const connection: UtmosConnection = connectionOf();
  await roundsWatcher().next(1);
  assert.equal(connection.feed.subscriberCount, DOCKS + 1);

  const kept = new Set(['in1', 'got1', 'in2', 'got2', 'st', 'rounds']);
  const smaller = flow.filter((n: any) => (!n.id.startsWith('in') && !n.id.startsWith('got')) || kept.has(n.id));
  await helper.setFlows(smaller, 'nodes', credsFor(sim));
  assert.equal(connectionOf(), connection, 'the connection (and its feed) lives on');
  assert.equal(connection.feed.subscriberCount, 2, 'the removed nodes left the feed');

  const got1 = collect('got1');
  const got2 = collect('got2');
  const rounds = roundsWatcher();
  const raised1 = await sim.control.raiseDeviceRequest(dock(1), { request_type: 'config' });
  const raised2 = await sim.control.raiseDeviceRequest(dock(2), { request_type: 'config' });
  await sim.control.raiseDeviceRequest(dock(5), { request_type: 'config' });
  await got1.waitFor(1);
  await got2.waitFor(1);
  const from = { calls: listCalls(), rounds: rounds.served() };
  await rounds.next(3);
  assert.deepEqual([idsOf(got1.messages), idsOf(got2.messages)], [[raised1.request_id], [raised2.request_id]]);
  assert.ok(listCalls() - from.calls <= rounds.served() - from.rounds + 1, 'still one call per round');

  await helper.setFlows(
    smaller.filter((n: any) => n.type !== 'dji-request-in'),
    'nodes',
    credsFor(sim),
  );
  assert.equal(connection.feed.subscriberCount, 0, 'the last node gone: nobody left to poll for');
});
