/**
 * Typed errors of the UTMOS client. Every error carries what a flow needs to branch on
 * (HTTP status, platform code, request_id) and a message that says what to do about it.
 * Nothing secret is ever stored on an error: no API key, no signature, no raw HTTP config.
 */

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
}

export class UtmosError extends Error {
  readonly code: string;
  readonly httpStatus?: number;
  readonly requestId?: string;
  readonly operation?: Operation;
  readonly field?: string;
  readonly attempts?: number;

  constructor(message: string, fields: UtmosErrorFields) {
    super(message);
    this.name = new.target.name;
    this.code = fields.code;
    this.httpStatus = fields.httpStatus;
    this.requestId = fields.requestId;
    this.operation = fields.operation;
    this.field = fields.field;
    this.attempts = fields.attempts;
  }

  /**
   * A copy of this error (same class, code and fields) with another message. An error seen by
   * several waiters is copied for each, so that no node ever rewrites what another one reports.
   */
  withMessage(message: string = this.message): this {
    const copy = Object.create(Object.getPrototypeOf(this)) as this;
    Object.defineProperties(copy, Object.getOwnPropertyDescriptors(this));
    copy.message = message;
    if (typeof this.stack === 'string') {
      const head = `${this.name}: ${this.message}`;
      copy.stack = this.stack.startsWith(head) ? `${this.name}: ${message}${this.stack.slice(head.length)}` : this.stack;
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
    return out;
  }
}

/** Bad input caught locally, before anything is sent. */
export class UtmosInputError extends UtmosError {
  constructor(field: string, message: string, code = 'INVALID_INPUT') {
    super(message, { code, field });
  }
}

/** An error response of the platform (4xx/5xx with the documented envelope, or without one). */
export class UtmosApiError extends UtmosError {}
/** 401: UNAUTHORIZED, SIGNATURE_INVALID, TIMESTAMP_EXPIRED, NONCE_REPLAYED. */
export class UtmosAuthError extends UtmosApiError {}
/** 403: the credential lacks the permission the call needs. */
export class UtmosPermissionError extends UtmosApiError {
  readonly requiredScope?: string;
  constructor(message: string, fields: UtmosErrorFields & { requiredScope?: string }) {
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
  constructor(message: string, fields: UtmosErrorFields & { retryAfterMs?: number }) {
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
    super('request cancelled because the node is closing', { code: 'ABORTED', operation });
  }
}

const AUTH_HINTS: Record<string, string> = {
  SIGNATURE_INVALID: 'check the API ID and API key in the utmos-config node (and that no proxy rewrites the request body)',
  TIMESTAMP_EXPIRED: "the machine clock is too far from the platform's; enable NTP on the Node-RED host",
  NONCE_REPLAYED: 'a request nonce was reused; this should not happen, report it if it repeats',
  UNAUTHORIZED: 'check that the API ID and API key are set in the utmos-config node and that the credential is active',
};

const CODE_HINTS: Record<string, string> = {
  IDEMPOTENCY_CONFLICT: 'the idempotency key was already used for a different command; use a new key for a new command',
  COMMAND_NOT_FOUND: 'check the command_id',
  DEVICE_REQUEST_NOT_FOUND: 'check the request_id',
  UNSUPPORTED_VENDOR: 'use vendor "dji"',
  UNSUPPORTED_COMMAND: 'choose a command_type from the DJI catalogue',
};

export function hintFor(code: string): string | undefined {
  return AUTH_HINTS[code] ?? CODE_HINTS[code];
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
}): UtmosApiError {
  const code = args.code !== undefined && args.code !== '' ? String(args.code) : `HTTP_${args.httpStatus}`;
  const platformMessage = args.message ? args.message : 'no message';
  const scope = OPERATION_SCOPES[args.operation];
  const fields: UtmosErrorFields = {
    code,
    httpStatus: args.httpStatus,
    requestId: args.requestId,
    operation: args.operation,
    attempts: args.attempts,
  };
  const where = args.requestId ? ` (request_id ${args.requestId})` : '';
  const head = `${args.operation}: ${args.httpStatus} ${code}: ${platformMessage}${where}`;
  const hint = hintFor(code);
  const withHint = (text: string) => (text ? `${head}; ${text}` : head);
  if (args.httpStatus === 401) return new UtmosAuthError(withHint(hint ?? AUTH_HINTS.UNAUTHORIZED), fields);
  if (args.httpStatus === 403) {
    return new UtmosPermissionError(withHint(`the API credential needs the permission ${scope}`), {
      ...fields,
      requiredScope: scope,
    });
  }
  if (args.httpStatus === 404) return new UtmosNotFoundError(withHint(hint ?? ''), fields);
  if (args.httpStatus === 409) return new UtmosConflictError(withHint(hint ?? ''), fields);
  if (args.httpStatus === 429) {
    return new UtmosRateLimitError(withHint(`rate limited; gave up after ${args.attempts} attempt(s)`), {
      ...fields,
      retryAfterMs: args.retryAfterMs,
    });
  }
  if (args.httpStatus >= 500) {
    return new UtmosServerError(withHint(`platform error; gave up after ${args.attempts} attempt(s)`), fields);
  }
  if (args.httpStatus === 400 || args.httpStatus === 422) return new UtmosValidationError(withHint(hint ?? ''), fields);
  return new UtmosApiError(head, fields);
}
