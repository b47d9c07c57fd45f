/**
 * The one request signer for the UTMOS Open Platform, shared by the client and the simulator.
 *
 * The canonical string is the project's fixed 8-line layout (the platform's page on it is cut after
 * line 1, so the order of lines 2-8 is this project's decision; README: "What is confirmed"):
 *   UTMOS-HMAC-SHA256 \n METHOD \n path \n canonical query \n api id \n timestamp \n nonce \n sha256(body)
 * signature = lowercase hex HMAC-SHA256(key = API key as UTF-8, message = the 8 lines, no trailing newline).
 * The line order lives only here so that it can be corrected in one place.
 */
import { createHash, createHmac, timingSafeEqual } from 'crypto';

export const SIGNATURE_ALGORITHM = 'UTMOS-HMAC-SHA256';
export const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export const HEADER_API_ID = 'X-Api-Id';
export const HEADER_TIMESTAMP = 'X-Api-Timestamp';
export const HEADER_NONCE = 'X-Api-Nonce';
export const HEADER_SIGNATURE = 'X-Api-Signature';

/** Query parameters: a record (arrays for repeated names) or explicit name/value pairs. */
export type QueryInput =
  Record<string, string | number | boolean | readonly (string | number | boolean)[] | undefined | null> | ReadonlyArray<readonly [string, string]>;

export interface SignatureInput {
  method: string;
  /** Request path exactly as sent, without the query string. */
  path: string;
  query?: QueryInput;
  /** The exact body bytes sent; omit (or empty) for no body. */
  body?: Uint8Array | string;
  apiId: string;
  /** Unix time in seconds. */
  timestamp: string | number;
  nonce: string;
}

export interface SignedHeaders {
  'X-Api-Id': string;
  'X-Api-Timestamp': string;
  'X-Api-Nonce': string;
  'X-Api-Signature': string;
}

/** RFC 3986 percent-encoding: everything but unreserved characters (A-Z a-z 0-9 - . _ ~). */
export function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

export function queryPairs(query: QueryInput | undefined): Array<[string, string]> {
  if (!query) return [];
  if (Array.isArray(query)) return (query as ReadonlyArray<readonly [string, string]>).map(([k, v]) => [k, v]);
  const pairs: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) pairs.push([name, String(v)]);
  }
  return pairs;
}

/** Pairs sorted by name then value (by code point), encoded, joined k=v with '&'; '' when empty. */
export function canonicalQuery(query: QueryInput | undefined): string {
  return queryPairs(query)
    .map(([k, v]) => [encodeRfc3986(k), encodeRfc3986(v)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/**
 * Parses a raw query string as received on the wire (no '+'-as-space rule: RFC 3986, not forms).
 * Used by the simulator to rebuild the canonical query of an incoming request.
 */
export function parseRawQuery(raw: string): Array<[string, string]> {
  if (!raw) return [];
  return raw
    .split('&')
    .filter((part) => part.length > 0)
    .map((part) => {
      const eq = part.indexOf('=');
      const k = eq < 0 ? part : part.slice(0, eq);
      const v = eq < 0 ? '' : part.slice(eq + 1);
      return [safeDecode(k), safeDecode(v)];
    });
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function sha256Hex(body: Uint8Array | string | undefined): string {
  if (body === undefined || body.length === 0) return EMPTY_BODY_SHA256;
  return createHash('sha256').update(body).digest('hex');
}

export function canonicalString(input: SignatureInput): string {
  return [
    SIGNATURE_ALGORITHM,
    input.method.toUpperCase(),
    input.path,
    canonicalQuery(input.query),
    input.apiId,
    String(input.timestamp),
    input.nonce,
    sha256Hex(input.body),
  ].join('\n');
}

export function computeSignature(input: SignatureInput, apiKey: string): string {
  return createHmac('sha256', Buffer.from(apiKey, 'utf8')).update(canonicalString(input), 'utf8').digest('hex');
}

/** Pure: the four auth headers for one attempt. Callers supply a fresh timestamp and nonce per attempt. */
export function signRequest(input: SignatureInput, apiKey: string): SignedHeaders {
  return {
    [HEADER_API_ID]: input.apiId,
    [HEADER_TIMESTAMP]: String(input.timestamp),
    [HEADER_NONCE]: input.nonce,
    [HEADER_SIGNATURE]: computeSignature(input, apiKey),
  } as SignedHeaders;
}

/** Constant-time comparison of a presented signature against the expected one. */
export function signatureMatches(input: SignatureInput, apiKey: string, presented: string): boolean {
  const expected = Buffer.from(computeSignature(input, apiKey), 'utf8');
  const given = Buffer.from(presented, 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given);
}
