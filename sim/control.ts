/**
 * The simulator's test-control surface: faults, latency, drops, clock, credentials, dock controls,
 * counters and internal records. `/__sim/*` (http.ts) is a thin JSON wrapper around this class.
 */
import { z } from 'zod';
import { TERMINAL_STATUSES } from '../src/core/status';
import type { SimDock } from './dock/dock';
import type { Counters } from './platform/counters';
import type { PlatformCore } from './platform/platform';
import { ALL_SCOPES } from './platform/records';
import { commandInternalView } from './platform/views';

export class SimControlError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const matchSchema = z.string().min(1).optional();

const faultSchema = z.object({
  status: z.number().int().min(400).max(599),
  count: z.number().int().min(1),
  code: z.string().min(1).optional(),
  message: z.string().optional(),
  retry_after: z.number().int().min(0).optional(),
  match: matchSchema,
});
const latencySchema = z.object({
  ms: z.number().int().min(0).max(600_000),
  count: z.number().int().min(1).optional(),
  match: matchSchema,
});
const dropSchema = z.object({
  count: z.number().int().min(1),
  phase: z.enum(['before', 'after']),
  match: matchSchema,
});
const clockSchema = z.object({ offset_ms: z.number().int() });
const credentialSchema = z.object({
  api_id: z.string().min(1),
  api_key: z.string().min(1),
  scopes: z.array(z.string()),
  tenant_id: z.string().min(1).optional(),
});
const dockPatchSchema = z.object({
  reply_delay_ms: z.number().int().min(0).max(600_000).optional(),
  reply_delay_max_ms: z.number().int().min(0).max(600_000).optional(),
  failure_rate: z.number().min(0).max(1).optional(),
  failure_code: z.number().int().min(1).optional(),
  silent: z.boolean().optional(),
  online: z.boolean().optional(),
  reply_mode: z.enum(['normal', 'wrong_tid']).optional(),
});
const autoReplySchema = z.object({ request_types: z.array(z.string().min(1)) });
const dockRequestSchema = z.object({
  request_type: z.string().min(1),
  data: z.unknown().optional(),
});

export type FaultSpec = z.infer<typeof faultSchema>;
export type LatencySpec = z.infer<typeof latencySchema>;
export type DropSpec = z.infer<typeof dropSchema>;
export type CredentialSpec = z.infer<typeof credentialSchema>;
export type DockPatch = z.infer<typeof dockPatchSchema>;
export interface DockRequestSpec {
  request_type: string;
  data?: unknown;
}

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue?.path.length ? issue.path.join('.') : 'body';
  throw new SimControlError(400, 'VALIDATION_FAILED', `${field}: ${issue?.message ?? 'invalid'}`);
}

interface Rule<T> {
  spec: T;
  remaining: number;
  match?: string;
}

function take<T>(rules: Rule<T>[], key: string): T | undefined {
  for (const [i, r] of rules.entries()) {
    if (r.match !== undefined && !key.startsWith(r.match)) continue;
    r.remaining--;
    if (r.remaining <= 0) rules.splice(i, 1);
    return r.spec;
  }
  return undefined;
}

/** Pending faults, latencies and drops, matched against "METHOD /path" by prefix. */
export class FaultBook {
  private faults: Rule<FaultSpec>[] = [];
  private latencies: Rule<LatencySpec>[] = [];
  private drops: Rule<DropSpec>[] = [];

