/**
 * The simulator's embedded MQTT broker: aedes on a TCP listener that a test control can take down
 * and bring back on the same port. aedes is needed by the simulator only, so it is not a dependency
 * of the nodes: it is loaded here, on start, and its absence is reported with the command that
 * installs it.
 */
import { Server, Socket, createServer } from 'net';
import type { AedesOptions } from 'aedes';

/** The one command that makes the simulator runnable where only the nodes were installed. */
export const BROKER_INSTALL_COMMAND = 'npm install aedes@1';

/** A package the simulator needs is not installed (it is an optional dependency of the nodes). */
export class MissingDependencyError extends Error {
  constructor(
    readonly packageName: string,
    readonly installCommand: string,
  ) {
    super(`the simulator needs ${packageName}: ${installCommand}`);
    this.name = 'MissingDependencyError';
  }
}

function isMissingModule(err: unknown, name: string): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  return e?.code === 'MODULE_NOT_FOUND' && typeof e.message === 'string' && e.message.includes(`'${name}'`);
}

async function loadAedes(): Promise<typeof import('aedes')> {
  try {
    return await import('aedes');
  } catch (err) {
    if (isMissingModule(err, 'aedes')) throw new MissingDependencyError('aedes', BROKER_INSTALL_COMMAND);
    throw err;
  }
}

export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.removeListener('error', reject);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });
}

export interface BrokerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** When either is set, clients must present both. */
  username?: string;
  password?: string;
}

export interface Broker {
  readonly port: number;
  /** Whether a client with this id (a dock's SN) is connected now. */
  isConnected(clientId: string): boolean;
  /** Drops every connection and refuses new ones for downMs, then listens on the same port again. */
  restart(downMs: number): Promise<void>;
  /** false: the platform's events (tenant/...) are no longer delivered, every connection stays up. */
  setEventForwarding(on: boolean): void;
  close(): Promise<void>;
}

export async function startBroker(options: BrokerOptions): Promise<Broker> {
  const { Aedes } = await loadAedes();
  const { username, password } = options;
  const brokerOptions: AedesOptions = { heartbeatInterval: 60_000 };
  if (username !== undefined || password !== undefined) {
    brokerOptions.authenticate = (_client, u, p, done) => {
      const ok = (u ?? '') === (username ?? '') && (p?.toString('utf8') ?? '') === (password ?? '');
      if (ok) return done(null, true);
      done(Object.assign(new Error('bad username or password'), { returnCode: 4 }) as never, false);
    };
  }
  let forwardEvents = true;
  brokerOptions.authorizeForward = (_client, packet) => (forwardEvents || !packet.topic.startsWith('tenant/') ? packet : null);
  const aedes = await Aedes.createBroker(brokerOptions);
  const clients = (aedes as unknown as { clients: Record<string, unknown> }).clients;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    aedes.handle(socket);
  });
  const closeBroker = (): Promise<void> => new Promise<void>((resolve) => aedes.close(() => resolve()));
  const stopListening = (): Promise<void> =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    });

  let port: number;
  try {
    port = await listen(server, options.port, options.host);
  } catch (err) {
    await closeBroker();
    throw err;
  }
  let closed = false;
  let restarting: Promise<void> | undefined;
  let endDowntime: (() => void) | undefined;
  const downtime = (ms: number): Promise<void> =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      endDowntime = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  return {
    port,
    isConnected: (clientId) => Boolean(clients[clientId]),
    setEventForwarding: (on) => {
      forwardEvents = on;
    },
    restart: (downMs) =>
      (restarting ??= (async () => {
        await stopListening();
        await downtime(downMs);
        if (!closed) await listen(server, port, options.host);
      })().finally(() => {
        restarting = undefined;
        endDowntime = undefined;
      })),
    close: async () => {
      closed = true;
      endDowntime?.();
      await restarting?.catch(() => undefined);
      await stopListening();
      await closeBroker();
    },
  };
}
