/**
 * The simulated tenant object storage behind the platform's presigned URLs: policies (bucket, key
 * prefix, methods, max TTL), signing, and an in-memory store that serves the signed URLs on
 * `/objects/{bucket}/{key}`, loopback clients only. Expiry and signature are enforced like S3
 * does: a URL works for its method until its expiry, with the headers it was signed for.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'crypto';
import { md5Hex } from '../src/core/wayline/kmz';

export interface ObjectPolicy {
  bucket: string;
  key_prefix: string;
  allowed_methods: Array<'GET' | 'PUT'>;
  max_presign_ttl_seconds: number;
}

export const DEFAULT_OBJECT_POLICIES: ObjectPolicy[] = [
  { bucket: 'tenant-media', key_prefix: 'waylines/', allowed_methods: ['GET', 'PUT'], max_presign_ttl_seconds: 3600 },
];

export const OBJECTS_PATH = '/objects/';
export const MAX_OBJECT_BYTES = 16 * 1024 * 1024;

export interface StoredObject {
  bytes: Buffer;
  contentType: string;
  storedAt: number;
}

export interface ObjectCounters {
  puts: number;
  gets: number;
  /** Requests storage refused: expired, bad signature, wrong method, missing object. */
  refused: Record<string, number>;
}

export interface SignedUrl {
  method: 'GET' | 'PUT';
  url: string;
  headers: Record<string, string>;
  expires_at: string;
}

export interface StorageRequest {
  method: string;
  rawPath: string;
  rawQuery: string;
  contentType: string;
  /** undefined when the body exceeded MAX_OBJECT_BYTES. */
  body: Buffer | undefined;
}

/** A JSON error body, or the object's bytes. */
export interface StorageReply {
  status: number;
  body: Buffer | Record<string, unknown>;
  headers?: Record<string, string>;
}

export class ObjectStore {
  /** Public origin of the simulator's HTTP server, set once it listens. */
  baseUrl = '';
  /** Shifts storage time only (URL expiry), so tests can make URLs expire without waiting. */
  clockOffsetMs = 0;
  counters: ObjectCounters = { puts: 0, gets: 0, refused: {} };
  private readonly objects = new Map<string, StoredObject>();
  private readonly secret = randomBytes(32);

  constructor(readonly policies: ObjectPolicy[] = DEFAULT_OBJECT_POLICIES) {}

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  /** The policy that allows this request, or why none does. */
  matchPolicy(bucket: string, key: string, method: 'GET' | 'PUT', ttlSeconds: number): { ok: true } | { ok: false; reason: string } {
    const sameBucket = this.policies.filter((p) => p.bucket === bucket);
    if (sameBucket.length === 0) return { ok: false, reason: `no object policy for bucket ${bucket}` };
    const prefixed = sameBucket.filter((p) => key.startsWith(p.key_prefix));
    if (prefixed.length === 0) return { ok: false, reason: `object_key must start with ${sameBucket.map((p) => p.key_prefix).join(' or ')}` };
    const allowing = prefixed.filter((p) => p.allowed_methods.includes(method));
    if (allowing.length === 0) return { ok: false, reason: `method ${method} is not allowed for this prefix` };
    if (!allowing.some((p) => ttlSeconds <= p.max_presign_ttl_seconds)) {
      return { ok: false, reason: `expires_seconds exceeds the policy's maximum of ${Math.max(...allowing.map((p) => p.max_presign_ttl_seconds))}` };
    }
    return { ok: true };
  }

  sign(bucket: string, key: string, method: 'GET' | 'PUT', ttlSeconds: number, contentType?: string): SignedUrl {
    const expires = Math.floor(this.now() / 1000) + ttlSeconds;
    const ct = method === 'PUT' ? (contentType ?? 'application/octet-stream') : '';
    const path = `${OBJECTS_PATH}${encodeURIComponent(bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`;
    const signature = this.signature(method, bucket, key, expires, ct);
    return {
      method,
      url: `${this.baseUrl}${path}?method=${method}&expires=${expires}&signature=${signature}`,
      headers: method === 'PUT' ? { 'Content-Type': ct } : {},
      expires_at: new Date(expires * 1000).toISOString(),
    };
  }

