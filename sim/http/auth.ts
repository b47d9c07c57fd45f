/**
 * Authentication of the signed API, in the platform's order: headers and API id (UNAUTHORIZED),
 * timestamp window (TIMESTAMP_EXPIRED), signature (SIGNATURE_INVALID, the project's signer),
 * nonce replay (NONCE_REPLAYED), then the route's scope (403 FORBIDDEN naming it).
 */
import type { IncomingMessage } from 'http';
import { HEADER_API_ID, HEADER_NONCE, HEADER_SIGNATURE, HEADER_TIMESTAMP, parseRawQuery, signatureMatches } from '../../src/core/signer';
import { countAuthFailure } from '../platform/counters';
import type { PlatformCore } from '../platform/platform';
import type { Credential } from '../platform/records';
import { Reply, errorReply, header } from './io';

/** Nonces seen per API id, each kept until its timestamp's window has passed. */
export class NonceBook {
  private readonly seen = new Map<string, Map<string, number>>();
  private lastPrune = 0;

  constructor(private readonly platform: PlatformCore) {}

  /** False when the nonce was already used within the replay window. */
  remember(apiId: string, nonce: string, timestampSec: number): boolean {
    const now = this.platform.now();
    const windowMs = this.platform.timestampWindowSeconds * 1000;
    if (now - this.lastPrune > 1000) this.prune(now);
    let nonces = this.seen.get(apiId);
    if (!nonces) this.seen.set(apiId, (nonces = new Map()));
    const expiry = nonces.get(nonce);
    if (expiry !== undefined && expiry >= now) return false;
    nonces.set(nonce, Math.max(now, timestampSec * 1000 + windowMs));
    return true;
  }

  private prune(now: number): void {
    this.lastPrune = now;
    for (const [id, nonces] of this.seen) {
      for (const [n, expiry] of nonces) if (expiry < now) nonces.delete(n);
      if (nonces.size === 0) this.seen.delete(id);
    }
  }
}

export interface SignedRequest {
  req: IncomingMessage;
  rawPath: string;
  rawQuery: string;
  body: Buffer;
}

export type AuthResult = { ok: true; credential: Credential } | { ok: false; reply: Reply };

export function authenticate(platform: PlatformCore, nonces: NonceBook, request: SignedRequest): AuthResult {
  const fail = (status: number, code: string, message: string): AuthResult => {
    countAuthFailure(platform.counters, code);
    return { ok: false, reply: errorReply(status, code, message) };
  };
  const { req } = request;
  const apiId = header(req, HEADER_API_ID);
  const timestamp = header(req, HEADER_TIMESTAMP);
  const nonce = header(req, HEADER_NONCE);
  const signature = header(req, HEADER_SIGNATURE);
  if (apiId === undefined || timestamp === undefined || nonce === undefined || signature === undefined) {
    const given: Array<[string, string | undefined]> = [
      [HEADER_API_ID, apiId],
      [HEADER_TIMESTAMP, timestamp],
      [HEADER_NONCE, nonce],
      [HEADER_SIGNATURE, signature],
    ];
    const missing = given.filter(([, v]) => v === undefined).map(([name]) => name);
    return fail(401, 'UNAUTHORIZED', `missing header ${missing.join(', ')}`);
  }
  const credential = platform.credentials.get(apiId);
  if (!credential) return fail(401, 'UNAUTHORIZED', 'unknown API id');
  const nowSec = Math.floor(platform.now() / 1000);
  if (!/^\d{1,15}$/.test(timestamp)) {
    return fail(401, 'TIMESTAMP_EXPIRED', 'X-Api-Timestamp must be Unix time in seconds');
  }
  if (Math.abs(Number(timestamp) - nowSec) > platform.timestampWindowSeconds) {
    return fail(401, 'TIMESTAMP_EXPIRED', `X-Api-Timestamp outside the allowed window of ±${platform.timestampWindowSeconds} s`);
  }
  const valid =
    /^[0-9a-f]{64}$/.test(signature) &&
    signatureMatches(
      {
        method: req.method ?? 'GET',
        path: request.rawPath,
        query: parseRawQuery(request.rawQuery),
        body: request.body,
        apiId,
        timestamp,
        nonce,
      },
      credential.apiKey,
      signature,
    );
  if (!valid) return fail(401, 'SIGNATURE_INVALID', 'signature does not match the request');
  if (!nonces.remember(apiId, nonce, Number(timestamp))) {
    return fail(401, 'NONCE_REPLAYED', 'nonce already used within the replay window');
  }
  return { ok: true, credential };
}

/** 403 FORBIDDEN naming the missing permission, or undefined when the credential holds it. */
export function checkScope(platform: PlatformCore, credential: Credential, scope: string): Reply | undefined {
  if (credential.scopes.has(scope)) return undefined;
  countAuthFailure(platform.counters, 'FORBIDDEN');
  return errorReply(403, 'FORBIDDEN', `missing permission ${scope}`);
}
