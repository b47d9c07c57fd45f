/**
 * The UTMOS Open Platform client: signed requests over pooled keep-alive agents (http-transport.ts),
 * zod validation both ways, typed errors, bounded retries where they are safe.
 *
 * Retry policy (why): network errors, 5xx and 429 are retried because the request either did not
 * reach the platform or can be repeated without effect (a create carries the same idempotency_key,
 * so the platform answers with the same command). Other 4xx are never retried unchanged, except
 * TIMESTAMP_EXPIRED (once, after correcting for clock skew from the Date header) and NONCE_REPLAYED
 * (once, with a fresh nonce). Every attempt is signed anew with a fresh timestamp and nonce.
 */
import { randomUUID } from 'crypto';
import type { z } from 'zod';
import {
  Operation,
  UtmosAbortError,
  UtmosError,
  UtmosInputError,
  UtmosNetworkError,
  UtmosResponseError,
  apiErrorFromResponse,
  operationText,
} from './errors';
import {
  CommandStatus,
  CommandStatusSchema,
  CreateCommandRequest,
  CreateCommandRequestSchema,
  CreateCommandResponseSchema,
  DeviceRequest,
  DeviceRequestFilter,
  DeviceRequestFilterSchema,
  DeviceRequestList,
  DeviceRequestListSchema,
  DeviceRequestSchema,
  ErrorEnvelopeSchema,
  IdSchema,
  ReplyRequest,
  ReplyRequestSchema,
  ReplyResponse,
  ReplyResponseSchema,
  describeIssues,
} from './schemas';
import { ACCEPT_ENCODING, AgentLease, RawResponse, TransportError, acquireAgent, sendAttempt } from './http-transport';
import type { ProxySettings } from './proxy';
import { displayUrl } from './redact';
import { QueryInput, canonicalQuery, signRequest } from './signer';
import { Text, raw, text as coreText } from './text';

export { pooledAgentCount } from './http-transport';

export const API_PREFIX = '/api/v1/open';
/** Larger than any documented answer (a list holds at most 500 requests), far below a memory hazard. */
export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

export interface UtmosClientOptions {
  baseUrl: string;
  apiId: string;
  apiKey: string;
  /** Deadline of one HTTP attempt as a whole: connect, headers and body. Default 10 s. */
  requestTimeoutMs?: number;
  /** A response body larger than this ends the attempt (the socket is destroyed). Default 8 MiB. */
  maxResponseBytes?: number;
  /** How HTTPS_PROXY / HTTP_PROXY / NO_PROXY are read (Node-RED's settings.js `proxyOptions`). */
  proxy?: ProxySettings;
  /** Attempts per call including the first. Default 4. */
  maxAttempts?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** A Retry-After longer than this ends the call with a rate-limit error instead of waiting. Default 30 s. */
  maxRetryAfterMs?: number;
  /** PEM CA certificate(s) to trust for an https baseUrl with a private CA. */
  ca?: string;
  maxSockets?: number;
  /** Observability hook; receives no secrets. */
  onAttempt?: (info: AttemptInfo) => void;
  /** Injection points for tests. */
  now?: () => number;
  nonce?: () => string;
  random?: () => number;
}

export interface AttemptInfo {
  operation: Operation;
  method: string;
  path: string;
  attempt: number;
  httpStatus?: number;
  errorCode?: string;
  durationMs: number;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Overrides the client's attempt budget, e.g. 1 for the tracker, which schedules its own retries. */
  maxAttempts?: number;
}

export interface CreateCommandResult {
  command_id: string;
  status: string;
  accepted_at?: string;
  request_id?: string;
  /** True when the platform answered an idempotent replay (HTTP 200): an earlier attempt had created it. */
  replayed: boolean;
  [extra: string]: unknown;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname) || hostname.endsWith('.localhost');
}

/** https is required except for loopback addresses (the simulator, a local gateway). */
export function validateBaseUrl(raw: unknown): URL {
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw new UtmosInputError('baseUrl', coreText('baseUrl.empty'));
  }
  const text = raw.trim();
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  // User info is refused first (and never quoted): an unparsable URL with an "@" may hold a password.
  if (url ? url.username || url.password : text.includes('@')) {
    throw new UtmosInputError('baseUrl', coreText('baseUrl.userInfo', { got: displayUrl(text) }));
  }
  if (!url) {
    throw new UtmosInputError('baseUrl', coreText('baseUrl.invalid', { url: text }));
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new UtmosInputError('baseUrl', coreText('baseUrl.https', { got: `${url.protocol}//${url.host}` }));
  }
  if (url.search || url.hash) {
    throw new UtmosInputError('baseUrl', coreText('baseUrl.extras'));
  }
  return url;
}

