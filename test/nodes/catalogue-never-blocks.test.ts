// The DJI catalogue never blocks the platform: dji-command in a real Node-RED runtime against a
// plain HTTP server that accepts any command (as a platform whose catalogue is larger than ours).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_NODES, collect, credsFor, flowWith, helper, nodeRedForFile } from '../helpers/harness';
import { SEED, fixture } from '../conformance/seed-fixtures';
import { RecordedCall, SeedServer, startSeedServer } from '../conformance/seed-server';
import { setUp } from '../helpers/setup';

const CMD = '/api/v1/open/downlink/commands';
let server: SeedServer;
let endpoint: { http: string; mqtt: string; apiId: string; apiKey: string };

setUp(async () => {
  let n = 0;
  server = await startSeedServer((call: RecordedCall) => {
    if (call.method !== 'POST' || call.path !== CMD) return undefined;
    n++;
    return { status: 202, body: { command_id: `0000000${n}-84d1-bdf6-0cec-ef891c1eabf3`, status: 'ACCEPTED', accepted_at: '2026-04-22T12:00:00Z' } };
  });
  endpoint = { http: server.url, mqtt: '', apiId: server.apiId, apiKey: server.apiKey };
});
after(() => server.close());
nodeRedForFile();

function load(props: Record<string, unknown>) {
  return helper.load(
    ALL_NODES,
    flowWith({
      sim: endpoint,
      nodes: [
        { id: 'n1', type: 'dji-command', server: 'c1', deviceId: 'drone-001', deviceIdType: 'str', commandTypeType: 'str', payload: 'payload', payloadType: 'msg', idempotencyKeyType: 'auto', timeoutSeconds: 30, waitForResult: false, wires: [['ok'], []], ...props },
        { id: 'ok', type: 'helper' },
        { id: 'k1', type: 'catch', scope: ['n1'], uncaught: false, wires: [['caught']] },
        { id: 'caught', type: 'helper' },
      ],
    }),
    credsFor(endpoint),
  );
}

const creates = () => server.calls.filter((c) => c.method === 'POST' && c.path === CMD);

test('a DJI method the catalogue does not list is sent with its payload unchanged, and the node warns once', async () => {
  await load({ commandType: 'ir_metering_point_set' });
  const ok = collect('ok');
  const before = creates().length;
  const payload = { payload_index: '81-0-0', x: 0.5, y: 0.25, vendor_extension: { any: ['thing'] } };
  const n1 = helper.getNode('n1');
  n1.receive({ payload });
  n1.receive({ payload });
  const [first] = await ok.waitFor(2);
  assert.equal(first.status, 'ACCEPTED');
  const sent = creates().slice(before);
  assert.equal(sent.length, 2);
  for (const call of sent) {
    const body = JSON.parse(call.body);
    assert.equal(body.command_type, 'ir_metering_point_set');
    assert.deepEqual(body.payload, payload);
  }
  assert.deepEqual(n1.warn.getCalls().map((c: any) => c.args[0]), [
    'ir_metering_point_set is not in the DJI command catalogue of this node: it is sent as it is, without payload checks. If the platform does not accept it, the command fails with UNSUPPORTED_COMMAND.',
  ]);
});

test('the seed request examples: refused with the field and the DJI rule while Check is on (the default), sent unchanged with Check off', async () => {
  for (const file of [SEED.recordingRequest, SEED.fileuploadRequest]) {
    const example = fixture(file);
    for (const check of [undefined, false]) {
      await load({ commandType: example.command_type, ...(check === undefined ? {} : { checkPayload: check }) });
      const ok = collect('ok');
      const caught = collect('caught');
      const before = creates().length;
      helper.getNode('n1').receive({ payload: example.payload });
      if (check === undefined) {
        const [msg] = await caught.waitFor(1);
        const rule = example.command_type === 'camera_recording_start' ? /payload\.payload_index must be .*\{type-subtype-gimbalindex\}/ : /payload\.params\.files\[0\]\.list must be an array .*boot_index/;
        assert.match(msg.error.message, rule);
        assert.equal(msg.utmos_error.code, 'INVALID_INPUT');
        assert.equal(creates().length, before, 'nothing sent');
      } else {
        await ok.waitFor(1);
        assert.equal(caught.messages.length, 0);
        const body = JSON.parse(creates().at(-1)!.body);
        assert.deepEqual(body.payload, example.payload, 'the documented example payload, unchanged');
      }
      await helper.unload();
    }
  }
});

test('without the catalogue check the payload must still be a JSON object of plain data', async () => {
  for (const props of [{ commandType: 'camera_recording_start', checkPayload: false }, { commandType: 'ir_metering_point_set' }]) {
    await load(props);
    const caught = collect('caught');
    const before = creates().length;
    const n1 = helper.getNode('n1');
    n1.receive({ payload: 'not an object' });
    n1.receive({ payload: { when: new Date(0) } });
    n1.receive({ payload: { index: new Map() } });
    const msgs = await caught.waitFor(3);
    const texts = msgs.map((m: any) => String(m.error.message));
    assert.ok(texts.some((t) => /^The payload must be a JSON object \(\{\} when the command takes no parameters; got string\)$/.test(t)), texts.join(' | '));
    assert.deepEqual(msgs.map((m: any) => m.utmos_error.field).sort(), ['payload', 'payload.index', 'payload.when']);
    assert.ok(texts.some((t) => /payload\.when is a Date object, not plain JSON data/.test(t)), texts.join(' | '));
    assert.ok(texts.some((t) => /payload\.index is a Map object, not plain JSON data/.test(t)), texts.join(' | '));
    assert.equal(creates().length, before, 'nothing sent');
    await helper.unload();
  }
});
