/**
 * The simulated UTMOS Open Platform core: command and device-request state, the MQTT side (DJI
 * services out, services_reply / requests / events / status in) and the tenant event stream.
 * The HTTP layer (http.ts) calls into it; it knows nothing about HTTP.
 */
import { randomUUID } from 'crypto';
import { performance } from 'perf_hooks';
import mqtt, { MqttClient } from 'mqtt';
import { TimerQueue } from './timer-queue';

export type CommandStatus = 'ACCEPTED' | 'DELIVERED' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'UNMATCHED_RESPONSE';
export const TERMINAL_STATUSES: ReadonlySet<CommandStatus> = new Set([
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'UNMATCHED_RESPONSE',
]);

export const ALL_SCOPES = [
  'open:command:create',
  'open:command:read',
  'open:device-request:read',
  'open:device-request:create',
  'open:object:create',
  'open:object-config:create',
  'open:object-config:read',
  'open:object-config:update',
  'open:callback:create',
  'open:callback:read',
  'open:callback:update',
  'open:callback:disable',
] as const;

export interface Credential {
  apiId: string;
  apiKey: string;
  scopes: ReadonlySet<string>;
  tenantId: string;
}

/** One accepted command. Plain fields only (10k of these may be in flight). */
export interface CommandRecord {
  id: string;
  tenantId: string;
  vendor: string;
  deviceId: string;
  commandType: string;
  payload: Record<string, unknown>;
  idempotencyKey: string;
  timeoutSeconds: number;
  gateway: string;
  tid: string;
  bid: string;
  status: CommandStatus;
  acceptedAt: number;
  deliveredAt?: number;
  completedAt?: number;
  responseReceivedAt?: number;
  updatedAt: number;
  failureCode?: string;
  failureReason?: string;
  responseCode?: string;
  responseMessage?: string;
  vendorResponse?: Record<string, unknown>;
  /** performance.timeOrigin + performance.now() when a terminal status was reached. */
  terminalAtMs?: number;
  acceptRequestId: string;
}

/** One device request, in the shape of the requests page (seed 002): pending until replied. */
export interface DeviceRequestRecord {
  requestId: string;
  vendor: 'dji';
  deviceId: string;
  requestType: string;
  inboundPayload: unknown;
  routingDecision: string;
  replyCode: string;
  replyMessage: string;
  replySource: 'auto' | 'manual';
  standardizedReply: Record<string, unknown>;
  receivedAt: number;
  repliedAt: number | null;
  updatedAt: number;
  tid: string;
  bid: string;
  gateway: string;
}

/** How the requests page shows a request that waits for the cloud. */
export const PENDING_REQUEST = {
  routingDecision: 'manual_reply_required',
  replyCode: 'PENDING',
  replyMessage: 'awaiting cloud decision',
  replySource: 'manual',
} as const;
/** routing_decision of a request the platform answers itself (value not documented; ours). */
export const AUTO_REPLY_ROUTING = 'auto_reply';

export interface Counters {
  calls: Record<string, number>;
  total_calls: number;
  commands_created: number;
  idempotent_replays: number;
  auth_failures: Record<string, number>;
  faults_injected: number;
  unmatched_replies: number;
  late_replies: number;
  services_published: number;
  requests_replies_published: number;
  events_published: number;
  device_requests_received: number;
}

export const ROUTE_KEYS = [
  'POST /api/v1/open/downlink/commands',
  'GET /api/v1/open/downlink/commands/:id',
  'GET /api/v1/open/device-requests',
  'GET /api/v1/open/device-requests/:id',
  'POST /api/v1/open/device-requests/:id/reply',
] as const;

const AUTH_CODES = ['UNAUTHORIZED', 'TIMESTAMP_EXPIRED', 'SIGNATURE_INVALID', 'NONCE_REPLAYED', 'FORBIDDEN'];

export function newCounters(): Counters {
  return {
    calls: Object.fromEntries(ROUTE_KEYS.map((k) => [k, 0])),
    total_calls: 0,
    commands_created: 0,
    idempotent_replays: 0,
    auth_failures: Object.fromEntries(AUTH_CODES.map((k) => [k, 0])),
    faults_injected: 0,
    unmatched_replies: 0,
    late_replies: 0,
    services_published: 0,
    requests_replies_published: 0,
    events_published: 0,
    device_requests_received: 0,
  };
}

