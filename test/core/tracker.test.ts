// Unit tests of the status tracker alone, with a scripted status source and a fake clock (fakes are
// fine inside a unit test of one module): time moves only when a test moves it, so schedules are
// asserted in exact milliseconds and nothing waits. End-to-end behaviour against the simulator is
// tested elsewhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusTracker, TrackerOptions } from '../../src/core/tracker';
import { UtmosNotFoundError, UtmosRateLimitError, UtmosServerError } from '../../src/core/errors';
import type { CommandStatus } from '../../src/core/schemas';
import { FakeClock } from './fake-clock';

type Script = (id: string, call: number) => CommandStatus | Error;

function source(clock: FakeClock, script: Script) {
  const calls = new Map<string, number>();
  const log: Array<{ id: string; at: number }> = [];
  return {
    log,
    calls,
    getCommand: async (id: string) => {
      const n = (calls.get(id) ?? 0) + 1;
      calls.set(id, n);
      log.push({ id, at: clock.now() });
      const r = script(id, n);
      if (r instanceof Error) throw r;
      return r;
    },
  };
}

/** When the source was polled for the n-th time (negative n counts from the end). */
function polledAt(src: ReturnType<typeof source>, n: number): number {
  const entry = src.log.at(n);
  assert.ok(entry, `poll ${n} happened (${src.log.length} did)`);
  return entry.at;
}

function setup(script: Script, options: Omit<TrackerOptions, 'source' | 'clock'> = {}) {
  const clock = new FakeClock();
  const src = source(clock, script);
  const tracker = new StatusTracker({ source: src, clock, ...options });
  return { clock, src, tracker, start: clock.now() };
}

const st = (id: string, status: string, extra: Partial<CommandStatus> = {}): CommandStatus => ({ command_id: id, status, ...extra });

/** The most requests in any sliding one-second window. */
function peakPerSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= 1000) j++; // j <= i < length
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}

test('a wait resolves when the command reaches a terminal status, with adaptive polling', async () => {
  const { clock, src, tracker, start } = setup((id, n) => st(id, n < 3 ? 'DELIVERED' : 'SUCCEEDED'), { firstPollMs: 10, minIntervalMs: 10, maxIntervalMs: 40 });
  const outcome = await clock.until(tracker.wait({ commandId: 'c1', until: 'terminal', deadlineMs: 5_000 }).promise);
  assert.equal(outcome.kind, 'reached');
  assert.equal(outcome.kind === 'reached' && outcome.effective, 'SUCCEEDED');
  assert.equal(src.calls.get('c1'), 3);
  // First poll after 10 ms, then the interval grows by 1.5: 10, 15.
  assert.deepEqual(
    src.log.map((e) => e.at - start),
    [10, 20, 35],
  );
  assert.equal(tracker.size, 0, 'finished commands are forgotten');
  tracker.close();
});

test('until DELIVERED is met by DELIVERED and by anything past it', async () => {
  const { clock, tracker } = setup((id) => st(id, id === 'a' ? 'DELIVERED' : 'SUCCEEDED'), { firstPollMs: 5 });
  const [a, b] = await clock.until(
    Promise.all([
      tracker.wait({ commandId: 'a', until: 'DELIVERED', deadlineMs: 1_000 }).promise,
      tracker.wait({ commandId: 'b', until: 'DELIVERED', deadlineMs: 1_000 }).promise,
    ]),
  );
  assert.equal(a.kind === 'reached' && a.effective, 'DELIVERED');
  assert.equal(b.kind === 'reached' && b.effective, 'SUCCEEDED');
  tracker.close();
});

test('public_status wins unless it is UNKNOWN; UNMATCHED_RESPONSE is terminal', async () => {
  const { clock, tracker } = setup(
    (id) =>
      id === 'p'
        ? { command_id: id, status: 'DELIVERED', public_status: 'CANCELLED' }
        : { command_id: id, status: 'UNMATCHED_RESPONSE', public_status: 'UNKNOWN' },
    { firstPollMs: 5 },
  );
  const p = await clock.until(tracker.wait({ commandId: 'p', until: 'terminal', deadlineMs: 1_000 }).promise);
  const u = await clock.until(tracker.wait({ commandId: 'u', until: 'terminal', deadlineMs: 1_000 }).promise);
  assert.equal(p.kind === 'reached' && p.effective, 'CANCELLED');
  assert.equal(u.kind === 'reached' && u.effective, 'UNMATCHED_RESPONSE');
  tracker.close();
});

test('the local deadline ends a wait whose command never finishes, with the last known status', async () => {
  const { clock, tracker, start } = setup((id) => st(id, 'DELIVERED'), { firstPollMs: 5, minIntervalMs: 5 });
  const outcome = await clock.until(tracker.wait({ commandId: 'slow', until: 'terminal', deadlineMs: 60 }).promise);
  assert.equal(outcome.kind, 'deadline');
  assert.equal(outcome.kind === 'deadline' && outcome.last?.status, 'DELIVERED');
  assert.equal(clock.now() - start, 60, 'ended exactly at its deadline');
  tracker.close();
});

