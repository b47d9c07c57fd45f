/**
 * The simulated platform's HTTP side (node:http, no framework): the signed `/api/v1/open/*` API
 * and the unsigned, loopback-only `/__sim/*` test-control surface.
 */
import { randomUUID } from 'crypto';
import http, { IncomingMessage, ServerResponse } from 'http';
import { Socket } from 'net';
import { DJI_METHOD_NAMES } from '../src/core/catalogue/methods';
import {
  HEADER_API_ID,
  HEADER_NONCE,
  HEADER_SIGNATURE,
  HEADER_TIMESTAMP,
  parseRawQuery,
  signatureMatches,
} from '../src/core/signer';
import { SimControl, SimControlError } from './control';
import {
  commandView,
  Credential,
  deviceRequestView,
  isPlainObject,
  iso,
  PlatformCore,
} from './platform';

export const MAX_BODY_BYTES = 1024 * 1024;
const DJI_METHODS: ReadonlySet<string> = new Set(DJI_METHOD_NAMES.map((m) => m.method));

interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const error = (status: number, code: string, message: string): Reply => ({ status, body: { code, message } });

/** True for 127.0.0.0/8, ::1 and IPv4-mapped loopback (::ffff:127.x.x.x). */
export function isLoopbackAddress(address: string | undefined | null): boolean {
  if (!address) return false;
  const a = address.toLowerCase();
  if (a === '::1' || a === '0:0:0:0:0:0:0:1') return true;
  const v4 = a.startsWith('::ffff:') ? a.slice(7) : a;
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(v4);
  if (!m) return false;
  return Number(m[1]) === 127 && m.slice(2).every((o) => Number(o) <= 255);
}

interface Route {
  key: string;
  method: string;
  pattern: RegExp;
  scope: string;
}

const ID = '([^/]+)';
const ROUTES: Route[] = [
  {
    key: 'POST /api/v1/open/downlink/commands',
    method: 'POST',
    pattern: /^\/api\/v1\/open\/downlink\/commands$/,
    scope: 'open:command:create',
  },
  {
    key: 'GET /api/v1/open/downlink/commands/:id',
    method: 'GET',
    pattern: new RegExp(`^/api/v1/open/downlink/commands/${ID}$`),
    scope: 'open:command:read',
  },
  {
    key: 'GET /api/v1/open/device-requests',
    method: 'GET',
    pattern: /^\/api\/v1\/open\/device-requests$/,
    scope: 'open:device-request:read',
  },
  {
    key: 'GET /api/v1/open/device-requests/:id',
    method: 'GET',
    pattern: new RegExp(`^/api/v1/open/device-requests/${ID}$`),
    scope: 'open:device-request:read',
  },
  {
    key: 'POST /api/v1/open/device-requests/:id/reply',
    method: 'POST',
    pattern: new RegExp(`^/api/v1/open/device-requests/${ID}/reply$`),
    scope: 'open:device-request:create',
  },
];

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

type BodyResult = { ok: true; body: Buffer } | { ok: false; tooLarge: true };

function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        if (size > 64 * limit) req.destroy(); // refuse to drain absurd bodies
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? { ok: false, tooLarge: true } : { ok: true, body: Buffer.concat(chunks) }));
    req.on('error', reject);
    req.on('aborted', () => reject(new Error('aborted')));
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  if (Array.isArray(v)) return v[0];
  return v === undefined || v === '' ? undefined : v;
}

export interface HttpServerHandle {
  server: http.Server;
  close(): Promise<void>;
}

export interface HttpOptions {
  log: (line: string) => void;
}

