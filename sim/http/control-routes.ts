/**
 * The unsigned, loopback-only test-control surface `/__sim/*`: a thin JSON wrapper around
 * SimControl and the object store, one route per operation.
 */
import { isPlainObject } from '../../src/core/plain-data';
import type { CredentialSpec, DockPatch, DockRequestSpec, DropSpec, FaultSpec, LatencySpec, SimControl } from '../control';
import { SimControlError } from '../control';
import type { ObjectStore } from '../object-store';
import type { Reply } from './io';
import type { Route } from './routes';

export const CONTROL_PREFIX = '/__sim';

export interface ControlCall {
  control: SimControl;
  objects: ObjectStore;
  params: string[];
  /** The JSON body ({} when there is none); each operation validates its own. */
  input: unknown;
}

export interface ControlRoute extends Route {
  /** The reply body (always 200); failures are thrown as SimControlError. */
  handle(call: ControlCall): unknown;
}

/** Moves storage time forward (or back) so presigned URLs expire without waiting. */
function advanceObjectClock(objects: ObjectStore, input: unknown): Record<string, unknown> {
  const advance = isPlainObject(input) ? input.advance_ms : undefined;
  if (typeof advance !== 'number' || !Number.isInteger(advance) || Math.abs(advance) > 86_400_000) {
    throw new SimControlError(400, 'VALIDATION_FAILED', 'advance_ms must be an integer of at most a day (86400000) either way');
  }
  objects.clockOffsetMs += advance;
  return { clock_offset_ms: objects.clockOffsetMs, now: new Date(objects.now()).toISOString() };
}

const route = (method: string, path: string, handle: (call: ControlCall) => unknown): ControlRoute => ({
  method,
  path: CONTROL_PREFIX + path,
  handle,
});

export const CONTROL_ROUTES: readonly ControlRoute[] = [
  route('GET', '/health', ({ control }) => control.health()),
  route('GET', '/counters', ({ control }) => control.counters()),
  route('POST', '/counters/reset', ({ control }) => {
    control.resetCounters();
    return control.counters();
  }),
  route('GET', '/faults', ({ control }) => control.faults()),
  route('POST', '/faults', ({ control, input }) => {
    control.addFault(input as FaultSpec);
    return control.faults();
  }),
  route('DELETE', '/faults', ({ control }) => {
    control.clearFaults();
    return control.faults();
  }),
  route('POST', '/latency', ({ control, input }) => {
    control.addLatency(input as LatencySpec);
    return control.faults();
  }),
  route('POST', '/drop', ({ control, input }) => {
    control.addDrop(input as DropSpec);
    return control.faults();
  }),
  route('GET', '/clock', ({ control }) => control.clock()),
  route('POST', '/clock', ({ control, input }) => control.setClock(input as { offset_ms: number })),
  route('POST', '/credentials', ({ control, input }) => control.setCredential(input as CredentialSpec)),
  route('GET', '/docks', ({ control }) => ({ items: control.listDocks() })),
  route('GET', '/docks/:sn', ({ control, params: [sn = ''] }) => control.getDock(sn)),
  route('POST', '/docks/:sn', ({ control, params: [sn = ''], input }) => control.configureDock(sn, input as DockPatch)),
  route('POST', '/docks/:sn/requests', ({ control, params: [sn = ''], input }) => control.raiseDeviceRequest(sn, input as DockRequestSpec)),
  route('GET', '/requests/auto-reply', ({ control }) => control.autoReply()),
  route('POST', '/requests/auto-reply', ({ control, input }) => control.setAutoReply(input as { request_types: string[] })),
  route('GET', '/commands', ({ control }) => ({ items: control.listCommands() })),
  route('GET', '/commands/:id', ({ control, params: [id = ''] }) => control.getCommand(id)),
  route('POST', '/broker/restart', ({ control, input }) => control.restartBroker(input as { down_ms?: number })),
  route('POST', '/broker/events', ({ control, input }) => control.setEventForwarding(input as { forwarding: boolean })),
  route('GET', '/objects', ({ objects }) => objects.snapshot()),
  route('POST', '/objects/clock', ({ objects, input }) => advanceObjectClock(objects, input)),
];

/** Runs a control route: 200 with its result, or the SimControlError it threw as an error envelope. */
export async function runControl(route: ControlRoute, call: ControlCall): Promise<Reply> {
  try {
    return { status: 200, body: await route.handle(call) };
  } catch (err) {
    if (err instanceof SimControlError) return { status: err.status, body: { code: err.code, message: err.message } };
    throw err;
  }
}
