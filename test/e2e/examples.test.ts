/**
 * Every shipped example flow, deployed unchanged in the real embedded Node-RED runtime (the
 * package loaded from its root through settings.nodesDir) against the simulator in its own
 * process. Only the utmos-config node's endpoints change; the credentials go to flows_cred.json.
 * Each example is run the way a user runs it (pressing its inject buttons through the admin API)
 * and must reach its success end while its failure branches stay silent.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Endpoint, Runtime, demoLib, expectedMajor, majorOf, startRuntime } from '../helpers/runtime';
import { dockWhen, repliesAtDock, SimProcess, simControl, startSim } from '../helpers/simulator';

const examples = demoLib.loadExamples();
const ours = ['utmos-config', 'dji-command', 'dji-status-wait', 'dji-request-in', 'dji-request-reply', 'dji-wayline'];

let sim: SimProcess;
let rt: Runtime;
let flows: any[];

function idsOf(type: string, tab: string, name?: string): string[] {
  return flows.filter((n) => n.type === type && n.z === tab && (name === undefined || n.name === name)).map((n) => n.id);
}

function silent(ids: string[]): void {
  for (const id of ids) {
    const got = rt.delivered.get(id) ?? [];
    assert.equal(got.length, 0, `failure branch ${id} received ${JSON.stringify(got).slice(0, 600)}`);
  }
}

const press = (id: string): Promise<void> => rt.press(id);

describe('shipped examples in the embedded Node-RED runtime against the simulator', () => {
  before(async () => {
    sim = await startSim({ docks: 3, replyDelayMs: 50, timeFactor: 0.01 }, 'child process');
    // the examples wait for a route's flight time scaled like the simulated docks fly it
    process.env.UTMOS_TIME_SCALE = '0.01';
    const endpoint: Endpoint = { http: sim.http, mqtt: sim.mqtt, apiId: sim.apiId, apiKey: sim.apiKey };
    flows = demoLib.buildFlows(examples, endpoint);
    rt = await startRuntime({ flows, credentials: demoLib.credentialsFor(flows, endpoint) });
  });

  after(async () => {
    await rt?.stop();
    await sim?.close();
  });

  test(`runs on the expected Node-RED major (${process.env.NODE_RED_PATH ? 'NODE_RED_PATH' : 'devDependency'})`, () => {
    const version = rt.RED.version();
    assert.equal(majorOf(version), expectedMajor(), `Node-RED ${version}`);
    console.log(`# Node-RED ${version} on Node ${process.version}`);
  });

  test('the examples are what the package ships: JSON arrays with a comment, only our and core nodes, every node type used, placeholder endpoint', () => {
    assert.deepEqual(
      examples.map((e) => e.file),
      ['01 - Dock inspection mission.json', '02 - Device request handling.json', '03 - Fire and forget and status wait.json', '04 - Wayline from GeoJSON.json'],
    );
    const core = new Set(['comment', 'inject', 'debug', 'catch', 'delay', 'switch', 'change', 'link in', 'link out']);
    const used = new Set<string>();
    for (const ex of examples) {
      assert.ok(ex.nodes.some((n) => n.type === 'comment' && String(n.info).length > 200), `${ex.file} explains itself in a comment node`);
      for (const n of ex.nodes) {
        assert.ok(core.has(n.type) || ours.includes(n.type), `${ex.file}: unexpected node type ${n.type}`);
        used.add(n.type);
        if (n.type === 'utmos-config') {
          assert.equal(n.baseUrl, 'https://dev.utmos.dev', `${ex.file}: shipped config points at the placeholder endpoint`);
          assert.equal(n.eventBrokerUrl, '');
          assert.equal(n.credentials, undefined, `${ex.file} carries no credentials`);
        }
      }
      assert.doesNotMatch(JSON.stringify(ex.nodes), /apiKey|api_key/i, `${ex.file} has no credential fields`);
      assert.doesNotMatch(JSON.stringify(ex.nodes), /example\.com|\.kmz|"fingerprint\\?":\s*\\?"[0-9a-f]{32}/i, `${ex.file} has no placeholder wayline URL or fingerprint`);
    }
    for (const t of ours) assert.ok(used.has(t), `some example uses ${t}`);
  });

  test('the runtime loaded the package from its root (nodes, editor files, examples)', async () => {
    const res = await rt.get('nodes', { Accept: 'application/json' });
    assert.equal(res.status, 200);
    const sets = JSON.parse(res.body) as Array<{ module: string; types: string[]; enabled: boolean; err?: string }>;
    const mine = sets.filter((s) => s.module === 'node-red-contrib-utmos-dji');
    assert.deepEqual(mine.flatMap((s) => s.types).sort(), [...ours].sort());
    for (const s of mine) assert.equal(s.err, undefined, `${s.types} loaded without error`);
    const html = await rt.get('nodes', { Accept: 'text/html' });
    for (const t of ours) assert.ok(html.body.includes(`data-template-name="${t}"`), `editor template of ${t} served`);
    const lib = await rt.get('library/examples/flows/', { Accept: 'application/json' });
    assert.equal(lib.status, 200, lib.body);
    const listing = JSON.stringify(JSON.parse(lib.body));
    assert.ok(listing.includes('node-red-contrib-utmos-dji'), `Import > Examples lists the package: ${listing.slice(0, 300)}`);
    const mod = await rt.get('library/examples/flows/node-red-contrib-utmos-dji', { Accept: 'application/json' });
    for (const ex of examples) assert.ok(mod.body.includes(ex.label), `Import > Examples lists "${ex.label}": ${mod.body.slice(0, 300)}`);
  });

  test('01 - Dock inspection mission: waypoints → wayline uploaded → prepare → execute → wait for the route → stop, upload; an expired URL answered', async () => {
    const tab = 'ex01-tab';
    const before = await simControl(sim, 'GET', 'objects');
    await press(idsOf('inject', tab, 'Start inspection')[0]);
    const [done] = await rt.waitFor(idsOf('debug', tab, 'mission done')[0], 1, 60_000);
    assert.equal(done.status, 'SUCCEEDED');
    assert.equal(done.payload.command_type, 'fileupload_start');
    assert.equal(done.payload.device_id, 'dock-001');
    assert.match(String(done.flight_id), /^inspection-\d+$/);
    assert.equal(done.wayline.waypoint_count, 5);
    assert.ok(done.delay >= done.wayline.duration_s * 1000 * 0.01, 'the flow waited for the route, scaled like the dock flew it');
    // the dock downloaded the uploaded file, read its five waypoints and flew them to the end
    const dock = await simControl(sim, 'GET', 'docks/dock-001');
    assert.equal(dock.mission.flight_id, done.flight_id);
    assert.equal(dock.mission.phase, 'finished', 'mission finished before the flow went on after the flight time');
    assert.equal(dock.mission.waypoint_count, 5);
    assert.equal(dock.mission.fingerprint, done.wayline.fingerprint);
    assert.equal(dock.recording['80-0-0'], false, 'recording stopped');
    assert.equal(dock.debug_mode, false);
    assert.equal(dock.services_received, 8, 'eight commands reached the dock');
    const after = await simControl(sim, 'GET', 'objects');
    assert.equal(after.counters.puts - before.counters.puts, 1, 'one wayline uploaded');
    assert.ok(after.objects.some((o: any) => o.md5 === done.wayline.fingerprint), 'storage holds the fingerprinted file');
    silent([...idsOf('debug', tab, 'command failed'), ...idsOf('debug', tab, 'errors')]);

    // a dock whose URL expired asks for the file again: the flow answers with a fresh URL
    const raised = await simControl(sim, 'POST', 'docks/dock-001/requests', { request_type: 'flighttask_resource_get', data: { resource_type: 'wayline', resource_ids: [done.flight_id] } });
    const [fileSent] = await rt.waitFor(idsOf('debug', tab, 'wayline file sent')[0], 1, 20_000);
    assert.equal(fileSent.request_id, raised.request_id);
    assert.equal(fileSent.request_type, 'flighttask_resource_get');
    assert.equal(fileSent.payload.reply_code, 'APPROVED');
    // The platform answers 202 and then publishes requests_reply over MQTT.
    const [reply] = await repliesAtDock(sim, 'dock-001', 'flighttask_resource_get');
    assert.equal(reply.data.result, 0);
    assert.equal(reply.data.output.file.fingerprint, done.wayline.fingerprint);
    assert.match(reply.data.output.file.url, /\/objects\/tenant-media\/waylines\/.+\.kmz\?/);
    silent(idsOf('debug', tab, 'errors'));
  });

  test('02 - Device request handling: automatic replies by request_type, manual approval and rejection', async () => {
    const tab = 'ex02-tab';
    const autoSent = idsOf('debug', tab, 'auto reply sent')[0];
    const awaiting = idsOf('debug', tab, 'awaiting approval')[0];
    const manualSent = idsOf('debug', tab, 'manual reply sent')[0];
    // config request -> automatic reply
    const cfg = await simControl(sim, 'POST', 'docks/dock-002/requests', { request_type: 'config', data: { scope: 'dock', items: ['network', 'storage'] } });
    const [a1] = await rt.waitFor(autoSent, 1, 20_000);
    assert.equal(a1.request_id, cfg.request_id);
    assert.equal(a1.request_type, 'config');
    assert.equal(a1.payload.reply_code, 'APPROVED');
    // a dock whose wayline URL expired -> a fresh URL for the last wayline built (example 01)
    const res = await simControl(sim, 'POST', 'docks/dock-002/requests', { request_type: 'flighttask_resource_get', data: { resource_type: 'wayline', resource_ids: ['any'] } });
    const [, a2] = await rt.waitFor(autoSent, 2, 20_000);
    assert.equal(a2.request_id, res.request_id);
    assert.equal(a2.request_type, 'flighttask_resource_get');
    // pressing Approve with nothing held does nothing
    await press(idsOf('inject', tab, 'Approve')[0]);
    // a request that needs a person is held, then approved
    const bind = await simControl(sim, 'POST', 'docks/dock-002/requests', { request_type: 'airport_organization_bind', data: { bind_devices: [] } });
    const [held] = await rt.waitFor(awaiting, 1, 20_000);
    assert.equal(held.payload.request_id, bind.request_id);
    assert.equal((rt.delivered.get(manualSent) ?? []).length, 0, 'nothing answered before the operator decided');
    await press(idsOf('inject', tab, 'Approve')[0]);
    const [m1] = await rt.waitFor(manualSent, 1, 20_000);
    assert.equal(m1.request_id, bind.request_id);
    assert.equal(m1.payload.reply_code, 'APPROVED');
    // another one, rejected
    const bind2 = await simControl(sim, 'POST', 'docks/dock-002/requests', { request_type: 'airport_organization_bind', data: { bind_devices: [] } });
    await rt.waitFor(awaiting, 2, 20_000);
    await press(idsOf('inject', tab, 'Reject')[0]);
    const [, m2] = await rt.waitFor(manualSent, 2, 20_000);
    assert.equal(m2.request_id, bind2.request_id);
    assert.equal(m2.payload.reply_code, 'REJECTED');
    // what the dock received: result 0 for approvals, non-zero for the rejection. The platform
    // answers 202 and then publishes requests_reply over MQTT: wait for all four to arrive.
    const repliesOf = (d: any, m: string) => d.requests_replies_received.filter((r: any) => r.method === m).map((r: any) => r.data.result);
    const all = (d: any) => repliesOf(d, 'config').length >= 1 && repliesOf(d, 'flighttask_resource_get').length >= 1 && repliesOf(d, 'airport_organization_bind').length >= 2;
    const dock = await dockWhen(sim, 'dock-002', all, 'the four requests_reply messages');
    const byMethod = (m: string) => repliesOf(dock, m);
    assert.deepEqual(byMethod('config'), [0]);
    assert.deepEqual(byMethod('flighttask_resource_get'), [0]);
    assert.deepEqual(byMethod('airport_organization_bind'), [0, 1]);
    assert.equal((rt.delivered.get(manualSent) ?? []).length, 2, 'the empty Approve press sent nothing');
    const file = dock.requests_replies_received.find((r: any) => r.method === 'flighttask_resource_get').data.output.file;
    assert.match(file.url, /\/objects\/tenant-media\/waylines\/.+\.kmz\?/);
    assert.match(file.fingerprint, /^[0-9a-f]{32}$/);
    silent(idsOf('debug', tab, 'errors'));
  });

  test('03 - Fire and forget and status wait: until DELIVERED, until terminal, recording with a timed stop', async () => {
    const tab = 'ex03-tab';
    await press(idsOf('inject', tab, 'Send debug_mode_open')[0]);
    const [delivered] = await rt.waitFor(idsOf('debug', tab, 'delivered or later')[0], 1, 20_000);
    assert.ok(['DELIVERED', 'RUNNING', 'SUCCEEDED'].includes(delivered.status), delivered.status);
    const [finished] = await rt.waitFor(idsOf('debug', tab, 'finished')[0], 1, 20_000);
    assert.equal(finished.status, 'SUCCEEDED');
    assert.equal(finished.command_id, delivered.command_id, 'both waits followed the same command');
    const started = Date.now();
    await press(idsOf('inject', tab, 'Record 5 s')[0]);
    const [stopped] = await rt.waitFor(idsOf('debug', tab, 'recording stopped')[0], 1, 30_000);
    assert.equal(stopped.status, 'SUCCEEDED');
    assert.ok(Date.now() - started >= 5_000, 'the stop came after the 5 s delay');
    const dock = await simControl(sim, 'GET', 'docks/dock-003');
    assert.equal(dock.recording['80-0-0'], false);
    assert.equal(dock.debug_mode, true, 'debug_mode_open reached the dock');
    silent([...idsOf('debug', tab, 'failed or timed out'), ...idsOf('debug', tab, 'errors')]);
  });

  test('04 - Wayline from GeoJSON: QGIS points and a map line each build, upload and fly', async () => {
    const tab = 'ex04-tab';
    const flown = idsOf('debug', tab, 'mission flown')[0];
    await press(idsOf('inject', tab, 'Survey points (QGIS)')[0]);
    const [first] = await rt.waitFor(flown, 1, 60_000);
    assert.equal(first.status, 'SUCCEEDED');
    assert.equal(first.wayline.waypoint_count, 4);
    let dock = await simControl(sim, 'GET', 'docks/dock-002');
    assert.equal(dock.mission.flight_id, first.flight_id);
    assert.equal(dock.mission.phase, 'finished');
    assert.equal(dock.mission.waypoint_count, 4);
    await press(idsOf('inject', tab, 'Fence line (map)')[0]);
    const [, second] = await rt.waitFor(flown, 2, 60_000);
    assert.equal(second.wayline.waypoint_count, 4);
    assert.notEqual(second.wayline.fingerprint, first.wayline.fingerprint);
    dock = await simControl(sim, 'GET', 'docks/dock-002');
    assert.equal(dock.mission.flight_id, second.flight_id);
    assert.equal(dock.mission.phase, 'finished');
    silent([...idsOf('debug', tab, 'command failed'), ...idsOf('debug', tab, 'errors')]);
  });

  test('failure branches show the reason, not the whole message; Catch branches show the error text', async () => {
    const ofType = (types: string[]) => new Set(flows.filter((n) => types.includes(n.type)).map((n) => n.id));
    const waiting = ofType(['dji-command', 'dji-status-wait']);
    const failureDebugs = new Set<string>();
    for (const n of flows) {
      if (!waiting.has(n.id)) continue;
      (n.wires as string[][]).slice(1).forEach((targets) => targets.forEach((t) => failureDebugs.add(t)));
    }
    const debugs = flows.filter((n) => failureDebugs.has(n.id));
    assert.ok(debugs.length >= 3, 'every example has a failure branch');
    // a message as output 2 of dji-command carries it when the dock refuses a command
    const refused = {
      status: 'FAILED',
      command_id: 'cmd-1',
      payload: { command_id: 'cmd-1', command_type: 'cover_open', status: 'FAILED', response_code: 514153, response_message: 'dock left remote debug mode' },
    };
    for (const n of debugs) {
      assert.equal(n.type, 'debug', `${n.id} is a debug node`);
      assert.equal(n.targetType, 'jsonata', `${n.id} shows an expression, not the whole message`);
      const expr = rt.RED.util.prepareJSONataExpression(n.complete, null);
      const shown = await new Promise((resolve, reject) =>
        rt.RED.util.evaluateJSONataExpression(expr, structuredClone(refused), (err: Error | null, v: unknown) => (err ? reject(err) : resolve(v))),
      );
      assert.equal(shown, 'cover_open · FAILED · dock left remote debug mode · code 514153', `${n.id}`);
    }
    const catchDebugs = flows.filter((n) => n.type === 'debug' && flows.some((c) => c.type === 'catch' && c.wires[0].includes(n.id)));
    assert.equal(catchDebugs.length, examples.length);
    for (const n of catchDebugs) assert.deepEqual([n.targetType, n.complete], ['msg', 'error.message'], `${n.id} shows the error text`);
  });

  test('the API key is nowhere in flows.json, GET /flows, GET /credentials or any delivered message', async () => {
    const key = sim.apiKey;
    assert.ok(key.length >= 16);
    const onDisk = fs.readFileSync(path.join(rt.userDir, 'flows.json'), 'utf8');
    assert.ok(!onDisk.includes(key), 'flows.json');
    const flowsRes = await rt.get('flows', { 'Node-RED-API-Version': 'v2' });
    assert.equal(flowsRes.status, 200);
    assert.ok(!flowsRes.body.includes(key), 'GET /flows');
    assert.ok(flowsRes.body.includes('"utmos-config"'));
    const creds = await rt.get('credentials/utmos-config/utmos-example-config');
    assert.equal(creds.status, 200);
    assert.ok(!creds.body.includes(key), 'GET /credentials');
    const parsed = JSON.parse(creds.body);
    assert.equal(parsed.has_apiKey, true);
    assert.equal(parsed.apiId, sim.apiId, 'text credential apiId is sent to the editor');
    assert.ok(!JSON.stringify([...rt.delivered.values()]).includes(key), 'delivered messages');
    assert.ok(rt.delivered.size > 10, 'messages were captured at all');
  });
});
