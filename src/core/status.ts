/**
 * The command status model across both documented generations:
 *   `status`:        ACCEPTED, DELIVERED, SUCCEEDED, FAILED, TIMED_OUT, UNMATCHED_RESPONSE
 *   `public_status`: ACCEPTED, DISPATCHING, DELIVERED, RUNNING, SUCCEEDED, FAILED, TIMED_OUT,
 *                    UNSUPPORTED, CANCELLED, UNKNOWN
 */
export const SUCCESS_STATUS = 'SUCCEEDED';
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set(['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'UNMATCHED_RESPONSE', 'UNSUPPORTED', 'CANCELLED']);

/** Order of progress, so that "until DELIVERED" is also met by a command already past it. */
const PROGRESS_RANK: Record<string, number> = {
  ACCEPTED: 1,
  DISPATCHING: 2,
  DELIVERED: 3,
  RUNNING: 4,
};

export interface StatusFields {
  status?: string | null;
  public_status?: string | null;
}

/**
 * The status to act on: `public_status` when it says something specific, else `status`.
 * (`public_status` UNKNOWN means "not derivable", so the older field is more telling then.)
 */
export function effectiveStatus(obj: StatusFields): string {
  const pub = typeof obj.public_status === 'string' ? obj.public_status : undefined;
  const old = typeof obj.status === 'string' ? obj.status : undefined;
  if (pub && pub !== 'UNKNOWN') return pub;
  return old ?? pub ?? 'UNKNOWN';
}

export function isTerminalStatus(status: string): boolean {
  return TERMINAL_STATUSES.has(status);
}

/**
 * Whether a command in `status` has reached `until` ('terminal' or a status name).
 * A terminal status always ends a wait, because nothing will change afterwards.
 */
export function hasReached(status: string, until: string): boolean {
  if (isTerminalStatus(status)) return true;
  if (until === 'terminal') return false;
  if (status === until) return true;
  const have = PROGRESS_RANK[status];
  const want = PROGRESS_RANK[until];
  return have !== undefined && want !== undefined && have >= want;
}
