/**
 * Test harness: the real nodes in a real Node-RED runtime (node-red-node-test-helper) against a
 * real platform (the simulator of simulator.ts, or a plain test server). Nothing here is a mock.
 */
import { after, afterEach } from 'node:test';
import helper from 'node-red-node-test-helper';
import configNode = require('../../src/nodes/utmos-config/utmos-config');
import commandNode = require('../../src/nodes/dji-command/dji-command');
import waitNode = require('../../src/nodes/dji-status-wait/dji-status-wait');
import requestInNode = require('../../src/nodes/dji-request-in/dji-request-in');
import replyNode = require('../../src/nodes/dji-request-reply/dji-request-reply');
import waylineNode = require('../../src/nodes/dji-wayline/dji-wayline');
import { DJI_COMMAND_DEFAULTS } from './node-defs';
import type { SimEndpoint } from './simulator';
import { setUp } from './setup';
import { Changes } from './wait';

// NODE_RED_PATH runs the suite against another node-red install (scripts/test-nr5.sh: Node-RED 5 on Node 22).
helper.init(require.resolve(process.env.NODE_RED_PATH || 'node-red'));

export { helper };
export const ALL_NODES = [configNode, commandNode, waitNode, requestInNode, replyNode, waylineNode];

/**
 * The test helper's runtime for the whole file (its server started once), the flows of each test
 * unloaded after it; `afterEach` runs first (e.g. to put the simulator back as the next test expects).
 */
export function nodeRedForFile(hooks: { afterEach?: () => Promise<void> | void } = {}): void {
  setUp(() => helper.startServer());
  afterEach(async () => {
    await hooks.afterEach?.();
    await helper.unload();
  });
  after(() => helper.stopServer());
}

export interface FlowSpec {
  sim: SimEndpoint;
  nodes: object[];
  config?: Record<string, unknown>;
}

/** A flow with tab t1, config node c1 wired to the platform, and the given nodes (z: t1 added). */
export function flowWith({ sim, nodes, config = {} }: FlowSpec): object[] {
  return [
    { id: 't1', type: 'tab', label: 'test' },
    { id: 'c1', type: 'utmos-config', name: 'sim', baseUrl: sim.http, ...config },
    ...nodes.map((n) => ({ z: 't1', ...n })),
  ];
}

/**
 * Flow: dji-command n1 (palette-like defaults: debug_mode_open on dock-001, waits for the result)
 * → helpers ok and bad (outputs 1 and 2); Catch k1 → helper caught.
 */
export function commandFlow({ sim, config = {}, props = {} }: { sim: SimEndpoint; config?: Record<string, unknown>; props?: Record<string, unknown> }): object[] {
  return flowWith({
    sim,
    config,
    nodes: [
      { id: 'n1', ...DJI_COMMAND_DEFAULTS, wires: [['ok'], ['bad']], ...props },
      { id: 'ok', type: 'helper' },
      { id: 'bad', type: 'helper' },
      { id: 'k1', type: 'catch', scope: ['n1'], uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ],
  });
}

export function credsFor(sim: SimEndpoint, extra: Record<string, string> = {}): Record<string, Record<string, string>> {
  return { c1: { apiId: sim.apiId, apiKey: sim.apiKey, ...extra } };
}

export interface Collected {
  id: string;
  messages: any[];
  /** Called after each message. */
  onMessage(listener: () => void): void;
  /** The next message from now on. */
  next(timeoutMs?: number): Promise<any>;
  /** The first `n` messages, once there are that many. */
  waitFor(n: number, timeoutMs?: number): Promise<any[]>;
  /** The first message that satisfies `test`. */
  waitUntil(test: (msg: any) => boolean, timeoutMs?: number): Promise<any>;
}

/** Collects the messages arriving at a helper node. */
export function collect(id: string): Collected {
  const messages: any[] = [];
  const listeners: Array<() => void> = [];
  const changes = new Changes();
  listeners.push(() => changes.changed());
  helper.getNode(id).on('input', (msg: any) => {
    messages.push(msg);
    for (const listener of listeners) listener();
  });
  const waitFor = (n: number, timeoutMs = 10_000): Promise<any[]> =>
    changes.until(() => messages.length >= n && messages.slice(0, n), () => `${n} message(s) at ${id}; got ${messages.length}`, timeoutMs);
  return {
    id,
    messages,
    onMessage: (listener) => listeners.push(listener),
    waitFor,
    waitUntil: (test, timeoutMs = 10_000) => changes.until(() => messages.find(test), `a matching message at ${id}; got ${messages.length}`, timeoutMs),
    next: (timeoutMs) => waitFor(messages.length + 1, timeoutMs).then((m) => m[m.length - 1]),
  };
}

/** Resolves once the collectors together hold `n` messages (e.g. every outcome, whichever output). */
export function totalOf(collected: Collected[], n: number, timeoutMs = 10_000): Promise<true> {
  const changes = new Changes();
  for (const c of collected) c.onMessage(() => changes.changed());
  const total = () => collected.reduce((sum, c) => sum + c.messages.length, 0);
  return changes.until(() => total() >= n, () => `${n} messages at ${collected.map((c) => c.id).join(', ')}; got ${total()}`, timeoutMs);
}

/** Whether node `id` (this instance, not another with the same id before a redeploy) showed a badge matching `status`. */
export function showedBadge(id: string, status: Record<string, unknown>): boolean {
  const node = helper.getNode(id);
  // The test helper spies on Node.prototype: one spy for every node.
  return node.status.getCalls().some((call: any) => call.thisValue === node && call.calledWithMatch(status));
}

/** Resolves once node `id` has shown a badge matching `status`. */
export async function badgeShown(id: string, status: Record<string, unknown>, timeoutMs = 10_000): Promise<void> {
  const node = helper.getNode(id);
  const changes = new Changes();
  // the test helper emits call:status on the node after each status() call
  const changed = (): void => changes.changed();
  node.on('call:status', changed);
  try {
    await changes.until(
      () => showedBadge(id, status),
      () => `${id} to show ${JSON.stringify(status)}; it showed ${JSON.stringify(node.status.getCalls().filter((c: any) => c.thisValue === node).map((c: any) => c.args[0]))}`,
      timeoutMs,
    );
  } finally {
    node.off('call:status', changed);
  }
}

/** The live connection of config node `id` (for its event stream and tracker). */
export function connectionOf(id = 'c1'): any {
  return helper.getNode(id).connection;
}
