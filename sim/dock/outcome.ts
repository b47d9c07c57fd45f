/** What a service call comes to: DJI's result code, the reply's output, and what to do after replying. */
import { describeDjiCode } from '../dji-codes';

export interface Outcome {
  result: number;
  output?: Record<string, unknown>;
  /** Fields placed next to `result` (fileupload_list, unlock_license_*). */
  extra?: Record<string, unknown>;
  /** Why it failed, for the simulator's log only: a real dock's services_reply carries no text. */
  detail?: string;
  /** Runs after the reply has been published (progress events, follow-up requests). */
  after?: (ctx: { bid: string; tid: string }) => void;
}

export const succeeded = (): Outcome => ({ result: 0 });
/** The reply of an operation done at once. */
export const done = (): Outcome => ({ result: 0, output: { status: 'ok' } });

/** A refusal with DJI's code; `detail` (the missing field, ...) goes to the simulator's log. */
export function fail(code: number, detail?: string): Outcome {
  return { result: code, detail: detail ? `${describeDjiCode(code)}: ${detail}` : undefined };
}
