/**
 * The status tracker: follows every in-flight command of one connection.
 *
 * - One scheduler timer for all commands (a heap of due polls and a heap of local deadlines),
 *   not one timer per command, so 10,000 waits cost a few hundred bytes each.
 * - Adaptive polling per command (poll-schedule.ts): fast at first, backing off while nothing
 *   changes; a sparse safety net while an event stream is connected.
 * - What it sends is bounded by a concurrency cap and the rate gate (rate-gate.ts: a sliding
 *   one-second window that adapts to 429s).
 * - Learned first poll (duration-model.ts): a wait until a terminal status aims its first poll at
 *   the recent durations of the same command type, followed by short look-agains.
 * - Event hints (from the optional event stream) move a command's next poll to "now"; the platform
 *   API stays the single source of truth, so a forged event can at most cause one signed GET of a
 *   command we already track. Hints that beat their command are kept briefly (early-hints.ts).
 * - Every wait ends: reached, local deadline, fatal error (e.g. 404) or cancelled.
 */
import { unlimitedAbortController } from './abort';
import { Alarm, Clock, systemClock } from './clock';
import { DurationModel } from './duration-model';
import { EarlyHints } from './early-hints';
import { UtmosError, UtmosRateLimitError, toUtmosError } from './errors';
import { MinHeap } from './min-heap';
import { PollLoad, PollSchedule, PollScheduleOptions } from './poll-schedule';
import { RateGate } from './rate-gate';
import { isPermanentError } from './retry-policy';
import type { CommandStatus } from './schemas';
import { SUCCESS_STATUS, effectiveStatus, hasReached, isTerminalStatus } from './status';
import { WaitHandle, WaitOutcome, WaitRequest, ownCopy } from './waits';

export interface StatusSource {
  getCommand(commandId: string, options?: { signal?: AbortSignal; maxAttempts?: number }): Promise<CommandStatus>;
}

export interface TrackerOptions extends PollScheduleOptions {
  source: StatusSource;
  maxRequestsPerSecond?: number;
  maxConcurrent?: number;
  /**
   * Aim the first poll of a terminal wait at the recent durations of the same command type (when
   * known and at most maxIntervalMs). Default true.
   */
  learnDurations?: boolean;
  /** Told when a 429 lowered the rate in use, and when it is back at the cap. */
  onRateChange?: (allowedPerSecond: number, capPerSecond: number) => void;
  clock?: Clock;
}

interface Waiter {
  entry: Entry;
  until: string;
  deadline: number;
  resolve: (outcome: WaitOutcome) => void;
  onStatus?: (status: CommandStatus, effective: string) => void;
  done: boolean;
}

interface Entry {
  commandId: string;
  waiters: Set<Waiter>;
  /** Due time of the next poll; the heap may hold stale copies, recognised by `due` mismatch. */
  due: number;
  interval: number;
  inFlight: boolean;
  hinted: boolean;
  last?: CommandStatus;
  lastEffective?: string;
  lastError?: UtmosError;
  kind?: string;
}

interface HeapSlot {
  entry: Entry;
  due: number;
}

/** Hinted polls sort before every timed one (a due time this far in the past), in hint order. */
const URGENT_BIAS_MS = 1e9;
/**
 * Status queries per second per config node. The platform documents no limit; a 429 lowers the rate
 * actually used (see rate-gate.ts), so the default can serve a busy fleet (50 docks finishing a
 * command a second need ~50 confirming queries a second) without being a hazard.
 */
export const DEFAULT_MAX_REQUESTS_PER_SECOND = 100;
/** Queries in flight at once: enough for the default rate at ~150 ms round trips to a remote platform. */
export const DEFAULT_MAX_CONCURRENT = 16;

export class StatusTracker {
  private readonly source: StatusSource;
  private readonly maxConcurrent: number;
  private readonly schedule: PollSchedule;
  private readonly clock: Clock;
  private readonly alarm: Alarm;
  private readonly gate: RateGate;
  /** Recent durations per command kind, or undefined when first polls are not aimed. */
  private readonly durations: DurationModel | undefined;
  private readonly earlyHints: EarlyHints;

