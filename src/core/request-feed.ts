/**
 * The device-request feed of one connection: every subscriber (a dji-request-in node) is served by
 * one list call per round, asking only what all their filters agree on, and each subscriber gets
 * the requests that match its own filter exactly once, oldest first. A round runs every shortest
 * interval among the subscribers; with the event stream connected, an event about a request starts
 * one at once and the interval is only a safety net (at least EVENT_SAFETY_NET_MS).
 *
 * The list has no documented paging, so a list shared by many subscribers may be cut short sooner
 * than a subscriber's own. A subscriber is served from the shared list while that list surely
 * reaches back far enough for it; otherwise (on joining, or after a round that lost track of the
 * previous one) it gets one list call with its own filter, the reach it had on its own.
 *
 * "Once" is decided by a per-subscriber SeenIds set that the caller owns (so a Node-RED node can
 * keep it across redeploys and persist it in a context store); it is bounded, so memory stays flat.
 */
import { unlimitedAbortController } from './abort';
import { Alarm, Clock, systemClock } from './clock';
import { UtmosError, toUtmosError } from './errors';
import { FeedFilter, RequestHint, commonQuery, isNewestFirst, matchesFilter, mayMatchHint, oldestFirst, queryKey, queryOf } from './request-query';
import type { DeviceRequest, DeviceRequestFilter, DeviceRequestList } from './schemas';

export type { FeedFilter, RequestHint } from './request-query';

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

export interface FeedSubscription {
  close(): void;
  /** Asks for a round now (never sooner than MIN_GAP_MS after the last one). */
  pollNow(): void;
}

export interface FeedSubscriber {
  filter: FeedFilter;
  /** The longest this subscriber accepts between rounds; the feed runs at the shortest of them. */
  pollIntervalMs: number;
  seen: SeenIds;
  /** True the first time this subscriber's memory is empty: already replied requests are then only remembered. */
  firstRun: boolean;
  onRequest: (request: DeviceRequest) => void;
  onError?: (error: UtmosError) => void;
  /** After each round that served this subscriber: its matching pending requests, and how many it got now. */
  onPolled?: (info: { pending: number; emitted: number }) => void;
}

interface Sub extends FeedSubscriber {
  /** What a list call of its own would ask. */
  query: DeviceRequestFilter;
  key: string;
  /** Has had a list that reached back far enough for it, and every round's since: the shared list serves it. */
  caughtUp: boolean;
  closed: boolean;
}

/** Rounds start at least this far apart, however many hints and asks come in. */
const MIN_GAP_MS = 200;
/** The interval when no subscriber says otherwise (the node's documented default). */
export const DEFAULT_POLL_INTERVAL_MS = 5_000;
/** With the event stream connected, rounds without an event are only this frequent (or the interval, if longer). */
export const EVENT_SAFETY_NET_MS = 60_000;
/**
 * A list shorter than this (or than the longest list seen) was not cut short. The platform's list
 * endpoints that document a page size return 100 by default; this assumes no fewer than 20.
 */
