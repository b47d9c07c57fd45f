/**
 * What the status tracker (tracker.ts) is given and what it counts: where it reads a command's
 * status, its options, and its counters for badges, tests and benchmarks.
 */
import type { Clock } from './clock';
import type { PollScheduleOptions } from './poll-schedule';
import type { RateView } from './rate-gate';
import type { CommandStatus } from './schemas';
import type { EventHealth } from './stream-health';

export interface StatusSource {
  getCommand(commandId: string, options?: { signal?: AbortSignal; maxAttempts?: number; urgent?: boolean }): Promise<CommandStatus>;
}

export interface TrackerOptions extends PollScheduleOptions {
  source: StatusSource;
  /** The connection's rate gate, read only (the source's calls pass it): cap, rate in use, peak. */
  rate?: RateView;
  /** Polls out at once at most (waiting at the rate gate or in flight). */
  maxConcurrent?: number;
  /** Aim the polls of a terminal wait at the recent durations of the same command type. Default true. */
  learnDurations?: boolean;
  /** While events are trusted, one wait is polled this often (ms) to notice a silent stream. Default 15 s. */
  canaryIntervalMs?: number;
  /** Told when the event stream turns healthy, silent or off. */
  onEventHealth?: (health: EventHealth, before: EventHealth) => void;
  clock?: Clock;
}

/** Counters for status badges, tests and benchmarks. */
export interface TrackerStats {
  polls: number;
  pollErrors: number;
  /** Events that named a tracked command and made it polled now; and those that could not end any wait. */
  hints: number;
  hintsIgnored: number;
  /** The most API calls the connection's rate gate saw in one second. */
  peakPerSecond: number;
  aimedPolls: number;
  endChecks: number;
  rateLimited: number;
  /** Times the event stream was found silent; canary polls made while it was trusted. */
  silences: number;
  canaries: number;
}

export function newTrackerStats(): TrackerStats {
  return { polls: 0, pollErrors: 0, hints: 0, hintsIgnored: 0, peakPerSecond: 0, aimedPolls: 0, endChecks: 0, rateLimited: 0, silences: 0, canaries: 0 };
}
