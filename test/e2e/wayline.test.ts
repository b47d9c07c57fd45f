/**
 * dji-wayline in the real embedded Node-RED runtime (the package loaded from its root) against the
 * simulator in its own process: a function node makes the waypoints, the node builds and uploads the
 * KMZ, JSONata puts msg.file into flighttask_prepare, and the simulated dock downloads, checks and
 * flies it. Failures end with DJI's codes; a bad waypoint is one Catch error with nothing uploaded;
 * a dock whose URL expired asks for a fresh one and a flow answers it.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { zipSync } from 'fflate';
import { UtmosClient } from '../../src/core/client';
import { Endpoint, Runtime, demoLib, startRuntime } from '../helpers/runtime';
import { dockWhen, SimProcess, simControl, startSim } from '../helpers/simulator';
import { DJI_WAYLINE_DEFAULTS } from '../helpers/node-defs';

let sim: SimProcess;
let rt: Runtime;

const CENTER = { lat: 22.9078, lon: 113.7034 };
const BUCKET = 'tenant-media';

/** A function node as a user writes it: four waypoints around a point, photos on the second. */
const ROUTE_FUNCTION = `
const c = msg.center;
msg.payload = [0, 1, 2, 3].map((i) => ({
    latitude: c.lat + 0.0006 * Math.sin(i),
    longitude: c.lon + 0.0006 * Math.cos(i),
    height: 40 + 5 * i,
    actions: i === 1 ? ['take_photo', { type: 'hover', seconds: 2 }] : []
}));
if (msg.breakWaypoint !== undefined) msg.payload[msg.breakWaypoint].latitude = 95;
return msg;`;

const PREPARE_JSONATA = `{
  "flight_id": flight_id,
  "task_type": 0,
  "execute_time": $millis(),
  "file": tamper ? {"url": file.url, "fingerprint": "00000000000000000000000000000000"} : file,
  "rth_altitude": 100,
  "rth_mode": 1,
  "out_of_control_action": 0,
  "exit_wayline_when_rc_lost": 0
}`;

const command = (id: string, commandType: string, wires: string[][]) => ({
  id,
  type: 'dji-command',
  z: 'wl',
  server: 'cfg',
  deviceId: 'dock',
  deviceIdType: 'msg',
  commandType,
  commandTypeType: 'str',
  payload: 'payload',
  payloadType: 'msg',
  idempotencyKeyType: 'auto',
  timeoutSeconds: 30,
  waitForResult: true,
  wires,
});
const wayline = (id: string, wires: string[][]) => ({ ...DJI_WAYLINE_DEFAULTS, id, z: 'wl', server: 'cfg', bucket: BUCKET, wires });
const sink = (id: string) => ({ id, type: 'debug', z: 'wl', active: false, wires: [] });

