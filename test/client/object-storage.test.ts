/**
 * The client's presignObject (signed, typed errors) against the simulator, and uploadObject against
 * a plain storage server that misbehaves the way object stores do (5xx, refusals).
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { startSimulator, Simulator } from '../../sim';
import { UtmosApiError, UtmosClient, UtmosInputError, UtmosPermissionError, UtmosResponseError } from '../../src/core';

describe('object storage through the client', () => {
  let sim: Simulator;
  let storage: http.Server;
  let storageUrl = '';
  const answers: number[] = [];
  const received: Array<{ method?: string; headers: http.IncomingHttpHeaders; body: Buffer }> = [];
  const clients: UtmosClient[] = [];
  const client = () => {
    const c = new UtmosClient({ baseUrl: sim.http, apiId: sim.apiId, apiKey: sim.apiKey, backoffBaseMs: 5, backoffMaxMs: 10 });
    clients.push(c);
    return c;
  };

  before(async () => {
    sim = await startSimulator({ docks: 0 });
    storage = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ method: req.method, headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(answers.shift() ?? 200, { 'Content-Length': '0' });
        res.end();
      });
    });
    await new Promise<void>((r) => storage.listen(0, '127.0.0.1', () => r()));
    storageUrl = `http://127.0.0.1:${(storage.address() as { port: number }).port}/bucket/key.kmz?sig=abc`;
  });
  after(async () => {
    for (const c of clients) c.close();
    storage.closeAllConnections();
    await new Promise<void>((r) => storage.close(() => r()));
    await sim.close();
  });

  test('presignObject signs and returns the documented response; bad input names the field and sends nothing', async () => {
    const c = client();
    const r = await c.presignObject({
      bucket: 'tenant-media',
      object_key: 'waylines/x.kmz',
      method: 'PUT',
      expires_seconds: 60,
      content_type: 'application/vnd.google-earth.kmz',
    });
    assert.equal(r.method, 'PUT');
    assert.match(r.url, /\/objects\/tenant-media\/waylines\/x\.kmz\?/);
    assert.deepEqual(r.headers, { 'Content-Type': 'application/vnd.google-earth.kmz' });
    const calls = sim.control.counters().calls['POST /api/v1/open/objects/presign'];
    for (const [input, field] of [
      [{ bucket: '', object_key: 'waylines/x.kmz', method: 'GET', expires_seconds: 60 }, 'bucket'],
      [{ bucket: 'b', object_key: '/x', method: 'GET', expires_seconds: 60 }, 'object_key'],
      [{ bucket: 'b', object_key: 'x', method: 'POST', expires_seconds: 60 }, 'method'],
      [{ bucket: 'b', object_key: 'x', method: 'GET', expires_seconds: 7200 }, 'expires_seconds'],
    ] as const) {
      await assert.rejects(c.presignObject(input as never), (err: unknown) => err instanceof UtmosInputError && err.field === field);
    }
    assert.equal(sim.control.counters().calls['POST /api/v1/open/objects/presign'], calls, 'nothing was sent');
  });

  test('a refused policy is a permission error that says what to check, with the scope', async () => {
    const err = await client()
      .presignObject({ bucket: 'elsewhere', object_key: 'waylines/x.kmz', method: 'GET', expires_seconds: 60 })
      .then(
        () => assert.fail('expected a refusal'),
        (e: unknown) => e,
      );
    assert.ok(err instanceof UtmosPermissionError);
    assert.equal(err.code, 'OBJECT_POLICY_DENIED');
    assert.equal(err.httpStatus, 403);
    assert.equal(err.requiredScope, 'open:object:create');
    assert.match(err.message, /bucket and key prefix/);
  });

  test('uploadObject sends the bytes with exactly the signed headers, retrying 5xx', async () => {
    answers.push(503, 500);
    received.length = 0;
    const body = Buffer.from('kmz bytes');
    const r = await client().uploadObject({ method: 'PUT', url: storageUrl, headers: { 'Content-Type': 'application/vnd.google-earth.kmz' } }, body);
    assert.equal(r.httpStatus, 200);
    assert.equal(received.length, 3, 'two failures, then success');
    for (const got of received) {
      assert.equal(got.method, 'PUT');
      assert.equal(got.headers['content-type'], 'application/vnd.google-earth.kmz');
      assert.equal(got.headers['x-api-signature'], undefined, 'storage requests are not signed by us');
      assert.ok(got.body.equals(body));
    }
  });

  test('uploadObject: a refusal is not retried and says why; a non-https URL is refused before sending', async () => {
    answers.push(403);
    received.length = 0;
    const err = await client()
      .uploadObject({ method: 'PUT', url: storageUrl, headers: {} }, Buffer.from('x'))
      .then(
        () => assert.fail('expected a refusal'),
        (e: unknown) => e,
      );
    assert.ok(err instanceof UtmosApiError);
    assert.equal(err.code, 'OBJECT_URL_REFUSED');
    assert.equal(err.httpStatus, 403);
    assert.equal(received.length, 1);
    await assert.rejects(client().uploadObject({ method: 'PUT', url: 'http://storage.example.com/x', headers: {} }, Buffer.from('x')), UtmosResponseError);
  });
});