test('a 404 ends the wait with the error; transient errors keep polling', async () => {
  const { clock, src, tracker } = setup(
    (id, n) => {
      if (id === 'gone') return new UtmosNotFoundError('404', { code: 'COMMAND_NOT_FOUND', httpStatus: 404 });
      return n === 1 ? new UtmosServerError('503', { code: 'INTERNAL_ERROR', httpStatus: 503 }) : st(id, 'FAILED');
    },
    { firstPollMs: 5, minIntervalMs: 5 },
  );
  const gone = await clock.until(tracker.wait({ commandId: 'gone', until: 'terminal', deadlineMs: 1_000 }).promise);
  assert.equal(gone.kind, 'error');
  assert.equal(gone.kind === 'error' && gone.error.code, 'COMMAND_NOT_FOUND');
  const flaky = await clock.until(tracker.wait({ commandId: 'flaky', until: 'terminal', deadlineMs: 1_000 }).promise);
  assert.equal(flaky.kind === 'reached' && flaky.effective, 'FAILED');
  assert.equal(src.calls.get('flaky'), 2);
  assert.equal(tracker.stats.pollErrors, 2);
  tracker.close();
});

test('several waits on one command share one poll stream', async () => {
  const { clock, src, tracker } = setup((id, n) => st(id, n < 2 ? 'DELIVERED' : 'SUCCEEDED'), { firstPollMs: 5, minIntervalMs: 5 });
  const outcomes = await clock.until(Promise.all([1, 2, 3].map(() => tracker.wait({ commandId: 'shared', until: 'terminal', deadlineMs: 1_000 }).promise)));
  assert.deepEqual(
    outcomes.map((o) => o.kind),
    ['reached', 'reached', 'reached'],
  );
  assert.equal(src.calls.get('shared'), 2);
  tracker.close();
});

test('the request rate never exceeds the cap, even with many commands due at once', async () => {
  const { clock, src, tracker } = setup((id, n) => st(id, n < 2 ? 'DELIVERED' : 'SUCCEEDED'), {
    maxRequestsPerSecond: 50,
    maxConcurrent: 4,
    firstPollMs: 0,
    minIntervalMs: 10,
  });
  const waits = Array.from({ length: 40 }, (_, i) => tracker.wait({ commandId: `c${i}`, until: 'terminal', deadlineMs: 10_000 }).promise);
  const outcomes = await clock.until(Promise.all(waits));
  assert.ok(outcomes.every((o) => o.kind === 'reached'));
  assert.equal(src.log.length, 80);
  // Sliding one-second windows: at most the cap (the window starts empty, so the first second may reach it).
  const peak = peakPerSecond(src.log.map((e) => e.at));
  assert.ok(peak <= 50, `peak ${peak} requests in one second exceeds the cap of 50`);
  assert.equal(peak, 50, 'the cap is used, not undershot');
  assert.ok(tracker.stats.peakPerSecond <= 50);
  tracker.close();
});

test('a hint fetches a tracked command at once; a claimed status nobody waits for is ignored', async () => {
  let status = 'DELIVERED';
  const { clock, src, tracker } = setup((id) => st(id, status), { firstPollMs: 60_000 });
  const wait = tracker.wait({ commandId: 'h', until: 'terminal', deadlineMs: 120_000 });
  tracker.hint('h', 'ACCEPTED');
  assert.equal(tracker.stats.hintsIgnored, 1);
  status = 'SUCCEEDED';
  const started = clock.now();
  tracker.hint('h', 'SUCCEEDED');
  const outcome = await clock.until(wait.promise);
  assert.equal(outcome.kind === 'reached' && outcome.effective, 'SUCCEEDED');
  assert.equal(clock.now() - started, 0, 'the hint, not the 60 s poll, finished the wait');
  assert.equal(src.calls.get('h'), 1);
  tracker.close();
});

test('a hint that arrives before the wait starts is remembered briefly', async () => {
  const { clock, src, tracker, start } = setup((id) => st(id, 'SUCCEEDED'), { firstPollMs: 60_000 });
  tracker.hint('early');
  const outcome = await clock.until(tracker.wait({ commandId: 'early', until: 'terminal', deadlineMs: 120_000 }).promise);
  assert.equal(outcome.kind, 'reached');
  assert.equal(clock.now() - start, 0, 'polled at once, not after 60 s');
  tracker.hint('never-tracked');
  assert.equal(src.calls.get('never-tracked'), undefined, 'a hint for an untracked command sends nothing');
  // Briefly: a minute later the early hint is forgotten and the wait keeps its own schedule.
  tracker.hint('late');
  await clock.advance(61_000);
  const late = tracker.wait({ commandId: 'late', until: 'terminal', deadlineMs: 120_000 });
  await clock.advance(59_999);
  assert.equal(src.calls.get('late'), undefined, 'an expired hint does not poll at once');
  assert.equal((await clock.until(late.promise)).kind, 'reached');
  tracker.close();
});

