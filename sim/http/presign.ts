/**
 * POST /api/v1/open/objects/presign as the platform's object API defines it: body {bucket, object_key, method,
 * expires_seconds?, content_type?}; 200 {method, url, headers, expires_at}; 400 VALIDATION_FAILED,
 * 403 OBJECT_POLICY_DENIED when no policy of the tenant allows bucket, prefix, method and TTL.
 */
import { isPlainObject } from '../../src/core/plain-data';
import { parseJson } from '../json';
import type { ObjectStore } from '../object-store';
import { Reply, errorReply, invalidJson } from './io';

const DEFAULT_TTL_SECONDS = 900;
const MAX_TTL_SECONDS = 3600;

const invalid = (message: string): Reply => errorReply(400, 'VALIDATION_FAILED', message);

export function presignObject(store: ObjectStore, body: Buffer, tenantMatches: boolean): Reply {
  const parsed = parseJson(body);
  if (!parsed.ok) return invalidJson();
  const b = parsed.value;
  if (!isPlainObject(b)) return invalid('request body must be a JSON object');
  const { bucket, object_key: key, method, expires_seconds: ttlRaw, content_type: contentType } = b;
  if (typeof bucket !== 'string' || bucket === '') return invalid('bucket is required and must be a non-empty string');
  if (typeof key !== 'string' || key === '') return invalid('object_key is required and must be a non-empty string');
  if (key.startsWith('/') || key.includes('../')) return invalid('object_key must not start with "/" or contain "../"');
  if (method !== 'PUT' && method !== 'GET') return invalid('method must be "PUT" or "GET"');
  const ttl = ttlRaw === undefined ? DEFAULT_TTL_SECONDS : ttlRaw;
  if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TTL_SECONDS) {
    return invalid(`expires_seconds must be an integer from 1 to ${MAX_TTL_SECONDS}`);
  }
  if (contentType !== undefined && (typeof contentType !== 'string' || contentType === '')) return invalid('content_type must be a non-empty string');
  const policy = tenantMatches ? store.matchPolicy(bucket, key, method, ttl) : { ok: false as const, reason: 'no object policy for this tenant' };
  if (!policy.ok) return errorReply(403, 'OBJECT_POLICY_DENIED', policy.reason);
  return { status: 200, body: { ...store.sign(bucket, key, method, ttl, contentType) } };
}
