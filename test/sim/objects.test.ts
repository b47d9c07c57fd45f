/**
 * The simulated POST /api/v1/open/objects/presign (the platform's object API: body, response, scope, errors) and the
 * object storage behind its URLs (signature, method, Content-Type and expiry enforced).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Simulator, startSimulator } from '../../sim';
import { Creds, control, rawRequest, signed } from './helpers';
import { PRESIGN, presign } from './wayline-helpers';

describe('object presign and storage', () => {
  let sim: Simulator;
  let c: Creds;
  before(async () => {
    sim = await startSimulator({
      docks: 0,
      objectPolicies: [
        { bucket: 'tenant-media', key_prefix: 'waylines/', allowed_methods: ['GET', 'PUT'], max_presign_ttl_seconds: 3600 },
        { bucket: 'tenant-media', key_prefix: 'reports/', allowed_methods: ['GET'], max_presign_ttl_seconds: 600 },
      ],
      credentials: [{ apiId: 'no-objects', apiKey: 'no-objects-key-0123456789', scopes: ['open:command:create'] }],
    });
    c = { base: sim.http, apiId: sim.apiId, apiKey: sim.apiKey };
  });
  after(() => sim.close());

  test('200: method, url, headers (Content-Type for PUT), expires_at, request_id; default lifetime 900 s', async () => {
    const started = Date.now();
    const put = await presign(c, { bucket: 'tenant-media', object_key: 'waylines/a.kmz', method: 'PUT', expires_seconds: 120, content_type: 'application/vnd.google-earth.kmz' });
    assert.equal(put.status, 200, put.text);
    assert.deepEqual(Object.keys(put.body).sort(), ['expires_at', 'headers', 'method', 'request_id', 'url']);
    assert.equal(put.body.method, 'PUT');
    assert.deepEqual(put.body.headers, { 'Content-Type': 'application/vnd.google-earth.kmz' });
    assert.match(put.body.url, /^http:\/\/127\.0\.0\.1:\d+\/objects\/tenant-media\/waylines\/a\.kmz\?method=PUT&expires=\d+&signature=[0-9a-f]{64}$/);
    const ttl = (Date.parse(put.body.expires_at) - started) / 1000;
    assert.ok(ttl > 118 && ttl <= 121, String(ttl));
    const get = await presign(c, { bucket: 'tenant-media', object_key: 'waylines/a.kmz', method: 'GET' });
    assert.deepEqual(get.body.headers, {});
    const defaultTtl = (Date.parse(get.body.expires_at) - started) / 1000;
    assert.ok(defaultTtl > 898 && defaultTtl <= 901, String(defaultTtl));
  });

  test('400 VALIDATION_FAILED names the field; INVALID_REQUEST_BODY for text that is not JSON', async () => {
    const good = { bucket: 'tenant-media', object_key: 'waylines/a.kmz', method: 'GET', expires_seconds: 60 };
    const bad: Array<[Record<string, unknown>, RegExp]> = [
      [{ ...good, bucket: '' }, /bucket/],
      [{ ...good, object_key: undefined }, /object_key/],
      [{ ...good, object_key: '/waylines/a.kmz' }, /object_key/],
      [{ ...good, object_key: 'waylines/../secret' }, /object_key/],
      [{ ...good, method: 'DELETE' }, /method/],
      [{ ...good, expires_seconds: 0 }, /expires_seconds/],
      [{ ...good, expires_seconds: 3601 }, /expires_seconds/],
      [{ ...good, expires_seconds: 1.5 }, /expires_seconds/],
      [{ ...good, content_type: '' }, /content_type/],
    ];
    for (const [body, field] of bad) {
      const r = await presign(c, body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.code, 'VALIDATION_FAILED');
      assert.match(r.body.message, field);
      assert.ok(r.body.request_id);
    }
    const text = await signed(c, 'POST', PRESIGN, { body: 'not json' });
    assert.equal(text.status, 400);
    assert.equal(text.body.code, 'INVALID_REQUEST_BODY');
  });

  test('403 OBJECT_POLICY_DENIED outside the policies: bucket, prefix, method, lifetime; FORBIDDEN without open:object:create', async () => {
    const denied: Array<Record<string, unknown>> = [
      { bucket: 'other-bucket', object_key: 'waylines/a.kmz', method: 'GET', expires_seconds: 60 },
      { bucket: 'tenant-media', object_key: 'photos/a.jpg', method: 'GET', expires_seconds: 60 },
      { bucket: 'tenant-media', object_key: 'reports/r.pdf', method: 'PUT', expires_seconds: 60 },
      { bucket: 'tenant-media', object_key: 'reports/r.pdf', method: 'GET', expires_seconds: 900 },
    ];
    for (const body of denied) {
      const r = await presign(c, body);
      assert.equal(r.status, 403, JSON.stringify(body));
      assert.equal(r.body.code, 'OBJECT_POLICY_DENIED');
    }
    assert.equal((await presign(c, { bucket: 'tenant-media', object_key: 'reports/r.pdf', method: 'GET', expires_seconds: 600 })).status, 200);
    const noScope = await presign({ base: sim.http, apiId: 'no-objects', apiKey: 'no-objects-key-0123456789' }, { bucket: 'tenant-media', object_key: 'waylines/a.kmz', method: 'GET' });
    assert.equal(noScope.status, 403);
    assert.equal(noScope.body.code, 'FORBIDDEN');
    assert.match(noScope.body.message, /open:object:create/);
    assert.equal((sim.control.counters().calls['POST /api/v1/open/objects/presign'] ?? 0) >= 8, true, 'presign calls are counted');
  });

  test('storage honours a URL only for its method, its Content-Type, its signature and until it expires', async () => {
    const key = 'waylines/storage.kmz';
    const put = await presign(c, { bucket: 'tenant-media', object_key: key, method: 'PUT', expires_seconds: 60, content_type: 'application/octet-stream' });
    const bytes = Buffer.from([0, 1, 2, 3, 250, 251]);
    const wrongType = await rawRequest({ method: 'PUT', url: put.body.url, headers: { 'Content-Type': 'text/plain' }, body: bytes });
    assert.equal(wrongType.status, 403);
    assert.equal(wrongType.body.code, 'SIGNATURE_MISMATCH');
    const tampered = await rawRequest({ method: 'PUT', url: put.body.url.replace(/signature=[0-9a-f]+/, `signature=${'0'.repeat(64)}`), headers: put.body.headers, body: bytes });
    assert.equal(tampered.status, 403);
    assert.equal((await rawRequest({ method: 'PUT', url: put.body.url.replace('storage.kmz', 'other.kmz'), headers: put.body.headers, body: bytes })).status, 403, 'a URL signs one key');
    const stored = await rawRequest({ method: 'PUT', url: put.body.url, headers: put.body.headers, body: bytes });
    assert.equal(stored.status, 200);
    assert.equal(sim.objects.get('tenant-media', key)?.bytes.equals(bytes), true);

    const get = await presign(c, { bucket: 'tenant-media', object_key: key, method: 'GET', expires_seconds: 60 });
    const got = await rawRequest({ method: 'GET', url: get.body.url });
    assert.equal(got.status, 200);
    assert.equal(Buffer.from(got.text, 'latin1').length > 0, true);
    assert.equal((await rawRequest({ method: 'PUT', url: get.body.url, body: bytes })).status, 403, 'a GET URL cannot write');
    const missing = await presign(c, { bucket: 'tenant-media', object_key: 'waylines/none.kmz', method: 'GET', expires_seconds: 60 });
    assert.equal((await rawRequest({ method: 'GET', url: missing.body.url })).status, 404);

    await control(sim.http, 'POST', '/__sim/objects/clock', { advance_ms: 61_000 });
    try {
      const expired = await rawRequest({ method: 'GET', url: get.body.url });
      assert.equal(expired.status, 403);
      assert.equal(expired.body.code, 'URL_EXPIRED');
    } finally {
      await control(sim.http, 'POST', '/__sim/objects/clock', { advance_ms: -61_000 });
    }
    const view = (await control(sim.http, 'GET', '/__sim/objects')).body;
    assert.ok(view.counters.puts >= 1 && view.counters.gets >= 1);
    assert.ok(view.counters.refused.URL_EXPIRED >= 1 && view.counters.refused.SIGNATURE_MISMATCH >= 2);
    assert.ok(view.objects.some((o: { id: string; size: number }) => o.id === `tenant-media/${key}` && o.size === bytes.length));
    assert.equal((await control(sim.http, 'POST', '/__sim/objects/clock', { advance_ms: 'soon' })).status, 400);
  });
});
