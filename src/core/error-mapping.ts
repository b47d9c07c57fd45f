/**
 * From what went wrong on the wire to the typed error a flow branches on: a transport failure (no
 * usable response) or an error response of the platform (its documented envelope, or none).
 * Messages say what happened and what to do; codes, statuses and request ids are fields.
 */
import {
  Operation,
  UtmosAbortError,
  UtmosApiError,
  UtmosAuthError,
  UtmosConflictError,
  UtmosError,
  UtmosErrorFields,
  UtmosNetworkError,
  UtmosNotFoundError,
  UtmosPermissionError,
  UtmosRateLimitError,
  UtmosResponseError,
  UtmosServerError,
  UtmosValidationError,
  operationText,
  scopeOf,
} from './errors';
import { RawResponse, TransportError } from './http-transport';
import { ErrorEnvelopeSchema } from './schemas';
import { Text, raw, text } from './text';
import type { CoreTextKey } from './texts-en';

const TLS_CODES: ReadonlySet<string> = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
]);

/** What a 401 with this code means and what to do about it. */
const AUTH_TEXTS: Record<string, CoreTextKey> = {
  SIGNATURE_INVALID: 'api.signatureInvalid',
  TIMESTAMP_EXPIRED: 'api.timestampExpired',
  NONCE_REPLAYED: 'api.nonceReplayed',
  UNAUTHORIZED: 'api.unauthorized',
};

/** Platform codes with a text of their own, whatever the HTTP status. */
const CODE_TEXTS: Record<string, CoreTextKey> = {
  IDEMPOTENCY_CONFLICT: 'api.idempotencyConflict',
  COMMAND_NOT_FOUND: 'api.commandNotFound',
  DEVICE_REQUEST_NOT_FOUND: 'api.deviceRequestNotFound',
  UNSUPPORTED_VENDOR: 'api.unsupportedVendor',
  UNSUPPORTED_COMMAND: 'api.unsupportedCommand',
  OBJECT_POLICY_DENIED: 'api.objectPolicyDenied',
  OBJECT_SIGNING_FAILED: 'api.objectSigningFailed',
};

/** Where and how an attempt was made, for the messages of a transport failure. */
export interface AttemptSetting {
  operation: Operation;
  attempt: number;
  /** The origin (or base URL) the attempt went to. */
  target: string;
  /** The HTTP proxy in between, if any (no user info). */
  proxy?: string;
  timeoutMs: number;
  maxResponseBytes: number;
}

function formatBytes(n: number): string {
  const MiB = 1024 * 1024;
  return n >= MiB && n % MiB === 0 ? `${n / MiB} MiB` : `${n} bytes`;
}

/** The typed error for an attempt that ended without a usable response. */
export function transportFailure(err: unknown, at: AttemptSetting): UtmosError {
  if (err instanceof UtmosError) return err;
  const e = err instanceof TransportError ? err : new TransportError(String((err as { code?: unknown } | undefined)?.code ?? 'NETWORK_ERROR'), String(err));
  const { operation, attempt, target } = at;
  const code = e.code;
  if (code === 'ABORTED') return new UtmosAbortError(operation);
  const op = operationText(operation);
  if (code === 'RESPONSE_TOO_LARGE') {
    return new UtmosResponseError(text('response.tooLarge', { operation: op, limit: formatBytes(at.maxResponseBytes) }), {
      code,
      httpStatus: e.httpStatus,
      operation,
      attempts: attempt,
    });
  }
  if (code === 'BAD_ENCODING') {
    return new UtmosResponseError(text('response.badEncoding', { operation: op, url: target }), {
      code: 'INVALID_RESPONSE',
      httpStatus: e.httpStatus,
      operation,
      attempts: attempt,
      detail: e.message,
    });
  }
  if (code === 'PROXY_REFUSED') {
    return new UtmosNetworkError(text('network.proxyRefused', { proxy: String(at.proxy), url: target, status: e.httpStatus ?? '?' }), {
      code,
      operation,
      attempts: attempt,
    });
  }
  if (TLS_CODES.has(code)) {
    return new UtmosNetworkError(text('network.tls', { url: target }), { code: 'TLS_CERTIFICATE_ERROR', operation, attempts: attempt, detail: code });
  }
  const params = {
    url: target,
    via: at.proxy ? text('network.viaProxy', { proxy: at.proxy }) : raw(''),
    operation: op,
    ms: at.timeoutMs,
    code,
  };
  const what =
    code === 'ETIMEDOUT'
      ? text('network.timeout', params)
      : code === 'ECONNREFUSED'
        ? text('network.refused', params)
        : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
          ? text('network.hostNotFound', params)
          : text('network.other', params);
  return new UtmosNetworkError(what, { code, operation, attempts: attempt });
}

