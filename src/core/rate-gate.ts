/**
 * The rate gate of one connection: every signed API call (creates, status queries, device-request
 * lists and replies, presigns) passes it before each attempt goes out.
 *
 * - Sliding window: the send times of the last `cap` attempts sit in a ring, stamped by `take()` right
 *   before each goes out; the next may go when the one `allowed` sends back is a second old, counting
 *   the turns granted and not yet sent as sending now. A turn is often granted inside a long
 *   synchronous stretch (a burst of input messages, a batch of events) and only sent after it, so a
 *   stamp taken at the grant would let a later window hold more than the cap. Unlike a token
 *   bucket, no one-second window of real sends can ever see more than the allowed rate.
 * - Concurrency: at most `maxConcurrent` attempts in flight; a finished attempt frees its slot.
 * - A queue in two classes: urgent attempts (the tracker's status queries: someone waits on each)
 *   go before normal ones (creates, device-request lists and replies), each class first come
 *   first served. A burst of 10,000 creates therefore leaves at the cap, not at once, and queued creates
 *   keep their place (and their idempotency keys: the caller's body is untouched).
 * - The platform documents no rate limit, so the cap is generous and adapts (AIMD, as TCP does
 *   with its window): a 429 halves the allowed rate (once per burst of 429s, down to a tenth of the
 *   cap) and pauses sending for its Retry-After; the rate then grows back a tenth of the cap per
 *   second's worth of successes.
 */
import type { Clock, ClockTimer } from './clock';

/**
 * Extra spacing of the window. A send is stamped just before the request is signed and built; a GC
 * pause or descheduling between the stamp and the socket write would otherwise let an observer see
 * cap+1 requests within one second.
 */
const SEND_MARGIN_MS = 10;
/** A pause after a 429 without Retry-After. */
const DEFAULT_PAUSE_MS = 1000;

/**
 * API calls per second per connection. The platform documents no limit; a 429 lowers the rate
 * actually used, so the default can serve a busy fleet (50 docks finishing a command a second need
 * ~50 creates and ~50 confirming queries a second) without being a hazard.
 */
export const DEFAULT_MAX_REQUESTS_PER_SECOND = 100;
/** Calls in flight at once: enough for the default rate at ~150 ms round trips to a remote platform. */
export const DEFAULT_MAX_CONCURRENT = 16;

export interface RateGateOptions {
  /** Attempts per second at most. */
  cap: number;
  /** Attempts in flight at most. Default: no limit. */
  maxConcurrent?: number;
  clock: Clock;
  /** Told when a 429 lowered the allowed rate, and when it is back at the cap. */
  onRateChange?: (allowedPerSecond: number, capPerSecond: number) => void;
}

/** What the rate gate tells others (the tracker's counters and badges). */
export interface RateView {
  readonly cap: number;
  readonly allowed: number;
  /** The most attempts any one-second window has seen. */
  readonly peakPerSecond: number;
}

export interface AcquireOptions {
  /** Goes before every normal attempt waiting (a status query of a command someone waits on). */
  urgent?: boolean;
  signal?: AbortSignal;
}

interface Waiter {
  resolve: (sentAt: number) => void;
  /** Rejects with the caller's abort error. */
  reject: () => void;
  signal?: AbortSignal;
  done: boolean;
}

