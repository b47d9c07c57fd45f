/**
 * The client's HTTP transport: keep-alive agents pooled per origin (direct, or through the proxy the
 * environment names), and one request attempt bounded as a whole.
 *
 * - One deadline covers the whole attempt: connect (and proxy tunnel), headers and body. A timeout
 *   on socket inactivity alone would let a body that drips a byte at a time hold a request slot
 *   forever.
 * - The body is read up to a size limit; past it the socket is destroyed, never read to the end.
 * - Compressed bodies (gzip, deflate, br) are limited by their decoded size.
 */
import http from 'http';
import https from 'https';
import type { Duplex, Readable } from 'stream';
import zlib from 'zlib';
import { HttpProxyAgent, HttpsProxyAgent } from 'hpagent';
import { Clock, systemClock } from './clock';
import { ProxySettings, proxyForUrl } from './proxy';
import { displayUrl } from './redact';
import { Text, text } from './text';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * Why an attempt ended without a response. `code` is Node's error code (ECONNREFUSED, a TLS code,
 * ...) or one of ours: ETIMEDOUT (the attempt deadline), RESPONSE_TOO_LARGE, PROXY_REFUSED, ABORTED.
 */
export class TransportError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export interface AttemptSpec {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: Buffer;
  agent: http.Agent;
  /** The deadline of the whole attempt. */
  timeoutMs: number;
  maxResponseBytes: number;
  signal?: AbortSignal;
  /** Arms the deadline. Default: the system clock. */
  clock?: Clock;
  /** Told once when the request gets its socket, i.e. when it really goes out (the rate gate's stamp). */
  onSocket?: () => void;
}

const DECODERS: Partial<Record<string, () => zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress>> = {
  gzip: () => zlib.createGunzip(),
  'x-gzip': () => zlib.createGunzip(),
  deflate: () => zlib.createInflate(),
  br: () => zlib.createBrotliDecompress(),
};
export const ACCEPT_ENCODING = 'gzip, deflate, br';

/** The HTTP status with which a proxy refused a tunnel, from hpagent's error (it carries no code). */
export function proxyRefusalStatus(err: Error): number | undefined {
  const refused = /^Bad response: (\d{3})$/.exec(err.message);
  return refused ? Number(refused[1]) : undefined;
}

function classify(err: Error & { code?: string }): TransportError {
  if (err instanceof TransportError) return err;
  const refused = proxyRefusalStatus(err);
  if (refused !== undefined) return new TransportError('PROXY_REFUSED', err.message, refused);
  if (err.message === 'Proxy timeout') return new TransportError('ETIMEDOUT', err.message);
  return new TransportError(err.code ?? 'NETWORK_ERROR', err.message);
}

/** Sends one request and reads its whole response, within the deadline and the size limit. */
export function sendAttempt(spec: AttemptSpec): Promise<RawResponse> {
  const clock = spec.clock ?? systemClock;
  return new Promise((resolve, reject) => {
    let settled = false;
    let response: http.IncomingMessage | undefined;
    let decoder: Readable | undefined;
    const finish = (err: TransportError | undefined, value?: RawResponse): void => {
      if (settled) return;
      settled = true;
      clock.clearTimeout(timer);
      spec.signal?.removeEventListener('abort', onAbort);
      if (err) {
        // Destroying the request destroys its socket: a half-read response never goes back to the pool.
        decoder?.destroy();
        response?.destroy();
        request.destroy();
        reject(err);
      } else resolve(value as RawResponse);
    };
    const onAbort = () => finish(new TransportError('ABORTED', 'request cancelled'));
    const timer = clock.setTimeout(() => finish(new TransportError('ETIMEDOUT', `no complete response within ${spec.timeoutMs} ms`)), spec.timeoutMs);
    const tooLarge = () => finish(new TransportError('RESPONSE_TOO_LARGE', `response body larger than ${spec.maxResponseBytes} bytes`, response?.statusCode));

    const request = (spec.url.protocol === 'https:' ? https : http).request(
      spec.url,
      { method: spec.method, headers: spec.headers, agent: spec.agent },
      (res) => {
        response = res;
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > spec.maxResponseBytes) return tooLarge();
        const encoding = String(res.headers['content-encoding'] ?? '')
          .trim()
          .toLowerCase();
        const makeDecoder = DECODERS[encoding];
        const stream: Readable = makeDecoder ? res.pipe(makeDecoder()) : res;
        if (makeDecoder) decoder = stream;
        const chunks: Buffer[] = [];
        let size = 0;
        stream.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > spec.maxResponseBytes) return tooLarge();
          chunks.push(chunk);
        });
        stream.on('end', () => {
          finish(undefined, { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
        });
        stream.on('error', (err: Error & { code?: string }) =>
          finish(
            makeDecoder && !err.code?.startsWith('ECONN')
              ? new TransportError('BAD_ENCODING', `response body is not valid ${encoding}`, res.statusCode)
              : classify(err),
          ),
        );
        res.on('error', (err) => finish(classify(err)));
        res.on('close', () => {
          if (!res.complete) finish(new TransportError('ECONNRESET', 'connection closed before the response was complete'));
        });
      },
    );
    if (spec.onSocket) request.once('socket', spec.onSocket);
    request.on('error', (err) => finish(classify(err)));
    if (spec.signal?.aborted) return onAbort();
    spec.signal?.addEventListener('abort', onAbort, { once: true });
    request.end(spec.body);
  });
}

