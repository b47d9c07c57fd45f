/**
 * Tiny test helpers for the simulator tests: signed requests built on the project's signer (not on
 * the product client), plain control calls, and waiting utilities.
 */
import { randomUUID } from 'crypto';
import http from 'http';
import type { MqttClient } from 'mqtt';
import { signRequest } from '../../src/core/signer';
import { TERMINAL_STATUSES } from '../../src/core/status';

export interface HttpResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: any;
  text: string;
}

export interface RawRequest {
  method: string;
  url: string; // full URL
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** One HTTP request with node:http (no keep-alive so that close() is never held up). */
export function rawRequest(req: RawRequest): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const u = new URL(req.url);
    const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body);
    const r = http.request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        method: req.method,
        agent: false,
        headers: {
          ...(body ? { 'Content-Type': 'application/json', 'Content-Length': String(body.length) } : {}),
          ...(req.headers ?? {}),
          Connection: 'close',
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = undefined;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed, text });
        });
        res.on('error', reject);
      },
    );
    r.on('error', reject);
    if (body) r.write(body);
    r.end();
  });
}

export interface Creds {
  base: string;
  apiId: string;
  apiKey: string;
}

export interface SignedOptions {
  query?: string; // raw query string without '?'
  body?: unknown; // object → JSON; string → as is
  headers?: Record<string, string>;
  timestamp?: number | string;
  nonce?: string;
  /** Change the headers after signing (to test failures). */
  tamper?: (h: Record<string, string>) => void;
  /** Body actually sent (after signing `body`). */
  sendBody?: string;
  /** Query actually sent (after signing `query`). */
  sendQuery?: string;
}

/** Signs and sends one request to the simulator's platform API. */
export function signed(c: Creds, method: string, path: string, opts: SignedOptions = {}): Promise<HttpResult> {
  const bodyText = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  const query = opts.query ? new URLSearchParams(opts.query) : undefined;
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const nonce = opts.nonce ?? randomUUID();
  const h: Record<string, string> = {
    ...signRequest(
      {
        method,
        path,
        query: query ? [...query.entries()] : undefined,
        body: bodyText,
        apiId: c.apiId,
        timestamp,
        nonce,
      },
      c.apiKey,
    ),
    ...(opts.headers ?? {}),
  };
  opts.tamper?.(h);
  return rawRequest({
    method,
    url: c.base + path + ((opts.sendQuery ?? opts.query) ? '?' + (opts.sendQuery ?? opts.query) : ''),
    headers: h,
    body: opts.sendBody ?? bodyText,
  });
}

/** Unsigned call to the /__sim/ control surface. */
export function control(base: string, method: string, path: string, body?: unknown): Promise<HttpResult> {
  return rawRequest({ method, url: base + path, body: body === undefined ? undefined : JSON.stringify(body) });
}

/** Polls `fn` until it returns a truthy value or the time runs out. */
export async function waitFor<T>(fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 5000, stepMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/** Creates a command and polls it (through the signed API) until it is terminal. */
export async function runCommand(
  c: Creds,
  deviceId: string,
  commandType: string,
  payload: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
  timeoutMs = 8000,
): Promise<HttpResult> {
  const created = await signed(c, 'POST', '/api/v1/open/downlink/commands', {
    body: {
      vendor: 'dji',
      device_id: deviceId,
      command_type: commandType,
      payload,
      idempotency_key: randomUUID(),
      ...extra,
    },
  });
  if (created.status !== 202) throw new Error(`create ${commandType}: ${created.status} ${created.text}`);
  const id = created.body.command_id as string;
  return waitFor(async () => {
    const r = await signed(c, 'GET', `/api/v1/open/downlink/commands/${id}`);
    return TERMINAL_STATUSES.has(r.body?.status) ? r : undefined;
  }, timeoutMs);
}

export interface MqttMessage {
  topic: string;
  msg: any;
}

/**
 * Resolves with the first JSON message on `client` (from now on) that `match` accepts; rejects after
 * `timeoutMs`. Call it before causing the message.
 */
export function nextMessage(client: MqttClient, match: (m: MqttMessage) => boolean, timeoutMs = 3000): Promise<MqttMessage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('message', onMessage);
      reject(new Error(`no matching MQTT message within ${timeoutMs} ms`));
    }, timeoutMs);
    function onMessage(topic: string, payload: Buffer): void {
      let m: MqttMessage;
      try {
        m = { topic, msg: JSON.parse(payload.toString('utf8')) };
      } catch {
        return;
      }
      if (!match(m)) return;
      clearTimeout(timer);
      client.off('message', onMessage);
      resolve(m);
    }
    client.on('message', onMessage);
  });
}

/** Resolves with the first line a child process writes on `stream`; rejects when it exits first or after `timeoutMs`. */
export function firstLine(stream: NodeJS.ReadableStream, exited: Promise<unknown>, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => finish(new Error(`no line within ${timeoutMs} ms`)), timeoutMs);
    const onData = (d: Buffer | string): void => {
      buffered += d.toString();
      const nl = buffered.indexOf('\n');
      if (nl >= 0) finish(undefined, buffered.slice(0, nl));
    };
    function finish(err: Error | undefined, line?: string): void {
      clearTimeout(timer);
      stream.off('data', onData);
      if (err) reject(err);
      else resolve(line ?? '');
    }
    stream.on('data', onData);
    void exited.then(() => finish(new Error('the process exited before writing a line')));
  });
}
