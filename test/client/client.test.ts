// The API client against the real simulator over loopback HTTP: every error path a user can meet.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { startSimulator, Simulator } from '../../sim';
import {
  UtmosAuthError,
  UtmosClient,
  UtmosConflictError,
  UtmosInputError,
  UtmosNetworkError,
  UtmosNotFoundError,
  UtmosPermissionError,
  UtmosRateLimitError,
  UtmosServerError,
  UtmosValidationError,
  validateBaseUrl,
} from '../../src/core';
import { pooledAgentCount } from '../../src/core/http-transport';

let sim: Simulator;
const clients: UtmosClient[] = [];

function client(overrides: Partial<ConstructorParameters<typeof UtmosClient>[0]> = {}): UtmosClient {
  const c = new UtmosClient({ baseUrl: sim.http, apiId: sim.apiId, apiKey: sim.apiKey, backoffBaseMs: 20, backoffMaxMs: 100, ...overrides });
  clients.push(c);
  return c;
}

const cmd = (key: string, extra: Record<string, unknown> = {}) => ({
  device_id: 'dock-001',
  command_type: 'debug_mode_open',
  payload: {},
  idempotency_key: key,
  timeout_seconds: 30,
  ...extra,
});

async function expectReject<T extends Error>(p: Promise<unknown>, type: new (...a: any[]) => T): Promise<T> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof type, `expected ${type.name}, got ${(err as Error)?.constructor?.name}: ${(err as Error)?.message}`);
    return err as T;
  }
  assert.fail(`expected ${type.name}, but the call succeeded`);
}

function assertNoSecret(err: unknown, secret: string) {
  const views = [JSON.stringify(err), inspect(err, { depth: 10, showHidden: true }), String((err as Error).stack), String(err)];
  for (const v of views) assert.ok(!v.includes(secret), 'the API key leaked into an error view');
}

before(async () => {
  sim = await startSimulator({ replyDelayMs: 20, credentials: [{ apiId: 'reader', apiKey: 'reader-key-0123456789', scopes: ['open:command:read'] }] });
});
after(async () => {
  for (const c of clients) c.close();
  await sim.close();
});

describe('happy paths', () => {
  test('create, replay with the same key, then read the status', async () => {
    const c = client();
    const first = await c.createCommand(cmd('happy-1'));
    assert.match(first.command_id, /[0-9a-f-]{36}/);
    assert.equal(first.status, 'ACCEPTED');
    assert.equal(first.replayed, false);
    const again = await c.createCommand(cmd('happy-1'));
    assert.equal(again.command_id, first.command_id);
    assert.equal(again.replayed, true);
    await sim.control.waitForCommand(first.command_id);
    const status = await c.getCommand(first.command_id);
    assert.equal(status.command_id, first.command_id);
    assert.equal(status.status, 'SUCCEEDED');
  });

  test('device requests: list with filters, get one, reply', async () => {
    const c = client();
    const { request_id } = await sim.control.raiseDeviceRequest('dock-002', { request_type: 'config', data: { scope: 'dock', items: ['network', 'storage'] } });
    const list = await c.listDeviceRequests({ vendor: 'dji', device_id: 'dock-002', request_type: 'config' });
    assert.ok(list.items.some((r) => r.request_id === request_id));
    assert.ok(list.items.every((r) => r.device_id === 'dock-002' && r.request_type === 'config'));
    const one = await c.getDeviceRequest(request_id);
    assert.equal(one.replied_at ?? null, null);
    const reply = await c.replyToDeviceRequest(request_id, { reply_code: 'APPROVED', reply_message: 'ok', payload: { config_result: 'ok' } });
    assert.equal(reply.reply_source, 'manual');
    assert.equal((await c.getDeviceRequest(request_id)).reply_code, 'APPROVED');
  });
});

