// dji-command in a real Node-RED runtime (node-red-node-test-helper) against the real simulator.
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import mqtt from 'mqtt';
import type { Simulator } from '../../sim';
import { ALL_NODES, collect, credsFor, flowWith, helper, simCounters, sleep, withSimulator } from '../helpers/harness';
import { DJI_COMMAND_DEFAULTS } from '../helpers/node-defs';

let sim: Simulator;

before(async () => {
  sim = await withSimulator({ docks: 3, replyDelayMs: 30 });
});
after(async () => {
  await sim.close();
});
beforeEach(() => helper.startServer());
afterEach(async () => {
  sim.control.clearFaults();
  for (const sn of sim.dockSns) await sim.control.configureDock(sn, { silent: false, failure_rate: 0, reply_mode: 'normal', reply_delay_ms: 30 });
  await helper.unload();
  await helper.stopServer();
});

function commandFlow(props: Record<string, unknown> = {}, config: Record<string, unknown> = {}) {
  return flowWith({
    sim,
    config,
    nodes: [
      { id: 'n1', ...DJI_COMMAND_DEFAULTS, wires: [['ok'], ['bad']], ...props },
      { id: 'ok', type: 'helper' },
      { id: 'bad', type: 'helper' },
      { id: 'k1', type: 'catch', scope: ['n1'], uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ],
  });
}

describe('outputs', () => {
  test('SUCCEEDED goes to output 1 with command_id, status and the full status object; the msg is kept', async () => {
    await helper.load(ALL_NODES, commandFlow(), credsFor(sim));
    const ok = collect('ok');
    helper.getNode('n1').receive({ topic: 'mission-7', custom: { a: 1 } });
    const msg = await ok.next();
    assert.equal(msg.status, 'SUCCEEDED');
    assert.match(msg.command_id, /^[0-9a-f-]{36}$/);
    assert.equal(msg.payload.command_id, msg.command_id);
    assert.equal(msg.payload.status, 'SUCCEEDED');
    assert.equal(msg.payload.command_type, 'debug_mode_open');
    assert.equal(msg.payload.response_code, '0');
    assert.equal(msg.topic, 'mission-7');
    assert.deepEqual(msg.custom, { a: 1 });
    assert.ok(helper.getNode('n1').status.calledWithMatch({ text: 'SUCCEEDED' }));
  });

  test('a device failure goes to output 2 with response_code and an (empty) response_message (not an error)', async () => {
    await helper.load(ALL_NODES, commandFlow({ commandType: 'camera_recording_start', payload: '{"payload_index":"80-0-0"}', deviceId: 'dock-002' }), credsFor(sim));
    const ok = collect('ok');
    const bad = collect('bad');
    const caught = collect('caught');
    helper.getNode('n1').receive({ payload: 1 });
    await ok.next();
    helper.getNode('n1').receive({ payload: 2 });
    const failed = await bad.next();
    assert.equal(failed.status, 'FAILED');
    assert.equal(failed.payload.response_code, '327007');
    assert.equal(failed.payload.response_message, '', 'docks send result and output, no message');
    assert.equal(failed.payload.failure_code, 'DEVICE_EXECUTION_FAILED');
    assert.equal(failed.utmos_error.message, 'camera_recording_start failed on dock-002: the camera could not start recording');
    assert.equal(failed.utmos_error.dji_code, 327007);
    assert.equal(failed.utmos_error.code, 'DEVICE_EXECUTION_FAILED');
    assert.ok(helper.getNode('n1').status.calledWithMatch({ fill: 'yellow', text: 'FAILED: recording not started' }));
    await sleep(50);
    assert.equal(caught.messages.length, 0, 'a device failure is not a node error');
  });

  test('a platform TIMED_OUT goes to output 2', async () => {
    await helper.load(ALL_NODES, commandFlow({ deviceId: 'drone-999', timeoutSeconds: 1 }), credsFor(sim));
    const bad = collect('bad');
    helper.getNode('n1').receive({});
    const msg = await bad.waitFor(1, 8_000).then((m) => m[0]);
    assert.equal(msg.status, 'TIMED_OUT');
    assert.match(msg.utmos_error.message, /^drone-999 did not receive debug_mode_open within \d+ s: the serial number may be wrong or the device offline/);
    assert.ok(helper.getNode('n1').status.calledWithMatch({ text: 'waiting for drone-999 (not delivered yet)' }));
  });

  test('UNMATCHED_RESPONSE goes to output 2', async () => {
    await sim.control.configureDock('dock-003', { reply_mode: 'wrong_tid' });
    await helper.load(ALL_NODES, commandFlow({ deviceId: 'dock-003' }), credsFor(sim));
    const bad = collect('bad');
    helper.getNode('n1').receive({});
    const msg = await bad.next();
    assert.equal(msg.status, 'UNMATCHED_RESPONSE');
    assert.match(msg.utmos_error.message, /^dock-003 answered debug_mode_open with a reply the platform could not match/);
  });

  test('without waitForResult it emits on acceptance on output 1', async () => {
    await helper.load(ALL_NODES, commandFlow({ waitForResult: false }), credsFor(sim));
    const ok = collect('ok');
    helper.getNode('n1').receive({});
    const msg = await ok.next();
    assert.equal(msg.status, 'ACCEPTED');
    assert.equal(msg.payload.command_id, msg.command_id);
  });
});

describe('idempotency', () => {
  test('a response lost after the platform accepted still makes one command', async () => {
    await helper.load(ALL_NODES, commandFlow(), credsFor(sim));
    const ok = collect('ok');
    const before = (await simCounters(sim)).commands_created;
    sim.control.addDrop({ count: 1, phase: 'after', match: 'POST /api/v1/open/downlink/commands' });
    helper.getNode('n1').receive({});
    await ok.next();
    assert.equal((await simCounters(sim)).commands_created - before, 1);
  });

  test('two input messages make two commands', async () => {
    await helper.load(ALL_NODES, commandFlow(), credsFor(sim));
    const ok = collect('ok');
    const before = (await simCounters(sim)).commands_created;
    helper.getNode('n1').receive({ n: 1 });
    helper.getNode('n1').receive({ n: 2 });
    const [a, b] = await ok.waitFor(2);
    assert.notEqual(a.command_id, b.command_id);
    assert.equal((await simCounters(sim)).commands_created - before, 2);
  });

  test('the same user-supplied key twice makes one command', async () => {
    await helper.load(ALL_NODES, commandFlow({ idempotencyKey: 'key', idempotencyKeyType: 'msg' }), credsFor(sim));
    const ok = collect('ok');
    const before = (await simCounters(sim)).commands_created;
    helper.getNode('n1').receive({ key: 'mission-42-debug-open' });
    helper.getNode('n1').receive({ key: 'mission-42-debug-open' });
    const [a, b] = await ok.waitFor(2);
    assert.equal(a.command_id, b.command_id);
    assert.equal(a.idempotency_key, 'mission-42-debug-open');
    assert.equal((await simCounters(sim)).commands_created - before, 1);
  });
});

describe('bad input and platform errors reach Catch nodes', () => {
  test('payload validation errors name the field and nothing is sent', async () => {
    await helper.load(ALL_NODES, commandFlow({ commandType: 'camera_recording_start', payload: '{}' }), credsFor(sim));
    const caught = collect('caught');
    const before = (await simCounters(sim)).total_calls;
    helper.getNode('n1').receive({ _msgid: 'm1' });
    const msg = await caught.next();
    assert.match(msg.error.message, /payload_index/);
    assert.equal(msg.utmos_error.code, 'INVALID_INPUT');
    assert.equal(msg.utmos_error.field, 'payload.payload_index');
    assert.equal((await simCounters(sim)).total_calls, before);
  });

  test('a command that is not a DJI method name is refused locally with suggestions; nothing is sent', async () => {
    await helper.load(ALL_NODES, commandFlow({ commandType: 'Cover-Open' }), credsFor(sim));
    const caught = collect('caught');
    const before = (await simCounters(sim)).total_calls;
    helper.getNode('n1').receive({});
    const msg = await caught.next();
    assert.equal(msg.error.message, 'The command name "Cover-Open" is not a DJI method name (lower-case letters, digits and "_", like "cover_open"): did you mean cover_open?');
    assert.equal(msg.utmos_error.field, 'commandType');
    assert.equal((await simCounters(sim)).total_calls, before);
  });

  test('a DJI method name the catalogue lacks is sent (one warning per node); the platform\'s 400 UNSUPPORTED_COMMAND is a catchable error naming it, with suggestions', async () => {
    await helper.load(ALL_NODES, commandFlow({ commandType: 'cover_opn', payload: '{"anything":[1,{"goes":true}]}' }), credsFor(sim));
    const caught = collect('caught');
    const creates = async () => (await simCounters(sim)).calls['POST /api/v1/open/downlink/commands'];
    const before = await creates();
    const n1 = helper.getNode('n1');
    n1.receive({});
    n1.receive({});
    const [first, second] = await caught.waitFor(2);
    assert.equal(await creates(), before + 2, 'both reached the platform');
    for (const msg of [first, second]) {
      assert.equal(
        msg.error.message,
        'The platform does not accept Command "cover_opn" for dock-001: check the method name (did you mean cover_open?), and that the dock model and firmware support it',
      );
      assert.ok(msg.utmos_error.platform_message, 'what the platform said is kept in the details');
      assert.equal(msg.utmos_error.code, 'UNSUPPORTED_COMMAND');
      assert.equal(msg.utmos_error.http_status, 400);
    }
    const warnings = n1.warn.getCalls().map((c: any) => c.args[0]);
    assert.deepEqual(
      warnings,
      ['cover_opn is not in the DJI command catalogue of this node: it is sent as it is, without payload checks. If the platform does not accept it, the command fails with UNSUPPORTED_COMMAND.'],
      'warned once, through i18n',
    );
    assert.ok(n1.status.calledWithMatch({ fill: 'red', text: 'command not supported' }));
  });

  test('a missing device id from msg names the field', async () => {
    await helper.load(ALL_NODES, commandFlow({ deviceId: 'dock', deviceIdType: 'msg' }), credsFor(sim));
    const caught = collect('caught');
    helper.getNode('n1').receive({});
    const msg = await caught.next();
    assert.match(msg.error.message, /^Device is required: set it in the node or pass it in the message/);
    assert.equal(msg.utmos_error.field, 'deviceId');
  });

  test('a platform auth error carries code and request_id; the badge shows it', async () => {
    await helper.load(ALL_NODES, commandFlow(), { c1: { apiId: sim.apiId, apiKey: 'not-the-key' } });
    const caught = collect('caught');
    helper.getNode('n1').receive({});
    const msg = await caught.next();
    assert.match(msg.error.message, /^The platform rejected the request signature: check the API ID and API key in the utmos-config node/);
    assert.equal(msg.utmos_error.code, 'SIGNATURE_INVALID');
    assert.equal(msg.utmos_error.http_status, 401);
    assert.match(msg.utmos_error.request_id, /\S+/);
    assert.equal(msg.utmos_error.message, msg.error.message);
    assert.ok(!JSON.stringify(msg).includes('not-the-key'));
    assert.ok(helper.getNode('n1').status.calledWithMatch({ fill: 'red', text: 'API key rejected' }));
  });

  test('retries exhausted on 5xx end in a catchable error', async () => {
    sim.control.addFault({ status: 503, count: 20, match: 'POST /api/v1/open/downlink/commands' });
    await helper.load(ALL_NODES, commandFlow(), credsFor(sim));
    const caught = collect('caught');
    helper.getNode('n1').receive({});
    const msg = await caught.waitFor(1, 15_000).then((m) => m[0]);
    assert.match(msg.error.message, /^The platform had an internal error \(HTTP 503\) while sending the command, 4 attempt\(s\): retry later$/);
    assert.equal(msg.utmos_error.http_status, 503);
    assert.equal(msg.utmos_error.attempts, 4);
  });

  test('a config node with a plain-http remote baseUrl is refused: https is required except for loopback', async () => {
    await helper.load(ALL_NODES, commandFlow({}, { baseUrl: 'http://example.com' }), credsFor(sim));
    const caught = collect('caught');
    assert.ok(helper.getNode('n1').status.calledWithMatch({ fill: 'red', text: 'connection config invalid' }));
    helper.getNode('n1').receive({});
    const msg = await caught.next();
    assert.match(msg.error.message, /^The UTMOS connection cannot be used: The base URL must use https:\/\//);
    assert.equal(msg.utmos_error.code, 'CONNECTION_INVALID');
  });

  test('a node without a config node fails each message clearly', async () => {
    const flow = commandFlow({ server: '' });
    await helper.load(ALL_NODES, flow, credsFor(sim));
    const caught = collect('caught');
    helper.getNode('n1').receive({});
    const msg = await caught.next();
    assert.equal(msg.error.message, 'No UTMOS connection is selected: open the node and choose or create one');
    assert.equal(msg.utmos_error.code, 'NO_CONNECTION');
    assert.ok(helper.getNode('n1').status.calledWithMatch({ fill: 'red', text: 'no connection configured' }));
  });
});

test('50 concurrent commands through one node: each message emitted exactly once with its own msg', async () => {
  await helper.load(ALL_NODES, commandFlow({ commandType: 'debug_mode_open', deviceId: 'dock-003' }), credsFor(sim));
  const ok = collect('ok');
  const bad = collect('bad');
  const n1 = helper.getNode('n1');
  for (let i = 0; i < 50; i++) n1.receive({ seq: i });
  const deadline = Date.now() + 20_000;
  while (ok.messages.length + bad.messages.length < 50 && Date.now() < deadline) await sleep(20);
  await sleep(300);
  const all = [...ok.messages, ...bad.messages];
  assert.equal(all.length, 50, 'exactly 50 outputs');
  assert.equal(bad.messages.length, 0);
  assert.deepEqual(all.map((m) => m.seq).sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i));
  assert.equal(new Set(all.map((m) => m.command_id)).size, 50);
  for (const m of all) assert.equal(m.payload.command_id, m.command_id);
});

test('429s on status queries: the tracker lowers its rate and every message still ends once, with one create each', async () => {
  await helper.load(ALL_NODES, commandFlow({ deviceId: 'dock-002' }), credsFor(sim));
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
  const deadline = Date.now() + 30_000;
  while (ok.messages.length + bad.messages.length + caught.messages.length < 10 && Date.now() < deadline) await sleep(20);
  await sleep(300);
  assert.equal(ok.messages.length, 10, `outputs: ${ok.messages.length} ok, ${bad.messages.length} failed, ${caught.messages.length} errors`);
  assert.deepEqual(ok.messages.map((m) => m.seq).sort((a, b) => a - b), Array.from({ length: 10 }, (_, i) => i));
  const after = await simCounters(sim);
  assert.equal(after.calls['POST /api/v1/open/downlink/commands'] - (before.calls['POST /api/v1/open/downlink/commands'] ?? 0), 10, 'one create per message');
  assert.ok(connection.tracker.stats.rateLimited >= 1, 'the 429s reached the tracker');
  assert.ok(connection.tracker.allowedRequestsPerSecond < 100, `rate in use after 429s: ${connection.tracker.allowedRequestsPerSecond}/s`);
  // The operator sees it in the log, once (not once per 429).
  const warnings = helper.getNode('c1').warn.getCalls().map((c: any) => String(c.args[0])).filter((t: string) => t.includes('429'));
  assert.equal(warnings.length, 1, `warnings: ${JSON.stringify(warnings)}`);
  assert.match(warnings[0], /slowed to \d+\/s of 100\/s/);
});

describe('event stream', () => {
  async function detectionLatencies(config: Record<string, unknown>, count: number): Promise<{ latencies: number[]; calls: number }> {
    await helper.load(ALL_NODES, commandFlow({ commandType: 'debug_mode_open', deviceId: 'dock-001' }, config), credsFor(sim));
    await sim.control.configureDock('dock-001', { reply_delay_ms: 400 });
    const ok = collect('ok');
    // Give the event stream time to connect.
    await sleep(300);
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
    await helper.load(ALL_NODES, commandFlow({}, { eventBrokerUrl: sim.mqtt }), credsFor(sim));
    const n1 = helper.getNode('n1');
    for (let i = 0; i < 50 && !n1.status.calledWithMatch({ text: 'events connected' }); i++) await sleep(50);
    assert.ok(n1.status.calledWithMatch({ fill: 'green', text: 'events connected' }));
    assert.equal(n1.status.lastCall.args[0].text, 'events connected', 'not left at "events: connecting"');
  });

  test('a forged command.completed event cannot complete a command or put data into the flow', async () => {
    await sim.control.configureDock('dock-002', { silent: true });
    await helper.load(ALL_NODES, commandFlow({ deviceId: 'dock-002', timeoutSeconds: 2 }, { eventBrokerUrl: sim.mqtt }), credsFor(sim));
    const ok = collect('ok');
    const bad = collect('bad');
    await sleep(300);
    helper.getNode('n1').receive({});
    // Learn the command id from the simulator's accepted event, then forge a completion for it.
    const client = await mqtt.connectAsync(sim.mqtt);
    const accepted = new Promise<any>((resolve) => {
      client.on('message', (_t, p) => resolve(JSON.parse(p.toString())));
    });
    await client.subscribeAsync(`tenant/${sim.tenantId}/command/accepted`);
    helper.getNode('n1').receive({ second: true });
    const event = await accepted;
    await client.publishAsync(
      `tenant/${sim.tenantId}/command/completed`,
      JSON.stringify({ event_type: 'command.completed', command_id: event.command_id, status: 'SUCCEEDED', injected: 'evil' }),
      { qos: 1 },
    );
    await sleep(400);
    assert.equal(ok.messages.length, 0, 'the forged SUCCEEDED did not reach output 1');
    await client.endAsync();
    const timedOut = await bad.waitFor(2, 10_000);
    for (const m of timedOut) {
      assert.equal(m.status, 'TIMED_OUT');
      assert.equal(m.payload.injected, undefined);
    }
  });
});

