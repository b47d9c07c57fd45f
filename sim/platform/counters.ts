/** What the simulator counts, for tests and benchmarks (`GET /__sim/counters`). */

export interface Counters {
  /** API calls per route ("POST /api/v1/open/downlink/commands", ...). */
  calls: Record<string, number>;
  total_calls: number;
  commands_created: number;
  idempotent_replays: number;
  auth_failures: Record<string, number>;
  faults_injected: number;
  unmatched_replies: number;
  late_replies: number;
  services_published: number;
  requests_replies_published: number;
  events_published: number;
  device_requests_received: number;
}

const AUTH_CODES = ['UNAUTHORIZED', 'TIMESTAMP_EXPIRED', 'SIGNATURE_INVALID', 'NONCE_REPLAYED', 'FORBIDDEN'];

/** Zeroed counters; every route key and authentication code is listed from the start. */
export function newCounters(routeKeys: readonly string[]): Counters {
  return {
    calls: Object.fromEntries(routeKeys.map((k) => [k, 0])),
    total_calls: 0,
    commands_created: 0,
    idempotent_replays: 0,
    auth_failures: Object.fromEntries(AUTH_CODES.map((k) => [k, 0])),
    faults_injected: 0,
    unmatched_replies: 0,
    late_replies: 0,
    services_published: 0,
    requests_replies_published: 0,
    events_published: 0,
    device_requests_received: 0,
  };
}

export function countAuthFailure(counters: Counters, code: string): void {
  counters.auth_failures[code] = (counters.auth_failures[code] ?? 0) + 1;
}
