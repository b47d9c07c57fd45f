/**
 * The one way the tests start the simulator: in this process (its control object at hand), or as
 * the `utmos-dji-sim` CLI in a child process for tests that count this process's own timers and
 * sockets, or that run Node-RED as users do, apart from the platform. Both are driven the same way
 * through the `/__sim/` control routes.
 */
import http from 'node:http';
import { after } from 'node:test';
import { startSimulator, Simulator, SimulatorOptions } from '../../sim';
import type { Counters } from '../../sim';
import { API_KEY_ENV } from '../../sim/cli';
import { spawnSimulator } from '../../sim/spawn';
import { setUp } from './setup';
import { Describe, waitUntil } from './wait';

export type { Simulator, SimulatorOptions };

/** What a flow or a client needs to reach a platform: the simulator, or a plain test server. */
export interface SimEndpoint {
  http: string;
  mqtt: string;
  apiId: string;
  apiKey: string;
}

/** The simulator CLI in a child process. */
export interface SimProcess extends SimEndpoint {
  tenantId: string;
  close(): Promise<void>;
}

/** Options of the CLI; the API key goes to it through the environment, never the command line. */
export type SimProcessOptions = Pick<
  SimulatorOptions,
  | 'apiId'
  | 'apiKey'
  | 'tenantId'
  | 'docks'
  | 'replyDelayMs'
  | 'timeFactor'
  | 'configRequestIntervalMs'
  | 'osdIntervalMs'
  | 'timestampWindowSeconds'
  | 'secondReply'
  | 'autoReplyRequestTypes'
  | 'mqttUsername'
  | 'mqttPassword'
>;

const FLAGS: Record<keyof SimProcessOptions, string> = {
  apiId: '--api-id',
  apiKey: '',
  tenantId: '--tenant-id',
  docks: '--docks',
  replyDelayMs: '--reply-delay-ms',
  timeFactor: '--time-factor',
  configRequestIntervalMs: '--config-request-interval-ms',
  osdIntervalMs: '--osd-interval-ms',
  timestampWindowSeconds: '--timestamp-window-seconds',
  secondReply: '--second-reply',
  autoReplyRequestTypes: '--auto-reply-types',
  mqttUsername: '--mqtt-username',
  mqttPassword: '--mqtt-password',
};

/** The simulator in this process; `sim.control` is its control object. */
export function startSim(options?: SimulatorOptions): Promise<Simulator>;
/** The simulator CLI in a child process (its defaults, e.g. OSD every 2 s, unless set here). */
export function startSim(options: SimProcessOptions, where: 'child process'): Promise<SimProcess>;
export async function startSim(options: SimulatorOptions = {}, where?: 'child process'): Promise<Simulator | SimProcess> {
  if (where !== 'child process') return startSimulator(options);
  const args: string[] = [];
  for (const [key, value] of Object.entries(options) as Array<[keyof SimProcessOptions, unknown]>) {
    if (value === undefined || key === 'apiKey') continue;
    if (!(key in FLAGS)) throw new Error(`the simulator CLI has no option for ${key}`);
    args.push(FLAGS[key], Array.isArray(value) ? value.join(',') : String(value));
  }
  const { info, close } = await spawnSimulator(args, options.apiKey ? { env: { [API_KEY_ENV]: options.apiKey } } : {});
  return {
    http: info.http,
    mqtt: info.mqtt,
    apiId: info.api_id,
    apiKey: info.api_key,
    tenantId: typeof info.tenant_id === 'string' ? info.tenant_id : 'tenant-001',
    close,
  };
}

/**
 * One simulator for the test file: started before its first test (first of its setUp steps when
 * called first), closed after its last. The
 * returned handle reads through to it (use it inside tests and hooks, not at load time).
 */