  private readonly entries = new Map<string, Entry>();
  private readonly polls = new MinHeap<HeapSlot>((s) => s.due);
  private readonly deadlines = new MinHeap<Waiter>((w) => w.deadline);
  private inFlight = 0;
  private eventDriven = false;
  private closed = false;
  private readonly abort = unlimitedAbortController();

  /** Counters for status badges, tests and benchmarks. */
  readonly stats = { polls: 0, pollErrors: 0, hints: 0, hintsIgnored: 0, peakPerSecond: 0, aimedPolls: 0, rateLimited: 0 };

  constructor(options: TrackerOptions) {
    this.source = options.source;
    this.clock = options.clock ?? systemClock;
    this.gate = new RateGate({
      cap: options.maxRequestsPerSecond ?? DEFAULT_MAX_REQUESTS_PER_SECOND,
      clock: this.clock,
      onRateChange: options.onRateChange,
    });
    this.maxConcurrent = Math.max(1, options.maxConcurrent ?? DEFAULT_MAX_CONCURRENT);
    this.schedule = new PollSchedule(options);
    this.alarm = new Alarm(this.clock, () => this.tick());
    this.durations = options.learnDurations === false ? undefined : new DurationModel();
    this.earlyHints = new EarlyHints(this.clock);
  }

  get size(): number {
    return this.entries.size;
  }

  get waiting(): number {
    let n = 0;
    for (const e of this.entries.values()) n += e.waiters.size;
    return n;
  }

  get requestCapPerSecond(): number {
    return this.gate.cap;
  }

  /** The rate allowed at the moment: the cap, or less after the platform answered 429. */
  get allowedRequestsPerSecond(): number {
    return this.gate.allowed;
  }

  /**
   * While an event stream is connected, polls become a sparse safety net. When it (re)connects,
   * every tracked command is queried soon, because events may have been missed meanwhile.
   */
  setEventDriven(connected: boolean): void {
    if (this.closed) return;
    const was = this.eventDriven;
    this.eventDriven = connected;
    if (!connected && was) {
      // Back to polling: make sure nothing waits on a long safety-net interval.
      const soon = this.clock.now() + this.schedule.firstPollMs;
      for (const entry of this.entries.values()) {
        entry.interval = this.schedule.minIntervalMs;
        if (entry.due > soon) this.pollAt(entry, soon);
      }
      this.arm();
    } else if (connected && !was) {
      for (const entry of this.entries.values()) this.pollAt(entry, this.clock.now());
      this.arm();
    }
  }

  wait(request: WaitRequest): WaitHandle {
    let resolveFn!: (o: WaitOutcome) => void;
    const promise = new Promise<WaitOutcome>((resolve) => (resolveFn = resolve));
    if (this.closed) {
      resolveFn({ kind: 'cancelled' });
      return { promise, cancel: () => undefined };
    }
    const now = this.clock.now();
    const entry = this.entries.get(request.commandId) ?? this.track(request, now);
    const waiter: Waiter = {
      entry,
      until: request.until,
      deadline: now + Math.max(0, request.deadlineMs),
      resolve: resolveFn,
      onStatus: request.onStatus,
      done: false,
    };
    // A status known already may satisfy the wait at once (e.g. until ACCEPTED).
    if (entry.lastEffective && hasReached(entry.lastEffective, waiter.until) && entry.last) {
      resolveFn(ownCopy({ kind: 'reached', status: entry.last, effective: entry.lastEffective }));
      if (entry.waiters.size === 0) this.entries.delete(entry.commandId);
      return { promise, cancel: () => undefined };
    }
    entry.waiters.add(waiter);
    this.deadlines.push(waiter);
    this.arm();
    return {
      promise,
      cancel: () => this.finish(waiter, { kind: 'cancelled', last: waiter.entry.last }),
    };
  }