function flows(endpoint: Endpoint): any[] {
  return [
    { id: 'wl', type: 'tab', label: 'wayline' },
    { id: 'cfg', type: 'utmos-config', name: 'sim', baseUrl: endpoint.http, eventBrokerUrl: '', requestTimeout: 10 },
    { id: 'route', type: 'function', z: 'wl', name: 'make route', func: ROUTE_FUNCTION, outputs: 1, wires: [['wl1']] },
    wayline('wl1', [['keep']]),
    { id: 'keep', type: 'change', z: 'wl', rules: [{ t: 'set', p: 'wayline', pt: 'flow', to: 'payload', tot: 'msg' }], wires: [['built', 'prep']] },
    sink('built'),
    { id: 'prep', type: 'change', z: 'wl', rules: [{ t: 'set', p: 'payload', pt: 'msg', to: PREPARE_JSONATA, tot: 'jsonata' }], wires: [['prepare']] },
    command('prepare', 'flighttask_prepare', [['prepared'], ['prepare-failed']]),
    sink('prepared'),
    sink('prepare-failed'),
    {
      id: 'exec',
      type: 'change',
      z: 'wl',
      rules: [{ t: 'set', p: 'payload', pt: 'msg', to: '{"flight_id": flight_id}', tot: 'jsonata' }],
      wires: [['execute']],
    },
    command('execute', 'flighttask_execute', [['executed'], ['execute-failed']]),
    sink('executed'),
    sink('execute-failed'),
    // the dock asks for a fresh file URL: answer with a fresh GET for the stored file
    {
      id: 'asks',
      type: 'dji-request-in',
      z: 'wl',
      server: 'cfg',
      vendor: 'dji',
      deviceId: '',
      requestType: 'flighttask_resource_get',
      pendingOnly: true,
      pollInterval: 1,
      wires: [['which']],
    },
    {
      id: 'which',
      type: 'change',
      z: 'wl',
      rules: [
        { t: 'set', p: 'object_key', pt: 'msg', to: 'wayline.object_key', tot: 'flow' },
        { t: 'set', p: 'fingerprint', pt: 'msg', to: 'wayline.fingerprint', tot: 'flow' },
      ],
      wires: [['renew']],
    },
    wayline('renew', [['answer']]),
    {
      id: 'answer',
      type: 'dji-request-reply',
      z: 'wl',
      server: 'cfg',
      requestId: 'request_id',
      requestIdType: 'msg',
      replyCode: 'APPROVED',
      replyCodeType: 'str',
      replyMessage: '',
      replyMessageType: 'str',
      payload: '{"file": file}',
      payloadType: 'jsonata',
      wires: [['answered']],
    },
    sink('answered'),
    // the node's own memory of fingerprints
    wayline('mem', [['mem-out']]),
    sink('mem-out'),
    { id: 'k1', type: 'catch', z: 'wl', scope: ['wl1', 'renew', 'mem'], uncaught: false, wires: [['caught']] },
    sink('caught'),
  ];
}

const receive = (id: string, msg: Record<string, unknown>) => rt.RED.nodes.getNode(id).receive(msg);
/** The next message at a node: waits for one more than it has now. */
const next = (id: string): Promise<any> => rt.next(id);
const counters = async () => {
  const platform = await simControl(sim, 'GET', 'counters');
  const objects = await simControl(sim, 'GET', 'objects');
  return { presigns: platform.calls['POST /api/v1/open/objects/presign'] ?? 0, puts: objects.counters.puts, gets: objects.counters.gets, objects };
};

const dockUntil = (sn: string, done: (d: any) => boolean): Promise<any> => dockWhen(sim, sn, done, 'its mission');

/** Stores raw bytes in the simulator's object storage with the product client (presigned PUT), returns a GET URL. */
async function storeRaw(bytes: Buffer): Promise<{ url: string; fingerprint: string }> {
  const client = new UtmosClient({ baseUrl: sim.http, apiId: sim.apiId, apiKey: sim.apiKey });
  try {
    const object_key = `waylines/raw-${Date.now()}-${Math.random().toString(16).slice(2)}.kmz`;
    const put = await client.presignObject({ bucket: BUCKET, object_key, method: 'PUT', expires_seconds: 60, content_type: 'application/octet-stream' });
    await client.uploadObject(put, bytes);
    const get = await client.presignObject({ bucket: BUCKET, object_key, method: 'GET', expires_seconds: 600 });
    return { url: get.url, fingerprint: createHash('md5').update(bytes).digest('hex') };
  } finally {
    client.close();
  }
}