const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
]);

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
]);

interface RequestSpec<T> {
  operation: Operation;
  method: 'GET' | 'POST';
  path: string;
  query?: QueryInput;
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
}

export class UtmosClient {
  readonly baseUrl: string;
  private readonly basePath: string;
  private readonly apiId: string;
  private readonly apiKey: string;
  private readonly requestTimeoutMs: number;
  private readonly maxAttempts: number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly maxResponseBytes: number;
  private readonly lease: AgentLease;
  private readonly onAttempt?: (info: AttemptInfo) => void;
  private readonly now: () => number;
  private readonly nonce: () => string;
  private readonly random: () => number;
  private closed = false;
  /** Platform clock minus local clock, learnt from the Date header after TIMESTAMP_EXPIRED. */
  private clockOffset = 0;

  constructor(options: UtmosClientOptions) {
    const url = validateBaseUrl(options.baseUrl);
    if (typeof options.apiId !== 'string' || options.apiId.trim() === '') {
      throw new UtmosInputError('apiId', coreText('credentials.apiIdEmpty'));
    }
    if (typeof options.apiKey !== 'string' || options.apiKey === '') {
      throw new UtmosInputError('apiKey', coreText('credentials.apiKeyEmpty'));
    }
    this.baseUrl = url.origin + url.pathname.replace(/\/+$/, '');
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.apiId = options.apiId.trim();
    // Kept off enumerable properties so that logging the client can never print it.
    this.apiKey = options.apiKey;
    Object.defineProperty(this, 'apiKey', { enumerable: false });
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 4);
    this.backoffBaseMs = options.backoffBaseMs ?? 250;
    this.backoffMaxMs = options.backoffMaxMs ?? 5_000;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
    this.onAttempt = options.onAttempt;
    this.now = options.now ?? Date.now;
    this.nonce = options.nonce ?? randomUUID;
    this.random = options.random ?? Math.random;
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.lease = acquireAgent(url, {
      ca: options.ca,
      maxSockets: options.maxSockets ?? 64,
      connectTimeoutMs: this.requestTimeoutMs,
      proxy: options.proxy,
    });
  }

  get clockOffsetMs(): number {
    return this.clockOffset;
  }

  /** The HTTP proxy the API goes through (from HTTPS_PROXY / HTTP_PROXY, without user info), if any. */
  get proxy(): string | undefined {
    return this.lease.proxy;
  }

  /** Why a proxy named by the environment is not used, if one is not. */
  get proxyProblem(): Text | undefined {
    return this.lease.proxyProblem;
  }

  /** Releases the shared agent (its sockets close with the last client of that base URL). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.lease.release();
  }

  async createCommand(input: Omit<CreateCommandRequest, 'vendor'> & { vendor?: 'dji' }, options: CallOptions = {}): Promise<CreateCommandResult> {
    const parsed = CreateCommandRequestSchema.safeParse({ vendor: 'dji', ...input });
    if (!parsed.success) {
      const { field, text: problem } = describeIssues(parsed.error);
      throw new UtmosInputError(field, problem);
    }
    const body = jsonBytes(parsed.data, 'payload');
    let replayed = false;
    const response = await this.call({
      operation: 'createCommand',
      method: 'POST',
      path: `${API_PREFIX}/downlink/commands`,
      body,
      schema: CreateCommandResponseSchema,
      signal: options.signal,
    }, (status) => {
      replayed = status === 200;
    });
    return { ...response, status: response.status ?? 'ACCEPTED', replayed };
  }

  async getCommand(commandId: string, options: CallOptions = {}): Promise<CommandStatus> {
    const id = checkId('command_id', commandId);
    return this.call({
      operation: 'getCommand',
      subject: id,
      method: 'GET',
      path: `${API_PREFIX}/downlink/commands/${encodeURIComponent(id)}`,
      schema: CommandStatusSchema,
      identity: { field: 'command_id', value: id },
      signal: options.signal,
      maxAttempts: options.maxAttempts,
    });
  }

  async listDeviceRequests(filter: DeviceRequestFilter = {}, options: CallOptions = {}): Promise<DeviceRequestList> {
    const parsed = DeviceRequestFilterSchema.safeParse(filter);
    if (!parsed.success) {
      const { field, text: problem } = describeIssues(parsed.error);
      throw new UtmosInputError(field, problem);
    }
    return this.call({
      operation: 'listDeviceRequests',
      method: 'GET',
      path: `${API_PREFIX}/device-requests`,
      query: parsed.data as QueryInput,
      schema: DeviceRequestListSchema,
      signal: options.signal,
      maxAttempts: options.maxAttempts,
    });
  }

  async getDeviceRequest(requestId: string, options: CallOptions = {}): Promise<DeviceRequest> {
    const id = checkId('request_id', requestId);
    return this.call({
      operation: 'getDeviceRequest',
      subject: id,
      method: 'GET',
      path: `${API_PREFIX}/device-requests/${encodeURIComponent(id)}`,
      schema: DeviceRequestSchema,
      identity: { field: 'request_id', value: id },
      signal: options.signal,
    });
  }

  async replyToDeviceRequest(requestId: string, reply: ReplyRequest, options: CallOptions = {}): Promise<ReplyResponse> {
    const id = checkId('request_id', requestId);
    const parsed = ReplyRequestSchema.safeParse(reply);
    if (!parsed.success) {
      const { field, text: problem } = describeIssues(parsed.error);
      throw new UtmosInputError(field, problem);
    }
    const body = jsonBytes(parsed.data, 'payload');
    return this.call({
      operation: 'replyToDeviceRequest',
      subject: id,
      method: 'POST',
      path: `${API_PREFIX}/device-requests/${encodeURIComponent(id)}/reply`,
      body,
      schema: ReplyResponseSchema,
      identity: { field: 'request_id', value: id },
      signal: options.signal,
      // A reply is not idempotent by key. If an earlier attempt was processed but its response was
      // lost, a platform that refuses second replies answers 409: the request then already holds
      // our reply, which is success.
      recover: async (error, attempt) => {
        if (attempt < 2 || error.httpStatus !== 409) return undefined;
        const current = await this.getDeviceRequest(id, options).catch(() => undefined);
        if (current && current.reply_code === parsed.data.reply_code && current.replied_at) {
          return {
            request_id: current.request_id,
            reply_code: current.reply_code ?? parsed.data.reply_code,
            reply_message: current.reply_message ?? null,
            reply_source: current.reply_source ?? 'manual',
            replied_at: current.replied_at,
          };
        }
        return undefined;
      },
    });
  }

  private async call<T>(spec: RequestSpec<T>, onSuccessStatus?: (status: number) => void): Promise<T> {
    let skewCorrected = false;
    let nonceRetried = false;
    let lastError: UtmosError | undefined;
    const maxAttempts = Math.max(1, spec.maxAttempts ?? this.maxAttempts);
    for (let attempt = 1; ; attempt++) {
      if (this.closed) throw new UtmosAbortError(spec.operation);
      if (spec.signal?.aborted) throw new UtmosAbortError(spec.operation);
      let response: RawResponse;
      const started = this.now();
      try {
        response = await this.send(spec);
      } catch (err) {
        const error = this.networkError(err, spec.operation, attempt);
        this.onAttempt?.({ ...attemptBase(spec, attempt), errorCode: error.code, durationMs: this.now() - started });
        if (error instanceof UtmosAbortError) throw error;
        lastError = error;
        if (RETRYABLE_NETWORK_CODES.has(error.code) && attempt < maxAttempts) {
          await this.sleep(this.backoff(attempt), spec);
          continue;
        }
        throw error;
      }
      this.onAttempt?.({ ...attemptBase(spec, attempt), httpStatus: response.status, durationMs: this.now() - started });

      if (response.status >= 200 && response.status < 300) {
        const value = this.parseSuccess(response, spec);
        onSuccessStatus?.(response.status);
        return value;
      }

      const envelope = parseEnvelope(response.body);
      const retryAfterMs = parseRetryAfter(response.headers['retry-after'], this.now());
      const error = apiErrorFromResponse({
        httpStatus: response.status,
        code: envelope.code,
        message: envelope.message,
        requestId: envelope.request_id ?? headerString(response.headers['x-request-id']),
        operation: spec.operation,
        attempts: attempt,
        retryAfterMs,
        subject: spec.subject,
      });
      lastError = error;

      if (error.code === 'TIMESTAMP_EXPIRED' && !skewCorrected) {
        const platformNow = Date.parse(headerString(response.headers['date']) ?? '');
        if (Number.isFinite(platformNow)) {
          skewCorrected = true;
          // Date has 1 s resolution; aim at the middle of that second.
          this.clockOffset = platformNow + 500 - this.now();
          continue;
        }
      }
      if (error.code === 'NONCE_REPLAYED' && !nonceRetried) {
        nonceRetried = true;
        continue;
      }
      const recovered = spec.recover ? await spec.recover(error, attempt) : undefined;
      if (recovered !== undefined) return recovered;

      const retryable = response.status >= 500 || response.status === 429;
      if (!retryable || attempt >= maxAttempts) throw error;
      let delay = this.backoff(attempt);
      if (response.status === 429 && retryAfterMs !== undefined) {
        if (retryAfterMs > this.maxRetryAfterMs) throw error;
        delay = retryAfterMs;
      }
      await this.sleep(delay, spec);
    }
    // Unreachable: the loop returns or throws.
    throw lastError;
  }

  private async send(spec: RequestSpec<unknown>): Promise<RawResponse> {
    const path = this.basePath + spec.path;
    const query = canonicalQuery(spec.query);
    const timestamp = Math.floor((this.now() + this.clockOffset) / 1000);
    const headers: Record<string, string> = {
      Accept: 'application/json',
      ...signRequest(
        { method: spec.method, path, query: spec.query, body: spec.body, apiId: this.apiId, timestamp, nonce: this.nonce() },
        this.apiKey,
      ),
    };
    if (spec.body) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = String(spec.body.length);
    }
    headers['Accept-Encoding'] = ACCEPT_ENCODING;
    const origin = this.baseUrl.slice(0, this.baseUrl.length - this.basePath.length);
    return sendAttempt({
      url: new URL(origin + path + (query ? `?${query}` : '')),
      method: spec.method,
      headers,
      body: spec.body,
      agent: this.lease.agent,
      timeoutMs: this.requestTimeoutMs,
      maxResponseBytes: this.maxResponseBytes,
      signal: spec.signal,
    });
  }

  private parseSuccess<T>(response: RawResponse, spec: RequestSpec<T>): T {
    let json: unknown;
    try {
      json = response.body === '' ? {} : JSON.parse(response.body);
    } catch {
      throw new UtmosResponseError(coreText('response.notJson', { operation: operationText(spec.operation), url: this.baseUrl }), {
        code: 'INVALID_RESPONSE',
        httpStatus: response.status,
        operation: spec.operation,
      });
    }
    const parsed = spec.schema.safeParse(json);
    if (!parsed.success) {
      const { message } = describeIssues(parsed.error, 'response');
      const requestId = (json as { request_id?: unknown })?.request_id;
      throw new UtmosResponseError(coreText('response.unexpected', { operation: operationText(spec.operation), url: this.baseUrl }), {
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
        coreText('response.mismatched', { operation: operationText(spec.operation), field: identity.field, got: String(answered).slice(0, 128), expected: identity.value }),
        { code: 'MISMATCHED_RESPONSE', httpStatus: response.status, operation: spec.operation },
      );
    }
    return parsed.data;
  }

  private networkError(err: unknown, operation: Operation, attempt: number): UtmosError {
    if (err instanceof UtmosError) return err;
    const e = err instanceof TransportError ? err : new TransportError(String((err as { code?: unknown })?.code ?? 'NETWORK_ERROR'), String(err));
    const code = e.code;
    const target = this.baseUrl;
    if (code === 'ABORTED') return new UtmosAbortError(operation);
    const op = operationText(operation);
    if (code === 'RESPONSE_TOO_LARGE') {
      return new UtmosResponseError(coreText('response.tooLarge', { operation: op, limit: formatBytes(this.maxResponseBytes) }), {
        code,
        httpStatus: e.httpStatus,
        operation,
        attempts: attempt,
      });
    }
    if (code === 'BAD_ENCODING') {
      return new UtmosResponseError(coreText('response.badEncoding', { operation: op, url: target }), {
        code: 'INVALID_RESPONSE',
        httpStatus: e.httpStatus,
        operation,
        attempts: attempt,
        detail: e.message,
      });
    }
    if (code === 'PROXY_REFUSED') {
      return new UtmosNetworkError(coreText('network.proxyRefused', { proxy: String(this.lease.proxy), url: target, status: e.httpStatus ?? '?' }), {
        code,
        operation,
        attempts: attempt,
      });
    }
    if (TLS_CODES.has(code)) {
      return new UtmosNetworkError(coreText('network.tls', { url: target }), { code: 'TLS_CERTIFICATE_ERROR', operation, attempts: attempt, detail: code });
    }
    const params = {
      url: target,
      via: this.lease.proxy ? coreText('network.viaProxy', { proxy: this.lease.proxy }) : raw(''),
      operation: op,
      ms: this.requestTimeoutMs,
      code,
    };
    const what =
      code === 'ETIMEDOUT'
        ? coreText('network.timeout', params)
        : code === 'ECONNREFUSED'
          ? coreText('network.refused', params)
          : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
            ? coreText('network.hostNotFound', params)
            : coreText('network.other', params);
    return new UtmosNetworkError(what, { code, operation, attempts: attempt });
  }

  private backoff(attempt: number): number {
    const ceiling = Math.min(this.backoffMaxMs, this.backoffBaseMs * 2 ** (attempt - 1));
    // "Equal jitter": never zero, never synchronised across clients.
    return Math.round(ceiling / 2 + this.random() * (ceiling / 2));
  }

  private sleep(ms: number, spec: RequestSpec<unknown>): Promise<void> {
    return new Promise((resolve, reject) => {
      const signal = spec.signal;
      const onAbort = () => {
        clearTimeout(timer);
        reject(new UtmosAbortError(spec.operation));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

function formatBytes(n: number): string {
  const MiB = 1024 * 1024;
  return n >= MiB && n % MiB === 0 ? `${n / MiB} MiB` : `${n} bytes`;
}

function attemptBase(spec: RequestSpec<unknown>, attempt: number) {
  return { operation: spec.operation, method: spec.method, path: spec.path, attempt };
}

function checkId(field: string, value: unknown): string {
  const parsed = IdSchema.safeParse(value);
  if (!parsed.success) throw new UtmosInputError(field, describeIssues(parsed.error, field).text);
  return parsed.data;
}

const MAX_BODY_DEPTH = 64;
/** A lone UTF-16 surrogate (in unicode mode a surrogate pair is one code point, not Cs). */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * What a body must be before it leaves the process: no `__proto__` keys, no cycles, at most 64
 * levels, and only well-formed Unicode text (a lone surrogate cannot be encoded as UTF-8 and would
 * reach the device as garbage). Throws an input error naming the first offending field.
 */