  get(bucket: string, key: string): StoredObject | undefined {
    return this.objects.get(`${bucket}/${key}`);
  }

  /** Test-control view: what is stored (sizes and MD5s, not bytes) and what storage counted. */
  snapshot(): Record<string, unknown> {
    return {
      clock_offset_ms: this.clockOffsetMs,
      counters: JSON.parse(JSON.stringify(this.counters)) as ObjectCounters,
      objects: [...this.objects.entries()].map(([id, o]) => ({
        id,
        size: o.bytes.length,
        md5: md5Hex(o.bytes),
        content_type: o.contentType,
      })),
    };
  }

  resetCounters(): void {
    this.counters = { puts: 0, gets: 0, refused: {} };
  }

  private signature(method: string, bucket: string, key: string, expires: number, contentType: string): string {
    return createHmac('sha256', this.secret)
      .update([method, bucket, key, String(expires), contentType].join('\n'))
      .digest('hex');
  }

  /** Answers GET and PUT on /objects/{bucket}/{key}?method&expires&signature (body undefined: over the size limit). */
  serve(request: StorageRequest): StorageReply {
    const { method, rawPath, rawQuery, contentType, body } = request;
    const parts = rawPath.slice(OBJECTS_PATH.length).split('/');
    let bucket: string;
    let key: string;
    try {
      bucket = decodeURIComponent(parts[0] ?? '');
      key = parts.slice(1).map(decodeURIComponent).join('/');
    } catch {
      return this.refuse(400, 'INVALID_URI', 'the object path is not valid percent-encoding');
    }
    const q = new URLSearchParams(rawQuery);
    const signed = q.get('method');
    const expires = Number(q.get('expires'));
    const signature = q.get('signature') ?? '';
    if (!bucket || !key || !signed || !Number.isInteger(expires) || !/^[0-9a-f]{64}$/.test(signature)) {
      return this.refuse(403, 'ACCESS_DENIED', 'the URL carries no valid signature');
    }
    if (method !== signed) return this.refuse(403, 'SIGNATURE_MISMATCH', `the URL was signed for ${signed}, not ${method}`);
    const expected = Buffer.from(this.signature(method, bucket, key, expires, method === 'PUT' ? contentType : ''), 'hex');
    if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) {
      return this.refuse(403, 'SIGNATURE_MISMATCH', 'the signature does not match the URL and headers (Content-Type must be the one signed)');
    }
    if (Math.floor(this.now() / 1000) > expires) return this.refuse(403, 'URL_EXPIRED', 'the presigned URL has expired; ask the platform for a new one');
    const id = `${bucket}/${key}`;
    if (method === 'PUT') {
      if (body === undefined) return this.refuse(413, 'ENTITY_TOO_LARGE', `objects are limited to ${MAX_OBJECT_BYTES} bytes`);
      this.objects.set(id, { bytes: body, contentType, storedAt: this.now() });
      this.counters.puts++;
      return { status: 200, body: Buffer.alloc(0), headers: { ETag: `"${md5Hex(body)}"` } };
    }
    if (method !== 'GET') return this.refuse(405, 'METHOD_NOT_ALLOWED', 'only GET and PUT');
    const stored = this.objects.get(id);
    if (!stored) return this.refuse(404, 'NO_SUCH_KEY', `no object ${id}`);
    this.counters.gets++;
    return { status: 200, body: stored.bytes, headers: { 'Content-Type': stored.contentType || 'application/octet-stream' } };
  }

  private refuse(status: number, code: string, message: string): StorageReply {
    this.counters.refused[code] = (this.counters.refused[code] ?? 0) + 1;
    return { status, body: { code, message } };
  }
}
