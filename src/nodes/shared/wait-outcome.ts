/**
 * What the end of a wait (core tracker outcome) means for a message, shared by dji-command and
 * dji-status-wait: msg.status / msg.payload / msg.utmos_error, the badge, and the line a user reads.
 * A failed command is described from its DJI result code (core/dji-result-codes.ts) when there is
 * one; a command no device ever answered says that the serial number may be wrong or the device
 * offline. deliverOutcome sends the message on and ends it, the same way for both nodes.
 */
import { describeDjiResultCode } from '../../core/dji-result-codes';
import type { CommandStatus } from '../../core/schemas';
import { SUCCESS_STATUS, effectiveStatus, isTerminalStatus } from '../../core/status';
import type { WaitOutcome } from '../../core/waits';
import { UtmosError } from '../../core/errors';
import { clip } from './failure';
import type { RuntimeTexts } from './i18n';
import type { DoneFn, Node, NodeMessage, NodeStatus, SendFn } from './node-red';

export interface CommandContext {
  commandId: string;
  deviceId?: string;
  commandType?: string;
  /** How long the wait lasted (the local deadline), for timeout lines. */
  waitedSeconds?: number;
  /** The status waited for, for dji-status-wait ('terminal' or e.g. DELIVERED). */
  until?: string;
  /** 'command': dji-command (a local timeout is an error); 'wait': dji-status-wait (output 3). */
  kind: 'command' | 'wait';
}

export type OutcomeReport =
  | { route: 'reached'; badge: NodeStatus }
  | { route: 'failed'; badge: NodeStatus; line: string }
  | { route: 'timeout'; badge: NodeStatus; line: string }
  | { route: 'error'; error: UtmosError }
  | { route: 'cancelled' };

/** Terminal statuses that are neither success nor a device's failure: [line key, badge reason key]. */
const OTHER_ENDINGS: Record<string, readonly [string, string]> = {
  UNMATCHED_RESPONSE: ['outcome.unmatched', 'reason.unmatched'],
  UNSUPPORTED: ['outcome.unsupported', 'reason.unsupported'],
  CANCELLED: ['outcome.cancelled', 'reason.cancelled'],
};

/** Statuses in which the device has not yet received the command. */
const UNDELIVERED = new Set(['ACCEPTED', 'DISPATCHING']);

/** A status in words for badges (SUCCEEDED, 成功). */
export function statusWord(texts: RuntimeTexts, status: string): string {
  return texts.optional(`status.${status}`) ?? status;
}

function has(value: unknown): value is string | number {
  return (typeof value === 'string' && value.trim() !== '') || typeof value === 'number';
}

function names(texts: RuntimeTexts, status: CommandStatus | undefined, ctx: CommandContext) {
  return {
    device: status?.device_id || ctx.deviceId || texts.shared('words.theDevice'),
    command: status?.command_type || ctx.commandType || texts.shared('words.theCommand'),
  };
}

function within(texts: RuntimeTexts, seconds: number | undefined): string {
  return seconds !== undefined && Number.isFinite(seconds)
    ? texts.shared('words.withinSeconds', { seconds: Math.round(seconds) })
    : texts.shared('words.inTime');
}

/** Seconds between the platform's acceptance and completion of a command, when both are known. */
function platformSeconds(status: CommandStatus): number | undefined {
  const s = Date.parse(String(status.accepted_at ?? ''));
  const e = Date.parse(String(status.completed_at ?? ''));
  return Number.isFinite(s) && Number.isFinite(e) && e >= s ? (e - s) / 1000 : undefined;
}

/**
 * A terminal status other than SUCCEEDED, for people: the line (what happened, what to do), the
 * reason for the badge, and msg.utmos_error.
 */
