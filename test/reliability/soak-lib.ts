/**
 * The fault soak: many commands through dji-command nodes in a real Node-RED runtime
 * (node-red-node-test-helper) against the real simulator, while faults are injected at random
 * through the simulator's /__sim/ controls. Used by `npm run soak` (1,000 commands) and by
 * test/reliability/soak.test.ts (a shorter run).
 *
 * Counting, per input message (msg.soak_i):
 * - outputs: messages on output 1 or 2 (SUCCEEDED / any other terminal status);
 * - errors: messages at the Catch node scoped to the command nodes;
 * - lost: messages with neither once every command is terminal and the bounded wait is over
 *   (timeout_seconds + the node's 30 s result grace + 20 s for retries);
 * - duplicates_at_platform: messages for which the platform holds more than one command, plus
 *   commands whose idempotency key belongs to no message (a key the node invented twice). One
 *   exception, counted apart as recreated_after_restart: the restarted simulator forgot every
 *   idempotency key, so a create it accepted in the last seconds before the restart whose response
 *   was lost is accepted again by the new instance when the client retries with the same key. A
 *   real platform keeps its keys; the node did the right thing (same key). Two commands in one
 *   instance, or a re-create not explained by the restart, are duplicates. Keys are known: half the messages carry their own
 *   key, the other half use the node's automatic key, which the node writes to msg.idempotency_key.
 *
 * The simulator restart: its state is in memory, so commands in flight at the restart are lost at
 * the platform. "Nothing lost" then means: each such message still ends in exactly one output or
 * one catchable error (a status poll answers 404 COMMAND_NOT_FOUND, or the create fails with
 * connection refused after its retries); nothing hangs, nothing is emitted twice.
 */
import { randomBytes } from 'node:crypto';
import { startSimulator, Simulator } from '../../sim';
import { ALL_NODES, flowWith, helper, sleep } from '../helpers/harness';
import { SecretScanner, prng } from './capture';

export interface SoakOptions {
  commands?: number;
  docks?: number;
  seed?: number;
  /** Messages waiting for their outcome at once. */
  concurrency?: number;
  /** Restart the simulator once, after this fraction of the messages was sent (default 0.5). */
  restartAt?: number;
  log?: (line: string) => void;
}

export interface SoakSummary {
  commands: number;
  outputs: number;
  errors: number;
  duplicates_at_platform: number;
  lost: number;
  faults_injected: number;
}

export interface SoakDetails {
  seed: number;
  seconds: number;
  multiple_outcomes: number;
  orphan_commands: number;
  platform_commands: number;
  platform_instances: number;
  faults_by_kind: Record<string, number>;
  sim_injected_http_faults: number;
  nonce_replayed: number;
  errors_by_code: Record<string, number>;
  outputs_by_status: Record<string, number>;
  secret_hits: string[];
  scanned_chars: number;
  stray_errors: number;
  duplicate_keys: string[];
  /** Creates accepted by the old instance just before its restart and again, same key, by the new one. */
  recreated_after_restart: number;
  restart_at_iso?: string;
}

const TIMEOUT_SECONDS = 3;
const RESULT_GRACE_SECONDS = 30;
const CREATE = 'POST /api/v1/open/downlink/commands';
const POLL = 'GET /api/v1/open/downlink/commands/';
const COMMAND_TYPES = ['debug_mode_open', 'debug_mode_close', 'return_home'] as const;

interface Outcome {
  outputs: number;
  errors: number;
  key?: string;
  status?: string;
  code?: string;
}