describe('platform errors are typed and carry status, code and request_id', () => {
  test('401 SIGNATURE_INVALID with a wrong key, and the key never appears in the error', async () => {
    const wrongKey = 'wrong-key-that-must-not-leak-42';
    const err = await expectReject(client({ apiKey: wrongKey }).getCommand('x-1'), UtmosAuthError);
    assert.equal(err.httpStatus, 401);
    assert.equal(err.code, 'SIGNATURE_INVALID');
    assert.match(err.requestId ?? '', /.+/);
    assert.match(err.message, /rejected the request signature: check the API ID and API key/);
    assertNoSecret(err, wrongKey);
    assert.ok(!inspect(client({ apiKey: wrongKey }), { depth: 5 }).includes(wrongKey), 'inspecting a client shows no key');
  });

  test('401 UNAUTHORIZED for an unknown API ID', async () => {
    const err = await expectReject(client({ apiId: 'nobody' }).getCommand('x-1'), UtmosAuthError);
    assert.equal(err.code, 'UNAUTHORIZED');
  });

  test('TIMESTAMP_EXPIRED: the client corrects for clock skew from the Date header and retries once', async () => {
    const c = client();
    sim.control.setClock({ offset_ms: 1_000_000 });
    try {
      const before = sim.control.counters().auth_failures.TIMESTAMP_EXPIRED ?? 0;
      const created = await c.createCommand(cmd('skew-1'));
      assert.equal(created.status, 'ACCEPTED');
      assert.equal((sim.control.counters().auth_failures.TIMESTAMP_EXPIRED ?? 0) - before, 1);
      assert.ok(Math.abs(c.clockOffsetMs - 1_000_000) < 2_000, `learnt offset ${c.clockOffsetMs}`);
      // Later calls use the learnt offset straight away.
      await c.getCommand(created.command_id);
      assert.equal((sim.control.counters().auth_failures.TIMESTAMP_EXPIRED ?? 0) - before, 1);
    } finally {
      sim.control.setClock({ offset_ms: 0 });
    }
  });

  test('NONCE_REPLAYED is retried once with a fresh nonce; a stuck nonce source ends in a typed error', async () => {
    const fixed = client({ nonce: () => 'always-the-same-nonce' });
    await fixed.getDeviceRequest('00000000-0000-0000-0000-000000000000').catch(() => undefined);
    const err = await expectReject(fixed.getCommand('x-2'), UtmosAuthError);
    assert.equal(err.code, 'NONCE_REPLAYED');
  });

  test('403 names the permission the call needs', async () => {
    const reader = client({ apiId: 'reader', apiKey: 'reader-key-0123456789' });
    const err = await expectReject(reader.createCommand(cmd('scope-1')), UtmosPermissionError);
    assert.equal(err.httpStatus, 403);
    assert.equal(err.requiredScope, 'open:command:create');
    assert.match(err.message, /open:command:create/);
  });

  test('404 COMMAND_NOT_FOUND and DEVICE_REQUEST_NOT_FOUND', async () => {
    const c = client();
    const a = await expectReject(c.getCommand('00000000-0000-0000-0000-000000000000'), UtmosNotFoundError);
    assert.equal(a.code, 'COMMAND_NOT_FOUND');
    const b = await expectReject(c.replyToDeviceRequest('00000000-0000-0000-0000-000000000001', { reply_code: 'APPROVED' }), UtmosNotFoundError);
    assert.equal(b.code, 'DEVICE_REQUEST_NOT_FOUND');
    assert.equal(b.operation, 'replyToDeviceRequest');
  });

  test('409 IDEMPOTENCY_CONFLICT when a key is reused for a different command', async () => {
    const c = client();
    await c.createCommand(cmd('conflict-1'));
    const err = await expectReject(c.createCommand(cmd('conflict-1', { device_id: 'dock-002' })), UtmosConflictError);
    assert.equal(err.code, 'IDEMPOTENCY_CONFLICT');
    assert.match(err.message, /idempotency key/);
  });

  test('400 from the platform keeps its code and message (UNSUPPORTED_COMMAND, VALIDATION_FAILED)', async () => {
    const c = client();
    const a = await expectReject(c.createCommand(cmd('unsup-1', { command_type: 'no_such_method' })), UtmosValidationError);
    assert.equal(a.code, 'UNSUPPORTED_COMMAND');
    sim.control.addFault({ status: 400, count: 1, code: 'VALIDATION_FAILED', message: 'payload.flight_id is required' });
    const b = await expectReject(c.getCommand('x-3'), UtmosValidationError);
    assert.equal(b.code, 'VALIDATION_FAILED');
    assert.match(b.message, /payload\.flight_id is required/);
  });
});

