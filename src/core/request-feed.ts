/**
 * The device-request feed: polls the list endpoint for each distinct filter and hands every
 * subscriber each matching request exactly once, oldest first. Event hints wake it early.
 *
 * "Once" is decided by a per-subscriber SeenIds set that the caller owns (so a Node-RED node can
 * keep it across redeploys and persist it in a context store); it is bounded, so memory stays flat.
 */
import { unlimitedAbortController } from './abort';
import { Clock, ClockTimer, systemClock } from './clock';
import { UtmosError, toUtmosError } from './errors';
import type { DeviceRequest, DeviceRequestFilter, DeviceRequestList } from './schemas';

export interface RequestSource {
  listDeviceRequests(filter?: DeviceRequestFilter, options?: { signal?: AbortSignal; maxAttempts?: number }): Promise<DeviceRequestList>;
}

/** Insertion-ordered, bounded set of ids; the oldest are forgotten first. */
export class SeenIds {
  private readonly ids = new Map<string, true>();
  constructor(
    readonly max = 5_000,
    initial: Iterable<string> = [],
  ) {
    for (const id of initial) this.add(id);
  }
  has(id: string): boolean {
    return this.ids.has(id);
  }
  add(id: string): void {
    if (this.ids.has(id)) return;
    this.ids.set(id, true);
    if (this.ids.size > this.max) {
      const oldest = this.ids.keys().next().value as string;
      this.ids.delete(oldest);
    }
  }
  get size(): number {
    return this.ids.size;
  }
  toJSON(): string[] {
    return [...this.ids.keys()];
  }
}

export interface FeedFilter {
  vendor?: string;
  deviceId?: string;
  /** Empty = every type. */
  requestTypes?: string[];
  /** Only requests not replied yet. */
  pendingOnly?: boolean;
}

export interface FeedSubscription {
  close(): void;
  /** Polls this subscription's list now (rate limited). */
  pollNow(): void;
}

export interface FeedSubscriber {
  filter: FeedFilter;
  pollIntervalMs: number;
  seen: SeenIds;
  /** True the first time this subscriber's memory is empty: already replied requests are then only remembered. */
  firstRun: boolean;
  onRequest: (request: DeviceRequest) => void;
  onError?: (error: UtmosError) => void;
  onPolled?: (info: { pending: number; emitted: number }) => void;
}

interface Sub extends FeedSubscriber {
  timer?: ClockTimer;
  polling: boolean;
  again: boolean;
  lastPollAt: number;
  closed: boolean;
}

const MIN_GAP_MS = 200;
export const PENDING_REPLY_CODE = 'PENDING';

/**
 * Whether a device request still waits for the cloud. The platform shows a waiting request with
 * `reply_code: "PENDING"` and `replied_at: null` (never without a reply_code), so either one means
 * pending; an answered or auto-answered request has a real reply_code and a replied_at time.
 */
export function isPendingDeviceRequest(request: Pick<DeviceRequest, 'reply_code' | 'replied_at'>): boolean {
  return request.reply_code === PENDING_REPLY_CODE || request.replied_at === null || request.replied_at === undefined;
}

export class DeviceRequestFeed {
  private readonly subs = new Set<Sub>();
  private readonly abort = unlimitedAbortController();
  private closed = false;
  private readonly clock: Clock;
  readonly stats = { polls: 0, errors: 0, emitted: 0 };

  constructor(
    private readonly source: RequestSource,
    options: { clock?: Clock } = {},
  ) {
    this.clock = options.clock ?? systemClock;
  }

  get subscriberCount(): number {
    return this.subs.size;
  }

  subscribe(subscriber: FeedSubscriber): FeedSubscription {
    const sub: Sub = { ...subscriber, polling: false, again: false, lastPollAt: 0, closed: this.closed };
    if (!this.closed) {
      this.subs.add(sub);
      this.scheduleSoon(sub, 0);
    }
    return {
      close: () => this.unsubscribe(sub),
      pollNow: () => this.scheduleSoon(sub, 0),
    };
  }

  /** An event named a device request: every subscriber looks again soon. */
  hint(): void {
    for (const sub of this.subs) this.scheduleSoon(sub, 0);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.abort.abort();
    for (const sub of [...this.subs]) this.unsubscribe(sub);
  }

  private unsubscribe(sub: Sub): void {
    sub.closed = true;
    this.clock.clearTimeout(sub.timer);
    sub.timer = undefined;
    this.subs.delete(sub);
  }

  private scheduleSoon(sub: Sub, delayMs: number): void {
    if (sub.closed) return;
    if (sub.polling) {
      sub.again = true;
      return;
    }
    const earliest = sub.lastPollAt + MIN_GAP_MS - this.clock.now();
    const delay = Math.max(delayMs, earliest, 0);
    this.clock.clearTimeout(sub.timer);
    sub.timer = this.clock.setTimeout(() => void this.poll(sub), delay);
  }

  private async poll(sub: Sub): Promise<void> {
    sub.timer = undefined;
    if (sub.closed) return;
    sub.polling = true;
    sub.lastPollAt = this.clock.now();
    this.stats.polls++;
    const { filter } = sub;
    const types = filter.requestTypes?.filter(Boolean) ?? [];
    try {
      const list = await this.source.listDeviceRequests(
        {
          vendor: filter.vendor || undefined,
          device_id: filter.deviceId || undefined,
          // One type can be filtered by the platform; several are filtered here.
          request_type: types.length === 1 ? types[0] : undefined,
        },
        { signal: this.abort.signal, maxAttempts: 2 },
      );
      if (sub.closed) return;
      const items = list.items
        .filter((r) => types.length === 0 || types.includes(String(r.request_type)))
        .sort((a, b) => String(a.received_at ?? '').localeCompare(String(b.received_at ?? '')));
      let emitted = 0;
      let pending = 0;
      for (const request of items) {
        const replied = !isPendingDeviceRequest(request);
        if (!replied) pending++;
        if (sub.seen.has(request.request_id)) continue;
        if (replied && (filter.pendingOnly || sub.firstRun)) {
          // Answered before we saw it: remember it so it is never emitted later either.
          sub.seen.add(request.request_id);
          continue;
        }
        sub.seen.add(request.request_id);
        emitted++;
        this.stats.emitted++;
        sub.onRequest(request);
        if (sub.closed) return;
      }
      sub.firstRun = false;
      sub.onPolled?.({ pending, emitted });
    } catch (err) {
      if (sub.closed) return;
      this.stats.errors++;
      const error = toUtmosError(err);
      if (error.code !== 'ABORTED') sub.onError?.(error);
    } finally {
      sub.polling = false;
    }
    if (sub.closed) return;
    if (sub.again) {
      sub.again = false;
      this.scheduleSoon(sub, 0);
    } else {
      this.scheduleSoon(sub, sub.pollIntervalMs);
    }
  }
}
