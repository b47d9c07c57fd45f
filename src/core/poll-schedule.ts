/**
 * When the tracker polls a command: fast at first, backing off while nothing changes, aimed at the
 * learned duration when one is known, and only a sparse safety net while an event stream is
 * connected (events then say when to look).
 */

export interface PollScheduleOptions {
  /** Poll schedule while polling is the only way to learn of a change. */
  firstPollMs?: number;
  minIntervalMs?: number;
  maxIntervalMs?: number;
  backoffFactor?: number;
  /** Poll schedule while an event stream is connected: polls are only a safety net then. */
  eventFirstPollMs?: number;
  eventMaxIntervalMs?: number;
  /** First look-again after an aimed poll found the command still running. Default 50 ms. */
  nearIntervalMs?: number;
}

/** What the safety net spreads its polls over: the commands tracked and the rate allowed. */
export interface PollLoad {
  tracked: number;
  allowedPerSecond: number;
}

export interface PollPlan {
  /** Until the poll, from now. */
  delayMs: number;
  /** The interval after that poll. */
  intervalMs: number;
}

/** While events are connected, the safety net may use at most this share of the request rate on average. */
const SAFETY_NET_SHARE = 0.5;

export class PollSchedule {
  readonly firstPollMs: number;
  readonly minIntervalMs: number;
  readonly maxIntervalMs: number;
  private readonly backoffFactor: number;
  private readonly eventFirstPollMs: number;
  private readonly eventMaxIntervalMs: number;
  private readonly nearIntervalMs: number;

  constructor(options: PollScheduleOptions = {}) {
    this.firstPollMs = options.firstPollMs ?? 300;
    this.minIntervalMs = options.minIntervalMs ?? 300;
    this.maxIntervalMs = options.maxIntervalMs ?? 5_000;
    this.backoffFactor = options.backoffFactor ?? 1.5;
    this.eventFirstPollMs = options.eventFirstPollMs ?? 5_000;
    this.eventMaxIntervalMs = options.eventMaxIntervalMs ?? 15_000;
    this.nearIntervalMs = options.nearIntervalMs ?? 50;
  }

  /**
   * The first poll of a newly tracked command. `aimMs`, the learned duration of its kind, is used
   * when it lies beyond the plain first poll: one poll then, followed by short look-agains.
   */
  first(eventDriven: boolean, load: PollLoad, aimMs?: number): PollPlan & { aimed: boolean } {
    if (eventDriven) return { delayMs: this.safetyNetDelay(this.eventFirstPollMs, load), intervalMs: this.minIntervalMs, aimed: false };
    if (aimMs !== undefined && aimMs > this.firstPollMs) {
      return { delayMs: aimMs, intervalMs: Math.min(this.minIntervalMs, this.nearIntervalMs), aimed: true };
    }
    return { delayMs: this.firstPollMs, intervalMs: this.minIntervalMs, aimed: false };
  }

  /** After a poll that left the command waited for: the next one, backing off from `intervalMs`. */
  next(intervalMs: number, eventDriven: boolean, load: PollLoad): PollPlan {
    const cap = eventDriven ? this.eventMaxIntervalMs : this.maxIntervalMs;
    return {
      delayMs: eventDriven ? this.safetyNetDelay(intervalMs, load) : intervalMs,
      intervalMs: Math.min(cap, Math.round(intervalMs * this.backoffFactor)),
    };
  }

  /** The command moved to another status: look again soon (an aimed poll keeps its shorter look-again). */
  moved(intervalMs: number): number {
    return Math.min(intervalMs, this.minIntervalMs);
  }

  /**
   * The safety net's delay: at least `base`, and long enough that polling every tracked command
   * once per delay stays within SAFETY_NET_SHARE of the allowed rate, so that with 10,000 commands
   * in flight the confirming queries after events never queue behind safety-net polls for long.
   */
  private safetyNetDelay(base: number, load: PollLoad): number {
    return Math.max(base, Math.ceil((load.tracked / (load.allowedPerSecond * SAFETY_NET_SHARE)) * 1000));
  }
}
