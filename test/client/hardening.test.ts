// The client, tracker and event stream against a platform that misbehaves: a plain HTTP server in
// front of the real simulator that drips, sends oversized bodies or answers for another object;
// URLs with user info; a broker URL with a password; one failure shared by several waiters.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { startSimulator, Simulator } from '../../sim';
import { EventStream, UtmosClient, UtmosConnection, UtmosError, UtmosInputError, UtmosNetworkError, UtmosResponseError } from '../../src/core';
import { pooledAgentCount } from '../../src/core/http-transport';
import { MisbehavingFront, startMisbehavingFront } from '../helpers/misbehaving-front';

let sim: Simulator;
let front: MisbehavingFront;
let direct: UtmosClient;
let seq = 0;
const MB = 1024 * 1024;

before(async () => {
  sim = await startSimulator({ docks: 2, replyDelayMs: 20 });
  front = await startMisbehavingFront(sim.http);
  direct = new UtmosClient({ baseUrl: sim.http, apiId: sim.apiId, apiKey: sim.apiKey });
});
after(async () => {
  direct.close();
  await front.close();
  await sim.close();
});

function viaFront(overrides: Partial<ConstructorParameters<typeof UtmosClient>[0]> = {}): UtmosClient {
  return new UtmosClient({ baseUrl: front.url, apiId: sim.apiId, apiKey: sim.apiKey, ...overrides });
}

async function createCommand(): Promise<string> {
  const created = await direct.createCommand({
    device_id: 'dock-001',
    command_type: 'debug_mode_open',
    payload: {},
    idempotency_key: `hard-${Date.now()}-${seq++}`,
    timeout_seconds: 30,
  });
  return created.command_id;
}