export interface NewCommand {
  vendor: string;
  device_id: string;
  command_type: string;
  payload: Record<string, unknown>;
  idempotency_key: string;
  timeout_seconds: number;
}

export type CreateOutcome =
  | { kind: 'created'; record: CommandRecord }
  | { kind: 'replayed'; record: CommandRecord }
  | { kind: 'conflict'; record: CommandRecord };

export interface DeviceRequestFilter {
  vendor?: string;
  device_id?: string;
  request_type?: string;
  limit: number;
}

export interface PlatformOptions {
  tenantId: string;
  timestampWindowSeconds: number;
  secondReply: 'overwrite' | 'conflict';
  log: (line: string) => void;
  /** Whether the dock with this SN currently holds an MQTT connection to the broker. */
  isGatewayConnected: (sn: string) => boolean;
  /** Device requests kept in memory (oldest dropped first). */
  maxDeviceRequests?: number;
  /** Request types the platform answers itself (reply_source "auto"); default none. */
  autoReplyRequestTypes?: readonly string[];
}

/** Canonical JSON: object keys sorted recursively, no whitespace. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return '[' + value.map((v) => canonicalJson(v)).join(',') + ']';
  const keys = Object.keys(value as Record<string, unknown>).sort();
  return (
    '{' +
    keys
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => JSON.stringify(k) + ':' + canonicalJson((value as Record<string, unknown>)[k]))
      .join(',') +
    '}'
  );
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export const iso = (ms: number): string => new Date(ms).toISOString();
export const hrNow = (): number => performance.timeOrigin + performance.now();

type Topology = { gateway: string; subDevices: string[]; version: number };

export class PlatformCore {
  readonly tenantId: string;
  readonly timestampWindowSeconds: number;
  secondReply: 'overwrite' | 'conflict';
  /** Request types answered by the platform itself as they arrive (the auto-reply switch). */
  autoReplyRequestTypes: Set<string>;
  clockOffsetMs = 0;
  counters: Counters = newCounters();
  readonly credentials = new Map<string, Credential>();

  private readonly commands = new Map<string, CommandRecord>();
  private readonly byTid = new Map<string, string>();
  private readonly inFlightByBid = new Map<string, string>();
  private readonly idempotency = new Map<string, { commandId: string; canonical: string }>();
  private readonly deviceRequests = new Map<string, DeviceRequestRecord>();
  /** Insertion order = arrival order; the list endpoint walks it backwards. */
  private deviceRequestOrder: string[] = [];
  private readonly deviceRequestByTid = new Map<string, string>();
  private readonly requestWaiters = new Map<string, (rec: DeviceRequestRecord) => void>();
  private readonly topology = new Map<string, Topology>();
  private readonly gatewayOfDevice = new Map<string, string>();
  private readonly topologyWaiters: Array<() => void> = [];
  private readonly timeouts: TimerQueue<string>;
  private readonly maxDeviceRequests: number;
  private client: MqttClient | undefined;
  private closed = false;

  constructor(private readonly opts: PlatformOptions) {
    this.tenantId = opts.tenantId;
    this.timestampWindowSeconds = opts.timestampWindowSeconds;
    this.secondReply = opts.secondReply;
    this.maxDeviceRequests = opts.maxDeviceRequests ?? 20000;
    this.autoReplyRequestTypes = new Set(opts.autoReplyRequestTypes ?? []);
    this.timeouts = new TimerQueue<string>((id) => this.onTimeout(id));
  }

  /** The platform clock (ms): real time plus the test offset. */
  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  // ---------------------------------------------------------------- MQTT

  async connect(url: string, username?: string, password?: string): Promise<void> {
    const client = mqtt.connect(url, {
      clientId: 'utmos-platform-' + randomUUID().slice(0, 8),
      clean: true,
      reconnectPeriod: 500,
      connectTimeout: 5000,
      username,
      password,
    });
    this.client = client;
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
    client.on('error', (err) => this.opts.log(`platform mqtt error: ${err.message}`));
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      client.once('error', onError);
      client.once('connect', () => {
        client.removeListener('error', onError);
        resolve();
      });
    });
    await client.subscribeAsync(
      {
        'thing/product/+/services_reply': { qos: 1 },
        'thing/product/+/requests': { qos: 1 },
        'thing/product/+/events': { qos: 1 },
        'sys/product/+/status': { qos: 1 },
      },
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    this.timeouts.close();
    for (const w of this.topologyWaiters.splice(0)) w();
    const client = this.client;
    this.client = undefined;
    if (client) await new Promise<void>((resolve) => client.end(true, {}, () => resolve()));
  }

  private publish(topic: string, message: unknown, qos: 0 | 1 = 1): void {
    const client = this.client;
    if (!client || this.closed) return;
    client.publish(topic, JSON.stringify(message), { qos, retain: false }, (err) => {
      if (err) this.opts.log(`platform publish to ${topic} failed: ${err.message}`);
    });
  }

  private publishEvent(kind: string, body: Record<string, unknown>): void {
    this.counters.events_published++;
    this.publish(`tenant/${this.tenantId}/${kind}`, body, 1);
  }

  private onMessage(topic: string, payload: Buffer): void {
    const parts = topic.split('/');
    if (parts.length !== 4) return;
    const [root, , sn, kind] = parts;
    let msg: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(payload.toString('utf8'));
      if (!isPlainObject(parsed)) throw new Error('not an object');
      msg = parsed;
    } catch {
      this.opts.log(`platform: unparseable message on ${topic}`);
      if (kind === 'services_reply') this.counters.unmatched_replies++;
      return;
    }
    if (root === 'sys' && kind === 'status') return this.onStatus(sn, msg);
    if (root !== 'thing') return;
    if (kind === 'services_reply') return this.onServicesReply(msg);
    if (kind === 'requests') return this.onRequest(sn, msg);
    if (kind === 'events') return this.onEvent(sn, msg);
  }

  private onStatus(sn: string, msg: Record<string, unknown>): void {
    if (msg.method === 'update_topo') {
      const data = isPlainObject(msg.data) ? msg.data : {};
      const subs = Array.isArray(data.sub_devices) ? data.sub_devices : [];
      const subDevices = subs
        .map((s) => (isPlainObject(s) && typeof s.sn === 'string' ? s.sn : undefined))
        .filter((s): s is string => Boolean(s));
      const version = (this.topology.get(sn)?.version ?? 0) + 1;
      this.topology.set(sn, { gateway: sn, subDevices, version });
      this.gatewayOfDevice.set(sn, sn);
      for (const d of subDevices) this.gatewayOfDevice.set(d, sn);
      for (const w of this.topologyWaiters.splice(0)) w();
      // The requests page lists update_topo as a device request too. The status_reply below is
      // its answer, given by the platform itself, so the record is auto-answered.
      const rec = this.recordDeviceRequest(sn, {
        method: 'update_topo',
        data: { topo_version: version, topo_payload: data },
        tid: msg.tid,
        bid: msg.bid,
      });
      this.answerAutomatically(rec, false);
    }
    this.publish(`sys/product/${sn}/status_reply`, {
      tid: msg.tid,
      bid: msg.bid,
      timestamp: this.now(),
      method: msg.method,
      data: { result: 0 },
    });
  }

  /** Resolves once every listed gateway has announced its topology (or on close / timeout). */
  async waitForTopology(sns: string[], timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!sns.every((sn) => this.topology.has(sn))) {
      if (this.closed || Date.now() >= deadline) return false;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.topologyWaiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return true;
  }

  gatewayFor(deviceId: string): string | undefined {
    return this.gatewayOfDevice.get(deviceId);
  }

  private onEvent(sn: string, msg: Record<string, unknown>): void {
    if (Number(msg.need_reply) === 1) {
      this.publish(`thing/product/${sn}/events_reply`, {
        tid: msg.tid,
        bid: msg.bid,
        timestamp: this.now(),
        method: msg.method,
        data: { result: 0 },
      });
    }
  }

  private onRequest(sn: string, msg: Record<string, unknown>): void {
    if (typeof msg.method !== 'string' || !msg.method) return;
    const rec = this.recordDeviceRequest(sn, msg);
    if (this.autoReplyRequestTypes.has(rec.requestType)) this.answerAutomatically(rec, true);
  }

  /** Stores a device request as pending (seed 002's shape), announces it, and wakes its waiter. */
  private recordDeviceRequest(sn: string, msg: Record<string, unknown>): DeviceRequestRecord {
    const now = this.now();
    const rec: DeviceRequestRecord = {
      requestId: randomUUID(),
      vendor: 'dji',
      deviceId: sn,
      requestType: String(msg.method),
      inboundPayload: msg.data === undefined ? {} : msg.data,
      ...PENDING_REQUEST,
      standardizedReply: {},
      receivedAt: now,
      repliedAt: null,
      updatedAt: now,
      tid: typeof msg.tid === 'string' ? msg.tid : randomUUID(),
      bid: typeof msg.bid === 'string' ? msg.bid : randomUUID(),
      gateway: typeof msg.gateway === 'string' ? msg.gateway : sn,
    };
    this.deviceRequests.set(rec.requestId, rec);
    this.deviceRequestOrder.push(rec.requestId);
    this.deviceRequestByTid.set(rec.tid, rec.requestId);
    this.counters.device_requests_received++;
    if (this.deviceRequestOrder.length > this.maxDeviceRequests) {
      const drop = this.deviceRequestOrder.splice(0, this.deviceRequestOrder.length - this.maxDeviceRequests);
      for (const id of drop) {
        const old = this.deviceRequests.get(id);
        this.deviceRequests.delete(id);
        if (old && this.deviceRequestByTid.get(old.tid) === id) this.deviceRequestByTid.delete(old.tid);
      }
    }
    this.opts.log(`device request ${rec.requestType} from ${sn} recorded as ${rec.requestId}`);
    this.publishEvent('device_request/received', {
      event_type: 'device_request.received',
      tenant_id: this.tenantId,
      request_id: rec.requestId,
      device_id: rec.deviceId,
      request_type: rec.requestType,
      occurred_at: iso(now),
    });
    const waiter = this.requestWaiters.get(rec.tid);
    if (waiter) {
      this.requestWaiters.delete(rec.tid);
      waiter(rec);
    }
    return rec;
  }

  /** The platform answers the request itself; `publish` sends the requests_reply to the dock. */
  private answerAutomatically(rec: DeviceRequestRecord, publish: boolean): void {
    const now = this.now();
    rec.routingDecision = AUTO_REPLY_ROUTING;
    rec.replyCode = 'APPROVED';
    rec.replyMessage = 'answered automatically by the platform';
    rec.replySource = 'auto';
    rec.standardizedReply = { result: 0, output: {} };
    rec.repliedAt = now;
    rec.updatedAt = now;
    if (publish) this.publishRequestsReply(rec, rec.standardizedReply, now);
  }

  private publishRequestsReply(rec: DeviceRequestRecord, data: Record<string, unknown>, now: number): void {
    this.counters.requests_replies_published++;
    this.publish(`thing/product/${rec.gateway}/requests_reply`, {
      tid: rec.tid,
      bid: rec.bid,
      timestamp: now,
      method: rec.requestType,
      data,
    });
  }

  /** Resolves with the device request recorded for a dock `requests` message with this tid. */
  waitForDeviceRequestByTid(tid: string, timeoutMs: number): Promise<DeviceRequestRecord | undefined> {
    const existing = this.deviceRequestByTid.get(tid);
    if (existing) return Promise.resolve(this.deviceRequests.get(existing));
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.requestWaiters.delete(tid);
        resolve(undefined);
      }, timeoutMs);
      this.requestWaiters.set(tid, (rec) => {
        clearTimeout(t);
        resolve(rec);
      });
    });
  }

  // ---------------------------------------------------------------- commands

  /** `sentBody` is the request body as parsed (idempotency compares its canonical JSON). */
  createCommand(tenantId: string, body: NewCommand, sentBody: unknown, requestId: string): CreateOutcome {
    const canonical = canonicalJson(sentBody);
    const idemKey = tenantId + '\u0000' + body.idempotency_key;
    const prior = this.idempotency.get(idemKey);
    if (prior) {
      const record = this.commands.get(prior.commandId)!;
      if (prior.canonical === canonical) {
        this.counters.idempotent_replays++;
        return { kind: 'replayed', record };
      }
      return { kind: 'conflict', record };
    }
    const now = this.now();
    const gateway = this.gatewayFor(body.device_id) ?? body.device_id;
    const record: CommandRecord = {
      id: randomUUID(),
      tenantId,
      vendor: body.vendor,
      deviceId: body.device_id,
      commandType: body.command_type,
      payload: body.payload,
      idempotencyKey: body.idempotency_key,
      timeoutSeconds: body.timeout_seconds,
      gateway,
      tid: randomUUID(),
      bid: randomUUID(),
      status: 'ACCEPTED',
      acceptedAt: now,
      updatedAt: now,
      acceptRequestId: requestId,
    };
    this.commands.set(record.id, record);
    this.byTid.set(record.tid, record.id);
    this.inFlightByBid.set(record.bid, record.id);
    this.idempotency.set(idemKey, { commandId: record.id, canonical });
    this.counters.commands_created++;
    this.timeouts.schedule(Date.now() + record.timeoutSeconds * 1000, record.id);
    // State is stored: announce it, then hand the command to the device side.
    this.publishEvent('command/accepted', {
      event_type: 'command.accepted',
      tenant_id: tenantId,
      command_id: record.id,
      device_id: record.deviceId,
      command_type: record.commandType,
      status: 'ACCEPTED',
      occurred_at: iso(now),
    });
    this.dispatch(record);
    return { kind: 'created', record };
  }

  private dispatch(record: CommandRecord): void {
    const knownGateway = this.gatewayFor(record.deviceId);
    if (knownGateway && this.opts.isGatewayConnected(knownGateway)) {
      const now = this.now();
      record.status = 'DELIVERED';
      record.deliveredAt = now;
      record.updatedAt = now;
    }
    this.counters.services_published++;
    this.publish(`thing/product/${record.gateway}/services`, {
      tid: record.tid,
      bid: record.bid,
      timestamp: this.now(),
      method: record.commandType,
      data: record.payload,
    });
  }

  getCommand(id: string): CommandRecord | undefined {
    return this.commands.get(id);
  }

  /** Every command this platform instance created (for test controls). */
  listCommands(): CommandRecord[] {
    return [...this.commands.values()];
  }

  get commandCount(): number {
    return this.commands.size;
  }

  private finish(record: CommandRecord, status: CommandStatus): void {
    const now = this.now();
    record.status = status;
    record.completedAt = now;
    record.updatedAt = now;
    record.terminalAtMs = hrNow();
    this.inFlightByBid.delete(record.bid);
    this.publishEvent('command/completed', {
      event_type: 'command.completed',
      tenant_id: record.tenantId,
      command_id: record.id,
      device_id: record.deviceId,
      command_type: record.commandType,
      status,
      occurred_at: iso(now),
    });
  }

  private onTimeout(id: string): void {
    const record = this.commands.get(id);
    if (!record || TERMINAL_STATUSES.has(record.status)) return;
    record.failureCode = 'DEVICE_TIMEOUT';
    record.failureReason = `no reply from the device within ${record.timeoutSeconds} s`;
    this.finish(record, 'TIMED_OUT');
  }

  private onServicesReply(msg: Record<string, unknown>): void {
    const tid = typeof msg.tid === 'string' ? msg.tid : undefined;
    const bid = typeof msg.bid === 'string' ? msg.bid : undefined;
    const byTid = tid !== undefined ? this.byTid.get(tid) : undefined;
    if (byTid) {
      const record = this.commands.get(byTid)!;
      if (TERMINAL_STATUSES.has(record.status)) {
        this.counters.late_replies++;
        return;
      }
      this.applyReply(record, msg);
      const result = record.vendorResponse?.result;
      if (result === 0 || result === '0') this.finish(record, 'SUCCEEDED');
      else {
        record.failureCode = 'DEVICE_EXECUTION_FAILED';
        record.failureReason = record.responseMessage || `device returned result ${record.responseCode ?? 'none'}`;
        this.finish(record, 'FAILED');
      }
      return;
    }
    const byBid = bid !== undefined ? this.inFlightByBid.get(bid) : undefined;
    if (byBid) {
      const record = this.commands.get(byBid)!;
      this.applyReply(record, msg);
      record.failureReason = 'a device reply carried this command\'s bid but an unknown tid';
      this.finish(record, 'UNMATCHED_RESPONSE');
      return;
    }
    this.counters.unmatched_replies++;
  }

  /** DJI services_reply → query fields (UTMOS "DJI Services Reply Mapping"). */
  private applyReply(record: CommandRecord, msg: Record<string, unknown>): void {
    const data = isPlainObject(msg.data) ? msg.data : {};
    const code = data.code ?? data.result;
    record.responseCode = code === undefined || code === null ? undefined : String(code);
    // Docks rarely send any of these, so response_message is usually the empty string.
    const message = [data.message, data.msg, data.description].find((m) => typeof m === 'string');
    record.responseMessage = (message as string | undefined) ?? '';
    const vendorResponse: Record<string, unknown> = { result: data.result };
    for (const [k, v] of Object.entries(data)) if (k !== 'result') vendorResponse[k] = v;
    record.vendorResponse = vendorResponse;
    record.responseReceivedAt = this.now();
  }

  // ---------------------------------------------------------------- device requests

  getDeviceRequest(id: string): DeviceRequestRecord | undefined {
    return this.deviceRequests.get(id);
  }

  listDeviceRequests(filter: DeviceRequestFilter): DeviceRequestRecord[] {
    const out: DeviceRequestRecord[] = [];
    for (let i = this.deviceRequestOrder.length - 1; i >= 0 && out.length < filter.limit; i--) {
      const rec = this.deviceRequests.get(this.deviceRequestOrder[i]);
      if (!rec) continue;
      if (filter.vendor !== undefined && rec.vendor !== filter.vendor) continue;
      if (filter.device_id !== undefined && rec.deviceId !== filter.device_id) continue;
      if (filter.request_type !== undefined && rec.requestType !== filter.request_type) continue;
      out.push(rec);
    }
    return out;
  }

  replyDeviceRequest(
    id: string,
    reply: { reply_code: string; reply_message?: string; payload?: Record<string, unknown> },
  ): { kind: 'ok'; record: DeviceRequestRecord } | { kind: 'not_found' } | { kind: 'conflict'; record: DeviceRequestRecord } {
    const record = this.deviceRequests.get(id);
    if (!record) return { kind: 'not_found' };
    if (record.repliedAt !== null && this.secondReply === 'conflict') return { kind: 'conflict', record };
    const now = this.now();
    const data = { result: reply.reply_code === 'APPROVED' ? 0 : 1, output: reply.payload ?? {} };
    record.replyCode = reply.reply_code;
    record.replyMessage = reply.reply_message ?? '';
    record.replySource = 'manual';
    record.standardizedReply = data;
    record.repliedAt = now;
    record.updatedAt = now;
    this.publishRequestsReply(record, data, now);
    return { kind: 'ok', record };
  }
}

