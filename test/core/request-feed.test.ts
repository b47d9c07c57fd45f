// The device-request feed on its own, against a scripted request source and a fake clock (unit test
// of one module): pending as the platform documents it, only the documented list query parameters,
// each request once and oldest first, failures reported, and nothing left behind on close.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeenIds, isPendingDeviceRequest } from '../../src/core/request-feed';
import { UtmosAbortError, UtmosServerError } from '../../src/core/errors';
import { answeredRequest as answered, pendingRequest as pending } from '../conformance/seed-fixtures';
import { from, setup } from './request-feed-setup';

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
      assert.deepEqual(Object.keys(filter), ['vendor'], `documented query parameters only: ${JSON.stringify(filter)}`);
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
  const a = one.subscribe({ filter: { vendor: 'dji', deviceId: 'drone-001', requestTypes: ['config'], pendingOnly: true } });
  await one.clock.advance(0);
  assert.deepEqual(one.calls[0]?.filter, { vendor: 'dji', device_id: 'drone-001', request_type: 'config' });
  assert.deepEqual(one.emitted, ['y']);
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

test('a failed list is reported (a cancelled one is not) and polling goes on at the interval', async () => {
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

test('a shared list that fails reaches every subscriber; one of its own that fails reaches only its subscriber', async () => {
  const f = setup(
    Array.from({ length: 30 }, (_, k) => from(`o-${k}`, `dock-o${k}`, k)),
    25,
  );
  f.state.fail = new UtmosServerError('platform down', { code: 'INTERNAL_ERROR', httpStatus: 503 });
  const a = f.watch('dock-a');
  const b = f.watch('dock-b');
  await f.clock.advance(0);
  assert.deepEqual([a.failures, b.failures], [['INTERNAL_ERROR'], ['INTERNAL_ERROR']]);
  f.state.fail = undefined;
  f.state.failWhen = (filter) => (filter.device_id === 'dock-a' ? new UtmosServerError('no', { code: 'FORBIDDEN', httpStatus: 403 }) : undefined);
  f.state.items.push(from('b-1', 'dock-b', 50));
  await f.clock.advance(5_000);
  assert.deepEqual([a.failures, b.failures], [['INTERNAL_ERROR', 'FORBIDDEN'], ['INTERNAL_ERROR']]);
  assert.deepEqual(b.got, ['b-1']);
  f.state.failWhen = undefined;
  f.state.items.push(from('a-1', 'dock-a', 0));
  await f.clock.advance(5_000);
  assert.deepEqual(a.got, ['a-1'], 'it keeps its own call until one succeeds');
  f.feed.close();
});

test('a subscriber whose callback throws gets the error; the others are served all the same', async () => {
  const f = setup([from('r-1', 'dock-1', 1), from('r-2', 'dock-2', 2)]);
  const a = f.watch('dock-1', {
    onRequest: () => {
      throw new Error('flow broke');
    },
  });
  const b = f.watch('dock-2');
  await f.clock.advance(5_000);
  assert.deepEqual(a.failures, ['UNKNOWN']);
  assert.deepEqual(b.got, ['r-2']);
  assert.equal(f.calls.length, 2, 'polling goes on');
  f.feed.close();
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
  assert.equal(f.calls.length, 1);
  b.pollNow();
  const late = f.subscribe();
  late.pollNow();
  f.feed.hint();
  f.feed.setEventDriven(true);
  await f.clock.advance(60_000);
  assert.equal(f.calls.length, 1, 'a closed feed polls for nobody');
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