describe('dji-wayline in the embedded runtime against the simulated platform and docks', () => {
  before(async () => {
    sim = await startSim({ docks: 3, replyDelayMs: 20, timeFactor: 0.01 }, 'child process');
    const endpoint: Endpoint = { http: sim.http, mqtt: sim.mqtt, apiId: sim.apiId, apiKey: sim.apiKey };
    const f = flows(endpoint);
    rt = await startRuntime({ flows: f, credentials: demoLib.credentialsFor(f, endpoint) });
    assert.ok(rt.RED.nodes.getNode('route'), 'the flows run');
  });

  after(async () => {
    await rt?.stop();
    await sim?.close();
  });

  test('waypoints in → upload → the dock downloads, checks and flies: prepare and execute SUCCEEDED', async () => {
    const before = await counters();
    const builtNext = next('built');
    const preparedNext = next('prepared');
    receive('route', { center: CENTER, flight_id: 'wl-ok', dock: 'dock-001' });
    const built = await builtNext;
    assert.match(built.payload.url, /^http:\/\/127\.0\.0\.1:\d+\/objects\/tenant-media\/waylines\/.+\.kmz\?/);
    assert.match(built.payload.fingerprint, /^[0-9a-f]{32}$/);
    assert.deepEqual(built.file, { url: built.payload.url, fingerprint: built.payload.fingerprint });
    assert.equal(built.payload.bucket, BUCKET);
    assert.match(built.payload.object_key, /^waylines\/.+\.kmz$/);
    assert.equal(built.payload.waypoint_count, 4);
    assert.ok(built.payload.distance_m > 100 && built.payload.distance_m < 400, String(built.payload.distance_m));
    assert.ok(built.payload.duration_s > built.payload.distance_m / 10, String(built.payload.duration_s));
    assert.ok(Date.parse(built.payload.expires_at) > Date.now() + 3000_000, 'URL valid for about an hour');
    const after = await counters();
    assert.equal(after.presigns - before.presigns, 2, 'one PUT and one GET presigned');
    assert.equal(after.puts - before.puts, 1, 'one upload');
    const stored = after.objects.objects.find((o: any) => o.id === `${BUCKET}/${built.payload.object_key}`);
    assert.equal(stored.md5, built.payload.fingerprint, 'the fingerprint is the MD5 of what storage holds');

    const prepared = await preparedNext;
    assert.equal(prepared.status, 'SUCCEEDED');
    let dock = await simControl(sim, 'GET', 'docks/dock-001');
    assert.equal(dock.mission.phase, 'prepared');
    assert.equal(dock.mission.waypoint_count, 4, 'the dock read the four waypoints from the file');
    assert.equal(dock.mission.fingerprint, built.payload.fingerprint);

    const executedNext = next('executed');
    receive('exec', { flight_id: 'wl-ok', dock: 'dock-001' });
    const executed = await executedNext;
    assert.equal(executed.status, 'SUCCEEDED');
    dock = await dockUntil('dock-001', (d) => d.mission.phase === 'finished');
    assert.equal(dock.mission.current_waypoint_index, 3, 'flew to the last waypoint');
    assert.equal(dock.mission.percent, 100);
    assert.equal(dock.mission.resource_requests, 0);
    assert.equal((rt.delivered.get('prepare-failed') ?? []).length, 0);
    assert.equal((rt.delivered.get('execute-failed') ?? []).length, 0);
  });

  test('a tampered fingerprint fails prepare with 314017; a file that is no KMZ with 314003; invalid WPML with 314016', async () => {
    let failed = next('prepare-failed');
    receive('route', { center: CENTER, flight_id: 'wl-tamper', dock: 'dock-002', tamper: true });
    const tampered = await failed;
    assert.equal(tampered.status, 'FAILED');
    assert.equal(tampered.payload.response_code, '314017');

    const notZip = await storeRaw(Buffer.from('this is not a zip archive'));
    const badWpml = await storeRaw(
      Buffer.from(
        zipSync({
          'wpmz/waylines.wpml': Buffer.from(
            '<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:wpml="http://www.dji.com/wpmz/1.0.2"><Document><wpml:author>x</wpml:author></Document></kml>',
          ),
        }),
      ),
    );
    const prepare = (flight_id: string, file: { url: string; fingerprint: string }) =>
      receive('prepare', {
        dock: 'dock-002',
        payload: {
          flight_id,
          task_type: 0,
          execute_time: Date.now(),
          file,
          rth_altitude: 100,
          rth_mode: 1,
          out_of_control_action: 0,
          exit_wayline_when_rc_lost: 0,
        },
      });
    failed = next('prepare-failed');
    prepare('wl-notzip', notZip);
    const broken = await failed;
    assert.equal(broken.payload.response_code, '314003');
    failed = next('prepare-failed');
    prepare('wl-badwpml', badWpml);
    const invalid = await failed;
    assert.equal(invalid.payload.response_code, '314016');
  });

  test('a bad waypoint is one Catch error naming it, and nothing is presigned or uploaded', async () => {
    const before = await counters();
    const builtBefore = (rt.delivered.get('built') ?? []).length;
    const caughtBefore = (rt.delivered.get('caught') ?? []).length;
    const caughtNext = next('caught');
    receive('route', { center: CENTER, flight_id: 'wl-bad', dock: 'dock-002', breakWaypoint: 2 });
    const caught = await caughtNext;
    assert.match(caught.error.message, /waypoint 2: latitude .*95.* at payload\[2\]\.latitude/);
    assert.equal(caught.error.source.id, 'wl1');
    assert.equal(caught.utmos_error.field, 'payload[2].latitude');
    const after = await counters();
    assert.equal(after.presigns, before.presigns, 'nothing presigned');
    assert.equal(after.puts, before.puts, 'nothing uploaded');
    assert.equal((rt.delivered.get('built') ?? []).length, builtBefore, 'nothing emitted');
    assert.equal((rt.delivered.get('caught') ?? []).length, caughtBefore + 1, 'exactly one error');
  });

  test('a bucket outside the tenant policy is OBJECT_POLICY_DENIED (403) through Catch, with nothing uploaded', async () => {
    const before = await counters();
    const deniedNext = next('caught');
    receive('wl1', {
      payload: [
        { latitude: 22.9, longitude: 113.7 },
        { latitude: 22.901, longitude: 113.7 },
      ],
      bucket: 'someone-elses',
    });
    const denied = await deniedNext;
    assert.equal(denied.utmos_error.code, 'OBJECT_POLICY_DENIED');
    assert.equal(denied.utmos_error.http_status, 403);
    assert.equal((await counters()).puts, before.puts);
  });

  test('the node remembers what it built: msg.object_key alone signs a fresh URL with the same fingerprint', async () => {
    let out = next('mem-out');
    receive('mem', {
      payload: [
        { latitude: 22.9, longitude: 113.7, height: 30 },
        { latitude: 22.901, longitude: 113.7 },
      ],
    });
    const first = await out;
    const presigns = (await counters()).presigns;
    out = next('mem-out');
    receive('mem', { object_key: first.payload.object_key, payload: { request_id: 'not a route' } });
    const fresh = await out;
    assert.equal((await counters()).presigns - presigns, 1, 'a GET was signed again');
    assert.equal(fresh.payload.fingerprint, first.payload.fingerprint);
    assert.deepEqual(fresh.file, { url: fresh.payload.url, fingerprint: first.payload.fingerprint });
    assert.equal(fresh.payload.object_key, first.payload.object_key);
    assert.ok(Date.parse(fresh.payload.expires_at) >= Date.parse(first.payload.expires_at));
    assert.equal(fresh.payload.waypoint_count, 2);
    const unknownNext = next('caught');
    receive('mem', { object_key: 'waylines/unknown.kmz' });
    const unknown = await unknownNext;
    assert.equal(unknown.utmos_error.field, 'fingerprint');
  });

  test('a dock whose URL expired raises flighttask_resource_get; the flow answers with a fresh GET and the dock flies', async () => {
    const preparedNext = next('prepared');
    receive('route', { center: CENTER, flight_id: 'wl-expired', dock: 'dock-003' });
    const prepared = await preparedNext;
    assert.equal(prepared.flight_id, 'wl-expired');
    assert.equal(prepared.status, 'SUCCEEDED');
    const builtUrl = (rt.delivered.get('built') ?? []).at(-1).payload.url;
    const presignsBefore = (await counters()).presigns;
    await simControl(sim, 'POST', 'objects/clock', { advance_ms: 2 * 3600_000 });
    try {
      const answeredNext = next('answered');
      receive('exec', { flight_id: 'wl-expired', dock: 'dock-003' });
      const answered = await answeredNext;
      assert.equal(answered.request_type, 'flighttask_resource_get');
      assert.equal(answered.payload.reply_code, 'APPROVED');
      const dock = await dockUntil('dock-003', (d) => d.mission.phase === 'finished');
      assert.equal(dock.mission.flight_id, 'wl-expired');
      assert.equal(dock.mission.resource_requests, 1);
      assert.notEqual(dock.mission.file_url, builtUrl, 'the dock flew with the fresh URL');
      const reply = dock.requests_replies_received.find((r: any) => r.method === 'flighttask_resource_get');
      assert.equal(reply.data.result, 0);
      assert.equal(reply.data.output.file.url, dock.mission.file_url);
      assert.equal((await counters()).presigns - presignsBefore, 1, 'one fresh GET presigned');
    } finally {
      await simControl(sim, 'POST', 'objects/clock', { advance_ms: -2 * 3600_000 });
    }
  });
});