/** The promise's outcome, or a failure if it has not settled within `ms` (a bound, not a timing claim). */
async function settled<T>(p: Promise<T>, ms: number, what: string): Promise<{ value?: T; error?: any }> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not end within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([
      p.then(
        (value) => ({ value }),
        (error) => ({ error }),
      ),
      bound,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function views(value: unknown): string[] {
  return [JSON.stringify(value), inspect(value, { depth: 10, showHidden: true }), String((value as Error)?.stack), String(value)];
}

describe('a response that drips (headers, then a byte at a time)', () => {
  test('ends at the per-attempt timeout, however steadily it drips, and its socket is closed', async (t) => {
    const id = await createCommand();
    front.rules.push({ match: `GET /api/v1/open/downlink/commands/${id}`, behaviour: { kind: 'drip', intervalMs: 50 } });
    const c = viaFront({ requestTimeoutMs: 400, maxAttempts: 1 });
    try {
      const started = Date.now();
      const { error } = await settled(c.getCommand(id), 10_000, 'the dripping call');
      const elapsed = Date.now() - started;
      assert.ok(error instanceof UtmosNetworkError, `expected a network error, got ${inspect(error)}`);
      assert.equal(error.code, 'ETIMEDOUT');
      assert.match(error.message, /^No complete answer from http:\/\/127\.0\.0\.1:\d+ within 400 ms while asking for the command's status: /);
      const [record] = front.records.filter((r) => r.key.endsWith(id));
      assert.ok(record, 'the front saw the call');
      await settled(record.closed, 5_000, 'closing the dripping socket');
      assert.ok(record.bytesWritten > 0, 'the body had started to drip before the deadline');
      t.diagnostic(
        `drip: per-attempt timeout 400 ms, call ended after ${elapsed} ms, socket closed after ${record.closedAt! - record.startedAt} ms, ${record.bytesWritten} byte(s) dripped`,
      );
    } finally {
      c.close();
    }
  });

  test('16 dripping status polls do not stop tracking of other commands of the connection', async (t) => {
    const dripping = await Promise.all(Array.from({ length: 16 }, () => createCommand()));
    for (const id of dripping) front.rules.push({ match: `GET /api/v1/open/downlink/commands/${id}`, behaviour: { kind: 'drip', intervalMs: 100 } });
    const conn = new UtmosConnection({ baseUrl: front.url, apiId: sim.apiId, apiKey: sim.apiKey, requestTimeoutMs: 500 });
    try {
      assert.equal(conn.tracker['maxConcurrent'], 16, 'the default concurrency cap');
      const waits = dripping.map((commandId) => conn.tracker.wait({ commandId, until: 'terminal', deadlineMs: 60_000 }));
      // Every slot of the connection now holds a dripping response.
      await front.waitForRecords('drip', 16);
      const other = await createCommand();
      const outcome = await conn.tracker.wait({ commandId: other, until: 'terminal', deadlineMs: 15_000 }).promise;
      assert.equal(outcome.kind, 'reached', `the other command was tracked: ${inspect(outcome)}`);
      assert.equal(outcome.kind === 'reached' && outcome.effective, 'SUCCEEDED');
      const drips = front.records.filter((r) => r.kind === 'drip' && dripping.some((id) => r.key.endsWith(id)));
      t.diagnostic(
        `drip x16: ${drips.length} dripping polls so far, ${drips.filter((r) => r.closedAt).length} of them closed by the client; the other command's wait ended as ${outcome.kind}`,
      );
      for (const w of waits) w.cancel();
    } finally {
      await conn.close();
    }
  });
});

describe('an oversized response body', () => {
  for (const declareLength of [true, false]) {
    test(`50 MB ${declareLength ? 'with' : 'without'} Content-Length is refused at the size limit with a clear error; the socket is destroyed`, async (t) => {
      const id = await createCommand();
      front.rules.push({ match: `GET /api/v1/open/downlink/commands/${id}`, behaviour: { kind: 'oversize', bytes: 50 * MB, declareLength } });
      const c = viaFront({ maxAttempts: 1 });
      try {
        const heapBefore = process.memoryUsage().heapUsed;
        const { error } = await settled(c.getCommand(id), 30_000, 'the oversized call');
        const heapAfter = process.memoryUsage().heapUsed;
        assert.ok(error instanceof UtmosResponseError, `expected a response error, got ${inspect(error)}`);
        assert.equal(error.code, 'RESPONSE_TOO_LARGE');
        assert.match(error.message, /larger than the response size limit \(8 MiB\), so it was not read/);
        const [record] = front.records.filter((r) => r.key.endsWith(id));
        assert.ok(record, 'the front saw the call');
        await settled(record.closed, 10_000, 'closing the oversized socket');
        assert.ok(record.bytesWritten < 50 * MB, `the client stopped reading: ${record.bytesWritten} of ${50 * MB} bytes were sent`);
        t.diagnostic(
          `oversize (${declareLength ? 'Content-Length 52428800' : 'chunked'}): server sent ${(record.bytesWritten / MB).toFixed(2)} MiB of 50 MiB before the socket closed; heap ${((heapAfter - heapBefore) / MB).toFixed(1)} MiB after vs before`,
        );
      } finally {
        c.close();
      }
    });
  }

  test('the limit is a client option', async () => {
    const id = await createCommand();
    const c = viaFront({ maxResponseBytes: 64 } as any);
    try {
      await assert.rejects(
        c.getCommand(id),
        (e: UtmosError) => e.code === 'RESPONSE_TOO_LARGE' && /larger than the response size limit \(64 bytes\)/.test(e.message),
      );
    } finally {
      c.close();
    }
  });
});

describe('an answer about another object', () => {
  test('a status answer for another command_id is an error, never a result', async () => {
    const id = await createCommand();
    const otherId = await createCommand();
    await sim.control.waitForCommand(id);
    front.rules.push({ match: `GET /api/v1/open/downlink/commands/${id}`, behaviour: { kind: 'rewrite', change: (b) => ({ ...b, command_id: otherId }) } });
    const c = viaFront({ maxAttempts: 1 });
    const conn = new UtmosConnection({ baseUrl: front.url, apiId: sim.apiId, apiKey: sim.apiKey, tracker: { firstPollMs: 20, minIntervalMs: 20 } });
    try {
      await assert.rejects(c.getCommand(id), (e: UtmosError) => {
        assert.ok(e instanceof UtmosResponseError);
        assert.equal(e.code, 'MISMATCHED_RESPONSE');
        assert.ok(e.message.includes(`command_id ${otherId}`) && e.message.includes(id), e.message);
        return true;
      });
      const outcome = await conn.tracker.wait({ commandId: id, until: 'terminal', deadlineMs: 1_500 }).promise;
      assert.equal(outcome.kind, 'deadline', `the wrong answer did not end the wait: ${inspect(outcome)}`);
      assert.equal(outcome.kind === 'deadline' && outcome.lastError?.code, 'MISMATCHED_RESPONSE');
    } finally {
      c.close();
      await conn.close();
    }
  });

  test('a device request answer for another request_id is an error', async () => {
    const { request_id } = await sim.control.raiseDeviceRequest('dock-002', { request_type: 'config', data: { config_type: 'json', config_scope: 'product' } });
    front.rules.push({
      match: `GET /api/v1/open/device-requests/${request_id}`,
      behaviour: { kind: 'rewrite', change: (b) => ({ ...b, request_id: 'someone-else' }) },
    });
    const c = viaFront({ maxAttempts: 1 });
    try {
      await assert.rejects(c.getDeviceRequest(request_id), (e: UtmosError) => e.code === 'MISMATCHED_RESPONSE' && e.message.includes('someone-else'));
    } finally {
      c.close();
    }
  });
});

describe('URLs with user info never reach an error text', () => {
  const secret = 'pw-Sup3r-s3cret';
  test('baseUrl with user info, with and without a valid port', () => {
    for (const baseUrl of [
      `https://operator:${secret}@dev.utmos.dev:99999`,
      `https://operator:${secret}@dev.utmos.dev`,
      `http://operator:${secret}@platform.example.com:99999/x`,
      `https://operator:${secret}@`,
      ` https://${secret}@dev.utmos.dev:port `,
    ]) {
      const before = pooledAgentCount();
      let error: unknown;
      try {
        new UtmosClient({ baseUrl, apiId: 'id', apiKey: 'key' }).close();
      } catch (err) {
        error = err;
      }
      assert.ok(error instanceof UtmosInputError, `${baseUrl} was refused`);
      assert.equal(error.field, 'baseUrl');
      for (const v of views(error)) assert.ok(!v.includes(secret), `the password leaked into an error view for ${baseUrl}: ${v}`);
      assert.equal(pooledAgentCount(), before);
    }
  });

  test('event broker URL with user info and an invalid port', () => {
    for (const url of [`mqtt://events:${secret}@broker.example.com:99999`, `wss://events:${secret}@`, `ws://${secret}@broker:x`]) {
      let error: unknown;
      try {
        new EventStream({ url, topics: ['a'], onHint: () => undefined });
      } catch (err) {
        error = err;
      }
      assert.ok(error instanceof Error, `${url} was refused`);
      for (const v of views(error)) assert.ok(!v.includes(secret), `the password leaked into an error view for ${url}: ${v}`);
    }
  });
});

describe('the event-broker password is a credential only', () => {
  test('a broker URL with a password is refused, naming the field where the password goes', async () => {
    const before = pooledAgentCount();
    for (const eventBrokerUrl of ['mqtt://events:pw-in-url@127.0.0.1:1883', 'wss://:pw-in-url@broker.example.com/mqtt']) {
      assert.throws(
        () => new UtmosConnection({ baseUrl: sim.http, apiId: sim.apiId, apiKey: sim.apiKey, eventBrokerUrl }),
        (e: UtmosInputError) => {
          assert.ok(e instanceof UtmosInputError);
          assert.equal(e.field, 'eventBrokerUrl');
          assert.match(e.message, /password/i);
          assert.match(e.message, /Password field of the event stream in the utmos-config node/);
          assert.ok(!e.message.includes('pw-in-url'), e.message);
          return true;
        },
      );
    }
    assert.equal(pooledAgentCount(), before, 'the refused connection released its HTTP agent');
  });

  test('the password from the credential field connects to a broker that requires it', async () => {
    const authSim = await startSimulator({ docks: 1, replyDelayMs: 20, mqttUsername: 'events', mqttPassword: 'pw-credential' });
    const conn = new UtmosConnection({
      baseUrl: authSim.http,
      apiId: authSim.apiId,
      apiKey: authSim.apiKey,
      eventBrokerUrl: authSim.mqtt,
      eventUsername: 'events',
      eventPassword: 'pw-credential',
    });
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`event stream state ${conn.eventState}`)), 10_000);
        const check = (state: string) => {
          if (state === 'connected') {
            clearTimeout(timer);
            resolve();
          }
        };
        conn.onEventState(check);
        check(conn.eventState ?? '');
      });
    } finally {
      await conn.close();
      await authSim.close();
    }
  });
});

describe('one failure, several waiters', () => {
  test('waiters of the same command never share a mutable error object', async () => {
    const conn = new UtmosConnection({ baseUrl: sim.http, apiId: sim.apiId, apiKey: sim.apiKey, tracker: { firstPollMs: 10 } });
    try {
      const a = conn.tracker.wait({ commandId: 'no-such-command', until: 'terminal', deadlineMs: 10_000 });
      const b = conn.tracker.wait({ commandId: 'no-such-command', until: 'terminal', deadlineMs: 10_000 });
      const [oa, ob] = await Promise.all([a.promise, b.promise]);
      assert.equal(oa.kind, 'error');
      assert.equal(ob.kind, 'error');
      if (oa.kind !== 'error' || ob.kind !== 'error') return;
      assert.notEqual(oa.error, ob.error, 'each waiter has its own error');
      assert.equal(oa.error.code, 'COMMAND_NOT_FOUND');
      assert.equal(oa.error.constructor, ob.error.constructor);
      const original = ob.error.message;
      oa.error.message = `command no-such-command: ${oa.error.message}`;
      assert.equal(ob.error.message, original, 'rewriting one waiter’s error leaves the other’s alone');
    } finally {
      await conn.close();
    }
  });
});
