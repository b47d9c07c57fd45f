/**
 * dji-status-wait: holds each message until its command reaches `until` (default: a terminal
 * status). Output 1 reached / succeeded, output 2 failed terminal status, output 3 local timeout.
 * Many waits at once; msg.reset cancels the waits on that command_id (or all), and every held
 * message still gets its done().
 */
import { UtmosInputError } from '../../core/errors';
import { IdSchema } from '../../core/schemas';
import { SUCCESS_STATUS, isTerminalStatus } from '../../core/status';
import type { WaitHandle } from '../../core/tracker';
import { attach } from '../shared/config-access';
import {
  DoneFn,
  Node,
  NodeDef,
  NodeMessage,
  RedApi,
  SendFn,
  clip,
  errorBadge,
  evaluateTyped,
  reportableError,
  requireText,
  toSeconds,
} from '../shared/node-red';

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

export = function register(RED: RedApi): void {
  function DjiStatusWaitNode(this: Node, def: WaitDef) {
    RED.nodes.createNode(this, def);
    const node = this;
    const until = String(def.until || 'terminal');
    const commandIdType = def.commandIdType || 'msg';
    const timeoutType = def.timeoutType || 'num';
    const waits = new Map<string, Set<WaitHandle>>();
    let count = 0;
    let closed = false;

    const showCount = () => {
      if (count > 0) node.status({ fill: 'blue', shape: 'dot', text: `waiting ${count}` });
    };
    const attached = attach(RED, node, def.server, (badge) => {
      if (badge && count === 0) node.status(badge);
    });
    let configProblem = attached.problem;
    if (!UNTIL_VALUES.test(until)) configProblem = configProblem ?? `until must be "terminal" or a status such as DELIVERED (got "${clip(until)}")`;

    const commandIdOf = async (msg: NodeMessage): Promise<string> => {
      const raw = await evaluateTyped(RED, node, 'commandId', def.commandId ?? 'command_id', commandIdType, msg);
      const id = requireText('commandId', raw, 'msg.command_id from a dji-command node');
      const checked = IdSchema.safeParse(id);
      if (!checked.success) throw new UtmosInputError('commandId', `commandId ${checked.error.issues[0].message} (got "${clip(id)}")`);
      return id;
    };

    const cancelWaits = (commandId?: string): number => {
      let n = 0;
      for (const [id, handles] of [...waits]) {
        if (commandId !== undefined && id !== commandId) continue;
        for (const handle of handles) {
          handle.cancel();
          n++;
        }
      }
      return n;
    };

    node.on('input', (msg: NodeMessage, send: SendFn, done: DoneFn) => {
      const fail = (err: unknown) => {
        node.status(errorBadge(err));
        done(reportableError(err, msg));
      };
      if (Object.prototype.hasOwnProperty.call(msg, 'reset')) {
        // Reset: with a command id, cancel that command's waits; without one, cancel all.
        commandIdOf(msg)
          .catch(() => undefined)
          .then((id) => {
            const n = cancelWaits(id);
            node.status({ fill: 'grey', shape: 'ring', text: `reset ${n}` });
            done();
          });
        return;
      }
      if (closed) {
        done();
        return;
      }
      if (configProblem || !attached.connection) {
        fail(new UtmosInputError(configProblem?.startsWith('until') ? 'until' : 'server', configProblem ?? 'no utmos-config node selected'));
        return;
      }
      const connection = attached.connection;
      Promise.all([
        commandIdOf(msg),
        evaluateTyped(RED, node, 'timeout', def.timeout ?? '60', timeoutType, msg).then((v) => toSeconds('timeout', v, 0.001, MAX_WAIT_SECONDS)),
      ])
        .then(async ([commandId, timeoutSeconds]) => {
          const handle = connection.tracker.wait({ commandId, until, deadlineMs: timeoutSeconds * 1000 });
          let set = waits.get(commandId);
          if (!set) waits.set(commandId, (set = new Set()));
          set.add(handle);
          count++;
          showCount();
          const outcome = await handle.promise;
          set.delete(handle);
          if (set.size === 0) waits.delete(commandId);
          count--;
          msg.command_id = commandId;
          switch (outcome.kind) {
            case 'reached': {
              msg.status = outcome.effective;
              msg.payload = outcome.status;
              const failed = isTerminalStatus(outcome.effective) && outcome.effective !== SUCCESS_STATUS;
              node.status({ fill: failed ? 'yellow' : 'green', shape: 'dot', text: clip(outcome.effective) });
              send(failed ? [null, msg, null] : [msg, null, null]);
              done();
              break;
            }
            case 'deadline':
              msg.status = 'WAIT_TIMEOUT';
              if (outcome.last) msg.payload = outcome.last;
              node.status({ fill: 'yellow', shape: 'ring', text: 'WAIT_TIMEOUT' });
              send([null, null, msg]);
              done();
              break;
            case 'error':
              throw outcome.error.withMessage(`command ${commandId}: ${outcome.error.message}`);
            case 'cancelled':
              // Reset or redeploy: the message ends here, quietly, as a delay node's would.
              done();
              break;
          }
          showCount();
        })
        .catch(fail);
    });

    node.on('close', (removed: boolean, done: () => void) => {
      closed = true;
      cancelWaits();
      if (attached.config) attached.config.deregister(node, done);
      else done();
    });
  }

  RED.nodes.registerType('dji-status-wait', DjiStatusWaitNode);
};

