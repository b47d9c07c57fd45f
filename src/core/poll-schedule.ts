/**
 * When the tracker polls a command.
 *
 * - While polling is the only way to learn of a change: a first poll soon (or the learned plan of
 *   the command's kind, duration-model.ts), then backing off with the command's age: each delay at
 *   least `backoffFactor` times the previous one and at least the time waited so far, up to a
 *   ceiling. A result is then found at most about as late as the command has already taken, and a
 *   300 s command costs about 11 status calls instead of one every few seconds.
 * - While the event stream is healthy: no schedule. The event says when to look; one check near
 *   the end (just after the platform's own timeout, or just before the local deadline) makes sure
 *   no wait ends without having asked, whatever the stream did.
 */

export interface PollScheduleOptions {
  /** First poll of a command whose kind has no learned plan. Default 300 ms. */
  firstPollMs?: number;
  /** The delay the back-off grows from after the first poll (the next is backoffFactor times it). Default 300 ms. */
  minIntervalMs?: number;
  /** Longest delay between two polls of one command (the ceiling of the back-off). Default 120 s. */
  maxIntervalMs?: number;
  /** Each delay at least this times the previous one. Default 1.5. */
  backoffFactor?: number;
  /** First look-again after the learned plan found the command still running. Default 50 ms. */
  nearIntervalMs?: number;
  /** The end check comes this long after the platform's timeout of the command. Default 1 s. */
  timeoutCheckMarginMs?: number;
}

/** Each delay at least this share of the time since the reference (tracking start, or the last aim). */
const AGE_SHARE = 1;
/** The end check before a local deadline leaves this long for the answer (or a fifth of a short wait). */
const DEADLINE_LEAD_MS = 1_000;

export class PollSchedule {
  readonly firstPollMs: number;
  readonly minIntervalMs: number;
  readonly maxIntervalMs: number;
  readonly nearIntervalMs: number;
  private readonly backoffFactor: number;
  private readonly timeoutCheckMarginMs: number;

  constructor(options: PollScheduleOptions = {}) {
    this.firstPollMs = options.firstPollMs ?? 300;
    this.minIntervalMs = options.minIntervalMs ?? 300;
    this.maxIntervalMs = Math.max(this.minIntervalMs, options.maxIntervalMs ?? 120_000);
    this.backoffFactor = Math.max(1, options.backoffFactor ?? 1.5);
    this.nearIntervalMs = options.nearIntervalMs ?? 50;
    this.timeoutCheckMarginMs = options.timeoutCheckMarginMs ?? 1_000;
  }

  /**
   * The delay after a poll that left the command waited for: `previousMs` was the delay before that
   * poll, `sinceReferenceMs` the time since tracking started (or since the learned plan's last aim).
   */
  next(previousMs: number, sinceReferenceMs: number): number {
    const grown = Math.max(previousMs * this.backoffFactor, sinceReferenceMs * AGE_SHARE);
    return Math.round(Math.min(this.maxIntervalMs, grown));
  }

  /** The previous delay to pass to next() right after the plan's last aim: look again after nearIntervalMs. */
  get lookAgainSeed(): number {
    return this.nearIntervalMs / this.backoffFactor;
  }

  /**
   * When (ms from tracking start) to check a command once although no event named it: just after
   * its platform timeout when known, else shortly before the local deadline.
   */
  endCheck(deadlineMs: number, platformTimeoutMs?: number): number {
    const beforeDeadline = deadlineMs - Math.min(DEADLINE_LEAD_MS, deadlineMs / 5);
    if (platformTimeoutMs === undefined) return beforeDeadline;
    return Math.min(platformTimeoutMs + this.timeoutCheckMarginMs, beforeDeadline);
  }
}
