/**
 * Whether the event stream can be trusted to announce results, from what can be observed: the
 * platform documents no heartbeat (and the MQTT keepalive only proves the connection, not that the
 * broker forwards anything), so a stream is healthy while it is connected and shows no evidence of
 * silence.
 *
 * Evidence of silence is an announcement that should have come and did not, while nothing else
 * came either:
 * - the `command.accepted` of a command we just created (once this connection has seen accepted
 *   events at all: a subscription without them proves nothing by their absence);
 * - the `command.completed` of a command a poll found finished, when the command was last seen
 *   unfinished while the stream was healthy (so its event was due, and would have come).
 * An announcement gets a grace period (the event may trail the poll or the create response). The
 * platform publishes events best-effort, so one missing event while others arrive is a lost event,
 * not a silent stream. Any event ends a silence.
 */
import type { Clock } from './clock';

export type EventHealth = 'off' | 'healthy' | 'silent';

/** How long an announcement may trail what it announces. */
export const ANNOUNCEMENT_GRACE_MS = 10_000;
/** Expectations kept at most; the oldest are dropped first (they only ever add evidence). */
const EXPECTATIONS_MAX = 10_000;

interface Expectation {
  since: number;
  due: number;
}

export class StreamHealth {
  private state: EventHealth = 'off';
  /** When the stream last turned healthy (connected, or a silence ended), Infinity while it is not. */
  private healthySince = Infinity;
  private lastEventAt = -Infinity;
  private acceptedSeen = false;
  /** Command id -> the announcement awaited; insertion order is due order (one grace for all). */
  private readonly expected = new Map<string, Expectation>();

  constructor(
    private readonly clock: Clock,
    private readonly onChange: (health: EventHealth, before: EventHealth) => void,
  ) {}

  get health(): EventHealth {
    return this.state;
  }

  /** Announcements awaited. */
  get expecting(): number {
    return this.expected.size;
  }

  connected(up: boolean): void {
    this.expected.clear();
    this.set(up ? 'healthy' : 'off');
  }

  /** An event arrived (naming `commandId`, claiming `claimed`, when it does). */
  traffic(commandId?: string, claimed?: string): void {
    if (this.state === 'off') return;
    this.lastEventAt = this.clock.now();
    if (claimed === 'ACCEPTED') this.acceptedSeen = true;
    if (commandId) this.expected.delete(commandId);
    if (this.state === 'silent') this.set('healthy');
  }

  /** A command was just created: its acceptance should be announced (if this stream announces those). */
  expectAccepted(commandId: string): void {
    if (this.acceptedSeen) this.expect(commandId);
  }

  /**
   * A poll found a command finished that was last seen unfinished at `unfinishedAt`: if the stream
   * was healthy since then, its completion should be announced.
   */
  expectCompleted(commandId: string, unfinishedAt: number): void {
    if (this.state === 'healthy' && unfinishedAt >= this.healthySince) this.expect(commandId);
  }

  /** The next time an expectation falls due, or Infinity. */
  nextDue(): number {
    for (const first of this.expected.values()) return first.due;
    return Infinity;
  }

  /** Settles the expectations due by now; true when one of them is evidence of silence. */
  check(): boolean {
    const now = this.clock.now();
    let silent = false;
    for (const [id, e] of this.expected) {
      if (e.due > now) break;
      this.expected.delete(id);
      if (this.lastEventAt < e.since) silent = true;
    }
    if (silent && this.state === 'healthy') this.set('silent');
    return silent;
  }

  private expect(commandId: string): void {
    if (this.state === 'off') return;
    if (this.expected.size >= EXPECTATIONS_MAX) {
      const oldest = this.expected.keys().next();
      if (!oldest.done) this.expected.delete(oldest.value);
    }
    const now = this.clock.now();
    this.expected.delete(commandId);
    this.expected.set(commandId, { since: now, due: now + ANNOUNCEMENT_GRACE_MS });
  }

  private set(health: EventHealth): void {
    const before = this.state;
    if (before === health) return;
    this.state = health;
    this.healthySince = health === 'healthy' ? this.clock.now() : Infinity;
    this.onChange(health, before);
  }
}
