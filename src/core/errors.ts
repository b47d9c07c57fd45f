/**
 * Typed errors of the UTMOS client. Every error carries what a flow needs to branch on
 * (HTTP status, platform code, request_id) and a message that says what to do about it.
 * Nothing secret is ever stored on an error: no API key, no signature, no raw HTTP config.
 * Messages are texts (core/text.ts): English here, localised by the node adapters.
 */
import { Text, english, raw, text } from './text';

/** Which permission (scope) each client operation needs, for 403 messages. */
export const OPERATION_SCOPES = {
  createCommand: 'open:command:create',
  getCommand: 'open:command:read',
  listDeviceRequests: 'open:device-request:read',
  getDeviceRequest: 'open:device-request:read',
  replyToDeviceRequest: 'open:device-request:create',
  presignObject: 'open:object:create',
} as const;
/** Platform operations, plus the upload to a presigned object-storage URL (unsigned, no scope). */
export type Operation = keyof typeof OPERATION_SCOPES | 'uploadObject';

/** The permission an operation needs ('' for the upload, which the platform does not see). */
export function scopeOf(operation: Operation): string {
  return operation === 'uploadObject' ? '' : OPERATION_SCOPES[operation];
}

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
/** Anything thrown, as a UtmosError (an unexpected one keeps its message, with code UNKNOWN). */
export function toUtmosError(error: unknown): UtmosError {
  if (error instanceof UtmosError) return error;
  return new UtmosError(String((error as Error | undefined)?.message ?? error), { code: 'UNKNOWN' });
}

/** The call was cancelled (node closed, redeploy). */
export class UtmosAbortError extends UtmosError {
  constructor(operation?: Operation) {
    super(text('request.cancelled'), { code: 'ABORTED', operation });
  }
}

/** The operation in words, for messages ("while sending the command"). */
export function operationText(operation: Operation): Text {
  return text(`operation.${operation}`);
}