export function createHttpServer(platform: PlatformCore, control: SimControl, opts: HttpOptions): HttpServerHandle {
  const sockets = new Set<Socket>();
  const faults = control.faultBook;
  const nonces = new Map<string, Map<string, number>>();
  let lastNoncePrune = 0;

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      opts.log(`http handler error: ${err.message}`);
      if (!res.headersSent && !res.destroyed) {
        try {
          send(res, error(500, 'INTERNAL_ERROR', 'internal simulator error'), `req-${randomUUID()}`);
        } catch {
          res.destroy();
        }
      }
    });
  });
  server.keepAliveTimeout = 5000;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  /**
   * Writes a JSON reply. Error envelopes always carry `request_id` (the trace id); API success
   * bodies get it too unless their own `request_id` is a device-request id (see `keep`).
   */
  function send(res: ServerResponse, reply: Reply, requestId: string, api = true): void {
    let body = reply.body;
    if (isPlainObject(body) && (reply.status >= 400 || (api && !(body as { __keep?: boolean }).__keep))) {
      body = { ...body, request_id: requestId };
    }
    const payload = Buffer.from(JSON.stringify(body));
    res.writeHead(reply.status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': String(payload.length),
      'X-Request-Id': requestId,
      Date: new Date(platform.now()).toUTCString(),
      ...(reply.headers ?? {}),
    });
    res.end(payload);
  }

  function rememberNonce(apiId: string, nonce: string, timestampSec: number): boolean {
    const now = platform.now();
    const windowMs = platform.timestampWindowSeconds * 1000;
    if (now - lastNoncePrune > 1000) {
      lastNoncePrune = now;
      for (const [id, map] of nonces) {
        for (const [n, expiry] of map) if (expiry < now) map.delete(n);
        if (map.size === 0) nonces.delete(id);
      }
    }
    let map = nonces.get(apiId);
    if (!map) nonces.set(apiId, (map = new Map()));
    const expiry = map.get(nonce);
    if (expiry !== undefined && expiry >= now) return false;
    map.set(nonce, Math.max(now, timestampSec * 1000 + windowMs));
    return true;
  }

  function authenticate(
    req: IncomingMessage,
    rawPath: string,
    rawQuery: string,
    body: Buffer,
  ): { ok: true; credential: Credential } | { ok: false; reply: Reply } {
    const fail = (status: number, code: string, message: string): { ok: false; reply: Reply } => {
      platform.counters.auth_failures[code] = (platform.counters.auth_failures[code] ?? 0) + 1;
      return { ok: false, reply: error(status, code, message) };
    };
    const apiId = header(req, HEADER_API_ID);
    const timestamp = header(req, HEADER_TIMESTAMP);
    const nonce = header(req, HEADER_NONCE);
    const signature = header(req, HEADER_SIGNATURE);
    const missing = [
      [HEADER_API_ID, apiId],
      [HEADER_TIMESTAMP, timestamp],
      [HEADER_NONCE, nonce],
      [HEADER_SIGNATURE, signature],
    ]
      .filter(([, v]) => v === undefined)
      .map(([n]) => n);
    if (missing.length > 0) return fail(401, 'UNAUTHORIZED', `missing header ${missing.join(', ')}`);
    const credential = platform.credentials.get(apiId!);
    if (!credential) return fail(401, 'UNAUTHORIZED', 'unknown API id');
    const nowSec = Math.floor(platform.now() / 1000);
    if (!/^\d{1,15}$/.test(timestamp!)) {
      return fail(401, 'TIMESTAMP_EXPIRED', 'X-Api-Timestamp must be Unix time in seconds');
    }
    if (Math.abs(Number(timestamp) - nowSec) > platform.timestampWindowSeconds) {
      return fail(401, 'TIMESTAMP_EXPIRED', `X-Api-Timestamp outside the allowed window of ±${platform.timestampWindowSeconds} s`);
    }
    const valid =
      /^[0-9a-f]{64}$/.test(signature!) &&
      signatureMatches(
        {
          method: req.method ?? 'GET',
          path: rawPath,
          query: parseRawQuery(rawQuery),
          body,
          apiId: apiId!,
          timestamp: timestamp!,
          nonce: nonce!,
        },
        credential.apiKey,
        signature!,
      );
    if (!valid) return fail(401, 'SIGNATURE_INVALID', 'signature does not match the request');
    if (!rememberNonce(apiId!, nonce!, Number(timestamp))) {
      return fail(401, 'NONCE_REPLAYED', 'nonce already used within the replay window');
    }
    return { ok: true, credential };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const given = header(req, 'X-Request-Id');
    const requestId = given && given.length <= 200 ? given : `req-${randomUUID()}`;
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const rawPath = q < 0 ? url : url.slice(0, q);
    const rawQuery = q < 0 ? '' : url.slice(q + 1);
    const method = (req.method ?? 'GET').toUpperCase();

    if (rawPath === '/__sim' || rawPath.startsWith('/__sim/')) {
      const read = await readBody(req, MAX_BODY_BYTES);
      if (!isLoopbackAddress(req.socket.remoteAddress)) {
        return send(res, error(403, 'FORBIDDEN', 'the control surface only answers loopback clients'), requestId);
      }
      if (!read.ok) return send(res, error(413, 'PAYLOAD_TOO_LARGE', 'body exceeds 1 MiB'), requestId);
      return send(res, await handleControl(method, rawPath, read.body), requestId, false);
    }

    if (!rawPath.startsWith('/api/v1/open/')) {
      await readBody(req, MAX_BODY_BYTES).catch(() => undefined);
      return send(res, error(404, 'NOT_FOUND', `no route for ${method} ${rawPath}`), requestId);
    }

    const callKey = `${method} ${rawPath}`;
    const route = ROUTES.find((r) => r.pattern.test(rawPath) && r.method === method);
    platform.counters.total_calls++;
    if (route) platform.counters.calls[route.key] = (platform.counters.calls[route.key] ?? 0) + 1;

    const latency = faults.takeLatency(callKey);
    const drop = faults.takeDrop(callKey);
    if (drop === 'before') {
      req.socket.destroy();
      return;
    }
    const read = await readBody(req, MAX_BODY_BYTES);
    if (latency > 0) await new Promise((r) => setTimeout(r, latency));
    if (res.destroyed || req.socket.destroyed) return;

    const finish = (reply: Reply): void => {
      if (drop === 'after') {
        req.socket.destroy();
        return;
      }
      send(res, reply, requestId);
    };

    const fault = faults.takeFault(callKey);
    if (fault) {
      platform.counters.faults_injected++;
      const code = fault.code ?? (fault.status === 429 ? 'RATE_LIMITED' : fault.status >= 500 ? 'INTERNAL_ERROR' : 'INJECTED_FAULT');
      const reply = error(fault.status, code, fault.message ?? 'injected fault');
      if (fault.retry_after !== undefined) reply.headers = { 'Retry-After': String(fault.retry_after) };
      return finish(reply);
    }
    if (!read.ok) return finish(error(413, 'PAYLOAD_TOO_LARGE', `request body exceeds ${MAX_BODY_BYTES} bytes`));

    if (!route) {
      const other = ROUTES.find((r) => r.pattern.test(rawPath));
      if (other) return finish(error(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${rawPath}`));
      return finish(error(404, 'NOT_FOUND', `no route for ${method} ${rawPath}`));
    }

    const auth = authenticate(req, rawPath, rawQuery, read.body);
    if (!auth.ok) return finish(auth.reply);
    if (!auth.credential.scopes.has(route.scope)) {
      platform.counters.auth_failures.FORBIDDEN = (platform.counters.auth_failures.FORBIDDEN ?? 0) + 1;
      return finish(error(403, 'FORBIDDEN', `missing permission ${route.scope}`));
    }
    const params = (route.pattern.exec(rawPath) ?? []).slice(1).map(decodeSegment);
    finish(dispatchApi(route.key, params, rawQuery, read.body, auth.credential, requestId));
  }

  function parseJson(body: Buffer): { ok: true; value: unknown } | { ok: false } {
    if (body.length === 0) return { ok: false };
    try {
      return { ok: true, value: JSON.parse(body.toString('utf8')) as unknown };
    } catch {
      return { ok: false };
    }
  }

  function dispatchApi(
    key: string,
    params: string[],
    rawQuery: string,
    body: Buffer,
    credential: Credential,
    requestId: string,
  ): Reply {
    switch (key) {
      case 'POST /api/v1/open/downlink/commands':
        return createCommand(body, credential, requestId);
      case 'GET /api/v1/open/downlink/commands/:id': {
        const rec = platform.getCommand(params[0]);
        if (!rec || rec.tenantId !== credential.tenantId) {
          return error(404, 'COMMAND_NOT_FOUND', `command ${params[0]} not found`);
        }
        return { status: 200, body: commandView(rec, requestId) };
      }
      case 'GET /api/v1/open/device-requests':
        return listDeviceRequests(rawQuery, credential);
      case 'GET /api/v1/open/device-requests/:id': {
        const rec = platform.getDeviceRequest(params[0]);
        if (!rec || credential.tenantId !== platform.tenantId) {
          return error(404, 'DEVICE_REQUEST_NOT_FOUND', `device request ${params[0]} not found`);
        }
        return { status: 200, body: keep(deviceRequestView(rec)) };
      }
      case 'POST /api/v1/open/device-requests/:id/reply':
        return replyDeviceRequest(params[0], body, credential);
      default:
        return error(404, 'NOT_FOUND', 'no route');
    }
  }

  function createCommand(body: Buffer, credential: Credential, requestId: string): Reply {
    const parsed = parseJson(body);
    if (!parsed.ok) return error(400, 'INVALID_REQUEST_BODY', 'request body is not valid JSON');
    const b = parsed.value;
    if (!isPlainObject(b)) return error(400, 'VALIDATION_FAILED', 'request body must be a JSON object');
    for (const f of ['vendor', 'device_id', 'command_type'] as const) {
      if (typeof b[f] !== 'string' || (b[f] as string).length === 0) {
        return error(400, 'VALIDATION_FAILED', `${f} is required and must be a non-empty string`);
      }
    }
    if (!isPlainObject(b.payload)) {
      return error(400, 'VALIDATION_FAILED', 'payload is required and must be a JSON object ({} when empty)');
    }
    const key = b.idempotency_key;
    if (typeof key !== 'string' || key.length === 0 || key.length > 128) {
      return error(400, 'VALIDATION_FAILED', 'idempotency_key is required: a non-empty string of at most 128 characters');
    }
    let timeout = 30;
    if (b.timeout_seconds !== undefined) {
      const t = b.timeout_seconds;
      if (typeof t !== 'number' || !Number.isInteger(t) || t < 1 || t > 300) {
        return error(400, 'VALIDATION_FAILED', 'timeout_seconds must be an integer from 1 to 300');
      }
      timeout = t;
    }
    if (b.vendor !== 'dji') return error(400, 'UNSUPPORTED_VENDOR', `vendor ${String(b.vendor)} is not supported`);
    if (!DJI_METHODS.has(b.command_type as string)) {
      return error(400, 'UNSUPPORTED_COMMAND', `command_type ${String(b.command_type)} is not in the DJI catalogue`);
    }
    const outcome = platform.createCommand(
      credential.tenantId,
      {
        vendor: b.vendor,
        device_id: b.device_id as string,
        command_type: b.command_type as string,
        payload: b.payload,
        idempotency_key: key,
        timeout_seconds: timeout,
      },
      b,
      requestId,
    );
    if (outcome.kind === 'conflict') {
      return error(409, 'IDEMPOTENCY_CONFLICT', 'idempotency_key was already used with a different request body');
    }
    return {
      status: outcome.kind === 'created' ? 202 : 200,
      body: { command_id: outcome.record.id, status: 'ACCEPTED', accepted_at: iso(outcome.record.acceptedAt) },
    };
  }

  function listDeviceRequests(rawQuery: string, credential: Credential): Reply {
    const filter: { vendor?: string; device_id?: string; request_type?: string; limit: number } = { limit: 100 };
    const seen = new Set<string>();
    for (const [name, value] of parseRawQuery(rawQuery)) {
      if (seen.has(name)) return error(400, 'VALIDATION_FAILED', `query parameter ${name} given more than once`);
      seen.add(name);
      if (name === 'vendor' || name === 'device_id' || name === 'request_type') {
        if (value === '') return error(400, 'VALIDATION_FAILED', `query parameter ${name} must not be empty`);
        filter[name] = value;
      } else if (name === 'limit') {
        if (!/^\d{1,4}$/.test(value) || Number(value) < 1 || Number(value) > 500) {
          return error(400, 'VALIDATION_FAILED', 'limit must be an integer from 1 to 500');
        }
        filter.limit = Number(value);
      } else {
        return error(400, 'VALIDATION_FAILED', `unknown query parameter ${name}`);
      }
    }
    const items = credential.tenantId === platform.tenantId ? platform.listDeviceRequests(filter) : [];
    return { status: 200, body: { items: items.map(deviceRequestView) } };
  }

  function replyDeviceRequest(id: string, body: Buffer, credential: Credential): Reply {
    const parsed = parseJson(body);
    if (!parsed.ok) return error(400, 'INVALID_REQUEST_BODY', 'request body is not valid JSON');
    const b = parsed.value;
    if (!isPlainObject(b)) return error(400, 'VALIDATION_FAILED', 'request body must be a JSON object');
    if (typeof b.reply_code !== 'string' || b.reply_code.length === 0) {
      return error(400, 'VALIDATION_FAILED', 'reply_code is required and must be a non-empty string');
    }
    if (b.reply_message !== undefined && typeof b.reply_message !== 'string') {
      return error(400, 'VALIDATION_FAILED', 'reply_message must be a string');
    }
    if (b.payload !== undefined && !isPlainObject(b.payload)) {
      return error(400, 'VALIDATION_FAILED', 'payload must be a JSON object');
    }
    if (credential.tenantId !== platform.tenantId) {
      return error(404, 'DEVICE_REQUEST_NOT_FOUND', `device request ${id} not found`);
    }
    const r = platform.replyDeviceRequest(id, {
      reply_code: b.reply_code,
      reply_message: b.reply_message as string | undefined,
      payload: b.payload as Record<string, unknown> | undefined,
    });
    if (r.kind === 'not_found') return error(404, 'DEVICE_REQUEST_NOT_FOUND', `device request ${id} not found`);
    if (r.kind === 'conflict') {
      return error(409, 'DEVICE_REQUEST_ALREADY_REPLIED', `device request ${id} has already been replied to`);
    }
    return {
      status: 202,
      body: keep({
        request_id: r.record.requestId,
        reply_code: r.record.replyCode,
        reply_message: r.record.replyMessage,
        reply_source: 'manual',
        replied_at: iso(r.record.repliedAt!),
      }),
    };
  }

  async function handleControl(method: string, path: string, body: Buffer): Promise<Reply> {
    let input: unknown = {};
    if (body.length > 0) {
      const parsed = parseJson(body);
      if (!parsed.ok) return error(400, 'INVALID_REQUEST_BODY', 'request body is not valid JSON');
      input = parsed.value;
    }
    const ok = (b: unknown, status = 200): Reply => ({ status, body: b });
    const seg = path.split('/').slice(2).map(decodeSegment); // ['', '__sim', ...] → rest
    const route = `${method} /${seg.map((s, i) => (i > 0 && (seg[0] === 'docks' || seg[0] === 'commands') && i === 1 ? ':id' : s)).join('/')}`;
    try {
      switch (route) {
        case 'GET /health':
          return ok(control.health());
        case 'GET /counters':
          return ok(control.counters());
        case 'POST /counters/reset':
          control.resetCounters();
          return ok(control.counters());
        case 'GET /faults':
          return ok(control.faults());
        case 'POST /faults':
          control.addFault(input as never);
          return ok(control.faults());
        case 'DELETE /faults':
          control.clearFaults();
          return ok(control.faults());
        case 'POST /latency':
          control.addLatency(input as never);
          return ok(control.faults());
        case 'POST /drop':
          control.addDrop(input as never);
          return ok(control.faults());
        case 'GET /clock':
          return ok(control.clock());
        case 'POST /clock':
          return ok(control.setClock(input as never));
        case 'POST /credentials':
          return ok(control.setCredential(input as never));
        case 'GET /docks':
          return ok({ items: control.listDocks() });
        case 'GET /docks/:id':
          return ok(control.getDock(seg[1]));
        case 'POST /docks/:id':
          return ok(await control.configureDock(seg[1], input as never));
        case 'GET /requests/auto-reply':
          return ok(control.autoReply());
        case 'POST /requests/auto-reply':
          return ok(control.setAutoReply(input as never));
        case 'POST /docks/:id/requests':
          return ok(keep(await control.raiseDeviceRequest(seg[1], input as never)));
        case 'GET /commands/:id':
          return ok(control.getCommand(seg[1]));
        case 'GET /commands':
          return ok({ items: control.listCommands() });
        case 'POST /broker/restart':
          return ok(await control.restartBroker(input as never));
        case 'POST /broker/events':
          return ok(control.setEventForwarding(input as never));
        default: {
          const known = /^(GET|POST|DELETE) \/(health|counters|counters\/reset|faults|latency|drop|clock|credentials|docks|docks\/:id|docks\/:id\/requests|requests\/auto-reply|commands|commands\/:id|broker\/restart|broker\/events)$/;
          const samePath = ['GET', 'POST', 'DELETE'].some((m) => known.test(`${m} ${route.slice(route.indexOf(' ') + 1)}`));
          return samePath
            ? error(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}`)
            : error(404, 'NOT_FOUND', `no control route ${method} ${path}`);
        }
      }
    } catch (err) {
      if (err instanceof SimControlError) return error(err.status, err.code, err.message);
      throw err;
    }
  }

  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const s of sockets) s.destroy();
      }),
  };
}

/** Marks a body whose own `request_id` (a device-request id) must not be replaced by the trace id. */
function keep(body: Record<string, unknown>): Record<string, unknown> {
  return Object.defineProperty({ ...body }, '__keep', { value: true, enumerable: false });
}
