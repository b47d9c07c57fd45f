/**
 * Local simulator of the UTMOS Open Platform (signed HTTP API + command event stream) and of DJI
 * docks speaking the DJI Cloud API over a real embedded MQTT broker.
 *
 *   const sim = await startSimulator({ docks: 2 });
 *   // sim.http, sim.mqtt, sim.apiId, sim.apiKey, sim.control.*
 *   await sim.close();
 */
import { randomBytes } from 'crypto';
import { createServer, Server, Socket } from 'net';
import { Aedes, AedesOptions } from 'aedes';
import { SimControl, FaultBook } from './control';
import { SimDock } from './dock';
import { createHttpServer } from './http';
import { ALL_SCOPES, PlatformCore } from './platform';

export { SimControl, SimControlError } from './control';
export type { FaultSpec, LatencySpec, DropSpec, CredentialSpec, DockPatch, DockRequestSpec } from './control';
export { isLoopbackAddress } from './http';
export type { Counters, CommandStatus } from './platform';
export { ALL_SCOPES } from './platform';

export interface SimulatorOptions {
  /** Interface for HTTP and MQTT (default '127.0.0.1'). */
  host?: string;
  /** HTTP port; 0 picks a free one (default 0). */
  port?: number;
  /** MQTT broker port; 0 picks a free one (default 0). */
  mqttPort?: number;
  /** Main credential (all scopes). Default 'sim-api-id'. */
  apiId?: string;
  /** Default: 64 random hex characters. */
  apiKey?: string;
  /** Default 'tenant-001'. */
  tenantId?: string;
  /** Number of docks: dock-001..dock-00N with aircraft drone-001..drone-00N (default 3). */
  docks?: number;
  /** How long a dock takes to send services_reply (default 100 ms). */
  replyDelayMs?: number;
  /** Above replyDelayMs: each reply takes a duration drawn uniformly from replyDelayMs..this (default: no spread). */
  replyDelayMaxMs?: number;
  /** How long a wayline mission flies (default 3000 ms). */
  missionDurationMs?: number;
  /** Remote-debug job duration from in_progress to ok (default 300 ms). */
  jobDurationMs?: number;
  /** Allowed skew of X-Api-Timestamp (default 300 s). */
  timestampWindowSeconds?: number;
  /** Extra credentials, e.g. with limited scopes. */
  credentials?: Array<{ apiId: string; apiKey: string; scopes: string[]; tenantId?: string }>;
  /** A second reply to a device request: 'overwrite' (202, resend; default) or 'conflict' (409). */
  secondReply?: 'overwrite' | 'conflict';
  /** Device-request types the platform answers itself (reply_source "auto"); default none. */
  autoReplyRequestTypes?: string[];
  /** Docks raise a `config` device request every N ms; 0 = never (default 0). */
  configRequestIntervalMs?: number;
  /** Docks publish OSD every N ms; 0 = never (default 0). */
  osdIntervalMs?: number;
  /** How long a prepared mission waits for its flighttask_resource_get reply (default 60000 ms). */
  resourceTimeoutMs?: number;
  /** If set, the broker requires them (docks and platform use them). */
  mqttUsername?: string;
  mqttPassword?: string;
  /** Log sink (default: silent). */
  log?: (line: string) => void;
}

export interface Simulator {
  readonly http: string;
  readonly mqtt: string;
  readonly apiId: string;
  readonly apiKey: string;
  readonly tenantId: string;
  /** Dock SNs, e.g. ['dock-001', ...]; aircraft are drone-NNN with the same number. */
  readonly dockSns: readonly string[];
  readonly control: SimControl;
  close(): Promise<void>;
}

