/**
 * Local simulator of the UTMOS Open Platform (signed HTTP API + command event stream) and of DJI
 * docks speaking the DJI Cloud API over a real embedded MQTT broker.
 *
 *   const sim = await startSimulator({ docks: 2 });
 *   // sim.http, sim.mqtt, sim.apiId, sim.apiKey, sim.control.*
 *   await sim.close();
 */
import { randomBytes } from 'crypto';
import { Server } from 'net';
import { Broker, listen, startBroker } from './broker';
import { FaultBook, SimControl } from './control';
import { SimDock } from './dock/dock';
import { API_CALL_KEYS } from './http/api-routes';
import { createHttpServer } from './http/server';
import { ObjectPolicy, ObjectStore } from './object-store';
import { PlatformCore } from './platform/platform';
import { ALL_SCOPES } from './platform/records';

export { SimControl, SimControlError } from './control';
export type { FaultSpec, LatencySpec, DropSpec, CredentialSpec, DockPatch, DockRequestSpec } from './control';
export { isLoopbackAddress } from './http/io';
export type { Counters } from './platform/counters';
export type { CommandStatus } from './platform/records';
export { ALL_SCOPES } from './platform/records';
export { DEFAULT_OBJECT_POLICIES } from './object-store';
export type { ObjectPolicy, ObjectStore } from './object-store';
export { BROKER_INSTALL_COMMAND, MissingDependencyError } from './broker';

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
  /**
   * Simulated flight time per second of a route's own duration (default 0.05: a 2-minute route
   * flies in 6 s), so demos and tests take seconds.
   */
  timeFactor?: number;
  /** Object-storage policies behind POST /objects/presign (default: bucket tenant-media, prefix waylines/). */
  objectPolicies?: ObjectPolicy[];
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
  /** How long a mission whose file URL expired waits for its flighttask_resource_get reply (default 60000 ms). */
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
  /** Tenant object storage behind the presigned URLs (objects, counters, clock). */
  readonly objects: ObjectStore;
  close(): Promise<void>;
}

const pad = (n: number): string => String(n).padStart(3, '0');

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** Starts broker, platform, docks and HTTP server; rejects with MissingDependencyError when aedes is not installed. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? ((): void => undefined);
  const apiId = options.apiId ?? 'sim-api-id';
  const apiKey = options.apiKey ?? randomBytes(32).toString('hex');
  const tenantId = options.tenantId ?? 'tenant-001';
  const dockCount = options.docks ?? 3;
  if (!Number.isInteger(dockCount) || dockCount < 0 || dockCount > 999) throw new RangeError('docks must be 0..999');
  const timeFactor = options.timeFactor ?? 0.05;
  if (!(timeFactor > 0 && timeFactor <= 10)) throw new RangeError('timeFactor must be greater than 0 and at most 10');

  const username = options.mqttUsername;
  const password = options.mqttPassword;
  const broker: Broker = await startBroker({ host, port: options.mqttPort ?? 0, username, password });
  const cleanups: Array<() => Promise<void>> = [() => broker.close()];
  const closeAll = async (): Promise<void> => {
    for (const c of cleanups.splice(0).reverse()) {
      try {
        await c();
      } catch (err) {
        log(`close: ${(err as Error).message}`);
      }
    }
  };

  try {
    const mqttUrl = `mqtt://${urlHost(host)}:${broker.port}`;

    // ---- platform
    const platform = new PlatformCore({
      tenantId,
      timestampWindowSeconds: options.timestampWindowSeconds ?? 300,
      secondReply: options.secondReply ?? 'overwrite',
      autoReplyRequestTypes: options.autoReplyRequestTypes,
      callKeys: API_CALL_KEYS,
      log,
      isGatewayConnected: (sn) => broker.isConnected(sn),
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
        timeFactor,
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
    const topoOk = await platform.topology.waitFor([...docks.keys()], 3000);
    if (!topoOk) log('warning: not every dock announced its topology in time');

    // ---- HTTP
    const control = new SimControl(platform, docks, new FaultBook(), {
      restartBroker: (downMs) => broker.restart(downMs),
      setEventForwarding: (on) => broker.setEventForwarding(on),
    });
    const objects = new ObjectStore(options.objectPolicies);
    const httpServer = createHttpServer(platform, control, { log, objects });
    const httpPort = await listen(httpServer.server as unknown as Server, options.port ?? 0, host);
    cleanups.push(() => httpServer.close());
    const httpUrl = `http://${urlHost(host)}:${httpPort}`;
    objects.baseUrl = httpUrl;
    log(`simulator listening: http ${httpUrl}, mqtt ${mqttUrl}, ${dockCount} docks`);

    let closing: Promise<void> | undefined;
    return {
      http: httpUrl,
      mqtt: mqttUrl,
      apiId,
      apiKey,
      tenantId,
      dockSns: [...docks.keys()],
      control,
      objects,
      close: () => (closing ??= closeAll()),
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
