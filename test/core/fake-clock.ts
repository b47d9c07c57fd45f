// A clock for unit tests: time stands still until the test moves it, and timers fire in due order
// as it does, with the promises they start settled between them. Inject it wherever the core takes a
// Clock (tracker, request feed, client, transport, event stream).
import type { Clock, ClockTimer } from '../../src/core/clock';

interface FakeTimer {
  at: number;
  seq: number;
  callback: () => void;
}

/** Lets every promise callback already queued (and those they queue) run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class FakeClock implements Clock {
  private time: number;
  private seq = 0;
  private readonly timers = new Set<FakeTimer>();

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  monotonic(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): ClockTimer {
    const timer: FakeTimer = { at: this.time + Math.max(0, Number.isFinite(ms) ? ms : 0), seq: this.seq++, callback };
    this.timers.add(timer);
    return timer;
  }

  clearTimeout(timer: ClockTimer | undefined): void {
    if (timer) this.timers.delete(timer as FakeTimer);
  }

  /** Timers armed and not yet fired. */
  get pending(): number {
    return this.timers.size;
  }

  private next(until: number): FakeTimer | undefined {
    let first: FakeTimer | undefined;
    for (const t of this.timers) if (t.at <= until && (!first || t.at < first.at || (t.at === first.at && t.seq < first.seq))) first = t;
    return first;
  }

  /** Moves time `ms` on, firing every timer that falls due on the way, in order. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    await settle();
    for (let t = this.next(end); t; t = this.next(end)) {
      this.timers.delete(t);
      this.time = Math.max(this.time, t.at);
      t.callback();
      await settle();
    }
    this.time = end;
    await settle();
  }

  /**
   * Moves time on, timer by timer, until `promise` settles; fails when it has not settled within
   * `limitMs` of fake time (or nothing is left that could settle it).
   */
  async until<T>(promise: Promise<T>, limitMs = 3_600_000): Promise<T> {
    let done = false;
    const watched = promise.finally(() => {
      done = true;
    });
    // Handled here until it is returned: a rejection while time moves is the caller's to see.
    watched.catch(() => undefined);
    const end = this.time + limitMs;
    await settle();
    while (!done) {
      const t = this.next(end);
      if (!t) throw new Error(`not settled within ${limitMs} ms of fake time (${this.timers.size} timers pending)`);
      this.timers.delete(t);
      this.time = Math.max(this.time, t.at);
      t.callback();
      await settle();
    }
    return watched;
  }
}
