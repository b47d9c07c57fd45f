// Conformance with the platform's own documentation pages (../shared/seeds), through their example
// bodies copied into test/fixtures/seeds:
//   (a) the client parses every documented response example served by a plain HTTP server;
//   (b) the simulator answers the same calls with the same fields, JSON types and value shapes;
//   (c) every documented request example is accepted, or refused locally naming the field and the DJI rule.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { validateDjiPayload } from '../../src/core/catalogue';
import { UtmosClient } from '../../src/core/client';
import { isPendingDeviceRequest } from '../../src/core/request-feed';
import { CreateCommandRequestSchema, DeviceRequestFilterSchema } from '../../src/core/schemas';
import { Simulator, startSim } from '../helpers/simulator';
import { waitUntil } from '../helpers/wait';
import { Creds, signed } from '../sim/helpers';
import { SEED, SEED_DIR, exampleAfter, fixture, manifest, shapeDifferences } from './seed-fixtures';
import { RecordedCall, SeedServer, startSeedServer } from './seed-server';

const CMD = '/api/v1/open/downlink/commands';
const DR = '/api/v1/open/device-requests';

test('the fixtures are the seed pages\' example bodies, value for value', (t) => {
  const entries = manifest();
  assert.equal(entries.length, 8);
  for (const e of entries) assert.ok(fs.existsSync(path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'seeds', e.file)), e.file);
  if (!fs.existsSync(SEED_DIR)) {
    t.skip(`${SEED_DIR} is not here; the copies were checked where it is`);
    return;
  }
  for (const e of entries) {
    const page = fs.readFileSync(path.join(SEED_DIR, e.seed), 'utf8');
    if (e.kind === 'request-query') {
      const from = page.indexOf(e.after) + e.after.length;
      const query = page.slice(from, page.indexOf('"', from));
      assert.deepEqual(Object.fromEntries(new URLSearchParams(query)), fixture(e.file), e.file);
    } else {
      assert.deepEqual(JSON.parse(exampleAfter(page, e.after)), fixture(e.file), e.file);
    }
  }
});

describe('(a) the client reads every documented response example from a plain HTTP server', () => {
  let server: SeedServer;
  let client: UtmosClient;
  const byCommandId: Record<string, string> = {
    '100e2826-e45b-50cb-b41f-e8df6d20bea2': SEED.statusFailed,
    '89c05110-84d1-bdf6-0cec-ef891c1eabf3': SEED.fileuploadResponse,
    '03fb4905-d3cf-68b0-36fc-36975d618724': SEED.recordingResponse,
  };
  before(async () => {
    server = await startSeedServer((call: RecordedCall) => {
      if (call.method === 'POST' && call.path === CMD) {
        const type = JSON.parse(call.body).command_type;
        return { status: 202, body: fixture(type === 'fileupload_start' ? SEED.fileuploadResponse : SEED.recordingResponse) };
      }
      const command = new RegExp(`^${CMD}/([^/]+)$`).exec(call.path);
      if (call.method === 'GET' && command && byCommandId[command[1]]) return { status: 200, body: fixture(byCommandId[command[1]]) };
      if (call.method === 'GET' && call.path === DR) return { status: 200, body: fixture(SEED.list) };
      if (call.method === 'GET' && call.path === `${DR}/2b0056c3-b4c8-4994-a286-047e130d38d7`) return { status: 200, body: fixture(SEED.detail) };
      return undefined;
    });
    client = new UtmosClient({ baseUrl: server.url, apiId: server.apiId, apiKey: server.apiKey, maxAttempts: 1 });
  });
  after(async () => {
    client.close();
    await server.close();
  });

  test('create: the seed request bodies are sent byte-for-byte as documented, and the create responses are read', async () => {
    for (const [request, response] of [
      [SEED.fileuploadRequest, SEED.fileuploadResponse],
      [SEED.recordingRequest, SEED.recordingResponse],
    ] as const) {
      const result = await client.createCommand(fixture(request));
      assert.deepEqual(result, { ...fixture(response), replayed: false });
      const sent = server.calls.at(-1)!;
      assert.equal(sent.signatureValid, true);
      assert.deepEqual(JSON.parse(sent.body), fixture(request), 'the body sent is the documented example');
    }
  });

  test('status query: the FAILED example (failure_code, failure_reason, string response_code) and the ACCEPTED examples, with ids that are not RFC-variant UUIDs', async () => {
    for (const [id, file] of Object.entries(byCommandId)) {
      const status = await client.getCommand(id);
      assert.deepEqual(status, fixture(file), file);
    }
    const failed = await client.getCommand('100e2826-e45b-50cb-b41f-e8df6d20bea2');
    assert.equal(failed.response_code, '5001');
    assert.equal(failed.failure_code, 'DEVICE_EXECUTION_FAILED');
  });

  test('device requests: the list (with the documented query) and the detail; the example request is pending', async () => {
    const query = fixture(SEED.listQuery);
    const list = await client.listDeviceRequests(query);
    assert.deepEqual(list, fixture(SEED.list));
    const sent = server.calls.at(-1)!;
    assert.deepEqual(Object.fromEntries(sent.query), query, 'exactly the documented query parameters');
    const detail = await client.getDeviceRequest('2b0056c3-b4c8-4994-a286-047e130d38d7');
    assert.deepEqual(detail, fixture(SEED.detail));
    assert.equal(isPendingDeviceRequest(list.items[0]), true);
    assert.equal(isPendingDeviceRequest(detail), true);
  });
});

