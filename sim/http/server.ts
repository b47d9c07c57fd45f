/**
 * The simulator's HTTP server: the signed platform API under /api/v1/open/, the test controls
 * under /__sim/ and the object storage behind presigned URLs under /objects/, each surface with
 * its own route table. API calls pass the fault book (faults, latency, drops) before
 * authentication, as a misbehaving network or platform would.
 */
import { randomUUID } from 'crypto';
import http, { IncomingMessage, ServerResponse } from 'http';
import { Socket } from 'net';
import { isPlainObject } from '../../src/core/plain-data';
import type { SimControl } from '../control';
import { MAX_OBJECT_BYTES, OBJECTS_PATH, ObjectStore, StorageReply } from '../object-store';
import type { PlatformCore } from '../platform/platform';
import { API_PREFIX, API_ROUTES } from './api-routes';
import { NonceBook, authenticate, checkScope } from './auth';
import { CONTROL_PREFIX, CONTROL_ROUTES, runControl } from './control-routes';
import { parseJson } from '../json';
import { MAX_BODY_BYTES, Reply, errorReply, header, invalidJson, isKept, isLoopbackAddress, readBody } from './io';
import { Route, routeKey, routeTable } from './routes';

export interface HttpServerHandle {
  server: http.Server;
  close(): Promise<void>;
}

export interface HttpOptions {
  log: (line: string) => void;
  /** The object storage behind presigned URLs, served on /objects/. */
  objects: ObjectStore;
}

interface Incoming {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  rawPath: string;
  rawQuery: string;
  requestId: string;
}

const apiTable = routeTable(API_ROUTES);
const controlTable = routeTable(CONTROL_ROUTES);
/** Storage checks the URL's signature, method and expiry itself. */
const objectTable = routeTable<Route>([{ method: '*', path: `${OBJECTS_PATH}*` }]);

