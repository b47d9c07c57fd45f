/**
 * The UTMOS Open Platform client: one method per documented operation, each checking its input
 * (zod, typed input errors naming the field) before it becomes one signed call (signed-request.ts:
 * signing, transport, retries, typed errors). Object storage (presign and upload) is in
 * object-storage.ts. Nothing secret is ever enumerable, logged or put on an error.
 */
import { randomUUID } from 'crypto';
import { Clock, systemClock } from './clock';
import { UtmosInputError } from './errors';
import { AgentLease, acquireAgent } from './http-transport';
import { ObjectStorage, PresignedTarget, presignRequest } from './object-storage';
import type { ProxySettings } from './proxy';
import { DEFAULT_MAX_CONCURRENT, DEFAULT_MAX_REQUESTS_PER_SECOND, RateGate } from './rate-gate';
import { RetryPolicy } from './retry-policy';
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
  IdSchema,
  PresignRequest,
  PresignResponse,
  ReplyRequest,
  ReplyRequestSchema,
  ReplyResponse,
  ReplyResponseSchema,
  parseInput,
} from './schemas';
import { API_PREFIX, AttemptInfo, SignedRequester, jsonBody } from './signed-request';
import type { QueryInput } from './signer';
import { Text, text } from './text';
import { validateBaseUrl } from './urls';

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
  /** API calls per second at most, every operation and attempt together. Default 100. */
  maxRequestsPerSecond?: number;
  /** API calls in flight at most. Default 16. */
  maxConcurrentRequests?: number;
  /** Told when a 429 lowered the rate in use, and when it is back at the cap. */
  onRateChange?: (allowedPerSecond: number, capPerSecond: number) => void;
  /** Observability hook; receives no secrets. */
  onAttempt?: (info: AttemptInfo) => void;
  /** Injection points for tests. */
  clock?: Clock;
  nonce?: () => string;
  random?: () => number;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Overrides the client's attempt budget, e.g. 1 for the tracker, which schedules its own retries. */
  maxAttempts?: number;
  /** Goes before every normal call waiting for its turn (a status query of a command someone waits on). */
  urgent?: boolean;
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

export class UtmosClient {
  readonly baseUrl: string;
  /** The connection's rate gate: every signed call of this client passes it. */
  readonly rate: RateGate;
  private readonly lease: AgentLease;
  private readonly api: SignedRequester;
  private readonly storage: ObjectStorage;
  private closed = false;

  constructor(options: UtmosClientOptions) {
    const url = validateBaseUrl(options.baseUrl);
    if (typeof options.apiId !== 'string' || options.apiId.trim() === '') {
      throw new UtmosInputError('apiId', text('credentials.apiIdEmpty'));
    }
    if (typeof options.apiKey !== 'string' || options.apiKey === '') {
      throw new UtmosInputError('apiKey', text('credentials.apiKeyEmpty'));
    }
    const clock = options.clock ?? systemClock;
    const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    const policy = new RetryPolicy({ ...options, clock });
    const closed = () => this.closed;
    this.rate = new RateGate({
      cap: options.maxRequestsPerSecond ?? DEFAULT_MAX_REQUESTS_PER_SECOND,
      maxConcurrent: options.maxConcurrentRequests ?? DEFAULT_MAX_CONCURRENT,
      clock,
      onRateChange: options.onRateChange,
    });
    this.lease = acquireAgent(url, { ca: options.ca, maxSockets: options.maxSockets ?? 64, connectTimeoutMs: requestTimeoutMs, proxy: options.proxy });
    this.api = new SignedRequester({
      baseUrl: url,
      apiId: options.apiId.trim(),
      apiKey: options.apiKey,
      lease: this.lease,
      requestTimeoutMs,
      maxResponseBytes,
      policy,
      clock,
      nonce: options.nonce ?? randomUUID,
      onAttempt: options.onAttempt,
      closed,
      gate: this.rate,
    });
    this.baseUrl = this.api.baseUrl;
    this.storage = new ObjectStorage({ ca: options.ca, proxy: options.proxy, requestTimeoutMs, maxResponseBytes, policy, clock, onAttempt: options.onAttempt, closed });
  }

