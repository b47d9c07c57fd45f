/**
 * Building and deploying flows the way a user does in the embedded runtime: nodes with the
 * defaults the palette gives them, a full deploy through the admin API, and the runtime log.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { ROOT, Runtime } from './support';

/** The `defaults` values a node type gets when dragged from the palette (read from its editor file). */
export function paletteDefaults(type: string): Record<string, unknown> {
  const html = fs.readFileSync(path.join(ROOT, 'src', 'nodes', type, `${type}.html`), 'utf8');
  let defaults: Record<string, { value: unknown }> | undefined;
  // Anything the editor code touches besides registerType is inert here.
  const inert: any = new Proxy(function () {}, { get: () => inert, apply: () => inert });
  const RED = { nodes: { registerType: (t: string, def: any) => (t === type ? (defaults = def.defaults) : undefined) }, validators: inert, _: inert, settings: {} };
  const sandbox = vm.createContext({ RED, window: { UtmosDjiEditor: inert }, $: inert, jQuery: inert });
  for (const m of html.matchAll(/<script type="text\/javascript">([\s\S]*?)<\/script>/g)) vm.runInContext(m[1], sandbox);
  assert.ok(defaults, `${type}.html registers ${type}`);
  return Object.fromEntries(Object.entries(defaults).map(([k, v]) => [k, v.value]));
}

/** Full deploy of `flows`; resolves once the runtime has started them. Delivered messages start afresh. */
export async function deploy(rt: Runtime, flows: object[]): Promise<void> {
  rt.delivered.clear();
  // Flow nodes (those on a tab) exist once the runtime has started this deployment.
  const ids = (flows as Array<{ id: string; z?: string }>).filter((n) => n.z).map((n) => n.id);
  let timer: NodeJS.Timeout | undefined;
  let onStarted: (() => void) | undefined;
  const started = new Promise<void>((resolve, reject) => {
    onStarted = () => {
      if (ids.every((id) => rt.RED.nodes.getNode(id))) resolve();
    };
    rt.RED.events.on('flows:started', onStarted);
    timer = setTimeout(() => reject(new Error('the deployed flows did not start within 15 s')), 15_000);
  });
  const res = await rt.post('flows', flows, { 'Node-RED-Deployment-Type': 'full' });
  assert.equal(res.status, 204, `deploy: ${res.status} ${res.body}`);
  onStarted?.();
  await started.finally(() => {
    clearTimeout(timer);
    rt.RED.events.off('flows:started', onStarted);
  });
}

export interface LogEntry {
  level: number;
  id?: string;
  type?: string;
  msg: unknown;
}

/** Collects every runtime log entry from now on (RED.log handlers get all levels). */
export function captureLog(rt: Runtime): { entries: LogEntry[]; stop(): void } {
  const entries: LogEntry[] = [];
  const handler = new EventEmitter();
  handler.on('log', (entry: LogEntry) => entries.push(entry));
  rt.RED.log.addHandler(handler);
  return { entries, stop: () => rt.RED.log.removeHandler(handler) };
}

export const WARN_LEVEL = 30;
