/**
 * A plain node:http server that answers the platform's API paths with whatever a test hands it
 * (the seed pages' example bodies, usually): no simulator, no shared assumptions. It checks each
 * request's signature with the project's signing layout and records every call.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Changes } from '../helpers/wait';
import { HEADER_API_ID, HEADER_NONCE, HEADER_SIGNATURE, HEADER_TIMESTAMP, parseRawQuery, signatureMatches } from '../../src/core/signer';

export interface RecordedCall {
  method: string;
  path: string;
  query: Array<[string, string]>;
  body: string;
  signatureValid: boolean;
}

export interface Answer {
  status: number;
  body: unknown;
}

/** Returns the answer for a call, or undefined for 404 NOT_FOUND. */
export type Handler = (call: RecordedCall) => Answer | undefined;

export interface SeedServer {
  url: string;
  apiId: string;
  apiKey: string;
  calls: RecordedCall[];
  /** Resolves once `count` calls match `filter` (bounded by timeoutMs). */
  waitForCalls(filter: (call: RecordedCall) => boolean, count: number, timeoutMs?: number): Promise<RecordedCall[]>;
  close(): Promise<void>;
}

export async function startSeedServer(handle: Handler, credential = { apiId: 'seed-api-id', apiKey: 'seed-api-key-0123456789abcdef' }): Promise<SeedServer> {
  const calls: RecordedCall[] = [];
  const changes = new Changes();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const path = q < 0 ? url : url.slice(0, q);
      const query = parseRawQuery(q < 0 ? '' : url.slice(q + 1));
      const body = Buffer.concat(chunks);
      const header = (name: string) => String(req.headers[name.toLowerCase()] ?? '');
      const signatureValid =
        header(HEADER_API_ID) === credential.apiId &&
        signatureMatches(
          { method: req.method ?? 'GET', path, query, body, apiId: credential.apiId, timestamp: header(HEADER_TIMESTAMP), nonce: header(HEADER_NONCE) },
          credential.apiKey,
          header(HEADER_SIGNATURE),
        );
      const call: RecordedCall = { method: req.method ?? 'GET', path, query, body: body.toString('utf8'), signatureValid };
      calls.push(call);
      let answer: Answer | undefined;
      if (!signatureValid) answer = { status: 401, body: { code: 'SIGNATURE_INVALID', message: 'signature does not match', request_id: 'req-seed' } };
      else answer = handle(call) ?? { status: 404, body: { code: 'NOT_FOUND', message: `no route ${call.method} ${path}`, request_id: 'req-seed' } };
      const text = JSON.stringify(answer.body);
      res.writeHead(answer.status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
      changes.changed();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    apiId: credential.apiId,
    apiKey: credential.apiKey,
    calls,
    waitForCalls(filter, count, timeoutMs = 15_000) {
      return changes.until(
        () => {
          const matching = calls.filter(filter);
          return matching.length >= count && matching;
        },
        () => `${count} matching call(s); got ${calls.filter(filter).length} of ${calls.length}`,
        timeoutMs,
      );
    },
    close: () =>
      new Promise<void>((resolve) => {
        changes.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
