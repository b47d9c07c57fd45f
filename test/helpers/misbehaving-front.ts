/**
 * A platform that misbehaves, as a real network sometimes does: a plain HTTP server in front of the
 * simulator that forwards every request unchanged, except those a rule matches, which it answers
 * slowly (drip: headers, then one byte per interval, forever), with an oversized body, or with the
 * upstream answer rewritten (e.g. another command_id). It records what it did to each request.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import { Changes } from './wait';

export type Misbehaviour =
  | { kind: 'drip'; intervalMs: number }
  | { kind: 'oversize'; bytes: number; declareLength: boolean }
  | { kind: 'rewrite'; change: (body: any) => any };

export interface Rule {
  /** Matches "METHOD /path" by prefix. */
  match: string;
  behaviour: Misbehaviour;
}

/** What happened to one misbehaved request. */
export interface MisbehavedRequest {
  key: string;
  kind: Misbehaviour['kind'];
  /** Body bytes the server managed to write before the client went away. */
  bytesWritten: number;
  startedAt: number;
  /** When the client closed the connection (undefined while it is still open). */
  closedAt?: number;
  closed: Promise<void>;
}

export interface MisbehavingFront {
  url: string;
  rules: Rule[];
  records: MisbehavedRequest[];
  /** Resolves once `n` requests matched a rule of this kind (bounded). */
  waitForRecords(kind: Misbehaviour['kind'], n: number, timeoutMs?: number): Promise<MisbehavedRequest[]>;
  close(): Promise<void>;
}

/** With `tls`, the front serves https (e.g. a platform with a private CA) and forwards as plain http. */
export async function startMisbehavingFront(upstream: string, tls?: { key: string | Buffer; cert: string | Buffer }): Promise<MisbehavingFront> {
  const target = new URL(upstream);
  const rules: Rule[] = [];
  const records: MisbehavedRequest[] = [];
  const changes = new Changes();
  const sockets = new Set<Socket>();
  const notify = () => changes.changed();

  const forward = (req: http.IncomingMessage, onResponse: (up: http.IncomingMessage) => void, onError: () => void) => {
    const up = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, onResponse);
    up.on('error', onError);
    req.pipe(up);
  };

  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const key = `${req.method} ${req.url?.split('?')[0]}`;
    const rule = rules.find((r) => key.startsWith(r.match));
    if (!rule) {
      forward(
        req,
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
        () => res.destroy(),
      );
      return;
    }
    let resolveClosed!: () => void;
    const record: MisbehavedRequest = { key, kind: rule.behaviour.kind, bytesWritten: 0, startedAt: Date.now(), closed: new Promise((r) => (resolveClosed = r)) };
    records.push(record);
    // The response closes when it was sent in full or when its connection went away.
    res.once('close', () => {
      record.closedAt = Date.now();
      resolveClosed();
    });
    notify();
    const b = rule.behaviour;
    if (b.kind === 'drip') {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
      const body = Buffer.from(' '.repeat(1_000_000));
      let i = 0;
      const timer = setInterval(() => {
        if (res.destroyed) return clearInterval(timer);
        res.write(body.subarray(i, i + 1));
        i++;
        record.bytesWritten++;
      }, b.intervalMs);
      res.once('close', () => clearInterval(timer));
    } else if (b.kind === 'oversize') {
      req.resume();
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      chunk[0] = 0x5b; // starts like a JSON array, so only its size is wrong
      res.writeHead(200, { 'content-type': 'application/json', ...(b.declareLength ? { 'content-length': String(b.bytes) } : {}) });
      // Respect backpressure: bytesWritten counts what the client's socket accepted, not a buffer.
      const pump = () => {
        while (!res.destroyed && record.bytesWritten < b.bytes) {
          const n = Math.min(chunk.length, b.bytes - record.bytesWritten);
          record.bytesWritten += n;
          if (!res.write(chunk.subarray(0, n))) return void res.once('drain', pump);
        }
        if (!res.destroyed) res.end();
      };
      pump();
    } else {
      forward(
        req,
        (up) => {
          const parts: Buffer[] = [];
          up.on('data', (c: Buffer) => parts.push(c));
          up.on('end', () => {
            const text = Buffer.concat(parts).toString('utf8');
            let out = text;
            try {
              out = JSON.stringify(b.change(JSON.parse(text)));
            } catch {
              // not JSON: pass it on unchanged
            }
            const headers = { ...up.headers, 'content-length': String(Buffer.byteLength(out)) };
            res.writeHead(up.statusCode ?? 502, headers);
            res.end(out);
            record.bytesWritten = Buffer.byteLength(out);
          });
        },
        () => res.destroy(),
      );
    }
  };
  const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
  server.on(tls ? 'secureConnection' : 'connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    rules,
    records,
    waitForRecords: (kind, n, timeoutMs = 15_000) =>
      changes.until(
        () => {
          const got = records.filter((r) => r.kind === kind);
          return got.length >= n && got;
        },
        () => `${n} ${kind} request(s); got ${records.filter((r) => r.kind === kind).length}`,
        timeoutMs,
      ),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