  addFault(spec: FaultSpec): void {
    this.faults.push({ spec, remaining: spec.count, match: spec.match });
  }
  addLatency(spec: LatencySpec): void {
    this.latencies.push({ spec, remaining: spec.count ?? Infinity, match: spec.match });
  }
  addDrop(spec: DropSpec): void {
    this.drops.push({ spec, remaining: spec.count, match: spec.match });
  }
  clear(): void {
    this.faults = [];
    this.latencies = [];
    this.drops = [];
  }
  takeFault(key: string): FaultSpec | undefined {
    return take(this.faults, key);
  }
  takeLatency(key: string): number {
    return take(this.latencies, key)?.ms ?? 0;
  }
  takeDrop(key: string): 'before' | 'after' | undefined {
    return take(this.drops, key)?.phase;
  }
  snapshot(): Record<string, unknown> {
    const view = <T>(rules: Rule<T>[]): unknown[] => rules.map((r) => ({ ...r.spec, remaining: Number.isFinite(r.remaining) ? r.remaining : null }));
    return { faults: view(this.faults), latency: view(this.latencies), drops: view(this.drops) };
  }
}

const brokerRestartSchema = z.object({ down_ms: z.number().int().min(0).max(60_000).optional() });
const eventForwardingSchema = z.object({ forwarding: z.boolean() });

/** Hooks into parts of the simulator that SimControl does not own. */
export interface SimControlHooks {
  /** Drops every MQTT connection and refuses new ones for downMs, then listens on the same port again. */
  restartBroker?: (downMs: number) => Promise<void>;
  /** Stops (false) or resumes the broker's delivery of the platform's events; connections stay open. */
  setEventForwarding?: (on: boolean) => void;
}

export class SimControl {
  constructor(
    private readonly platform: PlatformCore,
    private readonly docks: ReadonlyMap<string, SimDock>,
    readonly faultBook: FaultBook,
    private readonly hooks: SimControlHooks = {},
  ) {}

  /** Every command of this simulator run, internal view (idempotency_key, status, ...). */
  listCommands(): Record<string, unknown>[] {
    return this.platform.commands.list().map(commandInternalView);
  }

  /** Restarts the MQTT broker's listener (docks, platform and event clients are disconnected and reconnect). */
  async restartBroker(spec: { down_ms?: number } = {}): Promise<{ down_ms: number }> {
    const downMs = parse(brokerRestartSchema, spec).down_ms ?? 500;
    if (!this.hooks.restartBroker) throw new SimControlError(501, 'NOT_SUPPORTED', 'this simulator cannot restart its broker');
    await this.hooks.restartBroker(downMs);
    return { down_ms: downMs };
  }

  /** A silent event stream: subscribers stay connected (pings answered) but get no tenant events while off. */
  setEventForwarding(spec: { forwarding: boolean }): { forwarding: boolean } {
    const { forwarding } = parse(eventForwardingSchema, spec);
    if (!this.hooks.setEventForwarding) throw new SimControlError(501, 'NOT_SUPPORTED', 'this simulator cannot silence its events');
    this.hooks.setEventForwarding(forwarding);
    return { forwarding };
  }

  health(): { ok: true } {
    return { ok: true };
  }

  counters(): Counters {
    return JSON.parse(JSON.stringify(this.platform.counters)) as Counters;
  }

  resetCounters(): void {
    this.platform.resetCounters();
  }

  addFault(spec: FaultSpec): void {
    this.faultBook.addFault(parse(faultSchema, spec));
  }

  addLatency(spec: LatencySpec): void {
    this.faultBook.addLatency(parse(latencySchema, spec));
  }

  addDrop(spec: DropSpec): void {
    this.faultBook.addDrop(parse(dropSchema, spec));
  }

  /** Clears faults, latency and drops. */
  clearFaults(): void {
    this.faultBook.clear();
  }

  faults(): Record<string, unknown> {
    return this.faultBook.snapshot();
  }

  /** Shifts the platform clock (timestamp window check and Date header). */
  setClock(spec: { offset_ms: number }): { offset_ms: number; now: string } {
    this.platform.clockOffsetMs = parse(clockSchema, spec).offset_ms;
    return this.clock();
  }

  clock(): { offset_ms: number; now: string } {
    return { offset_ms: this.platform.clockOffsetMs, now: new Date(this.platform.now()).toISOString() };
  }