// ------------------------------------------------------------------ agents

export interface AgentOptions {
  ca?: string;
  maxSockets: number;
  /** Bounds a proxy's CONNECT, which would otherwise outlive the attempt that asked for it. */
  connectTimeoutMs: number;
  proxy?: ProxySettings;
}

export interface AgentLease {
  readonly agent: http.Agent;
  /** The proxy in use, for messages (no user info), or undefined for a direct connection. */
  readonly proxy?: string;
  /** Set when the environment names a proxy this transport cannot use (it then connects directly). */
  readonly proxyProblem?: Text;
  release(): void;
}

interface PooledAgent {
  agent: http.Agent;
  refs: number;
}
const agentPool = new Map<string, PooledAgent>();

/** An HTTP(S) proxy from the environment, or a note on why it cannot be used. */
export function usableProxy(target: URL, settings?: ProxySettings): { proxy?: URL; problem?: Text } {
  const raw = proxyForUrl(target, settings);
  if (!raw) return {};
  try {
    const proxy = new URL(raw);
    if (proxy.protocol === 'http:' || proxy.protocol === 'https:') return { proxy };
  } catch {
    // reported below
  }
  return { problem: text('proxy.unusable', { proxy: displayUrl(raw) }) };
}

/** An agent whose CONNECT to the proxy is bounded in time. */
function tunnelAgent(target: URL, proxy: URL, options: http.AgentOptions & { ca?: string }, connectTimeoutMs: number): http.Agent {
  const Base = target.protocol === 'https:' || target.protocol === 'wss:' ? HttpsProxyAgent : HttpProxyAgent;
  class BoundedTunnel extends Base {
    override createConnection(opts: http.ClientRequestArgs, callback?: (err: Error | null, stream: Duplex) => void) {
      return super.createConnection({ ...opts, timeout: connectTimeoutMs }, (err, stream) => {
        // mqtt.js reports only stream errors with a socket code; a refused tunnel is one.
        if (err && proxyRefusalStatus(err) !== undefined) Object.assign(err, { code: 'ECONNREFUSED' });
        callback?.(err, stream);
      });
    }
  }
  return new BoundedTunnel({ ...options, proxy });
}

/**
 * An agent for connections that are not pooled (the event stream's WebSocket): through the proxy
 * the environment names for `target`, or undefined for a direct connection. The caller destroys it.
 */
export function proxyAgentFor(
  target: URL,
  options: { ca?: string; connectTimeoutMs: number; proxy?: ProxySettings },
): { agent?: http.Agent; proxy?: string; problem?: Text } {
  const { proxy, problem } = usableProxy(target, options.proxy);
  if (!proxy) return { problem };
  return { agent: tunnelAgent(target, proxy, { keepAlive: false, ca: options.ca || undefined }, options.connectTimeoutMs), proxy: displayUrl(proxy.href) };
}

/**
 * One keep-alive agent per origin, CA and proxy, shared by every client of that origin and
 * destroyed with the last one, so redeploys leave no sockets (and no tunnels) behind.
 */
export function acquireAgent(target: URL, options: AgentOptions): AgentLease {
  const { proxy, problem } = usableProxy(target, options.proxy);
  const key = `${target.origin}|${options.ca ?? ''}|${proxy?.href ?? ''}|${options.connectTimeoutMs}`;
  let pooled = agentPool.get(key);
  if (!pooled) {
    // Keep every socket of a burst warm (a fleet sends its creates together): a smaller free pool
    // would close the surplus after each burst and pay a new TCP (and TLS) handshake next time.
    const common = { keepAlive: true, keepAliveMsecs: 1000, maxSockets: options.maxSockets, maxFreeSockets: options.maxSockets, ca: options.ca || undefined };
    const agent = proxy
      ? tunnelAgent(target, proxy, common, options.connectTimeoutMs)
      : target.protocol === 'https:'
        ? new https.Agent(common)
        : new http.Agent(common);
    pooled = { agent, refs: 0 };
    agentPool.set(key, pooled);
  }
  pooled.refs += 1;
  const lease = pooled;
  let released = false;
  return {
    agent: lease.agent,
    proxy: proxy ? displayUrl(proxy.href) : undefined,
    proxyProblem: problem,
    release: () => {
      if (released) return;
      released = true;
      lease.refs -= 1;
      if (lease.refs <= 0 && agentPool.get(key) === lease) {
        agentPool.delete(key);
        lease.agent.destroy();
      }
    },
  };
}

/** For tests and diagnostics: how many pooled agents are alive. */
export function pooledAgentCount(): number {
  return agentPool.size;
}
