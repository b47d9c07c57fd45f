/**
 * dji-request-in dragged from the palette (editor defaults: vendor dji, every type, pending only,
 * poll every 5 s) in the embedded Node-RED runtime emits each pending device request exactly once,
 * including those that arrive later, and nothing answered or auto-answered: against a plain HTTP
 * server serving the requests page's own example bodies (seed 002), and against the simulator.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SEED, answeredRequest as answered, fixture, pendingRequest } from '../conformance/seed-fixtures';
import { RecordedCall, SeedServer, startSeedServer } from '../conformance/seed-server';
import { signed } from '../sim/helpers';
import { paletteDefaults } from '../helpers/palette';
import { Runtime, startRuntime } from '../helpers/runtime';
import { morePlatformCalls, SimProcess, simControl, startSim } from '../helpers/simulator';

const DR = '/api/v1/open/device-requests';
const DOCUMENTED_QUERY = new Set(['vendor', 'device_id', 'request_type']);

/** A connection as the palette makes it; its credentials go to flows_cred.json, as the editor's would. */
function connection(id: string, baseUrl: string): object {
  return { id, type: 'utmos-config', ...paletteDefaults('utmos-config'), name: `platform at ${baseUrl}`, baseUrl };
}

function requestInFlow(connectionId: string): object[] {
  const defaults = paletteDefaults('dji-request-in');
  assert.deepEqual(
    { vendor: defaults.vendor, deviceId: defaults.deviceId, requestType: defaults.requestType, pendingOnly: defaults.pendingOnly, pollInterval: defaults.pollInterval },
    { vendor: 'dji', deviceId: '', requestType: '', pendingOnly: true, pollInterval: 5 },
    'the editor defaults this test relies on',
  );
  return [
    { id: 'tab1', type: 'tab', label: 'requests' },
    { id: 'rin', z: 'tab1', type: 'dji-request-in', ...defaults, server: connectionId, wires: [['out']] },
    { id: 'out', z: 'tab1', type: 'debug', active: true, tosidebar: false, console: false, complete: 'true', wires: [] },
  ];
}

const emittedIds = (rt: Runtime) => (rt.delivered.get('out') ?? []).map((m) => m.request_id);

describe('dji-request-in at its editor defaults, in the embedded runtime', () => {
  let rt: Runtime;
  let server: SeedServer;
  let sim: SimProcess;
  let connections: object[];
  // What the plain server lists: the requests page's pending example, one answered and one auto-answered.
  const items: any[] = [
    fixture(SEED.list).items[0],
    answered('9f0f7a10-0000-4000-8000-000000000001', '2026-04-22T11:59:00Z', 'manual'),
    answered('9f0f7a10-0000-4000-8000-000000000002', '2026-04-22T11:59:30Z', 'auto'),
  ];
  before(async () => {
    server = await startSeedServer((call: RecordedCall) => {
      if (call.method !== 'GET' || call.path !== DR) return undefined;
      const unknown = call.query.map(([k]) => k).filter((k) => !DOCUMENTED_QUERY.has(k));
      if (unknown.length) return { status: 400, body: { code: 'VALIDATION_FAILED', message: `unknown query parameter ${unknown[0]}` } };
      const filter = Object.fromEntries(call.query);
      const matching = items.filter((r) => Object.entries(filter).every(([k, v]) => r[k] === v));
      return { status: 200, body: { items: matching } };
    });
    sim = await startSim({ docks: 2, replyDelayMs: 20, osdIntervalMs: 0, autoReplyRequestTypes: ['storage_config_get'] }, 'child process');
    connections = [connection('conn-seed', server.url), connection('conn-sim', sim.http)];
    rt = await startRuntime({
      flows: connections,
      credentials: {
        'conn-seed': { apiId: server.apiId, apiKey: server.apiKey },
        'conn-sim': { apiId: sim.apiId, apiKey: sim.apiKey },
      },
    });
  });
  after(async () => {
    await rt?.stop();
    await sim?.close();
    await server?.close();
  });

  test('against a plain HTTP server serving the requests page\'s example bodies', async () => {
    const lists = (c: RecordedCall) => c.method === 'GET' && c.path === DR;
    try {
      await rt.deploy([...connections, ...requestInFlow('conn-seed')]);
      const [first] = await rt.waitFor('out', 1, 15_000);
      assert.equal(first.request_id, '2b0056c3-b4c8-4994-a286-047e130d38d7');
      assert.equal(first.request_type, 'config');
      assert.equal(first.device_id, 'drone-001');
      assert.deepEqual(first.payload, fixture(SEED.list).items[0], 'the request exactly as the platform gave it');

      // Later: the first one gets answered, a new pending one and another auto-answered one arrive.
      items[0] = answered(items[0].request_id, items[0].received_at, 'manual');
      items.push({ ...pendingRequest('9f0f7a10-0000-4000-8000-000000000003', '2026-04-22T12:01:00Z'), request_type: 'flighttask_resource_get', inbound_payload: { resource_type: 'wayline', resource_ids: ['f-1'] } });
      items.push(answered('9f0f7a10-0000-4000-8000-000000000004', '2026-04-22T12:01:30Z', 'auto'));
      const polled = (await server.waitForCalls(lists, 1)).length;
      await rt.waitFor('out', 2, 15_000);
      await server.waitForCalls(lists, polled + 3, 30_000); // the new request's poll and two after it
      assert.deepEqual(emittedIds(rt), ['2b0056c3-b4c8-4994-a286-047e130d38d7', '9f0f7a10-0000-4000-8000-000000000003']);

      const calls = server.calls.filter(lists);
      for (const call of calls) {
        assert.equal(call.signatureValid, true);
        assert.deepEqual(call.query, [['vendor', 'dji']], 'only documented query parameters: the vendor filter of the defaults');
      }
    } finally {
      await rt.deploy(connections);
    }
  });

  test('against the simulator (docks\' update_topo and auto-answered types are never emitted)', async () => {
    const creds = { base: sim.http, apiId: sim.apiId, apiKey: sim.apiKey };
    try {
      const config = await simControl(sim, 'POST', 'docks/dock-001/requests', { request_type: 'config', data: { scope: 'dock', items: ['network', 'storage'] } });
      await simControl(sim, 'POST', 'docks/dock-002/requests', { request_type: 'storage_config_get', data: { module: 0 } });
      await rt.deploy([...connections, ...requestInFlow('conn-sim')]);
      const [first] = await rt.waitFor('out', 1, 15_000);
      assert.equal(first.request_id, config.request_id);
      assert.equal(first.payload.reply_code, 'PENDING');

      const answer = await signed(creds, 'POST', `${DR}/${config.request_id}/reply`, { body: { reply_code: 'APPROVED' } });
      assert.equal(answer.status, 202);
      const later = await simControl(sim, 'POST', 'docks/dock-002/requests', { request_type: 'flighttask_resource_get', data: { resource_type: 'wayline', resource_ids: ['f-2'] } });
      await simControl(sim, 'POST', 'docks/dock-001/requests', { request_type: 'storage_config_get', data: { module: 1 } });
      await rt.waitFor('out', 2, 15_000);
      await morePlatformCalls(sim, 'GET /api/v1/open/device-requests', 2, 20_000); // two more polls
      assert.deepEqual(emittedIds(rt), [config.request_id, later.request_id]);
    } finally {
      await rt.deploy(connections);
    }
  });
});
