// dji-command in a real Node-RED runtime against the real simulator: how results are detected,
// with many commands at once, under 429s, and through the event stream (which is only a hint).
import { describe, test } from 'node:test';
import { performance } from 'node:perf_hooks';
import mqtt from 'mqtt';
import assert from 'node:assert/strict';
import { ALL_NODES, badgeShown, collect, connectionOf, credsFor, helper, totalOf } from '../helpers/harness';
import { djiCommandFile } from './dji-command-file';
import { simCounters } from '../helpers/simulator';
import { eventStreamState, withTimeout } from '../helpers/wait';

const { sim, flow } = djiCommandFile();

test('50 concurrent commands through one node: each message emitted exactly once with its own msg', async () => {
  await helper.load(ALL_NODES, flow({ commandType: 'debug_mode_open', deviceId: 'dock-003' }), credsFor(sim));
  const ok = collect('ok');
  const bad = collect('bad');
  const n1 = helper.getNode('n1');
  for (let i = 0; i < 50; i++) n1.receive({ seq: i });
  await totalOf([ok, bad], 50, 20_000);
  // A duplicate of any of them would come before the outcome of a message sent after them all.
  n1.receive({ marker: true });
  await ok.waitUntil((m) => m.marker);
  const all = [...ok.messages, ...bad.messages].filter((m) => !m.marker);
  assert.equal(all.length, 50, 'exactly 50 outputs');
  assert.equal(bad.messages.length, 0);
  assert.deepEqual(all.map((m) => m.seq).sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i));
  assert.equal(new Set(all.map((m) => m.command_id)).size, 50);
  for (const m of all) assert.equal(m.payload.command_id, m.command_id);
});

test('429s on status queries: the tracker lowers its rate and every message still ends once, with one create each', async () => {
  await helper.load(ALL_NODES, flow({ deviceId: 'dock-002' }), credsFor(sim));
  const connection = helper.getNode('c1').connection;
  assert.equal(connection.tracker.allowedRequestsPerSecond, 100, 'the default cap');
  // The platform throttles the next 6 status queries, asking for a 1 s pause.
  sim.control.addFault({ status: 429, count: 6, code: 'RATE_LIMITED', retry_after: 1, match: 'GET /api/v1/open/downlink/commands/' });
  const ok = collect('ok');
  const bad = collect('bad');
  const caught = collect('caught');
  const before = await simCounters(sim);
  const n1 = helper.getNode('n1');
  for (let i = 0; i < 10; i++) n1.receive({ seq: i });
  await totalOf([ok, bad, caught], 10, 30_000);
  // A duplicate of any of them would come before the outcome of a message sent after them all.
  n1.receive({ marker: true });
  await totalOf([ok, bad, caught], 11, 30_000);
  const outputs = ok.messages.filter((m) => !m.marker);
  assert.equal(outputs.length, 10, `outputs: ${outputs.length} ok, ${bad.messages.length} failed, ${caught.messages.length} errors`);
  assert.deepEqual(outputs.map((m) => m.seq).sort((a, b) => a - b), Array.from({ length: 10 }, (_, i) => i));
  const after = await simCounters(sim);
  assert.equal(after.calls['POST /api/v1/open/downlink/commands'] - (before.calls['POST /api/v1/open/downlink/commands'] ?? 0), 11, 'one create per message (and the marker)');
  assert.ok(connection.tracker.stats.rateLimited >= 1, 'the 429s reached the tracker');
  assert.ok(connection.tracker.allowedRequestsPerSecond < 100, `rate in use after 429s: ${connection.tracker.allowedRequestsPerSecond}/s`);
  // The operator sees it in the log, once (not once per 429).
  const warnings = helper.getNode('c1').warn.getCalls().map((c: any) => String(c.args[0])).filter((t: string) => t.includes('429'));
  assert.equal(warnings.length, 1, `warnings: ${JSON.stringify(warnings)}`);
  assert.match(warnings[0], /slowed to \d+\/s of 100\/s/);
});

