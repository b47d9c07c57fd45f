// The request feed under test: a request book the test edits, listed as the platform lists it, a
// fake clock, and subscribers that record what they got.
import { DeviceRequestFeed, FeedSubscriber, SeenIds } from '../../src/core/request-feed';
import type { UtmosError } from '../../src/core/errors';
import type { DeviceRequest, DeviceRequestFilter, DeviceRequestList } from '../../src/core/schemas';
import { pendingRequest as pending } from '../conformance/seed-fixtures';
import { FakeClock } from './fake-clock';

export const at = (second: number) => new Date(Date.UTC(2026, 3, 22, 12, 0, second)).toISOString();
/** A seed-shaped pending request from one device. */
export const from = (id: string, deviceId: string, second: number, requestType = 'config'): DeviceRequest => ({
  ...pending(id, at(second)),
  device_id: deviceId,
  request_type: requestType,
});

/**
 * A feed over a request book the test edits, listed as the platform lists it: filtered by the
 * documented parameters, newest first, at most `page` items. Every list call is logged with its
 * filter and (fake) time.
 */
export function setup(initial: DeviceRequest[] = [], page = 100, order: 'newest first' | 'oldest first' = 'newest first') {
  const clock = new FakeClock();
  const state = {
    items: initial,
    fail: undefined as Error | undefined,
    failWhen: undefined as ((filter: DeviceRequestFilter) => Error | undefined) | undefined,
  };
  const calls: Array<{ filter: DeviceRequestFilter; at: number }> = [];
  const feed = new DeviceRequestFeed(
    {
      async listDeviceRequests(filter: DeviceRequestFilter = {}): Promise<DeviceRequestList> {
        calls.push({ filter: { ...filter }, at: clock.now() });
        const failure = state.fail ?? state.failWhen?.(filter);
        if (failure) throw failure;
        const matching = state.items.filter(
          (r) =>
            (filter.vendor === undefined || r.vendor === filter.vendor) &&
            (filter.device_id === undefined || r.device_id === filter.device_id) &&
            (filter.request_type === undefined || r.request_type === filter.request_type),
        );
        if (order === 'newest first') matching.reverse();
        return { items: matching.slice(0, page).map((r) => ({ ...r })) };
      },
    },
    { clock },
  );
  const emitted: string[] = [];
  const errors: UtmosError[] = [];
  const subscribe = (over: Partial<FeedSubscriber> = {}) =>
    feed.subscribe({
      filter: { vendor: 'dji', requestTypes: [], pendingOnly: true },
      pollIntervalMs: 5_000,
      seen: new SeenIds(),
      firstRun: false,
      onRequest: (r) => emitted.push(r.request_id),
      onError: (e) => errors.push(e),
      ...over,
    });
  /** A subscriber watching one device, with what it got. */
  const watch = (deviceId: string, over: Partial<FeedSubscriber> = {}) => {
    const got: string[] = [];
    const failures: string[] = [];
    const polled: Array<{ pending: number; emitted: number }> = [];
    const subscription = subscribe({
      filter: { vendor: 'dji', deviceId, requestTypes: [], pendingOnly: true },
      onRequest: (r) => got.push(r.request_id),
      onError: (e) => failures.push(e.code),
      onPolled: (info) => polled.push(info),
      ...over,
    });
    return { got, failures, polled, subscription };
  };
  const since = (start: number) => calls.filter((c) => c.at >= start);
  return { clock, state, calls, since, feed, emitted, errors, subscribe, watch, start: clock.now() };
}
