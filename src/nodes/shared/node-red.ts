/**
 * The small slice of the Node-RED API the adapters use, typed here so the package needs no
 * @types dependency.
 */

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

/** An Express handler of the editor's admin API, as far as the nodes pass them around. */
export type AdminHandler = (req: never, res: never, next: never) => void;

export interface RedApi {
  nodes: {
    createNode(node: object, def: NodeDef): void;
    registerType(type: string, ctor: (this: never, def: never) => void, options?: Record<string, unknown>): void;
    getNode(id: string): unknown;
  };
  util: {
    evaluateNodeProperty(value: unknown, type: string, node: Node, msg: NodeMessage | undefined, callback: (err: Error | null, result: unknown) => void): void;
  };
  /** Runtime settings (settings.js), e.g. proxyOptions. */
  settings?: Record<string, unknown>;
  httpAdmin?: { get(path: string, ...handlers: AdminHandler[]): void; post(path: string, ...handlers: AdminHandler[]): void };
  auth?: { needsPermission(permission: string): AdminHandler };
  _?: (key: string, substitutions?: Record<string, unknown>) => string;
}
