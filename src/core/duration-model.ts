/**
 * The learned poll plan: how long commands of one kind (the DJI method) recently took on the
 * platform (accepted_at -> completed_at, both stamps from the platform's clock), so that the polls
 * of a wait until a terminal status are aimed at when the command can have finished, instead of a
 * fixed schedule that spends several polls on a command still running.
 */
import type { CommandStatus } from './schemas';

/** Successful durations kept per kind (a ring). */
const SAMPLES = 16;
/** Kinds remembered at most; the oldest kind is forgotten first. */
const KINDS_MAX = 256;

/** Platform-side duration of a finished command (both stamps from the platform's clock), or undefined. */
export function platformDurationMs(status: CommandStatus): number | undefined {
  if (typeof status.accepted_at !== 'string' || typeof status.completed_at !== 'string') return undefined;
  const d = Date.parse(status.completed_at) - Date.parse(status.accepted_at);
  return Number.isFinite(d) && d >= 0 ? d : undefined;
}

export class DurationModel {
  private readonly rings = new Map<string, { samples: number[]; next: number }>();

  /** Remembers how long a command of this kind took, when it succeeded and the platform says so. */
  learn(kind: string | undefined, status: CommandStatus): void {
    if (!kind) return;
    const d = platformDurationMs(status);
    if (d === undefined) return;
    let ring = this.rings.get(kind);
    if (!ring) {
      const oldest = this.rings.keys().next();
      if (this.rings.size >= KINDS_MAX && !oldest.done) this.rings.delete(oldest.value);
      ring = { samples: [], next: 0 };
      this.rings.set(kind, ring);
    }
    ring.samples[ring.next] = d;
    ring.next = (ring.next + 1) % SAMPLES;
  }

  /**
   * When to poll a terminal wait of this kind, from the recent durations (ms after tracking starts):
   * - durations that agree (at least four, spread within max(100 ms, 20 %)): their 90th percentile,
   *   so that one poll usually suffices;
   * - durations that vary (at least four): their 75th percentile, then the longest seen. Two polls
   *   find three quarters of the commands with the first, and a late one with the second: fewer
   *   calls than polling every second, and detection on average within a quarter of the spread;
   * - fewer than four: the shortest seen, so that a fast one is not found late.
   * Undefined when nothing is known or an aim would exceed `maxMs` (the plain schedule is as good then).
   */
  plan(kind: string | undefined, maxMs: number): number[] | undefined {
    const samples = kind ? this.rings.get(kind)?.samples : undefined;
    if (!samples || samples.length === 0) return undefined;
    const sorted = [...samples].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.ceil(q * (sorted.length - 1))];
    const low = sorted[Math.floor(0.1 * (sorted.length - 1))];
    const high = at(0.9);
    let aims: number[];
    if (sorted.length < 4) aims = [sorted[0]];
    else if (high - low <= Math.max(100, 0.2 * low)) aims = [high];
    else aims = [at(0.75), sorted[sorted.length - 1]];
    return aims[aims.length - 1] <= maxMs ? aims : undefined;
  }
}
