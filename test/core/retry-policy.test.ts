// The retry policy and the error mapping on their own (fake clock, scripted attempts, no network).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorFromResponse, parseRetryAfter, transportFailure } from '../../src/core/error-mapping';
import {
  UtmosAbortError,
  UtmosAuthError,
  UtmosError,
  UtmosNetworkError,
  UtmosNotFoundError,
  UtmosPermissionError,
  UtmosRateLimitError,
  UtmosResponseError,
  UtmosServerError,
  UtmosValidationError,
} from '../../src/core/errors';
import { TransportError } from '../../src/core/http-transport';
import { Retry, RetryPolicy, isPermanentError } from '../../src/core/retry-policy';
import { FakeClock } from './fake-clock';

const network = (code: string) => new UtmosNetworkError('down', { code });
const answer = (status: number, retryAfterMs?: number) =>
  status === 429
    ? new UtmosRateLimitError('slow down', { code: 'RATE_LIMITED', httpStatus: 429, retryAfterMs })
    : new UtmosServerError('x', { code: `HTTP_${status}`, httpStatus: status });

function policy(clock = new FakeClock()) {
  return { clock, policy: new RetryPolicy({ clock, backoffBaseMs: 100, backoffMaxMs: 1_000, maxRetryAfterMs: 5_000, random: () => 0.5 }) };
}

test('what is retried: network codes that may not have arrived, 5xx and 429; nothing else', () => {
  const { policy: p } = policy();
  assert.ok(p.retryOrThrow(network('ECONNRESET'), false, 1, 4) instanceof Retry);
  assert.ok(p.retryOrThrow(network('ETIMEDOUT'), false, 1, 4) instanceof Retry);
  assert.throws(() => p.retryOrThrow(network('ENOTFOUND'), false, 1, 4), UtmosNetworkError);
  assert.throws(
    () => p.retryOrThrow(new UtmosResponseError('big', { code: 'RESPONSE_TOO_LARGE', httpStatus: 503 }), false, 1, 4),
    UtmosResponseError,
    'a failed read is judged by its code, not the status it came with',
  );
  assert.ok(p.retryOrThrow(answer(503), true, 1, 4) instanceof Retry);
  assert.ok(p.retryOrThrow(answer(429), true, 1, 4) instanceof Retry);
  assert.throws(() => p.retryOrThrow(answer(400), true, 1, 4));
  assert.throws(() => p.retryOrThrow(answer(409), true, 1, 4));
  assert.throws(() => p.retryOrThrow(answer(503), true, 4, 4), 'attempts spent');
  assert.throws(() => p.retryOrThrow(new UtmosAbortError('getCommand'), false, 1, 4), UtmosAbortError);
});

test('how long: equal-jitter backoff doubling to its ceiling, or the Retry-After a 429 gives', () => {
  const { policy: p } = policy();
  assert.deepEqual(
    [1, 2, 3, 4, 5].map((n) => p.retryOrThrow(answer(500), true, n, 9).delayMs),
    [75, 150, 300, 600, 750],
  );
  assert.equal(p.retryOrThrow(answer(429, 2_000), true, 1, 4).delayMs, 2_000);
  assert.equal(p.retryOrThrow(answer(429), true, 1, 4).delayMs, 75, 'no Retry-After: backoff');
  assert.throws(() => p.retryOrThrow(answer(429, 6_000), true, 1, 4), UtmosRateLimitError, 'a Retry-After beyond the limit ends the call');
});

test('run: retries on the clock, stops on the first value, the attempt budget, or an abort', async () => {
  const { clock, policy: p } = policy();
  const start = clock.now();
  const at: number[] = [];
  const result = p.run({ operation: 'getCommand', closed: () => false }, async (n, max) => {
    at.push(clock.now() - start);
    return n < 3 ? p.retryOrThrow(answer(503), true, n, max) : 'done';
  });
  assert.equal(await clock.until(result), 'done');
  assert.deepEqual(at, [0, 75, 225]);

  let attempts = 0;
  const spent = p.run({ operation: 'getCommand', maxAttempts: 2, closed: () => false }, async (n, max) => {
    attempts++;
    return p.retryOrThrow(answer(500), true, n, max);
  });
  await assert.rejects(clock.until(spent), UtmosServerError);
  assert.equal(attempts, 2);

  const controller = new AbortController();
  const aborted = p.run({ operation: 'getCommand', signal: controller.signal, closed: () => false }, async (n, max) =>
    p.retryOrThrow(answer(500), true, n, max),
  );
  await clock.advance(10);
  controller.abort();
  await assert.rejects(aborted, UtmosAbortError);

  let closed = false;
  const shut = p.run({ operation: 'getCommand', closed: () => closed }, async (n, max) => {
    closed = true;
    return p.retryOrThrow(answer(500), true, n, max);
  });
  await assert.rejects(clock.until(shut), UtmosAbortError, 'a closed client makes no further attempt');

  const atOnce: number[] = [];
  await p.run({ operation: 'createCommand', closed: () => false }, async (n) => {
    atOnce.push(clock.now());
    return n === 1 ? new Retry(0) : 'ok';
  });
  assert.equal(atOnce[1], atOnce[0], 'Retry(0) goes again without waiting');
});

