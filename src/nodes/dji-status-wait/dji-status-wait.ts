/**
 * dji-status-wait: holds each message until its command reaches `until` (default: a terminal
 * status). Output 1 reached / succeeded, output 2 failed terminal status, output 3 local timeout.
 * Many waits at once; msg.reset cancels the waits on that command_id (or all), and every held
 * message still gets its done().
 */
import { UtmosInputError } from '../../core/errors';
import { IdSchema, schemaMessageText } from '../../core/schemas';
import { isTerminalStatus } from '../../core/status';
import type { WaitHandle } from '../../core/waits';
import { attach } from '../shared/config-access';
import { clip, failInput } from '../shared/failure';
import { evaluateTyped, requireText, toSeconds } from '../shared/inputs';
import type { DoneFn, NodeDef, NodeMessage, RedApi, SendFn } from '../shared/node-red';
import { registerNode } from '../shared/register';
import { deliverOutcome, waitingBadge } from '../shared/wait-outcome';

interface WaitDef extends NodeDef {
  server?: string;
  commandId?: string;
  commandIdType?: string;
  until?: string;
  timeout?: string | number;
  timeoutType?: string;
}

/** 30 days: long missions are fine, and the tracker re-arms its timer so Node's 2^31-1 ms limit never bites. */
const MAX_WAIT_SECONDS = 30 * 24 * 3600;
const UNTIL_VALUES = /^(terminal|[A-Z][A-Z_]{1,40})$/;

/** One held message: its command's device and status once a poll has told them. */
interface Held {
  deviceId?: string;
  status?: string;
}

export = function register(RED: RedApi): void {
  registerNode<WaitDef>(RED, 'dji-status-wait', (node, def, texts) => {
    const until = String(def.until || 'terminal');
    const commandIdType = def.commandIdType || 'msg';
    const timeoutType = def.timeoutType || 'num';
    const waits = new Map<string, Map<WaitHandle, Held>>();
    let closed = false;

    const allHeld = () => [...waits.values()].flatMap((m) => [...m.values()]);
    const showCount = () => {
      const held = allHeld();
      if (held.length > 0) node.status(waitingBadge(texts, held));
    };
    const attached = attach(RED, node, texts, def.server, (badge) => {
      if (badge && allHeld().length === 0) node.status(badge);
    });
    let configProblem = attached.problem;
    if (!UNTIL_VALUES.test(until)) configProblem = configProblem ?? new UtmosInputError('until', texts.node('runtime.untilInvalid', { got: clip(until, 32) }));

    const commandIdOf = async (msg: NodeMessage): Promise<string> => {
      const raw = await evaluateTyped(RED, node, texts, 'commandId', def.commandId ?? 'command_id', commandIdType, msg);
      const id = requireText(texts, 'commandId', raw, 'msg.command_id from a dji-command node');
      const checked = IdSchema.safeParse(id);
      if (!checked.success) {
        const problem = texts.text(schemaMessageText(checked.error.issues[0]?.message ?? ''));
        throw new UtmosInputError('commandId', texts.node('runtime.commandIdInvalid', { problem, got: clip(id, 32) }));
      }
      return id;
    };

    const cancelWaits = (commandId?: string): number => {
      let n = 0;
      for (const [id, handles] of [...waits]) {
        if (commandId !== undefined && id !== commandId) continue;
        for (const handle of handles.keys()) {
          handle.cancel();
          n++;
        }
      }
      return n;
    };

    node.on('input', (msg: NodeMessage, send: SendFn, done: DoneFn) => {
      const fail = (err: unknown) => failInput(node, texts, msg, done, err);
      if (Object.prototype.hasOwnProperty.call(msg, 'reset')) {
        // Reset: with a command id, cancel that command's waits; without one, cancel all.
        commandIdOf(msg)
          .catch(() => undefined)
          .then((id) => {
            const n = cancelWaits(id);
            node.status({ fill: 'grey', shape: 'ring', text: texts.node('status.reset', { count: n }) });
            done();
          })
          .catch(fail);
        return;
      }
      if (closed) {
        done();
        return;
      }
      if (configProblem || !attached.connection) {
        fail(configProblem);
        return;
      }
      const connection = attached.connection;
      Promise.all([
        commandIdOf(msg),
        evaluateTyped(RED, node, texts, 'timeout', def.timeout ?? '60', timeoutType, msg).then((v) => toSeconds(texts, 'timeout', v, 0.001, MAX_WAIT_SECONDS)),
      ])
        .then(async ([commandId, timeoutSeconds]) => {
          const held: Held = {};
          const handle = connection.tracker.wait({
            commandId,
            until,
            deadlineMs: timeoutSeconds * 1000,
            onStatus: (status, effective) => {
              held.deviceId = status.device_id ?? held.deviceId;
              // A final status is shown by the outcome, right after.
              if (isTerminalStatus(effective)) return;
              held.status = effective;
              showCount();
            },
          });
          let set = waits.get(commandId);
          if (!set) waits.set(commandId, (set = new Map()));
          set.set(handle, held);
          showCount();
          const outcome = await handle.promise;
          set.delete(handle);
          if (set.size === 0) waits.delete(commandId);
          msg.command_id = commandId;
          deliverOutcome(
            node,
            texts,
            outcome,
            msg,
            { commandId, deviceId: held.deviceId, waitedSeconds: timeoutSeconds, until, kind: 'wait' },
            {
              send,
              done,
              show: (badge) => node.status(badge),
            },
          );
          showCount();
        })
        .catch(fail);
    });

    node.on('close', (_removed: boolean, done: () => void) => {
      closed = true;
      cancelWaits();
      attached.detach(done);
    });
  });
};
