// The tracker with the event stream, on a fake clock: while events flow a wait costs its event's
// confirmation and one end check; when the stream drops or goes silent every wait polls at once and
// backs off with its age; stream health on its own (stream-health.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusTracker, TrackerOptions } from '../../src/core/tracker';
import { ANNOUNCEMENT_GRACE_MS, EventHealth, StreamHealth } from '../../src/core/stream-health';
import type { CommandStatus } from '../../src/core/schemas';
import { FakeClock } from './fake-clock';

const st = (id: string, status: string): CommandStatus => ({ command_id: id, status });

/** Docks that finish each command `finishMs` after it was first waited for. */
function setup(finishMs: number, options: Omit<TrackerOptions, 'source' | 'clock'> = {}) {
  const clock = new FakeClock();
  const startedAt = new Map<string, number>();
  const calls = new Map<string, number[]>();
  const healths: EventHealth[] = [];
  const tracker = new StatusTracker({
    clock,
    onEventHealth: (h) => healths.push(h),
    ...options,
    source: {
      getCommand: async (id) => {
        const list = calls.get(id) ?? [];
        list.push(clock.now());
        calls.set(id, list);
        return st(id, clock.now() - (startedAt.get(id) ?? clock.now()) >= finishMs ? 'SUCCEEDED' : 'DELIVERED');
      },
    },
  });
  const wait = (id: string, timeoutS: number, until = 'terminal') => {
    startedAt.set(id, clock.now());
    return tracker.wait({ commandId: id, until, deadlineMs: (timeoutS + 30) * 1000, platformTimeoutMs: timeoutS * 1000, known: st(id, 'ACCEPTED') });
  };
  const count = (id: string) => calls.get(id)?.length ?? 0;
  return { clock, tracker, wait, calls, count, healths, startedAt };
}

test("events healthy: a 60 s command costs the status call its event asks for, plus the connection's canary", async () => {
  const { clock, tracker, wait, count } = setup(60_000);
  tracker.setEventDriven(true);
  const ids = Array.from({ length: 30 }, (_, i) => `c${i}`);
  const waits = ids.map((id) => wait(id, 90));
  await clock.advance(59_999);
  const total = () => ids.reduce((n, id) => n + count(id), 0);
  assert.equal(total(), 3, 'no command polled on a schedule: one canary every 15 s for the connection');
  assert.equal(tracker.stats.canaries, 3);
  assert.deepEqual(ids.slice(0, 4).map(count), [1, 1, 1, 0], 'the canary takes the waits in turn');
  await clock.advance(1);
  for (const id of ids) tracker.hint(id, 'SUCCEEDED');
  const outcomes = await clock.until(Promise.all(waits.map((w) => w.promise)));
  assert.ok(outcomes.every((o) => o.kind === 'reached' && o.effective === 'SUCCEEDED'));
  assert.ok(total() <= ids.length + 4, `${total()} status calls for ${ids.length} commands`);
  assert.ok(ids.every((id) => count(id) <= 2));
  tracker.close();
});

test('events healthy, none owed, and the broker stops forwarding: the canary finds a command whose event never came', async () => {
  const { clock, tracker, wait, count, healths } = setup(20_000);
  tracker.setEventDriven(true);
  const start = clock.now();
  // Created while nothing announces acceptances (so no announcement is owed); the stream then stays quiet.
  const waits = ['q1', 'q2', 'q3'].map((id) => wait(id, 120));
  // Canaries at 15 s (q1: not finished), 30 s (q2: finished 10 s ago, its event never came).
  await clock.advance(30_000);
  assert.deepEqual([count('q1'), count('q2'), count('q3')], [1, 1, 0]);
  const done = await clock.until(Promise.race(waits.map((w, i) => w.promise.then(() => i))), 1);
  assert.equal(done, 1, 'q2 ends with the canary that found it');
  await clock.advance(ANNOUNCEMENT_GRACE_MS);
  assert.deepEqual(healths, ['healthy', 'silent'], 'its completion was not announced within the grace: silent');
  const outcomes = await clock.until(Promise.all(waits.map((w) => w.promise)));
  assert.ok(outcomes.every((o) => o.kind === 'reached' && o.effective === 'SUCCEEDED'));
  assert.equal(clock.now() - start, 40_000, 'every wait polled at once on the silence, 80 s before the end check');
  tracker.close();
});

test('events healthy but one event lost: the end check just after the platform timeout ends the wait', async () => {
  const { clock, tracker, wait, calls } = setup(60_000, { canaryIntervalMs: Infinity });
  tracker.setEventDriven(true);
  const start = clock.now();
  const outcome = await clock.until(wait('lost', 90).promise);
  assert.equal(outcome.kind === 'reached' && outcome.effective, 'SUCCEEDED');
  assert.deepEqual(
    calls.get('lost')?.map((at) => at - start),
    [91_000],
    'one poll, a second after the 90 s platform timeout',
  );
  assert.equal(tracker.stats.endChecks, 1);
  tracker.close();
});

