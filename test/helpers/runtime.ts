/**
 * The one way the tests start the real embedded Node-RED runtime (RED.init/RED.start) loading this
 * package from its root through settings.nodesDir, with the settings `npm start` uses. In this
 * process (`startRuntime`), or in a child process of its own for a test that stops and starts
 * Node-RED again (`startRuntimeProcess` in runtime-process.ts runs this same function there).
 * NODE_RED_PATH selects another node-red install (the Node-RED 5 pass uses it).
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './paths';
import { LogEntry, plainCopy, RecordEvent, RuntimeRecord } from './runtime-record';

export { ROOT };
export const NODE_RED_PATH = process.env.NODE_RED_PATH || 'node-red';

export interface Endpoint {
  http: string;
  mqtt: string;
  apiId: string;
  apiKey: string;
}

export interface DemoLib {
  loadExamples(dir?: string): Array<{ file: string; label: string; nodes: any[] }>;
  buildFlows(examples: Array<{ file: string; label: string; nodes: any[] }>, endpoint: Endpoint): any[];
  credentialsFor(flows: any[], endpoint: Endpoint, existing?: Record<string, unknown>): Record<string, Record<string, string>>;
  runtimeSettings(opts: { userDir: string; port: number; logLevel?: string; credentialSecret: string | false }): Record<string, any>;
  CONFIG_TYPE: string;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const demoLib: DemoLib = require(path.join(ROOT, 'scripts', 'demo-lib.js'));

export interface RuntimeOptions {
  /** Written to flows.json before the start. */
  flows?: object[];
  /** Written to flows_cred.json in plain text (so the default credentialSecret is false). */
  credentials?: Record<string, unknown>;
  /** An existing user dir (kept on stop), e.g. for a restart; default: a fresh one, removed on stop. */
  userDir?: string;
  /** The console's log level (default warn); the record gets every entry whatever it is. */
  logLevel?: string;
  /** Added to the demo's runtime settings, e.g. { lang: 'zh-CN' }, adminAuth, contextStorage, credentialSecret. */
  settings?: Record<string, unknown>;
}

export interface Runtime extends RuntimeRecord {
  readonly RED: any;
  readonly userDir: string;
  stop(): Promise<void>;
}

const HOOK = 'preDeliver.utmosTests';

/**
 * Starts Node-RED and resolves once its flows run. `forward` also gets every recorded event (the
 * child process hands them to its parent).
 */
export async function startRuntime(options: RuntimeOptions = {}, forward?: (event: RecordEvent) => void): Promise<Runtime> {
  const userDir = options.userDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'utmos-nr-'));
  if (options.flows) fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(options.flows, null, 2));
  if (options.credentials) fs.writeFileSync(path.join(userDir, 'flows_cred.json'), JSON.stringify(options.credentials));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const RED = require(NODE_RED_PATH);
  const server = http.createServer();
  const base = demoLib.runtimeSettings({ userDir, port: 0, logLevel: options.logLevel ?? 'warn', credentialSecret: false });
  RED.init(server, { ...base, ...options.settings });
  server.on('request', RED.httpAdmin);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;

  const logs = new EventEmitter();
  const onStarted = (): void => record({ kind: 'flows-started' });
  const stop = async (): Promise<void> => {
    RED.hooks.remove(HOOK);
    RED.events.off('flows:started', onStarted);
    await RED.stop();
    RED.log.removeHandler(logs);
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    if (!options.userDir) fs.rmSync(userDir, { recursive: true, force: true });
  };
  const rt = new EmbeddedRuntime(`http://127.0.0.1:${port}/`, RED, userDir, stop);
  const record = (event: RecordEvent): void => {
    rt.record(event);
    forward?.(event);
  };
  logs.on('log', (entry: LogEntry) => record({ kind: 'log', entry: forward ? (plainCopy(entry) as LogEntry) : entry }));
  RED.log.addHandler(logs);
  RED.hooks.add(HOOK, (evt: any) => {
    const to = evt.destination?.id;
    if (to) record({ kind: 'deliver', to, msg: plainCopy(evt.msg) });
  });
  RED.events.on('flows:started', onStarted);
  // RED.start() resolves before the flows run; the first inject must find its node.
  await RED.start();
  await rt.flowsStarted(0, 30_000);
  return rt;
}

class EmbeddedRuntime extends RuntimeRecord implements Runtime {
  constructor(
    url: string,
    readonly RED: any,
    readonly userDir: string,
    readonly stop: () => Promise<void>,
  ) {
    super(url);
  }
}

/** Major version of a Node-RED version string, e.g. 4 for "4.1.15". */
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