test('errors no retry can fix end a tracker wait; others do not', () => {
  assert.equal(isPermanentError(answer(404)), true);
  assert.equal(isPermanentError(new UtmosError('bad', { code: 'INVALID_INPUT' })), true);
  for (const status of [408, 429, 500, 503]) assert.equal(isPermanentError(answer(status)), false, String(status));
  assert.equal(isPermanentError(network('ECONNRESET')), false);
});

test('an error response becomes the typed error of its status, with code, request id and Retry-After', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  const response = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
    status,
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const call = { operation: 'getCommand' as const, attempt: 2, subject: 'c-1', now };
  const cases: Array<[number, new (...a: never[]) => UtmosError]> = [
    [401, UtmosAuthError],
    [403, UtmosPermissionError],
    [404, UtmosNotFoundError],
    [400, UtmosValidationError],
    [503, UtmosServerError],
  ];
  for (const [status, type] of cases) assert.ok(errorFromResponse(response(status, {}), call) instanceof type, String(status));
  const notFound = errorFromResponse(response(404, { code: 'COMMAND_NOT_FOUND', message: 'no such command', request_id: 'req-9' }), call);
  assert.equal(notFound.code, 'COMMAND_NOT_FOUND');
  assert.equal(notFound.requestId, 'req-9');
  assert.equal(notFound.platformMessage, 'no such command');
  assert.equal(notFound.attempts, 2);
  assert.equal(errorFromResponse(response(502, '<html>bad gateway</html>', { 'x-request-id': 'edge-1' }), call).code, 'HTTP_502');
  assert.equal(errorFromResponse(response(502, '', { 'x-request-id': 'edge-1' }), call).requestId, 'edge-1');
  const limited = errorFromResponse(response(429, {}, { 'retry-after': '3' }), call);
  assert.ok(limited instanceof UtmosRateLimitError && limited.retryAfterMs === 3_000);
  assert.equal((errorFromResponse(response(403, {}), { ...call, operation: 'presignObject' }) as UtmosPermissionError).requiredScope, 'open:object:create');
});

test('Retry-After in seconds or as an HTTP date', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(parseRetryAfter('2', now), 2_000);
  assert.equal(parseRetryAfter('0.5', now), 500);
  assert.equal(parseRetryAfter(['7', '9'], now), 7_000);
  assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:04 GMT', now), 4_000);
  assert.equal(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now), 0);
  assert.equal(parseRetryAfter('soon', now), undefined);
  assert.equal(parseRetryAfter(undefined, now), undefined);
});

test('a transport failure becomes a network or response error that says where and what', () => {
  const at = { operation: 'getCommand' as const, attempt: 1, target: 'https://api.example.com', timeoutMs: 10_000, maxResponseBytes: 8 * 1024 * 1024 };
  const timeout = transportFailure(new TransportError('ETIMEDOUT', 'slow'), at);
  assert.ok(timeout instanceof UtmosNetworkError && timeout.code === 'ETIMEDOUT' && /10000 ms/.test(timeout.message), timeout.message);
  assert.equal(transportFailure(new TransportError('CERT_HAS_EXPIRED', 'x'), at).code, 'TLS_CERTIFICATE_ERROR');
  assert.ok(transportFailure(new TransportError('ABORTED', 'x'), at) instanceof UtmosAbortError);
  const big = transportFailure(new TransportError('RESPONSE_TOO_LARGE', 'x', 200), at);
  assert.ok(big instanceof UtmosResponseError && /8 MiB/.test(big.message), big.message);
  assert.equal(transportFailure(new TransportError('BAD_ENCODING', 'x', 200), at).code, 'INVALID_RESPONSE');
  const proxy = transportFailure(new TransportError('PROXY_REFUSED', 'x', 407), { ...at, proxy: 'http://proxy:3128' });
  assert.match(proxy.message, /proxy:3128/);
  assert.equal(transportFailure(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }), at).code, 'ECONNREFUSED');
  const same = new UtmosNetworkError('x', { code: 'ECONNRESET' });
  assert.equal(transportFailure(same, at), same);
});
