// The device-request feed on its own, against a scripted request source and a fake clock (unit test
// of one module): pending as the platform documents it, only the documented list query parameters,
// each request once, oldest first, and polling that a hint speeds up but never floods.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeviceRequestFeed, FeedSubscriber, SeenIds, isPendingDeviceRequest } from '../../src/core/request-feed';
import { UtmosAbortError, UtmosServerError, type UtmosError } from '../../src/core/errors';
import type { DeviceRequest, DeviceRequestFilter, DeviceRequestList } from '../../src/core/schemas';
import { answeredRequest as answered, pendingRequest as pending } from '../conformance/seed-fixtures';
import { FakeClock } from './fake-clock';

/** A feed over a list the test edits; every list call is logged with its filter and (fake) time. */
function setup(initial: DeviceRequest[] = []) {
  const clock = new FakeClock();
  const state = { items: initial, fail: undefined as Error | undefined };
  const calls: Array<{ filter: DeviceRequestFilter; at: number }> = [];
  const feed = new DeviceRequestFeed(
    {
      async listDeviceRequests(filter?: DeviceRequestFilter): Promise<DeviceRequestList> {
        calls.push({ filter: { ...filter }, at: clock.now() });
        if (state.fail) throw state.fail;
        return { items: state.items.map((r) => ({ ...r })) };
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
  return { clock, state, calls, feed, emitted, errors, subscribe, start: clock.now() };
}

test('pending means reply_code PENDING or replied_at null, never "no reply_code"', () => {
  assert.equal(isPendingDeviceRequest(pending('a', '2026-04-22T12:00:00Z')), true);
  assert.equal(isPendingDeviceRequest({ reply_code: null, replied_at: null }), true);
  assert.equal(isPendingDeviceRequest({ reply_code: 'APPROVED', replied_at: null }), true);
  assert.equal(isPendingDeviceRequest({ reply_code: 'PENDING', replied_at: '2026-04-22T12:00:01Z' }), true);
  assert.equal(isPendingDeviceRequest(answered('b', '2026-04-22T12:00:00Z', 'manual')), false);
  assert.equal(isPendingDeviceRequest(answered('c', '2026-04-22T12:00:00Z', 'auto')), false);
});

test('with pendingOnly each seed-shaped pending request is emitted once, later ones too; answered and auto-answered ones never', async () => {
  const f = setup([pending('p-1', '2026-04-22T12:00:00Z'), answered('m-1', '2026-04-22T12:00:01Z', 'manual'), answered('a-1', '2026-04-22T12:00:02Z', 'auto')]);
  let polls = 0;
  const sub = f.subscribe({ pollIntervalMs: 3_600_000, onPolled: () => polls++ });
  try {
    await f.clock.advance(0);
    assert.deepEqual(f.emitted, ['p-1']);
    // a request arrives later, the first one is answered meanwhile, another is auto-answered
    f.state.items = [
      answered('p-1', '2026-04-22T12:00:00Z', 'manual'),
      ...f.state.items.slice(1),
      pending('p-2', '2026-04-22T12:00:03Z'),
      answered('a-2', '2026-04-22T12:00:04Z', 'auto'),
    ];
    sub.pollNow();
    await f.clock.advance(200);
    sub.pollNow();
    await f.clock.advance(200);
    assert.equal(polls, 3);
    assert.deepEqual(f.emitted, ['p-1', 'p-2']);
    for (const { filter } of f.calls) {
      assert.deepEqual(
        Object.keys(filter).filter((k) => filter[k as keyof DeviceRequestFilter] !== undefined),
        ['vendor'],
        `documented query parameters only: ${JSON.stringify(filter)}`,
      );
    }
  } finally {
    sub.close();
    f.feed.close();
  }
});

test('polls at once, then every interval; onPolled counts what is pending and what was emitted', async () => {
  const f = setup([pending('p-1', '2026-04-22T12:00:00Z'), pending('p-2', '2026-04-22T12:00:01Z')]);
  const polled: Array<{ pending: number; emitted: number }> = [];
  const sub = f.subscribe({ onPolled: (info) => polled.push(info) });
  await f.clock.advance(12_000);
  assert.deepEqual(
    f.calls.map((c) => c.at - f.start),
    [0, 5_000, 10_000],
  );
  assert.deepEqual(polled, [
    { pending: 2, emitted: 2 },
    { pending: 2, emitted: 0 },
    { pending: 2, emitted: 0 },
  ]);
  sub.close();
  f.feed.close();
});

test('emits oldest first by received_at, whatever order the list comes in', async () => {
  const f = setup([pending('c', '2026-04-22T12:00:03Z'), pending('a', '2026-04-22T12:00:01Z'), pending('b', '2026-04-22T12:00:02Z')]);
  const sub = f.subscribe();
  await f.clock.advance(0);
  assert.deepEqual(f.emitted, ['a', 'b', 'c']);
  sub.close();
  f.feed.close();
});

test('on a first run, requests answered before the node started are remembered, never emitted', async () => {
  const f = setup([answered('old', '2026-04-22T12:00:00Z', 'manual'), pending('new', '2026-04-22T12:00:01Z')]);
  const seen = new SeenIds();
  const sub = f.subscribe({ firstRun: true, seen, filter: { vendor: 'dji', requestTypes: [], pendingOnly: false } });
  await f.clock.advance(0);
  assert.deepEqual(f.emitted, ['new']);
  assert.ok(seen.has('old'), 'the answered one is remembered');
  // After the first run (pendingOnly off), a request answered before it was seen is emitted.
  f.state.items = [...f.state.items, answered('quick', '2026-04-22T12:00:02Z', 'auto')];
  await f.clock.advance(5_000);
  assert.deepEqual(f.emitted, ['new', 'quick']);
  sub.close();
  f.feed.close();
});

test('one request type is filtered by the platform; several are filtered here', async () => {
  const items = [
    { ...pending('x', '2026-04-22T12:00:00Z'), request_type: 'flighttask_resource_get' },
    { ...pending('y', '2026-04-22T12:00:01Z'), request_type: 'config' },
    { ...pending('z', '2026-04-22T12:00:02Z'), request_type: 'airport_bind_status' },
  ];
  const one = setup(items);
  const a = one.subscribe({ filter: { vendor: 'dji', deviceId: 'dock-1', requestTypes: ['config'], pendingOnly: true } });
  await one.clock.advance(0);
  assert.deepEqual(one.calls[0]?.filter, { vendor: 'dji', device_id: 'dock-1', request_type: 'config' });
  a.close();
  one.feed.close();
  const several = setup(items);
  const b = several.subscribe({ filter: { vendor: 'dji', requestTypes: ['config', 'flighttask_resource_get'], pendingOnly: true } });
  await several.clock.advance(0);
  const [call] = several.calls;
  assert.ok(call, 'the feed listed requests');
  assert.equal(call.filter.request_type, undefined);
  assert.deepEqual(several.emitted, ['x', 'y']);
  b.close();
  several.feed.close();
});

test('a failed poll is reported (a cancelled one is not) and polling goes on at the interval', async () => {
  const f = setup([pending('p-1', '2026-04-22T12:00:00Z')]);
  f.state.fail = new UtmosServerError('platform down', { code: 'INTERNAL_ERROR', httpStatus: 503 });
  const sub = f.subscribe();
  await f.clock.advance(0);
  assert.deepEqual(
    f.errors.map((e) => e.code),
    ['INTERNAL_ERROR'],
  );
  f.state.fail = new UtmosAbortError('listDeviceRequests');
  await f.clock.advance(5_000);
  assert.equal(f.errors.length, 1, 'a cancelled poll is not an error to report');
  f.state.fail = new Error('boom');
  await f.clock.advance(5_000);
  assert.deepEqual(
    f.errors.map((e) => e.code),
    ['INTERNAL_ERROR', 'UNKNOWN'],
    'anything thrown becomes a UtmosError',
  );
  f.state.fail = undefined;
  await f.clock.advance(5_000);
  assert.deepEqual(f.emitted, ['p-1']);
  assert.equal(f.feed.stats.errors, 3);
  sub.close();
  f.feed.close();
});

test('a hint polls every subscriber soon, but never sooner than 200 ms after its last poll', async () => {
  const f = setup();
  const a = f.subscribe({ pollIntervalMs: 60_000 });
  const b = f.subscribe({ pollIntervalMs: 60_000 });
  await f.clock.advance(0);
  assert.equal(f.calls.length, 2);
  f.feed.hint();
  await f.clock.advance(199);
  assert.equal(f.calls.length, 2, 'not within 200 ms of the last poll');
  await f.clock.advance(1);
  assert.equal(f.calls.length, 4);
  await f.clock.advance(10_000);
  f.feed.hint();
  await f.clock.advance(0);
  assert.equal(f.calls.length, 6, 'long after the last poll, at once');
  a.close();
  b.close();
  f.feed.close();
});

test('a poll asked for while one is in flight runs right after it, once', async () => {
  const clock = new FakeClock();
  const releases: Array<() => void> = [];
  let calls = 0;
  const feed = new DeviceRequestFeed(
    {
      listDeviceRequests: () => {
        calls++;
        return new Promise<DeviceRequestList>((resolve) => releases.push(() => resolve({ items: [] })));
      },
    },
    { clock },
  );
  const sub = feed.subscribe({ filter: {}, pollIntervalMs: 60_000, seen: new SeenIds(), firstRun: false, onRequest: () => undefined });
  await clock.advance(0);
  assert.equal(calls, 1);
  sub.pollNow();
  sub.pollNow();
  feed.hint();
  releases.shift()?.();
  await clock.advance(200);
  assert.equal(calls, 2, 'one more poll for all the asks made meanwhile');
  releases.shift()?.();
  await clock.advance(59_999);
  assert.equal(calls, 2);
  sub.close();
  feed.close();
});

test('closing a subscription or the feed stops polling and leaves no timer', async () => {
  const f = setup([pending('p-1', '2026-04-22T12:00:00Z')]);
  const a = f.subscribe();
  const b = f.subscribe();
  await f.clock.advance(0);
  a.close();
  assert.equal(f.feed.subscriberCount, 1);
  f.feed.close();
  assert.equal(f.feed.subscriberCount, 0);
  assert.equal(f.clock.pending, 0);
  await f.clock.advance(60_000);
  assert.equal(f.calls.length, 2);
  b.pollNow();
  const late = f.subscribe();
  late.pollNow();
  await f.clock.advance(60_000);
  assert.equal(f.calls.length, 2, 'a closed feed polls for nobody');
});

test('SeenIds is bounded: the oldest ids are forgotten first, and it survives a JSON round trip', () => {
  const seen = new SeenIds(3, ['a', 'b']);
  seen.add('c');
  seen.add('a');
  assert.deepEqual(seen.toJSON(), ['a', 'b', 'c'], 'adding a known id changes nothing');
  seen.add('d');
  assert.equal(seen.size, 3);
  assert.equal(seen.has('a'), false);
  assert.deepEqual(new SeenIds(3, JSON.parse(JSON.stringify(seen)) as string[]).toJSON(), ['b', 'c', 'd']);
});
