// dji-command in a real Node-RED runtime (node-red-node-test-helper) against the real simulator:
// what comes out of each output, idempotency, and the payload a node sends.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_NODES, collect, credsFor, helper } from '../helpers/harness';
import { djiCommandFile } from './dji-command-file';
import { simCounters } from '../helpers/simulator';

const { sim, flow } = djiCommandFile();

describe('outputs', () => {
  test('SUCCEEDED goes to output 1 with command_id, status and the full status object; the msg is kept', async () => {
    await helper.load(ALL_NODES, flow(), credsFor(sim));
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
    const withComplete = [
      ...flow({ commandType: 'camera_recording_start', payload: '{"payload_index":"80-0-0"}', deviceId: 'dock-002' }),
      { id: 'cp', z: 't1', type: 'complete', scope: ['n1'], uncaught: false, wires: [['completed']] },
      { id: 'completed', z: 't1', type: 'helper' },
    ];
    await helper.load(ALL_NODES, withComplete, credsFor(sim));
    const ok = collect('ok');
    const bad = collect('bad');
    const caught = collect('caught');
    const completed = collect('completed');
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
    // done() without an error (a Complete node hears of it; done(err) would go to Catch instead)
    await completed.waitFor(2);
    assert.equal(caught.messages.length, 0, 'a device failure is not a node error');
  });

  test('a platform TIMED_OUT goes to output 2', async () => {
    await helper.load(ALL_NODES, flow({ deviceId: 'drone-999', timeoutSeconds: 1 }), credsFor(sim));
    const bad = collect('bad');
    helper.getNode('n1').receive({});
    const msg = await bad.waitFor(1, 8_000).then((m) => m[0]);
    assert.equal(msg.status, 'TIMED_OUT');
    assert.match(msg.utmos_error.message, /^drone-999 did not receive debug_mode_open within \d+ s: the serial number may be wrong or the device offline/);
    assert.ok(helper.getNode('n1').status.calledWithMatch({ text: 'waiting for drone-999 (not delivered yet)' }));
  });

  test('UNMATCHED_RESPONSE goes to output 2', async () => {
    await sim.control.configureDock('dock-003', { reply_mode: 'wrong_tid' });
    await helper.load(ALL_NODES, flow({ deviceId: 'dock-003' }), credsFor(sim));
    const bad = collect('bad');
    helper.getNode('n1').receive({});
    const msg = await bad.next();
    assert.equal(msg.status, 'UNMATCHED_RESPONSE');
    assert.match(msg.utmos_error.message, /^dock-003 answered debug_mode_open with a reply the platform could not match/);
  });

  test('without waitForResult it emits on acceptance on output 1', async () => {
    await helper.load(ALL_NODES, flow({ waitForResult: false }), credsFor(sim));
    const ok = collect('ok');
    helper.getNode('n1').receive({});
    const msg = await ok.next();
    assert.equal(msg.status, 'ACCEPTED');
    assert.equal(msg.payload.command_id, msg.command_id);
  });
});

describe('idempotency', () => {
  test('a response lost after the platform accepted still makes one command', async () => {
    await helper.load(ALL_NODES, flow(), credsFor(sim));
    const ok = collect('ok');
    const before = (await simCounters(sim)).commands_created;
    sim.control.addDrop({ count: 1, phase: 'after', match: 'POST /api/v1/open/downlink/commands' });
    helper.getNode('n1').receive({});
    await ok.next();
    assert.equal((await simCounters(sim)).commands_created - before, 1);
  });

  test('two input messages make two commands', async () => {
    await helper.load(ALL_NODES, flow(), credsFor(sim));
    const ok = collect('ok');
    const before = (await simCounters(sim)).commands_created;
    helper.getNode('n1').receive({ n: 1 });
    helper.getNode('n1').receive({ n: 2 });
    const [a, b] = await ok.waitFor(2);
    assert.notEqual(a.command_id, b.command_id);
    assert.equal((await simCounters(sim)).commands_created - before, 2);
  });

  test('the same user-supplied key twice makes one command', async () => {
    await helper.load(ALL_NODES, flow({ idempotencyKey: 'key', idempotencyKeyType: 'msg' }), credsFor(sim));
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

describe('the payload a node sends, and the editor check of a static payload', () => {
  test('a flow saved without payloadType (the old default) still reads msg.payload', async () => {
    const nodes = flow().map((n: any) => {
      if (n.id !== 'n1') return n;
      const { payload, payloadType, ...old } = n;
      void payload;
      void payloadType;
      return old;
    });
    await helper.load(ALL_NODES, nodes, credsFor(sim));
    const ok = collect('ok');
    const caught = collect('caught');
    helper.getNode('n1').receive({ payload: {} });
    assert.equal((await ok.next()).status, 'SUCCEEDED');
    helper.getNode('n1').receive({ payload: 1717171717171 });
    const err = await caught.next();
    assert.equal(err.utmos_error.field, 'payload', 'a timestamp in msg.payload is refused, as before');
  });

  test('a node as the palette makes it (JSON template payload) works with an inject timestamp in front', async () => {
    await helper.load(ALL_NODES, flow({ payload: '{}', payloadType: 'json' }), credsFor(sim));
    const ok = collect('ok');
    helper.getNode('n1').receive({ payload: 1717171717171 });
    assert.equal((await ok.next()).status, 'SUCCEEDED');
  });

  test('POST /utmos-dji/payload-check answers with the very message the node raises', async () => {
    await helper.load(ALL_NODES, flow({ commandType: 'camera_recording_start', payload: '{"payload_index":"80-0"}' }), credsFor(sim));
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