  get clockOffsetMs(): number {
    return this.api.clockOffsetMs;
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
    this.rate.close();
    this.lease.release();
  }

  async createCommand(input: Omit<CreateCommandRequest, 'vendor'> & { vendor?: 'dji' }, options: CallOptions = {}): Promise<CreateCommandResult> {
    const request = parseInput(CreateCommandRequestSchema, { vendor: 'dji', ...input });
    let replayed = false;
    const response = await this.api.call({
      operation: 'createCommand',
      method: 'POST',
      path: `${API_PREFIX}/downlink/commands`,
      body: jsonBody(request),
      schema: CreateCommandResponseSchema,
      signal: options.signal,
      onSuccessStatus: (status) => {
        replayed = status === 200;
      },
    });
    return { ...response, status: response.status ?? 'ACCEPTED', replayed };
  }

  async getCommand(commandId: string, options: CallOptions = {}): Promise<CommandStatus> {
    const id = parseInput(IdSchema, commandId, 'command_id');
    return this.api.call({
      operation: 'getCommand',
      subject: id,
      method: 'GET',
      path: `${API_PREFIX}/downlink/commands/${encodeURIComponent(id)}`,
      schema: CommandStatusSchema,
      identity: { field: 'command_id', value: id },
      signal: options.signal,
      maxAttempts: options.maxAttempts,
      urgent: options.urgent,
    });
  }

  async listDeviceRequests(filter: DeviceRequestFilter = {}, options: CallOptions = {}): Promise<DeviceRequestList> {
    const query: QueryInput = parseInput(DeviceRequestFilterSchema, filter);
    return this.api.call({
      operation: 'listDeviceRequests',
      method: 'GET',
      path: `${API_PREFIX}/device-requests`,
      query,
      schema: DeviceRequestListSchema,
      signal: options.signal,
      maxAttempts: options.maxAttempts,
    });
  }

  async getDeviceRequest(requestId: string, options: CallOptions = {}): Promise<DeviceRequest> {
    const id = parseInput(IdSchema, requestId, 'request_id');
    return this.api.call({
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
    const id = parseInput(IdSchema, requestId, 'request_id');
    const request = parseInput(ReplyRequestSchema, reply);
    return this.api.call({
      operation: 'replyToDeviceRequest',
      subject: id,
      method: 'POST',
      path: `${API_PREFIX}/device-requests/${encodeURIComponent(id)}/reply`,
      body: jsonBody(request),
      schema: ReplyResponseSchema,
      identity: { field: 'request_id', value: id },
      signal: options.signal,
      // A reply is not idempotent by key. If an earlier attempt was processed but its response was
      // lost, a platform that refuses second replies answers 409: the request then already holds
      // our reply, which is success.
      recover: async (error, attempt) => {
        if (attempt < 2 || error.httpStatus !== 409) return undefined;
        const current = await this.getDeviceRequest(id, options).catch(() => undefined);
        if (current && current.reply_code === request.reply_code && current.replied_at) {
          return {
            request_id: current.request_id,
            reply_code: current.reply_code ?? request.reply_code,
            reply_message: current.reply_message ?? null,
            reply_source: current.reply_source ?? 'manual',
            replied_at: current.replied_at,
          };
        }
        return undefined;
      },
    });
  }

  /** Asks the platform to sign a PUT or GET URL for tenant object storage. */
  async presignObject(input: PresignRequest, options: CallOptions = {}): Promise<PresignResponse> {
    return this.api.call(presignRequest(input, options));
  }

  /** Sends bytes to a presigned object-storage URL (see object-storage.ts). */
  async uploadObject(target: PresignedTarget, body: Buffer, options: CallOptions = {}): Promise<{ httpStatus: number }> {
    return this.storage.upload(target, body, options);
  }
}