describe('the payload a node sends, and the editor check of a static payload', () => {
  test('a flow saved without payloadType (the old default) still reads msg.payload', async () => {
    const flow = commandFlow().map((n: any) => {
      if (n.id !== 'n1') return n;
      const { payload, payloadType, ...old } = n;
      void payload;
      void payloadType;
      return old;
    });
    await helper.load(ALL_NODES, flow, credsFor(sim));
    const ok = collect('ok');
    const caught = collect('caught');
    helper.getNode('n1').receive({ payload: {} });
    assert.equal((await ok.next()).status, 'SUCCEEDED');
    helper.getNode('n1').receive({ payload: 1717171717171 });
    const err = await caught.next();
    assert.equal(err.utmos_error.field, 'payload', 'a timestamp in msg.payload is refused, as before');
  });

  test('a node as the palette makes it (JSON template payload) works with an inject timestamp in front', async () => {
    await helper.load(ALL_NODES, commandFlow({ payload: '{}', payloadType: 'json' }), credsFor(sim));
    const ok = collect('ok');
    helper.getNode('n1').receive({ payload: 1717171717171 });
    assert.equal((await ok.next()).status, 'SUCCEEDED');
  });

  test('POST /utmos-dji/payload-check answers with the very message the node raises', async () => {
    await helper.load(ALL_NODES, commandFlow({ commandType: 'camera_recording_start', payload: '{"payload_index":"80-0"}' }), credsFor(sim));
    const caught = collect('caught');
    helper.getNode('n1').receive({});
    const raised = await caught.next();
    const check = (body: object) => helper.request().post('/utmos-dji/payload-check').send(body).expect(200).then((r: any) => r.body);
    assert.deepEqual(await check({ commandType: 'camera_recording_start', payload: '{"payload_index":"80-0"}' }), {
      ok: false,
      field: raised.utmos_error.field,
      message: raised.error.message,
    });
    assert.deepEqual(await check({ commandType: 'camera_recording_start', payload: '{"payload_index":"80-0-0"}' }), { ok: true });
    assert.deepEqual(await check({ commandType: 'debug_mode_open', payload: '{}' }), { ok: true });
    // A well-formed name the catalogue lacks is sent without checks; only impossible names are refused.
    assert.deepEqual(await check({ commandType: 'cover_opn', payload: '{"x":1}' }), { ok: true });
    const unknown = await check({ commandType: 'cover-open', payload: '{}' });
    assert.equal(unknown.field, 'commandType');
    assert.match(unknown.message, /^The command name "cover-open" is not a DJI method name .*did you mean cover_open\?$/);
    // With Check off the schema is not applied, in the dialog as in the runtime.
    assert.deepEqual(await check({ commandType: 'camera_recording_start', payload: '{}', checkPayload: false }), { ok: true });
    const notJson = await check({ commandType: 'debug_mode_open', payload: '{' });
    assert.equal(notJson.ok, false);
    assert.match(notJson.message, /^Payload could not be evaluated as json "\{": .*; fix the expression or the message property it reads$/);
    const empty = await check({});
    assert.equal(empty.field, 'commandType');
  });
});
