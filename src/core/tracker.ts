/**
 * The status tracker: follows every in-flight command of one config node.
 *
 * - One scheduler timer for all commands (a heap of due polls and a heap of local deadlines),
 *   not one timer per command, so 10,000 waits cost a few hundred bytes each.
 * - Adaptive polling per command: fast at first, backing off while nothing changes.
 * - A sliding one-second window (requests per second) and a concurrency cap bound what a fleet of
 *   waits sends; unlike a token bucket, no one-second window can ever see more than the cap.
 * - The platform documents no rate limit, so the cap is generous by default and adapts: a 429 halves
 *   the allowed rate (once per burst of 429s) and pauses for Retry-After; the rate then grows back
 *   step by step while requests succeed (AIMD, as TCP does with its window).
 * - Learned first poll: for waits until a terminal status, the first poll is aimed at the recent
 *   durations (platform accepted_at -> completed_at) of the same command type, followed by short
 *   look-agains, instead of a fixed 300 ms schedule that spends several polls on a command
 *   that cannot have finished yet.
 * - Event hints (from the optional event stream) move a command's next poll to "now"; the platform
 *   API stays the single source of truth, so a forged event can at most cause one signed GET of a
 *   command we already track.
 * - Every wait ends: reached, local deadline, fatal error (e.g. 404) or cancelled.
 */
import { unlimitedAbortController } from './abort';
import { UtmosError, UtmosRateLimitError } from './errors';
import { MinHeap } from './min-heap';
import type { CommandStatus } from './schemas';
import { SUCCESS_STATUS, effectiveStatus, hasReached, isTerminalStatus } from './status';

export interface StatusSource {
  getCommand(commandId: string, options?: { signal?: AbortSignal; maxAttempts?: number }): Promise<CommandStatus>;
}

export interface TrackerOptions {
  source: StatusSource;
  maxRequestsPerSecond?: number;
  maxConcurrent?: number;
  /** Poll schedule while polling is the only way to learn of a change. */
  firstPollMs?: number;
  minIntervalMs?: number;
  maxIntervalMs?: number;
  backoffFactor?: number;
  /** Poll schedule while an event stream is connected: polls are only a safety net then. */
  eventFirstPollMs?: number;
  eventMaxIntervalMs?: number;
  /**
   * Aim the first poll of a terminal wait at the recent durations of the same command type (when
   * known and at most maxIntervalMs). Default true.
   */
  learnDurations?: boolean;
  /** Told when a 429 lowered the rate in use, and when it is back at the cap. */
  onRateChange?: (allowedPerSecond: number, capPerSecond: number) => void;
  /** First look-again after an aimed poll found the command still running. Default 50 ms. */
  nearIntervalMs?: number;
  now?: () => number;
}

export type WaitOutcome =
  | { kind: 'reached'; status: CommandStatus; effective: string }
  | { kind: 'deadline'; last?: CommandStatus; lastError?: UtmosError }
  | { kind: 'error'; error: UtmosError; last?: CommandStatus }
  | { kind: 'cancelled'; last?: CommandStatus };

export interface WaitRequest {
  commandId: string;
  /** 'terminal' or a status name such as 'DELIVERED'. */
  until: string;
  /** Local deadline, ms from now. */
  deadlineMs: number;
  /** A status already known (e.g. ACCEPTED from the create), so that no poll is spent learning it. */
  known?: CommandStatus;
  /** What kind of command this is (e.g. the DJI method), for learned poll timing. */
  kind?: string;
  /** Told each time a poll finds the command in another status than before (e.g. ACCEPTED -> DELIVERED). */
  onStatus?: (status: CommandStatus, effective: string) => void;
}

