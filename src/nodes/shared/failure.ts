/**
 * How a failure reaches the user: one first line saying what happened and what to do (given to
 * done(), so the debug sidebar, the log and a Catch node's msg.error.message all show it), a badge
 * in a few words, and every detail in msg.utmos_error (code, HTTP status, request_id, field, all
 * problems). The line is a string on purpose: an Error object shows in the sidebar as an object
 * whose message is cut after 30 characters, followed by its stack.
 */
import { UtmosError, UtmosInputError } from '../../core/errors';
import type { RuntimeTexts } from './i18n';
import type { DoneFn, Node, NodeMessage, NodeStatus } from './node-red';

/** Badge keys for error codes (platform codes, network codes, our own). */
const CODE_BADGES: Record<string, string> = {
  SIGNATURE_INVALID: 'badge.signature',
  UNAUTHORIZED: 'badge.unauthorized',
  TIMESTAMP_EXPIRED: 'badge.clock',
  NONCE_REPLAYED: 'badge.nonce',
  COMMAND_NOT_FOUND: 'badge.unknownCommandId',
  DEVICE_REQUEST_NOT_FOUND: 'badge.unknownRequestId',
  IDEMPOTENCY_CONFLICT: 'badge.keyReused',
  UNSUPPORTED_COMMAND: 'badge.unsupportedCommand',
  UNSUPPORTED_VENDOR: 'badge.unsupportedVendor',
  TLS_CERTIFICATE_ERROR: 'badge.tls',
  ECONNABORTED: 'badge.noAnswer',
  ETIMEDOUT: 'badge.noAnswer',
  ECONNREFUSED: 'badge.unreachable',
  ENOTFOUND: 'badge.hostNotFound',
  EAI_AGAIN: 'badge.hostNotFound',
  INVALID_RESPONSE: 'badge.badAnswer',
  ABORTED: 'badge.cancelled',
  RESULT_TIMEOUT: 'badge.noResult',
  NO_CONNECTION: 'badge.noConnection',
  CONNECTION_INVALID: 'badge.connectionInvalid',
};

const REQUIRED_KEYS = new Set(['payload.required', 'payload.requiredWhen']);

export function clip(text: string, max = 48): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** "payload.flight_id missing (+7)", "check Device", "API key rejected". */
function badgeText(texts: RuntimeTexts, err: unknown): string {
  if (!(err instanceof UtmosError)) return texts.shared('badge.error');
  const byCode = CODE_BADGES[err.code];
  if (byCode) return texts.shared(byCode);
  if (err instanceof UtmosInputError) {
    const problems = err.problems ?? [];
    const first = problems[0];
    if (!first) return texts.shared('badge.check', { field: texts.label(err.field ?? '') });
    const badge = texts.shared(REQUIRED_KEYS.has(first.text.key) ? 'badge.missing' : 'badge.invalid', { field: first.field });
    return problems.length > 1 ? texts.shared('badge.more', { badge, count: problems.length - 1 }) : badge;
  }
  const status = err.httpStatus;
  if (status === undefined) return texts.shared('badge.network');
  if (status === 401) return texts.shared('badge.unauthorized');
  if (status === 403) return texts.shared('badge.forbidden');
  if (status === 404) return texts.shared('badge.notFound');
  if (status === 409) return texts.shared(err.operation === 'replyToDeviceRequest' ? 'badge.alreadyAnswered' : 'badge.conflict');
  if (status === 429) return texts.shared('badge.rateLimited');
  if (status >= 500) return texts.shared('badge.platformError');
  if (status === 400 || status === 422) return texts.shared('badge.refused');
  return texts.shared('badge.http', { status });
}

export function errorBadge(texts: RuntimeTexts, err: unknown): NodeStatus {
  return { fill: 'red', shape: 'ring', text: clip(badgeText(texts, err)) };
}

/** The first line of an error, in the runtime's language. */
export function errorLine(texts: RuntimeTexts, err: unknown): string {
  if (err instanceof UtmosError) return texts.text(err.text);
  return err instanceof Error ? err.message : String(err);
}

/** msg.utmos_error: the error's details, with its message and problems in the runtime's language. */
export function errorDetails(texts: RuntimeTexts, err: unknown): Record<string, unknown> {
  if (err instanceof UtmosError) {
    const details: Record<string, unknown> = { ...err.toJSON(), message: errorLine(texts, err) };
    if (err.problems) details.problems = err.problems.map((p) => ({ field: p.field, message: texts.text(p.text) }));
    return details;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  return { name: e.name, code: 'UNEXPECTED', message: e.message };
}

/**
 * Puts the details on msg.utmos_error and returns what to give done(): the first line, or for an
 * unexpected error (a bug) the Error itself, whose stack is then worth having.
 */
export function reportableError(texts: RuntimeTexts, err: unknown, msg: NodeMessage): string | Error {
  msg.utmos_error = errorDetails(texts, err);
  if (err instanceof UtmosError) return errorLine(texts, err);
  return err instanceof Error ? err : new Error(String(err));
}

/** Fails one input message: a red badge, the details on msg.utmos_error, the first line to done(). */
export function failInput(node: Node, texts: RuntimeTexts, msg: NodeMessage, done: DoneFn, err: unknown): void {
  node.status(errorBadge(texts, err));
  done(reportableError(texts, err, msg));
}
