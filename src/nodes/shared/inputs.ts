/**
 * Reading a node's inputs: typed inputs evaluated with the callback form (required for JSONata
 * since Node-RED 4, and for asynchronous context stores), and the values they give checked, each
 * problem an input error naming the field as the node's dialog does and the fix.
 */
import { describeValue } from '../../core/describe-value';
import { UtmosInputError } from '../../core/errors';
import type { RuntimeTexts } from './i18n';
import type { Node, NodeMessage, RedApi } from './node-red';

/** Evaluates a typed input with the callback form (works for JSONata and async context stores). */
export function evaluateTyped(
  RED: RedApi,
  node: Node,
  texts: RuntimeTexts,
  field: string,
  value: unknown,
  type: string,
  msg: NodeMessage | undefined,
): Promise<unknown> {
  const failed = (err: unknown) =>
    new UtmosInputError(
      field,
      texts.shared('error.typedInput', { field: texts.label(field), type, value: String(value), reason: (err as Error)?.message ?? String(err) }),
    );
  return new Promise((resolve, reject) => {
    try {
      RED.util.evaluateNodeProperty(value, type, node, msg, (err, result) => {
        if (err) reject(failed(err));
        else resolve(result);
      });
    } catch (err) {
      reject(failed(err));
    }
  });
}

/** Seconds from a typed value; names the field and the fix when it is not usable. */
export function toSeconds(texts: RuntimeTexts, field: string, value: unknown, min: number, max: number): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  const params = { field: texts.label(field), min, max };
  if (typeof n !== 'number' || !Number.isFinite(n)) {
    throw new UtmosInputError(field, texts.shared('error.secondsNotNumber', { ...params, got: describeValue(value) }));
  }
  if (n < min || n > max) {
    throw new UtmosInputError(field, texts.shared('error.secondsRange', { ...params, got: n }));
  }
  return n;
}

/** A string id/name from a typed value, trimmed; names the field when it is missing or not text. */
export function requireText(texts: RuntimeTexts, field: string, value: unknown, example: string): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string' || value.trim() === '') {
    throw new UtmosInputError(field, texts.shared('error.required', { field: texts.label(field), example, got: describeValue(value) }));
  }
  return value.trim();
}
