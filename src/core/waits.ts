/**
 * What a wait on a command is: the request, the handle, how it ended, and each waiter's own copy of
 * that ending. The tracker (tracker.ts) runs the waits; the nodes turn outcomes into messages.
 */
import type { UtmosError } from './errors';
import type { CommandStatus } from './schemas';

export type WaitOutcome =
  | { kind: 'reached'; status: CommandStatus; effective: string }
  | { kind: 'deadline'; last?: CommandStatus; lastError?: UtmosError }
  | { kind: 'error'; error: UtmosError; last?: CommandStatus }
  | { kind: 'cancelled'; last?: CommandStatus };

export interface WaitRequest {
  commandId: string;
  /** 'terminal' or a status name such as 'DELIVERED'. */
  until: string;
  /** Local deadline, ms from now. */
  deadlineMs: number;
  /** A status already known (e.g. ACCEPTED from the create), so that no poll is spent learning it. */
  known?: CommandStatus;
  /**
   * The platform's own timeout of the command (the create's timeout_seconds), ms from now: one poll
   * just after it ends the wait when no event did.
   */
  platformTimeoutMs?: number;
  /** What kind of command this is (e.g. the DJI method), for learned poll timing. */
  kind?: string;
  /** Told each time a poll finds the command in another status than before (e.g. ACCEPTED -> DELIVERED). */
  onStatus?: (status: CommandStatus, effective: string) => void;
}

export interface WaitHandle {
  readonly promise: Promise<WaitOutcome>;
  cancel(): void;
}

/**
 * The outcome as one waiter's own: several nodes may wait for the same command, and each must be
 * free to change what it got (a node prefixes the error message, a flow edits msg.payload) without
 * changing what the others got.
 */
export function ownCopy(outcome: WaitOutcome): WaitOutcome {
  const last = outcome.kind === 'reached' ? undefined : outcome.last && structuredClone(outcome.last);
  switch (outcome.kind) {
    case 'reached':
      return { ...outcome, status: structuredClone(outcome.status) };
    case 'error':
      return { ...outcome, error: outcome.error.withMessage(), last };
    case 'deadline':
      return { ...outcome, lastError: outcome.lastError?.withMessage(), last };
    case 'cancelled':
      return { ...outcome, last };
  }
}
