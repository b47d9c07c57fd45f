/**
 * Event hints that arrive before their command is tracked: the event can beat the create
 * response. They are kept briefly (a minute) and in bounded number, then forgotten.
 */
import type { Clock } from './clock';

const MAX = 10_000;
const TTL_MS = 60_000;

export interface EarlyHint {
  /** The status the event claimed, if any. */
  claimed?: string;
}

export class EarlyHints {
  private readonly hints = new Map<string, { at: number; claimed?: string }>();

  constructor(private readonly clock: Clock) {}

  get size(): number {
    return this.hints.size;
  }

  remember(commandId: string, claimed: string | undefined): void {
    if (this.hints.size >= MAX) this.prune(true);
    this.hints.set(commandId, { at: this.clock.now(), claimed });
  }

  /** The hint for this command, if one came less than a minute ago; it is forgotten once taken. */
  take(commandId: string): EarlyHint | undefined {
    const hint = this.hints.get(commandId);
    if (hint === undefined) return undefined;
    this.hints.delete(commandId);
    return hint.at >= this.clock.now() - TTL_MS ? { claimed: hint.claimed } : undefined;
  }

  /** Forgets expired hints; with `force`, also the oldest until half the room is free. */
  prune(force = false): void {
    if (this.hints.size === 0) return;
    const cutoff = this.clock.now() - TTL_MS;
    for (const [id, { at }] of this.hints) {
      if (at >= cutoff && !force) break; // insertion order = time order
      this.hints.delete(id);
      if (force && this.hints.size < MAX / 2) break;
    }
  }

  clear(): void {
    this.hints.clear();
  }
}
