// The device-request feed shared by the subscribers of one connection (unit test on a fake clock):
// one list call per round for all, each request once to each subscriber it matches, intervals,
// rounds that events speed up but never flood, and shared lists that may be cut short.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeviceRequestFeed, EVENT_SAFETY_NET_MS, SeenIds } from '../../src/core/request-feed';
import type { DeviceRequestList } from '../../src/core/schemas';
import { FakeClock } from './fake-clock';
import { from, setup } from './request-feed-setup';

test('50 subscribers, one device each: one list call per interval for all, each gets exactly its own requests once', async () => {
  const f = setup();
  const nodes = Array.from({ length: 50 }, (_, i) => f.watch(`dock-${i}`));
  await f.clock.advance(0);
  assert.equal(f.calls.length, 1, 'the first round is one call for all 50');
  assert.deepEqual(f.calls[0]?.filter, { vendor: 'dji' }, 'the parameter they all agree on, nothing more');
  await f.clock.advance(60_000);
  assert.deepEqual(
    f.since(f.start + 1).map((c) => c.at - f.start),
    [5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60].map((s) => s * 1_000),
  );

  // Requests for every fourth dock, one dock twice, and one of another type: each goes to its node alone.
  // (Fewer than 20 new ones: a list that short cannot have been cut short, so no node needs its own call.)
  f.state.items = [
    ...Array.from({ length: 13 }, (_, k) => from(`r-${4 * k}`, `dock-${4 * k}`, k)),
    from('r-4-again', 'dock-4', 40, 'flighttask_resource_get'),
    from('stranger', 'dock-99', 41),
  ];
  const before = f.calls.length;
  await f.clock.advance(15_000);
  assert.equal(f.calls.length - before, 3, 'still one call per interval');
  nodes.forEach((node, i) => {
    const expected = i % 4 ? [] : i === 4 ? ['r-4', 'r-4-again'] : [`r-${i}`];
    assert.deepEqual(node.got, expected, `dock-${i}`);
    assert.deepEqual(node.polled.at(-1), { pending: expected.length, emitted: 0 }, `dock-${i} counts only its own`);
  });
  f.feed.close();
});

test('the shared call asks what every subscriber agrees on: same type kept, mixed vendors dropped', async () => {
  const f = setup([from('c-1', 'dock-1', 1), from('t-1', 'dock-2', 2, 'update_topo'), { ...from('p-1', 'dock-3', 3), vendor: 'px4' }]);
  const a = f.watch('dock-1', { filter: { vendor: 'dji', deviceId: 'dock-1', requestTypes: ['config'], pendingOnly: true } });
  const b = f.watch('dock-2', { filter: { vendor: 'dji', deviceId: 'dock-2', requestTypes: ['config'], pendingOnly: true } });
  await f.clock.advance(0);
  assert.deepEqual(
    f.calls.map((c) => c.filter),
    [{ vendor: 'dji', request_type: 'config' }],
  );
  assert.deepEqual([a.got, b.got], [['c-1'], []]);
  const c = f.watch('dock-3', { filter: { vendor: 'px4', requestTypes: [], pendingOnly: true } });
  await f.clock.advance(200);
  assert.deepEqual(f.calls.at(-1)?.filter, {}, 'dji and px4 subscribers: one call without a vendor');
  assert.deepEqual([a.got, b.got, c.got], [['c-1'], [], ['p-1']], 'the vendor is filtered here instead');
  f.feed.close();
});

test('the interval is the shortest among the subscribers, and grows again when that one leaves', async () => {
  const f = setup();
  const slow = f.subscribe({ pollIntervalMs: 30_000 });
  const fast = f.subscribe({ pollIntervalMs: 2_000 });
  await f.clock.advance(0);
  assert.equal(f.feed.pollIntervalMs, 2_000);
  await f.clock.advance(6_000);
  assert.deepEqual(
    f.calls.map((c) => c.at - f.start),
    [0, 2_000, 4_000, 6_000],
  );
  fast.close();
  assert.equal(f.feed.pollIntervalMs, 30_000);
  await f.clock.advance(62_000);
  assert.deepEqual(
    f.since(f.start + 6_001).map((c) => c.at - f.start),
    [8_000, 38_000, 68_000],
    'the round already due, then every 30 s',
  );
  slow.close();
  assert.equal(f.clock.pending, 0, 'nobody left: no timer');
  await f.clock.advance(60_000);
  assert.equal(f.calls.length, 7);
  f.feed.close();
});

test('a long interval is kept even though timers are armed in steps of at most 60 s', async () => {
  const f = setup();
  const sub = f.subscribe({ pollIntervalMs: 3_600_000 });
  await f.clock.advance(3_600_000 - 1);
  assert.equal(f.calls.length, 1);
  await f.clock.advance(1);
  assert.equal(f.calls.length, 2);
  sub.close();
  f.feed.close();
});

