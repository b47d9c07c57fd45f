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
import { ALL_NODES, connectionOf, flowWith, helper } from '../helpers/harness';
import { Simulator, startSim } from '../helpers/simulator';
import { Changes, waitUntil } from '../helpers/wait';
import { SecretScanner, prng } from './capture';
import { countMessages, countPlatformCommands, Outcome, simulatorCounts } from './soak-count';
import { FaultInjector } from './soak-faults';

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
const COMMAND_TYPES = ['debug_mode_open', 'debug_mode_close', 'return_home'] as const;

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
  let sim: Simulator = await startSim(simOptions);
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
  const changes = new Changes();
  /** Probes sent after the run: their outcomes and idempotency keys. */
  const probes = new Map<string, { outcomes: number; key?: string }>();
  let restarting: Promise<void> | undefined;
  let restartIso: string | undefined;
  const faults = new FaultInjector(
    rnd,
    () => sim.http,
    dockCount,
    () => restarting,
  );

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
    const probeOf = (msg: any): boolean => {
      const probe = typeof msg?.soak_probe === 'string' ? probes.get(msg.soak_probe) : undefined;
      if (!probe) return false;
      probe.outcomes++;
      if (typeof msg.idempotency_key === 'string') probe.key = msg.idempotency_key;
      return true;
    };
    const onOutput = (id: string, msg: any) => {
      if (probeOf(msg)) return;
      const o = outcomeOf(msg);
      if (!o) return void strayErrors++;
      o.outputs++;
      o.status = msg.status;
      scanner.add(`message on ${id}`, msg);
    };
    const onError = (msg: any) => {
      if (probeOf(msg)) return;
      const o = outcomeOf(msg);
      if (!o) return void strayErrors++;
      o.errors++;
      o.code = msg.utmos_error?.code ?? 'UNKNOWN';
      scanner.add('caught error', msg);
    };
    const counted = (handle: (msg: any) => void) => (msg: any) => {
      try {
        handle(msg);
      } finally {
        changes.changed();
      }
    };
    for (const id of ['out1', 'out2'])
      helper.getNode(id).on(
        'input',
        counted((msg) => onOutput(id, msg)),
      );
    helper.getNode('caught').on('input', counted(onError));

    faults.start();

    const restartSimulator = async (): Promise<void> => {
      log(`soak: restarting the simulator after ${restartAt} messages`);
      const old = sim;
      restartIso = new Date().toISOString();
      await old.close();
      log(`soak: simulator closed at ${restartIso}`);
      // The same ports, so the nodes find the new instance where the old one was. A port can be
      // taken for a moment by a client connection of this machine that happened to get it as its
      // own: try again until it is free (bounded).
      sim = await waitUntil(
        () =>
          startSim({ ...simOptions, ...ports }).catch((err: NodeJS.ErrnoException) => {
            if (err.code !== 'EADDRINUSE') throw err;
            return undefined;
          }),
        `ports ${ports.port} and ${ports.mqttPort} free again for the restarted simulator`,
        10_000,
        100,
      );
      instances.push(sim);
      faults.count('simulator_restart');
    };

    // ---- the messages
    const cmdKey = helper.getNode('cmdKey');
    const cmdAuto = helper.getNode('cmdAuto');
    for (let i = 0; i < total; i++) {
      if (i === restartAt) {
        restarting = restartSimulator();
        void restarting.finally(() => (restarting = undefined));
      }
      if (i - finishedCount >= concurrency) {
        await changes.until(
          () => i - finishedCount < concurrency,
          () => `message ${i}: fewer than ${concurrency} waiting for their outcome; ${connectionState()}`,
          (TIMEOUT_SECONDS + RESULT_GRACE_SECONDS + 20) * 1000,
        );
      }
      const useKey = rnd.chance(0.5);
      const msg: Record<string, unknown> = { soak_i: i, dock: dockSn(rnd, dockCount), ctype: rnd.pick(COMMAND_TYPES), payload: { n: i } };
      if (useKey) msg.key = `soak-${seed}-${i}`;
      (useKey ? cmdKey : cmdAuto).receive(msg);
      if (i % 100 === 99) {
        log(`soak: sent ${i + 1}/${total}`);
        scanner.drainHelperSpies();
      }
      // The load's own pace: 0..8 ms between messages, seeded.
      await new Promise((resolve) => setTimeout(resolve, rnd.int(0, 8)));
    }
    if (restarting) await restarting;

    // ---- wait for every message (bounded: what never ends is counted as lost); stop injecting 3 s after the last was sent
    const stopInjecting = setTimeout(() => void faults.stop(), 3000);
    await changes
      .until(
        () => finishedCount >= total,
        () => `every message to end; ${connectionState()}`,
        (TIMEOUT_SECONDS + RESULT_GRACE_SECONDS + 20) * 1000,
      )
      .catch((err: Error) => log(`soak: ${err.message}`));
    clearTimeout(stopInjecting);
    await faults.stop();
    // A second emission of any message would come before the outcome of a probe sent through each
    // node after them all.
    const probeTo = (node: any, name: string, msg: Record<string, unknown>) => {
      probes.set(name, { outcomes: 0 });
      node.receive({ ...msg, soak_probe: name, dock: 'dock-001', ctype: 'debug_mode_open', payload: {} });
    };
    probeTo(cmdKey, 'probe-key', { key: `soak-${seed}-probe` });
    probeTo(cmdAuto, 'probe-auto', {});
    await changes.until(() => [...probes.values()].every((p) => p.outcomes > 0), 'an outcome for each probe', (TIMEOUT_SECONDS + RESULT_GRACE_SECONDS) * 1000);
    scanner.drainHelperSpies();
    faults.clear();

    // ---- count
    const messages = countMessages(outcomes, total);
    const probeKeys = new Set([...probes.values()].map((p) => p.key).filter((k): k is string => k !== undefined));
    const platform = countPlatformCommands(instances, messages.keyOwners, restartIso, probeKeys);
    const fromSimulators = simulatorCounts(instances);
    const summary: SoakSummary = {
      commands: total,
      outputs: messages.outputs,
      errors: messages.errors,
      duplicates_at_platform: platform.duplicates + platform.orphans,
      lost: messages.lost,
      faults_injected: Object.values(faults.faultsByKind).reduce((a, b) => a + b, 0),
    };
    const details: SoakDetails = {
      seed,
      seconds: Math.round((Date.now() - started) / 1000),
      multiple_outcomes: messages.multiple,
      orphan_commands: platform.orphans,
      platform_commands: platform.platformCommands,
      platform_instances: instances.length,
      faults_by_kind: faults.faultsByKind,
      sim_injected_http_faults: fromSimulators.injectedHttpFaults,
      nonce_replayed: fromSimulators.nonceReplayed,
      errors_by_code: messages.errorsByCode,
      outputs_by_status: messages.outputsByStatus,
      secret_hits: scanner.hits.slice(0, 10),
      scanned_chars: scanner.scanned,
      stray_errors: strayErrors,
      duplicate_keys: platform.duplicateKeys.slice(0, 10),
      recreated_after_restart: platform.recreatedAfterRestart,
      restart_at_iso: restartIso,
    };
    return { summary, details };
  } finally {
    faults.clear();
    await helper.unload().catch(() => undefined);
    await helper.stopServer().catch(() => undefined);
    await sim.close();
  }
}

function dockSn(rnd: ReturnType<typeof prng>, dockCount: number): string {
  return `dock-${String(rnd.int(1, dockCount)).padStart(3, '0')}`;
}

/** What the connection's rate gate and tracker hold, for a timeout's message: where messages wait. */
function connectionState(): string {
  const connection = connectionOf();
  const rate = connection?.client?.rate;
  const tracker = connection?.tracker;
  if (!rate || !tracker) return 'no connection';
  const gate = { allowed: rate.allowed, granted: rate.granted, in_flight: rate.inFlight, queued: rate.queued, wait_ms: rate.waitMs() };
  return JSON.stringify({ gate, tracker: { size: tracker.size, waiting: tracker.waiting, health: tracker.eventHealth, stats: tracker.stats } });
}
