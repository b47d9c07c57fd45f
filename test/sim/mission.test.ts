import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import mqtt from 'mqtt';
import { Simulator, startSimulator } from '../../sim';
import { Creds, control, runCommand, signed, waitFor } from './helpers';
import { BUCKET, DEMO_ROUTE, preparePayload, presign, uploadWayline } from './wayline-helpers';

const DR = '/api/v1/open/device-requests';

describe('wayline mission and device requests', () => {
  let sim: Simulator;
  let c: Creds;
  before(async () => {
    sim = await startSimulator({ docks: 2, replyDelayMs: 10, timeFactor: 0.01, jobDurationMs: 40 });
    c = { base: sim.http, apiId: sim.apiId, apiKey: sim.apiKey };
  });
  after(() => sim.close());
  const dockOf = (sn: string): any => sim.control.getDock(sn);

  test('prepare downloads and checks the file → execute flies every waypoint of the route → mission finishes', async () => {
    // watch the dock's DJI traffic like a real cloud would
    const watcher = await mqtt.connectAsync(sim.mqtt, { clientId: 'watch-' + randomUUID().slice(0, 6) });
    const events: Array<Record<string, any>> = [];
    watcher.on('message', (_t, p) => events.push(JSON.parse(p.toString())));
    await watcher.subscribeAsync('thing/product/dock-001/events', { qos: 1 });

    // debug mode first: debug_mode_open is refused later while the mission runs
    assert.equal((await runCommand(c, 'dock-001', 'debug_mode_open')).body.status, 'SUCCEEDED');
    assert.equal((await runCommand(c, 'dock-001', 'debug_mode_close')).body.status, 'SUCCEEDED');

    const file = await uploadWayline(c);
    const getsBefore = sim.objects.counters.gets;
    const flightId = 'flight-' + randomUUID().slice(0, 8);
    const prep = await runCommand(c, 'dock-001', 'flighttask_prepare', preparePayload(flightId, file));
    assert.equal(prep.body.status, 'SUCCEEDED', JSON.stringify(prep.body));
    assert.equal(sim.objects.counters.gets, getsBefore + 1, 'the dock downloaded the file on prepare');
    const prepared = dockOf('dock-001').mission;
    assert.equal(prepared.phase, 'prepared');
    assert.equal(prepared.waypoint_count, DEMO_ROUTE.length);
    assert.equal(prepared.fingerprint, file.fingerprint);
    assert.ok(prepared.planned_flight_ms > 0);

    const exec = await runCommand(c, 'dock-001', 'flighttask_execute', { flight_id: flightId });
    assert.equal(exec.body.status, 'SUCCEEDED');
    const again = await runCommand(c, 'dock-001', 'flighttask_execute', { flight_id: flightId });
    assert.equal(again.body.response_code, '321257', 'same mission cannot start twice');

    // the mission runs: cover open, aircraft out, working mode; debug mode is refused meanwhile
    await waitFor(() => dockOf('dock-001').mission.phase === 'executing', 2000, 5);
    const flying = dockOf('dock-001');
    assert.equal(flying.mode_code, 4);
    assert.equal(flying.cover_state, 1);
    assert.equal(flying.drone_in_dock, 0);
    assert.equal(flying.mission.resource_requests, 0, 'a URL that has not expired needs no flighttask_resource_get');
    const other = await runCommand(c, 'dock-001', 'flighttask_execute', { flight_id: 'another' });
    assert.equal(other.body.response_code, '319016');

    await waitFor(() => dockOf('dock-001').mission.phase === 'finished', 5000);
    const landed = dockOf('dock-001');
    assert.equal(landed.mode_code, 0);
    assert.equal(landed.cover_state, 0);
    assert.equal(landed.drone_in_dock, 1);
    const asked = await signed(c, 'GET', DR, { query: 'request_type=flighttask_resource_get&device_id=dock-001' });
    assert.equal(asked.body.items.filter((i: any) => i.inbound_payload?.resource_ids?.[0] === flightId).length, 0);

    await waitFor(() => events.some((e) => e.method === 'flighttask_progress' && e.data.output.status === 'ok'), 2000);
    const progress = events.filter((e) => e.method === 'flighttask_progress');
    assert.equal(progress.length, DEMO_ROUTE.length + 1, 'one event per waypoint reached, one for the way back');
    assert.equal(progress[0]?.need_reply, 1);
    assert.equal(progress[0]?.bid, sim.control.getCommand(exec.body.command_id).bid, 'progress carries the execute bid');
    const percents = progress.map((e) => e.data.output.progress.percent);
    assert.deepEqual(
      [...percents].sort((a, b) => a - b),
      percents,
      'progress rises',
    );
    assert.equal(percents.at(-1), 100);
    assert.deepEqual(
      progress.slice(0, DEMO_ROUTE.length).map((e) => e.data.output.ext.current_waypoint_index),
      [0, 1, 2],
    );
    assert.equal(progress.at(-1)!.data.output.ext.flight_id, flightId);
    await watcher.endAsync();
  });

  test('a URL that expired before take-off: flighttask_resource_get → API reply with a fresh URL → the dock fetches it and flies', async () => {
    const file = await uploadWayline(c);
    const flightId = 'expired-' + randomUUID().slice(0, 8);
    assert.equal((await runCommand(c, 'dock-001', 'flighttask_prepare', preparePayload(flightId, file))).body.status, 'SUCCEEDED');
    await control(sim.http, 'POST', '/__sim/objects/clock', { advance_ms: 2 * 3600_000 });
    try {
      const exec = await runCommand(c, 'dock-001', 'flighttask_execute', { flight_id: flightId });
      assert.equal(exec.body.status, 'SUCCEEDED');
      // the dock asks for the wayline file again: it shows up as a device request
      const item = await waitFor(async () => {
        const r = await signed(c, 'GET', DR, { query: 'request_type=flighttask_resource_get&device_id=dock-001' });
        return r.body.items.find((i: any) => i.inbound_payload?.resource_ids?.[0] === flightId);
      });
      assert.equal(item.vendor, 'dji');
      assert.equal(item.device_id, 'dock-001');
      // inbound_payload fields as the requests page lists them for this type; pending for the cloud
      assert.deepEqual(item.inbound_payload, { resource_type: 'wayline', resource_ids: [flightId] });
      assert.equal(item.routing_decision, 'manual_reply_required');
      assert.equal(item.reply_code, 'PENDING');
      assert.equal(item.replied_at, null);
      assert.equal(dockOf('dock-001').mission.phase, 'fetching');

      const fresh = await presign(c, { bucket: BUCKET, object_key: file.object_key, method: 'GET', expires_seconds: 600 });
      assert.equal(fresh.status, 200);
      const output = { file: { url: fresh.body.url, fingerprint: file.fingerprint } };
      const reply = await signed(c, 'POST', `${DR}/${item.request_id}/reply`, {
        body: { reply_code: 'APPROVED', reply_message: 'here is the route', payload: output },
      });
      assert.equal(reply.status, 202);
      assert.equal(reply.body.reply_source, 'manual');
      const detail = await signed(c, 'GET', `${DR}/${item.request_id}`);
      assert.deepEqual(detail.body.standardized_reply, { result: 0, output });
      assert.equal(detail.body.reply_code, 'APPROVED');
      assert.equal(detail.body.updated_at, detail.body.replied_at, 'updated_at follows the reply');

      await waitFor(() => dockOf('dock-001').mission.phase === 'finished', 5000);
      const m = dockOf('dock-001').mission;
      assert.equal(m.resource_requests, 1);
      assert.equal(m.file_url, fresh.body.url, 'the dock holds the fresh URL');
      const env = dockOf('dock-001').requests_replies_received.find((r: any) => r.method === 'flighttask_resource_get');
      assert.deepEqual(env.data, { result: 0, output });
    } finally {
      await control(sim.http, 'POST', '/__sim/objects/clock', { advance_ms: -2 * 3600_000 });
    }
  });

  test('return_home during a mission ends it early', async () => {
    const file = await uploadWayline(
      c,
      DEMO_ROUTE.map((w) => ({ ...w, actions: [{ type: 'hover', seconds: 60 }] })),
    );
    const flightId = 'rth-' + randomUUID().slice(0, 8);
    assert.equal((await runCommand(c, 'dock-002', 'flighttask_prepare', preparePayload(flightId, file))).body.status, 'SUCCEEDED');
    await runCommand(c, 'dock-002', 'flighttask_execute', { flight_id: flightId });
    await waitFor(() => dockOf('dock-002').mission.phase === 'executing', 2000, 5);
    const rth = await runCommand(c, 'dock-002', 'return_home');
    assert.equal(rth.body.status, 'SUCCEEDED');
    await waitFor(() => dockOf('dock-002').mission.phase === 'finished', 3000);
    assert.equal(dockOf('dock-002').drone_in_dock, 1);
  });

  test('device-request list: filters, limit, newest first, validation and 404s', async () => {
    const a = await sim.control.raiseDeviceRequest('dock-002', { request_type: 'config', data: { scope: 'dock', items: ['network', 'storage'] } });
    const b = (await control(sim.http, 'POST', '/__sim/docks/dock-002/requests', { request_type: 'storage_config_get', data: { module: 0 } })).body;
    assert.match(b.request_id, /^[0-9a-f-]{36}$/);
    const all = await signed(c, 'GET', DR);
    assert.equal(all.status, 200);
    assert.ok(all.body.request_id);
    assert.equal(all.body.items[0].request_id, b.request_id, 'newest first');
    assert.equal(all.body.items[1].request_id, a.request_id);

    const cfg = await signed(c, 'GET', DR, { query: 'request_type=config&vendor=dji' });
    assert.ok(cfg.body.items.length >= 1);
    assert.ok(cfg.body.items.every((i: any) => i.request_type === 'config'));
    const dock1 = await signed(c, 'GET', DR, { query: 'device_id=dock-001&request_type=config' });
    assert.deepEqual(dock1.body.items, []);
    const px4 = await signed(c, 'GET', DR, { query: 'vendor=px4' });
    assert.deepEqual(px4.body.items, []);
    const one = await signed(c, 'GET', DR, { query: 'limit=1' });
    assert.equal(one.body.items.length, 1);

    for (const q of ['limit=0', 'limit=501', 'limit=abc', 'limit=1.5', 'colour=blue', 'vendor=']) {
      const r = await signed(c, 'GET', DR, { query: q });
      assert.equal(r.status, 400, q);
      assert.equal(r.body.code, 'VALIDATION_FAILED', q);
    }

    let r = await signed(c, 'GET', `${DR}/${randomUUID()}`);
    assert.equal(r.status, 404);
    assert.equal(r.body.code, 'DEVICE_REQUEST_NOT_FOUND');
    r = await signed(c, 'POST', `${DR}/${randomUUID()}/reply`, { body: { reply_code: 'APPROVED' } });
    assert.equal(r.status, 404);
    assert.equal(r.body.code, 'DEVICE_REQUEST_NOT_FOUND');

    for (const bad of [{}, { reply_code: '' }, { reply_code: 'APPROVED', payload: [] }, { reply_code: 'APPROVED', reply_message: 5 }]) {
      r = await signed(c, 'POST', `${DR}/${a.request_id}/reply`, { body: bad });
      assert.equal(r.status, 400);
      assert.equal(r.body.code, 'VALIDATION_FAILED');
    }
    r = await signed(c, 'POST', `${DR}/${a.request_id}/reply`, { body: 'nope' });
    assert.equal(r.body.code, 'INVALID_REQUEST_BODY');

    // a rejection is sent to the dock as result 1; a second reply overwrites by default
    r = await signed(c, 'POST', `${DR}/${a.request_id}/reply`, { body: { reply_code: 'REJECTED' } });
    assert.equal(r.status, 202);
    r = await signed(c, 'POST', `${DR}/${a.request_id}/reply`, { body: { reply_code: 'APPROVED', payload: { ntp_server_host: 'ntp.local' } } });
    assert.equal(r.status, 202);
    const d = await waitFor(() => {
      const dock = dockOf('dock-002') as { requests_replies_received: Array<Record<string, any>> };
      const got = dock.requests_replies_received.filter((e) => e.method === 'config');
      return got.length >= 2 ? got : undefined;
    });
    assert.equal(d.at(-2)!.data.result, 1);
    assert.deepEqual(d.at(-1)!.data, { result: 0, output: { ntp_server_host: 'ntp.local' } });
    assert.equal(sim.control.counters().requests_replies_published >= 3, true);
  });

  test('a route request that is never answered fails the mission (314013), and so does a second execute', async () => {
    const other = await startSimulator({ docks: 1, replyDelayMs: 5, resourceTimeoutMs: 150, timeFactor: 0.01 });
    try {
      const oc = { base: other.http, apiId: other.apiId, apiKey: other.apiKey };
      const file = await uploadWayline(oc);
      assert.equal((await runCommand(oc, 'dock-001', 'flighttask_prepare', preparePayload('lonely', file))).body.status, 'SUCCEEDED');
      other.objects.clockOffsetMs = 2 * 3600_000;
      assert.equal((await runCommand(oc, 'dock-001', 'flighttask_execute', { flight_id: 'lonely' })).body.status, 'SUCCEEDED');
      await waitFor(() => (other.control.getDock('dock-001') as any).mission.phase === 'failed', 3000);
      assert.equal((other.control.getDock('dock-001') as any).mission.failure_code, 314013);
      const exec = await runCommand(oc, 'dock-001', 'flighttask_execute', { flight_id: 'lonely' });
      assert.equal(exec.body.response_code, '314013');
    } finally {
      await other.close();
    }
  });

  test('secondReply "conflict" answers 409 DEVICE_REQUEST_ALREADY_REPLIED; docks raise config requests periodically', async () => {
    const other = await startSimulator({ docks: 1, secondReply: 'conflict', configRequestIntervalMs: 50 });
    try {
      const oc = { base: other.http, apiId: other.apiId, apiKey: other.apiKey };
      const item = await waitFor(async () => (await signed(oc, 'GET', DR, { query: 'request_type=config' })).body.items[0]);
      assert.deepEqual(item.inbound_payload, { scope: 'dock', items: ['network', 'storage'] });
      let r = await signed(oc, 'POST', `${DR}/${item.request_id}/reply`, { body: { reply_code: 'APPROVED' } });
      assert.equal(r.status, 202);
      r = await signed(oc, 'POST', `${DR}/${item.request_id}/reply`, { body: { reply_code: 'APPROVED' } });
      assert.equal(r.status, 409);
      assert.equal(r.body.code, 'DEVICE_REQUEST_ALREADY_REPLIED');
    } finally {
      await other.close();
    }
  });
});