const ASSUMED_MIN_PAGE = 20;
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
  private readonly clock: Clock;
  private readonly alarm: Alarm;
  private closed = false;
  private fetching = false;
  private again = false;
  private lastRoundAt = -Infinity;
  /** When the next round is wanted (the alarm may ring sooner: it arms long waits in steps). */
  private dueAt = Infinity;
  private eventDriven = false;
  /** The last shared list's query and newest request: the next shared list must still hold it. */
  private reference?: { key: string; newestId?: string };
  /** The most items any list call returned: the platform's page is at least that long. */
  private longestList = 0;
  /** `calls`: list calls; `rounds`: rounds started; `errors`: failed list calls. */
  readonly stats = { calls: 0, rounds: 0, errors: 0, emitted: 0 };

  constructor(
    private readonly source: RequestSource,
    options: { clock?: Clock } = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.alarm = new Alarm(this.clock, () => void this.round());
  }

  get subscriberCount(): number {
    return this.subs.size;
  }

  /** The time between rounds that no event started. */
  get pollIntervalMs(): number {
    let shortest = Infinity;
    for (const sub of this.subs) if (Number.isFinite(sub.pollIntervalMs) && sub.pollIntervalMs > 0) shortest = Math.min(shortest, sub.pollIntervalMs);
    const interval = shortest === Infinity ? DEFAULT_POLL_INTERVAL_MS : shortest;
    return this.eventDriven ? Math.max(EVENT_SAFETY_NET_MS, interval) : interval;
  }

  subscribe(subscriber: FeedSubscriber): FeedSubscription {
    const query = queryOf(subscriber.filter);
    const sub: Sub = { ...subscriber, query, key: queryKey(query), caughtUp: false, closed: this.closed };
    if (!this.closed) {
      this.subs.add(sub);
      this.soon();
    }
    return {
      close: () => this.unsubscribe(sub),
      pollNow: () => this.soon(),
    };
  }

  /** An event announced a device request: a round now, unless no subscriber can want it. */
  hint(hint: RequestHint = {}): void {
    for (const sub of this.subs) {
      if (mayMatchHint(sub.filter, hint)) {
        this.soon();
        return;
      }
    }
  }

  /**
   * Events flow (or stop): rounds become a safety net (or follow the interval again). A stream that
   * (re)connects may have missed events while it was down, so that starts a round at once.
   */
  setEventDriven(on: boolean): void {
    if (on === this.eventDriven) return;
    this.eventDriven = on;
    if (on) this.soon();
    else this.scheduleNext();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.abort.abort();
    for (const sub of [...this.subs]) this.unsubscribe(sub);
  }

  private unsubscribe(sub: Sub): void {
    sub.closed = true;
    this.subs.delete(sub);
    if (this.subs.size === 0) this.setDue(Infinity);
  }

  private soon(): void {
    if (this.closed || this.subs.size === 0) return;
    if (this.fetching) this.again = true;
    else this.setDue(Math.min(this.dueAt, Math.max(this.lastRoundAt + MIN_GAP_MS, this.clock.now())));
  }

  /** The next round by the interval, unless one is wanted sooner (an event, a joiner). */
  private scheduleNext(): void {
    if (this.closed || this.fetching || this.subs.size === 0) return;
    this.setDue(Math.min(this.dueAt, Math.max(this.lastRoundAt + this.pollIntervalMs, this.clock.now())));
  }

  private setDue(at: number): void {
    this.dueAt = at;
    this.alarm.clear();
    this.alarm.set(at);
  }

  private async round(): Promise<void> {
    if (this.closed || this.fetching || this.subs.size === 0) return;
    if (this.clock.now() < this.dueAt) {
      this.alarm.set(this.dueAt);
      return;
    }
    this.dueAt = Infinity;
    this.fetching = true;
    this.again = false;
    this.lastRoundAt = this.clock.now();
    this.stats.rounds++;
    try {
      await this.serve([...this.subs]);
    } finally {
      this.fetching = false;
    }
    if (this.again) {
      this.again = false;
      this.soon();
    } else {
      this.scheduleNext();
    }
  }

  /** One shared list call; subscribers it may not reach back far enough for get one of their own. */
  private async serve(subs: Sub[]): Promise<void> {
    const shared = commonQuery(subs.map((sub) => sub.query));
    const sharedKey = queryKey(shared);
    let items: DeviceRequest[];
    try {
      items = await this.list(shared);
    } catch (err) {
      for (const sub of subs) this.report(sub, err);
      return;
    }
    const notCut = items.length < Math.max(this.longestList, ASSUMED_MIN_PAGE);
    const previous = this.reference;
    const continuous =
      notCut ||
      (previous?.key === sharedKey && previous.newestId !== undefined && isNewestFirst(items) && items.some((r) => r.request_id === previous.newestId));
    const ordered = oldestFirst(items);
    this.reference = { key: sharedKey, newestId: ordered[ordered.length - 1]?.request_id };
    this.longestList = Math.max(this.longestList, items.length);

    const own = new Map<string, Sub[]>();
    for (const sub of subs) {
      if (!continuous) sub.caughtUp = false;
      if (sub.key === sharedKey || notCut || sub.caughtUp) {
        sub.caughtUp = true;
        this.deliver(sub, ordered, shared);
      } else {
        const group = own.get(sub.key);
        if (group) group.push(sub);
        else own.set(sub.key, [sub]);
      }
    }
    await Promise.all([...own.values()].map((group) => this.serveOwn(group)));
  }

  /** Subscribers with the same filter query, served by one list call of that query. */
  private async serveOwn(group: Sub[]): Promise<void> {
    const first = group[0];
    if (!first) return;
    const query = first.query;
    try {
      const items = await this.list(query);
      this.longestList = Math.max(this.longestList, items.length);
      const ordered = oldestFirst(items);
      for (const sub of group) {
        if (sub.closed) continue;
        sub.caughtUp = true;
        this.deliver(sub, ordered, query);
      }
    } catch (err) {
      for (const sub of group) this.report(sub, err);
    }
  }

  private async list(query: DeviceRequestFilter): Promise<DeviceRequest[]> {
    this.stats.calls++;
    try {
      const list = await this.source.listDeviceRequests(query, { signal: this.abort.signal, maxAttempts: 2 });
      return list.items;
    } catch (err) {
      this.stats.errors++;
      throw err;
    }
  }

  private deliver(sub: Sub, ordered: readonly DeviceRequest[], served: DeviceRequestFilter): void {
    if (sub.closed) return;
    try {
      this.emitNew(sub, ordered, served);
    } catch (err) {
      // A subscriber's own callback threw: its failure, not the other subscribers' or the feed's.
      this.report(sub, err);
    }
  }

  private emitNew(sub: Sub, ordered: readonly DeviceRequest[], served: DeviceRequestFilter): void {
    const { filter } = sub;
    let emitted = 0;
    let pending = 0;
    for (const request of ordered) {
      if (!matchesFilter(filter, request, served)) continue;
      const replied = !isPendingDeviceRequest(request);
      if (!replied) pending++;
      if (sub.seen.has(request.request_id)) continue;
      sub.seen.add(request.request_id);
      // Answered before this subscriber saw it: remembered, so that it is never emitted later either.
      if (replied && (filter.pendingOnly || sub.firstRun)) continue;
      emitted++;
      this.stats.emitted++;
      sub.onRequest(request);
      if (sub.closed) return;
    }
    sub.firstRun = false;
    sub.onPolled?.({ pending, emitted });
  }

  private report(sub: Sub, err: unknown): void {
    if (sub.closed) return;
    const error = toUtmosError(err);
    if (error.code !== 'ABORTED') sub.onError?.(error);
  }
}