test('429 with Retry-After pauses polling', async () => {
  const { clock, src, tracker } = setup(
    (id, n) => (n === 1 ? new UtmosRateLimitError('429', { code: 'RATE_LIMITED', httpStatus: 429, retryAfterMs: 200 }) : st(id, 'SUCCEEDED')),
    { firstPollMs: 0, minIntervalMs: 5 },
  );
  const outcome = await clock.until(tracker.wait({ commandId: 'r', until: 'terminal', deadlineMs: 5_000 }).promise);
  assert.equal(outcome.kind, 'reached');
  assert.equal(polledAt(src, 1) - polledAt(src, 0), 200, 'second poll waited for Retry-After, no longer');
  assert.equal(tracker.stats.rateLimited, 1);
  tracker.close();
});

test('a burst of 429s halves the allowed rate once; successes win it back step by step', async () => {
  // Commands 0-7 get 429 on their first poll (one burst: all sent before the first 429 came back).
  const limited = new Set(Array.from({ length: 8 }, (_, i) => `c${i}`));
  const changes: Array<[number, number]> = [];
  const { clock, tracker } = setup(
    (id, n) => (limited.has(id) && n === 1 ? new UtmosRateLimitError('429', { code: 'RATE_LIMITED', httpStatus: 429, retryAfterMs: 20 }) : st(id, 'SUCCEEDED')),
    { maxRequestsPerSecond: 40, maxConcurrent: 8, firstPollMs: 0, minIntervalMs: 5, onRateChange: (allowed, cap) => changes.push([allowed, cap]) },
  );
  assert.equal(tracker.allowedRequestsPerSecond, 40);
  const first = Array.from({ length: 8 }, (_, i) => tracker.wait({ commandId: `c${i}`, until: 'terminal', deadlineMs: 10_000 }).promise);
  // Let the burst come back: eight 429s, one decrease.
  await clock.advance(0);
  assert.equal(tracker.stats.rateLimited, 8);
  assert.equal(tracker.allowedRequestsPerSecond, 20, 'eight 429s of one burst halve the rate once, not eight times');
  assert.ok((await clock.until(Promise.all(first))).every((o) => o.kind === 'reached'));
  // 20 successes at the lowered rate (8 re-polls + 12 more) add a tenth of the cap back (4).
  await clock.until(Promise.all(Array.from({ length: 12 }, (_, i) => tracker.wait({ commandId: `d${i}`, until: 'terminal', deadlineMs: 10_000 }).promise)));
  assert.equal(tracker.allowedRequestsPerSecond, 24);
  // And never above the configured cap.
  await clock.until(Promise.all(Array.from({ length: 200 }, (_, i) => tracker.wait({ commandId: `e${i}`, until: 'terminal', deadlineMs: 20_000 }).promise)));
  assert.equal(tracker.allowedRequestsPerSecond, 40);
  assert.deepEqual(
    changes,
    [
      [20, 40],
      [40, 40],
    ],
    'told of the decrease and of the full recovery, not of each step',
  );
  tracker.close();
});

test('while the rate is lowered, no one-second window holds more than the lowered rate', async () => {
  let limitedOnce = false;
  const { clock, src, tracker } = setup(
    (id) => {
      if (!limitedOnce) {
        limitedOnce = true;
        return new UtmosRateLimitError('429', { code: 'RATE_LIMITED', httpStatus: 429, retryAfterMs: 0 });
      }
      return st(id, 'SUCCEEDED');
    },
    { maxRequestsPerSecond: 20, maxConcurrent: 1, firstPollMs: 0, minIntervalMs: 5 },
  );
  await clock.until(tracker.wait({ commandId: 'first', until: 'terminal', deadlineMs: 10_000 }).promise);
  assert.equal(tracker.allowedRequestsPerSecond, 10);
  const from = src.log.length;
  // 10 more successes restore 2 of 20 (so the rate is 10, then 12): 12 polls cannot fit in the first second.
  await clock.until(Promise.all(Array.from({ length: 12 }, (_, i) => tracker.wait({ commandId: `x${i}`, until: 'terminal', deadlineMs: 10_000 }).promise)));
  const peak = peakPerSecond(src.log.map((e) => e.at));
  assert.ok(peak <= 12, `peak ${peak} requests in one second while lowered to 10-12`);
  assert.ok(polledAt(src, -1) - polledAt(src, from) >= 900, 'the polls after the 429 were spread over a second');
  tracker.close();
});

