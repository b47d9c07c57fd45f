/**
 * What counts as plain JSON data, whatever JavaScript realm built it, and the one guard every
 * payload and request body passes before it is validated or sent.
 *
 * Node-RED function nodes run in their own vm context, and JSONata, context stores and other
 * libraries may hand over objects made elsewhere: their `{}` has another realm's Object.prototype.
 * So a plain object is recognised by shape (tagged `[object Object]`, prototype null or a root
 * prototype), never by identity with this realm's Object.prototype. Class instances, Maps, Sets,
 * Dates, Buffers and typed arrays are still refused: JSON.stringify would silently turn them into
 * something else ({} for a Map, a string for a Date).
 */
import { describeNonPlain, describeValue } from './describe-value';
import { Text, english, text } from './text';

export interface JsonDataIssue {
  /** Where the problem is, e.g. 'payload.file.url'. */
  path: string;
  /** In English; `text` is the same problem as a text to localise. */
  message: string;
  text: Text;
}

function jsonIssue(path: string, t: Text): JsonDataIssue {
  return { path, message: english(t), text: t };
}

export const MAX_DEPTH = 64;
export const MAX_NODES = 100_000;
const FORBIDDEN_KEYS = new Set(['__proto__']);
/** A lone UTF-16 surrogate (in unicode mode a surrogate pair is one code point, not Cs): not encodable as UTF-8. */
const LONE_SURROGATE = /\p{Cs}/u;
/** The name of the value itself when the guard is given no root name (a whole request body). */
const BODY = 'body';

/** True for `{}`, `Object.create(null)` and object literals from any realm; false for arrays and instances. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  if (Object.prototype.toString.call(value) !== '[object Object]') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** `base.key`, `base["odd key"]` or `base[3]`; just the key under an unnamed root. */
function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  if (base === '') return key;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;
}

/**
 * Checks that `value` is plain JSON data that can be validated and sent as is: no cycles, at most
 * MAX_DEPTH levels, at most MAX_NODES values, no `__proto__` keys, only well-formed Unicode text
 * (a lone surrogate would reach the device as garbage), no functions, symbols, BigInts, non-finite
 * numbers or non-plain objects. Returns the first problem found, naming its path (`root` is the name
 * of the value itself, e.g. 'payload'; '' for a request body, whose fields are then named bare).
 */
export function checkJsonData(value: unknown, root = 'payload'): JsonDataIssue | undefined {
  let nodes = 0;
  const ancestors = new Set<object>();
  const visit = (v: unknown, path: string, depth: number): JsonDataIssue | undefined => {
    if (++nodes > MAX_NODES) return jsonIssue(root || BODY, text('payload.tooLarge', { root: root || BODY, max: MAX_NODES }));
    switch (typeof v) {
      case 'string':
        return LONE_SURROGATE.test(v) ? jsonIssue(path || BODY, text('json.loneSurrogate', { path: path || BODY })) : undefined;
      case 'boolean':
      case 'undefined':
        return undefined;
      case 'number':
        return Number.isFinite(v) ? undefined : jsonIssue(path, text('payload.notFinite', { path, got: String(v) }));
      case 'bigint':
      case 'function':
      case 'symbol':
        return jsonIssue(path, text('payload.notJson', { path, got: describeValue(v) }));
    }
    if (v === null) return undefined;
    const obj = v as object;
    if (depth >= MAX_DEPTH) return jsonIssue(path, text('json.tooDeep', { path, max: MAX_DEPTH }));
    if (ancestors.has(obj)) return jsonIssue(path, text('json.cyclic', { path }));
    const isArray = Array.isArray(obj);
    if (!isArray && !isPlainObject(obj)) {
      return jsonIssue(path || BODY, text('payload.notPlain', { path: path || BODY, got: describeNonPlain(obj) }));
    }
    ancestors.add(obj);
    try {
      if (isArray) {
        const arr = obj as unknown[];
        for (let i = 0; i < arr.length; i++) {
          const issue = visit(arr[i], joinPath(path, i), depth + 1);
          if (issue) return issue;
        }
      } else {
        for (const key of Object.keys(obj)) {
          const childPath = joinPath(path, key);
          if (FORBIDDEN_KEYS.has(key)) return jsonIssue(childPath, text('json.reservedKey', { path: childPath }));
          if (LONE_SURROGATE.test(key)) return jsonIssue(path || BODY, text('json.keySurrogate', { path: path || BODY }));
          const issue = visit((obj as Record<string, unknown>)[key], childPath, depth + 1);
          if (issue) return issue;
        }
      }
    } finally {
      ancestors.delete(obj);
    }
    return undefined;
  };
  return visit(value, root, 0);
}

/** Concrete path of a nested key list: ['points', 0, 'latitude'] -> 'payload.points[0].latitude'. */
export function jsonPath(segments: readonly PropertyKey[], root = 'payload'): string {
  let out = root;
  for (const seg of segments) out = joinPath(out, typeof seg === 'number' ? seg : String(seg));
  return out;
}
