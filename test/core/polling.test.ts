// How the tracker decides when to poll, piece by piece: the poll schedule, the learned durations
// and the early-hint buffer (fake clock where time matters).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DurationModel, platformDurationMs } from '../../src/core/duration-model';
import { EarlyHints } from '../../src/core/early-hints';
import { PollSchedule } from '../../src/core/poll-schedule';
import type { CommandStatus } from '../../src/core/schemas';
import { FakeClock } from './fake-clock';

const load = (tracked: number, allowedPerSecond = 100) => ({ tracked, allowedPerSecond });

test('polling only: 300 ms first, then backing off by 1.5 up to 5 s', () => {
  const s = new PollSchedule();
  assert.deepEqual(s.first(false, load(1)), { delayMs: 300, intervalMs: 300, aimed: false });
  let interval = 300;
  const delays: number[] = [];
  for (let i = 0; i < 8; i++) {
    const plan = s.next(interval, false, load(1));
    delays.push(plan.delayMs);
    interval = plan.intervalMs;
  }
  assert.deepEqual(delays, [300, 450, 675, 1013, 1520, 2280, 3420, 5000]);
  assert.equal(s.moved(5000), 300, 'a status change looks again soon');
  assert.equal(s.moved(50), 50, 'a shorter look-again is kept');
});

test('an aim beyond the first poll is used, with short look-agains after it', () => {
  const s = new PollSchedule({ nearIntervalMs: 50 });
  assert.deepEqual(s.first(false, load(1), 900), { delayMs: 900, intervalMs: 50, aimed: true });
  assert.deepEqual(s.first(false, load(1), 200), { delayMs: 300, intervalMs: 300, aimed: false }, 'an aim before the first poll is no better');
  assert.equal(s.first(true, load(1), 900).aimed, false, 'with events the safety net rules');
});

test('with events, a safety net that stays within half of the allowed rate', () => {
  const s = new PollSchedule();
  assert.equal(s.first(true, load(10)).delayMs, 5_000);
  // 10,000 tracked at 100/s: every command polled once per 200 s keeps to 50/s.
  assert.equal(s.first(true, load(10_000)).delayMs, 200_000);
  assert.equal(s.next(300, true, load(10_000)).delayMs, 200_000);
  assert.equal(s.next(20_000, true, load(1)).intervalMs, 15_000, 'interval capped at 15 s with events');
});

test('durations: learned per kind; the 90th percentile when they agree, the 10th when they vary', () => {
  const at = (ms: number): CommandStatus => ({
    command_id: 'c',
    status: 'SUCCEEDED',
    accepted_at: '2026-01-01T00:00:00.000Z',
    completed_at: new Date(Date.UTC(2026, 0, 1) + ms).toISOString(),
  });
  const model = new DurationModel();
  assert.equal(model.expectedMs('cover_open', 5_000), undefined);
  for (const ms of [1000, 1020, 1040, 1050]) model.learn('cover_open', at(ms));
  assert.equal(model.expectedMs('cover_open', 5_000), 1050);
  for (const ms of [500, 1500, 900, 1300, 700]) model.learn('fly', at(ms));
  assert.equal(model.expectedMs('fly', 5_000), 500);
  assert.equal(model.expectedMs('fly', 400), undefined, 'no aim beyond the longest interval');
  assert.equal(model.expectedMs(undefined, 5_000), undefined);
  model.learn('odd', { command_id: 'c', status: 'SUCCEEDED' });
  assert.equal(model.expectedMs('odd', 5_000), undefined, 'nothing learnt without both stamps');
  assert.equal(
    platformDurationMs({ command_id: 'c', status: 'SUCCEEDED', accepted_at: '2026-01-01T00:00:01Z', completed_at: '2026-01-01T00:00:00Z' }),
    undefined,
  );
  // A ring: the 16 latest samples count.
  for (let i = 0; i < 16; i++) model.learn('cover_open', at(3000));
  assert.equal(model.expectedMs('cover_open', 5_000), 3000);
});

test('early hints are kept for a minute and taken once', async () => {
  const clock = new FakeClock();
  const hints = new EarlyHints(clock);
  hints.remember('a', 'SUCCEEDED');
  hints.remember('b', undefined);
  assert.deepEqual(hints.take('a'), { claimed: 'SUCCEEDED' });
  assert.equal(hints.take('a'), undefined, 'taken once');
  await clock.advance(60_001);
  assert.equal(hints.take('b'), undefined, 'expired');
  hints.remember('c', undefined);
  await clock.advance(60_001);
  hints.prune();
  assert.equal(hints.size, 0);
});

test('early hints are bounded: a flood forgets the oldest half', () => {
  const hints = new EarlyHints(new FakeClock());
  for (let i = 0; i < 10_000; i++) hints.remember(`h${i}`, undefined);
  assert.equal(hints.size, 10_000);
  hints.remember('one-more', undefined);
  assert.ok(hints.size <= 5_001, `${hints.size} kept`);
  assert.equal(hints.take('h0'), undefined);
  assert.deepEqual(hints.take('one-more'), { claimed: undefined });
});
