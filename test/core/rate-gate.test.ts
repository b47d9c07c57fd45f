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
  // Never below one request a second.
  for (let i = 0; i < 10; i++) {
    await clock.advance(1);
    gate.rateLimited(gate.take(), 0);
  }
  assert.equal(gate.allowed, 1);
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
