/**
 * When a failed call is tried again, and after how long.
 *
 * Network errors, 5xx and 429 are retried because the request either did not reach the platform or
 * can be repeated without effect (a create carries the same idempotency_key, so the platform answers
 * with the same command; a PUT of the same bytes to the same key stores them once). Other 4xx are
 * never retried unchanged (the signed call retries TIMESTAMP_EXPIRED and NONCE_REPLAYED once, at
 * once, after fixing what they name). Between attempts: exponential backoff with jitter, or the
 * platform's Retry-After when a 429 gives one and it is not too long.
 */
import { Clock, sleep } from './clock';
import { Operation, UtmosAbortError, UtmosError, UtmosRateLimitError } from './errors';

/** Transport failures where the request did not reach the platform, or can be repeated. */
export const RETRYABLE_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
]);

/**
 * Errors that no retry can fix (4xx other than 408 and 429, bad input): the tracker, which schedules
 * its own retries, ends the waits on a command when its status query fails like this.
 */
export function isPermanentError(error: UtmosError): boolean {
  const status = error.httpStatus;
  const clientError = status !== undefined && status >= 400 && status < 500 && status !== 429 && status !== 408;
  return clientError || error.code === 'INVALID_INPUT';
}

/** An attempt's answer meaning "try again", after `delayMs` (0: at once, e.g. with a fresh nonce). */
export class Retry {
  constructor(readonly delayMs: number) {}
}

export interface RetryPolicyOptions {
  /** Attempts per call including the first. Default 4. */
  maxAttempts?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** A Retry-After longer than this ends the call with the rate-limit error instead of waiting. Default 30 s. */
  maxRetryAfterMs?: number;
  random?: () => number;
  clock: Clock;
}

export interface CallContext {
  operation: Operation;
  signal?: AbortSignal;
  /** Overrides the policy's attempt budget, e.g. 1 for the tracker, which schedules its own retries. */
  maxAttempts?: number;
  /** True once the client is closed: no further attempt is made. */
  closed(): boolean;
}

export class RetryPolicy {
  private readonly maxAttempts: number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly random: () => number;
  private readonly clock: Clock;

  constructor(options: RetryPolicyOptions) {
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 4);
    this.backoffBaseMs = options.backoffBaseMs ?? 250;
    this.backoffMaxMs = options.backoffMaxMs ?? 5_000;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
    this.random = options.random ?? Math.random;
    this.clock = options.clock;
  }

  /**
   * Runs attempts 1, 2, ... of a call until one returns a value. An attempt either returns the value,
   * returns a Retry, or throws (ending the call); `retryOrThrow` gives the Retry for a failure the
   * policy retries. Closing the client or aborting the signal ends the call between attempts.
   */
  async run<T>(call: CallContext, attempt: (n: number, maxAttempts: number) => Promise<T | Retry>): Promise<T> {
    const maxAttempts = Math.max(1, call.maxAttempts ?? this.maxAttempts);
    for (let n = 1; ; n++) {
      if (call.closed() || call.signal?.aborted) throw new UtmosAbortError(call.operation);
      const result = await attempt(n, maxAttempts);
      if (!(result instanceof Retry)) return result;
      if (result.delayMs > 0) await sleep(this.clock, result.delayMs, call.signal, () => new UtmosAbortError(call.operation));
    }
  }

  /**
   * The Retry after a failed attempt, or `error` thrown when the policy does not retry it or the
   * attempts are spent. `answered`: an HTTP status came back (else nothing usable did).
   */
  retryOrThrow(error: UtmosError, answered: boolean, attempt: number, maxAttempts: number): Retry {
    if (attempt >= maxAttempts || error instanceof UtmosAbortError) throw error;
    if (!answered) {
      if (RETRYABLE_NETWORK_CODES.has(error.code)) return new Retry(this.backoff(attempt));
      throw error;
    }
    const status = error.httpStatus ?? 0;
    if (status < 500 && status !== 429) throw error;
    const retryAfterMs = error instanceof UtmosRateLimitError ? error.retryAfterMs : undefined;
    if (retryAfterMs === undefined) return new Retry(this.backoff(attempt));
    if (retryAfterMs > this.maxRetryAfterMs) throw error;
    return new Retry(retryAfterMs);
  }

  private backoff(attempt: number): number {
    const ceiling = Math.min(this.backoffMaxMs, this.backoffBaseMs * 2 ** (attempt - 1));
    // "Equal jitter": never zero, never synchronised across clients.
    return Math.round(ceiling / 2 + this.random() * (ceiling / 2));
  }
}
