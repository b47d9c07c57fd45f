/**
 * The status tracker: follows every in-flight command of one connection.
 *
 * - One scheduler timer for all commands (a heap of due polls and a heap of local deadlines),
 *   not one timer per command, so 10,000 waits cost a few hundred bytes each.
 * - While the event stream is healthy (stream-health.ts), a command is not polled on a schedule:
 *   its event says when to look, and one end check near its timeout (poll-schedule.ts) makes sure
 *   no wait ends without having asked. When the stream drops or goes silent, every wait is polled
 *   at once and then backs off with its age; when it is back, every wait is polled once more
 *   (events may have been missed meanwhile). One canary poll per connection every 15 s (the
 *   longest-unpolled wait) finds a stream that went silent when no announcement was owed.
 * - Without events, the learned plan (duration-model.ts) aims the polls of a terminal wait at the
 *   recent durations of the same command type; otherwise the back-off of poll-schedule.ts.
 * - Every poll passes the connection's rate gate in the client (rate-gate.ts) as an urgent call;
 *   the tracker bounds how many it has out at once and sends hinted polls first.
 * - Event hints move a command's next poll to "now"; the platform API stays the single source of
 *   truth, so a forged event can at most cause one signed GET of a command we already track. Hints
 *   that beat their command are kept briefly (early-hints.ts).
 * - Every wait ends: reached, local deadline, fatal error (e.g. 404) or cancelled.
 */
import { unlimitedAbortController } from './abort';
import { Alarm, Clock, systemClock } from './clock';
import { DurationModel } from './duration-model';
import { EarlyHints } from './early-hints';
import { UtmosRateLimitError, toUtmosError } from './errors';
import { MinHeap } from './min-heap';
import { PollSchedule } from './poll-schedule';
import { DEFAULT_MAX_CONCURRENT, DEFAULT_MAX_REQUESTS_PER_SECOND, RateView } from './rate-gate';
import { isPermanentError } from './retry-policy';
import type { CommandStatus } from './schemas';
import { SUCCESS_STATUS, hasReached, isTerminalStatus } from './status';
import { EventHealth, StreamHealth } from './stream-health';
import { TrackedCommand, Waiter, announcedByEvents, newTrackedCommand, nextAim, nextEndCheck, nextPolledDue, recordStatus } from './tracked-command';
import { StatusSource, TrackerOptions, TrackerStats, newTrackerStats } from './tracker-options';
import { WaitHandle, WaitOutcome, WaitRequest, ownCopy } from './waits';

export { DEFAULT_MAX_CONCURRENT, DEFAULT_MAX_REQUESTS_PER_SECOND };
export type { StatusSource, TrackerOptions };

interface HeapSlot {
  entry: TrackedCommand;
  due: number;
}

/** Hinted polls sort before every timed one (a due time this far in the past), in hint order. */
const URGENT_BIAS_MS = 1e9;
/**
 * While events are trusted, one wait of the connection is polled this often: a broker that stops
 * forwarding while no announcement is owed shows when the canary finds a command finished whose
 * event never came. One call per connection, whatever the number of waits.
 */
export const CANARY_INTERVAL_MS = 15_000;
const NO_RATE: RateView = { cap: DEFAULT_MAX_REQUESTS_PER_SECOND, allowed: DEFAULT_MAX_REQUESTS_PER_SECOND, peakPerSecond: 0 };

export class StatusTracker {
  private readonly source: StatusSource;
  private readonly rate: RateView;
  private readonly maxConcurrent: number;
  private readonly schedule: PollSchedule;
  private readonly clock: Clock;
  private readonly alarm: Alarm;
  private readonly health: StreamHealth;
  /** Recent durations per command kind, or undefined when polls are not aimed. */
  private readonly durations: DurationModel | undefined;
  private readonly earlyHints: EarlyHints;

  private readonly entries = new Map<string, TrackedCommand>();
  private readonly polls = new MinHeap<HeapSlot>((s) => s.due);
  private readonly deadlines = new MinHeap<Waiter>((w) => w.deadline);
  private inFlight = 0;
  private readonly canaryMs: number;
  private nextCanaryAt = Infinity;
  private closed = false;
  private readonly abort = unlimitedAbortController();

  /** Counters for status badges, tests and benchmarks. */
  readonly stats: TrackerStats = newTrackerStats();

  constructor(options: TrackerOptions) {
    this.source = options.source;
    this.clock = options.clock ?? systemClock;
    this.rate = options.rate ?? NO_RATE;
    this.maxConcurrent = Math.max(1, options.maxConcurrent ?? DEFAULT_MAX_CONCURRENT);
    this.canaryMs = options.canaryIntervalMs ?? CANARY_INTERVAL_MS;
    this.schedule = new PollSchedule(options);
    this.alarm = new Alarm(this.clock, () => this.tick());
    this.durations = options.learnDurations === false ? undefined : new DurationModel();
    this.earlyHints = new EarlyHints(this.clock);
    this.health = new StreamHealth(this.clock, (health, before) => {
      this.onHealthChange(health, before);
      options.onEventHealth?.(health, before);
    });
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
    return this.rate.cap;
  }

