// How the tracker decides when to poll, piece by piece: the poll schedule, the learned durations
// and the early-hint buffer (fake clock where time matters).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DurationModel, platformDurationMs } from '../../src/core/duration-model';
import { EarlyHints } from '../../src/core/early-hints';
import { PollSchedule } from '../../src/core/poll-schedule';
import type { CommandStatus } from '../../src/core/schemas';
import { FakeClock } from './fake-clock';

test('polling only: each delay at least 1.5 times the last and at least the age, up to a 120 s ceiling', () => {
  const s = new PollSchedule();
  assert.equal(s.firstPollMs, 300);
  // From the first poll at 300 ms: the age rule doubles the spacing.
  let previous = s.minIntervalMs;
  let at = s.firstPollMs;
  const polls = [at];
  while (at < 300_000) {
    previous = s.next(previous, at);
    at += previous;
    polls.push(at);
  }
  assert.deepEqual(polls, [300, 750, 1500, 3000, 6000, 12_000, 24_000, 48_000, 96_000, 192_000, 312_000]);
  assert.equal(polls.length, 11, 'a 300 s command costs 11 polls');
  assert.equal(s.next(100_000, 200_000), 120_000, 'never more than the ceiling apart');
  assert.equal(s.next(10, 0), 15, 'at least backoffFactor times the previous delay');
});

test('after the learned plan found the command still running: a look-again after 50 ms, backing off from there', () => {
  const s = new PollSchedule({ nearIntervalMs: 50 });
  const first = s.next(s.lookAgainSeed, 0);
  assert.equal(first, 50);
  assert.equal(s.next(first, first), 75);
});

test('the end check: just after the platform timeout, or shortly before the local deadline', () => {
  const s = new PollSchedule();
  assert.equal(s.endCheck(90_000, 60_000), 61_000, 'one second after the platform timed the command out');
  assert.equal(s.endCheck(60_000), 59_000, 'a second before the deadline when the platform timeout is unknown');
  assert.equal(s.endCheck(2_000), 1_600, 'a fifth of a short wait');
  assert.equal(s.endCheck(30_500, 30_000), 29_500, 'never after the deadline leaves time for the answer');
});

test('durations: learned per kind; one aim when they agree, two when they vary, the shortest while few', () => {
  const at = (ms: number): CommandStatus => ({ command_id: 'c', status: 'SUCCEEDED', accepted_at: '2026-01-01T00:00:00.000Z', completed_at: new Date(Date.UTC(2026, 0, 1) + ms).toISOString() });
  const model = new DurationModel();
  assert.equal(model.plan('cover_open', 5_000), undefined);
  model.learn('cover_open', at(1000));
  assert.deepEqual(model.plan('cover_open', 5_000), [1000], 'fewer than four: the shortest seen');
  for (const ms of [1020, 1040, 1050]) model.learn('cover_open', at(ms));
  assert.deepEqual(model.plan('cover_open', 5_000), [1050], 'agreeing durations: their 90th percentile');
  // Spread over 0.5-1.5 s: the 75th percentile first (three quarters found there), then the longest.
  for (const ms of [500, 1500, 900, 1300, 700, 1100, 600, 1200]) model.learn('fly', at(ms));
  assert.deepEqual(model.plan('fly', 5_000), [1300, 1500]);
  assert.equal(model.plan('fly', 1_400), undefined, 'no plan reaching beyond the longest interval');
  assert.equal(model.plan(undefined, 5_000), undefined);
  model.learn('odd', { command_id: 'c', status: 'SUCCEEDED' });
  assert.equal(model.plan('odd', 5_000), undefined, 'nothing learnt without both stamps');
  assert.equal(platformDurationMs({ command_id: 'c', status: 'SUCCEEDED', accepted_at: '2026-01-01T00:00:01Z', completed_at: '2026-01-01T00:00:00Z' }), undefined);
  // A ring: the 16 latest samples count.
  for (let i = 0; i < 16; i++) model.learn('cover_open', at(3000));
  assert.deepEqual(model.plan('cover_open', 5_000), [3000]);
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