const noRoute = (method: string, rawPath: string): Reply => errorReply(404, 'NOT_FOUND', `no route for ${method} ${rawPath}`);
const wrongMethod = (method: string, rawPath: string): Reply => errorReply(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${rawPath}`);

export function createHttpServer(platform: PlatformCore, control: SimControl, opts: HttpOptions): HttpServerHandle {
  const sockets = new Set<Socket>();
  const faults = control.faultBook;
  const nonces = new NonceBook(platform);

  /**
   * Writes a JSON reply. Error envelopes always carry `request_id` (the trace id); API success
   * bodies get it too unless their own `request_id` is a device-request id (see `keep`).
   */
  function send(res: ServerResponse, reply: Reply, requestId: string, api = true): void {
    let body = reply.body;
    if (isPlainObject(body) && (reply.status >= 400 || (api && !isKept(body)))) body = { ...body, request_id: requestId };
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

  async function serveControl({ req, res, method, rawPath, requestId }: Incoming): Promise<void> {
    const read = await readBody(req, MAX_BODY_BYTES);
    if (!isLoopbackAddress(req.socket.remoteAddress)) {
      return send(res, errorReply(403, 'FORBIDDEN', 'the control surface only answers loopback clients'), requestId);
    }
    if (!read.ok) return send(res, errorReply(413, 'PAYLOAD_TOO_LARGE', 'body exceeds 1 MiB'), requestId);
    let input: unknown = {};
    if (read.body.length > 0) {
      const parsed = parseJson(read.body);
      if (!parsed.ok) return send(res, invalidJson(), requestId, false);
      input = parsed.value;
    }
    const match = controlTable.match(method, rawPath);
    if (match.kind === 'wrong_method') return send(res, wrongMethod(method, rawPath), requestId, false);
    if (match.kind === 'none') return send(res, errorReply(404, 'NOT_FOUND', `no control route ${method} ${rawPath}`), requestId, false);
    const reply = await runControl(match.route, { control, objects: opts.objects, params: match.params, input });
    send(res, reply, requestId, false);
  }

  /** Object storage: loopback clients only, like the control surface. */
  async function serveObject({ req, res, method, rawPath, rawQuery }: Incoming): Promise<void> {
    const read = await readBody(req, MAX_OBJECT_BYTES);
    const reply: StorageReply = isLoopbackAddress(req.socket.remoteAddress)
      ? opts.objects.serve({ method, rawPath, rawQuery, contentType: header(req, 'Content-Type') ?? '', body: read.ok ? read.body : undefined })
      : { status: 403, body: { code: 'FORBIDDEN', message: 'object storage only answers loopback clients' } };
    const bytes = Buffer.isBuffer(reply.body) ? reply.body : Buffer.from(JSON.stringify(reply.body));
    res.writeHead(reply.status, {
      'Content-Type': Buffer.isBuffer(reply.body) ? 'application/octet-stream' : 'application/json; charset=utf-8',
      ...(reply.headers ?? {}),
      'Content-Length': String(bytes.length),
    });
    res.end(bytes);
  }

  async function serveApi({ req, res, method, rawPath, rawQuery, requestId }: Incoming): Promise<void> {
    const callKey = `${method} ${rawPath}`;
    const match = apiTable.match(method, rawPath);
    platform.counters.total_calls++;
    if (match.kind === 'found') {
      const key = routeKey(match.route);
      platform.counters.calls[key] = (platform.counters.calls[key] ?? 0) + 1;
    }

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
      if (drop === 'after') req.socket.destroy();
      else send(res, reply, requestId);
    };

    const fault = faults.takeFault(callKey);
    if (fault) {
      platform.counters.faults_injected++;
      const code = fault.code ?? (fault.status === 429 ? 'RATE_LIMITED' : fault.status >= 500 ? 'INTERNAL_ERROR' : 'INJECTED_FAULT');
      const reply = errorReply(fault.status, code, fault.message ?? 'injected fault');
      if (fault.retry_after !== undefined) reply.headers = { 'Retry-After': String(fault.retry_after) };
      return finish(reply);
    }
    if (!read.ok) return finish(errorReply(413, 'PAYLOAD_TOO_LARGE', `request body exceeds ${MAX_BODY_BYTES} bytes`));
    if (match.kind === 'wrong_method') return finish(wrongMethod(method, rawPath));
    if (match.kind === 'none') return finish(noRoute(method, rawPath));

    const auth = authenticate(platform, nonces, { req, rawPath, rawQuery, body: read.body });
    if (!auth.ok) return finish(auth.reply);
    const forbidden = checkScope(platform, auth.credential, match.route.scope);
    if (forbidden) return finish(forbidden);
    const { credential } = auth;
    finish(match.route.handle({ platform, objects: opts.objects, params: match.params, rawQuery, body: read.body, credential, requestId }));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const given = header(req, 'X-Request-Id');
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const incoming: Incoming = {
      req,
      res,
      method: (req.method ?? 'GET').toUpperCase(),
      rawPath: q < 0 ? url : url.slice(0, q),
      rawQuery: q < 0 ? '' : url.slice(q + 1),
      requestId: given && given.length <= 200 ? given : `req-${randomUUID()}`,
    };
    const { rawPath } = incoming;
    if (rawPath === CONTROL_PREFIX || rawPath.startsWith(`${CONTROL_PREFIX}/`)) return serveControl(incoming);
    if (objectTable.match(incoming.method, rawPath).kind === 'found') return serveObject(incoming);
    if (rawPath.startsWith(API_PREFIX)) return serveApi(incoming);
    await readBody(req, MAX_BODY_BYTES).catch(() => undefined);
    send(res, noRoute(incoming.method, rawPath), incoming.requestId);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      opts.log(`http handler error: ${err.message}`);
      if (!res.headersSent && !res.destroyed) {
        try {
          send(res, errorReply(500, 'INTERNAL_ERROR', 'internal simulator error'), `req-${randomUUID()}`);
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
