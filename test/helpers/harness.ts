/**
 * Test harness: the real nodes in a real Node-RED runtime (node-red-node-test-helper) against the
 * real simulator (HTTP platform + MQTT broker + docks). Nothing here is a mock.
 */
import { after, afterEach, before, beforeEach } from 'node:test';
import helper from 'node-red-node-test-helper';
import { startSimulator, Simulator, SimulatorOptions } from '../../sim';
import { spawnSimulator } from '../../sim/spawn';
import configNode = require('../../src/nodes/utmos-config/utmos-config');
import commandNode = require('../../src/nodes/dji-command/dji-command');
import waitNode = require('../../src/nodes/dji-status-wait/dji-status-wait');
import requestInNode = require('../../src/nodes/dji-request-in/dji-request-in');
import replyNode = require('../../src/nodes/dji-request-reply/dji-request-reply');
import waylineNode = require('../../src/nodes/dji-wayline/dji-wayline');
import { DJI_COMMAND_DEFAULTS } from './node-defs';

// NODE_RED_PATH runs the suite against another node-red install (scripts/test-nr5.sh: Node-RED 5 on Node 22).
helper.init(require.resolve(process.env.NODE_RED_PATH || 'node-red'));

export { helper };
export const ALL_NODES = [configNode, commandNode, waitNode, requestInNode, replyNode, waylineNode];

export async function withSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  return startSimulator({ replyDelayMs: 50, ...options });
}

/**
 * The hooks of a test file whose tests each run in a fresh Node-RED runtime against one simulator
 * started for the whole file. The simulator returned stands for the one started in before(): read
 * it in tests and hooks, not at the top level.
 */
export function simulatorPerFile(options: SimulatorOptions = {}): Simulator {
  let started: Simulator | undefined;
  before(async () => {
    started = await withSimulator(options);
  });
  after(async () => {
    await started?.close();
  });
  beforeEach(() => helper.startServer());
  afterEach(async () => {
    await helper.unload();
    await helper.stopServer();
  });
  return new Proxy({} as Simulator, {
    get(_, key) {
      if (!started) throw new Error('the simulator of this file starts in before(): read it inside a test');
      return Reflect.get(started, key);
    },
  });
}

/** What a flow needs to reach a simulator, in-process or in a child process. */
export interface SimEndpoint {
  http: string;
  mqtt: string;
  apiId: string;
  apiKey: string;
}

export interface FlowSpec {
  sim: SimEndpoint;
  nodes: object[];
  config?: Record<string, unknown>;
  credentials?: Record<string, string>;
}

/** A flow with tab t1, config node c1 wired to the simulator, and the given nodes (z: t1 added). */
export function flowWith({ sim, nodes, config = {} }: FlowSpec): object[] {
  return [
    { id: 't1', type: 'tab', label: 'test' },
    { id: 'c1', type: 'utmos-config', name: 'sim', baseUrl: sim.http, ...config },
    ...nodes.map((n) => ({ z: 't1', ...n })),
  ];
}

/** Flow: dji-command n1 (debug_mode_open on dock-001, waits for the result) → helper ok; Catch k1 → helper caught. */
export function commandFlow({ sim, config = {} }: { sim: SimEndpoint; config?: Record<string, unknown> }): object[] {
  return flowWith({
    sim,
    config,
    nodes: [
      { id: 'n1', ...DJI_COMMAND_DEFAULTS, timeoutSeconds: 10, wires: [['ok'], ['ok']] },
      { id: 'ok', type: 'helper' },
      { id: 'k1', type: 'catch', scope: ['n1'], uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ],
  });
}

export function credsFor(sim: SimEndpoint, extra: Record<string, string> = {}): Record<string, Record<string, string>> {
  return { c1: { apiId: sim.apiId, apiKey: sim.apiKey, ...extra } };
}

/** Collects messages arriving at a helper node. */
export function collect(id: string): { messages: any[]; next(): Promise<any>; waitFor(n: number, timeoutMs?: number): Promise<any[]> } {
  const node = helper.getNode(id);
  const messages: any[] = [];
  const waiters: Array<() => void> = [];
  node.on('input', (msg: any) => {
    messages.push(msg);
    for (const w of waiters.splice(0)) w();
  });
  const waitFor = (n: number, timeoutMs = 10_000) =>
    new Promise<any[]>((resolve, reject) => {
      const check = () => {
        if (messages.length >= n) {
          clearTimeout(timer);
          resolve(messages.slice(0, n));
        } else waiters.push(check);
      };
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${n} message(s) at ${id}; got ${messages.length}`)), timeoutMs);
      check();
    });
  return { messages, waitFor, next: () => waitFor(messages.length + 1).then((m) => m[m.length - 1]) };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Signed-API call counters of the simulator. */
export async function simCounters(sim: SimEndpoint): Promise<any> {
  const res = await fetch(`${sim.http}/__sim/counters`);
  return res.json();
}

export async function simControl(sim: SimEndpoint, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${sim.http}/__sim/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`sim control ${method} ${path} -> ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

export interface SimProcess {
  http: string;
  mqtt: string;
  apiId: string;
  apiKey: string;
  tenantId: string;
  close(): Promise<void>;
}

/**
 * The simulator as a separate process (the `utmos-dji-sim` CLI), for tests that count this
 * process's own timers and sockets and must not see the simulator's.
 */
export async function startSimulatorProcess(args: string[] = []): Promise<SimProcess> {
  const { info, close } = await spawnSimulator(args);
  return {
    http: info.http,
    mqtt: info.mqtt,
    apiId: info.api_id,
    apiKey: info.api_key,
    tenantId: typeof info.tenant_id === 'string' ? info.tenant_id : 'tenant-001',
    close,
  };
}