const pad = (n: number): string => String(n).padStart(3, '0');

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.removeListener('error', reject);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? ((): void => undefined);
  const apiId = options.apiId ?? 'sim-api-id';
  const apiKey = options.apiKey ?? randomBytes(32).toString('hex');
  const tenantId = options.tenantId ?? 'tenant-001';
  const dockCount = options.docks ?? 3;
  if (!Number.isInteger(dockCount) || dockCount < 0 || dockCount > 999) throw new RangeError('docks must be 0..999');

  // ---- broker
  const username = options.mqttUsername;
  const password = options.mqttPassword;
  const brokerOptions: AedesOptions = { heartbeatInterval: 60_000 };
  if (username !== undefined || password !== undefined) {
    brokerOptions.authenticate = (_client, u, p, done) => {
      const ok = (u ?? '') === (username ?? '') && (p?.toString('utf8') ?? '') === (password ?? '');
      if (ok) return done(null, true);
      done(Object.assign(new Error('bad username or password'), { returnCode: 4 }) as never, false);
    };
  }
  // The platform's event stream (tenant/...) can be silenced while every connection stays up.
  let forwardEvents = true;
  brokerOptions.authorizeForward = (_client, packet) => (forwardEvents || !packet.topic.startsWith('tenant/') ? packet : null);
  const broker = await Aedes.createBroker(brokerOptions);
  const brokerSockets = new Set<Socket>();
  const mqttServer = createServer((socket) => {
    brokerSockets.add(socket);
    socket.on('close', () => brokerSockets.delete(socket));
    socket.on('error', () => undefined);
    broker.handle(socket);
  });
  const brokerClients = (broker as unknown as { clients: Record<string, unknown> }).clients;

  const cleanups: Array<() => Promise<void>> = [];
  const closeAll = async (): Promise<void> => {
    for (const c of cleanups.splice(0).reverse()) {
      try {
        await c();
      } catch (err) {
        log(`close: ${(err as Error).message}`);
      }
    }
  };
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        broker.close(() => resolve());
      }),
  );

  try {
    const mqttPort = await listen(mqttServer, options.mqttPort ?? 0, host);
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          mqttServer.close(() => resolve());
          for (const s of brokerSockets) s.destroy();
        }),
    );
    const mqttUrl = `mqtt://${urlHost(host)}:${mqttPort}`;

    // ---- platform
    const platform = new PlatformCore({
      tenantId,
      timestampWindowSeconds: options.timestampWindowSeconds ?? 300,
      secondReply: options.secondReply ?? 'overwrite',
      autoReplyRequestTypes: options.autoReplyRequestTypes,
      log,
      isGatewayConnected: (sn) => Boolean(brokerClients[sn]),
    });
    platform.credentials.set(apiId, { apiId, apiKey, scopes: new Set(ALL_SCOPES), tenantId });
    for (const c of options.credentials ?? []) {
      platform.credentials.set(c.apiId, {
        apiId: c.apiId,
        apiKey: c.apiKey,
        scopes: new Set(c.scopes),
        tenantId: c.tenantId ?? tenantId,
      });
    }
    cleanups.push(() => platform.close());
    await platform.connect(mqttUrl, username, password);

    // ---- docks
    const docks = new Map<string, SimDock>();
    for (let i = 1; i <= dockCount; i++) {
      const dock = new SimDock({
        sn: `dock-${pad(i)}`,
        aircraftSn: `drone-${pad(i)}`,
        mqttUrl,
        username,
        password,
        replyDelayMs: options.replyDelayMs ?? 100,
        replyDelayMaxMs: options.replyDelayMaxMs,
        missionDurationMs: options.missionDurationMs ?? 3000,
        jobDurationMs: options.jobDurationMs ?? 300,
        osdIntervalMs: options.osdIntervalMs ?? 0,
        configRequestIntervalMs: options.configRequestIntervalMs ?? 0,
        resourceTimeoutMs: options.resourceTimeoutMs ?? 60_000,
        log,
      });
      docks.set(dock.sn, dock);
    }
    cleanups.push(async () => {
      await Promise.all([...docks.values()].map((d) => d.close()));
    });
    await Promise.all([...docks.values()].map((d) => d.connect()));
    const topoOk = await platform.waitForTopology([...docks.keys()], 3000);
    if (!topoOk) log('warning: not every dock announced its topology in time');

    // ---- HTTP
    let closing: Promise<void> | undefined;
    let brokerRestart: Promise<void> | undefined;
    const restartBroker = (downMs: number): Promise<void> =>
      (brokerRestart ??= (async () => {
        await new Promise<void>((resolve) => {
          mqttServer.close(() => resolve());
          for (const s of brokerSockets) s.destroy();
        });
        await new Promise((r) => setTimeout(r, downMs));
        if (!closing) await listen(mqttServer, mqttPort, host);
      })().finally(() => {
        brokerRestart = undefined;
      }));
    const setEventForwarding = (on: boolean): void => {
      forwardEvents = on;
    };
    const control = new SimControl(platform, docks, new FaultBook(), { restartBroker, setEventForwarding });
    const httpServer = createHttpServer(platform, control, { log });
    const httpPort = await listen(httpServer.server as unknown as Server, options.port ?? 0, host);
    cleanups.push(() => httpServer.close());
    const httpUrl = `http://${urlHost(host)}:${httpPort}`;
    log(`simulator listening: http ${httpUrl}, mqtt ${mqttUrl}, ${dockCount} docks`);

    return {
      http: httpUrl,
      mqtt: mqttUrl,
      apiId,
      apiKey,
      tenantId,
      dockSns: [...docks.keys()],
      control,
      close: () => (closing ??= closeAll()),
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
