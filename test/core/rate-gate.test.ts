// The rate gate on its own, on a fake clock: the sliding window, the 429 pause and the AIMD rate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RateGate } from '../../src/core/rate-gate';
import { FakeClock } from './fake-clock';

/** Sends whenever the gate allows, for `ms` of fake time; returns the send times. */
async function sendFor(clock: FakeClock, gate: RateGate, ms: number): Promise<number[]> {
  const sent: number[] = [];
  const end = clock.now() + ms;
  while (clock.now() < end) {
    const wait = gate.waitMs();
    if (wait > 0) {
      await clock.advance(Math.min(wait, end - clock.now()));
      continue;
    }
    sent.push(gate.take());
  }
  return sent;
}

test('no one-second window holds more than the cap, and the cap is used', async () => {
  const clock = new FakeClock();
  const gate = new RateGate({ cap: 10, clock });
  const sent = await sendFor(clock, gate, 3_000);
  for (let i = 10; i < sent.length; i++) assert.ok(sent[i]! - sent[i - 10]! >= 1000, `send ${i} is a second after send ${i - 10}`);
  assert.ok(sent.length >= 28, `${sent.length} sends in 3 s at 10/s`);
  assert.equal(gate.peakPerSecond, 10);
});

test('a 429 pauses for its Retry-After (1 s without one) and halves the rate once per burst', async () => {
  const clock = new FakeClock();
  const changes: Array<[number, number]> = [];
  const gate = new RateGate({ cap: 40, clock, onRateChange: (a, c) => changes.push([a, c]) });
  const stamps = [gate.take(), gate.take(), gate.take()];
  await clock.advance(5);
  for (const at of stamps) gate.rateLimited(at, 250);
  assert.equal(gate.allowed, 20, 'three 429s to one burst halve once');
  assert.equal(gate.waitMs(), 250);
  await clock.advance(250);
  assert.equal(gate.waitMs(), 0);
  // A 429 to a request sent after the decrease is a new burst.
  gate.rateLimited(gate.take(), undefined);
  assert.equal(gate.allowed, 10);
  assert.equal(gate.waitMs(), 1000);
  assert.deepEqual(changes, [
    [20, 40],
    [10, 40],
  ]);
  // Never below a tenth of the cap: only successes win the rate back, and an outage brings none.
  for (let i = 0; i < 10; i++) {
    await clock.advance(1);
    gate.rateLimited(gate.take(), 0);
  }
  assert.equal(gate.allowed, 4);
});

test("successes win the rate back a tenth of the cap per second's worth, up to the cap", () => {
  const clock = new FakeClock();
  const changes: Array<[number, number]> = [];
  const gate = new RateGate({ cap: 20, clock, onRateChange: (a, c) => changes.push([a, c]) });
  gate.rateLimited(gate.take(), 0);
  assert.equal(gate.allowed, 10);
  for (let i = 0; i < 9; i++) gate.succeeded();
  assert.equal(gate.allowed, 10, "not before a second's worth (10) of successes");
  gate.succeeded();
  assert.equal(gate.allowed, 12);
  for (let i = 0; i < 200; i++) gate.succeeded();
  assert.equal(gate.allowed, 20);
  assert.deepEqual(
    changes,
    [
      [10, 20],
      [20, 20],
    ],
    'told of the decrease and the full recovery only',
  );
});

/** The most stamps in any sliding one-second window. */
function peakPerSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= 1000) j++; // j <= i < length
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}

/** Callers that each take a turn, hold it `holdMs` (the attempt in flight) and release it. */
function caller(clock: FakeClock, gate: RateGate, log: Array<{ who: string; at: number }>, holdMs = 20) {
  return async (who: string, urgent = false, signal?: AbortSignal): Promise<void> => {
    await gate.acquire({ urgent, signal }, () => new Error(`${who} aborted`));
    log.push({ who, at: gate.take() });
    clock.setTimeout(() => gate.release(), holdMs);
  };
}

test('creates and status queries share one cap: a burst of creates leaves at the cap, queries go first', async () => {
  const clock = new FakeClock();
  const gate = new RateGate({ cap: 50, maxConcurrent: 8, clock });
  const log: Array<{ who: string; at: number }> = [];
  const call = caller(clock, gate, log);
  const creates = Array.from({ length: 300 }, (_, i) => call(`create-${i}`));
  await clock.advance(1_500);
  // Status queries of waits arrive while most creates still queue: they go before the queued creates.
  const queriesFrom = clock.now();
  const queries = Array.from({ length: 10 }, (_, i) => call(`query-${i}`, true));
  await clock.until(Promise.all([...creates, ...queries]), 60_000);
  assert.equal(log.length, 310, 'every call admitted once');
  const peak = peakPerSecond(log.map((e) => e.at));
  assert.ok(peak <= 50, `peak ${peak} calls in one second exceeds the cap of 50`);
  assert.equal(gate.peakPerSecond, peak);
  const lastQuery = Math.max(...log.filter((e) => e.who.startsWith('query')).map((e) => e.at));
  assert.ok(lastQuery - queriesFrom <= 1_100, `the queries waited ${lastQuery - queriesFrom} ms behind ${300 - 75} queued creates`);
  const order = log.map((e) => e.who);
  assert.deepEqual(
    order.filter((w) => w.startsWith('create')),
    creates.map((_, i) => `create-${i}`),
    'creates keep their order',
  );
  await clock.advance(20);
  assert.equal(gate.inFlight, 0, 'every turn released');
  assert.equal(gate.queued, 0);
});

