import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import mqtt from 'mqtt';
import { Simulator, startSimulator } from '../../sim';
import { Creds, control, nextMessage, signed } from './helpers';

const CMD = '/api/v1/open/downlink/commands';
const body = (): Record<string, unknown> => ({
  vendor: 'dji',
  device_id: 'dock-001',
  command_type: 'alarm_state_switch',
  payload: { action: 1 },
  idempotency_key: randomUUID(),
});

describe('/__sim/ controls', () => {
  let sim: Simulator;
  let c: Creds;
  before(async () => {
    sim = await startSimulator({ docks: 1, replyDelayMs: 5 });
    c = { base: sim.http, apiId: sim.apiId, apiKey: sim.apiKey };
  });
  after(() => sim.close());

  test('health, counters and reset', async () => {
    assert.deepEqual((await control(sim.http, 'GET', '/__sim/health')).body, { ok: true });
    await control(sim.http, 'POST', '/__sim/counters/reset');
    await signed(c, 'POST', CMD, { body: body() });
    await signed(c, 'GET', '/api/v1/open/device-requests');
    const counters = (await control(sim.http, 'GET', '/__sim/counters')).body;
    assert.equal(counters.calls['POST /api/v1/open/downlink/commands'], 1);
    assert.equal(counters.calls['GET /api/v1/open/device-requests'], 1);
    assert.equal(counters.calls['GET /api/v1/open/downlink/commands/:id'], 0);
    assert.equal(counters.total_calls, 2);
    assert.equal(counters.commands_created, 1);
    assert.equal(counters.services_published, 1);
    for (const k of ['idempotent_replays', 'faults_injected', 'unmatched_replies', 'requests_replies_published']) {
      assert.equal(counters[k], 0, k);
    }
    assert.deepEqual(Object.keys(counters.auth_failures).sort(), ['FORBIDDEN', 'NONCE_REPLAYED', 'SIGNATURE_INVALID', 'TIMESTAMP_EXPIRED', 'UNAUTHORIZED']);
    const reset = await control(sim.http, 'POST', '/__sim/counters/reset');
    assert.equal(reset.body.total_calls, 0);
  });

  test('faults answer before auth and processing, with defaults and Retry-After', async () => {
    await control(sim.http, 'POST', '/__sim/counters/reset');
    let r = await control(sim.http, 'POST', '/__sim/faults', { status: 503, count: 2, retry_after: 3, match: 'POST /api/v1/open/downlink/commands' });
    assert.equal(r.status, 200);
    // a non-matching call is not affected
    r = await signed(c, 'GET', '/api/v1/open/device-requests');
    assert.equal(r.status, 200);
    const b = body();
    r = await signed(c, 'POST', CMD, { body: b, headers: { 'X-Request-Id': 'req-fault' } });
    assert.equal(r.status, 503);
    assert.equal(r.body.code, 'INTERNAL_ERROR');
    assert.equal(r.body.request_id, 'req-fault');
    assert.equal(r.headers['retry-after'], '3');
    // even an unsigned call gets the fault (it comes before auth)
    r = await control(sim.http, 'POST', CMD, {});
    assert.equal(r.status, 503);
    r = await signed(c, 'POST', CMD, { body: b });
    assert.equal(r.status, 202, 'nothing was created by the faulted call');
    let counters = sim.control.counters();
    assert.equal(counters.faults_injected, 2);
    assert.equal(counters.commands_created, 1);
    assert.equal(counters.calls['POST /api/v1/open/downlink/commands'], 3);

    await control(sim.http, 'POST', '/__sim/faults', { status: 429, count: 1 });
    r = await signed(c, 'GET', '/api/v1/open/device-requests');
    assert.equal(r.status, 429);
    assert.equal(r.body.code, 'RATE_LIMITED');
    sim.control.addFault({ status: 500, count: 1, code: 'CUSTOM', message: 'boom' });
    r = await signed(c, 'GET', '/api/v1/open/device-requests');
    assert.deepEqual([r.status, r.body.code, r.body.message], [500, 'CUSTOM', 'boom']);
    await control(sim.http, 'POST', '/__sim/faults', { status: 500, count: 5 });
    await control(sim.http, 'DELETE', '/__sim/faults');
    r = await signed(c, 'GET', '/api/v1/open/device-requests');
    assert.equal(r.status, 200);
    counters = sim.control.counters();
    assert.equal(counters.faults_injected, 4);

    r = await control(sim.http, 'POST', '/__sim/faults', { status: 200, count: 1 });
    assert.equal(r.status, 400);
    assert.equal(r.body.code, 'VALIDATION_FAILED');
    assert.match(r.body.message, /status/);
  });

  test('latency delays matching calls, as many times as asked, until cleared', async () => {
    const latency = async () => (await control(sim.http, 'GET', '/__sim/faults')).body.latency as Array<{ ms: number; remaining: number | null }>;
    await control(sim.http, 'POST', '/__sim/latency', { ms: 500, count: 1, match: 'GET /api/v1/open/device-requests' });
    assert.deepEqual((await latency()).map((l) => [l.ms, l.remaining]), [[500, 1]]);
    let t = Date.now();
    await signed(c, 'GET', '/api/v1/open/device-requests');
    assert.ok(Date.now() - t >= 480, 'delayed');
    assert.deepEqual(await latency(), [], 'used up by the one call it was for');
    await control(sim.http, 'POST', '/__sim/latency', { ms: 300 });
    t = Date.now();
    await signed(c, 'GET', '/api/v1/open/device-requests');
    await signed(c, 'GET', '/api/v1/open/device-requests');
    assert.ok(Date.now() - t >= 590, 'without count: every call until cleared');
    assert.deepEqual((await latency()).map((l) => [l.ms, l.remaining]), [[300, null]], 'still there after two calls');
    await control(sim.http, 'DELETE', '/__sim/faults');
    assert.deepEqual(await latency(), [], 'cleared');
  });

  test('drop before: nothing processed; drop after: the command exists, no response', async () => {
    await control(sim.http, 'POST', '/__sim/counters/reset');
    await control(sim.http, 'POST', '/__sim/drop', { count: 1, phase: 'before', match: 'POST /api/v1/open/downlink/commands' });
    const b1 = body();
    await assert.rejects(signed(c, 'POST', CMD, { body: b1 }));
    assert.equal(sim.control.counters().commands_created, 0);
    assert.equal((await signed(c, 'POST', CMD, { body: b1 })).status, 202);

    await control(sim.http, 'POST', '/__sim/drop', { count: 1, phase: 'after' });
    const b2 = body();
    await assert.rejects(signed(c, 'POST', CMD, { body: b2 }));
    assert.equal(sim.control.counters().commands_created, 2, 'created and persisted');
    const retry = await signed(c, 'POST', CMD, { body: b2 });
    assert.equal(retry.status, 200, 'a retry with the same key replays the stored command');
  });

  test('dock list and details, unknown dock, bad patch, internal command record', async () => {
    const list = await control(sim.http, 'GET', '/__sim/docks');
    assert.equal(list.body.items[0].sn, 'dock-001');
    assert.equal(list.body.items[0].aircraft_sn, 'drone-001');
    assert.equal(list.body.items[0].online, true);
    const unknown = await control(sim.http, 'GET', '/__sim/docks/dock-404');
    assert.equal(unknown.status, 404);
    const bad = await control(sim.http, 'POST', '/__sim/docks/dock-001', { failure_rate: 2 });
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /failure_rate/);
    const patched = await control(sim.http, 'POST', '/__sim/docks/dock-001', { reply_delay_ms: 20 });
    assert.equal(patched.body.controls.reply_delay_ms, 20);

    const created = await signed(c, 'POST', CMD, { body: body() });
    const id = created.body.command_id;
    const rec = await sim.control.waitForCommand(id, 3000);
    const viaHttp = (await control(sim.http, 'GET', `/__sim/commands/${id}`)).body;
    assert.equal(viaHttp.status, 'SUCCEEDED');
    assert.equal(viaHttp.tid, rec.tid);
    assert.equal(typeof viaHttp.bid, 'string');
    assert.ok(viaHttp.terminal_at_ms > 1e12);
    assert.equal((await control(sim.http, 'GET', `/__sim/commands/${randomUUID()}`)).status, 404);
    assert.equal((await control(sim.http, 'GET', '/__sim/nothing')).status, 404);
    const req = await control(sim.http, 'POST', '/__sim/docks/dock-001/requests', {});
    assert.equal(req.status, 400);
  });

  test('the dock speaks DJI: update_topo on connect, services_reply echoes tid/bid/method', async () => {
    const client = await mqtt.connectAsync(sim.mqtt, { clientId: 'cloud-' + randomUUID().slice(0, 6) });
    await client.subscribeAsync(['thing/product/dock-001/services_reply', 'sys/product/dock-001/status'], { qos: 1 });
    const announced = nextMessage(client, (m) => m.topic === 'sys/product/dock-001/status');
    await sim.control.configureDock('dock-001', { online: false });
    await sim.control.configureDock('dock-001', { online: true });
    const tid = randomUUID();
    const bid = randomUUID();
    const replied = nextMessage(client, (m) => m.msg.tid === tid);
    await client.publishAsync('thing/product/dock-001/services', JSON.stringify({ tid, bid, timestamp: Date.now(), method: 'camera_recording_stop', data: { payload_index: '80-0-0' } }), { qos: 1 });
    const topo = (await announced).msg;
    assert.equal(topo.method, 'update_topo');
    assert.equal(topo.data.domain, '3');
    assert.equal(topo.data.sub_devices[0].sn, 'drone-001');
    assert.equal(typeof topo.timestamp, 'number');
    const reply = (await replied).msg;
    assert.equal(reply.bid, bid);
    assert.equal(reply.method, 'camera_recording_stop');
    assert.equal(reply.gateway, 'dock-001');
    assert.deepEqual(reply.data, { result: 327008 }, 'a DJI services_reply carries the result code, no message');
    await client.endAsync();
  });

  test('MQTT credentials are enforced when configured', async () => {
    const locked = await startSimulator({ docks: 1, mqttUsername: 'u', mqttPassword: 'p' });
    try {
      await assert.rejects(mqtt.connectAsync(locked.mqtt, { reconnectPeriod: 0, username: 'u', password: 'wrong' }));
      const ok = await mqtt.connectAsync(locked.mqtt, { reconnectPeriod: 0, username: 'u', password: 'p' });
      await ok.endAsync();
      assert.equal(locked.control.listDocks()[0]?.online, true);
    } finally {
      await locked.close();
    }
  });
});

test('close() leaves nothing that keeps the process alive', () => {
  const index = path.join(__dirname, '..', '..', 'sim', 'index.js');
  const script = `
    const { startSimulator } = require(${JSON.stringify(index)});
    (async () => {
      const sim = await startSimulator({ docks: 3, osdIntervalMs: 50, configRequestIntervalMs: 50 });
      // the docks' OSD and config timers run: as many config requests as docks have come in
      const deadline = Date.now() + 5000;
      while (sim.control.counters().device_requests_received < 2 * sim.dockSns.length) {
        if (Date.now() > deadline) throw new Error('the docks raised no config requests');
        await new Promise((r) => setTimeout(r, 10));
      }
      await sim.close();
      process.stdout.write('closed');
    })();
  `;
  // The 10 s guard kills a process that something keeps alive after close().
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 10_000 });
  assert.equal(r.signal, null, 'the process exited by itself, not killed by the 10 s guard');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'closed');
});