describe('retries: only where safe, bounded, fresh signature every attempt', () => {
  test('a 503 burst is retried and succeeds; every attempt used a new nonce', async () => {
    const nonces: string[] = [];
    const c = client({
      nonce: () => {
        const n = crypto.randomUUID();
        nonces.push(n);
        return n;
      },
    });
    sim.control.addFault({ status: 503, count: 2 });
    const created = await c.createCommand(cmd('retry-503'));
    assert.equal(created.status, 'ACCEPTED');
    assert.equal(nonces.length, 3);
    assert.equal(new Set(nonces).size, 3);
  });

  test('5xx beyond the budget ends in UtmosServerError with the attempt count', async () => {
    sim.control.addFault({ status: 502, count: 10 });
    try {
      const err = await expectReject(client({ maxAttempts: 3 }).getCommand('x-4'), UtmosServerError);
      assert.equal(err.attempts, 3);
      assert.equal(err.httpStatus, 502);
    } finally {
      sim.control.clearFaults();
    }
  });

  test('429 honours Retry-After; one longer than the cap fails at once', async () => {
    sim.control.addFault({ status: 429, count: 1, retry_after: 1 });
    const started = Date.now();
    await client().createCommand(cmd('rl-1'));
    assert.ok(Date.now() - started >= 950, 'waited for Retry-After');
    sim.control.addFault({ status: 429, count: 1, retry_after: 120 });
    const t2 = Date.now();
    const err = await expectReject(client({ maxRetryAfterMs: 5_000 }).getCommand('x-5'), UtmosRateLimitError);
    assert.equal(err.retryAfterMs, 120_000);
    assert.ok(Date.now() - t2 < 1_000);
  });

  test('a connection dropped after the platform accepted a create: the retry returns the same command, no duplicate', async () => {
    const c = client();
    const before = sim.control.counters().commands_created;
    sim.control.addDrop({ count: 1, phase: 'after', match: 'POST /api/v1/open/downlink/commands' });
    const created = await c.createCommand(cmd('drop-after-1'));
    assert.equal(created.replayed, true, 'the second attempt was answered as an idempotent replay');
    assert.equal(sim.control.counters().commands_created - before, 1);
  });

  test('a connection dropped before processing is retried', async () => {
    const before = sim.control.counters().commands_created;
    sim.control.addDrop({ count: 1, phase: 'before' });
    const created = await client().createCommand(cmd('drop-before-1'));
    assert.equal(created.replayed, false);
    assert.equal(sim.control.counters().commands_created - before, 1);
  });

  test('a response slower than the request timeout is retried with the same key', async () => {
    const before = sim.control.counters().commands_created;
    sim.control.addLatency({ ms: 600, count: 1 });
    const created = await client({ requestTimeoutMs: 200 }).createCommand(cmd('slow-1'));
    assert.equal(created.status, 'ACCEPTED');
    assert.equal(sim.control.counters().commands_created - before, 1);
  });

  test('non-retryable 4xx are not retried', async () => {
    const before = sim.control.counters().total_calls;
    await expectReject(client({ apiKey: 'bad' }).getCommand('x-6'), UtmosAuthError);
    assert.equal(sim.control.counters().total_calls - before, 1);
  });

  test('connection refused ends in a network error after the bounded attempts', async () => {
    const err = await expectReject(client({ baseUrl: 'http://127.0.0.1:1', maxAttempts: 2 }).getCommand('x-7'), UtmosNetworkError);
    assert.equal(err.code, 'ECONNREFUSED');
    assert.equal(err.attempts, 2);
    assert.match(err.message, /Connection refused by http:\/\/127\.0\.0\.1:1 .*check the base URL/);
  });

  test('an aborted call stops at once', async () => {
    sim.control.addLatency({ ms: 2_000, count: 1 });
    const ac = new AbortController();
    const p = client().getCommand('x-8', { signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    const err = await p.catch((e) => e);
    assert.equal(err.code, 'ABORTED');
    sim.control.clearFaults();
  });
});

describe('input validation: named fields, nothing sent', () => {
  test('bad create input is refused locally with the field name', async () => {
    const c = client();
    const before = sim.control.counters().total_calls;
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ timeout_seconds: 0 }, 'timeout_seconds'],
      [{ timeout_seconds: 301 }, 'timeout_seconds'],
      [{ timeout_seconds: 2.5 }, 'timeout_seconds'],
      [{ payload: [] }, 'payload'],
      [{ payload: null }, 'payload'],
      [{ payload: 'x' }, 'payload'],
      [{ device_id: '' }, 'device_id'],
      [{ command_type: 'Cover Open' }, 'command_type'],
      [{ idempotency_key: '' }, 'idempotency_key'],
      [{ idempotency_key: 'k'.repeat(129) }, 'idempotency_key'],
    ];
    for (const [extra, field] of cases) {
      const err = await expectReject(c.createCommand(cmd('v', extra) as any), UtmosInputError);
      assert.equal(err.field, field, `for ${JSON.stringify(extra)}`);
      assert.ok(err.message.startsWith(field), err.message);
    }
    await expectReject(c.getCommand('../../etc'), UtmosInputError);
    await expectReject(c.replyToDeviceRequest('r-1', { reply_code: '' }), UtmosInputError);
    await expectReject(c.replyToDeviceRequest('r-1', { reply_code: 'APPROVED', payload: [] as any }), UtmosInputError);
    await expectReject(c.listDeviceRequests({ limit: 5 } as any), UtmosInputError); // undocumented query parameter
    assert.equal(sim.control.counters().total_calls, before, 'no request reached the platform');
  });

  test('baseUrl must be https except for loopback', () => {
    assert.throws(
      () => validateBaseUrl('http://example.com'),
      (e: UtmosInputError) => e.field === 'baseUrl' && /https/.test(e.message),
    );
    assert.throws(() => validateBaseUrl('not a url'), UtmosInputError);
    assert.throws(() => validateBaseUrl(''), UtmosInputError);
    assert.throws(() => validateBaseUrl('ftp://127.0.0.1'), UtmosInputError);
    assert.equal(validateBaseUrl('http://127.0.0.1:8080').host, '127.0.0.1:8080');
    assert.equal(validateBaseUrl('http://localhost').hostname, 'localhost');
    assert.equal(validateBaseUrl('http://[::1]:1').hostname, '[::1]');
    assert.equal(validateBaseUrl('https://dev.utmos.dev').protocol, 'https:');
    assert.throws(
      () => new UtmosClient({ baseUrl: 'https://x', apiId: '', apiKey: 'k' }),
      (e: UtmosInputError) => e.field === 'apiId',
    );
    assert.throws(
      () => new UtmosClient({ baseUrl: 'https://x', apiId: 'i', apiKey: '' }),
      (e: UtmosInputError) => e.field === 'apiKey',
    );
  });
});

test('clients of one base URL share one keep-alive agent, released with the last client', () => {
  const before = pooledAgentCount();
  const a = new UtmosClient({ baseUrl: 'http://127.0.0.1:9', apiId: 'a', apiKey: 'k' });
  const b = new UtmosClient({ baseUrl: 'http://127.0.0.1:9', apiId: 'b', apiKey: 'k' });
  assert.equal(pooledAgentCount(), before + 1);
  a.close();
  assert.equal(pooledAgentCount(), before + 1);
  b.close();
  b.close();
  assert.equal(pooledAgentCount(), before);
});
