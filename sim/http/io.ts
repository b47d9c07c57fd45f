/** Reading requests and shaping replies for the simulator's HTTP side (node:http, no framework). */
import type { IncomingMessage } from 'http';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** The platform's error envelope (the server adds `request_id`). */
export const errorReply = (status: number, code: string, message: string): Reply => ({ status, body: { code, message } });

export type BodyResult = { ok: true; body: Buffer } | { ok: false; tooLarge: true };

/** Reads the whole body; past `limit` it keeps draining (to answer 413) but holds nothing. */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
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

/** A request header's first value; an empty one counts as absent. */
export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  if (Array.isArray(v)) return v[0];
  return v === undefined || v === '' ? undefined : v;
}

export const invalidJson = (): Reply => errorReply(400, 'INVALID_REQUEST_BODY', 'request body is not valid JSON');

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

/** Marks a body whose own `request_id` (a device-request id) must not be replaced by the trace id. */
export function keep(body: Record<string, unknown>): Record<string, unknown> {
  return Object.defineProperty({ ...body }, '__keep', { value: true, enumerable: false });
}

export function isKept(body: Record<string, unknown>): boolean {
  return (body as { __keep?: boolean }).__keep === true;
}
