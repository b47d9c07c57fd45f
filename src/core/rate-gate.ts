/**
 * The rate gate of one connection's status queries: a sliding one-second window and the 429
 * adaptation.
 *
 * - Sliding window: the send times of the last `cap` requests sit in a ring; the next request may go
 *   when the one `allowed` sends back is a second old. Unlike a token bucket, no one-second window
 *   can ever see more than the allowed rate.
 * - The platform documents no rate limit, so the cap is generous and adapts (AIMD, as TCP does with
 *   its window): a 429 halves the allowed rate (once per burst of 429s) and pauses sending for its
 *   Retry-After; the rate then grows back a tenth of the cap per second's worth of successes.
 */
import type { Clock } from './clock';

/**
 * Extra spacing of the window. A send is stamped just before the request is built; a GC pause or
 * descheduling between the stamp and the socket write (measured up to ~4 ms under the
 * 10,000-in-flight benchmark) would otherwise let an observer see cap+1 requests within one second.
 */
const SEND_MARGIN_MS = 10;
/** A pause after a 429 without Retry-After. */
const DEFAULT_PAUSE_MS = 1000;

export interface RateGateOptions {
  /** Requests per second at most. */
  cap: number;
  clock: Clock;
  /** Told when a 429 lowered the allowed rate, and when it is back at the cap. */
  onRateChange?: (allowedPerSecond: number, capPerSecond: number) => void;
}

export class RateGate {
  readonly cap: number;
  private readonly clock: Clock;
  private readonly onRateChange?: (allowedPerSecond: number, capPerSecond: number) => void;
  /** Send times of the last `cap` requests, on the monotonic clock. */
  private readonly sendTimes: number[];
  private sendIndex = 0;
  private allowedRate: number;
  private successesSinceChange = 0;
  /** When the last decrease happened: a 429 to a request sent no later belongs to the same burst. */
  private lastDecreaseAt = -Infinity;
  private pausedUntil = -Infinity;
  /** Requests in the current one-second window, and the most any window has seen (a statistic). */
  private windowStart = -Infinity;
  private windowCount = 0;
  private peak = 0;

  constructor(options: RateGateOptions) {
    this.cap = Math.max(1, Math.floor(options.cap));
    this.allowedRate = this.cap;
    this.clock = options.clock;
    this.onRateChange = options.onRateChange;
    this.sendTimes = new Array<number>(this.cap).fill(-Infinity);
  }

  /** The rate allowed now: the cap, or less after the platform answered 429. */
  get allowed(): number {
    return this.allowedRate;
  }

  /** The most requests any one-second window (from its first request) has seen. */
  get peakPerSecond(): number {
    return this.peak;
  }

  /** How long until the next request may go (0 = now): the Retry-After pause, then the window. */
  waitMs(): number {
    const now = this.clock.monotonic();
    const ring = this.sendTimes.length;
    const oldest = this.sendTimes[(this.sendIndex + ring - this.allowedRate) % ring]!; // an index modulo the ring's length
    return Math.max(0, this.pausedUntil - now, oldest + 1000 + SEND_MARGIN_MS - now);
  }

  /**
   * Records a request about to be sent and returns its stamp (for rateLimited). Stamped with a fresh
   * reading right before the send: a stamp older than the real send would let a later request into
   * a window that in truth already holds `allowed` requests.
   */
  take(): number {
    const at = this.clock.monotonic();
    this.sendTimes[this.sendIndex] = at;
    this.sendIndex = (this.sendIndex + 1) % this.sendTimes.length;
    if (at - this.windowStart >= 1000) {
      this.windowStart = at;
      this.windowCount = 0;
    }
    this.windowCount++;
    if (this.windowCount > this.peak) this.peak = this.windowCount;
    return at;
  }

  /** A request answered: each second's worth of successes wins back a tenth of the cap. */
  succeeded(): void {
    if (this.allowedRate >= this.cap) return;
    if (++this.successesSinceChange < this.allowedRate) return;
    this.allowedRate = Math.min(this.cap, this.allowedRate + Math.max(1, Math.ceil(this.cap / 10)));
    this.successesSinceChange = 0;
    if (this.allowedRate === this.cap) this.onRateChange?.(this.allowedRate, this.cap);
  }

  /** The platform answered 429 to the request stamped `sentAt`: pause, and halve once per burst. */
  rateLimited(sentAt: number, retryAfterMs: number | undefined): void {
    const now = this.clock.monotonic();
    this.pausedUntil = Math.max(this.pausedUntil, now + (retryAfterMs ?? DEFAULT_PAUSE_MS));
    if (sentAt <= this.lastDecreaseAt) return;
    this.allowedRate = Math.max(1, Math.floor(this.allowedRate / 2));
    this.lastDecreaseAt = now;
    this.successesSinceChange = 0;
    this.onRateChange?.(this.allowedRate, this.cap);
  }
}