export interface WaitHandle {
  readonly promise: Promise<WaitOutcome>;
  cancel(): void;
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

const MAX_TIMER_MS = 60_000; // re-arm long waits in steps, far below Node's 2^31-1 ms limit
const RECENT_HINTS_MAX = 10_000;
const RECENT_HINT_TTL_MS = 60_000;
const DURATION_SAMPLES = 16;
/** Hinted polls sort before every timed one (a due time this far in the past), in hint order. */
const URGENT_BIAS_MS = 1e9;
/** While events are connected, the safety net may use at most this share of the request cap on average. */
const SAFETY_NET_SHARE = 0.5;
/**
 * Extra spacing of the per-second window. A send is stamped just before the request is built; a GC
 * pause or descheduling between the stamp and the socket write (measured up to ~4 ms under the
 * 10,000-in-flight benchmark) would otherwise let an observer see cap+1 requests within one second.
 */
const SEND_MARGIN_MS = 10;
const KINDS_MAX = 256;
/**
 * Status queries per second per config node. The platform documents no limit; a 429 lowers the rate
 * actually used (see adaptRate), so the default can serve a busy fleet (50 docks finishing a command a
 * second need ~50 confirming queries a second) without being a hazard.
 */
export const DEFAULT_MAX_REQUESTS_PER_SECOND = 100;
/** Queries in flight at once: enough for the default rate at ~150 ms round trips to a remote platform. */
export const DEFAULT_MAX_CONCURRENT = 16;

/** Platform-side duration of a finished command (both stamps from the platform's clock), or undefined. */
function platformDurationMs(status: CommandStatus): number | undefined {
  const s = status as { accepted_at?: unknown; completed_at?: unknown };
  if (typeof s.accepted_at !== 'string' || typeof s.completed_at !== 'string') return undefined;
  const d = Date.parse(s.completed_at) - Date.parse(s.accepted_at);
  return Number.isFinite(d) && d >= 0 ? d : undefined;
}

/**
 * The outcome as one waiter's own: several nodes may wait for the same command, and each must be
 * free to change what it got (a node prefixes the error message, a flow edits msg.payload) without
 * changing what the others got.
 */
function ownCopy(outcome: WaitOutcome): WaitOutcome {
  const last = outcome.kind === 'reached' ? undefined : outcome.last && structuredClone(outcome.last);
  switch (outcome.kind) {
    case 'reached':
      return { ...outcome, status: structuredClone(outcome.status) };
    case 'error':
      return { ...outcome, error: outcome.error.withMessage(), last };
    case 'deadline':
      return { ...outcome, lastError: outcome.lastError?.withMessage(), last };
    case 'cancelled':
      return { ...outcome, last };
  }
}

export class StatusTracker {
  private readonly source: StatusSource;
  private readonly rate: number;
  private readonly maxConcurrent: number;
  private readonly firstPollMs: number;
  private readonly minIntervalMs: number;
  private readonly maxIntervalMs: number;
  private readonly backoffFactor: number;
  private readonly eventFirstPollMs: number;
  private readonly eventMaxIntervalMs: number;
  private readonly now: () => number;
  private readonly rateNow: () => number;

  private readonly entries = new Map<string, Entry>();
  private readonly polls = new MinHeap<HeapSlot>((s) => s.due);
  private readonly deadlines = new MinHeap<Waiter>((w) => w.deadline);
  /** Hints that arrived before their command was tracked (the event can beat the create response). */
  private readonly recentHints = new Map<string, { at: number; claimed?: string }>();
  /** Recent successful durations per command kind (a small ring each), for aiming first polls. */
  private readonly durations = new Map<string, { samples: number[]; next: number }>();
  private readonly learnDurations: boolean;
  private readonly nearIntervalMs: number;
  private readonly onRateChange?: (allowedPerSecond: number, capPerSecond: number) => void;
  /** Send times of the last `rate` polls (a ring): the next may go when the one `allowedRate` back is 1 s old. */
  private readonly sendTimes: number[];
  private sendIndex = 0;
  /** The rate allowed now (<= rate): halved by 429s, regained gradually. */
  private allowedRate: number;
  private successesSinceChange = 0;
  /** rateNow() of the last decrease: a 429 to a poll sent before it belongs to the same burst. */
  private lastDecreaseAt = -Infinity;
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private pausedUntil = 0;
  private eventDriven = false;
  private closed = false;
  private readonly abort = unlimitedAbortController();

  /** Counters for status badges, tests and benchmarks. */
  readonly stats = { polls: 0, pollErrors: 0, hints: 0, hintsIgnored: 0, peakPerSecond: 0, aimedPolls: 0, rateLimited: 0 };
  private windowStart = 0;
  private windowCount = 0;