test('the broker silently stops forwarding: silence is noticed, every wait polls at once and still ends in time', async () => {
  const { clock, tracker, wait, count, healths } = setup(20_000);
  tracker.setEventDriven(true);
  // The stream announces acceptances: an accepted event for a first command proves it.
  const first = wait('first', 60);
  tracker.hint('first', 'ACCEPTED');
  // Then forwarding stops: no more events of any kind. Three commands are created and wait.
  await clock.advance(1_000);
  const start = clock.now();
  const waits = ['s1', 's2', 's3'].map((id) => wait(id, 60));
  await clock.advance(ANNOUNCEMENT_GRACE_MS - 1);
  assert.equal(count('s1'), 0);
  assert.deepEqual(healths, ['healthy']);
  await clock.advance(1);
  assert.deepEqual(healths, ['healthy', 'silent'], 'no acceptance announced within the grace: the stream is silent');
  assert.equal(tracker.eventHealth, 'silent');
  assert.deepEqual([count('first'), count('s1'), count('s2'), count('s3')], [1, 1, 1, 1], 'every wait polled at once');
  const outcomes = await clock.until(Promise.all([first, ...waits].map((w) => w.promise)));
  assert.ok(outcomes.every((o) => o.kind === 'reached' && o.effective === 'SUCCEEDED'));
  // Found by the back-off (polls at 10, 20 s after creation): long before the 60 s timeout.
  assert.ok(clock.now() - start <= 20_000 + 10_000, `ended ${clock.now() - start} ms after creation`);
  assert.ok(count('s1') <= 3, `${count('s1')} polls for a 20 s command`);
  // An event again: healthy, and the waits left are polled once more, then wait for their events.
  const later = wait('later', 60);
  tracker.hint('someone-else', 'SUCCEEDED');
  assert.deepEqual(healths, ['healthy', 'silent', 'healthy']);
  await clock.advance(0);
  assert.equal(count('later'), 1, 'polled once on recovery (events may have been missed)');
  await clock.advance(30_000);
  assert.equal(count('later'), 3, "and then only as the connection's canary (its only wait), every 15 s");
  assert.equal(tracker.stats.silences, 1);
  later.cancel();
  tracker.close();
});

test('without events a 300 s command costs at most 12 status calls', async () => {
  const { clock, tracker, wait, count } = setup(300_000);
  const start = clock.now();
  const outcome = await clock.until(wait('long', 300).promise);
  assert.equal(outcome.kind === 'reached' && outcome.effective, 'SUCCEEDED');
  assert.ok(count('long') <= 12, `${count('long')} status calls`);
  assert.equal(count('long'), 11);
  assert.equal(clock.now() - start, 301_000, 'found by the check just after the platform timeout');
  tracker.close();
});

test('the stream drops: polling resumes at once for every wait; when it is back, one poll each, then events', async () => {
  const { clock, tracker, wait, count, healths } = setup(600_000, { canaryIntervalMs: Infinity });
  tracker.setEventDriven(true);
  const waits = ['d1', 'd2'].map((id) => wait(id, 300));
  await clock.advance(100_000);
  assert.equal(count('d1'), 0);
  tracker.setEventDriven(false);
  await clock.advance(0);
  assert.deepEqual([count('d1'), count('d2')], [1, 1], 'polled at once');
  // Backing off with its age (100 s): the next poll 100 s later, not in 300 ms.
  await clock.advance(99_999);
  assert.equal(count('d1'), 1);
  await clock.advance(1);
  assert.equal(count('d1'), 2);
  tracker.setEventDriven(true);
  await clock.advance(0);
  assert.equal(count('d1'), 3, 'polled once when the stream is back');
  await clock.advance(100_000);
  assert.equal(count('d1'), 3, 'then left to its event');
  assert.deepEqual(healths, ['healthy', 'off', 'healthy']);
  for (const w of waits) w.cancel();
  tracker.close();
});

test('a wait for DELIVERED keeps polling while events flow (no event announces a delivery)', async () => {
  const { clock, tracker, wait, count } = setup(60_000);
  tracker.setEventDriven(true);
  const w = wait('dl', 90, 'DELIVERED');
  await clock.advance(1_000);
  assert.equal(count('dl'), 1);
  assert.equal((await clock.until(w.promise)).kind, 'reached');
  tracker.close();
});

test('a wait on a command of unknown status is polled once even while events flow', async () => {
  const { clock, tracker, count } = setup(0);
  tracker.setEventDriven(true);
  const w = tracker.wait({ commandId: 'old', until: 'terminal', deadlineMs: 60_000 });
  assert.equal((await clock.until(w.promise, 1_000)).kind, 'reached', 'a command that finished before the wait is found at once');
  assert.equal(count('old'), 1);
  tracker.close();
});

test('stream health: healthy while connected; silent on a missing announcement while nothing else comes', async () => {
  const clock = new FakeClock();
  const changes: string[] = [];
  const health = new StreamHealth(clock, (h, before) => changes.push(`${before}->${h}`));
  health.expectAccepted('x');
  assert.equal(health.health, 'off');
  health.connected(true);
  health.expectAccepted('x');
  assert.equal(health.expecting, 0, 'acceptances are not expected before this stream has shown one');
  health.traffic('a', 'ACCEPTED');
  health.expectAccepted('b');
  health.expectAccepted('c');
  health.traffic('b', 'ACCEPTED');
  assert.equal(health.expecting, 1);
  await clock.advance(ANNOUNCEMENT_GRACE_MS);
  assert.equal(health.nextDue(), clock.now());
  // b's event came after c's expectation began: one lost event among others is not silence.
  assert.equal(health.check(), false);
  assert.equal(health.health, 'healthy');
  health.expectAccepted('d');
  await clock.advance(ANNOUNCEMENT_GRACE_MS);
  assert.equal(health.check(), true);
  assert.equal(health.health, 'silent');
  health.traffic();
  assert.equal(health.health, 'healthy', 'any event ends a silence');
  // A completion is expected only if the command was seen unfinished since the stream turned healthy.
  health.expectCompleted('before', clock.now() - 1);
  health.expectCompleted('since', clock.now());
  assert.equal(health.expecting, 1);
  health.connected(false);
  assert.equal(health.expecting, 0);
  assert.deepEqual(changes, ['off->healthy', 'healthy->silent', 'silent->healthy', 'healthy->off']);
});