export function describeCommandFailure(
  texts: RuntimeTexts,
  status: CommandStatus,
  effective: string,
  ctx: CommandContext,
): { line: string; reason: string; details: Record<string, unknown> } {
  const { device, command } = names(texts, status, ctx);
  const code = has(status.response_code) && String(status.response_code).trim() !== '0' ? String(status.response_code).trim() : undefined;
  const platformReason = [status.response_message, status.failure_reason].find(has);
  const dji = code ? describeDjiResultCode(code, texts.language) : undefined;
  let line: string;
  let reason: string;
  if (dji) {
    line = texts.shared('outcome.failed', { command, device, reason: dji.text });
    reason = dji.short;
  } else if (code) {
    line = platformReason
      ? texts.shared('outcome.failedCode', { command, device, code, reason: String(platformReason) })
      : texts.shared('outcome.failedUnknownCode', { command, device, code });
    reason = texts.shared('reason.code', { code });
  } else if (effective === 'TIMED_OUT') {
    const delivered = has(status.delivered_at) || has(status.response_received_at);
    const when = within(texts, platformSeconds(status));
    line = texts.shared(delivered ? 'outcome.noReply' : 'outcome.notDelivered', { command, device, within: when });
    reason = texts.shared(delivered ? 'reason.noReply' : 'reason.notDelivered', { device });
  } else if (OTHER_ENDINGS[effective]) {
    const [lineKey, reasonKey] = OTHER_ENDINGS[effective];
    line = texts.shared(lineKey, { command, device });
    reason = texts.shared(reasonKey);
  } else if (platformReason) {
    line = texts.shared('outcome.failed', { command, device, reason: String(platformReason) });
    reason = clip(String(platformReason), 28);
  } else {
    line = texts.shared(effective === 'FAILED' ? 'outcome.failedNoReason' : 'outcome.ended', { command, device, status: effective });
    reason = texts.shared('reason.noReason');
  }
  const details: Record<string, unknown> = {
    name: 'CommandFailed',
    code: has(status.failure_code) ? status.failure_code : effective,
    message: line,
    status: effective,
    command_id: status.command_id ?? ctx.commandId,
  };
  if (status.device_id ?? ctx.deviceId) details.device_id = status.device_id ?? ctx.deviceId;
  if (status.command_type ?? ctx.commandType) details.command_type = status.command_type ?? ctx.commandType;
  if (code) details.response_code = code;
  if (dji) Object.assign(details, { dji_code: dji.code, dji_group: dji.groupText, dji_text: dji.text });
  if (has(status.failure_reason)) details.failure_reason = status.failure_reason;
  if (has(status.response_message)) details.response_message = status.response_message;
  if (has(status.request_id)) details.request_id = status.request_id;
  return { line, reason, details };
}

/** The line and badge when a local deadline ends a wait, with the wrong-device hint when nothing was delivered. */
function describeDeadline(texts: RuntimeTexts, last: CommandStatus | undefined, ctx: CommandContext, lastError?: UtmosError) {
  const { device, command } = names(texts, last, ctx);
  const lastStatus = last ? effectiveStatus(last) : 'ACCEPTED';
  const undelivered = UNDELIVERED.has(lastStatus);
  const until = !ctx.until || ctx.until === 'terminal' ? texts.shared('words.aFinalStatus') : statusWord(texts, ctx.until);
  const params = { device, command, within: within(texts, ctx.waitedSeconds), status: statusWord(texts, lastStatus), until };
  const key =
    ctx.kind === 'command'
      ? undelivered
        ? 'outcome.resultTimeoutNotDelivered'
        : 'outcome.resultTimeout'
      : undelivered
        ? 'outcome.waitTimeoutNotDelivered'
        : 'outcome.waitTimeout';
  const line = texts.shared(key, params);
  const badge = undelivered ? texts.shared('reason.notDelivered', { device }) : texts.shared(ctx.kind === 'command' ? 'badge.noResult' : 'badge.gaveUp');
  const details: Record<string, unknown> = {
    name: 'WaitTimeout',
    code: ctx.kind === 'command' ? 'RESULT_TIMEOUT' : 'WAIT_TIMEOUT',
    message: line,
    command_id: ctx.commandId,
    last_status: last ? lastStatus : null,
  };
  if (lastError) details.last_error = texts.text(lastError.text);
  return { line, badge: clip(badge), details };
}

/**
 * Applies an outcome to `msg` (status, payload, utmos_error) and says where it goes. The tracker's
 * error is passed on untouched: other waiters of the same command may hold the same object.
 */
