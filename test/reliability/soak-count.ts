/**
 * The soak's books: what each input message ended in, and what the platform holds for it. See
 * soak-lib.ts for what counts as lost, a duplicate, or a command recreated after the restart.
 */
import type { Simulator } from '../helpers/simulator';

export interface Outcome {
  outputs: number;
  errors: number;
  key?: string;
  status?: string;
  code?: string;
}

export interface MessageCounts {
  outputs: number;
  errors: number;
  lost: number;
  multiple: number;
  errorsByCode: Record<string, number>;
  outputsByStatus: Record<string, number>;
  /** Idempotency key -> the message that used it. */
  keyOwners: Map<string, number>;
}

export function countMessages(outcomes: Map<number, Outcome>, total: number): MessageCounts {
  const counts: MessageCounts = { outputs: 0, errors: 0, lost: 0, multiple: 0, errorsByCode: {}, outputsByStatus: {}, keyOwners: new Map() };
  for (let i = 0; i < total; i++) {
    const o = outcomes.get(i);
    if (!o || o.outputs + o.errors === 0) {
      counts.lost++;
      continue;
    }
    counts.outputs += o.outputs;
    counts.errors += o.errors;
    if (o.outputs + o.errors > 1) counts.multiple++;
    if (o.errors) counts.errorsByCode[o.code ?? 'UNKNOWN'] = (counts.errorsByCode[o.code ?? 'UNKNOWN'] ?? 0) + 1;
    if (o.outputs) counts.outputsByStatus[o.status ?? '?'] = (counts.outputsByStatus[o.status ?? '?'] ?? 0) + 1;
    if (o.key) counts.keyOwners.set(o.key, i);
  }
  return counts;
}

export interface PlatformCounts {
  platformCommands: number;
  duplicates: number;
  orphans: number;
  recreatedAfterRestart: number;
  duplicateKeys: string[];
}

interface Made {
  instance: number;
  text: string;
  acceptedMs: number;
}

/**
 * Commands per idempotency key across every simulator instance of the run. Keys in `ignore` (the
 * probes sent after the run) are left out.
 */
export function countPlatformCommands(instances: Simulator[], keyOwners: Map<string, number>, restartIso: string | undefined, ignore: Set<string>): PlatformCounts {
  const commandsByKey = new Map<string, Made[]>();
  let platformCommands = 0;
  instances.forEach((instance, n) => {
    for (const c of instance.control.listCommands()) {
      const key = String(c.idempotency_key);
      if (ignore.has(key)) continue;
      platformCommands++;
      const made = { instance: n, acceptedMs: Date.parse(String(c.accepted_at)), text: `instance ${n} command ${String(c.command_id)} ${String(c.status)} accepted ${String(c.accepted_at)}` };
      commandsByKey.set(key, [...(commandsByKey.get(key) ?? []), made]);
    }
  });
  const counts: PlatformCounts = { platformCommands, duplicates: 0, orphans: 0, recreatedAfterRestart: 0, duplicateKeys: [] };
  const restartMs = restartIso ? Date.parse(restartIso) : NaN;
  for (const [key, list] of commandsByKey) {
    const describeKey = () => `key ${key}: ${list.map((m) => m.text).join('; ')}`;
    if (!keyOwners.has(key)) {
      counts.orphans += list.length;
      counts.duplicateKeys.push(`orphan ${describeKey()}`);
      continue;
    }
    if (list.length === 1) continue;
    const perInstance = new Set(list.map((m) => m.instance));
    // The restarted simulator forgot every idempotency key (its state is in memory). A create the
    // old instance accepted just before the restart, whose response was lost, is retried with the
    // same key and accepted again by the new instance: that is the platform's amnesia, counted
    // apart. Anything else (two commands in one instance, or a second create long after) is a duplicate.
    const amnesia =
      perInstance.size === list.length &&
      list.length === 2 &&
      list.every((m) => m.instance !== 0 || (Number.isFinite(restartMs) && restartMs - m.acceptedMs < 5_000 && restartMs >= m.acceptedMs));
    if (amnesia) counts.recreatedAfterRestart++;
    else counts.duplicates++;
    counts.duplicateKeys.push(`${amnesia ? 'recreated after restart' : 'DUPLICATE'} message ${keyOwners.get(key)} ${describeKey()}`);
  }
  return counts;
}

/** Faults the simulators injected and nonces they saw twice, over every instance. */
export function simulatorCounts(instances: Simulator[]): { injectedHttpFaults: number; nonceReplayed: number } {
  let injectedHttpFaults = 0;
  let nonceReplayed = 0;
  for (const instance of instances) {
    const c = instance.control.counters();
    injectedHttpFaults += c.faults_injected;
    nonceReplayed += c.auth_failures.NONCE_REPLAYED ?? 0;
  }
  return { injectedHttpFaults, nonceReplayed };
}
