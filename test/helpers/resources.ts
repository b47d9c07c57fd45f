/**
 * What this process holds open (timers, TCP sockets), for tests that prove nodes leave nothing
 * behind. Run them with the simulator in a child process, so that every handle counted is ours.
 */
import assert from 'node:assert/strict';
import { waitUntil } from './wait';

export interface Resources {
  timers: number;
  sockets: number;
}

export function resources(): Resources {
  const info = process.getActiveResourcesInfo();
  return {
    timers: info.filter((r) => r === 'Timeout').length,
    sockets: info.filter((r) => r === 'TCPSocketWrap').length,
  };
}

/** Open TCP sockets of this process connected to `port` (a broker or the platform). */
export function socketsTo(port: number): number {
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  return handles.filter((h) => (h as { constructor?: { name?: string } })?.constructor?.name === 'Socket' && !(h as { destroyed?: boolean }).destroyed && (h as { remotePort?: number }).remotePort === port).length;
}

/**
 * Asserts that timers and sockets are back at `baseline`. A closed socket leaves the count once its
 * FIN exchange is over, so sockets may take a moment to settle (bounded at `settleMs`); timers are
 * checked as soon as they have.
 */
export async function leftBehind(baseline: Resources, settleMs = 5_000): Promise<void> {
  await waitUntil(() => resources().sockets <= baseline.sockets, 'sockets back at the baseline', settleMs).catch(() => undefined);
  const now = resources();
  assert.ok(now.timers <= baseline.timers, `timers: ${now.timers} now vs ${baseline.timers} before`);
  assert.ok(now.sockets <= baseline.sockets, `sockets: ${now.sockets} now vs ${baseline.sockets} before`);
}