export function applyOutcome(texts: RuntimeTexts, outcome: WaitOutcome, msg: NodeMessage, ctx: CommandContext): OutcomeReport {
  switch (outcome.kind) {
    case 'reached': {
      msg.status = outcome.effective;
      msg.payload = outcome.status;
      const failed = isTerminalStatus(outcome.effective) && outcome.effective !== SUCCESS_STATUS;
      const word = statusWord(texts, outcome.effective);
      if (!failed) return { route: 'reached', badge: { fill: 'green', shape: 'dot', text: word } };
      const { line, reason, details } = describeCommandFailure(texts, outcome.status, outcome.effective, ctx);
      msg.utmos_error = details;
      return { route: 'failed', line, badge: { fill: 'yellow', shape: 'dot', text: clip(texts.shared('badge.statusReason', { status: word, reason })) } };
    }
    case 'deadline': {
      const { line, badge, details } = describeDeadline(texts, outcome.last, ctx, outcome.lastError);
      if (outcome.last) msg.payload = outcome.last;
      msg.utmos_error = details;
      return { route: 'timeout', line, badge: { fill: 'yellow', shape: 'ring', text: badge } };
    }
    case 'error':
      return { route: 'error', error: outcome.error };
    case 'cancelled':
      return { route: 'cancelled' };
  }
}

/** What a waiting node shows: one command by its device and progress, several by their count. */
export function waitingBadge(texts: RuntimeTexts, waits: Iterable<{ deviceId?: string; status?: string }>): NodeStatus {
  const all = [...waits];
  const undelivered = all.filter((w) => w.status !== undefined && UNDELIVERED.has(w.status)).length;
  let text: string;
  const one = all.length === 1 ? all[0] : undefined;
  if (one && one.status !== undefined) {
    const state = UNDELIVERED.has(one.status) ? texts.shared('waiting.notDelivered') : statusWord(texts, one.status);
    text = texts.shared('badge.waitingFor', { device: clip(one.deviceId || texts.shared('words.theDevice'), 24), state });
  } else if (one) {
    text = texts.shared('badge.waitingOne');
  } else if (undelivered > 0) {
    text = texts.shared('badge.waitingManyUndelivered', { count: all.length, undelivered });
  } else {
    text = texts.shared('badge.waitingMany', { count: all.length });
  }
  return { fill: 'blue', shape: 'dot', text };
}

/**
 * A failed command sent to an output nobody wired would vanish without a trace: say it in the log
 * (and so in the debug sidebar) instead. `output` counts from 1, as the editor shows it.
 */
export function warnIfUnwired(node: Node, texts: RuntimeTexts, output: number, line: string): void {
  if (!node.wires?.[output - 1]?.length) node.warn(texts.shared('outcome.unwired', { line, output }));
}

/**
 * Ends a held message as its wait ended: output 1 when reached (or succeeded), output 2 for another
 * final status (said in the log when output 2 is not wired), and on a local timeout output 3 of
 * dji-status-wait (msg.status WAIT_TIMEOUT) or the timeout line as dji-command's error. A tracker
 * error is thrown to the caller's failure path, as is a command cancelled by its node closing; a
 * wait cancelled by a reset or redeploy ends quietly, as a delay node's message would.
 */
export function deliverOutcome(
  node: Node,
  texts: RuntimeTexts,
  outcome: WaitOutcome,
  msg: NodeMessage,
  ctx: CommandContext,
  io: { send: SendFn; done: DoneFn; show: (badge: NodeStatus) => void },
): void {
  const report = applyOutcome(texts, outcome, msg, ctx);
  const outputs = ctx.kind === 'command' ? 2 : 3;
  const to = (output: number) => Array.from({ length: outputs }, (_, i) => (i === output - 1 ? msg : null));
  switch (report.route) {
    case 'reached':
      io.show(report.badge);
      io.send(to(1));
      io.done();
      return;
    case 'failed':
      io.show(report.badge);
      warnIfUnwired(node, texts, 2, report.line);
      io.send(to(2));
      io.done();
      return;
    case 'timeout':
      io.show(report.badge);
      if (ctx.kind === 'command') {
        io.done(report.line);
        return;
      }
      msg.status = 'WAIT_TIMEOUT';
      io.send(to(3));
      io.done();
      return;
    case 'error':
      throw report.error;
    case 'cancelled':
      if (ctx.kind === 'wait') {
        io.done();
        return;
      }
      throw new UtmosError(texts.shared('outcome.closed', { command: ctx.commandType ?? '', device: ctx.deviceId ?? '' }), { code: 'ABORTED' });
  }
}
