/**
 * One call to the UTMOS Open Platform, from request to typed answer: each attempt is signed anew
 * (fresh timestamp and nonce) and sent through the pooled transport (http-transport.ts); a 2xx body
 * is checked against its schema and against the object asked for; a failure becomes a typed error
 * (error-mapping.ts) that the retry policy (retry-policy.ts) retries or ends the call with.
 *
 * Every attempt first waits its turn at the connection's rate gate (rate-gate.ts: the cap for every
 * API call, 429 adaptation), so retries count against the cap like first attempts.
 *
 * Two 401s are fixed rather than retried unchanged, once each and at once: TIMESTAMP_EXPIRED, by
 * correcting for clock skew from the platform's Date header, and NONCE_REPLAYED, with a new nonce.
 */
import type { z } from 'zod';
import type { Clock } from './clock';
import { errorFromResponse, headerString, transportFailure } from './error-mapping';
import { Operation, UtmosAbortError, UtmosError, UtmosInputError, UtmosRateLimitError, UtmosResponseError, operationText } from './errors';
import { ACCEPT_ENCODING, AgentLease, RawResponse, sendAttempt } from './http-transport';
import { checkJsonData } from './plain-data';
import type { RateGate } from './rate-gate';
import { Retry, RetryPolicy } from './retry-policy';
import { describeIssues } from './schemas';
import { QueryInput, canonicalQuery, signRequest } from './signer';
import { text } from './text';

export const API_PREFIX = '/api/v1/open';

/** What the client's onAttempt hook is told of every attempt (no secrets). */
export interface AttemptInfo {
  operation: Operation;
  method: string;
  path: string;
  attempt: number;
  httpStatus?: number;
  errorCode?: string;
  durationMs: number;
}

export interface RequestSpec<T> {
  operation: Operation;
  method: 'GET' | 'POST';
  /** Below the base URL's path, starting with API_PREFIX. */
  path: string;
  query?: QueryInput;
  /** The exact bytes to sign and send (see jsonBody). */
  body?: Buffer;
  schema: z.ZodType<T>;
  signal?: AbortSignal;
  maxAttempts?: number;
  /** The command_id or request_id the call is about, for messages. */
  subject?: string;
  /** Decides whether an error response after a retried attempt is in fact the success of an earlier one. */
  recover?: (error: UtmosError, attempt: number) => Promise<T | undefined>;
  /** The object asked for: an answer about another one is an error (a misrouted or cached response). */
  identity?: { field: 'command_id' | 'request_id'; value: string };
  /** Told the HTTP status of the successful answer (200 for an idempotent replay, 201 for a create). */
  onSuccessStatus?: (status: number) => void;
  /** Goes before every normal call waiting at the rate gate (a status query of a command someone waits on). */
  urgent?: boolean;
}

export interface SignedRequesterOptions {
  baseUrl: URL;
  apiId: string;
  apiKey: string;
  lease: AgentLease;
  requestTimeoutMs: number;
  maxResponseBytes: number;
  policy: RetryPolicy;
  clock: Clock;
  nonce: () => string;
  onAttempt?: (info: AttemptInfo) => void;
  closed: () => boolean;
  /** The connection's rate gate: every attempt waits its turn there. */
  gate: RateGate;
}

/** Serialises once, after the JSON guard; the same bytes are signed and sent. */
export function jsonBody(value: unknown): Buffer {
  const issue = checkJsonData(value, '');
  if (issue) throw new UtmosInputError(issue.path, issue.text);
  let json: string;
  try {
    json = JSON.stringify(value);
  } catch (err) {
    throw new UtmosInputError('payload', text('json.notSerialisable', { field: 'payload', why: (err as Error).message }));
  }
  return Buffer.from(json, 'utf8');
}

export class SignedRequester {
  /** Origin plus path of the base URL, without a trailing slash. */
  readonly baseUrl: string;
  private readonly origin: string;
  private readonly basePath: string;
  private readonly apiId: string;
  private readonly apiKey: string;
  private readonly lease: AgentLease;
  private readonly requestTimeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly policy: RetryPolicy;
  private readonly clock: Clock;
  private readonly nonce: () => string;
  private readonly onAttempt?: (info: AttemptInfo) => void;
  private readonly closed: () => boolean;
  private readonly gate: RateGate;
  /** Platform clock minus local clock, learnt from the Date header after TIMESTAMP_EXPIRED. */
  private clockOffset = 0;

  constructor(options: SignedRequesterOptions) {
    this.origin = options.baseUrl.origin;
    this.basePath = options.baseUrl.pathname.replace(/\/+$/, '');
    this.baseUrl = this.origin + this.basePath;
    this.apiId = options.apiId;
    // Kept off enumerable properties so that logging the requester can never print it.
    this.apiKey = options.apiKey;
    Object.defineProperty(this, 'apiKey', { enumerable: false });
    this.lease = options.lease;
    this.requestTimeoutMs = options.requestTimeoutMs;
    this.maxResponseBytes = options.maxResponseBytes;
    this.policy = options.policy;
    this.clock = options.clock;
    this.nonce = options.nonce;
    this.onAttempt = options.onAttempt;
    this.closed = options.closed;
    this.gate = options.gate;
  }

  get clockOffsetMs(): number {
    return this.clockOffset;
  }

