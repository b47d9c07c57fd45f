import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import mqtt from 'mqtt';
import { Simulator, startSimulator } from '../../sim';
import { Creds, control, runCommand, signed, waitFor } from './helpers';

const CMD = '/api/v1/open/downlink/commands';

describe('downlink commands', () => {
  let sim: Simulator;
  let c: Creds;
  before(async () => {
    sim = await startSimulator({ docks: 3, replyDelayMs: 10, jobDurationMs: 40 });
    c = { base: sim.http, apiId: sim.apiId, apiKey: sim.apiKey };
  });
  after(() => sim.close());

  const valid = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
    vendor: 'dji',
    device_id: 'dock-001',
    command_type: 'alarm_state_switch',
    payload: { action: 1 },
    idempotency_key: randomUUID(),
    ...over,
  });

  test('invalid JSON → 400 INVALID_REQUEST_BODY', async () => {
    const r = await signed(c, 'POST', CMD, { body: '{"vendor":' });
    assert.equal(r.status, 400);
    assert.equal(r.body.code, 'INVALID_REQUEST_BODY');
    assert.ok(r.body.request_id);
  });

  test('validation errors name the field', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [valid({ vendor: '' }), 'vendor'],
      [valid({ device_id: 5 }), 'device_id'],
      [valid({ command_type: undefined }), 'command_type'],
      [valid({ payload: [] }), 'payload'],
      [valid({ payload: null }), 'payload'],
      [valid({ payload: undefined }), 'payload'],
      [valid({ idempotency_key: '' }), 'idempotency_key'],
      [valid({ idempotency_key: 'k'.repeat(129) }), 'idempotency_key'],
      [valid({ timeout_seconds: 0 }), 'timeout_seconds'],
      [valid({ timeout_seconds: 301 }), 'timeout_seconds'],
      [valid({ timeout_seconds: 2.5 }), 'timeout_seconds'],
      [valid({ timeout_seconds: '30' }), 'timeout_seconds'],
    ];
    for (const [b, field] of cases) {
      const r = await signed(c, 'POST', CMD, { body: b });
      assert.equal(r.status, 400, field);
      assert.equal(r.body.code, 'VALIDATION_FAILED', field);
      assert.match(r.body.message, new RegExp(field), field);
    }
    const arr = await signed(c, 'POST', CMD, { body: [1] });
    assert.equal(arr.body.code, 'VALIDATION_FAILED');
  });

  test('unsupported vendor and command', async () => {
    let r = await signed(c, 'POST', CMD, { body: valid({ vendor: 'px4' }) });
    assert.equal(r.status, 400);
    assert.equal(r.body.code, 'UNSUPPORTED_VENDOR');
    r = await signed(c, 'POST', CMD, { body: valid({ command_type: 'self_destruct' }) });
    assert.equal(r.status, 400);
    assert.equal(r.body.code, 'UNSUPPORTED_COMMAND');
  });

  test('idempotency: 202, then 200 with the same id for an equal body, 409 for a different body', async () => {
    const b = valid({ timeout_seconds: 20 });
    const first = await signed(c, 'POST', CMD, { body: b });
    assert.equal(first.status, 202);
    assert.equal(first.body.status, 'ACCEPTED');
    assert.match(first.body.command_id, /^[0-9a-f-]{36}$/);
    assert.ok(!Number.isNaN(Date.parse(first.body.accepted_at)));
    // same content, different key order and whitespace
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(b).reverse()), null, 2);
    const again = await signed(c, 'POST', CMD, { body: reordered });
    assert.equal(again.status, 200);
    assert.equal(again.body.command_id, first.body.command_id);
    assert.equal(again.body.accepted_at, first.body.accepted_at);
    const conflict = await signed(c, 'POST', CMD, { body: { ...b, payload: { action: 0 } } });
    assert.equal(conflict.status, 409);
    assert.equal(conflict.body.code, 'IDEMPOTENCY_CONFLICT');
    const counters = sim.control.counters();
    assert.ok(counters.idempotent_replays >= 1);
  });

  test('GET an unknown command → 404 COMMAND_NOT_FOUND', async () => {
    const r = await signed(c, 'GET', `${CMD}/${randomUUID()}`);
    assert.equal(r.status, 404);
    assert.equal(r.body.code, 'COMMAND_NOT_FOUND');
  });

  test('one command per domain reaches SUCCEEDED through the MQTT docks', async () => {
    const perDomain: Array<[string, string, Record<string, unknown>]> = [
      ['dock-001', 'debug_mode_open', {}], // device
      ['drone-001', 'camera_photo_take', { payload_index: '80-0-0' }], // camera
      ['drone-001', 'flight_authority_grab', {}], // drc
      ['dock-001', 'flighttask_create', { flight_id: 'f-create', type: 'wayline', file: { url: 'https://x/y.kmz' } }], // wayline
      ['drone-001', 'speaker_play_volume_set', { psdk_index: 0, index: 0, play_volume: 50 }], // psdk
      ['dock-001', 'flight_areas_update', {}], // safety
      ['drone-001', 'live_start_push', { url_type: 1, url: 'rtmp://127.0.0.1/live', video_id: 'drone-001/80-0-0/normal-0', video_quality: 0 }], // live
      ['dock-001', 'fileupload_list', { module_list: ['0', '3'] }], // file
      ['dock-001', 'ota_create', { devices: [{ sn: 'dock-001', product_version: '1.0', firmware_upgrade_type: 3 }] }], // firmware
    ];
    const results = await Promise.all(perDomain.map(([d, m, p]) => runCommand(c, d, m, p)));
    for (const [i, r] of results.entries()) {
      const [deviceId, method] = perDomain[i] ?? [];
      assert.equal(r.body.status, 'SUCCEEDED', `${method}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.public_status, 'SUCCEEDED');
      assert.equal(r.body.device_id, deviceId);
      assert.equal(r.body.command_type, method);
      assert.equal(r.body.response_code, '0');
      assert.equal(r.body.response_message, '', 'docks reply with result and output, no message');
      assert.equal(r.body.vendor_response.result, 0);
      for (const f of ['accepted_at', 'delivered_at', 'completed_at', 'response_received_at', 'updated_at']) {
        assert.ok(r.body[f], `${method} ${f}`);
      }
      assert.equal('failure_code' in r.body, false);
    }
    // extra reply fields next to result are kept in vendor_response
    assert.ok(Array.isArray(results[7]?.body.vendor_response.files));
    assert.equal(results[8]?.body.vendor_response.output.status, 'in_progress');
  });

  test('wrong-state failures use real DJI codes', async () => {
    await runCommand(c, 'drone-002', 'camera_recording_start', { payload_index: '80-0-0' });
    const second = await runCommand(c, 'drone-002', 'camera_recording_start', { payload_index: '80-0-0' });
    assert.equal(second.body.status, 'FAILED');
    assert.equal(second.body.failure_code, 'DEVICE_EXECUTION_FAILED');
    assert.equal(second.body.response_code, '327007');
    assert.equal(second.body.vendor_response.result, 327007);
    assert.equal(second.body.response_message, '', 'a DJI services_reply carries result and output, not a message');
    assert.equal(second.body.failure_reason, 'device returned result 327007');
    assert.equal('message' in second.body.vendor_response, false);

    const stop = await runCommand(c, 'drone-002', 'camera_recording_stop', { payload_index: '53-0-0' });
    assert.equal(stop.body.response_code, '327008');

    const cover = await runCommand(c, 'dock-002', 'cover_open', {});
    assert.equal(cover.body.response_code, '514153', 'remote-debug job outside debug mode');

    const rth = await runCommand(c, 'dock-002', 'return_home', {});
    assert.equal(rth.body.status, 'FAILED');
    assert.match(rth.body.response_code, /^319/);

    const live = { url_type: 1, url: 'rtmp://127.0.0.1/l', video_id: 'drone-002/80-0-0/normal-0', video_quality: 0 };
    assert.equal((await runCommand(c, 'drone-002', 'live_start_push', live)).body.status, 'SUCCEEDED');
    assert.equal((await runCommand(c, 'drone-002', 'live_start_push', live)).body.response_code, '513003');

    const noFile = await runCommand(c, 'dock-002', 'flighttask_prepare', { flight_id: 'f1', task_type: 0 });
    assert.equal(noFile.body.response_code, '325001');

    const unknownFlight = await runCommand(c, 'dock-002', 'flighttask_execute', { flight_id: 'never-prepared' });
    assert.equal(unknownFlight.body.response_code, '314000');

    // in remote debug mode: jobs run, missions are refused
    assert.equal((await runCommand(c, 'dock-002', 'debug_mode_open')).body.status, 'SUCCEEDED');
    const job = await runCommand(c, 'dock-002', 'cover_open', {});
    assert.equal(job.body.status, 'SUCCEEDED');
    assert.equal(job.body.vendor_response.output.status, 'in_progress');
    await waitFor(() => sim.control.getDock('dock-002').cover_state === 1, 2000);
    assert.equal((await runCommand(c, 'dock-002', 'drone_close', {})).body.status, 'SUCCEEDED');
    await waitFor(() => sim.control.getDock('dock-002').drone_online === false, 2000);
    const prep = await runCommand(c, 'dock-002', 'flighttask_prepare', {
      flight_id: 'f2',
      task_type: 0,
      execute_time: Date.now(),
      file: { url: 'https://x/f.kmz', fingerprint: 'abc' },
      rth_altitude: 100,
      out_of_control_action: 0,
      exit_wayline_when_rc_lost: 0,
    });
    assert.equal(prep.body.response_code, '514146');
    const dock = (await control(sim.http, 'GET', '/__sim/docks/dock-002')).body;
    assert.equal(dock.mode_code, 2);
    assert.equal(dock.debug_mode, true);
    assert.equal(dock.recording['80-0-0'], true);
    assert.ok(dock.services_received >= 10);
  });

  test('a device no dock owns → TIMED_OUT with DEVICE_TIMEOUT', async () => {
    const started = Date.now();
    const r = await runCommand(c, 'drone-999', 'cover_open', {}, { timeout_seconds: 1 }, 5000);
    assert.equal(r.body.status, 'TIMED_OUT');
    assert.equal(r.body.public_status, 'TIMED_OUT');
    assert.equal(r.body.failure_code, 'DEVICE_TIMEOUT');
    assert.equal('delivered_at' in r.body, false);
    assert.ok(Date.now() - started >= 900);
    const internal = sim.control.getCommand(r.body.command_id);
    assert.equal(typeof internal.terminal_at_ms, 'number');
  });

  test('reply_mode wrong_tid → UNMATCHED_RESPONSE (public_status UNKNOWN); stray replies are counted', async () => {
    await sim.control.configureDock('dock-003', { reply_mode: 'wrong_tid' });
    try {
      const r = await runCommand(c, 'dock-003', 'alarm_state_switch', { action: 1 });
      assert.equal(r.body.status, 'UNMATCHED_RESPONSE');
      assert.equal(r.body.public_status, 'UNKNOWN');
      const internal = sim.control.getCommand(r.body.command_id);
      assert.equal(internal.status, 'UNMATCHED_RESPONSE');
      assert.equal(typeof internal.tid, 'string');
      assert.equal(typeof internal.bid, 'string');
    } finally {
      await sim.control.configureDock('dock-003', { reply_mode: 'normal' });
    }
    const before = sim.control.counters().unmatched_replies;
    const client = await mqtt.connectAsync(sim.mqtt, { clientId: 'stray-' + randomUUID().slice(0, 6) });
    await client.publishAsync(
      'thing/product/dock-003/services_reply',
      JSON.stringify({ tid: randomUUID(), bid: randomUUID(), timestamp: Date.now(), method: 'x', data: { result: 0 } }),
      { qos: 1 },
    );
    await waitFor(() => sim.control.counters().unmatched_replies === before + 1, 2000);
    await client.endAsync();
  });

  test('services_reply → query fields as the method pages map them: code before result, message/msg/description, the whole reply kept', async () => {
    await sim.control.configureDock('dock-003', { silent: true });
    const client = await mqtt.connectAsync(sim.mqtt, { clientId: 'dock-reply-' + randomUUID().slice(0, 6) });
    try {
      const cases: Array<{ data: Record<string, unknown>; status: string; code: string; message: string }> = [
        { data: { result: 0, output: { status: 'ok' } }, status: 'SUCCEEDED', code: '0', message: '' },
        { data: { result: 514153 }, status: 'FAILED', code: '514153', message: '' },
        {
          data: { result: 1, code: 'E_BUSY', message: 'camera busy', output: { x: 1 }, ext_field: 'kept' },
          status: 'FAILED',
          code: 'E_BUSY',
          message: 'camera busy',
        },
        { data: { result: 2, msg: 'from msg' }, status: 'FAILED', code: '2', message: 'from msg' },
        { data: { result: 3, description: 'from description' }, status: 'FAILED', code: '3', message: 'from description' },
        { data: { result: 0, code: 0 }, status: 'SUCCEEDED', code: '0', message: '' },
      ];
      for (const { data, status, code, message } of cases) {
        const created = await signed(c, 'POST', CMD, { body: valid({ device_id: 'dock-003' }) });
        assert.equal(created.status, 202);
        const internal = sim.control.getCommand(created.body.command_id) as { tid: string; bid: string };
        await client.publishAsync(
          'thing/product/dock-003/services_reply',
          JSON.stringify({ tid: internal.tid, bid: internal.bid, timestamp: Date.now(), method: 'alarm_state_switch', data }),
          { qos: 1 },
        );
        const done = await sim.control.waitForCommand(created.body.command_id, 3000);
        const view = (await signed(c, 'GET', `${CMD}/${created.body.command_id}`)).body;
        assert.equal(done.status, status, JSON.stringify(data));
        assert.equal(view.response_code, code, JSON.stringify(data));
        assert.equal(view.response_message, message, JSON.stringify(data));
        assert.deepEqual(view.vendor_response, data, 'result, code, message, output and extension fields are preserved');
        if (status === 'FAILED') assert.equal(view.failure_code, 'DEVICE_EXECUTION_FAILED');
      }
    } finally {
      await client.endAsync();
      await sim.control.configureDock('dock-003', { silent: false });
    }
  });

  test('docks can fail, stay silent, go offline; DELIVERED only when the dock is online', async () => {
    await sim.control.configureDock('dock-003', { failure_rate: 1, failure_code: 514116 });
    let r = await runCommand(c, 'dock-003', 'alarm_state_switch', { action: 0 });
    assert.equal(r.body.response_code, '514116');
    await sim.control.configureDock('dock-003', { failure_rate: 0, silent: true });
    r = await runCommand(c, 'dock-003', 'alarm_state_switch', { action: 0 }, { timeout_seconds: 1 });
    assert.equal(r.body.status, 'TIMED_OUT');
    assert.ok(r.body.delivered_at, 'the dock was online, so the command was delivered');
    await control(sim.http, 'POST', '/__sim/docks/dock-003', { silent: false, online: false });
    const dock = sim.control.getDock('dock-003');
    assert.equal(dock.online, false);
    r = await runCommand(c, 'dock-003', 'alarm_state_switch', { action: 0 }, { timeout_seconds: 1 });
    assert.equal(r.body.status, 'TIMED_OUT');
    assert.equal('delivered_at' in r.body, false);
    await control(sim.http, 'POST', '/__sim/docks/dock-003', { online: true });
    r = await runCommand(c, 'dock-003', 'alarm_state_switch', { action: 0 });
    assert.equal(r.body.status, 'SUCCEEDED');
  });

  test('command events are published on the tenant topics after the state is stored', async () => {
    const client = await mqtt.connectAsync(sim.mqtt, { clientId: 'events-' + randomUUID().slice(0, 6) });
    const seen: Array<{ topic: string; body: Record<string, unknown>; status?: string; retain: boolean }> = [];
    client.on('message', (topic, payload, packet) => {
      const body = JSON.parse(payload.toString()) as Record<string, unknown>;
      // a client that fetches on the event sees at least that status
      const status = typeof body.command_id === 'string' ? String(sim.control.getCommand(body.command_id).status) : undefined;
      seen.push({ topic, body, status, retain: packet.retain });
    });
    await client.subscribeAsync(`tenant/${sim.tenantId}/#`, { qos: 1 });
    const r = await runCommand(c, 'dock-001', 'alarm_state_switch', { action: 1 });
    const id = r.body.command_id;
    await waitFor(() => seen.filter((s) => s.body.command_id === id).length === 2, 2000);
    const [acc, done] = seen.filter((s) => s.body.command_id === id);
    assert.ok(acc && done);
    assert.equal(acc.topic, `tenant/${sim.tenantId}/command/accepted`);
    assert.deepEqual(Object.keys(acc.body).sort(), ['command_id', 'command_type', 'device_id', 'event_type', 'occurred_at', 'status', 'tenant_id']);
    assert.equal(acc.body.event_type, 'command.accepted');
    assert.equal(acc.body.status, 'ACCEPTED');
    assert.equal(acc.body.tenant_id, sim.tenantId);
    assert.equal(done.topic, `tenant/${sim.tenantId}/command/completed`);
    assert.equal(done.body.event_type, 'command.completed');
    assert.equal(done.body.status, 'SUCCEEDED');
    assert.equal(done.status, 'SUCCEEDED');
    assert.equal(acc.retain, false);

    const req = await sim.control.raiseDeviceRequest('dock-001', { request_type: 'config', data: { scope: 'dock', items: ['network', 'storage'] } });
    await waitFor(() => seen.find((s) => s.body.request_id === req.request_id), 2000);
    const ev = seen.find((s) => s.body.request_id === req.request_id)!;
    assert.equal(ev.topic, `tenant/${sim.tenantId}/device_request/received`);
    assert.equal(ev.body.event_type, 'device_request.received');
    assert.equal(ev.body.request_type, 'config');
    assert.equal(ev.body.device_id, 'dock-001');
    await client.endAsync();
  });

  test('reply_delay_max_ms spreads reply durations between the two bounds; 0 turns the spread off', async () => {
    const patched = await sim.control.configureDock('dock-002', { reply_delay_ms: 10, reply_delay_max_ms: 400 });
    assert.deepEqual([(patched.controls as any).reply_delay_ms, (patched.controls as any).reply_delay_max_ms], [10, 400]);
    const rs = await Promise.all(
      Array.from({ length: 30 }, () => signed(c, 'POST', CMD, { body: valid({ device_id: 'dock-002', command_type: 'debug_mode_open', payload: {} }) })),
    );
    const durations: number[] = [];
    for (const r of rs) {
      assert.equal(r.status, 202);
      const rec = await sim.control.waitForCommand(r.body.command_id, 10_000);
      assert.equal(rec.status, 'SUCCEEDED');
      durations.push(Date.parse(String(rec.completed_at)) - Date.parse(String(rec.accepted_at)));
    }
    assert.ok(Math.min(...durations) >= 10, `no reply before the lower bound: ${durations}`);
    // 30 uniform draws over 390 ms: all of them inside one 100 ms stretch would mean no spread at all.
    assert.ok(Math.max(...durations) - Math.min(...durations) >= 100, `durations spread: ${durations}`);
    await sim.control.configureDock('dock-002', { reply_delay_ms: 10, reply_delay_max_ms: 0 });
    await assert.rejects(sim.control.configureDock('dock-002', { reply_delay_max_ms: -1 }), /reply_delay_max_ms/);
  });

  test('many commands in flight stay cheap (2,000 accepted, all terminal)', async () => {
    await sim.control.configureDock('dock-001', { reply_delay_ms: 200 });
    const ids: string[] = [];
    const batch = 50;
    for (let i = 0; i < 2000; i += batch) {
      const rs = await Promise.all(Array.from({ length: batch }, () => signed(c, 'POST', CMD, { body: valid({ device_id: 'dock-001' }) })));
      for (const r of rs) {
        assert.equal(r.status, 202);
        ids.push(r.body.command_id);
      }
    }
    await waitFor(() => ids.every((id) => sim.control.getCommand(id).status === 'SUCCEEDED'), 15_000, 100);
    await sim.control.configureDock('dock-001', { reply_delay_ms: 10 });
  });
});