export async function runSoak(options: SoakOptions = {}): Promise<{ summary: SoakSummary; details: SoakDetails }> {
  const total = options.commands ?? 1000;
  const dockCount = options.docks ?? 20;
  const seed = options.seed ?? 20261122;
  const concurrency = options.concurrency ?? 40;
  const restartAt = Math.floor(total * (options.restartAt ?? 0.5));
  const log = options.log ?? (() => undefined);
  const rnd = prng(seed);
  const started = Date.now();

  const apiKey = randomBytes(32).toString('hex');
  const eventPassword = `evpw-${randomBytes(16).toString('hex')}`;
  const simOptions = {
    docks: dockCount,
    replyDelayMs: 20,
    apiId: 'soak-api-id',
    apiKey,
    mqttUsername: 'soak-events',
    mqttPassword: eventPassword,
  };
  let sim: Simulator = await startSimulator(simOptions);
  const ports = { port: Number(new URL(sim.http).port), mqttPort: Number(new URL(sim.mqtt).port) };
  const instances: Simulator[] = [sim];
  const scanner = new SecretScanner([apiKey, eventPassword]);

  const commandNode = (id: string, keyType: 'msg' | 'auto') => ({
    id,
    type: 'dji-command',
    server: 'c1',
    deviceId: 'dock',
    deviceIdType: 'msg',
    commandType: 'ctype',
    commandTypeType: 'msg',
    payload: '{}',
    payloadType: 'json',
    idempotencyKey: 'key',
    idempotencyKeyType: keyType,
    timeoutSeconds: TIMEOUT_SECONDS,
    waitForResult: true,
    wires: [['out1'], ['out2']],
  });
  const flow = flowWith({
    sim,
    config: { eventBrokerUrl: sim.mqtt, requestTimeout: 1, maxRequestsPerSecond: 100, maxConcurrentRequests: 16 },
    nodes: [
      commandNode('cmdKey', 'msg'),
      commandNode('cmdAuto', 'auto'),
      { id: 'out1', type: 'helper' },
      { id: 'out2', type: 'helper' },
      { id: 'k1', type: 'catch', scope: ['cmdKey', 'cmdAuto'], uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ],
  });
  const credentials = { c1: { apiId: sim.apiId, apiKey, eventUsername: 'soak-events', eventPassword } };

  await helper.startServer();
  const outcomes = new Map<number, Outcome>();
  let strayErrors = 0;
  let finishedCount = 0;
  const faultsByKind: Record<string, number> = {};
  const timers = new Set<NodeJS.Timeout>();
  let injecting = true;
  let restarting: Promise<void> | undefined;
  let restartIso: string | undefined;

  try {
    await helper.load(ALL_NODES, flow, credentials);
    const outcomeOf = (msg: any): Outcome | undefined => {
      const i = msg?.soak_i;
      if (typeof i !== 'number') return undefined;
      let o = outcomes.get(i);
      if (!o) {
        outcomes.set(i, (o = { outputs: 0, errors: 0 }));
        finishedCount++;
      }
      if (typeof msg.idempotency_key === 'string') o.key = msg.idempotency_key;
      return o;
    };
    for (const id of ['out1', 'out2']) {
      helper.getNode(id).on('input', (msg: any) => {
        const o = outcomeOf(msg);
        if (!o) return void strayErrors++;
        o.outputs++;
        o.status = msg.status;
        scanner.add(`message on ${id}`, msg);
      });
    }
    helper.getNode('caught').on('input', (msg: any) => {
      const o = outcomeOf(msg);
      if (!o) return void strayErrors++;
      o.errors++;
      o.code = msg.utmos_error?.code ?? 'UNKNOWN';
      scanner.add('caught error', msg);
    });

    // ---- fault injection through /__sim/
    const control = async (method: string, path: string, body?: unknown): Promise<boolean> => {
      try {
        const res = await fetch(`${sim.http}/__sim/${path}`, {
          method,
          headers: { 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        await res.text();
        return res.ok;
      } catch {
        return false; // the simulator is restarting
      }
    };
    const later = (ms: number, fn: () => Promise<unknown>) => {
      const t = setTimeout(() => {
        timers.delete(t);
        void fn();
      }, ms);
      timers.add(t);
    };
    const count = (kind: string) => {
      faultsByKind[kind] = (faultsByKind[kind] ?? 0) + 1;
    };
    const dockSn = () => `dock-${String(rnd.int(1, dockCount)).padStart(3, '0')}`;
    const matchOf = () => rnd.pick([CREATE, POLL, undefined]);
    const KINDS = ['5xx', '429', 'latency', 'drop_before', 'drop_after', 'dock_failure', 'dock_silent', 'dock_offline', 'broker_restart'] as const;
    let round: Array<(typeof KINDS)[number]> = [];
    const injectOne = async (): Promise<void> => {
      // Every kind once per round, in a shuffled order.
      if (round.length === 0) {
        round = [...KINDS];
        for (let j = round.length - 1; j > 0; j--) {
          const k = rnd.int(0, j);
          [round[j], round[k]] = [round[k], round[j]];
        }
      }
      const kind = round.pop()!;
      let ok = false;
      switch (kind) {
        case '5xx':
          ok = await control('POST', 'faults', { status: rnd.pick([500, 502, 503]), count: rnd.int(1, 3), match: matchOf() });
          break;
        case '429':
          ok = await control('POST', 'faults', { status: 429, count: rnd.int(1, 2), retry_after: 1, match: matchOf() });
          break;
        case 'latency':
          // Beyond the 1 s client timeout: the attempt is abandoned and retried.
          ok = await control('POST', 'latency', { ms: 1500, count: rnd.int(1, 2), match: matchOf() });
          break;
        case 'drop_before':
          ok = await control('POST', 'drop', { count: 1, phase: 'before', match: rnd.pick([CREATE, undefined]) });
          break;
        case 'drop_after':
          // The platform accepted the create, the response is lost: the retry must not create a second command.
          ok = await control('POST', 'drop', { count: 1, phase: 'after', match: CREATE });
          break;
        case 'dock_failure': {
          const sn = dockSn();
          ok = await control('POST', `docks/${sn}`, { failure_rate: 1, failure_code: 514300 });
          later(rnd.int(500, 2000), () => control('POST', `docks/${sn}`, { failure_rate: 0 }));
          break;
        }
        case 'dock_silent': {
          const sn = dockSn();
          ok = await control('POST', `docks/${sn}`, { silent: true });
          later(rnd.int(1000, 4000), () => control('POST', `docks/${sn}`, { silent: false }));
          break;
        }
        case 'dock_offline': {
          const sn = dockSn();
          ok = await control('POST', `docks/${sn}`, { online: false });
          later(rnd.int(500, 2500), () => control('POST', `docks/${sn}`, { online: true }));
          break;
        }
        case 'broker_restart':
          // The event stream (and the docks) lose the broker; the nodes fall back to polling.
          ok = await control('POST', 'broker/restart', { down_ms: rnd.int(200, 1500) });
          break;
      }
      if (ok) count(kind);
    };
    const injector = (async () => {
      while (injecting) {
        await sleep(rnd.int(30, 150));
        if (!injecting) break;
        if (restarting) await restarting;
        await injectOne();
      }
    })();

    const restartSimulator = async (): Promise<void> => {
      log(`soak: restarting the simulator after ${restartAt} messages`);
      const old = sim;
      restartIso = new Date().toISOString();
      await old.close();
      log(`soak: simulator closed at ${restartIso}`);
      sim = await startSimulator({ ...simOptions, ...ports });
      instances.push(sim);
      count('simulator_restart');
    };

    // ---- the messages
    const cmdKey = helper.getNode('cmdKey');
    const cmdAuto = helper.getNode('cmdAuto');
    for (let i = 0; i < total; i++) {
      if (i === restartAt) {
        restarting = restartSimulator();
        void restarting.finally(() => (restarting = undefined));
      }
      while (i - finishedCount >= concurrency) await sleep(10);
      const useKey = rnd.chance(0.5);
      const msg: Record<string, unknown> = { soak_i: i, dock: dockSn(), ctype: rnd.pick(COMMAND_TYPES), payload: { n: i } };
      if (useKey) msg.key = `soak-${seed}-${i}`;
      (useKey ? cmdKey : cmdAuto).receive(msg);
      if (i % 100 === 99) {
        log(`soak: sent ${i + 1}/${total}`);
        scanner.drainHelperSpies();
      }
      await sleep(rnd.int(0, 8));
    }
    if (restarting) await restarting;

    // ---- wait for every message (bounded), then stop injecting
    const deadline = Date.now() + (TIMEOUT_SECONDS + RESULT_GRACE_SECONDS + 20) * 1000;
    let stopAt = Date.now() + 3000;
    while (finishedCount < total && Date.now() < deadline) {
      if (injecting && Date.now() > stopAt) injecting = false;
      await sleep(100);
    }
    injecting = false;
    await injector;
    stopAt = 0;
    // Anything extra (a second emission) would arrive now.
    await sleep(1500);
    scanner.drainHelperSpies();
    for (const t of timers) clearTimeout(t);
    timers.clear();

    // ---- count
    let outputs = 0;
    let errors = 0;
    let lost = 0;
    let multiple = 0;
    const errorsByCode: Record<string, number> = {};
    const outputsByStatus: Record<string, number> = {};
    const keyOwners = new Map<string, number>();
    for (let i = 0; i < total; i++) {
      const o = outcomes.get(i);
      if (!o || o.outputs + o.errors === 0) {
        lost++;
        continue;
      }
      outputs += o.outputs;
      errors += o.errors;
      if (o.outputs + o.errors > 1) multiple++;
      if (o.errors) errorsByCode[o.code ?? 'UNKNOWN'] = (errorsByCode[o.code ?? 'UNKNOWN'] ?? 0) + 1;
      if (o.outputs) outputsByStatus[o.status ?? '?'] = (outputsByStatus[o.status ?? '?'] ?? 0) + 1;
      if (o.key) keyOwners.set(o.key, i);
    }
    interface Made {
      instance: number;
      text: string;
      acceptedMs: number;
    }
    const commandsByKey = new Map<string, Made[]>();
    let platformCommands = 0;
    instances.forEach((instance, n) => {
      for (const c of instance.control.listCommands()) {
        platformCommands++;
        const key = String(c.idempotency_key);
        const made = { instance: n, acceptedMs: Date.parse(String(c.accepted_at)), text: `instance ${n} command ${String(c.command_id)} ${String(c.status)} accepted ${String(c.accepted_at)}` };
        commandsByKey.set(key, [...(commandsByKey.get(key) ?? []), made]);
      }
    });
    let duplicates = 0;
    let orphans = 0;
    let recreatedAfterRestart = 0;
    const duplicateKeys: string[] = [];
    const restartMs = restartIso ? Date.parse(restartIso) : NaN;
    for (const [key, list] of commandsByKey) {
      const describeKey = () => `key ${key}: ${list.map((m) => m.text).join('; ')}`;
      if (!keyOwners.has(key)) {
        orphans += list.length;
        duplicateKeys.push(`orphan ${describeKey()}`);
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
      if (amnesia) recreatedAfterRestart++;
      else duplicates++;
      duplicateKeys.push(`${amnesia ? 'recreated after restart' : 'DUPLICATE'} message ${keyOwners.get(key)} ${describeKey()}`);
    }
    let simFaults = 0;
    let nonceReplayed = 0;
    for (const instance of instances) {
      const c = instance.control.counters();
      simFaults += c.faults_injected;
      nonceReplayed += c.auth_failures.NONCE_REPLAYED ?? 0;
    }
    const summary: SoakSummary = {
      commands: total,
      outputs,
      errors,
      duplicates_at_platform: duplicates + orphans,
      lost,
      faults_injected: Object.values(faultsByKind).reduce((a, b) => a + b, 0),
    };
    const details: SoakDetails = {
      seed,
      seconds: Math.round((Date.now() - started) / 1000),
      multiple_outcomes: multiple,
      orphan_commands: orphans,
      platform_commands: platformCommands,
      platform_instances: instances.length,
      faults_by_kind: faultsByKind,
      sim_injected_http_faults: simFaults,
      nonce_replayed: nonceReplayed,
      errors_by_code: errorsByCode,
      outputs_by_status: outputsByStatus,
      secret_hits: scanner.hits.slice(0, 10),
      scanned_chars: scanner.scanned,
      stray_errors: strayErrors,
      duplicate_keys: duplicateKeys.slice(0, 10),
      recreated_after_restart: recreatedAfterRestart,
      restart_at_iso: restartIso,
    };
    return { summary, details };
  } finally {
    injecting = false;
    for (const t of timers) clearTimeout(t);
    await helper.unload().catch(() => undefined);
    await helper.stopServer().catch(() => undefined);
    await sim.close();
  }
}