describe('event stream', () => {
  async function detectionLatencies(config: Record<string, unknown>, count: number): Promise<{ latencies: number[]; calls: number }> {
    await helper.load(ALL_NODES, flow({ commandType: 'debug_mode_open', deviceId: 'dock-001' }, config), credsFor(sim));
    await sim.control.configureDock('dock-001', { reply_delay_ms: 400 });
    const ok = collect('ok');
    if (config.eventBrokerUrl) await eventStreamState(connectionOf());
    const before = (await simCounters(sim)).total_calls;
    const latencies: number[] = [];
    for (let i = 0; i < count; i++) {
      helper.getNode('n1').receive({ i });
      const msg = await ok.next();
      const received = performance.timeOrigin + performance.now();
      const internal = sim.control.getCommand(msg.command_id) as { terminal_at_ms: number };
      latencies.push(received - internal.terminal_at_ms);
    }
    const calls = (await simCounters(sim)).total_calls - before;
    await helper.unload();
    return { latencies, calls };
  }

  test('with the event stream a command completes sooner after the dock answers, with fewer calls', async () => {
    const poll = await detectionLatencies({}, 5);
    const push = await detectionLatencies({ eventBrokerUrl: sim.mqtt }, 5);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    assert.ok(mean(push.latencies) < mean(poll.latencies), `push ${mean(push.latencies).toFixed(1)} ms vs poll ${mean(poll.latencies).toFixed(1)} ms`);
    assert.ok(push.calls <= 5 * 2 + 1, `push used ${push.calls} calls for 5 commands`);
    assert.ok(push.calls < poll.calls, `push ${push.calls} calls vs poll ${poll.calls}`);
  });

  test('the badge shows the event stream connecting, then connected, on an idle node', async () => {
    await helper.load(ALL_NODES, flow({}, { eventBrokerUrl: sim.mqtt }), credsFor(sim));
    const n1 = helper.getNode('n1');
    await badgeShown('n1', { text: 'events connected' });
    assert.ok(n1.status.calledWithMatch({ fill: 'green', text: 'events connected' }));
    assert.equal(n1.status.lastCall.args[0].text, 'events connected', 'not left at "events: connecting"');
  });

  test('a forged command.completed event cannot complete a command or put data into the flow', async () => {
    await sim.control.configureDock('dock-002', { silent: true });
    await helper.load(ALL_NODES, flow({ deviceId: 'dock-002', timeoutSeconds: 2 }, { eventBrokerUrl: sim.mqtt }), credsFor(sim));
    const ok = collect('ok');
    const bad = collect('bad');
    await eventStreamState(connectionOf());
    helper.getNode('n1').receive({});
    // Learn the command id from the simulator's accepted event, then forge a completion for it.
    const client = await mqtt.connectAsync(sim.mqtt);
    const accepted = new Promise<any>((resolve) => {
      client.on('message', (_t, p) => resolve(JSON.parse(p.toString())));
    });
    await client.subscribeAsync(`tenant/${sim.tenantId}/command/accepted`);
    helper.getNode('n1').receive({ second: true });
    const event = await withTimeout(accepted, 10_000, 'the command.accepted event');
    await client.publishAsync(
      `tenant/${sim.tenantId}/command/completed`,
      JSON.stringify({ event_type: 'command.completed', command_id: event.command_id, status: 'SUCCEEDED', injected: 'evil' }),
      { qos: 1 },
    );
    await client.endAsync();
    // Both commands time out at the platform (2 s), well after the forged event went by.
    const timedOut = await bad.waitFor(2, 10_000);
    assert.equal(ok.messages.length, 0, 'the forged SUCCEEDED did not reach output 1');
    for (const m of timedOut) {
      assert.equal(m.status, 'TIMED_OUT');
      assert.equal(m.payload.injected, undefined);
    }
  });
});