  /** An event named this command: fetch it now (through the signed API) if we track it. */
  hint(commandId: string, claimedStatus?: string): void {
    if (this.closed || typeof commandId !== 'string' || commandId === '') return;
    const entry = this.entries.get(commandId);
    if (!entry) {
      this.earlyHints.remember(commandId, claimedStatus);
      return;
    }
    // An event whose claimed status would satisfy none of the waiters is not worth a request
    // (e.g. command.accepted while everybody waits for a terminal status).
    if (claimedStatus && ![...entry.waiters].some((w) => hasReached(claimedStatus, w.until))) {
      this.stats.hintsIgnored++;
      return;
    }
    this.stats.hints++;
    if (entry.inFlight) {
      entry.hinted = true; // poll again as soon as the current one returns
      return;
    }
    this.pollAt(entry, this.clock.now() - URGENT_BIAS_MS);
    // Send now if the caps allow: a timer would add a turn of a busy event loop to the latency.
    this.sendDuePolls(this.clock.now());
    this.arm();
  }

  /** Ends every wait (as cancelled) and stops the scheduler. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.abort.abort();
    this.alarm.clear();
    for (const entry of [...this.entries.values()]) {
      for (const waiter of [...entry.waiters]) this.finish(waiter, { kind: 'cancelled', last: entry.last });
    }
    this.entries.clear();
    this.polls.clear();
    this.deadlines.clear();
    this.earlyHints.clear();
  }

  /** Starts tracking a command: its known status, an early hint, and when to poll it first. */
  private track(request: WaitRequest, now: number): Entry {
    const entry: Entry = {
      commandId: request.commandId,
      waiters: new Set(),
      due: Infinity,
      interval: this.schedule.minIntervalMs,
      inFlight: false,
      hinted: false,
      kind: request.kind,
    };
    this.entries.set(request.commandId, entry);
    if (request.known) this.record(entry, request.known);
    const early = this.earlyHints.take(request.commandId);
    // An early event only matters if what it claims could end this wait (not e.g. command.accepted).
    const hinted = early !== undefined && (!early.claimed || hasReached(early.claimed, request.until));
    if (early !== undefined && !hinted) this.stats.hintsIgnored++;
    if (hinted) {
      this.pollAt(entry, now - URGENT_BIAS_MS);
      return entry;
    }
    const aim = request.until === 'terminal' ? this.durations?.expectedMs(request.kind, this.schedule.maxIntervalMs) : undefined;
    const plan = this.schedule.first(this.eventDriven, this.load(), aim);
    if (plan.aimed) {
      entry.interval = plan.intervalMs;
      this.stats.aimedPolls++;
    }
    this.pollAt(entry, now + plan.delayMs);
    return entry;
  }

  private load(): PollLoad {
    return { tracked: this.entries.size, allowedPerSecond: this.gate.allowed };
  }

  private pollAt(entry: Entry, due: number): void {
    if (entry.inFlight) return;
    if (due >= entry.due) return;
    entry.due = due;
    this.polls.push({ entry, due });
  }

  private record(entry: Entry, status: CommandStatus): void {
    const effective = effectiveStatus(status);
    // Moving: look again soon (but an aimed first poll keeps its shorter look-again).
    if (effective !== entry.lastEffective) entry.interval = this.schedule.moved(entry.interval);
    entry.last = status;
    entry.lastEffective = effective;
  }

  private finish(waiter: Waiter, outcome: WaitOutcome): void {
    if (waiter.done) return;
    waiter.done = true;
    const entry = waiter.entry;
    entry.waiters.delete(waiter);
    if (entry.waiters.size === 0 && this.entries.get(entry.commandId) === entry) {
      this.entries.delete(entry.commandId);
      entry.due = Infinity;
    }
    waiter.resolve(ownCopy(outcome));
  }

  private arm(): void {
    if (this.closed) return;
    let at = Infinity;
    const nextPoll = this.nextLivePoll();
    // A poll waits for a free slot (a completing poll re-arms), its due time and the rate gate.
    if (nextPoll && this.inFlight < this.maxConcurrent) at = Math.max(nextPoll.due, this.clock.now() + this.gate.waitMs());
    const nextDeadline = this.nextLiveDeadline();
    if (nextDeadline) at = Math.min(at, nextDeadline.deadline);
    this.alarm.set(at);
  }

