/**
 * Shared pieces of the reliability, fuzz and security runs: a seeded PRNG (failures reproduce from
 * the printed seed) and a secret scanner over everything a run captured.
 */
import { inspect } from 'node:util';
import { helper } from '../helpers/harness';

/** mulberry32: small, fast, deterministic. */
export function prng(seed: number): { next(): number; int(min: number, max: number): number; pick<T>(items: readonly T[]): T; chance(p: number): boolean } {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => {
      if (items.length === 0) throw new Error('pick: nothing to pick from');
      return items[Math.floor(next() * items.length)] as (typeof items)[number]; // next() < 1, so the index is in range
    },
    chance: (p) => next() < p,
  };
}

/** Text of anything captured (messages, errors, log events, status objects), for secret scans. */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return inspect(value, { depth: 8, maxStringLength: 2_000_000, maxArrayLength: 10_000, breakLength: Infinity, getters: false });
  } catch {
    return String(value);
  }
}

/**
 * Accumulates what a Node-RED run produced: every runtime log event (the helper's log spy), every
 * status/error/warn/log/send call of every node (the helper's Node.prototype spies) and anything
 * else handed to add(). Scans incrementally so large runs need not keep it all.
 */
export class SecretScanner {
  readonly hits: string[] = [];
  scanned = 0;
  constructor(private readonly secrets: string[]) {
    for (const s of secrets) if (!s || s.length < 8) throw new Error('secrets to scan for must be at least 8 characters');
  }

  add(where: string, value: unknown): void {
    const text = textOf(value);
    this.scanned += text.length;
    for (const s of this.secrets) {
      if (text.includes(s)) this.hits.push(`${where}: ${text.slice(Math.max(0, text.indexOf(s) - 80), text.indexOf(s)).replace(/\s+/g, ' ')}…`);
    }
  }

  /** Scans and then forgets the helper's recorded calls (log spy and Node.prototype spies). */
  drainHelperSpies(): void {
    const h = helper as unknown as { _logSpy?: any; _NodePrototype?: any };
    const log = h._logSpy;
    if (log?.args) {
      for (const args of log.args) this.add('runtime log', args);
      log.resetHistory?.();
    }
    const proto = h._NodePrototype;
    for (const method of ['status', 'error', 'warn', 'log', 'debug', 'trace', 'send']) {
      const spy = proto?.[method];
      if (!spy?.args) continue;
      for (const args of spy.args) this.add(`node.${method}`, args);
      spy.resetHistory?.();
    }
  }
}