  /** Adds or replaces a credential. Unknown scope names are kept (they simply grant nothing). */
  setCredential(spec: CredentialSpec): { api_id: string; scopes: string[]; tenant_id: string } {
    const c = parse(credentialSchema, spec);
    const tenantId = c.tenant_id ?? this.platform.tenantId;
    this.platform.credentials.set(c.api_id, {
      apiId: c.api_id,
      apiKey: c.api_key,
      scopes: new Set(c.scopes),
      tenantId,
    });
    return { api_id: c.api_id, scopes: c.scopes, tenant_id: tenantId };
  }

  /** All scopes the platform knows (the main credential holds all of them). */
  allScopes(): string[] {
    return [...ALL_SCOPES];
  }

  listDocks(): Record<string, unknown>[] {
    return [...this.docks.values()].map((d) => d.view());
  }

  private dock(sn: string): SimDock {
    const dock = this.docks.get(sn);
    if (!dock) throw new SimControlError(404, 'NOT_FOUND', `no simulated dock ${sn}`);
    return dock;
  }

  getDock(sn: string): Record<string, unknown> {
    return this.dock(sn).detail();
  }

  async configureDock(sn: string, patch: DockPatch): Promise<Record<string, unknown>> {
    const dock = this.dock(sn);
    const p = parse(dockPatchSchema, patch);
    if (p.reply_delay_ms !== undefined) dock.controls.reply_delay_ms = p.reply_delay_ms;
    if (p.reply_delay_max_ms !== undefined) dock.controls.reply_delay_max_ms = p.reply_delay_max_ms;
    if (p.failure_rate !== undefined) dock.controls.failure_rate = p.failure_rate;
    if (p.failure_code !== undefined) dock.controls.failure_code = p.failure_code;
    if (p.silent !== undefined) dock.controls.silent = p.silent;
    if (p.reply_mode !== undefined) dock.controls.reply_mode = p.reply_mode;
    if (p.online !== undefined) {
      await dock.setOnline(p.online);
      if (p.online) await this.platform.topology.waitFor([dock.sn], 2000);
    }
    return dock.view();
  }

  /** The request types the platform answers itself (reply_source "auto"); an empty list turns it off. */
  setAutoReply(spec: { request_types: string[] }): { request_types: string[] } {
    const types = parse(autoReplySchema, spec).request_types;
    this.platform.autoReplyRequestTypes = new Set(types);
    return this.autoReply();
  }

  autoReply(): { request_types: string[] } {
    return { request_types: [...this.platform.autoReplyRequestTypes] };
  }

  /** Makes the dock publish a DJI `requests` message; resolves once the platform has recorded it. */
  async raiseDeviceRequest(sn: string, spec: DockRequestSpec, timeoutMs = 5000): Promise<{ request_id: string }> {
    const dock = this.dock(sn);
    const s = parse(dockRequestSchema, spec);
    if (!dock.isOnline) throw new SimControlError(409, 'DOCK_OFFLINE', `dock ${sn} is offline`);
    const { tid } = dock.raiseRequest(s.request_type, s.data ?? {});
    const rec = await this.platform.requests.waitForTid(tid, timeoutMs);
    if (!rec) throw new SimControlError(504, 'TIMEOUT', 'the platform did not record the request in time');
    return { request_id: rec.requestId };
  }

  /** The internal command record (tid, bid, status, terminal_at_ms, ...). */
  getCommand(id: string): Record<string, unknown> {
    const rec = this.platform.commands.get(id);
    if (!rec) throw new SimControlError(404, 'COMMAND_NOT_FOUND', `no command ${id}`);
    return commandInternalView(rec);
  }

  /** Test helper: resolves with the internal record once the command is terminal. */
  async waitForCommand(id: string, timeoutMs = 10_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rec = this.platform.commands.get(id);
      if (rec && TERMINAL_STATUSES.has(rec.status)) return commandInternalView(rec);
      if (Date.now() >= deadline) {
        throw new SimControlError(504, 'TIMEOUT', `command ${id} not terminal after ${timeoutMs} ms`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}
