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

function setup(script: Script, options: Omit<TrackerOptions, 'source' | 'clock'> = {}) {
  const clock = new FakeClock();
  const src = source(clock, script);
  const tracker = new StatusTracker({ source: src, clock, ...options });
  return { clock, src, tracker, start: clock.now() };
}

const st = (id: string, status: string, extra: Partial<CommandStatus> = {}): CommandStatus => ({ command_id: id, status, ...extra });

test('a wait resolves when the command reaches a terminal status, with adaptive polling', async () => {
  const { clock, src, tracker, start } = setup((id, n) => st(id, n < 3 ? 'DELIVERED' : 'SUCCEEDED'), { firstPollMs: 10, minIntervalMs: 10, maxIntervalMs: 40 });
  const outcome = await clock.until(tracker.wait({ commandId: 'c1', until: 'terminal', deadlineMs: 5_000 }).promise);
  assert.equal(outcome.kind, 'reached');
  assert.equal(outcome.kind === 'reached' && outcome.effective, 'SUCCEEDED');
  assert.equal(src.calls.get('c1'), 3);
  // First poll after 10 ms, then each delay at least 1.5 times the last and at least the age.
  assert.deepEqual(src.log.map((e) => e.at - start), [10, 25, 50]);
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
    (id) => (id === 'p' ? { command_id: id, status: 'DELIVERED', public_status: 'CANCELLED' } : { command_id: id, status: 'UNMATCHED_RESPONSE', public_status: 'UNKNOWN' }),
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
  assert.deepEqual(outcomes.map((o) => o.kind), ['reached', 'reached', 'reached']);
  assert.equal(src.calls.get('shared'), 2);
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

test('a 429 is counted and the wait keeps polling (the rate gate in the client pauses and slows the calls)', async () => {
  const { clock, src, tracker } = setup(
    (id, n) => (n === 1 ? new UtmosRateLimitError('429', { code: 'RATE_LIMITED', httpStatus: 429, retryAfterMs: 200 }) : st(id, 'SUCCEEDED')),
    { firstPollMs: 0, minIntervalMs: 5 },
  );
  const outcome = await clock.until(tracker.wait({ commandId: 'r', until: 'terminal', deadlineMs: 5_000 }).promise);
  assert.equal(outcome.kind, 'reached');
  assert.equal(src.calls.get('r'), 2);
  assert.equal(tracker.stats.rateLimited, 1);
  tracker.close();
});

test('every poll asks the rate gate for an urgent turn, with one attempt', async () => {
  const clock = new FakeClock();
  const asked: Array<{ maxAttempts?: number; urgent?: boolean }> = [];
  const tracker = new StatusTracker({
    clock,
    firstPollMs: 5,
    source: {
      getCommand: async (id, options) => {
        asked.push({ maxAttempts: options?.maxAttempts, urgent: options?.urgent });
        return st(id, 'SUCCEEDED');
      },
    },
  });
  await clock.until(tracker.wait({ commandId: 'u', until: 'terminal', deadlineMs: 1_000 }).promise);
  assert.deepEqual(asked, [{ maxAttempts: 1, urgent: true }]);
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
  await clock.until(Promise.all(['a', 'b', 'c', 'd'].map((id) => tracker.wait({ commandId: id, until: 'terminal', deadlineMs: 10_000, kind: 'cover_open' }).promise)));
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

