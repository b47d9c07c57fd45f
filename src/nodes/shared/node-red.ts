/**
 * The small slice of the Node-RED API the adapters use, typed here so the package needs no
 * @types dependency, plus helpers shared by every node: typed-input evaluation (callback form,
 * required for JSONata since Node-RED 4), status badges and error reporting.
 */
import { UtmosError, UtmosInputError } from '../../core/errors';

export interface NodeMessage {
  _msgid?: string;
  payload?: unknown;
  [key: string]: unknown;
}

export type SendFn = (msg: NodeMessage | Array<NodeMessage | NodeMessage[] | null>) => void;
export type DoneFn = (err?: Error) => void;

export interface NodeStatus {
  fill?: 'red' | 'green' | 'yellow' | 'blue' | 'grey';
  shape?: 'ring' | 'dot';
  text?: string;
}

export interface ContextStore {
  get(key: string, callback: (err: Error | null, value: unknown) => void): void;
  set(key: string, value: unknown, callback: (err: Error | null) => void): void;
}

export interface Node {
  id: string;
  type: string;
  name?: string;
  z?: string;
  credentials?: Record<string, string | undefined>;
  status(status: NodeStatus): void;
  on(event: 'input', listener: (msg: NodeMessage, send: SendFn, done: DoneFn) => void): void;
  on(event: 'close', listener: (removed: boolean, done: () => void) => void): void;
  send(msg: NodeMessage | Array<NodeMessage | null>): void;
  error(err: unknown, msg?: NodeMessage): void;
  warn(message: unknown): void;
  log(message: unknown): void;
  debug(message: unknown): void;
  context(): ContextStore;
  receive?(msg: NodeMessage): void;
}

export interface NodeDef {
  id: string;
  type: string;
  name?: string;
  z?: string;
  [key: string]: unknown;
}

export interface RedApi {
  nodes: {
    createNode(node: object, def: NodeDef): void;
    registerType(type: string, ctor: Function, options?: Record<string, unknown>): void;
    getNode(id: string): unknown;
  };
  util: {
    evaluateNodeProperty(
      value: unknown,
      type: string,
      node: Node,
      msg: NodeMessage | undefined,
      callback: (err: Error | null, result: unknown) => void,
    ): void;
  };
  /** Runtime settings (settings.js), e.g. proxyOptions. */
  settings?: Record<string, unknown>;
  httpAdmin?: { get(path: string, ...handlers: Function[]): void; post(path: string, ...handlers: Function[]): void };
  auth?: { needsPermission(permission: string): Function };
  _?: (key: string, substitutions?: Record<string, unknown>) => string;
}

/** Evaluates a typed input with the callback form (works for JSONata and async context stores). */
export function evaluateTyped(
  RED: RedApi,
  node: Node,
  field: string,
  value: unknown,
  type: string,
  msg: NodeMessage | undefined,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    try {
      RED.util.evaluateNodeProperty(value, type, node, msg, (err, result) => {
        if (err) reject(new UtmosInputError(field, `${field} could not be evaluated as ${type} "${String(value)}": ${err.message}; fix the expression or the message property it reads`));
        else resolve(result);
      });
    } catch (err) {
      reject(new UtmosInputError(field, `${field} could not be evaluated as ${type} "${String(value)}": ${(err as Error).message}; fix the expression or the message property it reads`));
    }
  });
}

/** Short status text for an error: "401 SIGNATURE_INVALID", "bad input: payload.x". */
export function errorBadge(err: unknown): NodeStatus {
  if (err instanceof UtmosInputError) return { fill: 'red', shape: 'ring', text: clip(`bad input: ${err.field ?? ''}`) };
  if (err instanceof UtmosError) {
    const text = err.httpStatus ? `${err.httpStatus} ${err.code}` : err.code;
    return { fill: 'red', shape: 'ring', text: clip(text) };
  }
  return { fill: 'red', shape: 'ring', text: 'error' };
}

export function clip(text: string, max = 32): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Puts the structured error on msg (so a Catch node can branch on code/status) and returns the
 * Error for done(err). The text names the platform code and request_id when there is one.
 */
export function reportableError(err: unknown, msg: NodeMessage): Error {
  if (err instanceof UtmosError) {
    msg.utmos_error = err.toJSON();
    return err;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  msg.utmos_error = { name: e.name, code: 'UNEXPECTED', message: e.message };
  return e;
}

/** Seconds from a typed value; names the field and the fix when it is not usable. */
export function toSeconds(field: string, value: unknown, min: number, max: number): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) {
    throw new UtmosInputError(field, `${field} must be a number of seconds between ${min} and ${max} (got ${describe(value)})`);
  }
  if (n < min || n > max) {
    throw new UtmosInputError(field, `${field} must be between ${min} and ${max} seconds (got ${n})`);
  }
  return n;
}

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return value.length > 40 ? `a ${value.length}-character string` : JSON.stringify(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

/** A string id/name from a typed value, trimmed; names the field when it is missing or not text. */
export function requireText(field: string, value: unknown, example: string): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string' || value.trim() === '') {
    throw new UtmosInputError(field, `${field} is required: set it in the node or pass it in the message (e.g. ${example}); got ${describe(value)}`);
  }
  return value.trim();
}
