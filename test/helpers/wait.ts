/**
 * Bounded waiting for the event a test stands on: every wait ends with that event or with an error
 * naming what did not happen. The tests hold no fixed sleeps; these are the only timers they use to
 * wait.
 */
import type { UtmosConnection } from '../../src/core/connection';
import type { EventStreamState } from '../../src/core/event-stream';

export type Describe = string | (() => string);

/** What a condition yields once it holds. */
export type Truthy<T> = Exclude<T, false | null | undefined | 0 | ''>;

const described = (what: Describe): string => (typeof what === 'string' ? what : what());

/** Rejects with `timed out after N ms: what` unless `promise` settles first. */
export function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: Describe): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms: ${described(what)}`)), timeoutMs);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

/**
 * Resolves with the first truthy value of `check`, asked now and every `intervalMs`: for state
 * that announces no change (a simulated dock's counters, a process's open handles).
 */
export async function waitUntil<T>(check: () => T | Promise<T>, what: Describe, timeoutMs = 10_000, intervalMs = 20): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as Truthy<T>;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms: ${described(what)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Waiters on something that says when it changed (messages arriving, calls recorded): each
 * `until` re-checks its condition on every `changed()` and is bounded by its own timeout.
 */
export class Changes {
  private readonly waiters = new Set<() => void>();

  changed(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  until<T>(check: () => T, what: Describe, timeoutMs: number): Promise<Truthy<T>> {
    return new Promise((resolve, reject) => {
      const waiter = (): boolean => {
        const value = check();
        if (!value) return false;
        this.waiters.delete(waiter);
        clearTimeout(timer);
        resolve(value as Truthy<T>);
        return true;
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`timed out after ${timeoutMs} ms: ${described(what)}`));
      }, timeoutMs);
      if (!waiter()) this.waiters.add(waiter);
    });
  }

  /** Forgets every waiter (their timeouts still end them). */
  clear(): void {
    this.waiters.clear();
  }
}

/** Resolves once a connection's event stream reaches `state` (default: connected). */
export function eventStreamState(connection: UtmosConnection, state: EventStreamState = 'connected', timeoutMs = 10_000): Promise<void> {
  let stop: (() => void) | undefined;
  const reached = new Promise<void>((resolve) => {
    if (connection.eventState === state) return resolve();
    stop = connection.onEventState((now) => {
      if (now === state) resolve();
    });
  });
  return withTimeout(reached, timeoutMs, () => `event stream ${state}; it is ${connection.eventState ?? 'not configured'}`).finally(() => stop?.());
}
