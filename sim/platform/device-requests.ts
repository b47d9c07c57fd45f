/**
 * Device requests: every DJI `requests` message a dock publishes, stored in the shape of the
 * requests page (pending until replied), listed newest first, answered by a manual reply or by the
 * platform itself; each answer goes back to the dock on `requests_reply`.
 */
import { randomUUID } from 'crypto';
import type { PlatformContext } from './context';
import type { TenantEvents } from './events';
import { AUTO_REPLY_ROUTING, DeviceRequestFilter, DeviceRequestRecord, DeviceRequestReply, DeviceRequestReplyOutcome, PENDING_REQUEST } from './records';

export class DeviceRequestBook {
  private readonly requests = new Map<string, DeviceRequestRecord>();
  /** Insertion order = arrival order; the list endpoint walks it backwards. */
  private order: string[] = [];
  private readonly byTid = new Map<string, string>();
  private readonly waiters = new Map<string, (rec: DeviceRequestRecord) => void>();

  constructor(
    private readonly ctx: PlatformContext,
    private readonly events: TenantEvents,
    /** Device requests kept in memory (oldest dropped first). */
    private readonly capacity: number,
  ) {}

  /** Stores a device request as pending (seed 002's shape), announces it, and wakes its waiter. */
  record(sn: string, msg: Record<string, unknown>): DeviceRequestRecord {
    const now = this.ctx.now();
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
    this.requests.set(rec.requestId, rec);
    this.order.push(rec.requestId);
    this.byTid.set(rec.tid, rec.requestId);
    this.ctx.counters.device_requests_received++;
    if (this.order.length > this.capacity) this.dropOldest(this.order.length - this.capacity);
    this.ctx.log(`device request ${rec.requestType} from ${sn} recorded as ${rec.requestId}`);
    this.events.deviceRequestReceived(rec, now);
    const waiter = this.waiters.get(rec.tid);
    if (waiter) {
      this.waiters.delete(rec.tid);
      waiter(rec);
    }
    return rec;
  }

  /** The platform answers the request itself; `publish` sends the requests_reply to the dock. */
  answerAutomatically(rec: DeviceRequestRecord, publish: boolean): void {
    const now = this.ctx.now();
    rec.routingDecision = AUTO_REPLY_ROUTING;
    rec.replyCode = 'APPROVED';
    rec.replyMessage = 'answered automatically by the platform';
    rec.replySource = 'auto';
    rec.standardizedReply = { result: 0, output: {} };
    rec.repliedAt = now;
    rec.updatedAt = now;
    if (publish) this.publishReply(rec, rec.standardizedReply, now);
  }

  /** A manual reply; a second one overwrites (and is sent again) unless `secondReply` is 'conflict'. */
  reply(id: string, reply: DeviceRequestReply, secondReply: 'overwrite' | 'conflict'): DeviceRequestReplyOutcome {
    const record = this.requests.get(id);
    if (!record) return { kind: 'not_found' };
    if (record.repliedAt !== null && secondReply === 'conflict') return { kind: 'conflict', record };
    const now = this.ctx.now();
    const data = { result: reply.reply_code === 'APPROVED' ? 0 : 1, output: reply.payload ?? {} };
    record.replyCode = reply.reply_code;
    record.replyMessage = reply.reply_message ?? '';
    record.replySource = 'manual';
    record.standardizedReply = data;
    record.repliedAt = now;
    record.updatedAt = now;
    this.publishReply(record, data, now);
    return { kind: 'ok', record };
  }

  get(id: string): DeviceRequestRecord | undefined {
    return this.requests.get(id);
  }

  /** Newest first, at most `filter.limit`. */
  list(filter: DeviceRequestFilter): DeviceRequestRecord[] {
    const out: DeviceRequestRecord[] = [];
    for (let i = this.order.length - 1; i >= 0 && out.length < filter.limit; i--) {
      const rec = this.requests.get(this.order[i] ?? '');
      if (!rec) continue;
      if (filter.vendor !== undefined && rec.vendor !== filter.vendor) continue;
      if (filter.device_id !== undefined && rec.deviceId !== filter.device_id) continue;
      if (filter.request_type !== undefined && rec.requestType !== filter.request_type) continue;
      out.push(rec);
    }
    return out;
  }

  /** Resolves with the device request recorded for a dock `requests` message with this tid. */
  waitForTid(tid: string, timeoutMs: number): Promise<DeviceRequestRecord | undefined> {
    const existing = this.byTid.get(tid);
    if (existing) return Promise.resolve(this.requests.get(existing));
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.waiters.delete(tid);
        resolve(undefined);
      }, timeoutMs);
      this.waiters.set(tid, (rec) => {
        clearTimeout(t);
        resolve(rec);
      });
    });
  }

  private dropOldest(count: number): void {
    for (const id of this.order.splice(0, count)) {
      const old = this.requests.get(id);
      this.requests.delete(id);
      if (old && this.byTid.get(old.tid) === id) this.byTid.delete(old.tid);
    }
  }

  private publishReply(rec: DeviceRequestRecord, data: Record<string, unknown>, now: number): void {
    this.ctx.counters.requests_replies_published++;
    this.ctx.publish(`thing/product/${rec.gateway}/requests_reply`, {
      tid: rec.tid,
      bid: rec.bid,
      timestamp: now,
      method: rec.requestType,
      data,
    });
  }
}