/** The first line for an error response: what happened and what to do, without codes (they are fields). */
function apiText(
  httpStatus: number,
  code: string,
  operation: Operation,
  subject: string | undefined,
  platformMessage: string | undefined,
  attempts: number,
): Text {
  const params = { operation: operationText(operation), subject: subject ?? '', status: httpStatus, attempts, scope: scopeOf(operation) };
  if (httpStatus === 401) return text(AUTH_TEXTS[code] ?? 'api.unauthorized', params);
  const own = CODE_TEXTS[code];
  if (httpStatus === 403 && !own) return text('api.forbidden', params);
  if (own) return text(own, params);
  if (httpStatus === 404) return text('api.notFound', params);
  if (httpStatus === 409) return text(operation === 'replyToDeviceRequest' ? 'api.alreadyReplied' : 'api.conflict', params);
  if (httpStatus === 429) return text('api.rateLimited', params);
  if (httpStatus >= 500) return text('api.serverError', params);
  if (httpStatus === 400 || httpStatus === 422) {
    return platformMessage ? text('api.refusedSaying', { ...params, message: raw(platformMessage) }) : text('api.refused', params);
  }
  return text('api.unexpectedStatus', params);
}

/** Builds the typed error for an HTTP error response. */
export function apiErrorFromResponse(args: {
  httpStatus: number;
  code?: string | number;
  message?: string;
  requestId?: string;
  operation: Operation;
  attempts: number;
  retryAfterMs?: number;
  /** The command_id or request_id the call was about, if any. */
  subject?: string;
}): UtmosApiError {
  const code = args.code !== undefined && args.code !== '' ? String(args.code) : `HTTP_${args.httpStatus}`;
  const fields: UtmosErrorFields = {
    code,
    httpStatus: args.httpStatus,
    requestId: args.requestId,
    operation: args.operation,
    attempts: args.attempts,
    platformMessage: args.message || undefined,
  };
  const t = apiText(args.httpStatus, code, args.operation, args.subject, args.message || undefined, args.attempts);
  if (args.httpStatus === 401) return new UtmosAuthError(t, fields);
  if (args.httpStatus === 403) return new UtmosPermissionError(t, { ...fields, requiredScope: scopeOf(args.operation) });
  if (args.httpStatus === 404) return new UtmosNotFoundError(t, fields);
  if (args.httpStatus === 409) return new UtmosConflictError(t, fields);
  if (args.httpStatus === 429) return new UtmosRateLimitError(t, { ...fields, retryAfterMs: args.retryAfterMs });
  if (args.httpStatus >= 500) return new UtmosServerError(t, fields);
  if (args.httpStatus === 400 || args.httpStatus === 422) return new UtmosValidationError(t, fields);
  return new UtmosApiError(t, fields);
}

function parseEnvelope(body: string): { code?: string | number; message?: string; request_id?: string } {
  try {
    const parsed = ErrorEnvelopeSchema.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/** A header's value as one string (the first of a repeated header). */
export function headerString(value: unknown): string | undefined {
  if (Array.isArray(value)) return value.length ? String(value[0]) : undefined;
  return value === undefined || value === null ? undefined : String(value);
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: unknown, now: number): number | undefined {
  const text = headerString(value)?.trim();
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** The typed error for a platform's error response to attempt `attempt` of `operation`. */
export function errorFromResponse(response: RawResponse, call: { operation: Operation; attempt: number; subject?: string; now: number }): UtmosApiError {
  const envelope = parseEnvelope(response.body);
  return apiErrorFromResponse({
    httpStatus: response.status,
    code: envelope.code,
    message: envelope.message,
    requestId: envelope.request_id ?? headerString(response.headers['x-request-id']),
    operation: call.operation,
    attempts: call.attempt,
    retryAfterMs: parseRetryAfter(response.headers['retry-after'], call.now),
    subject: call.subject,
  });
}