// ---------------------------------------------------------------- views (JSON shapes)

export function commandView(r: CommandRecord, requestId: string): Record<string, unknown> {
  const v: Record<string, unknown> = {
    command_id: r.id,
    status: r.status,
    public_status: r.status === 'UNMATCHED_RESPONSE' ? 'UNKNOWN' : r.status,
    vendor: r.vendor,
    device_id: r.deviceId,
    command_type: r.commandType,
    accepted_at: iso(r.acceptedAt),
  };
  if (r.deliveredAt !== undefined) v.delivered_at = iso(r.deliveredAt);
  if (r.completedAt !== undefined) v.completed_at = iso(r.completedAt);
  if (r.responseReceivedAt !== undefined) v.response_received_at = iso(r.responseReceivedAt);
  v.updated_at = iso(r.updatedAt);
  if (r.failureCode !== undefined) v.failure_code = r.failureCode;
  if (r.failureReason !== undefined) v.failure_reason = r.failureReason;
  if (r.responseCode !== undefined) v.response_code = r.responseCode;
  if (r.responseMessage !== undefined) v.response_message = r.responseMessage;
  if (r.vendorResponse !== undefined) v.vendor_response = r.vendorResponse;
  v.request_id = requestId;
  return v;
}

/** The internal record (for /__sim/commands/{id}). */
export function commandInternalView(r: CommandRecord): Record<string, unknown> {
  return {
    ...commandView(r, r.acceptRequestId),
    tenant_id: r.tenantId,
    tid: r.tid,
    bid: r.bid,
    gateway: r.gateway,
    payload: r.payload,
    idempotency_key: r.idempotencyKey,
    timeout_seconds: r.timeoutSeconds,
    terminal_at_ms: r.terminalAtMs ?? null,
    accept_request_id: r.acceptRequestId,
  };
}

export function deviceRequestView(r: DeviceRequestRecord): Record<string, unknown> {
  return {
    request_id: r.requestId,
    vendor: r.vendor,
    device_id: r.deviceId,
    request_type: r.requestType,
    inbound_payload: r.inboundPayload,
    routing_decision: r.routingDecision,
    reply_code: r.replyCode,
    reply_message: r.replyMessage,
    reply_source: r.replySource,
    standardized_reply: r.standardizedReply,
    received_at: iso(r.receivedAt),
    replied_at: r.repliedAt === null ? null : iso(r.repliedAt),
    updated_at: iso(r.updatedAt),
  };
}