describe('(b) the simulator answers the same calls with the same fields, types and value shapes', () => {
  let sim: Simulator;
  let c: Creds;
  // Fields the simulator may add beyond an example, because another part of the documentation has
  // them: the status table of seed 000 and the "Query Response" lists of seeds 003/004 (vendor,
  // device_id, command_type, delivered_at, ...); `public_status` (the downlink-commands page's newer
  // status model) and `request_id` (the trace id the API reference shows in success bodies).
  const queryFields = [
    'vendor', 'device_id', 'command_type', 'failure_code', 'failure_reason', 'response_code', 'response_message',
    'vendor_response', 'delivered_at', 'completed_at', 'response_received_at', 'updated_at', 'public_status', 'request_id',
  ];
  before(async () => {
    // one dock (dock-001 with aircraft drone-001, the device of the examples), raising `config` requests itself
    sim = await startSim({ docks: 1, replyDelayMs: 10, configRequestIntervalMs: 200 });
    c = { base: sim.http, apiId: sim.apiId, apiKey: sim.apiKey };
  });
  after(() => sim.close());

  test('create and status query for the fileupload_start and camera_recording_start examples', async () => {
    for (const [request, response] of [
      [SEED.fileuploadRequest, SEED.fileuploadResponse],
      [SEED.recordingRequest, SEED.recordingResponse],
    ] as const) {
      const created = await signed(c, 'POST', CMD, { body: fixture(request) });
      assert.equal(created.status, 202, created.text);
      assert.deepEqual(shapeDifferences(fixture(response), created.body, { extras: { '': ['request_id'] } }), [], `create ${request}`);
      await sim.control.waitForCommand(created.body.command_id);
      const queried = await signed(c, 'GET', `${CMD}/${created.body.command_id}`);
      assert.equal(queried.status, 200);
      assert.deepEqual(shapeDifferences(fixture(response), queried.body, { extras: { '': queryFields } }), [], `query ${request}`);
    }
  });

  test('the FAILED status example: a dock that refuses camera_recording_start', async () => {
    const body = (key: string) => ({ ...fixture(SEED.recordingRequest), payload: { payload_index: '80-0-0' }, idempotency_key: key });
    const first = await signed(c, 'POST', CMD, { body: body('seed-conformance-1') });
    await sim.control.waitForCommand(first.body.command_id);
    const second = await signed(c, 'POST', CMD, { body: body('seed-conformance-2') });
    await sim.control.waitForCommand(second.body.command_id);
    const status = (await signed(c, 'GET', `${CMD}/${second.body.command_id}`)).body;
    assert.equal(status.status, 'FAILED');
    assert.deepEqual(
      shapeDifferences(fixture(SEED.statusFailed), status, { open: ['vendor_response'], extras: { '': queryFields } }),
      [],
      JSON.stringify(status),
    );
  });

  test('the device-request list and detail examples: a pending config request with the documented fields and values', async () => {
    const query = { ...fixture(SEED.listQuery), device_id: 'dock-001' }; // the simulator's docks raise requests under their own SN
    const listed = async () => (await signed(c, 'GET', DR, { query: new URLSearchParams(query).toString() })).body;
    const list = await waitUntil(async () => {
      const body = await listed();
      return body.items.length > 0 && body;
    }, 'the dock to raise a config request', 5_000);
    assert.ok(list.items.length > 0, 'the dock raised a config request');
    assert.deepEqual(shapeDifferences(fixture(SEED.list), list, { extras: { '': ['request_id'] } }), []);
    const detail = (await signed(c, 'GET', `${DR}/${list.items[0].request_id}`)).body;
    assert.deepEqual(shapeDifferences(fixture(SEED.detail), detail), []);
    const example = fixture(SEED.detail);
    for (const key of ['vendor', 'request_type', 'inbound_payload', 'routing_decision', 'reply_code', 'reply_message', 'reply_source', 'standardized_reply', 'replied_at']) {
      assert.deepEqual(detail[key], example[key], `${key} as documented for a pending request`);
    }
    assert.equal(detail.updated_at, detail.received_at);
  });
});

describe('(c) each documented request example is accepted, or refused locally naming the field and the DJI rule', () => {
  test('the create envelopes and the list query pass the client\'s checks', () => {
    for (const file of [SEED.fileuploadRequest, SEED.recordingRequest]) {
      const parsed = CreateCommandRequestSchema.safeParse(fixture(file));
      assert.ok(parsed.success, `${file}: ${JSON.stringify(parsed.error?.issues)}`);
    }
    assert.ok(DeviceRequestFilterSchema.safeParse(fixture(SEED.listQuery)).success);
  });

  test('fileupload_start: params.files[].list {} is refused, an array of {boot_index} is what DJI takes', () => {
    const checked = validateDjiPayload('fileupload_start', fixture(SEED.fileuploadRequest).payload);
    assert.equal(checked.ok, false);
    if (checked.ok) return;
    assert.deepEqual(checked.issues.map((i) => i.path), ['payload.params.files[0].list']);
    assert.match(checked.message, /payload\.params\.files\[0\]\.list must be an array \(got an object\)/);
    assert.match(checked.message, /DJI fileupload_start: .*\{"boot_index": n\}/);
  });

  test('camera_recording_start: payload_index "string" is not a {type-subtype-gimbalindex} camera index', () => {
    const checked = validateDjiPayload('camera_recording_start', fixture(SEED.recordingRequest).payload);
    assert.equal(checked.ok, false);
    if (checked.ok) return;
    assert.deepEqual(checked.issues.map((i) => i.path), ['payload.payload_index']);
    assert.match(checked.message, /payload\.payload_index must be a string matching .* \(got "string"\); camera enumeration like "80-0-0" \(\{type-subtype-gimbalindex\}/);
  });
});