  private nextLivePoll(): HeapSlot | undefined {
    return this.polls.peekLive((s) => s.entry.due === s.due && !s.entry.inFlight && this.entries.get(s.entry.commandId) === s.entry);
  }

  private nextLiveDeadline(): Waiter | undefined {
    return this.deadlines.peekLive((w) => !w.done);
  }

  private tick(): void {
    if (this.closed) return;
    const now = this.clock.now();
    // Local deadlines first: no wait is left hanging, whatever the platform does.
    for (let w = this.nextLiveDeadline(); w && w.deadline <= now; w = this.nextLiveDeadline()) {
      this.deadlines.pop();
      this.finish(w, { kind: 'deadline', last: w.entry.last, lastError: w.entry.lastError });
    }
    this.sendDuePolls(now);
    this.earlyHints.prune();
    this.arm();
  }

  /** Starts every poll that is due, as far as the concurrency cap and the rate gate allow. */
  private sendDuePolls(now: number): void {
    for (let slot = this.nextLivePoll(); slot && slot.due <= now; slot = this.nextLivePoll()) {
      if (this.inFlight >= this.maxConcurrent || this.gate.waitMs() > 0) break;
      this.polls.pop();
      this.startPoll(slot.entry);
    }
  }

  private startPoll(entry: Entry): void {
    const sentAt = this.gate.take();
    entry.inFlight = true;
    entry.due = Infinity;
    entry.hinted = false;
    this.inFlight++;
    this.stats.polls++;
    this.stats.peakPerSecond = this.gate.peakPerSecond;
    // One attempt per poll: the tracker schedules its own retries so the request cap always holds.
    this.source.getCommand(entry.commandId, { signal: this.abort.signal, maxAttempts: 1 }).then(
      (status) => this.onPollResult(entry, sentAt, status, undefined),
      (error: unknown) => this.onPollResult(entry, sentAt, undefined, error),
    );
  }

  private onPollResult(entry: Entry, sentAt: number, status: CommandStatus | undefined, error: unknown): void {
    this.inFlight--;
    entry.inFlight = false;
    if (this.closed) return;
    const now = this.clock.now();
    if (status) {
      this.gate.succeeded();
      entry.lastError = undefined;
      this.onStatus(entry, status);
    } else {
      this.stats.pollErrors++;
      const err = toUtmosError(error);
      entry.lastError = err;
      if (err.code === 'ABORTED') return;
      if (err instanceof UtmosRateLimitError) {
        this.stats.rateLimited++;
        this.gate.rateLimited(sentAt, err.retryAfterMs);
      }
      if (isPermanentError(err)) {
        for (const waiter of [...entry.waiters]) this.finish(waiter, { kind: 'error', error: err, last: entry.last });
      }
    }
    if (entry.waiters.size > 0) {
      const plan = this.schedule.next(entry.interval, this.eventDriven, this.load());
      entry.interval = plan.intervalMs;
      this.pollAt(entry, entry.hinted ? now - URGENT_BIAS_MS : now + plan.delayMs);
      entry.hinted = false;
    }
    // A freed slot goes to the next due poll at once (e.g. a confirmation queued behind the cap).
    this.sendDuePolls(now);
    this.arm();
  }

  /** A poll found `status`: tell the listeners of a change, learn from a success, end what it satisfies. */
  private onStatus(entry: Entry, status: CommandStatus): void {
    const before = entry.lastEffective;
    this.record(entry, status);
    const effective = effectiveStatus(status);
    if (effective !== before) {
      for (const waiter of [...entry.waiters]) {
        try {
          waiter.onStatus?.(status, effective);
        } catch {
          // A listener's failure must not stop the tracker.
        }
      }
    }
    if (effective === SUCCESS_STATUS) this.durations?.learn(entry.kind, status);
    for (const waiter of [...entry.waiters]) {
      if (hasReached(effective, waiter.until)) this.finish(waiter, { kind: 'reached', status, effective });
    }
    if (isTerminalStatus(effective)) {
      // Nothing more will change; any waiter left would be a bug, end it rather than poll forever.
      for (const waiter of [...entry.waiters]) this.finish(waiter, { kind: 'reached', status, effective });
    }
  }
}