export function simulatorForFile(options?: SimulatorOptions): Simulator;
export function simulatorForFile(options: SimProcessOptions, where: 'child process'): SimProcess;
export function simulatorForFile(options: SimulatorOptions = {}, where?: 'child process'): Simulator | SimProcess {
  let started: Simulator | SimProcess | undefined;
  setUp(async () => {
    started = where ? await startSim(options, where) : await startSim(options);
  });
  after(async () => {
    await started?.close();
  });
  return new Proxy({} as Simulator, {
    get(_target, key) {
      if (!started) throw new Error('the simulator of this file starts before its first test: use it inside a test or hook');
      return Reflect.get(started, key);
    },
  });
}

/**
 * A `/__sim/` control route (docks, faults, counters, requests, ...). Each call has a connection of
 * its own, closed with the answer, so no idle keep-alive socket is left for a test to count.
 */
export function simControl(sim: Pick<SimEndpoint, 'http'>, method: string, path: string, body?: unknown): Promise<any> {
  const text = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${sim.http}/__sim/${path}`,
      { method, agent: false, headers: text === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const answer = Buffer.concat(chunks).toString('utf8');
          if ((res.statusCode ?? 500) >= 400) return reject(new Error(`sim control ${method} ${path} -> ${res.statusCode} ${answer}`));
          try {
            resolve(answer ? JSON.parse(answer) : undefined);
          } catch (err) {
            reject(err);
          }
        });
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

/** The signed API's call counters of the simulator. */
export function simCounters(sim: Pick<SimEndpoint, 'http'>): Promise<Counters> {
  return simControl(sim, 'GET', 'counters');
}

/** How many times the platform was called as `METHOD /path` (e.g. 'GET /api/v1/open/device-requests'). */
export async function callCount(sim: Pick<SimEndpoint, 'http'>, call: string): Promise<number> {
  return (await simCounters(sim)).calls[call] ?? 0;
}

/**
 * Resolves once the platform has had `more` further `call`s after this moment: proof that that
 * many more poll cycles (or retries) went by, where a test must show that nothing happens in them.
 */
export async function morePlatformCalls(sim: Pick<SimEndpoint, 'http'>, call: string, more: number, timeoutMs = 15_000): Promise<void> {
  const from = await callCount(sim, call);
  await waitUntil(async () => (await callCount(sim, call)) >= from + more, `${more} more ${call} after ${from}`, timeoutMs, 50);
}

/** Resolves with a simulated dock's state once `done` holds for it. */
export function dockWhen(sim: Pick<SimEndpoint, 'http'>, sn: string, done: (dock: any) => boolean, what: Describe, timeoutMs = 20_000): Promise<any> {
  let last: unknown;
  return waitUntil(
    async () => {
      const dock = await simControl(sim, 'GET', `docks/${sn}`);
      last = dock;
      return done(dock) ? dock : undefined;
    },
    () => `${sn}: ${typeof what === 'string' ? what : what()}; its state: ${JSON.stringify(last).slice(0, 1500)}`,
    timeoutMs,
    25,
  );
}

/** Resolves with the `method` replies a dock received on requests_reply once there are `count` of them. */
export async function repliesAtDock(sim: Pick<SimEndpoint, 'http'>, sn: string, method: string, count = 1): Promise<any[]> {
  const dock = await dockWhen(
    sim,
    sn,
    (d) => d.requests_replies_received.filter((r: any) => r.method === method).length >= count,
    `${count} ${method} repl${count === 1 ? 'y' : 'ies'} over MQTT after the platform's 202`,
  );
  return dock.requests_replies_received.filter((r: any) => r.method === method);
}

/** Puts an in-process simulator back as it started: no faults, every dock answering normally. */
export async function resetDocks(sim: Simulator, replyDelayMs: number): Promise<void> {
  sim.control.clearFaults();
  for (const sn of sim.dockSns) await sim.control.configureDock(sn, { silent: false, failure_rate: 0, reply_mode: 'normal', reply_delay_ms: replyDelayMs });
}