  constructor(options: TrackerOptions) {
    this.source = options.source;
    this.rate = Math.max(1, Math.floor(options.maxRequestsPerSecond ?? DEFAULT_MAX_REQUESTS_PER_SECOND));
    this.allowedRate = this.rate;
    this.maxConcurrent = Math.max(1, options.maxConcurrent ?? DEFAULT_MAX_CONCURRENT);
    this.firstPollMs = options.firstPollMs ?? 300;
    this.minIntervalMs = options.minIntervalMs ?? 300;
    this.maxIntervalMs = options.maxIntervalMs ?? 5_000;
    this.backoffFactor = options.backoffFactor ?? 1.5;
    this.eventFirstPollMs = options.eventFirstPollMs ?? 5_000;
    this.eventMaxIntervalMs = options.eventMaxIntervalMs ?? 15_000;
    this.learnDurations = options.learnDurations ?? true;
    this.nearIntervalMs = options.nearIntervalMs ?? 50;
    this.onRateChange = options.onRateChange;
    this.now = options.now ?? Date.now;
    this.rateNow = options.now ?? (() => performance.now());
    this.sendTimes = new Array<number>(Math.floor(this.rate)).fill(-Infinity);
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
    return this.rate;
  }

  /** The rate allowed at the moment: the cap, or less after the platform answered 429. */
  get allowedRequestsPerSecond(): number {
    return this.allowedRate;
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
      const soon = this.now() + this.firstPollMs;
      for (const entry of this.entries.values()) {
        entry.interval = this.minIntervalMs;
        if (entry.due > soon) this.schedule(entry, soon);
      }
      this.arm();
    } else if (connected && !was) {
      for (const entry of this.entries.values()) this.schedule(entry, this.now());
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
    const now = this.now();
    let entry = this.entries.get(request.commandId);
    if (!entry) {
      entry = {
        commandId: request.commandId,
        waiters: new Set(),
        due: Infinity,
        interval: this.minIntervalMs,
        inFlight: false,
        hinted: false,
        kind: request.kind,
      };
      this.entries.set(request.commandId, entry);
      if (request.known) this.record(entry, request.known);
      const early = this.recentHints.get(request.commandId);
      if (early !== undefined) this.recentHints.delete(request.commandId);
      // An early event only matters if what it claims could end this wait (not e.g. command.accepted).
      const hinted = early !== undefined && (!early.claimed || hasReached(early.claimed, request.until));
      if (early !== undefined && !hinted) this.stats.hintsIgnored++;
      let first = now + (this.eventDriven ? this.safetyNetDelay(this.eventFirstPollMs) : this.firstPollMs);
      if (hinted) first = now - URGENT_BIAS_MS;
      else if (!this.eventDriven && request.until === 'terminal') {
        const aim = this.expectedDurationMs(request.kind);
        if (aim !== undefined && aim > this.firstPollMs) {
          first = now + aim;
          entry.interval = Math.min(this.minIntervalMs, this.nearIntervalMs);
          this.stats.aimedPolls++;
        }
      }
      this.schedule(entry, first);
    }
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
      if (this.recentHints.size >= RECENT_HINTS_MAX) this.pruneRecentHints(true);
      this.recentHints.set(commandId, { at: this.now(), claimed: claimedStatus });
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
    this.schedule(entry, this.now() - URGENT_BIAS_MS);
    // Send now if the caps allow: a timer would add a turn of a busy event loop to the latency.
    this.sendDuePolls(this.now());
    this.arm();
  }

  /**
   * The safety net's next delay: at least `base`, and long enough that polling every tracked command
   * once per delay stays within SAFETY_NET_SHARE of the request cap, so that with 10,000 commands in
   * flight the confirming queries after events never queue behind safety-net polls for long.
   */
  private safetyNetDelay(base: number): number {
    return Math.max(base, Math.ceil((this.entries.size / (this.allowedRate * SAFETY_NET_SHARE)) * 1000));
  }

  /** Ends every wait (as cancelled) and stops the scheduler. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.abort.abort();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const entry of [...this.entries.values()]) {
      for (const waiter of [...entry.waiters]) this.finish(waiter, { kind: 'cancelled', last: entry.last });
    }
    this.entries.clear();
    this.polls.clear();
    this.deadlines.clear();
    this.recentHints.clear();
  }

  private schedule(entry: Entry, due: number): void {
    if (entry.inFlight) return;
    if (due >= entry.due) return;
    entry.due = due;
    this.polls.push({ entry, due });
  }

  /**
   * When to aim the first poll of a terminal wait of this kind: from the recent successful durations,
   * their 90th percentile when they agree (spread within max(100 ms, 20 %)), so that one poll usually
   * suffices; their 10th percentile when they vary, so that a fast one is not found late. Undefined
   * when nothing is known or the aim would exceed maxIntervalMs (the plain schedule is as good then).
   */
  private expectedDurationMs(kind: string | undefined): number | undefined {
    if (!this.learnDurations || !kind) return undefined;
    const ring = this.durations.get(kind);
    if (!ring || ring.samples.length === 0) return undefined;
    const sorted = [...ring.samples].sort((a, b) => a - b);
    const low = sorted[Math.floor(0.1 * (sorted.length - 1))];
    const high = sorted[Math.ceil(0.9 * (sorted.length - 1))];
    const agree = sorted.length >= 4 && high - low <= Math.max(100, 0.2 * low);
    const aim = agree ? high : low;
    return aim <= this.maxIntervalMs ? aim : undefined;
  }

