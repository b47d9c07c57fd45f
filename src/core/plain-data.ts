/**
 * What counts as plain JSON data, whatever JavaScript realm built it.
 *
 * Node-RED function nodes run in their own vm context, and JSONata, context stores and other
 * libraries may hand over objects made elsewhere: their `{}` has another realm's Object.prototype.
 * So a plain object is recognised by shape (tagged `[object Object]`, prototype null or a root
 * prototype), never by identity with this realm's Object.prototype. Class instances, Maps, Sets,
 * Dates, Buffers and typed arrays are still refused: JSON.stringify would silently turn them into
 * something else ({} for a Map, a string for a Date).
 */

export interface JsonDataIssue {
  /** Where the problem is, e.g. 'payload.file.url'. */
  path: string;
  message: string;
}

export const MAX_DEPTH = 64;
export const MAX_NODES = 100_000;
const FORBIDDEN_KEYS = new Set(['__proto__']);

/** True for `{}`, `Object.create(null)` and object literals from any realm; false for arrays and instances. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  if (Object.prototype.toString.call(value) !== '[object Object]') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** "a Date object", "a Map object", "a Buffer object", "a Sensor object" (class name) for messages. */
export function describeNonPlain(value: object): string {
  let name: string | undefined;
  try {
    const proto: unknown = Object.getPrototypeOf(value);
    const ctor = proto && (proto as { constructor?: unknown }).constructor;
    if (typeof ctor === 'function' && ctor.name) name = ctor.name;
    if (!name) name = Object.prototype.toString.call(value).slice(8, -1);
  } catch {
    name = undefined;
  }
  if (!name || name === 'Object') return 'a non-plain object';
  return `${/^[AEIO]/.test(name) ? 'an' : 'a'} ${name} object`;
}

function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;
}

function describeScalar(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n (a BigInt)`;
  if (typeof v === 'function') return 'a function';
  return 'a symbol';
}

/**
 * Checks that `value` is plain JSON data that can be validated and sent as is: no cycles, at most
 * MAX_DEPTH levels, at most MAX_NODES values, no `__proto__` keys, no functions, symbols, BigInts,
 * non-finite numbers or non-plain objects. Returns the first problem found, naming its path
 * (`root` is the name of the value itself, e.g. 'payload').
 */
export function checkJsonData(value: unknown, root = 'payload'): JsonDataIssue | undefined {
  let nodes = 0;
  const ancestors = new Set<object>();
  const visit = (v: unknown, path: string, depth: number): JsonDataIssue | undefined => {
    if (++nodes > MAX_NODES) return { path: root, message: `${root} is too large (more than ${MAX_NODES} values); send less data` };
    switch (typeof v) {
      case 'string':
      case 'boolean':
      case 'undefined':
        return undefined;
      case 'number':
        return Number.isFinite(v) ? undefined : { path, message: `${path} must be a finite number (got ${v}); JSON cannot carry it` };
      case 'bigint':
      case 'function':
      case 'symbol':
        return { path, message: `${path} is ${describeScalar(v)}, which is not JSON data; use a string, number, boolean, array or object` };
    }
    if (v === null) return undefined;
    const obj = v as object;
    if (depth >= MAX_DEPTH) return { path, message: `${path} is nested too deeply (more than ${MAX_DEPTH} levels); flatten it` };
    if (ancestors.has(obj)) return { path, message: `${path} refers back to one of its parents (cyclic object); send plain JSON data` };
    const isArray = Array.isArray(obj);
    if (!isArray && !isPlainObject(obj)) {
      return {
        path,
        message: `${path} is ${describeNonPlain(obj)}, not plain JSON data; convert it (e.g. a date to an ISO string or a number, a Map to an object, a Buffer to a base64 string)`,
      };
    }
    ancestors.add(obj);
    try {
      if (isArray) {
        const arr = obj as unknown[];
        for (let i = 0; i < arr.length; i++) {
          const issue = visit(arr[i], `${path}[${i}]`, depth + 1);
          if (issue) return issue;
        }
      } else {
        for (const key of Object.keys(obj)) {
          const childPath = joinPath(path, key);
          if (FORBIDDEN_KEYS.has(key)) return { path: childPath, message: `${childPath} is not allowed (reserved key); remove it` };
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