function checkBody(value: unknown, path: string, depth: number, parents: object[]): void {
  if (typeof value === 'string') {
    if (LONE_SURROGATE.test(value)) {
      throw new UtmosInputError(path, coreText('json.loneSurrogate', { path }));
    }
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (parents.includes(value)) throw new UtmosInputError(path, coreText('json.cyclic', { path }));
  if (depth > MAX_BODY_DEPTH) throw new UtmosInputError(path, coreText('json.tooDeep', { path, max: MAX_BODY_DEPTH }));
  parents.push(value);
  if (Array.isArray(value)) {
    value.forEach((item, i) => checkBody(item, `${path}[${i}]`, depth + 1, parents));
  } else {
    for (const key of Object.keys(value)) {
      const at = path ? `${path}.${key}` : key;
      if (key === '__proto__') throw new UtmosInputError(at, coreText('json.reservedKey', { path: at }));
      if (LONE_SURROGATE.test(key)) throw new UtmosInputError(path || 'body', coreText('json.keySurrogate', { path: path || 'body' }));
      checkBody((value as Record<string, unknown>)[key], at, depth + 1, parents);
    }
  }
  parents.pop();
}

/** Serialises once; the same bytes are signed and sent. */
function jsonBytes(value: unknown, field: string): Buffer {
  checkBody(value, '', 0, []);
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch (err) {
    throw new UtmosInputError(field, coreText('json.notSerialisable', { field, why: (err as Error).message }));
  }
  return Buffer.from(text, 'utf8');
}

function parseEnvelope(body: string): { code?: string | number; message?: string; request_id?: string } {
  try {
    const parsed = ErrorEnvelopeSchema.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

function headerString(value: unknown): string | undefined {
  if (Array.isArray(value)) return value.length ? String(value[0]) : undefined;
  return value === undefined || value === null ? undefined : String(value);
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: unknown, now: number): number | undefined {
  const text = headerString(value)?.trim();
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}
