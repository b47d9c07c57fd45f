/**
 * One command the tracker follows: its waiters, what is known of it, and when to poll it next
 * while polling is the way to learn of a change (the learned plan, then the back-off of
 * poll-schedule.ts, never past a waiter's end check).
 */
import type { UtmosError } from './errors';
import type { PollSchedule } from './poll-schedule';
import type { CommandStatus } from './schemas';
import { effectiveStatus, isTerminalStatus } from './status';
import type { WaitOutcome } from './waits';

export interface Waiter {
  entry: TrackedCommand;
  until: string;
  deadline: number;
  /** When this wait's end check is due (a poll sent from then on covers it). */
  checkAt: number;
  checked: boolean;
  resolve: (outcome: WaitOutcome) => void;
  onStatus?: (status: CommandStatus, effective: string) => void;
  done: boolean;
}

export interface TrackedCommand {
  commandId: string;
  waiters: Set<Waiter>;
  /** Due time of the next poll; the heap may hold stale copies, recognised by `due` mismatch. */
  due: number;
  inFlight: boolean;
  /** Poll again as soon as the poll in flight returns. */
  hinted: boolean;
  last?: CommandStatus;
  lastEffective?: string;
  lastError?: UtmosError;
  kind?: string;
  startedAt: number;
  /** Back-off: the delay before the last poll, and when the age it grows with counts from. */
  delay: number;
  ageFrom: number;
  /** Learned aims still ahead (ms after startedAt), and whether the next or last poll is one. */
  aims: number[];
  aimed: boolean;
  /** When the command was last known unfinished (for stream health). */
  unfinishedAt: number;
}

export function newTrackedCommand(commandId: string, kind: string | undefined, now: number, schedule: PollSchedule): TrackedCommand {
  return {
    commandId,
    waiters: new Set(),
    due: Infinity,
    inFlight: false,
    hinted: false,
    kind,
    startedAt: now,
    delay: schedule.minIntervalMs,
    ageFrom: now,
    aims: [],
    aimed: false,
    unfinishedAt: -Infinity,
  };
}

/**
 * The statuses events announce (command.accepted, command.completed); a wait for another one
 * (e.g. DELIVERED) keeps polling while events flow.
 */
export function announcedByEvents(until: string): boolean {
  return until === 'terminal' || until === 'ACCEPTED' || isTerminalStatus(until);
}

export function recordStatus(entry: TrackedCommand, status: CommandStatus, at: number): void {
  entry.last = status;
  entry.lastEffective = effectiveStatus(status);
  if (!isTerminalStatus(entry.lastEffective)) entry.unfinishedAt = at;
}

/** The earliest end check of a waiter not yet covered by a poll, or Infinity. */
export function nextEndCheck(entry: TrackedCommand): number {
  let at = Infinity;
  for (const w of entry.waiters) if (!w.checked && w.checkAt < at) at = w.checkAt;
  return at;
}

/** The next learned aim, taken from the plan. */
export function nextAim(entry: TrackedCommand): number {
  entry.aimed = true;
  return entry.startedAt + (entry.aims.shift() as number);
}

/** While polling: when to poll next after a poll that left the command waited for. */
export function nextPolledDue(entry: TrackedCommand, now: number, schedule: PollSchedule): number {
  const check = nextEndCheck(entry);
  if (entry.aims.length > 0) return Math.min(check, Math.max(now, nextAim(entry)));
  if (entry.aimed) {
    // The plan found it still running: look again soon, backing off from there.
    entry.aimed = false;
    entry.delay = schedule.lookAgainSeed;
    entry.ageFrom = now;
  }
  entry.delay = schedule.next(entry.delay, now - entry.ageFrom);
  return Math.min(check, now + entry.delay);
}
