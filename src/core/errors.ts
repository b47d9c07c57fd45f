/**
 * Typed errors of the UTMOS client. Every error carries what a flow needs to branch on
 * (HTTP status, platform code, request_id) and a message that says what to do about it.
 * Nothing secret is ever stored on an error: no API key, no signature, no raw HTTP config.
 * Messages are texts (core/text.ts): English here, localised by the node adapters.
 */
import { Text, english, raw, text } from './text';
import type { CoreTextKey } from './texts-en';

/** Which permission (scope) each client operation needs, for 403 messages. */
export const OPERATION_SCOPES = {
  createCommand: 'open:command:create',
  getCommand: 'open:command:read',
  listDeviceRequests: 'open:device-request:read',
  getDeviceRequest: 'open:device-request:read',
  replyToDeviceRequest: 'open:device-request:create',
} as const;
export type Operation = keyof typeof OPERATION_SCOPES;

export interface UtmosErrorFields {
  code: string;
  httpStatus?: number;
  requestId?: string;
  operation?: Operation;
  /** For input errors: the field at fault, e.g. "payload.payload_index". */
  field?: string;
  /** Attempts made, for errors that end a retry loop. */
  attempts?: number;
  /** What the platform said, verbatim (its error envelope's message). */
  platformMessage?: string;
  /** For input errors: every problem found, the first being the one the message names. */
  problems?: readonly Problem[];
  /** Technical detail in English (the TLS error code, what was wrong with a response). */
  detail?: string;
}

export interface Problem {
  field: string;
  text: Text;
}

export class UtmosError extends Error {
  readonly code: string;
  readonly httpStatus?: number;
  readonly requestId?: string;
  readonly operation?: Operation;
  readonly field?: string;
  readonly attempts?: number;
  readonly platformMessage?: string;
  readonly problems?: readonly Problem[];
  readonly detail?: string;
  /** The message as a text (stable key and parameters) for adapters that show it in another language. */
  readonly text: Text;

  constructor(message: string | Text, fields: UtmosErrorFields) {
    const t = typeof message === 'string' ? raw(message) : message;
    super(english(t));
    this.name = new.target.name;
    this.text = t;
    this.code = fields.code;
    this.httpStatus = fields.httpStatus;
    this.requestId = fields.requestId;
    this.operation = fields.operation;
    this.field = fields.field;
    this.attempts = fields.attempts;
    this.platformMessage = fields.platformMessage;
    this.problems = fields.problems;
    this.detail = fields.detail;
  }

  /**
   * A copy of this error (same class, code and fields) with another message. An error seen by
   * several waiters is copied for each, so that no node ever rewrites what another one reports.
   */
  withMessage(message: string | Text = this.text): this {
    const t = typeof message === 'string' ? raw(message) : message;
    const copy = Object.create(Object.getPrototypeOf(this)) as this;
    Object.defineProperties(copy, Object.getOwnPropertyDescriptors(this));
    copy.message = english(t);
    Object.defineProperty(copy, 'text', { value: t, enumerable: true, configurable: true, writable: false });
    if (typeof this.stack === 'string') {
      const head = `${this.name}: ${this.message}`;
      copy.stack = this.stack.startsWith(head) ? `${this.name}: ${copy.message}${this.stack.slice(head.length)}` : this.stack;
    }
    return copy;
  }