  call<T>(spec: RequestSpec<T>): Promise<T> {
    let skewCorrected = false;
    let nonceRetried = false;
    return this.policy.run(
      { operation: spec.operation, signal: spec.signal, maxAttempts: spec.maxAttempts, closed: this.closed },
      async (attempt, maxAttempts) => {
        const started = this.clock.now();
        const report = (outcome: { httpStatus?: number; errorCode?: string }) =>
          this.onAttempt?.({ operation: spec.operation, method: spec.method, path: spec.path, attempt, ...outcome, durationMs: this.clock.now() - started });
        await this.gate.acquire({ urgent: spec.urgent, signal: spec.signal }, () => new UtmosAbortError(spec.operation));
        let response: RawResponse;
        // Stamped when the request gets its socket, not when the turn was granted nor when it was
        // built: both may come long before it goes out (a long stretch of synchronous work or of
        // promise callbacks runs first), and the window counts what really went out.
        let sentAt: number | undefined;
        let over = false;
        // A socket assigned after the attempt was given up (its deadline passed first) is not a send.
        const stamp = (): void => {
          if (!over) sentAt ??= this.gate.take();
        };
        try {
          // Aborted or closed while it waited for its turn: it never goes out.
          if (this.closed() || spec.signal?.aborted) throw new UtmosAbortError(spec.operation);
          response = await this.send(spec, stamp);
        } catch (err) {
          over = true;
          if (sentAt === undefined) this.gate.forgo();
          this.gate.release();
          if (err instanceof UtmosAbortError) throw err;
          const error = transportFailure(err, {
            operation: spec.operation,
            attempt,
            target: this.baseUrl,
            proxy: this.lease.proxy,
            timeoutMs: this.requestTimeoutMs,
            maxResponseBytes: this.maxResponseBytes,
          });
          report({ errorCode: error.code });
          return this.policy.retryOrThrow(error, false, attempt, maxAttempts);
        }
        // Answered without a socket event (not seen from Node's http, but the window must count it).
        const stampedAt = sentAt ?? this.gate.take();
        over = true;
        this.gate.release();
        report({ httpStatus: response.status });
        if (response.status >= 200 && response.status < 300) {
          this.gate.succeeded();
          const value = this.parseSuccess(response, spec);
          spec.onSuccessStatus?.(response.status);
          return value;
        }
        const error = errorFromResponse(response, { operation: spec.operation, attempt, subject: spec.subject, now: this.clock.now() });
        if (error instanceof UtmosRateLimitError) this.gate.rateLimited(stampedAt, error.retryAfterMs);
        if (error.code === 'TIMESTAMP_EXPIRED' && !skewCorrected) {
          const platformNow = Date.parse(headerString(response.headers['date']) ?? '');
          if (Number.isFinite(platformNow)) {
            skewCorrected = true;
            // Date has 1 s resolution; aim at the middle of that second.
            this.clockOffset = platformNow + 500 - this.clock.now();
            return new Retry(0);
          }
        }
        if (error.code === 'NONCE_REPLAYED' && !nonceRetried) {
          nonceRetried = true;
          return new Retry(0);
        }
        const recovered = spec.recover ? await spec.recover(error, attempt) : undefined;
        if (recovered !== undefined) return recovered;
        return this.policy.retryOrThrow(error, true, attempt, maxAttempts);
      },
    );
  }

  private send(spec: RequestSpec<unknown>, onSocket: () => void): Promise<RawResponse> {
    const path = this.basePath + spec.path;
    const query = canonicalQuery(spec.query);
    const timestamp = Math.floor((this.clock.now() + this.clockOffset) / 1000);
    const headers: Record<string, string> = {
      Accept: 'application/json',
      ...signRequest({ method: spec.method, path, query: spec.query, body: spec.body, apiId: this.apiId, timestamp, nonce: this.nonce() }, this.apiKey),
    };
    if (spec.body) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = String(spec.body.length);
    }
    headers['Accept-Encoding'] = ACCEPT_ENCODING;
    return sendAttempt({
      url: new URL(this.origin + path + (query ? `?${query}` : '')),
      method: spec.method,
      headers,
      body: spec.body,
      agent: this.lease.agent,
      timeoutMs: this.requestTimeoutMs,
      maxResponseBytes: this.maxResponseBytes,
      signal: spec.signal,
      clock: this.clock,
      onSocket,
    });
  }

  /** The answer's value: JSON, of the documented shape, about the object asked for. */
  private parseSuccess<T>(response: RawResponse, spec: RequestSpec<T>): T {
    let json: unknown;
    try {
      json = response.body === '' ? {} : JSON.parse(response.body);
    } catch {
      throw new UtmosResponseError(text('response.notJson', { operation: operationText(spec.operation), url: this.baseUrl }), {
        code: 'INVALID_RESPONSE',
        httpStatus: response.status,
        operation: spec.operation,
      });
    }
    const parsed = spec.schema.safeParse(json);
    if (!parsed.success) {
      const { message } = describeIssues(parsed.error, 'response');
      const requestId = (json as { request_id?: unknown } | null)?.request_id;
      throw new UtmosResponseError(text('response.unexpected', { operation: operationText(spec.operation), url: this.baseUrl }), {
        code: 'INVALID_RESPONSE',
        detail: message,
        httpStatus: response.status,
        operation: spec.operation,
        requestId: typeof requestId === 'string' ? requestId : undefined,
      });
    }
    const identity = spec.identity;
    const answered = identity ? (parsed.data as Record<string, unknown>)[identity.field] : undefined;
    if (identity && answered !== identity.value) {
      throw new UtmosResponseError(
        text('response.mismatched', {
          operation: operationText(spec.operation),
          field: identity.field,
          got: String(answered).slice(0, 128),
          expected: identity.value,
        }),
        { code: 'MISMATCHED_RESPONSE', httpStatus: response.status, operation: spec.operation },
      );
    }
    return parsed.data;
  }
}