test('with the event stream connected, a hint fetches at once and the interval becomes a 60 s safety net', async () => {
  const f = setup();
  const nodes = Array.from({ length: 50 }, (_, i) => f.watch(`dock-${i}`));
  await f.clock.advance(0);
  f.feed.setEventDriven(true);
  await f.clock.advance(200);
  assert.equal(f.calls.length, 2, 'a stream that connects may have missed events: one round at once');
  assert.equal(f.feed.pollIntervalMs, EVENT_SAFETY_NET_MS);
  const quiet = f.clock.now();
  await f.clock.advance(10 * 60_000 + 30_000);
  assert.deepEqual(
    f.since(quiet + 1).map((c) => c.at - quiet),
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((m) => m * 60_000),
    'idle: one call a minute for 50 nodes',
  );

  f.state.items = [from('r-7', 'dock-7', 7)];
  const hinted = f.clock.now();
  f.feed.hint({ deviceId: 'dock-7', requestType: 'config' });
  await f.clock.advance(0);
  assert.deepEqual(
    f.since(hinted).map((c) => c.at - hinted),
    [0],
    'the hint fetched at once',
  );
  assert.deepEqual(nodes[7]?.got, ['r-7']);
  assert.equal(nodes.filter((n) => n.got.length).length, 1);

  f.feed.hint({ deviceId: 'dock-99' });
  f.feed.hint({ deviceId: 'dock-7', requestType: 'update_topo' });
  await f.clock.advance(1_000);
  assert.equal(f.since(hinted).length, 2, 'a hint about a device nobody watches fetches nothing; one about a watched device does');

  f.feed.setEventDriven(false);
  assert.equal(f.feed.pollIntervalMs, 5_000);
  const dropped = f.clock.now();
  await f.clock.advance(10_000);
  assert.deepEqual(
    f.since(dropped).map((c) => c.at - dropped),
    [4_200, 9_200],
    'the stream dropped: every 5 s again, counted from the last round (200 ms after the hint)',
  );
  f.feed.close();
});

test('a stream that drops right after a hint does not put off the round the hint asked for', async () => {
  const f = setup();
  f.subscribe();
  f.feed.setEventDriven(true);
  await f.clock.advance(0);
  const hinted = f.clock.now();
  f.feed.hint({});
  await f.clock.advance(100);
  f.feed.setEventDriven(false);
  await f.clock.advance(100);
  assert.deepEqual(
    f.since(hinted + 1).map((c) => c.at - hinted),
    [200],
    'the hinted round, 200 ms after the last one',
  );
  await f.clock.advance(5_000);
  assert.deepEqual(
    f.since(hinted + 1).map((c) => c.at - hinted),
    [200, 5_200],
    'then every 5 s',
  );
  f.feed.close();
});

test('a subscriber that asks for more than one type is woken by a hint of either', async () => {
  const f = setup();
  f.subscribe({ filter: { vendor: 'dji', deviceId: 'dock-1', requestTypes: ['config', 'update_topo'], pendingOnly: true }, pollIntervalMs: 60_000 });
  await f.clock.advance(0);
  f.feed.hint({ deviceId: 'dock-1', requestType: 'flighttask_resource_get' });
  await f.clock.advance(1_000);
  assert.equal(f.calls.length, 1, 'not a type it wants');
  f.feed.hint({ deviceId: 'dock-1', requestType: 'update_topo' });
  f.feed.hint({});
  await f.clock.advance(1_000);
  assert.equal(f.calls.length, 2, 'one of its types (and a hint that names nothing), one round');
  f.feed.close();
});

test('a subscriber joins with its own call while the shared list may be cut short, then rides the shared one', async () => {
  // 30 requests from other docks, one older pending request of dock-a: on a page of 25 the shared list cannot show it.
  const f = setup([from('a-old', 'dock-a', 0), ...Array.from({ length: 30 }, (_, k) => from(`o-${k}`, `dock-o${k}`, 10 + k))], 25);
  const a = f.watch('dock-a');
  const b = f.watch('dock-b');
  await f.clock.advance(0);
  assert.deepEqual(
    f.calls.map((c) => c.filter),
    [{ vendor: 'dji' }, { vendor: 'dji', device_id: 'dock-a' }, { vendor: 'dji', device_id: 'dock-b' }],
    'a full shared list: each joins with a call of its own',
  );
  assert.deepEqual(a.got, ['a-old']);
  const joined = f.calls.length;
  f.state.items.push(from('a-new', 'dock-a', 50), from('b-new', 'dock-b', 51));
  await f.clock.advance(15_000);
  assert.deepEqual(
    f.calls.slice(joined).map((c) => c.filter),
    [{ vendor: 'dji' }, { vendor: 'dji' }, { vendor: 'dji' }],
    'caught up: the shared call alone',
  );
  assert.deepEqual([a.got, b.got], [['a-old', 'a-new'], ['b-new']]);
  f.feed.close();
});

