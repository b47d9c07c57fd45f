/**
 * Time as a dependency. Everything in the core that reads the time or arms a timer (the tracker,
 * the request feed, the client's backoff and attempt deadlines, the event stream's close) takes a
 * Clock, so that a unit test can drive it with a fake one instead of waiting.
 */

/** What setTimeout returned; only ever handed back to clearTimeout of the same clock. */
export type ClockTimer = object;

export interface Clock {
  /** Wall-clock milliseconds (Date.now()): deadlines, ages, timestamps sent to the platform. */
  now(): number;
  /**
   * Monotonic milliseconds with sub-millisecond resolution, for one-second windows: Date.now() is
   * whole milliseconds and may be slewed, so two readings 1000 apart can be less than a second apart.
   */
  monotonic(): number;
  setTimeout(callback: () => void, ms: number): ClockTimer;
  clearTimeout(timer: ClockTimer | undefined): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout | undefined),
};

/** Resolves after `ms` on `clock`, or rejects with `onAbort()` as soon as `signal` aborts. */
export function sleep(clock: Clock, ms: number, signal: AbortSignal | undefined, onAbort: () => Error): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(onAbort());
      return;
    }
    const abort = () => {
      clock.clearTimeout(timer);
      reject(onAbort());
    };
    const timer = clock.setTimeout(() => {
      signal?.removeEventListener('abort', abort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', abort, { once: true });
  });
}

/** Node's timers fire at once beyond 2^31-1 ms; long waits are armed in steps far below that. */
const MAX_TIMER_MS = 60_000;

/**
 * One timer for the earliest of many due times (a scheduler's single wake-up): setting a later time
 * than the one armed keeps the earlier; a time past the step limit is armed in steps.
 */
export class Alarm {
  private timer: ClockTimer | undefined;
  private armedAt = Infinity;

  constructor(
    private readonly clock: Clock,
    private readonly ring: () => void,
  ) {}

  /** Rings at `at` (on clock.now()'s scale), or earlier if already armed so; Infinity disarms it. */
  set(at: number): void {
    if (at === Infinity) {
      this.clear();
      return;
    }
    if (this.timer && this.armedAt <= at) return;
    this.clock.clearTimeout(this.timer);
    const now = this.clock.now();
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, Math.ceil(at - now)));
    this.armedAt = now + delay;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.armedAt = Infinity;
      this.ring();
    }, delay);
  }

  clear(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.armedAt = Infinity;
  }
}