  /** The rate allowed at the moment: the cap, or less after the platform answered 429. */
  get allowedRequestsPerSecond(): number {
    return this.rate.allowed;
  }

  /** Whether events announce results now: 'healthy'; 'silent' or 'off' mean polling. */
  get eventHealth(): EventHealth {
    return this.health.health;
  }

  /** The event stream is connected (subscribed) or not. */
  setEventDriven(connected: boolean): void {
    if (this.closed) return;
    this.health.connected(connected);
    this.arm();
  }

  /** An event arrived that names no command (e.g. a device request): the stream is delivering. */
  eventSeen(): void {
    if (!this.closed) this.health.traffic();
  }

  wait(request: WaitRequest): WaitHandle {
    let resolveFn!: (o: WaitOutcome) => void;
    const promise = new Promise<WaitOutcome>((resolve) => (resolveFn = resolve));
    if (this.closed) {
      resolveFn({ kind: 'cancelled' });
      return { promise, cancel: () => undefined };
    }
    const now = this.clock.now();
    const deadlineMs = Math.max(0, request.deadlineMs);
    const tracked = this.entries.get(request.commandId);
    const entry = tracked ?? this.track(request, now);
    const waiter: Waiter = {
      entry,
      until: request.until,
      deadline: now + deadlineMs,
      checkAt: now + this.schedule.endCheck(deadlineMs, request.platformTimeoutMs),
      checked: false,
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
    if (!tracked) this.planFirst(entry, request, now);
    else this.pollAt(entry, this.eventDrivenFor(entry) ? waiter.checkAt : Math.min(waiter.checkAt, now + this.schedule.firstPollMs));
    this.arm();
    return {
      promise,
      cancel: () => this.finish(waiter, { kind: 'cancelled', last: waiter.entry.last }),
    };
  }

  /** An event named this command: fetch it now (through the signed API) if we track it. */
  hint(commandId: string, claimedStatus?: string): void {
    if (this.closed || typeof commandId !== 'string' || commandId === '') return;
    this.health.traffic(commandId, claimedStatus);
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
      entry.hinted = true;
      return;
    }
    this.pollAt(entry, this.clock.now() - URGENT_BIAS_MS);
    // Send now if the cap allows: a timer would add a turn of a busy event loop to the latency.
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

  /** Whether events say when to look at this command: the stream is healthy and announces what its waits wait for. */
  private eventDrivenFor(entry: TrackedCommand): boolean {
    if (this.health.health !== 'healthy') return false;
    for (const w of entry.waiters) if (!announcedByEvents(w.until)) return false;
    return true;
  }

  private track(request: WaitRequest, now: number): TrackedCommand {
    const entry = newTrackedCommand(request.commandId, request.kind, now, this.schedule);
    this.entries.set(request.commandId, entry);
    if (request.known) recordStatus(entry, request.known, now);
    return entry;
  }

  /** The first poll of a newly tracked command: an early hint, the end check, the plan, or soon. */
  private planFirst(entry: TrackedCommand, request: WaitRequest, now: number): void {
    const early = this.earlyHints.take(request.commandId);
    // An early event only matters if what it claims could end this wait (not e.g. command.accepted).
    const hinted = early !== undefined && (!early.claimed || hasReached(early.claimed, request.until));
    if (early !== undefined && !hinted) this.stats.hintsIgnored++;
    if (hinted) return this.pollAt(entry, now - URGENT_BIAS_MS);
    if (early === undefined && entry.lastEffective === 'ACCEPTED') this.health.expectAccepted(entry.commandId);
    // With events, a command whose status is known waits for its event (or its end check).
    if (entry.last && this.eventDrivenFor(entry)) return this.pollAt(entry, nextEndCheck(entry));
    const aims = request.until === 'terminal' ? this.durations?.plan(request.kind, this.schedule.maxIntervalMs) : undefined;
    entry.aims = (aims ?? []).filter((ms) => ms > this.schedule.firstPollMs);
    if (entry.aims.length > 0) return this.pollAt(entry, nextAim(entry));
    this.pollAt(entry, Math.min(now + this.schedule.firstPollMs, nextEndCheck(entry)));
  }

  /** After a poll that left the command waited for: when to poll it next. */
  private nextDue(entry: TrackedCommand, now: number): number {
    return this.eventDrivenFor(entry) ? nextEndCheck(entry) : nextPolledDue(entry, now, this.schedule);
  }

  private onHealthChange(health: EventHealth, before: EventHealth): void {
    if (this.closed) return;
    if (health === 'silent') this.stats.silences++;
    this.nextCanaryAt = health === 'healthy' ? this.clock.now() + this.canaryMs : Infinity;
    // Into polling: every wait is polled at once, then backs off with its age. Back to healthy:
    // every wait is polled once, for the events that may have been missed meanwhile.
    if (health !== 'healthy' && before !== 'healthy') return;
    const now = this.clock.now();
    for (const entry of this.entries.values()) {
      if (entry.inFlight) entry.hinted = true;
      else this.pollAt(entry, now);
    }
    this.sendDuePolls(now);
  }

  private pollAt(entry: TrackedCommand, due: number): void {
    if (entry.inFlight) return;
    if (due >= entry.due) return;
    entry.due = due;
    this.polls.push({ entry, due });
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
    let at = this.health.nextDue();
    const nextPoll = this.nextLivePoll();
    // A poll waits for a free slot (a completing poll re-arms) and its due time.
    if (nextPoll && this.inFlight < this.maxConcurrent) at = Math.min(at, nextPoll.due);
    const nextDeadline = this.nextLiveDeadline();
    if (nextDeadline) at = Math.min(at, nextDeadline.deadline);
    if (this.entries.size > 0) at = Math.min(at, this.nextCanaryAt);
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
    this.health.check();
    if (now >= this.nextCanaryAt) this.canary(now);
    this.sendDuePolls(now);
    this.earlyHints.prune();
    this.arm();
  }

  /** Polls the wait canaried longest ago (or never), which then goes to the back of the line. */
  private canary(now: number): void {
    this.nextCanaryAt = now + this.canaryMs;
    for (const entry of this.entries.values()) {
      if (entry.inFlight || !this.eventDrivenFor(entry)) continue;
      this.entries.delete(entry.commandId);
      this.entries.set(entry.commandId, entry);
      this.stats.canaries++;
      return this.pollAt(entry, now);
    }
  }

  /** Starts every poll that is due, as far as the tracker's share of concurrency allows. */
  private sendDuePolls(now: number): void {
    for (let slot = this.nextLivePoll(); slot && slot.due <= now; slot = this.nextLivePoll()) {
      if (this.inFlight >= this.maxConcurrent) break;
      this.polls.pop();
      this.startPoll(slot.entry, now, slot.due <= now - URGENT_BIAS_MS / 2);
    }
  }

  private startPoll(entry: TrackedCommand, now: number, hinted: boolean): void {
    entry.inFlight = true;
    entry.due = Infinity;
    entry.hinted = false;
    for (const w of entry.waiters) {
      if (w.checked || w.checkAt > now) continue;
      w.checked = true;
      this.stats.endChecks++;
    }
    if (entry.aimed) this.stats.aimedPolls++;
    this.inFlight++;
    this.stats.polls++;
    this.stats.peakPerSecond = this.rate.peakPerSecond;
    const unfinishedAt = entry.unfinishedAt;
    // One attempt per poll: the tracker schedules its own retries. Urgent at the rate gate: someone
    // waits on every command polled, while a create can wait its turn.
    this.source.getCommand(entry.commandId, { signal: this.abort.signal, maxAttempts: 1, urgent: true }).then(
      (status) => this.onPollResult(entry, { status, unfinishedAt, hinted }),
      (error: unknown) => this.onPollResult(entry, { error, unfinishedAt, hinted }),
    );
  }

  private onPollResult(entry: TrackedCommand, result: { status?: CommandStatus; error?: unknown; unfinishedAt: number; hinted: boolean }): void {
    this.inFlight--;
    entry.inFlight = false;
    if (this.closed) return;
    const now = this.clock.now();
    if (result.status) {
      entry.lastError = undefined;
      this.onStatus(entry, result.status, now);
      // Found finished by a poll no event asked for: if its event was due on this stream, it should come.
      if (isTerminalStatus(entry.lastEffective ?? '') && !result.hinted) this.health.expectCompleted(entry.commandId, result.unfinishedAt);
    } else {
      this.stats.pollErrors++;
      const err = toUtmosError(result.error);
      entry.lastError = err;
      if (err.code === 'ABORTED') return;
      if (err instanceof UtmosRateLimitError) this.stats.rateLimited++;
      if (isPermanentError(err)) {
        for (const waiter of [...entry.waiters]) this.finish(waiter, { kind: 'error', error: err, last: entry.last });
      }
    }
    if (entry.waiters.size > 0) {
      this.pollAt(entry, entry.hinted ? now - URGENT_BIAS_MS : this.nextDue(entry, now));
      entry.hinted = false;
    }
    // A freed slot goes to the next due poll at once (e.g. a confirmation queued behind the cap).
    this.sendDuePolls(now);
    this.arm();
  }

  /** A poll found `status`: tell the listeners of a change, learn from a success, end what it satisfies. */
  private onStatus(entry: TrackedCommand, status: CommandStatus, now: number): void {
    const before = entry.lastEffective;
    recordStatus(entry, status, now);
    const effective = entry.lastEffective as string;
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
