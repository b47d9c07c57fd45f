/**
 * The command lifecycle: accept (idempotent by key and canonical body), hand to the dock on
 * `thing/product/{gateway}/services`, match its `services_reply` by tid (by bid: UNMATCHED_RESPONSE),
 * time out after `timeout_seconds`.
 */
import { randomUUID } from 'crypto';
import { performance } from 'perf_hooks';
import { isPlainObject } from '../../src/core/plain-data';
import { TERMINAL_STATUSES } from '../../src/core/status';
import { TimerQueue } from '../timer-queue';
import type { PlatformContext } from './context';
import type { TenantEvents } from './events';
import type { CommandRecord, CommandStatus, CreateOutcome, NewCommand } from './records';

/** Canonical JSON: object keys sorted recursively, no whitespace. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return '[' + value.map((v) => canonicalJson(v)).join(',') + ']';
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object)
    .sort()
    .filter((k) => object[k] !== undefined);
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJson(object[k])).join(',') + '}';
}

const hrNow = (): number => performance.timeOrigin + performance.now();

export interface CommandRouting {
  /** The gateway a device is behind, once it has announced itself. */
  gatewayFor(deviceId: string): string | undefined;
  /** Whether that gateway currently holds an MQTT connection to the broker. */
  isGatewayConnected(sn: string): boolean;
}

export class CommandBook {
  private readonly commands = new Map<string, CommandRecord>();
  private readonly byTid = new Map<string, string>();
  private readonly inFlightByBid = new Map<string, string>();
  private readonly idempotency = new Map<string, { commandId: string; canonical: string }>();
  private readonly timeouts = new TimerQueue<string>((id) => this.onTimeout(id));

  constructor(
    private readonly ctx: PlatformContext,
    private readonly events: TenantEvents,
    private readonly routing: CommandRouting,
  ) {}

  /** `sentBody` is the request body as parsed (idempotency compares its canonical JSON). */
  create(tenantId: string, body: NewCommand, sentBody: unknown, requestId: string): CreateOutcome {
    const canonical = canonicalJson(sentBody);
    const idemKey = tenantId + '\u0000' + body.idempotency_key;
    const prior = this.idempotency.get(idemKey);
    const priorRecord = prior && this.commands.get(prior.commandId);
    if (prior && priorRecord) {
      if (prior.canonical !== canonical) return { kind: 'conflict', record: priorRecord };
      this.ctx.counters.idempotent_replays++;
      return { kind: 'replayed', record: priorRecord };
    }
    const now = this.ctx.now();
    const record: CommandRecord = {
      id: randomUUID(),
      tenantId,
      vendor: body.vendor,
      deviceId: body.device_id,
      commandType: body.command_type,
      payload: body.payload,
      idempotencyKey: body.idempotency_key,
      timeoutSeconds: body.timeout_seconds,
      gateway: this.routing.gatewayFor(body.device_id) ?? body.device_id,
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
    this.ctx.counters.commands_created++;
    this.timeouts.schedule(Date.now() + record.timeoutSeconds * 1000, record.id);
    // State is stored: announce it, then hand the command to the device side.
    this.events.commandAccepted(record, now);
    this.dispatch(record);
    return { kind: 'created', record };
  }

  get(id: string): CommandRecord | undefined {
    return this.commands.get(id);
  }

  list(): CommandRecord[] {
    return [...this.commands.values()];
  }

  get size(): number {
    return this.commands.size;
  }

  close(): void {
    this.timeouts.close();
  }

  /** A dock's services_reply: matched by tid, else by the bid of a command in flight, else counted as unmatched. */
  onServicesReply(msg: Record<string, unknown>): void {
    const byTid = typeof msg.tid === 'string' ? this.byTid.get(msg.tid) : undefined;
    const record = byTid === undefined ? undefined : this.commands.get(byTid);
    if (record) {
      if (TERMINAL_STATUSES.has(record.status)) {
        this.ctx.counters.late_replies++;
        return;
      }
      this.applyReply(record, msg);
      const result = record.vendorResponse?.result;
      if (result === 0 || result === '0') return this.finish(record, 'SUCCEEDED');
      record.failureCode = 'DEVICE_EXECUTION_FAILED';
      record.failureReason = record.responseMessage || `device returned result ${record.responseCode ?? 'none'}`;
      return this.finish(record, 'FAILED');
    }
    const byBid = typeof msg.bid === 'string' ? this.inFlightByBid.get(msg.bid) : undefined;
    const sameBid = byBid === undefined ? undefined : this.commands.get(byBid);
    if (sameBid) {
      this.applyReply(sameBid, msg);
      sameBid.failureReason = "a device reply carried this command's bid but an unknown tid";
      return this.finish(sameBid, 'UNMATCHED_RESPONSE');
    }
    this.ctx.counters.unmatched_replies++;
  }

  /** Counts a services_reply that could not even be read. */
  onUnreadableReply(): void {
    this.ctx.counters.unmatched_replies++;
  }

  private dispatch(record: CommandRecord): void {
    const knownGateway = this.routing.gatewayFor(record.deviceId);
    if (knownGateway && this.routing.isGatewayConnected(knownGateway)) {
      const now = this.ctx.now();
      record.status = 'DELIVERED';
      record.deliveredAt = now;
      record.updatedAt = now;
    }
    this.ctx.counters.services_published++;
    this.ctx.publish(`thing/product/${record.gateway}/services`, {
      tid: record.tid,
      bid: record.bid,
      timestamp: this.ctx.now(),
      method: record.commandType,
      data: record.payload,
    });
  }

  private finish(record: CommandRecord, status: CommandStatus): void {
    const now = this.ctx.now();
    record.status = status;
    record.completedAt = now;
    record.updatedAt = now;
    record.terminalAtMs = hrNow();
    this.inFlightByBid.delete(record.bid);
    this.events.commandCompleted(record, now);
  }

  private onTimeout(id: string): void {
    const record = this.commands.get(id);
    if (!record || TERMINAL_STATUSES.has(record.status)) return;
    record.failureCode = 'DEVICE_TIMEOUT';
    record.failureReason = `no reply from the device within ${record.timeoutSeconds} s`;
    this.finish(record, 'TIMED_OUT');
  }

  /** DJI services_reply → query fields (UTMOS "DJI Services Reply Mapping"). */
  private applyReply(record: CommandRecord, msg: Record<string, unknown>): void {
    const data = isPlainObject(msg.data) ? msg.data : {};
    const code = data.code ?? data.result;
    record.responseCode = code === undefined || code === null ? undefined : String(code);
    // Docks rarely send any of these, so response_message is usually the empty string.
    const message = [data.message, data.msg, data.description].find((m): m is string => typeof m === 'string');
    record.responseMessage = message ?? '';
    const vendorResponse: Record<string, unknown> = { result: data.result };
    for (const [k, v] of Object.entries(data)) if (k !== 'result') vendorResponse[k] = v;
    record.vendorResponse = vendorResponse;
    record.responseReceivedAt = this.ctx.now();
  }
}