/** First-in first-out with O(1) removal from the front; cancelled waiters are skipped when reached. */
class Queue {
  private items: Waiter[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(waiter: Waiter): void {
    this.items.push(waiter);
  }

  /** The first waiter still waiting, left in place. */
  peek(): Waiter | undefined {
    while (this.head < this.items.length && this.items[this.head]!.done) this.head++;
    this.compact();
    return this.items[this.head];
  }

  shift(): Waiter | undefined {
    const first = this.peek();
    if (first) this.head++;
    this.compact();
    return first;
  }

  drain(): Waiter[] {
    const rest = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    return rest;
  }

  private compact(): void {
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}

export class RateGate implements RateView {
  readonly cap: number;
  readonly maxConcurrent: number;
  private readonly clock: Clock;
  private readonly onRateChange?: (allowedPerSecond: number, capPerSecond: number) => void;
  /** Send times of the last `cap` attempts, on the monotonic clock. */
  private readonly sendTimes: number[];
  private sendIndex = 0;
  private allowedRate: number;
  /**
   * The rate a run of 429s lowers it to at the most: a tenth of the cap. Only successes win the rate
   * back, so without a floor a burst of 429s followed by an outage (no successes) would leave a
   * connection at one call a second, its retries queued behind each other, long after the platform
   * is back; the Retry-After pause still holds every call back as long as the platform asks.
   */
  private readonly floorRate: number;
  private successesSinceChange = 0;
  /** When the last decrease happened: a 429 to a request sent no later belongs to the same burst. */
  private lastDecreaseAt = -Infinity;
  private pausedUntil = -Infinity;
  /** Attempts in the current one-second window, and the most any window has seen (a statistic). */
  private windowStart = -Infinity;
  private windowCount = 0;
  private peak = 0;
  private active = 0;
  /** Turns granted whose attempt has not been stamped (sent) or forgone yet. */
  private pending = 0;
  private readonly urgent = new Queue();
  private readonly normal = new Queue();
  /** One abort listener per signal, however many attempts wait on it (10,000 creates share one). */
  private readonly bySignal = new Map<AbortSignal, { waiters: Set<Waiter>; listener: () => void }>();
  private timer: ClockTimer | undefined;
  private closed = false;

  constructor(options: RateGateOptions) {
    this.cap = Math.max(1, Math.floor(options.cap));
    this.maxConcurrent = Math.max(1, Math.floor(options.maxConcurrent ?? Infinity));
    this.allowedRate = this.cap;
    this.floorRate = Math.max(1, Math.ceil(this.cap / 10));
    this.clock = options.clock;
    this.onRateChange = options.onRateChange;
    this.sendTimes = new Array<number>(this.cap).fill(-Infinity);
  }

  /** The rate allowed now: the cap, or less after the platform answered 429. */
  get allowed(): number {
    return this.allowedRate;
  }

  /** The most attempts any one-second window (from its first attempt) has seen. */
  get peakPerSecond(): number {
    return this.peak;
  }

  /** Attempts waiting for their turn. */
  get queued(): number {
    return this.urgent.length + this.normal.length;
  }

  /** Turns granted whose attempt has not gone out (nor been given up) yet. */
  get granted(): number {
    return this.pending;
  }

  /** Attempts holding a slot (sent, not yet answered). */
  get inFlight(): number {
    return this.active;
  }

  /**
   * How long until the window lets the next attempt go (0 = now): the Retry-After pause, then the
   * window. Infinity while the turns granted and not yet sent fill the window: the next `take()` or
   * `forgo()` decides.
   */
  waitMs(): number {
    const back = this.allowedRate - this.pending;
    if (back <= 0) return Infinity;
    const now = this.clock.monotonic();
    const ring = this.sendTimes.length;
    const oldest = this.sendTimes[(this.sendIndex + ring - back) % ring]!; // an index modulo the ring's length
    return Math.max(0, this.pausedUntil - now, oldest + 1000 + SEND_MARGIN_MS - now);
  }

  /**
   * Waits for a turn: resolves (with the time it was granted) when the window and a free slot allow.
   * The caller then calls `take()` right before the attempt goes out, or `forgo()` if it never will,
   * and `release()` when the attempt is over. Rejects with `onAbort()` when `signal` aborts or the
   * gate closes first.
   */
  acquire(options: AcquireOptions, onAbort: () => Error): Promise<number> {
    if (this.closed) return Promise.reject(onAbort());
    if (options.signal?.aborted) return Promise.reject(onAbort());
    if (this.queued === 0 && this.canSend()) return Promise.resolve(this.grant());
    return new Promise<number>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject: () => reject(onAbort()), signal: options.signal, done: false };
      (options.urgent ? this.urgent : this.normal).push(waiter);
      if (options.signal) this.watch(options.signal, waiter);
      this.pump();
    });
  }

  /** An attempt is over (answered, failed or abandoned): its slot goes to the next in line. */
  release(): void {
    if (this.active > 0) this.active--;
    this.pump();
  }

  /** A granted turn whose attempt will not go out (aborted while it waited): the window forgets it. */
  forgo(): void {
    if (this.pending > 0) this.pending--;
    this.pump();
  }

  /**
   * Records an attempt about to be sent (of a granted turn, if any is pending) and returns its
   * stamp (for rateLimited). Called right before the send: a stamp older than the real send would
   * let a later attempt into a window that in truth already holds `allowed` attempts.
   */
  take(): number {
    if (this.pending > 0) this.pending--;
    const at = this.clock.monotonic();
    this.sendTimes[this.sendIndex] = at;
    this.sendIndex = (this.sendIndex + 1) % this.sendTimes.length;
    if (at - this.windowStart >= 1000) {
      this.windowStart = at;
      this.windowCount = 0;
    }
    this.windowCount++;
    if (this.windowCount > this.peak) this.peak = this.windowCount;
    if (this.queued > 0) this.pump();
    return at;
  }

  /** An attempt answered: each second's worth of successes wins back a tenth of the cap. */
  succeeded(): void {
    if (this.allowedRate >= this.cap) return;
    if (++this.successesSinceChange < this.allowedRate) return;
    this.allowedRate = Math.min(this.cap, this.allowedRate + Math.max(1, Math.ceil(this.cap / 10)));
    this.successesSinceChange = 0;
    if (this.allowedRate === this.cap) this.onRateChange?.(this.allowedRate, this.cap);
  }

  /** The platform answered 429 to the attempt stamped `sentAt`: pause, and halve once per burst. */
  rateLimited(sentAt: number, retryAfterMs: number | undefined): void {
    const now = this.clock.monotonic();
    this.pausedUntil = Math.max(this.pausedUntil, now + (retryAfterMs ?? DEFAULT_PAUSE_MS));
    if (sentAt > this.lastDecreaseAt) {
      this.allowedRate = Math.max(this.floorRate, Math.floor(this.allowedRate / 2));
      this.lastDecreaseAt = now;
      this.successesSinceChange = 0;
      this.onRateChange?.(this.allowedRate, this.cap);
    }
    this.pump();
  }

  /** Ends every wait (with its onAbort error) and refuses new ones. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    for (const waiter of [...this.urgent.drain(), ...this.normal.drain()]) this.cancel(waiter);
    for (const [signal, { listener }] of this.bySignal) signal.removeEventListener('abort', listener);
    this.bySignal.clear();
  }

  private canSend(): boolean {
    return this.active < this.maxConcurrent && this.waitMs() === 0;
  }

  private grant(): number {
    this.active++;
    this.pending++;
    return this.clock.monotonic();
  }

  /** Lets through whoever may go now, urgent first; arms one timer for when the window opens next. */
  private pump(): void {
    if (this.closed) return;
    while (this.active < this.maxConcurrent) {
      const queue = this.urgent.peek() ? this.urgent : this.normal;
      if (!queue.peek()) break;
      const wait = this.waitMs();
      if (wait === Infinity) return; // the turns granted fill the window: take() or forgo() pumps again
      if (wait > 0) {
        this.armIn(wait);
        return;
      }
      const waiter = queue.shift() as Waiter;
      waiter.done = true;
      this.unwatch(waiter);
      waiter.resolve(this.grant());
    }
  }

  private armIn(ms: number): void {
    if (this.timer) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, Math.ceil(ms));
  }

  private watch(signal: AbortSignal, waiter: Waiter): void {
    let entry = this.bySignal.get(signal);
    if (!entry) {
      const waiters = new Set<Waiter>();
      const listener = () => {
        this.bySignal.delete(signal);
        for (const w of waiters) this.cancel(w);
      };
      entry = { waiters, listener };
      this.bySignal.set(signal, entry);
      signal.addEventListener('abort', listener, { once: true });
    }
    entry.waiters.add(waiter);
  }

  private unwatch(waiter: Waiter): void {
    if (!waiter.signal) return;
    const entry = this.bySignal.get(waiter.signal);
    if (!entry) return;
    entry.waiters.delete(waiter);
    if (entry.waiters.size === 0) {
      this.bySignal.delete(waiter.signal);
      waiter.signal.removeEventListener('abort', entry.listener);
    }
  }

  private cancel(waiter: Waiter): void {
    if (waiter.done) return;
    waiter.done = true;
    waiter.reject();
  }
}
