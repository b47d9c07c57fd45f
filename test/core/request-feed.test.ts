// The device-request feed on its own, against a scripted request source (unit test of one module):
// pending as the platform documents it, and only the documented list query parameters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeviceRequestFeed, SeenIds, isPendingDeviceRequest } from '../../src/core/request-feed';
import type { DeviceRequest, DeviceRequestFilter, DeviceRequestList } from '../../src/core/schemas';
import { answeredRequest as answered, pendingRequest as pending } from '../conformance/seed-fixtures';

test('pending means reply_code PENDING or replied_at null, never "no reply_code"', () => {
  assert.equal(isPendingDeviceRequest(pending('a', '2026-04-22T12:00:00Z')), true);
  assert.equal(isPendingDeviceRequest({ reply_code: null, replied_at: null }), true);
  assert.equal(isPendingDeviceRequest({ reply_code: 'APPROVED', replied_at: null }), true);
  assert.equal(isPendingDeviceRequest({ reply_code: 'PENDING', replied_at: '2026-04-22T12:00:01Z' }), true);
  assert.equal(isPendingDeviceRequest(answered('b', '2026-04-22T12:00:00Z', 'manual')), false);
  assert.equal(isPendingDeviceRequest(answered('c', '2026-04-22T12:00:00Z', 'auto')), false);
});

test('with pendingOnly each seed-shaped pending request is emitted once, later ones too; answered and auto-answered ones never', async () => {
  let items: DeviceRequest[] = [
    pending('p-1', '2026-04-22T12:00:00Z'),
    answered('m-1', '2026-04-22T12:00:01Z', 'manual'),
    answered('a-1', '2026-04-22T12:00:02Z', 'auto'),
  ];
  const filters: DeviceRequestFilter[] = [];
  const polled: Array<() => void> = [];
  const feed = new DeviceRequestFeed({
    async listDeviceRequests(filter?: DeviceRequestFilter): Promise<DeviceRequestList> {
      filters.push({ ...filter });
      return { items: items.map((r) => ({ ...r })) };
    },
  });
  const emitted: string[] = [];
  let polls = 0;
  const nextPoll = () => new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no poll within 5 s')), 5_000);
    polled.push(() => {
      clearTimeout(timer);
      resolve();
    });
  });
  const sub = feed.subscribe({
    filter: { vendor: 'dji', requestTypes: [], pendingOnly: true },
    pollIntervalMs: 3_600_000,
    seen: new SeenIds(),
    firstRun: false,
    onRequest: (r) => emitted.push(r.request_id),
    onPolled: () => {
      polls++;
      for (const w of polled.splice(0)) w();
    },
  });
  try {
    await nextPoll();
    assert.deepEqual(emitted, ['p-1']);
    // a request arrives later, the first one is answered meanwhile, another is auto-answered
    items = [answered('p-1', '2026-04-22T12:00:00Z', 'manual'), ...items.slice(1), pending('p-2', '2026-04-22T12:00:03Z'), answered('a-2', '2026-04-22T12:00:04Z', 'auto')];
    let next = nextPoll();
    sub.pollNow();
    await next;
    next = nextPoll();
    sub.pollNow();
    await next;
    assert.equal(polls, 3);
    assert.deepEqual(emitted, ['p-1', 'p-2']);
    for (const f of filters) assert.deepEqual(Object.keys(f).filter((k) => f[k as keyof DeviceRequestFilter] !== undefined), ['vendor'], `documented query parameters only: ${JSON.stringify(f)}`);
  } finally {
    sub.close();
    feed.close();
  }
});