  /** A plain object safe to put on msg.error or in logs. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, code: this.code, message: this.message };
    if (this.httpStatus !== undefined) out.http_status = this.httpStatus;
    if (this.requestId !== undefined) out.request_id = this.requestId;
    if (this.field !== undefined) out.field = this.field;
    if (this.operation !== undefined) out.operation = this.operation;
    if (this.attempts !== undefined) out.attempts = this.attempts;
    if (this.platformMessage !== undefined) out.platform_message = this.platformMessage;
    if (this.detail !== undefined) out.detail = this.detail;
    if (this.problems !== undefined) out.problems = this.problems.map((p) => ({ field: p.field, message: english(p.text) }));
    return out;
  }
}

/** Bad input caught locally, before anything is sent. */
export class UtmosInputError extends UtmosError {
  constructor(field: string, message: string | Text, code = 'INVALID_INPUT', problems?: readonly Problem[]) {
    super(message, { code, field, problems });
  }
}

/** An error response of the platform (4xx/5xx with the documented envelope, or without one). */
export class UtmosApiError extends UtmosError {}
/** 401: UNAUTHORIZED, SIGNATURE_INVALID, TIMESTAMP_EXPIRED, NONCE_REPLAYED. */
export class UtmosAuthError extends UtmosApiError {}
/** 403: the credential lacks the permission the call needs. */
export class UtmosPermissionError extends UtmosApiError {
  readonly requiredScope?: string;
  constructor(message: string | Text, fields: UtmosErrorFields & { requiredScope?: string }) {
    super(message, fields);
    this.requiredScope = fields.requiredScope;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), required_scope: this.requiredScope };
  }
}
/** 404: COMMAND_NOT_FOUND, DEVICE_REQUEST_NOT_FOUND. */
export class UtmosNotFoundError extends UtmosApiError {}
/** 409: IDEMPOTENCY_CONFLICT, or a second reply refused. */
export class UtmosConflictError extends UtmosApiError {}
/** 400: VALIDATION_FAILED, INVALID_REQUEST_BODY, UNSUPPORTED_VENDOR, UNSUPPORTED_COMMAND. */
export class UtmosValidationError extends UtmosApiError {}
/** 429 after the retry budget was spent. */
export class UtmosRateLimitError extends UtmosApiError {
  readonly retryAfterMs?: number;
  constructor(message: string | Text, fields: UtmosErrorFields & { retryAfterMs?: number }) {
    super(message, fields);
    this.retryAfterMs = fields.retryAfterMs;
  }
}
/** 5xx after the retry budget was spent. */
export class UtmosServerError extends UtmosApiError {}
/** No HTTP response: connection refused/reset, timeout, DNS, TLS. */
export class UtmosNetworkError extends UtmosError {}
/** The platform answered 2xx with a body that does not match the documented shape. */
export class UtmosResponseError extends UtmosError {}
/** The call was cancelled (node closed, redeploy). */
export class UtmosAbortError extends UtmosError {
  constructor(operation?: Operation) {
    super(text('request.cancelled'), { code: 'ABORTED', operation });
  }
}

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
};

/** The operation in words, for messages ("while sending the command"). */
export function operationText(operation: Operation): Text {
  return text(`operation.${operation}`);
}

/** The first line for an error response: what happened and what to do, without codes (they are fields). */
function apiText(httpStatus: number, code: string, operation: Operation, subject: string | undefined, platformMessage: string | undefined, attempts: number): Text {
  const params = { operation: operationText(operation), subject: subject ?? '', status: httpStatus, attempts, scope: OPERATION_SCOPES[operation] };
  if (httpStatus === 401) return text(AUTH_TEXTS[code] ?? 'api.unauthorized', params);
  if (httpStatus === 403) return text('api.forbidden', params);
  const own = CODE_TEXTS[code];
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
  if (args.httpStatus === 403) return new UtmosPermissionError(t, { ...fields, requiredScope: OPERATION_SCOPES[args.operation] });
  if (args.httpStatus === 404) return new UtmosNotFoundError(t, fields);
  if (args.httpStatus === 409) return new UtmosConflictError(t, fields);
  if (args.httpStatus === 429) return new UtmosRateLimitError(t, { ...fields, retryAfterMs: args.retryAfterMs });
  if (args.httpStatus >= 500) return new UtmosServerError(t, fields);
  if (args.httpStatus === 400 || args.httpStatus === 422) return new UtmosValidationError(t, fields);
  return new UtmosApiError(t, fields);
}
