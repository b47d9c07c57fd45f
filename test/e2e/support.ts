/**
 * End-to-end support: the simulator as a child process (the `utmos-dji-sim` CLI) and the real
 * embedded Node-RED runtime (RED.init/RED.start) loading this package from the package root via
 * settings.nodesDir, exactly as `npm start` does. NODE_RED_PATH selects another node-red install
 * (the Node-RED 5 run uses it).
 */
import { spawnSimulator } from '../../sim/spawn';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

// Package root: dist/test/e2e (or dist-NAME/test/e2e) -> ../../..
export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const NODE_RED_PATH = process.env.NODE_RED_PATH || 'node-red';

export interface DemoLib {
  loadExamples(dir?: string): Array<{ file: string; label: string; nodes: any[] }>;
  buildFlows(examples: Array<{ file: string; label: string; nodes: any[] }>, endpoint: Endpoint): any[];
  credentialsFor(flows: any[], endpoint: Endpoint, existing?: Record<string, unknown>): Record<string, Record<string, string>>;
  runtimeSettings(opts: { userDir: string; port: number; logLevel?: string; credentialSecret: string | false }): Record<string, any>;
  CONFIG_TYPE: string;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const demoLib: DemoLib = require(path.join(ROOT, 'scripts', 'demo-lib.js'));

export interface Endpoint {
  http: string;
  mqtt: string;
  apiId: string;
  apiKey: string;
}

export interface SimChild extends Endpoint {
  control(method: string, p: string, body?: unknown): Promise<any>;
  close(): Promise<void>;
}

export async function startSim(args: string[] = []): Promise<SimChild> {
  const { info, close } = await spawnSimulator(args);
  const base = info.http;
  return {
    http: base,
    mqtt: info.mqtt,
    apiId: info.api_id,
    apiKey: info.api_key,
    async control(method, p, body) {
      const res = await fetch(`${base}/__sim/${p}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`sim ${method} ${p} -> ${res.status} ${text}`);
      return text ? JSON.parse(text) : undefined;
    },
    close,
  };
}

export interface Runtime {
  RED: any;
  url: string;
  userDir: string;
  /** Every message delivered to a node, by destination id (JSON copies). */
  delivered: Map<string, any[]>;
  waitFor(id: string, count?: number, timeoutMs?: number): Promise<any[]>;
  /** Resolves with the first message delivered to `id` that satisfies `test` (bounded by timeoutMs). */
  waitUntil(id: string, test: (msg: any) => boolean, timeoutMs?: number): Promise<any>;
  get(p: string, headers?: Record<string, string>): Promise<{ status: number; body: string }>;
  post(p: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: string }>;
  stop(): Promise<void>;
}

/**
 * Writes flows.json + flows_cred.json into a fresh user dir and starts the embedded runtime.
 * `settings` adds to the demo's runtime settings (e.g. { lang: 'zh-CN' }).
 */
export async function startRuntime(
  flows: any[],
  credentials: Record<string, unknown>,
  logLevel = 'warn',
  settings: Record<string, unknown> = {},
): Promise<Runtime> {
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'utmos-e2e-'));
  fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flows, null, 2));
  fs.writeFileSync(path.join(userDir, 'flows_cred.json'), JSON.stringify(credentials));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const RED = require(NODE_RED_PATH);
  const server = http.createServer();
  // flows_cred.json was written above in plain text, so the runtime must not expect it encrypted
  RED.init(server, { ...demoLib.runtimeSettings({ userDir, port: 0, logLevel, credentialSecret: false }), ...settings });
  server.on('request', RED.httpAdmin);
  const delivered = new Map<string, any[]>();
  const waiters = new Set<() => void>();
  RED.hooks.add('preDeliver.utmosE2e', (evt: any) => {
    const id = evt.destination?.id;
    if (!id) return;
    let copy: any;
    try {
      copy = JSON.parse(JSON.stringify(evt.msg));
    } catch {
      copy = { unserialisable: true };
    }
    if (!delivered.has(id)) delivered.set(id, []);
    delivered.get(id)!.push(copy);
    for (const w of [...waiters]) w();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  // RED.start() resolves before the flows run; the first inject must find its node.
  const flowsStarted = new Promise<void>((r) => RED.events.once('flows:started', () => r()));
  await RED.start();
  await flowsStarted;
  const port = (server.address() as { port: number }).port;
  const url = `http://127.0.0.1:${port}/`;
  const request = (method: string, p: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(url + p.replace(/^\//, ''), {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(async (res) => ({ status: res.status, body: await res.text() }));
  return {
    RED,
    url,
    userDir,
    delivered,
    waitFor(id, count = 1, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const got = delivered.get(id) ?? [];
          if (got.length >= count) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(got.slice(0, count));
            return true;
          }
          return false;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${count} message(s) at ${id}; got ${(delivered.get(id) ?? []).length}; delivered so far: ${describeDelivered(delivered)}`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    waitUntil(id, test, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = (delivered.get(id) ?? []).find(test);
          if (hit === undefined) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(hit);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out after ${timeoutMs} ms waiting at ${id} for a matching message; got ${JSON.stringify(delivered.get(id) ?? []).slice(0, 1500)}`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    get: (p, headers) => request('GET', p, undefined, headers),
    post: (p, body, headers) => request('POST', p, body, headers),
    async stop() {
      RED.hooks.remove('preDeliver.utmosE2e');
      await RED.stop();
      await new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      });
      fs.rmSync(userDir, { recursive: true, force: true });
    },
  };
}

function describeDelivered(delivered: Map<string, any[]>): string {
  return [...delivered.entries()].map(([id, msgs]) => `${id}×${msgs.length}`).join(', ') || 'nothing';
}

/** Major version of the Node-RED the runtime reports, e.g. 4 for "4.1.15". */
export function majorOf(version: string): number {
  return Number(String(version).replace(/^v/, '').split('.')[0]);
}

/** The major the run must use: EXPECT_NODE_RED_MAJOR, else the installed package's. */
export function expectedMajor(): number {
  if (process.env.EXPECT_NODE_RED_MAJOR) return Number(process.env.EXPECT_NODE_RED_MAJOR);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pkg = require(require.resolve(path.join(NODE_RED_PATH === 'node-red' ? 'node-red' : NODE_RED_PATH, 'package.json')));
  return majorOf(pkg.version);
}
