/**
 * The small slice of the Node-RED API the adapters use, typed here so the package needs no
 * @types dependency, plus helpers shared by every node: typed-input evaluation (callback form,
 * required for JSONata since Node-RED 4) and reading values from messages.
 */
import { UtmosInputError } from '../../core/errors';
import type { RuntimeTexts } from './i18n';

export interface NodeMessage {
  _msgid?: string;
  payload?: unknown;
  [key: string]: unknown;
}

export type SendFn = (msg: NodeMessage | Array<NodeMessage | NodeMessage[] | null>) => void;
/** done(err): a string is shown in full by the debug sidebar; an Error shows as an object (see failure.ts). */
export type DoneFn = (err?: Error | string) => void;

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
  /** Wire lists by output, as deployed. */
  wires?: string[][];
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
    throw new UtmosInputError(field, texts.shared('error.secondsNotNumber', { ...params, got: describe(texts, value) }));
  }
  if (n < min || n > max) {
    throw new UtmosInputError(field, texts.shared('error.secondsRange', { ...params, got: n }));
  }
  return n;
}

/** A received value in a few words, for messages: "nothing", "a 52-character string", "an object". */
export function describe(texts: RuntimeTexts, value: unknown): string {
  if (value === undefined) return texts.shared('value.nothing');
  if (value === null) return 'null';
  if (typeof value === 'string') return value.length > 40 ? texts.shared('value.longString', { count: value.length }) : JSON.stringify(value);
  if (Array.isArray(value)) return texts.shared('value.array');
  if (typeof value === 'object') return texts.shared('value.object');
  return String(value);
}

/** A string id/name from a typed value, trimmed; names the field when it is missing or not text. */
export function requireText(texts: RuntimeTexts, field: string, value: unknown, example: string): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string' || value.trim() === '') {
    throw new UtmosInputError(field, texts.shared('error.required', { field: texts.label(field), example, got: describe(texts, value) }));
  }
  return value.trim();
}
