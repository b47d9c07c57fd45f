import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { isLoopbackAddress, Simulator, startSimulator } from '../../sim';
import { Creds, control, rawRequest, signed } from './helpers';

const CMD = '/api/v1/open/downlink/commands';
const body = () => ({
  vendor: 'dji',
  device_id: 'dock-001',
  command_type: 'alarm_state_switch',
  payload: { action: 1 },
  idempotency_key: randomUUID(),
});

describe('platform authentication and access', () => {
  let sim: Simulator;
  let c: Creds;
  before(async () => {
    sim = await startSimulator({
      docks: 1,
      replyDelayMs: 5,
      credentials: [{ apiId: 'reader', apiKey: 'reader-key-0123456789abcdef0123456789', scopes: ['open:command:read'] }],
    });
    c = { base: sim.http, apiId: sim.apiId, apiKey: sim.apiKey };
  });
  after(() => sim.close());

  test('a correctly signed call succeeds and echoes X-Request-Id', async () => {
    const r = await signed(c, 'POST', CMD, { body: body(), headers: { 'X-Request-Id': 'req-test-1' } });
    assert.equal(r.status, 202);
    assert.equal(r.body.request_id, 'req-test-1');
    assert.equal(r.headers['x-request-id'], 'req-test-1');
    assert.equal(r.body.status, 'ACCEPTED');
  });

  test('missing header or unknown api id → 401 UNAUTHORIZED', async () => {
    for (const name of ['X-Api-Id', 'X-Api-Timestamp', 'X-Api-Nonce', 'X-Api-Signature']) {
      const r = await signed(c, 'GET', '/api/v1/open/device-requests', { tamper: (h) => delete h[name] });
      assert.equal(r.status, 401, name);
      assert.equal(r.body.code, 'UNAUTHORIZED');
      assert.match(r.body.request_id, /^req-/);
      assert.equal(r.headers['x-request-id'], r.body.request_id);
    }
    const r = await signed({ ...c, apiId: 'nobody' }, 'GET', '/api/v1/open/device-requests');
    assert.equal(r.body.code, 'UNAUTHORIZED');
  });

  test('bad signature, tampered body, tampered query → 401 SIGNATURE_INVALID', async () => {
    let r = await signed({ ...c, apiKey: 'wrong-key' }, 'POST', CMD, { body: body() });
    assert.equal(r.status, 401);
    assert.equal(r.body.code, 'SIGNATURE_INVALID');
    const b = body();
    r = await signed(c, 'POST', CMD, { body: b, sendBody: JSON.stringify({ ...b, device_id: 'dock-002' }) });
    assert.equal(r.body.code, 'SIGNATURE_INVALID');
    r = await signed(c, 'GET', '/api/v1/open/device-requests', { query: 'limit=5', sendQuery: 'limit=6' });
    assert.equal(r.body.code, 'SIGNATURE_INVALID');
    r = await signed(c, 'GET', '/api/v1/open/device-requests', { query: 'limit=5&device_id=dock-001' });
    assert.equal(r.status, 200, 'a signed query passes');
    const good = await signed(c, 'GET', '/api/v1/open/device-requests', {
      tamper: (h) => (h['X-Api-Signature'] = (h['X-Api-Signature'] ?? '').toUpperCase()),
    });
    assert.equal(good.body.code, 'SIGNATURE_INVALID', 'upper-case hex is not accepted');
  });

  test('stale or malformed timestamp → 401 TIMESTAMP_EXPIRED; the window follows the platform clock', async () => {
    const now = Math.floor(Date.now() / 1000);
    let r = await signed(c, 'GET', '/api/v1/open/device-requests', { timestamp: now - 301 });
    assert.equal(r.body.code, 'TIMESTAMP_EXPIRED');
    r = await signed(c, 'GET', '/api/v1/open/device-requests', { timestamp: now + 400 });
    assert.equal(r.body.code, 'TIMESTAMP_EXPIRED');
    r = await signed(c, 'GET', '/api/v1/open/device-requests', { timestamp: '12.5' });
    assert.equal(r.body.code, 'TIMESTAMP_EXPIRED');
    r = await signed(c, 'GET', '/api/v1/open/device-requests', { timestamp: now - 250 });
    assert.equal(r.status, 200);

    // shift the platform clock by one hour: a current timestamp is now stale, the Date header moves
    const set = await control(sim.http, 'POST', '/__sim/clock', { offset_ms: 3_600_000 });
    assert.equal(set.status, 200);
    r = await signed(c, 'GET', '/api/v1/open/device-requests');
    assert.equal(r.body.code, 'TIMESTAMP_EXPIRED');
    const date = Date.parse(String(r.headers.date));
    assert.ok(Math.abs(date - (Date.now() + 3_600_000)) < 5000, `Date header ${r.headers.date}`);
    r = await signed(c, 'GET', '/api/v1/open/device-requests', { timestamp: now + 3600 });
    assert.equal(r.status, 200);
    sim.control.setClock({ offset_ms: 0 });
    r = await signed(c, 'GET', '/api/v1/open/device-requests');
    assert.ok(Math.abs(Date.parse(String(r.headers.date)) - Date.now()) < 5000);
  });

  test('replayed nonce → 401 NONCE_REPLAYED; a bad signature does not burn the nonce', async () => {
    const nonce = randomUUID();
    let r = await signed({ ...c, apiKey: 'wrong' }, 'GET', '/api/v1/open/device-requests', { nonce });
    assert.equal(r.body.code, 'SIGNATURE_INVALID');
    r = await signed(c, 'GET', '/api/v1/open/device-requests', { nonce });
    assert.equal(r.status, 200);
    r = await signed(c, 'GET', '/api/v1/open/device-requests', { nonce });
    assert.equal(r.status, 401);
    assert.equal(r.body.code, 'NONCE_REPLAYED');
    // the same nonce under another api id is fine
    r = await signed({ base: sim.http, apiId: 'reader', apiKey: 'reader-key-0123456789abcdef0123456789' }, 'GET', `${CMD}/x`, { nonce });
    assert.equal(r.status, 404);
  });

  test('missing scope → 403 FORBIDDEN naming the scope; credentials can be added at run time', async () => {
    const reader = { base: sim.http, apiId: 'reader', apiKey: 'reader-key-0123456789abcdef0123456789' };
    let r = await signed(reader, 'POST', CMD, { body: body() });
    assert.equal(r.status, 403);
    assert.equal(r.body.code, 'FORBIDDEN');
    assert.match(r.body.message, /open:command:create/);
    r = await signed(reader, 'GET', '/api/v1/open/device-requests');
    assert.equal(r.status, 403);
    assert.match(r.body.message, /open:device-request:read/);

    const added = await control(sim.http, 'POST', '/__sim/credentials', {
      api_id: 'ops',
      api_key: 'ops-key',
      scopes: ['open:device-request:read'],
    });
    assert.equal(added.status, 200);
    r = await signed({ base: sim.http, apiId: 'ops', apiKey: 'ops-key' }, 'GET', '/api/v1/open/device-requests');
    assert.equal(r.status, 200);
    const counters = sim.control.counters();
    assert.ok((counters.auth_failures.FORBIDDEN ?? 0) >= 2);
    assert.ok((counters.auth_failures.NONCE_REPLAYED ?? 0) >= 1);
  });

  test('unknown path → 404 NOT_FOUND, wrong method → 405 METHOD_NOT_ALLOWED', async () => {
    let r = await signed(c, 'GET', '/api/v1/open/nothing-here');
    assert.equal(r.status, 404);
    assert.equal(r.body.code, 'NOT_FOUND');
    r = await signed(c, 'DELETE', CMD);
    assert.equal(r.status, 405);
    assert.equal(r.body.code, 'METHOD_NOT_ALLOWED');
    assert.ok(r.headers.date);
  });

  test('body over 1 MiB → 413 PAYLOAD_TOO_LARGE', async () => {
    const big = JSON.stringify({ ...body(), payload: { blob: 'x'.repeat(1024 * 1024) } });
    const r = await signed(c, 'POST', CMD, { body: big });
    assert.equal(r.status, 413);
    assert.equal(r.body.code, 'PAYLOAD_TOO_LARGE');
  });

  test('/__sim/ answers loopback clients only', async () => {
    assert.equal(isLoopbackAddress('127.0.0.1'), true);
    assert.equal(isLoopbackAddress('127.8.9.10'), true);
    assert.equal(isLoopbackAddress('::1'), true);
    assert.equal(isLoopbackAddress('::ffff:127.0.0.1'), true);
    assert.equal(isLoopbackAddress('10.0.0.1'), false);
    assert.equal(isLoopbackAddress('::ffff:192.168.1.2'), false);
    assert.equal(isLoopbackAddress('128.0.0.1'), false);
    assert.equal(isLoopbackAddress('fe80::1'), false);
    assert.equal(isLoopbackAddress(undefined), false);
    const r = await rawRequest({ method: 'GET', url: sim.http + '/__sim/health' });
    assert.deepEqual(r.body, { ok: true });
  });
});