test('a short shared list is complete: joiners need no call of their own', async () => {
  const f = setup([from('a-1', 'dock-a', 1)]);
  const a = f.watch('dock-a');
  await f.clock.advance(0);
  const b = f.watch('dock-b');
  const c = f.watch('dock-c', { seen: new SeenIds(10, ['c-known']) });
  f.state.items.push(from('c-known', 'dock-c', 2), from('c-1', 'dock-c', 3));
  await f.clock.advance(200);
  assert.deepEqual(
    f.calls.map((x) => x.filter),
    [{ vendor: 'dji', device_id: 'dock-a' }, { vendor: 'dji' }],
  );
  assert.deepEqual([a.got, b.got, c.got], [['a-1'], [], ['c-1']], 'what a joiner remembers (a redeploy) is not emitted again');
  f.feed.close();
});

test('a shared list that no longer reaches back to the last one sends each subscriber to its own list', async () => {
  const f = setup([], 25);
  const a = f.watch('dock-a');
  const b = f.watch('dock-b');
  await f.clock.advance(0);
  f.state.items.push(from('a-1', 'dock-a', 1));
  await f.clock.advance(5_000);
  assert.deepEqual(a.got, ['a-1']);
  // 30 requests from other docks and one from dock-b within one interval: the shared page of 25 holds neither a-1 nor b-1.
  f.state.items.push(from('b-1', 'dock-b', 2), ...Array.from({ length: 30 }, (_, k) => from(`o-${k}`, `dock-o${k}`, 10 + k)));
  const gap = f.calls.length;
  await f.clock.advance(5_000);
  assert.deepEqual(
    f.calls.slice(gap).map((c) => c.filter),
    [{ vendor: 'dji' }, { vendor: 'dji', device_id: 'dock-a' }, { vendor: 'dji', device_id: 'dock-b' }],
  );
  assert.deepEqual([a.got, b.got], [['a-1'], ['b-1']], 'what the shared page missed came from the own lists, once');
  const after = f.calls.length;
  await f.clock.advance(5_000);
  assert.deepEqual(
    f.calls.slice(after).map((c) => c.filter),
    [{ vendor: 'dji' }],
    "the next shared list holds the last one's newest: shared again",
  );
  f.feed.close();
});

test('a platform that lists oldest first and cuts the list: the shared list is never trusted to reach the newest', async () => {
  // Page of 25 holding the 25 oldest: the shared list stays the same page forever, and would never show a new request.
  const f = setup(
    Array.from({ length: 30 }, (_, k) => from(`o-${k}`, `dock-o${k}`, k)),
    25,
    'oldest first',
  );
  const a = f.watch('dock-a');
  const b = f.watch('dock-b');
  await f.clock.advance(0);
  f.state.items.push(from('a-1', 'dock-a', 50), from('b-1', 'dock-b', 51));
  const before = f.calls.length;
  await f.clock.advance(5_000);
  assert.deepEqual(
    f.calls.slice(before).map((c) => c.filter),
    [{ vendor: 'dji' }, { vendor: 'dji', device_id: 'dock-a' }, { vendor: 'dji', device_id: 'dock-b' }],
  );
  assert.deepEqual([a.got, b.got], [['a-1'], ['b-1']], 'the own lists found them, once');
  f.feed.close();
});

test('hints and asks never start rounds less than 200 ms apart', async () => {
  const f = setup();
  const a = f.subscribe({ pollIntervalMs: 60_000 });
  const b = f.subscribe({ pollIntervalMs: 60_000 });
  await f.clock.advance(0);
  assert.equal(f.calls.length, 1);
  f.feed.hint();
  b.pollNow();
  await f.clock.advance(199);
  assert.equal(f.calls.length, 1, 'not within 200 ms of the last round');
  await f.clock.advance(1);
  assert.equal(f.calls.length, 2);
  await f.clock.advance(10_000);
  f.feed.hint();
  await f.clock.advance(0);
  assert.equal(f.calls.length, 3, 'long after the last round, at once');
  a.close();
  b.close();
  f.feed.close();
});

test('a round asked for while one is in flight runs right after it, once', async () => {
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
  feed.subscribe({ filter: {}, pollIntervalMs: 60_000, seen: new SeenIds(), firstRun: false, onRequest: () => undefined });
  releases.shift()?.();
  await clock.advance(200);
  assert.equal(calls, 2, 'one more round for all the asks and the joiner meanwhile');
  releases.shift()?.();
  await clock.advance(59_999);
  assert.equal(calls, 2);
  feed.close();
});
