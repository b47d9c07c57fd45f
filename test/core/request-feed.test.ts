// The device-request feed on its own, against a scripted request source (unit test of one module):
// pending as the platform documents it, and only the documented list query parameters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeviceRequestFeed, SeenIds, isPendingDeviceRequest } from '../../src/core/request-feed';
import type { DeviceRequest, DeviceRequestFilter, DeviceRequestList } from '../../src/core/schemas';

/** A request as the requests page shows one that waits for the cloud (seed 002). */
function pending(id: string, receivedAt: string): DeviceRequest {
  return {
    request_id: id,
    vendor: 'dji',
    device_id: 'drone-001',
    request_type: 'config',
    inbound_payload: { scope: 'dock', items: ['network', 'storage'] },
    routing_decision: 'manual_reply_required',
    reply_code: 'PENDING',
    reply_message: 'awaiting cloud decision',
    reply_source: 'manual',
    standardized_reply: {},
    received_at: receivedAt,
    replied_at: null,
    updated_at: receivedAt,
  };
}

function answered(id: string, receivedAt: string, source: 'manual' | 'auto'): DeviceRequest {
  return {
    ...pending(id, receivedAt),
    routing_decision: source === 'auto' ? 'auto_reply' : 'manual_reply_required',
    reply_code: 'APPROVED',
    reply_message: source === 'auto' ? 'answered by the platform' : 'approved',
    reply_source: source,
    standardized_reply: { result: 0, output: {} },
    replied_at: '2026-04-22T12:00:01Z',
    updated_at: '2026-04-22T12:00:01Z',
  };
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