  private learn(entry: Entry, status: CommandStatus, effective: string): void {
    if (!this.learnDurations || !entry.kind || effective !== SUCCESS_STATUS) return;
    const d = platformDurationMs(status);
    if (d === undefined) return;
    let ring = this.durations.get(entry.kind);
    if (!ring) {
      if (this.durations.size >= KINDS_MAX) this.durations.delete(this.durations.keys().next().value as string);
      ring = { samples: [], next: 0 };
      this.durations.set(entry.kind, ring);
    }
    ring.samples[ring.next] = d;
    ring.next = (ring.next + 1) % DURATION_SAMPLES;
  }

  private record(entry: Entry, status: CommandStatus): void {
    const effective = effectiveStatus(status);
    // Moving: look again soon (but an aimed first poll keeps its shorter look-again).
    if (effective !== entry.lastEffective) entry.interval = Math.min(entry.interval, this.minIntervalMs);
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

  /**
   * How long until the next poll may be sent under the per-second cap (0 = now). The send ring runs
   * on a monotonic sub-millisecond clock (unless a test injects `now`): Date.now() is whole
   * milliseconds and may be slewed, so two readings 1000 apart can be less than a second apart.
   */
  private nextSendDelay(): number {
    // The send `allowedRate` sends ago must be a second old (the ring holds the last `rate` sends).
    const ring = this.sendTimes.length;
    const oldest = this.sendTimes[(this.sendIndex + ring - this.allowedRate) % ring];
    return Math.max(0, oldest + 1000 + SEND_MARGIN_MS - this.rateNow());
  }

  /** AIMD on the allowed rate: halve on a new burst of 429s, add a tenth of the cap per second's worth of successes. */
  private adaptRate(rateLimited: boolean, sentAt: number): void {
    if (rateLimited) {
      this.stats.rateLimited++;
      if (sentAt < this.lastDecreaseAt) return;
      this.allowedRate = Math.max(1, Math.floor(this.allowedRate / 2));
      this.lastDecreaseAt = this.rateNow();
      this.successesSinceChange = 0;
      this.onRateChange?.(this.allowedRate, this.rate);
      return;
    }
    if (this.allowedRate >= this.rate) return;
    if (++this.successesSinceChange < this.allowedRate) return;
    this.allowedRate = Math.min(this.rate, this.allowedRate + Math.max(1, Math.ceil(this.rate / 10)));
    this.successesSinceChange = 0;
    if (this.allowedRate === this.rate) this.onRateChange?.(this.allowedRate, this.rate);
  }

  private takeSendSlot(): number {
    const at = this.rateNow();
    this.sendTimes[this.sendIndex] = at;
    this.sendIndex = (this.sendIndex + 1) % this.sendTimes.length;
    return at;
  }

