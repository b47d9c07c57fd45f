/**
 * What an embedded Node-RED runtime did, as a test reads it: every message delivered to a node,
 * every log entry, every start of its flows; bounded waits on each; and its admin API.
 */
import { Changes } from './wait';

export interface LogEntry {
  level: number;
  id?: string;
  type?: string;
  msg: unknown;
}

/** Node-RED's log levels (RED.log.ERROR, RED.log.WARN). */
export const LOG_ERROR = 20;
export const LOG_WARN = 30;

export type RecordEvent = { kind: 'deliver'; to: string; msg: unknown } | { kind: 'log'; entry: LogEntry } | { kind: 'flows-started' };

export interface AdminAnswer {
  status: number;
  body: string;
  json(): any;
}

export interface AdminRequest {
  body?: unknown;
  headers?: Record<string, string>;
  /** An admin API bearer token (adminAuth). */
  token?: string;
}

/** A JSON copy of a delivered message (what a debug node would show). */
export function plainCopy(value: unknown): unknown {
  try {
    return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (v instanceof Error ? { name: v.name, message: v.message } : v)));
  } catch {
    return { unserialisable: true };
  }
}

export class RuntimeRecord {
  /** Every message delivered to a node, by destination id (JSON copies). */
  readonly delivered = new Map<string, any[]>();
  readonly logs: LogEntry[] = [];
  private flowStarts = 0;
  private readonly changes = new Changes();

  constructor(readonly url: string) {}

  record(event: RecordEvent): void {
    if (event.kind === 'deliver') {
      const list = this.delivered.get(event.to) ?? [];
      list.push(event.msg);
      this.delivered.set(event.to, list);
    } else if (event.kind === 'log') this.logs.push(event.entry);
    else this.flowStarts++;
    this.changes.changed();
  }

  /** Resolves with the first `count` messages delivered to node `id`. */
  waitFor(id: string, count = 1, timeoutMs = 30_000): Promise<any[]> {
    return this.changes.until(
      () => {
        const got = this.delivered.get(id) ?? [];
        return got.length >= count && got.slice(0, count);
      },
      () => `${count} message(s) at ${id}; got ${(this.delivered.get(id) ?? []).length}; delivered so far: ${this.describeDelivered()}`,
      timeoutMs,
    );
  }

  /** Resolves with the first message delivered to `id` that satisfies `test`. */
  waitUntil(id: string, test: (msg: any) => boolean, timeoutMs = 30_000): Promise<any> {
    return this.changes.until(
      () => (this.delivered.get(id) ?? []).find(test),
      () => `a matching message at ${id}; got ${JSON.stringify(this.delivered.get(id) ?? []).slice(0, 1500)}`,
      timeoutMs,
    );
  }

  /** The next message at `id`: waits for one more than it has now. */
  async next(id: string, timeoutMs = 30_000): Promise<any> {
    const got = await this.waitFor(id, (this.delivered.get(id) ?? []).length + 1, timeoutMs);
    return got[got.length - 1];
  }

  /** Resolves with the first log entry from index `from` on that satisfies `test`. */
  waitForLog(test: (entry: LogEntry) => boolean, timeoutMs = 10_000, from = 0): Promise<LogEntry> {
    return this.changes.until(() => this.logs.slice(from).find(test), 'a matching log entry', timeoutMs);
  }

  logged(level: number, id: string): LogEntry[] {
    return this.logs.filter((l) => l.level === level && l.id === id);
  }

  async request(method: string, path: string, options: AdminRequest = {}): Promise<AdminAnswer> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const res = await fetch(new URL(path.replace(/^\//, ''), this.url), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const body = await res.text();
    return { status: res.status, body, json: () => JSON.parse(body) };
  }

  get(path: string, headers?: Record<string, string>): Promise<AdminAnswer> {
    return this.request('GET', path, { headers });
  }

  post(path: string, body?: unknown, headers?: Record<string, string>): Promise<AdminAnswer> {
    return this.request('POST', path, { body, headers });
  }

  /** Presses an inject node's button. */
  async press(injectId: string): Promise<void> {
    const res = await this.post(`inject/${encodeURIComponent(injectId)}`);
    if (res.status !== 200) throw new Error(`inject ${injectId}: ${res.status} ${res.body}`);
  }

  /**
   * A full deploy through the admin API, as the editor's Deploy button makes it; resolves once the
   * runtime has started these flows. Delivered messages start afresh.
   */
  async deploy(flows: object[], token?: string, timeoutMs = 15_000): Promise<void> {
    this.delivered.clear();
    const startsBefore = this.flowStarts;
    const res = await this.request('POST', 'flows', { body: flows, token, headers: { 'Node-RED-Deployment-Type': 'full' } });
    if (res.status !== 204) throw new Error(`deploy: ${res.status} ${res.body}`);
    await this.flowsStarted(startsBefore, timeoutMs);
  }

  /** Resolves once the flows have started more often than `startsBefore` times. */
  flowsStarted(startsBefore: number, timeoutMs = 15_000): Promise<true> {
    return this.changes.until(() => this.flowStarts > startsBefore, `the flows to start (started ${this.flowStarts} times)`, timeoutMs);
  }

  get flowStartCount(): number {
    return this.flowStarts;
  }

  protected forgetWaiters(): void {
    this.changes.clear();
  }

  private describeDelivered(): string {
    return [...this.delivered.entries()].map(([id, msgs]) => `${id}×${msgs.length}`).join(', ') || 'nothing';
  }
}