test('cancel and close end waits as cancelled and leave no timer behind', async () => {
  const { clock, tracker } = setup((id) => st(id, 'DELIVERED'), { firstPollMs: 50 });
  const a = tracker.wait({ commandId: 'x', until: 'terminal', deadlineMs: 3_600_000 * 24 * 40 });
  const b = tracker.wait({ commandId: 'y', until: 'terminal', deadlineMs: 10_000 });
  a.cancel();
  assert.equal((await a.promise).kind, 'cancelled');
  tracker.close();
  assert.equal((await b.promise).kind, 'cancelled');
  assert.equal(tracker.size, 0);
  assert.equal(clock.pending, 0, 'no timer left armed');
  // A wait after close is cancelled at once.
  assert.equal((await tracker.wait({ commandId: 'z', until: 'terminal', deadlineMs: 10 }).promise).kind, 'cancelled');
});

test('deadlines beyond the 2^31-1 ms timer limit do not fire early', async () => {
  const { clock, tracker } = setup((id) => st(id, 'DELIVERED'), { firstPollMs: 10, minIntervalMs: 10, maxIntervalMs: 20 });
  const wait = tracker.wait({ commandId: 'long', until: 'terminal', deadlineMs: 2 ** 31 + 5_000 });
  let settled = false;
  void wait.promise.then(() => (settled = true));
  // No timer is ever armed beyond a minute: a 2^31 ms one would fire at once on Node.
  await clock.advance(120_000);
  assert.equal(settled, false);
  tracker.close();
  assert.equal((await wait.promise).kind, 'cancelled');
});

test('a long deadline ends exactly on time although its timer is armed in steps', async () => {
  const { clock, tracker, start } = setup((id) => st(id, 'DELIVERED'), { firstPollMs: 60_000, minIntervalMs: 60_000, maxIntervalMs: 600_000 });
  const outcome = await clock.until(tracker.wait({ commandId: 'mission', until: 'terminal', deadlineMs: 3 * 3_600_000 }).promise, 4 * 3_600_000);
  assert.equal(outcome.kind, 'deadline');
  assert.equal(clock.now() - start, 3 * 3_600_000);
  tracker.close();
});

test('a terminal wait aims its first poll at the learned platform duration of its command type', async () => {
  // The platform reports that commands of this type took 600 ms (accepted_at -> completed_at).
  const acceptedAt = '2026-11-22T00:00:00.000Z';
  const completedAt = '2026-11-22T00:00:00.600Z';
  const { clock, tracker } = setup((id) => st(id, 'SUCCEEDED', { accepted_at: acceptedAt, completed_at: completedAt }), {
    firstPollMs: 50,
    minIntervalMs: 50,
    maxIntervalMs: 5_000,
  });
  await clock.until(
    Promise.all(['a', 'b', 'c', 'd'].map((id) => tracker.wait({ commandId: id, until: 'terminal', deadlineMs: 10_000, kind: 'cover_open' }).promise)),
  );
  // Learned: the first poll waits for the expected duration instead of asking early and often.
  const started = clock.now();
  await clock.until(tracker.wait({ commandId: 'e', until: 'terminal', deadlineMs: 10_000, kind: 'cover_open' }).promise);
  const learned = clock.now() - started;
  // Another type has no history and keeps the plain, fast schedule.
  const t2 = clock.now();
  await clock.until(tracker.wait({ commandId: 'f', until: 'terminal', deadlineMs: 10_000, kind: 'cover_close' }).promise);
  const plain = clock.now() - t2;
  assert.equal(learned, 600, 'learned first poll at the expected duration');
  assert.equal(plain, 50, 'unlearned first poll at the plain 50 ms');
  assert.equal(tracker.stats.aimedPolls, 1);
  tracker.close();
});

test('with the event stream connected, polls are a sparse safety net; when it drops, polling resumes at once', async () => {
  const { clock, src, tracker, start } = setup((id) => st(id, 'DELIVERED'), { firstPollMs: 300, eventFirstPollMs: 5_000 });
  tracker.setEventDriven(true);
  const wait = tracker.wait({ commandId: 'ev', until: 'terminal', deadlineMs: 600_000 });
  await clock.advance(4_999);
  assert.equal(src.calls.get('ev'), undefined, 'no poll before the safety net is due');
  await clock.advance(1);
  assert.equal(src.calls.get('ev'), 1);
  // The stream drops: the next poll comes within the plain first-poll delay, not the safety net's.
  tracker.setEventDriven(false);
  await clock.advance(300);
  assert.equal(src.calls.get('ev'), 2);
  assert.equal(polledAt(src, 1) - start, 5_300);
  wait.cancel();
  tracker.close();
});
