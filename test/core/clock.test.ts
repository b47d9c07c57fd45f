// The clock helpers: the scheduler's single alarm and the abortable sleep.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Alarm, sleep, systemClock } from '../../src/core/clock';
import { FakeClock } from './fake-clock';

test('an alarm keeps the earliest time it was set to, and can be cleared', async () => {
  const clock = new FakeClock();
  const rang: number[] = [];
  const alarm = new Alarm(clock, () => rang.push(clock.now()));
  const t0 = clock.now();
  alarm.set(t0 + 500);
  alarm.set(t0 + 900);
  alarm.set(t0 + 200);
  assert.equal(clock.pending, 1, 'one timer, whatever was asked');
  await clock.advance(1_000);
  assert.deepEqual(
    rang.map((t) => t - t0),
    [200],
  );
  alarm.set(clock.now() + 100);
  alarm.set(Infinity);
  assert.equal(clock.pending, 0, 'Infinity disarms');
  alarm.set(clock.now() + 100);
  alarm.clear();
  await clock.advance(1_000);
  assert.equal(rang.length, 1);
});

test('a far alarm is armed in steps of at most a minute and rings on time', async () => {
  const clock = new FakeClock();
  let rings = 0;
  // The owner re-arms on every ring until its time has come, as the tracker does.
  const due = clock.now() + 2 ** 31 + 5_000;
  const alarm: Alarm = new Alarm(clock, () => {
    if (clock.now() < due) alarm.set(due);
    else rings++;
  });
  alarm.set(due);
  await clock.advance(60_000);
  assert.equal(rings, 0);
  await clock.advance(due - clock.now());
  assert.equal(rings, 1);
});

test('sleep resolves after its time, or rejects at once when aborted', async () => {
  const clock = new FakeClock();
  let done = false;
  const nap = sleep(clock, 300, undefined, () => new Error('aborted')).then(() => (done = true));
  await clock.advance(299);
  assert.equal(done, false);
  await clock.advance(1);
  await nap;
  assert.equal(done, true);
  const controller = new AbortController();
  const cut = sleep(clock, 60_000, controller.signal, () => new Error('aborted'));
  controller.abort();
  await assert.rejects(cut, /aborted/);
  assert.equal(clock.pending, 0, 'the timer of an aborted sleep is cleared');
  await assert.rejects(
    sleep(clock, 10, controller.signal, () => new Error('already')),
    /already/,
  );
});

test('the system clock reads the real time', () => {
  const before = Date.now();
  assert.ok(systemClock.now() >= before);
  assert.ok(systemClock.monotonic() > 0);
  const timer = systemClock.setTimeout(() => assert.fail('cleared'), 10);
  systemClock.clearTimeout(timer);
});