test('no more than maxConcurrent calls hold a turn at once', async () => {
  const clock = new FakeClock();
  const gate = new RateGate({ cap: 1000, maxConcurrent: 3, clock });
  const log: Array<{ who: string; at: number }> = [];
  const call = caller(clock, gate, log, 100);
  const calls = Array.from({ length: 9 }, (_, i) => call(`c${i}`));
  await clock.until(Promise.all(calls));
  const [first] = log;
  assert.ok(first, 'the calls ran');
  assert.deepEqual(
    log.map((e) => e.at - first.at),
    [0, 0, 0, 100, 100, 100, 200, 200, 200],
  );
});

test('a 429 to any call pauses every queued call and halves the shared rate', async () => {
  const clock = new FakeClock();
  const gate = new RateGate({ cap: 20, maxConcurrent: 4, clock });
  const log: Array<{ who: string; at: number }> = [];
  const call = caller(clock, gate, log, 5);
  await gate.acquire({}, () => new Error('aborted'));
  const sentAt = gate.take();
  gate.release();
  gate.rateLimited(sentAt, 500);
  assert.equal(gate.allowed, 10);
  const pausedAt = clock.now();
  const calls = [...Array.from({ length: 15 }, (_, i) => call(`create-${i}`)), ...Array.from({ length: 15 }, (_, i) => call(`query-${i}`, true))];
  await clock.until(Promise.all(calls), 60_000);
  assert.equal(log[0]?.at, pausedAt + 500, 'nothing before the Retry-After has passed');
  const peak = peakPerSecond(log.map((e) => e.at));
  assert.ok(peak <= 11, `peak ${peak} in one second while lowered to 10/s (one success may win 2 back)`);
  assert.ok(
    log.slice(0, 15).every((e) => e.who.startsWith('query')),
    'queries before creates after the pause',
  );
});

test("an aborted or closed wait for a turn rejects with the caller's error and holds no slot", async () => {
  const clock = new FakeClock();
  const gate = new RateGate({ cap: 1, maxConcurrent: 1, clock });
  await gate.acquire({}, () => new Error('x'));
  const controller = new AbortController();
  const aborted = gate.acquire({ signal: controller.signal }, () => new Error('aborted while queued'));
  const closed = gate.acquire({}, () => new Error('closed while queued'));
  controller.abort();
  await assert.rejects(aborted, /aborted while queued/);
  gate.close();
  await assert.rejects(closed, /closed while queued/);
  await assert.rejects(
    gate.acquire({}, () => new Error('after close')),
    /after close/,
  );
  assert.equal(clock.pending, 0, 'no timer left armed');
});

test('turns granted long before they are sent still keep every window of real sends within the cap', async () => {
  const clock = new FakeClock();
  const gate = new RateGate({ cap: 10, clock });
  const sends: number[] = [];
  // The first ten are granted at once but go out 900 ms later (granted inside a long synchronous
  // stretch); the next ten would go at once if the window counted grants instead of sends.
  const call = async (i: number): Promise<void> => {
    await gate.acquire({}, () => new Error('aborted'));
    if (i < 10) await new Promise<void>((resolve) => clock.setTimeout(resolve, 900));
    sends.push(gate.take());
    gate.release();
  };
  await clock.until(Promise.all(Array.from({ length: 20 }, (_, i) => call(i))), 10_000);
  assert.equal(sends.length, 20);
  assert.ok(peakPerSecond(sends) <= 10, `peak ${peakPerSecond(sends)} sends in one second: ${sends.join(', ')}`);
});

test('a granted turn that is forgone frees its place in the window', async () => {
  const clock = new FakeClock();
  const gate = new RateGate({ cap: 2, clock });
  await gate.acquire({}, () => new Error('x'));
  await gate.acquire({}, () => new Error('x'));
  let third = false;
  const waiting = gate.acquire({}, () => new Error('x')).then(() => (third = true));
  await clock.advance(0);
  assert.equal(third, false, 'two turns granted and not sent fill a window of 2');
  gate.forgo();
  await clock.until(waiting, 100);
  assert.equal(third, true);
});