  private arm(): void {
    if (this.closed) return;
    const now = this.now();
    let at = Infinity;
    const nextPoll = this.nextLivePoll();
    if (nextPoll) {
      let pollAt = Math.max(nextPoll.due, this.pausedUntil);
      if (this.inFlight >= this.maxConcurrent) pollAt = Infinity; // a completing poll re-arms
      else pollAt = Math.max(pollAt, now + this.nextSendDelay());
      at = Math.min(at, pollAt);
    }
    const nextDeadline = this.nextLiveDeadline();
    if (nextDeadline) at = Math.min(at, nextDeadline.deadline);
    if (at === Infinity) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      this.timerAt = Infinity;
      return;
    }
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, Math.ceil(at - now)));
    this.timerAt = now + delay;
    this.timer = setTimeout(() => this.tick(), delay);
  }

  private nextLivePoll(): HeapSlot | undefined {
    for (;;) {
      const top = this.polls.peek();
      if (!top) return undefined;
      if (top.entry.due === top.due && !top.entry.inFlight && this.entries.get(top.entry.commandId) === top.entry) return top;
      this.polls.pop();
    }
  }

  private nextLiveDeadline(): Waiter | undefined {
    for (;;) {
      const top = this.deadlines.peek();
      if (!top) return undefined;
      if (!top.done) return top;
      this.deadlines.pop();
    }
  }

  private tick(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    if (this.closed) return;
    const now = this.now();
    // Local deadlines first: no wait is left hanging, whatever the platform does.
    for (let w = this.nextLiveDeadline(); w && w.deadline <= now; w = this.nextLiveDeadline()) {
      this.deadlines.pop();
      this.finish(w, { kind: 'deadline', last: w.entry.last, lastError: w.entry.lastError });
    }
    this.sendDuePolls(now);
    this.pruneRecentHints(false);
    this.arm();
  }

  /** Starts every poll that is due, as far as the pause, the concurrency cap and the rate allow. */
  private sendDuePolls(now: number): void {
    if (now < this.pausedUntil) return;
    for (let slot = this.nextLivePoll(); slot && slot.due <= now; slot = this.nextLivePoll()) {
      // Each send is stamped with a fresh reading right before it goes out: a stamp older than the
      // real send (the tick's start, if the process was descheduled mid-tick) would let a later send
      // into a window that in truth already holds `rate` requests.
      if (this.inFlight >= this.maxConcurrent || this.nextSendDelay() > 0) break;
      this.polls.pop();
      this.startPoll(slot.entry, now, this.takeSendSlot());
    }
  }

  private countRequest(now: number): void {
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.windowCount = 0;
    }
    this.windowCount++;
    if (this.windowCount > this.stats.peakPerSecond) this.stats.peakPerSecond = this.windowCount;
  }

  private startPoll(entry: Entry, now: number, sentAt: number): void {
    entry.inFlight = true;
    entry.due = Infinity;
    entry.hinted = false;
    this.inFlight++;
    this.stats.polls++;
    this.countRequest(now);
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
    const now = this.now();
    if (status) {
      this.adaptRate(false, sentAt);
      entry.lastError = undefined;
      const before = entry.lastEffective;
      this.record(entry, status);
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
      if (isTerminalStatus(effective)) this.learn(entry, status, effective);
      for (const waiter of [...entry.waiters]) {
        if (hasReached(effective, waiter.until)) this.finish(waiter, { kind: 'reached', status, effective });
      }
      if (isTerminalStatus(effective)) {
        // Nothing more will change; any waiter left would be a bug, end it rather than poll forever.
        for (const waiter of [...entry.waiters]) this.finish(waiter, { kind: 'reached', status, effective });
      }
    } else {
      this.stats.pollErrors++;
      const err = error instanceof UtmosError ? error : new UtmosError(String((error as Error)?.message ?? error), { code: 'UNKNOWN' });
      entry.lastError = err;
      if (err.code === 'ABORTED') return;
      if (err instanceof UtmosRateLimitError) {
        this.pausedUntil = Math.max(this.pausedUntil, now + (err.retryAfterMs ?? 1000));
        this.adaptRate(true, sentAt);
      }
      // Errors that no retry can fix end the waits on this command.
      const fatal = err.httpStatus !== undefined && err.httpStatus >= 400 && err.httpStatus < 500 && err.httpStatus !== 429 && err.httpStatus !== 408;
      if (fatal || err.code === 'INVALID_INPUT') {
        for (const waiter of [...entry.waiters]) this.finish(waiter, { kind: 'error', error: err, last: entry.last });
      }
    }
    if (entry.waiters.size > 0) {
      const interval = entry.interval;
      const cap = this.eventDriven ? this.eventMaxIntervalMs : this.maxIntervalMs;
      entry.interval = Math.min(cap, Math.round(interval * this.backoffFactor));
      const next = this.eventDriven ? this.safetyNetDelay(interval) : interval;
      this.schedule(entry, entry.hinted ? now - URGENT_BIAS_MS : now + next);
      entry.hinted = false;
    }
    // A freed slot goes to the next due poll at once (e.g. a confirmation queued behind the cap).
    this.sendDuePolls(now);
    this.arm();
  }

  private pruneRecentHints(force: boolean): void {
    if (this.recentHints.size === 0) return;
    const cutoff = this.now() - RECENT_HINT_TTL_MS;
    for (const [id, { at }] of this.recentHints) {
      if (at >= cutoff && !force) break; // insertion order = time order
      this.recentHints.delete(id);
      if (force && this.recentHints.size < RECENT_HINTS_MAX / 2) break;
    }
  }
}
